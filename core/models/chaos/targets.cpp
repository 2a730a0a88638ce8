// The models' sides of a fault campaign (campaign.h): which nodes faults hit, where the leader
// is, and what the verdict checks. Raft, primary-backup, quorum, the transfer protocols, the shop
// and the DevOps pipelines.
#include <algorithm>
#include <functional>

#include "models/chaos/campaign.h"
#include "models/kv/linearizability.h"
#include "models/raft/raft.h"
#include "models/replication/primary_backup.h"
#include "models/replication/quorum.h"
#include "models/services/services.h"
#include "models/usecases/devops.h"
#include "models/usecases/transfer.h"

namespace topo::chaos {

namespace {

std::string ms_text(Time t_us) { return std::to_string(t_us / kMs); }

/// The property a problem sentence names: the text before its first ':' ("Election Safety").
std::string property_of(const std::string& problem) {
  const size_t colon = problem.find(':');
  return colon == std::string::npos ? problem : problem.substr(0, colon);
}

void add_violations(const std::vector<std::string>& found, Result* r) {
  for (const auto& v : found) {
    if (r->property.empty()) r->property = property_of(v);
    r->problems.push_back(v);
    r->violation = true;
  }
}

void add_linearizability(const kv::History& h, Result* r) {
  kv::CheckResult lin = kv::check_linearizable(h);
  if (lin.verdict == kv::Verdict::Linearizable) return;
  r->violation = true;
  const std::string what = lin.verdict == kv::Verdict::Violation ? "not linearizable" : "linearizability inconclusive";
  if (r->property.empty()) r->property = what;
  r->problems.push_back(what + ": " + lin.report());
}

/// Progress: a write invoked after the heal completed (or, with no load, `fallback`).
void check_progress(const kv::History& h, Time healed_at, const Options& opt, bool fallback, Result* r) {
  bool progressed = false, any_write = false;
  for (const auto& op : h.ops()) {
    if (op.kind != kv::OpKind::Write || op.invoke_us < healed_at) continue;
    any_write = true;
    if (op.outcome == kv::Outcome::Ok) {
      progressed = true;
      break;
    }
  }
  if (!any_write) progressed = fallback;
  if (progressed) return;
  r->stalled = true;
  if (r->property.empty()) r->property = "progress";
  r->problems.push_back("stalled: no write invoked after the heal at " + ms_text(healed_at) +
                        " ms completed within the " + ms_text(opt.quiet_us) + " ms quiet period");
}

class RaftTarget : public Target {
 public:
  RaftTarget(World& w, raft::RaftCluster& c) : w_(w), c_(c) {}
  std::vector<NodeId> servers() const override { return c_.servers(); }
  /// Servers (those added at runtime too) and clients.
  std::vector<NodeId> everyone() const override {
    std::vector<NodeId> e = c_.servers();
    e.insert(e.end(), c_.clients().begin(), c_.clients().end());
    return e;
  }
  /// Adds a server (up to 7 voters) or removes a random voter (down to 2); nothing while a change
  /// waits for a leader. (A change whose predecessor is still uncommitted is tried: the model
  /// refuses it unless raft.single_change is off.)
  std::string membership_fault(Rng& rng) override {
    if (c_.pending_change()) return "";
    const auto members = c_.members();
    const bool add = members.size() <= 2 || (members.size() < 7 && rng.bernoulli(0.5));
    if (add) {
      // Bring back a removed server, or start a new one.
      std::vector<NodeId> out;
      for (NodeId id : c_.servers())
        if (c_.removed(id)) out.push_back(id);
      if (!out.empty() && rng.bernoulli(0.5))
        return "raft.add_server name=" + w_.node(out[static_cast<size_t>(rng.uniform_int(0, static_cast<int64_t>(out.size()) - 1))]).name;
      return "raft.add_server name=n" + std::to_string(c_.servers().size() + 1);
    }
    const NodeId victim = members[static_cast<size_t>(rng.uniform_int(0, static_cast<int64_t>(members.size()) - 1))];
    return "raft.remove_server name=" + w_.node(victim).name;
  }
  std::optional<NodeId> leader() const override {
    std::optional<NodeId> best;
    int64_t term = -1;
    for (NodeId id : c_.servers()) {
      const raft::RaftNode* s = c_.server(id);
      if (s && w_.node(id).status == NodeStatus::Up && s->role() == raft::Role::Leader && s->term() > term) {
        best = id;
        term = s->term();
      }
    }
    return best;
  }
  /// Hot moments: for a reboot, a voter whose vote matters (aim); for isolating the leader, the
  /// moment of the Raft paper's Figure 8: an entry of an earlier term has reached a majority
  /// (the leader counts its match indexes) while no entry of the leader's own term has; for
  /// crashing the leader, any moment it holds entries it has not committed.
  bool hot(Kind k) const override {
    if (k == Kind::Reboot) return aim(k).has_value();
    const auto l = leader();
    if (!l) return false;
    const raft::RaftNode* s = c_.server(*l);
    if (k != Kind::IsolateLeader) return s->disk().last_index() > s->commit_index();
    std::vector<int64_t> matches{s->disk().last_index()};
    for (const auto& [peer, m] : s->match_index()) matches.push_back(m);
    const size_t majority = c_.servers().size() / 2 + 1;
    if (matches.size() < majority) return false;
    std::sort(matches.begin(), matches.end(), std::greater<int64_t>());
    const int64_t n = matches[majority - 1];
    return s->disk().term_at(n) < s->term();
  }
  /// A reboot hits a voter at the moment its vote matters: it has granted its vote in its
  /// current term T to another server, and some other up server is still in an earlier term (it
  /// has not heard of this election, and may yet start one of its own for term T). A server
  /// that forgot its vote across the reboot (raft.persist_vote) could grant term T twice.
  std::optional<NodeId> aim(Kind k) const override {
    if (k != Kind::Reboot) return std::nullopt;
    for (NodeId v : c_.servers()) {
      const raft::RaftNode* s = c_.server(v);
      if (!s || w_.node(v).status != NodeStatus::Up) continue;
      const NodeId voted = s->disk().voted_for;
      if (voted == kNoNode || voted == v) continue;
      for (NodeId b : c_.servers()) {
        const raft::RaftNode* o = c_.server(b);
        if (b == v || b == voted || !o || w_.node(b).status != NodeStatus::Up) continue;
        if (o->term() < s->term()) return v;
      }
    }
    return std::nullopt;
  }
  bool supports(Kind k) const override { return k != Kind::Slow; }
  bool violated_now() const override { return c_.violation_count() > 0; }
  void verdict(const Options& opt, Time healed_at, Result* r) const override {
    r->ops = c_.history().size();
    add_violations(c_.violations(), r);
    if (opt.check_linearizability) add_linearizability(c_.history(), r);
    check_progress(c_.history(), healed_at, opt, c_.value("leader_count").value_or(0) == 1, r);
  }
  std::string checks(const Options& opt) const override {
    return std::string("Election Safety, Log Matching, Leader Completeness, State Machine Safety") +
           (opt.membership ? ", Membership, Commit Quorum" : "") +
           (opt.check_linearizability ? ", linearizability" : "") + ", progress after the heal";
  }

 private:
  World& w_;
  raft::RaftCluster& c_;
};

/// The key-value stores of core/models/replication: their recorder's history and checkers.
class KvTarget : public Target {
 public:
  KvTarget(const replication::KvRecorder& rec, std::vector<NodeId> servers, std::vector<NodeId> everyone,
           std::function<std::optional<NodeId>()> leader, std::function<int64_t()> lost, bool fresh_reads,
           bool linearizable)
      : rec_(rec), servers_(std::move(servers)), everyone_(std::move(everyone)), leader_(std::move(leader)),
        lost_(std::move(lost)), fresh_reads_(fresh_reads), linearizable_(linearizable) {}
  std::vector<NodeId> servers() const override { return servers_; }
  std::vector<NodeId> everyone() const override { return everyone_; }
  std::optional<NodeId> leader() const override { return leader_ ? leader_() : std::nullopt; }
  bool supports(Kind k) const override { return k != Kind::Slow && (leader_ || (k != Kind::IsolateLeader && k != Kind::CrashLeader)); }
  bool violated_now() const override {
    return (lost_ && lost_() > 0) || (fresh_reads_ && rec_.stale_reads() > 0);
  }
  void verdict(const Options& opt, Time healed_at, Result* r) const override {
    r->ops = rec_.history().size();
    if (lost_) {
      const int64_t lost = lost_();
      if (lost > 0) {
        r->violation = true;
        r->property = "Durability";
        r->problems.push_back("Durability: " + std::to_string(lost) +
                              " acknowledged writes are missing from the primary's store");
      }
    }
    if (fresh_reads_ && rec_.stale_reads() > 0) {
      r->violation = true;
      if (r->property.empty()) r->property = "Read Your Acknowledged Writes";
      r->problems.push_back("Read Your Acknowledged Writes: " + std::to_string(rec_.stale_reads()) +
                            " reads returned a value older than a write acknowledged before they began");
    }
    if (opt.check_linearizability && linearizable_) add_violations(rec_.violations(), r);
    check_progress(rec_.history(), healed_at, opt, true, r);
  }
  std::string checks(const Options& opt) const override {
    return std::string(lost_ ? "Durability (no acknowledged write lost), " : "") +
           (fresh_reads_ ? "Read Your Acknowledged Writes (no stale read), " : "") +
           (opt.check_linearizability && linearizable_ ? "linearizability, " : "") + "progress after the heal";
  }

 private:
  const replication::KvRecorder& rec_;
  std::vector<NodeId> servers_, everyone_;
  std::function<std::optional<NodeId>()> leader_;
  std::function<int64_t()> lost_;
  bool fresh_reads_;
  bool linearizable_;
};

class TransferTarget : public Target {
 public:
  TransferTarget(World& w, const usecases::TransferModel& m) : w_(w), m_(m) {}
  std::vector<NodeId> servers() const override {
    std::vector<NodeId> s = m_.banks();
    s.push_back(m_.coordinator());
    return s;
  }
  std::vector<NodeId> everyone() const override {
    std::vector<NodeId> s = servers();
    s.push_back(m_.client());
    s.push_back(m_.auditor());
    return s;
  }
  std::optional<NodeId> leader() const override { return m_.coordinator(); }
  /// Hot: a bank holds a prepared transaction, so the coordinator is between vote and decision.
  bool hot(Kind k) const override { return k != Kind::Reboot && m_.in_doubt() > 0; }
  bool supports(Kind k) const override { return k != Kind::Slow; }
  bool violated_now() const override { return !m_.violations().empty(); }
  /// The client gives up on a transfer only after its timeout, and keeps at most a few in
  /// flight: after a long partition, the first new transfer can start only that late.
  Time min_quiet_us() const override { return m_.config().client_timeout_us + 2 * kSec; }
  void verdict(const Options& opt, Time healed_at, Result* r) const override {
    (void)opt;
    (void)healed_at;
    r->ops = static_cast<uint64_t>(m_.value("transfers").value_or(0));
    add_violations(m_.violations(), r);
    // Progress: transfers still finish after the heal (committed or aborted, either is an answer).
    const double done = m_.value("committed").value_or(0) + m_.value("aborted").value_or(0);
    if (done <= done_at_heal_) {
      r->stalled = true;
      if (r->property.empty()) r->property = "progress";
      r->problems.push_back("stalled: no transfer finished in the quiet period after the heal at " +
                            std::to_string(healed_at / kMs) + " ms");
    }
    (void)opt;
    (void)w_;
  }
  void on_healed() override {
    done_at_heal_ = m_.value("committed").value_or(0) + m_.value("aborted").value_or(0);
  }
  std::string checks(const Options&) const override {
    return "Atomicity (every finished transfer is all-or-nothing: the model's checker), progress after the heal";
  }

 private:
  World& w_;
  const usecases::TransferModel& m_;
  double done_at_heal_ = 0;
};


/// The DevOps pipelines (models/usecases/devops): faults hit the pipeline stages and the train
/// (their queues survive a crash), partitions split teams from pipelines too. The checker: no
/// change ends twice, none goes live after its tests failed; progress: changes still reach
/// production after the heal.
class DevopsTarget : public Target {
 public:
  explicit DevopsTarget(const usecases::DevopsModel& m) : m_(m) {}
  std::vector<NodeId> servers() const override { return m_.pipeline_nodes(); }
  std::vector<NodeId> everyone() const override {
    std::vector<NodeId> s = m_.teams();
    for (NodeId n : m_.pipeline_nodes()) s.push_back(n);
    return s;
  }
  bool supports(Kind k) const override { return k != Kind::Slow; }
  bool violated_now() const override { return !m_.violations().empty(); }
  /// A train leaves every train interval, and its build, tests (twice, after pulling a broken
  /// change) and deploy take a while more.
  Time min_quiet_us() const override {
    const auto& c = m_.config();
    return c.train_us + c.mono_build_us + 2 * c.mono_test_us + c.mono_deploy_us + 2 * kSec;
  }
  void on_healed() override { live_at_heal_ = live(); }
  void verdict(const Options& opt, Time healed_at, Result* r) const override {
    (void)opt;
    r->ops = static_cast<uint64_t>(m_.changes().size());
    add_violations(m_.violations(), r);
    if (live() <= live_at_heal_) {
      r->stalled = true;
      if (r->property.empty()) r->property = "progress";
      r->problems.push_back("stalled: no change reached production in the quiet period after the heal at " +
                            ms_text(healed_at) + " ms");
    }
  }
  std::string checks(const Options&) const override {
    return "Ends Once (a change goes live, is rolled back or is rejected once), No Untested Deploy, progress after the "
           "heal";
  }

 private:
  double live() const {
    return m_.value("services.live_changes").value_or(0) + m_.value("monolith.live_changes").value_or(0);
  }
  const usecases::DevopsModel& m_;
  double live_at_heal_ = 0;
};

/// The shop (core/models/services): the replicas of its first system are the servers; the
/// model's audit (svc::Audit) records each client request's outcomes and which remote calls of
/// its tree a replica answered.
class ShopTarget : public Target {
 public:
  explicit ShopTarget(const svc::ServicesModel& m) : m_(m) {
    const svc::SystemRt& s = m.graph().systems.front();
    for (const auto& d : s.deps)
      for (const auto& r : d.replicas) servers_.push_back(r.node);
    everyone_ = servers_;
    everyone_.push_back(s.client);
  }
  std::vector<NodeId> servers() const override { return servers_; }
  std::vector<NodeId> everyone() const override { return everyone_; }
  /// No leader; and processes are lost by reboots only: a replica left crashed is restarted by
  /// the model's kubelet after CrashLoopBackOff (10 s and more), longer than a campaign.
  bool supports(Kind k) const override { return k != Kind::IsolateLeader && k != Kind::CrashLeader && k != Kind::Crash; }
  bool violated_now() const override { return !m_.graph().audit.problems.empty() || negative_now(); }
  /// A request in flight when everything heals gets its outcome within the client's timeout.
  Time min_quiet_us() const override { return timeout() + 2 * kSec; }
  void on_healed() override { ok_at_heal_ = ok_total(); }
  void verdict(const Options& opt, Time healed_at, Result* r) const override {
    const svc::Audit& a = m_.graph().audit;
    r->ops = static_cast<uint64_t>(a.outcomes);
    add_violations(a.problems, r);
    if (negative_now() && a.negative == 0) {
      r->violation = true;
      if (r->property.empty()) r->property = "In-flight Counts";
      r->problems.push_back("In-flight Counts: a retries-in-flight gauge is negative at the end");
    }
    // At least once: every request issued a timeout (and a second) before the end has an outcome.
    const Time end = m_.graph().world->now();
    for (const auto& [id, at] : a.pending) {
      if (at + timeout() + kSec > end) continue;
      r->violation = true;
      if (r->property.empty()) r->property = "Exactly Once";
      r->problems.push_back("Exactly Once: request #" + std::to_string(id) + " issued at " + ms_text(at) +
                            " ms has no outcome at " + ms_text(end) + " ms");
      break;
    }
    if (ok_total() <= ok_at_heal_) {
      r->stalled = true;
      if (r->property.empty()) r->property = "progress";
      r->problems.push_back("stalled: no request succeeded in the quiet period after the heal at " + ms_text(healed_at) +
                            " ms");
    }
    (void)opt;
  }
  std::string checks(const Options&) const override {
    return "Exactly Once (every client request gets one outcome, never two), No Lost Order (no request answered ok "
           "unless a replica answered every synchronous call of its tree, or a fallback stood in), In-flight Counts "
           "(the retries-in-flight gauges never go negative), progress after the heal";
  }

 private:
  Time timeout() const { return m_.graph().systems.front().spec.client_timeout_us; }
  int64_t ok_total() const {
    int64_t n = 0;
    for (const auto& t : m_.graph().systems.front().types) n += t.ok;
    return n;
  }
  bool negative_now() const {
    for (const auto& e : m_.graph().systems.front().edges)
      if (e.retries_in_flight < 0) return true;
    return false;
  }
  const svc::ServicesModel& m_;
  std::vector<NodeId> servers_, everyone_;
  int64_t ok_at_heal_ = 0;
};

}  // namespace

std::unique_ptr<Target> make_target(World& w, std::string* error) {
  if (auto* c = w.find_model<raft::RaftCluster>()) return std::make_unique<RaftTarget>(w, *c);
  if (auto* pb = w.find_model<replication::PbModel>()) {
    std::vector<NodeId> all = pb->servers();
    all.insert(all.end(), pb->clients().begin(), pb->clients().end());
    return std::make_unique<KvTarget>(pb->recorder(), pb->servers(), all, [pb] { return pb->primary(); },
                                      [pb] { return pb->lost_writes(); },
                                      /*fresh_reads=*/false, /*linearizable=*/false);  // reads have no lease
  }
  if (auto* q = w.find_model<replication::QuorumModel>()) {
    std::vector<NodeId> all;
    for (const auto& n : w.nodes()) all.push_back(n->id);
    std::function<std::optional<NodeId>()> leader;
    if (q->config().leader_mode) leader = [q]() -> std::optional<NodeId> { return q->replicas().front(); };
    // A leaderless quorum store does not promise linearizability (a read may see a write that
    // has reached only some replicas, and the next read not); only leader mode does.
    return std::make_unique<KvTarget>(q->recorder(), q->replicas(), all, leader, nullptr, /*fresh_reads=*/true,
                                      q->config().leader_mode);
  }
  if (auto* t = w.find_model<usecases::TransferModel>()) return std::make_unique<TransferTarget>(w, *t);
  if (auto* d = w.find_model<usecases::DevopsModel>()) return std::make_unique<DevopsTarget>(*d);
  if (auto* m = w.find_model<svc::ServicesModel>()) {
    if (!m->graph().systems.empty()) {
      m->graph().audit.on = true;  // before the first request: the campaign's checks need it
      return std::make_unique<ShopTarget>(*m);
    }
  }
  if (error) *error = "this scenario has no model with a checker (chaos runs raft-*, primary-backup, quorum, transfer-*, shop, devops)";
  return nullptr;
}

std::vector<Knob> knobs_of(const std::string& scenario) {
  if (scenario.rfind("raft", 0) == 0)
    return {{"default", {}},
            {"busy", {{"rate", "40"}}},
            {"small batches", {{"max_append_entries", "1"}, {"rate", "5"}}},
            {"busy, batches of 4", {{"max_append_entries", "4"}, {"rate", "20"}}},
            {"slow network", {{"latency_ms", "10"}, {"jitter_ms", "10"}}},
            {"small batches, slow network", {{"max_append_entries", "1"}, {"rate", "5"}, {"latency_ms", "10"}, {"jitter_ms", "5"}}}};
  if (scenario == "primary-backup" || scenario == "quorum")
    return {{"default", {}}, {"busy", {{"rate", "40"}}}, {"slow network", {{"latency_ms", "10"}, {"jitter_ms", "10"}}}};
  return {};
}

std::vector<Rule> rules_of(const std::string& scenario) {
  if (scenario.rfind("raft", 0) == 0)
    return {{"raft.check_log_up_to_date", "false", "RequestVote refuses candidates whose log is behind (Leader Completeness)"},
            {"raft.persist_vote", "false", "votedFor survives a crash (Election Safety: one leader per term)"},
            {"raft.commit_only_current_term", "false",
             "a leader counts replicas only for entries of its own term (Figure 8; with and without leader_noop)"}};
  if (scenario == "transfer-2pc")
    return {{"transfer.log_decision", "0",
             "the coordinator logs its commit decision before telling a bank (Atomicity after a coordinator crash)"}};
  if (scenario == "transfer-saga")
    return {{"transfer.idempotent_steps", "0",
             "a bank runs each saga step once and answers a retried one from its log (Atomicity when a step is resent "
             "or duplicated)"}};
  if (scenario == "shop")
    return {{"shop.discard_late_responses", "false",
             "a caller drops the answer to an attempt it has given up on (Exactly Once: no request answered twice)"},
            {"shop.check_status", "false",
             "a caller treats a non-200 answer as a failure (No Lost Order: no checkout confirmed whose payment failed)"},
            {"shop.count_retries_once", "false",
             "a failed retry leaves the retries-in-flight gauge once (In-flight Counts: never negative)"}};
  if (scenario == "devops")
    return {{"tests_gate", "0", "a change whose tests failed never goes to production (No Untested Deploy)"}};
  if (scenario == "quorum")
    return {{"r", "1", "R + W > N: every read quorum meets every write quorum (with w=2, n=3: r=1 reads stale)"}};
  if (scenario == "primary-backup")
    return {{"sync", "0",
             "synchronous replication (sync=1) acknowledges a write once every backup has it; sync=0 (the default) "
             "acknowledges at once, and a failover loses what the backups had not received"}};
  return {};
}

}  // namespace topo::chaos
