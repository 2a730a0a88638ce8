// The service graph as data: modules (logical services: auth, payment, ...), deployables (what
// gets replicas: one per module in the microservice shop, one "monolith" holding every module in
// the monolith), request types as call trees, per-edge resilience policies and versions. Parsed
// from TOML scenario files (lessons/scenarios/shop.toml is the default shop) with errors as
// FILE:LINE:COL, and adjusted by scenario parameters (`--set payment.slow=20`).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/services/policies.h"

namespace topo::svc {

/// Service-time distribution of one module's CPU work per call.
struct ServiceTime {
  enum class Kind { Exponential, Constant, Lognormal, Uniform } kind = Kind::Exponential;
  double mean_ms = 5.0;
  double cv = 1.0;   ///< lognormal: coefficient of variation; uniform: half-width / mean
  /// Draws one service time in microseconds (>= 1).
  Time sample_us(Rng& rng) const;
};

/// A software version's behaviour (deployments switch between versions).
struct VersionSpec {
  std::string name = "v1";
  double latency_factor = 1.0;   ///< multiplies every service time
  double error_rate = 0.0;       ///< probability a call answers 500
};

/// A logical service: the code that handles one kind of call.
struct ModuleSpec {
  std::string name;
  ServiceTime work;
  std::string deployable;   ///< which deployable runs it (itself in the microservice shop)
  bool is_queue = false;    ///< a message queue: acknowledges, then delivers its calls async
};

enum class LbPolicy { RoundRobin, LeastOutstanding, PowerOfTwo };
const char* to_string(LbPolicy p);
std::optional<LbPolicy> parse_lb(const std::string& s);

/// What gets replicas, a load balancer, an autoscaler and deployments.
struct DeployableSpec {
  std::string name;
  bool is_queue = false;      ///< a message queue: acknowledges, then delivers its calls async
  int replicas = 2;
  int workers = 4;            ///< concurrency limit per replica (threads)
  int cores = 0;              ///< CPU cores per replica (0 = as many as workers); CPU work queues for them
  int queue_limit = 50;       ///< requests waiting per replica beyond the workers; more -> 503
  LbPolicy lb = LbPolicy::RoundRobin;
  bool health_checks = true;
  Time health_interval_us = 1'000'000;
  int unhealthy_threshold = 2;   ///< failed probes before ejection
  int healthy_threshold = 2;     ///< passed probes before re-admission
  Time startup_us = 5'000'000;   ///< a new or restarted replica is not ready for this long
  double memory_limit_mb = 512;
  HpaConfig autoscale;
  bool autoscale_on = false;
  std::vector<VersionSpec> versions;   ///< at least the initial version
  std::string version = "v1";          ///< initial version
};

/// One call in a request type's tree: this module runs, then calls its children in order.
struct CallSpec {
  std::string module;
  std::vector<CallSpec> children;
  /// The parent makes this call only with this probability, drawn per request (`origin?0.05`:
  /// an edge cache that misses 5% of the time). 1 = always (and no random draw).
  double probability = 1.0;
  /// At most one: the call made instead when this network call fails (`cache|origin`: a
  /// player that falls back to the origin when the edge cache is down); it may have its own.
  std::vector<CallSpec> otherwise;
};

struct RequestTypeSpec {
  std::string name;
  double rps = 10;                  ///< Poisson arrival rate
  CallSpec root;
  double slo_target = 0.99;         ///< fraction of good requests
  Time slo_latency_us = 1'000'000;  ///< a successful request slower than this is not "good"
};

/// Resilience of one caller -> callee edge. Zero / false = that pattern off.
struct EdgePolicy {
  Time timeout_us = 0;
  int retries = 0;
  Time backoff_base_us = 25'000;
  Time backoff_cap_us = 1'000'000;
  double retry_budget = 0;     ///< 0 = unlimited; else retries <= budget x calls (+10 reserve)
  bool breaker = false;
  BreakerConfig breaker_cfg;
  int bulkhead = 0;            ///< max concurrent calls per caller replica on this edge
  bool fallback = false;       ///< a failed call is answered with a degraded default
};

/// A fault active on a module (or scheduled at build time from parameters).
struct FaultSpec {
  enum class Kind { None, Errors, CrashLoop, Leak } kind = Kind::None;
  double error_rate = 0.3;          ///< Errors: probability of a 500
  double leak_mb_per_call = 2.0;    ///< Leak: memory kept per call handled
  Time crash_uptime_us = 3'000'000; ///< CrashLoop: mean uptime before the crash
};
const char* to_string(FaultSpec::Kind k);
std::optional<FaultSpec::Kind> parse_fault(const std::string& s);

/// A whole system: the microservice shop, or the monolith.
struct SystemSpec {
  std::string name = "micro";
  std::vector<ModuleSpec> modules;
  std::vector<DeployableSpec> deployables;
  std::vector<RequestTypeSpec> types;
  std::string entry = "gateway";            ///< module the clients call
  Time client_timeout_us = 5'000'000;       ///< clients give up after this
  Time connect_timeout_us = 30'000'000;     ///< hard limit on a call without a timeout
  Time window_us = 10'000'000;              ///< window of the Model::value metrics
  std::map<std::pair<std::string, std::string>, EdgePolicy> edges;   ///< (from, to) -> policy
  bool resilience = true;                   ///< false = every edge policy off
  // Initial conditions from parameters.
  std::map<std::string, double> slow;       ///< module -> latency factor
  std::map<std::string, FaultSpec> faults;  ///< module -> fault
  Time faults_at_us = 0;                    ///< when `slow` and `faults` start
  /// Switchable rules (seeded bugs for fault campaigns, `--set shop.RULE=false`); all on by
  /// default, and on they change nothing.
  struct Rules {
    bool discard_late_responses = true;  ///< a caller drops the answer to an attempt it gave up on
    bool check_status = true;            ///< a caller treats a non-200 answer as a failure
    bool count_retries_once = true;      ///< a failed retry leaves the retries-in-flight gauge once
  } rules;

  const ModuleSpec* module(const std::string& n) const;
  const DeployableSpec* deployable(const std::string& n) const;
  DeployableSpec* deployable(const std::string& n);
  const RequestTypeSpec* type(const std::string& n) const;
  /// Every (caller, callee) module pair of the call trees whose modules live in different
  /// deployables (plus client -> entry), in tree order without duplicates.
  std::vector<std::pair<std::string, std::string>> call_edges() const;
};

/// A scenario file: the microservice system and how the same modules are packed as a monolith.
struct ShopSpec {
  SystemSpec micro;
  DeployableSpec monolith;   ///< replicas, workers, queue, startup of the one deployable
};

/// Parses a scenario file's text. `file` is used in error messages ("FILE:LINE:COL: what").
/// Returns std::nullopt and sets `error` on any error.
std::optional<ShopSpec> parse_shop_toml(const std::string& text, const std::string& file,
                                        std::string* error);
/// The built-in default shop (the same text as lessons/scenarios/shop.toml).
const std::string& default_shop_toml();
/// The built-in media-streaming service (the same text as lessons/scenarios/streaming.toml).
const std::string& default_streaming_toml();

/// The same modules and request types packed as one deployable (the monolith baseline).
SystemSpec make_monolith(const ShopSpec& s);

/// Parses a call tree in the compact form `gateway(auth, checkout(payment, queue(notify)))`;
/// a child may carry a probability (`cache(origin?0.05)`) and alternatives tried in order when
/// the call before fails (`playback(cache|origin)`).
/// On error returns nullopt, sets `error`, and `error_offset` to the character offset.
std::optional<CallSpec> parse_call_tree(const std::string& text, std::string* error,
                                        size_t* error_offset);

/// The name in `known` closest to `name` (edit distance), or "" if none is close.
std::string nearest_name(const std::string& name, const std::vector<std::string>& known);
/// "unknown service 'paymnt' (known: a, b, c; did you mean 'payment'?)"
std::string unknown_name_error(const std::string& what, const std::string& name,
                               const std::vector<std::string>& known);

/// Applies scenario parameters to a spec (see the list in scenarios.cpp / README of the area).
/// Returns an error for an unknown key or a bad value, empty on success.
std::string apply_params(SystemSpec& s, const std::map<std::string, std::string>& params,
                         std::vector<std::string>* used);

/// Value parsing helpers shared with the Command handlers.
bool parse_double(const std::string& s, double* out);
bool parse_int(const std::string& s, int64_t* out);
bool parse_bool(const std::string& s, bool* out);

}  // namespace topo::svc
