// Shared widget pieces: palette, ticks, the time axis, event markers and ImDrawList helpers
// (see draw_util.h).
#include "ui/widgets/draw_util.h"
#include "ui/tr.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace topo::ui {

// ---- Palette ---------------------------------------------------------------------------------

ImU32 series_color(int i) {
  // Yellow is hard to see on a light background: there it moves to the end of the cycle.
  static const ImU32 kDark[] = {okabe_ito::orange, okabe_ito::sky_blue, okabe_ito::green,
                                okabe_ito::yellow, okabe_ito::vermillion, okabe_ito::purple,
                                okabe_ito::blue};
  static const ImU32 kLight[] = {okabe_ito::orange, okabe_ito::sky_blue, okabe_ito::green,
                                 okabe_ito::blue, okabe_ito::vermillion, okabe_ito::purple,
                                 okabe_ito::yellow};
  const int n = static_cast<int>(sizeof(kDark) / sizeof(kDark[0]));
  const int k = (i < 0 ? 0 : i) % (n + 1);
  if (k == n) return ImGui::GetColorU32(ImGuiCol_Text);
  const ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
  const bool light = bg.x * 0.299f + bg.y * 0.587f + bg.z * 0.114f > 0.5f;
  return light ? kLight[k] : kDark[k];
}

LineDash series_dash(int i) {
  static const LineDash kDash[] = {LineDash::Solid, LineDash::Dashed, LineDash::Dotted,
                                   LineDash::DashDot};
  return kDash[(i < 0 ? 0 : i) % 4];
}

PointShape series_shape(int i) {
  static const PointShape kShape[] = {PointShape::Circle, PointShape::Square,
                                      PointShape::Triangle, PointShape::Diamond,
                                      PointShape::Cross};
  return kShape[(i < 0 ? 0 : i) % 5];
}

ImU32 with_alpha(ImU32 c, float alpha) {
  const float a = static_cast<float>((c >> IM_COL32_A_SHIFT) & 0xFF) * std::clamp(alpha, 0.0f, 1.0f);
  return (c & ~IM_COL32_A_MASK) | (static_cast<ImU32>(a + 0.5f) << IM_COL32_A_SHIFT);
}

// ---- Markers ---------------------------------------------------------------------------------

const char* marker_kind_name(MarkerKind k) {
  switch (k) {
    case MarkerKind::Crash: return tr("crash");
    case MarkerKind::Restart: return tr("restart");
    case MarkerKind::Deploy: return tr("deploy");
    case MarkerKind::Rollback: return tr("rollback");
    case MarkerKind::Partition: return tr("partition");
    case MarkerKind::Heal: return tr("heal");
    case MarkerKind::Fault: return tr("fault");
    case MarkerKind::Note: return tr("note");
  }
  return tr("note");
}

ImU32 marker_color(MarkerKind k) {
  switch (k) {
    case MarkerKind::Crash: return okabe_ito::vermillion;
    case MarkerKind::Restart: return okabe_ito::green;
    case MarkerKind::Deploy: return okabe_ito::sky_blue;
    case MarkerKind::Rollback: return okabe_ito::orange;
    case MarkerKind::Partition: return okabe_ito::purple;
    case MarkerKind::Heal: return okabe_ito::green;
    case MarkerKind::Fault: return okabe_ito::yellow;
    case MarkerKind::Note: return ImGui::GetColorU32(ImGuiCol_Text);
  }
  return ImGui::GetColorU32(ImGuiCol_Text);
}

void add_marker_glyph(ImDrawList* dl, ImVec2 c, float r, MarkerKind k, ImU32 col) {
  const float t = std::max(1.0f, r * 0.35f);
  switch (k) {
    case MarkerKind::Crash:
      dl->AddLine({c.x - r, c.y - r}, {c.x + r, c.y + r}, col, t);
      dl->AddLine({c.x - r, c.y + r}, {c.x + r, c.y - r}, col, t);
      break;
    case MarkerKind::Restart:
      dl->AddCircle(c, r - t * 0.5f, col, 12, t);
      break;
    case MarkerKind::Deploy:
      dl->AddTriangleFilled({c.x, c.y - r}, {c.x + r, c.y + r}, {c.x - r, c.y + r}, col);
      break;
    case MarkerKind::Rollback:
      dl->AddTriangleFilled({c.x - r, c.y - r}, {c.x + r, c.y - r}, {c.x, c.y + r}, col);
      break;
    case MarkerKind::Partition:
      dl->AddRectFilled({c.x - r, c.y - r}, {c.x - r + t * 1.2f, c.y + r}, col);
      dl->AddRectFilled({c.x + r - t * 1.2f, c.y - r}, {c.x + r, c.y + r}, col);
      dl->AddLine({c.x - r * 0.4f, c.y}, {c.x + r * 0.4f, c.y}, col, 1.0f);
      break;
    case MarkerKind::Heal:
      dl->AddRectFilled({c.x - t * 0.6f, c.y - r}, {c.x + t * 0.6f, c.y + r}, col);
      dl->AddRectFilled({c.x - r, c.y - t * 0.6f}, {c.x + r, c.y + t * 0.6f}, col);
      break;
    case MarkerKind::Fault:
      dl->AddQuadFilled({c.x, c.y - r}, {c.x + r, c.y}, {c.x, c.y + r}, {c.x - r, c.y}, col);
      break;
    case MarkerKind::Note:
      dl->AddRectFilled({c.x - r * 0.8f, c.y - r * 0.8f}, {c.x + r * 0.8f, c.y + r * 0.8f}, col);
      break;
  }
}

std::vector<int> stack_labels(const std::vector<float>& x0, const std::vector<float>& w,
                              float gap_px, int max_rows) {
  std::vector<int> rows(x0.size(), -1);
  std::vector<float> row_end(static_cast<size_t>(std::max(1, max_rows)), -1e30f);
  for (size_t i = 0; i < x0.size(); ++i) {
    for (size_t r = 0; r < row_end.size(); ++r) {
      if (x0[i] >= row_end[r] + gap_px) {
        rows[i] = static_cast<int>(r);
        row_end[r] = x0[i] + w[i];
        break;
      }
    }
  }
  return rows;
}

// ---- Ticks -----------------------------------------------------------------------------------

Ticks nice_ticks(double lo, double hi, int max_count) {
  Ticks t;
  if (!std::isfinite(lo) || !std::isfinite(hi)) return t;
  if (lo > hi) std::swap(lo, hi);
  if (max_count < 2) max_count = 2;
  if (hi - lo <= 0.0) {
    t.values.push_back(lo);
    return t;
  }
  const double raw = (hi - lo) / max_count;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  static const double kMult[] = {1.0, 2.0, 5.0};
  double step = 0.0;
  for (int e = 0; e < 64 && step == 0.0; ++e, mag *= 10.0) {
    for (double m : kMult) {
      const double s = m * mag;
      const double i0 = std::ceil(lo / s - 1e-9);
      const double i1 = std::floor(hi / s + 1e-9);
      if (i1 - i0 + 1.0 <= max_count) {
        step = s;
        break;
      }
    }
  }
  if (step == 0.0) return t;
  t.step = step;
  const double i0 = std::ceil(lo / step - 1e-9);
  const double i1 = std::floor(hi / step + 1e-9);
  for (double i = i0; i <= i1; i += 1.0) {
    double v = i * step;
    if (std::fabs(v) < step * 1e-9) v = 0.0;
    t.values.push_back(v);
  }
  t.decimals = step >= 1.0 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  return t;
}

void format_value(char* buf, int buf_size, double value, int decimals, const char* unit) {
  if (buf_size <= 0) return;
  decimals = std::clamp(decimals, 0, 9);
  const double half_ulp = 0.5 * std::pow(10.0, -decimals);
  if (std::fabs(value) < half_ulp) value = 0.0;  // no "-0.0"
  if (unit && *unit)
    std::snprintf(buf, static_cast<size_t>(buf_size), "%.*f %s", decimals, value, unit);
  else
    std::snprintf(buf, static_cast<size_t>(buf_size), "%.*f", decimals, value);
}

// ---- Time axis -------------------------------------------------------------------------------

float TimeAxis::x_of(int64_t t_us) const {
  const double span = static_cast<double>(std::max<int64_t>(1, t1_us - t0_us));
  return x0 + static_cast<float>(static_cast<double>(t_us - t0_us) / span * (x1 - x0));
}

int64_t TimeAxis::t_at(float x) const {
  if (x1 <= x0) return t0_us;
  const double f = std::clamp(static_cast<double>(x - x0) / static_cast<double>(x1 - x0), 0.0, 1.0);
  return t0_us + static_cast<int64_t>(std::llround(f * static_cast<double>(t1_us - t0_us)));
}

float time_axis_height() { return ImGui::GetFontSize() + 6.0f; }

void draw_time_axis(ImDrawList* dl, const TimeAxis& axis, float y, float grid_top,
                    float clip_x0, float clip_x1, ImU32 text_col, ImU32 grid_col) {
  const float fs = ImGui::GetFontSize();
  const int max_count = std::max(2, static_cast<int>((axis.x1 - axis.x0) / (fs * 5.0f)));
  const Ticks ticks = nice_ticks(static_cast<double>(axis.t0_us) / 1e6,
                                 static_cast<double>(axis.t1_us) / 1e6, max_count);
  const ImVec4 clip(clip_x0, y, clip_x1, y + time_axis_height());
  for (double v : ticks.values) {
    const float x = axis.x_of(static_cast<int64_t>(std::llround(v * 1e6)));
    if (grid_top < y) dl->AddLine({x, grid_top}, {x, y}, grid_col, 1.0f);
    dl->AddLine({x, y}, {x, y + 4.0f}, text_col, 1.0f);
    char buf[48];
    format_value(buf, sizeof buf, v, ticks.decimals, "s");
    const float w = ImGui::CalcTextSize(buf).x;
    float lx = std::clamp(x - w * 0.5f, clip_x0, clip_x1 - w);
    add_text_clipped(dl, {lx, y + 4.0f}, text_col, buf, nullptr, clip);
  }
}

int draw_markers(ImDrawList* dl, const TimeAxis& axis, const ChartMarker* markers, int n,
                 float top, float bottom, float clip_x0, float clip_x1, ImVec2 mouse,
                 MarkerPlacement placement) {
  if (!markers || n <= 0) return -1;
  const float fs = ImGui::GetFontSize();
  const float row_h = fs + 4.0f;
  const float r = fs * 0.3f;
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 bg = ImGui::GetColorU32(ImGuiCol_WindowBg);
  // Flag geometry: [glyph][label] in a small box whose left edge sits on the pole.
  std::vector<float> x0s, ws;
  std::vector<int> visible;
  for (int i = 0; i < n; ++i) {
    const float x = axis.x_of(markers[i].t_us);
    if (markers[i].t_us < axis.t0_us || markers[i].t_us > axis.t1_us) continue;
    const char* label = markers[i].label ? markers[i].label : marker_kind_name(markers[i].kind);
    const float w = 2.0f * r + 6.0f + ImGui::CalcTextSize(label).x + 4.0f;
    float fx = x;
    if (fx + w > clip_x1) fx = std::max(clip_x0, x - w);  // flag points left at the right edge
    x0s.push_back(fx);
    ws.push_back(w);
    visible.push_back(i);
  }
  // Stack flags (in time order) in up to 2 rows; a flag that fits nowhere keeps only its glyph.
  std::vector<size_t> order(visible.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return x0s[a] < x0s[b]; });
  std::vector<float> sx0, sw;
  for (size_t k : order) { sx0.push_back(x0s[k]); sw.push_back(ws[k]); }
  const int max_rows = std::max(1, std::min(placement.max_rows, static_cast<int>((bottom - top) / row_h) - 1));
  const std::vector<int> srows = stack_labels(sx0, sw, 2.0f, max_rows);
  int hovered = -1;
  for (size_t s = 0; s < order.size(); ++s) {
    const size_t k = order[s];
    const ChartMarker& m = markers[visible[k]];
    const float x = axis.x_of(m.t_us);
    const ImU32 col = marker_color(m.kind);
    // A flag wider than the room keeps only its glyph (the tooltip still names it).
    const bool fits = x0s[k] >= clip_x0 && x0s[k] + ws[k] <= clip_x1 && bottom - top >= row_h + 2.0f;
    const int row = fits ? srows[s] : -1;
    const float rr = static_cast<float>(row < 0 ? 0 : row) * row_h;
    const float fy0 = placement.at_top ? top + 1.0f + rr : bottom - 1.0f - rr - row_h + 2.0f;
    const float fy1 = fy0 + row_h - 2.0f;
    // Pole: dashed line across the plot, from the flag to the far edge.
    const ImVec2 pole[2] = {{x, placement.at_top ? fy0 : top}, {x, placement.at_top ? bottom : fy1}};
    add_dashed_polyline(dl, pole, 2, with_alpha(col, 0.8f), 1.0f, LineDash::Dashed);
    const ImVec2 gc(row < 0 ? x : x0s[k] + r + 3.0f, (fy0 + fy1) * 0.5f);
    if (row >= 0) {
      const ImVec2 a(x0s[k], fy0), b(x0s[k] + ws[k], fy1);
      dl->AddRectFilled(a, b, with_alpha(bg, 0.85f), 2.0f);
      dl->AddRect(a, b, col, 2.0f, 0, 1.0f);
      const char* label = m.label ? m.label : marker_kind_name(m.kind);
      add_text_clipped(dl, {gc.x + r + 4.0f, fy0 + (row_h - 2.0f - fs) * 0.5f}, text_col, label,
                       nullptr, ImVec4(a.x, a.y, b.x, b.y));
      if (mouse.x >= a.x && mouse.x < b.x && mouse.y >= a.y && mouse.y < b.y) hovered = visible[k];
    } else if (std::fabs(mouse.x - x) <= r + 2.0f && mouse.y >= fy0 && mouse.y < fy1) {
      hovered = visible[k];
    }
    add_marker_glyph(dl, gc, r, m.kind, col);
  }
  return hovered;
}

// ---- Drawing helpers -------------------------------------------------------------------------

void add_dashed_polyline(ImDrawList* dl, const ImVec2* pts, int n, ImU32 col, float thickness,
                         LineDash dash) {
  if (n < 2) return;
  if (dash == LineDash::Solid || dash == LineDash::Auto) {
    dl->AddPolyline(pts, n, col, ImDrawFlags_None, thickness);
    return;
  }
  // Pattern as alternating on/off lengths, in units of max(1, thickness).
  static const float kDashed[] = {6.0f, 4.0f};
  static const float kDotted[] = {1.5f, 3.0f};
  static const float kDashDot[] = {6.0f, 3.0f, 1.5f, 3.0f};
  const float* pat = kDashed;
  int np = 2;
  if (dash == LineDash::Dotted) { pat = kDotted; np = 2; }
  if (dash == LineDash::DashDot) { pat = kDashDot; np = 4; }
  const float unit = std::max(1.0f, thickness) * 1.5f;
  int pi = 0;
  float left = pat[0] * unit;  // length left in the current pattern piece
  for (int i = 0; i + 1 < n; ++i) {
    ImVec2 a = pts[i];
    const ImVec2 b = pts[i + 1];
    float seg = std::sqrt((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y));
    if (seg <= 0.0f) continue;
    const ImVec2 dir((b.x - a.x) / seg, (b.y - a.y) / seg);
    while (seg > 0.0f) {
      const float d = std::min(seg, left);
      const ImVec2 e(a.x + dir.x * d, a.y + dir.y * d);
      if ((pi % 2) == 0) dl->AddLine(a, e, col, thickness);
      a = e;
      seg -= d;
      left -= d;
      if (left <= 0.0f) {
        pi = (pi + 1) % np;
        left = pat[pi] * unit;
      }
    }
  }
}

void add_point_shape(ImDrawList* dl, ImVec2 c, float r, PointShape shape, ImU32 col) {
  switch (shape) {
    case PointShape::Auto:
    case PointShape::None:
      break;
    case PointShape::Circle:
      dl->AddCircleFilled(c, r, col, 8);
      break;
    case PointShape::Square:
      dl->AddRectFilled({c.x - r * 0.85f, c.y - r * 0.85f}, {c.x + r * 0.85f, c.y + r * 0.85f}, col);
      break;
    case PointShape::Triangle:
      dl->AddTriangleFilled({c.x, c.y - r}, {c.x + r, c.y + r * 0.8f}, {c.x - r, c.y + r * 0.8f}, col);
      break;
    case PointShape::Diamond:
      dl->AddQuadFilled({c.x, c.y - r}, {c.x + r, c.y}, {c.x, c.y + r}, {c.x - r, c.y}, col);
      break;
    case PointShape::Cross:
      dl->AddLine({c.x - r, c.y - r}, {c.x + r, c.y + r}, col, 1.5f);
      dl->AddLine({c.x - r, c.y + r}, {c.x + r, c.y - r}, col, 1.5f);
      break;
  }
}

void add_hatch(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float spacing_px, float thickness) {
  if (b.x <= a.x || b.y <= a.y || spacing_px <= 0.5f) return;
  // Lines x - y = c (going down-right); clip each to the rectangle. The inset keeps the
  // thickness (and anti-aliasing fringe) inside.
  const float in = thickness * 0.5f + 1.0f;
  const float x0 = a.x + in, y0 = a.y + in, x1 = b.x - in, y1 = b.y - in;
  if (x1 <= x0 || y1 <= y0) return;
  const float cmin = x0 - y1, cmax = x1 - y0;
  // Anchor the pattern to absolute coordinates so it does not crawl when the rect moves.
  float c = std::ceil(cmin / spacing_px) * spacing_px;
  for (; c <= cmax; c += spacing_px) {
    // Intersect x = y + c with the rect.
    float ya = std::max(y0, x0 - c), yb = std::min(y1, x1 - c);
    if (yb <= ya) continue;
    dl->AddLine({ya + c, ya}, {yb + c, yb}, col, thickness);
  }
}

void add_warning_icon(ImDrawList* dl, ImVec2 c, float r, ImU32 fill, ImU32 mark) {
  const ImVec2 p0(c.x, c.y - r), p1(c.x + r, c.y + r * 0.8f), p2(c.x - r, c.y + r * 0.8f);
  dl->AddTriangleFilled(p0, p1, p2, fill);
  const float t = std::max(1.0f, r * 0.22f);
  dl->AddRectFilled({c.x - t * 0.5f, c.y - r * 0.45f}, {c.x + t * 0.5f, c.y + r * 0.25f}, mark);
  dl->AddRectFilled({c.x - t * 0.5f, c.y + r * 0.4f}, {c.x + t * 0.5f, c.y + r * 0.4f + t}, mark);
}

void add_text_clipped(ImDrawList* dl, ImVec2 pos, ImU32 col, const char* begin, const char* end,
                      const ImVec4& clip) {
  if (!begin) return;
  if (!end) end = begin + std::strlen(begin);
  if (clip.z <= clip.x || clip.w <= clip.y) return;
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), pos, col, begin, end, 0.0f, &clip);
}

}  // namespace topo::ui
