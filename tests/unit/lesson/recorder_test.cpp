// Record a lesson by playing it (lesson/recorder.h): a recorded run becomes a lesson that checks
// and autoplays as written, with the teacher's timing, and an action on the leader becomes
// "the leader" so the lesson holds on every seed.
#include <doctest/doctest.h>

#include <string>

#include "catalog/catalog.h"
#include "lesson/recorder.h"
#include "lesson/runner.h"
#include "lesson/validator.h"
#include "lesson/world_facts.h"

using namespace topo;
using namespace topo::lesson;

namespace {

/// The node that leads raft-5 (seed `seed`) at time `t`.
std::string leader_at(uint64_t seed, Time t) {
  std::string err;
  auto s = Session::create("raft-5", seed, {}, &err);
  REQUIRE(s);
  s->run_until(t);
  WorldFacts f(s->world(), s->world().now());
  for (const auto& n : s->world().nodes())
    if (auto v = f.get("is_leader." + n->name); v && std::holds_alternative<double>(*v) && std::get<double>(*v) == 1) return n->name;
  return "";
}

AutoplayResult play(const std::string& text, uint64_t seed_override = 0) {
  WorldSource src = WorldSource::builtin();
  CheckResult c = check_lesson(text, src);
  for (const auto& d : c.diags) INFO(format_diagnostic("recorded.toml", d));
  REQUIRE(c.ok());
  Lesson l = *c.lesson;
  if (seed_override) l.scenario.seed = seed_override;
  std::string err;
  auto r = Runner::create(l, src, Mode::Autoplay, &err);
  REQUIRE_MESSAGE(r, err);
  return autoplay(*r);
}

}  // namespace

TEST_CASE("recorder: a played run becomes a lesson that checks and autoplays, one step per action") {
  Recording r;
  r.scenario = "raft-5";
  r.seed = 3;
  r.log = {{2000000, Command{"crash", {{"node", "n1"}}}},
           {6000000, Command{"restart", {{"node", "n1"}}}},
           {8000000, Command{"partition", {{"groups", "n1,n2|n3,n4,n5"}}}},
           {11000000, Command{"heal", {}}}};
  r.end_us = 14000000;
  std::string err;
  auto text = lesson_from_recording(r, &err);
  REQUIRE_MESSAGE(text, err);
  CHECK(text->find("TODO") != std::string::npos);
  AutoplayResult res = play(*text);
  REQUIRE(res.steps.size() == 5);
  for (const auto& s : res.steps) {
    INFO(s.title);
    CHECK(s.failures.empty());
  }
}

TEST_CASE("recorder: crashing the leader is recorded as @leader, and the lesson holds on 20 seeds") {
  const std::string leader = leader_at(3, 2000000);
  REQUIRE_FALSE(leader.empty());
  Recording r;
  r.scenario = "raft-5";
  r.seed = 3;
  r.log = {{2000000, Command{"crash", {{"node", leader}}}}};
  r.end_us = 6000000;
  std::string err;
  auto text = lesson_from_recording(r, &err);
  REQUIRE_MESSAGE(text, err);
  CHECK(text->find("crash node=@leader") != std::string::npos);
  CHECK(text->find("crash node=" + leader + "\"") == std::string::npos);   // only in the comment text
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    CAPTURE(seed);
    AutoplayResult res = play(*text, seed);
    for (const auto& s : res.steps) CHECK(s.failures.empty());
  }
}

TEST_CASE("recorder: a command the scenario refuses is reported, naming it and its time") {
  Recording r;
  r.scenario = "raft-5";
  r.log = {{1000000, Command{"crash", {{"node", "n9"}}}}};
  std::string err;
  CHECK_FALSE(lesson_from_recording(r, &err));
  CHECK(err.find("crash node=n9") != std::string::npos);
  CHECK(err.find("1.000s") != std::string::npos);
  r.scenario = "no-such-world";
  CHECK_FALSE(lesson_from_recording(r, &err));
  CHECK(err.find("no-such-world") != std::string::npos);
}
