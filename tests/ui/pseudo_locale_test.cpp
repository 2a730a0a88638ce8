// The pseudo-locale "qps" wraps every translated message in [ ] and accents it, so English that
// is still on screen in it was never marked for translation. These tests open the lab's views in
// qps (a Raft cluster with a server selected, the shop, the replicated stores; each tab, the
// menus' bar, the lesson panel) and read back every glyph the frame draws (drawn_text.h): a word
// of plain English outside the brackets fails, naming the line it stands in.
#include <doctest/doctest.h>

#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "imgui.h"
#include "catalog/catalog.h"
#include "ui/lab_app.h"
#include "ui/languages.h"
#include "util/i18n.h"
#include "app_harness.h"
#include "drawn_text.h"

using namespace topo;

namespace {

/// Words that stay as they are in every language: names, not messages. get and put are the
/// key-value store's operations as its clients call them (the History tab lists them as code).
/// alice and bob are the money transfer's account holders.
const std::set<std::string> kNames = {"Topolab", "Raft", "TOML", "JSON", "HTTP", "ImGui", "ms", "KV", "get", "put",
                                      "alice", "bob"};

/// What a world names rather than says, which is shown as it is in every language: its nodes'
/// and services' names (a service "cart" with replicas cart-1, cart-2), its models' names, and
/// what a student types in a command (parameter names, default values).
std::set<std::string> world_names(const World& w) {
  std::set<std::string> out;
  for (const auto& n : w.nodes()) {
    out.insert(n->name);
    out.insert(n->name.substr(0, n->name.find('-')));
    if (const size_t colon = n->role.find(':'); colon != std::string::npos) out.insert(n->role.substr(colon + 1));
  }
  for (const auto& m : w.models()) {
    out.insert(m->name());
    for (const char* placeholder : {"workload", "service", "type"})   // the cloud's web, api, db ...
      for (const auto& name : m->value_names(placeholder)) out.insert(name);
  }
  for (const CommandSpec& c : w.command_specs())
    for (const CommandParam& p : c.params) {
      out.insert(p.name);
      if (!p.default_value.empty()) out.insert(p.default_value);
    }
  return out;
}

/// The English words of `line` outside [ ] (a message and what is substituted into it), skipping
/// identifiers (anything with a digit, '_', '.', '-', '/', '=' or ':' in it: n1, raft-5,
/// raft.persist_vote, key=value), words of one or two letters and names.
std::vector<std::string> unwrapped_words(const std::string& line, const std::set<std::string>& names = {}) {
  std::string outside;
  int depth = 0;
  for (char c : line) {
    if (c == '[') ++depth;
    else if (c == ']') depth = depth > 0 ? depth - 1 : 0;
    else if (depth == 0) outside += c;
  }
  std::vector<std::string> words;
  size_t i = 0;
  while (i < outside.size()) {
    if (std::isspace(static_cast<unsigned char>(outside[i])) || outside[i] == ',' || outside[i] == '(' || outside[i] == ')') {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < outside.size() && !std::isspace(static_cast<unsigned char>(outside[j])) && outside[j] != ',' &&
           outside[j] != '(' && outside[j] != ')')
      ++j;
    std::string tok = outside.substr(i, j - i);
    i = j;
    while (!tok.empty() && std::string("!?;\"'").find(tok.back()) != std::string::npos) tok.pop_back();
    bool letters = tok.size() >= 3;
    for (char c : tok) letters = letters && std::isalpha(static_cast<unsigned char>(c));
    if (letters && !kNames.count(tok) && !names.count(tok)) words.push_back(tok);
  }
  return words;
}

/// Every line of the last frame that shows plain English, with the words.
std::vector<std::string> english_lines(const std::set<std::string>& names) {
  std::vector<std::string> out;
  for (const std::string& line : test::drawn_text()) {
    const auto w = unwrapped_words(line, names);
    if (!w.empty()) out.push_back("\"" + line + "\" (" + w[0] + ")");
  }
  return out;
}

struct Qps {
  Qps() {
    ui::load_languages();
    REQUIRE(i18n::set_language("qps") == "qps");
  }
  ~Qps() { i18n::set_language("en"); }
};

void frames(test::AppHarness& h, ui::LabApp& app, int n = 3) {
  for (int i = 0; i < n; ++i) h.frame(app);
}

/// Draws `n` frames and reports every English line of the last one under `where`.
void expect_all_wrapped(test::AppHarness& h, ui::LabApp& app, const std::string& where) {
  frames(h, app);
  const auto lines = test::drawn_text();
  CHECK_MESSAGE(lines.size() > 10, where << ": the frame shows text");   // the reader reads something
  const auto bad = english_lines(world_names(*app.world()));
  std::string all;
  for (const auto& b : bad) all += "\n  " + b;
  CHECK_MESSAGE(bad.empty(), where << ": English not wrapped by the pseudo-locale:" << all);
}

}  // namespace

TEST_CASE("drawn text: the frame's glyphs read back as its text, and an unmarked string is caught") {
  test::AppHarness h;
  ui::LabApp app{ui::AppOptions{}};
  REQUIRE(app.open_scenario("raft-5", 1));
  app.command_json(R"({"op":"ui.tab","name":"Inspector"})");
  frames(h, app);
  // The Inspector's prompt (a window's text) and a server's name on the canvas (a draw-list
  // label), read back from their glyphs, on both targets (the web build has no ImGui menu bar).
  bool prompt = false, node = false;
  for (const auto& l : test::drawn_text()) {
    prompt = prompt || l.find("Click a node to inspect it.") != std::string::npos;
    node = node || l == "n3";
  }
  CHECK(prompt);
  CHECK(node);
  // The checker itself: plain English is found, a wrapped message and identifiers are not.
  CHECK(unwrapped_words("n2 crashed") == std::vector<std::string>{"crashed"});
  CHECK(unwrapped_words("[ñ2 ċŕåšħéð] raft-5 n1 t=3.2 s").empty());
  CHECK(unwrapped_words("[Ŝéŕvéŕ [ñéšţéð]] leader").size() == 1);
}

TEST_CASE("pseudo-locale: a Raft cluster, a server selected, every tab") {
  Qps qps;
  test::AppHarness h;
  ui::LabApp app{ui::AppOptions{}};
  REQUIRE(app.open_scenario("raft-5", 1));
  app.command_json(R"({"op":"ui.run_ms","value":1500})");
  app.command_json(R"({"op":"ui.select","node":"n1"})");
  for (const char* tab : {"Inspector", "Tools", "Charts", "History", "Event log"}) {
    app.command_json(std::string(R"({"op":"ui.tab","name":")") + tab + "\"}");
    expect_all_wrapped(h, app, std::string("raft-5, tab ") + tab);
  }
}

TEST_CASE("pseudo-locale: the shop with a service selected, and the replicated stores") {
  Qps qps;
  test::AppHarness h;
  for (const char* scenario : {"shop", "primary-backup", "quorum"}) {
    ui::LabApp app{ui::AppOptions{}};
    REQUIRE(app.open_scenario(scenario, 1));
    app.command_json(R"({"op":"ui.run_ms","value":1500})");
    for (const char* tab : {"Inspector", "Tools", "Charts"}) {
      app.command_json(std::string(R"({"op":"ui.tab","name":")") + tab + "\"}");
      expect_all_wrapped(h, app, std::string(scenario) + ", tab " + tab);
    }
  }
}

TEST_CASE("pseudo-locale: every scenario's summary (the Scenario menu's and Free play's tooltips) is a message") {
  Qps qps;
  for (const ScenarioInfo& s : scenarios()) {
    CHECK_MESSAGE(!s.summary.empty(), s.name << " has no summary");
    const std::string shown = i18n::tr(s.summary.c_str());
    CHECK_MESSAGE(shown.rfind("[", 0) == 0, s.name << "'s summary is not marked for translation: " << s.summary);
  }
}

TEST_CASE("pseudo-locale: the Inspector of one node of each kind, in every built-in scenario") {
  // A model that adds a state variable without words for it (or a role, a state value) fails here.
  Qps qps;
  test::AppHarness h;
  for (const ScenarioInfo& s : scenarios()) {
    if (s.name == "gossip") continue;   // 1,000 nodes of one kind: the raft and ping rows cover the engine's
    ui::LabApp app{ui::AppOptions{}};
    REQUIRE_MESSAGE(app.open_scenario(s.name, 1), s.name);
    app.command_json(R"({"op":"ui.run_ms","value":1500})");
    app.command_json(R"({"op":"ui.tab","name":"Inspector"})");
    std::set<std::string> roles;
    for (const auto& n : app.world()->nodes()) {
      if (!roles.insert(n->role).second) continue;
      app.command_json(R"({"op":"ui.select","node":")" + n->name + "\"}");
      expect_all_wrapped(h, app, s.name + ", Inspector of " + n->name + " (" + n->role + ")");
    }
  }
}
