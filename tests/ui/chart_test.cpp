// Tests of the chart widget and its shared helpers: 1-2-5 ticks (table-driven), y-scaling,
// mapping of samples into the plot rectangle, nearest-sample hover, decimation, dashed-line and
// marker-label helpers, and that a drawn chart stays inside its rectangle.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "ui/widgets/chart.h"
#include "widget_fixture.h"

using namespace topo;
using namespace topo::ui;

TEST_CASE("nice_ticks: 1-2-5 steps, at most max_count ticks, exact multiples") {
  struct Row {
    double lo, hi;
    int max_count;
    double step;
    int decimals;
    std::vector<double> values;
  };
  const Row rows[] = {
      {0, 10, 6, 2, 0, {0, 2, 4, 6, 8, 10}},
      {0, 10, 11, 1, 0, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
      {0, 10, 5, 5, 0, {0, 5, 10}},
      {0, 1, 6, 0.2, 1, {0, 0.2, 0.4, 0.6, 0.8, 1.0}},
      {0, 1, 3, 0.5, 1, {0, 0.5, 1.0}},
      {0, 100, 5, 50, 0, {0, 50, 100}},
      {0, 95.7, 5, 20, 0, {0, 20, 40, 60, 80}},
      {-3, 7, 6, 2, 0, {-2, 0, 2, 4, 6}},
      {0.013, 0.017, 5, 0.001, 3, {0.013, 0.014, 0.015, 0.016, 0.017}},
      {12.5, 13.5, 3, 0.5, 1, {12.5, 13.0, 13.5}},
      {0, 3600, 8, 500, 0, {0, 500, 1000, 1500, 2000, 2500, 3000, 3500}},
      {10, 0, 3, 5, 0, {0, 5, 10}},          // reversed bounds are swapped
      {0, 1e-6, 3, 5e-7, 7, {0, 5e-7, 1e-6}},
  };
  for (const Row& r : rows) {
    CAPTURE(r.lo);
    CAPTURE(r.hi);
    CAPTURE(r.max_count);
    const Ticks t = nice_ticks(r.lo, r.hi, r.max_count);
    CHECK(t.step == doctest::Approx(r.step));
    CHECK(t.decimals == r.decimals);
    REQUIRE(t.values.size() == r.values.size());
    for (size_t i = 0; i < r.values.size(); ++i) CHECK(t.values[i] == doctest::Approx(r.values[i]).epsilon(1e-12));
    CHECK(static_cast<int>(t.values.size()) <= std::max(2, r.max_count));
  }
  SUBCASE("degenerate inputs") {
    const Ticks one = nice_ticks(4.0, 4.0, 5);
    REQUIRE(one.values.size() == 1);
    CHECK(one.values[0] == 4.0);
    CHECK(nice_ticks(0.0, NAN, 5).values.empty());
    CHECK(nice_ticks(-INFINITY, 1.0, 5).values.empty());
    CHECK(nice_ticks(0, 10, 0).values.size() <= 2);  // max_count < 2 counts as 2
  }
  SUBCASE("every step is 1, 2 or 5 times a power of ten, over many ranges") {
    for (int k = 1; k < 400; ++k) {
      const double hi = k * 0.37 + 0.01 * k * k;
      const Ticks t = nice_ticks(-0.1 * k, hi, 7);
      REQUIRE(t.step > 0);
      const double m = t.step / std::pow(10.0, std::floor(std::log10(t.step) + 1e-9));
      CHECK((std::fabs(m - 1) < 1e-6 || std::fabs(m - 2) < 1e-6 || std::fabs(m - 5) < 1e-6));
      CHECK(t.values.size() <= 7u);
      CHECK(t.values.size() >= 2u);
    }
  }
  SUBCASE("no negative zero in labels") {
    char buf[32];
    format_value(buf, sizeof buf, -0.0000001, 2, "s");
    CHECK(std::string(buf) == "0.00 s");
    format_value(buf, sizeof buf, 1.5, 1, nullptr);
    CHECK(std::string(buf) == "1.5");
  }
}

namespace {
std::vector<SeriesPoint> ramp(int n, int64_t dt_us, double v0, double dv) {
  std::vector<SeriesPoint> p;
  for (int i = 0; i < n; ++i) p.push_back({i * dt_us, v0 + dv * i});
  return p;
}
}  // namespace

TEST_CASE("chart_y_range: auto scale with headroom, fixed range, constant and empty data") {
  auto pts = ramp(10, 1000000, 0.0, 87.0 / 9.0);  // 0..87
  ChartSeries s;
  s.points = pts.data();
  s.count = static_cast<int>(pts.size());
  ChartOptions o;
  YRange r = chart_y_range(&s, 1, o, 0, 9000000);
  CHECK(r.lo == 0.0);
  CHECK(r.hi >= 87.0 * 1.1 - 1e-9);  // headroom above the maximum
  CHECK(r.hi == 100.0);              // rounded up to a tick step
  CHECK(r.ticks.values.back() <= r.hi);

  SUBCASE("the time window limits which values count") {
    YRange w = chart_y_range(&s, 1, o, 0, 2000000);  // values 0, 9.67, 19.3
    CHECK(w.hi < 30.0);
    CHECK(w.hi >= 19.33 * 1.1);
  }
  SUBCASE("fixed range is used as is") {
    o.y_fixed = true;
    o.y_min = 0.0;
    o.y_max = 1.0;
    YRange f = chart_y_range(&s, 1, o, 0, 9000000);
    CHECK(f.lo == 0.0);
    CHECK(f.hi == 1.0);
    o.y_scale = 100.0;  // shown as percent
    f = chart_y_range(&s, 1, o, 0, 9000000);
    CHECK(f.hi == 100.0);
  }
  SUBCASE("negative data is not forced to include zero above it") {
    auto neg = ramp(5, 1000, -50.0, 5.0);  // -50..-30
    ChartSeries ns;
    ns.points = neg.data();
    ns.count = 5;
    YRange nr = chart_y_range(&ns, 1, o, 0, 10000);
    CHECK(nr.lo <= -50.0);
    CHECK(nr.hi >= 0.0);  // include_zero: the axis reaches 0 from below
    o.y_include_zero = false;
    nr = chart_y_range(&ns, 1, o, 0, 10000);
    CHECK(nr.hi < 0.0);
  }
  SUBCASE("constant and empty data still give a visible range") {
    std::vector<SeriesPoint> c = {{0, 5.0}, {1000, 5.0}};
    ChartSeries cs;
    cs.points = c.data();
    cs.count = 2;
    o.y_include_zero = false;
    YRange cr = chart_y_range(&cs, 1, o, 0, 1000);
    CHECK(cr.lo < 5.0);
    CHECK(cr.hi > 5.0);
    ChartSeries empty;
    YRange er = chart_y_range(&empty, 1, o, 0, 1000);
    CHECK(er.lo == 0.0);
    CHECK(er.hi == 1.0);
    std::vector<SeriesPoint> z = {{0, 0.0}, {1000, 0.0}};
    ChartSeries zs;
    zs.points = z.data();
    zs.count = 2;
    YRange zr = chart_y_range(&zs, 1, ChartOptions{}, 0, 1000);
    CHECK(zr.lo == 0.0);
    CHECK(zr.hi > 0.0);
  }
}

TEST_CASE("chart scale maps every sample inside the plot and nearest_point picks the closest") {
  test::Harness h;
  h.frame([] {
    auto pts = ramp(50, 200000, 3.0, 1.7);
    ChartSeries s;
    s.points = pts.data();
    s.count = 50;
    ChartOptions o;
    const std::vector<float> legend_w = {80.0f};
    const ChartLayout L = chart_layout({10, 20}, {610, 320}, o, legend_w, 13.0f);
    CHECK(L.plot_min.x > 10.0f);
    CHECK(L.plot_max.x < 610.0f);
    CHECK(L.plot_min.y > 20.0f);
    CHECK(L.plot_max.y < 320.0f);
    int64_t lo = 0, hi = 0;
    chart_x_range(&s, 1, o, &lo, &hi);
    CHECK(lo == 0);
    CHECK(hi == 49 * 200000);
    const YRange yr = chart_y_range(&s, 1, o, lo, hi);
    ChartScale sc;
    sc.x = TimeAxis{lo, hi, L.plot_min.x, L.plot_max.x};
    sc.y_lo = yr.lo;
    sc.y_hi = yr.hi;
    sc.y_top = L.plot_min.y;
    sc.y_bottom = L.plot_max.y;
    for (const SeriesPoint& p : pts) {
      const ImVec2 q = sc.to_screen(p.t, p.value);
      CHECK(q.x >= L.plot_min.x);
      CHECK(q.x <= L.plot_max.x);
      CHECK(q.y >= L.plot_min.y);
      CHECK(q.y <= L.plot_max.y);
    }
    // Larger values are higher on screen; time maps back to itself within a pixel.
    CHECK(sc.to_screen(0, 10.0).y < sc.to_screen(0, 5.0).y);
    const float x = sc.x.x_of(3000000);
    CHECK(std::llabs(sc.x.t_at(x) - 3000000) <= (hi - lo) / 500);

    CHECK(nearest_point(s, 0) == 0);
    CHECK(nearest_point(s, 290000) == 1);   // 200000 is nearer than 400000
    CHECK(nearest_point(s, 310000) == 2);
    CHECK(nearest_point(s, 300000) == 1);   // tie: earlier sample
    CHECK(nearest_point(s, 99999999) == 49);
    CHECK(nearest_point(ChartSeries{}, 5) == -1);
  });
}

TEST_CASE("nearest_sample_time looks across series and respects the window") {
  std::vector<SeriesPoint> a = {{0, 1}, {1000, 1}, {2000, 1}};
  std::vector<SeriesPoint> b = {{1400, 2}, {5000, 2}};
  ChartSeries s[2];
  s[0].points = a.data();
  s[0].count = 3;
  s[1].points = b.data();
  s[1].count = 2;
  CHECK(nearest_sample_time(s, 2, 1300, 0, 10000) == 1400);
  CHECK(nearest_sample_time(s, 2, 1100, 0, 10000) == 1000);
  CHECK(nearest_sample_time(s, 2, 4000, 0, 3000) == 2000);  // 5000 is outside the window
  CHECK(nearest_sample_time(s, 0, 4000, 0, 3000) == -1);
}

TEST_CASE("chart_decimate bounds the point count and keeps the extremes") {
  std::vector<SeriesPoint> p;
  for (int i = 0; i < 4096; ++i) p.push_back({i * 1000, (i % 97 == 0) ? 100.0 : static_cast<double>(i % 7)});
  ChartSeries s;
  s.points = p.data();
  s.count = 4096;
  ChartScale sc;
  sc.x = TimeAxis{0, 4095 * 1000, 0.0f, 200.0f};
  sc.y_lo = 0;
  sc.y_hi = 100;
  sc.y_top = 0;
  sc.y_bottom = 100;
  std::vector<ImVec2> out;
  chart_decimate(s, sc, 0, 4095 * 1000, &out);
  CHECK(out.size() <= 4u * 202u);
  float top = 1e9f;
  for (ImVec2 q : out) top = std::min(top, q.y);
  CHECK(top == doctest::Approx(0.0f));  // the spikes to 100 survive
  for (size_t i = 1; i < out.size(); ++i) CHECK(out[i].x >= out[i - 1].x);  // time order kept
}

TEST_CASE("stack_labels puts overlapping labels on separate rows") {
  const std::vector<float> x = {0, 30, 60, 200};
  const std::vector<float> w = {50, 50, 50, 50};
  const std::vector<int> rows = stack_labels(x, w, 2.0f, 2);
  CHECK(rows[0] == 0);
  CHECK(rows[1] == 1);
  CHECK(rows[2] == 0);
  CHECK(rows[3] == 0);
  const std::vector<int> one = stack_labels(x, w, 2.0f, 1);
  CHECK(one[1] == -1);
}

TEST_CASE("chart widget draws inside its rectangle and reports hover at the nearest sample") {
  test::Harness h;
  auto lat = ramp(300, 100000, 5.0, 0.3);    // 0..29.9 s
  auto thr = ramp(300, 100000, 120.0, -0.2);
  std::vector<SeriesPoint> sparse = {{0, 0.5}, {15000000, 0.9}, {29900000, 0.2}};
  ChartSeries s[3];
  s[0].label = "p99";
  s[0].points = lat.data();
  s[0].count = 300;
  s[1].label = "throughput";
  s[1].points = thr.data();
  s[1].count = 300;
  s[2].label = "sparse";
  s[2].points = sparse.data();
  s[2].count = 3;
  ChartOptions o;
  o.title = "Latency";
  o.y_unit = "ms";
  const ChartMarker m[] = {{4000000, MarkerKind::Crash, "crash n2"},
                           {4200000, MarkerKind::Deploy, "deploy v2"},
                           {20000000, MarkerKind::Partition, nullptr},
                           {60000000, MarkerKind::Heal, "outside"}};
  ImVec2 rmin, rmax;
  ChartHover hover;
  auto body = [&] {
    ImGui::SetCursorScreenPos(ImVec2(100, 50));
    const test::VertexSpan span = test::capture([&] { chart("##c", ImVec2(600, 260), s, 3, o, m, 4, &hover); });
    rmin = ImGui::GetItemRectMin();
    rmax = ImGui::GetItemRectMax();
    CHECK(span.end - span.begin > 100);  // it drew something
    CHECK(test::vertices_outside(span, rmin, rmax) == 0);
  };
  h.frame(body);
  CHECK(rmin.x == doctest::Approx(100.0f));
  CHECK(rmax.x == doctest::Approx(700.0f));
  CHECK(rmax.y - rmin.y == doctest::Approx(260.0f));
  CHECK_FALSE(hover.hovered);

  // Hover: the mouse over the plot at roughly 12.34 s snaps to the nearest sample (12.3 s).
  const ChartLayout L = chart_layout(rmin, rmax, o, {60.f, 60.f, 60.f}, ImGui::GetFontSize());
  const TimeAxis ax{0, 29900000, L.plot_min.x, L.plot_max.x};
  const ImVec2 mouse(ax.x_of(12340000), (L.plot_min.y + L.plot_max.y) * 0.5f);
  h.frame(body, mouse);
  h.frame(body, mouse);
  CHECK(hover.hovered);
  const int64_t expect = nearest_sample_time(s, 3, ax.t_at(mouse.x), 0, 29900000);
  CHECK(hover.time_us == expect);
  CHECK(std::llabs(hover.time_us - 12300000) <= 100000);
  CHECK(hover.time_us % 100000 == 0);

  SUBCASE("fixed range with values outside it still stays inside") {
    o.y_fixed = true;
    o.y_min = 0;
    o.y_max = 1;
    h.frame(body, mouse);
  }
  SUBCASE("tiny and empty charts") {
    h.frame([&] {
      const test::VertexSpan span = test::capture([&] { chart("##e", ImVec2(0, 0), nullptr, 0, ChartOptions{}, nullptr, 0); });
      CHECK(test::vertices_outside(span, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()) == 0);
      const test::VertexSpan small = test::capture([&] { chart("##s", ImVec2(61, 61), s, 3, o, m, 4); });
      CHECK(test::vertices_outside(small, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()) == 0);
    });
  }
}
