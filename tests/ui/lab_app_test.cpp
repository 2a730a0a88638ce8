// The lab app driven headless (no window, no GPU): selecting a node with the mouse, its
// context menu issuing the right Commands into the world's log, the state/command hooks, and
// bad commands refused without changing anything.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "imgui.h"
#include "ui/lab_app.h"
#include "app_harness.h"

using namespace topo;

namespace {

using test::AppHarness;

}  // namespace

TEST_CASE("right-click a node, pick Crash: the crash is a Command in the world's log") {
  AppHarness h;
  ui::LabApp app({"ping", 1, ""});
  app.command_json(R"({"op":"ui.pause"})");
  for (int i = 0; i < 3; ++i) h.frame(app);
  const auto& canvas = app.canvas();
  REQUIRE(canvas.screen.size() >= 2);
  const ImVec2 target = canvas.screen[1];
  h.click(app, target, ImGuiMouseButton_Right);
  REQUIRE_FALSE(app.canvas().menu_items.empty());
  CHECK(app.canvas().selected == 1);
  ImVec2 crash_at(-1, -1);
  for (const auto& [label, pos] : app.canvas().menu_items)
    if (label == "Crash") crash_at = pos;
  REQUIRE(crash_at.x >= 0);
  h.click(app, crash_at, ImGuiMouseButton_Left);
  const World& w = *app.world();
  REQUIRE(w.command_log().size() == 1);
  CHECK(w.command_log()[0].cmd.op == "crash");
  CHECK(w.command_log()[0].cmd.arg("node") == w.node(1).name);
  CHECK(w.node(1).status == NodeStatus::Crashed);
  // The menu now offers Restart for the crashed node, which restarts it.
  h.click(app, target, ImGuiMouseButton_Right);
  ImVec2 restart_at(-1, -1);
  for (const auto& [label, pos] : app.canvas().menu_items)
    if (label == "Restart") restart_at = pos;
  REQUIRE(restart_at.x >= 0);
  h.click(app, restart_at, ImGuiMouseButton_Left);
  REQUIRE(w.command_log().size() == 2);
  CHECK(w.command_log()[1].cmd.op == "restart");
}

TEST_CASE("a left click selects the node under the mouse; empty space clears the selection") {
  AppHarness h;
  ui::LabApp app({"raft-5", 2, ""});
  app.command_json(R"({"op":"ui.pause"})");
  for (int i = 0; i < 3; ++i) h.frame(app);
  h.click(app, app.canvas().screen[3], ImGuiMouseButton_Left);
  CHECK(app.canvas().selected == 3);
  h.click(app, ImVec2(app.canvas().origin.x + 5, app.canvas().origin.y + app.canvas().size.y - 5), ImGuiMouseButton_Left);
  CHECK(app.canvas().selected == kNoNode);
}

TEST_CASE("command hook: world commands, app controls, and refusals that change nothing") {
  AppHarness h;
  ui::LabApp app({"raft-3", 1, ""});
  h.frame(app);
  CHECK(app.command_json(R"({"op":"ui.pause"})") == R"({"ok":true})");
  CHECK_FALSE(app.playing());
  const Time t0 = app.world()->now();
  CHECK(app.command_json(R"({"op":"ui.run_ms","value":400})") == R"({"ok":true})");
  CHECK(app.world()->now() == t0 + 400 * kMs);
  const uint64_t hash = app.world()->trace().hash();
  const std::string bad_node = app.command_json(R"({"op":"crash","node":"n9"})");
  CHECK(bad_node.find("\"ok\":false") != std::string::npos);
  CHECK(bad_node.find("n9") != std::string::npos);
  CHECK(app.command_json(R"({"op":"ui.speed","value":1000})").find("between 0.01 and 100") != std::string::npos);
  CHECK(app.command_json(R"({"op": )").find("bad command JSON") != std::string::npos);
  CHECK(app.command_json(R"({"op":"ui.scenario","name":"no-such"})").find("unknown scenario") != std::string::npos);
  CHECK(app.world()->trace().hash() == hash);
  CHECK(app.world()->command_log().empty());
  const std::string st = app.state_json();
  CHECK(st.find("\"scenario\":\"raft-3\"") != std::string::npos);
  CHECK(st.find("\"time_us\":" + std::to_string(t0 + 400 * kMs)) != std::string::npos);
}

TEST_CASE("a broken lesson text is refused with FILE:LINE:COL and the last good world keeps running") {
  AppHarness h;
  ui::LabApp app({"ping", 1, ""});
  h.frame(app);
  const std::string r = app.command_json(R"({"op":"ui.open_lesson_text","name":"broken.toml","text":"id = \"x\"\n[[step]\ntext = 1\n"})");
  CHECK(r.find("\"ok\":false") != std::string::npos);
  CHECK(r.find("broken.toml:2:") != std::string::npos);
  REQUIRE(app.world() != nullptr);
  CHECK(app.runner() == nullptr);
  h.frame(app);
}

#ifndef __EMSCRIPTEN__  // the desktop watches lesson files; the page reloads on demand instead
TEST_CASE("desktop hot reload: an edited lesson file reloads; a broken edit keeps the last good lesson") {
  AppHarness h;
  const std::string src = std::string(TOPOLAB_SOURCE_DIR) + "/lessons/03-agreeing-on-a-leader.toml";
  std::ifstream in(src);
  REQUIRE(in);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string path = "/tmp/topolab_hot_reload_test.toml";
  auto write = [&](const std::string& t) {
    std::ofstream out(path, std::ios::trunc);
    out << t;
  };
  write(text);
  ui::LabApp app({"ping", 1, path});
  REQUIRE(app.runner() != nullptr);
  const std::string title = app.runner()->lesson().title;
  h.frame(app);

  // A valid edit (a new title) is picked up by the file watcher within a second of frames.
  std::string edited = text;
  const size_t at = edited.find("title = \"");
  REQUIRE(at != std::string::npos);
  edited.insert(at + 9, "Edited: ");
  write(edited);
  std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now() + std::chrono::seconds(5));
  for (int i = 0; i < 40; ++i) h.frame(app);
  REQUIRE(app.runner() != nullptr);
  CHECK(app.runner()->lesson().title == "Edited: " + title);

  // A broken edit: the error is shown as FILE:LINE:COL and the last good lesson keeps running.
  write(edited + "\n[[step]\n");
  std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now() + std::chrono::seconds(10));
  for (int i = 0; i < 40; ++i) h.frame(app);
  REQUIRE(app.runner() != nullptr);
  CHECK(app.runner()->lesson().title == "Edited: " + title);
  const std::string st = app.state_json();
  CHECK(st.find(path + ":") != std::string::npos);
  std::filesystem::remove(path);
}
#endif
