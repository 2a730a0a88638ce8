// Compare lessons: two worlds side by side on one clock (a lesson with a [compare] table instead
// of [scenario], lessons/FORMAT.md "Compare lessons"). The left world is the lesson's
// `scenario`, the right one its `compare->right`; both are built with the same seed and run to
// the same simulated time. What lives here:
//   - CompareWorld: a LessonWorld holding the two worlds. A Command names its world with a
//     `world` argument ("left", "right" or "both"); the argument is taken off before the
//     Command reaches that world's Session, so each Session records (and rewinds, replays and
//     hashes) only its own commands, exactly as a one-world lesson would.
//   - CompareFacts: values for conditions and {{text}}. A value key starts with its world,
//     `left.KEY` / `right.KEY` (KEY is any key of a one-world lesson, selectors included:
//     left.node.@leader.term); a baseline is `start.left.KEY`; counts are count(left.@leader).
//     The clock keys time_s, time_ms and elapsed_s need no world (the clock is shared).
//   - side_action: what one world's part of a lesson action is (`world` taken off;
//     `left.ARG=V` / `right.ARG=V` give that world its own value of ARG, so "crash the machine
//     that matters in each" is one action: crash world=both left.node=@leader right.node=payment-1).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lesson/lesson.h"
#include "lesson/world_facts.h"

namespace topo::lesson {

/// The two worlds' names, as keys, actions and text spell them: index 0 "left", 1 "right".
inline const char* side_name(int side) { return side == 0 ? "left" : "right"; }
/// 0 for "left", 1 for "right", -1 otherwise.
int side_index(std::string_view name);

/// A value key of a compare lesson split into its world and the key inside that world:
/// "left.term" -> {0, "term"}; "start.right.p99_ms.checkout" -> {1, "start.p99_ms.checkout"};
/// "count" keys ("left.@leader") -> {0, "@leader"}. `offset` is where the inner key starts in
/// the written key (for error columns, after the "start." prefix it keeps). side = -1: no world.
struct SideKey {
  int side = -1;
  std::string key;
  int offset = 0;
};
SideKey split_side_key(std::string_view key);
/// Keys a compare lesson may read without a world: the shared clock (time_s, time_ms, elapsed_s).
bool is_clock_key(std::string_view key);

/// The worlds an action's `world` argument names: {0}, {1} or {0, 1}; empty when it is missing
/// or not one of "left", "right", "both".
std::vector<int> action_sides(const Action& a);
/// The action as world `side` runs it: `world` dropped, `left.X`/`right.X` arguments of this
/// world renamed X (replacing a plain X), the other world's dropped.
Action side_action(const Action& a, int side);

/// Two LessonWorlds on one clock. world() is the left world (the clock the runner reads).
class CompareWorld : public LessonWorld {
 public:
  CompareWorld(std::unique_ptr<LessonWorld> left, std::unique_ptr<LessonWorld> right);
  World& world() override { return sides_[0]->world(); }
  /// Applies `c` to the worlds its `world` argument names ("left", "right", "both"), without
  /// that argument; refused when it is missing. With "both", the result is the first failure.
  CommandResult apply(const Command& c) override;
  void run_until(Time t) override;
  Session* session() override { return sides_[0]->session(); }
  LessonWorld* side(int i) override { return sides_[static_cast<size_t>(i)].get(); }

 private:
  std::unique_ptr<LessonWorld> sides_[2];
};

/// Facts of a compare lesson: left.KEY / right.KEY read that world's WorldFacts; start.SIDE.KEY
/// a baseline (captured under "SIDE.KEY"); clock keys the left world (both share the clock).
class CompareFacts : public Facts {
 public:
  CompareFacts(const World& left, const World& right, Time step_started_us = 0, const Baseline* baseline = nullptr);
  std::optional<Value> get(std::string_view key) const override;
  std::vector<std::string> expand(std::string_view key) const override;
  std::optional<double> count(std::string_view selector) const override;
  std::optional<double> enum_number(std::string_view key, std::string_view name) const override;
  const World& world(int side) const { return side == 0 ? l_ : r_; }

 private:
  const World& l_;
  const World& r_;
  Time started_;
  const Baseline* baseline_;
};

/// {{left.KEY}}, {{node:right.KEY}}, {{left.@leader}}, {{start.left.KEY}} and the clock keys
/// filled in from the two worlds (render_text's rules, per world).
std::string render_compare_text(std::string_view text, const World& left, const World& right, Time step_started_us,
                                const Baseline* baseline = nullptr);

}  // namespace topo::lesson
