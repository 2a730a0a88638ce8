// Client-history diagram (see history_view.h): lane/bar layout as pure logic, then drawing with
// ImDrawList and a hover tooltip.
#include "ui/widgets/history_view.h"
#include "ui/tr.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace topo::ui {
namespace {

constexpr float kMinBarPx = 3.0f;
constexpr float kBarGapPx = 1.0f;
constexpr float kLanePad = 4.0f;

bool is_open_ended(const HistoryOp& op) {
  return op.complete_us < 0 || op.outcome == HistOutcome::Unknown;
}

void x_range(const HistoryOp* ops, int n, const HistoryViewOptions& o, int64_t* lo, int64_t* hi) {
  if (o.x_max_us > o.x_min_us) {
    *lo = o.x_min_us;
    *hi = o.x_max_us;
    return;
  }
  int64_t b = 0;
  for (int i = 0; i < n; ++i) b = std::max({b, ops[i].invoke_us, ops[i].complete_us});
  *lo = 0;
  *hi = b > 0 ? b : 1000000;
}

ImU32 kind_color(HistOpKind k) {
  switch (k) {
    case HistOpKind::Read: return okabe_ito::sky_blue;
    case HistOpKind::Write: return okabe_ito::orange;
    case HistOpKind::Cas: return okabe_ito::green;
    case HistOpKind::Other: return okabe_ito::purple;
  }
  return okabe_ito::purple;
}

const char* kind_name(HistOpKind k) {
  switch (k) {
    case HistOpKind::Read: return tr("read");
    case HistOpKind::Write: return tr("write");
    case HistOpKind::Cas: return "cas";
    case HistOpKind::Other: return "op";
  }
  return "op";
}

}  // namespace

std::string history_op_label(const HistoryOp& op, const char* arrow) {
  if (!op.label.empty()) return op.label;
  switch (op.kind) {
    case HistOpKind::Read:
      return "r " + op.key + arrow + (op.value.empty() ? std::string("?") : op.value);
    case HistOpKind::Write:
      return "w " + op.key + "=" + op.value;
    case HistOpKind::Cas:
      return "cas " + op.key + " " + op.value;
    case HistOpKind::Other:
      return op.key.empty() ? op.value : op.key + " " + op.value;
  }
  return op.key;
}

HistoryLayout history_layout(const HistoryOp* ops, int n, const HistoryViewOptions& opts,
                             ImVec2 min, ImVec2 max, float fs) {
  HistoryLayout L;
  float gl = opts.gutter_left >= 0.0f ? opts.gutter_left : fs * 4.5f;
  float gr = opts.gutter_right >= 0.0f ? opts.gutter_right : fs;
  const float room = std::max(0.0f, (max.x - min.x) - 20.0f);
  if (gl + gr > room) {
    const float k = room / (gl + gr);
    gl *= k;
    gr *= k;
  }
  const float row_h = opts.row_height > 0.0f ? opts.row_height : fs + 8.0f;
  const float axis_h = opts.show_axis ? fs + 6.0f : 0.0f;
  const float band_h = (opts.markers && opts.n_markers > 0) ? fs + 6.0f : 0.0f;
  int64_t lo = 0, hi = 1;
  x_range(ops, n, opts, &lo, &hi);
  L.plot_min = ImVec2(min.x + gl, min.y + 2.0f);
  L.plot_max = ImVec2(std::max(L.plot_min.x + 1.0f, max.x - gr), L.plot_min.y);
  L.axis = TimeAxis{lo, hi, L.plot_min.x, L.plot_max.x};

  // Ops per client, in time order.
  std::map<int, std::vector<int>> by_client;
  for (int i = 0; i < n; ++i) by_client[ops[i].client].push_back(i);
  const float y_limit = max.y - axis_h - band_h - 2.0f;
  float y = L.plot_min.y;
  for (auto& [client, idx] : by_client) {
    std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) { return ops[a].invoke_us < ops[b].invoke_us; });
    struct Placed { int op; int row; float x0, x1, solid; bool open; };
    std::vector<Placed> placed;
    std::vector<float> row_end;
    const int max_rows = std::max(1, opts.max_subrows);
    for (int i : idx) {
      const HistoryOp& op = ops[i];
      const bool open = is_open_ended(op);
      const int64_t end_t = open ? hi : std::max(op.complete_us, op.invoke_us);
      if (end_t < lo || op.invoke_us > hi) continue;  // outside the window
      float x0 = std::max(L.axis.x_of(std::max(op.invoke_us, lo)), L.plot_min.x);
      float x1 = std::min(L.axis.x_of(std::min(end_t, hi)), L.plot_max.x);
      if (x1 - x0 < kMinBarPx) x1 = x0 + kMinBarPx;
      if (x1 > L.plot_max.x) {
        x1 = L.plot_max.x;
        x0 = std::max(L.plot_min.x, x1 - kMinBarPx);
      }
      float solid = x0;
      if (open && op.complete_us >= 0)
        solid = std::clamp(L.axis.x_of(op.complete_us), x0, x1);
      int row = -1;
      for (size_t r = 0; r < row_end.size(); ++r)
        if (row_end[r] + kBarGapPx <= x0) { row = static_cast<int>(r); break; }
      if (row < 0) {
        if (static_cast<int>(row_end.size()) < max_rows) {
          row_end.push_back(-1e30f);
          row = static_cast<int>(row_end.size()) - 1;
        } else {  // all rows busy: share the row that frees up first
          row = static_cast<int>(std::min_element(row_end.begin(), row_end.end()) - row_end.begin());
        }
      }
      row_end[static_cast<size_t>(row)] = std::max(row_end[static_cast<size_t>(row)], x1);
      placed.push_back({i, row, x0, x1, solid, open});
    }
    HistoryLane lane;
    lane.client = client;
    lane.subrows = std::max(1, static_cast<int>(row_end.size()));
    const float lane_h = lane.subrows * row_h + kLanePad;
    if (y + lane_h > y_limit) {
      ++L.hidden_lanes;
      continue;
    }
    lane.y0 = y;
    lane.y1 = y + lane_h;
    const int lane_index = static_cast<int>(L.lanes.size());
    L.lanes.push_back(lane);
    for (const Placed& p : placed) {
      HistoryBar b;
      b.op = p.op;
      b.lane = lane_index;
      b.subrow = p.row;
      const float top = lane.y0 + kLanePad * 0.5f + p.row * row_h + 1.0f;
      b.min = ImVec2(p.x0, top);
      b.max = ImVec2(p.x1, top + row_h - 3.0f);
      b.solid_max_x = p.solid;
      b.open_ended = p.open;
      L.bars.push_back(b);
    }
    y = lane.y1;
  }
  if (L.lanes.empty()) y += row_h + kLanePad;  // room for "no operations yet"
  L.plot_max.y = y + band_h;
  return L;
}

float history_view_height(const HistoryOp* ops, int n, const HistoryViewOptions& opts,
                          float width, float fs) {
  const HistoryLayout L = history_layout(ops, n, opts, ImVec2(0, 0), ImVec2(width, 1e9f), fs);
  return L.plot_max.y + (opts.show_axis ? fs + 6.0f : 0.0f) + 2.0f;
}

int history_hit_test(const HistoryLayout& layout, ImVec2 p) {
  // Later bars are drawn on top: search backwards.
  for (size_t i = layout.bars.size(); i-- > 0;) {
    const HistoryBar& b = layout.bars[i];
    if (p.x >= b.min.x && p.x < b.max.x && p.y >= b.min.y && p.y < b.max.y) return b.op;
  }
  return -1;
}

bool history_view(const char* id, ImVec2 size, const HistoryOp* ops, int n,
                  const HistoryViewOptions& opts, HistoryHover* hover) {
  HistoryHover local;
  HistoryHover& h = hover ? *hover : local;
  h = HistoryHover{};
  const float fs = ImGui::GetFontSize();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (size.x <= 0.0f) size.x = avail.x + size.x;
  size.x = std::max(size.x, 60.0f);
  if (size.y == 0.0f) size.y = history_view_height(ops, n, opts, size.x, fs);
  else if (size.y < 0.0f) size.y = avail.y + size.y;
  size.y = std::max(size.y, fs * 2.0f);
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const bool pressed = ImGui::InvisibleButton(id, size);
  const bool item_hovered = ImGui::IsItemHovered();
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const ImVec2 wmax(pos.x + size.x, pos.y + size.y);
  const HistoryLayout L = history_layout(ops, n, opts, pos, wmax, fs);

  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(pos, wmax, true);
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 dim_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const ImU32 grid_col = with_alpha(ImGui::GetColorU32(ImGuiCol_Border), 0.6f);
  const ImU32 stripe = with_alpha(ImGui::GetColorU32(ImGuiCol_FrameBg), 0.45f);
  const ImU32 warn = okabe_ito::vermillion;
  const char* arrow = ImGui::GetFont()->FindGlyphNoFallback(0x2192) ? "\xE2\x86\x92" : "->";

  // Lanes: alternating stripes, label in the gutter.
  for (size_t i = 0; i < L.lanes.size(); ++i) {
    const HistoryLane& lane = L.lanes[i];
    if (i % 2 == 0) dl->AddRectFilled(ImVec2(L.plot_min.x, lane.y0), ImVec2(L.plot_max.x, lane.y1), stripe);
    char name[64];
    std::snprintf(name, sizeof name, opts.client_label ? opts.client_label : "%d", lane.client);
    const float tw = ImGui::CalcTextSize(name).x;
    const float ty = (lane.y0 + lane.y1 - fs) * 0.5f;
    add_text_clipped(dl, ImVec2(std::max(pos.x + 2.0f, L.plot_min.x - 6.0f - tw), ty), text_col, name, nullptr,
                     ImVec4(pos.x, lane.y0, L.plot_min.x - 2.0f, lane.y1));
  }
  if (L.lanes.empty()) {
    const char* msg = "no operations yet";
    add_text_clipped(dl, ImVec2(L.plot_min.x + 4.0f, L.plot_min.y + 4.0f), dim_col, msg, nullptr,
                     ImVec4(L.plot_min.x, L.plot_min.y, L.plot_max.x, L.plot_max.y));
  }
  if (L.hidden_lanes > 0) {
    char more[48];
    std::snprintf(more, sizeof more, "+%d more", L.hidden_lanes);
    add_text_clipped(dl, ImVec2(pos.x + 2.0f, L.plot_max.y - fs), dim_col, more, nullptr,
                     ImVec4(pos.x, pos.y, L.plot_min.x - 2.0f, wmax.y));
  }
  if (opts.show_axis)
    draw_time_axis(dl, L.axis, L.plot_max.y, L.plot_min.y, pos.x, wmax.x, dim_col, with_alpha(grid_col, 0.5f));

  const bool in_plot = item_hovered && mouse.x >= L.plot_min.x && mouse.x <= L.plot_max.x &&
                       mouse.y >= L.plot_min.y && mouse.y <= L.plot_max.y;
  h.hovered = in_plot;
  if (in_plot) {
    h.time_us = L.axis.t_at(mouse.x);
    h.op = history_hit_test(L, mouse);
    if (pressed) h.clicked_op = h.op;
  }

  // Bars.
  for (const HistoryBar& b : L.bars) {
    const HistoryOp& op = ops[b.op];
    const ImU32 c = kind_color(op.kind);
    const bool hot = b.op == h.op;
    const float fill_a = op.outcome == HistOutcome::Fail ? 0.12f : (hot ? 0.6f : 0.4f);
    if (b.open_ended) {
      // Known part solid, then hatching to the end of the axis: it may take effect any time.
      if (b.solid_max_x > b.min.x) dl->AddRectFilled(b.min, ImVec2(b.solid_max_x, b.max.y), with_alpha(c, fill_a));
      dl->AddRectFilled(ImVec2(b.solid_max_x, b.min.y), b.max, with_alpha(c, 0.12f));
      add_hatch(dl, ImVec2(b.solid_max_x, b.min.y), b.max, with_alpha(c, 0.7f), 6.0f, 1.0f);
      dl->AddLine(ImVec2(b.min.x + 0.5f, b.min.y + 0.5f), ImVec2(b.max.x - 1.0f, b.min.y + 0.5f), c, 1.0f);
      dl->AddLine(ImVec2(b.min.x + 0.5f, b.max.y - 0.5f), ImVec2(b.max.x - 1.0f, b.max.y - 0.5f), c, 1.0f);
      dl->AddLine(ImVec2(b.min.x + 0.5f, b.min.y + 0.5f), ImVec2(b.min.x + 0.5f, b.max.y - 0.5f), c, 1.0f);
    } else {
      dl->AddRectFilled(b.min, b.max, with_alpha(c, fill_a), 2.0f);
      dl->AddRect(b.min, b.max, c, 2.0f, 0, 1.0f);
    }
    if (op.outcome == HistOutcome::Fail && b.max.x - b.min.x > 8.0f) {
      // A cross at the end: the op did not happen.
      const float r = std::min(4.0f, (b.max.y - b.min.y) * 0.3f);
      add_marker_glyph(dl, ImVec2(b.max.x - r - 2.0f, (b.min.y + b.max.y) * 0.5f), r, MarkerKind::Crash, c);
    }
    float text_x = b.min.x + 4.0f;
    if (op.flagged) {
      dl->AddRect(ImVec2(b.min.x + 1.0f, b.min.y + 1.0f), ImVec2(b.max.x - 1.0f, b.max.y - 1.0f), warn, 2.0f, 0, 2.5f);
      const float r = (b.max.y - b.min.y) * 0.32f;
      if (b.max.x - b.min.x > 2.0f * r + 6.0f) {
        add_warning_icon(dl, ImVec2(b.min.x + 3.0f + r, (b.min.y + b.max.y) * 0.5f), r, warn, IM_COL32(255, 255, 255, 255));
        text_x += 2.0f * r + 2.0f;
      }
    }
    if (hot) dl->AddRect(b.min, b.max, text_col, 2.0f, 0, 1.0f);
    // Label, clipped to the bar (left out when nothing readable fits).
    const float right = (op.outcome == HistOutcome::Fail ? b.max.x - 12.0f : b.max.x - 3.0f);
    if (right - text_x > fs * 0.8f) {
      const std::string label = history_op_label(op, arrow);
      add_text_clipped(dl, ImVec2(text_x, (b.min.y + b.max.y - fs) * 0.5f), text_col, label.c_str(), nullptr,
                       ImVec4(text_x, b.min.y, right, b.max.y));
    }
  }

  // Event markers and the linked cursor.
  const float band_bottom = L.plot_max.y;
  const int marker = draw_markers(dl, L.axis, opts.markers, opts.n_markers, L.plot_min.y, band_bottom,
                                  pos.x, wmax.x, item_hovered ? mouse : ImVec2(-1e9f, -1e9f),
                                  MarkerPlacement{false, 1});  // flags in the band under the lanes
  const int64_t cursor = in_plot ? h.time_us : opts.cursor_time_us;
  if (cursor >= L.axis.t0_us && cursor <= L.axis.t1_us) {
    const float cx = L.axis.x_of(cursor);
    dl->AddLine(ImVec2(cx, L.plot_min.y), ImVec2(cx, L.plot_max.y), with_alpha(text_col, 0.6f), 1.0f);
  }
  dl->PopClipRect();

  // Tooltip (its own window, outside the widget's draw list).
  if (h.op >= 0) {
    const HistoryOp& op = ops[h.op];
    char a[48], b[48], d[48];
    format_value(a, sizeof a, static_cast<double>(op.invoke_us) / 1e6, 3, "s");
    ImGui::BeginTooltip();
    char who[64];
    std::snprintf(who, sizeof who, opts.client_label ? opts.client_label : "%d", op.client);
    ImGui::Text("%s: %s  (%s)", who, history_op_label(op, arrow).c_str(), kind_name(op.kind));
    if (op.complete_us >= 0) {
      format_value(b, sizeof b, static_cast<double>(op.complete_us) / 1e6, 3, "s");
      format_value(d, sizeof d, static_cast<double>(op.complete_us - op.invoke_us) / 1e3, 1, "ms");
      ImGui::Text(tr("invoked %s, completed %s (%s)"), a, b, d);
    } else {
      ImGui::Text(tr("invoked %s, no response yet"), a);
    }
    const char* outcome = op.outcome == HistOutcome::Ok ? "ok" : op.outcome == HistOutcome::Fail ? "failed (no effect)"
                                                                                                   : "unknown: it may take effect at any later time";
    ImGui::Text(tr("outcome: %s"), outcome);
    if (op.flagged) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(warn), "(!) %s", op.note.empty() ? "flagged by the checker" : op.note.c_str());
    ImGui::EndTooltip();
  } else if (marker >= 0) {
    ImGui::SetTooltip("%s%s%s", marker_kind_name(opts.markers[marker].kind), opts.markers[marker].label ? ": " : "",
                      opts.markers[marker].label ? opts.markers[marker].label : "");
  }
  return item_hovered;
}

}  // namespace topo::ui
