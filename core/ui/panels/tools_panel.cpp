// The Tools tab: failures, network, scaling, deployments and the model's own Actions, each issued as a Command.
#include "models/services/services.h"
#include "ui/lab_app_internal.h"

namespace topo::ui {

using namespace detail;

void LabApp::draw_tools() {
  World* wp = world();
  if (!wp) return;
  World& w = *wp;
  auto issue = [&](Command c) { apply(c); };
  ImGui::TextWrapped("Every tool issues a Command; the Event log lists them.");

  // ---- Network: partition picker, latency and loss of every link ----
  ImGui::SeparatorText("Network");
  tool_group_.resize(w.nodes().size(), 0);
  ImGui::TextWrapped("Partition: tick the nodes of one side.");
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
  if (ImGui::Button("Partition")) issue({"partition", {{"groups", side}}});
  if (side.empty()) ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Heal")) issue({"heal", {}});
  ImGui::SetNextItemWidth(140);
  ImGui::SliderFloat("latency ms", &tool_link_latency_ms_, 0.0f, 200.0f, "%.0f");
  ImGui::SetNextItemWidth(140);
  ImGui::SliderFloat("loss", &tool_link_loss_, 0.0f, 0.5f, "%.2f");
  if (ImGui::Button("Apply to every link")) {
    char lat[32], loss[32];
    std::snprintf(lat, sizeof lat, "%g", static_cast<double>(tool_link_latency_ms_));
    std::snprintf(loss, sizeof loss, "%g", static_cast<double>(tool_link_loss_));
    issue({"set_link", {{"latency_ms", lat}, {"loss", loss}}});
  }

  // ---- Actions: every other Command kind of the world (upgrade, quorum.set, transfer.fail, ...) ----
  // (Folded in a service world, whose own tools below come first.)
  if (ImGui::CollapsingHeader("Actions", w.find_model<svc::ServicesModel>() ? 0 : ImGuiTreeNodeFlags_DefaultOpen))
    command_form("##actions", w, actions_form_, [&](const Command& c) { return apply(c); });

  // ---- Services: scaling, autoscaler, deployments, faults, load, resilience per edge ----
  auto* model = w.find_model<svc::ServicesModel>();
  if (!model) return;
  const svc::Graph& g = model->graph();
  struct Pick { std::string system, service; const svc::DeployableRt* dep; };
  std::vector<Pick> picks;
  for (const auto& sys : g.systems)
    for (const auto& d : sys.deps) picks.push_back({g.multi() ? sys.name : "", d.spec.name, &d});
  if (picks.empty()) return;
  tool_service_ = std::clamp(tool_service_, 0, static_cast<int>(picks.size()) - 1);
  ImGui::SeparatorText("Service");
  auto label_of = [&](const Pick& p) { return p.system.empty() ? p.service : p.system + "/" + p.service; };
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##service", label_of(picks[static_cast<size_t>(tool_service_)]).c_str())) {
    for (size_t i = 0; i < picks.size(); ++i)
      if (ImGui::Selectable(label_of(picks[i]).c_str(), static_cast<int>(i) == tool_service_)) tool_service_ = static_cast<int>(i);
    ImGui::EndCombo();
  }
  const Pick& p = picks[static_cast<size_t>(tool_service_)];
  auto cmd = [&](std::string op, std::map<std::string, std::string> args) {
    args["service"] = p.service;
    if (!p.system.empty()) args["system"] = p.system;
    return Command{std::move(op), std::move(args)};
  };
  int ready = 0;
  for (const auto& r : p.dep->replicas) ready += r.state == svc::RState::Ready;
  ImGui::Text("replicas: %d wanted, %d ready, version %s", p.dep->desired, ready, p.dep->version.c_str());
  if (ImGui::Button("-1 replica") && p.dep->desired > 1) issue(cmd("scale", {{"replicas", std::to_string(p.dep->desired - 1)}}));
  ImGui::SameLine();
  if (ImGui::Button("+1 replica")) issue(cmd("scale", {{"replicas", std::to_string(p.dep->desired + 1)}}));
  ImGui::SameLine();
  bool autoscale = p.dep->autoscale_on;
  if (ImGui::Checkbox("autoscaler", &autoscale)) issue(cmd("autoscale", {{"on", autoscale ? "on" : "off"}}));

  ImGui::SetNextItemWidth(140);
  ImGui::SliderFloat("x slower", &tool_slow_, 1.0f, 50.0f, "%.0f");
  ImGui::SameLine();
  if (ImGui::Button("Slow")) {
    char f[32];
    std::snprintf(f, sizeof f, "%g", static_cast<double>(tool_slow_));
    issue(cmd("slow", {{"factor", f}}));
  }
  ImGui::SameLine();
  if (ImGui::Button("Normal")) issue(cmd("slow", {{"factor", "1"}}));
  if (ImGui::Button("Crash loop")) issue(cmd("fault", {{"kind", "crash_loop"}}));
  ImGui::SameLine();
  if (ImGui::Button("Errors 30%")) issue(cmd("fault", {{"kind", "errors"}}));
  ImGui::SameLine();
  if (ImGui::Button("No fault")) issue(cmd("fault", {{"kind", "none"}}));

  ImGui::SeparatorText("Deploy a new version");
  static const char* kStrategies[] = {"rolling", "canary", "bluegreen"};
  ImGui::SetNextItemWidth(140);
  ImGui::Combo("strategy", &tool_strategy_, kStrategies, 3);
  ImGui::SetNextItemWidth(140);
  ImGui::SliderFloat("its error rate", &tool_error_rate_, 0.0f, 1.0f, "%.2f");
  ImGui::SetNextItemWidth(140);
  ImGui::SliderFloat("its latency x", &tool_latency_factor_, 0.5f, 10.0f, "%.1f");
  const std::string next_version = "v" + std::to_string(p.dep->versions.size() + 1);
  if (ImGui::Button(("Deploy " + next_version).c_str())) {
    char er[32], lf[32];
    std::snprintf(er, sizeof er, "%g", static_cast<double>(tool_error_rate_));
    std::snprintf(lf, sizeof lf, "%g", static_cast<double>(tool_latency_factor_));
    issue(cmd("deploy", {{"version", next_version}, {"strategy", kStrategies[tool_strategy_]}, {"error_rate", er}, {"latency_factor", lf}}));
  }
  ImGui::SameLine();
  if (ImGui::Button("Roll back")) issue(cmd("rollback", {}));
  ImGui::TextDisabled("deployment: %s", p.dep->deploy.status.c_str());

  // Edges of the chosen service's system.
  const svc::SystemRt* sys = nullptr;
  for (const auto& s2 : g.systems)
    if (p.system.empty() || s2.name == p.system) { sys = &s2; break; }
  if (!sys || sys->edges.empty()) return;
  ImGui::SeparatorText("Calls between services");
  tool_edge_ = std::clamp(tool_edge_, 0, static_cast<int>(sys->edges.size()) - 1);
  auto edge_label = [](const svc::EdgeRt& e) { return e.from + " -> " + e.to; };
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##edge", edge_label(sys->edges[static_cast<size_t>(tool_edge_)]).c_str())) {
    for (size_t i = 0; i < sys->edges.size(); ++i)
      if (ImGui::Selectable(edge_label(sys->edges[i]).c_str(), static_cast<int>(i) == tool_edge_)) tool_edge_ = static_cast<int>(i);
    ImGui::EndCombo();
  }
  const svc::EdgeRt& e = sys->edges[static_cast<size_t>(tool_edge_)];
  const svc::EdgePolicy pol = e.effective();
  auto edge_cmd = [&](std::map<std::string, std::string> args) {
    args["from"] = e.from;
    args["to"] = e.to;
    if (!p.system.empty()) args["system"] = p.system;
    issue(Command{"resilience", std::move(args)});
  };
  ImGui::Text("breaker: %s", to_string(e.breaker.state()));
  bool timeout_on = pol.timeout_us > 0;
  if (ImGui::Checkbox("timeout 500 ms", &timeout_on)) edge_cmd({{"timeout_ms", timeout_on ? "500" : "0"}});
  bool retries_on = pol.retries > 0;
  if (ImGui::Checkbox("3 retries", &retries_on)) edge_cmd({{"retries", retries_on ? "3" : "0"}});
  bool breaker_on = pol.breaker;
  if (ImGui::Checkbox("circuit breaker", &breaker_on)) edge_cmd({{"breaker", breaker_on ? "on" : "off"}});
  bool bulkhead_on = pol.bulkhead > 0;
  if (ImGui::Checkbox("bulkhead (10 calls)", &bulkhead_on)) edge_cmd({{"bulkhead", bulkhead_on ? "10" : "0"}});
  bool fallback_on = pol.fallback;
  if (ImGui::Checkbox("fallback", &fallback_on)) edge_cmd({{"fallback", fallback_on ? "on" : "off"}});
}

}  // namespace topo::ui
