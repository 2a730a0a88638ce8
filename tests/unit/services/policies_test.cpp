// Table-driven tests of the pure service policies: circuit breaker transitions (resilience4j
// semantics), the HPA formula, tolerance and scale-down stabilization, backoff with full jitter,
// the retry budget and the deterministic sine.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "models/services/policies.h"

using namespace topo::svc;

namespace {

// A step: try a call at time t (ms); if permitted and `outcome` is 'S' or 'F', report it.
// expect_permit and expect_state are checked after the step.
struct Step {
  int t_ms;
  char outcome;         // 'S' success, 'F' failure, '-' do not report (call still running)
  bool expect_permit;
  BreakerState expect_state;
};

struct BreakerCase {
  const char* name;
  BreakerConfig cfg;
  std::vector<Step> steps;
};

BreakerConfig small(double thr, int window, int min_calls, int wait_ms, int half) {
  BreakerConfig c;
  c.failure_rate_threshold = thr;
  c.sliding_window_size = window;
  c.minimum_number_of_calls = min_calls;
  c.wait_in_open_us = wait_ms * 1000LL;
  c.permitted_calls_in_half_open = half;
  return c;
}

}  // namespace

TEST_CASE("services: circuit breaker transitions (table)") {
  using S = BreakerState;
  const std::vector<BreakerCase> cases = {
      {"stays closed below the minimum number of calls",
       small(0.5, 4, 4, 1000, 2),
       {{0, 'F', true, S::Closed}, {1, 'F', true, S::Closed}, {2, 'F', true, S::Closed}}},
      {"opens when the failure rate reaches the threshold (>=)",
       small(0.5, 4, 4, 1000, 2),
       {{0, 'S', true, S::Closed}, {1, 'S', true, S::Closed}, {2, 'F', true, S::Closed}, {3, 'F', true, S::Open}}},
      {"stays closed under the threshold; the window slides",
       small(0.5, 4, 4, 1000, 2),
       {{0, 'F', true, S::Closed}, {1, 'S', true, S::Closed}, {2, 'S', true, S::Closed}, {3, 'S', true, S::Closed},
        {4, 'F', true, S::Closed}, {5, 'S', true, S::Closed}}},
      {"open rejects until the wait has passed, then half-open permits N calls",
       small(0.5, 2, 2, 1000, 2),
       {{0, 'F', true, S::Closed}, {1, 'F', true, S::Open}, {500, '-', false, S::Open}, {1001, '-', true, S::HalfOpen},
        {1002, '-', true, S::HalfOpen}, {1003, '-', false, S::HalfOpen}}},
      {"half-open closes when the trial calls succeed",
       small(0.5, 2, 2, 1000, 2),
       {{0, 'F', true, S::Closed}, {1, 'F', true, S::Open}, {1001, 'S', true, S::HalfOpen}, {1002, 'S', true, S::Closed},
        {1003, 'F', true, S::Closed}}},
      {"half-open reopens when the trial calls fail",
       small(0.5, 2, 2, 1000, 2),
       {{0, 'F', true, S::Closed}, {1, 'F', true, S::Open}, {1001, 'S', true, S::HalfOpen}, {1002, 'F', true, S::Open},
        {1500, '-', false, S::Open}, {2003, 'S', true, S::HalfOpen}}},
      {"resilience4j defaults need 100 calls before opening",
       BreakerConfig{},
       {{0, 'F', true, S::Closed}}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CircuitBreaker b(c.cfg);
    for (size_t i = 0; i < c.steps.size(); i++) {
      CAPTURE(i);
      const Step& s = c.steps[i];
      const Time t = s.t_ms * 1000LL;
      const bool permit = b.try_acquire(t);
      CHECK(permit == s.expect_permit);
      if (permit && s.outcome != '-') b.on_result(s.outcome == 'S', t);
      CHECK(b.state_at(t) == s.expect_state);
    }
  }
}

TEST_CASE("services: resilience4j breaker defaults") {
  BreakerConfig d;
  CHECK(d.failure_rate_threshold == 0.5);
  CHECK(d.sliding_window_size == 100);
  CHECK(d.minimum_number_of_calls == 100);
  CHECK(d.wait_in_open_us == 60'000'000);
  CHECK(d.permitted_calls_in_half_open == 10);
  CircuitBreaker b;
  for (int i = 0; i < 99; i++) b.on_result(false, i);
  CHECK(b.state() == BreakerState::Closed);
  b.on_result(false, 100);
  CHECK(b.state() == BreakerState::Open);
  CHECK_FALSE(b.try_acquire(59'000'000));
  CHECK(b.try_acquire(60'000'100));
  CHECK(b.state() == BreakerState::HalfOpen);
}

TEST_CASE("services: HPA formula and tolerance (table)") {
  struct Row { int current; double metric, target; int want; };
  const std::vector<Row> rows = {
      {4, 0.9, 0.6, 6},    // ceil(4 * 1.5)
      {4, 0.65, 0.6, 4},   // ratio 1.083: inside the 10% tolerance
      {4, 0.54, 0.6, 4},   // ratio 0.9: on the tolerance edge, unchanged
      {4, 0.53, 0.6, 4},   // ratio 0.883: ceil(3.53) = 4
      {4, 0.3, 0.6, 2},    // halve
      {1, 1.0, 0.5, 2},
      {3, 0.7, 0.6, 4},    // ratio 1.167: ceil(3.5) = 4
      {10, 0.1, 0.5, 2},
      {2, 0.0, 0.5, 1},    // floor at 1
  };
  for (const auto& r : rows) {
    CAPTURE(r.current);
    CAPTURE(r.metric);
    CHECK(hpa_desired(r.current, r.metric, r.target, 0.1) == r.want);
  }
}

TEST_CASE("services: HPA scale-down stabilization window and limits (table)") {
  HpaConfig cfg;
  cfg.min_replicas = 1;
  cfg.max_replicas = 10;
  cfg.target_utilization = 0.5;
  cfg.scale_down_window_us = 300'000'000;
  struct Row { int t_s; int current; int ready; double util; int want; };
  const std::vector<Row> rows = {
      {0, 2, 2, 1.0, 4},      // scale up at once
      {15, 4, 4, 0.5, 4},     // on target
      {30, 4, 4, 0.1, 4},     // raw 1, but the window remembers 4
      {200, 4, 4, 0.1, 4},    // still inside the 300 s window
      {314, 4, 4, 0.1, 4},    // the t=15 recommendation (4) is still inside
      {331, 4, 4, 0.1, 1},    // everything in the window says 1
      {346, 1, 1, 8.0, 5},    // scale-up limit: max(2 x 1, 1 + 4) = 5
      {361, 5, 5, 5.0, 10},   // capped at max_replicas
  };
  Hpa h(cfg);
  for (const auto& r : rows) {
    CAPTURE(r.t_s);
    CHECK(h.recommend(r.t_s * 1'000'000LL, r.current, r.ready, r.util) == r.want);
  }
  // Starting replicas count as 0 % when scaling up.
  Hpa h2(cfg);
  CHECK(h2.recommend(0, 4, 2, 0.75) == 4);   // 2 ready at 75 %, 2 starting: no scale-down while starting
  CHECK(h2.recommend(15, 4, 2, 1.5) == 6);   // 2 ready at 150 %, 2 starting count as 0 %: ceil(4 x 0.75 / 0.5) = 6
}

TEST_CASE("services: backoff with full jitter stays under the exponential cap") {
  topo::Rng rng(7);
  for (int attempt = 0; attempt < 8; attempt++) {
    const Time cap = std::min<Time>(1'000'000, 25'000LL << attempt);
    Time mx = 0;
    double sum = 0;
    for (int i = 0; i < 400; i++) {
      const Time d = backoff_full_jitter(rng, attempt, 25'000, 1'000'000);
      CHECK(d >= 0);
      CHECK(d <= cap);
      mx = std::max(mx, d);
      sum += static_cast<double>(d);
    }
    CHECK(mx > cap * 3 / 4);                          // full jitter spreads over [0, cap]
    CHECK(std::fabs(sum / 400 - cap / 2.0) < cap * 0.1);
  }
}

TEST_CASE("services: retry budget limits retries to a share of calls") {
  RetryBudget b;
  b.configure(0.2, 10);
  int allowed = 0;
  for (int i = 0; i < 1000; i++) {
    b.on_call();
    if (b.try_retry()) allowed++;
  }
  CHECK(allowed <= 10 + 200 + 1);
  CHECK(allowed >= 200);
  RetryBudget unlimited;
  CHECK(unlimited.try_retry());
}

TEST_CASE("services: det_sin matches sin") {
  for (double x = -20; x < 20; x += 0.37) CHECK(std::fabs(det_sin(x) - std::sin(x)) < 1e-9);
}

TEST_CASE("services: rolling window summaries") {
  RollingWindow w;
  for (int i = 0; i < 100; i++) w.record(i * 100'000LL, i % 10 != 0, (i + 1) * 1000);
  const auto s = w.summary(9'999'999, 10'000'000);
  CHECK(s.count == 100);
  CHECK(s.failed == 10);
  CHECK(s.success_rate == doctest::Approx(0.9));
  CHECK(s.p50_ms > 40);
  CHECK(s.p50_ms < 60);
  const auto recent = w.summary(9'999'999, 2'000'000);
  CHECK(recent.count == 20);
}
