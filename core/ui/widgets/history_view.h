// Client-history diagram: a space-time view of client operations so a student *sees*
// consistency. One lane per client; each operation is a bar from invoke to complete labelled
// "w x=3" or "r x→2"; an operation whose completion is unknown (timed out, or still in flight)
// is open-ended and hatched up to the end of the time axis, because it may take effect at any
// later time; failed operations are outlined with a cross; operations the checker flags (a
// stale read, part of a linearizability violation) get a thick warning outline and a warning
// icon. The time axis uses the same gutters as the chart so the two line up one above the
// other; hovering shows the operation's details.
//
// The input is a plain struct, independent of the model code: the app converts the KV model's
// history (core/models/kv/history.h) and the checker's verdicts into HistoryOp.
//
// Usage (inside an ImGui window):
//   std::vector<topo::ui::HistoryOp> ops = to_history_ops(kv_history, verdicts);
//   topo::ui::HistoryViewOptions ho;
//   ho.x_min_us = 0; ho.x_max_us = world.now();
//   ho.cursor_time_us = chart_hover.time_us;        // linked cursor from a chart
//   topo::ui::HistoryHover hh;
//   topo::ui::history_view("##hist", ImVec2(-1, 0), ops.data(), (int)ops.size(), ho, &hh);
//   // size.y == 0: as tall as the lanes need (see history_view_height).
//
// Labels use "→" (U+2192) when the current font has that glyph and "->" otherwise.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "imgui.h"
#include "ui/widgets/draw_util.h"

namespace topo::ui {

enum class HistOpKind { Read, Write, Cas, Other };
/// Ok: completed and took effect (a read returned `value`). Fail: completed and definitely did
/// not take effect. Unknown: the client does not know (timeout, lost reply); drawn open-ended.
enum class HistOutcome { Ok, Fail, Unknown };

/// One client operation.
struct HistoryOp {
  int client = 0;                 ///< lane key (client id)
  HistOpKind kind = HistOpKind::Read;
  std::string key;                ///< e.g. "x"
  std::string value;              ///< written value, value read ("" = not known), or "1->2" for cas
  int64_t invoke_us = 0;          ///< simulated time the client sent the request
  int64_t complete_us = -1;       ///< simulated time of the response; -1 = none (yet)
  HistOutcome outcome = HistOutcome::Ok;
  bool flagged = false;           ///< stale read / part of a linearizability violation
  std::string note;               ///< why it is flagged (shown on hover)
  std::string label;              ///< replaces the generated label when non-empty
};

struct HistoryViewOptions {
  /// Time window (microseconds); if x_max_us <= x_min_us: 0 .. the latest time in the ops.
  int64_t x_min_us = 0;
  int64_t x_max_us = 0;
  float gutter_left = -1.0f;      ///< lane-label gutter; < 0 = 4.5 x font size (as the chart)
  float gutter_right = -1.0f;     ///< < 0 = 1 x font size (as the chart)
  float row_height = -1.0f;       ///< height of one bar row; < 0 = font size + 8
  int max_subrows = 4;            ///< rows per lane for overlapping ops (then they share a row)
  bool show_axis = true;          ///< draw the time axis below the lanes
  const char* client_label = "client %d";  ///< a lane's label: a printf format of the client id (translated by the caller)
  const ChartMarker* markers = nullptr;   ///< event markers (drawn as on the chart)
  int n_markers = 0;
  int64_t cursor_time_us = -1;    ///< linked cursor line (e.g. ChartHover::time_us); < 0 = none
};

/// What the mouse is doing over the view this frame.
struct HistoryHover {
  bool hovered = false;   ///< mouse over the lanes
  int op = -1;            ///< index of the op under the mouse (-1 if none)
  int64_t time_us = -1;   ///< time under the mouse (-1 if not over the lanes)
  int clicked_op = -1;    ///< op clicked this frame (-1 if none)
};

/// Draws the diagram as one ImGui item. `size`: pixels; x <= 0 means available width plus x;
/// y == 0 means exactly as tall as needed (history_view_height), y < 0 available height plus y.
/// Lanes that do not fit are left out with a "+N more" note. Returns true while hovered.
bool history_view(const char* id, ImVec2 size, const HistoryOp* ops, int n,
                  const HistoryViewOptions& opts, HistoryHover* hover = nullptr);

// ---- Pure logic (tested without drawing) -----------------------------------------------------

struct HistoryLane {
  int client = 0;
  float y0 = 0, y1 = 0;  ///< lane top and bottom (screen)
  int subrows = 1;
};

struct HistoryBar {
  int op = 0;            ///< index into the ops array
  int lane = 0;          ///< index into HistoryLayout::lanes
  int subrow = 0;
  ImVec2 min, max;       ///< the bar on screen
  float solid_max_x = 0; ///< open-ended bars: where the known part ends (= min.x if none)
  bool open_ended = false;
};

struct HistoryLayout {
  std::vector<HistoryLane> lanes;
  std::vector<HistoryBar> bars;   ///< only for lanes that fit
  ImVec2 plot_min, plot_max;      ///< the lanes area
  TimeAxis axis;
  int hidden_lanes = 0;           ///< lanes left out for lack of height
};

/// Lays out lanes (clients in increasing id order) and bars inside [min, max]. Within a lane,
/// ops are placed in time order on the first row where they do not overlap the previous bar
/// (bars are at least 3 px wide, with a 1 px gap); an open-ended op reaches the axis end.
HistoryLayout history_layout(const HistoryOp* ops, int n, const HistoryViewOptions& opts,
                             ImVec2 min, ImVec2 max, float font_size);

/// Height the view needs to show every lane (and the axis) at `width` pixels wide.
float history_view_height(const HistoryOp* ops, int n, const HistoryViewOptions& opts,
                          float width, float font_size);

/// The op under point `p` (screen), or -1.
int history_hit_test(const HistoryLayout& layout, ImVec2 p);

/// "w x=3", "r x→2" ("r x→?" when the value is unknown), "cas x 1->2", or op.label.
/// `arrow` is the text used for the read arrow ("→" or "->").
std::string history_op_label(const HistoryOp& op, const char* arrow);

}  // namespace topo::ui
