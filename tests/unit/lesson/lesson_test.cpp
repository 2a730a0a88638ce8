// Unit tests of the lesson format: the condition language (parse, positions, evaluation), the
// TOML parser (structure, types, unknown keys), the validator against a small test world (actions,
// nodes, value keys, impossible goals, suggestions), the runner (predict pause, tasks, waits,
// goals, quiz, autoplay) and progress save/restore.
#include <doctest/doctest.h>

#include <map>

#include "lesson/runner.h"
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

bool eval(const std::string& text, const MapFacts& f) {
  Diagnostics d;
  auto c = parse_condition(text, {1, 1}, d);
  REQUIRE_MESSAGE(c.has_value(), text);
  return evaluate(c->root, f);
}

std::string first_error(const std::string& text) {
  Diagnostics d;
  auto c = parse_condition(text, {3, 10}, d);
  CHECK(!c.has_value());
  REQUIRE(!d.empty());
  return std::to_string(d[0].pos.line) + ":" + std::to_string(d[0].pos.col) + ": " + d[0].message;
}

// A tiny world: three idle nodes a, b, c and a model with value "answer" = 42.
struct Idle : Process {
  void on_message(Ctx&, const Message&) override {}
  std::vector<std::pair<std::string, std::string>> inspect() const override { return {{"role", "idle"}}; }
};
struct Answer : Model {
  std::string name() const override { return "answer"; }
  std::optional<double> value(std::string_view k) const override {
    if (k == "answer") return 42.0;
    if (k == "success_rate") return 1.0;
    return std::nullopt;
  }
};

WorldSource test_source() {
  WorldSource s;
  s.make = [](const std::string& name, uint64_t seed, const Params& p, std::string* err) -> std::unique_ptr<LessonWorld> {
    if (name != "tiny") { *err = "no such scenario"; return nullptr; }
    if (p.count("bad")) { *err = "unknown parameter \"bad\""; return nullptr; }
    auto w = std::make_unique<World>(seed);
    for (const char* n : {"a", "b", "c"})
      w->add_node(n, "test", [](NodeId, Persistent*) { return std::make_unique<Idle>(); });
    w->add_model(std::make_unique<Answer>());
    w->start();
    return wrap_world(std::move(w));
  };
  s.names = [] { return std::vector<std::string>{"tiny", "raft-5"}; };
  return s;
}

const char* kHeader = R"(format = 1
id = "tiny-lesson"
title = "Tiny"
summary = "A test lesson."
level = "beginner"
minutes = 2

[scenario]
name = "tiny"
seed = 3
)";

CheckResult check(const std::string& steps) { return check_lesson(std::string(kHeader) + steps, test_source()); }

std::vector<std::string> errors(const std::string& steps) {
  std::vector<std::string> out;
  for (const auto& d : check(steps).diags)
    out.push_back(std::to_string(d.pos.line) + ":" + std::to_string(d.pos.col) + ": " + d.message);
  return out;
}

const char* kGoodLesson = R"(
[[step]]
title = "Crash b"
text = "Crash **b**, then answer."
[step.task]
prompt = "Crash b."
check = "node.b.status == \"crashed\""
solution = [{ action = "crash", node = "b" }]
timeout = "1s"
hints = [{ after = "2s", text = "Right-click b." }]
[step.quiz]
question = "Is b down?"
choices = [{ text = "Yes", correct = true }, { text = "No" }]

[[step]]
title = "Guess"
text = "What next?"
do = ["restart node=b delay_ms=500"]
[step.predict]
question = "Will b come back?"
timeout = "5s"
choices = [
  { text = "Yes", when = "node.b.up == 1" },
  { text = "No", when = "elapsed_s >= 3 and node.b.up == 0" },
]

[[step]]
title = "Hold"
text = "All {{nodes.up}} up."
goal = { check = "nodes.up == 3 and answer == 42 for 1s", timeout = "5s" }
)";

}  // namespace

TEST_CASE("conditions: parse and evaluate") {
  MapFacts f;
  f.m["leader_count"] = 1.0;
  f.m["term"] = 3.0;
  f.m["node.n1.status"] = std::string("crashed");
  f.m["node.n1.term"] = std::string("3");
  f.m["p99_ms.checkout"] = 250.0;
  CHECK(eval("leader_count == 1", f));
  CHECK(!eval("leader_count != 1", f));
  CHECK(eval("term >= 2 and p99_ms.checkout < 300", f));
  CHECK(eval("term > 5 or node.n1.status == \"crashed\"", f));
  CHECK(eval("not (term > 5) and leader_count", f));
  CHECK(eval("node.n1.term == 3", f));             // inspector text compared as a number
  CHECK(!eval("missing_key == 0", f));             // unknown keys never hold
  CHECK(eval("missing_key != 0 or term == 3", f));
  CHECK(eval("1 <= leader_count", f));
  Diagnostics d;
  auto c = parse_condition("p99_ms.checkout < 300 for 10s", {1, 1}, d);
  REQUIRE(c);
  CHECK(c->for_us == 10 * kSec);
  c = parse_condition("leader_count == 1 for 1.5s", {1, 1}, d);
  REQUIRE(c);
  CHECK(c->for_us == 1500 * kMs);
  CHECK(d.empty());
}

TEST_CASE("conditions: errors point at the column") {
  CHECK(first_error("leader_count = 1") == "3:23: use == to compare (a single = is not a comparison)");
  CHECK(first_error("a == 1 && b == 2") == "3:17: use \"and\" instead of \"&&\"");
  CHECK(first_error("a == ") == "3:15: the condition ends too early: expected a value");
  CHECK(first_error("(a == 1") == "3:17: expected \")\" to close the \"(\" at column 10");
  CHECK(first_error("a == 1 for ten") == "3:21: expected a duration with a unit (us, ms, s, m, h) after \"for\", like 10s or 500ms");
  CHECK(first_error("a b") == "3:12: expected \"and\", \"or\" or a comparison before \"b\"");
  CHECK(first_error("") == "3:10: empty condition: write something like leader_count == 1");
  CHECK(first_error("node.a.status > \"x\"").find("text can only be compared") != std::string::npos);
  CHECK(first_error("\"x\" == 2").find("needs a value key") != std::string::npos);
}

TEST_CASE("durations and suggestions") {
  CHECK(parse_duration_us("10s") == 10 * kSec);
  CHECK(parse_duration_us("500ms") == 500 * kMs);
  CHECK(parse_duration_us("1.25s") == 1250 * kMs);
  CHECK(parse_duration_us("2m") == 120 * kSec);
  CHECK(!parse_duration_us("10"));
  CHECK(!parse_duration_us("s"));
  CHECK(!parse_duration_us("-1s"));
  CHECK(closest("crsh", {"crash", "restart", "heal"}) == "crash");
  CHECK(closest("zzzzzz", {"crash", "restart"}).empty());
  CHECK(format_duration(1500 * kMs) == "1.5s");
  CHECK(format_duration(250 * kMs) == "250ms");
}

TEST_CASE("numbers in lesson text read like a person would write them") {
  CHECK(format_readable(172.854) == "173");
  CHECK(format_readable(1234.5678) == "1235");
  CHECK(format_readable(18.61) == "18.6");
  CHECK(format_readable(3.14159) == "3.14");
  CHECK(format_readable(0.9123) == "0.912");
  CHECK(format_readable(0.01234) == "0.0123");
  CHECK(format_readable(0.25) == "0.25");
  CHECK(format_readable(42) == "42");
  CHECK(format_readable(1e6) == "1000000");
  CHECK(format_readable(-2.5) == "-2.5");
  CHECK(format_readable(0) == "0");
  CHECK(format_readable(-0.0004) == "-0.0004");
  CHECK(format_readable(99.96) == "100");
}

TEST_CASE("parser: a valid lesson") {
  CheckResult r = check(kGoodLesson);
  for (const auto& d : r.diags) INFO(d.pos.line << ":" << d.pos.col << ": " << d.message);
  REQUIRE(r.ok());
  const Lesson& l = *r.lesson;
  CHECK(l.id == "tiny-lesson");
  CHECK(l.scenario.seed == 3);
  REQUIRE(l.steps.size() == 3);
  CHECK(l.steps[0].task->solution.at(0).text() == "crash node=b");
  CHECK(l.steps[0].task->hints.at(0).after_us == 2 * kSec);
  CHECK(l.steps[0].quiz->correct == 0);
  CHECK(l.steps[1].actions.at(0).text() == "restart delay_ms=500 node=b");
  CHECK(l.steps[1].predict->choices.size() == 2);
  CHECK(l.steps[2].goal->check.for_us == kSec);
}

TEST_CASE("parser: structure and type errors") {
  auto e = errors("\n[[step]]\ntitle = \"x\"\ntext = \"y\"\ncolour = 3\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0] == "15:1: unknown key \"colour\" in [[step]]");
  e = errors("\n[[step]]\ntitle = \"x\"\ntext = \"y\"\ncamrea = \"fit\"\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0] == "15:1: unknown key \"camrea\" in [[step]] \xE2\x80\x94 did you mean \"camera\"?");
  e = errors("\n[[step]]\ntitle = 3\ntext = \"y\"\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0] == "13:9: \"title\" must be text, not an integer");
  e = errors("\n[[step]]\ntitle = \"x\"\ntext = \"y\"\nwait = { until = \"answer == 42\", timeout = \"5\" }\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0].find("is not a duration") != std::string::npos);
  auto r = check_lesson("format = 1\nid = \"Bad Id\"\n", test_source());
  CHECK(!r.ok());
  bool lowercase = false;
  for (const auto& d : r.diags) lowercase = lowercase || d.message.find("lowercase") != std::string::npos;
  CHECK(lowercase);
  r = check_lesson("this is not toml", test_source());
  REQUIRE(r.diags.size() == 1);
  CHECK(r.diags[0].message.rfind("TOML syntax:", 0) == 0);
}

TEST_CASE("validator: world references") {
  auto e = errors("\n[[step]]\ntitle = \"x\"\ntext = \"y\"\ndo = [\"crsh node=a\"]\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0] == "15:8: unknown action \"crsh\" \xE2\x80\x94 did you mean \"crash\"?");
  e = errors("\n[[step]]\ntitle = \"x\"\ntext = \"y\"\ndo = [{ action = \"crash\", node = \"d\" }]\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0].find("unknown node \"d\"") != std::string::npos);
  e = errors("\n[[step]]\ntitle = \"x\"\ntext = \"y\"\nwait = \"answr == 42\"\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0] == "15:9: unknown value \"answr\": no model in scenario \"tiny\" provides it \xE2\x80\x94 did you mean \"answer\"?");
  // The other texts a player fills in (a task's prompt and hints, a goal's caption, an
  // explanation) are checked like the step's text, from the element that holds them.
  e = errors("\n[[step]]\ntitle = \"x\"\ntext = \"y\"\n[step.task]\nprompt = \"Now {{answer}}.\"\ncheck = \"answer == 42\"\nsolution = [\"crash node=a\"]\n"
             "hints = [{ after = \"1s\", text = \"It is {{answr}}.\" }]\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0].rfind("19:", 0) == 0);
  CHECK(e[0].find("unknown value \"answr\"") != std::string::npos);
  e = errors("\n[[step]]\ntitle = \"x\"\ntext = \"y\"\ngoal = { text = \"{{nodes.upp}} up\", check = \"answer == 42\" }\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0].find("unknown value \"nodes.upp\"") != std::string::npos);
  e = errors("\n[[step]]\ntitle = \"x\"\ntext = \"y\"\ngoal = { check = \"success_rate >= 1.5\" }\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0].find("impossible condition") != std::string::npos);
  e = errors("\n[[step]]\ntitle = \"x\"\ntext = \"y\"\nhighlight = [\"a\", \"chrats\"]\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0].find("did you mean \"charts\"") != std::string::npos);
  e = errors("\n[[step]]\ntitle = \"x\"\ntext = \"y\"\ndo = [\"crash node=a nod=b\"]\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0].find("has no parameter \"nod\"") != std::string::npos);
  auto r = check_lesson(std::string(kHeader).replace(std::string(kHeader).find("\"tiny\""), 6, "\"tiy\"") +
                            "\n[[step]]\ntitle = \"x\"\ntext = \"y\"\n",
                        test_source());
  REQUIRE(r.diags.size() == 1);
  CHECK(r.diags[0].message == "unknown scenario \"tiy\" \xE2\x80\x94 did you mean \"tiny\"?");
}

TEST_CASE("runner: autoplay plays a lesson end to end") {
  CheckResult c = check(kGoodLesson);
  REQUIRE(c.ok());
  std::string err;
  auto r = Runner::create(*c.lesson, test_source(), Mode::Autoplay, &err);
  REQUIRE(r);
  AutoplayResult res = autoplay(*r);
  for (const auto& s : res.steps)
    for (const auto& f : s.failures) INFO(f);
  CHECK(res.ok);
  REQUIRE(res.steps.size() == 3);
  CHECK(r->finished());
  // The restart in step 2 took 500 ms: the predict resolved with choice 1 after that.
  CHECK(r->world().node(1).status == NodeStatus::Up);
}

TEST_CASE("runner: without anyone acting the task times out") {
  CheckResult c = check(kGoodLesson);
  auto r = Runner::create(*c.lesson, test_source(), Mode::Unassisted, nullptr);
  REQUIRE(r);
  AutoplayResult res = autoplay(*r);
  CHECK(!res.ok);
  CHECK(!res.steps.at(0).failures.empty());
}

TEST_CASE("runner: interactive learner, predict pause, hints, progress") {
  CheckResult c = check(kGoodLesson);
  auto r = Runner::create(*c.lesson, test_source(), Mode::Interactive, nullptr);
  REQUIRE(r);
  CHECK(r->state().phase == Phase::Task);
  r->advance(3 * kSec);
  CHECK(r->state().task == Gate::Active);   // interactive tasks never time out
  CHECK(r->hints_due().size() == 1);
  CHECK(!r->step_complete());
  Command crash{"crash", {{"node", "b"}}};
  CHECK(r->apply(crash).ok);
  CHECK(r->state().task == Gate::Done);
  CHECK(!r->step_complete());                // the quiz is still open
  CHECK(!r->answer_quiz(1));
  CHECK(r->step_complete());
  CHECK(r->next());
  // Step 2: the predict pauses the world until answered.
  CHECK(r->awaiting_predict());
  const Time t = r->world().now();
  r->advance(kSec);
  CHECK(r->world().now() == t);
  CHECK(r->state_json().find("\"awaiting_predict\":true") != std::string::npos);
  std::string blob = r->save();
  CHECK(blob.find("quiz 0 1") != std::string::npos);
  CHECK(r->answer_predict(0));
  r->advance(kSec);
  CHECK(r->state().predict == Gate::Done);
  CHECK(r->state().predict_outcome == 0);
  CHECK(r->next());
  CHECK(r->text() == "All 3 up.");
  // Any text of a step (a choice's explanation) fills its placeholders from the world too: the
  // players show explanations through fill(), not as written.
  CHECK(r->fill("The answer is {{answer}}.") == "The answer is 42.");
  CHECK(r->fill("no placeholder") == "no placeholder");

  // Restore the saved progress: back at step 2, the quiz answer of step 1 kept.
  std::string err;
  auto r2 = Runner::restore(*c.lesson, test_source(), blob, &err);
  REQUIRE_MESSAGE(r2, err);
  CHECK(r2->step_index() == 1);
  CHECK(r2->awaiting_predict());
  CHECK(r2->save() == blob);
  CHECK(!Runner::restore(*c.lesson, test_source(), "garbage", &err));
  CHECK(!Runner::restore(*c.lesson, test_source(), "topolab-progress 1\nlesson other\nstep 0\n", &err));
}

TEST_CASE("action placeholders resolve against the world") {
  CheckResult c = check("\n[[step]]\ntitle = \"x\"\ntext = \"y\"\n");
  REQUIRE(c.ok());
  auto r = Runner::create(*c.lesson, test_source(), Mode::Interactive, nullptr);
  REQUIRE(r);
  Action a;
  a.op = "crash";
  a.args.push_back({"node", "{nodes.crashed}", {}, {}});
  std::string err;
  auto cmd = resolve_action(a, r->world(), 0, &err);
  REQUIRE(cmd);
  CHECK(cmd->to_text() == "crash node=a");   // value 0 -> node id 0 -> "a"
  a.args[0].value = "{answer}";               // 42 is no node
  CHECK(!resolve_action(a, r->world(), 0, &err));
  Action d;
  d.op = "restart";
  d.args.push_back({"node", "b", {}, {}});
  d.args.push_back({"delay_ms", "2s", {}, {}});
  cmd = resolve_action(d, r->world(), 0, &err);
  REQUIRE(cmd);
  CHECK(cmd->arg("delay_ms") == "2000");
}

TEST_CASE("open_lesson: one call for the UI, errors as FILE:LINE:COL lines") {
  std::string errors;
  auto r = open_lesson(std::string(kHeader) + kGoodLesson, "tiny.toml", test_source(), Mode::Interactive, &errors);
  CHECK(r);
  CHECK(errors.empty());
  r = open_lesson(std::string(kHeader) + "\n[[step]]\ntitle = \"x\"\ntext = \"y\"\nwait = \"nope == 1\"\n", "tiny.toml",
                  test_source(), Mode::Interactive, &errors);
  CHECK(!r);
  CHECK(errors.rfind("tiny.toml:15:9: unknown value \"nope\"", 0) == 0);
}

TEST_CASE("at_step: deep links open a later step with the earlier ones played") {
  CheckResult c = check(kGoodLesson);
  REQUIRE(c.ok());
  std::string err;
  auto r = Runner::at_step(*c.lesson, test_source(), 2, &err);
  REQUIRE_MESSAGE(r, err);
  CHECK(r->step_index() == 2);
  CHECK(r->mode() == Mode::Interactive);
  CHECK(r->world().node(1).status == NodeStatus::Up);   // b crashed in step 1, restarted in step 2
  CHECK(r->world().command_log().size() == 2);
  CHECK(!Runner::at_step(*c.lesson, test_source(), 9, &err));
}

TEST_CASE("runner: a step's text is filled in as the step opens, before its do, unless text_at = live") {
  const std::string steps = R"(
[[step]]
title = "start"
text = "Up: {{nodes.up}}, at {{time_ms}} ms."
do = ["crash node=a"]
wait = { until = "time_ms >= 500", timeout = "5s" }

[[step]]
title = "live"
text = "Up: {{nodes.up}}, at {{time_ms}} ms."
text_at = "live"
do = ["crash node=b"]
wait = { until = "time_ms >= 1000", timeout = "5s" }
)";
  CheckResult c = check(steps);
  REQUIRE(c.ok());
  REQUIRE(c.lesson->steps.size() == 2);
  CHECK(!c.lesson->steps[0].live_text);
  CHECK(c.lesson->steps[1].live_text);
  auto r = Runner::create(*c.lesson, test_source(), Mode::Autoplay, nullptr);
  REQUIRE(r);
  CHECK(r->text() == "Up: 3, at 0 ms.");   // before the crash in its own do
  r->advance(600 * kMs);
  CHECK(r->text() == "Up: 3, at 0 ms.");   // and it stays so while the step runs
  REQUIRE(r->next());
  const std::string opened = r->text();      // live: node b is down already
  CHECK(opened.rfind("Up: 1, at ", 0) == 0);
  r->advance(500 * kMs);
  CHECK(r->text() != opened);                // the time moved on, and so did the text
}
