// The Raft painter: see raft_painter.h.
#include "ui/painters/raft_painter.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

#include "models/raft/raft.h"
#include "scenario/json.h"
#include "ui/style.h"
#include "ui/tr.h"

namespace topo::ui {

double raft_timer_remaining(const raft::RaftNode& n, Time now) {
  if (n.role() == raft::Role::Leader) return -1.0;
  const Time span = n.election_deadline() - n.election_reset_at();
  if (span <= 0) return -1.0;
  return std::clamp(static_cast<double>(n.election_deadline() - now) / static_cast<double>(span), 0.0, 1.0);
}

RaftLogTable raft_log_table(const raft::RaftCluster& c, int max_columns) {
  RaftLogTable t;
  int64_t longest = 0;
  for (NodeId id : c.servers())
    if (const raft::RaftDisk* d = c.disk(id)) longest = std::max(longest, d->last_index());
  t.columns = static_cast<int>(std::min<int64_t>(std::max(1, max_columns), std::max<int64_t>(1, longest)));
  t.first = std::max<int64_t>(1, longest - t.columns + 1);
  for (NodeId id : c.servers()) {
    RaftLogRow r;
    r.node = id;
    const raft::RaftNode* s = c.server(id);
    r.up = s != nullptr;
    r.commit = s ? s->commit_index() : 0;
    const raft::RaftDisk* d = c.disk(id);
    r.last = d ? d->last_index() : 0;
    for (int k = 0; k < t.columns; ++k) r.terms.push_back(d ? d->term_at(t.first + k) : 0);
    t.rows.push_back(std::move(r));
  }
  return t;
}

namespace {

/// What the Inspector shows of a Raft server: Figure 2's state and its log (read from the
/// model's public, read-only view). `present` is false for a node that is not a Raft server.
struct RaftInspect {
  bool present = false;
  bool up = false;             ///< volatile state (role, commit index) is known only while up
  std::string role;
  int64_t term = 0;
  std::string voted_for;       ///< node name, empty = nobody this term
  int64_t commit_index = 0;
  int64_t last_applied = 0;
  std::string leader;          ///< the leader this server knows, empty if none
  const std::vector<raft::LogEntry>* log = nullptr;
};

RaftInspect raft_inspect(const World& w, NodeId id) {
  RaftInspect v;
  const auto* cl = w.find_model<raft::RaftCluster>();
  if (!cl || id < 0 || static_cast<size_t>(id) >= w.nodes().size()) return v;
  const raft::RaftDisk* disk = cl->disk(id);
  if (!disk) return v;
  v.present = true;
  v.term = disk->current_term;
  if (disk->voted_for >= 0 && static_cast<size_t>(disk->voted_for) < w.nodes().size()) v.voted_for = w.node(disk->voted_for).name;
  v.log = &disk->log;
  if (const raft::RaftNode* rn = cl->server(id)) {
    v.up = true;
    // The role's English name (the state hook's value); shown translated (tr) in the Inspector.
    v.role = rn->role() == raft::Role::Leader ? N_("leader") : rn->role() == raft::Role::Candidate ? N_("candidate") : N_("follower");
    v.commit_index = rn->commit_index();
    v.last_applied = rn->last_applied();
    if (rn->known_leader() >= 0 && static_cast<size_t>(rn->known_leader()) < w.nodes().size())
      v.leader = w.node(rn->known_leader()).name;
  }
  return v;
}

void draw_raft_inspector(const World& w, NodeId id) {
  const RaftInspect v = raft_inspect(w, id);
  if (!v.present) return;
  ImGui::SeparatorText(tr("Raft"));
  if (v.up) {
    ImGui::Text(tr("role: %s   term: %lld"), tr(v.role.c_str()), static_cast<long long>(v.term));
    ImGui::Text(tr("voted for: %s"), v.voted_for.empty() ? tr("nobody (this term)") : v.voted_for.c_str());
    ImGui::Text(tr("commit index: %lld   applied: %lld"), static_cast<long long>(v.commit_index),
                static_cast<long long>(v.last_applied));
    ImGui::Text(tr("knows leader: %s"), v.leader.empty() ? tr("none") : v.leader.c_str());
  } else {
    ImGui::Text(tr("term: %lld   voted for: %s"), static_cast<long long>(v.term), v.voted_for.empty() ? tr("nobody") : v.voted_for.c_str());
    ImGui::TextWrapped(tr("Down: the disk (term, vote, log) survives the crash; the commit index is volatile and "
                       "is learned again from the leader after the restart."));
  }
  ImGui::Text(tr("log: %zu entries"), v.log->size());
  const ImGuiTableFlags tf = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY |
                             ImGuiTableFlags_SizingFixedFit;
  const float h = ImGui::GetTextLineHeightWithSpacing() * 12.0f;
  if (ImGui::BeginTable("raft_log", 4, tf, ImVec2(0, h))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    // TRANSLATORS: the Raft log table's columns (an entry's index, its term, its command, committed?).
    ImGui::TableSetupColumn(tr("index"));
    ImGui::TableSetupColumn(tr("term"));
    ImGui::TableSetupColumn(tr("command"), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(tr("committed"));
    ImGui::TableHeadersRow();
    // Newest first: the tail of the log is where replication happens.
    const int count = static_cast<int>(v.log->size());
    ImGuiListClipper clip;
    clip.Begin(count);
    while (clip.Step()) {
      for (int row = clip.DisplayStart; row < clip.DisplayEnd; ++row) {
        const int64_t index = count - row;
        const raft::LogEntry& e = (*v.log)[static_cast<size_t>(index - 1)];
        const bool committed = v.up && index <= v.commit_index;
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::Text("%lld", static_cast<long long>(index));
        ImGui::TableSetColumnIndex(1);
        ImGui::Text("%lld", static_cast<long long>(e.term));
        ImGui::TableSetColumnIndex(2);
        ImGui::TextUnformatted(e.cmd.describe().c_str());
        ImGui::TableSetColumnIndex(3);
        if (committed) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(palette::green), tr("\u2713 yes"));
        else ImGui::TextDisabled(tr("\u2014 no"));
      }
    }
    ImGui::EndTable();
  }
}

/// A colour per term (cycling through the palette); the term is always written too.
ImU32 term_color(int64_t term) {
  static const ImU32 cols[] = {palette::sky_blue, palette::orange, palette::green, palette::purple,
                               palette::blue, palette::yellow, palette::vermillion};
  return cols[static_cast<size_t>(std::max<int64_t>(0, term)) % 7];
}

/// Black or white, whichever reads better on `bg`.
ImU32 ink_on(ImU32 bg) {
  const float r = static_cast<float>(bg & 0xFF), g = static_cast<float>((bg >> 8) & 0xFF), b = static_cast<float>((bg >> 16) & 0xFF);
  return 0.299f * r + 0.587f * g + 0.114f * b > 140.0f ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255);
}

void label(ImDrawList* dl, float px, ImVec2 at, ImU32 col, ImU32 backing, const std::string& s, bool centre = true) {
  ImFont* f = ImGui::GetFont();
  const ImVec2 sz = f->CalcTextSizeA(px, FLT_MAX, 0.0f, s.c_str());
  const ImVec2 p(centre ? at.x - sz.x / 2 : at.x, at.y);
  dl->AddRectFilled(ImVec2(p.x - 2, p.y), ImVec2(p.x + sz.x + 2, p.y + sz.y), backing, 3.0f);
  dl->AddText(f, px, p, col, s.c_str());
}

class RaftPainter : public WorldPainter {
 public:
  explicit RaftPainter(const raft::RaftCluster* c) : c_(c) {}

  void legend(std::vector<LegendItem>& out) const override {
    out.push_back({N_("Servers"), LegendGlyph::Star, palette::yellow, N_("leader")});
    out.push_back({N_("Servers"), LegendGlyph::Ring, palette::grey, N_("election timer (drains)")});
    out.push_back({N_("Servers"), LegendGlyph::Ring, palette::orange, N_("candidate")});
    out.push_back({N_("Log"), LegendGlyph::Box, palette::sky_blue, N_("entry: term inside, filled = committed")});
  }

  void over_nodes(const PaintContext& pc) override {
    for (NodeId id : c_->servers()) {
      const raft::RaftNode* s = c_->server(id);
      const ImVec2 c = pc.screen(id);
      const float r = pc.radius(id);
      // Membership changes: a removed server is greyed out and labelled; a new server that is
      // still catching up (no vote yet) is labelled too.
      if (c_->membership_changed() && (c_->removed(id) || c_->learner(id))) {
        const bool removed = c_->removed(id);
        if (removed) pc.dl->AddCircleFilled(c, r + 3.0f, (pc.backing & 0x00FFFFFF) | 0xB0000000, 40);
        label(pc.dl, std::max(12.0f, pc.font_px * 0.85f), ImVec2(c.x, c.y - r - 12.0f - pc.font_px),
              removed ? palette::grey : palette::sky_blue, pc.backing,
              removed ? tr("removed") : tr("learner: catching up, no vote"));
        if (removed) continue;
      }
      if (!s) continue;
      const double left = raft_timer_remaining(*s, pc.now);
      if (left >= 0.0) {
        // The ring drains clockwise from twelve o'clock: what is left is drawn, a faint full
        // ring behind it shows the whole timeout.
        const float rr = r + 6.0f;
        const ImU32 col = s->role() == raft::Role::Candidate ? palette::orange : ((pc.text & 0x00FFFFFF) | 0xC0000000);
        pc.dl->AddCircle(c, rr, (pc.text & 0x00FFFFFF) | 0x30000000, 40, 3.0f);
        if (left > 0.0) {
          const float a0 = -3.14159265f / 2.0f;
          pc.dl->PathArcTo(c, rr, a0, a0 + static_cast<float>(left) * 2.0f * 3.14159265f, 40);
          pc.dl->PathStroke(col, 0, 4.0f);
        }
      }
      if (s->role() == raft::Role::Candidate) {
        const std::string v = "votes " + std::to_string(s->votes_granted()) + "/" + std::to_string(s->members().size());
        label(pc.dl, std::max(12.0f, pc.font_px * 0.85f), ImVec2(c.x, c.y - r - 12.0f - pc.font_px), palette::orange, pc.backing, v);
      }
    }
  }

  float panel_height(const World& w, float font_px) const override {
    (void)w;
    const float row = std::max(18.0f, font_px + 4.0f);
    return row * static_cast<float>(c_->servers().size() + 1) + 8.0f;
  }

  void draw_panel(const PaintContext& pc, ImVec2 lo, ImVec2 hi) override {
    ImDrawList* dl = pc.dl;
    const float px = std::max(12.0f, pc.font_px * 0.85f);
    const float row = std::max(18.0f, pc.font_px + 4.0f);
    ImFont* f = ImGui::GetFont();
    float name_w = 0.0f;
    for (NodeId id : c_->servers()) name_w = std::max(name_w, f->CalcTextSizeA(px, FLT_MAX, 0, pc.w.node(id).name.c_str()).x);
    name_w += 10.0f;
    const float cell = row - 2.0f;
    const int max_cols = std::max(4, static_cast<int>((hi.x - lo.x - name_w - 90.0f) / cell));
    const RaftLogTable t = raft_log_table(*c_, std::min(max_cols, 40));
    dl->AddRectFilled(lo, hi, pc.backing, 4.0f);
    dl->AddLine(ImVec2(lo.x, lo.y), ImVec2(hi.x, lo.y), (pc.text & 0x00FFFFFF) | 0x40000000, 1.0f);
    // Header: the index of the first and last column.
    const float x0 = lo.x + name_w;
    char buf[64];
    std::snprintf(buf, sizeof buf, tr("log  index %lld..%lld  (filled = committed, | = commit point)"),
                  static_cast<long long>(t.first), static_cast<long long>(t.first + t.columns - 1));
    dl->AddText(f, px, ImVec2(lo.x + 4, lo.y + 3), pc.text, buf);
    float y = lo.y + row + 4.0f;
    for (const RaftLogRow& r : t.rows) {
      const Node& n = pc.w.node(r.node);
      dl->AddText(f, px, ImVec2(lo.x + 4, y + (cell - px) / 2), pc.text, n.name.c_str());
      for (int k = 0; k < t.columns; ++k) {
        const int64_t idx = t.first + k;
        const ImVec2 a(x0 + static_cast<float>(k) * cell, y), b(a.x + cell - 2.0f, y + cell - 2.0f);
        const int64_t term = r.terms[static_cast<size_t>(k)];
        if (term == 0) {
          dl->AddRect(a, b, (pc.text & 0x00FFFFFF) | 0x30000000, 2.0f);   // an empty slot
          continue;
        }
        const ImU32 col = term_color(term);
        const bool committed = idx <= r.commit;
        if (committed) dl->AddRectFilled(a, b, col, 2.0f);
        else dl->AddRect(a, b, col, 2.0f, 0, 2.0f);
        const std::string ts = std::to_string(term);
        const ImVec2 tsz = f->CalcTextSizeA(px, FLT_MAX, 0, ts.c_str());
        if (tsz.x < cell - 3.0f)
          dl->AddText(f, px, ImVec2((a.x + b.x - tsz.x) / 2, (a.y + b.y - tsz.y) / 2), committed ? ink_on(col) : pc.text, ts.c_str());
      }
      // The commit point: a bar after the last committed entry shown.
      if (r.commit >= t.first) {
        const float cx = x0 + static_cast<float>(std::min<int64_t>(r.commit - t.first + 1, t.columns)) * cell - 1.0f;
        dl->AddLine(ImVec2(cx, y - 2.0f), ImVec2(cx, y + cell), pc.text, 2.0f);
      }
      std::snprintf(buf, sizeof buf, r.up ? "%lld / %lld" : tr("down (log %lld)"), static_cast<long long>(r.up ? r.commit : r.last),
                    static_cast<long long>(r.last));
      dl->AddText(f, px, ImVec2(x0 + static_cast<float>(t.columns) * cell + 8.0f, y + (cell - px) / 2),
                  (pc.text & 0x00FFFFFF) | 0xB0000000, buf);
      y += row;
    }
  }

  void draw_inspector(const World& w, NodeId id) override { draw_raft_inspector(w, id); }

  std::string inspector_json(const World& w, NodeId id) const override {
    const RaftInspect v = raft_inspect(w, id);
    if (!v.present) return "";
    std::ostringstream o;
    o << ",\"raft\":{\"up\":" << (v.up ? "true" : "false") << ",\"role\":" << json_quote(v.role) << ",\"term\":" << v.term
      << ",\"voted_for\":" << json_quote(v.voted_for) << ",\"commit_index\":" << v.commit_index
      << ",\"last_applied\":" << v.last_applied << ",\"leader\":" << json_quote(v.leader)
      << ",\"log_length\":" << v.log->size() << ",\"log\":[";
    const size_t from = v.log->size() > 50 ? v.log->size() - 50 : 0;
    for (size_t i = from; i < v.log->size(); ++i) {
      const auto& e = (*v.log)[i];
      const int64_t index = static_cast<int64_t>(i) + 1;
      o << (i > from ? "," : "") << "{\"index\":" << index << ",\"term\":" << e.term << ",\"command\":"
        << json_quote(e.cmd.describe()) << ",\"committed\":" << (v.up && index <= v.commit_index ? "true" : "false") << "}";
    }
    o << "]}";
    return o.str();
  }

  TooltipLines node_tooltip(const PaintContext& pc, NodeId id) const override {
    const raft::RaftNode* s = c_->server(id);
    if (!s) return {};
    TooltipLines t;
    const char* role = s->role() == raft::Role::Leader ? N_("leader") : s->role() == raft::Role::Candidate ? N_("candidate") : N_("follower");
    t.push_back(format_msg(tr("%s, term %lld"), tr(role), static_cast<long long>(s->term())));
    t.push_back(format_msg(trn("log: %lld entry, %lld committed", "log: %lld entries, %lld committed", static_cast<long>(s->disk().last_index())),
                           static_cast<long long>(s->disk().last_index()), static_cast<long long>(s->commit_index())));
    const double left = raft_timer_remaining(*s, pc.now);
    if (left >= 0.0) {
      char buf[80];
      std::snprintf(buf, sizeof buf, tr("election timer: %.0f ms left"), static_cast<double>(s->election_deadline() - pc.now) / 1000.0);
      t.push_back(buf);
    }
    return t;
  }

 private:
  const raft::RaftCluster* c_;
};

}  // namespace

std::unique_ptr<WorldPainter> make_raft_painter(const World& w) {
  const auto* c = w.find_model<raft::RaftCluster>();
  if (!c) return nullptr;
  return std::make_unique<RaftPainter>(c);
}

}  // namespace topo::ui
