// Load balancing and the replica lifecycle of the service model: picking a replica for a call
// (LB policy, canary weight, blue-green colour, ejected replicas), launching, draining and
// crashing replicas (CrashLoopBackOff), and crash-loop faults; plus the small shared helpers
// `num` and `qualified`. See services.h for the overview.
#include <algorithm>

#include "models/services/internal.h"
#include "models/services/services.h"
#include "util/format.h"

namespace topo::svc {

using detail::num;

namespace detail {

std::string num(double v) { return util::format_json_number(v); }

std::string qualified(const Graph& g, int sys, const std::string& name) {
  if (!g.multi()) return name;
  return g.systems[static_cast<size_t>(sys)].name + "/" + name;
}

int pick_replica(Graph& g, int sys, int dep, Rng& rng) {
  DeployableRt& d = g.systems[static_cast<size_t>(sys)].deps[static_cast<size_t>(dep)];
  std::vector<int> stable, canary;
  for (size_t i = 0; i < d.replicas.size(); i++) {
    const ReplicaRt& r = d.replicas[i];
    if (r.state != RState::Ready || r.color != d.active_color) continue;
    if (d.spec.health_checks && r.ejected) continue;
    (r.canary ? canary : stable).push_back(static_cast<int>(i));
  }
  const std::vector<int>* pool = &stable;
  if (!canary.empty()) {
    const bool to_canary = stable.empty() || rng.bernoulli(d.deploy.weight);
    if (to_canary) pool = &canary;
  }
  if (pool->empty()) return -1;
  const auto& p = *pool;
  int chosen = p[0];
  const size_t n = p.size();
  switch (d.spec.lb) {
    case LbPolicy::RoundRobin:
      chosen = p[d.rr_cursor++ % n];
      break;
    case LbPolicy::LeastOutstanding: {
      const size_t start = d.rr_cursor++ % n;
      chosen = p[start];
      for (size_t k = 1; k < n; k++) {
        const int c = p[(start + k) % n];
        if (d.replicas[static_cast<size_t>(c)].outstanding < d.replicas[static_cast<size_t>(chosen)].outstanding) chosen = c;
      }
      break;
    }
    case LbPolicy::PowerOfTwo: {
      if (n == 1) break;
      const int64_t a = rng.uniform_int(0, static_cast<int64_t>(n) - 1);
      int64_t b = rng.uniform_int(0, static_cast<int64_t>(n) - 2);
      if (b >= a) b++;
      const int ra = p[static_cast<size_t>(a)], rb = p[static_cast<size_t>(b)];
      chosen = d.replicas[static_cast<size_t>(rb)].outstanding < d.replicas[static_cast<size_t>(ra)].outstanding ? rb : ra;
      break;
    }
  }
  if (d.deploy.kind != Deployment::Kind::None) {
    d.deploy.picks++;
    if (d.replicas[static_cast<size_t>(chosen)].version == d.deploy.to_version) d.deploy.picks_new++;
  }
  return chosen;
}

void launch_replica(const std::shared_ptr<Graph>& g, int sys, int dep, const std::string& version,
                    bool canary, int color) {
  World& w = *g->world;
  SystemRt& s = g->systems[static_cast<size_t>(sys)];
  DeployableRt& d = s.deps[static_cast<size_t>(dep)];
  int idx = -1;
  for (size_t i = 0; i < d.replicas.size(); i++)
    if (d.replicas[i].state == RState::Stopped) { idx = static_cast<int>(i); break; }
  const bool fresh = idx < 0;
  if (fresh) {
    ReplicaRt r;
    r.number = static_cast<int>(d.replicas.size()) + 1;
    d.replicas.push_back(r);
    idx = static_cast<int>(d.replicas.size()) - 1;
  }
  ReplicaRt& r = d.replicas[static_cast<size_t>(idx)];
  r.version = version;
  r.canary = canary;
  r.color = color;
  r.outstanding = 0;
  r.health_fail = r.health_ok = 0;
  r.ejected = false;
  r.memory_mb = 0;
  r.cpu_busy_us = 0;
  r.restarts = 0;
  r.state = RState::Starting;
  r.state_since = w.now();
  if (w.started()) d.starts++;
  if (fresh) {
    std::shared_ptr<Graph> gg = g;
    const int rep = idx;
    std::string name = d.spec.name + "-" + std::to_string(r.number);
    const std::string role = std::string(d.spec.is_queue ? "queue:" : "service:") + d.spec.name;
    r.node = w.add_node(name, role, [gg, sys, dep, rep](NodeId, Persistent*) {
      return make_replica_process(gg, sys, dep, rep);
    });
    w.mutable_node(r.node).cores = d.spec.cores > 0 ? d.spec.cores : d.spec.workers;
    w.mutable_node(r.node).version = version;
    if (w.started()) {
      // add_node started it at once: a new replica needs its start-up time first.
      d.replicas[static_cast<size_t>(idx)].state = RState::Starting;
      w.restart(r.node, d.spec.startup_us);
    } else {
      r.state = RState::Starting;   // on_start (at World::start) makes it ready at t = 0
    }
  } else {
    w.mutable_node(r.node).cores = d.spec.cores > 0 ? d.spec.cores : d.spec.workers;
    w.mutable_node(r.node).version = version;
    w.restart(r.node, d.spec.startup_us);
  }
}

void drain_replica(Graph& g, int sys, int dep, int rep) {
  ReplicaRt& r = g.systems[static_cast<size_t>(sys)].deps[static_cast<size_t>(dep)].replicas[static_cast<size_t>(rep)];
  if (r.state == RState::Stopped || r.state == RState::Draining) return;
  if (r.state == RState::Starting) {   // never served: stop it now
    g.world->crash(r.node);
    r.state = RState::Stopped;
  } else {
    r.state = RState::Draining;
  }
  r.state_since = g.world->now();
}

void crash_replica(Graph& g, int sys, int dep, int rep, const std::string& reason) {
  World& w = *g.world;
  DeployableRt& d = g.systems[static_cast<size_t>(sys)].deps[static_cast<size_t>(dep)];
  ReplicaRt& r = d.replicas[static_cast<size_t>(rep)];
  if (w.node(r.node).status != NodeStatus::Up) return;
  r.restarts++;
  // Kubernetes CrashLoopBackOff: 10 s, 20 s, 40 s, ... capped at 5 minutes.
  Time backoff = 10'000'000;
  for (int i = 1; i < r.restarts && backoff < 300'000'000; i++) backoff *= 2;
  backoff = std::min<Time>(backoff, 300'000'000);
  w.trace().record(TraceEvent{w.now(), TraceKind::Note, r.node, -1, 0, 0, 0, "crash", reason});
  const RState before = r.state;
  w.restart(r.node, d.spec.startup_us + backoff);
  r.memory_mb = 0;
  r.running = r.queued = 0;
  if (before == RState::Ready) r.state = RState::Starting;
  r.state_since = w.now();
}

void arm_crash_loop(const std::shared_ptr<Graph>& g, int sys, int m) {
  World& world = *g->world;
  SystemRt& s = g->systems[static_cast<size_t>(sys)];
  const ModuleRt& mod = s.modules[static_cast<size_t>(m)];
  DeployableRt& d = s.deps[static_cast<size_t>(mod.dep)];
  for (size_t ri = 0; ri < d.replicas.size(); ri++) {
    const ReplicaRt& r = d.replicas[ri];
    if (r.state != RState::Ready && r.state != RState::Draining) continue;
    if (world.node(r.node).status != NodeStatus::Up) continue;
    const Time up_us = std::max<Time>(100'000, static_cast<Time>(world.rng().exponential(static_cast<double>(mod.fault.crash_uptime_us))));
    const uint32_t inc = world.node(r.node).incarnation;
    const NodeId node = r.node;
    const int dep = mod.dep, rep = static_cast<int>(ri);
    std::shared_ptr<Graph> gg = g;
    world.schedule(world.now() + up_us, [gg, sys, m, dep, rep, inc, node](World& w2) {
      if (w2.node(node).incarnation != inc) return;
      if (gg->systems[static_cast<size_t>(sys)].modules[static_cast<size_t>(m)].fault.kind != FaultSpec::Kind::CrashLoop) return;
      crash_replica(*gg, sys, dep, rep, "crash loop: process exited");
    });
  }
}


}  // namespace detail

}  // namespace topo::svc
