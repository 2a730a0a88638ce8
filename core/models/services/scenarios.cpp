// The service scenarios: `shop` (microservices), `shop-monolith` (the same modules as one
// deployable), `shop-vs-monolith` (both side by side in one world, same load, same faults) and
// `mmc-service` (one service with exponential service times: an M/M/c queue).
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
#include "scenario/scenario.h"

namespace topo {

namespace {

using svc::ShopSpec;
using svc::SystemSpec;

/// Loads the shop (built-in or file=...) and checks every param is understood by at least one
/// of the systems it is applied to.
std::string load_shop(const Params& params, ShopSpec* out) {
  std::string text = svc::default_shop_toml(), file = "shop.toml";
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

std::string apply_all(std::vector<SystemSpec>& systems, const Params& params,
                      const std::set<std::string>& extra_keys) {
  std::set<std::string> used(extra_keys.begin(), extra_keys.end());
  used.insert("file");
  for (auto& s : systems) {
    std::vector<std::string> u;
    const std::string err = svc::apply_params(s, params, &u);
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

}  // namespace

void add_services_scenarios(std::vector<ScenarioInfo>& v) {
  v.push_back({"shop", "Microservice shop: gateway, auth, catalog, cart, checkout, payment, inventory, queue -> notifications",
               [](World& w, const Params& p) { return build_shop(w, p, true, false); }});
  v.push_back({"shop-monolith", "The same shop as one monolith: one deployable with every module inside",
               [](World& w, const Params& p) { return build_shop(w, p, false, true); }});
  v.push_back({"shop-vs-monolith",
               "Microservice shop and monolith side by side under the same load and the same faults (values: micro/..., mono/...)",
               [](World& w, const Params& p) { return build_shop(w, p, true, true); }});
  v.push_back({"mmc-service", "One service with c workers and exponential service times: an M/M/c queue (servers, service_ms, rho)",
               [](World& w, const Params& p) { return build_mmc(w, p); }});
}

}  // namespace topo
