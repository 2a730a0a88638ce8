// Lanes for the devops pipelines: see devops_painter.h.
#include "ui/painters/devops_painter.h"

#include "models/usecases/devops.h"
#include "ui/canvas.h"
#include "ui/style.h"
#include "util/i18n.h"

namespace topo::ui {

namespace {

constexpr float kColumn = 1.05f;   // layout units between stages
constexpr float kLane = 0.9f;      // between lanes (two lines of labels under each node)
constexpr float kGap = 0.55f;      // extra room above the train's lane

}  // namespace

std::map<NodeId, LaneSlot> devops_slots(const World& w, const usecases::DevopsModel& m) {
  std::map<NodeId, LaneSlot> out;
  const auto& services = m.config().services;
  auto place = [&](const std::string& name, int column, float lane) {
    if (auto id = w.find_node(name)) out[*id] = {column, lane};
  };
  const float n = static_cast<float>(services.size());
  for (size_t i = 0; i < services.size(); ++i) {
    const std::string& s = services[i];
    const float lane = static_cast<float>(i);   // the teams stand at the head of their lanes
    place(s + "-team", 0, lane);
    place(s + "-build", 1, lane);
    place(s + "-test", 2, lane);
    place(s + "-canary", 3, lane);
    place(s + "-prod", 4, lane);
  }
  // The train's lane under the services' (or, with only the monolith built, beside the teams).
  const float train_lane = m.config().services_side ? n + kGap / kLane : (n - 1.0f) / 2.0f;
  place("train", 1, train_lane);
  place("mono-build", 2, train_lane);
  place("mono-test", 3, train_lane);
  place("mono-prod", 4, train_lane);
  return out;
}

namespace {

class DevopsPainter : public WorldPainter {
 public:
  explicit DevopsPainter(const usecases::DevopsModel* m) : m_(m) {}

  bool lays_out() const override { return true; }
  void layout(const World& w, CanvasView& v) override {
    v.label_room = ImVec2(0.45f * kColumn, 0.0f);   // "payment-canary" is wider than a column
    for (const auto& [id, slot] : devops_slots(w, *m_))
      v.pos[static_cast<size_t>(id)] = ImVec2(static_cast<float>(slot.column) * kColumn, slot.lane * kLane);
  }

  void under_nodes(const PaintContext& pc) override {
    // Each lane's direction (an arrow from stage to stage) and a heading over each way of shipping.
    const auto slots = devops_slots(pc.w, *m_);
    std::map<float, std::map<int, NodeId>> lanes;
    for (const auto& [id, slot] : slots)
      if (slot.column > 0) lanes[slot.lane][slot.column] = id;
    const ImU32 col = (pc.text & 0x00FFFFFF) | 0x60000000;
    for (const auto& [lane, stages] : lanes) {
      NodeId prev = kNoNode;
      for (const auto& [column, id] : stages) {
        if (prev != kNoNode) {
          const ImVec2 a = pc.screen(prev), b = pc.screen(id);
          const float ra = pc.radius(prev) + 3.0f, rb = pc.radius(id) + 3.0f;
          const ImVec2 from(a.x + ra, a.y), to(b.x - rb, b.y);
          if (to.x > from.x + 6.0f) {
            pc.dl->AddLine(from, to, col, 2.0f);
            pc.dl->AddTriangleFilled(to, ImVec2(to.x - 8.0f, to.y - 4.5f), ImVec2(to.x - 8.0f, to.y + 4.5f), col);
          }
        }
        prev = id;
      }
    }
    auto heading = [&](const char* words, float lane) {
      const ImVec2 p = pc.to_screen(ImVec2(kColumn * 0.6f, lane * kLane - kLane * 0.62f));
      pc.dl->AddText(ImVec2(p.x, p.y - pc.font_px / 2), pc.text, words);
    };
    if (m_->config().services_side) heading(i18n::tr("Each service: its own pipeline"), 0.0f);
    if (m_->config().monolith_side) {
      const float n = static_cast<float>(m_->config().services.size());
      heading(i18n::tr("The monolith: one release train for every change"),
              m_->config().services_side ? n + kGap / kLane : (n - 1.0f) / 2.0f);
    }
  }

 private:
  const usecases::DevopsModel* m_;
};

}  // namespace

std::unique_ptr<WorldPainter> make_devops_painter(const World& w) {
  const auto* m = w.find_model<usecases::DevopsModel>();
  return m ? std::make_unique<DevopsPainter>(m) : nullptr;
}

}  // namespace topo::ui
