// The lab app, headless, part 2: keyboard shortcuts (Space, Right, Left, +/-, F), the Raft
// log in the Inspector, side-by-side mode (two worlds, shared time, Commands mirrored when the
// nodes exist in both), a compare lesson (two worlds, each canvas' Commands to its own world),
// rewinding inside a lesson, a shared lesson moment replayed exactly, and
// reloading a lesson from its file.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>

#include "imgui.h"
#include "models/services/services.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"
#include "ui/canvas.h"
#include "ui/lab_app.h"
#include "app_harness.h"

using namespace topo;

namespace {

using test::AppHarness;

bool ok(const std::string& r) { return r.find("\"ok\":true") != std::string::npos; }

std::string lesson_path(const char* file) { return std::string(TOPOLAB_SOURCE_DIR) + "/lessons/" + file; }

/// Runs the lesson until its current step is complete (at most `max_ms` of simulated time).
void run_until_complete(ui::LabApp& app, int max_ms = 20000) {
  for (int t = 0; t < max_ms && !app.runner()->step_complete(); t += 100)
    app.command_json(R"({"op":"ui.run_ms","value":100})");
}

}  // namespace

TEST_CASE("keyboard: Space plays and pauses, Right steps one event, Left goes back, +/- speed, F fits") {
  AppHarness h;
  ui::LabApp app({"raft-3", 1, ""});
  app.command_json(R"({"op":"ui.pause"})");
  app.command_json(R"({"op":"ui.run_ms","value":400})");
  h.frame(app);
  CHECK_FALSE(app.playing());
  h.key(app, ImGuiKey_Space);
  CHECK(app.playing());
  h.key(app, ImGuiKey_Space);
  CHECK_FALSE(app.playing());

  // Right: exactly one event; Left: back to just before the latest event; Right again gives the
  // same world as before (same trace hash).
  const World* w = app.world();
  const uint64_t e0 = w->events_processed();
  h.key(app, ImGuiKey_RightArrow);
  w = app.world();
  CHECK(w->events_processed() == e0 + 1);
  const Time t1 = w->now();
  const uint64_t hash1 = w->trace().hash();
  h.key(app, ImGuiKey_LeftArrow);
  w = app.world();
  CHECK(w->now() < t1);
  CHECK_FALSE(app.playing());
  h.key(app, ImGuiKey_RightArrow);
  w = app.world();
  // The events at t1 may be several: run to t1 exactly, then compare with the first pass.
  if (w->now() < t1) app.session()->run_until(t1);
  CHECK(app.world()->now() == t1);
  CHECK(app.world()->trace().hash() == hash1);

  // + and - double and halve the speed (bounded).
  const double s0 = app.speed();
  h.key(app, ImGuiKey_Equal);
  CHECK(app.speed() == doctest::Approx(s0 * 2));
  h.key(app, ImGuiKey_Minus);
  h.key(app, ImGuiKey_Minus);
  CHECK(app.speed() == doctest::Approx(s0 / 2));
  for (int i = 0; i < 20; ++i) h.key(app, ImGuiKey_KeypadAdd);
  CHECK(app.speed() == doctest::Approx(100.0));

  // F: the view fits again after zooming with the mouse wheel over the canvas.
  const auto& cv = app.canvas();
  const ImVec2 mid(cv.origin.x + cv.size.x * 0.3f, cv.origin.y + cv.size.y * 0.9f);
  h.frame(app, mid);
  ImGui::GetIO().AddMouseWheelEvent(0.0f, 3.0f);
  h.frame(app, mid);
  CHECK(app.canvas().zoom > 1.2f);
  h.key(app, ImGuiKey_F);
  CHECK(app.canvas().zoom == doctest::Approx(1.0f));
  CHECK(app.canvas().pan.x == doctest::Approx(0.0f));

  // The same shortcuts through the hook (browser tests use it).
  CHECK(ok(app.command_json(R"({"op":"ui.key","key":"space"})")));
  CHECK(app.playing());
  CHECK_FALSE(ok(app.command_json(R"({"op":"ui.key","key":"q"})")));
}

TEST_CASE("Left inside a lesson goes back one step") {
  AppHarness h;
  ui::LabApp app({"ping", 1, ""});
  REQUIRE(app.open_lesson_file(lesson_path("01-one-system-many-computers.toml")));
  app.command_json(R"({"op":"ui.pause"})");
  run_until_complete(app);
  REQUIRE(ok(app.command_json(R"({"op":"ui.next"})")));
  CHECK(app.runner()->step_index() == 1);
  h.frame(app);
  h.key(app, ImGuiKey_LeftArrow);
  REQUIRE(app.runner());
  CHECK(app.runner()->step_index() == 0);
  CHECK(app.runner()->lesson().id == "01-one-system-many-computers");
  h.key(app, ImGuiKey_LeftArrow);   // at step 1 nothing happens
  CHECK(app.runner()->step_index() == 0);
}

TEST_CASE("Inspector: a Raft server's log with term, vote and commit index") {
  AppHarness h;
  ui::LabApp app({"raft-5", 3, ""});
  app.command_json(R"({"op":"ui.pause"})");
  app.command_json(R"({"op":"ui.run_ms","value":3000})");
  REQUIRE(ok(app.command_json(R"({"op":"ui.select","node":"n2"})")));
  h.frame(app);   // the Inspector tab draws the table
  h.frame(app);
  std::string s = app.state_json();
  CHECK(s.find("\"selected\":\"n2\"") != std::string::npos);
  CHECK(s.find("\"inspector\":{\"node\":\"n2\",\"raft\":{\"up\":true") != std::string::npos);
  CHECK(s.find("\"committed\":true") != std::string::npos);
  CHECK(s.find("\"command\":\"put ") != std::string::npos);
  CHECK(s.find("\"term\":0,") == std::string::npos);   // a leader was elected: terms start at 1
  // Crashed: the disk (term, vote, log) is still shown; nothing counts as committed.
  REQUIRE(ok(app.command_json(R"({"op":"crash","node":"n2"})")));
  h.frame(app);
  s = app.state_json();
  CHECK(s.find("\"raft\":{\"up\":false") != std::string::npos);
  CHECK(s.find("\"committed\":true") == std::string::npos);
  CHECK(s.find("\"log_length\":0") == std::string::npos);
  // A client is not a Raft server: no raft section.
  REQUIRE(ok(app.command_json(R"({"op":"ui.select","node":"c1"})")));
  h.frame(app);
  CHECK(app.state_json().find("\"inspector\":{\"node\":\"c1\"}") != std::string::npos);
  CHECK_FALSE(ok(app.command_json(R"({"op":"ui.select","node":"zz"})")));
}

TEST_CASE("side by side: two worlds, one clock; Commands go to both when the nodes exist in both") {
  AppHarness h;
  ui::LabApp app({"ping", 1, ""});
  REQUIRE(ok(app.command_json(
      R"({"op":"ui.compare","left":"shop","left_params":"resilience=off","right":"shop","right_params":"resilience=on","seed":4})")));
  REQUIRE(app.twin());
  app.command_json(R"({"op":"ui.speed","value":1})");
  for (int i = 0; i < 20; ++i) h.frame(app);
  CHECK(app.world()->now() > 0);
  CHECK(app.world()->now() == app.twin()->world().now());
  CHECK(app.state_json().find("\"compare\":{\"left\":{\"scenario\":\"shop\",\"params\":\"resilience=off\"") != std::string::npos);

  // Both canvases drew their nodes.
  REQUIRE(app.twin_canvas().screen.size() == app.twin()->world().nodes().size());
  // At 1280x800 the two canvases are stacked: the second below the first.
  CHECK(app.twin_canvas().origin.y > app.canvas().origin.y + 100);

  // A crash aimed at the right world lands in both (same node names).
  app.command_json(R"({"op":"ui.pause"})");
  const std::string victim = app.twin()->world().node(2).name;
  REQUIRE(ok(app.command_json(R"({"op":"crash","world":"right","node":")" + victim + "\"}")));
  CHECK(app.twin()->world().command_log().size() == 1);
  CHECK(app.world()->command_log().size() == 1);
  CHECK(app.world()->node(*app.world()->find_node(victim)).status == NodeStatus::Crashed);

  // Through the right canvas' context menu: Restart goes to both worlds too.
  // (A service world may already have replaced the crashed replica: then the item is Crash.)
  const ImVec2 at = app.twin_canvas().screen[2];
  h.click(app, at, ImGuiMouseButton_Right);
  ImVec2 item(-1, -1);
  for (const auto& [label, pos] : app.twin_canvas().menu_items)
    if (label == "Restart" || label == "Crash") item = pos;
  REQUIRE(item.x >= 0);
  h.click(app, item, ImGuiMouseButton_Left);
  CHECK(app.twin()->world().command_log().size() == 2);
  CHECK(app.world()->command_log().size() == 2);

  // Same time controls: Step keeps both at the same time; rewind rewinds both.
  app.command_json(R"({"op":"ui.step"})");
  CHECK(app.world()->now() == app.twin()->world().now());
  app.command_json(R"({"op":"ui.run_ms","value":200})");
  CHECK(app.world()->now() == app.twin()->world().now());
  const Time back = app.world()->now() / 2;
  REQUIRE(ok(app.command_json("{\"op\":\"ui.rewind_ms\",\"value\":" + std::to_string(back / 1000.0) + "}")));
  CHECK(app.world()->now() == app.twin()->world().now());

  // Microservices vs monolith: a node only the shop has gets the Command alone.
  REQUIRE(ok(app.command_json(R"({"op":"ui.compare","left":"shop","right":"shop-monolith","seed":4})")));
  std::string only_left;
  for (const auto& n : app.world()->nodes())
    if (!app.twin()->world().find_node(n->name)) only_left = n->name;
  REQUIRE_FALSE(only_left.empty());
  REQUIRE(ok(app.command_json(R"({"op":"crash","node":")" + only_left + "\"}")));
  CHECK(app.world()->command_log().size() == 1);
  CHECK(app.twin()->world().command_log().empty());
  h.frame(app);

  // Leaving side-by-side mode keeps the left world.
  REQUIRE(ok(app.command_json(R"({"op":"ui.compare_off"})")));
  CHECK_FALSE(app.twin());
  CHECK(app.state_json().find("\"compare\":null") != std::string::npos);
  CHECK_FALSE(ok(app.command_json(R"({"op":"ui.compare","left":"shop","right":"nope"})")));
}

TEST_CASE("rewind inside a lesson: back to the step current at that time, same world, lesson kept") {
  AppHarness h;
  ui::LabApp app({"ping", 1, ""});
  REQUIRE(app.open_lesson_file(lesson_path("01-one-system-many-computers.toml")));
  app.command_json(R"({"op":"ui.pause"})");
  run_until_complete(app);
  app.command_json(R"({"op":"ui.run_ms","value":300})");
  const Time t_step1 = app.world()->now();
  const uint64_t hash_step1 = app.world()->trace().hash();
  app.command_json(R"({"op":"ui.run_ms","value":100})");
  REQUIRE(ok(app.command_json(R"({"op":"ui.next"})")));   // step 2
  run_until_complete(app);
  REQUIRE(ok(app.command_json(R"({"op":"ui.next"})")));   // step 3 crashes n1 (a lesson action)
  REQUIRE(app.runner()->step_index() == 2);
  const Time t_step3 = app.world()->now();
  CHECK(app.world()->node(*app.world()->find_node("n1")).status == NodeStatus::Crashed);
  REQUIRE(ok(app.command_json(R"({"op":"ui.answer","choice":0})")));
  app.command_json(R"({"op":"ui.run_ms","value":1000})");
  h.frame(app);
  const size_t commands = app.world()->command_log().size();

  // Back into step 3, after its crash: the crash is not applied twice; the predict starts over.
  const Time mid3 = t_step3 + 500 * kMs;
  REQUIRE(ok(app.command_json("{\"op\":\"ui.rewind_ms\",\"value\":" + std::to_string(mid3 / 1000) + "}")));
  REQUIRE(app.runner());
  CHECK(app.runner()->step_index() == 2);
  CHECK(app.world()->now() == mid3);
  CHECK(app.world()->command_log().size() == commands);
  CHECK(app.world()->node(*app.world()->find_node("n1")).status == NodeStatus::Crashed);
  CHECK(app.runner()->awaiting_predict());

  // Back into step 1: the same world as it was then, n1 up again.
  REQUIRE(ok(app.command_json("{\"op\":\"ui.rewind_ms\",\"value\":" + std::to_string(t_step1 / 1000.0) + "}")));
  CHECK(app.runner()->step_index() == 0);
  CHECK(app.world()->now() == t_step1);
  CHECK(app.world()->trace().hash() == hash_step1);
  CHECK(app.world()->node(*app.world()->find_node("n1")).status == NodeStatus::Up);
  CHECK(app.runner()->lesson().id == "01-one-system-many-computers");
  CHECK(app.state_json().find("\"lesson\":{\"id\":\"01-one-system-many-computers\"") != std::string::npos);
  // The lesson goes on from there: frames run, the step completes again.
  for (int i = 0; i < 5; ++i) h.frame(app);
  run_until_complete(app);
  CHECK(app.runner()->step_complete());
  CHECK_FALSE(ok(app.command_json(R"({"op":"ui.rewind_ms","value":99999999})")));
}

TEST_CASE("a shared moment inside a lesson replays to the same lesson, step and world") {
  AppHarness h;
  const std::string path = lesson_path("01-one-system-many-computers.toml");
  ui::LabApp a({"ping", 1, ""});
  REQUIRE(a.open_lesson_file(path));
  a.command_json(R"({"op":"ui.pause"})");
  run_until_complete(a);
  a.command_json(R"({"op":"ui.next"})");
  run_until_complete(a);
  a.command_json(R"({"op":"ui.next"})");
  a.command_json(R"({"op":"ui.answer","choice":0})");
  run_until_complete(a);
  a.command_json(R"({"op":"ui.next"})");   // step 4: the learner crashes a server
  REQUIRE(a.runner()->step_index() == 3);
  a.command_json(R"({"op":"ui.run_ms","value":250})");
  REQUIRE(ok(a.command_json(R"({"op":"crash","node":"n3"})")));
  a.command_json(R"({"op":"ui.run_ms","value":400})");
  std::string log;
  for (const auto& lc : a.world()->command_log()) log += std::to_string(lc.at) + " " + lc.cmd.to_text() + "\\n";

  // What the page does with ?lesson=ID&step=4&seed=..#at=..&log=..: open the lesson at the
  // step, then replay.
  ui::LabApp b({"ping", 1, ""});
  REQUIRE(ok(b.command_json("{\"op\":\"ui.open_lesson\",\"path\":\"" + path + "\",\"step\":4}")));
  const std::string replay = "{\"op\":\"ui.replay\",\"lesson\":\"" + path + "\",\"seed\":" + std::to_string(a.world()->seed()) +
                             ",\"time_us\":" + std::to_string(a.world()->now()) + ",\"log\":\"" + log + "\"}";
  REQUIRE(ok(b.command_json(replay)));
  REQUIRE(b.runner());
  CHECK(b.runner()->lesson().id == a.runner()->lesson().id);
  CHECK(b.runner()->step_index() == 3);
  CHECK(b.world()->now() == a.world()->now());
  CHECK(b.world()->trace().hash() == a.world()->trace().hash());
  CHECK(b.world()->command_log().size() == a.world()->command_log().size());
  h.frame(b);
  // The lesson goes on in the replayed world.
  b.command_json(R"({"op":"ui.run_ms","value":500})");
  CHECK(b.runner()->step_index() == 3);
}

TEST_CASE("reload lesson: from step 1, or the current step with the edited text") {
  AppHarness h;
  namespace fs = std::filesystem;
  const fs::path tmp = fs::temp_directory_path() / ("topolab_reload_" + std::to_string(::getpid()) + ".toml");
  std::ifstream in(lesson_path("01-one-system-many-computers.toml"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  { std::ofstream(tmp) << text; }
  ui::LabApp app({"ping", 1, ""});
  REQUIRE(app.open_lesson_file(tmp.string()));
  app.command_json(R"({"op":"ui.pause"})");
  run_until_complete(app);
  app.command_json(R"({"op":"ui.next"})");
  REQUIRE(app.runner()->step_index() == 1);
  // A teacher edits step 2's title and reloads the step.
  std::string edited = text;
  const std::string from = "Behind the curtain: five computers";
  REQUIRE(edited.find(from) != std::string::npos);
  edited.replace(edited.find(from), from.size(), "Behind the curtain (edited)");
  { std::ofstream(tmp) << edited; }
  REQUIRE(ok(app.command_json(R"({"op":"ui.reload_lesson","from":"step"})")));
  CHECK(app.runner()->step_index() == 1);
  CHECK(app.runner()->step().title == "Behind the curtain (edited)");
  REQUIRE(ok(app.command_json(R"({"op":"ui.reload_lesson","from":"start"})")));
  CHECK(app.runner()->step_index() == 0);
  CHECK(app.world()->command_log().empty());
  // A broken edit keeps the last good lesson.
  { std::ofstream(tmp) << "format = 1\nid = \"broken\nsteps ="; }
  CHECK_FALSE(ok(app.command_json(R"({"op":"ui.reload_lesson"})")));
  CHECK(app.runner()->lesson().id == "01-one-system-many-computers");
  h.frame(app);
  fs::remove(tmp);
}

TEST_CASE("ui.tab shows a side tab (the Tools tab draws the Actions form); a bad name is refused") {
  AppHarness h;
  ui::LabApp app({"raft-5", 1, ""});
  h.frame(app);
  h.frame(app);
  CHECK(app.actions_form().op.empty());   // the Inspector is shown first: the form was never drawn
  REQUIRE(ok(app.command_json(R"({"op":"ui.tab","name":"Tools"})")));
  h.frame(app);
  h.frame(app);
  CHECK_FALSE(app.actions_form().op.empty());   // drawn: it picked the first action offered
  std::string r = app.command_json(R"({"op":"ui.tab","name":"Toolz"})");
  CHECK_FALSE(ok(r));
  CHECK(r.find("Inspector, Tools, Charts, History or Event log") != std::string::npos);
}

TEST_CASE("service cards never overlap and hold their replicas, in a tall pane and a wide one") {
  // The canvas draws each service as a card (title, replicas, CPU strip) scaled only by the
  // camera: if the cards do not meet in layout units, nothing meets on screen.
  for (const char* scenario : {"shop", "shop-monolith"}) {
    for (float aspect : {0.6f, 0.8f, 2.0f, 3.2f}) {
      std::string err;
      auto w = build_world(scenario, 1, {}, &err);
      REQUIRE_MESSAGE(w, err);
      ui::CanvasView v;
      v.aspect = aspect;
      ui::auto_layout(*w, v, true);
      // Depth runs down a tall pane and right across a wide one (the orientation that gives the
      // larger picture).
      if (aspect <= 0.6f) CHECK(v.vertical);
      if (aspect >= 3.0f) CHECK_FALSE(v.vertical);
      REQUIRE(v.groups.size() >= 1);
      for (size_t i = 0; i < v.groups.size(); ++i) {
        const auto& a = v.groups[i];
        for (size_t j = i + 1; j < v.groups.size(); ++j) {
          const auto& b = v.groups[j];
          const bool apart = a.x + a.half_w <= b.x - b.half_w || b.x + b.half_w <= a.x - a.half_w ||
                             a.y + a.half_h <= b.y - b.half_h || b.y + b.half_h <= a.y - a.half_h;
          CHECK_MESSAGE(apart, scenario << ": " << a.label << " meets " << b.label);
        }
      }
      // Every replica sits inside its own card.
      const auto* m = w->find_model<svc::ServicesModel>();
      REQUIRE(m);
      for (const auto& gr : v.groups) {
        const auto& dep = m->graph().systems[static_cast<size_t>(gr.system)].deps[static_cast<size_t>(gr.deployable)];
        for (const auto& r : dep.replicas) {
          const ImVec2 p = v.pos[static_cast<size_t>(r.node)];
          CHECK(std::abs(p.x - gr.x) < gr.half_w);
          CHECK(std::abs(p.y - gr.y) < gr.half_h);
        }
      }
    }
  }
}

TEST_CASE("ui.lesson: the page's HTML lesson player gets the runner's step, escaped HTML, choices and gates") {
  AppHarness h;
  ui::LabApp app({"raft-3", 1, ""});
  CHECK(app.command_json(R"({"op":"ui.lesson"})").rfind(R"({"ok":true,"lesson":null,"pane":{"x":0,"y":0,"w":0,"h":0},"scenario":"raft-3"})", 0) == 0);
  const char* kLesson = R"(format = 1
id = "html"
title = "A <b>bold</b> title"
summary = "s"
level = "beginner"
minutes = 1
[scenario]
name = "raft-3"
seed = 1
[[step]]
title = "First"
text = """
Hello <script>x()</script> and **strong** with `code`.

- one
- two
"""
[step.quiz]
question = "Pick <i>one</i>"
choices = [ { text = "yes", correct = true, explain = "Right, <img src=x>." }, { text = "no" } ]
[[step]]
title = "Second"
text = "Crash n1."
[step.task]
prompt = "Crash n1"
check = "nodes.crashed >= 1"
solution = ["crash node=n1"]
)";
  REQUIRE(app.open_lesson_text("html.toml", kLesson));
  h.frame(app);
  std::string L = app.command_json(R"({"op":"ui.lesson"})");
  // The title is data (the page sets it as text); the step's text is HTML made by the core, with
  // the lesson's own markup escaped and its Markdown rendered.
  CHECK(L.find(R"("title":"A <b>bold</b> title")") != std::string::npos);
  CHECK(L.find(R"("step":1,"steps":2)") != std::string::npos);
  CHECK(L.find("&lt;script&gt;x()&lt;/script&gt;") != std::string::npos);
  CHECK(L.find("<script>") == std::string::npos);
  CHECK(L.find("<strong>strong</strong>") != std::string::npos);
  CHECK(L.find("<code>code</code>") != std::string::npos);
  CHECK(L.find("<li>one</li>") != std::string::npos);
  CHECK(L.find(R"("question":"Pick &lt;i&gt;one&lt;/i&gt;")") != std::string::npos);
  CHECK(L.find(R"("answer":-1)") != std::string::npos);
  CHECK(L.find(R"("step_complete":false)") != std::string::npos);
  // The explanation appears once the learner has answered, through the same hook as the lab's own.
  CHECK(L.find("Right,") == std::string::npos);
  CHECK(ok(app.command_json(R"({"op":"ui.answer","step":1,"choice":0})")));
  L = app.command_json(R"({"op":"ui.lesson"})");
  CHECK(L.find(R"("correct":true,"explain":"Right, &lt;img src=x&gt;.")") != std::string::npos);
  CHECK(L.find(R"("step_complete":true)") != std::string::npos);
  CHECK(ok(app.command_json(R"({"op":"ui.next"})")));
  L = app.command_json(R"({"op":"ui.lesson"})");
  CHECK(L.find(R"("step":2)") != std::string::npos);
  CHECK(L.find(R"("task":{"prompt":"Crash n1","status":"active","show_me":true)") != std::string::npos);
  CHECK(ok(app.command_json(R"({"op":"ui.solution"})")));
  app.command_json(R"({"op":"ui.run_ms","value":200})");
  L = app.command_json(R"({"op":"ui.lesson"})");
  CHECK(L.find(R"("status":"done","show_me":false)") != std::string::npos);

  // The page takes the player: the lab keeps its place (a pane with a size) and draws no own copy;
  // in free play too (the page's panel then lists the machines and every action).
  CHECK_FALSE(ok(app.command_json(R"({"op":"ui.lesson_panel","where":"side"})")));
  CHECK(ok(app.command_json(R"({"op":"ui.lesson_panel","where":"page"})")));
  h.frame(app);
  L = app.command_json(R"({"op":"ui.lesson"})");
  CHECK(L.find(R"("pane":{"x":)") != std::string::npos);
  CHECK(L.find(R"("w":0,)") == std::string::npos);
  CHECK(ok(app.command_json(R"({"op":"ui.scenario","name":"raft-5"})")));
  h.frame(app);
  L = app.command_json(R"({"op":"ui.lesson"})");
  CHECK(L.find(R"("lesson":null)") != std::string::npos);
  CHECK(L.find(R"("w":0,)") == std::string::npos);
  CHECK(L.find(R"("scenario":"raft-5")") != std::string::npos);

  // ui.actions: every action with its parameters, for the page's keyboard action form.
  const std::string A = app.command_json(R"({"op":"ui.actions"})");
  CHECK(A.find(R"({"op":"crash","help":)") != std::string::npos);
  CHECK(A.find(R"({"name":"node","type":"node","required":true,)") != std::string::npos);
  CHECK(A.find(R"("op":"partition")") != std::string::npos);
  // ... with each parameter's declared unit, range and default (issue 17's one declaration).
  CHECK(A.find(R"({"name":"delay_ms","type":"duration","required":false,"help":"time spent restarting","unit":"ms","range":">= 0","default":"0"})") !=
        std::string::npos);
}

TEST_CASE("compare lesson: two worlds on one clock; each canvas' Commands go to its own world") {
  AppHarness h;
  ui::LabApp app({"ping", 1, ""});
  REQUIRE(app.open_lesson_file(lesson_path("16-same-fault-two-architectures.toml")));
  REQUIRE(app.lesson_side(0));
  REQUIRE(app.lesson_side(1));
  World& left = *app.lesson_side(0);
  World& right = *app.lesson_side(1);
  CHECK(left.find_node("n1"));
  CHECK(right.find_node("payment-1"));
  app.command_json(R"({"op":"ui.speed","value":1})");
  for (int i = 0; i < 20; ++i) h.frame(app);
  CHECK(left.now() > 0);
  CHECK(left.now() == right.now());
  const std::string state = app.state_json();
  CHECK(state.find("\"compare\":{\"left\":{\"scenario\":\"raft-5\"") != std::string::npos);
  CHECK(state.find("\"titles\":[\"Raft store (5 copies of the data)\",\"Microservice shop\"],\"lesson\":true") != std::string::npos);
  // Both canvases drew their nodes.
  REQUIRE(app.twin_canvas().screen.size() == right.nodes().size());
  REQUIRE(app.canvas().screen.size() == left.nodes().size());

  // The right canvas' context menu crashes a node of the right world only.
  app.command_json(R"({"op":"ui.pause"})");
  const size_t pay = static_cast<size_t>(*right.find_node("payment-1"));
  h.click(app, app.twin_canvas().screen[pay], ImGuiMouseButton_Right);
  ImVec2 item(-1, -1);
  for (const auto& [label, pos] : app.twin_canvas().menu_items)
    if (label == "Crash") item = pos;
  REQUIRE(item.x >= 0);
  h.click(app, item, ImGuiMouseButton_Left);
  CHECK(right.command_log().size() == 1);
  CHECK(left.command_log().empty());
  CHECK(right.node(static_cast<NodeId>(pay)).status != NodeStatus::Up);
  // Clicking a node of the right canvas points the Inspector at the right world.
  CHECK(app.state_json().find("\"inspected\":\"right\"") != std::string::npos);

  // Through the hook: a Command names its world; one without goes where the Tools tab points.
  REQUIRE(ok(app.command_json(R"({"op":"crash","world":"left","node":"n2"})")));
  CHECK(left.command_log().size() == 1);
  CHECK(right.command_log().size() == 1);
  REQUIRE(ok(app.command_json(R"({"op":"ui.tools_world","value":"both"})")));
  REQUIRE(ok(app.command_json(R"({"op":"heal"})")));
  CHECK(left.command_log().size() == 2);
  CHECK(right.command_log().size() == 2);
  CHECK_FALSE(ok(app.command_json(R"({"op":"ui.tools_world","value":"middle"})")));
  h.frame(app);

  // Rewinding rebuilds both worlds from their own logs, still on one clock.
  app.command_json(R"({"op":"ui.run_ms","value":500})");
  const Time before = app.lesson_side(0)->now();
  // To 200 ms before now: after the three commands, which are replayed in each world.
  REQUIRE(ok(app.command_json("{\"op\":\"ui.rewind_ms\",\"value\":" + std::to_string((before - 200 * kMs) / 1000) + "}")));
  REQUIRE(app.lesson_side(1));
  CHECK(app.lesson_side(0)->now() == app.lesson_side(1)->now());
  CHECK(app.lesson_side(0)->now() < before);
  CHECK(app.lesson_side(0)->command_log().size() == 2);
  CHECK(app.lesson_side(1)->command_log().size() == 2);
  h.frame(app);

  // Closing the lesson leaves one world and no comparison.
  app.close_lesson();
  h.frame(app);
  CHECK_FALSE(app.lesson_side(1));
  CHECK(app.state_json().find("\"compare\":null") != std::string::npos);
}
