// The Charts tab: one chart per series kind of World::metrics() (the part of a series name after
// its last '.', so "svc.payment.p99_ms" and "svc.catalog.p99_ms" share the p99_ms chart), one
// line per thing measured, with the command log and the models' events (a new Raft leader, a
// breaker opening) as markers on the time axis. A lesson step's `chart = [...]` picks charts:
// they are drawn first, in the step's order, and open; the others collapse (once, when picked;
// the learner may open them again).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/world.h"
#include "ui/widgets/chart.h"

namespace topo::ui {

struct ChartsPanelState {
  // ---- set by the app ----
  std::vector<std::string> pick;   ///< chart kinds to show first and open (a lesson step's chart)
  uint64_t pick_generation = 0;    ///< bumped by pick_charts: the open/closed states are set once

  // ---- what the last drawn frame showed (read-only for callers and tests) ----
  std::vector<std::string> drawn;  ///< every chart kind, in the order drawn
  std::vector<std::string> open;   ///< the kinds whose chart was expanded, in order
  size_t markers = 0;              ///< markers drawn (commands and model events)

  // ---- internal ----
  uint64_t applied_generation = 0;
  ChartHover hover;
};

/// Picks the charts a lesson step wants (see ChartsPanelState::pick).
void pick_charts(ChartsPanelState& st, std::vector<std::string> kinds);

/// How a command's op is flagged on the time axis (the app's mapping, shared with the timeline).
using MarkerKindFor = MarkerKind (*)(const std::string& op);

/// Draws the tab's content for `w` (inside an open ImGui window or tab item).
void draw_charts_panel(const World& w, ChartsPanelState& st, MarkerKindFor kind_for_op);

/// The marker kind of a model event from Metrics::events() ("leader", "breaker_open", ...).
MarkerKind marker_kind_for_event(const std::string& kind);

}  // namespace topo::ui
