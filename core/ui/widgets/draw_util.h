// Shared pieces of the Topolab widgets (chart, history view, timeline): the colour-blind-safe
// series palette (Okabe-Ito) with dash and point-shape variation so no series is told apart by
// colour alone, "nice" 1-2-5 axis ticks, the simulated-time axis (integer microseconds on the
// model side, seconds on screen), event markers (crash, deploy, partition, ...) drawn as a shape
// plus a label, and small ImDrawList helpers (dashed polylines, hatching, a warning icon) that
// keep every vertex inside the rectangle they are given.
//
// Usage:
//   topo::ui::Ticks t = topo::ui::nice_ticks(0.0, 12.5, 6);   // step 2, values 0,2,...,12
//   topo::ui::TimeAxis ax{0, 30 * 1000000, plot.Min.x, plot.Max.x};
//   float x = ax.x_of(crash_time_us);
//
// Nothing here affects the simulation: plain floating point (and libm) is fine in the UI.
#pragma once

#include <cstdint>
#include <vector>

#include "imgui.h"
#include "ui/palette.h"

namespace topo::ui {

// ---- Palette and series styles ---------------------------------------------------------------

/// Okabe-Ito colours (Wong, Nature Methods 2011), in the order series use them. Black is
/// replaced by the theme's text colour where needed (see series_color).
namespace okabe_ito = palette;   // the same colours, under the name the widgets use

/// How a series line is stroked. Auto = chosen from the series index.
enum class LineDash { Auto, Solid, Dashed, Dotted, DashDot };
/// Shape drawn on a series' points (sparse: only when points are far enough apart) and in the
/// legend. Auto = chosen from the series index.
enum class PointShape { Auto, None, Circle, Square, Triangle, Diamond, Cross };

/// Colour of series number `i` (0-based): the 7 Okabe-Ito colours, then the theme text colour.
ImU32 series_color(int i);
/// Dash of series number `i`: solid, dashed, dotted, dash-dot, cycling at a different rate
/// from the colours so that neighbours differ in two ways.
LineDash series_dash(int i);
/// Point shape of series number `i`.
PointShape series_shape(int i);
/// Returns `c` with its alpha multiplied by `alpha` (0..1).
ImU32 with_alpha(ImU32 c, float alpha);

// ---- Event markers on the time axis ----------------------------------------------------------

/// What happened at a marker's time. Each kind has its own glyph, so markers are not told
/// apart by colour alone.
enum class MarkerKind { Crash, Restart, Deploy, Rollback, Partition, Heal, Fault, Note };

/// An event on the simulated-time axis, e.g. {4'000'000, MarkerKind::Crash, "crash n2"}.
struct ChartMarker {
  int64_t t_us = 0;                    ///< simulated time (microseconds)
  MarkerKind kind = MarkerKind::Note;
  const char* label = nullptr;         ///< short text shown beside the glyph; may be null
};

/// Short lower-case name of a marker kind ("crash", "deploy", ...).
const char* marker_kind_name(MarkerKind k);
/// Colour of a marker kind (Okabe-Ito; the glyph carries the meaning too).
ImU32 marker_color(MarkerKind k);
/// Draws the glyph of `k` centred at `c` with half-size `r` (crash: X, restart: ring,
/// deploy: up triangle, rollback: down triangle, partition: two bars, heal: plus,
/// fault: diamond, note: square).
void add_marker_glyph(ImDrawList* dl, ImVec2 c, float r, MarkerKind k, ImU32 col);

/// Assigns each label a row so that labels in the same row do not overlap. `x0[i]` is a
/// label's left edge and `w[i]` its width (pixels); labels are processed in the given order.
/// Returns the row of each label, at most `max_rows - 1` (labels that fit nowhere get -1).
std::vector<int> stack_labels(const std::vector<float>& x0, const std::vector<float>& w,
                              float gap_px, int max_rows);

// ---- Ticks and the time axis -----------------------------------------------------------------

/// Axis ticks: multiples of `step` inside [lo, hi]; `decimals` is how many digits after the
/// point a label needs to show `step` exactly.
struct Ticks {
  double step = 0.0;
  int decimals = 0;
  std::vector<double> values;
};

/// Ticks for the range [lo, hi]: the smallest step of the form {1, 2, 5} x 10^k that gives at
/// most `max_count` ticks (max_count < 2 counts as 2). A degenerate range (lo == hi) gives one
/// tick at lo; a non-finite bound gives no ticks. Values are exact multiples of the step
/// (computed as i * step, with -0 and rounding noise snapped to 0).
Ticks nice_ticks(double lo, double hi, int max_count);

/// Writes `value` with `decimals` digits after the point, then `unit` (if non-null, separated
/// by a space). "-0" is written as "0".
void format_value(char* buf, int buf_size, double value, int decimals, const char* unit);

/// Maps integer simulated time (microseconds) to screen x and back.
struct TimeAxis {
  int64_t t0_us = 0;  ///< time at x0
  int64_t t1_us = 1;  ///< time at x1 (> t0_us)
  float x0 = 0.0f;
  float x1 = 1.0f;
  /// Screen x of time `t_us` (not clamped).
  float x_of(int64_t t_us) const;
  /// Time at screen x, clamped to [t0_us, t1_us].
  int64_t t_at(float x) const;
};

/// Draws time ticks (in seconds) below the line y = `y`, from axis.x0 to axis.x1: small tick
/// marks and labels such as "1.5 s". If `grid_top` < y, also draws faint vertical grid lines
/// from grid_top to y. Labels are kept inside [clip_x0, clip_x1].
void draw_time_axis(ImDrawList* dl, const TimeAxis& axis, float y, float grid_top,
                    float clip_x0, float clip_x1, ImU32 text_col, ImU32 grid_col);

/// Height in pixels that draw_time_axis uses below its line.
float time_axis_height();

/// Where draw_markers puts the flags.
struct MarkerPlacement {
  bool at_top = false;  ///< flags hang from `top` (else they stand on `bottom`)
  int max_rows = 2;     ///< rows for overlapping flags; a flag that fits in none shows its glyph
};

/// Draws event markers: a dashed vertical line from `top` to `bottom` at each marker's time and
/// a small flag (glyph + label) at the top or bottom end, stacked in rows when flags would
/// overlap. Markers outside the axis are skipped; everything stays inside [clip_x0, clip_x1]
/// and [top, bottom]. Returns the index of the marker whose flag or glyph is under `mouse`
/// (or -1).
int draw_markers(ImDrawList* dl, const TimeAxis& axis, const ChartMarker* markers, int n,
                 float top, float bottom, float clip_x0, float clip_x1, ImVec2 mouse,
                 MarkerPlacement placement = MarkerPlacement{});

// ---- Drawing helpers -------------------------------------------------------------------------

/// Polyline through `pts` with the given dash pattern (pattern lengths scale with thickness;
/// the pattern continues across vertices).
void add_dashed_polyline(ImDrawList* dl, const ImVec2* pts, int n, ImU32 col, float thickness,
                         LineDash dash);
/// A point shape centred at `c` with half-size `r`.
void add_point_shape(ImDrawList* dl, ImVec2 c, float r, PointShape shape, ImU32 col);
/// Diagonal hatching (45 degrees, `spacing_px` apart) strictly inside the rectangle [a, b].
void add_hatch(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float spacing_px,
               float thickness);
/// A warning sign: a filled triangle (side about 2 * r) with an exclamation mark, centred at c.
void add_warning_icon(ImDrawList* dl, ImVec2 c, float r, ImU32 fill, ImU32 mark);
/// Text clipped exactly (glyph quads cut) to `clip`: nothing is drawn outside it.
void add_text_clipped(ImDrawList* dl, ImVec2 pos, ImU32 col, const char* begin, const char* end,
                      const ImVec4& clip);

}  // namespace topo::ui
