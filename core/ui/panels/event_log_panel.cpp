// The Event log tab.
#include "ui/lab_app_internal.h"

namespace topo::ui {

using namespace detail;

void LabApp::draw_event_log() {
  if (world()) {
    // Model notes from the trace join the log (leader elected, commit, violation, ...).
    const World& w = *world();
    const Trace& tr = w.trace();
    const auto& evs = tr.events();
    uint64_t fresh = tr.count() - log_trace_seen_;
    size_t from = evs.size() > fresh ? evs.size() - static_cast<size_t>(fresh) : 0;
    for (size_t i = from; i < evs.size(); ++i) {
      const auto& e = evs[i];
      if (e.kind == TraceKind::Note || e.kind == TraceKind::Crash || e.kind == TraceKind::Restart) {
        std::string who = e.node >= 0 && static_cast<size_t>(e.node) < w.nodes().size() ? w.node(e.node).name + ": " : "";
        log_line("[" + fmt_time(e.t) + "] " + who + to_string(e.kind) + " " + e.what + (e.detail.empty() ? "" : " " + e.detail));
      }
    }
    log_trace_seen_ = tr.count();
  }
  ImGui::BeginChild("log_lines");
  for (const auto& l : log_) ImGui::TextWrapped("%s", l.c_str());
  if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 5.0f) ImGui::SetScrollHereY(1.0f);
  ImGui::EndChild();
}

}  // namespace topo::ui
