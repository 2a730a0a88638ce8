// Rebuilding a lesson at a moment of its run: the world replayed from its seed and command log
// up to a time, with the runner placed at a step around it. Rewinding inside a lesson and
// opening a shared lesson moment both come down to this; it lives in the core so it is tested
// without the UI.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "lesson/runner.h"

namespace topo::lesson {

/// Builds lesson `L`'s world from `seed`, replays the commands of `log` logged at or before
/// `until_us` (each at its time), runs to `until_us` and returns an interactive runner at the
/// 0-based `step` around that world. The step's own actions are in the log already, so they are
/// not applied again. Null with `error` set on a bad step, an unbuildable world or a command the
/// world refuses.
/// A compare lesson ([compare], lesson/compare.h) replays both worlds: `log` into the left one and
/// `right_log` (required then) into the right one, each from the same seed.
std::unique_ptr<Runner> replay_lesson(Lesson L, const WorldSource& source, const std::vector<LoggedCommand>& log,
                                      Time until_us, size_t step, uint64_t seed, std::string* error,
                                      const std::vector<LoggedCommand>* right_log = nullptr);

}  // namespace topo::lesson
