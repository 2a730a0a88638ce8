// The Tools tab: failures, network, scaling, deployments and the model's own Actions, each issued as a Command.
#include "ui/lab_app_internal.h"
#include "ui/tr.h"

namespace topo::ui {

using namespace detail;

void LabApp::draw_tools() {
  World* wp = world();
  if (!wp) return;
  // A compare lesson: the tools act on the world picked here (both: the left one's names).
  const bool two = lesson_side(1) != nullptr;
  if (two) {
    ImGui::TextUnformatted(tr("Apply to:"));
    const char* const kWorlds[] = {"left", "right", "both"};
    const char* const kLabels[] = {N_("left"), N_("right"), N_("both")};
    for (int i = 0; i < 3; ++i) {
      ImGui::SameLine();
      if (ImGui::RadioButton(tr(kLabels[i]), tools_world_ == kWorlds[i])) {
        if (tools_world_ != kWorlds[i]) tool_group_.clear();
        tools_world_ = kWorlds[i];
      }
    }
    if (tools_world_ == "right") wp = lesson_side(1);
  }
  World& w = *wp;
  const CanvasView& view = two && tools_world_ == "right" ? twin_canvas_ : canvas_;
  auto issue = [&](Command c) { apply(c); };
  ImGui::TextWrapped(tr("Every tool issues a Command; the Event log lists them."));

  // ---- Network: partition picker, latency and loss of every link ----
  ImGui::SeparatorText(tr("Network"));
  tool_group_.resize(w.nodes().size(), 0);
  ImGui::TextWrapped(tr("Partition: tick the nodes of one side."));
  {
    // Flowed like words in a line: a tick box goes on the same line while it fits the panel
    // (node names such as "coordinator" or "notifications-2" vary a lot in width).
    const ImGuiStyle& st = ImGui::GetStyle();
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    for (size_t i = 0; i < w.nodes().size(); ++i) {
      const std::string& name = w.nodes()[i]->name;
      const float width = ImGui::GetFrameHeight() + st.ItemInnerSpacing.x + ImGui::CalcTextSize(name.c_str()).x;
      if (i > 0 && ImGui::GetItemRectMax().x + st.ItemSpacing.x + width <= right) ImGui::SameLine();
      bool on = tool_group_[i] != 0;
      if (ImGui::Checkbox((name + "##grp").c_str(), &on)) tool_group_[i] = on ? 1 : 0;
    }
  }
  std::string side;
  for (size_t i = 0; i < w.nodes().size(); ++i)
    if (tool_group_[i]) side += (side.empty() ? "" : ",") + w.nodes()[i]->name;
  if (side.empty()) ImGui::BeginDisabled();
  if (ImGui::Button(tr("Partition"))) issue({"partition", {{"groups", side}}});
  if (side.empty()) ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button(tr("Heal"))) issue({"heal", {}});
  ImGui::SetNextItemWidth(140);
  ImGui::SliderFloat(tr("latency ms"), &tool_link_latency_ms_, 0.0f, 200.0f, "%.0f");
  ImGui::SetNextItemWidth(140);
  ImGui::SliderFloat(tr("loss"), &tool_link_loss_, 0.0f, 0.5f, "%.2f");
  if (ImGui::Button(tr("Apply to every link"))) {
    char lat[32], loss[32];
    std::snprintf(lat, sizeof lat, "%g", static_cast<double>(tool_link_latency_ms_));
    std::snprintf(loss, sizeof loss, "%g", static_cast<double>(tool_link_loss_));
    issue({"set_link", {{"latency_ms", lat}, {"loss", loss}}});
  }

  // ---- Actions: every other Command kind of the world (upgrade, quorum.set, transfer.fail, ...) ----
  // (Folded in a service world, whose own tools below come first.)
  bool own_tools = false;
  for (const auto& p : view.painters) own_tools = own_tools || p->has_tools();
  if (ImGui::CollapsingHeader(tr("Actions"), own_tools ? 0 : ImGuiTreeNodeFlags_DefaultOpen))
    command_form("##actions", w, actions_form_, [&](const Command& c) { return apply(c); });

  // ---- What the world's model painters offer (the shop: scaling, deployments, faults, edges) ----
  for (auto& p : view.painters) p->draw_tools(w, issue);
}

}  // namespace topo::ui
