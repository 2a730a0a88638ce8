// Timeline scrubber and time controls. The scrubber is a bar of simulated time 0..now with the
// same event markers as the charts (crash, deploy, partition, ...) and a draggable handle; when
// the learner releases the handle (or clicks on the bar) it returns the requested time, and the
// app rewinds the world to it (the core's rewind) — the widget itself never changes the world.
// After a rewind the app can pass the furthest time reached as `horizon_us`: the part beyond
// now is shown as a ghost and can be scrubbed to as well (the app then runs forward).
// time_controls() is the row of play/pause, single step and a 0.01x..100x speed slider with
// 1-2-5 stops and readable labels ("0.1x", "1x", "20x").
//
// Usage (once per frame):
//   int64_t want = 0;
//   topo::ui::TimelineOptions to;
//   to.markers = markers.data(); to.n_markers = (int)markers.size();
//   if (topo::ui::timeline("##timeline", world.now(), to, &want)) app.rewind_to(want);
//   unsigned ev = topo::ui::time_controls("##time", &app.playing, &app.speed, world.now());
//   if (ev & topo::ui::kTcStep) app.step_one_event();
//   // keyboard "+"/"-": app.speed = topo::ui::speed_step(app.speed, +1 / -1);
#pragma once

#include <cstdint>
#include <string>

#include "imgui.h"
#include "ui/widgets/draw_util.h"

namespace topo::ui {

struct TimelineOptions {
  int64_t horizon_us = -1;            ///< furthest reachable time (>= now to show it); -1 = now
  const ChartMarker* markers = nullptr;
  int n_markers = 0;
  float height = -1.0f;               ///< < 0 = 2.8 x font size + padding
  float width = 0.0f;                 ///< <= 0 = available width plus this value
  float gutter_left = -1.0f;          ///< < 0 = 0.5 x font size (pass the chart's to align)
  float gutter_right = -1.0f;         ///< < 0 = 0.5 x font size
  float snap_px = 5.0f;               ///< a drag within this many pixels of a marker snaps to it
};

/// Per-frame state of the scrubber.
struct TimelineState {
  bool dragging = false;       ///< the handle is held
  int64_t drag_time_us = -1;   ///< where the held handle is (simulated us), -1 if not dragging
  int64_t hover_time_us = -1;  ///< time under the mouse, -1 if not hovered
  int hovered_marker = -1;     ///< marker under the mouse, -1 if none
};

/// Draws the scrubber for a world at time `now_us`. Returns true on the frame the learner lets
/// go of the handle (or clicks the bar); `*requested_us` is then the chosen time, in
/// [0, max(now, horizon)]. One ImGui item.
bool timeline(const char* id, int64_t now_us, const TimelineOptions& opts, int64_t* requested_us,
              TimelineState* state = nullptr);

// ---- Pure logic ------------------------------------------------------------------------------

struct TimelineLayout {
  ImVec2 min, max;            ///< the widget
  ImVec2 track_min, track_max;  ///< the time bar
  float marker_y = 0.0f;      ///< centre line of the marker glyphs (above the track)
  TimeAxis axis;              ///< 0 .. end over the track
  int64_t end_us = 0;         ///< max(now, horizon, 1 s)
};

TimelineLayout timeline_layout(ImVec2 min, ImVec2 max, int64_t now_us, const TimelineOptions& opts,
                               float font_size);

/// Time for screen x on the track: clamped to [0, end], snapped to a marker within
/// opts.snap_px, rounded to a whole millisecond.
int64_t timeline_time_at(const TimelineLayout& l, float x, const TimelineOptions& opts);

// ---- Time controls ---------------------------------------------------------------------------

/// What time_controls() reports (bit flags).
enum TimeControlEvent : unsigned {
  kTcNone = 0,
  kTcPlayPause = 1,  ///< *playing was toggled
  kTcStep = 2,       ///< "step" was pressed: run the next event (the app pauses too)
  kTcSpeed = 4,      ///< *speed changed
};

/// Play/pause, step and speed controls, then the current time ("t = 12.345 s"). Updates
/// *playing and *speed in place; returns the TimeControlEvent bits of this frame.
unsigned time_controls(const char* id, bool* playing, double* speed, int64_t now_us);

/// Number of speed stops and the stop values: 0.01, 0.02, 0.05, ... 50, 100 (x real time).
int speed_stop_count();
double speed_stop(int i);
/// Index of the stop nearest to `speed` (in log scale).
int speed_stop_index(double speed);
/// The next stop up (dir > 0) or down (dir < 0) from `speed`, clamped to 0.01..100.
double speed_step(double speed, int dir);
/// A readable label: "0.01x", "0.5x", "1x", "2.5x", "100x".
std::string speed_label(double speed);

}  // namespace topo::ui
