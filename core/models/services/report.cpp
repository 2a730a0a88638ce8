// What the service model shows: state_json for the UI (services, replicas with version, status
// and queue depth, edges with breaker states, request types), Model::value keys for lessons
// (documented in services.h) and the JSON lines of `topolab-cli run --metrics`.
#include <algorithm>
#include <sstream>

#include "models/services/internal.h"
#include "scenario/json.h"

namespace topo::svc {

using detail::num;

namespace {

struct ServiceView {
  int ready = 0, starting = 0, queued = 0;
  double memory_mb = 0;
};

ServiceView view(const DeployableRt& d) {
  ServiceView v;
  for (const auto& r : d.replicas) {
    if (r.state == RState::Ready && r.color == d.active_color) v.ready++;
    if (r.state == RState::Starting) v.starting++;
    if (r.state != RState::Stopped) v.queued += r.queued;
    v.memory_mb = std::max(v.memory_mb, r.memory_mb);
  }
  return v;
}

double burn(const TypeRt& t, const RollingWindow::Summary& s) {
  const double budget = 1.0 - t.spec.slo_target;
  if (s.count == 0 || budget <= 0) return 0;
  return (1.0 - s.success_rate) / budget;
}

double budget_remaining(const TypeRt& t) {
  const int64_t done = t.ok + t.failed;
  const double budget = (1.0 - t.spec.slo_target) * static_cast<double>(done);
  if (done == 0 || budget <= 0) return 1.0;
  return 1.0 - static_cast<double>(done - t.good) / budget;
}

/// A fraction as a percentage rounded to 0.1 (for lesson text): 0.98765 -> 98.8.
double pct(double fraction) {
  return static_cast<double>(static_cast<int64_t>(fraction * 1000.0 + 0.5)) / 10.0;
}

double q_ms(const Histogram& h, double q) { return h.count() ? static_cast<double>(h.quantile(q)) / 1000.0 : 0.0; }

}  // namespace

std::string ServicesModel::state_json() const {
  const Graph& g = *g_;
  const World& w = *g.world;
  const Time now = w.now();
  std::ostringstream o;
  o << "{\"systems\":[";
  for (size_t si = 0; si < g.systems.size(); si++) {
    const SystemRt& s = g.systems[si];
    if (si) o << ",";
    o << "{\"name\":" << json_quote(s.name) << ",\"services\":[";
    for (size_t di = 0; di < s.deps.size(); di++) {
      const DeployableRt& d = s.deps[di];
      const auto sum = d.window.summary(now, s.spec.window_us);
      const ServiceView v = view(d);
      if (di) o << ",";
      o << "{\"name\":" << json_quote(d.spec.name) << ",\"kind\":\"" << (d.spec.is_queue ? "queue" : "service")
        << "\",\"modules\":[";
      for (size_t k = 0; k < d.modules.size(); k++) {
        const ModuleRt& m = s.modules[static_cast<size_t>(d.modules[k])];
        o << (k ? "," : "") << "{\"name\":" << json_quote(m.spec.name) << ",\"slow\":" << num(m.slow)
          << ",\"fault\":\"" << to_string(m.fault.kind) << "\"}";
      }
      o << "],\"desired\":" << d.desired << ",\"ready\":" << v.ready << ",\"version\":" << json_quote(d.version)
        << ",\"lb\":\"" << to_string(d.spec.lb) << "\",\"health_checks\":" << (d.spec.health_checks ? "true" : "false")
        << ",\"workers\":" << d.spec.workers << ",\"queue_limit\":" << d.spec.queue_limit
        << ",\"autoscale\":{\"on\":" << (d.autoscale_on ? "true" : "false") << ",\"min\":" << d.hpa.config().min_replicas
        << ",\"max\":" << d.hpa.config().max_replicas << ",\"target_cpu\":" << num(d.hpa.config().target_utilization)
        << ",\"cpu\":" << num(d.last_cpu) << "}"
        << ",\"deployment\":{\"strategy\":\""
        << (d.deploy.kind == Deployment::Kind::Rolling ? "rolling" : d.deploy.kind == Deployment::Kind::Canary ? "canary"
            : d.deploy.kind == Deployment::Kind::BlueGreen ? "bluegreen" : "none")
        << "\",\"status\":" << json_quote(d.deploy.status) << ",\"from\":" << json_quote(d.deploy.from_version)
        << ",\"to\":" << json_quote(d.deploy.to_version) << ",\"weight\":" << num(d.deploy.weight)
        << ",\"active_color\":\"" << (d.active_color ? "green" : "blue") << "\"}"
        << ",\"rps\":" << num(sum.rate_per_s) << ",\"error_rate\":" << num(1 - sum.success_rate)
        << ",\"p99_ms\":" << num(sum.p99_ms) << ",\"queue_depth\":" << v.queued << ",\"replicas\":[";
      for (size_t ri = 0; ri < d.replicas.size(); ri++) {
        const ReplicaRt& r = d.replicas[ri];
        if (ri) o << ",";
        o << "{\"node\":" << json_quote(w.node(r.node).name) << ",\"version\":" << json_quote(r.version)
          << ",\"status\":\"" << to_string(r.state) << "\",\"node_status\":\"" << to_string(w.node(r.node).status)
          << "\",\"running\":" << r.running << ",\"queue\":" << r.queued << ",\"outstanding\":" << r.outstanding
          << ",\"ejected\":" << (r.ejected ? "true" : "false") << ",\"canary\":" << (r.canary ? "true" : "false")
          << ",\"color\":\"" << (r.color ? "green" : "blue") << "\",\"serving\":"
          << (r.color == d.active_color && r.state == RState::Ready && !r.ejected ? "true" : "false")
          << ",\"memory_mb\":" << num(r.memory_mb) << ",\"restarts\":" << r.restarts << "}";
      }
      o << "]}";
    }
    o << "],\"edges\":[";
    for (size_t ei = 0; ei < s.edges.size(); ei++) {
      const EdgeRt& e = s.edges[ei];
      const EdgePolicy p = e.effective();
      const auto sum = e.window.summary(now, s.spec.window_us);
      if (ei) o << ",";
      o << "{\"from\":" << json_quote(e.from) << ",\"to\":" << json_quote(e.to) << ",\"enabled\":"
        << (e.enabled ? "true" : "false") << ",\"timeout_ms\":" << num(p.timeout_us / 1000.0) << ",\"retries\":" << p.retries
        << ",\"retry_budget\":" << num(p.retry_budget) << ",\"breaker\":" << (p.breaker ? "true" : "false")
        << ",\"breaker_state\":\"" << (p.breaker ? to_string(e.breaker.state_at(now)) : "off")
        << "\",\"bulkhead\":" << p.bulkhead << ",\"fallback\":" << (p.fallback ? "true" : "false")
        << ",\"retries_in_flight\":" << e.retries_in_flight << ",\"rps\":" << num(sum.rate_per_s)
        << ",\"error_rate\":" << num(1 - sum.success_rate) << "}";
    }
    o << "],\"request_types\":[";
    for (size_t ti = 0; ti < s.types.size(); ti++) {
      const TypeRt& t = s.types[ti];
      const auto sum = t.window.summary(now, s.spec.window_us);
      if (ti) o << ",";
      o << "{\"name\":" << json_quote(t.spec.name) << ",\"rps_target\":" << num(t.rate_at(now))
        << ",\"rps\":" << num(sum.rate_per_s) << ",\"success_rate\":" << num(sum.success_rate)
        << ",\"p50_ms\":" << num(sum.p50_ms) << ",\"p99_ms\":" << num(sum.p99_ms)
        << ",\"slo\":" << num(t.spec.slo_target) << ",\"burn\":" << num(burn(t, sum)) << "}";
    }
    o << "]}";
  }
  o << "]}";
  return o.str();
}

std::optional<double> ServicesModel::value(std::string_view key_in) const {
  const Graph& g = *g_;
  if (g.systems.empty()) return std::nullopt;
  std::string key(key_in);
  const SystemRt* s = &g.systems.front();
  const size_t slash = key.find('/');
  if (slash != std::string::npos) {
    if (!g.multi()) return std::nullopt;   // "SYSTEM/KEY" only where there are several systems
    const std::string sys = key.substr(0, slash);
    s = nullptr;
    for (const auto& x : g.systems) if (x.name == sys) s = &x;
    if (!s) return std::nullopt;
    key = key.substr(slash + 1);
  }
  const Time now = g.world->now();
  const Time win = s->spec.window_us;
  if (key == "deployables") return static_cast<double>(s->deps.size());
  if (key == "replicas_total") {
    int n = 0;
    for (const auto& d : s->deps) n += view(d).ready;
    return static_cast<double>(n);
  }
  if (key == "cores_total") {
    double n = 0;
    for (const auto& d : s->deps) n += view(d).ready * (d.spec.cores > 0 ? d.spec.cores : d.spec.workers);
    return n;
  }
  if (key == "success_pct") {
    auto v = value(slash == std::string::npos ? "success_rate" : s->name + "/success_rate");
    return v ? pct(*v) : v;
  }
  if (key == "success_rate" || key == "availability") {
    int64_t ok = 0, all = 0;
    for (const auto& t : s->types) {
      const auto sum = t.window.summary(now, win);
      ok += sum.ok;
      all += sum.count;
    }
    return all ? static_cast<double>(ok) / static_cast<double>(all) : 1.0;
  }
  const size_t dot = key.find('.');
  if (dot == std::string::npos) return std::nullopt;
  const std::string metric = key.substr(0, dot), subject = key.substr(dot + 1);
  // edges: A->B
  const size_t arrow = subject.find("->");
  if (arrow != std::string::npos) {
    const int e = s->find_edge(subject.substr(0, arrow), subject.substr(arrow + 2));
    if (e < 0) return std::nullopt;
    const EdgeRt& ed = s->edges[static_cast<size_t>(e)];
    if (metric == "breaker") {
      if (!ed.effective().breaker) return 0.0;
      return static_cast<double>(static_cast<int>(ed.breaker.state_at(now)));
    }
    if (metric == "retries_in_flight") return static_cast<double>(ed.retries_in_flight);
    if (metric == "calls") return static_cast<double>(ed.calls);
    if (metric == "attempts") return static_cast<double>(ed.attempts);
    if (metric == "retries") return static_cast<double>(ed.retries);
    if (metric == "fallbacks") return static_cast<double>(ed.fallbacks);
    if (metric == "timeout_ms") return static_cast<double>(ed.effective().timeout_us) / 1000.0;
    if (metric == "bulkhead") return static_cast<double>(ed.effective().bulkhead);
    if (metric == "fallback") return ed.effective().fallback ? 1.0 : 0.0;
    if (metric == "breaker_on") return ed.effective().breaker ? 1.0 : 0.0;
    if (metric == "error_rate") return 1.0 - ed.window.summary(now, win).success_rate;
    return std::nullopt;
  }
  const int ti = s->find_type(subject);
  if (ti >= 0) {
    const TypeRt& t = s->types[static_cast<size_t>(ti)];
    if (metric == "requests") return static_cast<double>(t.requests);
    if (metric == "network_calls") {
      int n = 0;
      for (const auto& c : t.calls) n += c.edge >= 0 ? 1 : 0;
      return static_cast<double>(n);
    }
    if (metric == "error_budget_remaining") return budget_remaining(t);
    const auto sum = t.window.summary(now, win);
    if (metric == "success_rate") return sum.success_rate;
    if (metric == "success_pct") return pct(sum.success_rate);
    if (metric == "p50_ms") return sum.p50_ms;
    if (metric == "p95_ms") return sum.p95_ms;
    if (metric == "p99_ms") return sum.p99_ms;
    if (metric == "p50_ok_ms") return sum.p50_ok_ms;
    if (metric == "p99_ok_ms") return sum.p99_ok_ms;
    if (metric == "rps") return sum.rate_per_s;
    if (metric == "error_budget_burn") return burn(t, sum);
    // Not a request-type metric: "checkout" is also a service (replicas.checkout, ...).
  }
  int di = s->find_dep(subject);
  if (di < 0) {
    const int m = s->find_module(subject);
    if (m >= 0) di = s->modules[static_cast<size_t>(m)].dep;
  }
  if (di < 0) return std::nullopt;
  const DeployableRt& d = s->deps[static_cast<size_t>(di)];
  const ServiceView v = view(d);
  if (metric == "replicas") return static_cast<double>(v.ready);
  if (metric == "replicas_desired") return static_cast<double>(d.desired);
  if (metric == "queue") return static_cast<double>(v.queued);
  if (metric == "cpu") return d.last_cpu;
  if (metric == "memory_mb") return v.memory_mb;
  if (metric == "canary_traffic")
    return d.deploy.picks ? static_cast<double>(d.deploy.picks_new) / static_cast<double>(d.deploy.picks) : 0.0;
  if (metric == "rolled_back") return d.deploy.rolled_back ? 1.0 : 0.0;
  if (metric == "canary_pct")
    return d.deploy.picks ? pct(static_cast<double>(d.deploy.picks_new) / static_cast<double>(d.deploy.picks)) : 0.0;
  if (metric == "cores") return static_cast<double>(v.ready) * (d.spec.cores > 0 ? d.spec.cores : d.spec.workers);
  if (metric == "starts") return static_cast<double>(d.starts);
  if (metric == "autoscaling") return d.autoscale_on ? 1.0 : 0.0;
  if (metric == "cpu_pct") return static_cast<double>(static_cast<int64_t>(d.last_cpu * 100.0 + 0.5));
  if (metric == "deploying") return d.deploy.status == "progressing" ? 1.0 : 0.0;
  if (metric == "new_version") {
    if (d.deploy.kind == Deployment::Kind::None) return 0.0;
    int n = 0;
    for (const auto& r : d.replicas)
      if (r.state == RState::Ready && r.color == d.active_color && r.version == d.deploy.to_version) n++;
    return static_cast<double>(n);
  }
  const auto sum = d.window.summary(now, win);
  if (metric == "error_rate") return 1.0 - sum.success_rate;
  if (metric == "p99_ms") return sum.p99_ms;
  if (metric == "p50_ms") return sum.p50_ms;
  if (metric == "p99_ok_ms") return sum.p99_ok_ms;
  if (metric == "p50_ok_ms") return sum.p50_ok_ms;
  if (metric == "throughput") return sum.rate_per_s;
  return std::nullopt;
}

std::vector<ValueDecl> ServicesModel::value_decls() const {
  std::vector<ValueDecl> v = value_decl_table({
      {"success_rate", "fraction", "", "share of all requests that succeeded, last window (10 s)"},
      {"availability", "fraction", "", "the same as success_rate"},
      {"success_pct", "number", "%", "success_rate in percent, rounded for text"},
      {"deployables", "count", "", "deployable units (services, or 1 for the monolith)"},
      {"replicas_total", "count", "", "ready replicas of every deployable"},
      {"cores_total", "count", "", "CPU cores of every ready replica of every deployable (what the shop costs to run)"},
      {"success_rate.<type>", "fraction", "", "share of a request type's requests that succeeded, last window"},
      {"success_pct.<type>", "number", "%", "the same in percent"},
      {"p50_ms.<type>", "number", "ms", "median latency of a request type, failed and timed-out requests included"},
      {"p95_ms.<type>", "number", "ms", "95th percentile latency, failures included"},
      {"p99_ms.<type>", "number", "ms", "99th percentile latency, failures included"},
      {"p50_ok_ms.<type>", "number", "ms", "median latency of the successful requests only (0 if none)"},
      {"p99_ok_ms.<type>", "number", "ms", "99th percentile latency of the successful requests only (0 if none)"},
      {"rps.<type>", "number", "1/s", "requests per second, last window"},
      {"requests.<type>", "count", "", "requests sent since the start"},
      {"network_calls.<type>", "count", "", "network calls one request of the type makes"},
      {"error_budget_burn.<type>", "number", "x", "how fast the error budget burns (1 = exactly at the objective)"},
      {"error_budget_remaining.<type>", "number", "", "share of the error budget left (1 untouched, 0 spent, below 0 overspent)"},
      {"error_rate.<service>", "fraction", "", "share of a service's calls that failed, last window"},
      {"p50_ms.<service>", "number", "ms", "median latency of a service's calls, failures included"},
      {"p99_ms.<service>", "number", "ms", "99th percentile latency of a service's calls, failures included"},
      {"p50_ok_ms.<service>", "number", "ms", "median latency of a service's successful calls"},
      {"p99_ok_ms.<service>", "number", "ms", "99th percentile latency of a service's successful calls"},
      {"throughput.<service>", "number", "1/s", "calls per second, last window"},
      {"replicas.<service>", "count", "", "ready replicas"},
      {"replicas_desired.<service>", "count", "", "replicas wanted (scale, autoscaler)"},
      {"queue.<service>", "count", "", "requests queued at the replicas"},
      {"cpu.<service>", "number", "", "CPU utilisation, last controller period (1 = every core busy)"},
      {"cpu_pct.<service>", "number", "%", "CPU utilisation in percent, rounded"},
      {"memory_mb.<service>", "number", "MB", "memory of the replicas"},
      {"canary_traffic.<service>", "fraction", "", "share of calls that went to the new version during a deployment"},
      {"canary_pct.<service>", "number", "%", "the same in percent"},
      {"rolled_back.<service>", "bool", "", "1 if the last deployment was rolled back"},
      {"cores.<service>", "count", "", "ready replicas x cores"},
      {"starts.<service>", "count", "", "replicas started since the beginning"},
      {"autoscaling.<service>", "bool", "", "1 while the autoscaler is on"},
      {"deploying.<service>", "bool", "", "1 while a deployment progresses"},
      {"new_version.<service>", "count", "", "ready replicas on the deployment's new version"},
      {"breaker.<edge>", "enum", "", "the circuit breaker's state on the call edge A->B (closed when the breaker is off)", {"closed", "open", "half_open"}},
      {"breaker_on.<edge>", "bool", "", "1 if the edge has a circuit breaker"},
      {"retries_in_flight.<edge>", "count", "", "retries under way on the edge"},
      {"calls.<edge>", "count", "", "calls made on the edge"},
      {"attempts.<edge>", "count", "", "attempts (calls and retries)"},
      {"retries.<edge>", "count", "", "retries"},
      {"fallbacks.<edge>", "count", "", "failed calls answered with a fallback"},
      {"error_rate.<edge>", "fraction", "", "share of the edge's calls that failed, last window"},
      {"timeout_ms.<edge>", "number", "ms", "the edge's active call timeout"},
      {"bulkhead.<edge>", "count", "", "the edge's bulkhead (calls in flight at most, 0 = off)"},
      {"fallback.<edge>", "bool", "", "1 if the edge has a fallback"},
  });
  if (g_->multi()) {
    const size_t n = v.size();
    for (size_t i = 0; i < n; ++i) {
      ValueDecl d = v[i];
      d.pattern = "<system>/" + d.pattern;
      v.push_back(d);
    }
  }
  return v;
}

std::vector<std::string> ServicesModel::value_names(std::string_view placeholder) const {
  std::vector<std::string> out;
  auto add = [&](const std::string& n) {
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  };
  for (const auto& s : g_->systems) {
    if (placeholder == "system" && g_->multi()) add(s.name);
    if (placeholder == "type")
      for (const auto& t : s.types) add(t.spec.name);
    if (placeholder == "service" || placeholder == "deployable")
      for (const auto& d : s.deps) add(d.spec.name);
    if (placeholder == "service" || placeholder == "module")
      for (const auto& m : s.modules) add(m.spec.name);
    if (placeholder == "edge")
      for (const auto& e : s.edges) add(e.from + "->" + e.to);
  }
  return out;
}

void ServicesModel::report_metrics(std::ostream& out) const {
  const Graph& g = *g_;
  const World& w = *g.world;
  const Time now = w.now();
  for (const auto& s : g.systems) {
    const std::string sys = ",\"system\":" + json_quote(s.name);
    const double secs = now > 0 ? static_cast<double>(now) / 1e6 : 1.0;
    for (const auto& t : s.types) {
      const int64_t done = t.ok + t.failed;
      out << "{\"kind\":\"request_type\",\"name\":" << json_quote(t.spec.name) << ",\"requests\":" << t.requests
          << ",\"success_rate\":" << num(done ? static_cast<double>(t.ok) / static_cast<double>(done) : 1.0)
          << ",\"p50_ms\":" << num(q_ms(t.latency, 0.5)) << ",\"p99_ms\":" << num(q_ms(t.latency, 0.99))
          << ",\"p95_ms\":" << num(q_ms(t.latency, 0.95)) << ",\"mean_ms\":" << num(t.latency.mean() / 1000.0)
          << ",\"ok\":" << t.ok << ",\"failed\":" << t.failed << ",\"throughput\":" << num(static_cast<double>(t.ok) / secs)
          << ",\"slo\":" << num(t.spec.slo_target) << ",\"error_budget_remaining\":" << num(budget_remaining(t))
          << ",\"p50_ok_ms\":" << num(q_ms(t.latency_ok, 0.5)) << ",\"p99_ok_ms\":" << num(q_ms(t.latency_ok, 0.99)) << sys
          << "}\n";
    }
    for (const auto& d : s.deps) {
      const ServiceView v = view(d);
      out << "{\"kind\":\"service\",\"name\":" << json_quote(d.spec.name) << ",\"requests\":" << d.served
          << ",\"error_rate\":" << num(d.served ? static_cast<double>(d.failed) / static_cast<double>(d.served) : 0.0)
          << ",\"availability\":" << num(d.served ? 1.0 - static_cast<double>(d.failed) / static_cast<double>(d.served) : 1.0)
          << ",\"rejected\":" << d.rejected << ",\"p50_ms\":" << num(q_ms(d.latency, 0.5))
          << ",\"p95_ms\":" << num(q_ms(d.latency, 0.95)) << ",\"p99_ms\":" << num(q_ms(d.latency, 0.99))
          << ",\"mean_ms\":" << num(d.latency.mean() / 1000.0) << ",\"throughput\":" << num(static_cast<double>(d.served - d.failed) / secs)
          << ",\"replicas\":" << v.ready << ",\"desired\":" << d.desired << ",\"queue_depth\":" << v.queued
          << ",\"version\":" << json_quote(d.version) << ",\"cpu\":" << num(d.last_cpu)
          << ",\"p50_ok_ms\":" << num(q_ms(d.latency_ok, 0.5)) << ",\"p99_ok_ms\":" << num(q_ms(d.latency_ok, 0.99)) << sys << "}\n";
    }
    for (const auto& e : s.edges) {
      const EdgePolicy p = e.effective();
      out << "{\"kind\":\"edge\",\"name\":" << json_quote(e.from + "->" + e.to) << ",\"calls\":" << e.calls
          << ",\"success_rate\":" << num(e.calls ? static_cast<double>(e.ok) / static_cast<double>(std::max<int64_t>(1, e.ok + e.failed)) : 1.0)
          << ",\"attempts\":" << e.attempts << ",\"retries\":" << e.retries << ",\"timeouts\":" << e.timeouts
          << ",\"retries_in_flight\":" << e.retries_in_flight << ",\"breaker\":\""
          << (p.breaker ? to_string(e.breaker.state_at(now)) : "off") << "\",\"breaker_rejected\":" << e.rejected_breaker
          << ",\"bulkhead_rejected\":" << e.rejected_bulkhead << ",\"fallbacks\":" << e.fallbacks
          << ",\"p99_ms\":" << num(q_ms(e.latency, 0.99))
          << ",\"p99_ok_ms\":" << num(q_ms(e.latency_ok, 0.99)) << sys << "}\n";
    }
  }
}

}  // namespace topo::svc
