// Timeline scrubber and time controls (see timeline.h).
#include "ui/widgets/timeline.h"
#include "ui/tr.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace topo::ui {

// ---- Scrubber: pure logic --------------------------------------------------------------------

TimelineLayout timeline_layout(ImVec2 min, ImVec2 max, int64_t now_us, const TimelineOptions& opts,
                               float fs) {
  TimelineLayout l;
  l.min = min;
  l.max = max;
  float gl = opts.gutter_left >= 0.0f ? opts.gutter_left : fs * 0.5f;
  float gr = opts.gutter_right >= 0.0f ? opts.gutter_right : fs * 0.5f;
  const float room = std::max(0.0f, (max.x - min.x) - 20.0f);
  if (gl + gr > room) {
    const float k = room / (gl + gr);
    gl *= k;
    gr *= k;
  }
  l.end_us = std::max<int64_t>({now_us, opts.horizon_us, 1000000});
  const float top = min.y + 2.0f;
  l.marker_y = top + fs * 0.5f;
  const float track_h = std::max(6.0f, fs * 0.55f);
  l.track_min = ImVec2(min.x + gl, top + fs + 2.0f);
  l.track_max = ImVec2(std::max(l.track_min.x + 1.0f, max.x - gr), l.track_min.y + track_h);
  l.axis = TimeAxis{0, l.end_us, l.track_min.x, l.track_max.x};
  return l;
}

int64_t timeline_time_at(const TimelineLayout& l, float x, const TimelineOptions& opts) {
  // Snap to the nearest marker within snap_px.
  float best = opts.snap_px;
  int64_t snapped = -1;
  for (int i = 0; i < opts.n_markers && opts.markers; ++i) {
    const int64_t t = opts.markers[i].t_us;
    if (t < 0 || t > l.end_us) continue;
    const float d = std::fabs(l.axis.x_of(t) - x);
    if (d <= best) {
      best = d;
      snapped = t;
    }
  }
  if (snapped >= 0) return snapped;
  const int64_t t = l.axis.t_at(x);
  const int64_t ms = (t + 500) / 1000 * 1000;
  return std::clamp<int64_t>(ms, 0, l.end_us);
}

// ---- Scrubber: drawing -----------------------------------------------------------------------

bool timeline(const char* id, int64_t now_us, const TimelineOptions& opts, int64_t* requested_us,
              TimelineState* state) {
  TimelineState local;
  TimelineState& st = state ? *state : local;
  st = TimelineState{};
  const float fs = ImGui::GetFontSize();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  ImVec2 size(opts.width > 0.0f ? opts.width : avail.x + opts.width,
              opts.height > 0.0f ? opts.height : fs * 2.6f + 14.0f);
  size.x = std::max(size.x, 60.0f);
  size.y = std::max(size.y, fs * 2.6f + 14.0f);
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, size);
  const bool hovered = ImGui::IsItemHovered();
  const bool active = ImGui::IsItemActive();
  const bool released = ImGui::IsItemDeactivated();
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const ImVec2 wmax(pos.x + size.x, pos.y + size.y);
  const TimelineLayout L = timeline_layout(pos, wmax, now_us, opts, fs);

  bool result = false;
  if (active) {
    st.dragging = true;
    st.drag_time_us = timeline_time_at(L, mouse.x, opts);
    ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
  }
  if (released) {
    const int64_t t = timeline_time_at(L, mouse.x, opts);
    if (requested_us) *requested_us = t;
    result = true;
  }
  if (hovered) st.hover_time_us = timeline_time_at(L, mouse.x, opts);

  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(pos, wmax, true);
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 dim_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const ImU32 grid_col = with_alpha(ImGui::GetColorU32(ImGuiCol_Border), 0.6f);
  const float rounding = (L.track_max.y - L.track_min.y) * 0.5f;

  // Track: the past (0..now) filled, a reachable future (now..horizon) as a hatched ghost.
  const float now_x = L.axis.x_of(now_us);
  dl->AddRectFilled(L.track_min, L.track_max, ImGui::GetColorU32(ImGuiCol_FrameBg), rounding);
  dl->AddRectFilled(L.track_min, ImVec2(std::max(L.track_min.x, now_x), L.track_max.y),
                    with_alpha(ImGui::GetColorU32(ImGuiCol_SliderGrab), 0.55f), rounding);
  if (now_x < L.track_max.x - 2.0f)
    add_hatch(dl, ImVec2(now_x, L.track_min.y), L.track_max, with_alpha(text_col, 0.25f), 5.0f, 1.0f);
  dl->AddRect(L.track_min, L.track_max, grid_col, rounding);
  draw_time_axis(dl, L.axis, L.track_max.y + 1.0f, L.track_max.y + 1.0f, pos.x, wmax.x, dim_col, grid_col);

  // Markers: glyphs above the track with a tick down to it (labels on hover).
  const float r = fs * 0.3f;
  for (int i = 0; i < opts.n_markers && opts.markers; ++i) {
    const ChartMarker& m = opts.markers[i];
    if (m.t_us < 0 || m.t_us > L.end_us) continue;
    const float x = std::clamp(L.axis.x_of(m.t_us), pos.x + r + 1.0f, wmax.x - r - 1.0f);
    const ImU32 col = marker_color(m.kind);
    dl->AddLine(ImVec2(x, L.marker_y + r), ImVec2(x, L.track_max.y), with_alpha(col, 0.8f), 1.0f);
    add_marker_glyph(dl, ImVec2(x, L.marker_y), r, m.kind, col);
    if (hovered && std::fabs(mouse.x - x) <= r + 2.0f && mouse.y < L.track_max.y) st.hovered_marker = i;
  }

  // Handle at now (or where it is being dragged), with a time bubble while dragging/hovering.
  const int64_t handle_t = st.dragging ? st.drag_time_us : now_us;
  const float hx = std::clamp(L.axis.x_of(handle_t), L.track_min.x, L.track_max.x);
  const float hw = std::max(3.0f, fs * 0.28f);
  const ImVec2 h0(std::max(pos.x + 1.0f, hx - hw), L.track_min.y - 3.0f);
  const ImVec2 h1(std::min(wmax.x - 1.0f, hx + hw), L.track_max.y + 3.0f);
  dl->AddRectFilled(h0, h1, ImGui::GetColorU32(st.dragging ? ImGuiCol_SliderGrabActive : ImGuiCol_SliderGrab), 2.0f);
  dl->AddRect(h0, h1, text_col, 2.0f, 0, 1.0f);
  if (st.dragging) {
    // Ghost of where the world is now, so the jump back is visible.
    dl->AddLine(ImVec2(now_x, L.track_min.y - 2.0f), ImVec2(now_x, L.track_max.y + 2.0f), text_col, 1.0f);
  }
  if (st.dragging || (hovered && st.hovered_marker < 0)) {
    const int64_t t = st.dragging ? st.drag_time_us : st.hover_time_us;
    char buf[48], lbl[64];
    format_value(buf, sizeof buf, static_cast<double>(t) / 1e6, 3, "s");
    std::snprintf(lbl, sizeof lbl, st.dragging ? "rewind to %s" : "%s", buf);
    const ImVec2 ts = ImGui::CalcTextSize(lbl);
    const float bx = st.dragging ? hx : std::clamp(mouse.x, pos.x, wmax.x);
    const ImVec2 b0(std::clamp(bx - ts.x * 0.5f - 4.0f, pos.x + 1.0f, std::max(pos.x + 1.0f, wmax.x - ts.x - 9.0f)), pos.y + 1.0f);
    const ImVec2 b1(std::min(b0.x + ts.x + 8.0f, wmax.x - 1.0f), std::min(b0.y + fs + 2.0f, L.track_min.y - 4.0f));
    dl->AddRectFilled(b0, b1, with_alpha(ImGui::GetColorU32(ImGuiCol_PopupBg), 0.95f), 3.0f);
    add_text_clipped(dl, ImVec2(b0.x + 4.0f, b0.y + 1.0f), text_col, lbl, nullptr, ImVec4(b0.x, b0.y, b1.x, b1.y));
  }
  dl->PopClipRect();
  if (st.hovered_marker >= 0 && !st.dragging) {
    const ChartMarker& m = opts.markers[st.hovered_marker];
    char buf[48];
    format_value(buf, sizeof buf, static_cast<double>(m.t_us) / 1e6, 3, "s");
    ImGui::SetTooltip("%s", format_msg(tr("%s at %s"), marker_kind_name(m.kind), buf).append(m.label ? std::string(": ") + m.label : std::string()).c_str());
  }
  return result;
}

// ---- Time controls ---------------------------------------------------------------------------

namespace {
const double kStops[] = {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0};
constexpr int kNumStops = static_cast<int>(sizeof(kStops) / sizeof(kStops[0]));

enum class Icon { Play, Pause, Step };

void draw_icon(ImDrawList* dl, ImVec2 min, float s, Icon icon, ImU32 col) {
  switch (icon) {
    case Icon::Play:
      dl->AddTriangleFilled(min, ImVec2(min.x + s * 0.85f, min.y + s * 0.5f), ImVec2(min.x, min.y + s), col);
      break;
    case Icon::Pause:
      dl->AddRectFilled(min, ImVec2(min.x + s * 0.33f, min.y + s), col);
      dl->AddRectFilled(ImVec2(min.x + s * 0.6f, min.y), ImVec2(min.x + s * 0.93f, min.y + s), col);
      break;
    case Icon::Step:
      dl->AddTriangleFilled(min, ImVec2(min.x + s * 0.65f, min.y + s * 0.5f), ImVec2(min.x, min.y + s), col);
      dl->AddRectFilled(ImVec2(min.x + s * 0.7f, min.y), ImVec2(min.x + s * 0.92f, min.y + s), col);
      break;
  }
}

// A button with a drawn icon followed by its text label.
bool icon_button(const char* label, const char* id, Icon icon) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float fs = ImGui::GetFontSize();
  const float icon_w = fs * 0.8f;
  const ImVec2 ts = ImGui::CalcTextSize(label);
  const ImVec2 size(style.FramePadding.x * 2.0f + icon_w + 6.0f + ts.x, ImGui::GetFrameHeight());
  ImGui::PushID(id);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const bool pressed = ImGui::Button("##b", size);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 col = ImGui::GetColorU32(ImGuiCol_Text);
  const float y = p.y + (size.y - icon_w) * 0.5f;
  draw_icon(dl, ImVec2(p.x + style.FramePadding.x, y), icon_w, icon, col);
  dl->AddText(ImVec2(p.x + style.FramePadding.x + icon_w + 6.0f, p.y + style.FramePadding.y), col, label);
  ImGui::PopID();
  return pressed;
}
}  // namespace

int speed_stop_count() { return kNumStops; }

double speed_stop(int i) { return kStops[std::clamp(i, 0, kNumStops - 1)]; }

int speed_stop_index(double speed) {
  if (!(speed > 0.0)) return 0;
  int best = 0;
  double best_d = 1e300;
  for (int i = 0; i < kNumStops; ++i) {
    const double d = std::fabs(std::log(speed) - std::log(kStops[i]));
    if (d < best_d - 1e-12) {
      best_d = d;
      best = i;
    }
  }
  return best;
}

double speed_step(double speed, int dir) {
  if (dir == 0) return speed;
  if (dir > 0) {
    for (int i = 0; i < kNumStops; ++i)
      if (kStops[i] > speed * (1.0 + 1e-9)) return kStops[i];
    return kStops[kNumStops - 1];
  }
  for (int i = kNumStops - 1; i >= 0; --i)
    if (kStops[i] < speed * (1.0 - 1e-9)) return kStops[i];
  return kStops[0];
}

std::string speed_label(double speed) {
  char buf[32];
  if (speed >= 10.0) std::snprintf(buf, sizeof buf, "%.0f", speed);
  else if (speed >= 1.0) std::snprintf(buf, sizeof buf, "%.2f", speed);
  else std::snprintf(buf, sizeof buf, "%.3f", speed);
  // Trim trailing zeros ("0.500" -> "0.5", "2.00" -> "2").
  if (std::strchr(buf, '.')) {
    size_t n = std::strlen(buf);
    while (n > 0 && buf[n - 1] == '0') buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.') buf[--n] = '\0';
  }
  return std::string(buf) + "x";
}

unsigned time_controls(const char* id, bool* playing, double* speed, int64_t now_us) {
  unsigned ev = kTcNone;
  ImGui::PushID(id);
  if (icon_button(*playing ? "Pause" : "Play", "pp", *playing ? Icon::Pause : Icon::Play)) {
    *playing = !*playing;
    ev |= kTcPlayPause;
  }
  ImGui::SetItemTooltip("%s (Space)", *playing ? "Pause" : "Play");
  ImGui::SameLine();
  if (icon_button("Step", "step", Icon::Step)) ev |= kTcStep;
  ImGui::SetItemTooltip("Run the next event (Right arrow)");
  ImGui::SameLine();
  int idx = speed_stop_index(*speed);
  const std::string label = speed_label(*speed);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8.0f);
  if (ImGui::SliderInt("##speed", &idx, 0, kNumStops - 1, label.c_str(), ImGuiSliderFlags_NoInput)) {
    const double s = kStops[idx];
    if (s != *speed) {
      *speed = s;
      ev |= kTcSpeed;
    }
  }
  ImGui::SetItemTooltip("Speed: simulated time per real second (+/-)");
  ImGui::SameLine();
  char buf[48];
  format_value(buf, sizeof buf, static_cast<double>(now_us) / 1e6, 3, "s");
  ImGui::Text(tr("t = %s"), buf);
  ImGui::PopID();
  return ev;
}

}  // namespace topo::ui
