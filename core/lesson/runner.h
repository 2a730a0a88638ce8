// The lesson runner: drives a lesson's world through its steps in simulated time. It applies a
// step's `do` actions on entry (only between run_until calls, so a Session's command log replays
// exactly), then runs the step's gates in order — predict (the world pauses until the learner
// answers, then the answer is graded against what the simulation did), task (the learner acts;
// the check latches once it holds; hints come due after their delay), wait (a condition within a
// timeout), goal (a condition held for a duration within a timeout) — while a quiz may be
// answered at any time. The UI reads the state (step, rendered text, task status, hints due, goal
// progress, answers, completion), sends the learner's Commands and answers, and saves/restores
// progress as a small text blob. autoplay() plays a lesson end to end with its solutions.
// A compare lesson's two worlds (lesson/compare.h) are one CompareWorld to the runner: its
// conditions read CompareFacts (left.KEY / right.KEY), its text is filled from both worlds, and
// each action runs in the world(s) its `world` argument names.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "lesson/lesson.h"
#include "lesson/world_facts.h"

namespace topo::lesson {

/// Conditions are evaluated after every learner Command and every kEvalStepUs of simulated time.
constexpr Time kEvalStepUs = 10 * kMs;

enum class Gate : uint8_t { None, Pending, Active, Done, Failed };
const char* to_string(Gate g);

enum class Phase : uint8_t { Predict, Task, Wait, Goal, Done };
const char* to_string(Phase p);

/// How the runner treats tasks: Interactive (the learner acts; tasks never time out),
/// Autoplay (each task's solution is applied when the task starts) or Unassisted (nobody acts;
/// tasks time out — shows a task is not already done by itself).
enum class Mode : uint8_t { Interactive, Autoplay, Unassisted };

/// Everything the UI needs to show about the current step.
struct StepState {
  Time started_us = 0;          ///< simulated time the step began
  Time phase_started_us = 0;    ///< simulated time the current phase began
  Phase phase = Phase::Done;
  Gate predict = Gate::None, task = Gate::None, wait = Gate::None, goal = Gate::None, quiz = Gate::None;
  int predict_answer = -1;      ///< the learner's choice, -1 = not yet
  int predict_outcome = -1;     ///< the choice whose condition the simulation made true, -1 = none yet
  Time predict_resolved_us = -1;
  int quiz_answer = -1;         ///< the learner's last choice, -1 = not yet
  int quiz_tries = 0;
  bool task_solution_applied = false;
  Time task_solution_at_us = -1;
  bool task_done_before_acting = false;   ///< the check held before anyone acted (a lesson bug)
  Time task_done_us = -1, wait_done_us = -1, goal_done_us = -1;
  Time goal_since_us = -1;
  double goal_progress = 0;     ///< 0..1: share of the goal's hold duration reached
  double real_elapsed_s = 0;    ///< wall-clock seconds the UI reported for this step
  double phase_real_started_s = 0;   ///< real_elapsed_s when the current phase began (for hints)
  /// start.KEY values: every key the step's conditions and text read with "start.", captured as
  /// the step opened, before its `do`.
  Baseline baseline;
  std::vector<std::string> log;       ///< what happened, in order (CLI summary, event log)
  std::vector<std::string> failures;  ///< gates that missed their timeout, actions that failed
  /// The failures that point at a place in the lesson file (an action whose selector matched
  /// nothing, a predict whose `expect` the simulation contradicted), for FILE:LINE:COL output.
  Diagnostics problems;
  std::string start_text;             ///< the step's text rendered as it opened, before its `do`
  bool failed() const { return !failures.empty(); }
};

class Runner {
 public:
  /// Builds the lesson's world from `source` and enters step 1. Null and `error` on failure.
  static std::unique_ptr<Runner> create(Lesson lesson, const WorldSource& source, Mode mode, std::string* error);
  /// Like create(), then fast-forwards (autoplaying earlier steps) to the step saved in `blob`
  /// and restores the saved answers.
  static std::unique_ptr<Runner> restore(Lesson lesson, const WorldSource& source, const std::string& blob,
                                         std::string* error);

  /// Opens the lesson at step `step` (0-based), the earlier steps autoplayed: deep links
  /// (?lesson=ID&step=N) and the Back button. Null and `error` on failure.
  static std::unique_ptr<Runner> at_step(Lesson lesson, const WorldSource& source, size_t step, std::string* error);

  const Lesson& lesson() const { return lesson_; }
  World& world() { return host_->world(); }
  const World& world() const { return host_->world(); }
  LessonWorld& host() { return *host_; }
  Mode mode() const { return mode_; }
  void set_mode(Mode m) { mode_ = m; }

  size_t step_index() const { return index_; }
  size_t step_count() const { return lesson_.steps.size(); }
  const Step& step() const { return lesson_.steps.at(index_); }
  const StepState& state() const { return state_; }
  /// The step's text with {{key}} placeholders filled in from the world: as the step opened,
  /// before its `do` (the default, `text_at = "start"`), or now (`text_at = "live"`).
  std::string text() const;
  /// Any text of the step (a choice's explanation, a hint) with its {{key}} placeholders filled
  /// in from the world now.
  std::string fill(const std::string& text) const;

  /// The values conditions read now: one world's WorldFacts, or a compare lesson's CompareFacts
  /// (left.KEY / right.KEY); start.KEY from the step's baseline unless `with_baseline` is false.
  std::unique_ptr<Facts> facts(bool with_baseline = true) const;
  /// True for a compare lesson (two worlds, lesson/compare.h).
  bool comparing() const { return lesson_.compare.has_value(); }

  /// True while a predict waits for the learner's answer (the world does not run meanwhile).
  bool awaiting_predict() const;
  /// Runs the world `dt_us` of simulated time (less while a predict awaits), evaluating the
  /// step's gates every kEvalStepUs.
  void advance(Time dt_us);
  /// Applies the learner's Command now, then re-evaluates the step.
  CommandResult apply(const Command& c);
  /// Records a quiz answer (index into the choices); returns whether it is correct.
  bool answer_quiz(int choice);
  /// Records a predict answer; the world runs on and the outcome is graded later.
  bool answer_predict(int choice);
  /// Applies the current task's solution (the "show me" button; autoplay does it itself).
  void apply_solution();
  /// Wall-clock seconds that passed in the UI (hints may come due by real time too).
  void add_real_time(double seconds) { state_.real_elapsed_s += seconds; }
  /// Hints of the running part (predict, task or goal) that are due now: each counts from the
  /// start of its part, in simulated or real time, whichever is further.
  std::vector<const Hint*> hints_due() const;

  /// The step's gates are all resolved (done or failed) and its quiz answered.
  bool step_complete() const;
  /// Moves to the next step when the current one is complete (or always with `force`).
  bool next(bool force = false);
  /// True once the last step was completed and next() was called past it.
  bool finished() const { return finished_; }

  /// Progress as a small text blob (lesson id, step, answers) for save/restore.
  std::string save() const;
  /// The UI/test-hook view as a JSON object.
  std::string state_json() const;

 private:
  Runner(Lesson lesson, std::unique_ptr<LessonWorld> host, Mode mode);
  void enter_step(size_t i);
  void evaluate();
  void begin_phase(Phase p);
  void fail(std::string what);
  void fail_at(Pos where, std::string what);
  /// Resolves and applies one lesson action (`do` or a solution), recording it as `what`.
  void run_action(const Action& a, const char* what);
  /// {{...}} filled in from the world(s) now, start.KEY from the step's baseline.
  std::string render(const std::string& text) const;
  void note(std::string what);
  struct Hold {
    Time since = -1;
    /// True once `c` has held for its `for` duration.
    bool update(const Condition& c, const Facts& f, Time now);
  };

  Lesson lesson_;
  std::unique_ptr<LessonWorld> host_;
  Mode mode_;
  size_t index_ = 0;
  bool finished_ = false;
  StepState state_;
  Hold task_hold_, wait_hold_, goal_hold_;
  std::vector<Hold> predict_holds_;
  /// Answers of finished steps (for save): step index -> (quiz answer, predict answer).
  std::vector<std::pair<int, int>> answers_;
};

/// Parses, validates and starts a lesson from its text in one call (the UI's open / hot reload
/// path). On any problem returns null and sets `errors` to the `FILE:LINE:COL: message` lines,
/// `file` being the name to show (a path or a URL); the caller keeps its last good lesson.
std::unique_ptr<Runner> open_lesson(std::string_view text, const std::string& file, const WorldSource& source,
                                    Mode mode, std::string* errors);

/// One step of an autoplay run, for the CLI summary.
struct AutoplayStep {
  size_t index = 0;
  std::string title;
  std::string text;     ///< the step's text as the learner sees it when the step opens
  std::vector<std::string> log;
  std::vector<std::string> failures;
  std::vector<std::string> warnings;
  Diagnostics problems;   ///< failures with a place in the file (StepState::problems)
  std::string values;   ///< "key=value ..." for every key the step's conditions read, at its end
};

struct AutoplayResult {
  bool ok = true;
  std::vector<AutoplayStep> steps;
};

/// Plays the lesson to the end: answers each predict (its `expect` choice, else the first) and quiz
/// (correctly), applies
/// each task's solution when the runner's mode is Autoplay, and advances time until every step's
/// gates resolve. Fails if any wait, task or goal misses its timeout or an action fails.
AutoplayResult autoplay(Runner& r);

/// Honest predicts for `topolab-cli check`: a lesson whose predicts declare `expect` is autoplayed
/// on its own seed, and every failure that points into the file (a predict whose outcome differs
/// from its expect, an action refused or a selector that matched nothing on the way) is appended
/// to `diags`. Lessons without an `expect` are not played. Returns false when it added any.
bool check_expectations(const Lesson& lesson, const WorldSource& source, Diagnostics& diags);

}  // namespace topo::lesson
