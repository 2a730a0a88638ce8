// The Actions form (core/ui/widgets/command_form.h), headless: it lists a world's own actions
// (raft-5, transfer-2pc) without the ones dedicated tools cover, a click on Apply issues exactly
// the Command the inputs describe (and it reaches the world), and a bad input shows the world's
// error next to the button and leaves the world unchanged; in the app, the Tools tab's panel
// issues through LabApp::apply (logged, and to both worlds side by side).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "scenario/scenario.h"
#include "ui/widgets/command_form.h"
#include "widget_fixture.h"

using namespace topo;
using topo::ui::test::Harness;

namespace {

std::unique_ptr<Session> open(const char* scenario) {
  std::string err;
  auto s = Session::create(scenario, 1, {}, &err);
  REQUIRE_MESSAGE(s, err);
  return s;
}

std::vector<std::string> ops_of(const World& w) {
  std::vector<std::string> out;
  for (const auto* s : ui::form_actions(w, ui::tool_covered_ops())) out.push_back(s->op);
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

/// Draws the form for one frame, then clicks its Apply button (press and release frames).
struct FormDriver {
  Harness h;
  Session& s;
  ui::CommandFormState st;
  std::vector<Command> issued;
  explicit FormDriver(Session& session) : s(session) {}
  void draw(ImVec2 mouse = ImVec2(-1000, -1000), bool down = false) {
    h.frame([&] {
      ui::command_form("##actions", s.world(), st, [&](const Command& c) {
        issued.push_back(c);
        return s.apply(c);
      });
    }, mouse, down);
  }
  void click_apply() {
    draw();
    const ImVec2 at((st.apply_min.x + st.apply_max.x) / 2, (st.apply_min.y + st.apply_max.y) / 2);
    draw(at, false);
    draw(at, true);
    draw(at, false);
  }
};

}  // namespace

TEST_CASE("command form: lists the model's own actions, not the ones dedicated tools cover") {
  auto raft = open("raft-5");
  const auto r = ops_of(raft->world());
  CHECK(has(r, "upgrade"));
  CHECK(has(r, "raft.rule"));
  CHECK_FALSE(has(r, "crash"));
  CHECK_FALSE(has(r, "partition"));
  CHECK(has(r, "set_link"));   // per node or pair: the Tools tab's sliders change every link
  CHECK(r.front() == "raft.rule");   // the model's own actions come first
  CHECK(r.back() == "set_link");

  auto transfer = open("transfer-2pc");
  const auto t = ops_of(transfer->world());
  for (const char* op : {"transfer.mode", "transfer.fail", "transfer.crash_coordinator", "transfer.set"})
    CHECK_MESSAGE(has(t, op), op);
  CHECK_FALSE(has(t, "restart"));
}

TEST_CASE("command form: Apply issues exactly the Command of the inputs (raft-5 upgrade)") {
  auto s = open("raft-5");
  s->run_until(2'000'000);
  FormDriver d(*s);
  d.st.op = "upgrade";
  ui::form_set(d.st, "upgrade", "version", "v2");
  ui::form_set(d.st, "upgrade", "batch", " 1 ");
  ui::form_set(d.st, "upgrade", "pause_ms", "");   // optional, left empty: not an argument
  const size_t before = s->world().command_log().size();
  d.click_apply();
  REQUIRE(d.issued.size() == 1);
  CHECK(d.issued[0].to_text() == "upgrade batch=1 version=v2");
  CHECK(d.issued[0].args.size() == 2);
  CHECK(d.st.message_ok);
  REQUIRE(s->world().command_log().size() == before + 1);
  CHECK(s->world().command_log().back().cmd.to_text() == "upgrade batch=1 version=v2");
  // More frames without a click issue nothing more.
  d.draw();
  d.draw();
  CHECK(d.issued.size() == 1);

  // A required bool starts ticked: raft.rule with only a name keeps the rule on.
  d.st.op = "raft.rule";
  ui::form_set(d.st, "raft.rule", "name", "persist_vote");
  d.click_apply();
  REQUIRE(d.issued.size() == 2);
  CHECK(d.issued[1].to_text() == "raft.rule name=persist_vote on=true");
  CHECK(d.st.message_ok);
}

TEST_CASE("command form: node and optional inputs (transfer-2pc)") {
  auto s = open("transfer-2pc");
  FormDriver d(*s);
  d.st.op = "transfer.fail";
  ui::form_set(d.st, "transfer.fail", "bank", "bank-a");
  ui::form_set(d.st, "transfer.fail", "count", "2");
  d.click_apply();
  REQUIRE(d.issued.size() == 1);
  CHECK(d.issued[0].to_text() == "transfer.fail bank=bank-a count=2");
  CHECK(d.st.message_ok);

  // An optional bool left at "(default)" is left out.
  d.st.op = "transfer.crash_coordinator";
  d.click_apply();
  REQUIRE(d.issued.size() == 2);
  CHECK(d.issued[1].to_text() == "transfer.crash_coordinator");
  CHECK(d.st.message_ok);
}

TEST_CASE("command form: a refused Command shows the world's error and changes nothing") {
  auto s = open("transfer-2pc");
  s->run_until(1'000'000);
  FormDriver d(*s);
  const uint64_t hash_before = s->world().trace().hash();
  const size_t log_before = s->world().command_log().size();

  d.st.op = "transfer.fail";
  ui::form_set(d.st, "transfer.fail", "bank", "bank-a");
  ui::form_set(d.st, "transfer.fail", "count", "lots");
  d.click_apply();
  REQUIRE(d.issued.size() == 1);
  CHECK_FALSE(d.st.message_ok);
  CHECK(d.st.message.find("count") != std::string::npos);
  CHECK(d.st.message.find("integer") != std::string::npos);

  // A required node left unchosen: the world says what is missing.
  d.st.op = "transfer.mode";
  d.click_apply();
  REQUIRE(d.issued.size() == 2);
  CHECK(d.issued[1].to_text() == "transfer.mode");
  CHECK_FALSE(d.st.message_ok);
  CHECK(d.st.message.find("missing mode=") != std::string::npos);

  CHECK(s->world().command_log().size() == log_before);
  CHECK(s->world().trace().hash() == hash_before);
}

// ---- In the app: the Tools tab's Actions panel goes through LabApp::apply ----

#include <cstring>

#include "imgui_internal.h"
#include "ui/lab_app.h"
#include "app_harness.h"

namespace {

/// The centre of the tab called `name` in any tab bar of the last frame (none: (-1, -1)).
ImVec2 tab_centre(const char* name) {
  ImGuiContext& g = *GImGui;
  for (int i = 0; i < g.TabBars.GetMapSize(); ++i)
    if (ImGuiTabBar* tb = g.TabBars.TryGetMapData(i))
      for (auto& tab : tb->Tabs)
        if (std::string(ImGui::TabBarGetTabName(tb, &tab)).substr(0, std::string(ImGui::TabBarGetTabName(tb, &tab)).find("##")) == name)
          return ImVec2(tb->BarRect.Min.x + tab.Offset + tab.Width * 0.5f, (tb->BarRect.Min.y + tb->BarRect.Max.y) * 0.5f);
  return ImVec2(-1, -1);
}

struct AppDriver {
  test::AppHarness h;
  ui::LabApp app{ui::AppOptions{}};
  void frame(ImVec2 mouse = ImVec2(-1, -1), int down = -1) { h.frame(app, mouse, down >= 0 ? 0 : -1, down > 0); }
  void click(ImVec2 at) {
    frame(at);
    frame(at, 1);
    frame(at, 0);
    frame(at);
  }
  void open_tools() {
    frame();
    frame();   // the tab bar lays its tabs out in its second frame
    const ImVec2 at = tab_centre("Tools");
    REQUIRE(at.x >= 0);
    click(at);
    frame();
  }
  void click_apply() {
    const ui::CommandFormState& st = app.actions_form();
    REQUIRE(st.apply_max.x > st.apply_min.x);
    click(ImVec2((st.apply_min.x + st.apply_max.x) / 2, (st.apply_min.y + st.apply_max.y) / 2));
  }
};

}  // namespace

TEST_CASE("command form in the app: Apply in the Tools tab reaches the world, and both in side-by-side mode") {
  AppDriver d;
  REQUIRE(d.app.open_scenario("raft-5", 1));
  d.app.command_json("{\"op\":\"ui.pause\"}");
  d.open_tools();
  auto& st = d.app.actions_form();
  CHECK(st.op == "raft.rule");   // the panel is drawn, with the model's first action chosen
  st.op = "upgrade";
  ui::form_set(st, "upgrade", "version", "v2");
  ui::form_set(st, "upgrade", "batch", "1");
  d.frame();
  d.click_apply();
  REQUIRE(d.app.world() != nullptr);
  const auto& log = d.app.world()->command_log();
  REQUIRE(log.size() == 1);
  CHECK(log.back().cmd.to_text() == "upgrade batch=1 version=v2");
  CHECK(st.message_ok);

  // Side by side: the Command goes to both worlds, as the other tools' do.
  const std::string r = d.app.command_json(
      "{\"op\":\"ui.compare\",\"left\":\"transfer-2pc\",\"right\":\"transfer-saga\",\"seed\":1}");
  REQUIRE_MESSAGE(r.find("\"ok\":true") != std::string::npos, r);
  REQUIRE(d.app.twin() != nullptr);
  d.open_tools();
  st.op = "transfer.fail";
  ui::form_set(st, "transfer.fail", "bank", "bank-a");
  ui::form_set(st, "transfer.fail", "count", "2");
  d.frame();
  d.click_apply();
  REQUIRE(d.app.session()->world().command_log().size() == 1);
  REQUIRE(d.app.twin()->world().command_log().size() == 1);
  CHECK(d.app.session()->world().command_log().back().cmd.to_text() == "transfer.fail bank=bank-a count=2");
  CHECK(d.app.twin()->world().command_log().back().cmd.to_text() == "transfer.fail bank=bank-a count=2");

  // A refused Command: the form shows the world's error; neither world changes.
  ui::form_set(st, "transfer.fail", "bank", "bank-z");
  d.frame();
  d.click_apply();
  CHECK_FALSE(st.message_ok);
  CHECK(st.message.find("bank-z") != std::string::npos);
  CHECK(d.app.session()->world().command_log().size() == 1);
  CHECK(d.app.twin()->world().command_log().size() == 1);
}
