// Scrubbing the timeline: rewinding keeps the commands after the rewound time as a recorded
// future, so playing on shows the same run again (same trace hash); a new command branches off
// and drops that future.
#include <doctest/doctest.h>

#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;

namespace {
std::unique_ptr<Session> make(const char* scenario) {
  std::string err;
  auto s = Session::create(scenario, 5, {}, &err);
  REQUIRE_MESSAGE(s, err);
  return s;
}
}  // namespace

TEST_CASE("rewind then play on replays the recorded commands: same hash as the straight run") {
  for (const char* sc : {"ping", "raft-5"}) {
    CAPTURE(sc);
    auto s = make(sc);
    s->run_until(1000 * kMs);
    REQUIRE(s->apply(Command{"partition", {{"groups", s->world().node(1).name}}}).ok);
    s->run_until(1300 * kMs);
    REQUIRE(s->apply(Command{"heal", {}}).ok);
    s->run_until(1600 * kMs);
    const uint64_t straight = s->world().trace().hash();
    const size_t commands = s->world().command_log().size();

    s->rewind(500 * kMs);
    CHECK(s->world().now() == 500 * kMs);
    REQUIRE(s->next_replay_at().has_value());
    CHECK(*s->next_replay_at() == 1000 * kMs);
    s->run_until(1600 * kMs);
    CHECK(s->world().trace().hash() == straight);
    CHECK(s->world().command_log().size() == commands);
    CHECK_FALSE(s->next_replay_at().has_value());
  }
}

TEST_CASE("a new command after a rewind branches off: the recorded future is dropped") {
  auto s = make("ping");
  s->run_until(1000 * kMs);
  REQUIRE(s->apply(Command{"crash", {{"node", s->world().node(0).name}}}).ok);
  s->run_until(1500 * kMs);
  const uint64_t straight = s->world().trace().hash();
  s->rewind(200 * kMs);
  REQUIRE(s->apply(Command{"crash", {{"node", s->world().node(2).name}}}).ok);
  CHECK_FALSE(s->next_replay_at().has_value());
  s->run_until(1500 * kMs);
  CHECK(s->world().trace().hash() != straight);
  CHECK(s->world().node(0).status == NodeStatus::Up);
  CHECK(s->world().node(2).status == NodeStatus::Crashed);
}
