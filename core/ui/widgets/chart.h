// Time-series chart over simulated time, drawn with ImDrawList (Debian has no ImPlot): several
// series with a legend, 1-2-5 axis ticks, an auto y-scale with headroom or a fixed range (0..1
// for rates), a hover read-out (vertical line + every series' value at the nearest sample) and
// event markers (crash, deploy, partition, ...) as labelled flags on the time axis. Series are
// told apart by colour (Okabe-Ito), dash and point shape, never by colour alone.
//
// Usage (inside an ImGui window, once per frame):
//   const auto* p99 = world.metrics().series("svc.api.latency_p99_ms");
//   topo::ui::ChartSeries s[1];
//   s[0].label = "p99"; s[0].points = p99->data(); s[0].count = (int)p99->size();
//   topo::ui::ChartOptions o; o.title = "Latency"; o.y_unit = "ms";
//   o.x_min_us = 0; o.x_max_us = world.now();
//   topo::ui::ChartMarker m[] = {{crash_t, topo::ui::MarkerKind::Crash, "crash n2"}};
//   topo::ui::ChartHover hover;
//   topo::ui::chart("##latency", ImVec2(-1, 220), s, 1, o, m, 1, &hover);
//   // hover.time_us can be passed to the next chart / history view as o.cursor_time_us.
//
// The pure parts (y range, layout, coordinate mapping, nearest sample) are separate functions
// so they can be tested without drawing.
#pragma once

#include <cstdint>
#include <vector>

#include "imgui.h"
#include "sim/metrics.h"
#include "ui/widgets/draw_util.h"

namespace topo::ui {

/// One line on a chart. Points must be sorted by time; the chart does not copy them.
struct ChartSeries {
  const char* label = "";                   ///< legend text
  const SeriesPoint* points = nullptr;      ///< t in simulated microseconds
  int count = 0;
  ImU32 color = 0;                          ///< 0 = series_color(index)
  LineDash dash = LineDash::Auto;           ///< Auto = series_dash(index)
  PointShape shape = PointShape::Auto;      ///< Auto = series_shape(index)
  float thickness = 2.0f;                   ///< line width in pixels
};

struct ChartOptions {
  const char* title = nullptr;    ///< drawn above the legend; null = none
  const char* y_unit = nullptr;   ///< appended to y values in the read-out and top tick ("ms")
  /// Time window in simulated microseconds. If x_max_us <= x_min_us, the window is the span of
  /// the data (and 0..1 s if there is no data).
  int64_t x_min_us = 0;
  int64_t x_max_us = 0;
  bool y_fixed = false;           ///< use [y_min, y_max] as is (e.g. 0..1 for rates)
  double y_min = 0.0;
  double y_max = 1.0;
  bool y_include_zero = true;     ///< auto scale: start the axis at 0 for non-negative data
  double y_headroom = 0.1;        ///< auto scale: extra space above the data, as a fraction
  double y_scale = 1.0;           ///< multiply values for display (100 shows 0..1 as percent)
  int y_ticks_max = 5;            ///< at most this many y ticks
  bool show_legend = true;
  /// Width of the left gutter (y tick labels) in pixels; < 0 = 4.5 x font size. Use the same
  /// value as HistoryViewOptions::gutter_left so the time axes line up.
  float gutter_left = -1.0f;
  float gutter_right = -1.0f;     ///< < 0 = 1 x font size
  /// Draw a read-out at this time even when the mouse is elsewhere (linked hover from another
  /// chart or the history view); < 0 = none.
  int64_t cursor_time_us = -1;
};

/// What the mouse is doing over the chart this frame.
struct ChartHover {
  bool hovered = false;     ///< mouse over the plot area
  int64_t time_us = -1;     ///< time of the nearest sample under the mouse (-1 if none)
  int marker = -1;          ///< index of the marker flag under the mouse (-1 if none)
  bool clicked = false;     ///< left click in the plot this frame (time_us is where)
};

/// Draws a chart of `n` series with `n_markers` event markers. `size`: pixels; a component <= 0
/// means "available width/height minus its absolute value" as in ImGui::InvisibleButton's
/// CalcItemSize convention (-1 = fill). Returns true while the plot is hovered. The whole
/// widget is one ImGui item (GetItemRectMin/Max give its rectangle).
bool chart(const char* id, ImVec2 size, const ChartSeries* series, int n,
           const ChartOptions& opts, const ChartMarker* markers, int n_markers,
           ChartHover* hover = nullptr);

// ---- Pure logic (tested without drawing) -----------------------------------------------------

/// The value range and ticks of the y axis.
struct YRange {
  double lo = 0.0;
  double hi = 1.0;
  Ticks ticks;
};

/// Y range for the series' points inside [x_min_us, x_max_us] (values times opts.y_scale):
/// fixed if opts.y_fixed; otherwise the data range (with 0 if y_include_zero and all values
/// are >= 0), plus y_headroom on top, widened to a multiple of the tick step. Constant data
/// gets a visible band around it; no data gives 0..1.
YRange chart_y_range(const ChartSeries* series, int n, const ChartOptions& opts,
                     int64_t x_min_us, int64_t x_max_us);

/// Time window [lo, hi] (microseconds): opts.x_min_us..x_max_us if valid, else the data span.
void chart_x_range(const ChartSeries* series, int n, const ChartOptions& opts, int64_t* lo,
                   int64_t* hi);

/// Where things go inside the widget rectangle.
struct ChartLayout {
  ImVec2 min, max;        ///< the whole widget
  ImVec2 plot_min, plot_max;  ///< the plot area (data is drawn inside it)
  bool show_title = false;  ///< false when the title was dropped for lack of room
  float title_y = 0.0f;
  std::vector<ImVec2> legend_pos;  ///< top-left of each legend entry
  float legend_entry_h = 0.0f;
};

/// Lays out title, legend rows (entries wrap), plot and time axis. `legend_w[i]` is the width
/// of entry i (sample + label), or empty when the legend is hidden.
ChartLayout chart_layout(ImVec2 min, ImVec2 max, const ChartOptions& opts,
                         const std::vector<float>& legend_w, float font_size);

/// Maps (time, value) to the plot rectangle and back.
struct ChartScale {
  TimeAxis x;
  double y_lo = 0.0, y_hi = 1.0;
  float y_top = 0.0f, y_bottom = 1.0f;  ///< screen y of y_hi and y_lo
  double y_scale = 1.0;                 ///< display multiplier (ChartOptions::y_scale)
  ImVec2 to_screen(int64_t t_us, double value) const;
};

/// Index of the point of `s` nearest in time to `t_us` (-1 if the series is empty).
int nearest_point(const ChartSeries& s, int64_t t_us);

/// The time of the sample nearest to `t_us` over all series, among samples inside
/// [lo_us, hi_us] (-1 if there is none).
int64_t nearest_sample_time(const ChartSeries* series, int n, int64_t t_us, int64_t lo_us,
                            int64_t hi_us);

/// Reduces the points of `s` inside [lo_us, hi_us] (plus one neighbour on each side) to at most
/// about 4 per pixel column of `scale` (first, min, max, last), keeping their order, so a
/// 4096-point series costs no more than the plot is wide. Appends screen positions to `out`.
void chart_decimate(const ChartSeries& s, const ChartScale& scale, int64_t lo_us, int64_t hi_us,
                    std::vector<ImVec2>* out);

}  // namespace topo::ui
