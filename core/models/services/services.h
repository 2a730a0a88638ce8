// The microservice (and monolith) model: service replicas as engine Nodes whose Processes run
// call trees with a bounded worker pool and queue, client-side load balancing with health
// checks, per-edge resilience (timeouts, retries with backoff + full jitter and a retry budget,
// circuit breakers, bulkheads, fallbacks), an HPA autoscaler, deployments (rolling, canary with
// automatic rollback, blue-green) and faults, with metrics per service, edge and request type.
//
// [SECTION] index
//   Runtime ........ ReplicaRt, DeployableRt, EdgeRt, TypeRt, SystemRt, Graph (shared state)
//   Model .......... ServicesModel: commands, state_json, value keys, report_metrics
//   Building ....... build_services_world(): nodes, client, commands from SystemSpecs
//
// How a call runs: a replica admits a request when one of its `workers` is free, else queues it
// (at most `queue_limit`, else it answers 503 at once). The worker is held until the response is
// sent: it does the module's CPU work (ctx.work on one of the node's cores, cores == workers),
// then calls the children of the call tree one after the other (in-process when the child module
// lives in the same deployable, as in the monolith; over the network otherwise), then answers.
// A module of a queue deployable acknowledges at once and delivers its children asynchronously.
// A child written `origin?0.1` is called with probability 0.1 per request (an edge cache's
// misses); `cache|origin` calls origin when the network call to cache fails (after its retries,
// breaker and bulkhead; an edge with `fallback` on answers the failure itself first), so a
// fallback target takes the load of a failed callee.
// Nothing is scripted: a slow dependency holds its callers' workers, their queues fill, and the
// failure climbs up the tree unless an edge policy stops it.
//
// Commands (every argument validated; `service=` takes a module or deployable name; in a world
// with two systems add `system=micro|mono` to pick one, else the command applies to both):
//   set_load type=T|all rps=R [ramp_s=S] [spike_factor=F spike_s=S] [diurnal_amplitude=A
//            diurnal_period_s=P]
//   slow service=S factor=F                (also the engine's `slow node=N factor=F`)
//   fault service=S kind=none|errors|crash_loop|leak [rate=P] [leak_mb=M] [uptime_ms=U]
//   scale service=S replicas=N
//   autoscale service=S on=true|false [min=N] [max=N] [target_cpu=U] [window_s=S] [sync_s=S]
//   deploy service=S version=V strategy=rolling|canary|bluegreen [weight=W] [error_rate=P]
//          [latency_factor=F] [max_surge=N] [max_unavailable=N] [rollback_error_rate=P]
//          [min_calls=N] [promote_after_s=S]
//   rollback service=S                     (canary: abort; rolling: back to the previous
//                                           version; blue-green: switch back)
//   switch service=S                       (blue-green: move traffic to the other colour)
//   resilience from=A|* to=B|* [enabled=on|off] [timeout_ms=] [retries=] [backoff_ms=]
//          [retry_budget=] [breaker=on|off] [breaker_threshold=] [breaker_window=]
//          [breaker_min_calls=] [breaker_wait_s=] [breaker_half_open=] [bulkhead=N]
//          [fallback=on|off]
//   lb service=S [policy=round_robin|least_outstanding|p2c] [health_checks=on|off]
//
// Model::value keys. "Window" = the last `window_s` of simulated time (default 10 s, set in the
// scenario file's [system] or with --set window_s=S); "total" = since the start (or the last
// reset). In a world with two systems prefix a key with "mono/" or "micro/" (no prefix = the
// first system).
//   success_rate.T, p50_ms.T, p95_ms.T, p99_ms.T, rps.T     request type T, window
//   p50_ok_ms.T, p99_ok_ms.T                                 the same, successful requests only
// Latency percentiles (p50_ms, p95_ms, p99_ms) count every finished request, failed and
// timed-out ones too, each with the time until its caller got the answer or the failure; the
// *_ok_ms keys count only the successful ones (they can fall while the service collapses).
//   error_budget_burn.T                                      window: bad fraction / (1 - SLO)
//   requests.T, error_budget_remaining.T                     total
//   success_rate, availability                               all request types, window
//   error_rate.S, p99_ms.S, p50_ms.S, throughput.S           service S as callee, window
//   p50_ok_ms.S, p99_ok_ms.S                                 the same, successful requests only
//   replicas.S (ready), replicas_desired.S, queue.S (requests waiting now), cpu.S (last
//   autoscaler sample, 0..1), memory_mb.S (max over replicas), canary_traffic.S (share of calls
//   that reached the canary since the deploy), rolled_back.S (1 after an automatic rollback)
//   breaker.A->B (0 closed, 1 open, 2 half-open), retries_in_flight.A->B, error_rate.A->B
//   (window), calls.A->B (total)
// For lessons that compare the two architectures:
//   success_pct, success_pct.T   success rate in percent rounded to 0.1 (window), for text
//   network_calls.T              calls of one request of type T that cross the network
//                                (client -> entry included; in-process calls are not; calls
//                                made with a probability and alternatives `a|b` count once each)
//   deployables                  separately deployed programs (9 in the shop, 1 as a monolith)
//   replicas_total               ready replicas of every deployable
//   cores.S                      CPU cores of S's ready replicas (replicas x cores per replica)
//   cpu_pct.S                    cpu.S in percent, rounded (last autoscaler sample)
//   canary_pct.S                 canary_traffic.S in percent, rounded to 0.1
//   autoscaling.S                1 while the autoscaler of S is on
//   starts.S                     replicas of S started since the beginning (scaling, deploys)
//   deploying.S                  1 while a deployment of S is in progress
//   new_version.S                ready serving replicas that run the deployment's new version
//   attempts.A->B, retries.A->B, fallbacks.A->B   totals on the edge (attempts = calls + retries)
//   timeout_ms.A->B, bulkhead.A->B, fallback.A->B, breaker_on.A->B   the edge's active policy
//                                (0 = off; a switched-off edge shows 0 everywhere)
#pragma once

#include <cstdint>
#include <memory>
#include <map>
#include <optional>
#include <set>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "models/services/policies.h"
#include "models/services/spec.h"
#include "sim/metrics.h"
#include "sim/world.h"

namespace topo::svc {

enum class RState : uint8_t { Starting, Ready, Draining, Stopped };
const char* to_string(RState s);

/// One replica (a Node) of a deployable. Survives its process's crash and restart.
struct ReplicaRt {
  NodeId node = kNoNode;
  int number = 1;                 ///< the N of "payment-N"
  std::string version = "v1";
  RState state = RState::Starting;
  bool canary = false;
  int color = 0;                  ///< blue-green colour (0 blue, 1 green)
  int outstanding = 0;            ///< calls sent to it and not answered (for the LB)
  int running = 0, queued = 0;    ///< reported by its process
  int health_fail = 0, health_ok = 0;
  bool ejected = false;
  double memory_mb = 0;
  Time cpu_busy_us = 0;           ///< CPU time used since the last autoscaler sample
  int restarts = 0;
  Time state_since = 0;
};

struct Deployment {
  enum class Kind { None, Rolling, Canary, BlueGreen } kind = Kind::None;
  std::string from_version, to_version;
  int max_surge = 1, max_unavailable = 0;
  double weight = 0.1;                ///< canary traffic share
  double rollback_error_rate = 0.05;  ///< canary: roll back at or above this error rate
  int min_calls = 20;                 ///< canary: calls needed before judging
  Time promote_after_us = 60'000'000; ///< canary: promote when healthy this long
  Time started_at = 0;
  std::string status = "idle";        ///< idle, progressing, complete, rolled_back, switched
  int64_t canary_calls = 0, canary_errors = 0;   ///< handled by canary replicas
  int64_t picks = 0, picks_new = 0;              ///< LB picks since the deploy, and to the new version
  bool rolled_back = false;
};

struct ModuleRt {
  ModuleSpec spec;
  int dep = 0;
  bool is_queue = false;
  double slow = 1.0;
  FaultSpec fault;
};

struct DeployableRt {
  DeployableSpec spec;
  std::vector<int> modules;
  std::vector<ReplicaRt> replicas;
  int desired = 1;
  std::string version = "v1";       ///< the version new replicas get
  size_t rr_cursor = 0;
  bool autoscale_on = false;
  Hpa hpa;
  Time next_sync_us = 0, last_sync_us = 0;
  double last_cpu = 0;
  Time next_health_us = 0;
  Deployment deploy;
  int active_color = 0;
  std::vector<VersionSpec> versions;
  // stats (as callee)
  int64_t served = 0, failed = 0, rejected = 0;
  Histogram latency;      ///< every finished request, failed ones until the failure reached the caller
  Histogram latency_ok;   ///< successful requests only
  RollingWindow window;
  std::vector<std::pair<Time, int>> desired_history;   ///< (time, desired) at every change
  int64_t starts = 0;   ///< replicas started after the world began (scale-ups, deployments)
  const VersionSpec& version_spec(const std::string& v) const;
};

struct EdgeRt {
  std::string from, to;          ///< module names ("client" for the load generator)
  int from_module = -1, to_module = 0, to_dep = 0;
  EdgePolicy configured;
  bool enabled = true;
  CircuitBreaker breaker;
  RetryBudget budget;
  int64_t calls = 0, ok = 0, failed = 0, attempts = 0, timeouts = 0, retries = 0;
  int64_t rejected_breaker = 0, rejected_bulkhead = 0, fallbacks = 0;
  int64_t retries_in_flight = 0;
  Histogram latency;      ///< every finished request, failed ones until the failure reached the caller
  Histogram latency_ok;   ///< successful requests only
  RollingWindow window;
  EdgePolicy effective() const;
};

/// One call of a request type's tree, flattened.
struct CallRt {
  int module = 0;
  int dep = 0;
  std::vector<int> children;
  int edge = -1;   ///< edge from the parent's module (or the client); -1 = in-process
  double probability = 1.0;   ///< the parent makes this call with this probability
  int otherwise = -1;         ///< call made instead when this one fails (`a|b`); -1 = none
};

struct TypeRt {
  RequestTypeSpec spec;
  std::vector<CallRt> calls;   ///< calls[0] is the root
  // load curve
  double rps = 0;
  double ramp_from = 0, ramp_to = 0;
  Time ramp_start = 0, ramp_end = 0;
  double spike_factor = 1;
  Time spike_until = 0;
  double diurnal_amplitude = 0;
  Time diurnal_period_us = 600'000'000;
  /// Arrival rate at `t` (per second).
  double rate_at(Time t) const;
  // stats
  int64_t requests = 0, ok = 0, failed = 0, good = 0;
  Histogram latency;      ///< every finished request, failed ones until the failure reached the caller
  Histogram latency_ok;   ///< successful requests only
  RollingWindow window;
};

struct SystemRt {
  std::string name;
  SystemSpec spec;
  std::vector<ModuleRt> modules;
  std::vector<DeployableRt> deps;
  std::vector<EdgeRt> edges;
  std::vector<TypeRt> types;
  NodeId client = kNoNode;
  int find_module(std::string_view n) const;
  int find_dep(std::string_view n) const;
  int find_type(std::string_view n) const;
  int find_edge(std::string_view from, std::string_view to) const;
};

/// What a fault campaign checks of the first system (chaos::make_target), kept by the processes
/// without changing what they do: each client request's outcomes, and which remote calls of its
/// tree a replica answered 200. Off unless a campaign switches it on (it remembers every call,
/// too much for hours in the lab).
struct Audit {
  bool on = false;
  std::map<uint64_t, Time> pending;              ///< client requests without an outcome -> issued at
  std::map<uint64_t, std::set<int>> done;        ///< pending request -> calls a replica answered 200
  std::set<uint64_t> fell_back;                  ///< pending requests where a fallback replaced a failure
  uint64_t calls = 0;                            ///< logical calls started (numbers them)
  std::set<uint64_t> finished;                   ///< logical calls that have their final outcome
  int64_t outcomes = 0, answered_twice = 0, lost = 0, negative = 0;
  std::vector<std::string> problems;             ///< the first few, as sentences
  void problem(std::string s) {
    if (problems.size() < 5) problems.push_back(std::move(s));
  }
};

/// The state shared by the model and every process of its world.
struct Graph {
  World* world = nullptr;
  std::vector<SystemRt> systems;
  uint64_t next_id = 1;
  Audit audit;
  bool multi() const { return systems.size() > 1; }
};

/// The Model of a world with one or more service systems.
class ServicesModel : public Model {
 public:
  std::span<const Word> words() const override;
  explicit ServicesModel(std::shared_ptr<Graph> g) : g_(std::move(g)) {}
  std::string name() const override { return "services"; }
  void report_metrics(std::ostream& out) const override;
  std::string state_json() const override;
  std::optional<double> value(std::string_view key) const override;
  /// Keys per request type (<type>), deployable or module (<service>) and call edge (<edge>,
  /// "A->B"); with more than one system (shop-vs-monolith) each also as "<system>/KEY".
  std::vector<ValueDecl> value_decls() const override;
  std::vector<std::string> value_names(std::string_view placeholder) const override;
  Graph& graph() { return *g_; }
  const Graph& graph() const { return *g_; }
  /// Clears every statistic (after a warm-up), keeping the running state.
  void reset_stats();

 private:
  std::shared_ptr<Graph> g_;
};

/// Adds the nodes, the client, the model, the periodic controller and the Commands for these
/// systems to `w` (before start()). Returns an error message, empty on success.
std::string build_services_world(World& w, std::vector<SystemSpec> systems);

}  // namespace topo::svc
