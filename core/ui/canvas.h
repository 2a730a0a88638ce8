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
#include "ui/painters/painter.h"

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
  /// A service's card (a deployable): its replicas sit inside it, its title along its top. In
  /// layout units; cards never overlap (tests check it).
  struct Group {
    std::string label;
    int system = 0, deployable = 0;   ///< indices into the services graph
    float x = 0, y = 0;               ///< centre
    float half_w = 0, half_h = 0;
  };
  std::vector<Group> groups;
  /// Room around the layout's bounding box, in layout units, for labels wider than the spacing
  /// between nodes (a painter that lays the nodes out sets it; 0 otherwise).
  ImVec2 label_room = ImVec2(0, 0);
  /// Service worlds: depth runs top to bottom (a tall pane) or left to right (a wide one).
  bool vertical = false;
  size_t wrap = 0;                    ///< cards per row (or column) before a level continues on the next
  float aspect = 1.0f;                ///< width / height of the pane in the last frame
  // Model painters (Raft rings and log, service health and flows, ...), rebuilt when the world
  // under the canvas changes.
  std::vector<std::unique_ptr<WorldPainter>> painters;
  std::vector<const void*> painter_models;
  std::set<std::string> kinds_seen;   ///< message kinds sent so far (the legend lists these)
  bool legend_open = true;
  bool reduced_motion = false;        ///< particle streams stand still (set by the app)
  bool legend_user_set = false;       ///< the learner folded or opened it (else it follows the pane size)
  ImVec2 legend_toggle_lo{0, 0}, legend_toggle_hi{0, 0};
  ImVec2 graph_lo{0, 0}, graph_hi{0, 0};  ///< screen bounding box of the nodes' shapes (last frame)
  float legend_h = 0, panel_h = 0;        ///< pixels the legend strip and model panels took
  struct Drawn { size_t messages = 0, particles = 0; } drawn;  ///< what the last frame drew
  std::vector<LegendItem> legend;         ///< the rows shown in the last frame
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

/// The legend rows world `w` needs: the message kinds it has sent, node shapes it has, and what
/// its model painters add. Never rows for things the world does not have.
std::vector<LegendItem> legend_items(const World& w, const CanvasView& v);

/// Readable name of a message kind for the legend ("append_reply" -> "append reply"): the words
/// a model of `w` gives it, else the lab's own, else the kind with spaces. Untranslated: tr() it.
std::string message_label(const World& w, const std::string& kind);

/// The words a model of `w` gives identifier `id` (a message kind, a role, an Inspector field or
/// value; Model::words), untranslated (tr() them), or null when no model has words for it.
const char* model_words(const World& w, const std::string& id);

/// Makes sure v.painters match the world's models (after a rewind or a new world).
void refresh_painters(const World& w, CanvasView& v);

/// The pixels a node of `w` has as its radius at camera scale `scale` (pixels per layout unit).
float base_node_radius(const Node& n, size_t node_count, float scale);

}  // namespace topo::ui
