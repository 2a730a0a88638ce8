// The Charts tab (see charts_panel.h).
#include "ui/panels/charts_panel.h"

#include <algorithm>
#include <map>
#include <utility>

#include "imgui.h"
#include "ui/tr.h"

namespace topo::ui {

void pick_charts(ChartsPanelState& st, std::vector<std::string> kinds) {
  st.pick = std::move(kinds);
  ++st.pick_generation;
}

MarkerKind marker_kind_for_event(const std::string& kind) {
  if (kind == "breaker_open") return MarkerKind::Fault;
  if (kind == "crash") return MarkerKind::Crash;
  if (kind == "failover") return MarkerKind::Restart;
  return MarkerKind::Note;   // "leader", ...
}

void draw_charts_panel(const World& w, ChartsPanelState& st, MarkerKindFor kind_for_op) {
  st.drawn.clear();
  st.open.clear();
  st.markers = 0;
  std::map<std::string, std::vector<std::pair<std::string, const std::vector<SeriesPoint>*>>> kinds;
  for (const auto& [name, pts] : w.metrics().all_series())
    kinds[series_kind(name)].emplace_back(series_subject(name), &pts);
  if (kinds.empty()) {
    ImGui::TextWrapped(tr("This world records no time series yet."));
    return;
  }
  // The picked charts first, in the lesson's order; then the rest by name.
  std::vector<std::string> order;
  for (const auto& k : st.pick)
    if (kinds.count(k) && std::find(order.begin(), order.end(), k) == order.end()) order.push_back(k);
  for (const auto& [k, list] : kinds)
    if (std::find(order.begin(), order.end(), k) == order.end()) order.push_back(k);
  const bool apply_pick = st.applied_generation != st.pick_generation;
  st.applied_generation = st.pick_generation;

  // Markers: what the learner or the lesson did (the command log) and what the models did.
  std::vector<ChartMarker> markers;
  std::vector<std::string> labels;
  const auto& log = w.command_log();
  const auto& events = w.metrics().events();
  labels.reserve(log.size() + events.size());   // no reallocation: markers point into it
  for (const auto& lc : log) {
    labels.push_back(lc.cmd.arg("node", lc.cmd.arg("service", lc.cmd.op)));
    markers.push_back({lc.at, kind_for_op ? kind_for_op(lc.cmd.op) : MarkerKind::Note, labels.back().c_str()});
  }
  for (const auto& e : events) {
    labels.push_back(e.label);
    markers.push_back({e.t, marker_kind_for_event(e.kind), labels.back().c_str()});
  }
  std::stable_sort(markers.begin(), markers.end(),
                   [](const ChartMarker& a, const ChartMarker& b) { return a.t_us < b.t_us; });
  st.markers = markers.size();

  const int64_t cursor = st.hover.time_us;
  ChartHover next_hover;
  ImGui::BeginChild("charts");
  for (const auto& kind : order) {
    st.drawn.push_back(kind);
    if (apply_pick && !st.pick.empty()) {
      const bool picked = std::find(st.pick.begin(), st.pick.end(), kind) != st.pick.end();
      ImGui::SetNextItemOpen(picked, ImGuiCond_Always);
    }
    if (!ImGui::CollapsingHeader(kind.c_str(), ImGuiTreeNodeFlags_DefaultOpen)) continue;
    st.open.push_back(kind);
    const auto& list = kinds[kind];
    std::vector<ChartSeries> series(list.size());
    for (size_t i = 0; i < list.size(); ++i) {
      series[i].label = list[i].first.c_str();
      series[i].points = list[i].second->data();
      series[i].count = static_cast<int>(list[i].second->size());
    }
    ChartOptions o;
    o.x_min_us = std::max<Time>(0, w.now() - 60 * kSec);
    o.x_max_us = std::max<Time>(w.now(), 1);
    const bool unit_range = kind.find("rate") != std::string::npos || kind == "availability" ||
                            kind.find("fraction") != std::string::npos;
    if (unit_range) { o.y_fixed = true; o.y_min = 0; o.y_max = 1; }
    if (kind.size() > 3 && kind.compare(kind.size() - 3, 3, "_ms") == 0) o.y_unit = "ms";
    o.cursor_time_us = cursor;
    ChartHover h;
    chart(("##" + kind).c_str(), ImVec2(-1, 170), series.data(), static_cast<int>(series.size()), o,
          markers.data(), static_cast<int>(markers.size()), &h);
    if (h.hovered) next_hover = h;
  }
  ImGui::EndChild();
  st.hover = next_hover;
}

}  // namespace topo::ui
