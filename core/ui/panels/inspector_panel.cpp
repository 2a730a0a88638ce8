// The Inspector tab: the selected node, with what the world's model painters add (a Raft server's log, ...).
#include "ui/lab_app_internal.h"
#include "ui/tr.h"

namespace topo::ui {

using namespace detail;

void LabApp::draw_inspector() {
  if (!world()) return;
  const World& w = *world();
  if (canvas_.selected < 0 || static_cast<size_t>(canvas_.selected) >= w.nodes().size()) {
    ImGui::TextWrapped(tr("Click a node to inspect it. Right-click a node to crash, restart or slow it."));
    ImGui::Separator();
    ImGui::Text("%s   %s", format_msg(trn("%zu node", "%zu nodes", static_cast<long>(w.nodes().size())), w.nodes().size()).c_str(),
                format_msg(trn("%zu message in flight", "%zu messages in flight", static_cast<long>(canvas_.in_flight)),
                           canvas_.in_flight).c_str());
    return;
  }
  const Node& n = w.node(canvas_.selected);
  ImGui::Text("%s", n.name.c_str());
  ImGui::TextDisabled("%s", n.role.c_str());
  ImGui::Separator();
  ImGui::Text(tr("status: %s"), to_string(n.status));
  ImGui::Text(tr("cpu speed: %.2fx"), n.cpu_speed);
  ImGui::Text(tr("version: %s"), n.version.c_str());
  ImGui::Text(tr("incarnation: %u"), n.incarnation);
  if (n.process) {
    if (ImGui::BeginTable("inspect", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
      for (auto& [k, v] : n.process->inspect()) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(k.c_str());
        ImGui::TableSetColumnIndex(1);
        ImGui::TextWrapped("%s", v.c_str());
      }
      ImGui::EndTable();
    }
  }
  for (auto& p : canvas_.painters) p->draw_inspector(w, n.id);   // what the model knows (a Raft server's log, ...)
}

}  // namespace topo::ui
