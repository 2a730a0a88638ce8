// The topology canvas: machines and services as shapes, links, and every message in flight as a
// dot moving along its link from its simulated send time to its delivery time. Reads the world
// through its const view; anything the learner does here (context menu: crash, restart, slow,
// isolate, heal) comes back as Commands for the app to apply.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "imgui.h"
#include "sim/world.h"

namespace topo::ui {

/// Canvas state kept between frames: layout, camera, selection, what was drawn where.
struct CanvasView {
  std::vector<ImVec2> pos;            ///< node positions in layout units (about -1..1)
  std::vector<ImVec2> screen;         ///< node centres on screen in the last frame (for tests)
  std::set<std::pair<NodeId, NodeId>> links;  ///< pairs that have exchanged messages (a < b)
  uint64_t trace_seen = 0;            ///< trace events already scanned for links
  ImVec2 pan{0, 0};                   ///< camera offset in pixels
  float zoom = 1.0f;
  float radius_cap = 1e9f;            ///< node radius limit in pixels this frame (crowded layouts)
  NodeId selected = kNoNode;
  NodeId hovered = kNoNode;
  NodeId dragging = kNoNode;
  std::vector<std::string> highlight; ///< node names a lesson step draws attention to
  bool fit_requested = true;
  /// A labelled box around a group of nodes (a service's replicas), in layout units.
  struct Group {
    std::string label;
    float x = 0, y = 0, half_h = 0;
    float max_half_w = 1e9f;  ///< at most this wide (half), so boxes in neighbouring columns never meet
    float label_h = 1e9f;     ///< room for the title above the box (the gap to the box above)
    float label_w = 1e9f;     ///< room for the title across (the column's width)
  };
  std::vector<Group> groups;
  std::string menu_service;           ///< the service the open context menu acts on, if any
  /// Items of the open context menu in the last frame (label, centre): tests click them.
  std::vector<std::pair<std::string, ImVec2>> menu_items;
  ImVec2 origin{0, 0};                ///< screen position of the canvas' top-left corner
  ImVec2 size{0, 0};
  size_t in_flight = 0;               ///< messages in flight drawn in the last frame
};

/// Places nodes: servers on a circle, clients on an outer arc, services by role. Keeps the
/// positions of nodes already placed (so a new node does not move the others).
void auto_layout(const World& w, CanvasView& v, bool reset);

/// Colour for a message kind ("vote", "append", "request", "response", "retry", ...).
ImU32 message_color(const std::string& kind);

/// Draws the canvas filling `size` at the current cursor, handles pan/zoom/drag/selection and
/// the node context menu; appends any Commands the learner issued to `out`.
void draw_canvas(const World& w, CanvasView& v, ImVec2 size, std::vector<Command>* out);

/// Legend of shapes and message colours (drawn as an overlay in the canvas corner).
void draw_legend(ImDrawList* dl, ImVec2 at);

}  // namespace topo::ui
