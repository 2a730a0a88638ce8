// Painters of primary-backup, quorum and sharding worlds: see replication_painters.h.
#include "ui/painters/replication_painters.h"
#include "ui/tr.h"
#include "util/i18n.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "models/replication/primary_backup.h"
#include "models/replication/quorum.h"
#include "models/sharding/sharding.h"
#include "ui/style.h"

namespace topo::ui {

std::map<NodeId, int64_t> pb_backup_lag(const replication::PbModel& m) {
  std::map<NodeId, int64_t> out;
  const auto views = m.server_views();
  const auto p = m.primary();
  if (!p) return out;
  int64_t primary_seq = 0;
  for (const auto& v : views)
    if (v.id == *p) primary_seq = v.seq;
  for (const auto& v : views)
    if (v.up && v.id != *p) out[v.id] = std::max<int64_t>(0, primary_seq - v.seq);
  return out;
}

QuorumAnswers quorum_answers(const World& w, Time now, Time window_us) {
  QuorumAnswers a;
  const auto& evs = w.trace().events();
  for (auto it = evs.rbegin(); it != evs.rend(); ++it) {
    if (it->t < now - window_us) break;
    if (it->kind != TraceKind::Send) continue;
    std::vector<NodeId>* list = it->what == "read_reply" ? &a.read : it->what == "write_ack" ? &a.write : nullptr;
    if (list && std::find(list->begin(), list->end(), it->node) == list->end()) list->push_back(it->node);
  }
  std::sort(a.read.begin(), a.read.end());
  std::sort(a.write.begin(), a.write.end());
  return a;
}

std::map<NodeId, double> shard_key_shares(const World& w, const sharding::ShardModel& m) {
  std::map<NodeId, double> out;
  const auto keys = m.keys_per_node();
  int64_t total = 0;
  for (const auto& [name, n] : keys) total += n;
  for (const auto& [name, n] : keys)
    if (auto id = w.find_node(name)) out[*id] = total > 0 ? static_cast<double>(n) / static_cast<double>(total) : 0.0;
  return out;
}

namespace {

void badge(const PaintContext& pc, ImVec2 at, ImU32 col, const std::string& text) {
  ImFont* f = ImGui::GetFont();
  const float px = std::max(12.0f, pc.font_px * 0.85f);
  const ImVec2 sz = f->CalcTextSizeA(px, FLT_MAX, 0.0f, text.c_str());
  const ImVec2 p(at.x - sz.x / 2, at.y);
  pc.dl->AddRectFilled(ImVec2(p.x - 4, p.y - 1), ImVec2(p.x + sz.x + 4, p.y + sz.y + 1), pc.backing, 3.0f);
  pc.dl->AddRect(ImVec2(p.x - 4, p.y - 1), ImVec2(p.x + sz.x + 4, p.y + sz.y + 1), col, 3.0f, 0, 1.5f);
  pc.dl->AddText(f, px, p, col, text.c_str());
}

/// Where a badge goes: beside the node, away from the centre of the picture (the labels under
/// the node stay clear).
ImVec2 beside(const PaintContext& pc, NodeId id, float dy) {
  const ImVec2 c = pc.screen(id);
  return ImVec2(c.x, c.y + pc.radius(id) + 6.0f + 2.0f * pc.font_px + dy);
}

class PbPainter : public WorldPainter {
 public:
  explicit PbPainter(const replication::PbModel* m) : m_(m) {}
  void legend(std::vector<LegendItem>& out) const override {
    out.push_back({N_("Replication"), LegendGlyph::Box, palette::orange, N_("lag N: writes a backup has not applied")});
    out.push_back({N_("Replication"), LegendGlyph::Box, palette::green, N_("in sync")});
  }
  void over_nodes(const PaintContext& pc) override {
    for (const auto& [id, lag] : pb_backup_lag(*m_))
      badge(pc, beside(pc, id, 0.0f), lag > 0 ? palette::orange : palette::green,
            lag > 0 ? format_msg(trn("lag %lld write", "lag %lld writes", static_cast<long>(lag)), static_cast<long long>(lag))
                    : std::string(tr("in sync")));
    if (auto p = m_->primary()) {
      const int64_t u = m_->unreplicated();
      if (u > 0)
        badge(pc, beside(pc, *p, 0.0f), palette::vermillion,
              format_msg(trn("%lld write only here", "%lld writes only here", static_cast<long>(u)), static_cast<long long>(u)));
    }
  }
  TooltipLines node_tooltip(const PaintContext& pc, NodeId id) const override {
    (void)pc;
    for (const auto& v : m_->server_views())
      if (v.id == id && v.up)
        return {format_msg(v.primary ? tr("primary, view %lld, applied up to %lld") : tr("backup, view %lld, applied up to %lld"),
                           static_cast<long long>(v.view), static_cast<long long>(v.seq))};
    return {};
  }

 private:
  const replication::PbModel* m_;
};

class QuorumPainter : public WorldPainter {
 public:
  explicit QuorumPainter(const replication::QuorumModel* m) : m_(m) {}
  void legend(std::vector<LegendItem>& out) const override {
    const auto& c = m_->config();
    char buf[96];
    std::snprintf(buf, sizeof buf, "N=%d R=%d W=%d (%s)", c.n, c.r, c.w,
                  c.r + c.w > c.n ? tr("R+W>N: reads meet the latest write") : tr("R+W<=N: reads may miss it"));
    out.push_back({N_("Quorum"), LegendGlyph::Ring, palette::sky_blue, buf});
    out.push_back({N_("Quorum"), LegendGlyph::Box, palette::sky_blue, N_("R / W: answered the latest read / write")});
    out.push_back({N_("Quorum"), LegendGlyph::Box, palette::orange, N_("stale: holds an older version")});
  }
  void over_nodes(const PaintContext& pc) override {
    const QuorumAnswers a = quorum_answers(pc.w, pc.now, kWindowUs);
    for (NodeId id : m_->replicas()) {
      const bool r = std::find(a.read.begin(), a.read.end(), id) != a.read.end();
      const bool w = std::find(a.write.begin(), a.write.end(), id) != a.write.end();
      const ImVec2 c = pc.screen(id);
      if (r || w) {
        pc.dl->AddCircle(c, pc.radius(id) + 7.0f, palette::sky_blue, 40, 3.0f);
        badge(pc, ImVec2(c.x + pc.radius(id) + 14.0f, c.y - pc.font_px), palette::sky_blue, std::string(r ? "R" : "") + (w ? "W" : ""));
      }
      const int64_t stale = m_->stale_keys(id);
      if (stale > 0) badge(pc, beside(pc, id, 0.0f), palette::orange, "stale: " + std::to_string(stale) + (stale == 1 ? " key" : " keys"));
    }
  }

 private:
  static constexpr Time kWindowUs = 300'000;   ///< "the latest" read / write: answers in the last 0.3 s
  const replication::QuorumModel* m_;
};

class ShardPainter : public WorldPainter {
 public:
  explicit ShardPainter(const sharding::ShardModel* m) : m_(m) {}
  void legend(std::vector<LegendItem>& out) const override {
    out.push_back({N_("Sharding"), LegendGlyph::Ring, palette::green, N_("arc: the node's share of the keys")});
    out.push_back({N_("Sharding"), LegendGlyph::Box, palette::green, N_("keys %, requests/s")});
  }
  void over_nodes(const PaintContext& pc) override {
    // Requests per second per node from the served totals, sampled once a simulated second.
    if (pc.now < last_at_) { prev_.clear(); last_at_ = -1; }
    if (last_at_ < 0 || pc.now - last_at_ >= 1'000'000) {
      const double secs = last_at_ >= 0 ? static_cast<double>(pc.now - last_at_) / 1e6 : 0.0;
      for (const auto& [id, n] : m_->served()) {
        rate_[id] = secs > 0 ? static_cast<double>(n - prev_[id]) / secs : 0.0;
        prev_[id] = n;
      }
      last_at_ = pc.now;
    }
    for (const auto& [id, share] : shard_key_shares(pc.w, *m_)) {
      const ImVec2 c = pc.screen(id);
      const float rr = pc.radius(id) + 7.0f;
      pc.dl->AddCircle(c, rr, (pc.text & 0x00FFFFFF) | 0x30000000, 40, 3.0f);
      if (share > 0.0) {
        const float a0 = -3.14159265f / 2.0f;
        pc.dl->PathArcTo(c, rr, a0, a0 + static_cast<float>(share) * 2.0f * 3.14159265f, 40);
        pc.dl->PathStroke(palette::green, 0, 5.0f);
      }
      char buf[96];
      // TRANSLATORS: a shard's badge: its share of the keys and the requests it serves per second.
      std::snprintf(buf, sizeof buf, i18n::tr("%.0f%% keys, %.0f/s"), 100.0 * share, rate_[id]);
      badge(pc, beside(pc, id, 0.0f), palette::green, buf);
    }
  }

 private:
  const sharding::ShardModel* m_;
  std::map<NodeId, int64_t> prev_;
  std::map<NodeId, double> rate_;
  Time last_at_ = -1;
};

}  // namespace

std::unique_ptr<WorldPainter> make_pb_painter(const World& w) {
  const auto* m = w.find_model<replication::PbModel>();
  return m ? std::make_unique<PbPainter>(m) : nullptr;
}
std::unique_ptr<WorldPainter> make_quorum_painter(const World& w) {
  const auto* m = w.find_model<replication::QuorumModel>();
  return m ? std::make_unique<QuorumPainter>(m) : nullptr;
}
std::unique_ptr<WorldPainter> make_shard_painter(const World& w) {
  const auto* m = w.find_model<sharding::ShardModel>();
  return m ? std::make_unique<ShardPainter>(m) : nullptr;
}

}  // namespace topo::ui
