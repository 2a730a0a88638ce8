// A lesson step's `chart` key: parsed into Step::chart with positions, checked against the charts
// the lesson's world records (unknown names at file:line:col with a did-you-mean).
#include <doctest/doctest.h>

#include <string>

#include "lesson/runner.h"
#include "lesson/validator.h"

using namespace topo;
using namespace topo::lesson;

namespace {

const char* kRaft = R"(format = 1
id = "chart-test"
title = "Charts"
summary = "Charts in a step."
level = "beginner"
minutes = 5

[scenario]
name = "raft-5"
seed = 1

[[step]]
title = "Commits"
text = "Watch the commits."
chart = ["commits_per_s", "availability"]

[[step]]
title = "Terms"
text = "And the term."
chart = "term"
)";

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("chart key: parsed with positions and validated against the world's charts") {
  auto r = check_lesson(kRaft, WorldSource::builtin());
  for (const auto& d : r.diags) INFO(format_diagnostic("chart.toml", d));
  REQUIRE(r.diags.empty());
  REQUIRE(r.lesson);
  const auto& steps = r.lesson->steps;
  REQUIRE(steps.size() == 2);
  REQUIRE(steps[0].chart.size() == 2);
  CHECK(steps[0].chart[0].name == "commits_per_s");
  CHECK(steps[0].chart[1].name == "availability");
  CHECK(steps[0].chart[0].pos.line == 15);
  CHECK(steps[0].chart[0].pos.col == 11);
  REQUIRE(steps[1].chart.size() == 1);
  CHECK(steps[1].chart[0].name == "term");
  CHECK(steps[1].chart[0].pos.line == 20);
  // The runner exposes it on the current step.
  std::string err;
  auto runner = Runner::create(*r.lesson, WorldSource::builtin(), Mode::Interactive, &err);
  REQUIRE_MESSAGE(runner, err);
  CHECK(runner->step().chart.size() == 2);
}

TEST_CASE("chart key: an unknown chart is an error at its line and column with a suggestion") {
  auto r = check_lesson(replace(kRaft, "\"availability\"]", "\"availabilty\"]"), WorldSource::builtin());
  REQUIRE(r.diags.size() == 1);
  CHECK(format_diagnostic("chart.toml", r.diags[0]).rfind("chart.toml:15:28: unknown chart \"availabilty\" (this world's charts: availability, commits_per_s, ", 0) == 0);
  CHECK(r.diags[0].message.find("did you mean \"availability\"?") != std::string::npos);
  // Charts of another world are unknown here: p99_ms is the shop's.
  r = check_lesson(replace(kRaft, "chart = \"term\"", "chart = \"p99_ms\""), WorldSource::builtin());
  REQUIRE(r.diags.size() == 1);
  CHECK(r.diags[0].pos.line == 20);
  CHECK(r.diags[0].message.find("unknown chart \"p99_ms\"") == 0);
  CHECK(r.diags[0].message.find("commits_per_s") != std::string::npos);   // lists the charts
  // Types: a number, an empty list.
  r = check_lesson(replace(kRaft, "chart = \"term\"", "chart = 3"), WorldSource::builtin());
  REQUIRE(!r.diags.empty());
  CHECK(r.diags[0].pos.line == 20);
  r = check_lesson(replace(kRaft, "chart = \"term\"", "chart = []"), WorldSource::builtin());
  REQUIRE(!r.diags.empty());
  CHECK(r.diags[0].message.find("at least one chart") != std::string::npos);
}

TEST_CASE("chart key: the service worlds' charts") {
  std::string shop = replace(replace(kRaft, "raft-5", "shop"), "[\"commits_per_s\", \"availability\"]", "[\"p99_ms\", \"error_rate\"]");
  shop = replace(shop, "chart = \"term\"", "chart = \"p50_ms\"");
  auto r = check_lesson(shop, WorldSource::builtin());
  for (const auto& d : r.diags) INFO(format_diagnostic("shop.toml", d));
  CHECK(r.diags.empty());
}
