// The Actions panel of the Tools tab: a generic form for every Command kind the current world
// registers (World::command_specs()) that no dedicated tool covers — a model's own actions such
// as `upgrade`, `quorum.set`, `shard.load`, `transfer.fail` or `job.speculation`. The learner
// picks an action in a combo, reads its help, fills one input per parameter (node: a combo of
// the node names; nodes: a checkbox per node; bool: a checkbox, ticked at first; prob: a 0..1 slider; int,
// number: a text field; duration: a text field in ms; groups, string: a text field; optional
// parameters can be left empty) and presses Apply. The form never changes the world itself: it
// hands the Command to the caller's `issue` function (the app's one path for every tool, so the
// Command is logged, recorded for rewind/share and mirrored in side-by-side mode) and shows the
// world's error message next to the button when the Command is refused. Pure ImGui, no SDL.
//
// Usage (once per frame, inside a window):
//   static topo::ui::CommandFormState st;
//   topo::ui::command_form("##actions", world, st, [&](const Command& c) { return app.apply(c); });
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "imgui.h"
#include "sim/world.h"

namespace topo::ui {

/// What the form remembers between frames: the chosen action, the text of every input (keyed
/// by "op/param", so switching actions keeps what was typed) and the last Apply's outcome.
struct CommandFormState {
  std::string op;                              ///< the chosen action ("" = the first offered)
  std::map<std::string, std::string> values;   ///< "op/param" -> argument text ("" = left out)
  std::string message;                         ///< the last outcome: the world's error or "applied"
  bool message_ok = false;                     ///< true when `message` reports a success
  ImVec2 apply_min{0, 0}, apply_max{0, 0};     ///< the Apply button's screen rect (last frame)
};

/// The Command kinds the Tools tab and the canvas already have dedicated controls for
/// (crash/restart/slow from the canvas menu; partition, heal; the service tools). set_link stays
/// in the form: the Tools tab's link sliders change every link, the form one node's or one pair's.
const std::vector<std::string>& tool_covered_ops();

/// The actions the form offers for `w`: its Command kinds minus `exclude`, the model's own in
/// registration order first, then the engine's (set_link, ...).
std::vector<const CommandSpec*> form_actions(const World& w, const std::vector<std::string>& exclude);

/// The Command the form would issue for `spec` with the inputs in `st`: every non-empty input
/// becomes an argument (no validation: the world's own check says what is wrong).
Command form_command(const CommandSpec& spec, const CommandFormState& st);

/// Sets one input of the form as if the learner had typed it (for tests and guided tours).
void form_set(CommandFormState& st, const std::string& op, const std::string& param, const std::string& value);

/// Draws the form for `w`'s actions except `exclude`. When Apply is pressed, calls `issue`
/// with the Command and shows its error (or "applied") next to the button. Returns true on the
/// frame a Command was issued (whatever its result). Draws a short note when nothing is offered.
bool command_form(const char* id, const World& w, CommandFormState& st,
                  const std::function<CommandResult(const Command&)>& issue,
                  const std::vector<std::string>& exclude = tool_covered_ops());

}  // namespace topo::ui
