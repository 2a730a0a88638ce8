// A Raft-replicated key-value store (Ongaro & Ousterhout, "In Search of an Understandable
// Consensus Algorithm", extended version, Figure 2) as Topolab processes, plus the clients that
// load it and the RaftCluster model that gives the UI, lessons and tests a cluster-wide view.
//
// [SECTION] index
//   Commands & log ..... KvCommand (put/get/noop), LogEntry, RaftDisk (currentTerm, votedFor, log)
//   Options ............ RaftRules (switchable protocol rules), RaftConfig (timing, load)
//   Messages ........... VoteRequest/VoteReply/AppendRequest/AppendReply/ClientRequest/ClientResponse
//   RaftNode ........... one server: follower / candidate / leader
//   RaftClient ......... open-loop client: finds the leader by redirect, retries, records history
//   RaftCluster ........ the Model: views, lesson values, metrics, history, checkers, upgrade
//   build_raft_cluster . builds nodes n1..nN, clients c1..cM and registers the Commands
//
// Message kinds (the UI colours by kind): "vote", "vote_reply", "append", "append_reply",
// "request", "response". Roles shown to students: "leader", "follower", "candidate".
//
// Persistence: currentTerm, votedFor and the log live in RaftDisk (a topo::Persistent), so they
// survive a crash. commitIndex, lastApplied and the key-value map are volatile: after a restart
// the node learns the commit index from the leader and rebuilds the map by replaying its log.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/kv/history.h"
#include "models/raft/checker.h"
#include "models/raft/log.h"
#include "sim/world.h"

namespace topo::raft {

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

/// Protocol rules a lesson or test may switch off to see what each protects. All on by default.
struct RaftRules {
  bool check_log_up_to_date = true;      ///< RequestVote: refuse candidates whose log is behind
  bool commit_only_current_term = true;  ///< count replicas only for entries of the leader's term
  bool persist_vote = true;              ///< remember votedFor across a crash
  /// Membership: a leader appends a configuration entry only once the previous one is committed
  /// (and the add/remove Commands refuse a second change while one is in flight).
  bool single_change = true;
};

/// Everything a cluster is built from (scenario parameters map onto these fields).
struct RaftConfig {
  int nodes = 5;
  int clients = 2;
  Time election_min_us = 150 * kMs;   ///< election timeout drawn uniformly in [min, max]
  Time election_max_us = 300 * kMs;
  Time heartbeat_us = 50 * kMs;       ///< leader's AppendEntries period
  int max_append_entries = 16;        ///< entries per AppendEntries message at most
  bool leader_noop = true;            ///< a new leader appends a no-op entry of its term
  RaftRules rules;
  // client load
  double rate_per_sec = 10.0;         ///< operations per second per client (Poisson arrivals)
  int keys = 5;                       ///< keys k0..k{keys-1}, chosen uniformly
  double read_fraction = 0.5;         ///< share of operations that are reads
  Time attempt_timeout_us = 200 * kMs;  ///< a request with no answer is re-sent to another node
  Time op_timeout_us = 1000 * kMs;    ///< an operation with no ok answer is recorded as unknown
  Time restart_delay_us = 500 * kMs;  ///< default downtime of a node during an upgrade restart
  int max_outstanding = 64;           ///< per-client bound on operations in flight
};

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

struct VoteRequest : Payload {
  int64_t term = 0;
  NodeId candidate = kNoNode;
  int64_t last_log_index = 0;
  int64_t last_log_term = 0;
  void hash_into(Hasher& h) const override;
  std::string describe() const override;
};

struct VoteReply : Payload {
  int64_t term = 0;
  bool granted = false;
  void hash_into(Hasher& h) const override;
  std::string describe() const override;
};

struct AppendRequest : Payload {
  int64_t term = 0;
  NodeId leader = kNoNode;
  int64_t prev_log_index = 0;
  int64_t prev_log_term = 0;
  std::vector<LogEntry> entries;
  int64_t leader_commit = 0;
  void hash_into(Hasher& h) const override;
  std::string describe() const override;
};

struct AppendReply : Payload {
  int64_t term = 0;
  bool success = false;
  int64_t match_index = 0;     ///< on success: index of the last entry known to match
  int64_t last_index = 0;      ///< on failure: the follower's last log index (helps back up)
  void hash_into(Hasher& h) const override;
  std::string describe() const override;
};

struct ClientRequest : Payload {
  KvCommand cmd;
  void hash_into(Hasher& h) const override;
  std::string describe() const override;
};

enum class ReplyStatus : uint8_t { Ok = 0, Redirect = 1 };

struct ClientResponse : Payload {
  uint64_t op_id = 0;
  ReplyStatus status = ReplyStatus::Ok;
  std::string value;           ///< Get: the value read ("" when the key is absent)
  bool found = false;          ///< Get: whether the key existed
  NodeId leader_hint = kNoNode;  ///< Redirect: the leader this node knows of, or -1
  void hash_into(Hasher& h) const override;
  std::string describe() const override;
};

// ---------------------------------------------------------------------------------------------
// RaftNode
// ---------------------------------------------------------------------------------------------

enum class Role : uint8_t { Follower, Candidate, Leader };
const char* to_string(Role r);

class RaftCluster;

/// One Raft server. Created at start and at every restart by the node's factory.
class RaftNode : public Process {
 public:
  RaftNode(RaftCluster* cluster, NodeId self, RaftDisk* disk);
  void on_start(Ctx& ctx) override;
  void on_message(Ctx& ctx, const Message& m) override;
  void on_timer(Ctx& ctx, TimerId id, uint64_t tag) override;
  std::vector<std::pair<std::string, std::string>> inspect() const override;

  // read-only view for the cluster model, checkers and tests
  Role role() const { return role_; }
  const RaftDisk& disk() const { return *disk_; }
  int64_t term() const { return disk_->current_term; }
  int64_t commit_index() const { return commit_index_; }
  int64_t last_applied() const { return last_applied_; }
  NodeId known_leader() const { return leader_; }
  const std::map<std::string, std::string>& kv() const { return kv_; }
  /// Leader only: highest index known replicated on each peer (by NodeId), else empty.
  const std::map<NodeId, int64_t>& match_index() const { return match_; }
  /// When the election timer fires (a follower or candidate that hears nothing by then starts an
  /// election) and when it was last reset: the canvas draws the remaining share as a ring.
  Time election_deadline() const { return election_deadline_; }
  Time election_reset_at() const { return election_reset_at_; }
  /// Candidate: the servers that granted their vote in this election (itself included).
  int votes_granted() const { return role_ == Role::Candidate ? static_cast<int>(votes_.size()) : 0; }
  /// The configuration this server uses: the voting servers of the latest configuration entry in
  /// its log (committed or not), or the cluster's initial servers; config_index() is that entry's
  /// index (0 = the initial configuration).
  const std::vector<NodeId>& members() const { return members_; }
  int64_t config_index() const { return config_index_; }
  bool in_config(NodeId id) const { return std::find(members_.begin(), members_.end(), id) != members_.end(); }

 private:
  void become_follower(Ctx& ctx, int64_t term);
  void start_election(Ctx& ctx);
  void become_leader(Ctx& ctx);
  void reset_election_deadline(Ctx& ctx);
  void set_term(int64_t term);
  void handle_vote(Ctx& ctx, const Message& m, const VoteRequest& r);
  void handle_vote_reply(Ctx& ctx, const Message& m, const VoteReply& r);
  void handle_append(Ctx& ctx, const Message& m, const AppendRequest& r);
  void handle_append_reply(Ctx& ctx, const Message& m, const AppendReply& r);
  void handle_client(Ctx& ctx, const Message& m, const ClientRequest& r);
  void send_append(Ctx& ctx, NodeId peer);
  /// Sends AppendEntries to every peer; `only_idle` skips peers with one awaiting its reply.
  void broadcast_append(Ctx& ctx, bool only_idle);
  void advance_commit(Ctx& ctx);
  void apply_committed(Ctx& ctx);
  void append_local(Ctx& ctx, LogEntry e);
  void log_changed(Ctx& ctx, int64_t from_index);
  /// Re-reads the configuration from the log (all of it when `from_index` <= the current
  /// configuration's index, else only the entries from `from_index` on).
  void update_config(Ctx* ctx, int64_t from_index);
  /// Leader: the servers it replicates to (configuration, learners, servers just removed while
  /// that removal is uncommitted), each with nextIndex/matchIndex.
  std::vector<NodeId> peers();
  /// Leader: appends the next requested membership change when the rules allow it.
  bool maybe_change_config(Ctx& ctx);
  int votes_in_config() const;

  RaftCluster* cluster_;
  NodeId self_;
  RaftDisk* disk_;
  Role role_ = Role::Follower;
  NodeId leader_ = kNoNode;
  int64_t commit_index_ = 0;
  int64_t last_applied_ = 0;
  Time election_deadline_ = 0;
  Time election_reset_at_ = 0;            ///< when election_deadline_ was last drawn (for the UI)
  bool election_armed_ = false;           ///< an election timer is pending
  uint64_t heartbeat_gen_ = 0;            ///< invalidates heartbeat timers of an earlier leadership
  std::map<NodeId, bool> votes_;          ///< candidate: who granted
  std::map<NodeId, int64_t> next_;        ///< leader: nextIndex per peer
  std::map<NodeId, int64_t> match_;       ///< leader: matchIndex per peer
  /// Leader: an AppendEntries to the peer awaits its reply. New entries are then not sent at once
  /// (the reply or the next heartbeat sends them), which bounds the messages per peer.
  std::map<NodeId, bool> in_flight_;
  std::vector<NodeId> members_;           ///< configuration in use (see members())
  std::vector<NodeId> prev_members_;      ///< the configuration before it
  int64_t config_index_ = 0;
  Time last_leader_contact_ = -1;         ///< when an AppendEntries of a current leader last came
  NodeId catchup_node_ = kNoNode;         ///< leader: the learner whose catch-up rounds it times
  int64_t round_target_ = 0;              ///< the leader's last index when the round began
  Time round_start_ = 0;
  std::map<std::string, std::string> kv_; ///< the state machine
  /// Results of applied client operations, by (client, op_id), so a retry is answered, not re-run.
  std::map<std::pair<NodeId, uint64_t>, std::pair<bool, std::string>> applied_ops_;
  /// Leader: client requests waiting for their entry to apply, by log index.
  std::map<int64_t, std::pair<NodeId, uint64_t>> waiting_;
  /// Leader: when it appended each client entry not yet committed (for the commit latency).
  std::map<int64_t, Time> appended_at_;
};

// ---------------------------------------------------------------------------------------------
// RaftClient
// ---------------------------------------------------------------------------------------------

/// Open-loop client: Poisson arrivals at `rate_per_sec`, each operation sent to the believed
/// leader, redirected or re-sent on timeout until it succeeds or `op_timeout_us` passes.
class RaftClient : public Process {
 public:
  RaftClient(RaftCluster* cluster, NodeId self);
  void on_start(Ctx& ctx) override;
  void on_message(Ctx& ctx, const Message& m) override;
  void on_timer(Ctx& ctx, TimerId id, uint64_t tag) override;
  std::vector<std::pair<std::string, std::string>> inspect() const override;

 private:
  struct Outstanding {
    uint64_t history_id = 0;  ///< the op's id in the cluster's kv::History
    KvCommand cmd;
    NodeId target = kNoNode;
    uint64_t attempt = 0;
    Time deadline = 0;
  };
  void issue(Ctx& ctx);
  void send_attempt(Ctx& ctx, uint64_t op_id);
  /// The server after `after` in n1..nN order (a random one when `after` is -1).
  NodeId next_server(Ctx& ctx, NodeId after) const;

  RaftCluster* cluster_;
  NodeId self_;
  NodeId leader_guess_ = kNoNode;
  uint64_t next_op_ = 1;
  std::map<uint64_t, Outstanding> out_;
};

// ---------------------------------------------------------------------------------------------
// RaftCluster
// ---------------------------------------------------------------------------------------------

/// The cluster-wide view of a Raft store and its clients.
///
/// Lesson values (value(key)):
///   leader_count      up nodes that believe they are leader in the highest term any up leader
///                     has (1 when healthy; 2 would break Election Safety)
///   leaders           up nodes that believe they are leader, in any term (a deposed leader cut
///                     off by a partition still counts here until it hears of the newer term)
///   leader            NodeId of the leader of that highest term, or -1
///   term              highest currentTerm among all nodes (crashed ones from their disk)
///   commit_index      highest commitIndex among up nodes
///   committed_writes  distinct client writes known committed (by a leader's commit index)
///   ops_ok            client operations answered ok so far
///   ops_failed        client operations that timed out (outcome unknown)
///   ops_pending       client operations in flight
///   availability      ok / (ok + timed out) among operations that finished in the last second
///                     of simulated time (1 when none finished)
///   violations        safety violations found by the checkers
///   up_nodes          Raft nodes that are up
///   upgraded          Raft nodes running the target version of the current/last upgrade
///   upgrade_active    1 while a rolling upgrade is in progress
///   last_write_ok_ms  simulated time (ms) of the last write answered ok, -1 if none
///   members, majority the configuration in use (the leader's, else the last committed one) and
///                     how many of its servers make a majority; learners: servers catching up
///   latency_p50_ms, latency_p99_ms  client operations answered ok in the last 2 s of simulated
///                     time: median and 99th percentile of their latency
///   commit_p50_ms, commit_p99_ms  client entries committed in the last 2 s: time from the
///                     leader appending the entry to a majority storing it (no client hops)
///   term.<name>, commit.<name>, applied.<name>, is_leader.<name>  per node (e.g. term.n1)
class RaftCluster : public Model {
 public:
  explicit RaftCluster(const RaftConfig& cfg);
  std::string name() const override { return "raft"; }
  void report_metrics(std::ostream& out) const override;
  bool write_history(std::ostream& out) const override;
  std::vector<std::string> violations() const override { return checker_.violations(); }
  std::string state_json() const override;
  std::optional<double> value(std::string_view key) const override;
  std::vector<ValueDecl> value_decls() const override;

  const RaftConfig& config() const { return cfg_; }
  RaftRules& rules() { return cfg_.rules; }
  const std::vector<NodeId>& servers() const { return servers_; }
  const std::vector<NodeId>& clients() const { return clients_; }
  const RaftChecker& checker() const { return checker_; }
  uint64_t violation_count() const { return checker_.total(); }
  /// The node's process if it is up and a Raft server, else null.
  const RaftNode* server(NodeId id) const;
  const RaftDisk* disk(NodeId id) const;
  /// The client history (every operation, with invoke/complete times and outcome).
  const kv::History& history() const { return history_; }
  World* world() const { return world_; }
  Time last_write_ok_us() const { return last_write_ok_us_; }
  /// Writes whose first ok answer came at or after `t` (progress check after faults heal).
  int64_t writes_ok_since(Time t) const;

  // ---- hooks called by RaftNode (the checkers run here, outside the node code) ----
  void node_role_changed(Ctx& ctx, const RaftNode& n);
  void node_log_changed(Ctx& ctx, const RaftNode& n, int64_t from_index);
  void node_committed(Ctx& ctx, const RaftNode& n);
  void node_applied(Ctx& ctx, const RaftNode& n, int64_t index, const LogEntry& e);
  // ---- hooks called by RaftClient ----
  /// Records an invocation; returns the op's history id. `value` is the value written (writes).
  uint64_t op_invoked(NodeId client, bool is_write, const std::string& key, const std::string& value, Time at);
  /// The op was answered ok at `at`; `value` is what a read returned ("" = key absent).
  void op_completed(uint64_t id, bool is_write, Time at, const std::string& value);
  /// The client gave up on the op at `at`: its outcome stays unknown in the history.
  void op_timed_out(uint64_t id, Time at);
  /// When op `id` was invoked (for latency).
  Time invoke_time(uint64_t id) const;

  // ---- built by build_raft_cluster ----
  void attach(World* w, std::vector<NodeId> servers, std::vector<NodeId> clients);
  /// Starts a rolling upgrade (the `upgrade` Command's effect, after validation).
  void start_upgrade(const std::string& version, int batch, Time pause_us, Time restart_us);

  // ---- membership changes (Ongaro's dissertation §4.1-4.3: one server at a time) ----
  struct MembershipChange {
    bool add = true;
    NodeId node = kNoNode;
  };
  /// The servers the cluster was built with (every server's configuration until its log holds a
  /// configuration entry).
  const std::vector<NodeId>& initial_members() const { return initial_members_; }
  /// The configuration in use: the current leader's, else the last committed one.
  std::vector<NodeId> members() const;
  /// Servers added by raft.add_server that the leaders replicate to before they become voters.
  const std::vector<NodeId>& learners() const { return learners_; }
  /// A server that is not in the configuration in use and not catching up to join it.
  bool removed(NodeId id) const;
  /// True once a membership Command has been accepted (the vote-disruption rule and the
  /// checker's membership checks apply from then on; older runs are unchanged).
  bool membership_changed() const { return membership_changed_; }
  /// The change a leader should append next, or null.
  const MembershipChange* pending_change() const { return pending_.empty() ? nullptr : &pending_.front(); }
  /// Is the new server caught up enough for the leader to append the configuration with it?
  bool learner(NodeId id) const { return std::find(learners_.begin(), learners_.end(), id) != learners_.end(); }
  /// A leader appended the configuration entry of the pending change.
  /// A leader appended the configuration entry `e` of the pending change (null: nothing to do).
  void change_appended(Ctx& ctx, const LogEntry* e);
  /// A leader committed a client entry it appended `latency` ago (hook for commit_p50_ms).
  void entry_committed(Time at, Time latency);
  /// The `raft.add_server` / `raft.remove_server` Commands' effect.
  CommandResult request_change(bool add, const std::string& name);

 private:
  void note_new_violations(Ctx& ctx, size_t before);
  void upgrade_step();
  void upgrade_poll();
  void finish_record(Time at, bool ok);
  /// The leader of the highest term among up servers, or null.
  const RaftNode* top_leader() const;
  void set_checker_configs();

  RaftConfig cfg_;
  World* world_ = nullptr;
  std::vector<NodeId> servers_;
  std::vector<NodeId> clients_;
  RaftChecker checker_;
  kv::History history_;
  int64_t ops_ok_ = 0;
  int64_t ops_failed_ = 0;
  int64_t ops_pending_ = 0;
  Time last_write_ok_us_ = -1;
  std::vector<Time> write_ok_times_;
  std::deque<std::pair<Time, bool>> recent_;   ///< (finish time, ok) for availability
  std::deque<std::pair<Time, Time>> recent_latency_;  ///< (answer time, latency) of ok operations
  std::deque<std::pair<Time, Time>> recent_commit_;   ///< (commit time, append-to-commit) of client entries
  // membership
  std::vector<NodeId> initial_members_;
  std::vector<NodeId> learners_;
  std::deque<MembershipChange> pending_;
  bool membership_changed_ = false;
  int64_t committed_config_index_ = 0;
  std::vector<NodeId> committed_members_;
  // rolling upgrade
  struct Upgrade {
    bool active = false;
    std::string version;
    int batch = 1;
    Time pause_us = 0;
    Time restart_us = 0;
    std::vector<NodeId> todo;        ///< nodes still to restart, in order
    std::vector<NodeId> current;     ///< the batch being restarted
    int64_t target_commit = 0;       ///< the batch must reach this commit index to count as rejoined
    uint64_t generation = 0;
  } upgrade_;
};

/// Builds a Raft cluster into `w`: servers n1..nN, clients c1..cM, the RaftCluster model, and the
/// Commands `raft.rule name=<rule> on=true|false` and `upgrade version=V batch=K [pause_ms=P]
/// [restart_ms=R]`. Returns the model (owned by the world).
RaftCluster* build_raft_cluster(World& w, const RaftConfig& cfg);

/// Fills `cfg` from scenario parameters (nodes, clients, rate, keys, read_fraction,
/// election_min_ms, election_max_ms, heartbeat_ms, max_append_entries, leader_noop,
/// op_timeout_ms, attempt_timeout_ms, and the rule flags raft.check_log_up_to_date,
/// raft.commit_only_current_term, raft.persist_vote). Returns an error message or "".
std::string config_from_params(const std::map<std::string, std::string>& params, RaftConfig* cfg);

}  // namespace topo::raft
