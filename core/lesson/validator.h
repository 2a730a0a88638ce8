// The lesson validator behind `topolab-cli check`: parses a lesson, builds its scenario's world
// and checks every reference against it — action names and parameters against the world's
// CommandSpecs, node/service/panel names, value keys in conditions (asked of the engine facts and
// each Model::value), and goals that cannot hold (a success rate above 1, a hold longer than the
// timeout). Every problem is a Diagnostic with a line and column and, where one is close, a
// "did you mean" suggestion. A compare lesson ([compare], lesson/compare.h) builds both worlds
// and checks each world's part of every condition, text and action against that world.
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

/// Resolves an action against the world now: `{key}` placeholders become the key's value (a
/// node-typed parameter turns a numeric value into that node's name: node = "{leader}"), and
/// selectors (@leader, @crashed, ... lesson/selector.h) become the nodes they match: in a `node`
/// parameter one Command per matched node (in node order), in a `nodes` or `groups` parameter the
/// names in place, separated by commas. Returns the Commands, or std::nullopt with `error` set when
/// a placeholder has no value or a selector matches no node. `baseline` answers start.KEY.
std::optional<std::vector<Command>> resolve_actions(const Action& a, const World& w, Time step_started_us,
                                                    std::string* error, const Baseline* baseline = nullptr);
/// resolve_actions for an action that must give exactly one Command.
std::optional<Command> resolve_action(const Action& a, const World& w, Time step_started_us, std::string* error);

/// Replaces {{key}} with the key's current value (start.KEY: its baseline), {{node:key}} with the
/// name of the node whose id the key holds and {{@selector}} with the names of the nodes it
/// matches, in step text.
std::string render_text(std::string_view text, const World& w, Time step_started_us,
                        const Baseline* baseline = nullptr);

/// Human list of the actions a world offers, with their parameters (for FORMAT.md and
/// `topolab-cli check --list-actions SCENARIO`).
std::string describe_actions(const World& w);
/// One action of describe_actions(): `op name=type [opt=type]`, its help, one line per parameter.
std::string describe_action(const CommandSpec& s);

}  // namespace topo::lesson
