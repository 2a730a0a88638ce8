// Model-specific drawing on the topology canvas. The canvas draws what every world has (nodes,
// links, messages in flight, partitions); a WorldPainter adds what one model knows: a Raft
// server's election-timer ring and log strip, a service edge's health and breaker, a backup's
// replication lag, a shard's key-range share. Painters read the world through its const view and
// never change it (principle 6: the picture tells the truth and never alters it).
//
// Each model's painter lives in its own file beside this one; make_painters() picks the ones a
// world needs. The encodings' decisions (thresholds, fractions, densities) are plain functions
// in the painter headers so headless tests can check them without drawing.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "imgui.h"
#include "sim/world.h"

namespace topo::kv {
class History;
}

namespace topo::ui {

struct CanvasView;

/// What a legend row shows before its label.
enum class LegendGlyph { Dot, Line, Dashed, Thick, Ring, Box, Star, Cross, Bar };

/// One legend row: a glyph in a colour, and the words (never colour alone).
struct LegendItem {
  std::string section;   ///< heading the row sits under ("Messages", "Nodes", "Calls", ...)
  LegendGlyph glyph = LegendGlyph::Dot;
  ImU32 col = 0;
  std::string label;
};

/// Everything a painter needs to draw one frame of one canvas.
struct PaintContext {
  const World& w;
  const CanvasView& v;
  ImDrawList* dl;
  Time now = 0;
  float scale = 1.0f;         ///< pixels per layout unit
  float font_px = 16.0f;      ///< the UI font's size in pixels (labels never go below 12 px)
  ImU32 text = 0;             ///< the theme's text colour
  ImU32 backing = 0;          ///< the canvas background (for label backings)
  /// Screen centre and radius of node `id`'s shape this frame.
  std::function<ImVec2(NodeId)> screen;
  std::function<float(NodeId)> radius;
  /// Layout units -> screen pixels (the camera of this frame).
  std::function<ImVec2(ImVec2)> to_screen;
  /// The learner asked for less motion (prefers-reduced-motion, View menu): flows stand still.
  bool reduced_motion = false;
};

/// Hover text: one line per row ("rps 41.2", "p99 12 ms").
using TooltipLines = std::vector<std::string>;

class WorldPainter {
 public:
  virtual ~WorldPainter() = default;
  /// Legend rows this world needs (appended to `out`).
  virtual void legend(std::vector<LegendItem>& out) const { (void)out; }
  /// Drawn after the links and before the messages and nodes (edges, groups, cuts).
  virtual void under_nodes(const PaintContext& pc) { (void)pc; }
  /// Drawn after the nodes (rings, log strips, badges, bars).
  virtual void over_nodes(const PaintContext& pc) { (void)pc; }
  /// Lines for the hover tooltip of node `id` (empty: nothing to add).
  virtual TooltipLines node_tooltip(const PaintContext& pc, NodeId id) const { (void)pc; (void)id; return {}; }
  /// Lines for a hover anywhere else on the canvas (an edge, a group); `mouse` in screen pixels.
  virtual TooltipLines hover_tooltip(const PaintContext& pc, ImVec2 mouse) const { (void)pc; (void)mouse; return {}; }
  /// True when this painter places the world's nodes itself (layout()), every frame: the shop's
  /// cards follow replicas as they come and go. Else the canvas's circle layout is used.
  virtual bool lays_out() const { return false; }
  /// Sets v.pos for every node (v.aspect is the pane's width / height) and v.groups.
  virtual void layout(const World& w, CanvasView& v) { (void)w; (void)v; }
  /// Items the node's context menu adds: `item(label)` draws one and says whether it was
  /// picked; picked actions go out as `issue(Command)`; `menu_service` names the service the
  /// menu acts on (for tests), if any.
  virtual void node_menu(const World& w, NodeId id, const std::function<bool(const char*)>& item,
                         const std::function<void(Command)>& issue, std::string* menu_service) {
    (void)w; (void)id; (void)item; (void)issue; (void)menu_service;
  }
  /// True when the painter draws tools of its own on the Tools tab (draw_tools).
  virtual bool has_tools() const { return false; }
  /// The Tools tab's section for this model (ImGui widgets); every action goes out as `issue(Command)`.
  virtual void draw_tools(const World& w, const std::function<void(Command)>& issue) { (void)w; (void)issue; }
  /// The Inspector's section for node `id` (ImGui widgets, after the node's generic rows).
  virtual void draw_inspector(const World& w, NodeId id) { (void)w; (void)id; }
  /// Extra members of the state hook's inspector object for node `id` (",\"raft\":{...}"), or "".
  virtual std::string inspector_json(const World& w, NodeId id) const { (void)w; (void)id; return ""; }
  /// Pixels this painter needs along the bottom of the canvas for a panel of its own (the Raft
  /// log table); the camera fits the graph into what is left above it.
  virtual float panel_height(const World& w, float font_px) const { (void)w; (void)font_px; return 0.0f; }
  /// Draws that panel into [lo, hi] (screen pixels).
  virtual void draw_panel(const PaintContext& pc, ImVec2 lo, ImVec2 hi) { (void)pc; (void)lo; (void)hi; }
  /// True when the world's traffic is drawn as flows (particles per edge) rather than one dot per
  /// message: the canvas then skips per-message dots and the visual clock does not slow down
  /// around messages.
  virtual bool draws_flows() const { return false; }
  /// How many particles the last over/under_nodes call drew (for the view hook).
  virtual size_t particles_drawn() const { return 0; }
  /// This world's call edges for the `edges` hook as JSON objects separated by commas (each
  /// with "world":`world`), or "" when it has none.
  virtual std::string edges_json(const World& w, const std::string& world) const { (void)w; (void)world; return ""; }
};

/// The painters world `w` needs (none for a world no painter knows).
std::vector<std::unique_ptr<WorldPainter>> make_painters(const World& w);

/// The client history of a key-value world (Raft, primary-backup, quorum) for the History tab,
/// or null when the world records none.
const kv::History* client_history(const World& w);

}  // namespace topo::ui
