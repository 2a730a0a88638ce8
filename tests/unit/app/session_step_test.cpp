// Stepping one event at a time goes through the Session, like playing: after a rewind, a
// recorded command is applied at its own simulated time when a step reaches it (a bare
// World::step would skip it, and the run would differ from the one that was recorded). The log
// text that share links carry parses back to the same commands, and replaying it rebuilds the
// same run.
#include <doctest/doctest.h>

#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;

namespace {
std::unique_ptr<Session> make(const char* scenario, uint64_t seed = 7) {
  std::string err;
  auto s = Session::create(scenario, seed, {}, &err);
  REQUIRE_MESSAGE(s, err);
  return s;
}
}  // namespace

TEST_CASE("after a rewind, stepping event by event replays a recorded command at its recorded time") {
  auto s = make("raft-5");
  s->run_until(300 * kMs);
  REQUIRE(s->apply({"crash", {{"node", "n2"}}}).ok);
  s->run_until(700 * kMs);
  const uint64_t straight = s->world().trace().hash();

  s->rewind(200 * kMs);
  REQUIRE(s->next_replay_at() == 300 * kMs);
  int steps = 0;
  while (s->world().now() < 700 * kMs && steps < 100000) {
    const auto next = s->world().next_event_time();
    if (next && *next > 700 * kMs && !s->next_replay_at()) break;
    REQUIRE(s->step());
    ++steps;
  }
  s->run_until(700 * kMs);
  // The crash is in the log at exactly its recorded time, and the run is the recorded one.
  bool found = false;
  for (const auto& lc : s->world().command_log())
    if (lc.cmd.op == "crash") {
      CHECK(lc.at == 300 * kMs);
      found = true;
    }
  CHECK(found);
  CHECK(s->world().trace().hash() == straight);
  CHECK(steps > 10);
}

TEST_CASE("stepping after a rewind applies every recorded command at its own time, between events") {
  // Commands at times no event falls on (odd microseconds): a step must stop there, apply the
  // command, and only then run the next event; the log's times and the trace are the straight run's.
  auto s = make("raft-5", 11);
  const std::vector<std::pair<Time, Command>> plan = {
      {123457, {"crash", {{"node", "n1"}}}},
      {250001, {"partition", {{"groups", "n2,n3|n4,n5"}}}},
      {400003, {"restart", {{"node", "n1"}, {"delay_ms", "7"}}}},
      {555555, {"heal", {}}},
  };
  for (const auto& [at, c] : plan) {
    s->run_until(at);
    REQUIRE(s->apply(c).ok);
  }
  s->run_until(800 * kMs);
  const uint64_t straight = s->world().trace().hash();
  const std::vector<LoggedCommand> recorded = s->world().command_log();

  s->rewind(100 * kMs);
  REQUIRE(s->next_replay_at() == 123457);
  size_t applied = 0;
  int steps = 0;
  while (steps < 200000) {
    const auto next = s->world().next_event_time();
    if ((!next || *next > 800 * kMs) && !s->next_replay_at()) break;
    const size_t before = s->world().command_log().size();
    REQUIRE(s->step());
    ++steps;
    if (s->world().command_log().size() > before) {
      // A step that applies a recorded command does only that, at exactly its recorded time.
      REQUIRE(applied < plan.size());
      CHECK(s->world().now() == plan[applied].first);
      CHECK(s->world().command_log().back().cmd.to_text() == plan[applied].second.to_text());
      ++applied;
    }
    // Never past a recorded command that is still to come.
    if (const auto due = s->next_replay_at()) CHECK(s->world().now() <= *due);
  }
  CHECK(applied == plan.size());
  s->run_until(800 * kMs);
  REQUIRE(s->world().command_log().size() == recorded.size());
  for (size_t i = 0; i < recorded.size(); ++i) {
    CHECK(s->world().command_log()[i].at == recorded[i].at);
    CHECK(s->world().command_log()[i].cmd.to_text() == recorded[i].cmd.to_text());
  }
  CHECK(s->world().trace().hash() == straight);
}

TEST_CASE("a replay refuses a command before the world's time, naming it") {
  auto s = make("raft-5", 3);
  s->run_until(500 * kMs);
  std::string err;
  CHECK_FALSE(s->replay({{100 * kMs, {"heal", {}}}}, 600 * kMs, &err));
  CHECK(err == "\"heal\" at 100000 us is before the world's time");
  CHECK(s->world().now() == 500 * kMs);
}

TEST_CASE("the share log's text parses back and replays to the same run; bad lines name their line") {
  auto s = make("raft-5", 3);
  s->run_until(250 * kMs);
  REQUIRE(s->apply({"partition", {{"groups", "n1,n2"}}}).ok);
  s->run_until(600 * kMs);
  REQUIRE(s->apply({"heal", {}}).ok);
  s->run_until(900 * kMs);
  const std::string text = Session::log_text(s->world());
  std::string err;
  const auto log = Session::parse_log(text, &err);
  REQUIRE_MESSAGE(log, err);
  REQUIRE(log->size() == s->world().command_log().size());

  auto r = make("raft-5", 3);
  REQUIRE_MESSAGE(r->replay(*log, 900 * kMs, &err), err);
  CHECK(r->world().now() == 900 * kMs);
  CHECK(r->world().trace().hash() == s->world().trace().hash());

  CHECK_FALSE(Session::parse_log("100 crash node=n1\nabc heal\n", &err));
  CHECK(err.find("line 2") != std::string::npos);
  CHECK_FALSE(Session::parse_log("500 heal\n100 heal\n", &err));
  CHECK(err.find("before the line above") != std::string::npos);
  CHECK(Session::parse_log("\n\n", &err)->empty());
  // A command the world refuses stops the replay with its reason.
  auto bad = make("raft-5", 3);
  const auto refused = Session::parse_log("100 crash node=n9\n", &err);
  REQUIRE(refused);
  CHECK_FALSE(bad->replay(*refused, 200, &err));
  CHECK(err.find("n9") != std::string::npos);
}
