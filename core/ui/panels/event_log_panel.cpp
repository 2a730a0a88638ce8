// The Event log tab.
#include "models/narration.h"
#include "ui/lab_app_internal.h"

namespace topo::ui {

using namespace detail;

void LabApp::draw_event_log() {
  if (world()) {
    // What happens, in words (models/narration.h): the same lines the page's live region reads
    // out and `topolab-cli run --narrate` prints.
    if (const auto* n = world()->find_model<Narration>()) {
      for (const auto& l : n->lines_now(*world()))
        if (l.id > log_narration_seen_) {
          log_line("[" + fmt_time(l.t) + "] " + l.text);
          log_narration_seen_ = l.id;
        }
    }
  }
  ImGui::BeginChild("log_lines");
  for (const auto& l : log_) ImGui::TextWrapped("%s", l.c_str());
  if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 5.0f) ImGui::SetScrollHereY(1.0f);
  ImGui::EndChild();
}

}  // namespace topo::ui
