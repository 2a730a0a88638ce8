// The services painter: see services_painter.h.
#include "ui/painters/services_painter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <vector>

#include "models/services/services.h"
#include "ui/canvas.h"
#include "ui/geom.h"
#include "ui/style.h"
#include "ui/tr.h"

namespace topo::ui {

const char* to_string(Health h) {
  switch (h) {
    case Health::Idle: return N_("idle");
    case Health::Healthy: return N_("healthy");
    case Health::Degraded: return N_("degraded");
    case Health::Failing: return N_("failing");
  }
  return "?";
}

Health classify_health(double calls_per_s, double error_rate, double p99_ms, const std::string& breaker) {
  if (breaker == "open") return Health::Failing;
  if (calls_per_s <= 0.0) return breaker == "half_open" ? Health::Degraded : Health::Idle;
  if (error_rate >= kFailingErrorRate) return Health::Failing;
  if (error_rate >= kDegradedErrorRate || p99_ms >= kDegradedP99Ms || breaker == "half_open") return Health::Degraded;
  return Health::Healthy;
}

int particle_count(double rps) {
  if (!(rps > 0.0)) return 0;
  return std::clamp(static_cast<int>(std::lround(3.0 * std::log2(1.0 + rps) * 0.6 + 1.2)), 1, 24);
}

namespace {

/// Layered layout for service worlds: levels by call depth from the client (the gateway, the
/// services it calls, ...), one card per deployable with its replicas in rows of three inside,
/// one band per system (the shop and the monolith side by side). Depth runs downwards in a tall
/// pane and rightwards in a wide one, so the picture fills the pane it is drawn in. Returns false
/// when the world has no services.
void layout_services_as(const svc::Graph& g, CanvasView& v, bool vertical, size_t wrap) {
  v.groups.clear();
  v.vertical = vertical;
  constexpr float kPill = 0.32f;     // one replica slot
  constexpr int kPerRow = 3;
  constexpr float kTitle = 0.34f;    // the card's title strip
  constexpr float kBars = 0.30f;     // the card's CPU / queue strip
  constexpr float kPad = 0.08f;
  constexpr float kCardW = kPerRow * kPill + 2 * kPad;
  constexpr float kGapAlong = 0.40f;   // between cards of one level
  constexpr float kGapLevel = 0.80f;   // between levels (room for the edges and their marks)
  auto card_h = [&](size_t replicas) {
    const size_t rows = std::max<size_t>(1, (replicas + kPerRow - 1) / kPerRow);
    return kTitle + static_cast<float>(rows) * kPill + kBars + kPad;
  };
  float band_at = 0.0f;   // where the next band starts (x when vertical, y when horizontal)
  for (size_t si = 0; si < g.systems.size(); ++si) {
    const svc::SystemRt& sys = g.systems[si];
    std::vector<int> depth(sys.deps.size(), -1);
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& e : sys.edges) {
        int from_depth = e.from_module < 0 ? -1 : depth[static_cast<size_t>(sys.modules[static_cast<size_t>(e.from_module)].dep)];
        if (e.from_module >= 0 && from_depth < 0) continue;
        int& d = depth[static_cast<size_t>(e.to_dep)];
        if (d < 0 || from_depth + 1 < d) { d = from_depth + 1; changed = true; }
      }
    }
    int max_depth = 0;
    for (int d : depth) max_depth = std::max(max_depth, d);
    std::vector<std::vector<size_t>> levels(static_cast<size_t>(max_depth + 2));
    for (size_t i = 0; i < sys.deps.size(); ++i)
      levels[static_cast<size_t>(depth[i] < 0 ? max_depth + 1 : depth[i])].push_back(i);
    while (!levels.empty() && levels.back().empty()) levels.pop_back();
    // A level of more than `wrap` cards continues on the next line (row or column).
    std::vector<std::vector<size_t>> lines;
    for (const auto& lv : levels)
      for (size_t i = 0; i < lv.size(); i += wrap)
        lines.emplace_back(lv.begin() + static_cast<long>(i), lv.begin() + static_cast<long>(std::min(lv.size(), i + wrap)));
    levels.swap(lines);
    // The band's breadth: its widest level.
    float breadth = kCardW;
    for (const auto& lv : levels) {
      float b = 0.0f;
      for (size_t d : lv) b += (vertical ? kCardW : card_h(sys.deps[d].replicas.size())) + (b > 0 ? kGapAlong : 0.0f);
      breadth = std::max(breadth, b);
    }
    const float mid = band_at + breadth * 0.5f;
    auto place = [&](float along, float across) { return vertical ? ImVec2(along, across) : ImVec2(across, along); };
    if (sys.client != kNoNode && static_cast<size_t>(sys.client) < v.pos.size())
      v.pos[static_cast<size_t>(sys.client)] = place(mid, 0.0f);
    float level_at = 0.6f;   // the client sits at 0
    for (const auto& lv : levels) {
      float total = 0.0f, thick = 0.0f;
      for (size_t d : lv) {
        const float h = card_h(sys.deps[d].replicas.size());
        total += (vertical ? kCardW : h) + (total > 0 ? kGapAlong : 0.0f);
        thick = std::max(thick, vertical ? h : kCardW);
      }
      float along = mid - total * 0.5f;
      for (size_t d : lv) {
        const svc::DeployableRt& dep = sys.deps[d];
        const float h = card_h(dep.replicas.size());
        const float extent = vertical ? kCardW : h;
        // Card centre and top-left in (x, y) layout units.
        const ImVec2 c = vertical ? ImVec2(along + extent * 0.5f, level_at + h * 0.5f)
                                  : ImVec2(level_at + kCardW * 0.5f, along + extent * 0.5f);
        const ImVec2 tl(c.x - kCardW * 0.5f, c.y - h * 0.5f);
        for (size_t r = 0; r < dep.replicas.size(); ++r) {
          const NodeId id = dep.replicas[r].node;
          if (id < 0 || static_cast<size_t>(id) >= v.pos.size()) continue;
          const float col = static_cast<float>(r % kPerRow), row = static_cast<float>(r / kPerRow);
          v.pos[static_cast<size_t>(id)] = ImVec2(tl.x + kPad + (col + 0.5f) * kPill, tl.y + kTitle + (row + 0.5f) * kPill);
        }
        std::string label = g.multi() ? sys.name + "/" + dep.spec.name : dep.spec.name;
        v.groups.push_back({label, static_cast<int>(si), static_cast<int>(d), c.x, c.y, kCardW * 0.5f, h * 0.5f});
        along += extent + kGapAlong;
      }
      level_at += thick + kGapLevel;
    }
    band_at += breadth + 1.0f;
  }
}

/// Lays the services out in whichever orientation and line length (cards per row or column)
/// gives the largest picture in a pane of v.aspect (width / height): a wide pane gets depth
/// running rightwards, a tall one downwards, a short wide one (side by side) long levels folded
/// over two lines. Returns false when the world has no services.
bool layout_services(const World& w, CanvasView& v) {
  const auto* model = w.find_model<svc::ServicesModel>();
  if (!model) return false;
  const svc::Graph& g = model->graph();
  size_t widest = 1;
  for (const auto& sys : g.systems) widest = std::max(widest, sys.deps.size());
  float best = -1.0f;
  bool best_vertical = false;
  size_t best_wrap = widest;
  for (bool vertical : {false, true})
    for (size_t wrap = 1; wrap <= std::min<size_t>(widest, 6); ++wrap) {
      layout_services_as(g, v, vertical, wrap);
      float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
      for (const auto& gr : v.groups) {
        x0 = std::min(x0, gr.x - gr.half_w); x1 = std::max(x1, gr.x + gr.half_w);
        y0 = std::min(y0, gr.y - gr.half_h); y1 = std::max(y1, gr.y + gr.half_h);
      }
      // The scale a pane of height 1 and width `aspect` allows (a slight preference for the
      // reading direction of the pane breaks near-ties).
      const float scale = std::min(std::max(0.1f, v.aspect) / std::max(0.1f, x1 - x0 + 0.6f), 1.0f / std::max(0.1f, y1 - y0 + 0.6f)) *
                          ((vertical == (v.aspect < 1.15f)) ? 1.03f : 1.0f);
      if (scale > best) { best = scale; best_vertical = vertical; best_wrap = wrap; }
    }
  layout_services_as(g, v, best_vertical, best_wrap);
  v.wrap = best_wrap;
  return true;
}


ImU32 health_color(Health h, ImU32 text) {
  switch (h) {
    case Health::Healthy: return palette::green;
    case Health::Degraded: return palette::orange;
    case Health::Failing: return palette::vermillion;
    case Health::Idle: break;
  }
  return (text & 0x00FFFFFF) | 0x60000000;
}

std::string breaker_name(const svc::EdgeRt& e, Time now) {
  if (!e.effective().breaker) return "off";
  switch (e.breaker.state_at(now)) {
    case svc::BreakerState::Closed: return "closed";
    case svc::BreakerState::Open: return "open";
    case svc::BreakerState::HalfOpen: return "half_open";
  }
  return "off";
}

/// Points along the edge from a to b: a cubic curve that leaves the caller and enters the callee
/// along the layout's flow (down or right), so an edge to a card two rows away bends around the
/// cards between instead of crossing them.
std::vector<ImVec2> edge_curve(ImVec2 a, ImVec2 b, bool vertical, int n = 24) {
  std::vector<ImVec2> pts;
  const float k = vertical ? std::max(20.0f, (b.y - a.y) * 0.5f) : std::max(20.0f, (b.x - a.x) * 0.5f);
  const ImVec2 c1 = vertical ? ImVec2(a.x, a.y + k) : ImVec2(a.x + k, a.y);
  const ImVec2 c2 = vertical ? ImVec2(b.x, b.y - k) : ImVec2(b.x - k, b.y);
  for (int i = 0; i <= n; ++i) pts.push_back(iv(cubic_bezier(gv(a), gv(c1), gv(c2), gv(b), static_cast<float>(i) / static_cast<float>(n))));
  return pts;
}

/// The point at share t (0..1) of the polyline's length.
ImVec2 along(const std::vector<ImVec2>& pts, const std::vector<float>& cum, float t) {
  const float target = t * cum.back();
  const size_t i = static_cast<size_t>(std::lower_bound(cum.begin(), cum.end(), target) - cum.begin());
  if (i == 0) return pts.front();
  if (i >= pts.size()) return pts.back();
  const float seg = cum[i] - cum[i - 1];
  const float u = seg > 0 ? (target - cum[i - 1]) / seg : 0.0f;
  return iv(glm::mix(gv(pts[i - 1]), gv(pts[i]), u));
}

std::vector<float> lengths(const std::vector<ImVec2>& pts) {
  std::vector<float> cum(pts.size(), 0.0f);
  for (size_t i = 1; i < pts.size(); ++i) cum[i] = cum[i - 1] + glm::distance(gv(pts[i]), gv(pts[i - 1]));
  return cum;
}

/// The polyline: solid (healthy), long dashes (degraded), short dashes (failing).
void styled_line(ImDrawList* dl, const std::vector<ImVec2>& pts, const std::vector<float>& cum, ImU32 col, float width, Health h) {
  if (h == Health::Healthy || h == Health::Idle) {
    dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, 0, width);
    return;
  }
  const float dash = h == Health::Degraded ? 14.0f : 6.0f, gap = h == Health::Degraded ? 6.0f : 5.0f;
  const float len = cum.back();
  if (len < 1.0f) return;
  for (float s = 0.0f; s < len; s += dash + gap)
    dl->AddLine(along(pts, cum, s / len), along(pts, cum, std::min(len, s + dash) / len), col, width);
}

void health_mark(ImDrawList* dl, ImVec2 c, float s, Health h) {
  const ImU32 col = health_color(h, IM_COL32(160, 160, 160, 255));
  switch (h) {
    case Health::Healthy:   // a check mark
      dl->AddLine(ImVec2(c.x - s, c.y), ImVec2(c.x - s * 0.3f, c.y + s * 0.7f), col, 2.5f);
      dl->AddLine(ImVec2(c.x - s * 0.3f, c.y + s * 0.7f), ImVec2(c.x + s, c.y - s * 0.8f), col, 2.5f);
      break;
    case Health::Degraded:  // a warning triangle with "!"
      dl->AddTriangleFilled(ImVec2(c.x, c.y - s), ImVec2(c.x + s, c.y + s * 0.8f), ImVec2(c.x - s, c.y + s * 0.8f), col);
      dl->AddLine(ImVec2(c.x, c.y - s * 0.4f), ImVec2(c.x, c.y + s * 0.25f), IM_COL32(0, 0, 0, 255), 2.0f);
      dl->AddCircleFilled(ImVec2(c.x, c.y + s * 0.55f), 1.3f, IM_COL32(0, 0, 0, 255));
      break;
    case Health::Failing:   // a cross in a disc
      dl->AddCircleFilled(c, s, col, 16);
      dl->AddLine(ImVec2(c.x - s * 0.5f, c.y - s * 0.5f), ImVec2(c.x + s * 0.5f, c.y + s * 0.5f), IM_COL32(255, 255, 255, 255), 2.0f);
      dl->AddLine(ImVec2(c.x + s * 0.5f, c.y - s * 0.5f), ImVec2(c.x - s * 0.5f, c.y + s * 0.5f), IM_COL32(255, 255, 255, 255), 2.0f);
      break;
    case Health::Idle: dl->AddCircle(c, s * 0.7f, col, 12, 1.5f); break;
  }
}

ImVec2 text_size(float px, const std::string& s) { return ImGui::GetFont()->CalcTextSizeA(px, FLT_MAX, 0.0f, s.c_str()); }

void backed_text(ImDrawList* dl, float px, ImVec2 centre, ImU32 col, ImU32 backing, const std::string& s, ImU32 frame = 0) {
  const ImVec2 sz = text_size(px, s);
  const ImVec2 p(centre.x - sz.x / 2, centre.y - sz.y / 2);
  dl->AddRectFilled(ImVec2(p.x - 3, p.y - 1), ImVec2(p.x + sz.x + 3, p.y + sz.y + 1), backing, 3.0f);
  if (frame) dl->AddRect(ImVec2(p.x - 3, p.y - 1), ImVec2(p.x + sz.x + 3, p.y + sz.y + 1), frame, 3.0f, 0, 1.5f);
  dl->AddText(ImGui::GetFont(), px, p, col, s.c_str());
}

float dist_to_polyline(ImVec2 p, const std::vector<ImVec2>& pts) {
  float best = 1e9f;
  for (size_t i = 1; i < pts.size(); ++i) best = std::min(best, distance_to_segment(gv(p), gv(pts[i - 1]), gv(pts[i])));
  return best;
}

class ServicesPainter : public WorldPainter {
 public:
  explicit ServicesPainter(const svc::ServicesModel* m) : m_(m) {}

  bool draws_flows() const override { return true; }
  bool has_tools() const override { return true; }
  bool lays_out() const override { return true; }
  void layout(const World& w, CanvasView& v) override { layout_services(w, v); }

  void node_menu(const World& w, NodeId id, const std::function<bool(const char*)>& item,
                 const std::function<void(Command)>& issue, std::string* menu_service) override {
    const Node& n = w.node(id);
    const auto& nodes = w.nodes();
    // A replica of a service: service-level tools (scaling and deployments act on the service).
    const size_t colon = n.role.find(':');
    if (colon != std::string::npos && n.role.compare(0, colon, "service") == 0) {
        const std::string svc_name = n.role.substr(colon + 1);
        int replicas = 0;
        for (const auto& other : nodes) replicas += other->role == n.role && other->status == NodeStatus::Up;
        ImGui::Separator();
        ImGui::TextDisabled(tr("service %s (%d up)"), svc_name.c_str(), replicas);
        // In a world with several systems (shop and monolith), name the one this replica is in.
        std::string sys;
        const svc::Graph& graph = m_->graph();
        if (graph.multi())
          for (const auto& sr : graph.systems)
            for (const auto& d : sr.deps)
              for (const auto& rep : d.replicas)
                if (rep.node == n.id) sys = sr.name;
        auto with_sys = [&](Command c) {
          if (!sys.empty()) c.args["system"] = sys;
          return c;
        };
        if (item(N_("Scale up (+1 replica)")))
          issue(with_sys({"scale", {{"service", svc_name}, {"replicas", std::to_string(replicas + 1)}}}));
        if (replicas > 1 && item(N_("Scale down (-1 replica)")))
          issue(with_sys({"scale", {{"service", svc_name}, {"replicas", std::to_string(replicas - 1)}}}));
        if (item(N_("Slow the service x20"))) issue(with_sys({"slow", {{"service", svc_name}, {"factor", "20"}}}));
        if (item(N_("Service back to normal speed"))) issue(with_sys({"slow", {{"service", svc_name}, {"factor", "1"}}}));
        if (menu_service) *menu_service = svc_name;
      }
  }

  /// The Tools tab's service section: scaling, autoscaler, slowness and faults, deployments, load
  /// and resilience per edge, each issued as a Command.
  void draw_tools(const World& w, const std::function<void(Command)>& issue) override {
  (void)w;
  const svc::Graph& g = m_->graph();
  struct Pick { std::string system, service; const svc::DeployableRt* dep; };
  std::vector<Pick> picks;
  for (const auto& sys : g.systems)
    for (const auto& d : sys.deps) picks.push_back({g.multi() ? sys.name : "", d.spec.name, &d});
  if (picks.empty()) return;
  tool_service_ = std::clamp(tool_service_, 0, static_cast<int>(picks.size()) - 1);
  ImGui::SeparatorText(tr("Service"));
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
  ImGui::Text(tr("replicas: %d wanted, %d ready, version %s"), p.dep->desired, ready, p.dep->version.c_str());
  if (ImGui::Button(tr("-1 replica")) && p.dep->desired > 1) issue(cmd("scale", {{"replicas", std::to_string(p.dep->desired - 1)}}));
  ImGui::SameLine();
  if (ImGui::Button(tr("+1 replica"))) issue(cmd("scale", {{"replicas", std::to_string(p.dep->desired + 1)}}));
  ImGui::SameLine();
  bool autoscale = p.dep->autoscale_on;
  if (ImGui::Checkbox(tr("autoscaler"), &autoscale)) issue(cmd("autoscale", {{"on", autoscale ? "on" : "off"}}));

  ImGui::SetNextItemWidth(140);
  ImGui::SliderFloat(tr("x slower"), &tool_slow_, 1.0f, 50.0f, "%.0f");
  ImGui::SameLine();
  if (ImGui::Button(tr("Slow"))) {
    char f[32];
    std::snprintf(f, sizeof f, "%g", static_cast<double>(tool_slow_));
    issue(cmd("slow", {{"factor", f}}));
  }
  ImGui::SameLine();
  if (ImGui::Button(tr("Normal"))) issue(cmd("slow", {{"factor", "1"}}));
  if (ImGui::Button(tr("Crash loop"))) issue(cmd("fault", {{"kind", "crash_loop"}}));
  ImGui::SameLine();
  if (ImGui::Button(tr("Errors 30%"))) issue(cmd("fault", {{"kind", "errors"}}));
  ImGui::SameLine();
  if (ImGui::Button(tr("No fault"))) issue(cmd("fault", {{"kind", "none"}}));

  ImGui::SeparatorText(tr("Deploy a new version"));
  static const char* kStrategies[] = {"rolling", "canary", "bluegreen"};
  ImGui::SetNextItemWidth(140);
  ImGui::Combo(tr("strategy"), &tool_strategy_, kStrategies, 3);
  ImGui::SetNextItemWidth(140);
  ImGui::SliderFloat(tr("its error rate"), &tool_error_rate_, 0.0f, 1.0f, "%.2f");
  ImGui::SetNextItemWidth(140);
  ImGui::SliderFloat(tr("its latency x"), &tool_latency_factor_, 0.5f, 10.0f, "%.1f");
  const std::string next_version = "v" + std::to_string(p.dep->versions.size() + 1);
  if (ImGui::Button((format_msg(tr("Deploy %s"), next_version.c_str()) + "###deploy").c_str())) {
    char er[32], lf[32];
    std::snprintf(er, sizeof er, "%g", static_cast<double>(tool_error_rate_));
    std::snprintf(lf, sizeof lf, "%g", static_cast<double>(tool_latency_factor_));
    issue(cmd("deploy", {{"version", next_version}, {"strategy", kStrategies[tool_strategy_]}, {"error_rate", er}, {"latency_factor", lf}}));
  }
  ImGui::SameLine();
  if (ImGui::Button(tr("Roll back"))) issue(cmd("rollback", {}));
  ImGui::TextDisabled(tr("deployment: %s"), p.dep->deploy.status.c_str());

  // Edges of the chosen service's system.
  const svc::SystemRt* sys = nullptr;
  for (const auto& s2 : g.systems)
    if (p.system.empty() || s2.name == p.system) { sys = &s2; break; }
  if (!sys || sys->edges.empty()) return;
  ImGui::SeparatorText(tr("Calls between services"));
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
  ImGui::Text(tr("breaker: %s"), to_string(e.breaker.state()));
  bool timeout_on = pol.timeout_us > 0;
  if (ImGui::Checkbox(tr("timeout 500 ms"), &timeout_on)) edge_cmd({{"timeout_ms", timeout_on ? "500" : "0"}});
  bool retries_on = pol.retries > 0;
  if (ImGui::Checkbox(tr("3 retries"), &retries_on)) edge_cmd({{"retries", retries_on ? "3" : "0"}});
  bool breaker_on = pol.breaker;
  if (ImGui::Checkbox(tr("circuit breaker"), &breaker_on)) edge_cmd({{"breaker", breaker_on ? "on" : "off"}});
  bool bulkhead_on = pol.bulkhead > 0;
  if (ImGui::Checkbox(tr("bulkhead (10 calls)"), &bulkhead_on)) edge_cmd({{"bulkhead", bulkhead_on ? "10" : "0"}});
  bool fallback_on = pol.fallback;
  if (ImGui::Checkbox(tr("fallback"), &fallback_on)) edge_cmd({{"fallback", fallback_on ? "on" : "off"}});
  }
  size_t particles_drawn() const override { return particles_; }

  void legend(std::vector<LegendItem>& out) const override {
    out.push_back({N_("Calls"), LegendGlyph::Dot, palette::orange, N_("request particles (density = rate)")});
    out.push_back({N_("Calls"), LegendGlyph::Cross, palette::vermillion, N_("failed call")});
    out.push_back({N_("Calls"), LegendGlyph::Line, palette::green, N_("healthy (<1% errors)")});
    out.push_back({N_("Calls"), LegendGlyph::Dashed, palette::orange, N_("degraded (1-10% or p99 >= 500 ms)")});
    out.push_back({N_("Calls"), LegendGlyph::Dashed, palette::vermillion, N_("failing (>=10% or breaker open)")});
    bool breaker = false, retries = false;
    for (const auto& s : m_->graph().systems)
      for (const auto& e : s.edges) {
        breaker = breaker || e.effective().breaker;
        retries = retries || e.effective().retries > 0;
      }
    if (breaker) out.push_back({N_("Calls"), LegendGlyph::Box, palette::vermillion, N_("breaker: closed / OPEN / half-open")});
    if (retries) out.push_back({N_("Calls"), LegendGlyph::Line, palette::purple, N_("retries/s, timeouts/s on the edge")});
    out.push_back({N_("Services"), LegendGlyph::Bar, palette::sky_blue, N_("CPU busy, queue waiting")});
    out.push_back({N_("Services"), LegendGlyph::Box, palette::yellow, N_("canary / new version replica")});
  }

  void under_nodes(const PaintContext& pc) override {
    const svc::Graph& g = m_->graph();
    const Time now = pc.now;
    // The particle clock runs with the frames while simulated time moves, and stops when paused.
    if (now < last_now_) {   // rewound: rates start again
      counts_.clear();
      next_sample_ = 0;
    }
    if (now != last_now_ && !pc.reduced_motion) anim_s_ += std::min(0.1, static_cast<double>(ImGui::GetIO().DeltaTime));
    last_now_ = now;
    particles_ = 0;
    edges_.clear();
    rate_sample(now);
    const float px = std::max(12.0f, pc.font_px * 0.85f);
    // Cards.
    for (const auto& gr : pc.v.groups) {
      const svc::SystemRt& sys = g.systems[static_cast<size_t>(gr.system)];
      const svc::DeployableRt& d = sys.deps[static_cast<size_t>(gr.deployable)];
      const ImVec2 a = pc.to_screen(ImVec2(gr.x - gr.half_w, gr.y - gr.half_h));
      const ImVec2 b = pc.to_screen(ImVec2(gr.x + gr.half_w, gr.y + gr.half_h));
      const auto sum = d.window.summary(now, kCanvasWindowUs);
      const Health h = classify_health(sum.rate_per_s, 1.0 - sum.success_rate, sum.p99_ms, "off");
      const ImU32 border = h == Health::Idle || h == Health::Healthy ? ((pc.text & 0x00FFFFFF) | 0x70000000) : health_color(h, pc.text);
      pc.dl->AddRectFilled(a, b, (pc.text & 0x00FFFFFF) | 0x0C000000, 8.0f);
      pc.dl->AddRect(a, b, border, 8.0f, 0, h == Health::Failing ? 3.0f : 1.5f);
      // Title: the name (at least 12 px, shrunk to the card), then the health mark.
      const float card_w = b.x - a.x;
      float tpx = pc.font_px;
      ImVec2 ts = text_size(tpx, gr.label);
      if (ts.x > card_w - 26.0f) tpx = std::max(12.0f, tpx * (card_w - 26.0f) / ts.x);
      ts = text_size(tpx, gr.label);
      const float title_y = a.y + 4.0f;
      pc.dl->AddText(ImGui::GetFont(), tpx, ImVec2(a.x + 6.0f, title_y), pc.text, gr.label.c_str());
      health_mark(pc.dl, ImVec2(b.x - 11.0f, title_y + ts.y * 0.5f), 6.0f, h);
      // CPU (busy workers of the ready replicas) and the queue, along the bottom.
      int running = 0, workers = 0, queued = 0, ready = 0, new_version = 0;
      for (const auto& r : d.replicas) {
        if (r.state == svc::RState::Stopped) continue;
        queued += r.queued;
        if (r.state != svc::RState::Ready) continue;
        ++ready;
        running += r.running;
        workers += d.spec.workers;
        if (d.deploy.status == "progressing" && r.version == d.deploy.to_version) ++new_version;
      }
      const float busy = workers > 0 ? static_cast<float>(running) / static_cast<float>(workers) : 0.0f;
      const float bar_h = std::max(14.0f, px + 2.0f);
      const ImVec2 ba(a.x + 6.0f, b.y - bar_h - 5.0f), bb(b.x - 6.0f, b.y - 5.0f);
      pc.dl->AddRectFilled(ba, bb, (pc.text & 0x00FFFFFF) | 0x18000000, 3.0f);
      pc.dl->AddRectFilled(ba, ImVec2(ba.x + (bb.x - ba.x) * std::clamp(busy, 0.0f, 1.0f), bb.y),
                           busy >= 0.9f ? ((palette::vermillion & 0x00FFFFFF) | 0x90000000) : ((palette::sky_blue & 0x00FFFFFF) | 0x90000000), 3.0f);
      const int pct = static_cast<int>(std::lround(busy * 100));
      // TRANSLATORS: a service card's bar: its replicas' CPU use, and requests queued ("q").
      std::string bar = queued > 0 ? format_msg(tr("cpu %d%% q %d"), pct, queued) : format_msg(tr("cpu %d%%"), pct);
      if (d.deploy.status == "progressing") bar = d.deploy.to_version + " " + std::to_string(new_version) + "/" + std::to_string(ready);
      if (text_size(px, bar).x > bb.x - ba.x - 4.0f && queued > 0)   // a narrow card: the short form
        bar = std::to_string(static_cast<int>(std::lround(busy * 100))) + "% q" + std::to_string(queued);
      const ImVec2 bs = text_size(px, bar);
      pc.dl->AddText(ImGui::GetFont(), px, ImVec2((ba.x + bb.x - bs.x) * 0.5f, (ba.y + bb.y - bs.y) * 0.5f), pc.text, bar.c_str());
    }
    // Edges: caller card (or the client) -> callee card, with particles.
    std::map<std::pair<int, int>, const CanvasView::Group*> card;
    for (const auto& gr : pc.v.groups) card[{gr.system, gr.deployable}] = &gr;
    for (size_t si = 0; si < g.systems.size(); ++si) {
      const svc::SystemRt& sys = g.systems[si];
      for (size_t ei = 0; ei < sys.edges.size(); ++ei) {
        const svc::EdgeRt& e = sys.edges[ei];
        const auto to = card.find({static_cast<int>(si), e.to_dep});
        if (to == card.end()) continue;
        ImVec2 from_pt, to_pt;
        const CanvasView::Group& tg = *to->second;
        if (e.from_module < 0) {
          if (sys.client == kNoNode) continue;
          from_pt = pc.screen(sys.client);
        } else {
          const int fd = sys.modules[static_cast<size_t>(e.from_module)].dep;
          if (fd == e.to_dep) continue;   // in-process (the monolith): no network edge
          const auto f = card.find({static_cast<int>(si), fd});
          if (f == card.end()) continue;
          const CanvasView::Group& fg = *f->second;
          from_pt = pc.v.vertical ? pc.to_screen(ImVec2(fg.x, fg.y + fg.half_h)) : pc.to_screen(ImVec2(fg.x + fg.half_w, fg.y));
        }
        to_pt = pc.v.vertical ? pc.to_screen(ImVec2(tg.x, tg.y - tg.half_h)) : pc.to_screen(ImVec2(tg.x - tg.half_w, tg.y));
        draw_edge(pc, sys, static_cast<int>(si), e, static_cast<int>(ei), from_pt, to_pt, px);
      }
    }
  }

  void over_nodes(const PaintContext& pc) override {
    // Replica states a card shows on its pills: starting, draining, canary / new version, ejected.
    const float px = std::max(12.0f, pc.font_px * 0.75f);
    for (const auto& s : m_->graph().systems)
      for (const auto& d : s.deps)
        for (const auto& r : d.replicas) {
          if (r.node == kNoNode || static_cast<size_t>(r.node) >= pc.w.nodes().size()) continue;
          const ImVec2 c = pc.screen(r.node);
          const float rad = pc.radius(r.node);
          const ImVec2 a(c.x - rad * 1.3f - 2, c.y - rad * 0.8f - 2), b(c.x + rad * 1.3f + 2, c.y + rad * 0.8f + 2);
          std::string tag;
          ImU32 col = pc.text;
          // TRANSLATORS: short tags under a service replica: starting up, draining its requests, taken out.
          if (r.state == svc::RState::Starting) { tag = tr("start"); col = palette::sky_blue; }
          else if (r.state == svc::RState::Draining) { tag = tr("drain"); col = palette::grey; }
          if (r.canary || (d.deploy.status == "progressing" && r.version == d.deploy.to_version) ||
              (d.deploy.status != "idle" && r.version != "v1" && r.version == d.version)) {
            if (tag.empty()) tag = r.version;
            col = palette::yellow;
          }
          if (r.ejected) { tag = tr("ejected"); col = palette::vermillion; }
          if (tag.empty()) continue;
          for (int k = 0; k < 4; ++k) {   // a dashed frame around the pill
            const float t0 = static_cast<float>(k) / 4.0f, t1 = t0 + 0.14f;
            pc.dl->AddLine(ImVec2(a.x + (b.x - a.x) * t0, a.y), ImVec2(a.x + (b.x - a.x) * t1, a.y), col, 2.0f);
            pc.dl->AddLine(ImVec2(a.x + (b.x - a.x) * t0, b.y), ImVec2(a.x + (b.x - a.x) * t1, b.y), col, 2.0f);
          }
          pc.dl->AddLine(ImVec2(a.x, a.y), ImVec2(a.x, b.y), col, 2.0f);
          pc.dl->AddLine(ImVec2(b.x, a.y), ImVec2(b.x, b.y), col, 2.0f);
          backed_text(pc.dl, px, ImVec2(c.x, b.y + px * 0.5f), col, pc.backing, tag);
        }
  }

  TooltipLines node_tooltip(const PaintContext& pc, NodeId id) const override {
    for (const auto& s : m_->graph().systems)
      for (const auto& d : s.deps)
        for (const auto& r : d.replicas)
          if (r.node == id) {
            TooltipLines t = service_lines(d, pc.now);
            t.insert(t.begin(), format_msg(tr("replica of %s (%s, %s): %d busy, %d queued"), d.spec.name.c_str(), r.version.c_str(),
                                           svc::to_string(r.state), static_cast<int>(r.running), static_cast<int>(r.queued)));
            return t;
          }
    return {};
  }

  TooltipLines hover_tooltip(const PaintContext& pc, ImVec2 mouse) const override {
    for (const auto& e : edges_)
      if (dist_to_polyline(mouse, e.pts) < 8.0f) return e.lines;
    for (const auto& gr : pc.v.groups) {
      const ImVec2 a = pc.to_screen(ImVec2(gr.x - gr.half_w, gr.y - gr.half_h));
      const ImVec2 b = pc.to_screen(ImVec2(gr.x + gr.half_w, gr.y + gr.half_h));
      if (mouse.x >= a.x && mouse.x <= b.x && mouse.y >= a.y && mouse.y <= b.y) {
        const auto& d = m_->graph().systems[static_cast<size_t>(gr.system)].deps[static_cast<size_t>(gr.deployable)];
        TooltipLines t = service_lines(d, pc.now);
        t.insert(t.begin(), format_msg(tr("service %s"), gr.label.c_str()));
        return t;
      }
    }
    return {};
  }

  std::string edges_json(const World& w, const std::string& world) const override {
    std::string o;
    const Time now = w.now();
    const auto& systems = m_->graph().systems;
    for (size_t si = 0; si < systems.size(); ++si)
      for (size_t ei = 0; ei < systems[si].edges.size(); ++ei) {
        const auto& s = systems[si];
        const auto& e = s.edges[ei];
        if (e.from_module >= 0 && s.modules[static_cast<size_t>(e.from_module)].dep == e.to_dep) continue;
        const auto sum = e.window.summary(now, kCanvasWindowUs);
        const std::string br = breaker_name(e, now);
        const Health h = classify_health(sum.rate_per_s, 1.0 - sum.success_rate, sum.p99_ms, br);
        char buf[320];
        std::snprintf(buf, sizeof buf,
                      "{\"world\":\"%s\",\"system\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"rps\":%.3f,\"error_rate\":%.4f,"
                      "\"p99_ms\":%.3f,\"breaker\":\"%s\",\"health\":\"%s\",\"particles\":%d}",
                      world.c_str(), s.name.c_str(), e.from.c_str(), e.to.c_str(), sum.rate_per_s, 1.0 - sum.success_rate,
                      sum.p99_ms, br.c_str(), to_string(h), particle_count(sum.rate_per_s));
        if (!o.empty()) o += ",";
        o += buf;
        // Where the last frame drew it: seven points along the curve (screen pixels).
        o.pop_back();
        o += ",\"path\":[";
        const auto it = paths_.find({static_cast<int>(si), static_cast<int>(ei)});
        if (it != paths_.end() && !it->second.empty()) {
          const auto& pts = it->second;
          for (int k = 0; k <= 6; ++k) {
            const ImVec2 q = pts[static_cast<size_t>(k) * (pts.size() - 1) / 6];
            std::snprintf(buf, sizeof buf, "%s[%.1f,%.1f]", k ? "," : "", q.x, q.y);
            o += buf;
          }
        }
        o += "]}";
      }
    return o;
  }

 private:
  struct DrawnEdge {
    std::vector<ImVec2> pts;
    TooltipLines lines;
  };

  TooltipLines service_lines(const svc::DeployableRt& d, Time now) const {
    const auto sum = d.window.summary(now, kCanvasWindowUs);
    TooltipLines t;
    t.push_back(format_msg(tr("%.1f requests/s, errors %.1f%%"), sum.rate_per_s, 100.0 * (1.0 - sum.success_rate)));
    t.push_back(format_msg(tr("p50 %.1f ms, p99 %.1f ms"), sum.p50_ms, sum.p99_ms));
    return t;
  }

  /// Retries and timeouts per second on each edge, from the totals sampled once a simulated second.
  void rate_sample(Time now) {
    if (now < next_sample_) return;
    const auto& g = m_->graph();
    for (size_t si = 0; si < g.systems.size(); ++si)
      for (size_t ei = 0; ei < g.systems[si].edges.size(); ++ei) {
        const auto& e = g.systems[si].edges[ei];
        Counts& c = counts_[{static_cast<int>(si), static_cast<int>(ei)}];
        const double secs = c.at >= 0 && now > c.at ? static_cast<double>(now - c.at) / 1e6 : 0.0;
        c.retry_rate = secs > 0 ? static_cast<double>(e.retries - c.retries) / secs : 0.0;
        c.timeout_rate = secs > 0 ? static_cast<double>(e.timeouts - c.timeouts) / secs : 0.0;
        c.retries = e.retries;
        c.timeouts = e.timeouts;
        c.at = now;
      }
    next_sample_ = now + 1'000'000;
  }

  void draw_edge(const PaintContext& pc, const svc::SystemRt& sys, int si, const svc::EdgeRt& e, int ei, ImVec2 a, ImVec2 b, float px) {
    (void)sys;
    const Time now = pc.now;
    const auto sum = e.window.summary(now, kCanvasWindowUs);
    const std::string br = breaker_name(e, now);
    const double err = 1.0 - sum.success_rate;
    const Health h = classify_health(sum.rate_per_s, err, sum.p99_ms, br);
    const ImU32 col = health_color(h, pc.text);
    const float width = sum.rate_per_s > 0 ? std::clamp(1.5f + 1.1f * static_cast<float>(std::log2(1.0 + sum.rate_per_s)) * 0.5f, 1.5f, 6.0f) : 1.0f;
    const std::vector<ImVec2> pts = edge_curve(a, b, pc.v.vertical);
    const std::vector<float> cum = lengths(pts);
    styled_line(pc.dl, pts, cum, col, width, h);
    // Arrow head at the callee, along the curve's last stretch.
    const glm::vec2 dir = gv(b) - gv(pts[pts.size() - 3]);
    const glm::vec2 dg = glm::length(dir) > 0.5f ? glm::normalize(dir) : glm::vec2(0.0f, 1.0f);
    const ImVec2 d = iv(dg), n(-d.y, d.x);
    pc.dl->AddTriangleFilled(b, ImVec2(b.x - d.x * 10 + n.x * 5, b.y - d.y * 10 + n.y * 5), ImVec2(b.x - d.x * 10 - n.x * 5, b.y - d.y * 10 - n.y * 5), col);
    // Particles: evenly spaced, moving caller -> callee; a share `err` of them drawn as crosses.
    const int count = particle_count(sum.rate_per_s);
    const double travel_s = 1.6;
    const double phase = std::fmod(anim_s_ / travel_s + 0.137 * ei + 0.31 * si, 1.0);
    const int failed = static_cast<int>(std::lround(err * count));
    for (int k = 0; k < count; ++k) {
      const float t = static_cast<float>(std::fmod(phase + static_cast<double>(k) / count, 1.0));
      const ImVec2 p = along(pts, cum, t);
      // Spread failures over the stream (every count/failed-th particle), not bunched together.
      const bool bad = failed > 0 && (k * failed) / count != ((k + 1) * failed) / count;
      if (bad) {
        pc.dl->AddLine(ImVec2(p.x - 4, p.y - 4), ImVec2(p.x + 4, p.y + 4), palette::vermillion, 2.5f);
        pc.dl->AddLine(ImVec2(p.x + 4, p.y - 4), ImVec2(p.x - 4, p.y + 4), palette::vermillion, 2.5f);
      } else {
        pc.dl->AddCircleFilled(p, 3.5f, palette::orange, 8);
      }
      ++particles_;
    }
    // Marks on the edge: the breaker, retries and timeouts, a canary's traffic share.
    const ImVec2 mid = along(pts, cum, 0.5f);
    std::vector<std::pair<std::string, ImU32>> marks;
    // The breaker's mark is framed (the first mark when there is one).
    const bool framed_first = br == "open" || br == "half_open" || br == "closed";
    if (br == "open") marks.push_back({tr("breaker OPEN"), palette::vermillion});
    else if (br == "half_open") marks.push_back({tr("breaker half-open"), palette::orange});
    else if (br == "closed") marks.push_back({tr("breaker closed"), (pc.text & 0x00FFFFFF) | 0xB0000000});
    const Counts& c = counts_[{si, ei}];
    if (c.retry_rate > 0.05) marks.push_back({format_msg(tr("retries %.0f/s"), c.retry_rate), palette::purple});
    if (c.timeout_rate > 0.05) marks.push_back({format_msg(tr("timeouts %.0f/s"), c.timeout_rate), palette::purple});
    if (h == Health::Failing || h == Health::Degraded) marks.push_back({format_msg(tr("%.0f%% errors"), 100.0 * err), col});
    const auto& dep = m_->graph().systems[static_cast<size_t>(si)].deps[static_cast<size_t>(e.to_dep)];
    if (dep.deploy.status == "progressing" && dep.deploy.kind == svc::Deployment::Kind::Canary)
      marks.push_back({format_msg(tr("canary %.0f%%"), 100.0 * dep.deploy.weight), palette::yellow});
    float y = mid.y - (static_cast<float>(marks.size()) - 1.0f) * (px + 4.0f) * 0.5f;
    for (size_t mi = 0; mi < marks.size(); ++mi) {
      const auto& [text, mc] = marks[mi];
      const bool framed = framed_first && mi == 0;
      backed_text(pc.dl, px, ImVec2(mid.x, y), mc, pc.backing, text, framed ? mc : 0);
      y += px + 4.0f;
    }
    paths_[{si, ei}] = pts;
    DrawnEdge de{pts, {}};
    de.lines.push_back(format_msg(tr("call %s -> %s (%s)"), e.from.c_str(), e.to.c_str(), tr(to_string(h))));
    de.lines.push_back(format_msg(tr("%.1f calls/s, errors %.1f%%"), sum.rate_per_s, 100.0 * err));
    de.lines.push_back(format_msg(tr("p50 %.1f ms, p99 %.1f ms"), sum.p50_ms, sum.p99_ms));
    // TRANSLATORS: the breaker's state (off, closed, open, half_open), then rates per second.
    de.lines.push_back(format_msg(tr("breaker %s, retries %.1f/s, timeouts %.1f/s"), br.c_str(), c.retry_rate, c.timeout_rate));
    edges_.push_back(std::move(de));
  }

  struct Counts {
    int64_t retries = 0, timeouts = 0;
    Time at = -1;
    double retry_rate = 0, timeout_rate = 0;
  };
  const svc::ServicesModel* m_;
  // The Tools tab's choices (what the learner is about to apply).
  int tool_service_ = 0;
  int tool_edge_ = 0;
  int tool_strategy_ = 0;
  float tool_error_rate_ = 0.5f;
  float tool_latency_factor_ = 1.0f;
  float tool_slow_ = 20.0f;
  double anim_s_ = 0.0;
  Time last_now_ = -1;
  Time next_sample_ = 0;
  size_t particles_ = 0;
  std::vector<DrawnEdge> edges_;
  std::map<std::pair<int, int>, Counts> counts_;
  std::map<std::pair<int, int>, std::vector<ImVec2>> paths_;   ///< each edge's curve in the last frame
};

}  // namespace

std::unique_ptr<WorldPainter> make_services_painter(const World& w) {
  const auto* m = w.find_model<svc::ServicesModel>();
  if (!m) return nullptr;
  return std::make_unique<ServicesPainter>(m);
}

}  // namespace topo::ui
