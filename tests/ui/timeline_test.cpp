// Tests of the timeline scrubber (time mapping, snapping to markers, a drag returns the time
// where the handle is released, drawing stays inside) and the time controls (speed stops and
// labels, the play button toggles).
#include <doctest/doctest.h>

#include <cmath>

#include "ui/widgets/timeline.h"
#include "widget_fixture.h"

using namespace topo::ui;

TEST_CASE("timeline_layout and timeline_time_at: mapping, clamping, ms rounding, snapping") {
  TimelineOptions o;
  const TimelineLayout L = timeline_layout(ImVec2(0, 0), ImVec2(1010, 60), 20000000, o, 13.0f);
  CHECK(L.end_us == 20000000);
  CHECK(L.track_min.x >= 0.0f);
  CHECK(L.track_max.x <= 1010.0f);
  CHECK(L.track_min.y > L.marker_y);
  const float x = L.axis.x_of(7500000);
  CHECK(timeline_time_at(L, x, o) == 7500000);
  CHECK(timeline_time_at(L, x + 0.3f, o) % 1000 == 0);  // whole milliseconds
  CHECK(timeline_time_at(L, -50.0f, o) == 0);
  CHECK(timeline_time_at(L, 5000.0f, o) == 20000000);
  SUBCASE("horizon beyond now extends the bar") {
    o.horizon_us = 30000000;
    const TimelineLayout H = timeline_layout(ImVec2(0, 0), ImVec2(1010, 60), 20000000, o, 13.0f);
    CHECK(H.end_us == 30000000);
    CHECK(timeline_time_at(H, 5000.0f, o) == 30000000);
  }
  SUBCASE("a new world still has a usable bar") {
    const TimelineLayout Z = timeline_layout(ImVec2(0, 0), ImVec2(1010, 60), 0, o, 13.0f);
    CHECK(Z.end_us == 1000000);
  }
  SUBCASE("drags near a marker snap to it") {
    const ChartMarker m[] = {{4321987, MarkerKind::Crash, "crash n1"}};
    o.markers = m;
    o.n_markers = 1;
    const float mx = L.axis.x_of(4321987);
    CHECK(timeline_time_at(L, mx + 4.0f, o) == 4321987);
    CHECK(timeline_time_at(L, mx - 3.0f, o) == 4321987);
    CHECK(timeline_time_at(L, mx + 20.0f, o) != 4321987);
  }
}

TEST_CASE("timeline widget: drag and release returns the time under the handle") {
  topo::ui::test::Harness h;
  const ChartMarker m[] = {{3000000, MarkerKind::Crash, "crash n1"},
                           {9000000, MarkerKind::Deploy, "deploy v2"},
                           {9100000, MarkerKind::Partition, "partition"}};
  TimelineOptions o;
  o.markers = m;
  o.n_markers = 3;
  TimelineState st;
  int64_t requested = -1;
  bool released = false;
  ImVec2 rmin, rmax;
  const int64_t now = 12000000;
  auto body = [&] {
    ImGui::SetCursorScreenPos(ImVec2(20, 700));
    const topo::ui::test::VertexSpan span = topo::ui::test::capture([&] {
      if (timeline("##tl", now, o, &requested, &st)) released = true;
    });
    rmin = ImGui::GetItemRectMin();
    rmax = ImGui::GetItemRectMax();
    CHECK(span.end - span.begin > 50);
    CHECK(topo::ui::test::vertices_outside(span, rmin, rmax) == 0);
  };
  h.frame(body);
  const TimelineLayout L = timeline_layout(rmin, rmax, now, o, ImGui::GetFontSize());
  const float y = std::floor((L.track_min.y + L.track_max.y) * 0.5f);
  const float x_start = std::floor(L.axis.x_of(now));
  const float x_end = std::floor(L.axis.x_of(6000000));
  h.frame(body, ImVec2(x_start, y), false);
  h.frame(body, ImVec2(x_start, y), true);   // press on the handle
  h.frame(body, ImVec2(x_start - 40.0f, y), true);
  h.frame(body, ImVec2(x_end, y), true);     // drag
  h.frame(body, ImVec2(x_end, y), true);
  CHECK(st.dragging);
  CHECK(st.drag_time_us == timeline_time_at(L, x_end, o));
  CHECK_FALSE(released);
  h.frame(body, ImVec2(x_end, y), false);    // release
  CHECK(released);
  CHECK(requested == timeline_time_at(L, x_end, o));
  CHECK(std::llabs(requested - 6000000) < 30000);  // within a pixel's worth of time
  h.frame(body, ImVec2(x_end, y), false);
  CHECK_FALSE(st.dragging);

  SUBCASE("a drag that leaves the widget still returns a clamped time") {
    released = false;
    h.frame(body, ImVec2(x_end, y), true);
    h.frame(body, ImVec2(x_end, y), true);
    h.frame(body, ImVec2(-100.0f, y - 300.0f), true);
    h.frame(body, ImVec2(-100.0f, y - 300.0f), false);
    CHECK(released);
    CHECK(requested == 0);
  }
}

TEST_CASE("speed stops and labels") {
  CHECK(speed_stop_count() == 13);
  CHECK(speed_stop(0) == 0.01);
  CHECK(speed_stop(12) == 100.0);
  struct Row {
    double speed;
    const char* label;
  };
  const Row rows[] = {{0.01, "0.01x"}, {0.05, "0.05x"}, {0.1, "0.1x"}, {0.5, "0.5x"}, {1.0, "1x"},
                      {2.5, "2.5x"},   {10.0, "10x"},   {100.0, "100x"}, {0.25, "0.25x"}};
  for (const Row& r : rows) {
    CAPTURE(r.speed);
    CHECK(speed_label(r.speed) == r.label);
  }
  CHECK(speed_stop_index(1.0) == 6);
  CHECK(speed_stop_index(0.7) == 5);   // nearer 0.5 than 1 in log scale? log(0.7/0.5)=0.336, log(1/0.7)=0.357
  CHECK(speed_stop_index(0.0) == 0);
  CHECK(speed_stop_index(1e9) == 12);
  CHECK(speed_step(1.0, +1) == 2.0);
  CHECK(speed_step(1.0, -1) == 0.5);
  CHECK(speed_step(0.7, +1) == 1.0);
  CHECK(speed_step(0.7, -1) == 0.5);
  CHECK(speed_step(100.0, +1) == 100.0);
  CHECK(speed_step(0.01, -1) == 0.01);
}

TEST_CASE("time_controls: the play button toggles playing") {
  topo::ui::test::Harness h;
  bool playing = false;
  double speed = 1.0;
  unsigned events = 0;
  auto body = [&] {
    ImGui::SetCursorScreenPos(ImVec2(10, 10));
    events |= time_controls("##tc", &playing, &speed, 1234567);
  };
  h.frame(body);
  const ImVec2 at(20, 10 + ImGui::GetFrameHeight() * 0.5f);
  h.frame(body, at, false);
  h.frame(body, at, true);
  h.frame(body, at, false);
  h.frame(body, at, false);
  CHECK(playing);
  CHECK((events & kTcPlayPause) != 0);
  CHECK((events & kTcStep) == 0);
  CHECK(speed == 1.0);
}
