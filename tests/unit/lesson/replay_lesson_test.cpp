// Rewinding inside a lesson, without the UI: a lesson played for a while (its steps' actions and
// a learner's command in the log), then rebuilt at an earlier moment and step, gives the world it
// had at that moment (same trace hash) with the runner at that step; bad input is refused.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "lesson/replay.h"
#include "lesson/validator.h"
#include "scenario/scenario.h"

using namespace topo;

namespace {
lesson::Lesson load(const char* file) {
  std::ifstream in(std::string(TOPOLAB_SOURCE_DIR) + "/lessons/" + file);
  std::stringstream ss;
  ss << in.rdbuf();
  auto checked = lesson::check_lesson(ss.str(), lesson::WorldSource::builtin());
  REQUIRE(checked.ok());
  return *checked.lesson;
}
}  // namespace

TEST_CASE("a lesson rebuilt at an earlier time and step has the world it had then") {
  const lesson::Lesson L = load("03-agreeing-on-a-leader.toml");
  std::string err;
  auto r = lesson::Runner::create(L, lesson::WorldSource::builtin(), lesson::Mode::Interactive, &err);
  REQUIRE_MESSAGE(r, err);
  // Step 1 asks a prediction; answer it, then play on through a few steps, remembering the world
  // at a moment inside step 2 or later.
  if (r->awaiting_predict()) r->answer_predict(0);
  Time mark = -1;
  size_t mark_step = 0;
  uint64_t mark_hash = 0;
  for (int i = 0; i < 400 && r->step_index() < 3; ++i) {
    r->advance(25 * kMs);
    if (r->step_complete()) r->next();
    if (mark < 0 && r->step_index() >= 1 && r->world().now() >= 600 * kMs) {
      mark = r->world().now();
      mark_step = r->step_index();
      mark_hash = r->world().trace().hash();
    }
  }
  REQUIRE(mark > 0);
  REQUIRE(r->world().now() > mark);
  REQUIRE(r->apply({"heal", {}}).ok);   // a learner's command after the mark
  r->advance(200 * kMs);
  const auto log = r->world().command_log();
  auto back = lesson::replay_lesson(L, lesson::WorldSource::builtin(), log, mark, mark_step, r->world().seed(), &err);
  REQUIRE_MESSAGE(back, err);
  CHECK(back->world().now() == mark);
  CHECK(back->step_index() == mark_step);
  CHECK(back->world().trace().hash() == mark_hash);
  // The later crash is not in the rebuilt world.
  for (const auto& lc : back->world().command_log()) CHECK(lc.at <= mark);

  CHECK_FALSE(lesson::replay_lesson(L, lesson::WorldSource::builtin(), log, mark, 99, 1, &err));
  CHECK(err.find("out of range") != std::string::npos);
  std::vector<LoggedCommand> refused{{100, {"crash", {{"node", "n42"}}}}};
  CHECK_FALSE(lesson::replay_lesson(L, lesson::WorldSource::builtin(), refused, 500 * kMs, 0, 1, &err));
  CHECK(err.find("n42") != std::string::npos);
}
