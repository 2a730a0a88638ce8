// One command grammar: a lesson action's value passes `topolab-cli check` (validate_action) if
// and only if the World accepts the Command the lesson runner makes of it (resolve_action, then
// World::apply), for every parameter type and a set of tricky values. Before the validator asked
// the world, it had its own strtod/strtoll parsers and bool words: "0x10", "inf", " 1", "1e999"
// passed the check and failed live, "yes" failed the check and passed live, and a "nodes" value
// with "|" passed the check and failed live: the agreement cases below fail on that validator.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lesson/validator.h"
#include "scenario/scenario.h"
#include "../world_util.h"

using namespace topo;
using namespace topo::lesson;

namespace {

// One parameter of each type, none required, and a handler that changes nothing.
void add_probe(World& w) {
  w.register_command({"probe",
                      "one parameter of each type (test)",
                      {{"i", "int", false, ""},
                       {"x", "number", false, ""},
                       {"p", "prob", false, ""},
                       {"b", "bool", false, ""},
                       {"d", "duration", false, ""},
                       {"n", "node", false, ""},
                       {"ns", "nodes", false, ""},
                       {"g", "groups", false, ""},
                       {"s", "string", false, ""}},
                      [](World&, const Command&) { return CommandResult::success(); }});
}

struct Verdicts {
  bool lesson = false;
  bool live = false;
  std::string why;
};

Verdicts judge(World& w, const std::string& key, const std::string& value) {
  Action a;
  a.op = "probe";
  a.args.push_back({key, value, {1, 1}, {1, 5}});
  Diagnostics d;
  validate_action(a, w, d);
  Verdicts v;
  v.lesson = d.empty();
  for (const auto& x : d) v.why += x.message + "; ";
  std::string err;
  auto c = resolve_action(a, w, 0, &err);
  if (c) {
    const CommandResult r = w.apply(*c);
    v.live = r.ok;
    v.why += r.error;
  } else {
    v.why += err;
  }
  return v;
}

const std::vector<std::string> kTricky = {
    "", "0", "1", "-1", "+1", "42", "0.5", ".5", "5.", "1e3", "1E-2", "-0", "0x10", "0X1p3", "inf", "-inf",
    "nan", " 1", "1 ", "\t1", "1,5", "1e999", "99999999999999999999", "9223372036854775807", "2", "1.5",
    "true", "false", "yes", "no", "on", "off", "True", "YES", "y", "250us", "500ms", "1.5s", "2m", "1h",
    "-1s", "2 s", "10S", "5ms", "0.5ms", "5 ms", "1e3ms", "0x10ms", "-5ms", "5MS", "ms", "5ms5", "n1", "n9", "N1", "n1,n2", "n1, n2", "n1,,n2", "n1|n2", "n1,n2|n3", "n1|", "|n1",
    "n1,n2|n3,n9", "{leader}", "any text"};

}  // namespace

TEST_CASE("a lesson check and a live Command agree on every value of every parameter type") {
  auto w = test::make_world("raft-3", 1);
  add_probe(*w);
  for (const char* key : {"i", "x", "p", "b", "d", "n", "ns", "g", "s"}) {
    for (const auto& value : kTricky) {
      if (value == "{leader}") continue;  // a placeholder: its value is the world's, checked below
      const Verdicts v = judge(*w, key, value);
      INFO("probe " << key << "=\"" << value << "\": " << v.why);
      CHECK(v.lesson == v.live);
    }
  }
}

TEST_CASE("the values the validator and the engine used to disagree on") {
  auto w = test::make_world("raft-3", 1);
  add_probe(*w);
  struct Case {
    const char* key;
    const char* value;
    bool accepted;
  };
  const std::vector<Case> cases = {
      {"x", "0x10", false},  // strtod read hex
      {"x", "inf", false},   // strtod read infinity
      {"x", " 1", false},    // strtod skipped spaces
      {"i", " 1", false},    // strtoll skipped spaces
      {"d", "0x10", false},
      {"p", "0x0", false},
      {"b", "yes", true},    // the engine's bool words: true/false, yes/no, 1/0
      {"b", "no", true},
      {"b", "1", true},
      {"b", "on", false},    // not a Command bool: the handlers read true, 1 or yes
      {"ns", "n1|n2", false},
      {"ns", "n1, n2", true},  // the engine trims names
      {"d", "1.5s", true},     // a lesson's duration with a unit becomes milliseconds
      {"d", "500", true},
      {"d", "-1", false},
      {"i", "1e3", false},
      {"x", "1e3", true},
      {"b", "true", true},
      {"b", "false", true},
      {"b", "0", true},
      {"b", "", false},
      {"i", "-1", true},
      {"i", "0x10", false},
      {"i", "", false},
      {"x", "", false},
      {"d", "5ms", true},      // 5 ms: the Command carries delay 5
      {"d", "-5ms", false},
      {"d", "5 ms", true},     // the duration grammar allows a space before the unit
      {"d", "0x10ms", false},
      {"d", "", false},
  };
  for (const auto& c : cases) {
    const Verdicts v = judge(*w, c.key, c.value);
    INFO("probe " << std::string(c.key) << "=\"" << std::string(c.value) << "\": " << v.why);
    CHECK(v.lesson == c.accepted);
    CHECK(v.live == c.accepted);
  }
}

TEST_CASE("a rejected value keeps the lesson's wording and position") {
  auto w = test::make_world("raft-3", 1);
  add_probe(*w);
  Action a;
  a.op = "probe";
  a.args.push_back({"x", "0x10", {3, 1}, {3, 5}});
  a.args.push_back({"ns", "n1,n9", {3, 12}, {3, 17}});
  a.args.push_back({"g", "n1|n2|", {3, 24}, {3, 26}});
  Diagnostics d;
  validate_action(a, *w, d);
  REQUIRE(d.size() == 3);
  CHECK(d[0].message == "\"x\" of \"probe\" must be a number, not \"0x10\"");
  CHECK(d[0].pos.col == 5);
  CHECK(d[1].message.rfind("unknown node \"n9\"", 0) == 0);
  CHECK(d[1].pos.col == 20);
  CHECK(d[2].message == "\"g\" of \"probe\" must be groups like n1,n2|n3,n4,n5, not \"n1|n2|\"");
}

TEST_CASE("a lesson duration with a unit reaches the Command as the engine's milliseconds") {
  auto w = test::make_world("raft-3", 1);
  add_probe(*w);
  for (const auto& [lesson, engine] : std::vector<std::pair<std::string, std::string>>{
           {"5ms", "5"}, {"1.5s", "1500"}, {"250us", "0.25"}, {"2m", "120000"}, {"500", "500"}}) {
    Action a;
    a.op = "probe";
    a.args.push_back({"d", lesson, {1, 1}, {1, 5}});
    std::string err;
    const auto c = resolve_action(a, *w, 0, &err);
    REQUIRE_MESSAGE(c, err);
    CHECK(c->arg("d") == engine);
    CHECK(w->check_arg("probe", w->find_command("probe")->params[4], engine).empty());
  }
}
