// The topology canvas: see canvas.h.
#include "ui/canvas.h"
#include "ui/tr.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "ui/geom.h"
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
bool is_service(const Node& n) {
  return n.role.rfind("service", 0) == 0 || n.role.rfind("queue:", 0) == 0 || n.role.find("gateway") != std::string::npos;
}

ImVec2 lerp(ImVec2 a, ImVec2 b, float t) { return iv(glm::mix(gv(a), gv(b), t)); }

/// Above this many nodes the canvas is a crowd: smaller shapes, and only the labels of the
/// hovered, selected and highlighted nodes (a thousand overlapping names are unreadable anyway,
/// and they were most of a large world's frame time).
constexpr size_t kCrowd = 150;

float g_scale = 200.0f;   // pixels per layout unit of the canvas being drawn (set each frame)

float node_radius(const CanvasView& v, const Node& n) {
  float r = base_node_radius(n, v.pos.size(), g_scale);
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

float base_node_radius(const Node& n, size_t node_count, float scale) {
  // Servers grow with the space the camera gives them (a five-server cluster in a large pane is
  // drawn large), within limits; a crowd of hundreds is drawn small.
  float r = std::clamp(0.085f * scale, 18.0f, 34.0f);
  if (is_client(n)) r *= 0.6f;
  if (node_count > kCrowd) r = is_client(n) ? 4.0f : 7.0f;
  return r;
}

const char* model_words(const World& w, const std::string& id) {
  for (const auto& m : w.models())
    for (const auto& [key, words] : m->words())
      if (id == key) return words;
  return nullptr;
}

std::string message_label(const World& w, const std::string& kind) {
  if (const char* words = model_words(w, kind)) return words;
  // The models' message kinds, in words (marked for translation; the legend shows them tr()'d).
  static const std::map<std::string, const char*> words = {
      {"vote", N_("vote request")}, {"vote_reply", N_("vote reply")},
      {"append", N_("append entries / heartbeat")}, {"append_reply", N_("append reply")},
      {"append_ack", N_("append acknowledged")}, {"request", N_("client request")}, {"response", N_("response")},
      {"read", N_("read")}, {"read_reply", N_("read reply")}, {"write", N_("write")}, {"write_ack", N_("write acknowledged")},
      {"ack", N_("acknowledgement")}, {"reply", N_("reply")}, {"prepare", N_("prepare")}, {"commit", N_("commit")},
      {"abort", N_("abort")}, {"snapshot", N_("snapshot")}, {"heartbeat", N_("heartbeat")}, {"ping", N_("ping")},
      {"pong", N_("pong")}, {"gossip", N_("gossip")}, {"get", N_("get")}, {"query", N_("query")}, {"retry", N_("retry")},
      {"repair", N_("repair")}, {"replicate", N_("replicate")}, {"transfer", N_("transfer")}, {"refund", N_("refund")},
      {"release", N_("release")}, {"post", N_("post")}, {"timeline", N_("timeline")}, {"input", N_("input")},
  };
  if (auto it = words.find(kind); it != words.end()) return it->second;
  std::string s = kind;
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

void refresh_painters(const World& w, CanvasView& v) {
  std::vector<const void*> models;
  for (const auto& m : w.models()) models.push_back(m.get());
  models.push_back(&w);
  if (models == v.painter_models && !v.painters.empty()) return;
  if (models == v.painter_models && v.painters.empty() && !v.painter_models.empty()) return;
  v.painter_models = models;
  v.painters = make_painters(w);
}

// The roles models give their nodes, translated where the canvas draws them.
[[maybe_unused]] const char* const kRoles[] = {N_("leader"), N_("follower"), N_("candidate"), N_("client"), N_("server"),
                                               N_("primary"), N_("backup"), N_("replica")};

std::vector<LegendItem> legend_items(const World& w, const CanvasView& v) {
  std::vector<LegendItem> out;
  bool flows = false;
  for (const auto& p : v.painters) flows = flows || p->draws_flows();
  if (!flows) {
    // One row per kind of message this world has sent (colour and words).
    std::set<std::string> shown;
    for (const std::string& k : v.kinds_seen) {
      std::string label = message_label(w, k);
      if (!shown.insert(label).second) continue;
      out.push_back({N_("Messages"), LegendGlyph::Dot, message_color(k), label});
    }
    if (w.net_stats().dropped > 0) out.push_back({N_("Messages"), LegendGlyph::Cross, palette::vermillion, N_("dropped")});
  }
  bool servers = false, clients = false, crashed = false;
  for (const auto& n : w.nodes()) {
    (is_client(*n) ? clients : servers) = true;
    crashed = crashed || n->status != NodeStatus::Up;
  }
  if (!flows && servers) out.push_back({N_("Nodes"), LegendGlyph::Ring, text_color(), N_("server")});
  if (clients) out.push_back({N_("Nodes"), LegendGlyph::Box, text_color(), N_("client")});
  if (crashed) out.push_back({N_("Nodes"), LegendGlyph::Cross, palette::vermillion, N_("crashed")});
  bool cut = false;
  for (int g : w.partition_groups()) cut = cut || g != 0;
  if (cut) out.push_back({N_("Network"), LegendGlyph::Dashed, palette::vermillion, N_("partition: cut link")});
  for (const auto& p : v.painters) p->legend(out);
  return out;
}

ImU32 message_color(const std::string& kind) {
  if (kind.rfind("vote", 0) == 0) return palette::purple;
  if (kind == "append") return palette::sky_blue;
  if (kind.rfind("append", 0) == 0) return palette::blue;
  if (kind == "request" || kind == "write") return palette::orange;
  if (kind == "response" || kind == "write_ack") return palette::green;
  if (kind == "retry") return palette::vermillion;
  if (kind == "read" || kind == "get") return palette::sky_blue;
  if (kind == "read_reply" || kind == "reply") return palette::blue;
  if (kind == "ping" || kind == "gossip" || kind == "repair") return palette::yellow;
  // Any other kind: a palette colour of its own, the same every time (vermillion stays for drops
  // and failures).
  static const ImU32 others[] = {palette::sky_blue, palette::orange, palette::green, palette::purple, palette::blue,
                                 palette::yellow};
  uint32_t h = 2166136261u;
  for (char c : kind) h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
  return others[h % 6];
}

namespace {

}  // namespace

void auto_layout(const World& w, CanvasView& v, bool reset) {
  const auto& nodes = w.nodes();
  refresh_painters(w, v);
  v.label_room = ImVec2(0, 0);
  for (const auto& p : v.painters)
    if (p->lays_out()) {   // a model that places its own nodes (the shop's cards)
      v.pos.assign(nodes.size(), ImVec2(0, 0));
      p->layout(w, v);
      return;
    }
  if (reset) v.pos.clear();
  size_t placed = v.pos.size();
  v.pos.resize(nodes.size());
  std::vector<NodeId> servers, clients;
  for (const auto& n : nodes) (is_client(*n) ? clients : servers).push_back(n->id);
  // A server added at runtime (raft.add_server, shard.add_node) re-spaces the whole ring, so it
  // does not land on top of its neighbour; clients keep their places.
  bool new_server = false;
  for (NodeId id : servers) new_server = new_server || static_cast<size_t>(id) >= placed;
  for (size_t i = 0; i < servers.size(); ++i) {
    if (!new_server && static_cast<size_t>(servers[i]) < placed) continue;
    float a = -kPi / 2 + 2 * kPi * static_cast<float>(i) / static_cast<float>(std::max<size_t>(1, servers.size()));
    v.pos[static_cast<size_t>(servers[i])] = ImVec2(std::cos(a) * 0.62f, std::sin(a) * 0.62f);
  }
  for (size_t i = 0; i < clients.size(); ++i) {
    if (static_cast<size_t>(clients[i]) < placed) continue;
    float t = clients.size() == 1 ? 0.5f : static_cast<float>(i) / static_cast<float>(clients.size() - 1);
    v.pos[static_cast<size_t>(clients[i])] = ImVec2(-1.15f, -0.6f + 1.2f * t);
  }
}

namespace {

void draw_glyph(ImDrawList* dl, LegendGlyph g, ImVec2 c, ImU32 col) {
  switch (g) {
    case LegendGlyph::Dot: dl->AddCircleFilled(c, 5.0f, col, 10); break;
    case LegendGlyph::Line: dl->AddLine(ImVec2(c.x - 7, c.y), ImVec2(c.x + 7, c.y), col, 2.0f); break;
    case LegendGlyph::Thick: dl->AddLine(ImVec2(c.x - 7, c.y), ImVec2(c.x + 7, c.y), col, 5.0f); break;
    case LegendGlyph::Dashed:
      dl->AddLine(ImVec2(c.x - 8, c.y), ImVec2(c.x - 3, c.y), col, 2.5f);
      dl->AddLine(ImVec2(c.x + 1, c.y), ImVec2(c.x + 6, c.y), col, 2.5f);
      break;
    case LegendGlyph::Ring: dl->AddCircle(c, 6.0f, col, 16, 2.5f); break;
    case LegendGlyph::Box: dl->AddRect(ImVec2(c.x - 6, c.y - 6), ImVec2(c.x + 6, c.y + 6), col, 2.0f, 0, 1.5f); break;
    case LegendGlyph::Star: draw_star(dl, c, 7.0f, col); break;
    case LegendGlyph::Cross:
      dl->AddLine(ImVec2(c.x - 5, c.y - 5), ImVec2(c.x + 5, c.y + 5), col, 2.5f);
      dl->AddLine(ImVec2(c.x + 5, c.y - 5), ImVec2(c.x - 5, c.y + 5), col, 2.5f);
      break;
    case LegendGlyph::Bar: dl->AddRectFilled(ImVec2(c.x - 7, c.y - 3), ImVec2(c.x + 5, c.y + 3), col, 1.0f); break;
  }
}

/// Height of the legend strip for `items` in a pane `width` wide (folded: one line).
float legend_height(const std::vector<LegendItem>& items, float width, bool open, float row) {
  if (!open || items.empty()) return row + 6.0f;
  float x = 0.0f, h = row;
  ImFont* f = ImGui::GetFont();
  const float px = ImGui::GetFontSize();
  std::string section;
  for (const auto& it : items) {
    float w = 22.0f + f->CalcTextSizeA(px, FLT_MAX, 0, it.label.c_str()).x + 14.0f;
    if (it.section != section) {
      w += f->CalcTextSizeA(px, FLT_MAX, 0, it.section.c_str()).x + 10.0f;
      section = it.section;
    }
    if (x > 0.0f && x + w > width - 8.0f) { x = 0.0f; h += row; }
    x += w;
  }
  return h + row + 8.0f;
}

/// Draws the legend strip across the top of the pane: a fold button, then the rows as flowing
/// items "section: glyph label".
void draw_legend_strip(ImDrawList* dl, CanvasView& v, ImVec2 lo, float width, float row) {
  const ImU32 tc = text_color();
  ImFont* f = ImGui::GetFont();
  const float px = ImGui::GetFontSize();
  const char* head = v.legend_open ? i18n::tr("Legend (click to fold)") : i18n::tr("Legend (click to show)");
  const ImVec2 hs = f->CalcTextSizeA(px, FLT_MAX, 0, head);
  v.legend_toggle_lo = ImVec2(lo.x + 4, lo.y + 3);
  v.legend_toggle_hi = ImVec2(lo.x + 4 + hs.x + 22, lo.y + 3 + row);
  dl->AddRect(v.legend_toggle_lo, v.legend_toggle_hi, (tc & 0x00FFFFFF) | 0x60000000, 3.0f);
  const ImVec2 tri(lo.x + 12, lo.y + 3 + row * 0.5f);
  if (v.legend_open) dl->AddTriangleFilled(ImVec2(tri.x - 4, tri.y - 2), ImVec2(tri.x + 4, tri.y - 2), ImVec2(tri.x, tri.y + 3), tc);
  else dl->AddTriangleFilled(ImVec2(tri.x - 2, tri.y - 4), ImVec2(tri.x - 2, tri.y + 4), ImVec2(tri.x + 3, tri.y), tc);
  dl->AddText(f, px, ImVec2(lo.x + 20, lo.y + 3 + (row - hs.y) * 0.5f), tc, head);
  if (!v.legend_open) return;
  float x = 0.0f, y = lo.y + row + 6.0f;
  std::string section;
  for (const auto& it : v.legend) {
    // The legend is data in English (state().view, tests); shown in the student's language.
    const char* label = i18n::tr(it.label.c_str());
    const std::string section_text = std::string(i18n::tr(it.section.c_str())) + ":";
    float w = 22.0f + f->CalcTextSizeA(px, FLT_MAX, 0, label).x + 14.0f;
    const bool new_section = it.section != section;
    const float sw = new_section ? f->CalcTextSizeA(px, FLT_MAX, 0, section_text.c_str()).x + 4.0f : 0.0f;
    if (x > 0.0f && x + w + sw > width - 8.0f) { x = 0.0f; y += row; }
    if (new_section) {
      dl->AddText(f, px, ImVec2(lo.x + 6 + x, y), (tc & 0x00FFFFFF) | 0xA0000000, section_text.c_str());
      x += sw;
      section = it.section;
    }
    draw_glyph(dl, it.glyph, ImVec2(lo.x + 6 + x + 9, y + row * 0.5f - 1), it.col);
    dl->AddText(f, px, ImVec2(lo.x + 6 + x + 22, y), tc, label);
    x += w;
  }
}

/// A partition group: a dashed outline around its nodes' shapes, labelled "side A (3 nodes)".
void draw_partition_group(ImDrawList* dl, const std::vector<ImVec2>& pts, float pad, ImU32 col, const std::string& label) {
  if (pts.empty()) return;
  ImVec2 c(0, 0);
  for (auto p : pts) { c.x += p.x; c.y += p.y; }
  c.x /= static_cast<float>(pts.size());
  c.y /= static_cast<float>(pts.size());
  // Points on a circle of radius `pad` around every node, then their hull: a rounded outline.
  std::vector<glm::vec2> ring;
  for (auto p : pts)
    for (int k = 0; k < 12; ++k) {
      const float a = static_cast<float>(k) * kPi / 6.0f;
      ring.push_back(gv(p) + pad * glm::vec2(std::cos(a), std::sin(a)));
    }
  std::vector<ImVec2> h;
  for (glm::vec2 q : convex_hull(ring)) h.push_back(iv(q));
  dl->AddConvexPolyFilled(h.data(), static_cast<int>(h.size()), (col & 0x00FFFFFF) | 0x18000000);
  for (size_t i = 0; i < h.size(); ++i) {
    const ImVec2 a = h[i], b = h[(i + 1) % h.size()];
    // Dashes: every other third of each side.
    for (int k = 0; k < 3; k += 2) dl->AddLine(lerp(a, b, k / 3.0f), lerp(a, b, (k + 1) / 3.0f), col, 2.0f);
  }
  float top = 1e9f;
  for (auto p : h) top = std::min(top, p.y);
  const ImVec2 sz = ImGui::CalcTextSize(label.c_str());
  dl->AddText(ImVec2(c.x - sz.x / 2, top - sz.y - 2), col, label.c_str());
}

}  // namespace

void draw_canvas(const World& w, CanvasView& v, ImVec2 size, std::vector<Command>* out) {
  const auto& nodes = w.nodes();
  refresh_painters(w, v);
  bool flows = false;
  for (const auto& p : v.painters) flows = flows || p->draws_flows();
  bool services = false;   // a painter lays the world out as cards (re-laid out every frame)
  for (const auto& p : v.painters) services = services || p->lays_out();
  size.x = std::max(size.x, 50.0f);
  size.y = std::max(size.y, 50.0f);
  const float font_px = ImGui::GetFontSize();
  const float row = std::max(18.0f, font_px + 4.0f);

  // Legend strip on top, model panels (the Raft log) at the bottom; the graph gets the rest.
  v.legend = legend_items(w, v);
  // A short pane (side by side, a small window) starts with the legend folded to one line, until
  // the learner opens it.
  if (!v.legend_user_set) v.legend_open = size.y >= 450.0f;
  v.legend_h = legend_height(v.legend, size.x, v.legend_open, row);
  v.panel_h = 0.0f;
  for (const auto& p : v.painters) v.panel_h += p->panel_height(w, font_px);
  // The graph keeps at least 55% of the pane: else the panels wait for a larger pane (the
  // Inspector shows the same log).
  if (size.y - v.legend_h - v.panel_h < 0.55f * size.y) v.panel_h = 0.0f;
  const float graph_h = std::max(40.0f, size.y - v.legend_h - v.panel_h);
  const float new_aspect = size.x / graph_h;
  const bool relayout = services && std::abs(new_aspect - v.aspect) > 0.01f;
  v.aspect = new_aspect;
  if (services || relayout || v.pos.size() != nodes.size()) auto_layout(w, v, false);  // replicas come and go
  v.screen.resize(nodes.size());
  v.menu_service.clear();

  ImVec2 origin = ImGui::GetCursorScreenPos();
  v.origin = origin;
  v.size = size;
  ImGui::InvisibleButton("canvas", size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                                             ImGuiButtonFlags_MouseButtonMiddle);
  const bool canvas_hovered = ImGui::IsItemHovered();
  const bool canvas_active = ImGui::IsItemActive();
  ImGuiIO& io = ImGui::GetIO();

  // Camera: layout units -> pixels, fitted to the layout's bounding box in the graph area (with
  // margins for the labels under the nodes).
  glm::vec2 lo(1e9f), hi(-1e9f);
  if (v.pos.empty()) lo = glm::vec2(-1.0f), hi = glm::vec2(1.0f);
  for (const ImVec2& p : v.pos) {
    lo = glm::min(lo, gv(p));
    hi = glm::max(hi, gv(p));
  }
  for (const auto& gr : v.groups) {
    lo = glm::min(lo, glm::vec2(gr.x - gr.half_w, gr.y - gr.half_h));
    hi = glm::max(hi, glm::vec2(gr.x + gr.half_w, gr.y + gr.half_h));
  }
  lo -= gv(v.label_room);
  hi += gv(v.label_room);
  const float area_top = origin.y + v.legend_h;
  // Margins: a node's shape and its labels reach past its centre (services: the cards include
  // everything, only the client's label and the edges' marks need room).
  const float margin_x = services ? 24.0f : 56.0f;
  // In a small pane (side by side) the margins shrink with it, the labels still fit.
  const float margin_top = services ? 26.0f : std::min(60.0f, 0.1f * graph_h + 26.0f);   // star, votes
  const float margin_bottom = services ? 16.0f : std::min(26.0f + 2.0f * font_px, 0.08f * graph_h + font_px + 8.0f);
  const glm::vec2 area_lo(origin.x + margin_x, area_top + margin_top);
  const glm::vec2 area_hi(origin.x + size.x - margin_x, std::max(area_top + margin_top + 20.0f, area_top + graph_h - margin_bottom));
  const Camera cam = fit_camera(lo, hi, area_lo, area_hi, v.zoom, gv(v.pan), 20.0f);
  const float scale = cam.scale;
  g_scale = cam.scale / v.zoom;
  auto to_screen = [&](ImVec2 p) { return iv(cam.to_screen(gv(p))); };
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
    if (closest2 < 1e18f) v.radius_cap = std::max(5.0f, (services ? 0.36f : 0.45f) * std::sqrt(closest2));
  }

  // Legend fold button.
  if (canvas_hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left) && io.MousePos.x >= v.legend_toggle_lo.x &&
      io.MousePos.x <= v.legend_toggle_hi.x && io.MousePos.y >= v.legend_toggle_lo.y && io.MousePos.y <= v.legend_toggle_hi.y)
  {
    v.legend_open = !v.legend_open;
    v.legend_user_set = true;
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
  const ImU32 backing = (ImGui::GetColorU32(ImGuiCol_WindowBg) & 0x00FFFFFF) | 0xD8000000;
  const Time now = w.now();
  PaintContext pc{w, v, dl, now, scale, font_px, tc, backing,
                  [&](NodeId id) { return v.screen[static_cast<size_t>(id)]; },
                  [&](NodeId id) { return node_radius(v, *nodes[static_cast<size_t>(id)]); }, to_screen,
                  v.reduced_motion};

  // Links: pairs that have exchanged messages (scanned incrementally from the trace).
  const Trace& tr = w.trace();
  const auto& evs = tr.events();
  uint64_t fresh = tr.count() - v.trace_seen;
  size_t from_index = evs.size() > fresh ? evs.size() - static_cast<size_t>(fresh) : 0;
  for (size_t i = from_index; i < evs.size(); ++i) {
    const auto& e = evs[i];
    if (e.kind != TraceKind::Send || e.node < 0 || e.peer < 0 || e.node == e.peer) continue;
    if (v.kinds_seen.size() < 24 && !e.what.empty()) v.kinds_seen.insert(e.what);
    if (v.links.size() <= kMaxLinks) v.links.insert({std::min(e.node, e.peer), std::max(e.node, e.peer)});
  }
  // Kinds for the legend: from the messages in flight (cheap, and every kind flies sometime).
  const std::vector<const Message*> flying = w.in_flight();
  if (v.kinds_seen.size() < 24) {
    const std::string* last = nullptr;
    for (const Message* m : flying) {
      if (last && *last == m->kind) continue;
      last = &m->kind;
      v.kinds_seen.insert(m->kind);
      if (v.kinds_seen.size() >= 24) break;
    }
  }
  v.trace_seen = tr.count();
  const std::vector<int>& groups = w.partition_groups();
  const ImVec2 clip_lo = origin, clip_hi(origin.x + size.x, origin.y + size.y);
  auto outside = [&](ImVec2 p, float pad) {
    return p.x < clip_lo.x - pad || p.y < clip_lo.y - pad || p.x > clip_hi.x + pad || p.y > clip_hi.y + pad;
  };
  // Partitions: each side of a cut outlined and named, so the split is visible at a glance.
  bool cut_any = false;
  for (int gi : groups) cut_any = cut_any || gi != 0;
  if (cut_any && !services) {
    int max_group = 0;
    for (int gi : groups) max_group = std::max(max_group, gi);
    for (int gi = 0; gi <= max_group; ++gi) {
      std::vector<ImVec2> pts;
      for (size_t i = 0; i < nodes.size() && i < groups.size(); ++i)
        if (groups[i] == gi && !is_client(*nodes[i])) pts.push_back(v.screen[i]);
      if (pts.empty()) continue;
      const std::string label = std::string("side ") + static_cast<char>('A' + gi % 26) + " (" + std::to_string(pts.size()) +
                                (pts.size() == 1 ? " node)" : " nodes)");
      draw_partition_group(dl, pts, std::min(60.0f, g_scale * 0.2f + 14.0f), gi % 2 ? palette::orange : palette::sky_blue, label);
    }
  }
  if (!flows) {
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
  }
  for (auto& p : v.painters) p->under_nodes(pc);

  // Messages in flight: a dot at (now - sent) / (deliver - sent) along its link, with a short
  // fading tail behind it that shows where it comes from. Flow worlds draw particles instead.
  const float dot = std::clamp(6.0f * v.zoom, 3.0f, 9.0f);
  v.in_flight = flying.size();
  v.drawn = {};
  const bool many = flying.size() > kManyMessages;
  const std::string* last_kind = nullptr;
  ImU32 last_col = 0;
  if (!flows) {
    if (many) dl->PrimReserve(static_cast<int>(flying.size()) * 6, static_cast<int>(flying.size()) * 4);
    int unused = many ? static_cast<int>(flying.size()) : 0;
    const float half = dot * 0.8f;
    for (const Message* m : flying) {
      if (m->from < 0 || m->to < 0 || static_cast<size_t>(std::max(m->from, m->to)) >= nodes.size()) continue;
      double span = static_cast<double>(std::max<Time>(1, m->deliver_at - m->sent_at));
      float t = static_cast<float>(std::clamp(static_cast<double>(now - m->sent_at) / span, 0.0, 1.0));
      const ImVec2 pa = v.screen[static_cast<size_t>(m->from)], pb = v.screen[static_cast<size_t>(m->to)];
      ImVec2 p = lerp(pa, pb, t);
      if (outside(p, dot)) continue;
      // Messages of one kind come in runs: colour lookups by string only when the kind changes.
      if (!last_kind || m->kind != *last_kind) {
        last_kind = &m->kind;
        last_col = message_color(m->kind);
      }
      ++v.drawn.messages;
      if (many) {
        dl->PrimRect(ImVec2(p.x - half, p.y - half), ImVec2(p.x + half, p.y + half), last_col);
        --unused;
      } else {
        // A fading tail of three smaller dots behind it: which way it goes.
        for (int k = 3; k >= 1; --k) {
          const float tk = t - 0.05f * static_cast<float>(k);
          if (tk <= 0.0f) continue;
          dl->AddCircleFilled(lerp(pa, pb, tk), dot * (1.0f - 0.18f * static_cast<float>(k)),
                              (last_col & 0x00FFFFFF) | (static_cast<ImU32>(150 - 40 * k) << 24), 10);
        }
        dl->AddCircleFilled(p, dot, last_col, 12);
        dl->AddCircle(p, dot, (tc & 0x00FFFFFF) | 0x90000000, 12, 1.0f);
      }
    }
    if (unused > 0) dl->PrimUnreserve(unused * 6, unused * 4);
  }
  // Dropped messages fall off their link and fade (over a short window of simulated time).
  const Time fall_window = 40 * kMs;
  for (auto it = evs.rbegin(); !flows && it != evs.rend(); ++it) {
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
  v.graph_lo = ImVec2(1e9f, 1e9f);
  v.graph_hi = ImVec2(-1e9f, -1e9f);
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Node& n = *nodes[i];
    ImVec2 c = v.screen[i];
    float r = node_radius(v, n);
    v.graph_lo = ImVec2(std::min(v.graph_lo.x, c.x - r), std::min(v.graph_lo.y, c.y - r));
    v.graph_hi = ImVec2(std::max(v.graph_hi.x, c.x + r), std::max(v.graph_hi.y, c.y + r));
    if (outside(c, r + 60.0f)) continue;
    const bool crashed = n.status != NodeStatus::Up;
    role_and_term(n, &role, &term);
    const bool leader = role == "leader" || role == "primary";
    ImU32 fill = crashed ? palette::rgb(90, 90, 90) : node_fill();
    ImU32 outline = leader ? palette::yellow : (role == "candidate" ? palette::orange : tc);
    bool highlighted = std::find(v.highlight.begin(), v.highlight.end(), n.name) != v.highlight.end();
    if (highlighted) dl->AddCircle(c, r + 13.0f, palette::yellow, 40, 2.5f);   // outside a timer ring (r + 6)
    if (static_cast<NodeId>(i) == v.selected) dl->AddCircle(c, r + 5.0f, palette::sky_blue, 32, 2.0f);
    if (is_client(n)) {
      dl->AddRectFilled(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), fill, 4.0f);
      dl->AddRect(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), outline, 4.0f, 0, 1.5f);
    } else if (is_service(n)) {
      dl->AddRectFilled(ImVec2(c.x - r * 1.3f, c.y - r * 0.8f), ImVec2(c.x + r * 1.3f, c.y + r * 0.8f), fill, 6.0f);
      dl->AddRect(ImVec2(c.x - r * 1.3f, c.y - r * 0.8f), ImVec2(c.x + r * 1.3f, c.y + r * 0.8f), outline, 6.0f, 0, 2.0f);
    } else {
      dl->AddCircleFilled(c, r, fill, 0);   // 0: ImGui picks the segments for the radius (cached)
      dl->AddCircle(c, r, outline, 0, leader ? 4.0f : 2.0f);
    }
    if (leader) draw_star(dl, ImVec2(c.x, c.y - r - 12.0f), 9.0f, palette::yellow);
    if (crashed) {
      float k = r * 0.6f;
      dl->AddLine(ImVec2(c.x - k, c.y - k), ImVec2(c.x + k, c.y + k), palette::vermillion, 3.0f);
      dl->AddLine(ImVec2(c.x + k, c.y - k), ImVec2(c.x - k, c.y + k), palette::vermillion, 3.0f);
    }
    // Labels: name inside; state below (never by colour alone).
    if (nodes.size() > kCrowd && !highlighted && static_cast<NodeId>(i) != v.selected && static_cast<NodeId>(i) != v.hovered)
      continue;
    // A service replica ("cart-2", role "service:cart") sits in its service's titled card: its
    // number is enough inside the shape. Another name too wide for its shape ("coordinator")
    // goes below it instead.
    std::string label = n.name;
    if (n.role.rfind("service:", 0) == 0 || n.role.rfind("queue:", 0) == 0) {
      const std::string svc = n.role.substr(n.role.find(':') + 1);
      const size_t dash = n.name.rfind('-');
      if (dash != std::string::npos && dash + 1 < n.name.size() && dash >= svc.size() &&
          n.name.compare(dash - svc.size(), svc.size(), svc) == 0 &&
          n.name.find_first_not_of("0123456789", dash + 1) == std::string::npos)
        label = n.name.substr(dash + 1);
    }
    ImVec2 nsz = ImGui::CalcTextSize(label.c_str());
    float below_y = c.y + r + 3.0f;
    const float inner = is_service(n) ? 2.6f * r - 4.0f : 2.0f * r - 4.0f;
    if (nsz.x <= inner) {
      dl->AddText(ImVec2(c.x - nsz.x / 2, c.y - nsz.y / 2), tc, label.c_str());
    } else if (services && is_client(n)) {
      // The shop's clients: the name beside the shape, clear of the call edge below or beside it.
      if (v.vertical) dl->AddText(ImVec2(c.x - r - 6.0f - nsz.x, c.y - nsz.y / 2), tc, label.c_str());
      else dl->AddText(ImVec2(c.x - nsz.x / 2, c.y - r - 4.0f - nsz.y), tc, label.c_str());
    } else {
      text_centered(dl, ImVec2(c.x, below_y), tc, label);
      below_y += nsz.y;
    }
    if (services && is_service(n)) continue;   // the services painter labels replicas' states
    std::string state;
    // In the student's language: the states, and the roles the models report (leader, follower...).
    if (n.status == NodeStatus::Crashed) state = i18n::tr("crashed");
    else if (n.status == NodeStatus::Restarting) state = i18n::tr("restarting");
    else if (!role.empty() && role != n.name) {
      const char* words = model_words(w, role);
      state = i18n::tr(words ? words : role.c_str());
    }   // a role that only repeats the name says nothing
    if (!term.empty() && !crashed) state += " t" + term;
    if (n.cpu_speed < 0.999) {
      char buf[32];
      std::snprintf(buf, sizeof buf, i18n::tr("%sslow x%.0f"), state.empty() ? "" : " | ", 1.0 / n.cpu_speed);
      state += buf;
    }
    if (n.version != "v1" && !n.version.empty()) state += " " + n.version;
    if (!state.empty()) state_labels.push_back({ImVec2(c.x, below_y), std::move(state)});
  }
  for (const auto& gr : v.groups) {
    const ImVec2 a = to_screen(ImVec2(gr.x - gr.half_w, gr.y - gr.half_h)), b = to_screen(ImVec2(gr.x + gr.half_w, gr.y + gr.half_h));
    v.graph_lo = ImVec2(std::min(v.graph_lo.x, a.x), std::min(v.graph_lo.y, a.y));
    v.graph_hi = ImVec2(std::max(v.graph_hi.x, b.x), std::max(v.graph_hi.y, b.y));
  }
  // State labels last, on a backing of the canvas colour: where nodes sit close together (a
  // small canvas, a service's replicas) a label reaches over the node below and must stay
  // readable ("restarting" over replica 2), not be covered by it.
  for (const auto& [pos, text] : state_labels) {
    const ImVec2 sz = ImGui::CalcTextSize(text.c_str());
    dl->AddRectFilled(ImVec2(pos.x - sz.x / 2 - 2, pos.y), ImVec2(pos.x + sz.x / 2 + 2, pos.y + sz.y), backing, 3.0f);
    text_centered(dl, pos, tc, text);
  }
  for (auto& p : v.painters) {
    p->over_nodes(pc);
    v.drawn.particles += p->particles_drawn();
  }
  // Model panels along the bottom (the Raft log table).
  if (v.panel_h > 0.0f) {
    float y = origin.y + size.y - v.panel_h;
    for (auto& p : v.painters) {
      const float h = p->panel_height(w, font_px);
      if (h <= 0.0f) continue;
      p->draw_panel(pc, ImVec2(origin.x + 2, y), ImVec2(origin.x + size.x - 2, y + h));
      y += h;
    }
  }
  // The legend strip on its own backing along the top.
  dl->AddRectFilled(origin, ImVec2(origin.x + size.x, origin.y + v.legend_h), backing);
  draw_legend_strip(dl, v, origin, size.x, row);
  dl->PopClipRect();

  // Hover: what the models know of the node (or edge, card) under the mouse.
  if (canvas_hovered && !ImGui::IsPopupOpen("node_menu")) {
    TooltipLines lines;
    for (const auto& p : v.painters) {
      TooltipLines more = v.hovered != kNoNode ? p->node_tooltip(pc, v.hovered) : p->hover_tooltip(pc, io.MousePos);
      lines.insert(lines.end(), more.begin(), more.end());
    }
    if (!lines.empty()) {
      ImGui::BeginTooltip();
      if (v.hovered != kNoNode) ImGui::TextUnformatted(nodes[static_cast<size_t>(v.hovered)]->name.c_str());
      for (const auto& l : lines) ImGui::TextUnformatted(l.c_str());
      ImGui::EndTooltip();
    }
  }

  // Context menu: every item is a Command.
  v.menu_items.clear();
  auto item = [&](const char* label) {
    bool hit = ImGui::MenuItem(i18n::tr(label));   // shown translated; state().menu keeps the English (tests, hooks)
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
        if (item(N_("Crash"))) issue({"crash", {{"node", n.name}}});
      } else if (item(N_("Restart"))) {
        issue({"restart", {{"node", n.name}}});
      }
      if (n.cpu_speed > 0.999) {
        if (item(N_("Slow down x10"))) issue({"slow", {{"node", n.name}, {"factor", "10"}}});
      } else if (item(N_("Normal speed"))) {
        issue({"slow", {{"node", n.name}, {"factor", "1"}}});
      }
      if (item(N_("Isolate (partition away)"))) issue({"partition", {{"groups", n.name}}});
      if (item(N_("Heal all partitions"))) issue({"heal", {}});
      // What the model adds (a service replica: scaling and slowing its service).
      for (const auto& p : v.painters) p->node_menu(w, n.id, item, issue, &v.menu_service);
    }
    ImGui::EndPopup();
  }
}

}  // namespace topo::ui
