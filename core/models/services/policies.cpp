// Implementation of the pure policies of policies.h: circuit breaker, HPA, retries, rolling
// window, deterministic sine.
#include "models/services/policies.h"

#include <algorithm>
#include <cmath>

namespace topo::svc {

const char* to_string(BreakerState s) {
  switch (s) {
    case BreakerState::Closed: return "closed";
    case BreakerState::Open: return "open";
    case BreakerState::HalfOpen: return "half_open";
  }
  return "?";
}

// ---- CircuitBreaker ----

void CircuitBreaker::set_config(const BreakerConfig& c) {
  cfg_ = c;
  while (static_cast<int>(window_.size()) > std::max(1, cfg_.sliding_window_size)) {
    if (window_.front()) failures_--;
    window_.pop_front();
  }
}

void CircuitBreaker::reset() {
  state_ = BreakerState::Closed;
  window_.clear();
  failures_ = 0;
  half_open_permitted_ = half_open_done_ = half_open_failures_ = 0;
}

void CircuitBreaker::to_state(BreakerState s, Time now_us) {
  if (s == state_) return;
  state_ = s;
  transitions_++;
  window_.clear();
  failures_ = 0;
  half_open_permitted_ = half_open_done_ = half_open_failures_ = 0;
  if (s == BreakerState::Open) opened_at_ = now_us;
}

BreakerState CircuitBreaker::state_at(Time now_us) const {
  if (state_ == BreakerState::Open && now_us - opened_at_ >= cfg_.wait_in_open_us)
    return BreakerState::HalfOpen;
  return state_;
}

bool CircuitBreaker::try_acquire(Time now_us) {
  if (state_ == BreakerState::Open) {
    if (now_us - opened_at_ < cfg_.wait_in_open_us) {
      rejected_++;
      return false;
    }
    to_state(BreakerState::HalfOpen, now_us);
  }
  if (state_ == BreakerState::HalfOpen) {
    if (half_open_permitted_ >= std::max(1, cfg_.permitted_calls_in_half_open)) {
      rejected_++;
      return false;
    }
    half_open_permitted_++;
  }
  return true;
}

void CircuitBreaker::on_result(bool success, Time now_us) {
  if (state_ == BreakerState::Open) return;  // a call permitted before the breaker opened
  if (state_ == BreakerState::HalfOpen) {
    half_open_done_++;
    if (!success) half_open_failures_++;
    const int n = std::max(1, cfg_.permitted_calls_in_half_open);
    if (half_open_done_ >= n) {
      const double rate = static_cast<double>(half_open_failures_) / n;
      to_state(rate >= cfg_.failure_rate_threshold ? BreakerState::Open : BreakerState::Closed,
               now_us);
    }
    return;
  }
  window_.push_back(!success);
  if (!success) failures_++;
  const int size = std::max(1, cfg_.sliding_window_size);
  while (static_cast<int>(window_.size()) > size) {
    if (window_.front()) failures_--;
    window_.pop_front();
  }
  const int min_calls = std::min(std::max(1, cfg_.minimum_number_of_calls), size);
  if (static_cast<int>(window_.size()) >= min_calls) {
    const double rate = static_cast<double>(failures_) / static_cast<double>(window_.size());
    if (rate >= cfg_.failure_rate_threshold) to_state(BreakerState::Open, now_us);
  }
}

double CircuitBreaker::failure_rate() const {
  const int size = std::max(1, cfg_.sliding_window_size);
  const int min_calls = std::min(std::max(1, cfg_.minimum_number_of_calls), size);
  if (state_ != BreakerState::Closed || static_cast<int>(window_.size()) < min_calls) return -1;
  return static_cast<double>(failures_) / static_cast<double>(window_.size());
}

// ---- HPA ----

int hpa_desired(int current, double metric, double target, double tolerance) {
  if (current < 1) current = 1;
  if (target <= 0) return current;
  const double ratio = metric / target;
  if (std::fabs(ratio - 1.0) <= tolerance) return current;
  // ceil with a tiny guard against 2.0000000001-style rounding of exact products.
  const double d = ratio * current;
  int64_t r = static_cast<int64_t>(d);
  if (static_cast<double>(r) < d - 1e-9) r++;
  return static_cast<int>(std::max<int64_t>(r, 1));
}

int Hpa::recommend(Time now_us, int current, int ready, double avg_utilization) {
  if (current < 1) current = 1;
  if (ready < 0) ready = 0;
  const int starting = std::max(0, current - ready);
  int raw = current;
  if (ready > 0) {
    raw = hpa_desired(ready, avg_utilization, cfg_.target_utilization, cfg_.tolerance);
    if (raw > current && starting > 0) {
      // Kubernetes: when scaling up, not-yet-ready pods count as using 0 %.
      const double util_all = avg_utilization * ready / (ready + starting);
      raw = hpa_desired(ready + starting, util_all, cfg_.target_utilization, cfg_.tolerance);
      if (raw < current) raw = current;   // this adjustment never turns into a scale-down
    } else if (raw < current && starting > 0) {
      raw = current;   // do not scale down while replicas are still starting
    } else if (raw == ready) {
      raw = current;   // within tolerance
    }
  }
  raw = std::clamp(raw, cfg_.min_replicas, std::max(cfg_.min_replicas, cfg_.max_replicas));
  last_raw_ = raw;
  recs_.emplace_back(now_us, raw);
  while (!recs_.empty() && recs_.front().first < now_us - cfg_.scale_down_window_us) recs_.pop_front();
  int out = raw;
  if (raw < current) {
    int highest = raw;
    for (const auto& r : recs_) highest = std::max(highest, r.second);
    out = std::min(current, highest);
  } else if (raw > current) {
    out = std::min(raw, std::max(2 * current, current + 4));
  }
  return std::clamp(out, cfg_.min_replicas, std::max(cfg_.min_replicas, cfg_.max_replicas));
}

// ---- retries ----

Time backoff_full_jitter(Rng& rng, int attempt, Time base_us, Time cap_us) {
  Time ceiling = base_us;
  for (int i = 0; i < attempt && ceiling < cap_us; i++) ceiling *= 2;
  ceiling = std::min(ceiling, cap_us);
  if (ceiling <= 0) return 0;
  return rng.uniform_int(0, ceiling);
}

void RetryBudget::configure(double ratio, double min_tokens) {
  ratio_ = ratio;
  min_tokens_ = min_tokens;
  tokens_ = min_tokens;
}

void RetryBudget::on_call() {
  if (ratio_ <= 0) return;
  // Bounded: the balance never exceeds the reserve plus 100 calls' worth of deposits.
  tokens_ = std::min(tokens_ + ratio_, min_tokens_ + 100.0 * ratio_);
}

bool RetryBudget::try_retry() {
  if (ratio_ <= 0) return true;
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

// ---- RollingWindow ----

void RollingWindow::record(Time now_us, bool ok, Time latency_us) {
  const int64_t sec = now_us / 1'000'000;
  if (buckets_.empty() || buckets_.back().sec != sec) {
    buckets_.push_back(Bucket{sec, 0, 0, {}, {}});
    const int64_t oldest = sec - horizon_us / 1'000'000;
    while (!buckets_.empty() && buckets_.front().sec < oldest) buckets_.pop_front();
  }
  Bucket& b = buckets_.back();
  const auto lat = static_cast<int32_t>(std::min<Time>(std::max<Time>(latency_us, 0), INT32_MAX));
  if (b.lat_us.size() < max_samples_per_bucket) b.lat_us.push_back(lat);
  if (ok) {
    b.ok++;
    if (b.lat_ok_us.size() < max_samples_per_bucket) b.lat_ok_us.push_back(lat);
  } else {
    b.failed++;
  }
}

namespace {
// The p-quantile (nearest rank) of sorted, non-empty latencies in microseconds, in ms.
double sorted_quantile_ms(const std::vector<int32_t>& lat, double p) {
  size_t i = static_cast<size_t>(p * static_cast<double>(lat.size() - 1) + 0.5);
  return lat[std::min(i, lat.size() - 1)] / 1000.0;
}
}  // namespace

RollingWindow::Summary RollingWindow::summary(Time now_us, Time window_us) const {
  Summary s;
  const int64_t hi = now_us / 1'000'000;
  const Time from = now_us - window_us;   // buckets with sec > floor(from / 1 s)
  const int64_t lo = from >= 0 ? from / 1'000'000 : -((-from + 999'999) / 1'000'000);
  std::vector<int32_t> lat, lat_ok;
  for (const auto& b : buckets_) {
    if (b.sec <= lo || b.sec > hi) continue;
    s.ok += b.ok;
    s.failed += b.failed;
    lat.insert(lat.end(), b.lat_us.begin(), b.lat_us.end());
    lat_ok.insert(lat_ok.end(), b.lat_ok_us.begin(), b.lat_ok_us.end());
  }
  s.count = s.ok + s.failed;
  s.success_rate = s.count ? static_cast<double>(s.ok) / static_cast<double>(s.count) : 1.0;
  s.rate_per_s = window_us > 0 ? static_cast<double>(s.count) * 1e6 / static_cast<double>(window_us) : 0;
  if (!lat.empty()) {
    std::sort(lat.begin(), lat.end());
    double sum = 0;
    for (int32_t v : lat) sum += v;
    s.mean_ms = sum / static_cast<double>(lat.size()) / 1000.0;
    s.p50_ms = sorted_quantile_ms(lat, 0.50);
    s.p95_ms = sorted_quantile_ms(lat, 0.95);
    s.p99_ms = sorted_quantile_ms(lat, 0.99);
  }
  if (!lat_ok.empty()) {
    std::sort(lat_ok.begin(), lat_ok.end());
    s.p50_ok_ms = sorted_quantile_ms(lat_ok, 0.50);
    s.p99_ok_ms = sorted_quantile_ms(lat_ok, 0.99);
  }
  return s;
}

// ---- det_sin ----

double det_sin(double x) {
  const double kPi = 3.14159265358979323846;
  const double kTwoPi = 2.0 * kPi;
  // Range-reduce to [-pi, pi] with a truncation that only uses * and casts.
  double k = x / kTwoPi;
  int64_t n = static_cast<int64_t>(k >= 0 ? k + 0.5 : k - 0.5);
  double r = x - static_cast<double>(n) * kTwoPi;
  // Fold to [-pi/2, pi/2].
  if (r > kPi / 2) r = kPi - r;
  else if (r < -kPi / 2) r = -kPi - r;
  const double r2 = r * r;
  // Taylor series to r^23: error < 1e-16 on [-pi/2, pi/2].
  double term = r, sum = r;
  for (int i = 1; i <= 11; i++) {
    term = -term * r2 / static_cast<double>((2 * i) * (2 * i + 1));
    sum += term;
  }
  return sum;
}

}  // namespace topo::svc
