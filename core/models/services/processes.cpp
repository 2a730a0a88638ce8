// The service model's Processes: the messages between them (RpcBody and timer tags), CallerProc
// (outgoing calls with the edge's policies: per-edge timeouts, retries with backoff and jitter,
// circuit breakers, bulkheads, fallbacks), ReplicaProc (a replica of a deployable: admission
// with workers and a bounded queue, call trees, crashes and faults) and ClientProc (open-loop
// Poisson load per request type). The rest of the model creates them through the factories in
// internal.h. See services.h for the overview.
#include <algorithm>
#include <deque>
#include <map>

#include "models/services/internal.h"
#include "models/services/services.h"

namespace topo::svc {

using detail::num;

namespace {

// ---------------------------------------------------------------------------------------------
// messages and tags
// ---------------------------------------------------------------------------------------------

struct RpcBody final : Payload {
  uint64_t call_id = 0;
  int32_t type = 0, call = 0, attempt = 0, code = 0;   ///< code 0 = request, else HTTP-like status
  uint64_t root = 0;   ///< the client request it serves (0: none or asynchronous), for the audit only (not hashed)
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
      if (c.retrying) retry_left(c.edge);
    }
    for (auto& [id, c] : backoff_) {
      (void)id;
      if (c.retrying) retry_left(c.edge);
    }
  }

 protected:
  struct Call {
    uint64_t owner = 0;
    uint64_t root = 0;   ///< the client request (audit only)
    uint64_t serial = 0; ///< the logical call's number in the audit (0: not audited)
    int type = 0, call = 0, edge = 0, attempt = 0;
    Time t0 = 0;
    bool permitted = false, retrying = false, bulk = false;
    int target_dep = -1, target_rep = -1;
    TimerId timer = 0;
  };

  SystemRt& sysrt() { return g_->systems[static_cast<size_t>(sys_)]; }
  /// The audit of the first system (null for the others).
  Audit* audit() { return sys_ == 0 && g_->audit.on ? &g_->audit : nullptr; }
  const SystemSpec::Rules& rules() { return sysrt().spec.rules; }

  /// A retry on `edge` is no longer in flight: the gauge goes down (and must not go below 0).
  void retry_left(int edge) {
    EdgeRt& e = sysrt().edges[static_cast<size_t>(edge)];
    e.retries_in_flight--;
    if (e.retries_in_flight < 0 && audit()) {
      audit()->negative++;
      audit()->problem("In-flight Counts: retries in flight on " + e.from + "->" + e.to + " fell to " +
                       std::to_string(e.retries_in_flight) + " at " + std::to_string(g_->world->now() / 1000) + " ms");
    }
  }

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
  void start_call(Ctx& ctx, uint64_t owner, int type, int call, uint64_t root) {
    SystemRt& s = sysrt();
    const CallRt& cr = s.types[static_cast<size_t>(type)].calls[static_cast<size_t>(call)];
    EdgeRt& e = s.edges[static_cast<size_t>(cr.edge)];
    const EdgePolicy p = policy(e);
    e.calls++;
    e.budget.on_call();
    Call c;
    c.owner = owner;
    c.root = root;
    if (audit()) c.serial = ++audit()->calls;
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
    if (it == inflight_.end()) {   // late: the call timed out already
      if (rules().discard_late_responses) return true;
      // Seeded bug (shop.discard_late_responses=false): the late answer still counts.
      auto late = retired_.find(b->call_id);
      if (late == retired_.end()) return true;
      Call c = late->second;
      retired_.erase(late);
      finish(ctx, c, b->code == 200);
      return true;
    }
    Call c = it->second;
    inflight_.erase(it);
    ctx.cancel_timer(c.timer);
    release_target(c);
    SystemRt& s = sysrt();
    EdgeRt& e = s.edges[static_cast<size_t>(c.edge)];
    // (Seeded bug shop.check_status=false: any answer counts as a success.)
    if (b->code == 200 || !rules().check_status) {
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
      if (!rules().discard_late_responses) {   // the seeded bug keeps it, to take a late answer
        Call r = c;
        r.bulk = r.retrying = r.permitted = false;
        r.target_rep = -1;
        retired_[id] = r;
      }
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
    body->root = c.root;
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
      retry_left(c.edge);
      if (rules().count_retries_once) c.retrying = false;   // off: a seeded bug
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
      retry_left(c.edge);
      c.retrying = false;
    }
    if (c.bulk) {
      bulk_[c.edge]--;
      c.bulk = false;
    }
    if (!ok && p.fallback) {
      ok = true;
      e.fallbacks++;
      if (audit() && c.root && audit()->pending.count(c.root)) audit()->fell_back.insert(c.root);
    }
    const Time lat = ctx.now() - c.t0;
    e.latency.record(lat);
    if (ok) {
      e.ok++;
      e.latency_ok.record(lat);
    } else {
      e.failed++;
    }
    e.window.record(ctx.now(), ok, lat);
    if (c.serial && audit() && !audit()->finished.insert(c.serial).second) {
      audit()->answered_twice++;
      audit()->problem("Exactly Once: a call " + e.from + "->" + e.to + " got a second answer (" + (ok ? "ok" : "failed") +
                       ") at " + std::to_string(ctx.now() / 1000) + " ms");
    }
    call_done(ctx, c.owner, ok);
  }

  std::map<uint64_t, Call> inflight_;   ///< attempt id -> call
  std::map<uint64_t, Call> backoff_;    ///< retry wait id -> call
  std::map<uint64_t, Call> retired_;    ///< timed-out attempts (only with shop.discard_late_responses=false)
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
    j.root = b->root;
    j.entry_call = b->call;
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
      // An alternative (`a|b`): call b instead of failing.
      Job& j = jobs_.at(owner);
      const TypeRt& tr = sysrt().types[static_cast<size_t>(j.type)];
      const int alt = j.pending >= 0 ? tr.calls[static_cast<size_t>(j.pending)].otherwise : -1;
      if (alt >= 0 && tr.calls[static_cast<size_t>(alt)].edge >= 0) {
        j.pending = alt;
        start_call(ctx, owner, j.type, alt, j.root);
        return;
      }
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
    uint64_t root = 0;     ///< the client request (audit only)
    int entry_call = 0;    ///< the call of the tree the caller asked for
    int type = 0;
    std::vector<Frame> stack;
    Time arrived = 0, work_start = 0, work_cpu_us = 0;
    bool detached = false;        ///< nobody waits for the answer
    bool detached_child = false;  ///< an in-process async delivery (no version error on it)
    int pending = -1;             ///< the network call it waits for (its alternative on failure)
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
    d.latency.record(0);   // rejected at once: the caller gets its 503 now
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
        // A call made with a probability (`origin?0.05`); no random draw for the others.
        if (cc.probability < 1.0 && !ctx.rng().bernoulli(cc.probability)) continue;
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
          start_call(ctx, 0, j.type, ch, 0);
          continue;
        }
        j.pending = ch;
        start_call(ctx, id, j.type, ch, j.root);
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
      d.latency.record(lat);
      if (ok) d.latency_ok.record(lat);
      d.window.record(ctx.now(), ok, lat);
      if (r.canary && d.deploy.kind == Deployment::Kind::Canary) {
        d.deploy.canary_calls++;
        if (!ok) d.deploy.canary_errors++;
      }
    }
    if (!j.detached) {
      j.stack.clear();
      send_response(ctx, j, code);
      if (ok && j.root && audit() && audit()->pending.count(j.root)) audit()->done[j.root].insert(j.entry_call);
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
    check(ctx, owner, ok);
    auto it = reqs_.find(owner);
    if (it == reqs_.end()) return;
    const int type = it->second.first;
    const Time lat = ctx.now() - it->second.second;
    reqs_.erase(it);
    TypeRt& t = sysrt().types[static_cast<size_t>(type)];
    t.latency.record(lat);
    if (ok) {
      t.ok++;
      t.latency_ok.record(lat);
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
    if (audit()) audit()->pending[owner] = ctx.now();
    start_call(ctx, owner, type, 0, owner);
  }

  /// The audit of one outcome of client request `owner`: the first one only, and a success only
  /// when a replica answered 200 to every synchronous remote call of its tree (or a fallback
  /// stood in for one).
  void check(Ctx& ctx, uint64_t owner, bool ok) {
    Audit* a = audit();
    if (!a) return;
    const SystemRt& s = sysrt();
    auto p = a->pending.find(owner);
    if (p == a->pending.end()) {
      a->answered_twice++;
      a->problem("Exactly Once: request #" + std::to_string(owner) + " got a second outcome (" +
                 (ok ? "ok" : "failed") + ") at " + std::to_string(ctx.now() / 1000) + " ms");
      return;
    }
    a->pending.erase(p);
    a->outcomes++;
    auto req = reqs_.find(owner);
    if (ok && req != reqs_.end() && !a->fell_back.count(owner)) {
      const TypeRt& t = s.types[static_cast<size_t>(req->second.first)];
      const std::set<int>& done = a->done[owner];
      std::vector<std::pair<int, bool>> todo{{0, false}};   // (call, asynchronous)
      while (!todo.empty()) {
        const auto [ci, async] = todo.back();
        todo.pop_back();
        const CallRt& c = t.calls[static_cast<size_t>(ci)];
        if (!async && c.edge >= 0 && !done.count(ci)) {
          a->lost++;
          a->problem("No Lost Order: " + t.spec.name + " #" + std::to_string(owner) + " was answered ok at " +
                     std::to_string(ctx.now() / 1000) + " ms, but no " + s.modules[static_cast<size_t>(c.module)].spec.name +
                     " replica answered its call (and no fallback stood in)");
          break;
        }
        for (int ch : c.children) todo.push_back({ch, async || s.modules[static_cast<size_t>(c.module)].is_queue});
      }
    }
    a->done.erase(owner);
    a->fell_back.erase(owner);
  }

  std::vector<TimerId> timers_;
  std::vector<double> rate_used_;
  std::map<uint64_t, std::pair<int, Time>> reqs_;
};

}  // namespace

namespace detail {

std::unique_ptr<Process> make_replica_process(std::shared_ptr<Graph> g, int sys, int dep, int rep) {
  return std::unique_ptr<Process>(new ReplicaProc(std::move(g), sys, dep, rep));
}

std::unique_ptr<Process> make_client_process(std::shared_ptr<Graph> g, int sys) {
  return std::unique_ptr<Process>(new ClientProc(std::move(g), sys));
}

}  // namespace detail

}  // namespace topo::svc
