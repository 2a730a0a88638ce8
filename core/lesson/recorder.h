// Record a lesson by playing it: a teacher plays a scenario in the lab (crashes, partitions,
// scales, deploys...) and the recorder writes a lesson file with one step per action — the action
// as a task with that solution where the lab can check its effect (crash, restart, partition,
// heal), else as the step's `do` — each step waiting as long as the teacher waited before the next
// action, a selector instead of a seed-specific name where the action targeted the leader, and
// text placeholders to edit. The file checks and autoplays as written (tests prove it).
// Reached from the lab (ui.record_start / ui.record_stop, File > Record a lesson) and from
// `topolab-cli record --scenario NAME --seed N --log FILE`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace topo::lesson {

struct Recording {
  std::string scenario;
  uint64_t seed = 1;
  Params params;
  std::vector<LoggedCommand> log;   ///< the commands, at their simulated times
  Time end_us = 0;                  ///< when the teacher stopped (the last step waits until then)
};

/// The lesson file for a recording; std::nullopt and `error` when the scenario cannot be built or
/// a command is refused on replay.
std::optional<std::string> lesson_from_recording(const Recording& r, std::string* error);

}  // namespace topo::lesson
