// Unit tests of compare lessons (lesson/compare.h): the [compare] table, left./right. keys and
// counts, world= actions with per-world values, validation at file:line:col, and determinism of
// each world's trace.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "catalog/catalog.h"
#include "lesson/compare.h"
#include "lesson/replay.h"
#include "lesson/runner.h"
#include "lesson/validator.h"

using namespace topo;
using namespace topo::lesson;

namespace {

// raft-3 (3 servers + 2 clients = 5 nodes) on the left, raft-5 (7 nodes) on the right.
const char* kCompare = R"(format = 1
id = "cmp"
title = "Compare"
summary = "Two Raft clusters."
level = "beginner"
minutes = 8

[compare]
seed = 2
left = { name = "raft-3", title = "Three" }
right = { name = "raft-5" }

[[step]]
title = "Both elect"
text = "Left leader {{node:left.leader}}, right has {{right.nodes.total}} nodes at {{time_s}}s."
wait = { until = "left.leader_count == 1 and right.leader_count == 1 and left.nodes.total == 5 and right.nodes.total == 7", timeout = "10s" }

[[step]]
title = "Crash the leader in both"
text = "Crash."
[step.task]
prompt = "Crash both leaders."
check = "count(left.@crashed) == 1 and count(right.@crashed) == 1"
solution = [{ action = "crash", world = "both", node = "@leader" }]
timeout = "1s"

[[step]]
title = "Only the right one restarts"
text = "Restart right."
do = ["restart world=right node=@crashed"]
[step.goal]
text = "right has none crashed, left still one"
check = "count(right.@crashed) == 0 and count(left.@crashed) == 1 and right.term > start.right.term for 1s"
timeout = "10s"
)";

CheckResult check(const std::string& text) { return check_lesson(text, WorldSource::builtin()); }

std::string diags_text(const Diagnostics& d) {
  std::string out;
  for (const auto& x : d) out += std::to_string(x.pos.line) + ":" + std::to_string(x.pos.col) + ": " + x.message + "\n";
  return out;
}

/// The lesson with `from` replaced by `to` (once).
std::string with(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("compare: [compare] parses into two scenarios with one seed and titles") {
  ParseResult p = parse_lesson(kCompare);
  INFO(diags_text(p.diags));
  REQUIRE(p.diags.empty());
  REQUIRE(p.lesson->compare);
  CHECK(p.lesson->scenario.name == "raft-3");
  CHECK(p.lesson->scenario.seed == 2);
  CHECK(p.lesson->compare->right.name == "raft-5");
  CHECK(p.lesson->compare->right.seed == 2);
  CHECK(p.lesson->compare->title[0] == "Three");
  CHECK(p.lesson->compare->title[1].empty());
  CheckResult c = check(kCompare);
  INFO(diags_text(c.diags));
  CHECK(c.ok());
}

TEST_CASE("compare: split_side_key and side_action") {
  CHECK(split_side_key("left.term").side == 0);
  CHECK(split_side_key("left.term").key == "term");
  CHECK(split_side_key("start.right.p99_ms.checkout").side == 1);
  CHECK(split_side_key("start.right.p99_ms.checkout").key == "start.p99_ms.checkout");
  CHECK(split_side_key("right.@leader").key == "@leader");
  CHECK(split_side_key("term").side == -1);
  CHECK(split_side_key("lefty.term").side == -1);
  Action a;
  a.op = "crash";
  a.args = {{"world", "both", {}, {}}, {"node", "@leader", {}, {}}, {"right.node", "n2", {1, 10}, {1, 21}}};
  CHECK(action_sides(a) == std::vector<int>{0, 1});
  CHECK(side_action(a, 0).text() == "crash node=@leader");
  CHECK(side_action(a, 1).text() == "crash node=n2");
  a.args[0].value = "middle";
  CHECK(action_sides(a).empty());
}

TEST_CASE("compare: a world=both action applies in both worlds; left./right. read their own world") {
  CheckResult c = check(kCompare);
  REQUIRE(c.ok());
  std::string err;
  auto r = Runner::create(*c.lesson, WorldSource::builtin(), Mode::Autoplay, &err);
  REQUIRE(r);
  REQUIRE(r->comparing());
  LessonWorld* left = r->host().side(0);
  LessonWorld* right = r->host().side(1);
  REQUIRE(left);
  REQUIRE(right);
  CHECK(left->world().nodes().size() == 5);
  CHECK(right->world().nodes().size() == 7);
  AutoplayResult res = autoplay(*r);
  for (const auto& s : res.steps)
    for (const auto& f : s.failures) INFO(f);
  CHECK(res.ok);
  REQUIRE(res.steps.size() == 3);
  // Both clocks moved together.
  CHECK(left->world().now() == right->world().now());
  // Each Session recorded its own commands, without the world argument: the crash in both, the
  // restart on the right only.
  const auto& ll = left->session()->world().command_log();
  const auto& rl = right->session()->world().command_log();
  REQUIRE(ll.size() == 1);
  REQUIRE(rl.size() == 2);
  CHECK(ll[0].cmd.op == "crash");
  CHECK(ll[0].cmd.args.count("world") == 0);
  CHECK(rl[0].cmd.op == "crash");
  CHECK(rl[1].cmd.op == "restart");
  // The text named the left world's leader and the right world's node count.
  CHECK(res.steps[0].text.find("right has 7 nodes at 0s") != std::string::npos);
  // The facts: left. and right. read each world; a key with no world reads nothing.
  auto f = r->facts();
  CHECK(std::get<double>(*f->get("left.nodes.total")) == 5);
  CHECK(std::get<double>(*f->get("right.nodes.total")) == 7);
  CHECK(*f->count("left.@crashed") == 1);
  CHECK(*f->count("right.@crashed") == 0);
  CHECK(!f->get("nodes.total"));
  CHECK(f->get("time_s"));
}

TEST_CASE("compare: a learner's Command names its world; without one it is refused") {
  CheckResult c = check(kCompare);
  REQUIRE(c.ok());
  auto r = Runner::create(*c.lesson, WorldSource::builtin(), Mode::Interactive, nullptr);
  REQUIRE(r);
  r->advance(3 * kSec);
  Command crash{"crash", {{"node", "n1"}}};
  CommandResult no_world = r->apply(crash);
  CHECK(!no_world.ok);
  CHECK(no_world.error.find("world=left") != std::string::npos);
  crash.args["world"] = "right";
  CHECK(r->apply(crash).ok);
  CHECK(r->host().side(1)->world().node(0).status == NodeStatus::Crashed);
  CHECK(r->host().side(0)->world().node(0).status == NodeStatus::Up);
}

TEST_CASE("compare: the same lesson gives the same trace in each world, twice") {
  CheckResult c = check(kCompare);
  REQUIRE(c.ok());
  uint64_t hashes[2][2] = {};
  for (int run = 0; run < 2; ++run) {
    auto r = Runner::create(*c.lesson, WorldSource::builtin(), Mode::Autoplay, nullptr);
    REQUIRE(r);
    CHECK(autoplay(*r).ok);
    for (int side = 0; side < 2; ++side) hashes[run][side] = r->host().side(side)->world().trace().hash();
  }
  CHECK(hashes[0][0] == hashes[1][0]);
  CHECK(hashes[0][1] == hashes[1][1]);
  CHECK(hashes[0][0] != hashes[0][1]);
}

TEST_CASE("compare: the validator checks each world's part at its line and column") {
  // A key with no world, a key the right world lacks, a count with no world.
  CheckResult c = check(with(kCompare, "left.leader_count == 1 and right.leader_count",
                             "leader_count == 1 and right.leder_count"));
  INFO(diags_text(c.diags));
  REQUIRE(c.diags.size() == 2);
  CHECK(c.diags[0].pos.line == 16);
  CHECK(c.diags[0].pos.col == 19);
  CHECK(c.diags[0].message.find("left.KEY or right.KEY") != std::string::npos);
  CHECK(c.diags[1].pos.col == 47);   // the inner key "leder_count", after "right."
  CHECK(c.diags[1].message.find("unknown value \"leder_count\"") != std::string::npos);
  CHECK(c.diags[1].message.find("did you mean \"leader_count\"") != std::string::npos);

  c = check(with(kCompare, "count(left.@crashed) == 1", "count(@crashed) == 1"));
  REQUIRE(c.diags.size() == 1);
  CHECK(c.diags[0].message.find("count(left.@crashed)") != std::string::npos);

  // An action without its world, one with a bad world, a per-world value the world refuses.
  c = check(with(kCompare, R"(world = "both", node = "@leader")", R"(node = "@leader")"));
  REQUIRE(c.diags.size() == 1);
  CHECK(c.diags[0].message.find("every action says its world") != std::string::npos);
  c = check(with(kCompare, "world=right", "world=rihgt"));
  REQUIRE(c.diags.size() == 1);
  CHECK(c.diags[0].pos.line == 30);
  CHECK(c.diags[0].pos.col == 22);
  CHECK(c.diags[0].message.find("did you mean \"right\"") != std::string::npos);
  c = check(with(kCompare, "restart world=right node=@crashed", "restart world=right right.node=n9"));
  INFO(diags_text(c.diags));
  REQUIRE(c.diags.size() == 1);
  CHECK(c.diags[0].message.find("unknown node \"n9\"") != std::string::npos);

  // A per-world value for a world the action does not run in.
  c = check(with(kCompare, "restart world=right node=@crashed", "restart world=right left.node=@crashed node=@crashed"));
  REQUIRE(c.diags.size() == 1);
  CHECK(c.diags[0].pos.col == 28);
  CHECK(c.diags[0].message.find("\"left.node\" is for the left world, but the action runs only on the right") != std::string::npos);

  // Text placeholders: the inner key's column.
  c = check(with(kCompare, "{{right.nodes.total}}", "{{right.nodes.totl}}"));
  REQUIRE(c.diags.size() == 1);
  CHECK(c.diags[0].pos.col == 61);

  // An unknown scenario on the right, a parameter the left does not declare.
  c = check(with(kCompare, R"(right = { name = "raft-5" })", R"(right = { name = "raft-55" })"));
  REQUIRE(!c.diags.empty());
  CHECK(c.diags[0].pos.line == 11);
  CHECK(c.diags[0].message.find("unknown scenario \"raft-55\"") != std::string::npos);
  c = check(with(kCompare, R"(title = "Three" })", R"(title = "Three", params = { nodez = 3 } })"));
  REQUIRE(!c.diags.empty());
  CHECK(c.diags[0].message.find("has no parameter \"nodez\"") != std::string::npos);
}

TEST_CASE("compare: [compare] structure errors, and worlds in a one-world lesson") {
  ParseResult p = parse_lesson(with(kCompare, R"(right = { name = "raft-5" })", ""));
  REQUIRE(!p.diags.empty());
  CHECK(p.diags[0].message.find("[compare] is missing \"right\"") != std::string::npos);
  p = parse_lesson(with(kCompare, "[compare]", "[scenario]\nname = \"raft-3\"\n\n[compare]"));
  REQUIRE(!p.diags.empty());
  CHECK(p.diags[0].message.find("not both") != std::string::npos);
  p = parse_lesson(with(kCompare, R"(title = "Three")", R"(title = "Three", colour = "red")"));
  REQUIRE(!p.diags.empty());
  CHECK(p.diags[0].message.find("colour") != std::string::npos);
  // A one-world lesson that uses world= or count(left.@...).
  std::string one = with(kCompare, "[compare]\nseed = 2\nleft = { name = \"raft-3\", title = \"Three\" }\nright = { name = \"raft-5\" }",
                         "[scenario]\nname = \"raft-3\"");
  CheckResult c = check(with(one, "world=right ", ""));
  INFO(diags_text(c.diags));
  bool saw_world = false, saw_count = false;
  for (const auto& d : c.diags) {
    if (d.message.find("\"world\" names a world") != std::string::npos) saw_world = true;
    if (d.message.find("count(left.@crashed) names a world") != std::string::npos) saw_count = true;
  }
  CHECK(saw_world);
  CHECK(saw_count);
}

TEST_CASE("compare: replaying both worlds' logs rebuilds the same two worlds (rewind)") {
  CheckResult c = check(kCompare);
  REQUIRE(c.ok());
  auto r = Runner::create(*c.lesson, WorldSource::builtin(), Mode::Autoplay, nullptr);
  REQUIRE(r);
  REQUIRE(autoplay(*r).ok);
  const World& l = r->host().side(0)->world();
  const World& rt = r->host().side(1)->world();
  std::string err;
  auto back = replay_lesson(*c.lesson, WorldSource::builtin(), l.command_log(), l.now(), 2, l.seed(), &err, &rt.command_log());
  INFO(err);
  REQUIRE(back);
  REQUIRE(back->comparing());
  CHECK(back->step_index() == 2);
  CHECK(back->host().side(0)->world().trace().hash() == l.trace().hash());
  CHECK(back->host().side(1)->world().trace().hash() == rt.trace().hash());
  CHECK(back->host().side(1)->world().command_log().size() == rt.command_log().size());
  // Without the right world's log a compare lesson cannot be replayed.
  CHECK_FALSE(replay_lesson(*c.lesson, WorldSource::builtin(), l.command_log(), l.now(), 2, l.seed(), &err));
}

TEST_CASE("compare: lesson 16 holds for a learner who lingers 20 s before each Next") {
  // Interactive play: each predict answered with its expect, each task done with its solution,
  // and 20 simulated seconds of reading before Next (the worlds keep running meanwhile). Every
  // gate must still be reached: no claim depends on the learner being quick.
  std::ifstream in(std::string(TOPOLAB_SOURCE_DIR) + "/lessons/16-same-fault-two-architectures.toml");
  std::stringstream text;
  text << in.rdbuf();
  CheckResult c = check(text.str());
  REQUIRE(c.ok());
  auto r = Runner::create(*c.lesson, WorldSource::builtin(), Mode::Interactive, nullptr);
  REQUIRE(r);
  while (!r->finished()) {
    const Step& st = r->step();
    for (int guard = 0; guard < 12000 && !r->step_complete(); ++guard) {
      if (r->awaiting_predict()) r->answer_predict(st.predict->expect);
      if (st.quiz && r->state().quiz_answer < 0) r->answer_quiz(st.quiz->correct);
      if (r->state().phase == Phase::Task) r->apply_solution();
      r->advance(kEvalStepUs);
    }
    INFO("step " << r->step_index() + 1 << " \"" << st.title << "\"");
    std::string fails;
    for (const auto& f : r->state().failures) fails += f + "; ";
    INFO(fails);
    CHECK(r->step_complete());
    CHECK(r->state().failures.empty());
    if (st.predict) CHECK(r->state().predict_outcome == st.predict->expect);
    r->advance(20 * kSec);
    r->next();
  }
}
