// The RaftCluster model (the cluster-wide view the UI, lessons and tests read), the Commands a
// Raft world understands (`raft.rule`, `upgrade`), the coordinated rolling upgrade, and the
// builder that turns a RaftConfig into nodes n1..nN and clients c1..cM.
#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "models/raft/raft.h"
#include "util/i18n.h"
#include "util/parse.h"

namespace topo::raft {

namespace {

std::string json_str(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') { o += '\\'; o += c; }
    else if (static_cast<unsigned char>(c) < 0x20) o += ' ';
    else o += c;
  }
  return o + "\"";
}

std::string num(double v) {
  // Integers print exactly; other values with 4 decimals (no floating-point to_chars).
  if (v == static_cast<double>(static_cast<int64_t>(v))) return std::to_string(static_cast<int64_t>(v));
  const int64_t scaled = static_cast<int64_t>(v * 10000.0 + (v >= 0 ? 0.5 : -0.5));
  std::string s = std::to_string(scaled < 0 ? -scaled : scaled);
  while (s.size() < 5) s = "0" + s;
  return (scaled < 0 ? "-" : "") + s.substr(0, s.size() - 4) + "." + s.substr(s.size() - 4);
}

using util::parse_bool;
using util::parse_int;
bool parse_num(const std::string& s, double* out) { return util::parse_number(s, out); }

const char* const kRuleNames[] = {"raft.check_log_up_to_date", "raft.commit_only_current_term", "raft.persist_vote"};

bool* rule_ref(RaftRules& r, const std::string& name) {
  std::string n = name.rfind("raft.", 0) == 0 ? name.substr(5) : name;
  if (n == "check_log_up_to_date") return &r.check_log_up_to_date;
  if (n == "commit_only_current_term") return &r.commit_only_current_term;
  if (n == "persist_vote") return &r.persist_vote;
  if (n == "single_change") return &r.single_change;
  return nullptr;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// RaftCluster: views
// ---------------------------------------------------------------------------------------------

RaftCluster::RaftCluster(const RaftConfig& cfg) : cfg_(cfg) {}

void RaftCluster::attach(World* w, std::vector<NodeId> servers, std::vector<NodeId> clients) {
  world_ = w;
  servers_ = std::move(servers);
  clients_ = std::move(clients);
  initial_members_ = servers_;
  committed_members_ = servers_;
  std::map<NodeId, std::string> names;
  for (NodeId id : servers_) names[id] = w->node(id).name;
  checker_.set_names(std::move(names));
  checker_.set_initial_members(servers_);
}

const RaftNode* RaftCluster::server(NodeId id) const {
  if (!world_ || id < 0 || id >= static_cast<NodeId>(world_->nodes().size())) return nullptr;
  const Node& n = world_->node(id);
  if (n.status != NodeStatus::Up || !n.process) return nullptr;
  return dynamic_cast<const RaftNode*>(n.process.get());
}

const RaftDisk* RaftCluster::disk(NodeId id) const {
  if (!world_ || id < 0 || id >= static_cast<NodeId>(world_->nodes().size())) return nullptr;
  return dynamic_cast<const RaftDisk*>(world_->node(id).disk.get());
}

const RaftNode* RaftCluster::top_leader() const {
  const RaftNode* best = nullptr;
  for (NodeId id : servers_) {
    const RaftNode* n = server(id);
    if (n && n->role() == Role::Leader && (!best || n->term() > best->term())) best = n;
  }
  return best;
}

std::vector<NodeId> RaftCluster::members() const {
  if (const RaftNode* l = top_leader()) return l->members();
  return committed_members_;
}

bool RaftCluster::removed(NodeId id) const {
  if (!membership_changed_ || learner(id)) return false;
  const auto m = members();
  return std::find(m.begin(), m.end(), id) == m.end();
}

std::optional<double> RaftCluster::value(std::string_view key) const {
  if (!world_) return std::nullopt;
  if (key == "members") return static_cast<double>(members().size());
  if (key == "majority") return static_cast<double>(members().size() / 2 + 1);
  if (key == "learners") return static_cast<double>(learners_.size());
  if (key == "latency_p50_ms" || key == "latency_p99_ms" || key == "commit_p50_ms" || key == "commit_p99_ms") {
    const bool commit = key == "commit_p50_ms" || key == "commit_p99_ms";
    std::vector<Time> l;
    for (const auto& [t, lat] : commit ? recent_commit_ : recent_latency_)
      if (t > world_->now() - (commit ? 5 : 2) * kSec) l.push_back(lat);
    if (l.empty()) return 0.0;
    std::sort(l.begin(), l.end());
    const double q = (key == "latency_p50_ms" || key == "commit_p50_ms") ? 0.5 : 0.99;
    const size_t i = std::min(l.size() - 1, static_cast<size_t>(q * static_cast<double>(l.size())));
    return static_cast<double>(l[i] / 100) / 10.0;  // ms with one decimal
  }
  int64_t max_term = 0, max_commit = 0, up = 0, upgraded = 0, leaders = 0;
  int64_t top_leader_term = -1;
  for (NodeId id : servers_) {
    if (const RaftDisk* d = disk(id)) max_term = std::max(max_term, d->current_term);
    if (world_->node(id).version == (upgrade_.version.empty() ? std::string("\x01") : upgrade_.version)) ++upgraded;
    const RaftNode* n = server(id);
    if (!n) continue;
    ++up;
    max_commit = std::max(max_commit, n->commit_index());
    if (n->role() == Role::Leader) {
      ++leaders;
      top_leader_term = std::max(top_leader_term, n->term());
    }
  }
  int64_t leader_count = 0;
  NodeId leader = kNoNode;
  for (NodeId id : servers_) {
    const RaftNode* n = server(id);
    if (n && n->role() == Role::Leader && n->term() == top_leader_term) {
      if (leader == kNoNode) leader = id;
      ++leader_count;
    }
  }
  if (key == "leader_count") return static_cast<double>(leader_count);
  if (key == "leaders") return static_cast<double>(leaders);
  if (key == "leader") return static_cast<double>(leader);
  if (key == "term") return static_cast<double>(max_term);
  if (key == "commit_index") return static_cast<double>(max_commit);
  if (key == "committed_writes") return static_cast<double>(checker_.committed_writes());
  if (key == "ops_ok") return static_cast<double>(ops_ok_);
  if (key == "ops_failed") return static_cast<double>(ops_failed_);
  if (key == "ops_pending") return static_cast<double>(ops_pending_);
  if (key == "violations") return static_cast<double>(checker_.total());
  if (key == "up_nodes") return static_cast<double>(up);
  if (key == "upgraded") return static_cast<double>(upgraded);
  if (key == "upgrade_active") return upgrade_.active ? 1.0 : 0.0;
  if (key == "last_write_ok_ms") return last_write_ok_us_ < 0 ? -1.0 : static_cast<double>(last_write_ok_us_ / kMs);
  if (key == "availability") {
    const Time from = world_->now() - kSec;
    int64_t ok = 0, all = 0;
    for (const auto& [t, good] : recent_)
      if (t > from) { ++all; ok += good ? 1 : 0; }
    return all == 0 ? 1.0 : static_cast<double>(ok) / static_cast<double>(all);
  }
  // Per node: term.n1, commit.n1, applied.n1, is_leader.n1
  const size_t dot = key.find('.');
  if (dot != std::string_view::npos) {
    const std::string what(key.substr(0, dot));
    const auto id = world_->find_node(key.substr(dot + 1));
    if (!id || std::find(servers_.begin(), servers_.end(), *id) == servers_.end()) return std::nullopt;
    const RaftNode* n = server(*id);
    const RaftDisk* d = disk(*id);
    if (what == "term") return static_cast<double>(d ? d->current_term : 0);
    if (what == "commit") return static_cast<double>(n ? n->commit_index() : 0);
    if (what == "applied") return static_cast<double>(n ? n->last_applied() : 0);
    if (what == "is_leader") return (n && n->role() == Role::Leader) ? 1.0 : 0.0;
    if (what == "log_length") return static_cast<double>(d ? d->last_index() : 0);
    if (what == "member") {
      const auto m = members();
      return std::find(m.begin(), m.end(), *id) != m.end() ? 1.0 : 0.0;
    }
  }
  return std::nullopt;
}

std::vector<ValueDecl> RaftCluster::value_decls() const {
  return value_decl_table({
      {"leader_count", "count", "", "servers that believe they lead in the highest term (more than 1 = split brain)"},
      {"leaders", "count", "", "servers in the leader role, any term"},
      {"leader", "node-id", "", "the leader's node number, -1 if none ({{node:leader}} in text, node={leader} in actions)"},
      {"term", "count", "", "highest term on any server's disk"},
      {"commit_index", "count", "", "highest commit index of an up server"},
      {"committed_writes", "count", "", "writes the checker saw committed"},
      {"ops_ok", "count", "", "client operations answered ok"},
      {"ops_failed", "count", "", "client operations that failed"},
      {"ops_pending", "count", "", "client operations in flight"},
      {"violations", "count", "", "safety violations the checker found"},
      {"up_nodes", "count", "", "servers up"},
      {"upgraded", "count", "", "servers on the upgrade's new version"},
      {"upgrade_active", "bool", "", "1 while a rolling upgrade runs"},
      {"last_write_ok_ms", "number", "ms", "simulated time of the last successful write, -1 if none"},
      {"availability", "fraction", "", "share of client operations answered ok in the last second"},
      {"members", "count", "", "servers in the configuration in use (the leader's, else the last committed one)"},
      {"majority", "count", "", "servers that make a majority of that configuration"},
      {"learners", "count", "", "added servers still catching up before they can vote"},
      {"latency_p50_ms", "number", "ms", "median latency of the client operations answered ok in the last 2 s"},
      {"latency_p99_ms", "number", "ms", "99th-percentile latency of the client operations answered ok in the last 2 s"},
      {"commit_p50_ms", "number", "ms", "median time from the leader appending a client's entry to a majority storing it (entries committed in the last 2 s)"},
      {"commit_p99_ms", "number", "ms", "99th percentile of that time (entries committed in the last 2 s)"},
      {"member.<node>", "bool", "", "1 if the server is in the configuration in use"},
      {"term.<node>", "count", "", "a server's current term"},
      {"commit.<node>", "count", "", "a server's commit index"},
      {"applied.<node>", "count", "", "a server's last applied index"},
      {"is_leader.<node>", "bool", "", "1 if the server is in the leader role"},
      {"log_length.<node>", "count", "", "entries in the server's log"},
  });
}

std::string RaftCluster::state_json() const {
  std::ostringstream o;
  o << "{\"model\":\"raft\",\"nodes\":[";
  bool first = true;
  for (NodeId id : servers_) {
    const Node& node = world_->node(id);
    const RaftDisk* d = disk(id);
    const RaftNode* n = server(id);
    if (!first) o << ",";
    first = false;
    o << "{\"id\":" << id << ",\"name\":" << json_str(node.name);
    if (membership_changed_) o << ",\"member\":" << (removed(id) ? "\"removed\"" : learner(id) ? "\"learner\"" : "\"voter\"");
    o << ",\"status\":\"" << to_string(node.status)
      << "\",\"version\":" << json_str(node.version) << ",\"role\":\"" << (n ? to_string(n->role()) : "down")
      << "\",\"term\":" << (d ? d->current_term : 0) << ",\"voted_for\":";
    if (d && d->voted_for != kNoNode) o << json_str(world_->node(d->voted_for).name); else o << "null";
    o << ",\"leader\":";
    if (n && n->known_leader() != kNoNode) o << json_str(world_->node(n->known_leader()).name); else o << "null";
    o << ",\"commit_index\":" << (n ? n->commit_index() : 0) << ",\"last_applied\":" << (n ? n->last_applied() : 0)
      << ",\"log_length\":" << (d ? d->last_index() : 0) << ",\"log\":[";
    if (d) {
      const int64_t from = std::max<int64_t>(1, d->last_index() - 49);  // the newest 50 entries
      for (int64_t i = from; i <= d->last_index(); ++i) {
        const LogEntry& e = d->log[static_cast<size_t>(i - 1)];
        if (i > from) o << ",";
        o << "{\"index\":" << i << ",\"term\":" << e.term << ",\"command\":" << json_str(e.cmd.describe()) << "}";
      }
    }
    o << "]}";
  }
  o << "],\"clients\":[";
  for (size_t i = 0; i < clients_.size(); ++i)
    o << (i ? "," : "") << json_str(world_->node(clients_[i]).name);
  o << "],\"rules\":{";
  RaftRules r = cfg_.rules;
  for (size_t i = 0; i < 3; ++i)
    o << (i ? "," : "") << json_str(kRuleNames[i]) << ":" << (*rule_ref(r, kRuleNames[i]) ? "true" : "false");
  o << "},\"values\":{";
  const char* keys[] = {"leader_count", "leader", "term", "commit_index", "committed_writes", "ops_ok",
                        "ops_failed", "availability", "violations"};
  for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); ++i)
    o << (i ? "," : "") << json_str(keys[i]) << ":" << num(value(keys[i]).value_or(0));
  o << "},\"upgrade\":{\"active\":" << (upgrade_.active ? "true" : "false") << ",\"version\":"
    << json_str(upgrade_.version) << ",\"batch\":" << upgrade_.batch << ",\"remaining\":" << upgrade_.todo.size()
    << "},\"violations\":[";
  const auto& v = checker_.violations();
  for (size_t i = 0; i < v.size(); ++i) o << (i ? "," : "") << json_str(v[i]);
  o << "]}";
  return o.str();
}

void RaftCluster::report_metrics(std::ostream& out) const {
  const char* keys[] = {"leader_count", "leader", "term", "commit_index", "committed_writes", "ops_ok",
                        "ops_failed", "ops_pending", "availability", "violations", "up_nodes"};
  for (const char* k : keys)
    out << "{\"model\":\"raft\",\"name\":\"" << k << "\",\"value\":" << num(value(k).value_or(0)) << "}\n";
  if (world_) {
    if (const Histogram* h = world_->metrics().find_histogram("raft.client.latency_us"))
      out << "{\"model\":\"raft\",\"name\":\"client_latency_us\",\"count\":" << h->count()
          << ",\"p50\":" << h->quantile(0.5) << ",\"p99\":" << h->quantile(0.99) << ",\"max\":" << h->max() << "}\n";
  }
}

bool RaftCluster::write_history(std::ostream& out) const {
  history_.write_jsonl(out);
  return true;
}

// ---------------------------------------------------------------------------------------------
// RaftCluster: hooks (checkers run here)
// ---------------------------------------------------------------------------------------------

void RaftCluster::note_new_violations(Ctx& ctx, size_t before) {
  const auto& v = checker_.violations();
  for (size_t i = before; i < v.size(); ++i) ctx.note("violation", v[i]);
  if (checker_.total() > before && v.size() == before) ctx.note("violation", "(more violations)");
}

void RaftCluster::node_role_changed(Ctx& ctx, const RaftNode& n) {
  if (n.role() != Role::Leader) return;
  const size_t before = checker_.total();
  checker_.became_leader(ctx.self(), n.term(), n.disk());
  if (membership_changed_) checker_.leader_config(ctx.self(), n.term(), n.members());
  note_new_violations(ctx, before);
}

void RaftCluster::node_log_changed(Ctx& ctx, const RaftNode& n, int64_t from_index) {
  const size_t before = checker_.total();
  checker_.log_changed(ctx.self(), n.disk(), from_index);
  note_new_violations(ctx, before);
}

void RaftCluster::node_committed(Ctx& ctx, const RaftNode& n) {
  if (n.role() != Role::Leader) return;
  const size_t before = checker_.total();
  checker_.leader_committed(ctx.self(), n.term(), n.commit_index(), n.disk());
  if (membership_changed_) {
    RaftChecker::ConfigDisks config;
    for (NodeId id : n.members()) config.emplace_back(id, disk(id));
    checker_.commit_quorum(ctx.self(), n.term(), n.commit_index(), n.disk(), config);
  }
  note_new_violations(ctx, before);
}

void RaftCluster::node_applied(Ctx& ctx, const RaftNode& n, int64_t index, const LogEntry& e) {
  (void)n;
  if (e.cmd.kind == OpKind::Config && index > committed_config_index_) {
    committed_config_index_ = index;
    committed_members_ = e.cmd.members;
    // A learner in a committed configuration is a voter now.
    for (NodeId id : e.cmd.members) learners_.erase(std::remove(learners_.begin(), learners_.end(), id), learners_.end());
  }
  const size_t before = checker_.total();
  checker_.applied(ctx.self(), index, e);
  note_new_violations(ctx, before);
}

uint64_t RaftCluster::op_invoked(NodeId client, bool is_write, const std::string& key, const std::string& value,
                                 Time at) {
  ++ops_pending_;
  return history_.invoke(client, is_write ? kv::OpKind::Write : kv::OpKind::Read, key, value, at);
}

Time RaftCluster::invoke_time(uint64_t id) const {
  const kv::Op* op = history_.find(id);
  return op ? op->invoke_us : 0;
}

void RaftCluster::finish_record(Time at, bool ok) {
  recent_.emplace_back(at, ok);
  while (!recent_.empty() && recent_.front().first <= at - kSec) recent_.pop_front();
}

void RaftCluster::op_completed(uint64_t id, bool is_write, Time at, const std::string& value) {
  history_.complete(id, at, value, true);
  recent_latency_.emplace_back(at, at - invoke_time(id));
  while (!recent_latency_.empty() && recent_latency_.front().first <= at - 2 * kSec) recent_latency_.pop_front();
  ++ops_ok_;
  --ops_pending_;
  if (is_write) {
    last_write_ok_us_ = at;
    write_ok_times_.push_back(at);
  }
  finish_record(at, true);
}

void RaftCluster::op_timed_out(uint64_t id, Time at) {
  (void)id;  // stays Unknown in the history: it may or may not have taken effect
  ++ops_failed_;
  --ops_pending_;
  finish_record(at, false);
}

int64_t RaftCluster::writes_ok_since(Time t) const {
  return static_cast<int64_t>(write_ok_times_.end() - std::lower_bound(write_ok_times_.begin(), write_ok_times_.end(), t));
}

// ---------------------------------------------------------------------------------------------
// Membership changes
// ---------------------------------------------------------------------------------------------

void RaftCluster::entry_committed(Time at, Time latency) {
  recent_commit_.emplace_back(at, latency);
  while (!recent_commit_.empty() && recent_commit_.front().first <= at - 5 * kSec) recent_commit_.pop_front();
}

void RaftCluster::change_appended(Ctx& ctx, const LogEntry* e) {
  if (pending_.empty()) return;
  pending_.pop_front();
  if (e) ctx.metrics().add("raft.config_changes");
}

CommandResult RaftCluster::request_change(bool add, const std::string& name) {
  const std::string cmd = add ? "raft.add_server" : "raft.remove_server";
  if (name.empty()) return CommandResult::fail(cmd + ": name= is required (e.g. name=n6)");
  const std::vector<NodeId> now = members();
  const auto id = world_->find_node(name);
  const bool is_server = id && std::find(servers_.begin(), servers_.end(), *id) != servers_.end();
  const bool is_member = id && std::find(now.begin(), now.end(), *id) != now.end();
  if (id && !is_server) return CommandResult::fail(cmd + ": \"" + name + "\" is not a Raft server");
  if (!add && !id) return CommandResult::fail(cmd + ": there is no server \"" + name + "\"");
  if (add && is_member) return CommandResult::fail(cmd + ": " + name + " is already in the configuration");
  if (!add && !is_member) return CommandResult::fail(cmd + ": " + name + " is not in the configuration");
  if (!add && now.size() == 1) return CommandResult::fail(cmd + ": cannot remove the last server");
  if (cfg_.rules.single_change) {
    // One change at a time (§4.1): refuse while a change waits or its entry is uncommitted.
    if (!pending_.empty())
      return CommandResult::fail(cmd + ": a membership change is still in progress (" +
                                 std::string(pending_.front().add ? "adding " : "removing ") +
                                 world_->node(pending_.front().node).name +
                                 "); Raft changes one server at a time, try again once it is committed");
    if (const RaftNode* l = top_leader(); l && l->config_index() > l->commit_index())
      return CommandResult::fail(cmd + ": a membership change is still in progress (the configuration at index " +
                                 std::to_string(l->config_index()) +
                                 " is not committed yet); Raft changes one server at a time, try again once it is committed");
  }
  membership_changed_ = true;
  NodeId node = id ? *id : kNoNode;
  if (add && !id) {
    node = world_->add_node(
        name, "raft",
        [this](NodeId nid, Persistent* d) -> std::unique_ptr<Process> {
          return std::make_unique<RaftNode>(this, nid, static_cast<RaftDisk*>(d));
        },
        std::make_unique<RaftDisk>());
    servers_.push_back(node);
    checker_.set_name(node, name);
  }
  if (add && !learner(node)) learners_.push_back(node);
  pending_.push_back(MembershipChange{add, node});
  Ctx(*world_, kNoNode)
      .note(add ? "adding server" : "removing server",
            name + (add ? ": it catches up as a learner, then the leader appends the configuration with it"
                        : ": the leader appends the configuration without it"));
  return CommandResult::success();
}

// ---------------------------------------------------------------------------------------------
// Coordinated rolling upgrade
// ---------------------------------------------------------------------------------------------

void RaftCluster::start_upgrade(const std::string& version, int batch, Time pause_us, Time restart_us) {
  upgrade_.active = true;
  upgrade_.version = version;
  upgrade_.batch = batch;
  upgrade_.pause_us = pause_us;
  upgrade_.restart_us = restart_us;
  upgrade_.todo.clear();
  upgrade_.current.clear();
  ++upgrade_.generation;
  for (NodeId id : servers_)
    if (world_->node(id).version != version) upgrade_.todo.push_back(id);
  Ctx(*world_, kNoNode).note("upgrade started", "to " + version + ", " + std::to_string(batch) + " node(s) at a time");
  upgrade_step();
}

void RaftCluster::upgrade_step() {
  if (!upgrade_.active) return;
  if (upgrade_.todo.empty()) {
    upgrade_.active = false;
    upgrade_.current.clear();
    Ctx(*world_, kNoNode).note("upgrade finished", "every node runs " + upgrade_.version);
    return;
  }
  // The batch must catch up with what was committed before it went down.
  int64_t target = 0;
  for (NodeId id : servers_)
    if (const RaftNode* n = server(id)) target = std::max(target, n->commit_index());
  upgrade_.target_commit = target;
  upgrade_.current.clear();
  const size_t k = std::min(upgrade_.todo.size(), static_cast<size_t>(upgrade_.batch));
  upgrade_.current.assign(upgrade_.todo.begin(), upgrade_.todo.begin() + static_cast<std::ptrdiff_t>(k));
  upgrade_.todo.erase(upgrade_.todo.begin(), upgrade_.todo.begin() + static_cast<std::ptrdiff_t>(k));
  std::string names;
  for (NodeId id : upgrade_.current) {
    names += (names.empty() ? "" : ",") + world_->node(id).name;
    if (world_->node(id).status == NodeStatus::Up) world_->crash(id);
    world_->mutable_node(id).version = upgrade_.version;
    world_->restart(id, upgrade_.restart_us);
  }
  Ctx(*world_, kNoNode).note("upgrade batch", "restarting " + names + " into " + upgrade_.version);
  const uint64_t gen = upgrade_.generation;
  world_->schedule(world_->now() + upgrade_.restart_us + 10 * kMs, [this, gen](World&) {
    if (gen == upgrade_.generation) upgrade_poll();
  });
}

void RaftCluster::upgrade_poll() {
  if (!upgrade_.active) return;
  bool caught_up = true;
  for (NodeId id : upgrade_.current) {
    const RaftNode* n = server(id);
    if (!n || n->known_leader() == kNoNode || n->last_applied() < upgrade_.target_commit) caught_up = false;
  }
  const uint64_t gen = upgrade_.generation;
  if (caught_up) {
    Ctx(*world_, kNoNode).note("upgrade batch rejoined", "caught up to index " + std::to_string(upgrade_.target_commit));
    world_->schedule(world_->now() + upgrade_.pause_us, [this, gen](World&) {
      if (gen == upgrade_.generation) upgrade_step();
    });
  } else {
    world_->schedule(world_->now() + 20 * kMs, [this, gen](World&) {
      if (gen == upgrade_.generation) upgrade_poll();
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------------------------

std::string config_from_params(const std::map<std::string, std::string>& params, RaftConfig* cfg) {
  for (const auto& [k, v] : params) {
    int64_t i = 0;
    double d = 0;
    bool b = false;
    const std::string& key = k;  // clang 14 cannot capture structured bindings in lambdas
    const std::string& val = v;
    auto bad = [&](const std::string& why) { return "parameter " + key + "=" + val + ": " + why; };
    if (bool* rule = (k.rfind("raft.", 0) == 0) ? rule_ref(cfg->rules, k) : nullptr) {
      if (!parse_bool(v, &b)) return bad("expected true or false");
      *rule = b;
    } else if (k == "nodes") {
      if (!parse_int(v, &i) || i < 1 || i > 15) return bad("expected an integer from 1 to 15");
      cfg->nodes = static_cast<int>(i);
    } else if (k == "clients") {
      if (!parse_int(v, &i) || i < 0 || i > 50) return bad("expected an integer from 0 to 50");
      cfg->clients = static_cast<int>(i);
    } else if (k == "rate") {
      if (!parse_num(v, &d) || d < 0 || d > 10000) return bad("expected operations per second per client, 0 to 10000");
      cfg->rate_per_sec = d;
    } else if (k == "keys") {
      if (!parse_int(v, &i) || i < 1 || i > 100000) return bad("expected an integer from 1 to 100000");
      cfg->keys = static_cast<int>(i);
    } else if (k == "read_fraction") {
      if (!parse_num(v, &d) || d < 0 || d > 1) return bad("expected a number from 0 to 1");
      cfg->read_fraction = d;
    } else if (k == "election_min_ms" || k == "election_max_ms" || k == "heartbeat_ms" || k == "op_timeout_ms" ||
               k == "attempt_timeout_ms" || k == "restart_ms") {
      if (!parse_int(v, &i) || i < 1 || i > 600000) return bad("expected milliseconds from 1 to 600000");
      Time t = i * kMs;
      if (k == "election_min_ms") cfg->election_min_us = t;
      else if (k == "election_max_ms") cfg->election_max_us = t;
      else if (k == "heartbeat_ms") cfg->heartbeat_us = t;
      else if (k == "op_timeout_ms") cfg->op_timeout_us = t;
      else if (k == "attempt_timeout_ms") cfg->attempt_timeout_us = t;
      else cfg->restart_delay_us = t;
    } else if (k == "max_append_entries") {
      if (!parse_int(v, &i) || i < 1 || i > 10000) return bad("expected an integer from 1 to 10000");
      cfg->max_append_entries = static_cast<int>(i);
    } else if (k == "leader_noop") {
      if (!parse_bool(v, &b)) return bad("expected true or false");
      cfg->leader_noop = b;
    } else {
      return "unknown parameter " + k + " (raft scenarios take nodes, clients, rate, keys, read_fraction, "
             "election_min_ms, election_max_ms, heartbeat_ms, op_timeout_ms, attempt_timeout_ms, restart_ms, "
             "max_append_entries, leader_noop, raft.check_log_up_to_date, raft.commit_only_current_term, "
             "raft.persist_vote, raft.single_change)";
    }
  }
  if (cfg->election_min_us > cfg->election_max_us) return "election_min_ms must not exceed election_max_ms";
  return "";
}

RaftCluster* build_raft_cluster(World& w, const RaftConfig& cfg) {
  auto* cluster = static_cast<RaftCluster*>(w.add_model(std::make_unique<RaftCluster>(cfg)));
  std::vector<NodeId> servers, clients;
  for (int i = 1; i <= cfg.nodes; ++i) {
    servers.push_back(w.add_node(
        "n" + std::to_string(i), "raft",
        [cluster](NodeId id, Persistent* disk) -> std::unique_ptr<Process> {
          return std::make_unique<RaftNode>(cluster, id, static_cast<RaftDisk*>(disk));
        },
        std::make_unique<RaftDisk>()));
  }
  for (int i = 1; i <= cfg.clients; ++i) {
    clients.push_back(w.add_node("c" + std::to_string(i), "client",
                                 [cluster](NodeId id, Persistent*) -> std::unique_ptr<Process> {
                                   return std::make_unique<RaftClient>(cluster, id);
                                 }));
  }
  cluster->attach(&w, servers, clients);

  w.register_command(CommandSpec{
      "raft.rule",
      N_("Switch a Raft protocol rule on or off (off only to see what the rule protects against)"),
      {{"name", "string", true, N_("check_log_up_to_date, commit_only_current_term, persist_vote or single_change")},
       {"on", "bool", true, N_("true to follow the rule (the default), false to skip it")}},
      [cluster](World&, const Command& c) -> CommandResult {
        bool on = true;
        bool* rule = rule_ref(cluster->rules(), c.arg("name"));
        if (!rule)
          return CommandResult::fail("raft.rule: unknown rule \"" + c.arg("name") +
                                     "\" (check_log_up_to_date, commit_only_current_term, persist_vote, single_change)");
        if (!parse_bool(c.arg("on"), &on)) return CommandResult::fail("raft.rule: on must be true or false");
        *rule = on;
        return CommandResult::success();
      }});

  w.register_command(CommandSpec{
      "raft.add_server",
      N_("Add a server to the Raft cluster: it starts empty, catches up as a non-voting learner, then the "
         "leader appends a configuration with it (one change at a time)"),
      {{"name", "string", true, N_("the new server's name, e.g. n6 (or a removed server's, to bring it back)")}},
      [cluster](World&, const Command& c) { return cluster->request_change(true, c.arg("name")); }});
  w.register_command(CommandSpec{
      "raft.remove_server",
      N_("Remove a server from the Raft cluster: the leader appends a configuration without it; a removed "
         "leader steps down once that is committed"),
      {{"name", "node", true, N_("a server in the configuration")}},
      [cluster](World&, const Command& c) { return cluster->request_change(false, c.arg("name")); }});

  w.register_command(CommandSpec{
      "upgrade",
      N_("Rolling upgrade of the Raft nodes: restart `batch` nodes at a time into `version`, waiting for "
      "each batch to rejoin and catch up before the next"),
      {{"version", "string", true, N_("the new version, e.g. v2")},
       {"batch", "int", true, N_("nodes restarted at once (1 keeps a majority up in a 3- or 5-node cluster)")},
       {"pause_ms", "duration", false, N_("wait after a batch has caught up before the next"), "ms", ">= 0", "0"},
       {"restart_ms", "duration", false, N_("how long a node is down while it restarts (default from the scenario)"), "ms", "", ""}},
      [cluster](World& world, const Command& c) -> CommandResult {
        const std::string version = c.arg("version");
        int64_t batch = 0, pause = 0, restart = cluster->config().restart_delay_us / kMs;
        if (version.empty()) return CommandResult::fail("upgrade: version is required (e.g. version=v2)");
        if (!parse_int(c.arg("batch"), &batch) || batch < 1 ||
            batch > static_cast<int64_t>(cluster->servers().size()))
          return CommandResult::fail("upgrade: batch must be an integer from 1 to " +
                                     std::to_string(cluster->servers().size()));
        if (!c.arg("pause_ms").empty() && (!parse_int(c.arg("pause_ms"), &pause) || pause < 0))
          return CommandResult::fail("upgrade: pause_ms must be a non-negative integer");
        if (!c.arg("restart_ms").empty() && (!parse_int(c.arg("restart_ms"), &restart) || restart < 0))
          return CommandResult::fail("upgrade: restart_ms must be a non-negative integer");
        if (cluster->value("upgrade_active").value_or(0) > 0)
          return CommandResult::fail("upgrade: an upgrade is already in progress");
        (void)world;
        cluster->start_upgrade(version, static_cast<int>(batch), pause * kMs, restart * kMs);
        return CommandResult::success();
      }});
  return cluster;
}

}  // namespace topo::raft
