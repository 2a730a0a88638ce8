// The lesson validator behind `topolab-cli check`: parses a lesson, builds its scenario's world
// and checks every reference against it — action names and parameters against the world's
// CommandSpecs, node/service/panel names, value keys in conditions (asked of the engine facts and
// each Model::value), and goals that cannot hold (a success rate above 1, a hold longer than the
// timeout). Every problem is a Diagnostic with a line and column and, where one is close, a
// "did you mean" suggestion.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "lesson/lesson.h"
#include "lesson/world_facts.h"

namespace topo::lesson {

struct CheckResult {
  std::optional<Lesson> lesson;   ///< present when the file parsed (even with other errors)
  Diagnostics diags;              ///< sorted by position; empty = valid
  bool ok() const { return lesson.has_value() && diags.empty(); }
};

/// Parses and validates a lesson's text. Never throws.
CheckResult check_lesson(std::string_view text, const WorldSource& source);

/// Validates a parsed lesson against a freshly built world of its scenario (appends to diags).
void validate_lesson(const Lesson& lesson, const WorldSource& source, Diagnostics& diags);

/// Validates one action against the world's CommandSpecs and nodes (appends to diags).
void validate_action(const Action& a, const World& w, Diagnostics& diags);

/// Resolves `{key}` placeholders in an action's values against the world now (a node-typed
/// parameter turns a numeric value into that node's name: node = "{leader}"). Returns the
/// Command, or std::nullopt with `error` set when a placeholder has no value.
std::optional<Command> resolve_action(const Action& a, const World& w, Time step_started_us, std::string* error);

/// Replaces {{key}} with the key's current value and {{node:key}} with the name of the node whose
/// id the key holds, in step text.
std::string render_text(std::string_view text, const World& w, Time step_started_us);

/// Human list of the actions a world offers, with their parameters (for FORMAT.md and
/// `topolab-cli check --list-actions SCENARIO`).
std::string describe_actions(const World& w);

}  // namespace topo::lesson
