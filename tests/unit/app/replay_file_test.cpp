// Replay files (scenario/replay_file.h): the text round-trips, a replay opens at its moment with
// the same trace hash as the live run it came from (the later commands kept as the future), and
// malformed files are refused with FILE:LINE and what is wrong.
#include <doctest/doctest.h>

#include "catalog/catalog.h"
#include "scenario/replay_file.h"

using namespace topo;

TEST_CASE("replay file: round trip, and it reopens the run it was written from at its moment") {
  std::string err;
  auto live = Session::create("raft-3", 7, {{"rate", "20"}}, &err);
  REQUIRE(live);
  live->run_until(300 * kMs);
  REQUIRE(live->apply(*Command::parse("crash node=n1", &err)).ok);
  live->run_until(700 * kMs);
  REQUIRE(live->apply(*Command::parse("restart node=n1", &err)).ok);
  live->run_until(900 * kMs);

  ReplayFile r;
  r.scenario = "raft-3";
  r.seed = 7;
  r.params = {{"rate", "20"}};
  r.log = live->world().command_log();
  r.at_us = 900 * kMs;
  const std::string text = replay_text(r, "two lines\nof comment");
  auto back = parse_replay(text, "x.replay", &err);
  REQUIRE_MESSAGE(back, err);
  CHECK(back->scenario == "raft-3");
  CHECK(back->seed == 7);
  CHECK(back->params == r.params);
  CHECK(back->at_us == r.at_us);
  REQUIRE(back->log.size() == 2);
  CHECK(back->log[1].at == 700 * kMs);

  auto s = open_replay(*back, &err);
  REQUIRE_MESSAGE(s, err);
  CHECK(s->world().now() == 900 * kMs);
  CHECK(s->world().trace().hash() == live->world().trace().hash());

  // Opened between the two commands: stands at 500 ms, and playing on replays the restart.
  back->at_us = 500 * kMs;
  auto mid = open_replay(*back, &err);
  REQUIRE_MESSAGE(mid, err);
  CHECK(mid->world().now() == 500 * kMs);
  CHECK(mid->world().node(*mid->world().find_node("n1")).status == NodeStatus::Crashed);
  mid->run_until(900 * kMs);
  CHECK(mid->world().trace().hash() == live->world().trace().hash());
}

TEST_CASE("replay file: malformed input names the file, the line and what is wrong") {
  std::string err;
  CHECK_FALSE(parse_replay("seed 3\n", "a.replay", &err));
  CHECK(err == "a.replay:1: no scenario line: this is not a Topolab replay");
  CHECK_FALSE(parse_replay("scenario raft-3\nseed x\n", "b.replay", &err));
  CHECK(err.rfind("b.replay:2: seed wants", 0) == 0);
  CHECK_FALSE(parse_replay("scenario raft-3\nspeed 3\n", "c.replay", &err));
  CHECK(err.rfind("c.replay:2: unknown line \"speed\"", 0) == 0);
  CHECK_FALSE(parse_replay("# hi\nscenario raft-3\nlog\n100 crash node=n1\nsoon heal\n", "d.replay", &err));
  CHECK(err.rfind("d.replay:5: ", 0) == 0);
  auto r = parse_replay("scenario no-such\nlog\n", "e.replay", &err);
  REQUIRE(r);
  CHECK_FALSE(open_replay(*r, &err));
  CHECK(err.find("no-such") != std::string::npos);
}
