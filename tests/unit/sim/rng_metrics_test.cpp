// Unit tests of the deterministic randomness (streams, distributions, det_log/det_exp accuracy),
// the log-linear histogram, the series, the trace hash and its JSON export.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sim/metrics.h"
#include "sim/rng.h"
#include "sim/trace.h"

using namespace topo;

namespace {
struct Moments {
  double mean = 0, var = 0;
};
template <class F>
Moments moments(int n, F draw) {
  double s = 0, s2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = draw();
    s += x;
    s2 += x * x;
  }
  const double m = s / n;
  return {m, s2 / n - m * m};
}
}  // namespace

TEST_CASE("Rng: same seed same stream, derived streams independent of the parent's state") {
  Rng a(123), b(123), c(124);
  for (int i = 0; i < 100; ++i) CHECK(a.next_u64() == b.next_u64());
  Rng a2(123);
  CHECK(a2.next_u64() != c.next_u64());
  Rng p(9);
  const Rng d1 = p.derive(5);
  for (int i = 0; i < 10; ++i) p.next_u64();
  Rng d2 = p.derive(5);
  Rng d1c = d1;
  CHECK(d1c.next_u64() == d2.next_u64());
  CHECK(p.derive(5).next_u64() != p.derive(6).next_u64());
}

TEST_CASE("Rng: a fixed seed gives the same numbers on every platform") {
  // Golden values, checked natively (libstdc++) and in WebAssembly (libc++).
  Rng r(42);
  CHECK(r.next_u64() == 1546998764402558742ull);
  Rng e(1);
  CHECK(e.exponential(1.0) == 1.2137599867899895);
  CHECK(e.normal(0, 1) == 0.72757476687775147);
  CHECK(e.pareto(1, 2) == 1.2817654259259579);
  CHECK(det_log(3.0) == 1.0986122886681098);
  CHECK(det_exp(-2.5) == 0.0820849986238988);
}

TEST_CASE("Rng: the high word of a 64x64 product by 32-bit parts (WebAssembly's path) is exact") {
  // uniform_int takes the high word of x * range; WebAssembly computes it from four 32-bit
  // products. Compare that path with a full 128-bit product on edge values and random pairs.
  const uint64_t edges[] = {0, 1, 2, 0xffffffffull, 0x100000000ull, 0x7fffffffffffffffull,
                            0x8000000000000000ull, 0xfffffffffffffffeull, 0xffffffffffffffffull,
                            0xffffffff00000001ull, 0x00000001ffffffffull};
  auto wide = [](uint64_t a, uint64_t b) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(a) * b) >> 64);
  };
  for (uint64_t a : edges)
    for (uint64_t b : edges) CHECK(rng_detail::mul_hi_32x4(a, b) == wide(a, b));
  Rng r(7);
  int mismatches = 0;
  for (int i = 0; i < 100000; ++i) {
    const uint64_t a = r.next_u64(), b = r.next_u64() >> (i % 64);
    if (rng_detail::mul_hi_32x4(a, b) != wide(a, b) || rng_detail::mul_hi(a, b) != wide(a, b)) ++mismatches;
  }
  CHECK(mismatches == 0);
  // uniform_int's golden draws (the same on both targets, whichever path computes them).
  Rng u(42);
  CHECK(u.uniform_int(0, 9) == 0);  // values drawn before the draws moved inline
  CHECK(u.uniform_int(-1000000, 1000000) == -242040);
  CHECK(u.uniform_int(0, INT64_MAX) == 6272293381124279504);
}

TEST_CASE("Rng: distributions have the right means and variances") {
  Rng r(2024);
  const int n = 200000;
  auto u = moments(n, [&] { return r.uniform(); });
  CHECK(u.mean == doctest::Approx(0.5).epsilon(0.01));
  CHECK(u.var == doctest::Approx(1.0 / 12).epsilon(0.02));
  auto e = moments(n, [&] { return r.exponential(3.0); });
  CHECK(e.mean == doctest::Approx(3.0).epsilon(0.02));
  CHECK(e.var == doctest::Approx(9.0).epsilon(0.04));
  auto g = moments(n, [&] { return r.normal(10.0, 2.0); });
  CHECK(g.mean == doctest::Approx(10.0).epsilon(0.01));
  CHECK(g.var == doctest::Approx(4.0).epsilon(0.03));
  auto ln = moments(n, [&] { return r.lognormal(0.0, 0.5); });
  CHECK(ln.mean == doctest::Approx(std::exp(0.125)).epsilon(0.02));
  auto pa = moments(n, [&] { return r.pareto(2.0, 4.0); });
  CHECK(pa.mean == doctest::Approx(4.0 * 2.0 / 3.0).epsilon(0.02));  // alpha x_m / (alpha - 1)
  auto ui = moments(n, [&] { return static_cast<double>(r.uniform_int(-3, 3)); });
  CHECK(ui.mean == doctest::Approx(0.0).epsilon(0.02).scale(1));
  CHECK(ui.var == doctest::Approx(4.0).epsilon(0.03));  // (7^2 - 1) / 12
  for (int i = 0; i < 1000; ++i) {
    const int64_t k = r.uniform_int(5, 9);
    CHECK((k >= 5 && k <= 9));
  }
  CHECK(r.uniform_int(7, 7) == 7);
  int hits = 0;
  for (int i = 0; i < n; ++i) hits += r.bernoulli(0.3);
  CHECK(static_cast<double>(hits) / n == doctest::Approx(0.3).epsilon(0.02));
  Rng z(5);
  const uint64_t before = Rng(5).next_u64();
  CHECK_FALSE(z.bernoulli(0.0));  // p = 0 does not draw
  CHECK(z.next_u64() == before);
  std::vector<double> w = {1, 0, 3};
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 40000; ++i) ++counts[r.choice(w)];
  CHECK(counts[1] == 0);
  CHECK(static_cast<double>(counts[2]) / 40000 == doctest::Approx(0.75).epsilon(0.02));
}

TEST_CASE("det_log and det_exp agree with libm to a few ulps (test-only comparison)") {
  double worst_log = 0, worst_exp = 0;
  Rng r(77);
  for (int i = 0; i < 20000; ++i) {
    const double x = det_exp(r.uniform(-700, 700));  // spans the double range
    const double l = det_log(x), ref = std::log(x);
    worst_log = std::max(worst_log, std::fabs(l - ref) / std::max(1e-300, std::fabs(ref)));
    const double y = r.uniform(-700, 700);
    const double ex = det_exp(y), eref = std::exp(y);
    worst_exp = std::max(worst_exp, std::fabs(ex - eref) / eref);
  }
  for (double x : {1e-300, 1e-10, 0.5, 0.9999999, 1.0, 1.0000001, 2.0, 10.0, 1e10, 1e300}) {
    CAPTURE(x);
    CHECK(det_log(x) == doctest::Approx(std::log(x)).epsilon(1e-14));
  }
  CHECK(det_log(1.0) == 0.0);
  CHECK(det_exp(0.0) == 1.0);
  CHECK(std::isinf(det_exp(1000)));
  CHECK(det_exp(-1000) == 0.0);
  CHECK(std::isinf(det_log(0.0)));
  CHECK(std::isnan(det_log(-1.0)));
  CHECK(worst_log < 4e-16 * 4);
  CHECK(worst_exp < 4e-16 * 4);
}

TEST_CASE("Histogram: exact below 64, bounded relative error above, quantiles") {
  Histogram h;
  for (int64_t v = 0; v < 64; ++v) h.record(v);
  CHECK(h.quantile(0.5) == 31);
  CHECK(h.min() == 0);
  CHECK(h.max() == 63);
  Histogram g;
  for (int64_t v = 1; v <= 100000; ++v) g.record(v);
  for (double q : {0.5, 0.9, 0.95, 0.99}) {
    CAPTURE(q);
    const double exact = q * 100000;
    CHECK(std::fabs(static_cast<double>(g.quantile(q)) - exact) / exact < 1.0 / 32 + 1e-9);
  }
  CHECK(g.quantile(1.0) == 100000);
  CHECK(g.mean() == doctest::Approx(50000.5));
  g.clear();
  CHECK(g.count() == 0);
  CHECK(g.quantile(0.5) == 0);
}

TEST_CASE("Metrics: counters, gauges and bounded series") {
  Metrics m;
  m.add("a");
  m.add("a", 4);
  CHECK(m.counter("a") == 5);
  CHECK(m.counter("none") == 0);
  m.set_gauge("g", 2.5);
  CHECK(m.gauge("g") == 2.5);
  m.max_points = 10;
  for (int i = 0; i < 25; ++i) m.sample("s", i, i * 2.0);
  const auto* s = m.series("s");
  REQUIRE(s);
  CHECK(s->size() == 10);
  CHECK(s->front().t == 15);
  CHECK(s->back().value == 48.0);
}

TEST_CASE("Trace: hash over every event, bounded storage, JSON escaping") {
  Trace a(3), b(0);
  for (int i = 0; i < 10; ++i) {
    TraceEvent e;
    e.t = i;
    e.kind = TraceKind::Note;
    e.node = 1;
    e.what = "w";
    e.detail = "d" + std::to_string(i);
    a.record(e);
    b.record(e.t, e.kind, e.node, e.peer, e.msg, e.sent_at, e.deliver_at, e.what, e.detail, e.value);
  }
  CHECK(a.hash() == b.hash());
  CHECK(a.count() == 10);
  CHECK(a.events().size() == 3);
  CHECK(a.events().front().t == 7);
  Trace c(0);
  c.record(0, TraceKind::Note, 1, -1, 0, 0, 0, "w", "d0", 1);  // one field differs
  Trace d(0);
  d.record(0, TraceKind::Note, 1, -1, 0, 0, 0, "w", "d0", 0);
  CHECK(c.hash() != d.hash());
  TraceEvent q;
  q.kind = TraceKind::Note;
  q.what = "say \"hi\"\n\\ \x01";
  CHECK(Trace::to_json(q) == "{\"t\":0,\"kind\":\"note\",\"what\":\"say \\\"hi\\\"\\n\\\\ \\u0001\"}");
  std::ostringstream out;
  a.write_jsonl(out);
  const std::string text = out.str();
  CHECK(std::count(text.begin(), text.end(), '\n') == 3);
}
