// LessonWorld wrappers, the built-in WorldSource, and WorldFacts: engine facts and model values
// for lesson conditions.
#include "lesson/world_facts.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "lesson/selector.h"
#include "lesson/text.h"
#include "scenario/reference.h"

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

std::optional<Value> get_start_key(std::string_view key, const Baseline* baseline, const Facts& now) {
  const std::string_view base = key.substr(6);   // after "start."
  if (baseline) {
    auto it = baseline->find(base);
    if (it != baseline->end()) return it->second;
  }
  return now.get(base);
}

std::optional<Value> WorldFacts::get(std::string_view key) const {
  if (key.rfind("start.", 0) == 0) return get_start_key(key, baseline_, *this);
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
  return capture_baseline(WorldFacts(w, step_started_us), keys);
}

Baseline capture_baseline(const Facts& f, const std::vector<std::string>& keys) {
  Baseline b;
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

const std::vector<ValueDecl>& engine_value_decls() {
  static const std::vector<ValueDecl> v = value_decl_table({
      {"time_s", "number", "s", "simulated time since the start"},
      {"time_ms", "number", "ms", "simulated time since the start"},
      {"elapsed_s", "number", "s", "simulated seconds since the current step started"},
      {"commands", "count", "", "actions applied so far (by the lesson and the learner)"},
      {"nodes.total", "count", "", "nodes (clients are nodes too)"},
      {"nodes.up", "count", "", "nodes up"},
      {"nodes.crashed", "count", "", "nodes crashed"},
      {"nodes.restarting", "count", "", "nodes restarting"},
      {"nodes.slow", "count", "", "nodes with a slowed CPU"},
      {"partitioned", "bool", "", "1 while the network is split"},
      {"partition.groups", "count", "", "partition groups (1 when healed)"},
      {"violations", "count", "", "safety violations every checker found"},
      {"node.<node>.status", "text", "", "a node's status", {"up", "crashed", "restarting"}},
      {"node.<node>.up", "bool", "", "1 if the node is up"},
      {"node.<node>.cpu_speed", "number", "x", "CPU speed (1 normal, 0.05 twenty times slower)"},
      {"node.<node>.version", "text", "", "deployed software version"},
      {"node.<node>.kind", "text", "", "the node's role in the topology (\"raft\", \"client\", \"service:payment\")"},
      {"node.<node>.incarnation", "count", "", "crashes so far"},
      {"node.<node>.queued_work", "count", "", "CPU jobs waiting or in service"},
      {"node.<node>.group", "count", "", "partition group (0 when healed)"},
      {"node.<node>.<field>", "text", "", "any field the inspector shows for the node (role, term, ...)"},
      {"counter.<counter>", "count", "", "an engine counter (0 until first counted)"},
      {"gauge.<gauge>", "number", "", "an engine gauge (0 until first set)"},
  });
  return v;
}

std::vector<ValueDecl> world_value_decls(const World& w) {
  std::vector<ValueDecl> v = engine_value_decls();
  for (const auto& m : w.models())
    for (auto& d : m->value_decls()) v.push_back(std::move(d));
  return v;
}

std::optional<ValueDecl> find_world_value_decl(const World& w, std::string_view key) {
  // The engine answers node.*, counter.* and gauge.* before any model (WorldFacts::get).
  const auto& eng = engine_value_decls();
  if (const ValueDecl* d = find_value_decl(eng, key)) {
    const bool engine_first = key.rfind("node.", 0) == 0 || key.rfind("counter.", 0) == 0 || key.rfind("gauge.", 0) == 0 ||
                              key.rfind("nodes.", 0) == 0 || d->pattern.find('<') == std::string::npos;
    if (engine_first) return *d;
  }
  for (const auto& m : w.models()) {
    if (!m->value(key)) continue;   // the first model that answers is the one WorldFacts reads
    const auto decls = m->value_decls();
    if (const ValueDecl* d = find_value_decl(decls, key)) return *d;
    return std::nullopt;
  }
  return std::nullopt;
}

std::vector<std::string> placeholder_names(const World& w, std::string_view placeholder) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& n) {
    if (seen.insert(n).second) out.push_back(n);
  };
  for (const auto& m : w.models())
    for (const auto& n : m->value_names(placeholder)) add(n);
  if (!out.empty()) return out;
  if (placeholder == "node" || placeholder == "player")
    for (const auto& n : w.nodes()) add(n->name);
  if (placeholder == "field")
    for (const auto& n : w.nodes())
      if (n->process)
        for (const auto& [k, v] : n->process->inspect()) {
          (void)v;
          add(k);
        }
  if (placeholder == "counter")
    for (const auto& [k, v] : w.metrics().counters()) { (void)v; add(k); }
  if (placeholder == "gauge")
    for (const auto& [k, v] : w.metrics().gauges()) { (void)v; add(k); }
  return out;
}

namespace {

void expand_into(const World& w, const std::string& prefix, std::string_view rest, const std::string& node,
                 const std::function<bool(const std::string&)>& answers, std::vector<std::string>& out) {
  const size_t open = rest.find('<');
  if (open == std::string_view::npos) {
    std::string key = prefix + std::string(rest);
    if (answers(key)) out.push_back(std::move(key));
    return;
  }
  const size_t close = rest.find('>', open);
  if (close == std::string_view::npos) return;
  const std::string name(rest.substr(open + 1, close - open - 1));
  const std::string head = prefix + std::string(rest.substr(0, open));
  std::vector<std::string> names;
  if (name == "field" && !node.empty()) {
    // node.<node>.<field>: the fields this node's inspector shows.
    if (auto id = w.find_node(node))
      if (const Node& n = w.node(*id); n.process)
        for (const auto& [k, v] : n.process->inspect()) {
          (void)v;
          names.push_back(k);
        }
  } else {
    names = placeholder_names(w, name);
  }
  for (const auto& n : names)
    expand_into(w, head + n, rest.substr(close + 1), name == "node" ? n : node, answers, out);
}

}  // namespace

std::vector<std::string> expand_pattern(const World& w, const std::string& pattern,
                                        const std::function<bool(const std::string&)>& answers) {
  std::vector<std::string> out;
  expand_into(w, "", pattern, "", answers, out);
  return out;
}

std::vector<std::string> known_value_keys(const World& w) {
  WorldFacts facts(w);
  std::vector<std::string> keys;
  std::set<std::string> seen;
  for (const auto& d : world_value_decls(w)) {
    auto answered = [&](const std::string& k) { return !seen.count(k) && facts.get(k).has_value(); };
    for (auto& k : expand_pattern(w, d.pattern, answered))
      if (seen.insert(k).second) keys.push_back(std::move(k));
  }
  return keys;
}

std::optional<double> WorldFacts::enum_number(std::string_view key, std::string_view name) const {
  auto d = find_world_value_decl(w_, key);
  if (!d || d->type != "enum") return std::nullopt;
  const int i = enum_index(*d, name);
  if (i < 0) return std::nullopt;
  return static_cast<double>(i);
}

namespace {

/// The field names of JSON text ("\"name\":"), a model's own vocabulary.
void json_field_names(const std::string& text, std::set<std::string>& out) {
  size_t i = 0;
  while ((i = text.find('"', i)) != std::string::npos) {
    const size_t e = text.find('"', i + 1);
    if (e == std::string::npos) break;
    if (e + 1 < text.size() && text[e + 1] == ':') out.insert(text.substr(i + 1, e - i - 1));
    i = e + 1;
  }
}

/// The literal words of a pattern: "p99_ms.<service>" -> "p99_ms"; "<system>/x.<edge>" -> "x".
void pattern_words(const std::string& p, std::set<std::string>& out) {
  std::string cur;
  for (size_t i = 0; i <= p.size(); ++i) {
    if (i == p.size() || p[i] == '<' || p[i] == '/') {
      while (!cur.empty() && (cur.back() == '.' || cur.back() == '/')) cur.pop_back();
      while (!cur.empty() && (cur.front() == '.' || cur.front() == '/')) cur.erase(0, 1);
      if (!cur.empty()) out.insert(cur);
      cur.clear();
      if (i < p.size() && p[i] == '<') i = p.find('>', i);
      if (i == std::string::npos) break;
      continue;
    }
    cur += p[i];
  }
}

}  // namespace

std::vector<std::string> check_value_declarations(const World& w, const std::vector<std::string>& vocabulary) {
  std::vector<std::string> problems;
  std::set<std::string> words(vocabulary.begin(), vocabulary.end());
  std::set<std::string> subjects;
  for (const auto& d : world_value_decls(w)) {
    pattern_words(d.pattern, words);
    for (const auto& ph : placeholders(d.pattern))
      for (const auto& n : placeholder_names(w, ph)) subjects.insert(n);
  }
  for (const auto& n : w.nodes()) subjects.insert(n->name);
  std::vector<std::string> systems = placeholder_names(w, "system");
  for (const auto& m : w.models()) {
    json_field_names(m->state_json(), words);
    std::ostringstream metrics;
    m->report_metrics(metrics);
    json_field_names(metrics.str(), words);
  }
  // Candidates: WORD, WORD.SUBJECT, and each with a "SYSTEM/" prefix.
  std::vector<std::string> candidates;
  for (const auto& word : words) {
    candidates.push_back(word);
    for (const auto& s : subjects) candidates.push_back(word + "." + s);
  }
  const size_t plain = candidates.size();
  for (const auto& sys : systems)
    for (size_t i = 0; i < plain; ++i) candidates.push_back(sys + "/" + candidates[i]);
  for (const auto& m : w.models()) {
    const auto decls = m->value_decls();
    for (const auto& k : candidates) {
      auto v = m->value(k);
      if (!v) continue;
      const ValueDecl* d = find_value_decl(decls, k);
      if (!d) {
        problems.push_back("model \"" + m->name() + "\" answers \"" + k + "\" but declares no pattern for it");
        continue;
      }
      if (d->type == "enum" && (*v < 0 || *v >= static_cast<double>(d->enum_names.size()) || *v != static_cast<int>(*v)))
        problems.push_back("model \"" + m->name() + "\": \"" + k + "\" is " + format_number(*v) + ", which no enum name of \"" +
                           d->pattern + "\" stands for");
      if ((d->type == "fraction" || d->type == "bool") && (*v < 0 || *v > 1))
        problems.push_back("model \"" + m->name() + "\": \"" + k + "\" is " + format_number(*v) + ", outside 0..1 for a " +
                           d->type);
    }
    for (const auto& d : decls) {
      if (d.type.empty() || d.help.empty())
        problems.push_back("model \"" + m->name() + "\": \"" + d.pattern + "\" has no type or no help");
      if (d.type == "enum" && d.enum_names.empty())
        problems.push_back("model \"" + m->name() + "\": enum \"" + d.pattern + "\" names no values");
      const auto keys = expand_pattern(w, d.pattern, [&](const std::string& k) { return m->value(k).has_value(); });
      if (keys.empty())
        problems.push_back("model \"" + m->name() + "\" declares \"" + d.pattern + "\" but answers no key of it");
    }
  }
  return problems;
}

}  // namespace topo::lesson
