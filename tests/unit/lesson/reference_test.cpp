// The reference completeness test (issue 17): every scenario's declarations (ScenarioInfo::params,
// Model::value_decls, CommandSpec) against what its world really does. Each scenario runs a while
// with faults, then every key a model answers among the probed candidates must match one of its
// declared patterns, every declared pattern must be answered, every declared parameter builds and
// every declared action parameter is accepted. Fake models seed the mistakes the check must catch.
#include <doctest/doctest.h>

#include <set>

#include "lesson/validator.h"
#include "lesson/world_facts.h"
#include "scenario/reference.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;
using namespace topo::lesson;

namespace {

/// The literal words of every declaration of every scenario: the probe vocabulary, so a model
/// answering another model's key (p99_ms.X, balance.X, ...) without declaring it is found too.
std::vector<std::string> all_words() {
  std::set<std::string> words;
  for (const auto& sc : scenarios()) {
    std::string err;
    auto w = build_world(sc.name, 1, {}, &err);
    REQUIRE_MESSAGE(w, sc.name << ": " << err);
    for (const auto& d : world_value_decls(*w)) {
      std::string cur;
      for (char c : d.pattern) {
        if (c == '<' || c == '>' || c == '.' || c == '/') {
          if (!cur.empty()) words.insert(cur);
          cur.clear();
        } else {
          cur += c;
        }
      }
      if (!cur.empty()) words.insert(cur);
    }
  }
  return {words.begin(), words.end()};
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += "\n  " + x;
  return s;
}

/// A sample value of a Command parameter type, in the world's own names.
std::string sample(const World& w, const CommandParam& p) {
  if (!p.default_value.empty()) return p.default_value;
  const std::string a = w.nodes().at(0)->name, b = w.nodes().size() > 1 ? w.nodes()[1]->name : a;
  if (p.type == "node" || p.type == "nodes") return a;
  if (p.type == "groups") return a + "|" + b;
  if (p.type == "bool") return "true";
  if (p.type == "prob") return "0.5";
  if (p.type == "int" || p.type == "number") return "1";
  if (p.type == "duration") return "100";
  return "x";
}

/// A scenario parameter name with its placeholders filled from a built world.
std::string fill(const World& w, const std::string& pattern) {
  std::string out;
  size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] != '<') { out += pattern[i++]; continue; }
    const size_t close = pattern.find('>', i);
    const std::string ph = pattern.substr(i + 1, close - i - 1);
    std::string name;
    if (ph == "rule") name = "persist_vote";
    for (const auto& n : placeholder_names(w, ph))
      if (name.empty() && n.rfind("client->", 0) != 0) name = n;   // an edge of a real service
    REQUIRE_MESSAGE(!name.empty(), "no name for <" << ph << "> in " << pattern);
    out += name;
    i = close + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("reference: every scenario's models declare every key they answer, after a run with faults") {
  const auto vocabulary = all_words();
  for (const auto& sc : scenarios()) {
    CAPTURE(sc.name);
    std::string err;
    auto w = build_world(sc.name, 1, {}, &err);
    REQUIRE_MESSAGE(w, err);
    // Faults so every key family exists: a crashed node, a partition, a slowed node; then time.
    w->run_until(300 * kMs);
    const std::string first = w->nodes().at(0)->name;
    const std::string second = w->nodes().size() > 1 ? w->nodes()[1]->name : first;
    std::vector<std::string> faults = {"crash node=" + second};
    if (second != first) faults.push_back("partition groups=" + first + "|" + second), faults.push_back("heal");
    for (const std::string& text : faults) {
      auto c = Command::parse(text, &err);
      REQUIRE(c);
      w->apply(*c);
    }
    w->run_until(1500 * kMs);
    const auto problems = check_value_declarations(*w, vocabulary);
    CHECK_MESSAGE(problems.empty(), sc.name << ":" << join(problems));
    // Every engine declaration is answered by WorldFacts for some name of this world.
    WorldFacts facts(*w);
    for (const auto& d : engine_value_decls()) {
      if (d.pattern == "counter.<counter>" && w->metrics().counters().empty()) continue;
      if (d.pattern == "gauge.<gauge>" && w->metrics().gauges().empty()) continue;
      if (d.pattern == "node.<node>.<field>" && placeholder_names(*w, "field").empty()) continue;   // all crashed
      const auto keys = expand_pattern(*w, d.pattern, [&](const std::string& k) { return facts.get(k).has_value(); });
      CHECK_MESSAGE(!keys.empty(), "engine key " << d.pattern << " answers nothing");
    }
    // --list-values lists each key once, and every listed key has a declaration.
    const auto keys = known_value_keys(*w);
    std::set<std::string> seen;
    for (const auto& k : keys) {
      CHECK_MESSAGE(seen.insert(k).second, "listed twice: " << k);
      CHECK_MESSAGE(find_world_value_decl(*w, k).has_value(), "no declaration: " << k);
    }
  }
}

TEST_CASE("reference: --list-values of the shop lists the edge keys and the service keys the old list missed") {
  std::string err;
  auto w = build_world("shop", 1, {}, &err);
  REQUIRE(w);
  const auto keys = known_value_keys(*w);
  const std::set<std::string> set(keys.begin(), keys.end());
  for (const char* k : {"breaker.checkout->payment", "retries.checkout->payment", "error_rate.checkout->payment",
                        "timeout_ms.checkout->payment", "fallback.checkout->payment", "bulkhead.checkout->payment",
                        "success_pct", "network_calls.checkout", "deployables", "replicas_total", "cores.payment",
                        "starts.payment", "deploying.payment", "new_version.payment", "autoscaling.payment",
                        "cpu_pct.payment", "canary_pct.payment", "p99_ms.checkout", "node.gateway-1.version"})
    CHECK_MESSAGE(set.count(k), k);
  const auto decl = find_world_value_decl(*w, "breaker.checkout->payment");
  REQUIRE(decl);
  CHECK(decl->type == "enum");
  CHECK(decl->enum_names == std::vector<std::string>{"closed", "open", "half_open"});
}

TEST_CASE("reference: every declared scenario parameter builds, and an undeclared one does not") {
  for (const auto& sc : scenarios()) {
    CAPTURE(sc.name);
    REQUIRE_MESSAGE(!sc.params.empty(), sc.name << " declares no parameters");
    std::string err;
    auto base = build_world(sc.name, 1, {}, &err);
    REQUIRE(base);
    for (const auto& p : sc.params) {
      if (p.name == "file") continue;   // a path to a file
      const std::string name = fill(*base, p.name);
      std::string value = !p.default_value.empty() ? p.default_value : p.example;
      if (value.empty() && !p.enum_names.empty()) value = p.enum_names.front();
      REQUIRE_MESSAGE(!value.empty(), p.name << " has neither a default nor an example");
      CHECK_MESSAGE(!p.help.empty(), p.name);
      auto w = build_world(sc.name, 1, {{name, value}}, &err);
      CHECK_MESSAGE(w, name << "=" << value << ": " << err);
      for (const auto& e : p.enum_names) {
        auto we = build_world(sc.name, 1, {{name, e}}, &err);
        CHECK_MESSAGE(we, name << "=" << e << ": " << err);
      }
    }
    CHECK_FALSE(build_world(sc.name, 1, {{"no_such_parameter", "1"}}, &err));
    CHECK(find_param_decl(sc.params, "no_such_parameter") == nullptr);
  }
}

TEST_CASE("reference: every declared action parameter is accepted by the world's apply") {
  for (const auto& sc : scenarios()) {
    CAPTURE(sc.name);
    std::string err;
    auto w = build_world(sc.name, 1, {}, &err);
    REQUIRE(w);
    w->run_until(100 * kMs);
    for (const auto& spec : std::vector<CommandSpec>(w->command_specs())) {
      CHECK_MESSAGE(!spec.help.empty(), spec.op);
      Command c;
      c.op = spec.op;
      for (const auto& p : spec.params) {
        CHECK_MESSAGE(!p.help.empty(), spec.op << " " << p.name);
        c.args[p.name] = sample(*w, p);
      }
      const CommandResult r = w->apply(c);
      // Refusals about the state (already crashed, no such service) are fine; the parameter
      // names and the command itself must be known.
      CHECK_MESSAGE(r.error.find("unknown key") == std::string::npos, c.to_text() << ": " << r.error);
      CHECK_MESSAGE(r.error.find("unknown command") == std::string::npos, c.to_text() << ": " << r.error);
      CHECK_MESSAGE(r.error.find(": missing ") == std::string::npos, c.to_text() << ": " << r.error);
    }
  }
}

namespace {

// Fake models, each with one mistake the completeness check must report.
struct Undeclared : Model {
  std::string name() const override { return "fake"; }
  std::optional<double> value(std::string_view k) const override {
    if (k == "declared_key") return 1.0;
    if (k == "hidden_key") return 2.0;        // answered, never declared; named in state_json
    if (k == "p99_ms.n1") return 3.0;         // another model's word, on a node name
    return std::nullopt;
  }
  std::string state_json() const override { return "{\"hidden_key\":2}"; }
  std::vector<ValueDecl> value_decls() const override { return {{"declared_key", "count", "", "a declared key"}}; }
};
struct Stale : Model {
  std::string name() const override { return "stale"; }
  std::optional<double> value(std::string_view k) const override {
    if (k == "mood") return 7.0;              // an enum value with no name
    if (k == "share") return 1.5;             // a fraction above 1
    return std::nullopt;
  }
  std::vector<ValueDecl> value_decls() const override {
    return {{"ghost_key", "count", "", "declared, never answered"},
            {"mood", "enum", "", "a state", {"calm", "angry"}},
            {"share", "fraction", "", "a share"}};
  }
};

bool mentions(const std::vector<std::string>& problems, const std::string& what) {
  for (const auto& p : problems)
    if (p.find(what) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("reference: the completeness check reports a seeded undeclared key, a stale declaration, a bad enum") {
  std::string err;
  auto w = build_world("ping", 1, {}, &err);
  REQUIRE(w);
  CHECK(check_value_declarations(*w, all_words()).empty());   // the real ping world is clean
  w->add_model(std::make_unique<Undeclared>());
  w->add_model(std::make_unique<Stale>());
  const auto problems = check_value_declarations(*w, all_words());
  CHECK(mentions(problems, "model \"fake\" answers \"hidden_key\" but declares no pattern for it"));
  CHECK(mentions(problems, "model \"fake\" answers \"p99_ms.n1\""));
  CHECK_FALSE(mentions(problems, "\"declared_key\""));
  CHECK(mentions(problems, "model \"stale\" declares \"ghost_key\" but answers no key of it"));
  CHECK(mentions(problems, "\"mood\" is 7"));
  CHECK(mentions(problems, "\"share\" is 1.5"));
  CHECK(problems.size() == 5);
}

TEST_CASE("reference: key patterns") {
  CHECK(key_matches("p99_ms.<service>", "p99_ms.checkout"));
  CHECK_FALSE(key_matches("p99_ms.<service>", "p99_ms."));
  CHECK_FALSE(key_matches("p99_ms.<service>", "p95_ms.checkout"));
  CHECK(key_matches("<system>/breaker.<edge>", "mono/breaker.a->b"));
  CHECK(key_matches("leader", "leader"));
  CHECK_FALSE(key_matches("leader", "leader_count"));
  CHECK(placeholders("node.<node>.<field>") == std::vector<std::string>{"node", "field"});
}

TEST_CASE("reference: conditions compare an enum key with its names; the checker lists the valid names") {
  std::string err;
  auto w = build_world("shop", 1, {{"resilience", "on"}}, &err);
  REQUIRE(w);
  WorldFacts facts(*w);
  auto holds = [&](const std::string& text) {
    Diagnostics d;
    auto c = parse_condition(text, {1, 1}, d);
    REQUIRE_MESSAGE(c, text);
    return evaluate(c->root, facts);
  };
  REQUIRE(facts.get("breaker.checkout->payment"));
  const double state = std::get<double>(*facts.get("breaker.checkout->payment"));
  CHECK(state == 0);
  CHECK(holds("breaker.checkout->payment == \"closed\""));
  CHECK_FALSE(holds("breaker.checkout->payment == \"open\""));
  CHECK(holds("breaker.checkout->payment != \"open\""));
  CHECK(holds("\"closed\" == breaker.checkout->payment"));
  CHECK(facts.enum_number("breaker.checkout->payment", "half_open") == 2.0);
  CHECK_FALSE(facts.enum_number("p99_ms.checkout", "open"));

  const std::string lesson =
      "format = 1\nid = \"t\"\ntitle = \"t\"\nsummary = \"s\"\nlevel = \"beginner\"\nminutes = 1\n"
      "[scenario]\nname = \"shop\"\nparams = { resilience = \"on\", lod = 2 }\n"
      "[[step]]\ntitle = \"a\"\ntext = \"b\"\n"
      "[step.wait]\nuntil = 'breaker.checkout->payment == \"opn\"'\ntimeout = \"10s\"\n";
  CheckResult r = check_lesson(lesson, WorldSource::builtin());
  REQUIRE(!r.diags.empty());
  std::string all;
  for (const auto& d : r.diags) all += std::to_string(d.pos.line) + ":" + std::to_string(d.pos.col) + ": " + d.message + "\n";
  CHECK_MESSAGE(all.find("9:") != std::string::npos, all);
  CHECK_MESSAGE(all.find("scenario \"shop\" has no parameter \"lod\" — did you mean \"load\"?") != std::string::npos, all);
  const std::string fixed_params = "params = { resilience = \"on\", load = 2 }";
  std::string l2 = lesson;
  l2.replace(l2.find("params = {"), l2.find("\n[[step]]") - l2.find("params = {"), fixed_params);
  CheckResult r2 = check_lesson(l2, WorldSource::builtin());
  std::string all2;
  for (const auto& d : r2.diags) all2 += std::to_string(d.pos.line) + ":" + std::to_string(d.pos.col) + ": " + d.message + "\n";
  CHECK_MESSAGE(all2.find("\"breaker.checkout->payment\" is one of \"closed\", \"open\", \"half_open\", not \"opn\"") !=
                    std::string::npos,
                all2);
  CHECK_MESSAGE(all2.find("14:") != std::string::npos, all2);
  std::string l3 = l2;
  l3.replace(l3.find("\"opn\""), 5, "\"open\"");
  CheckResult r3 = check_lesson(l3, WorldSource::builtin());
  std::string all3;
  for (const auto& d : r3.diags) all3 += d.message + "\n";
  CHECK_MESSAGE(r3.ok(), all3);
}
