// Building a services world (build_services_world: specs -> the runtime graph, the replica and
// client nodes, the controller's timer, the Commands and the chart series) and the
// ServicesModel's own methods. See services.h for the overview.

#include "models/services/internal.h"
#include "models/services/services.h"

namespace topo::svc {

std::string build_services_world(World& w, std::vector<SystemSpec> specs) {
  auto g = std::make_shared<Graph>();
  g->world = &w;
  for (size_t si = 0; si < specs.size(); si++) {
    SystemSpec& sp = specs[si];
    SystemRt s;
    s.name = sp.name;
    s.spec = sp;
    for (const auto& d : sp.deployables) {
      DeployableRt dr;
      dr.spec = d;
      dr.desired = d.replicas;
      dr.version = d.version;
      dr.versions = d.versions;
      if (dr.versions.empty()) dr.versions.push_back(VersionSpec{d.version, 1.0, 0.0});
      dr.autoscale_on = d.autoscale_on;
      dr.hpa = Hpa(d.autoscale);
      dr.next_sync_us = d.autoscale.sync_period_us;
      s.deps.push_back(std::move(dr));
    }
    for (const auto& m : sp.modules) {
      ModuleRt mr;
      mr.spec = m;
      mr.dep = s.find_dep(m.deployable);
      if (mr.dep < 0) return "module " + m.name + ": unknown deployable " + m.deployable;
      mr.is_queue = m.is_queue;
      auto it = sp.slow.find(m.name);
      if (it != sp.slow.end()) mr.slow = it->second;
      auto f = sp.faults.find(m.name);
      if (f != sp.faults.end()) mr.fault = f->second;
      s.deps[static_cast<size_t>(mr.dep)].modules.push_back(static_cast<int>(s.modules.size()));
      s.modules.push_back(mr);
    }
    for (const auto& [from, to] : sp.call_edges()) {
      EdgeRt e;
      e.from = from;
      e.to = to;
      e.from_module = from == "client" ? -1 : s.find_module(from);
      e.to_module = s.find_module(to);
      e.to_dep = s.modules[static_cast<size_t>(e.to_module)].dep;
      auto it = sp.edges.find({from, to});
      if (it != sp.edges.end()) e.configured = it->second;
      e.enabled = sp.resilience;
      e.breaker = CircuitBreaker(e.configured.breaker_cfg);
      e.budget.configure(e.configured.retry_budget);
      s.edges.push_back(std::move(e));
    }
    for (const auto& t : sp.types) {
      TypeRt tr;
      tr.spec = t;
      tr.rps = t.rps;
      struct Flat {
        SystemRt* s;
        TypeRt* t;
        int go(const CallSpec& c, int parent_module) {
          CallRt cr;
          cr.module = s->find_module(c.module);
          cr.dep = s->modules[static_cast<size_t>(cr.module)].dep;
          if (parent_module < 0) {
            cr.edge = s->find_edge("client", c.module);
          } else if (s->modules[static_cast<size_t>(parent_module)].dep != cr.dep) {
            cr.edge = s->find_edge(s->modules[static_cast<size_t>(parent_module)].spec.name, c.module);
          }
          cr.probability = c.probability;
          const int idx = static_cast<int>(t->calls.size());
          t->calls.push_back(cr);
          for (const auto& ch : c.children) {
            const int ci = go(ch, cr.module);
            t->calls[static_cast<size_t>(idx)].children.push_back(ci);
            // Alternatives (`a|b`): called by the same parent, linked, not children.
            int prev = ci;
            for (const CallSpec* alt = ch.otherwise.empty() ? nullptr : &ch.otherwise.front(); alt;
                 alt = alt->otherwise.empty() ? nullptr : &alt->otherwise.front()) {
              const int ai = go(*alt, cr.module);
              t->calls[static_cast<size_t>(prev)].otherwise = ai;
              prev = ai;
            }
          }
          return idx;
        }
      } flat{&s, &tr};
      flat.go(t.root, -1);
      s.types.push_back(std::move(tr));
    }
    g->systems.push_back(std::move(s));
  }
  // Nodes: replicas first, then the load generator of each system.
  for (size_t si = 0; si < g->systems.size(); si++) {
    SystemRt& s = g->systems[si];
    for (size_t di = 0; di < s.deps.size(); di++) {
      for (int k = 0; k < s.deps[di].desired; k++)
        detail::launch_replica(g, static_cast<int>(si), static_cast<int>(di), s.deps[di].version, false, 0);
    }
  }
  for (size_t si = 0; si < g->systems.size(); si++) {
    const int sys = static_cast<int>(si);
    std::shared_ptr<Graph> gg = g;
    const std::string name = g->multi() ? "clients-" + g->systems[si].name : "clients";
    g->systems[si].client = w.add_node(name, "client", [gg, sys](NodeId, Persistent*) {
      return detail::make_client_process(gg, sys);
    });
  }
  for (size_t si = 0; si < g->systems.size(); si++) {
    const SystemRt& s = g->systems[si];
    if (s.spec.faults_at_us <= 0) continue;   // replicas arm them in on_start
    for (size_t m = 0; m < s.modules.size(); m++) {
      if (s.modules[m].fault.kind != FaultSpec::Kind::CrashLoop) continue;
      std::shared_ptr<Graph> gg = g;
      const int sys = static_cast<int>(si), mod = static_cast<int>(m);
      w.schedule(s.spec.faults_at_us, [gg, sys, mod](World&) { detail::arm_crash_loop(gg, sys, mod); });
    }
  }
  detail::register_commands(w, g);
  w.add_model(std::make_unique<ServicesModel>(g));
  std::shared_ptr<Graph> gg = g;
  w.schedule(0, [gg](World&) { detail::controller_tick(gg); });
  for (size_t si = 0; si < g->systems.size(); si++) {   // known before the first point
    const auto& s = g->systems[si];
    const int sys = static_cast<int>(si);
    for (const auto& d : s.deps)
      for (const char* k : {"replicas", "queue", "error_rate"})
        w.metrics().declare_series("svc." + detail::qualified(*g, sys, d.spec.name) + "." + k);
    for (const auto& t : s.types)
      for (const char* k : {"success_rate", "p50_ms", "p99_ms", "rps"})
        w.metrics().declare_series("svc." + detail::qualified(*g, sys, t.spec.name) + "." + k);
  }
  auto breakers = std::make_shared<std::vector<std::vector<uint8_t>>>();
  w.add_sampler([gg, breakers](World& world) { detail::sample_series(*gg, world, breakers.get()); });
  return "";
}

void ServicesModel::reset_stats() {
  for (auto& s : g_->systems) {
    for (auto& d : s.deps) {
      d.served = d.failed = d.rejected = 0;
      d.latency.clear();
      d.latency_ok.clear();
      d.window.clear();
    }
    for (auto& e : s.edges) {
      e.calls = e.ok = e.failed = e.attempts = e.timeouts = e.retries = 0;
      e.rejected_breaker = e.rejected_bulkhead = e.fallbacks = 0;
      e.latency.clear();
      e.latency_ok.clear();
      e.window.clear();
    }
    for (auto& t : s.types) {
      t.requests = t.ok = t.failed = t.good = 0;
      t.latency.clear();
      t.latency_ok.clear();
      t.window.clear();
    }
  }
}

}  // namespace topo::svc
