// LessonWorld wrappers, the built-in WorldSource, and WorldFacts: engine facts and model values
// for lesson conditions.
#include "lesson/world_facts.h"

#include <algorithm>
#include <set>

#include "lesson/selector.h"
#include "lesson/text.h"

namespace topo::lesson {

namespace {

class SessionWorld : public LessonWorld {
 public:
  explicit SessionWorld(std::unique_ptr<Session> s) : s_(std::move(s)) {}
  World& world() override { return s_->world(); }
  CommandResult apply(const Command& c) override { return s_->apply(c); }
  void run_until(Time t) override { s_->run_until(t); }
  Session* session() override { return s_.get(); }

 private:
  std::unique_ptr<Session> s_;
};

class BareWorld : public LessonWorld {
 public:
  explicit BareWorld(std::unique_ptr<World> w) : w_(std::move(w)) {}
  World& world() override { return *w_; }
  CommandResult apply(const Command& c) override { return w_->apply(c); }
  void run_until(Time t) override { w_->run_until(t); }

 private:
  std::unique_ptr<World> w_;
};

std::optional<Value> num(double v) { return Value(v); }

}  // namespace

std::unique_ptr<LessonWorld> wrap_session(std::unique_ptr<Session> s) {
  return std::make_unique<SessionWorld>(std::move(s));
}
std::unique_ptr<LessonWorld> wrap_world(std::unique_ptr<World> w) { return std::make_unique<BareWorld>(std::move(w)); }

WorldSource WorldSource::builtin() {
  WorldSource s;
  s.make = [](const std::string& name, uint64_t seed, const Params& p, std::string* err) -> std::unique_ptr<LessonWorld> {
    auto session = Session::create(name, seed, p, err);
    if (!session) return nullptr;
    return wrap_session(std::move(session));
  };
  s.names = [] {
    std::vector<std::string> v;
    for (const auto& sc : scenarios()) v.push_back(sc.name);
    return v;
  };
  return s;
}

bool is_text_key(std::string_view key) {
  if (key.rfind("node.", 0) != 0) return false;
  auto dot = key.rfind('.');
  std::string_view field = key.substr(dot + 1);
  return field == "status" || field == "version" || field == "kind" || field == "role";
}

std::optional<Value> WorldFacts::get(std::string_view key) const {
  if (key.rfind("start.", 0) == 0) {
    const std::string_view base = key.substr(6);
    if (baseline_) {
      auto it = baseline_->find(base);
      if (it != baseline_->end()) return it->second;
    }
    return get(base);
  }
  if (key.find('@') != std::string_view::npos) {
    // One value only: a selector matching one node (arithmetic and comparisons go through expand).
    auto keys = expand(key);
    if (keys.size() != 1 || keys.front().find('@') != std::string::npos) return std::nullopt;
    return get_now(keys.front());
  }
  return get_now(key);
}

std::vector<std::string> WorldFacts::expand(std::string_view key) const {
  const bool start = key.rfind("start.", 0) == 0;
  size_t at = 0, len = 0;
  if (start || !selector_in_key(key, &at, &len)) return {std::string(key)};
  Diagnostics d;
  auto sel = parse_selector(key.substr(at, len), {}, d);
  if (!sel) return {};
  std::vector<std::string> out;
  for (NodeId id : select_nodes(w_, *sel))
    out.push_back(std::string(key.substr(0, at)) + w_.node(id).name + std::string(key.substr(at + len)));
  return out;
}

std::optional<double> WorldFacts::count(std::string_view selector) const {
  Diagnostics d;
  auto sel = parse_selector(selector, {}, d);
  if (!sel) return std::nullopt;
  return static_cast<double>(select_nodes(w_, *sel).size());
}

void collect_baseline_keys(const Expr& e, std::vector<std::string>& out) {
  std::vector<const Operand*> keys;
  collect_keys(e, keys);
  for (const Operand* k : keys)
    if (k->key.rfind("start.", 0) == 0) {
      std::string base = k->key.substr(6);
      if (std::find(out.begin(), out.end(), base) == out.end()) out.push_back(std::move(base));
    }
}

void collect_baseline_keys(std::string_view text, std::vector<std::string>& out) {
  size_t i = 0;
  while ((i = text.find("{{", i)) != std::string_view::npos) {
    const size_t e = text.find("}}", i);
    if (e == std::string_view::npos) return;
    std::string key(text.substr(i + 2, e - i - 2));
    if (key.rfind("node:", 0) == 0) key = key.substr(5);
    if (key.rfind("start.", 0) == 0) {
      std::string base = key.substr(6);
      if (std::find(out.begin(), out.end(), base) == out.end()) out.push_back(std::move(base));
    }
    i = e + 2;
  }
}

Baseline capture_baseline(const World& w, Time step_started_us, const std::vector<std::string>& keys) {
  Baseline b;
  WorldFacts f(w, step_started_us);
  for (const auto& k : keys)
    if (auto v = f.get(k)) b.emplace(k, std::move(*v));
  return b;
}

std::optional<Value> WorldFacts::get_now(std::string_view key) const {
  const World& w = w_;
  if (key == "time_s") return num(static_cast<double>(w.now()) / 1e6);
  if (key == "time_ms") return num(static_cast<double>(w.now()) / 1e3);
  if (key == "elapsed_s") return num(static_cast<double>(w.now() - step_started_) / 1e6);
  if (key == "commands") return num(static_cast<double>(w.command_log().size()));
  if (key.rfind("nodes.", 0) == 0) {
    std::string_view f = key.substr(6);
    int total = 0, up = 0, crashed = 0, restarting = 0, slow = 0;
    for (const auto& n : w.nodes()) {
      ++total;
      if (n->status == NodeStatus::Up) ++up;
      if (n->status == NodeStatus::Crashed) ++crashed;
      if (n->status == NodeStatus::Restarting) ++restarting;
      if (n->cpu_speed < 1.0) ++slow;
    }
    if (f == "total") return num(total);
    if (f == "up") return num(up);
    if (f == "crashed") return num(crashed);
    if (f == "restarting") return num(restarting);
    if (f == "slow") return num(slow);
  }
  if (key == "partitioned" || key == "partition.groups") {
    std::set<int> g(w.partition_groups().begin(), w.partition_groups().end());
    if (key == "partitioned") return num(g.size() > 1 ? 1 : 0);
    return num(static_cast<double>(g.size()));
  }
  if (key == "violations") {
    size_t n = 0;
    for (const auto& m : w.models()) n += m->violations().size();
    return num(static_cast<double>(n));
  }
  if (key.rfind("counter.", 0) == 0) return num(static_cast<double>(w.metrics().counter(std::string(key.substr(8)))));
  if (key.rfind("gauge.", 0) == 0) return num(w.metrics().gauge(std::string(key.substr(6))));
  if (key.rfind("node.", 0) == 0) {
    // node.NAME.FIELD: the name may itself contain dots, so try the longest name first.
    std::string_view rest = key.substr(5);
    for (size_t dot = rest.rfind('.'); dot != std::string_view::npos && dot > 0;
         dot = dot == 0 ? std::string_view::npos : rest.rfind('.', dot - 1)) {
      auto id = w.find_node(rest.substr(0, dot));
      if (!id) continue;
      const Node& n = w.node(*id);
      std::string_view f = rest.substr(dot + 1);
      if (f == "status") return Value(std::string(to_string(n.status)));
      if (f == "up") return num(n.status == NodeStatus::Up ? 1 : 0);
      if (f == "cpu_speed") return num(n.cpu_speed);
      if (f == "version") return Value(n.version);
      if (f == "kind") return Value(n.role);
      if (f == "incarnation") return num(n.incarnation);
      if (f == "queued_work") return num(static_cast<double>(n.queued_work));
      if (f == "group") {
        const auto& g = w.partition_groups();
        return num(static_cast<size_t>(*id) < g.size() ? g[static_cast<size_t>(*id)] : 0);
      }
      if (n.process) {
        for (const auto& [k, v] : n.process->inspect())
          if (k == f) return Value(v);
      }
      return std::nullopt;
    }
  }
  for (const auto& m : w.models())
    if (auto v = m->value(key)) return num(*v);
  return std::nullopt;
}

std::vector<std::string> service_names(const World& w) {
  std::set<std::string> out;
  for (const auto& n : w.nodes()) {
    if (n->role.rfind("service:", 0) == 0) out.insert(n->role.substr(8));
  }
  return {out.begin(), out.end()};
}

// Documented model keys, per model area, with {svc} and {node} placeholders. Only keys the world
// actually answers are offered. Add new keys here when a model documents them.
static const char* const kModelKeyPatterns[] = {
    // Raft (core/models/raft/raft.h)
    "leader_count", "leader", "term", "commit_index", "committed_writes", "ops_ok", "ops_failed", "ops_pending",
    "availability", "up_nodes", "upgraded", "upgrade_active", "last_write_ok_ms", "term.{node}", "commit.{node}",
    "applied.{node}", "is_leader.{node}",
    // primary-backup, quorum (core/models/replication), sharding (core/models/sharding)
    "acked_writes", "lost_writes", "stale_reads", "ops", "ops_unknown", "reads_ok", "primary", "view",
    "failovers", "p50_ms", "p99_ms", "p50_ok_ms", "p99_ok_ms", "n", "r", "w", "read_repairs", "divergent_keys", "nodes", "keys",
    "keys_moved_last", "keys_moved_total", "keys_per_node_max", "keys_per_node_min", "requests", "hot_key_share",
    "load_share_max",
    // services / monolith (core/models/services/services.h); {svc} = services and request types
    "success_rate", "success_rate.{svc}", "p50_ms.{svc}", "p95_ms.{svc}", "p99_ms.{svc}", "p50_ok_ms.{svc}",
    "p99_ok_ms.{svc}", "rps.{svc}",
    "error_budget_burn.{svc}", "requests.{svc}", "error_budget_remaining.{svc}", "error_rate.{svc}",
    "throughput.{svc}", "replicas.{svc}", "replicas_desired.{svc}", "queue.{svc}", "cpu.{svc}", "memory_mb.{svc}",
    "canary_traffic.{svc}", "rolled_back.{svc}",
};

/// Words to put in {svc}: service names, kinds ("queue:queue"), replica base names, request types.
static std::vector<std::string> service_words(const World& w) {
  std::set<std::string> out;
  for (const auto& s : service_names(w)) out.insert(s);
  for (const auto& n : w.nodes()) {
    auto colon = n->role.find(':');
    if (colon != std::string::npos) out.insert(n->role.substr(colon + 1));
    auto dash = n->name.rfind('-');
    if (dash != std::string::npos && dash > 0) out.insert(n->name.substr(0, dash));
  }
  for (const char* t : {"browse", "checkout", "login", "search", "cart", "order", "pay", "all"}) out.insert(t);
  return {out.begin(), out.end()};
}

std::vector<std::string> known_value_keys(const World& w) {
  std::vector<std::string> keys = {"time_s", "time_ms", "elapsed_s", "commands", "nodes.total", "nodes.up",
                                   "nodes.crashed", "nodes.restarting", "nodes.slow", "partitioned",
                                   "partition.groups", "violations"};
  for (const auto& n : w.nodes()) {
    for (const char* f : {"status", "up", "cpu_speed", "version", "kind", "incarnation", "queued_work", "group"})
      keys.push_back("node." + n->name + "." + f);
    if (n->process)
      for (const auto& [k, v] : n->process->inspect()) {
        (void)v;
        keys.push_back("node." + n->name + "." + k);
      }
  }
  std::vector<std::string> svcs = service_words(w);
  std::vector<std::string> nodes;
  for (const auto& n : w.nodes()) nodes.push_back(n->name);
  WorldFacts facts(w);
  std::set<std::string> seen(keys.begin(), keys.end());
  for (const char* p : kModelKeyPatterns) {
    std::string pat = p;
    std::vector<std::string> expanded;
    auto at = pat.find("{svc}");
    auto nat = pat.find("{node}");
    if (at != std::string::npos) {
      for (const auto& s : svcs) expanded.push_back(pat.substr(0, at) + s + pat.substr(at + 5));
    } else if (nat != std::string::npos) {
      for (const auto& s : nodes) expanded.push_back(pat.substr(0, nat) + s + pat.substr(nat + 6));
    } else {
      expanded.push_back(pat);
    }
    for (auto& k : expanded)
      if (!seen.count(k)) {
        for (const auto& m : w.models())
          if (m->value(k)) { keys.push_back(k); seen.insert(k); break; }
      }
  }
  return keys;
}

}  // namespace topo::lesson
