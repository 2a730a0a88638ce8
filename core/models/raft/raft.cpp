// The Raft servers and the clients of the replicated key-value store (see raft.h). The server
// code follows Figure 2 of the extended Raft paper rule by rule; each rule a lesson may switch
// off is read from RaftCluster::rules() at the point where the paper applies it.
#include "models/raft/raft.h"

#include <algorithm>

namespace topo::raft {

namespace {

constexpr uint64_t kTagElection = 1;
constexpr uint64_t kTagHeartbeat = 2;   // | generation << 8
constexpr uint64_t kTagArrival = 1;     // client tags: kind in the low byte
constexpr uint64_t kTagAttempt = 2;     // | attempt << 8 | op_id << 24
constexpr uint64_t kTagResend = 3;
constexpr uint64_t kTagOpTimeout = 4;   // | op_id << 24

uint64_t client_tag(uint64_t kind, uint64_t op_id, uint64_t attempt) {
  return kind | ((attempt & 0xffff) << 8) | (op_id << 24);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Commands and messages
// ---------------------------------------------------------------------------------------------

std::string KvCommand::describe() const {
  switch (kind) {
    case OpKind::Put: return "put " + key + "=" + value;
    case OpKind::Get: return "get " + key;
    case OpKind::Config: return "config " + value;
    case OpKind::Noop: break;
  }
  return "noop";
}

void KvCommand::hash_into(Hasher& h) const {
  h.u64(static_cast<uint64_t>(kind));
  h.str(key);
  h.str(value);
  h.i64(client);
  h.u64(op_id);
  if (kind == OpKind::Config) {  // only config entries hash their members (older traces unchanged)
    h.u64(members.size());
    for (NodeId m : members) h.i64(m);
  }
}

const char* to_string(Role r) {
  switch (r) {
    case Role::Leader: return "leader";
    case Role::Candidate: return "candidate";
    case Role::Follower: break;
  }
  return "follower";
}

void VoteRequest::hash_into(Hasher& h) const {
  h.str("vote");
  h.i64(term);
  h.i64(candidate);
  h.i64(last_log_index);
  h.i64(last_log_term);
}
std::string VoteRequest::describe() const {
  return "RequestVote t=" + std::to_string(term) + " last=" + std::to_string(last_log_index) + "@t" +
         std::to_string(last_log_term);
}

void VoteReply::hash_into(Hasher& h) const {
  h.str("vote_reply");
  h.i64(term);
  h.u64(granted ? 1 : 0);
}
std::string VoteReply::describe() const {
  return std::string(granted ? "vote granted" : "vote refused") + " t=" + std::to_string(term);
}

void AppendRequest::hash_into(Hasher& h) const {
  h.str("append");
  h.i64(term);
  h.i64(leader);
  h.i64(prev_log_index);
  h.i64(prev_log_term);
  h.u64(entries.size());
  for (const auto& e : entries) {
    h.i64(e.term);
    e.cmd.hash_into(h);
  }
  h.i64(leader_commit);
}
std::string AppendRequest::describe() const {
  std::string s = "AppendEntries t=" + std::to_string(term) + " prev=" + std::to_string(prev_log_index) + "@t" +
                  std::to_string(prev_log_term) + " n=" + std::to_string(entries.size()) +
                  " commit=" + std::to_string(leader_commit);
  return s;
}

void AppendReply::hash_into(Hasher& h) const {
  h.str("append_reply");
  h.i64(term);
  h.u64(success ? 1 : 0);
  h.i64(match_index);
  h.i64(last_index);
}
std::string AppendReply::describe() const {
  if (success) return "append ok t=" + std::to_string(term) + " match=" + std::to_string(match_index);
  return "append refused t=" + std::to_string(term) + " last=" + std::to_string(last_index);
}

void ClientRequest::hash_into(Hasher& h) const {
  h.str("request");
  cmd.hash_into(h);
}
std::string ClientRequest::describe() const { return cmd.describe() + " #" + std::to_string(cmd.op_id); }

void ClientResponse::hash_into(Hasher& h) const {
  h.str("response");
  h.u64(op_id);
  h.u64(static_cast<uint64_t>(status));
  h.str(value);
  h.u64(found ? 1 : 0);
  h.i64(leader_hint);
}
std::string ClientResponse::describe() const {
  if (status == ReplyStatus::Redirect)
    return "#" + std::to_string(op_id) + " not leader" +
           (leader_hint == kNoNode ? std::string(" (leader unknown)") : " (try node " + std::to_string(leader_hint) + ")");
  return "#" + std::to_string(op_id) + " ok" + (found ? " value=" + value : std::string());
}

// ---------------------------------------------------------------------------------------------
// RaftNode
// ---------------------------------------------------------------------------------------------

RaftNode::RaftNode(RaftCluster* cluster, NodeId self, RaftDisk* disk)
    : cluster_(cluster), self_(self), disk_(disk) {}

void RaftNode::on_start(Ctx& ctx) {
  // Volatile state starts empty; the persistent state is whatever is on disk.
  if (!cluster_->rules().persist_vote && disk_->voted_for != kNoNode) {
    disk_->voted_for = kNoNode;
    ctx.note("forgot vote", "raft.persist_vote is off: votedFor lost in the crash");
  }
  role_ = Role::Follower;
  members_.clear();
  update_config(nullptr, 1);  // the configuration is the latest one in the log on disk
  reset_election_deadline(ctx);
  cluster_->node_role_changed(ctx, *this);
}

void RaftNode::update_config(Ctx* ctx, int64_t from_index) {
  const int64_t before = config_index_;
  if (members_.empty() || from_index <= config_index_) {
    // A truncation removed the configuration entry in use (or the node starts): read back.
    const int64_t last = disk_->config_index_before(disk_->last_index());
    const int64_t prev = last > 0 ? disk_->config_index_before(last - 1) : 0;
    config_index_ = last;
    members_ = last ? disk_->log[static_cast<size_t>(last - 1)].cmd.members : cluster_->initial_members();
    prev_members_ = prev ? disk_->log[static_cast<size_t>(prev - 1)].cmd.members : cluster_->initial_members();
  } else {
    for (int64_t i = from_index; i <= disk_->last_index(); ++i) {
      const KvCommand& c = disk_->log[static_cast<size_t>(i - 1)].cmd;
      if (c.kind != OpKind::Config) continue;
      prev_members_ = members_;
      members_ = c.members;
      config_index_ = i;
    }
  }
  if (ctx && config_index_ != before) {
    const std::string what = config_index_ ? disk_->log[static_cast<size_t>(config_index_ - 1)].cmd.describe()
                                           : std::string("the initial configuration");
    ctx->note("configuration", what + " (in use from now on, majority " + std::to_string(members_.size() / 2 + 1) +
                                   (in_config(self_) ? ")" : "; this server is not a member)"));
  }
}

int RaftNode::votes_in_config() const {
  int n = 0;
  for (const auto& [id, granted] : votes_)
    if (granted && in_config(id)) ++n;
  return n;
}

std::vector<NodeId> RaftNode::peers() {
  std::vector<NodeId> out;
  auto add = [&](NodeId p) {
    if (p == self_ || std::find(out.begin(), out.end(), p) != out.end()) return;
    out.push_back(p);
    if (!next_.count(p)) {
      next_[p] = disk_->last_index() + 1;
      match_[p] = 0;
    }
  };
  for (NodeId p : members_) add(p);
  for (NodeId p : cluster_->learners()) add(p);
  // A server this configuration removes still gets the entry that removes it (so it knows, and
  // stops campaigning) until the change commits.
  if (config_index_ > commit_index_)
    for (NodeId p : prev_members_) add(p);
  return out;
}

bool RaftNode::maybe_change_config(Ctx& ctx) {
  const RaftCluster::MembershipChange* ch = cluster_->pending_change();
  if (!ch || role_ != Role::Leader) return false;
  // One change at a time (§4.1): the previous configuration entry must be committed first, and
  // (the fix Ongaro posted to raft-dev in 2015) so must an entry of this leader's term.
  if (cluster_->rules().single_change &&
      (config_index_ > commit_index_ || disk_->term_at(commit_index_) != disk_->current_term))
    return false;
  std::vector<NodeId> next = members_;
  if (ch->add) {
    if (!in_config(ch->node)) {
      // The new server first catches up as a non-voting learner (§4.2.1), in rounds: each round
      // replicates up to the leader's log end when it began; once a round takes less than an
      // election timeout, the server is close enough to join without stalling commits.
      auto m = match_.find(ch->node);
      if (m == match_.end()) return false;
      if (catchup_node_ != ch->node) {
        catchup_node_ = ch->node;
        round_target_ = disk_->last_index();
        round_start_ = ctx.now();
        return false;
      }
      if (m->second < round_target_) return false;
      if (ctx.now() - round_start_ > cluster_->config().election_min_us) {
        round_target_ = disk_->last_index();
        round_start_ = ctx.now();
        return false;
      }
      next.push_back(ch->node);
    }
  } else {
    next.erase(std::remove(next.begin(), next.end(), ch->node), next.end());
  }
  if (next == members_) {
    cluster_->change_appended(ctx, nullptr);
    return false;
  }
  LogEntry e;
  e.term = disk_->current_term;
  e.cmd.kind = OpKind::Config;
  e.cmd.members = next;
  for (NodeId id : next) e.cmd.value += (e.cmd.value.empty() ? "" : ",") + ctx.world().node(id).name;
  append_local(ctx, e);  // in use from now on, before it commits (§4.1)
  cluster_->change_appended(ctx, &e);
  return true;
}

void RaftNode::set_term(int64_t term) {
  if (term > disk_->current_term) {
    disk_->current_term = term;
    disk_->voted_for = kNoNode;
  }
}

void RaftNode::reset_election_deadline(Ctx& ctx) {
  const auto& c = cluster_->config();
  const Time timeout = ctx.rng().uniform_int(c.election_min_us, c.election_max_us);
  election_deadline_ = ctx.now() + timeout;
  election_reset_at_ = ctx.now();
  if (!election_armed_) {
    election_armed_ = true;
    ctx.set_timer(timeout, kTagElection);
  }
}

void RaftNode::become_follower(Ctx& ctx, int64_t term) {
  const Role before = role_;
  set_term(term);
  if (before == Role::Leader) waiting_.clear();
  appended_at_.clear();
  role_ = Role::Follower;
  if (before != Role::Follower) {
    leader_ = kNoNode;
    if (!election_armed_) reset_election_deadline(ctx);
    ctx.note("became follower", "term " + std::to_string(disk_->current_term));
    cluster_->node_role_changed(ctx, *this);
  }
}

void RaftNode::start_election(Ctx& ctx) {
  if (!in_config(self_)) {  // a learner or a removed server never campaigns (§4.2.1, §4.2.3)
    reset_election_deadline(ctx);
    return;
  }
  role_ = Role::Candidate;
  disk_->current_term += 1;
  disk_->voted_for = self_;
  leader_ = kNoNode;
  votes_.clear();
  votes_[self_] = true;
  reset_election_deadline(ctx);
  ctx.metrics().add("raft.elections");
  ctx.note("became candidate", "term " + std::to_string(disk_->current_term));
  cluster_->node_role_changed(ctx, *this);
  if (votes_in_config() * 2 > static_cast<int>(members_.size())) {
    become_leader(ctx);
    return;
  }
  for (NodeId p : members_) {
    if (p == self_) continue;
    auto r = std::make_shared<VoteRequest>();
    r->term = disk_->current_term;
    r->candidate = self_;
    r->last_log_index = disk_->last_index();
    r->last_log_term = disk_->last_term();
    ctx.send(p, "vote", r, 80);
  }
}

void RaftNode::become_leader(Ctx& ctx) {
  role_ = Role::Leader;
  leader_ = self_;
  next_.clear();
  match_.clear();
  in_flight_.clear();
  waiting_.clear();
  appended_at_.clear();
  catchup_node_ = kNoNode;
  peers();  // nextIndex = last log index + 1, matchIndex = 0 for every peer
  ctx.metrics().add("raft.leaders_elected");
  ctx.note("became leader", "term " + std::to_string(disk_->current_term));
  cluster_->node_role_changed(ctx, *this);
  if (cluster_->config().leader_noop) {
    LogEntry e;
    e.term = disk_->current_term;
    append_local(ctx, std::move(e));
  }
  broadcast_append(ctx, false);
  advance_commit(ctx);
  ++heartbeat_gen_;
  ctx.set_timer(cluster_->config().heartbeat_us, kTagHeartbeat | (heartbeat_gen_ << 8));
}

void RaftNode::on_timer(Ctx& ctx, TimerId, uint64_t tag) {
  if (tag == kTagElection) {
    election_armed_ = false;
    if (role_ == Role::Leader) return;  // re-armed when it steps down
    if (ctx.now() < election_deadline_) {
      election_armed_ = true;
      ctx.set_timer(election_deadline_ - ctx.now(), kTagElection);
      return;
    }
    start_election(ctx);
    return;
  }
  if ((tag & 0xff) == kTagHeartbeat) {
    if (role_ != Role::Leader || (tag >> 8) != heartbeat_gen_) return;
    maybe_change_config(ctx);
    if (role_ != Role::Leader) return;
    broadcast_append(ctx, false);
    ctx.set_timer(cluster_->config().heartbeat_us, kTagHeartbeat | (heartbeat_gen_ << 8));
  }
}

void RaftNode::on_message(Ctx& ctx, const Message& m) {
  if (!m.body) return;
  const Payload* p = m.body.get();
  if (m.kind == "vote") {
    if (auto* r = dynamic_cast<const VoteRequest*>(p)) handle_vote(ctx, m, *r);
  } else if (m.kind == "vote_reply") {
    if (auto* r = dynamic_cast<const VoteReply*>(p)) handle_vote_reply(ctx, m, *r);
  } else if (m.kind == "append") {
    if (auto* r = dynamic_cast<const AppendRequest*>(p)) handle_append(ctx, m, *r);
  } else if (m.kind == "append_reply") {
    if (auto* r = dynamic_cast<const AppendReply*>(p)) handle_append_reply(ctx, m, *r);
  } else if (m.kind == "request") {
    if (auto* r = dynamic_cast<const ClientRequest*>(p)) handle_client(ctx, m, *r);
  }
}

void RaftNode::handle_vote(Ctx& ctx, const Message& m, const VoteRequest& r) {
  // Disruptive servers (§4.2.3): once membership has changed, a server that heard from a current
  // leader within the minimum election timeout neither updates its term nor grants its vote, so
  // a removed server that does not know it was removed cannot depose the leader.
  if (cluster_->membership_changed() && r.term > disk_->current_term &&
      (role_ == Role::Leader ||
       (leader_ != kNoNode && last_leader_contact_ >= 0 &&
        ctx.now() - last_leader_contact_ < cluster_->config().election_min_us))) {
    auto reply = std::make_shared<VoteReply>();
    reply->term = disk_->current_term;
    reply->granted = false;
    ctx.send(m.from, "vote_reply", reply, 60);
    return;
  }
  if (r.term > disk_->current_term) become_follower(ctx, r.term);
  // Figure 2, RequestVote rule 2: the candidate's log must be at least as up to date as ours
  // (§5.4.1): a later last term wins, and with equal last terms the longer log wins.
  const bool up_to_date = r.last_log_term > disk_->last_term() ||
                          (r.last_log_term == disk_->last_term() && r.last_log_index >= disk_->last_index());
  const bool log_ok = up_to_date || !cluster_->rules().check_log_up_to_date;
  const bool grant = r.term == disk_->current_term &&
                     (disk_->voted_for == kNoNode || disk_->voted_for == r.candidate) && log_ok;
  if (grant) {
    disk_->voted_for = r.candidate;
    reset_election_deadline(ctx);
  }
  auto reply = std::make_shared<VoteReply>();
  reply->term = disk_->current_term;
  reply->granted = grant;
  ctx.send(m.from, "vote_reply", reply, 60);
}

void RaftNode::handle_vote_reply(Ctx& ctx, const Message& m, const VoteReply& r) {
  if (r.term > disk_->current_term) {
    become_follower(ctx, r.term);
    return;
  }
  if (role_ != Role::Candidate || r.term != disk_->current_term || !r.granted) return;
  votes_[m.from] = true;
  if (votes_in_config() * 2 > static_cast<int>(members_.size())) become_leader(ctx);
}

void RaftNode::handle_append(Ctx& ctx, const Message& m, const AppendRequest& r) {
  auto reply = std::make_shared<AppendReply>();
  if (r.term < disk_->current_term) {
    reply->term = disk_->current_term;
    reply->success = false;
    reply->last_index = disk_->last_index();
    ctx.send(m.from, "append_reply", reply, 60);
    return;
  }
  if (r.term > disk_->current_term || role_ != Role::Follower) become_follower(ctx, r.term);
  leader_ = r.leader;
  last_leader_contact_ = ctx.now();
  reset_election_deadline(ctx);
  reply->term = disk_->current_term;
  // Consistency check: our log must hold prev_log_index with prev_log_term.
  if (r.prev_log_index > disk_->last_index() || disk_->term_at(r.prev_log_index) != r.prev_log_term) {
    reply->success = false;
    reply->last_index = std::min(disk_->last_index(), r.prev_log_index - 1);
    ctx.send(m.from, "append_reply", reply, 60);
    return;
  }
  // Append new entries; delete an existing entry and all after it only on a conflict (same index,
  // different term), so a stale or duplicated AppendEntries never truncates good entries.
  int64_t changed_from = 0;
  int64_t index = r.prev_log_index;
  for (const auto& e : r.entries) {
    ++index;
    if (index <= disk_->last_index()) {
      if (disk_->term_at(index) == e.term) continue;
      disk_->log.resize(static_cast<size_t>(index - 1));
      if (changed_from == 0) changed_from = index;
      ctx.note("truncated log", "from index " + std::to_string(index));
    }
    disk_->log.push_back(e);
    if (changed_from == 0) changed_from = index;
  }
  if (changed_from != 0) log_changed(ctx, changed_from);
  const int64_t last_new = r.prev_log_index + static_cast<int64_t>(r.entries.size());
  if (r.leader_commit > commit_index_) {
    const int64_t c = std::min(r.leader_commit, last_new);
    if (c > commit_index_) {
      commit_index_ = c;
      cluster_->node_committed(ctx, *this);
      apply_committed(ctx);
    }
  }
  reply->success = true;
  reply->match_index = last_new;
  ctx.send(m.from, "append_reply", reply, 60);
}

void RaftNode::handle_append_reply(Ctx& ctx, const Message& m, const AppendReply& r) {
  if (r.term > disk_->current_term) {
    become_follower(ctx, r.term);
    return;
  }
  if (role_ != Role::Leader || r.term != disk_->current_term) return;
  auto it = next_.find(m.from);
  if (it == next_.end()) return;
  int64_t& next = it->second;
  int64_t& match = match_[m.from];
  in_flight_[m.from] = false;
  if (r.success) {
    const int64_t before = match;
    match = std::max(match, std::min(r.match_index, disk_->last_index()));
    next = std::max(next, match + 1);
    advance_commit(ctx);
    if (role_ != Role::Leader) return;  // removed from the configuration: stepped down
    if (maybe_change_config(ctx)) {
      broadcast_append(ctx, true);
      advance_commit(ctx);
      return;
    }
    // Keep a lagging follower streaming, but only on a reply that made progress: a duplicated
    // or stale reply must not start a second stream (that would multiply messages).
    if (match > before && next <= disk_->last_index()) send_append(ctx, m.from);
  } else {
    // Back up: at most one step per refusal, and straight to the follower's log end if shorter.
    const int64_t backed = std::max(match + 1, std::min(next - 1, r.last_index + 1));
    if (backed < next) {
      next = std::max<int64_t>(1, backed);
      send_append(ctx, m.from);
    }
  }
}

void RaftNode::handle_client(Ctx& ctx, const Message& m, const ClientRequest& r) {
  auto reply = std::make_shared<ClientResponse>();
  reply->op_id = r.cmd.op_id;
  if (role_ != Role::Leader) {
    reply->status = ReplyStatus::Redirect;
    reply->leader_hint = leader_ == self_ ? kNoNode : leader_;
    ctx.send(m.from, "response", reply, 60);
    return;
  }
  // A retry of an operation that has already been applied gets the recorded answer.
  auto done = applied_ops_.find({r.cmd.client, r.cmd.op_id});
  if (done != applied_ops_.end()) {
    reply->found = done->second.first;
    reply->value = done->second.second;
    ctx.send(m.from, "response", reply, 60);
    return;
  }
  for (const auto& [index, who] : waiting_)
    if (who.first == r.cmd.client && who.second == r.cmd.op_id) return;  // already in our log
  LogEntry e;
  e.term = disk_->current_term;
  e.cmd = r.cmd;
  append_local(ctx, std::move(e));
  waiting_[disk_->last_index()] = {r.cmd.client, r.cmd.op_id};
  appended_at_[disk_->last_index()] = ctx.now();
  broadcast_append(ctx, true);
  advance_commit(ctx);  // a one-node cluster commits at once
}

void RaftNode::append_local(Ctx& ctx, LogEntry e) {
  disk_->log.push_back(std::move(e));
  log_changed(ctx, disk_->last_index());
}

void RaftNode::log_changed(Ctx& ctx, int64_t from_index) {
  update_config(&ctx, from_index);
  cluster_->node_log_changed(ctx, *this, from_index);
}

void RaftNode::send_append(Ctx& ctx, NodeId peer) {
  auto r = std::make_shared<AppendRequest>();
  const int64_t next = next_[peer];
  r->term = disk_->current_term;
  r->leader = self_;
  r->prev_log_index = next - 1;
  r->prev_log_term = disk_->term_at(next - 1);
  const int64_t last = std::min(disk_->last_index(), next - 1 + cluster_->config().max_append_entries);
  for (int64_t i = next; i <= last; ++i) r->entries.push_back(disk_->log[static_cast<size_t>(i - 1)]);
  r->leader_commit = commit_index_;
  in_flight_[peer] = true;
  ctx.send(peer, "append", r, 80 + 40 * static_cast<int64_t>(r->entries.size()));
}

void RaftNode::broadcast_append(Ctx& ctx, bool only_idle) {
  for (NodeId p : peers())
    if (!(only_idle && in_flight_[p])) send_append(ctx, p);
}

void RaftNode::advance_commit(Ctx& ctx) {
  if (role_ != Role::Leader) return;
  // The highest index stored on a majority (the leader counts itself with its whole log).
  // Only the servers of the configuration in use count; a leader that this configuration
  // removes manages the cluster without counting itself (§4.2.2).
  std::vector<int64_t> matches;
  for (NodeId p : members_) {
    if (p == self_) { matches.push_back(disk_->last_index()); continue; }
    auto it = match_.find(p);
    matches.push_back(it == match_.end() ? 0 : it->second);
  }
  std::sort(matches.begin(), matches.end(), std::greater<int64_t>());
  const size_t majority = members_.size() / 2 + 1;
  if (matches.size() < majority) return;
  const int64_t n = matches[majority - 1];
  if (n <= commit_index_) return;
  // Figure 2 (and §5.4.2): only an entry of the current term is committed by counting replicas;
  // earlier entries are then committed indirectly by the Log Matching property.
  if (cluster_->rules().commit_only_current_term && disk_->term_at(n) != disk_->current_term) return;
  commit_index_ = n;
  while (!appended_at_.empty() && appended_at_.begin()->first <= n) {
    cluster_->entry_committed(ctx.now(), ctx.now() - appended_at_.begin()->second);
    appended_at_.erase(appended_at_.begin());
  }
  ctx.metrics().add("raft.commits");
  cluster_->node_committed(ctx, *this);
  apply_committed(ctx);
  if (!in_config(self_) && commit_index_ >= config_index_) {
    ctx.note("stepped down", "the configuration without this server is committed");
    become_follower(ctx, disk_->current_term);
  }
}

void RaftNode::apply_committed(Ctx& ctx) {
  while (last_applied_ < commit_index_ && last_applied_ < disk_->last_index()) {
    ++last_applied_;
    const LogEntry& e = disk_->log[static_cast<size_t>(last_applied_ - 1)];
    const auto op = std::make_pair(e.cmd.client, e.cmd.op_id);
    if (e.cmd.kind != OpKind::Noop && e.cmd.kind != OpKind::Config && !applied_ops_.count(op)) {
      if (e.cmd.kind == OpKind::Put) {
        kv_[e.cmd.key] = e.cmd.value;
        applied_ops_[op] = {false, std::string()};
      } else {
        auto it = kv_.find(e.cmd.key);
        applied_ops_[op] = it == kv_.end() ? std::make_pair(false, std::string()) : std::make_pair(true, it->second);
      }
    }
    cluster_->node_applied(ctx, *this, last_applied_, e);
    if (role_ == Role::Leader) {
      auto w = waiting_.find(last_applied_);
      if (w != waiting_.end()) {
        if (w->second == op) {
          const auto& res = applied_ops_[op];
          auto reply = std::make_shared<ClientResponse>();
          reply->op_id = op.second;
          reply->found = res.first;
          reply->value = res.second;
          ctx.send(op.first, "response", reply, 60);
        }
        waiting_.erase(w);
      }
    }
  }
}

std::vector<std::pair<std::string, std::string>> RaftNode::inspect() const {
  auto name = [this](NodeId id) -> std::string {
    if (id == kNoNode) return "-";
    const World* w = cluster_->world();
    return w ? w->node(id).name : std::to_string(id);
  };
  std::vector<std::pair<std::string, std::string>> out = {{"role", to_string(role_)},
          {"term", std::to_string(disk_->current_term)},
          {"voted_for", name(disk_->voted_for)},
          {"leader", name(leader_)},
          {"log_length", std::to_string(disk_->last_index())},
          {"commit_index", std::to_string(commit_index_)},
          {"last_applied", std::to_string(last_applied_)}};
  if (cluster_->membership_changed()) {
    std::string m;
    for (NodeId id : members_) m += (m.empty() ? "" : ",") + name(id);
    out.push_back({"configuration", m});
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// RaftClient
// ---------------------------------------------------------------------------------------------

RaftClient::RaftClient(RaftCluster* cluster, NodeId self) : cluster_(cluster), self_(self) {}

void RaftClient::on_start(Ctx& ctx) {
  const double rate = cluster_->config().rate_per_sec;
  if (rate <= 0) return;
  const Time gap = static_cast<Time>(ctx.rng().exponential(1e6 / rate));
  ctx.set_timer(gap, kTagArrival);
}

NodeId RaftClient::next_server(Ctx& ctx, NodeId after) const {
  const std::vector<NodeId> s = cluster_->members();
  if (s.empty()) return kNoNode;
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] == after) return s[(i + 1) % s.size()];
  return s[static_cast<size_t>(ctx.rng().uniform_int(0, static_cast<int64_t>(s.size()) - 1))];
}

void RaftClient::issue(Ctx& ctx) {
  const auto& c = cluster_->config();
  if (static_cast<int>(out_.size()) >= c.max_outstanding) return;  // bounded: drop the arrival
  const uint64_t id = next_op_++;
  Outstanding o;
  o.cmd.kind = ctx.rng().bernoulli(c.read_fraction) ? OpKind::Get : OpKind::Put;
  o.cmd.key = "k" + std::to_string(ctx.rng().uniform_int(0, std::max(1, c.keys) - 1));
  if (o.cmd.kind == OpKind::Put) o.cmd.value = ctx.world().node(self_).name + "." + std::to_string(id);
  o.cmd.client = self_;
  o.cmd.op_id = id;
  o.history_id = cluster_->op_invoked(self_, o.cmd.kind == OpKind::Put, o.cmd.key, o.cmd.value, ctx.now());
  o.target = leader_guess_ != kNoNode ? leader_guess_ : next_server(ctx, kNoNode);
  out_.emplace(id, std::move(o));
  ctx.set_timer(c.op_timeout_us, client_tag(kTagOpTimeout, id, 0));
  send_attempt(ctx, id);
}

void RaftClient::send_attempt(Ctx& ctx, uint64_t op_id) {
  auto it = out_.find(op_id);
  if (it == out_.end()) return;
  Outstanding& o = it->second;
  ++o.attempt;
  auto r = std::make_shared<ClientRequest>();
  r->cmd = o.cmd;
  ctx.send(o.target, "request", r, 60 + static_cast<int64_t>(o.cmd.key.size() + o.cmd.value.size()));
  ctx.set_timer(cluster_->config().attempt_timeout_us, client_tag(kTagAttempt, op_id, o.attempt));
}

void RaftClient::on_timer(Ctx& ctx, TimerId, uint64_t tag) {
  const uint64_t kind = tag & 0xff;
  const uint64_t attempt = (tag >> 8) & 0xffff;
  const uint64_t op_id = tag >> 24;
  if (kind == kTagArrival) {
    issue(ctx);
    const Time gap = static_cast<Time>(ctx.rng().exponential(1e6 / cluster_->config().rate_per_sec));
    ctx.set_timer(std::max<Time>(1, gap), kTagArrival);
    return;
  }
  auto it = out_.find(op_id);
  if (it == out_.end()) return;
  Outstanding& o = it->second;
  if (kind == kTagOpTimeout) {
    cluster_->op_timed_out(o.history_id, ctx.now());
    out_.erase(it);
    return;
  }
  if ((o.attempt & 0xffff) != attempt) return;  // a newer attempt is under way
  if (kind == kTagAttempt) {
    // No answer in time: the server may be down or cut off. Try the next one.
    if (leader_guess_ == o.target) leader_guess_ = kNoNode;
    o.target = next_server(ctx, o.target);
    send_attempt(ctx, op_id);
  } else if (kind == kTagResend) {
    send_attempt(ctx, op_id);
  }
}

void RaftClient::on_message(Ctx& ctx, const Message& m) {
  auto* r = dynamic_cast<const ClientResponse*>(m.body.get());
  if (!r || m.kind != "response") return;
  auto it = out_.find(r->op_id);
  if (it == out_.end()) return;  // already answered or given up
  Outstanding& o = it->second;
  if (r->status == ReplyStatus::Ok) {
    leader_guess_ = m.from;
    const bool is_write = o.cmd.kind == OpKind::Put;
    ctx.metrics().histogram("raft.client.latency_us").record(ctx.now() - cluster_->invoke_time(o.history_id));
    cluster_->op_completed(o.history_id, is_write, ctx.now(), r->found ? r->value : std::string());
    out_.erase(it);
    return;
  }
  // Redirect. Go straight to the leader it names; if it knows none, wait a little (an election
  // is probably under way) and ask the next server.
  // Either way the attempt number moves on, so the pending attempt timer is ignored.
  if (r->leader_hint != kNoNode && r->leader_hint != m.from) {
    leader_guess_ = o.target = r->leader_hint;
    send_attempt(ctx, r->op_id);
  } else {
    leader_guess_ = kNoNode;
    o.target = next_server(ctx, m.from);
    ++o.attempt;
    ctx.set_timer(20 * kMs, client_tag(kTagResend, r->op_id, o.attempt));
  }
}

std::vector<std::pair<std::string, std::string>> RaftClient::inspect() const {
  return {{"role", "client"},
          {"outstanding", std::to_string(out_.size())},
          {"leader_guess", leader_guess_ == kNoNode ? "-" : std::to_string(leader_guess_)}};
}

}  // namespace topo::raft
