// Selectors (@leader, @crashed, @replica(S), ...), arithmetic in conditions, start.KEY baselines,
// hints on goals and predicts, and honest predicts (expect): how they parse (errors at
// line:column), resolve against a running world after crashes and elections, and behave in the
// runner and under autoplay.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "catalog/catalog.h"
#include "lesson/runner.h"
#include "lesson/selector.h"
#include "lesson/validator.h"

using namespace topo;
using namespace topo::lesson;

namespace {

struct MapFacts : Facts {
  std::map<std::string, Value> m;
  std::optional<Value> get(std::string_view k) const override {
    auto it = m.find(std::string(k));
    if (it == m.end()) return std::nullopt;
    return it->second;
  }
};

bool eval(const std::string& text, const Facts& f) {
  Diagnostics d;
  auto c = parse_condition(text, {1, 1}, d);
  REQUIRE_MESSAGE(c.has_value(), text << ": " << (d.empty() ? "" : d[0].message));
  return evaluate(c->root, f);
}

std::string first_error(const std::string& text) {
  Diagnostics d;
  auto c = parse_condition(text, {3, 10}, d);
  CHECK_MESSAGE(!c.has_value(), text);
  REQUIRE(!d.empty());
  return std::to_string(d[0].pos.line) + ":" + std::to_string(d[0].pos.col) + ": " + d[0].message;
}

std::unique_ptr<World> raft5(uint64_t seed) {
  std::string err;
  auto w = build_world("raft-5", seed, {}, &err);
  REQUIRE_MESSAGE(w, err);
  return w;
}

Selector sel(const std::string& text) {
  Diagnostics d;
  auto s = parse_selector(text, {1, 1}, d);
  REQUIRE_MESSAGE(s.has_value(), text << ": " << (d.empty() ? "" : d[0].message));
  return *s;
}

std::vector<std::string> names(const World& w, const std::string& selector) {
  std::vector<std::string> out;
  for (NodeId id : select_nodes(w, sel(selector))) out.push_back(w.node(id).name);
  return out;
}

/// Runs until `cond` holds (checked every 10 ms), at most `limit_us` more.
bool run_until(World& w, const std::string& cond, Time limit_us = 10 * kSec) {
  const Time end = w.now() + limit_us;
  WorldFacts f(w);
  while (w.now() < end) {
    if (eval(cond, f)) return true;
    w.run_until(w.now() + 10 * kMs);
  }
  return eval(cond, f);
}

Command cmd(const std::string& text) {
  std::string err;
  auto c = Command::parse(text, &err);
  REQUIRE_MESSAGE(c, err);
  return *c;
}

Action action(const std::string& text) {
  const std::string lesson = std::string(R"(format = 1
id = "a"
title = "A"
summary = "A."
level = "beginner"
minutes = 1
[scenario]
name = "raft-5"
[[step]]
title = "A"
text = "A"
do = [")") + text + "\"]\n";
  ParseResult p = parse_lesson(lesson);
  REQUIRE(p.lesson);
  REQUIRE(p.lesson->steps.at(0).actions.size() == 1);
  return p.lesson->steps[0].actions[0];
}

const char* kHeader = R"(format = 1
id = "sel-test"
title = "Selectors"
summary = "A test lesson."
level = "beginner"
minutes = 2

[scenario]
name = "raft-5"
seed = 3
)";

const char* kElect = R"(
[[step]]
title = "Elect"
text = "A leader."
wait = { until = "leader_count == 1 and count(@followers) == 4", timeout = "5s" }
)";

std::unique_ptr<Runner> start(const std::string& steps, Mode mode) {
  CheckResult c = check_lesson(std::string(kHeader) + steps, WorldSource::builtin());
  for (const auto& d : c.diags) INFO(d.pos.line << ":" << d.pos.col << ": " << d.message);
  REQUIRE(c.ok());
  std::string err;
  auto r = Runner::create(*c.lesson, WorldSource::builtin(), mode, &err);
  REQUIRE_MESSAGE(r, err);
  return r;
}

std::vector<std::string> check_errors(const std::string& steps) {
  std::vector<std::string> out;
  for (const auto& d : check_lesson(std::string(kHeader) + steps, WorldSource::builtin()).diags)
    out.push_back(std::to_string(d.pos.line) + ":" + std::to_string(d.pos.col) + ": " + d.message);
  return out;
}

}  // namespace

TEST_CASE("arithmetic in conditions: precedence, associativity, unary minus, parentheses") {
  MapFacts f;
  f.m["a"] = 2.0;
  f.m["b"] = 3.0;
  f.m["c"] = 4.0;
  f.m["p99_ms.checkout"] = 900.0;
  f.m["start.p99_ms.checkout"] = 250.0;
  f.m["name"] = std::string("leader");
  CHECK(eval("a + b * c == 14", f));            // * before +
  CHECK(eval("(a + b) * c == 20", f));
  CHECK(eval("a * b + c == 10", f));
  CHECK(eval("a - b - c == -5", f));            // left to right
  CHECK(eval("c / a / a == 1", f));
  CHECK(eval("c - a + b == 5", f));
  CHECK(eval("-a * b == -6", f));
  CHECK(eval("a * -b == -6", f));
  CHECK(eval("-(a + b) == -5", f));
  CHECK(eval("a -1 == 1", f));                  // a minus after a value subtracts
  CHECK(eval("a == -2 + c", f));
  CHECK(eval("c > a + 1 and not (c > a * 3)", f));
  CHECK(eval("p99_ms.checkout > 3 * start.p99_ms.checkout", f));
  CHECK_FALSE(eval("p99_ms.checkout > 4 * start.p99_ms.checkout", f));
  CHECK(eval("((a + b) * (c - a)) / 5 == 2", f));
  // A division by zero, an unknown key or text in a calculation make the comparison false.
  CHECK_FALSE(eval("a / (c - 4) > 0", f));
  CHECK_FALSE(eval("a / (c - 4) <= 0", f));
  CHECK(eval("not (a / (c - 4) > 0)", f));
  CHECK_FALSE(eval("missing + 1 > 0", f));
  CHECK_FALSE(eval("name + 1 > 0", f));
  // Keys may contain - and /: without spaces they stay one key.
  f.m["x-1"] = 7.0;
  CHECK(eval("x-1 == 7", f));
}

TEST_CASE("arithmetic and selectors: malformed conditions report line:column") {
  CHECK(first_error("a + ") == "3:14: the condition ends too early: expected a value");
  CHECK(first_error("a + * b > 1") == "3:14: expected a value before \"*\"");
  CHECK(first_error("(a + 1 > 2") == "3:20: expected \")\" to close the \"(\" at column 10");
  CHECK(first_error("a + b") == "3:10: a calculation alone is not a condition: compare it, like p99_ms.checkout > 3 * start.p99_ms.checkout");
  CHECK(first_error("a * \"up\" > 1") == "3:14: text cannot be used in a calculation (\"*\")");
  CHECK(first_error("(a > 1) + 2 > 3") == "3:18: a condition cannot be used as a value here: compare values, like (a + b) > 2, and combine conditions with and/or");
  CHECK(first_error("a- 1 > 0") == "3:11: a key cannot end with \"-\" (to subtract or divide, put spaces around - and /)");
  CHECK(first_error("1 + 2 > 2") == "3:10: a comparison needs a value key on one side (like leader_count)");
  CHECK(first_error("count(@leadr) == 1").rfind("3:16: unknown selector \"@leadr\" \xE2\x80\x94 did you mean \"@leader\"?", 0) == 0);
  CHECK(first_error("node.@folower.up == 1").rfind("3:15: unknown selector \"@folower\" \xE2\x80\x94 did you mean \"@follower\"?", 0) == 0);
  CHECK(first_error("count(leader) == 1") == "3:16: count(...) counts the nodes a selector matches, like count(@crashed)");
  CHECK(first_error("@crashed == 0") == "3:10: a selector names nodes, not a value: count them with count(@crashed) or read one of their values, like node.@crashed.status");
  CHECK(first_error("count(@replica) > 0") == "3:16: @replica needs a service in parentheses, like @replica(payment)");
  CHECK(first_error("count(@leader(x)) > 0") == "3:23: @leader takes no \"(...)\": only @replica(SERVICE) and @replicas(SERVICE) do");
  CHECK(first_error("node.@leader.@crashed.up == 1") == "3:23: a key can hold one selector only");
  CHECK(first_error("node.@replica(payment.up == 1") == "3:23: \"(\" after a selector needs a closing \")\"");
}

TEST_CASE("selectors resolve against the world now: after crashes and elections") {
  auto w = raft5(3);
  REQUIRE(run_until(*w, "leader_count == 1"));
  WorldFacts f(*w);
  const auto leader_id = static_cast<NodeId>(std::get<double>(*f.get("leader")));
  const std::string first_leader = w->node(leader_id).name;
  CHECK(names(*w, "@leader") == std::vector<std::string>{first_leader});
  CHECK(names(*w, "@followers").size() == 4);
  CHECK(names(*w, "@crashed").empty());
  CHECK(names(*w, "@servers") == std::vector<std::string>{"n1", "n2", "n3", "n4", "n5"});   // clients c1, c2 are not servers
  CHECK(names(*w, "@server") == std::vector<std::string>{"n1"});
  // @follower is the first follower in node order.
  const std::string follower = first_leader == "n1" ? "n2" : "n1";
  CHECK(names(*w, "@follower") == std::vector<std::string>{follower});
  CHECK(eval("node.@leader.role == \"leader\" and count(@followers) == 4 and count(@crashed) == 0", f));
  CHECK(eval("node.@followers.role == \"follower\"", f));   // every follower
  CHECK(eval("is_leader.@leader == 1", f));

  // The leader crashes: @crashed names it, and after the election @leader names the new one.
  REQUIRE(w->apply(cmd("crash node=" + first_leader)).ok);
  CHECK(names(*w, "@crashed") == std::vector<std::string>{first_leader});
  CHECK(names(*w, "@one_crashed") == std::vector<std::string>{first_leader});
  REQUIRE(run_until(*w, "leader_count == 1 and term >= 2"));
  const auto leader2 = names(*w, "@leader");
  REQUIRE(leader2.size() == 1);
  CHECK(leader2[0] != first_leader);
  CHECK(names(*w, "@followers").size() == 3);
  CHECK_FALSE(eval("count(@crashed) == 0", f));
  CHECK(eval("count(@crashed) == 1 and count(@servers) == 4", f));
  CHECK(eval("node.@crashed.status == \"crashed\"", f));
  // A selector that matches nothing makes its comparison false (both ways).
  REQUIRE(w->apply(cmd("restart node=" + first_leader)).ok);
  w->run_until(w->now() + 50 * kMs);
  CHECK(names(*w, "@crashed").empty());
  CHECK_FALSE(eval("node.@crashed.up == 0", f));
  CHECK_FALSE(eval("node.@crashed.up != 0", f));
  CHECK(eval("count(@crashed) == 0", f));
  // The same seed and commands select the same nodes: the choice is a function of the state.
  auto w2 = raft5(3);
  REQUIRE(run_until(*w2, "leader_count == 1"));
  CHECK(names(*w2, "@leader") == std::vector<std::string>{first_leader});
}

TEST_CASE("selectors in actions: one command per matched node, names in place in groups, clear message when none") {
  auto w = raft5(5);
  REQUIRE(run_until(*w, "leader_count == 1"));
  std::string err;
  // Nothing crashed yet: a clear message, no command.
  CHECK_FALSE(resolve_actions(action("restart node=@crashed"), *w, 0, &err));
  CHECK(err == "@crashed matches no node right now (no node is crashed)");
  REQUIRE(w->apply(cmd("crash node=n4")).ok);
  REQUIRE(w->apply(cmd("crash node=n2")).ok);
  auto cmds = resolve_actions(action("restart node=@crashed delay_ms=1s"), *w, 0, &err);
  REQUIRE(cmds);
  REQUIRE(cmds->size() == 2);
  CHECK((*cmds)[0].to_text() == "restart delay_ms=1000 node=n2");   // node order, duration in ms
  CHECK((*cmds)[1].to_text() == "restart delay_ms=1000 node=n4");
  auto one = resolve_actions(action("restart node=@one_crashed"), *w, 0, &err);
  REQUIRE(one);
  CHECK(one->size() == 1);
  CHECK(one->front().arg("node") == "n2");
  // A single-command resolution refuses a selector that matches several nodes.
  CHECK_FALSE(resolve_action(action("restart node=@crashed"), *w, 0, &err));
  // nodes/groups parameters: the names in place.
  const std::string leader = names(*w, "@leader").at(0);
  auto part = resolve_actions(action("partition groups=@leader|@followers"), *w, 0, &err);
  REQUIRE(part);
  REQUIRE(part->size() == 1);
  std::string rest;
  for (const auto& n : names(*w, "@followers")) rest += (rest.empty() ? "" : ",") + n;
  CHECK(part->front().arg("groups") == leader + "|" + rest);
  CHECK(w->apply(part->front()).ok);
}

TEST_CASE("selectors: shop replicas of a service") {
  std::string err;
  auto w = build_world("shop", 1, {}, &err);
  REQUIRE_MESSAGE(w, err);
  w->run_until(500 * kMs);
  const auto all = names(*w, "@replicas(payment)");
  REQUIRE(all.size() >= 2);
  CHECK(all[0] == "payment-1");
  CHECK(names(*w, "@replica(payment)") == std::vector<std::string>{"payment-1"});
  REQUIRE(w->apply(cmd("crash node=payment-1")).ok);
  CHECK(names(*w, "@replica(payment)") == std::vector<std::string>{all[1]});   // the first up replica
  CHECK(names(*w, "@replicas(payment)") == all);                                // whatever their state
  Diagnostics d;
  validate_selector(sel("@replicas(paymnt)"), *w, d);
  REQUIRE(d.size() == 1);
  CHECK(d[0].pos.col == 11);   // at the service's name
  CHECK(d[0].message.rfind("unknown service \"paymnt\" in @replicas(paymnt) \xE2\x80\x94 did you mean \"payment\"?", 0) == 0);
}

TEST_CASE("check: selectors are validated at line:column, in actions, conditions and text") {
  const auto e = check_errors(R"(
[[step]]
title = "A"
text = "Crash {{@leadr}}."
do = ["crash node=@leadr", "crash node=@crashed,n2", "scale service=@leader replicas=2"]
wait = { until = "node.@leader.termm >= 1 and count(@replicas(payment)) == 0", timeout = "5s" }
)");
  REQUIRE(e.size() >= 5);
  CHECK(e[0].rfind("14:17: unknown selector \"@leadr\"", 0) == 0);
  CHECK(e[1].rfind("15:19: unknown selector \"@leadr\"", 0) == 0);
  CHECK(e[2] == "15:49: \"node\" of \"crash\" names one node or one selector, not \"@crashed,n2\"");
  bool termm = false, service = false;
  for (const auto& x : e) {
    if (x.rfind("16:19: unknown value \"node.@leader.termm\"", 0) == 0 && x.find("did you mean \"node.@leader.term\"") != std::string::npos) termm = true;
    if (x == "16:63: unknown service \"payment\" in @replicas(payment) (this world has no services)") service = true;
  }
  CHECK_MESSAGE(termm, e.size());
  CHECK(service);
  // Arithmetic without spaces around "-" reads as one key: the message says how to write it.
  const auto m = check_errors(R"(
[[step]]
title = "A"
text = "A"
wait = { until = "term-1 >= 0", timeout = "5s" }
)");
  REQUIRE(m.size() == 1);
  CHECK(m[0] == "15:19: unknown value \"term-1\": no model in scenario \"raft-5\" provides it (to subtract or divide, put spaces around - and /: term - 1)");
  // A call edge's arrow is not a minus.
  std::string shop = std::string(kHeader);
  shop.replace(shop.find("raft-5"), 6, "shop");
  const CheckResult sc = check_lesson(shop + R"(
[[step]]
title = "A"
text = "A"
wait = { until = "error_rate.checkout->paymnt < 1", timeout = "5s" }
)", WorldSource::builtin());
  REQUIRE(sc.diags.size() == 1);
  CHECK(sc.diags[0].message.find("put spaces") == std::string::npos);
}

TEST_CASE("baselines: start.KEY is captured as the step opens, before its do, and stays") {
  auto r = start(std::string(kElect) + R"(
[[step]]
title = "Crash the leader"
text = "Leader was {{node:start.leader}} in term {{start.term}}; now {{term}}."
text_at = "live"
do = ["crash node=@leader"]
wait = { until = "term > start.term and leader != start.leader and commit_index > start.commit_index + 2", timeout = "10s" }
)", Mode::Autoplay);
  // Play step 1.
  while (!r->step_complete()) r->advance(kEvalStepUs);
  WorldFacts before(r->world());
  const double leader = std::get<double>(*before.get("leader"));
  const double term = std::get<double>(*before.get("term"));
  const double commit = std::get<double>(*before.get("commit_index"));
  REQUIRE(leader >= 0);
  REQUIRE(r->next());
  // The do crashed the leader: the live value changed, the baseline did not.
  const Baseline& b = r->state().baseline;
  REQUIRE(b.count("leader"));
  CHECK(std::get<double>(b.at("leader")) == leader);
  CHECK(std::get<double>(b.at("term")) == term);
  CHECK(std::get<double>(b.at("commit_index")) == commit);
  WorldFacts now(r->world(), r->state().started_us, &b);
  CHECK(std::get<double>(*now.get("leader")) == -1);
  CHECK(std::get<double>(*now.get("start.leader")) == leader);
  const std::string old_name = r->world().node(static_cast<NodeId>(leader)).name;
  r->advance(3 * kSec);
  CHECK(r->state().wait == Gate::Done);
  // Still the value of the step's start, not of now.
  CHECK(std::get<double>(r->state().baseline.at("commit_index")) == commit);
  CHECK(r->text() == "Leader was " + old_name + " in term " + format_readable(term) + "; now " +
                         format_readable(std::get<double>(*WorldFacts(r->world()).get("term"))) + ".");
}

TEST_CASE("honest predicts: a wrong expect fails autoplay at the predict's line:column; a right one passes") {
  const std::string step = R"(
[[step]]
title = "Crash the leader"
text = "The lesson crashes the leader."
do = ["crash node=@leader"]
[step.predict]
question = "What next?"
timeout = "5s"
expect = EXPECT
choices = [
  { text = "A new leader.", when = "leader_count == 1 and term > start.term" },
  { text = "No leader.", when = "leader_count == 0 and elapsed_s >= 4" },
]
)";
  auto with = [&](const std::string& expect) {
    std::string s = step;
    s.replace(s.find("EXPECT"), 6, expect);
    return std::string(kElect) + s;
  };
  {
    auto r = start(with("1"), Mode::Autoplay);
    AutoplayResult res = autoplay(*r);
    CHECK(res.ok);
  }
  {
    auto r = start(with("\"b\""), Mode::Autoplay);
    AutoplayResult res = autoplay(*r);
    CHECK_FALSE(res.ok);
    REQUIRE(res.steps.size() == 2);
    REQUIRE(res.steps[1].problems.size() == 1);
    // kHeader is 10 lines; kElect adds 5, then "[[step]]" is line 17 and expect line 24.
    CHECK(res.steps[1].problems[0].pos.line == 24);
    CHECK(res.steps[1].problems[0].pos.col == 11);
    CHECK(res.steps[1].problems[0].message.rfind("predict: the lesson expects choice 2 (\"leader_count == 0 and elapsed_s >= 4\") but the simulation did choice 1", 0) == 0);
  }
  {
    // A learner's guess is graded, never failed: interactive runs ignore expect.
    auto r = start(with("2"), Mode::Interactive);
    while (!r->step_complete()) r->advance(kEvalStepUs);
    REQUIRE(r->next());
    REQUIRE(r->answer_predict(1));
    r->advance(2 * kSec);
    CHECK(r->state().predict == Gate::Done);
    CHECK(r->state().predict_outcome == 0);
    CHECK(r->state().failures.empty());
  }
  // expect must name a choice.
  auto e = check_errors(std::string(kElect) + R"(
[[step]]
title = "P"
text = "P"
[step.predict]
question = "Q?"
expect = 3
choices = [{ text = "A", when = "leader_count == 1" }, { text = "B", when = "leader_count == 0" }]
)");
  REQUIRE(e.size() == 1);
  CHECK(e[0] == "22:10: \"expect\" must be a choice of this predict: 1 to 2 (or \"a\" to \"b\")");
}

TEST_CASE("predict: when two choices become true together, the first listed wins") {
  auto r = start(std::string(kElect) + R"(
[[step]]
title = "Both"
text = "Both hold at once."
[step.predict]
question = "Q?"
choices = [
  { text = "Second listed is also true", when = "elapsed_s >= 0.5 and leader_count == 1" },
  { text = "True at the same moment", when = "elapsed_s >= 0.5" },
]
)", Mode::Autoplay);
  AutoplayResult res = autoplay(*r);
  CHECK(res.ok);
  bool first = false;
  for (const auto& l : res.steps.at(1).log)
    if (l.find("the simulation did choice 1") != std::string::npos) first = true;
  CHECK(first);
}

TEST_CASE("Show me restarts whatever the learner crashed; hints on predicts and goals come due") {
  auto r = start(std::string(kElect) + R"(
[[step]]
title = "Crash two"
text = "Crash any two servers."
[step.task]
prompt = "Crash two servers."
check = "count(@crashed) == 2"
solution = ["crash node=@follower", "crash node=@follower"]
[step.predict]
question = "Will they still elect?"
hints = [{ after = "3s", text = "Count the servers still up." }]
choices = [{ text = "Yes", when = "leader_count == 1 and elapsed_s >= 0.5" }, { text = "No", when = "leader_count == 0 and elapsed_s >= 4" }]
[step.goal]
text = "Serve for a second"
check = "availability >= 0.5 for 1s"
timeout = "10s"
hints = [{ after = "0.5s", text = "Three of five is a majority." }]

[[step]]
title = "Repair"
text = "Restart them."
[step.task]
prompt = "Restart every crashed server."
check = "count(@crashed) == 0 and nodes.up == 7"
solution = ["restart node=@crashed"]
)", Mode::Interactive);
  while (!r->step_complete()) r->advance(kEvalStepUs);
  REQUIRE(r->next());
  // The predict opens first (the world pauses): its hint comes due in real time.
  CHECK(r->awaiting_predict());
  CHECK(r->hints_due().empty());
  r->add_real_time(3.5);
  REQUIRE(r->hints_due().size() == 1);
  CHECK(r->hints_due()[0]->text == "Count the servers still up.");
  REQUIRE(r->answer_predict(0));
  r->advance(1 * kSec);
  REQUIRE(r->state().phase == Phase::Task);
  CHECK(r->hints_due().empty());   // the task has no hints
  // The learner crashes n3 and n5, whatever the solution would have crashed.
  CHECK(r->apply(cmd("crash node=n3")).ok);
  CHECK(r->apply(cmd("crash node=n5")).ok);
  CHECK(r->state().task == Gate::Done);
  REQUIRE(r->state().phase == Phase::Goal);
  r->advance(600 * kMs);
  REQUIRE(r->hints_due().size() == 1);
  CHECK(r->hints_due()[0]->text == "Three of five is a majority.");
  r->advance(5 * kSec);
  REQUIRE(r->step_complete());
  REQUIRE(r->next());
  r->apply_solution();   // "Show me"
  CHECK(r->state().failures.empty());
  r->advance(100 * kMs);
  CHECK(r->state().task == Gate::Done);
  WorldFacts f(r->world());
  CHECK(std::get<double>(*f.get("nodes.up")) == 7);
}

TEST_CASE("a selector that matches nothing when the action runs fails the step with a clear message at the action") {
  auto r = start(R"(
[[step]]
title = "Too early"
text = "Nobody leads yet."
do = ["crash node=@leader"]
)", Mode::Autoplay);
  AutoplayResult res = autoplay(*r);
  CHECK_FALSE(res.ok);
  REQUIRE(res.steps.at(0).problems.size() == 1);
  CHECK(res.steps[0].problems[0].pos.line == 15);
  CHECK(res.steps[0].problems[0].pos.col == 8);
  CHECK(res.steps[0].problems[0].message == "do \"crash node=@leader\": @leader matches no node right now (there is no leader)");
}

TEST_CASE("text: {{@selector}} shows the matched names, as the step opens") {
  auto r = start(std::string(kElect) + R"(
[[step]]
title = "Names"
text = "Leader {{@leader}}, followers {{@followers}}, crashed {{@crashed}}; crashing {{@follower}}."
do = ["crash node=@follower"]
)", Mode::Autoplay);
  while (!r->step_complete()) r->advance(kEvalStepUs);
  const auto leader = names(r->world(), "@leader");
  const auto followers = names(r->world(), "@followers");
  REQUIRE(r->next());
  std::string fl;
  for (const auto& n : followers) fl += (fl.empty() ? "" : ", ") + n;
  CHECK(r->text() == "Leader " + leader.at(0) + ", followers " + fl + ", crashed none; crashing " + followers.at(0) + ".");
  CHECK(names(r->world(), "@crashed") == std::vector<std::string>{followers.at(0)});
}

TEST_CASE("baselines in actions: {start.leader} in a solution is the leader when the step opened") {
  auto r = start(std::string(kElect) + R"(
[[step]]
title = "Bring it back"
text = "The lesson crashed the leader; restart it."
do = ["crash node=@leader"]
[step.task]
prompt = "Restart the server that was leader."
check = "nodes.crashed == 0"
solution = ["restart node={start.leader}"]
)", Mode::Interactive);
  while (!r->step_complete()) r->advance(kEvalStepUs);
  const std::string old_leader = names(r->world(), "@leader").at(0);
  REQUIRE(r->next());
  CHECK(names(r->world(), "@crashed") == std::vector<std::string>{old_leader});
  r->advance(2 * kSec);   // a new leader meanwhile
  REQUIRE(names(r->world(), "@leader").size() == 1);
  CHECK(names(r->world(), "@leader")[0] != old_leader);
  r->apply_solution();
  CHECK(r->state().failures.empty());
  r->advance(100 * kMs);
  CHECK(r->state().task == Gate::Done);
  CHECK(names(r->world(), "@crashed").empty());
}

TEST_CASE("selectors are deterministic: the same lesson and seed give the same commands and trace hash") {
  std::string text;
  {
    std::ifstream in(std::string(TOPOLAB_SOURCE_DIR) + "/tests/lessons/selectors/every-seed.toml", std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    text = s.str();
  }
  auto play = [&](uint64_t seed, std::vector<std::string>* log) {
    CheckResult c = check_lesson(text, WorldSource::builtin());
    REQUIRE(c.ok());
    c.lesson->scenario.seed = seed;
    std::string err;
    auto r = Runner::create(*c.lesson, WorldSource::builtin(), Mode::Autoplay, &err);
    REQUIRE_MESSAGE(r, err);
    CHECK(autoplay(*r).ok);
    for (const auto& cmd : r->world().command_log()) log->push_back(cmd.cmd.to_text());
    return r->world().trace().hash();
  };
  for (uint64_t seed : {7u, 12u}) {
    std::vector<std::string> a, b;
    const auto h1 = play(seed, &a);
    const auto h2 = play(seed, &b);
    CHECK(h1 == h2);
    CHECK(a == b);
    // The log holds the nodes the selectors chose, never the selectors themselves.
    REQUIRE(!a.empty());
    for (const auto& line : a) CHECK(line.find('@') == std::string::npos);
  }
}

TEST_CASE("conditions with arithmetic and selectors: random text parses or fails cleanly, and evaluates without crashing") {
  auto w = raft5(2);
  w->run_until(300 * kMs);
  WorldFacts f(*w);
  const char* pieces[] = {"a", "term", "leader_count", " ", "+", "-", "*", "/", "(", ")", "1", "-2", ".5", "==", ">=",
                          "<", "!=", "and", "or", "not", "count(", "@leader", "@crashed", "@replica(", "payment", ")",
                          "node.", "@followers", ".commit_index", "start.", "\"up\"", "for", "2s", "@", "0", "x-1",
                          "micro/", "true"};
  const size_t n = sizeof(pieces) / sizeof(pieces[0]);
  uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<size_t>(state >> 33);
  };
  size_t parsed = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string text;
    const size_t len = 1 + next() % 12;
    for (size_t k = 0; k < len; ++k) text += std::string(pieces[next() % n]) + (next() % 2 ? " " : "");
    Diagnostics d;
    auto c = parse_condition(text, {1, 1}, d);
    if (c) {
      ++parsed;
      (void)evaluate(c->root, f);
    } else {
      REQUIRE_MESSAGE(d.size() == 1, text);
      CHECK(d[0].pos.line == 1);
      CHECK(d[0].pos.col >= 1);
      CHECK(d[0].pos.col <= static_cast<int>(text.size()) + 1);
    }
  }
  CHECK(parsed > 25);
}

TEST_CASE("@stale_leader: the old leader cut off by a partition, until it steps down") {
  auto w = raft5(4);
  REQUIRE(run_until(*w, "leader_count == 1"));
  const std::string old = names(*w, "@leader").at(0);
  CHECK(names(*w, "@stale_leader").empty());
  std::string err;
  auto part = resolve_actions(action("partition groups=@leader,@follower,c1"), *w, 0, &err);
  REQUIRE(part);
  REQUIRE(w->apply(part->front()).ok);
  REQUIRE(run_until(*w, "leader_count == 1 and term >= 2 and count(@stale_leader) == 1"));
  CHECK(names(*w, "@stale_leader") == std::vector<std::string>{old});
  CHECK(names(*w, "@leader").at(0) != old);
  REQUIRE(w->apply(cmd("heal")).ok);
  // Every follower, the two that were cut off included, ends up in the new term.
  CHECK(run_until(*w, "count(@stale_leader) == 0 and count(@followers) == 4 and node.@followers.term == term"));
}
