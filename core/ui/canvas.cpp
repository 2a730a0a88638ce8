// The topology canvas: see canvas.h.
#include "ui/canvas.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "models/services/services.h"
#include "ui/style.h"

namespace topo::ui {

namespace {

constexpr float kPi = 3.14159265358979f;

/// The "role" and "term" a node's process reports (one inspect() call per node and frame).
void role_and_term(const Node& n, std::string* role, std::string* term) {
  role->clear();
  term->clear();
  if (!n.process) return;
  for (auto& [k, v] : n.process->inspect()) {
    if (k == "role") *role = std::move(v);
    else if (k == "term") *term = std::move(v);
  }
}

/// Above this many links the canvas stops drawing (and collecting) them: a 1,000-node gossip
/// world would otherwise draw tens of thousands of lines, a grey hairball that costs more than
/// everything else; the moving messages show the traffic.
constexpr size_t kMaxLinks = 1500;
/// Above this many messages in flight they are drawn as small squares (4 vertices, no
/// anti-aliased fringe) instead of circles.
constexpr size_t kManyMessages = 1500;

bool is_client(const Node& n) { return n.role.find("client") != std::string::npos; }
bool is_service(const Node& n) { return n.role.rfind("service", 0) == 0 || n.role.find("gateway") != std::string::npos; }

ImVec2 lerp(ImVec2 a, ImVec2 b, float t) { return ImVec2(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t); }

/// Above this many nodes the canvas is a crowd: smaller shapes, and only the labels of the
/// hovered, selected and highlighted nodes (a thousand overlapping names are unreadable anyway,
/// and they were most of a large world's frame time).
constexpr size_t kCrowd = 150;

float node_radius(const CanvasView& v, const Node& n) {
  float r = is_client(n) ? 14.0f : 24.0f;
  if (v.pos.size() > kCrowd) r *= 0.3f;
  return std::min(r * std::clamp(v.zoom, 0.4f, 2.5f), v.radius_cap);
}

void draw_star(ImDrawList* dl, ImVec2 c, float r, ImU32 col) {
  ImVec2 pts[10];
  for (int i = 0; i < 10; ++i) {
    float a = -kPi / 2 + static_cast<float>(i) * kPi / 5;
    float rr = (i % 2 == 0) ? r : r * 0.45f;
    pts[i] = ImVec2(c.x + std::cos(a) * rr, c.y + std::sin(a) * rr);
  }
  dl->AddConvexPolyFilled(pts, 10, col);  // concave; ImGui fills it acceptably for a small star
}

void text_centered(ImDrawList* dl, ImVec2 c, ImU32 col, const std::string& s) {
  ImVec2 sz = ImGui::CalcTextSize(s.c_str());
  dl->AddText(ImVec2(c.x - sz.x / 2, c.y), col, s.c_str());
}

}  // namespace

ImU32 message_color(const std::string& kind) {
  if (kind.rfind("vote", 0) == 0) return palette::purple;
  if (kind == "append") return palette::sky_blue;
  if (kind.rfind("append", 0) == 0) return palette::blue;
  if (kind == "request") return palette::orange;
  if (kind == "response") return palette::green;
  if (kind == "retry") return palette::vermillion;
  if (kind == "ping" || kind == "gossip") return palette::yellow;
  return palette::grey;
}

namespace {

/// Layered layout for service worlds: one column per call depth (client, gateway, the services
/// it calls, ...), replicas of a service stacked in their column, one band per system (the
/// shop and the monolith side by side). Returns false when the world has no services.
bool layout_services(const World& w, CanvasView& v) {
  const auto* model = w.find_model<svc::ServicesModel>();
  if (!model) return false;
  const svc::Graph& g = model->graph();
  const size_t bands = g.systems.size();
  v.groups.clear();
  // Columns of deployables per system, by call depth (breadth-first from the client).
  std::vector<std::vector<std::vector<size_t>>> columns(bands);
  std::vector<float> band_weight(bands, 1.0f);
  float weight_sum = 0.0f;
  for (size_t si = 0; si < bands; ++si) {
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
    std::vector<std::vector<size_t>> by_depth(static_cast<size_t>(max_depth + 2));
    for (size_t i = 0; i < sys.deps.size(); ++i)
      by_depth[static_cast<size_t>(depth[i] < 0 ? max_depth + 1 : depth[i])].push_back(i);
    // A crowded depth (the shop's gateway calls four services) is split into several columns
    // of at most kMaxUnits slots, so its boxes and labels do not pile up on one another.
    constexpr float kMaxUnits = 8.0f;
    for (const auto& col : by_depth) {
      columns[si].emplace_back();
      float units = 0.0f;
      for (size_t d : col) {
        const float u = static_cast<float>(sys.deps[d].replicas.size()) + 1.0f;
        if (units > 0.0f && units + u > kMaxUnits) {
          columns[si].emplace_back();
          units = 0.0f;
        }
        columns[si].back().push_back(d);
        units += u;
      }
    }
    // A band is as tall as its busiest column needs (replicas plus room for the group label).
    float tallest = 1.0f;
    for (const auto& col : columns[si]) {
      float h = 0.0f;
      for (size_t d : col) h += static_cast<float>(sys.deps[d].replicas.size()) + 1.0f;
      tallest = std::max(tallest, h);
    }
    band_weight[si] = tallest;
    weight_sum += tallest;
  }
  // Fixed spacing in layout units; the camera fits the whole picture to the canvas.
  // A slot is about a third of a column: at the usual fit, ~40 px per replica box and ~130 px
  // per column, room for a box and its service label.
  constexpr float kUnit = 0.15f;   // one replica slot
  constexpr float kCol = 0.5f;     // one call-depth column
  (void)weight_sum;
  float band_top = 0.0f;
  for (size_t si = 0; si < bands; ++si) {
    const svc::SystemRt& sys = g.systems[si];
    const float band_h = kUnit * band_weight[si];
    const float col_w = kCol;
    if (sys.client != kNoNode && static_cast<size_t>(sys.client) < v.pos.size())
      v.pos[static_cast<size_t>(sys.client)] = ImVec2(0.0f, band_top + band_h * 0.5f);
    for (size_t c = 0; c < columns[si].size(); ++c) {
      const auto& col = columns[si][c];
      float units = 0.0f;
      for (size_t d : col) units += static_cast<float>(sys.deps[d].replicas.size()) + 1.0f;
      const float unit_h = kUnit;
      float y = band_top + 0.5f * (band_h - unit_h * units);
      const float cx = col_w * static_cast<float>(c + 1);
      for (size_t d : col) {
        const svc::DeployableRt& dep = sys.deps[d];
        const size_t n = dep.replicas.size();
        const float h = unit_h * (static_cast<float>(n) + 1.0f);
        const float cy = y + h * 0.5f;
        for (size_t r = 0; r < n; ++r) {
          NodeId id = dep.replicas[r].node;
          if (id < 0 || static_cast<size_t>(id) >= v.pos.size()) continue;
          v.pos[static_cast<size_t>(id)] = ImVec2(cx, cy + unit_h * (static_cast<float>(r) - 0.5f * static_cast<float>(n - 1)));
        }
        std::string label = bands > 1 ? sys.name + "/" + dep.spec.name : dep.spec.name;
        v.groups.push_back({label, cx, cy, unit_h * (static_cast<float>(std::max<size_t>(1, n)) * 0.5f + 0.2f),
                            0.45f * col_w, 0.55f * unit_h, 0.95f * col_w});
        y += h;
      }
    }
    band_top += band_h + kUnit;
  }
  return true;
}

}  // namespace

void auto_layout(const World& w, CanvasView& v, bool reset) {
  const auto& nodes = w.nodes();
  if (w.find_model<svc::ServicesModel>()) {
    // Service worlds re-lay out whenever replicas come and go (scaling, deployments).
    v.pos.assign(nodes.size(), ImVec2(0, 0));
    layout_services(w, v);
    return;
  }
  if (reset) v.pos.clear();
  size_t placed = v.pos.size();
  v.pos.resize(nodes.size());
  std::vector<NodeId> servers, clients;
  for (const auto& n : nodes) (is_client(*n) ? clients : servers).push_back(n->id);
  for (size_t i = 0; i < servers.size(); ++i) {
    if (static_cast<size_t>(servers[i]) < placed) continue;
    float a = -kPi / 2 + 2 * kPi * static_cast<float>(i) / static_cast<float>(std::max<size_t>(1, servers.size()));
    v.pos[static_cast<size_t>(servers[i])] = ImVec2(std::cos(a) * 0.62f, std::sin(a) * 0.62f);
  }
  for (size_t i = 0; i < clients.size(); ++i) {
    if (static_cast<size_t>(clients[i]) < placed) continue;
    float t = clients.size() == 1 ? 0.5f : static_cast<float>(i) / static_cast<float>(clients.size() - 1);
    v.pos[static_cast<size_t>(clients[i])] = ImVec2(-1.15f, -0.6f + 1.2f * t);
  }
}

void draw_legend(ImDrawList* dl, ImVec2 at) {
  struct Item { const char* label; ImU32 col; };
  const Item items[] = {{"vote", palette::purple}, {"append", palette::sky_blue}, {"ack", palette::blue},
                        {"request", palette::orange}, {"response", palette::green}, {"retry", palette::vermillion}};
  float y = at.y;
  ImU32 tc = text_color();
  dl->AddText(ImVec2(at.x, y), tc, "Messages");
  y += 18;
  for (const auto& it : items) {
    dl->AddCircleFilled(ImVec2(at.x + 6, y + 8), 5.0f, it.col, 8);
    dl->AddText(ImVec2(at.x + 16, y), tc, it.label);
    y += 17;
  }
  dl->AddLine(ImVec2(at.x, y + 8), ImVec2(at.x + 12, y + 8), palette::vermillion, 2.0f);
  dl->AddText(ImVec2(at.x + 16, y), tc, "x  dropped");
  y += 22;
  dl->AddText(ImVec2(at.x, y), tc, "Nodes");
  y += 18;
  dl->AddCircle(ImVec2(at.x + 6, y + 8), 6.0f, tc, 12, 1.5f);
  dl->AddText(ImVec2(at.x + 16, y), tc, "server");
  y += 17;
  draw_star(dl, ImVec2(at.x + 6, y + 8), 7.0f, palette::yellow);
  dl->AddText(ImVec2(at.x + 16, y), tc, "leader");
  y += 17;
  dl->AddRect(ImVec2(at.x + 1, y + 3), ImVec2(at.x + 11, y + 13), tc, 2.0f);
  dl->AddText(ImVec2(at.x + 16, y), tc, "client");
  y += 17;
  dl->AddLine(ImVec2(at.x, y + 2), ImVec2(at.x + 12, y + 14), palette::vermillion, 2.0f);
  dl->AddLine(ImVec2(at.x + 12, y + 2), ImVec2(at.x, y + 14), palette::vermillion, 2.0f);
  dl->AddText(ImVec2(at.x + 16, y), tc, "crashed");
}

void draw_canvas(const World& w, CanvasView& v, ImVec2 size, std::vector<Command>* out) {
  const auto& nodes = w.nodes();
  const bool services = w.find_model<svc::ServicesModel>() != nullptr;
  if (services || v.pos.size() != nodes.size()) auto_layout(w, v, false);  // replicas come and go
  v.screen.resize(nodes.size());
  v.menu_service.clear();

  ImVec2 origin = ImGui::GetCursorScreenPos();
  size.x = std::max(size.x, 50.0f);
  size.y = std::max(size.y, 50.0f);
  v.origin = origin;
  v.size = size;
  ImGui::InvisibleButton("canvas", size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                                             ImGuiButtonFlags_MouseButtonMiddle);
  const bool canvas_hovered = ImGui::IsItemHovered();
  const bool canvas_active = ImGui::IsItemActive();
  ImGuiIO& io = ImGui::GetIO();

  // Camera: layout units -> pixels, fitted to the layout's bounding box (plus room for labels).
  ImVec2 lo(1e9f, 1e9f), hi(-1e9f, -1e9f);
  if (v.pos.empty()) lo = ImVec2(-1, -1), hi = ImVec2(1, 1);
  for (const ImVec2& p : v.pos) {
    lo.x = std::min(lo.x, p.x); lo.y = std::min(lo.y, p.y);
    hi.x = std::max(hi.x, p.x); hi.y = std::max(hi.y, p.y);
  }
  for (const auto& gr : v.groups) {  // a service's box reaches past its replicas (its title above it)
    lo.y = std::min(lo.y, gr.y - gr.half_h);
    hi.y = std::max(hi.y, gr.y + gr.half_h);
  }
  const float margin = 70.0f;
  const float legend_w = 130.0f;   // the legend keeps the top-right corner to itself
  const float room_x = std::max(50.0f, size.x - legend_w);
  const float fit = std::min((room_x - 2 * margin) / std::max(0.1f, hi.x - lo.x), (size.y - 2 * margin) / std::max(0.1f, hi.y - lo.y));
  const float scale = std::max(20.0f, fit) * v.zoom;
  const ImVec2 mid((lo.x + hi.x) * 0.5f, (lo.y + hi.y) * 0.5f);
  const ImVec2 centre(origin.x + room_x * 0.5f + v.pan.x - mid.x * scale, origin.y + size.y * 0.5f + v.pan.y - mid.y * scale);
  auto to_screen = [&](ImVec2 p) { return ImVec2(centre.x + p.x * scale, centre.y + p.y * scale); };
  for (size_t i = 0; i < nodes.size(); ++i) v.screen[i] = to_screen(v.pos[i]);
  // Shapes never overlap their neighbours: in a small canvas (side by side, a phone) they shrink
  // with the distance between the closest two nodes on screen.
  v.radius_cap = 1e9f;
  if (nodes.size() <= kCrowd) {
    float closest2 = 1e18f;
    for (size_t i = 0; i < nodes.size(); ++i)
      for (size_t j = i + 1; j < nodes.size(); ++j) {
        const float dx = v.screen[i].x - v.screen[j].x, dy = v.screen[i].y - v.screen[j].y;
        closest2 = std::min(closest2, dx * dx + dy * dy);
      }
    if (closest2 < 1e18f) v.radius_cap = std::max(5.0f, 0.45f * std::sqrt(closest2));
  }

  // Hover / select / drag.
  v.hovered = kNoNode;
  if (canvas_hovered) {
    for (size_t i = 0; i < nodes.size(); ++i) {
      float r = node_radius(v, *nodes[i]);
      float dx = io.MousePos.x - v.screen[i].x, dy = io.MousePos.y - v.screen[i].y;
      if (dx * dx + dy * dy <= r * r) v.hovered = static_cast<NodeId>(i);
    }
    if (io.MouseWheel != 0.0f) {
      float old = v.zoom;
      v.zoom = std::clamp(v.zoom * std::pow(1.15f, io.MouseWheel), 0.25f, 4.0f);
      // zoom about the mouse position
      float k = v.zoom / old;
      v.pan.x = (v.pan.x - (io.MousePos.x - origin.x - size.x * 0.5f)) * k + (io.MousePos.x - origin.x - size.x * 0.5f);
      v.pan.y = (v.pan.y - (io.MousePos.y - origin.y - size.y * 0.5f)) * k + (io.MousePos.y - origin.y - size.y * 0.5f);
    }
  }
  if (ImGui::IsItemClicked(ImGuiMouseButton_Left)) {
    v.selected = v.hovered;
    v.dragging = v.hovered;
  }
  if (canvas_active && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    if (v.dragging != kNoNode) {
      auto& p = v.pos[static_cast<size_t>(v.dragging)];
      p.x += io.MouseDelta.x / scale;
      p.y += io.MouseDelta.y / scale;
    } else {
      v.pan.x += io.MouseDelta.x;
      v.pan.y += io.MouseDelta.y;
    }
  }
  if (canvas_active && ImGui::IsMouseDragging(ImGuiMouseButton_Middle)) {
    v.pan.x += io.MouseDelta.x;
    v.pan.y += io.MouseDelta.y;
  }
  if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) v.dragging = kNoNode;
  if (ImGui::IsItemClicked(ImGuiMouseButton_Right) && v.hovered != kNoNode) {
    v.selected = v.hovered;
    ImGui::OpenPopup("node_menu");
  }
  if (ImGui::IsWindowFocused() && ImGui::IsKeyPressed(ImGuiKey_F, false) && !io.WantTextInput) {
    v.pan = ImVec2(0, 0);
    v.zoom = 1.0f;
  }

  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(origin, ImVec2(origin.x + size.x, origin.y + size.y), true);
  const ImU32 tc = text_color();

  // Service groups: a box around a service's replicas, labelled with its name.
  for (const auto& gr : v.groups) {
    ImVec2 c = to_screen(ImVec2(gr.x, gr.y));
    float half_h = gr.half_h * scale;
    float half_w = std::min(std::max(55.0f * std::clamp(v.zoom, 0.4f, 2.5f), 0.09f * scale), gr.max_half_w * scale);
    dl->AddRect(ImVec2(c.x - half_w, c.y - half_h), ImVec2(c.x + half_w, c.y + half_h), (tc & 0x00FFFFFF) | 0x50000000, 8.0f, 0, 1.0f);
    // The title shrinks (not below 8 px) to fit the gap above its box and its column's width.
    ImFont* font = ImGui::GetFont();
    float fs = std::min(ImGui::GetFontSize(), gr.label_h * scale - 1.0f);
    ImVec2 ls = font->CalcTextSizeA(fs, FLT_MAX, 0.0f, gr.label.c_str());
    if (ls.x > gr.label_w * scale) fs *= gr.label_w * scale / ls.x;
    fs = std::max(8.0f, fs);
    ls = font->CalcTextSizeA(fs, FLT_MAX, 0.0f, gr.label.c_str());
    dl->AddText(font, fs, ImVec2(c.x - ls.x / 2, c.y - half_h - ls.y - 1), (tc & 0x00FFFFFF) | 0xC0000000, gr.label.c_str());
  }

  // Links: pairs that have exchanged messages (scanned incrementally from the trace).
  const Trace& tr = w.trace();
  const auto& evs = tr.events();
  uint64_t fresh = tr.count() - v.trace_seen;
  size_t from_index = evs.size() > fresh ? evs.size() - static_cast<size_t>(fresh) : 0;
  for (size_t i = from_index; i < evs.size() && v.links.size() <= kMaxLinks; ++i) {
    const auto& e = evs[i];
    if (e.kind == TraceKind::Send && e.node >= 0 && e.peer >= 0 && e.node != e.peer)
      v.links.insert({std::min(e.node, e.peer), std::max(e.node, e.peer)});
  }
  v.trace_seen = tr.count();
  const std::vector<int>& groups = w.partition_groups();
  const ImVec2 clip_lo = origin, clip_hi(origin.x + size.x, origin.y + size.y);
  auto outside = [&](ImVec2 p, float pad) {
    return p.x < clip_lo.x - pad || p.y < clip_lo.y - pad || p.x > clip_hi.x + pad || p.y > clip_hi.y + pad;
  };
  for (auto [a, b] : v.links) {
    if (v.links.size() > kMaxLinks) break;
    if (static_cast<size_t>(std::max(a, b)) >= nodes.size()) continue;
    bool cut = !groups.empty() && static_cast<size_t>(std::max(a, b)) < groups.size() && groups[a] != groups[b];
    ImVec2 pa = v.screen[static_cast<size_t>(a)], pb = v.screen[static_cast<size_t>(b)];
    if (cut) {
      // A cut link: dashed, with a gap in the middle.
      for (int k = 0; k < 10; k += 2)
        dl->AddLine(lerp(pa, pb, k / 10.0f), lerp(pa, pb, (k + 1) / 10.0f), palette::vermillion, 1.5f);
    } else {
      dl->AddLine(pa, pb, (tc & 0x00FFFFFF) | 0x40000000, 1.5f);
    }
  }

  // Messages in flight: a dot at (now - sent) / (deliver - sent) along its link.
  const Time now = w.now();
  const float dot = std::clamp(5.0f * v.zoom, 2.5f, 8.0f);
  const std::vector<const Message*> flying = w.in_flight();
  v.in_flight = flying.size();
  const bool many = flying.size() > kManyMessages;
  const std::string* last_kind = nullptr;
  ImU32 last_col = 0;
  if (many) dl->PrimReserve(static_cast<int>(flying.size()) * 6, static_cast<int>(flying.size()) * 4);
  int unused = many ? static_cast<int>(flying.size()) : 0;
  const float half = dot * 0.8f;
  for (const Message* m : flying) {
    if (m->from < 0 || m->to < 0 || static_cast<size_t>(std::max(m->from, m->to)) >= nodes.size()) continue;
    double span = static_cast<double>(std::max<Time>(1, m->deliver_at - m->sent_at));
    float t = static_cast<float>(std::clamp(static_cast<double>(now - m->sent_at) / span, 0.0, 1.0));
    ImVec2 p = lerp(v.screen[static_cast<size_t>(m->from)], v.screen[static_cast<size_t>(m->to)], t);
    if (outside(p, dot)) continue;
    // Messages of one kind come in runs: colour lookups by string only when the kind changes.
    if (!last_kind || m->kind != *last_kind) {
      last_kind = &m->kind;
      last_col = message_color(m->kind);
    }
    if (many) {
      dl->PrimRect(ImVec2(p.x - half, p.y - half), ImVec2(p.x + half, p.y + half), last_col);
      --unused;
    } else {
      dl->AddCircleFilled(p, dot, last_col, 8);
    }
  }
  if (unused > 0) dl->PrimUnreserve(unused * 6, unused * 4);
  // Dropped messages fall off their link and fade (over a short window of simulated time).
  const Time fall_window = 40 * kMs;
  for (auto it = evs.rbegin(); it != evs.rend(); ++it) {
    if (it->t < now - fall_window) break;
    if (it->kind != TraceKind::Drop || it->peer < 0 || it->node < 0) continue;
    if (static_cast<size_t>(std::max(it->node, it->peer)) >= nodes.size()) continue;
    float age = static_cast<float>(now - it->t) / static_cast<float>(fall_window);
    ImVec2 p = lerp(v.screen[static_cast<size_t>(it->peer)], v.screen[static_cast<size_t>(it->node)], 0.6f);
    p.y += age * 40.0f;
    ImU32 col = (palette::vermillion & 0x00FFFFFF) | (static_cast<ImU32>(255 * (1.0f - age)) << 24);
    float s = dot;
    dl->AddLine(ImVec2(p.x - s, p.y - s), ImVec2(p.x + s, p.y + s), col, 2.0f);
    dl->AddLine(ImVec2(p.x + s, p.y - s), ImVec2(p.x - s, p.y + s), col, 2.0f);
  }

  // Nodes.
  std::string role, term;
  std::vector<std::pair<ImVec2, std::string>> state_labels;  // drawn after every node (below)
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Node& n = *nodes[i];
    ImVec2 c = v.screen[i];
    float r = node_radius(v, n);
    if (outside(c, r + 60.0f)) continue;
    const bool crashed = n.status != NodeStatus::Up;
    role_and_term(n, &role, &term);
    const bool leader = role == "leader" || role == "primary";
    ImU32 fill = crashed ? palette::rgb(90, 90, 90) : node_fill();
    ImU32 outline = leader ? palette::yellow : (role == "candidate" ? palette::orange : tc);
    bool highlighted = std::find(v.highlight.begin(), v.highlight.end(), n.name) != v.highlight.end();
    if (highlighted) dl->AddCircle(c, r + 9.0f, palette::yellow, 32, 3.0f);
    if (static_cast<NodeId>(i) == v.selected) dl->AddCircle(c, r + 5.0f, palette::sky_blue, 32, 2.0f);
    if (is_client(n)) {
      dl->AddRectFilled(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), fill, 4.0f);
      dl->AddRect(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), outline, 4.0f, 0, 1.5f);
    } else if (is_service(n)) {
      dl->AddRectFilled(ImVec2(c.x - r * 1.3f, c.y - r * 0.8f), ImVec2(c.x + r * 1.3f, c.y + r * 0.8f), fill, 8.0f);
      dl->AddRect(ImVec2(c.x - r * 1.3f, c.y - r * 0.8f), ImVec2(c.x + r * 1.3f, c.y + r * 0.8f), outline, 8.0f, 0, 2.0f);
    } else {
      dl->AddCircleFilled(c, r, fill, 0);   // 0: ImGui picks the segments for the radius (cached)
      dl->AddCircle(c, r, outline, 0, leader ? 4.0f : 2.0f);
    }
    if (leader) draw_star(dl, ImVec2(c.x, c.y - r - 10.0f), 9.0f, palette::yellow);
    if (crashed) {
      float k = r * 0.6f;
      dl->AddLine(ImVec2(c.x - k, c.y - k), ImVec2(c.x + k, c.y + k), palette::vermillion, 3.0f);
      dl->AddLine(ImVec2(c.x + k, c.y - k), ImVec2(c.x - k, c.y + k), palette::vermillion, 3.0f);
    }
    // Labels: name inside; state below (never by colour alone).
    if (nodes.size() > kCrowd && !highlighted && static_cast<NodeId>(i) != v.selected && static_cast<NodeId>(i) != v.hovered)
      continue;
    // A service replica ("cart-2", role "service:cart") sits in its service's titled box: its
    // number is enough inside the shape. Another name too wide for its shape ("coordinator")
    // goes below it instead.
    std::string label = n.name;
    if (n.role.rfind("service:", 0) == 0) {
      const std::string svc = n.role.substr(8);
      const size_t dash = n.name.rfind('-');
      if (dash != std::string::npos && dash + 1 < n.name.size() && dash >= svc.size() &&
          n.name.compare(dash - svc.size(), svc.size(), svc) == 0 &&
          n.name.find_first_not_of("0123456789", dash + 1) == std::string::npos)
        label = n.name.substr(dash + 1);
    }
    ImVec2 nsz = ImGui::CalcTextSize(label.c_str());
    float below_y = c.y + r + 3.0f;
    if (nsz.x <= 2.0f * r - 4.0f) {
      dl->AddText(ImVec2(c.x - nsz.x / 2, c.y - nsz.y / 2), tc, label.c_str());
    } else {
      text_centered(dl, ImVec2(c.x, below_y), tc, label);
      below_y += nsz.y;
    }
    std::string state;
    if (n.status == NodeStatus::Crashed) state = "crashed";
    else if (n.status == NodeStatus::Restarting) state = "restarting";
    else if (!role.empty() && role != n.name) state = role;   // a role that only repeats the name says nothing
    if (!term.empty() && !crashed) state += " t" + term;
    if (n.cpu_speed < 0.999) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%sslow x%.0f", state.empty() ? "" : " | ", 1.0 / n.cpu_speed);
      state += buf;
    }
    if (n.version != "v1" && !n.version.empty()) state += " " + n.version;
    if (!state.empty()) state_labels.push_back({ImVec2(c.x, below_y), std::move(state)});
  }
  // State labels last, on a backing of the canvas colour: where nodes sit close together (a
  // small canvas, a service's replicas) a label reaches over the node below and must stay
  // readable ("restarting" over replica 2), not be covered by it.
  const ImU32 backing = (ImGui::GetColorU32(ImGuiCol_WindowBg) & 0x00FFFFFF) | 0xD8000000;
  for (const auto& [pos, text] : state_labels) {
    const ImVec2 sz = ImGui::CalcTextSize(text.c_str());
    dl->AddRectFilled(ImVec2(pos.x - sz.x / 2 - 2, pos.y), ImVec2(pos.x + sz.x / 2 + 2, pos.y + sz.y), backing, 3.0f);
    text_centered(dl, pos, tc, text);
  }
  draw_legend(dl, ImVec2(origin.x + size.x - 120.0f, origin.y + 10.0f));
  dl->PopClipRect();

  // Context menu: every item is a Command.
  v.menu_items.clear();
  auto item = [&](const char* label) {
    bool hit = ImGui::MenuItem(label);
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    v.menu_items.emplace_back(label, ImVec2((a.x + b.x) * 0.5f, (a.y + b.y) * 0.5f));
    return hit;
  };
  if (ImGui::BeginPopup("node_menu")) {
    if (v.selected >= 0 && static_cast<size_t>(v.selected) < nodes.size()) {
      const Node& n = *nodes[static_cast<size_t>(v.selected)];
      ImGui::TextDisabled("%s (%s)", n.name.c_str(), to_string(n.status));
      ImGui::Separator();
      auto issue = [&](Command c) { if (out) out->push_back(std::move(c)); };
      if (n.status == NodeStatus::Up) {
        if (item("Crash")) issue({"crash", {{"node", n.name}}});
      } else if (item("Restart")) {
        issue({"restart", {{"node", n.name}}});
      }
      if (n.cpu_speed > 0.999) {
        if (item("Slow down x10")) issue({"slow", {{"node", n.name}, {"factor", "10"}}});
      } else if (item("Normal speed")) {
        issue({"slow", {{"node", n.name}, {"factor", "1"}}});
      }
      if (item("Isolate (partition away)")) issue({"partition", {{"groups", n.name}}});
      if (item("Heal all partitions")) issue({"heal", {}});
      // A replica of a service: service-level tools (scaling and deployments act on the service).
      const size_t colon = n.role.find(':');
      if (colon != std::string::npos && n.role.compare(0, colon, "service") == 0 && w.find_model<svc::ServicesModel>()) {
        const std::string svc_name = n.role.substr(colon + 1);
        int replicas = 0;
        for (const auto& other : nodes) replicas += other->role == n.role && other->status == NodeStatus::Up;
        ImGui::Separator();
        ImGui::TextDisabled("service %s (%d up)", svc_name.c_str(), replicas);
        // In a world with several systems (shop and monolith), name the one this replica is in.
        std::string sys;
        const svc::Graph& graph = w.find_model<svc::ServicesModel>()->graph();
        if (graph.multi())
          for (const auto& sr : graph.systems)
            for (const auto& d : sr.deps)
              for (const auto& rep : d.replicas)
                if (rep.node == n.id) sys = sr.name;
        auto with_sys = [&](Command c) {
          if (!sys.empty()) c.args["system"] = sys;
          return c;
        };
        if (item("Scale up (+1 replica)"))
          issue(with_sys({"scale", {{"service", svc_name}, {"replicas", std::to_string(replicas + 1)}}}));
        if (replicas > 1 && item("Scale down (-1 replica)"))
          issue(with_sys({"scale", {{"service", svc_name}, {"replicas", std::to_string(replicas - 1)}}}));
        if (item("Slow the service x20")) issue(with_sys({"slow", {{"service", svc_name}, {"factor", "20"}}}));
        if (item("Service back to normal speed")) issue(with_sys({"slow", {{"service", svc_name}, {"factor", "1"}}}));
        v.menu_service = svc_name;
      }
    }
    ImGui::EndPopup();
  }
}

}  // namespace topo::ui
