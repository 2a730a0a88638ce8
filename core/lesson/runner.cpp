// The lesson runner: steps, gates, autoplay, and progress save/restore.
#include "lesson/runner.h"

#include <algorithm>
#include <sstream>

#include "lesson/compare.h"
#include "lesson/validator.h"

namespace topo::lesson {

const char* to_string(Gate g) {
  switch (g) {
    case Gate::None: return "none";
    case Gate::Pending: return "pending";
    case Gate::Active: return "active";
    case Gate::Done: return "done";
    case Gate::Failed: return "failed";
  }
  return "?";
}

const char* to_string(Phase p) {
  switch (p) {
    case Phase::Predict: return "predict";
    case Phase::Task: return "task";
    case Phase::Wait: return "wait";
    case Phase::Goal: return "goal";
    case Phase::Done: return "done";
  }
  return "?";
}

/// Every gate has a timeout, so a played step resolves within their sum; loops cap at this.
static Time step_budget_us(const Step& s) {
  Time budget = 2 * kSec;
  if (s.predict) budget += s.predict->timeout_us;
  if (s.task) budget += s.task->timeout_us;
  if (s.wait) budget += s.wait->timeout_us;
  if (s.goal) budget += s.goal->timeout_us;
  return budget;
}

bool Runner::Hold::update(const Condition& c, const Facts& f, Time now) {
  if (topo::lesson::evaluate(c.root, f)) {
    if (since < 0) since = now;
    return now - since >= c.for_us;
  }
  since = -1;
  return false;
}

Runner::Runner(Lesson lesson, std::unique_ptr<LessonWorld> host, Mode mode)
    : lesson_(std::move(lesson)), host_(std::move(host)), mode_(mode) {
  answers_.assign(lesson_.steps.size(), {-1, -1});
}

std::unique_ptr<Runner> Runner::create(Lesson lesson, const WorldSource& source, Mode mode, std::string* error) {
  if (lesson.steps.empty()) {
    if (error) *error = "the lesson has no steps";
    return nullptr;
  }
  std::string err;
  auto host = source.make(lesson.scenario.name, lesson.scenario.seed, lesson.scenario.params, &err);
  if (!host) {
    if (error) *error = "cannot build scenario \"" + lesson.scenario.name + "\": " + err;
    return nullptr;
  }
  if (lesson.compare) {
    // The right world: its own scenario, the same seed, the same clock.
    const ScenarioRef& r = lesson.compare->right;
    auto right = source.make(r.name, lesson.scenario.seed, r.params, &err);
    if (!right) {
      if (error) *error = "cannot build scenario \"" + r.name + "\": " + err;
      return nullptr;
    }
    host = std::make_unique<CompareWorld>(std::move(host), std::move(right));
  }
  std::unique_ptr<Runner> r(new Runner(std::move(lesson), std::move(host), mode));
  r->enter_step(0);
  return r;
}

void Runner::note(std::string what) { state_.log.push_back(format_time(world().now()) + " " + std::move(what)); }
void Runner::fail(std::string what) {
  state_.failures.push_back(what);
  note("FAILED: " + what);
}
void Runner::fail_at(Pos where, std::string what) {
  state_.problems.push_back({where, what});
  fail(std::move(what));
}

std::unique_ptr<Facts> Runner::facts(bool with_baseline) const {
  const Baseline* b = with_baseline ? &state_.baseline : nullptr;
  if (LessonWorld* r = host_->side(1))
    return std::make_unique<CompareFacts>(host_->side(0)->world(), r->world(), state_.started_us, b);
  return std::make_unique<WorldFacts>(world(), state_.started_us, b);
}

std::string Runner::render(const std::string& text) const {
  if (LessonWorld* r = host_->side(1))
    return render_compare_text(text, host_->side(0)->world(), r->world(), state_.started_us, &state_.baseline);
  return render_text(text, world(), state_.started_us, &state_.baseline);
}

void Runner::run_action(const Action& a, const char* what) {
  std::string err;
  if (host_->side(1)) {
    // A compare lesson: each world named by `world` resolves its own part of the action (its
    // selectors, its left./right. values) and records the Commands in its own Session.
    const std::vector<int> sides = action_sides(a);
    if (sides.empty()) {
      fail_at(a.pos, std::string(what) + " \"" + a.text() + "\": say which world: world=left, world=right or world=both");
      return;
    }
    for (int side : sides) {
      const Action mine = side_action(a, side);
      auto cmds = resolve_actions(mine, host_->side(side)->world(), state_.started_us, &err);
      if (!cmds) {
        fail_at(a.pos, std::string(what) + " \"" + mine.text() + "\" (" + side_name(side) + "): " + err);
        continue;
      }
      for (auto cmd : *cmds) {
        cmd.args["world"] = side_name(side);
        auto res = host_->apply(cmd);
        if (res.ok) note(std::string(what) + ": " + cmd.to_text());
        else fail_at(a.pos, std::string(what) + " \"" + cmd.to_text() + "\" failed: " + res.error);
      }
    }
    return;
  }
  auto cmds = resolve_actions(a, world(), state_.started_us, &err, &state_.baseline);
  if (!cmds) {
    fail_at(a.pos, std::string(what) + " \"" + a.text() + "\": " + err);
    return;
  }
  for (const auto& cmd : *cmds) {
    auto res = host_->apply(cmd);
    if (res.ok) note(std::string(what) + ": " + cmd.to_text());
    else fail_at(a.pos, std::string(what) + " \"" + cmd.to_text() + "\" failed: " + res.error);
  }
}

std::string Runner::text() const {
  return step().live_text ? render(step().text) : state_.start_text;
}

std::string Runner::fill(const std::string& text) const {
  return text.find("{{") == std::string::npos ? text : render(text);
}

void Runner::enter_step(size_t i) {
  index_ = i;
  state_ = StepState{};
  state_.started_us = world().now();
  task_hold_ = wait_hold_ = goal_hold_ = Hold{};
  const Step& s = step();
  predict_holds_.assign(s.predict ? s.predict->choices.size() : 0, Hold{});
  {
    // Baselines (start.KEY) and the text are taken before the `do`.
    std::vector<std::string> keys;
    if (s.predict) for (const auto& ch : s.predict->choices) if (ch.when) collect_baseline_keys(ch.when->root, keys);
    if (s.task) collect_baseline_keys(s.task->check.root, keys);
    if (s.wait) collect_baseline_keys(s.wait->until.root, keys);
    if (s.goal) collect_baseline_keys(s.goal->check.root, keys);
    collect_baseline_keys(s.text, keys);
    // {{start.KEY}} in the texts fill() renders later (prompt, hints, goal and wait captions,
    // explanations).
    auto from_hints = [&](const std::vector<Hint>& hs) { for (const auto& h : hs) collect_baseline_keys(h.text, keys); };
    if (s.task) { collect_baseline_keys(s.task->prompt, keys); from_hints(s.task->hints); }
    if (s.goal) { collect_baseline_keys(s.goal->text, keys); from_hints(s.goal->hints); }
    if (s.wait) collect_baseline_keys(s.wait->text, keys);
    if (s.predict) { from_hints(s.predict->hints); for (const auto& ch : s.predict->choices) collect_baseline_keys(ch.explain, keys); }
    if (s.quiz) for (const auto& ch : s.quiz->choices) collect_baseline_keys(ch.explain, keys);
    // {start.KEY} in an action: a solution may run long after the step opened.
    auto from_actions = [&](const std::vector<Action>& as) {
      for (const auto& a : as)
        for (const auto& arg : a.args)
          if (arg.value.rfind("{start.", 0) == 0 && arg.value.back() == '}')
            collect_baseline_keys("{" + arg.value + "}", keys);
    };
    from_actions(s.actions);
    if (s.task) from_actions(s.task->solution);
    state_.baseline = capture_baseline(*facts(false), keys);
  }
  state_.start_text = render(s.text);   // before the `do`
  for (const auto& a : s.actions) run_action(a, "do");
  if (s.predict) state_.predict = Gate::Pending;
  if (s.task) state_.task = Gate::Pending;
  if (s.wait) state_.wait = Gate::Pending;
  if (s.goal) state_.goal = Gate::Pending;
  if (s.quiz) state_.quiz = Gate::Active;
  begin_phase(Phase::Predict);
  evaluate();
}

void Runner::begin_phase(Phase p) {
  const Step& s = step();
  // Skip phases the step does not have.
  while (p != Phase::Done) {
    if ((p == Phase::Predict && s.predict) || (p == Phase::Task && s.task) || (p == Phase::Wait && s.wait) ||
        (p == Phase::Goal && s.goal))
      break;
    p = static_cast<Phase>(static_cast<int>(p) + 1);
  }
  state_.phase = p;
  state_.phase_started_us = world().now();
  state_.phase_real_started_s = state_.real_elapsed_s;
  switch (p) {
    case Phase::Predict: state_.predict = Gate::Active; break;
    case Phase::Task: {
      state_.task = Gate::Active;
      auto f = facts();
      if (topo::lesson::evaluate(s.task->check.root, *f) && mode_ != Mode::Interactive) state_.task_done_before_acting = true;
      if (mode_ == Mode::Autoplay) apply_solution();
      break;
    }
    case Phase::Wait: state_.wait = Gate::Active; break;
    case Phase::Goal: state_.goal = Gate::Active; break;
    case Phase::Done: break;
  }
}

void Runner::apply_solution() {
  if (state_.phase != Phase::Task || !step().task || state_.task_solution_applied) return;
  state_.task_solution_applied = true;
  state_.task_solution_at_us = world().now();
  for (const auto& a : step().task->solution) run_action(a, "solution");
}

void Runner::evaluate() {
  const Step& s = step();
  const Time now = world().now();
  auto fp = facts();
  const Facts& f = *fp;
  for (int guard = 0; guard < 8 && state_.phase != Phase::Done; ++guard) {
    const Time in_phase = now - state_.phase_started_us;
    switch (state_.phase) {
      case Phase::Predict: {
        if (state_.predict_answer < 0) return;   // paused until the learner answers
        const auto& ch = s.predict->choices;
        for (size_t i = 0; i < ch.size(); ++i)
          if (ch[i].when && predict_holds_[i].update(*ch[i].when, f, now) && state_.predict_outcome < 0) {
            state_.predict_outcome = static_cast<int>(i);
            state_.predict_resolved_us = now;
          }
        if (state_.predict_outcome >= 0) {
          state_.predict = Gate::Done;
          note("predict: the simulation did choice " + std::to_string(state_.predict_outcome + 1) + " (\"" +
               ch[static_cast<size_t>(state_.predict_outcome)].when->text + "\"); the answer was " +
               std::to_string(state_.predict_answer + 1) +
               (state_.predict_outcome == state_.predict_answer ? " (right)" : " (not what happened)"));
          // An honest predict: the lesson said which choice happens; played by the lesson itself
          // (autoplay, or nobody acting), the simulation must agree.
          const int expect = s.predict->expect;
          if (expect >= 0 && expect != state_.predict_outcome && mode_ != Mode::Interactive)
            fail_at(s.predict->expect_pos,
                    "predict: the lesson expects choice " + std::to_string(expect + 1) + " (\"" +
                        ch[static_cast<size_t>(expect)].when->text + "\") but the simulation did choice " +
                        std::to_string(state_.predict_outcome + 1) + " (\"" +
                        ch[static_cast<size_t>(state_.predict_outcome)].when->text + "\")");
          begin_phase(Phase::Task);
          continue;
        }
        if (in_phase >= s.predict->timeout_us) {
          state_.predict = Gate::Failed;
          fail("predict: none of the choices happened within " + format_duration(s.predict->timeout_us));
          begin_phase(Phase::Task);
          continue;
        }
        return;
      }
      case Phase::Task: {
        if (task_hold_.update(s.task->check, f, now)) {
          state_.task = Gate::Done;
          state_.task_done_us = now;
          note("task done: \"" + s.task->check.text + "\" held");
          begin_phase(Phase::Wait);
          continue;
        }
        Time from = state_.task_solution_applied ? state_.task_solution_at_us : state_.phase_started_us;
        if (mode_ != Mode::Interactive || state_.task_solution_applied) {
          if (now - from >= s.task->timeout_us) {
            state_.task = Gate::Failed;
            fail("task: \"" + s.task->check.text + "\" did not hold within " + format_duration(s.task->timeout_us) +
                 (state_.task_solution_applied ? " of the solution" : ""));
            begin_phase(Phase::Wait);
            continue;
          }
        }
        return;
      }
      case Phase::Wait: {
        if (wait_hold_.update(s.wait->until, f, now)) {
          state_.wait = Gate::Done;
          state_.wait_done_us = now;
          note("wait: \"" + s.wait->until.text + "\" held");
          begin_phase(Phase::Goal);
          continue;
        }
        if (in_phase >= s.wait->timeout_us) {
          state_.wait = Gate::Failed;
          fail("wait: \"" + s.wait->until.text + "\" did not hold within " + format_duration(s.wait->timeout_us));
          begin_phase(Phase::Goal);
          continue;
        }
        return;
      }
      case Phase::Goal: {
        bool held = goal_hold_.update(s.goal->check, f, now);
        state_.goal_since_us = goal_hold_.since;
        const Time need = s.goal->check.for_us;
        if (goal_hold_.since >= 0)
          state_.goal_progress = need > 0 ? std::min(1.0, static_cast<double>(now - goal_hold_.since) / static_cast<double>(need)) : 1.0;
        else
          state_.goal_progress = 0;
        if (held) {
          state_.goal = Gate::Done;
          state_.goal_done_us = now;
          state_.goal_progress = 1.0;
          note("goal reached: \"" + s.goal->check.text + "\"");
          begin_phase(Phase::Done);
          continue;
        }
        if (in_phase >= s.goal->timeout_us) {
          state_.goal = Gate::Failed;
          fail("goal: \"" + s.goal->check.text + "\" not reached within " + format_duration(s.goal->timeout_us));
          begin_phase(Phase::Done);
          continue;
        }
        return;
      }
      case Phase::Done: return;
    }
  }
}

bool Runner::awaiting_predict() const {
  return !finished_ && state_.phase == Phase::Predict && state_.predict_answer < 0;
}

void Runner::advance(Time dt_us) {
  if (dt_us <= 0) return;
  const Time target = world().now() + dt_us;
  while (world().now() < target) {
    if (awaiting_predict()) return;
    const Time next = std::min(target, world().now() + kEvalStepUs);
    host_->run_until(next);
    if (!finished_) evaluate();
  }
}

CommandResult Runner::apply(const Command& c) {
  auto res = host_->apply(c);
  if (res.ok && !finished_) {
    note("learner: " + c.to_text());
    evaluate();
  }
  return res;
}

bool Runner::answer_quiz(int choice) {
  const Step& s = step();
  if (finished_ || !s.quiz || choice < 0 || static_cast<size_t>(choice) >= s.quiz->choices.size()) return false;
  state_.quiz_answer = choice;
  ++state_.quiz_tries;
  bool right = choice == s.quiz->correct;
  state_.quiz = Gate::Done;
  note("quiz: answered " + std::to_string(choice + 1) + (right ? " (correct)" : " (not correct)"));
  answers_[index_].first = choice;
  return right;
}

bool Runner::answer_predict(int choice) {
  const Step& s = step();
  if (finished_ || !s.predict || state_.predict_answer >= 0 || choice < 0 ||
      static_cast<size_t>(choice) >= s.predict->choices.size())
    return false;
  state_.predict_answer = choice;
  answers_[index_].second = choice;
  note("predict: answered " + std::to_string(choice + 1));
  evaluate();
  return true;
}

std::vector<const Hint*> Runner::hints_due() const {
  std::vector<const Hint*> out;
  if (finished_) return out;
  const Step& s = step();
  const std::vector<Hint>* hints = nullptr;
  if (state_.phase == Phase::Predict && s.predict) hints = &s.predict->hints;
  else if (state_.phase == Phase::Task && s.task) hints = &s.task->hints;
  else if (state_.phase == Phase::Goal && s.goal) hints = &s.goal->hints;
  if (!hints) return out;
  const Time sim = world().now() - state_.phase_started_us;
  const Time real = static_cast<Time>((state_.real_elapsed_s - state_.phase_real_started_s) * 1e6);
  for (const auto& h : *hints)
    if (h.after_us <= std::max(sim, real)) out.push_back(&h);
  return out;
}

bool Runner::step_complete() const {
  if (finished_) return true;
  return state_.phase == Phase::Done && (state_.quiz == Gate::None || state_.quiz == Gate::Done);
}

bool Runner::next(bool force) {
  if (finished_) return false;
  if (!force && !step_complete()) return false;
  if (index_ + 1 >= lesson_.steps.size()) {
    finished_ = true;
    return true;
  }
  enter_step(index_ + 1);
  return true;
}

// ---- progress ------------------------------------------------------------------------------

std::string Runner::save() const {
  std::ostringstream o;
  o << "topolab-progress 1\n";
  o << "lesson " << lesson_.id << "\n";
  o << "step " << (finished_ ? lesson_.steps.size() : index_) << "\n";
  for (size_t i = 0; i < answers_.size(); ++i) {
    int q = i == index_ && !finished_ ? state_.quiz_answer : answers_[i].first;
    int p = i == index_ && !finished_ ? state_.predict_answer : answers_[i].second;
    if (q >= 0) o << "quiz " << i << " " << q << "\n";
    if (p >= 0) o << "predict " << i << " " << p << "\n";
  }
  return o.str();
}

std::unique_ptr<Runner> Runner::restore(Lesson lesson, const WorldSource& source, const std::string& blob,
                                        std::string* error) {
  std::istringstream in(blob);
  std::string line;
  if (!std::getline(in, line) || line != "topolab-progress 1") {
    if (error) *error = "not a Topolab progress blob";
    return nullptr;
  }
  std::string id;
  long long target = 0;
  std::vector<std::pair<int, int>> answers(lesson.steps.size(), {-1, -1});
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string word;
    ls >> word;
    if (word == "lesson") ls >> id;
    else if (word == "step") ls >> target;
    else if (word == "quiz" || word == "predict") {
      long long s = -1, c = -1;
      ls >> s >> c;
      if (s >= 0 && static_cast<size_t>(s) < answers.size() && c >= 0 && c < 64) {
        if (word == "quiz") answers[static_cast<size_t>(s)].first = static_cast<int>(c);
        else answers[static_cast<size_t>(s)].second = static_cast<int>(c);
      }
    } else if (!word.empty()) {
      if (error) *error = "unknown progress line \"" + line + "\"";
      return nullptr;
    }
  }
  if (id != lesson.id) {
    if (error) *error = "progress is for lesson \"" + id + "\", not \"" + lesson.id + "\"";
    return nullptr;
  }
  if (target < 0 || static_cast<size_t>(target) > lesson.steps.size()) {
    if (error) *error = "progress step " + std::to_string(target) + " is out of range";
    return nullptr;
  }
  auto r = create(std::move(lesson), source, Mode::Autoplay, error);
  if (!r) return nullptr;
  // Fast-forward: autoplay every earlier step (solutions applied), using the saved answers.
  while (!r->finished() && r->step_index() < static_cast<size_t>(target)) {
    const size_t i = r->step_index();
    const Step& s = r->step();
    Time cap = r->world().now() + step_budget_us(s);
    while (!r->step_complete() && r->world().now() < cap) {
      if (r->awaiting_predict()) r->answer_predict(std::max(0, answers[i].second));
      if (s.quiz && r->state().quiz_answer < 0) r->answer_quiz(answers[i].first >= 0 ? answers[i].first : s.quiz->correct);
      r->advance(kEvalStepUs);
    }
    r->next(true);
  }
  r->set_mode(Mode::Interactive);
  if (!r->finished()) {
    const size_t i = r->step_index();
    if (answers[i].first >= 0) r->answer_quiz(answers[i].first);
    if (answers[i].second >= 0) r->answer_predict(answers[i].second);
  }
  return r;
}

std::unique_ptr<Runner> Runner::at_step(Lesson lesson, const WorldSource& source, size_t step, std::string* error) {
  std::string blob = "topolab-progress 1\nlesson " + lesson.id + "\nstep " + std::to_string(step) + "\n";
  return restore(std::move(lesson), source, blob, error);
}

std::string Runner::state_json() const {
  std::ostringstream o;
  o << "{\"lesson\":" << json_quote(lesson_.id) << ",\"step\":" << index_ << ",\"steps\":" << lesson_.steps.size()
    << ",\"finished\":" << (finished_ ? "true" : "false") << ",\"time_us\":" << world().now();
  if (!finished_) {
    const Step& s = step();
    o << ",\"title\":" << json_quote(s.title) << ",\"text\":" << json_quote(text())
      << ",\"phase\":\"" << to_string(state_.phase) << "\",\"complete\":" << (step_complete() ? "true" : "false")
      << ",\"awaiting_predict\":" << (awaiting_predict() ? "true" : "false")
      << ",\"predict\":\"" << to_string(state_.predict) << "\",\"predict_answer\":" << state_.predict_answer
      << ",\"predict_outcome\":" << state_.predict_outcome << ",\"task\":\"" << to_string(state_.task)
      << "\",\"wait\":\"" << to_string(state_.wait) << "\",\"goal\":\"" << to_string(state_.goal)
      << "\",\"goal_progress\":" << format_number(state_.goal_progress) << ",\"quiz\":\"" << to_string(state_.quiz)
      << "\",\"quiz_answer\":" << state_.quiz_answer << ",\"hints_due\":" << hints_due().size()
      << ",\"failures\":" << state_.failures.size();
  }
  o << "}";
  return o.str();
}

std::unique_ptr<Runner> open_lesson(std::string_view text, const std::string& file, const WorldSource& source,
                                    Mode mode, std::string* errors) {
  CheckResult c = check_lesson(text, source);
  if (!c.ok()) {
    if (errors) {
      errors->clear();
      for (const auto& d : c.diags) *errors += format_diagnostic(file, d) + "\n";
    }
    return nullptr;
  }
  std::string err;
  auto r = Runner::create(std::move(*c.lesson), source, mode, &err);
  if (!r && errors) *errors = file + ":1:1: " + err + "\n";
  return r;
}

// ---- autoplay ------------------------------------------------------------------------------

AutoplayResult autoplay(Runner& r) {
  AutoplayResult out;
  while (!r.finished()) {
    const Step& s = r.step();
    AutoplayStep rep;
    rep.index = r.step_index();
    rep.title = s.title;
    rep.text = r.text();
    const Time budget = step_budget_us(s);
    const Time cap = r.world().now() + budget;
    while (!r.step_complete() && r.world().now() < cap) {
      if (r.awaiting_predict()) r.answer_predict(std::max(0, s.predict->expect));
      if (s.quiz && r.state().quiz_answer < 0) r.answer_quiz(s.quiz->correct);
      if (r.step_complete()) break;
      r.advance(kEvalStepUs);
    }
    rep.log = r.state().log;
    rep.failures = r.state().failures;
    rep.problems = r.state().problems;
    if (!r.step_complete()) rep.failures.push_back("the step did not finish within " + format_duration(budget));
    if (r.state().task_done_before_acting)
      rep.warnings.push_back("the task's check \"" + s.task->check.text + "\" already held before anyone acted");
    {
      std::vector<const Operand*> keys;
      auto add = [&](const Condition& c) { collect_keys(c.root, keys); };
      if (s.predict) for (const auto& ch : s.predict->choices) if (ch.when) add(*ch.when);
      if (s.task) add(s.task->check);
      if (s.wait) add(s.wait->until);
      if (s.goal) add(s.goal->check);
      auto fp = r.facts();
      const Facts& f = *fp;
      std::vector<std::string> seen;
      for (const Operand* k : keys) {
        if (std::find(seen.begin(), seen.end(), k->key) != seen.end()) continue;
        seen.push_back(k->key);
        // A key with a selector shows one value per matched node: node.@followers.up=1,1,1,1.
        std::string shown;
        const auto keys = f.expand(k->key);
        for (const auto& one : keys) {
          auto v = f.get(one);
          shown += (shown.empty() ? "" : ",") +
                   (!v ? std::string("?") : std::holds_alternative<double>(*v) ? format_number(std::get<double>(*v)) : std::get<std::string>(*v));
        }
        rep.values += (rep.values.empty() ? "" : " ") + k->key + "=" + (keys.empty() ? std::string("(no node)") : shown);
      }
    }
    if (!rep.failures.empty()) out.ok = false;
    out.steps.push_back(std::move(rep));
    r.next(true);
  }
  return out;
}

bool check_expectations(const Lesson& lesson, const WorldSource& source, Diagnostics& diags) {
  bool any_expect = false;
  for (const auto& st : lesson.steps)
    if (st.predict && st.predict->expect >= 0) any_expect = true;
  if (!any_expect) return true;
  std::string err;
  auto r = Runner::create(lesson, source, Mode::Autoplay, &err);
  if (!r) {
    diags.push_back({lesson.scenario.pos, err});
    return false;
  }
  const size_t before = diags.size();
  AutoplayResult res = autoplay(*r);
  for (const auto& st : res.steps)
    for (const auto& d : st.problems)
      diags.push_back({d.pos, d.message + " (played on seed " + std::to_string(lesson.scenario.seed) + ", step " +
                                  std::to_string(st.index + 1) + ")"});
  sort_diagnostics(diags);
  return diags.size() == before;
}

}  // namespace topo::lesson
