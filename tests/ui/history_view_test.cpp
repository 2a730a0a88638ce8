// Tests of the client-history diagram: labels, lane layout (one lane per client, bars of one
// client never overlap, open-ended ops reach the end of the axis, lanes stack without
// overlapping), hit-testing, and the drawn widget staying inside its rectangle with hover.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "ui/widgets/history_view.h"
#include "widget_fixture.h"

using namespace topo::ui;

namespace {

HistoryOp op(int client, HistOpKind kind, const char* key, const char* value, int64_t inv, int64_t comp,
             HistOutcome outcome = HistOutcome::Ok, bool flagged = false) {
  HistoryOp o;
  o.client = client;
  o.kind = kind;
  o.key = key;
  o.value = value;
  o.invoke_us = inv;
  o.complete_us = comp;
  o.outcome = outcome;
  o.flagged = flagged;
  return o;
}

// A history with sequential ops, a timed-out op followed by more ops of the same client, an
// op still in flight, a failed op and a flagged stale read.
std::vector<HistoryOp> sample_history() {
  std::vector<HistoryOp> h;
  h.push_back(op(1, HistOpKind::Write, "x", "1", 100000, 300000));
  h.push_back(op(1, HistOpKind::Read, "x", "1", 400000, 450000));
  h.push_back(op(1, HistOpKind::Write, "x", "2", 500000, 1500000, HistOutcome::Unknown));  // timed out
  h.push_back(op(1, HistOpKind::Read, "x", "2", 1600000, 1700000));
  h.push_back(op(1, HistOpKind::Read, "x", "", 2000000, -1));  // in flight
  h.push_back(op(2, HistOpKind::Read, "x", "0", 200000, 900000, HistOutcome::Ok, true));
  h.back().note = "stale read: x was 1 since 0.300 s";
  h.push_back(op(2, HistOpKind::Write, "x", "3", 1000000, 1100000, HistOutcome::Fail));
  h.push_back(op(2, HistOpKind::Cas, "x", "3->4", 1200000, 1250000));
  h.push_back(op(7, HistOpKind::Read, "y", "5", 50000, 60000));  // very short: min width
  return h;
}

}  // namespace

TEST_CASE("history_op_label") {
  CHECK(history_op_label(op(1, HistOpKind::Write, "x", "3", 0, 1), "->") == "w x=3");
  CHECK(history_op_label(op(1, HistOpKind::Read, "x", "2", 0, 1), "\xE2\x86\x92") == "r x\xE2\x86\x92" "2");
  CHECK(history_op_label(op(1, HistOpKind::Read, "x", "", 0, -1), "->") == "r x->?");
  CHECK(history_op_label(op(1, HistOpKind::Cas, "x", "1->2", 0, 1), "->") == "cas x 1->2");
  HistoryOp custom = op(1, HistOpKind::Other, "q", "", 0, 1);
  custom.label = "enqueue 4";
  CHECK(history_op_label(custom, "->") == "enqueue 4");
}

TEST_CASE("history_layout: lanes per client, no overlaps within a client, open-ended ops") {
  const std::vector<HistoryOp> ops = sample_history();
  const int n = static_cast<int>(ops.size());
  HistoryViewOptions o;
  o.x_min_us = 0;
  o.x_max_us = 3000000;
  const ImVec2 min(20, 30), max(820, 600);
  const HistoryLayout L = history_layout(ops.data(), n, o, min, max, 13.0f);
  REQUIRE(L.lanes.size() == 3);
  CHECK(L.lanes[0].client == 1);
  CHECK(L.lanes[1].client == 2);
  CHECK(L.lanes[2].client == 7);
  CHECK(L.hidden_lanes == 0);
  CHECK(L.bars.size() == ops.size());
  // Client 1's timed-out write is open-ended, so the later ops go to a second row.
  CHECK(L.lanes[0].subrows == 2);
  CHECK(L.lanes[1].subrows == 1);
  for (size_t i = 1; i < L.lanes.size(); ++i) CHECK(L.lanes[i].y0 >= L.lanes[i - 1].y1);

  for (const HistoryBar& b : L.bars) {
    const HistoryLane& lane = L.lanes[static_cast<size_t>(b.lane)];
    CAPTURE(b.op);
    CHECK(ops[static_cast<size_t>(b.op)].client == lane.client);
    CHECK(b.min.y >= lane.y0);
    CHECK(b.max.y <= lane.y1);
    CHECK(b.min.x >= L.plot_min.x);
    CHECK(b.max.x <= L.plot_max.x);
    CHECK(b.max.x - b.min.x >= 3.0f);
    const HistoryOp& op_ = ops[static_cast<size_t>(b.op)];
    const bool unknown = op_.complete_us < 0 || op_.outcome == HistOutcome::Unknown;
    CHECK(b.open_ended == unknown);
    if (unknown) CHECK(b.max.x == doctest::Approx(L.plot_max.x));  // reaches the end of the axis
    else CHECK(b.max.x == doctest::Approx(std::max(L.axis.x_of(op_.complete_us), b.min.x + 3.0f)));
    if (op_.complete_us >= 0 && unknown) CHECK(b.solid_max_x == doctest::Approx(L.axis.x_of(op_.complete_us)));
  }
  // Bars of one client never overlap (the same row: disjoint in x; different rows: disjoint in y).
  for (size_t i = 0; i < L.bars.size(); ++i)
    for (size_t j = i + 1; j < L.bars.size(); ++j) {
      const HistoryBar& a = L.bars[i];
      const HistoryBar& b = L.bars[j];
      if (a.lane != b.lane) continue;
      const bool x_apart = a.max.x <= b.min.x || b.max.x <= a.min.x;
      const bool y_apart = a.max.y <= b.min.y || b.max.y <= a.min.y;
      CHECK((x_apart || y_apart));
    }
}

TEST_CASE("history_layout: many overlapping ops, window clipping, height and hit test") {
  std::vector<HistoryOp> ops;
  for (int i = 0; i < 40; ++i)  // a pipelined client: many concurrent ops
    ops.push_back(op(3, HistOpKind::Write, "k", "v", i * 10000, i * 10000 + 200000));
  ops.push_back(op(4, HistOpKind::Read, "k", "v", 5000000, 5100000));  // outside the window
  HistoryViewOptions o;
  o.x_min_us = 0;
  o.x_max_us = 1000000;
  o.max_subrows = 4;
  const HistoryLayout L = history_layout(ops.data(), static_cast<int>(ops.size()), o, ImVec2(0, 0), ImVec2(800, 400), 13.0f);
  REQUIRE(L.lanes.size() == 2);
  CHECK(L.lanes[0].subrows == 4);  // bounded
  CHECK(L.bars.size() == 40);      // the op outside the window has no bar
  const float h = history_view_height(ops.data(), static_cast<int>(ops.size()), o, 800.0f, 13.0f);
  CHECK(h > L.lanes.back().y1);
  CHECK(h < 400.0f);
  // Hit test: the middle of a bar gives its op; empty space gives -1.
  const HistoryBar& b = L.bars[5];
  CHECK(history_hit_test(L, ImVec2((b.min.x + b.max.x) * 0.5f, (b.min.y + b.max.y) * 0.5f)) >= 0);
  CHECK(history_hit_test(L, ImVec2(L.plot_max.x - 2.0f, L.lanes[0].y0 + 1.0f)) == -1);
  SUBCASE("lanes that do not fit are counted, not drawn") {
    const HistoryLayout S = history_layout(ops.data(), static_cast<int>(ops.size()), o, ImVec2(0, 0), ImVec2(800, 90), 13.0f);
    CHECK(S.lanes.size() == 1);
    CHECK(S.hidden_lanes == 1);
  }
}

TEST_CASE("history_view widget draws inside its rectangle and hovers the op under the mouse") {
  topo::ui::test::Harness h;
  const std::vector<HistoryOp> ops = sample_history();
  HistoryViewOptions o;
  o.x_min_us = 0;
  o.x_max_us = 3000000;
  const ChartMarker m[] = {{1000000, MarkerKind::Partition, "partition {n1} | {n2,n3}"},
                           {2500000, MarkerKind::Heal, "heal"}};
  o.markers = m;
  o.n_markers = 2;
  o.cursor_time_us = 1234567;
  HistoryHover hover;
  ImVec2 rmin, rmax;
  auto body = [&] {
    ImGui::SetCursorScreenPos(ImVec2(30, 40));
    const topo::ui::test::VertexSpan span = topo::ui::test::capture(
        [&] { history_view("##h", ImVec2(700, 0), ops.data(), static_cast<int>(ops.size()), o, &hover); });
    rmin = ImGui::GetItemRectMin();
    rmax = ImGui::GetItemRectMax();
    CHECK(span.end - span.begin > 200);
    CHECK(topo::ui::test::vertices_outside(span, rmin, rmax) == 0);
  };
  h.frame(body);
  CHECK(rmax.x - rmin.x == doctest::Approx(700.0f));
  const float need = history_view_height(ops.data(), static_cast<int>(ops.size()), o, 700.0f, ImGui::GetFontSize());
  CHECK(rmax.y - rmin.y == doctest::Approx(need));
  // Hover the flagged stale read of client 2.
  const HistoryLayout L = history_layout(ops.data(), static_cast<int>(ops.size()), o, rmin, rmax, ImGui::GetFontSize());
  const HistoryBar* flagged = nullptr;
  for (const HistoryBar& b : L.bars)
    if (ops[static_cast<size_t>(b.op)].flagged) flagged = &b;
  REQUIRE(flagged != nullptr);
  // ImGui floors mouse positions to whole pixels.
  const ImVec2 at(std::floor((flagged->min.x + flagged->max.x) * 0.5f), std::floor((flagged->min.y + flagged->max.y) * 0.5f));
  h.frame(body, at);
  h.frame(body, at);
  CHECK(hover.hovered);
  CHECK(hover.op == flagged->op);
  CHECK(hover.time_us == L.axis.t_at(at.x));
  SUBCASE("fixed small height and empty history stay inside too") {
    h.frame([&] {
      const topo::ui::test::VertexSpan a = topo::ui::test::capture(
          [&] { history_view("##s", ImVec2(300, 60), ops.data(), static_cast<int>(ops.size()), o); });
      CHECK(topo::ui::test::vertices_outside(a, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()) == 0);
      const topo::ui::test::VertexSpan e = topo::ui::test::capture(
          [&] { history_view("##e", ImVec2(300, 0), nullptr, 0, HistoryViewOptions{}); });
      CHECK(topo::ui::test::vertices_outside(e, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()) == 0);
    });
  }
}
