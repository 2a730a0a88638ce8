// The lesson file format in memory: what parse_lesson() builds from a TOML lesson file and what
// the validator and the runner read. Every element keeps the source position it came from so a
// problem found later (an unknown node, a goal that cannot hold) points at the right line and
// column. The format itself is documented for teachers in lessons/FORMAT.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lesson/condition.h"
#include "lesson/text.h"
#include "sim/world.h"

namespace topo::lesson {

constexpr int kFormatVersion = 1;

/// One argument of an action, as the teacher wrote it.
struct ActionArg {
  std::string key;
  std::string value;   ///< canonical text of the value (arrays joined with ",")
  Pos key_pos;
  Pos value_pos;
};

/// A scripted action: maps 1:1 onto a World Command.
struct Action {
  std::string op;
  std::vector<ActionArg> args;
  Pos pos;      ///< start of the action (table or string)
  Pos op_pos;   ///< the action name
  /// The World Command (op + args).
  Command to_command() const;
  /// `op key=value ...` as the teacher would read it.
  std::string text() const { return to_command().to_text(); }
};

/// `wait`: a condition that must become true within the timeout.
struct Wait {
  Condition until;
  int64_t timeout_us = 0;
  Pos timeout_pos;
  std::string text;   ///< optional caption shown while waiting
  Pos pos;
};

/// A hint of a task, goal or predict: shown this long after that part starts.
struct Hint {
  int64_t after_us = 0;   ///< shown this long after the part starts (simulated or real time)
  std::string text;
  Pos pos;
};

/// `task`: what the learner must do in the UI, how it is checked, and the autoplay solution.
struct Task {
  std::string prompt;
  Condition check;
  std::vector<Hint> hints;
  std::vector<Action> solution;
  int64_t timeout_us = 0;   ///< the check must hold this long after the solution is applied
  Pos timeout_pos;
  Pos pos;
};

/// `goal`: a condition (usually with "for DURATION") that must hold within the timeout.
struct Goal {
  std::string text;
  Condition check;
  std::vector<Hint> hints;   ///< shown while the goal runs
  int64_t timeout_us = 0;
  Pos timeout_pos;
  Pos pos;
};

/// One choice of a quiz or a predict.
struct Choice {
  std::string text;
  std::string explain;             ///< shown after the learner picks it
  bool correct = false;            ///< quiz only
  std::optional<Condition> when;   ///< predict only: what the simulation must do for this outcome
  Pos pos;
};

struct Quiz {
  std::string question;
  std::vector<Choice> choices;
  int correct = -1;   ///< index of the correct choice
  Pos pos;
};

/// `predict`: the lesson pauses, asks what will happen, runs on, and grades against the world.
struct Predict {
  std::string question;
  std::vector<Choice> choices;
  std::vector<Hint> hints;   ///< shown while the predict is open (before and after the answer)
  /// `expect`: the choice (0-based) the lesson's text says will happen, -1 = not declared. Autoplay
  /// (run --autoplay, check) fails when the simulation does another choice.
  int expect = -1;
  Pos expect_pos;
  int64_t timeout_us = 0;
  Pos timeout_pos;
  Pos pos;
};

struct Highlight {
  std::string name;   ///< a node, a service or a panel
  Pos pos;
};

struct Camera {
  bool fit = false;
  std::vector<Highlight> focus;
  double zoom = 1.0;
  Pos pos;
};

struct Step {
  std::string title;
  std::string text;   ///< Markdown subset
  Pos text_pos;
  Pos pos;
  std::vector<Action> actions;   ///< `do`
  std::optional<Predict> predict;
  std::optional<Task> task;
  std::optional<Wait> wait;
  std::optional<Goal> goal;
  std::optional<Quiz> quiz;
  std::vector<Highlight> highlight;
  std::optional<Camera> camera;
  std::optional<double> speed;   ///< simulation speed (x real time) for the step
  Pos speed_pos;
  /// `chart`: the charts (series kinds such as "p99_ms", see series_kind) the Charts tab opens
  /// and shows first, in this order, when the step starts; the other charts are collapsed.
  std::vector<Highlight> chart;
  /// `text_at`: when the text's {{...}} placeholders are filled in. false ("start", the default):
  /// once, as the step opens, before its `do` runs, so "the lesson crashes the leader, {{node:leader}}"
  /// names the leader the lesson is about to crash; true ("live"): again whenever the text is shown.
  bool live_text = false;
};

struct ScenarioRef {
  std::string name;
  Pos name_pos;
  uint64_t seed = 1;
  std::map<std::string, std::string> params;
  std::map<std::string, Pos> param_pos;
  Pos params_pos;
  Pos pos;
};

/// `[compare]`: a lesson with two worlds side by side on one clock (lesson/compare.h). The left
/// world is the lesson's `scenario` (its seed is the seed of both); this holds the right one.
struct CompareRef {
  ScenarioRef right;
  std::string title[2];   ///< the worlds' titles over each half of the canvas ("" = the scenario's name)
  Pos pos;
};

struct Lesson {
  int format = kFormatVersion;
  std::string id, title, summary, level, author;
  int minutes = 0;
  std::vector<std::string> tags;
  ScenarioRef scenario;   ///< the world (in a compare lesson: the left world, from [compare] left)
  std::optional<CompareRef> compare;   ///< present for a compare lesson
  std::vector<Step> steps;
  Pos id_pos;
};

/// Result of parsing: the lesson (as much as could be read) and every problem found.
struct ParseResult {
  std::optional<Lesson> lesson;
  Diagnostics diags;
};

/// Parses a lesson file's text: TOML syntax, structure, types, unknown keys, conditions and
/// durations. Never throws; every problem is a diagnostic with a position.
ParseResult parse_lesson(std::string_view text);

/// The panel names a `highlight` may name (the UI's panels).
const std::vector<std::string>& panel_names();

/// Checks the Markdown subset through md_parse (lesson/markdown.h): balanced **, *, `, well-formed
/// [links](url) with web targets; problems go to diags.
void check_markdown(std::string_view text, Pos base, Diagnostics& diags);

}  // namespace topo::lesson
