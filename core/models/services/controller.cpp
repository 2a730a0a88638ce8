// The service model's periodic controller: replica counts reconciled to the desired number,
// rolling, canary and blue-green deployments (with rollback), health checks that eject and
// re-admit replicas, the HPA-style autoscaler, restarts of crashed replicas, finished drains;
// and the chart series sampled at the World's sample boundaries. See services.h.
#include <algorithm>

#include "models/services/internal.h"
#include "models/services/services.h"

namespace topo::svc {

using detail::num;

namespace detail {

namespace {

void note(Graph& g, NodeId node, const std::string& what, const std::string& detail) {
  g.world->trace().record(TraceEvent{g.world->now(), TraceKind::Note, node, -1, 0, 0, 0, what, detail});
}

struct Counts {
  std::vector<int> ready, starting;
};

// Active replicas of the serving colour, excluding canaries, split by readiness; `version`
// filters when not empty (match) or excludes it when `exclude` is true.
Counts active(const DeployableRt& d, const std::string& version = "", bool exclude = false,
              bool canaries = false) {
  Counts c;
  for (size_t i = 0; i < d.replicas.size(); i++) {
    const ReplicaRt& r = d.replicas[i];
    if (r.color != d.active_color || r.canary != canaries) continue;
    if (!version.empty() && ((r.version == version) == exclude)) continue;
    if (r.state == RState::Ready) c.ready.push_back(static_cast<int>(i));
    else if (r.state == RState::Starting) c.starting.push_back(static_cast<int>(i));
  }
  return c;
}

void reconcile_count(const std::shared_ptr<Graph>& g, int sys, int dep) {
  DeployableRt& d = g->systems[static_cast<size_t>(sys)].deps[static_cast<size_t>(dep)];
  Counts c = active(d);
  int n = static_cast<int>(c.ready.size() + c.starting.size());
  while (n < d.desired) {
    launch_replica(g, sys, dep, d.version, false, d.active_color);
    n++;
  }
  // Scale down: starting ones first, then the highest-numbered ready ones.
  while (n > d.desired && !c.starting.empty()) {
    drain_replica(*g, sys, dep, c.starting.back());
    c.starting.pop_back();
    n--;
  }
  while (n > d.desired && !c.ready.empty()) {
    drain_replica(*g, sys, dep, c.ready.back());
    c.ready.pop_back();
    n--;
  }
}

void progress_rolling(const std::shared_ptr<Graph>& g, int sys, int dep) {
  DeployableRt& d = g->systems[static_cast<size_t>(sys)].deps[static_cast<size_t>(dep)];
  Deployment& dp = d.deploy;
  Counts nw = active(d, dp.to_version, false), old = active(d, dp.to_version, true);
  int n_new = static_cast<int>(nw.ready.size() + nw.starting.size());
  int n_old = static_cast<int>(old.ready.size() + old.starting.size());
  while (n_new < d.desired && n_new + n_old < d.desired + dp.max_surge) {
    launch_replica(g, sys, dep, dp.to_version, false, d.active_color);
    n_new++;
  }
  // Old replicas that are not ready do not count for availability: remove them first.
  for (int i : old.starting) { drain_replica(*g, sys, dep, i); n_old--; }
  int ready_total = static_cast<int>(nw.ready.size() + old.ready.size());
  const int min_available = d.desired - dp.max_unavailable;
  for (auto it = old.ready.rbegin(); it != old.ready.rend(); ++it) {
    if (ready_total - 1 < min_available) break;
    if (n_new + n_old <= d.desired && n_new < d.desired && dp.max_unavailable == 0) break;
    drain_replica(*g, sys, dep, *it);
    ready_total--;
    n_old--;
  }
  // Extra new replicas (the autoscaler lowered desired meanwhile).
  if (n_old == 0) {
    if (static_cast<int>(nw.ready.size()) >= d.desired) {
      dp.status = "complete";
      d.version = dp.to_version;
      note(*g, kNoNode, "deploy", qualified(*g, sys, d.spec.name) + " " + dp.to_version + " rolled out");
      dp.kind = Deployment::Kind::Rolling;
    }
  }
}

void progress_canary(const std::shared_ptr<Graph>& g, int sys, int dep) {
  DeployableRt& d = g->systems[static_cast<size_t>(sys)].deps[static_cast<size_t>(dep)];
  Deployment& dp = d.deploy;
  const Time now = g->world->now();
  Counts can = active(d, "", false, true);
  const int want = std::max(1, static_cast<int>(dp.weight * d.desired + 0.999));
  int n = static_cast<int>(can.ready.size() + can.starting.size());
  while (n < want) {
    launch_replica(g, sys, dep, dp.to_version, true, d.active_color);
    n++;
  }
  reconcile_count(g, sys, dep);   // the stable fleet keeps its size
  if (dp.canary_calls >= dp.min_calls) {
    const double rate = static_cast<double>(dp.canary_errors) / static_cast<double>(dp.canary_calls);
    if (rate >= dp.rollback_error_rate) {
      for (size_t i = 0; i < d.replicas.size(); i++)
        if (d.replicas[i].canary) drain_replica(*g, sys, dep, static_cast<int>(i));
      dp.status = "rolled_back";
      dp.rolled_back = true;
      note(*g, kNoNode, "rollback", qualified(*g, sys, d.spec.name) + " canary " + dp.to_version +
                                        " rolled back: error rate " + num(rate) + " >= " + num(dp.rollback_error_rate));
      return;
    }
    if (now - dp.started_at >= dp.promote_after_us) {
      // Promote: the canaries become ordinary new-version replicas and a rolling update
      // replaces the rest.
      for (auto& r : d.replicas) if (r.canary && r.state != RState::Stopped) r.canary = false;
      dp.kind = Deployment::Kind::Rolling;
      dp.status = "progressing";
      note(*g, kNoNode, "deploy", qualified(*g, sys, d.spec.name) + " canary " + dp.to_version + " promoted");
    }
  }
}

void progress_bluegreen(const std::shared_ptr<Graph>& g, int sys, int dep) {
  DeployableRt& d = g->systems[static_cast<size_t>(sys)].deps[static_cast<size_t>(dep)];
  Deployment& dp = d.deploy;
  const int green = 1 - d.active_color;
  int ready = 0, total = 0;
  for (const auto& r : d.replicas) {
    if (r.color != green || r.canary) continue;
    if (r.state == RState::Ready) { ready++; total++; }
    else if (r.state == RState::Starting) total++;
  }
  while (total < d.desired) {
    launch_replica(g, sys, dep, dp.to_version, false, green);
    total++;
  }
  reconcile_count(g, sys, dep);
  if (ready >= d.desired) {
    d.active_color = green;
    d.version = dp.to_version;
    dp.status = "switched";
    note(*g, kNoNode, "deploy", qualified(*g, sys, d.spec.name) + " switched to " +
                                    (green ? std::string("green ") : std::string("blue ")) + dp.to_version);
  }
}

void health_checks(Graph& g, int sys, int dep) {
  DeployableRt& d = g.systems[static_cast<size_t>(sys)].deps[static_cast<size_t>(dep)];
  for (auto& r : d.replicas) {
    if (r.state != RState::Ready && r.state != RState::Draining) continue;
    const bool pass = g.world->node(r.node).status == NodeStatus::Up;
    if (pass) {
      r.health_fail = 0;
      r.health_ok++;
      if (r.ejected && r.health_ok >= d.spec.healthy_threshold) {
        r.ejected = false;
        note(g, r.node, "lb", "re-admitted after " + std::to_string(r.health_ok) + " passed health checks");
      }
    } else {
      r.health_ok = 0;
      r.health_fail++;
      if (!r.ejected && r.health_fail >= d.spec.unhealthy_threshold) {
        r.ejected = true;
        note(g, r.node, "lb", "ejected after " + std::to_string(r.health_fail) + " failed health checks");
      }
    }
  }
}

void autoscale(Graph& g, int sys, int dep) {
  DeployableRt& d = g.systems[static_cast<size_t>(sys)].deps[static_cast<size_t>(dep)];
  const Time now = g.world->now();
  const Time elapsed = now - d.last_sync_us;
  int ready = 0, current = 0;
  Time busy = 0;
  for (auto& r : d.replicas) {
    if (r.color != d.active_color || r.canary) { r.cpu_busy_us = 0; continue; }
    if (r.state == RState::Ready) {
      ready++;
      current++;
      busy += r.cpu_busy_us;
    } else if (r.state == RState::Starting) {
      current++;
    }
    r.cpu_busy_us = 0;
  }
  d.last_sync_us = now;
  d.last_cpu = (ready > 0 && elapsed > 0)
                   ? static_cast<double>(busy) / (static_cast<double>(elapsed) * ready *
                                                  (d.spec.cores > 0 ? d.spec.cores : d.spec.workers))
                   : 0.0;
  if (!d.autoscale_on) return;
  const int rec = d.hpa.recommend(now, d.desired, std::min(ready, d.desired), d.last_cpu);
  (void)current;
  if (rec != d.desired) {
    note(g, kNoNode, "autoscale", qualified(g, sys, d.spec.name) + " " + std::to_string(d.desired) + " -> " +
                                      std::to_string(rec) + " replicas (cpu " + num(d.last_cpu) + ", target " +
                                      num(d.hpa.config().target_utilization) + ")");
    d.desired = rec;
    d.desired_history.emplace_back(now, rec);
  }
}

// The kubelet: a serving replica whose process died (a `crash node=` Command) is restarted
// after its start-up time plus CrashLoopBackOff. It stays "ready" in the model, so the load
// balancer's health checks decide when it gets traffic again.
void restart_crashed(Graph& g, int sys, int dep) {
  DeployableRt& d = g.systems[static_cast<size_t>(sys)].deps[static_cast<size_t>(dep)];
  for (auto& r : d.replicas) {
    if (r.state != RState::Ready || g.world->node(r.node).status != NodeStatus::Crashed) continue;
    r.restarts++;
    Time backoff = 10'000'000;
    for (int i = 1; i < r.restarts && backoff < 300'000'000; i++) backoff *= 2;
    backoff = std::min<Time>(backoff, 300'000'000);
    g.world->restart(r.node, d.spec.startup_us + backoff);
    note(g, r.node, "kubelet", "restarting crashed replica in " + num((d.spec.startup_us + backoff) / 1e6) + " s");
  }
}

void finish_drains(Graph& g, int sys, int dep) {
  DeployableRt& d = g.systems[static_cast<size_t>(sys)].deps[static_cast<size_t>(dep)];
  const Time now = g.world->now();
  for (auto& r : d.replicas) {
    if (r.state != RState::Draining) continue;
    const bool idle = r.outstanding == 0 && r.running == 0 && r.queued == 0;
    if (idle || now - r.state_since >= 30'000'000) {   // terminationGracePeriodSeconds = 30
      g.world->crash(r.node);
      r.state = RState::Stopped;
      r.state_since = now;
    }
  }
}

}  // namespace

void controller_tick(const std::shared_ptr<Graph>& g) {
  World& w = *g->world;
  const Time now = w.now();
  for (size_t si = 0; si < g->systems.size(); si++) {
    SystemRt& s = g->systems[si];
    const int sys = static_cast<int>(si);
    for (size_t di = 0; di < s.deps.size(); di++) {
      DeployableRt& d = s.deps[di];
      const int dep = static_cast<int>(di);
      if (d.spec.health_checks && now >= d.next_health_us) {
        health_checks(*g, sys, dep);
        d.next_health_us = now + d.spec.health_interval_us;
      }
      if (now >= d.next_sync_us) {
        autoscale(*g, sys, dep);
        d.next_sync_us = now + d.hpa.config().sync_period_us;
      }
      Deployment& dp = d.deploy;
      const bool progressing = dp.status == "progressing";
      if (progressing && dp.kind == Deployment::Kind::Rolling) progress_rolling(g, sys, dep);
      else if (progressing && dp.kind == Deployment::Kind::Canary) progress_canary(g, sys, dep);
      else if (progressing && dp.kind == Deployment::Kind::BlueGreen) progress_bluegreen(g, sys, dep);
      else reconcile_count(g, sys, dep);
      finish_drains(*g, sys, dep);
      restart_crashed(*g, sys, dep);
    }
  }
  // Chart series: sample_series(), called by the World at its sample boundaries (not here).
  std::shared_ptr<Graph> gg = g;
  w.schedule(now + 250'000, [gg](World&) { controller_tick(gg); });
}

// The services' chart series, at every World sample boundary from t = 0 (250 ms): per
// deployable replicas, queue and error_rate; per request type rps, p50_ms, p99_ms and
// success_rate; and a "breaker_open" mark when an edge's breaker has opened since the last
// boundary. The windowed values use the system's window (spec.window_us), the one the lesson
// value keys (p99_ms.checkout, error_rate.payment, ...) use, so a chart shows what a lesson's
// condition reads. (The windows count whole seconds: a one-second window read at a whole
// second would hold only the second just begun, nearly empty.) Only rps differs in the first
// window: it divides by the time elapsed, not by the whole window, so the first second does
// not read as a tenth of the load. A sampler only reads: it is not a queue event, so traces
// are the same with or without it.
void sample_series(const Graph& g, World& w, std::vector<std::vector<uint8_t>>* breakers) {
  const Time now = w.now();
  breakers->resize(g.systems.size());
  for (size_t si = 0; si < g.systems.size(); si++) {
    const SystemRt& s = g.systems[si];
    const int sys = static_cast<int>(si);
    const Time win = s.spec.window_us;
    const double rps_scale = now > 0 && now < win ? static_cast<double>(win) / static_cast<double>(now) : 1.0;
    for (const auto& d : s.deps) {
      const std::string p = "svc." + qualified(g, sys, d.spec.name) + ".";
      int ready = 0, queued = 0;
      for (const auto& r : d.replicas) {
        if (r.state == RState::Ready) ready++;
        queued += r.state == RState::Stopped ? 0 : r.queued;
      }
      w.metrics().sample(p + "replicas", now, ready);
      w.metrics().sample(p + "queue", now, queued);
      const auto sum = d.window.summary(now, win);
      w.metrics().sample(p + "error_rate", now, 1.0 - sum.success_rate);
    }
    for (const auto& t : s.types) {
      const std::string p = "svc." + qualified(g, sys, t.spec.name) + ".";
      const auto sum = t.window.summary(now, win);
      w.metrics().sample(p + "success_rate", now, sum.success_rate);
      w.metrics().sample(p + "p50_ms", now, sum.p50_ms);
      w.metrics().sample(p + "p99_ms", now, sum.p99_ms);
      w.metrics().sample(p + "rps", now, sum.rate_per_s * rps_scale);
    }
    auto& seen = (*breakers)[si];
    seen.resize(s.edges.size(), static_cast<uint8_t>(BreakerState::Closed));
    for (size_t e = 0; e < s.edges.size(); e++) {
      const EdgeRt& ed = s.edges[e];
      const auto st = static_cast<uint8_t>(ed.effective().breaker ? ed.breaker.state_at(now) : BreakerState::Closed);
      if (st == static_cast<uint8_t>(BreakerState::Open) && seen[e] != st) {
        std::string edge = qualified(g, sys, ed.from) + "->" + ed.to;
        w.metrics().mark(now, "breaker_open", "breaker " + edge, edge);
      }
      seen[e] = st;
    }
  }
}

std::string start_deploy(const std::shared_ptr<Graph>& g, int sys, int dep, Deployment dp,
                         const std::string& strategy) {
  DeployableRt& d = g->systems[static_cast<size_t>(sys)].deps[static_cast<size_t>(dep)];
  if (d.deploy.status == "progressing")
    return "a deployment of " + d.spec.name + " is in progress (" + d.deploy.to_version +
           "); wait for it or roll it back first";
  if (strategy == "rolling") dp.kind = Deployment::Kind::Rolling;
  else if (strategy == "canary") dp.kind = Deployment::Kind::Canary;
  else if (strategy == "bluegreen") dp.kind = Deployment::Kind::BlueGreen;
  else return unknown_name_error("strategy", strategy, {"rolling", "canary", "bluegreen"});
  if (dp.to_version == d.version && dp.kind != Deployment::Kind::Canary)
    return d.spec.name + " already runs " + dp.to_version;
  if (dp.kind == Deployment::Kind::Rolling && dp.max_surge == 0 && dp.max_unavailable == 0)
    return "max_surge and max_unavailable cannot both be 0";
  dp.from_version = d.version;
  dp.started_at = g->world->now();
  dp.status = "progressing";
  // The idle colour of an earlier blue-green deployment goes away first.
  for (size_t i = 0; i < d.replicas.size(); i++)
    if (d.replicas[i].color != d.active_color) drain_replica(*g, sys, dep, static_cast<int>(i));
  d.deploy = dp;
  note(*g, kNoNode, "deploy", qualified(*g, sys, d.spec.name) + " " + dp.from_version + " -> " +
                                  dp.to_version + " (" + strategy + ")");
  return "";
}

}  // namespace detail

}  // namespace topo::svc
