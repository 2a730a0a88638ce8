// What the canvas encodes, checked without pixels: service health thresholds, particle density
// against the request rate, the legend of each kind of world, the camera fit in single and
// side-by-side panes, the Raft election-timer ring against the Raft timer, the log table against
// the servers' logs, and the visual clock (messages stay on screen long enough, the trace stays
// the same).
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "imgui.h"
#include "models/raft/raft.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"
#include "ui/canvas.h"
#include "ui/lab_app.h"
#include "ui/painters/raft_painter.h"
#include "ui/painters/services_painter.h"
#include "ui/visual_clock.h"
#include "app_harness.h"

using namespace topo;

namespace {

bool has_row(const std::vector<ui::LegendItem>& items, const std::string& words) {
  for (const auto& it : items)
    if (it.label.find(words) != std::string::npos) return true;
  return false;
}

/// Share of its pane's graph area (the pane less the legend strip and model panels) that the
/// nodes' bounding box spans in the limiting dimension.
float fill_ratio(const ui::CanvasView& v) {
  const float aw = v.size.x, ah = v.size.y - v.legend_h - v.panel_h;
  const float gw = v.graph_hi.x - v.graph_lo.x, gh = v.graph_hi.y - v.graph_lo.y;
  return std::max(gw / aw, gh / ah);
}

}  // namespace

TEST_CASE("service health: thresholds of the legend, the breaker first, idle without calls") {
  using ui::classify_health;
  using ui::Health;
  CHECK(classify_health(0.0, 0.0, 0.0, "off") == Health::Idle);
  CHECK(classify_health(40.0, 0.0, 20.0, "closed") == Health::Healthy);
  CHECK(classify_health(40.0, 0.009, 20.0, "off") == Health::Healthy);
  CHECK(classify_health(40.0, 0.01, 20.0, "off") == Health::Degraded);    // 1% is degraded
  CHECK(classify_health(40.0, 0.0, 500.0, "off") == Health::Degraded);    // slow is degraded
  CHECK(classify_health(40.0, 0.0999, 20.0, "off") == Health::Degraded);
  CHECK(classify_health(40.0, 0.10, 20.0, "off") == Health::Failing);     // 10% is failing
  CHECK(classify_health(40.0, 0.0, 20.0, "half_open") == Health::Degraded);
  // An open breaker sends nothing (no calls, no errors) and is still a failing edge.
  CHECK(classify_health(0.0, 0.0, 0.0, "open") == Health::Failing);
}

TEST_CASE("particles: none without traffic; more with more traffic; a tenfold change always shows") {
  CHECK(ui::particle_count(0.0) == 0);
  CHECK(ui::particle_count(-1.0) == 0);
  CHECK(ui::particle_count(0.2) >= 1);
  int last = 0;
  for (double r = 0.1; r < 5000.0; r *= 1.3) {
    const int n = ui::particle_count(r);
    CHECK(n >= last);   // monotonic
    last = n;
  }
  for (double r : {0.5, 1.0, 3.0, 10.0, 30.0, 100.0}) CHECK(ui::particle_count(10.0 * r) > ui::particle_count(r));
  CHECK(ui::particle_count(1e6) == 24);   // bounded
}

TEST_CASE("the legend lists what the world has: Raft rows in a cluster, service rows in the shop") {
  test::AppHarness h;
  ui::LabApp app({"raft-5", 1, ""});
  app.command_json(R"({"op":"ui.run_ms","value":600})");
  for (int i = 0; i < 3; ++i) h.frame(app);
  const auto& raft_rows = app.canvas().legend;
  CHECK(has_row(raft_rows, "leader"));
  CHECK(has_row(raft_rows, "election timer"));
  CHECK(has_row(raft_rows, "append"));
  CHECK_FALSE(has_row(raft_rows, "particles"));
  CHECK_FALSE(has_row(raft_rows, "breaker"));
  CHECK_FALSE(has_row(raft_rows, "crashed"));   // nothing has crashed
  app.command_json(R"({"op":"crash","node":"n2"})");
  h.frame(app);
  CHECK(has_row(app.canvas().legend, "crashed"));

  REQUIRE(app.open_scenario("shop", 1));
  app.command_json(R"({"op":"ui.run_ms","value":1000})");
  for (int i = 0; i < 3; ++i) h.frame(app);
  const auto& shop_rows = app.canvas().legend;
  CHECK(has_row(shop_rows, "healthy"));
  CHECK(has_row(shop_rows, "failing"));
  CHECK(has_row(shop_rows, "request particles"));
  CHECK_FALSE(has_row(shop_rows, "vote"));
  CHECK_FALSE(has_row(shop_rows, "append"));
  CHECK_FALSE(has_row(shop_rows, "election"));
}

TEST_CASE("camera fit: the graph fills its pane alone and side by side, and follows a resized pane") {
  test::AppHarness h;
  for (const char* sc : {"raft-5", "shop", "raft-3", "primary-backup", "quorum", "sharding"}) {
    ui::LabApp app({sc, 1, ""});
    for (int i = 0; i < 4; ++i) h.frame(app);
    const auto& v = app.canvas();
    CAPTURE(sc);
    CHECK(fill_ratio(v) >= 0.7f);
    CHECK(v.graph_lo.x >= v.origin.x);
    CHECK(v.graph_hi.x <= v.origin.x + v.size.x);
    CHECK(v.graph_lo.y >= v.origin.y + v.legend_h);
    CHECK(v.graph_hi.y <= v.origin.y + v.size.y - v.panel_h);
  }
  ui::LabApp app({"raft-5", 1, ""});
  REQUIRE(app.open_compare("raft-5", {}, "shop", {}, 1));
  for (int i = 0; i < 4; ++i) h.frame(app);
  CHECK(fill_ratio(app.canvas()) >= 0.7f);
  CHECK(fill_ratio(app.twin_canvas()) >= 0.7f);
  // A smaller window: the fit follows.
  ImGui::GetIO().DisplaySize = ImVec2(900, 600);
  for (int i = 0; i < 3; ++i) h.frame(app);
  CHECK(app.canvas().size.x < 700.0f);
  CHECK(fill_ratio(app.canvas()) >= 0.7f);
  CHECK(fill_ratio(app.twin_canvas()) >= 0.7f);
}

TEST_CASE("the election-timer ring drains with the Raft timer and a cut-off server's empty ring starts an election") {
  std::string err;
  auto w = build_world("raft-5", 1, {}, &err);
  REQUIRE_MESSAGE(w, err);
  const auto* c = w->find_model<raft::RaftCluster>();
  REQUIRE(c);
  w->run_until(2 * kSec);
  // Find a follower and cut it off: it hears no heartbeats, its ring drains.
  NodeId f = kNoNode;
  for (NodeId id : c->servers())
    if (c->server(id) && c->server(id)->role() == raft::Role::Follower) { f = id; break; }
  REQUIRE(f != kNoNode);
  REQUIRE(w->apply({"partition", {{"groups", w->node(f).name}}}).ok);
  double last = 2.0, lowest = 2.0;
  bool elected_from_empty = false;
  for (int i = 0; i < 4000; ++i) {
    const int64_t term_before = c->server(f)->term();
    const double before = ui::raft_timer_remaining(*c->server(f), w->now());
    REQUIRE(before >= 0.0);
    REQUIRE(before <= 1.0);
    w->run_until(w->now() + 1 * kMs);
    const raft::RaftNode* s = c->server(f);
    if (s->term() > term_before) {   // it timed out and started an election
      CHECK(before < 0.02);            // ... exactly when its ring had run empty
      CHECK(ui::raft_timer_remaining(*s, w->now()) > 0.9);   // and a fresh timeout began
      elected_from_empty = true;
      break;
    }
    CHECK(before <= last + 1e-9);      // between elections the ring only drains
    last = before;
    lowest = std::min(lowest, before);
  }
  CHECK(elected_from_empty);
  // The leader wears no ring.
  for (NodeId id : c->servers())
    if (c->server(id) && c->server(id)->role() == raft::Role::Leader) CHECK(ui::raft_timer_remaining(*c->server(id), w->now()) < 0.0);
}

TEST_CASE("the log table shows each server's entries by index, its term and its commit point") {
  std::string err;
  auto w = build_world("raft-5", 3, {}, &err);
  REQUIRE_MESSAGE(w, err);
  const auto* c = w->find_model<raft::RaftCluster>();
  w->run_until(2 * kSec);
  REQUIRE(w->apply({"crash", {{"node", "n2"}}}).ok);
  w->run_until(3 * kSec);
  const ui::RaftLogTable t = ui::raft_log_table(*c, 12);
  REQUIRE(t.rows.size() == c->servers().size());
  CHECK(t.columns <= 12);
  int64_t longest = 0;
  for (NodeId id : c->servers()) longest = std::max(longest, c->disk(id)->last_index());
  CHECK(t.first + t.columns - 1 == longest);   // the window ends at the longest log
  for (const auto& r : t.rows) {
    const raft::RaftDisk* d = c->disk(r.node);
    for (int k = 0; k < t.columns; ++k) CHECK(r.terms[static_cast<size_t>(k)] == d->term_at(t.first + k));
    if (w->node(r.node).name == "n2") {
      CHECK_FALSE(r.up);                       // crashed: its log stays, its commit index is volatile
      CHECK(r.commit == 0);
      CHECK(r.last < longest);                 // and it fell behind
    } else {
      CHECK(r.up);
      CHECK(r.commit == c->server(r.node)->commit_index());
    }
  }
}

TEST_CASE("visual clock: slows so a 2 ms message stays on screen 0.32 s; at most 150 times; full speed when quiet") {
  ui::VisualClockOptions o;
  CHECK(ui::visual_rate_us(0.5, -1, o) == doctest::Approx(0.5e6));          // nothing in flight
  const double r = ui::visual_rate_us(0.5, 2000, o);
  CHECK(2000.0 / r >= 0.32 - 1e-9);                                         // 2 ms lasts 0.32 s
  CHECK(ui::visual_rate_us(0.5, 1, o) == doctest::Approx(0.5e6 / 150.0));   // the floor
  CHECK(ui::visual_rate_us(0.5, 10 * kSec, o) == doctest::Approx(0.5e6));   // slow flights: no change
  o.slow_motion = false;
  CHECK(ui::visual_rate_us(0.5, 2000, o) == doctest::Approx(0.5e6));
}

TEST_CASE("visual clock on raft-5 at 0.5x: every message is seen for about 0.3 s, and the trace is the one the world makes anyway") {
  std::string err;
  auto w = build_world("raft-5", 1, {}, &err);
  auto ref = build_world("raft-5", 1, {}, &err);
  REQUIRE_MESSAGE(w, err);
  ui::VisualClockOptions o;
  double carry = 0.0;
  std::map<MsgId, int> frames_seen;   // frames each message was drawn in flight
  const int frames = 60 * 20;         // 20 s of real time at 60 frames a second
  for (int f = 0; f < frames; ++f) {
    ui::advance_visual(1.0 / 60.0, 0.5, o, {w.get()}, [&] { return w->now(); }, [&] { return w->next_event_time(); },
                       [&](Time t) { w->run_until(t); }, &carry);
    for (const Message* m : w->in_flight()) ++frames_seen[m->id];
  }
  REQUIRE(frames_seen.size() > 20);
  // A message whose flight lasts 2 ms must be on screen for ~0.32 s (19 frames); the floor of
  // the clock (at most 150x slower) may cut a very short flight, never below 0.27 s here.
  size_t short_lived = 0;
  for (const auto& [id, n] : frames_seen)
    if (n < 16) ++short_lived;
  CHECK(short_lived <= frames_seen.size() / 10);   // the ones cut off at the run's start/end
  // The world ran some simulated time, and exactly as a plain run to the same time.
  CHECK(w->now() > 50 * kMs);
  ref->run_until(w->now());
  CHECK(ref->trace().hash() == w->trace().hash());
}
