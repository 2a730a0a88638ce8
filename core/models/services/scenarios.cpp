// The service scenarios: `shop` (microservices), `shop-monolith` (the same modules as one
// deployable), `shop-vs-monolith` (both side by side in one world, same load, same faults),
// `streaming` (a video service: lessons/scenarios/streaming.toml) and `mmc-service` (one service
// with exponential service times: an M/M/c queue).
//
// Parameters (`--set KEY=VALUE`, also the lesson's scenario params):
//   file=PATH                  a scenario file instead of the built-in shop (TOML, see
//                              lessons/scenarios/shop.toml)
//   resilience=on|off          every edge policy on/off
//   load=X                     multiply every request type's rate
//   fault_at_ms=T              `slow` and `fault` parameters start at T (default 0)
//   client_timeout_ms=T, window_s=S
//   <type>.rps / .slo / .slo_latency_ms
//   <service>.slow=F           service times x F        (e.g. payment.slow=20)
//   <service>.fault=errors|crash_loop|leak|none, .error_rate=P, .leak_mb=M, .crash_uptime_ms=T
//   <service>.service_ms=MS
//   <service>.replicas / .workers / .queue_limit / .lb / .autoscale / .min_replicas /
//             .max_replicas / .target_cpu / .scale_down_window_s / .sync_period_s / .startup_s /
//             .health_checks        (in the monolith, use monolith.replicas etc.)
//   <from>-><to>.timeout_ms / .retries / .backoff_ms / .retry_budget / .breaker /
//             .breaker_threshold / .breaker_window / .breaker_min_calls / .breaker_wait_s /
//             .breaker_half_open / .bulkhead / .fallback       (from/to may be *)
// mmc-service adds: servers=C, service_ms=MS, rho=R (or rps=R), queue_limit=N, replicas=N.
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "models/services/services.h"
#include "models/builtin_scenarios.h"
#include "scenario/scenario.h"
#include "util/i18n.h"

namespace topo {

namespace {

using svc::ShopSpec;
using svc::SystemSpec;

/// Loads the shop (built-in or file=...) and checks every param is understood by at least one
/// of the systems it is applied to.
std::string load_shop(const Params& params, ShopSpec* out, const std::string& builtin = svc::default_shop_toml(),
                      const std::string& builtin_name = "shop.toml") {
  std::string text = builtin, file = builtin_name;
  auto it = params.find("file");
  if (it != params.end()) {
    std::ifstream in(it->second, std::ios::binary);
    if (!in) return "cannot read scenario file " + it->second;
    std::ostringstream ss;
    ss << in.rdbuf();
    text = ss.str();
    file = it->second;
  }
  std::string err;
  auto spec = svc::parse_shop_toml(text, file, &err);
  if (!spec) return err;
  *out = std::move(*spec);
  return "";
}

/// False for an edge parameter (`A->B.field`, A and B may be *) that names no call between
/// services of `s`: with several systems (shop-vs-monolith) it goes only to the systems that
/// have such a call, so the monolith, which has none, does not refuse the shop's edge policies.
bool edge_param_applies(const SystemSpec& s, const std::string& key) {
  const size_t arrow = key.find("->"), dot = key.rfind('.');
  if (arrow == std::string::npos || dot == std::string::npos || arrow > dot) return true;
  const std::string from = key.substr(0, arrow), to = key.substr(arrow + 2, dot - arrow - 2);
  for (const auto& e : s.call_edges()) {
    if (e.first == "client") continue;
    if ((from == "*" || from == e.first) && (to == "*" || to == e.second)) return true;
  }
  return false;
}

std::string apply_all(std::vector<SystemSpec>& systems, const Params& params,
                      const std::set<std::string>& extra_keys) {
  std::set<std::string> used(extra_keys.begin(), extra_keys.end());
  used.insert("file");
  for (auto& s : systems) {
    std::vector<std::string> u;
    Params mine;
    for (const auto& [k, v] : params)
      if (systems.size() == 1 || edge_param_applies(s, k)) mine[k] = v;
    const std::string err = svc::apply_params(s, mine, &u);
    if (!err.empty()) return err;
    used.insert(u.begin(), u.end());
  }
  for (const auto& [k, v] : params) {
    if (used.count(k)) continue;
    std::vector<std::string> subjects;
    auto add = [&](const std::string& n) {
      if (std::find(subjects.begin(), subjects.end(), n) == subjects.end()) subjects.push_back(n);
    };
    for (const auto& s : systems) {
      for (const auto& m : s.modules) add(m.name);
      for (const auto& d : s.deployables) add(d.name);
      for (const auto& t : s.types) add(t.name);
    }
    const size_t arrow = k.find("->"), dot = k.rfind('.');
    if (arrow != std::string::npos && dot != std::string::npos && arrow < dot)
      return "--set " + k + "=" + v + ": no request calls " + k.substr(0, arrow) + " -> " +
             k.substr(arrow + 2, dot - arrow - 2) + " in any system";
    const std::string subject = k.substr(0, k.find('.'));
    std::string msg = "--set " + k + "=" + v + ": unknown parameter";
    if (k.find('.') != std::string::npos) {
      bool known = false;
      for (const auto& x : subjects) known |= x == subject;
      if (!known) msg += "; " + svc::unknown_name_error("service or request type", subject, subjects);
      else msg += " for '" + subject + "' in this scenario";
    } else {
      msg += " (global keys: file, resilience, load, fault_at_ms, client_timeout_ms, window_s)";
    }
    return msg;
  }
  return "";
}

std::string build_shop(World& w, const Params& p, bool micro, bool mono) {
  ShopSpec shop;
  std::string err = load_shop(p, &shop);
  if (!err.empty()) return err;
  std::vector<SystemSpec> systems;
  if (micro) systems.push_back(shop.micro);
  if (mono) systems.push_back(svc::make_monolith(shop));
  err = apply_all(systems, p, {});
  if (!err.empty()) return err;
  return svc::build_services_world(w, std::move(systems));
}

/// The media-streaming service (lessons/scenarios/streaming.toml), microservices only.
std::string build_streaming(World& w, const Params& p) {
  ShopSpec spec;
  std::string err = load_shop(p, &spec, svc::default_streaming_toml(), "streaming.toml");
  if (!err.empty()) return err;
  std::vector<SystemSpec> systems = {spec.micro};
  err = apply_all(systems, p, {});
  if (!err.empty()) return err;
  return svc::build_services_world(w, std::move(systems));
}

std::string build_mmc(World& w, const Params& p) {
  SystemSpec s;
  s.name = "micro";
  s.entry = "server";
  s.client_timeout_us = 3600LL * 1000 * 1000;
  s.connect_timeout_us = 3600LL * 1000 * 1000;
  svc::ModuleSpec m;
  m.name = "server";
  m.deployable = "server";
  m.work.kind = svc::ServiceTime::Kind::Exponential;
  m.work.mean_ms = 10;
  svc::DeployableSpec d;
  d.name = "server";
  d.replicas = 1;
  d.workers = 2;
  d.queue_limit = 100000;
  d.startup_us = 0;
  d.versions = {svc::VersionSpec{}};
  double rho = 0.5, rps = -1;
  auto num = [&](const char* k, double* out, double lo, double hi) -> std::string {
    auto it = p.find(k);
    if (it == p.end()) return "";
    double v = 0;
    if (!svc::parse_double(it->second, &v) || v < lo || v > hi)
      return std::string("--set ") + k + "=" + it->second + ": expected a number in [" + std::to_string(lo) + ", " +
             std::to_string(hi) + "]";
    *out = v;
    return "";
  };
  double servers = 2, replicas = 1, ql = 100000;
  std::string err;
  if (err.empty()) err = num("servers", &servers, 1, 1024);
  if (err.empty()) err = num("service_ms", &m.work.mean_ms, 0.001, 1e6);
  if (err.empty()) err = num("rho", &rho, 0, 10);
  if (err.empty()) err = num("rps", &rps, 0, 1e7);
  if (err.empty()) err = num("replicas", &replicas, 1, 64);
  if (err.empty()) err = num("queue_limit", &ql, 0, 1e7);
  if (!err.empty()) return err;
  d.workers = static_cast<int>(servers);
  d.replicas = static_cast<int>(replicas);
  d.queue_limit = static_cast<int>(ql);
  if (rps < 0) rps = rho * d.workers * d.replicas * 1000.0 / m.work.mean_ms;
  s.modules = {m};
  s.deployables = {d};
  svc::RequestTypeSpec t;
  t.name = "job";
  t.rps = rps;
  t.root.module = "server";
  t.slo_latency_us = 1'000'000;
  s.types = {t};
  std::vector<SystemSpec> systems = {s};
  Params rest = p;
  for (const char* k : {"servers", "service_ms", "rho", "rps", "replicas", "queue_limit"}) rest.erase(k);
  err = apply_all(systems, rest, {});
  if (!err.empty()) return err;
  LinkParams link;
  link.latency_us = 500;
  w.set_default_link(link);
  return svc::build_services_world(w, std::move(systems));
}

/// The parameters every service scenario takes (apply_params in spec.cpp reads them). Defaults
/// not given here come from the scenario file (lessons/scenarios/shop.toml for the shop).
/// `edges`: the system has calls between services (not the monolith, not mmc-service), so the
/// <edge>.* policies apply.
std::vector<ParamDecl> service_params(bool edges) {
  const std::string file = " (default: the scenario file's)";
  std::vector<ParamDecl> v = {
      {"file", "string", "", "", "", "a scenario file instead of the built-in shop (TOML, see lessons/scenarios/shop.toml)"},
      {"resilience", "bool", "", "on/off", "", "every edge policy (timeouts, retries, breakers, ...) on or off" + file, {}, "off"},
      {"load", "number", "x", "0..100", "1", "multiply every request type's rate"},
      {"fault_at_ms", "number", "ms", ">= 0", "0", "the slow and fault parameters below start at this time"},
      {"client_timeout_ms", "number", "ms", "> 0", "", "the clients give up on a request after this" + file, {}, "3000"},
      {"window_s", "number", "s", ">= 1", "", "the window of rates, percentiles and success rates" + file, {}, "10"},
      {"<type>.rps", "number", "1/s", ">= 0", "", "requests per second of a request type" + file, {}, "50"},
      {"<type>.slo", "number", "", "between 0 and 1 (exclusive)", "", "the type's success objective" + file, {}, "0.99"},
      {"<type>.slo_latency_ms", "number", "ms", "> 0", "", "a request slower than this misses the objective" + file, {}, "500"},
      {"<module>.slow", "number", "x", "0.01..1000", "1", "service times x F (a gray failure)", {}, "20"},
      {"<module>.fault", "enum", "", "", "none", "an injected fault", {"none", "errors", "crash_loop", "leak"}},
      {"<module>.error_rate", "prob", "", "0..1", "", "fail this share of calls (sets fault=errors)", {}, "0.5"},
      {"<module>.leak_mb", "number", "MB", "> 0", "", "memory leaked per call (sets fault=leak)", {}, "1"},
      {"<module>.crash_uptime_ms", "number", "ms", ">= 10", "", "crash_loop: a replica crashes after this uptime", {}, "5000"},
      {"<module>.service_ms", "number", "ms", "> 0", "", "mean CPU time of one call" + file, {}, "5"},
      {"<deployable>.replicas", "int", "", "1..64", "", "replicas" + file, {}, "2"},
      {"<deployable>.workers", "int", "", "1..1024", "", "requests one replica serves at once" + file, {}, "4"},
      {"<deployable>.cores", "int", "", "0..1024", "", "CPU cores per replica (0 = as many as workers)" + file, {}, "2"},
      {"<deployable>.queue_limit", "int", "", ">= 0", "", "requests a replica queues before it turns them away" + file, {}, "100"},
      {"<deployable>.lb", "enum", "", "", "", "load-balancing policy" + file, {"round_robin", "least_outstanding", "p2c"}, "p2c"},
      {"<deployable>.autoscale", "bool", "", "on/off", "", "the autoscaler" + file, {}, "on"},
      {"<deployable>.min_replicas", "int", "", "1..64", "", "the autoscaler's lower bound" + file, {}, "1"},
      {"<deployable>.max_replicas", "int", "", "1..64", "", "the autoscaler's upper bound" + file, {}, "8"},
      {"<deployable>.target_cpu", "number", "", "(0, 1]", "", "the autoscaler's CPU target" + file, {}, "0.6"},
      {"<deployable>.scale_down_window_s", "number", "s", ">= 0", "", "how long the autoscaler waits before it scales down" + file, {}, "30"},
      {"<deployable>.sync_period_s", "number", "s", ">= 1", "", "how often the autoscaler looks" + file, {}, "15"},
      {"<deployable>.startup_s", "number", "s", ">= 0", "", "a new replica's start-up time" + file, {}, "2"},
      {"<deployable>.health_checks", "bool", "", "on/off", "", "readiness checks take sick replicas out" + file, {}, "on"},
  };
  if (!edges) return v;
  std::vector<ParamDecl> e = {
      {"<edge>.timeout_ms", "number", "ms", ">= 0", "", "call timeout on the edge A->B (A, B may be *)" + file, {}, "300"},
      {"<edge>.retries", "int", "", "0..10", "", "retries after a failed call" + file, {}, "2"},
      {"<edge>.backoff_ms", "number", "ms", ">= 0", "", "base of the exponential back-off between retries" + file, {}, "50"},
      {"<edge>.retry_budget", "number", "", ">= 0", "", "retries allowed per call, on average" + file, {}, "0.2"},
      {"<edge>.breaker", "bool", "", "on/off", "", "the circuit breaker" + file, {}, "on"},
      {"<edge>.breaker_threshold", "number", "", "(0, 1]", "", "failure rate that opens the breaker" + file, {}, "0.5"},
      {"<edge>.breaker_window", "int", "", ">= 1", "", "calls in the breaker's sliding window" + file, {}, "20"},
      {"<edge>.breaker_min_calls", "int", "", ">= 1", "", "calls before the breaker may open" + file, {}, "10"},
      {"<edge>.breaker_wait_s", "number", "s", ">= 0", "", "time the breaker stays open" + file, {}, "5"},
      {"<edge>.breaker_half_open", "int", "", ">= 1", "", "trial calls in the half-open state" + file, {}, "3"},
      {"<edge>.bulkhead", "int", "", ">= 0", "", "calls in flight at most (0 = off)" + file, {}, "10"},
      {"<edge>.fallback", "bool", "", "on/off", "", "answer a failed call with a fallback" + file, {}, "on"},
  };
  v.insert(v.end(), e.begin(), e.end());
  return v;
}

}  // namespace

void add_services_scenarios(std::vector<ScenarioInfo>& v) {
  v.push_back({"shop", N_("A web shop as microservices: gateway, auth, catalog, cart, checkout, payment, inventory, a queue to notifications"),
               [](World& w, const Params& p) { return build_shop(w, p, true, false); }});
  v.back().params = service_params(true);
  // The shop's switchable rules: each protects a check of its fault campaign (`chaos`).
  v.back().params.push_back({"shop.discard_late_responses", "bool", "", "true/false", "true",
                             "false: a seeded bug, the late answer of a timed-out call still counts (a request answered twice)"});
  v.back().params.push_back({"shop.check_status", "bool", "", "true/false", "true",
                             "false: a seeded bug, any answer counts as a success (an order lost)"});
  v.back().params.push_back({"shop.count_retries_once", "bool", "", "true/false", "true",
                             "false: a seeded bug, a retry is counted out twice (the in-flight gauge goes negative)"});
  v.push_back({"shop-monolith", N_("The same shop as one monolith: one program with every module inside"),
               [](World& w, const Params& p) { return build_shop(w, p, false, true); }});
  v.back().params = service_params(false);
  v.push_back({"shop-vs-monolith",
               N_("The microservice shop and the monolith side by side, under the same load and the same faults"),
               [](World& w, const Params& p) { return build_shop(w, p, true, true); }});
  // Edge policies apply to the microservices only (apply_all leaves them out of the monolith).
  v.back().params = service_params(true);
  v.push_back({"streaming",
               N_("A video service: catalogue and recommendations (home page), playback through edge caches to the origin, uploads queued for autoscaled encoders"),
               [](World& w, const Params& p) { return build_streaming(w, p); }});
  v.back().params = service_params(true);
  v.push_back({"mmc-service", N_("One service with c workers and random service times: an M/M/c queue"),
               [](World& w, const Params& p) { return build_mmc(w, p); }});
  v.back().params = {
      {"servers", "number", "", "1..1024", "2", "workers of the one replica (c)"},
      {"service_ms", "number", "ms", "0.001..1000000", "10", "mean service time (exponential)"},
      {"rho", "number", "", "0..10", "0.5", "utilisation; sets the rate unless rps is given"},
      {"rps", "number", "1/s", "0..10000000", "", "requests per second (overrides rho)", {}, "100"},
      {"replicas", "number", "", "1..64", "1", "replicas of the service"},
      {"queue_limit", "number", "", "0..10000000", "100000", "requests a replica queues before it turns them away"},
  };
  for (auto& p : service_params(false))
    if (p.name != "file") v.back().params.push_back(p);
}

}  // namespace topo
