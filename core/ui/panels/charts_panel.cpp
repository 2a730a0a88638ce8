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

namespace {

/// A chart's title in words, for its series kind (the part of a series name after its subject:
/// `raft.availability` -> "availability"). The kind itself is what lessons name; it stays in the
/// title's tooltip.
const char* chart_title(const std::string& kind) {
  static const std::map<std::string, const char*> titles = {
      {"availability", N_("availability (share of requests answered)")},
      {"commits_per_s", N_("entries committed per second")},
      {"term", N_("term")},
      {"leader_count", N_("leaders")},
      {"nodes_up", N_("machines up")},
      {"messages_per_s", N_("messages delivered per second")},
      {"ops_per_s", N_("operations per second")},
      {"p99_ms", N_("p99 latency (ms)")},
      {"p50_ms", N_("median latency (ms)")},
      {"lost_writes", N_("acknowledged writes lost")},
      {"recent_stale_reads", N_("stale reads (last seconds)")},
      {"requests_per_s", N_("requests per second")},
      {"queue_max", N_("longest queue")},
      {"informed_fraction", N_("share of nodes informed")},
      {"committed_per_s", N_("transfers committed per second")},
      {"aborted_per_s", N_("transfers aborted per second")},
      {"in_doubt", N_("transfers in doubt")},
      {"tasks_done", N_("tasks done")},
      {"workers_alive", N_("workers alive")},
      {"divergence", N_("divergence from the server")},
      {"snapshot_age_ms", N_("snapshot age (ms)")},
      {"posts_per_s", N_("posts per second")},
      {"queue_depth", N_("queue depth")},
      {"read_latency_ms_p95", N_("p95 read latency (ms)")},
      {"replicas", N_("replicas")},
      {"queue", N_("requests queued")},
      {"error_rate", N_("error rate")},
      {"success_rate", N_("success rate")},
      {"rps", N_("requests per second")},
      {"in_system", N_("customers in the system")},
      {"served_per_s", N_("customers served per second")},
      {"mean_time_in_system_ms", N_("mean time in the system (ms)")},
  };
  auto it = titles.find(kind);
  return it == titles.end() ? kind.c_str() : tr(it->second);
}

/// A series' subject as the chart's legend shows it: the engine's and the clients' own words
/// translated, a model's, a service's or a node's name as it is.
std::string subject_label(const std::string& subject) {
  if (subject == "world") return tr("world");
  if (subject == "clients") return tr("clients");
  if (subject == "client") return tr("client");
  return subject;
}

/// A model event's marker label, translated: the labels install_default_series() and the
/// services' controller write ("leader n2", "no leader", "failover", "breaker A->B").
/// A model event's flag in the learner's language, from its kind and subject (never from the
/// core's English label, except for a kind this table does not know yet).
std::string event_label(const MetricEvent& e) {
  if (e.kind == "leader") return e.subject.empty() ? tr("no leader") : format_msg(tr("leader %s"), e.subject.c_str());
  if (e.kind == "failover") return tr("failover");
  if (e.kind == "breaker_open") return format_msg(tr("breaker open: %s"), e.subject.c_str());
  return e.label;
}

}  // namespace

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
    labels.push_back(event_label(e));
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
    // The title in words; the series kind (what a lesson's `chart` names) is its id and tooltip.
    const bool open = ImGui::CollapsingHeader((std::string(chart_title(kind)) + "###" + kind).c_str(), ImGuiTreeNodeFlags_DefaultOpen);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", kind.c_str());
    if (!open) continue;
    st.open.push_back(kind);
    const auto& list = kinds[kind];
    std::vector<ChartSeries> series(list.size());
    std::vector<std::string> subjects(list.size());   // no reallocation: series point into it
    for (size_t i = 0; i < list.size(); ++i) {
      subjects[i] = subject_label(list[i].first);
      series[i].label = subjects[i].c_str();
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
