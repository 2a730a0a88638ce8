// The service model's Commands, as teachers type them in lessons: set_load, slow, fault, scale,
// autoscale, deploy, rollback, switch, resilience, lb. Each handler validates every argument
// (unknown names get the list of known ones and the nearest suggestion) before changing
// anything, so a failed Command leaves the world unchanged.
#include <algorithm>

#include "models/services/internal.h"
#include "util/i18n.h"

namespace topo::svc::detail {

namespace {

using Targets = std::vector<std::pair<int, int>>;   // (system, index)

struct Ctx2 {
  std::shared_ptr<Graph> g;
  std::string err;
};

std::vector<int> systems_of(const Graph& g, const Command& c, std::string* err) {
  std::vector<int> out;
  const std::string want = c.arg("system");
  std::vector<std::string> names;
  for (size_t i = 0; i < g.systems.size(); i++) {
    names.push_back(g.systems[i].name);
    if (want.empty() || want == g.systems[i].name) out.push_back(static_cast<int>(i));
  }
  if (out.empty()) *err = unknown_name_error("system", want, names);
  return out;
}

/// Resolves service= to (system, module) pairs; a deployable name resolves to its modules'
/// deployable through its first module.
Targets modules_of(const Graph& g, const Command& c, std::string* err) {
  Targets out;
  const std::string name = c.arg("service");
  std::vector<int> sys = systems_of(g, c, err);
  if (!err->empty()) return out;
  std::vector<std::string> known;
  for (int si : sys) {
    const SystemRt& s = g.systems[static_cast<size_t>(si)];
    int m = s.find_module(name);
    if (m < 0) {
      const int d = s.find_dep(name);
      if (d >= 0 && !s.deps[static_cast<size_t>(d)].modules.empty()) m = s.deps[static_cast<size_t>(d)].modules.front();
    }
    if (m >= 0) out.emplace_back(si, m);
    for (const auto& mod : s.modules)
      if (std::find(known.begin(), known.end(), mod.spec.name) == known.end()) known.push_back(mod.spec.name);
    for (const auto& d : s.deps)
      if (std::find(known.begin(), known.end(), d.spec.name) == known.end()) known.push_back(d.spec.name);
  }
  if (out.empty()) *err = unknown_name_error("service", name, known);
  return out;
}

/// service= to (system, deployable) pairs without duplicates.
Targets deps_of(const Graph& g, const Command& c, std::string* err) {
  Targets mods = modules_of(g, c, err), out;
  for (auto [si, m] : mods) {
    const int d = g.systems[static_cast<size_t>(si)].modules[static_cast<size_t>(m)].dep;
    if (std::find(out.begin(), out.end(), std::make_pair(si, d)) == out.end()) out.emplace_back(si, d);
  }
  return out;
}

bool get_num(const Command& c, const std::string& k, double lo, double hi, double* out, std::string* err) {
  auto it = c.args.find(k);
  if (it == c.args.end()) return false;
  double v = 0;
  if (!parse_double(it->second, &v) || v < lo || v > hi) {
    if (err->empty()) *err = k + "= must be a number in [" + num(lo) + ", " + num(hi) + "] (got " + it->second + ")";
    return false;
  }
  *out = v;
  return true;
}

bool get_int(const Command& c, const std::string& k, int64_t lo, int64_t hi, int* out, std::string* err) {
  auto it = c.args.find(k);
  if (it == c.args.end()) return false;
  int64_t v = 0;
  if (!parse_int(it->second, &v) || v < lo || v > hi) {
    if (err->empty()) *err = k + "= must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "] (got " + it->second + ")";
    return false;
  }
  *out = static_cast<int>(v);
  return true;
}

bool get_bool(const Command& c, const std::string& k, bool* out, std::string* err) {
  auto it = c.args.find(k);
  if (it == c.args.end()) return false;
  if (!parse_bool(it->second, out)) {
    if (err->empty()) *err = k + "= must be on or off (got " + it->second + ")";
    return false;
  }
  return true;
}

CommandResult result(const std::string& op, const std::string& err) {
  if (err.empty()) return CommandResult::success();
  return CommandResult::fail(op + ": " + err);
}

const CommandParam kSystem{"system", "string", false, N_("micro or mono, in a world with both (default: both)")};

}  // namespace

void register_commands(World& w, const std::shared_ptr<Graph>& gp) {
  std::shared_ptr<Graph> g = gp;

  // ---- set_load ----
  w.register_command({"set_load",
                      N_("Change the open-loop Poisson load of a request type: rate, ramp, spike, diurnal curve."),
                      {{"type", "string", true, N_("request type, or all")},
                       {"rps", "number", false, N_("arrival rate (requests/s); with ramp_s the rate at the end of the ramp"), "1/s", "", ""},
                       {"ramp_s", "number", false, N_("reach rps linearly over this many seconds"), "s", "", ""},
                       {"spike_factor", "number", false, N_("multiply the rate by this for spike_s seconds")},
                       {"spike_s", "number", false, N_("spike duration (s)"), "s", "", ""},
                       {"diurnal_amplitude", "number", false, N_("0..1: rate x (1 + a sin(2 pi t / period))"), "", "0..1", ""},
                       {"diurnal_period_s", "number", false, N_("period of the diurnal curve (s), default 600"), "s", "", "600"},
                       kSystem},
                      [g](World& world, const Command& c) {
                        std::string err;
                        std::vector<int> sys = systems_of(*g, c, &err);
                        const std::string type = c.arg("type");
                        std::vector<std::pair<int, int>> targets;
                        std::vector<std::string> known;
                        for (int si : sys) {
                          const SystemRt& s = g->systems[static_cast<size_t>(si)];
                          for (size_t t = 0; t < s.types.size(); t++) {
                            if (std::find(known.begin(), known.end(), s.types[t].spec.name) == known.end()) known.push_back(s.types[t].spec.name);
                            if (type == "all" || type == s.types[t].spec.name) targets.emplace_back(si, static_cast<int>(t));
                          }
                        }
                        if (err.empty() && targets.empty()) err = unknown_name_error("request type", type, known);
                        double rps = -1, ramp = 0, spike = 1, spike_s = 0, amp = -1, period = 600;
                        get_num(c, "rps", 0, 1e6, &rps, &err);
                        get_num(c, "ramp_s", 0, 1e6, &ramp, &err);
                        get_num(c, "spike_factor", 0, 1000, &spike, &err);
                        get_num(c, "spike_s", 0, 1e6, &spike_s, &err);
                        get_num(c, "diurnal_amplitude", 0, 1, &amp, &err);
                        get_num(c, "diurnal_period_s", 1, 1e7, &period, &err);
                        if (err.empty() && ramp > 0 && rps < 0) err = "ramp_s= needs rps= (the rate to reach)";
                        if (err.empty() && c.args.count("spike_factor") != c.args.count("spike_s"))
                          err = "spike_factor= and spike_s= go together";
                        if (err.empty() && rps < 0 && !c.args.count("spike_factor") && amp < 0)
                          err = "nothing to change (give rps, spike_factor + spike_s or diurnal_amplitude)";
                        if (!err.empty()) return result("set_load", err);
                        const Time now = world.now();
                        for (auto [si, ti] : targets) {
                          TypeRt& t = g->systems[static_cast<size_t>(si)].types[static_cast<size_t>(ti)];
                          if (rps >= 0) {
                            if (ramp > 0) {
                              t.ramp_from = t.rate_at(now) / (now < t.spike_until ? std::max(1e-9, t.spike_factor) : 1.0);
                              t.ramp_to = rps;
                              t.ramp_start = now;
                              t.ramp_end = now + static_cast<Time>(ramp * 1e6);
                            } else {
                              t.ramp_end = 0;
                            }
                            t.rps = rps;
                          }
                          if (c.args.count("spike_factor")) {
                            t.spike_factor = spike;
                            t.spike_until = now + static_cast<Time>(spike_s * 1e6);
                          }
                          if (amp >= 0) {
                            t.diurnal_amplitude = amp;
                            t.diurnal_period_us = static_cast<Time>(period * 1e6);
                          }
                        }
                        return CommandResult::success();
                      }});

  // ---- slow (extends the engine's `slow node=`) ----
  std::function<CommandResult(World&, const Command&)> engine_slow;
  std::vector<CommandParam> slow_params = {{"service", "string", false, N_("service (module) to slow: every call's CPU work x factor")},
                                           {"factor", "number", true, N_("slow-down factor (1 = normal)")},
                                           kSystem};
  if (const CommandSpec* prev = w.find_command("slow")) {
    engine_slow = prev->apply;
    for (const auto& p : prev->params) {
      if (p.name == "factor") continue;
      CommandParam q = p;
      q.required = false;
      slow_params.insert(slow_params.begin(), q);
    }
  }
  w.register_command({"slow",
                      N_("Slow a service (service=S: every call of it costs factor x more CPU, all replicas, new ones too) or a node (node=N)."),
                      slow_params,
                      [g, engine_slow](World& world, const Command& c) {
                        const bool has_service = c.args.count("service") > 0, has_node = c.args.count("node") > 0;
                        if (has_node && has_service) return CommandResult::fail("slow: give either service= or node=, not both");
                        if (has_node) {
                          if (!engine_slow) return CommandResult::fail("slow: node= is not supported here");
                          return engine_slow(world, c);
                        }
                        if (!has_service) return CommandResult::fail("slow: missing service= (or node=)");
                        std::string err;
                        Targets t = modules_of(*g, c, &err);
                        double f = 1;
                        if (!get_num(c, "factor", 0.01, 1000, &f, &err) && err.empty()) err = "missing factor=";
                        if (!err.empty()) return result("slow", err);
                        for (auto [si, m] : t) g->systems[static_cast<size_t>(si)].modules[static_cast<size_t>(m)].slow = f;
                        return CommandResult::success();
                      }});

  // ---- fault ----
  w.register_command({"fault",
                      N_("Inject a fault into a service (module): errors, crash_loop, leak, or none to clear."),
                      {{"service", "string", true, N_("the service (module)")},
                       {"kind", "string", true, N_("none | errors | crash_loop | leak")},
                       {"rate", "prob", false, N_("errors: probability of a 500 per call (default 0.3)"), "", "0..1", "0.3"},
                       {"leak_mb", "number", false, N_("leak: MB kept per call (default 2)"), "MB", "", "2"},
                       {"uptime_ms", "number", false, N_("crash_loop: mean uptime before each crash (default 3000)"), "ms", "", "3000"},
                       kSystem},
                      [g](World& world, const Command& c) {
                        std::string err;
                        Targets t = modules_of(*g, c, &err);
                        auto kind = parse_fault(c.arg("kind"));
                        if (err.empty() && !kind) err = unknown_name_error("fault kind", c.arg("kind"), {"none", "errors", "crash_loop", "leak"});
                        FaultSpec f;
                        if (kind) f.kind = *kind;
                        get_num(c, "rate", 0, 1, &f.error_rate, &err);
                        get_num(c, "leak_mb", 0.001, 1e6, &f.leak_mb_per_call, &err);
                        double up = 0;
                        if (get_num(c, "uptime_ms", 10, 1e9, &up, &err)) f.crash_uptime_us = static_cast<Time>(up * 1000);
                        if (!err.empty()) return result("fault", err);
                        for (auto [si, m] : t) {
                          SystemRt& s = g->systems[static_cast<size_t>(si)];
                          s.modules[static_cast<size_t>(m)].fault = f;
                          if (s.spec.faults_at_us > world.now()) s.spec.faults_at_us = world.now();
                          if (f.kind == FaultSpec::Kind::CrashLoop) arm_crash_loop(g, si, m);
                        }
                        return CommandResult::success();
                      }});

  // ---- scale ----
  w.register_command({"scale", N_("Set the number of replicas of a service (the monolith scales everything)."),
                      {{"service", "string", true, N_("the service")},
                       {"replicas", "int", true, N_("replicas, 1..64"), "", "1..64", ""},
                       kSystem},
                      [g](World& world, const Command& c) {
                        std::string err;
                        Targets t = deps_of(*g, c, &err);
                        int n = 0;
                        get_int(c, "replicas", 1, 64, &n, &err);
                        if (!err.empty()) return result("scale", err);
                        for (auto [si, d] : t) {
                          DeployableRt& dr = g->systems[static_cast<size_t>(si)].deps[static_cast<size_t>(d)];
                          dr.desired = n;
                          dr.desired_history.emplace_back(world.now(), n);
                        }
                        return CommandResult::success();
                      }});

  // ---- autoscale ----
  w.register_command({"autoscale", N_("Switch the HPA autoscaler of a service on or off and set its targets."),
                      {{"service", "string", true, N_("the service")},
                       {"on", "string", false, N_("on | off (default on)"), "", "", "on"},
                       {"min", "int", false, N_("minimum replicas")},
                       {"max", "int", false, N_("maximum replicas")},
                       {"target_cpu", "number", false, N_("target average CPU utilization, 0..1"), "", "0..1", ""},
                       {"window_s", "number", false, N_("scale-down stabilization window (s), default 300"), "s", "", "300"},
                       {"sync_s", "number", false, N_("controller period (s), default 15"), "s", "", "15"},
                       kSystem},
                      [g](World& world, const Command& c) {
                        std::string err;
                        Targets t = deps_of(*g, c, &err);
                        bool on = true;
                        get_bool(c, "on", &on, &err);
                        if (!err.empty()) return result("autoscale", err);
                        std::vector<HpaConfig> cfgs;
                        for (auto [si, d] : t) {
                          HpaConfig h = g->systems[static_cast<size_t>(si)].deps[static_cast<size_t>(d)].hpa.config();
                          get_int(c, "min", 1, 64, &h.min_replicas, &err);
                          get_int(c, "max", 1, 64, &h.max_replicas, &err);
                          get_num(c, "target_cpu", 0.01, 1, &h.target_utilization, &err);
                          double v = 0;
                          if (get_num(c, "window_s", 0, 1e6, &v, &err)) h.scale_down_window_us = static_cast<Time>(v * 1e6);
                          if (get_num(c, "sync_s", 1, 3600, &v, &err)) h.sync_period_us = static_cast<Time>(v * 1e6);
                          if (err.empty() && h.min_replicas > h.max_replicas) err = "min= is larger than max=";
                          cfgs.push_back(h);
                        }
                        if (!err.empty()) return result("autoscale", err);
                        for (size_t k = 0; k < t.size(); k++) {
                          DeployableRt& d = g->systems[static_cast<size_t>(t[k].first)].deps[static_cast<size_t>(t[k].second)];
                          d.hpa.set_config(cfgs[k]);
                          d.autoscale_on = on;
                          if (on) {
                            const int clamped = std::clamp(d.desired, cfgs[k].min_replicas, cfgs[k].max_replicas);
                            if (clamped != d.desired) {
                              d.desired = clamped;
                              d.desired_history.emplace_back(world.now(), clamped);
                            }
                          }
                        }
                        return CommandResult::success();
                      }});

  // ---- deploy ----
  w.register_command({"deploy",
                      N_("Deploy a version of a service: rolling, canary (automatic rollback) or bluegreen."),
                      {{"service", "string", true, N_("the service (in the monolith: the whole monolith restarts)")},
                       {"version", "string", true, N_("the version to deploy")},
                       {"strategy", "string", false, N_("rolling | canary | bluegreen (default rolling)"), "", "", "rolling"},
                       {"error_rate", "prob", false, N_("this version answers 500 with this probability"), "", "0..1", ""},
                       {"latency_factor", "number", false, N_("this version's service times x factor")},
                       {"weight", "prob", false, N_("canary traffic share (default 0.1)"), "", "0..1", "0.1"},
                       {"max_surge", "int", false, N_("rolling: extra replicas allowed (default 1)"), "", "", "1"},
                       {"max_unavailable", "int", false, N_("rolling: replicas that may be unavailable (default 0)"), "", "", "0"},
                       {"rollback_error_rate", "prob", false, N_("canary: roll back at this error rate (default 0.05)"), "", "0..1", "0.05"},
                       {"min_calls", "int", false, N_("canary: calls before judging (default 20)"), "", "", "20"},
                       {"promote_after_s", "number", false, N_("canary: promote after this long healthy (default 60)"), "s", "", "60"},
                       kSystem},
                      [g](World&, const Command& c) {
                        std::string err;
                        Targets t = deps_of(*g, c, &err);
                        const std::string version = c.arg("version");
                        const std::string strategy = c.arg("strategy", "rolling");
                        if (err.empty() && version.empty()) err = "version= is empty";
                        Deployment dp;
                        dp.to_version = version;
                        double v = 0;
                        if (get_num(c, "weight", 0.001, 1, &v, &err)) dp.weight = v;
                        get_int(c, "max_surge", 0, 64, &dp.max_surge, &err);
                        get_int(c, "max_unavailable", 0, 64, &dp.max_unavailable, &err);
                        if (get_num(c, "rollback_error_rate", 0.0001, 1, &v, &err)) dp.rollback_error_rate = v;
                        get_int(c, "min_calls", 1, 1000000, &dp.min_calls, &err);
                        if (get_num(c, "promote_after_s", 0, 1e6, &v, &err)) dp.promote_after_us = static_cast<Time>(v * 1e6);
                        double er = -1, lf = -1;
                        get_num(c, "error_rate", 0, 1, &er, &err);
                        get_num(c, "latency_factor", 0.01, 1000, &lf, &err);
                        if (!err.empty()) return result("deploy", err);
                        // Validate on every target before changing any.
                        for (auto [si, d] : t) {
                          DeployableRt& dr = g->systems[static_cast<size_t>(si)].deps[static_cast<size_t>(d)];
                          if (dr.deploy.status == "progressing")
                            return result("deploy", "a deployment of " + dr.spec.name + " is in progress (" + dr.deploy.to_version + "); wait for it or roll it back");
                          if (strategy != "rolling" && strategy != "canary" && strategy != "bluegreen")
                            return result("deploy", unknown_name_error("strategy", strategy, {"rolling", "canary", "bluegreen"}));
                          if (version == dr.version) return result("deploy", dr.spec.name + " already runs " + version);
                          if (strategy == "rolling" && dp.max_surge == 0 && dp.max_unavailable == 0)
                            return result("deploy", "max_surge and max_unavailable cannot both be 0");
                        }
                        for (auto [si, d] : t) {
                          DeployableRt& dr = g->systems[static_cast<size_t>(si)].deps[static_cast<size_t>(d)];
                          VersionSpec* vs = nullptr;
                          for (auto& x : dr.versions) if (x.name == version) vs = &x;
                          if (!vs) {
                            dr.versions.push_back(VersionSpec{version, 1.0, 0.0});
                            vs = &dr.versions.back();
                          }
                          if (er >= 0) vs->error_rate = er;
                          if (lf > 0) vs->latency_factor = lf;
                          const std::string e2 = start_deploy(g, si, d, dp, strategy);
                          if (!e2.empty()) return result("deploy", e2);
                        }
                        return CommandResult::success();
                      }});

  // ---- rollback ----
  w.register_command({"rollback",
                      N_("Roll a service back: abort a canary, switch blue-green back, or roll out the previous version."),
                      {{"service", "string", true, N_("the service")}, kSystem},
                      [g](World& world, const Command& c) {
                        std::string err;
                        Targets t = deps_of(*g, c, &err);
                        if (!err.empty()) return result("rollback", err);
                        for (auto [si, d] : t) {
                          const DeployableRt& dr = g->systems[static_cast<size_t>(si)].deps[static_cast<size_t>(d)];
                          if (dr.deploy.kind == Deployment::Kind::None || dr.deploy.status == "rolled_back")
                            return result("rollback", dr.spec.name + " has no deployment to roll back");
                        }
                        for (auto [si, d] : t) {
                          DeployableRt& dr = g->systems[static_cast<size_t>(si)].deps[static_cast<size_t>(d)];
                          Deployment& dp = dr.deploy;
                          bool other_ready = false;
                          for (const auto& r : dr.replicas) other_ready |= r.color != dr.active_color && r.state == RState::Ready;
                          if (dp.kind == Deployment::Kind::Canary && dp.status == "progressing") {
                            for (size_t i = 0; i < dr.replicas.size(); i++)
                              if (dr.replicas[i].canary) drain_replica(*g, si, d, static_cast<int>(i));
                            dp.status = "rolled_back";
                          } else if (dp.kind == Deployment::Kind::BlueGreen && other_ready) {
                            dr.active_color = 1 - dr.active_color;
                            dr.version = dp.from_version;
                            dp.status = "rolled_back";
                          } else {
                            // Roll out the previous version (a new rolling deployment).
                            const std::string back = dp.from_version;
                            if (back == dr.version && dp.status != "progressing") return result("rollback", dr.spec.name + " already runs " + back);
                            Deployment nd;
                            nd.kind = Deployment::Kind::Rolling;
                            nd.to_version = back;
                            nd.from_version = dp.to_version;
                            nd.max_surge = dp.max_surge;
                            nd.max_unavailable = dp.max_unavailable;
                            nd.started_at = world.now();
                            nd.status = "progressing";
                            for (auto& r : dr.replicas) if (r.canary) r.canary = false;
                            dr.deploy = nd;
                          }
                        }
                        return CommandResult::success();
                      }});

  // ---- switch ----
  w.register_command({"switch", N_("Blue-green: send the traffic to the other colour (if it has ready replicas)."),
                      {{"service", "string", true, N_("the service")}, kSystem},
                      [g](World&, const Command& c) {
                        std::string err;
                        Targets t = deps_of(*g, c, &err);
                        if (!err.empty()) return result("switch", err);
                        for (auto [si, d] : t) {
                          const DeployableRt& dr = g->systems[static_cast<size_t>(si)].deps[static_cast<size_t>(d)];
                          bool other_ready = false;
                          for (const auto& r : dr.replicas) other_ready |= r.color != dr.active_color && r.state == RState::Ready;
                          if (!other_ready) return result("switch", dr.spec.name + " has no ready replicas of the other colour (deploy strategy=bluegreen first)");
                        }
                        for (auto [si, d] : t) {
                          DeployableRt& dr = g->systems[static_cast<size_t>(si)].deps[static_cast<size_t>(d)];
                          dr.active_color = 1 - dr.active_color;
                          for (const auto& r : dr.replicas)
                            if (r.color == dr.active_color && r.state == RState::Ready) { dr.version = r.version; break; }
                        }
                        return CommandResult::success();
                      }});

  // ---- resilience ----
  w.register_command({"resilience",
                      N_("Set or switch the resilience policies of caller -> callee edges (from/to may be *)."),
                      {{"from", "string", true, N_("calling service, or *")},
                       {"to", "string", true, N_("called service, or *")},
                       {"enabled", "string", false, N_("on | off: every policy of the edge")},
                       {"timeout_ms", "number", false, N_("per-attempt timeout (0 = none)"), "ms", "", ""},
                       {"retries", "int", false, N_("retries after a failure (0..10)"), "", "0..10", ""},
                       {"backoff_ms", "number", false, N_("base of exponential backoff with full jitter"), "ms", "", ""},
                       {"retry_budget", "number", false, N_("retries <= budget x calls (0 = unlimited)")},
                       {"breaker", "string", false, N_("on | off")},
                       {"breaker_threshold", "prob", false, N_("failure rate that opens it (default 0.5)"), "", "0..1", "0.5"},
                       {"breaker_window", "int", false, N_("sliding window size in calls (default 100)"), "", "", "100"},
                       {"breaker_min_calls", "int", false, N_("minimum calls before judging (default 100)"), "", "", "100"},
                       {"breaker_wait_s", "number", false, N_("wait in open state (s, default 60)"), "s", "", "60"},
                       {"breaker_half_open", "int", false, N_("permitted calls in half-open (default 10)"), "", "", "10"},
                       {"bulkhead", "int", false, N_("max concurrent calls per caller replica (0 = off)")},
                       {"fallback", "string", false, N_("on | off: answer a failed call with a degraded default")},
                       kSystem},
                      [g](World&, const Command& c) {
                        std::string err;
                        std::vector<int> sys = systems_of(*g, c, &err);
                        const std::string from = c.arg("from"), to = c.arg("to");
                        std::vector<std::pair<int, int>> targets;
                        std::vector<std::string> known_edges;
                        for (int si : sys) {
                          const SystemRt& s = g->systems[static_cast<size_t>(si)];
                          for (size_t e = 0; e < s.edges.size(); e++) {
                            if (s.edges[e].from_module < 0) continue;
                            known_edges.push_back(s.edges[e].from + "->" + s.edges[e].to);
                            if ((from == "*" || from == s.edges[e].from) && (to == "*" || to == s.edges[e].to))
                              targets.emplace_back(si, static_cast<int>(e));
                          }
                        }
                        if (err.empty() && targets.empty()) {
                          if (known_edges.empty()) err = "this system has no network edges (a monolith calls in-process)";
                          else err = unknown_name_error("edge", from + "->" + to, known_edges);
                        }
                        bool enabled = true, has_enabled = get_bool(c, "enabled", &enabled, &err);
                        std::vector<EdgePolicy> pols;
                        for (auto [si, e] : targets) {
                          EdgePolicy p = g->systems[static_cast<size_t>(si)].edges[static_cast<size_t>(e)].configured;
                          double v = 0;
                          bool b = false;
                          if (get_num(c, "timeout_ms", 0, 1e7, &v, &err)) p.timeout_us = static_cast<Time>(v * 1000);
                          get_int(c, "retries", 0, 10, &p.retries, &err);
                          if (get_num(c, "backoff_ms", 0, 1e6, &v, &err)) p.backoff_base_us = static_cast<Time>(v * 1000);
                          get_num(c, "retry_budget", 0, 10, &p.retry_budget, &err);
                          if (get_bool(c, "breaker", &b, &err)) p.breaker = b;
                          get_num(c, "breaker_threshold", 0.01, 1, &p.breaker_cfg.failure_rate_threshold, &err);
                          get_int(c, "breaker_window", 1, 100000, &p.breaker_cfg.sliding_window_size, &err);
                          get_int(c, "breaker_min_calls", 1, 100000, &p.breaker_cfg.minimum_number_of_calls, &err);
                          if (get_num(c, "breaker_wait_s", 0, 1e6, &v, &err)) p.breaker_cfg.wait_in_open_us = static_cast<Time>(v * 1e6);
                          get_int(c, "breaker_half_open", 1, 100000, &p.breaker_cfg.permitted_calls_in_half_open, &err);
                          get_int(c, "bulkhead", 0, 100000, &p.bulkhead, &err);
                          if (get_bool(c, "fallback", &b, &err)) p.fallback = b;
                          pols.push_back(p);
                        }
                        if (err.empty() && c.args.size() - c.args.count("system") <= 2)
                          err = "nothing to change (give enabled=, timeout_ms=, retries=, breaker=, bulkhead=, fallback=, ...)";
                        if (!err.empty()) return result("resilience", err);
                        for (size_t k = 0; k < targets.size(); k++) {
                          EdgeRt& e = g->systems[static_cast<size_t>(targets[k].first)].edges[static_cast<size_t>(targets[k].second)];
                          const bool cfg_changed = c.args.size() - c.args.count("system") - (has_enabled ? 1 : 0) > 2;
                          const bool breaker_cfg_changed =
                              pols[k].breaker_cfg.failure_rate_threshold != e.configured.breaker_cfg.failure_rate_threshold ||
                              pols[k].breaker_cfg.sliding_window_size != e.configured.breaker_cfg.sliding_window_size ||
                              pols[k].breaker_cfg.minimum_number_of_calls != e.configured.breaker_cfg.minimum_number_of_calls ||
                              pols[k].breaker_cfg.wait_in_open_us != e.configured.breaker_cfg.wait_in_open_us ||
                              pols[k].breaker_cfg.permitted_calls_in_half_open != e.configured.breaker_cfg.permitted_calls_in_half_open;
                          if (pols[k].breaker && !e.configured.breaker) e.breaker.reset();
                          if (breaker_cfg_changed) e.breaker.set_config(pols[k].breaker_cfg);
                          if (pols[k].retry_budget != e.configured.retry_budget) e.budget.configure(pols[k].retry_budget);
                          e.configured = pols[k];
                          if (has_enabled) e.enabled = enabled;
                          else if (cfg_changed) e.enabled = true;
                        }
                        return CommandResult::success();
                      }});

  // ---- lb ----
  w.register_command({"lb", N_("Set a service's load-balancing policy and health checks."),
                      {{"service", "string", true, N_("the service")},
                       {"policy", "string", false, N_("round_robin | least_outstanding | p2c")},
                       {"health_checks", "string", false, N_("on | off")},
                       kSystem},
                      [g](World&, const Command& c) {
                        std::string err;
                        Targets t = deps_of(*g, c, &err);
                        std::optional<LbPolicy> pol;
                        if (c.args.count("policy")) {
                          pol = parse_lb(c.arg("policy"));
                          if (!pol && err.empty()) err = unknown_name_error("policy", c.arg("policy"), {"round_robin", "least_outstanding", "p2c"});
                        }
                        bool hc = true, has_hc = get_bool(c, "health_checks", &hc, &err);
                        if (err.empty() && !pol && !has_hc) err = "nothing to change (give policy= or health_checks=)";
                        if (!err.empty()) return result("lb", err);
                        for (auto [si, d] : t) {
                          DeployableRt& dr = g->systems[static_cast<size_t>(si)].deps[static_cast<size_t>(d)];
                          if (pol) dr.spec.lb = *pol;
                          if (has_hc) dr.spec.health_checks = hc;
                        }
                        return CommandResult::success();
                      }});
}

}  // namespace topo::svc::detail
