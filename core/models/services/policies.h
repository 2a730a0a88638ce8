// Resilience and scaling policies of the microservice models as small pure classes, so each can
// be tested table-driven without a world: the circuit breaker (resilience4j semantics and
// defaults), the Kubernetes HPA recommendation with tolerance and scale-down stabilization, the
// retry budget, exponential backoff with full jitter, a rolling window of request outcomes and a
// deterministic sine for the diurnal load curve.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "sim/rng.h"

namespace topo::svc {

using Time = int64_t;  ///< simulated microseconds (same as topo::Time)

// ---------------------------------------------------------------------------------------------
// Circuit breaker
// ---------------------------------------------------------------------------------------------

/// resilience4j CircuitBreakerConfig (count-based sliding window). The defaults are
/// resilience4j's: failureRateThreshold 50 %, slidingWindowSize 100, minimumNumberOfCalls 100,
/// waitDurationInOpenState 60 s, permittedNumberOfCallsInHalfOpenState 10.
struct BreakerConfig {
  double failure_rate_threshold = 0.5;   ///< fraction in (0,1]; opens when rate >= threshold
  int sliding_window_size = 100;          ///< last N calls (count-based)
  int minimum_number_of_calls = 100;      ///< no decision before this many calls in the window
  Time wait_in_open_us = 60'000'000;      ///< OPEN -> HALF_OPEN after this
  int permitted_calls_in_half_open = 10;  ///< trial calls in HALF_OPEN
};

enum class BreakerState : uint8_t { Closed = 0, Open = 1, HalfOpen = 2 };
const char* to_string(BreakerState s);

/// A count-based circuit breaker. Callers ask try_acquire() before a call and report the
/// outcome of every permitted call with on_result(). OPEN moves to HALF_OPEN lazily, on the first
/// call attempt after the wait (resilience4j's default, automaticTransition = false); state_at()
/// shows what that attempt would see.
class CircuitBreaker {
 public:
  explicit CircuitBreaker(BreakerConfig c = {}) : cfg_(c) {}
  /// True if a call may go out at `now_us`; false = rejected (CallNotPermitted).
  bool try_acquire(Time now_us);
  /// Records the outcome of a permitted call that finished at `now_us`.
  void on_result(bool success, Time now_us);
  BreakerState state() const { return state_; }
  /// The state as of `now_us` (OPEN whose wait has passed shows as HALF_OPEN).
  BreakerState state_at(Time now_us) const;
  /// Failure rate of the current window in [0,1], or -1 below the minimum number of calls.
  double failure_rate() const;
  const BreakerConfig& config() const { return cfg_; }
  void set_config(const BreakerConfig& c);
  /// Back to CLOSED with an empty window.
  void reset();
  uint64_t transitions() const { return transitions_; }
  uint64_t rejected() const { return rejected_; }

 private:
  void to_state(BreakerState s, Time now_us);
  BreakerConfig cfg_;
  BreakerState state_ = BreakerState::Closed;
  std::deque<bool> window_;   ///< true = failure
  int failures_ = 0;
  Time opened_at_ = 0;
  int half_open_permitted_ = 0;
  int half_open_done_ = 0;
  int half_open_failures_ = 0;
  uint64_t transitions_ = 0;
  uint64_t rejected_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Horizontal Pod Autoscaler
// ---------------------------------------------------------------------------------------------

/// The HPA formula: desired = ceil(current * metric / target), unchanged when
/// |metric/target - 1| <= tolerance. `current` >= 1; metric and target are utilizations (0..).
int hpa_desired(int current, double metric, double target, double tolerance = 0.1);

struct HpaConfig {
  int min_replicas = 1;
  int max_replicas = 10;
  double target_utilization = 0.6;       ///< average CPU utilization target (0..1)
  double tolerance = 0.1;
  Time scale_down_window_us = 300'000'000;  ///< stabilization window for scale-down
  Time sync_period_us = 15'000'000;         ///< how often the controller runs
};

/// The HPA controller's decision with the scale-down stabilization window: it records every
/// recommendation and, when scaling down, uses the highest recommendation of the window (so it
/// never scales down until the load has stayed low for the whole window). Scale-up is immediate
/// but limited per sync to max(2 x current, current + 4) (the Kubernetes default policies).
class Hpa {
 public:
  explicit Hpa(HpaConfig c = {}) : cfg_(c) {}
  /// One sync at `now_us`: `current` = replicas now (spec), `ready` = ready replicas,
  /// `avg_utilization` = mean CPU utilization of the ready replicas since the last sync.
  /// Not-ready (starting) replicas count as 0 % when the result would scale up (as Kubernetes
  /// does). Returns the new replica count.
  int recommend(Time now_us, int current, int ready, double avg_utilization);
  const HpaConfig& config() const { return cfg_; }
  void set_config(const HpaConfig& c) { cfg_ = c; }
  /// The last raw (unstabilized) recommendation, for the inspector.
  int last_raw() const { return last_raw_; }

 private:
  HpaConfig cfg_;
  std::deque<std::pair<Time, int>> recs_;
  int last_raw_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------------------

/// Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^attempt)].
/// `attempt` counts retries from 0.
Time backoff_full_jitter(Rng& rng, int attempt, Time base_us, Time cap_us);

/// A retry budget (Finagle/Envoy style): every original call deposits `ratio` tokens, every
/// retry withdraws one; a reserve of `min_tokens` lets a quiet edge still retry. ratio <= 0
/// means no budget (retries always allowed).
class RetryBudget {
 public:
  void configure(double ratio, double min_tokens = 10.0);
  void on_call();
  /// True (and takes a token) if a retry may go out.
  bool try_retry();
  double ratio() const { return ratio_; }
  double tokens() const { return tokens_; }

 private:
  double ratio_ = 0.0;
  double min_tokens_ = 10.0;
  double tokens_ = 10.0;
};

// ---------------------------------------------------------------------------------------------
// Windows and curves
// ---------------------------------------------------------------------------------------------

/// Outcomes and latencies in one-second buckets of simulated time, for "recent window" metrics.
/// Every request counts in the latency figures, failed and timed-out ones too, with the time
/// until the client got its failure (so a collapsing service's p99 rises, never drops to 0);
/// the `*_ok_ms` figures count successful requests only. Keeps at most
/// `max_samples_per_bucket` latencies per bucket and per kind (the first ones).
class RollingWindow {
 public:
  struct Summary {
    int64_t count = 0, ok = 0, failed = 0;
    double success_rate = 1.0;   ///< 1 when count == 0
    double mean_ms = 0, p50_ms = 0, p95_ms = 0, p99_ms = 0;   ///< all requests, failed included
    double p50_ok_ms = 0, p99_ok_ms = 0;                      ///< successful requests only
    double rate_per_s = 0;       ///< count / window
  };
  void record(Time now_us, bool ok, Time latency_us);
  /// Over (now - window, now].
  Summary summary(Time now_us, Time window_us) const;
  void clear() { buckets_.clear(); }
  size_t max_samples_per_bucket = 4000;
  Time horizon_us = 120'000'000;   ///< buckets older than this are dropped

 private:
  struct Bucket {
    int64_t sec = 0;
    int64_t ok = 0, failed = 0;
    std::vector<int32_t> lat_us;      ///< every request, failed included
    std::vector<int32_t> lat_ok_us;   ///< successful requests only
  };
  std::deque<Bucket> buckets_;
};

/// sin(x) with only +, -, *, / (identical on every platform). |error| < 1e-12.
double det_sin(double x);

}  // namespace topo::svc
