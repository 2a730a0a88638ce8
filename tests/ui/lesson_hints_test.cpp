// Hints on predicts and goals reach the page's lesson player (ui.lesson) the same way a task's
// hints do: a "hints" list in the part's object, filled while that part runs, and drawn by the
// lab's own lesson pane.
#include <doctest/doctest.h>

#include <string>

#include "imgui.h"
#include "ui/lab_app.h"
#include "app_harness.h"

using namespace topo;
using namespace topo::test;

TEST_CASE("ui.lesson: predict and goal hints appear while their part runs") {
  AppHarness h;
  ui::LabApp app({"raft-3", 1, ""});
  const char* kLesson = R"(format = 1
id = "hints"
title = "Hints"
summary = "s"
level = "beginner"
minutes = 1
[scenario]
name = "raft-3"
seed = 1
[[step]]
title = "Guess"
text = "What happens?"
[step.predict]
question = "Will a leader be elected?"
hints = ["Servers time out and ask for votes."]
expect = 1
choices = [ { text = "yes", when = "leader_count == 1" }, { text = "no", when = "leader_count == 0 and elapsed_s >= 4" } ]
[step.goal]
text = "A leader for a while"
check = "leader_count == 1 for 2s"
timeout = "10s"
hints = [{ after = "1s", text = "Give it **a moment**." }]
)";
  REQUIRE(app.open_lesson_text("hints.toml", kLesson));
  h.frame(app);
  std::string L = app.command_json(R"({"op":"ui.lesson"})");
  CHECK(L.find(R"("hints":["Servers time out and ask for votes."]})") != std::string::npos);
  CHECK(L.find(R"("goal":{"text":"A leader for a while","status":"pending","progress":0,"hints":[]})") != std::string::npos);
  app.command_json(R"({"op":"ui.answer","step":1,"choice":0})");
  app.command_json(R"({"op":"ui.run_ms","value":1500})");
  h.frame(app);
  L = app.command_json(R"({"op":"ui.lesson"})");
  CHECK(L.find(R"("predict":{)") != std::string::npos);
  CHECK(L.find("Servers time out") == std::string::npos);   // the predict is over
  CHECK(L.find(R"("hints":["Give it <strong>a moment</strong>."]})") != std::string::npos);
}
