// The Charts tab (ui/panels/charts_panel), headless: every world has charts from the first
// frames, and a lesson step's `chart` key switches to the tab and shows its charts first and
// open, the others collapsed.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "imgui.h"
#include "ui/lab_app.h"
#include "app_harness.h"

using namespace topo;
using test::AppHarness;

namespace {

const char* kLesson = R"(format = 1
id = "charts-ui"
title = "Charts in a lesson"
summary = "Charts in a step."
level = "beginner"
minutes = 5

[scenario]
name = "raft-5"
seed = 1

[[step]]
title = "Commits"
text = "Watch the cluster commit."
chart = ["availability", "commits_per_s"]

[[step]]
title = "Terms"
text = "Now the term."
chart = "term"
)";

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

TEST_CASE("Charts tab: raft-5 has charts from the start, every one open") {
  AppHarness h;
  ui::AppOptions o;
  o.scenario = "raft-5";
  ui::LabApp app(o);
  REQUIRE(app.command_json("{\"op\":\"ui.tab\",\"name\":\"Charts\"}").find("\"ok\":true") != std::string::npos);
  for (int i = 0; i < 3; ++i) h.frame(app);
  const auto& c = app.charts();
  CHECK(has(c.drawn, "commits_per_s"));
  CHECK(has(c.drawn, "availability"));
  CHECK(has(c.drawn, "term"));
  CHECK(c.open == c.drawn);   // no lesson pick: everything expanded
}

TEST_CASE("Charts tab: a lesson step's chart is switched to, first and the only ones open") {
  AppHarness h;
  ui::AppOptions o;
  o.scenario = "ping";
  ui::LabApp app(o);
  REQUIRE(app.open_lesson_text("charts-ui.toml", kLesson));
  for (int i = 0; i < 4; ++i) h.frame(app);
  const auto& c = app.charts();
  REQUIRE(c.drawn.size() > 3);   // the Charts tab was selected and drawn without being clicked
  CHECK(c.drawn[0] == "availability");
  CHECK(c.drawn[1] == "commits_per_s");
  CHECK(c.open == std::vector<std::string>{"availability", "commits_per_s"});
  // Step 2 picks another chart.
  REQUIRE(app.open_lesson_text("charts-ui.toml", kLesson, 2));
  for (int i = 0; i < 4; ++i) h.frame(app);
  CHECK(app.charts().drawn[0] == "term");
  CHECK(app.charts().open == std::vector<std::string>{"term"});
}

TEST_CASE("Charts tab: command and model events are markers") {
  AppHarness h;
  ui::AppOptions o;
  o.scenario = "raft-5";
  ui::LabApp app(o);
  REQUIRE(app.command_json("{\"op\":\"ui.tab\",\"name\":\"Charts\"}").find("\"ok\":true") != std::string::npos);
  REQUIRE(app.command_json("{\"op\":\"ui.pause\"}").find("\"ok\":true") != std::string::npos);
  app.session()->run_until(1500 * kMs);   // a leader is elected by then (the sampler marks it)
  for (int i = 0; i < 3; ++i) h.frame(app);   // the tab switch takes a frame
  const size_t elected = app.charts().markers;   // the first leader
  CHECK(elected >= 1);
  Command crash;
  crash.op = "crash";
  crash.args["node"] = "n1";
  REQUIRE(app.session()->apply(crash).ok);
  for (int i = 0; i < 2; ++i) h.frame(app);
  CHECK(app.charts().markers >= elected + 1);   // the command (and maybe a new leader by now)
}
