// Time-series chart widget over ImDrawList (see chart.h): y range, layout, mapping and
// decimation as pure functions, then the drawing.
#include "ui/widgets/chart.h"
#include "ui/tr.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace topo::ui {
namespace {

LineDash dash_of(const ChartSeries& s, int i) {
  return s.dash == LineDash::Auto ? series_dash(i) : s.dash;
}
PointShape shape_of(const ChartSeries& s, int i) {
  return s.shape == PointShape::Auto ? series_shape(i) : s.shape;
}
ImU32 color_of(const ChartSeries& s, int i) { return s.color ? s.color : series_color(i); }

// First index with t >= t_us.
int lower_bound_t(const ChartSeries& s, int64_t t_us) {
  int lo = 0, hi = s.count;
  while (lo < hi) {
    const int mid = lo + (hi - lo) / 2;
    if (s.points[mid].t < t_us) lo = mid + 1; else hi = mid;
  }
  return lo;
}

float gutter_left_px(const ChartOptions& o, float fs) {
  return o.gutter_left >= 0.0f ? o.gutter_left : fs * 4.5f;
}
float gutter_right_px(const ChartOptions& o, float fs) {
  return o.gutter_right >= 0.0f ? o.gutter_right : fs;
}

// Clips a polyline to x0 <= x <= x1 (interpolating the crossing points) and draws the pieces
// inside, so no vertex lands outside the plot.
void draw_clipped(ImDrawList* dl, const std::vector<ImVec2>& pts, float x0, float x1, ImU32 col,
                  float thickness, LineDash dash) {
  std::vector<ImVec2> piece;
  auto flush = [&] {
    if (piece.size() >= 2)
      add_dashed_polyline(dl, piece.data(), static_cast<int>(piece.size()), col, thickness, dash);
    piece.clear();
  };
  for (size_t i = 1; i < pts.size(); ++i) {
    const ImVec2 q = pts[i - 1], p = pts[i];
    float t0 = 0.0f, t1 = 1.0f;
    const float dx = p.x - q.x;
    if (dx == 0.0f) {
      if (q.x < x0 || q.x > x1) { flush(); continue; }
    } else {
      float ta = (x0 - q.x) / dx, tb = (x1 - q.x) / dx;
      if (ta > tb) std::swap(ta, tb);
      t0 = std::max(t0, ta);
      t1 = std::min(t1, tb);
      if (t0 > t1) { flush(); continue; }
    }
    const ImVec2 c0(q.x + dx * t0, q.y + (p.y - q.y) * t0);
    const ImVec2 c1(q.x + dx * t1, q.y + (p.y - q.y) * t1);
    if (piece.empty() || t0 > 0.0f) { flush(); piece.push_back(c0); }
    piece.push_back(c1);
    if (t1 < 1.0f) flush();
  }
  flush();
}

}  // namespace

// ---- Pure logic ------------------------------------------------------------------------------

static ChartLayout chart_layout_all(ImVec2 min, ImVec2 max, const ChartOptions& opts,
                                    const std::vector<float>& legend_w, float fs);

void chart_x_range(const ChartSeries* series, int n, const ChartOptions& opts, int64_t* lo,
                   int64_t* hi) {
  if (opts.x_max_us > opts.x_min_us) {
    *lo = opts.x_min_us;
    *hi = opts.x_max_us;
    return;
  }
  int64_t a = INT64_MAX, b = INT64_MIN;
  for (int i = 0; i < n; ++i) {
    if (series[i].count <= 0 || !series[i].points) continue;
    a = std::min(a, series[i].points[0].t);
    b = std::max(b, series[i].points[series[i].count - 1].t);
  }
  if (a == INT64_MAX) { a = 0; b = 1000000; }
  if (b <= a) b = a + 1000000;
  *lo = a;
  *hi = b;
}

YRange chart_y_range(const ChartSeries* series, int n, const ChartOptions& opts,
                     int64_t x_min_us, int64_t x_max_us) {
  YRange r;
  const int max_ticks = std::max(2, opts.y_ticks_max);
  if (opts.y_fixed && opts.y_max > opts.y_min) {
    r.lo = opts.y_min * opts.y_scale;
    r.hi = opts.y_max * opts.y_scale;
    if (r.lo > r.hi) std::swap(r.lo, r.hi);
    r.ticks = nice_ticks(r.lo, r.hi, max_ticks);
    return r;
  }
  double dmin = INFINITY, dmax = -INFINITY;
  for (int i = 0; i < n; ++i) {
    const ChartSeries& s = series[i];
    if (!s.points) continue;
    for (int k = lower_bound_t(s, x_min_us); k < s.count && s.points[k].t <= x_max_us; ++k) {
      const double v = s.points[k].value * opts.y_scale;
      if (!std::isfinite(v)) continue;
      dmin = std::min(dmin, v);
      dmax = std::max(dmax, v);
    }
  }
  if (dmin > dmax) {  // no data
    r.lo = 0.0;
    r.hi = 1.0;
    r.ticks = nice_ticks(r.lo, r.hi, max_ticks);
    return r;
  }
  if (opts.y_include_zero) {
    if (dmin >= 0.0) dmin = 0.0;
    else if (dmax <= 0.0) dmax = 0.0;
  }
  if (dmax - dmin <= 0.0) {  // constant data: a band around it
    const double pad = dmax != 0.0 ? std::fabs(dmax) * 0.5 : 1.0;
    if (dmin == 0.0 && opts.y_include_zero) dmax = dmin + 2.0 * pad;
    else { dmin -= pad; dmax += pad; }
  }
  dmax += (dmax - dmin) * std::max(0.0, opts.y_headroom);
  const double step = nice_ticks(dmin, dmax, max_ticks).step;
  if (step > 0.0) {
    dmin = std::floor(dmin / step + 1e-9) * step;
    dmax = std::ceil(dmax / step - 1e-9) * step;
  }
  r.lo = dmin;
  r.hi = dmax;
  r.ticks = nice_ticks(r.lo, r.hi, max_ticks);
  return r;
}

ChartLayout chart_layout(ImVec2 min, ImVec2 max, const ChartOptions& opts,
                         const std::vector<float>& legend_w, float fs) {
  // Too small for everything: drop the legend, then the title, keeping a usable plot.
  ChartLayout full = chart_layout_all(min, max, opts, legend_w, fs);
  if (full.plot_max.y - full.plot_min.y >= fs * 2.0f) return full;
  ChartOptions o = opts;
  o.show_legend = false;
  full = chart_layout_all(min, max, o, legend_w, fs);
  if (full.plot_max.y - full.plot_min.y >= fs * 2.0f) return full;
  o.title = nullptr;
  full = chart_layout_all(min, max, o, legend_w, fs);
  full.plot_max.y = std::min(full.plot_max.y, max.y - 1.0f);
  full.plot_min.y = std::min(full.plot_min.y, full.plot_max.y - 1.0f);
  return full;
}

static ChartLayout chart_layout_all(ImVec2 min, ImVec2 max, const ChartOptions& opts,
                                    const std::vector<float>& legend_w, float fs) {
  ChartLayout l;
  l.min = min;
  l.max = max;
  const float pad = 4.0f;
  float y = min.y + pad;
  float gl = gutter_left_px(opts, fs), gr = gutter_right_px(opts, fs);
  const float room = std::max(0.0f, (max.x - min.x) - 20.0f);  // keep >= 20 px of plot
  if (gl + gr > room) {
    const float k = room / (gl + gr);
    gl *= k;
    gr *= k;
  }
  const float left = min.x + gl;
  const float right = max.x - gr;
  if (opts.title) {
    l.show_title = true;
    l.title_y = y;
    y += fs + 4.0f;
  }
  l.legend_entry_h = fs + 2.0f;
  if (opts.show_legend && !legend_w.empty()) {
    float x = left;
    for (float w : legend_w) {
      if (x > left && x + w > right) {
        x = left;
        y += l.legend_entry_h;
      }
      l.legend_pos.push_back({x, y});
      x += w + fs;
    }
    y += l.legend_entry_h + 2.0f;
  }
  l.plot_min = {left, y + fs * 0.5f};  // half a line so the top tick label fits
  l.plot_max = {std::max(left + 1.0f, right),
                std::max(l.plot_min.y + 1.0f, max.y - time_axis_height() - pad)};
  return l;
}

ImVec2 ChartScale::to_screen(int64_t t_us, double value) const {
  const double span = y_hi - y_lo;
  const double f = span > 0.0 ? (value * y_scale - y_lo) / span : 0.0;
  return {x.x_of(t_us), y_bottom + static_cast<float>(f * (y_top - y_bottom))};
}

int nearest_point(const ChartSeries& s, int64_t t_us) {
  if (!s.points || s.count <= 0) return -1;
  const int k = lower_bound_t(s, t_us);
  if (k >= s.count) return s.count - 1;
  if (k == 0) return 0;
  return (t_us - s.points[k - 1].t) <= (s.points[k].t - t_us) ? k - 1 : k;
}

int64_t nearest_sample_time(const ChartSeries* series, int n, int64_t t_us, int64_t lo_us,
                            int64_t hi_us) {
  int64_t best = -1, best_d = INT64_MAX;
  for (int i = 0; i < n; ++i) {
    const ChartSeries& s = series[i];
    if (!s.points || s.count <= 0) continue;
    const int k = lower_bound_t(s, t_us);
    for (int j = k - 1; j <= k; ++j) {
      if (j < 0 || j >= s.count) continue;
      const int64_t t = s.points[j].t;
      if (t < lo_us || t > hi_us) continue;
      const int64_t d = t > t_us ? t - t_us : t_us - t;
      if (d < best_d || (d == best_d && t < best)) { best_d = d; best = t; }
    }
  }
  return best;
}

void chart_decimate(const ChartSeries& s, const ChartScale& scale, int64_t lo_us, int64_t hi_us,
                    std::vector<ImVec2>* out) {
  if (!s.points || s.count <= 0) return;
  int a = lower_bound_t(s, lo_us);
  int b = lower_bound_t(s, hi_us + 1);  // one past the last point <= hi
  if (a > 0) --a;
  if (b < s.count) ++b;
  const int visible = b - a;
  const float width = std::max(1.0f, scale.x.x1 - scale.x.x0);
  if (visible <= static_cast<int>(width * 2.0f)) {
    for (int k = a; k < b; ++k) {
      if (!std::isfinite(s.points[k].value)) continue;
      out->push_back(scale.to_screen(s.points[k].t, s.points[k].value));
    }
    return;
  }
  // Per pixel column: first, min, max, last (in time order).
  int k = a;
  while (k < b) {
    const float col = std::floor(scale.x.x_of(s.points[k].t));
    int first = k, imin = k, imax = k, last = k;
    while (k < b && std::floor(scale.x.x_of(s.points[k].t)) == col) {
      if (s.points[k].value < s.points[imin].value) imin = k;
      if (s.points[k].value > s.points[imax].value) imax = k;
      last = k++;
    }
    int idx[4] = {first, std::min(imin, imax), std::max(imin, imax), last};
    int prev = -1;
    for (int j : idx) {
      if (j == prev || !std::isfinite(s.points[j].value)) continue;
      out->push_back(scale.to_screen(s.points[j].t, s.points[j].value));
      prev = j;
    }
  }
}

// ---- Drawing ---------------------------------------------------------------------------------

bool chart(const char* id, ImVec2 size, const ChartSeries* series, int n,
           const ChartOptions& opts, const ChartMarker* markers, int n_markers,
           ChartHover* hover) {
  ChartHover local;
  ChartHover& h = hover ? *hover : local;
  h = ChartHover{};
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (size.x <= 0.0f) size.x = avail.x + size.x;
  if (size.y <= 0.0f) size.y = avail.y + size.y;
  size.x = std::max(size.x, 60.0f);
  size.y = std::max(size.y, 60.0f);
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  h.clicked = ImGui::InvisibleButton(id, size);
  const bool item_hovered = ImGui::IsItemHovered();
  const ImVec2 mouse = ImGui::GetIO().MousePos;

  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fs = ImGui::GetFontSize();
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 dim_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const ImU32 grid_col = with_alpha(ImGui::GetColorU32(ImGuiCol_Border), 0.6f);
  const ImVec2 wmax(pos.x + size.x, pos.y + size.y);
  dl->PushClipRect(pos, wmax, true);

  // Legend entry widths: a line sample (2 font sizes), a gap, the label.
  const float sample_w = fs * 2.0f;
  std::vector<float> legend_w;
  if (opts.show_legend)
    for (int i = 0; i < n; ++i)
      legend_w.push_back(sample_w + 4.0f + ImGui::CalcTextSize(series[i].label ? series[i].label : "").x);
  const ChartLayout L = chart_layout(pos, wmax, opts, legend_w, fs);

  int64_t x_lo = 0, x_hi = 1;
  chart_x_range(series, n, opts, &x_lo, &x_hi);
  const YRange yr = chart_y_range(series, n, opts, x_lo, x_hi);
  ChartScale sc;
  sc.x = TimeAxis{x_lo, x_hi, L.plot_min.x, L.plot_max.x};
  sc.y_lo = yr.lo;
  sc.y_hi = yr.hi;
  sc.y_top = L.plot_min.y;
  sc.y_bottom = L.plot_max.y;
  sc.y_scale = opts.y_scale;

  // Title and legend.
  if (opts.title && L.show_title)
    add_text_clipped(dl, {L.plot_min.x, L.title_y}, text_col, opts.title, nullptr,
                     ImVec4(pos.x, pos.y, wmax.x, wmax.y));
  for (size_t i = 0; i < L.legend_pos.size(); ++i) {
    const ChartSeries& s = series[i];
    const int si = static_cast<int>(i);
    const ImVec2 p = L.legend_pos[i];
    const float cy = p.y + L.legend_entry_h * 0.5f;
    const ImVec2 seg[2] = {{p.x + 1.0f, cy}, {p.x + sample_w - 1.0f, cy}};
    add_dashed_polyline(dl, seg, 2, color_of(s, si), s.thickness, dash_of(s, si));
    add_point_shape(dl, {p.x + sample_w * 0.5f, cy}, fs * 0.22f, shape_of(s, si), color_of(s, si));
    add_text_clipped(dl, {p.x + sample_w + 4.0f, p.y + 1.0f}, text_col, s.label ? s.label : "",
                     nullptr, ImVec4(pos.x, pos.y, wmax.x, wmax.y));
  }

  // Plot frame, y grid and labels.
  dl->AddRectFilled(L.plot_min, L.plot_max, with_alpha(ImGui::GetColorU32(ImGuiCol_FrameBg), 0.5f));
  const int y_dec = yr.ticks.decimals;
  for (size_t i = 0; i < yr.ticks.values.size(); ++i) {
    const double v = yr.ticks.values[i];
    const float y = sc.to_screen(x_lo, v / (opts.y_scale != 0.0 ? opts.y_scale : 1.0)).y;
    dl->AddLine({L.plot_min.x, y}, {L.plot_max.x, y}, grid_col, 1.0f);
    char buf[48];
    const bool top = i + 1 == yr.ticks.values.size();
    format_value(buf, sizeof buf, v, y_dec, top ? opts.y_unit : nullptr);
    const float w = ImGui::CalcTextSize(buf).x;
    const float ly = std::clamp(y - fs * 0.5f, pos.y, wmax.y - fs);
    add_text_clipped(dl, {std::max(pos.x + 2.0f, L.plot_min.x - 4.0f - w), ly}, dim_col, buf,
                     nullptr, ImVec4(pos.x, pos.y, L.plot_min.x - 2.0f, wmax.y));
  }
  draw_time_axis(dl, sc.x, L.plot_max.y, L.plot_min.y, pos.x, wmax.x, dim_col, grid_col);

  // Series.
  bool any_data = false;
  std::vector<ImVec2> pts;
  for (int i = 0; i < n; ++i) {
    const ChartSeries& s = series[i];
    pts.clear();
    chart_decimate(s, sc, x_lo, x_hi, &pts);
    if (pts.empty()) continue;
    any_data = true;
    const float inset = s.thickness * 0.5f + 1.0f;
    for (ImVec2& p : pts) p.y = std::clamp(p.y, L.plot_min.y + inset, L.plot_max.y - inset);
    const ImU32 col = color_of(s, i);
    draw_clipped(dl, pts, L.plot_min.x + inset, L.plot_max.x - inset, col, s.thickness, dash_of(s, i));
    // Shapes every ~70 px along the line (and on every point when sparse), so a series can be
    // identified where lines cross even in grey scale.
    const float r = fs * 0.22f;
    float last_x = -1e30f;
    for (size_t k = 0; k < pts.size(); ++k) {
      const ImVec2 p = pts[k];
      if (p.x < L.plot_min.x + r + 1.0f || p.x > L.plot_max.x - r - 1.0f) continue;
      if (p.x - last_x < fs * 4.5f) continue;
      add_point_shape(dl, {p.x, std::clamp(p.y, L.plot_min.y + r + 1.0f, L.plot_max.y - r - 1.0f)},
                      r, shape_of(s, i), col);
      last_x = p.x;
    }
  }
  if (!any_data) {
    const char* msg = "no data yet";
    const ImVec2 ts = ImGui::CalcTextSize(msg);
    add_text_clipped(dl, {(L.plot_min.x + L.plot_max.x - ts.x) * 0.5f, (L.plot_min.y + L.plot_max.y - ts.y) * 0.5f},
                     dim_col, msg, nullptr, ImVec4(L.plot_min.x, L.plot_min.y, L.plot_max.x, L.plot_max.y));
  }

  // Event markers on the time axis.
  h.marker = draw_markers(dl, sc.x, markers, n_markers, L.plot_min.y, L.plot_max.y, pos.x,
                          wmax.x, item_hovered ? mouse : ImVec2(-1e9f, -1e9f),
                          MarkerPlacement{true, 2});  // the top has headroom, data sits low
  dl->AddRect(L.plot_min, L.plot_max, grid_col);

  // Hover read-out: a vertical line at the nearest sample and every series' value there.
  const bool in_plot = item_hovered && mouse.x >= L.plot_min.x && mouse.x <= L.plot_max.x &&
                       mouse.y >= L.plot_min.y && mouse.y <= L.plot_max.y;
  h.hovered = in_plot;
  int64_t cursor = -1;
  if (in_plot) {
    cursor = nearest_sample_time(series, n, sc.x.t_at(mouse.x), x_lo, x_hi);
    h.time_us = cursor >= 0 ? cursor : sc.x.t_at(mouse.x);
  } else if (opts.cursor_time_us >= x_lo && opts.cursor_time_us <= x_hi) {
    cursor = nearest_sample_time(series, n, opts.cursor_time_us, x_lo, x_hi);
  }
  if (cursor >= 0) {
    const float cx = sc.x.x_of(cursor);
    dl->AddLine({cx, L.plot_min.y}, {cx, L.plot_max.y}, with_alpha(text_col, 0.7f), 1.0f);
    struct Row { int series; double value; };
    std::vector<Row> rows;
    for (int i = 0; i < n; ++i) {
      const int k = nearest_point(series[i], cursor);
      if (k < 0) continue;
      const SeriesPoint& p = series[i].points[k];
      rows.push_back({i, p.value * opts.y_scale});
      ImVec2 sp = sc.to_screen(p.t, p.value);
      if (sp.x < L.plot_min.x || sp.x > L.plot_max.x) continue;
      sp.y = std::clamp(sp.y, L.plot_min.y + 5.0f, L.plot_max.y - 5.0f);
      dl->AddCircle(sp, 4.0f, color_of(series[i], i), 10, 2.0f);
    }
    if (in_plot) {
      // The box sits in the top corner away from the mouse.
      char buf[96];
      format_value(buf, sizeof buf, static_cast<double>(cursor) / 1e6, 3, "s");
      char tline[112];
      std::snprintf(tline, sizeof tline, "t = %s", buf);
      float bw = ImGui::CalcTextSize(tline).x;
      std::vector<std::string> texts;
      const int dec = std::min(3, y_dec + 1);
      for (const Row& r : rows) {
        char vb[64];
        format_value(vb, sizeof vb, r.value, dec, opts.y_unit);
        std::string line = std::string(series[r.series].label ? series[r.series].label : "") + ": " + vb;
        bw = std::max(bw, sample_w + 4.0f + ImGui::CalcTextSize(line.c_str()).x);
        texts.push_back(std::move(line));
      }
      const float line_h = fs + 2.0f;
      const ImVec2 bsz(bw + 12.0f, line_h * static_cast<float>(1 + rows.size()) + 8.0f);
      const bool right = mouse.x < (L.plot_min.x + L.plot_max.x) * 0.5f;
      ImVec2 b0(right ? L.plot_max.x - bsz.x - 4.0f : L.plot_min.x + 4.0f, L.plot_min.y + 4.0f);
      b0.x = std::max(b0.x, L.plot_min.x + 1.0f);
      const ImVec2 b1(std::min(b0.x + bsz.x, L.plot_max.x - 1.0f), std::min(b0.y + bsz.y, L.plot_max.y - 1.0f));
      const ImVec4 clip(b0.x, b0.y, b1.x, b1.y);
      dl->AddRectFilled(b0, b1, with_alpha(ImGui::GetColorU32(ImGuiCol_PopupBg), 0.92f), 3.0f);
      dl->AddRect(b0, b1, grid_col, 3.0f);
      add_text_clipped(dl, {b0.x + 6.0f, b0.y + 4.0f}, text_col, tline, nullptr, clip);
      for (size_t k = 0; k < rows.size(); ++k) {
        const int si = rows[k].series;
        const float y = b0.y + 4.0f + line_h * static_cast<float>(k + 1);
        if (y + line_h > b1.y) break;
        const ImVec2 seg[2] = {{b0.x + 6.0f, y + line_h * 0.5f}, {b0.x + 6.0f + sample_w, y + line_h * 0.5f}};
        add_dashed_polyline(dl, seg, 2, color_of(series[si], si), 2.0f, dash_of(series[si], si));
        add_point_shape(dl, {b0.x + 6.0f + sample_w * 0.5f, y + line_h * 0.5f}, fs * 0.2f,
                        shape_of(series[si], si), color_of(series[si], si));
        add_text_clipped(dl, {b0.x + 10.0f + sample_w, y}, text_col, texts[k].c_str(), nullptr, clip);
      }
    }
  }
  if (h.marker >= 0) {
    char tb[48];
    format_value(tb, sizeof tb, static_cast<double>(markers[h.marker].t_us) / 1e6, 3, "s");
    ImGui::SetTooltip("%s", format_msg(tr("%s at %s"), marker_kind_name(markers[h.marker].kind), tb)
                               .append(markers[h.marker].label ? std::string(": ") + markers[h.marker].label : std::string())
                               .c_str());
  }
  dl->PopClipRect();
  return h.hovered;
}

}  // namespace topo::ui
