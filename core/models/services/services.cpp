// The running service model: the replica and client Processes (admission with workers and a
// bounded queue, call trees, remote calls with per-edge timeouts, retries, breakers, bulkheads
// and fallbacks), load balancing, replica lifecycle, and the periodic controller (health
// checks, HPA autoscaler, deployments, drains, chart series). See services.h for the overview.
#include "models/services/services.h"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>

#include "models/services/internal.h"

namespace topo::svc {

using detail::num;

const char* to_string(RState s) {
  switch (s) {
    case RState::Starting: return "starting";
    case RState::Ready: return "ready";
    case RState::Draining: return "draining";
    case RState::Stopped: return "stopped";
  }
  return "?";
}

const VersionSpec& DeployableRt::version_spec(const std::string& v) const {
  for (const auto& x : versions) if (x.name == v) return x;
  return versions.front();
}

EdgePolicy EdgeRt::effective() const {
  if (enabled) return configured;
  EdgePolicy off;
  off.breaker_cfg = configured.breaker_cfg;
  return off;
}

double TypeRt::rate_at(Time t) const {
  double r = rps;
  if (t < ramp_end && ramp_end > ramp_start) {
    const double f = static_cast<double>(t - ramp_start) / static_cast<double>(ramp_end - ramp_start);
    r = ramp_from + (ramp_to - ramp_from) * std::clamp(f, 0.0, 1.0);
  }
  if (diurnal_amplitude > 0 && diurnal_period_us > 0) {
    const double x = 2.0 * 3.14159265358979323846 * static_cast<double>(t % diurnal_period_us) /
                     static_cast<double>(diurnal_period_us);
    r *= 1.0 + diurnal_amplitude * det_sin(x);
  }
  if (t < spike_until) r *= spike_factor;
  return std::max(0.0, r);
}

int SystemRt::find_module(std::string_view n) const {
  for (size_t i = 0; i < modules.size(); i++) if (modules[i].spec.name == n) return static_cast<int>(i);
  return -1;
}
int SystemRt::find_dep(std::string_view n) const {
  for (size_t i = 0; i < deps.size(); i++) if (deps[i].spec.name == n) return static_cast<int>(i);
  return -1;
}
int SystemRt::find_type(std::string_view n) const {
  for (size_t i = 0; i < types.size(); i++) if (types[i].spec.name == n) return static_cast<int>(i);
  return -1;
}
int SystemRt::find_edge(std::string_view from, std::string_view to) const {
  for (size_t i = 0; i < edges.size(); i++)
    if (edges[i].from == from && edges[i].to == to) return static_cast<int>(i);
  return -1;
}

namespace {

// ---------------------------------------------------------------------------------------------
// messages and tags
// ---------------------------------------------------------------------------------------------

struct RpcBody final : Payload {
  uint64_t call_id = 0;
  int32_t type = 0, call = 0, attempt = 0, code = 0;   ///< code 0 = request, else HTTP-like status
  std::string label;   ///< "browse:catalog" for the inspector
  void hash_into(Hasher& h) const override {
    h.u64(call_id);
    h.i64(type);
    h.i64(call);
    h.i64(attempt);
    h.i64(code);
  }
  std::string describe() const override {
    if (code) return "#" + std::to_string(call_id) + " " + std::to_string(code);
    return label + " #" + std::to_string(call_id) + (attempt ? " try " + std::to_string(attempt + 1) : "");
  }
};

enum : uint64_t { kTimeout = 1, kRetry = 2, kArrival = 3, kCrash = 4, kPoll = 5 };
constexpr uint64_t kIdMask = (uint64_t{1} << 56) - 1;
uint64_t tag(uint64_t kind, uint64_t id) { return (kind << 56) | (id & kIdMask); }

// ---------------------------------------------------------------------------------------------
// CallerProc: outgoing calls with the edge's policies
// ---------------------------------------------------------------------------------------------

class CallerProc : public Process {
 public:
  CallerProc(std::shared_ptr<Graph> g, int sys) : g_(std::move(g)), sys_(sys) {}
  ~CallerProc() override {
    // A crash loses the process: give back the LB's outstanding counts and retry gauges.
    SystemRt& s = sysrt();
    for (auto& [id, c] : inflight_) {
      (void)id;
      if (c.target_rep >= 0) {
        ReplicaRt& r = s.deps[static_cast<size_t>(c.target_dep)].replicas[static_cast<size_t>(c.target_rep)];
        r.outstanding = std::max(0, r.outstanding - 1);
      }
      if (c.retrying) s.edges[static_cast<size_t>(c.edge)].retries_in_flight--;
    }
    for (auto& [id, c] : backoff_) {
      (void)id;
      if (c.retrying) s.edges[static_cast<size_t>(c.edge)].retries_in_flight--;
    }
  }

 protected:
  struct Call {
    uint64_t owner = 0;
    int type = 0, call = 0, edge = 0, attempt = 0;
    Time t0 = 0;
    bool permitted = false, retrying = false, bulk = false;
    int target_dep = -1, target_rep = -1;
    TimerId timer = 0;
  };

  SystemRt& sysrt() { return g_->systems[static_cast<size_t>(sys_)]; }

  EdgePolicy policy(const EdgeRt& e) const {
    EdgePolicy p = e.effective();
    if (e.from_module < 0) {   // the clients: they only give up after client_timeout
      p = EdgePolicy{};
      p.timeout_us = g_->systems[static_cast<size_t>(sys_)].spec.client_timeout_us;
    }
    return p;
  }

  /// Starts a logical call of `call` (of request type `type`) on behalf of `owner` (0 = nobody
  /// waits); call_done(owner, ok) reports the final outcome.
  void start_call(Ctx& ctx, uint64_t owner, int type, int call) {
    SystemRt& s = sysrt();
    const CallRt& cr = s.types[static_cast<size_t>(type)].calls[static_cast<size_t>(call)];
    EdgeRt& e = s.edges[static_cast<size_t>(cr.edge)];
    const EdgePolicy p = policy(e);
    e.calls++;
    e.budget.on_call();
    Call c;
    c.owner = owner;
    c.type = type;
    c.call = call;
    c.edge = cr.edge;
    c.t0 = ctx.now();
    if (p.bulkhead > 0) {
      int& n = bulk_[cr.edge];
      if (n >= p.bulkhead) {
        e.rejected_bulkhead++;
        finish(ctx, c, false);
        return;
      }
      n++;
      c.bulk = true;
    }
    attempt(ctx, c);
  }

  virtual void call_done(Ctx& ctx, uint64_t owner, bool ok) = 0;

  bool handle_response(Ctx& ctx, const Message& m) {
    const auto* b = dynamic_cast<const RpcBody*>(m.body.get());
    if (!b) return false;
    auto it = inflight_.find(b->call_id);
    if (it == inflight_.end()) return true;   // late: the call timed out already
    Call c = it->second;
    inflight_.erase(it);
    ctx.cancel_timer(c.timer);
    release_target(c);
    SystemRt& s = sysrt();
    EdgeRt& e = s.edges[static_cast<size_t>(c.edge)];
    if (b->code == 200) {
      if (c.permitted) e.breaker.on_result(true, ctx.now());
      finish(ctx, c, true);
    } else {
      attempt_failed(ctx, c);
    }
    return true;
  }

  bool handle_timer(Ctx& ctx, uint64_t t) {
    const uint64_t kind = t >> 56, id = t & kIdMask;
    if (kind == kTimeout) {
      auto it = inflight_.find(id);
      if (it == inflight_.end()) return true;
      Call c = it->second;
      inflight_.erase(it);
      release_target(c);
      sysrt().edges[static_cast<size_t>(c.edge)].timeouts++;
      attempt_failed(ctx, c);
      return true;
    }
    if (kind == kRetry) {
      auto it = backoff_.find(id);
      if (it == backoff_.end()) return true;
      Call c = it->second;
      backoff_.erase(it);
      attempt(ctx, c);
      return true;
    }
    return false;
  }

  std::shared_ptr<Graph> g_;
  int sys_;

 private:
  void release_target(const Call& c) {
    if (c.target_rep < 0) return;
    ReplicaRt& r = sysrt().deps[static_cast<size_t>(c.target_dep)].replicas[static_cast<size_t>(c.target_rep)];
    r.outstanding = std::max(0, r.outstanding - 1);
  }

  void attempt(Ctx& ctx, Call c) {
    SystemRt& s = sysrt();
    EdgeRt& e = s.edges[static_cast<size_t>(c.edge)];
    const EdgePolicy p = policy(e);
    e.attempts++;
    c.permitted = false;
    c.target_rep = -1;
    if (p.breaker) {
      if (!e.breaker.try_acquire(ctx.now())) {
        e.rejected_breaker++;
        finish(ctx, c, false);
        return;
      }
      c.permitted = true;
    }
    const int rep = detail::pick_replica(*g_, sys_, e.to_dep, ctx.rng());
    if (rep < 0) {   // no eligible replica: 503 from the load balancer
      attempt_failed(ctx, c);
      return;
    }
    ReplicaRt& r = s.deps[static_cast<size_t>(e.to_dep)].replicas[static_cast<size_t>(rep)];
    if (ctx.world().node(r.node).status != NodeStatus::Up) {   // connection refused
      attempt_failed(ctx, c);
      return;
    }
    const uint64_t id = g_->next_id++;
    auto body = std::make_shared<RpcBody>();
    body->call_id = id;
    body->type = c.type;
    body->call = c.call;
    body->attempt = c.attempt;
    body->label = s.types[static_cast<size_t>(c.type)].spec.name + ":" + e.to;
    ctx.send(r.node, c.attempt ? "retry" : "request", std::move(body), 400);
    r.outstanding++;
    c.target_dep = e.to_dep;
    c.target_rep = rep;
    const Time to = p.timeout_us > 0 ? p.timeout_us : s.spec.connect_timeout_us;
    c.timer = ctx.set_timer(to, tag(kTimeout, id));
    inflight_[id] = c;
  }

  void attempt_failed(Ctx& ctx, Call c) {
    SystemRt& s = sysrt();
    EdgeRt& e = s.edges[static_cast<size_t>(c.edge)];
    const EdgePolicy p = policy(e);
    if (c.permitted) e.breaker.on_result(false, ctx.now());
    c.permitted = false;
    c.target_rep = -1;
    if (c.retrying) {
      e.retries_in_flight--;
      c.retrying = false;
    }
    if (c.attempt < p.retries && e.budget.try_retry()) {
      c.attempt++;
      c.retrying = true;
      e.retries++;
      e.retries_in_flight++;
      const uint64_t id = g_->next_id++;
      const Time d = backoff_full_jitter(ctx.rng(), c.attempt - 1, p.backoff_base_us, p.backoff_cap_us);
      ctx.set_timer(d, tag(kRetry, id));
      backoff_[id] = c;
      return;
    }
    finish(ctx, c, false);
  }

  void finish(Ctx& ctx, Call& c, bool ok) {
    SystemRt& s = sysrt();
    EdgeRt& e = s.edges[static_cast<size_t>(c.edge)];
    const EdgePolicy p = policy(e);
    if (c.retrying) {
      e.retries_in_flight--;
      c.retrying = false;
    }
    if (c.bulk) {
      bulk_[c.edge]--;
      c.bulk = false;
    }
    if (!ok && p.fallback) {
      ok = true;
      e.fallbacks++;
    }
    const Time lat = ctx.now() - c.t0;
    if (ok) {
      e.ok++;
      e.latency.record(lat);
    } else {
      e.failed++;
    }
    e.window.record(ctx.now(), ok, lat);
    call_done(ctx, c.owner, ok);
  }

  std::map<uint64_t, Call> inflight_;   ///< attempt id -> call
  std::map<uint64_t, Call> backoff_;    ///< retry wait id -> call
  std::map<int, int> bulk_;             ///< edge -> concurrent calls from this node
};

// ---------------------------------------------------------------------------------------------
// ReplicaProc: a replica of a deployable
// ---------------------------------------------------------------------------------------------

class ReplicaProc final : public CallerProc {
 public:
  ReplicaProc(std::shared_ptr<Graph> g, int sys, int dep, int rep)
      : CallerProc(std::move(g), sys), dep_(dep), rep_(rep) {}

  void on_start(Ctx& ctx) override {
    ReplicaRt& r = rep();
    if (r.state == RState::Starting) {
      r.state = RState::Ready;
      r.state_since = ctx.now();
    }
    r.running = r.queued = 0;
    r.memory_mb = 0;
    // A crash-looping module crashes its process after a random uptime.
    SystemRt& s = sysrt();
    for (int m : s.deps[static_cast<size_t>(dep_)].modules) {
      const ModuleRt& mod = s.modules[static_cast<size_t>(m)];
      if (mod.fault.kind == FaultSpec::Kind::CrashLoop && ctx.now() >= s.spec.faults_at_us) {
        const Time up = std::max<Time>(100'000, static_cast<Time>(ctx.rng().exponential(
                                                     static_cast<double>(mod.fault.crash_uptime_us))));
        ctx.set_timer(up, tag(kCrash, 0));
        break;
      }
    }
  }

  void on_message(Ctx& ctx, const Message& m) override {
    if (m.kind == "response") {
      handle_response(ctx, m);
      return;
    }
    const auto* b = dynamic_cast<const RpcBody*>(m.body.get());
    if (!b) return;
    Job j;
    j.id = g_->next_id++;
    j.caller = m.from;
    j.caller_call = b->call_id;
    j.type = b->type;
    j.stack.push_back(Frame{b->call, 0});
    j.arrived = ctx.now();
    admit(ctx, std::move(j));
  }

  void on_timer(Ctx& ctx, TimerId id, uint64_t t) override {
    (void)id;
    if (handle_timer(ctx, t)) return;
    if ((t >> 56) == kCrash) {
      // Still faulty? (the fault may have been cleared since this process started)
      SystemRt& s = sysrt();
      bool faulty = false;
      for (int m : s.deps[static_cast<size_t>(dep_)].modules)
        faulty |= s.modules[static_cast<size_t>(m)].fault.kind == FaultSpec::Kind::CrashLoop;
      if (!faulty) return;
      schedule_crash(ctx, "crash loop: process exited");
    }
  }

  void on_work_done(Ctx& ctx, uint64_t t) override {
    auto it = jobs_.find(t);
    if (it == jobs_.end()) return;
    Job& j = it->second;
    SystemRt& s = sysrt();
    ReplicaRt& r = rep();
    r.cpu_busy_us += j.work_cpu_us;
    const TypeRt& tr = s.types[static_cast<size_t>(j.type)];
    const int call = j.stack.back().call;
    const ModuleRt& mod = s.modules[static_cast<size_t>(tr.calls[static_cast<size_t>(call)].module)];
    const DeployableRt& d = s.deps[static_cast<size_t>(dep_)];
    const bool faults_on = ctx.now() >= s.spec.faults_at_us;
    double p_err = 0;
    if (j.stack.size() == 1 && !j.detached_child) p_err = d.version_spec(r.version).error_rate;
    if (faults_on && mod.fault.kind == FaultSpec::Kind::Errors) p_err = 1 - (1 - p_err) * (1 - mod.fault.error_rate);
    if (faults_on && mod.fault.kind == FaultSpec::Kind::Leak) {
      r.memory_mb += mod.fault.leak_mb_per_call;
      if (r.memory_mb >= d.spec.memory_limit_mb) {
        schedule_crash(ctx, "OOM killed (memory leak in " + mod.spec.name + ")");
        crashing_ = true;
      }
    }
    if (crashing_) return;   // the process is about to die: nothing more happens here
    if (p_err > 0 && ctx.rng().bernoulli(p_err)) {
      complete(ctx, t, 500);
      return;
    }
    advance(ctx, t);
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    const ReplicaRt& r = g_->systems[static_cast<size_t>(sys_)].deps[static_cast<size_t>(dep_)].replicas[static_cast<size_t>(rep_)];
    return {{"state", to_string(r.state)}, {"version", r.version}, {"running", std::to_string(running_)},
            {"queued", std::to_string(waiting_.size())}, {"outstanding", std::to_string(r.outstanding)},
            {"memory_mb", num(r.memory_mb)}, {"canary", r.canary ? "yes" : "no"}};
  }

 protected:
  void call_done(Ctx& ctx, uint64_t owner, bool ok) override {
    if (owner == 0) return;
    if (jobs_.find(owner) == jobs_.end()) return;
    if (!ok) {
      complete(ctx, owner, 502);
      return;
    }
    advance(ctx, owner);
  }

 private:
  struct Frame {
    int call = 0;
    size_t next = 0;
  };
  struct Job {
    uint64_t id = 0;
    NodeId caller = kNoNode;
    uint64_t caller_call = 0;
    int type = 0;
    std::vector<Frame> stack;
    Time arrived = 0, work_start = 0, work_cpu_us = 0;
    bool detached = false;        ///< nobody waits for the answer
    bool detached_child = false;  ///< an in-process async delivery (no version error on it)
  };

  ReplicaRt& rep() {
    return sysrt().deps[static_cast<size_t>(dep_)].replicas[static_cast<size_t>(rep_)];
  }

  void schedule_crash(Ctx& ctx, std::string reason) {
    std::shared_ptr<Graph> g = g_;
    const int sys = sys_, dep = dep_, rp = rep_;
    const uint32_t inc = ctx.world().node(ctx.self()).incarnation;
    const NodeId self = ctx.self();
    ctx.world().schedule(ctx.now(), [g, sys, dep, rp, inc, self, reason](World& w) {
      if (w.node(self).incarnation != inc || w.node(self).status != NodeStatus::Up) return;
      detail::crash_replica(*g, sys, dep, rp, reason);
    });
  }

  void report(Ctx&) {
    ReplicaRt& r = rep();
    r.running = running_;
    r.queued = static_cast<int>(waiting_.size());
  }

  void admit(Ctx& ctx, Job j) {
    const DeployableRt& d = sysrt().deps[static_cast<size_t>(dep_)];
    const uint64_t id = j.id;
    if (running_ < d.spec.workers) {
      jobs_.emplace(id, std::move(j));
      run(ctx, id);
    } else if (static_cast<int>(waiting_.size()) < d.spec.queue_limit) {
      jobs_.emplace(id, std::move(j));
      waiting_.push_back(id);
    } else {
      reject(ctx, j);
    }
    report(ctx);
  }

  void reject(Ctx& ctx, const Job& j) {
    DeployableRt& d = sysrt().deps[static_cast<size_t>(dep_)];
    d.served++;
    d.failed++;
    d.rejected++;
    d.window.record(ctx.now(), false, 0);
    if (!j.detached) send_response(ctx, j, 503);
  }

  void send_response(Ctx& ctx, const Job& j, int code) {
    auto body = std::make_shared<RpcBody>();
    body->call_id = j.caller_call;
    body->type = j.type;
    body->call = j.stack.empty() ? 0 : j.stack.front().call;
    body->code = code;
    ctx.send(j.caller, "response", std::move(body), 400);
  }

  void run(Ctx& ctx, uint64_t id) {
    running_++;
    Job& j = jobs_.at(id);
    do_work(ctx, j, j.stack.back().call);
  }

  void do_work(Ctx& ctx, Job& j, int call) {
    SystemRt& s = sysrt();
    const TypeRt& tr = s.types[static_cast<size_t>(j.type)];
    const ModuleRt& mod = s.modules[static_cast<size_t>(tr.calls[static_cast<size_t>(call)].module)];
    const DeployableRt& d = s.deps[static_cast<size_t>(dep_)];
    const ReplicaRt& r = rep();
    double f = d.version_spec(r.version).latency_factor;
    if (ctx.now() >= s.spec.faults_at_us) f *= mod.slow;
    if (r.memory_mb > 0) {   // a leaking process slows down as its heap fills (GC pressure)
      const double x = std::min(1.0, r.memory_mb / d.spec.memory_limit_mb);
      f *= 1.0 + 4.0 * x * x;
    }
    const Time cost = std::max<Time>(1, static_cast<Time>(static_cast<double>(mod.spec.work.sample_us(ctx.rng())) * f));
    j.work_start = ctx.now();
    const double speed = std::max(1e-9, ctx.world().node(ctx.self()).cpu_speed);
    j.work_cpu_us = static_cast<Time>(static_cast<double>(cost) / speed);
    ctx.work(cost, j.id);
  }

  // Moves a job along its call tree until it waits for CPU work or a remote call, or ends.
  void advance(Ctx& ctx, uint64_t id) {
    for (;;) {
      auto it = jobs_.find(id);
      if (it == jobs_.end()) return;
      Job& j = it->second;
      if (j.stack.empty()) {
        complete(ctx, id, 200);
        return;
      }
      SystemRt& s = sysrt();
      const TypeRt& tr = s.types[static_cast<size_t>(j.type)];
      Frame& f = j.stack.back();
      const CallRt& cr = tr.calls[static_cast<size_t>(f.call)];
      if (f.next < cr.children.size()) {
        const int ch = cr.children[f.next++];
        const CallRt& cc = tr.calls[static_cast<size_t>(ch)];
        const bool async = s.modules[static_cast<size_t>(cr.module)].is_queue;
        if (cc.dep == dep_) {   // in-process call (the monolith)
          if (async) {
            Job k;
            k.id = g_->next_id++;
            k.type = j.type;
            k.stack.push_back(Frame{ch, 0});
            k.arrived = ctx.now();
            k.detached = k.detached_child = true;
            admit(ctx, std::move(k));
            continue;
          }
          j.stack.push_back(Frame{ch, 0});
          do_work(ctx, j, ch);
          return;
        }
        if (async) {
          start_call(ctx, 0, j.type, ch);
          continue;
        }
        start_call(ctx, id, j.type, ch);
        return;
      }
      j.stack.pop_back();
      if (j.stack.empty()) {
        complete(ctx, id, 200);
        return;
      }
    }
  }

  void complete(Ctx& ctx, uint64_t id, int code) {
    auto it = jobs_.find(id);
    if (it == jobs_.end()) return;
    Job j = std::move(it->second);
    jobs_.erase(it);
    running_--;
    SystemRt& s = sysrt();
    DeployableRt& d = s.deps[static_cast<size_t>(dep_)];
    ReplicaRt& r = rep();
    const bool ok = code == 200;
    const Time lat = ctx.now() - j.arrived;
    if (!j.detached_child) {
      d.served++;
      if (!ok) d.failed++;
      if (ok) d.latency.record(lat);
      d.window.record(ctx.now(), ok, lat);
      if (r.canary && d.deploy.kind == Deployment::Kind::Canary) {
        d.deploy.canary_calls++;
        if (!ok) d.deploy.canary_errors++;
      }
    }
    if (!j.detached) {
      j.stack.clear();
      send_response(ctx, j, code);
    }
    while (running_ < d.spec.workers && !waiting_.empty()) {
      const uint64_t next = waiting_.front();
      waiting_.pop_front();
      run(ctx, next);
    }
    report(ctx);
  }

  int dep_, rep_;
  std::map<uint64_t, Job> jobs_;
  std::deque<uint64_t> waiting_;
  int running_ = 0;
  bool crashing_ = false;
};

// ---------------------------------------------------------------------------------------------
// ClientProc: open-loop Poisson load per request type
// ---------------------------------------------------------------------------------------------

class ClientProc final : public CallerProc {
 public:
  ClientProc(std::shared_ptr<Graph> g, int sys) : CallerProc(std::move(g), sys) {}

  void on_start(Ctx& ctx) override {
    const size_t n = sysrt().types.size();
    timers_.assign(n, 0);
    rate_used_.assign(n, 0.0);
    for (size_t i = 0; i < n; i++) schedule_next(ctx, static_cast<int>(i));
    ctx.set_timer(kPollUs, tag(kPoll, 0));
  }

  void on_message(Ctx& ctx, const Message& m) override {
    if (m.kind == "response") handle_response(ctx, m);
  }

  void on_timer(Ctx& ctx, TimerId id, uint64_t t) override {
    (void)id;
    if (handle_timer(ctx, t)) return;
    const uint64_t kind = t >> 56, v = t & kIdMask;
    if (kind == kArrival) {
      const int type = static_cast<int>(v);
      timers_[static_cast<size_t>(type)] = 0;
      issue(ctx, type);
      schedule_next(ctx, type);
    } else if (kind == kPoll) {
      // Memoryless arrivals: when a type's rate changed, redraw its next arrival.
      SystemRt& s = sysrt();
      for (size_t i = 0; i < s.types.size(); i++) {
        if (s.types[i].rate_at(ctx.now()) != rate_used_[i]) {
          if (timers_[i]) ctx.cancel_timer(timers_[i]);
          timers_[i] = 0;
          schedule_next(ctx, static_cast<int>(i));
        }
      }
      ctx.set_timer(kPollUs, tag(kPoll, 0));
    }
  }

 protected:
  void call_done(Ctx& ctx, uint64_t owner, bool ok) override {
    auto it = reqs_.find(owner);
    if (it == reqs_.end()) return;
    const int type = it->second.first;
    const Time lat = ctx.now() - it->second.second;
    reqs_.erase(it);
    TypeRt& t = sysrt().types[static_cast<size_t>(type)];
    if (ok) {
      t.ok++;
      t.latency.record(lat);
      if (lat <= t.spec.slo_latency_us) t.good++;
    } else {
      t.failed++;
    }
    t.window.record(ctx.now(), ok, lat);
  }

 private:
  static constexpr Time kPollUs = 250'000;

  void schedule_next(Ctx& ctx, int type) {
    const double r = sysrt().types[static_cast<size_t>(type)].rate_at(ctx.now());
    rate_used_[static_cast<size_t>(type)] = r;
    if (r <= 0) return;   // the poll picks it up when the rate becomes positive
    const Time gap = std::max<Time>(1, static_cast<Time>(ctx.rng().exponential(1e6 / r)));
    timers_[static_cast<size_t>(type)] = ctx.set_timer(gap, tag(kArrival, static_cast<uint64_t>(type)));
  }

  void issue(Ctx& ctx, int type) {
    SystemRt& s = sysrt();
    s.types[static_cast<size_t>(type)].requests++;
    const uint64_t owner = g_->next_id++;
    reqs_[owner] = {type, ctx.now()};
    start_call(ctx, owner, type, 0);
  }

  std::vector<TimerId> timers_;
  std::vector<double> rate_used_;
  std::map<uint64_t, std::pair<int, Time>> reqs_;
};

}  // namespace

// =============================================================================================
// detail: load balancing, replica lifecycle, controller
// =============================================================================================

namespace detail {

std::string num(double v) {
  if (v != v) return "null";
  char buf[64];
  const double a = v < 0 ? -v : v;
  if (a != 0 && (a < 1e-4 || a >= 1e15)) std::snprintf(buf, sizeof buf, "%.6g", v);
  else std::snprintf(buf, sizeof buf, "%.6f", v);
  std::string s = buf;
  if (s.find('.') != std::string::npos && s.find('e') == std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

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
      return std::unique_ptr<Process>(new ReplicaProc(gg, sys, dep, rep));
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
      if (st == static_cast<uint8_t>(BreakerState::Open) && seen[e] != st)
        w.metrics().mark(now, "breaker_open", "breaker " + qualified(g, sys, ed.from) + "->" + ed.to);
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

// =============================================================================================
// building
// =============================================================================================

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
          const int idx = static_cast<int>(t->calls.size());
          t->calls.push_back(cr);
          for (const auto& ch : c.children) {
            const int ci = go(ch, cr.module);
            t->calls[static_cast<size_t>(idx)].children.push_back(ci);
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
      return std::unique_ptr<Process>(new ClientProc(gg, sys));
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
      d.window.clear();
    }
    for (auto& e : s.edges) {
      e.calls = e.ok = e.failed = e.attempts = e.timeouts = e.retries = 0;
      e.rejected_breaker = e.rejected_bulkhead = e.fallbacks = 0;
      e.latency.clear();
      e.window.clear();
    }
    for (auto& t : s.types) {
      t.requests = t.ok = t.failed = t.good = 0;
      t.latency.clear();
      t.window.clear();
    }
  }
}

}  // namespace topo::svc
