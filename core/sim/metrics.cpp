// Metrics on simulated time: counters, gauges, log-linear latency histograms (exact below 64,
// then 32 sub-buckets per power of two: relative error under 1/32) and bounded time series.
#include "sim/metrics.h"

#include <algorithm>

namespace topo {

namespace {

constexpr int kSubBits = 5;                 // 32 sub-buckets per power of two
constexpr int64_t kExact = 64;              // values below this have their own bucket

size_t bucket_of(int64_t v) {
  if (v < kExact) return static_cast<size_t>(v);
  const int e = 63 - __builtin_clzll(static_cast<uint64_t>(v));  // floor(log2 v) >= 6
  const int64_t sub = (v >> (e - kSubBits)) & ((1 << kSubBits) - 1);
  return static_cast<size_t>(kExact + (e - 6) * (1 << kSubBits) + sub);
}

// Largest value that falls in bucket b.
int64_t bucket_upper(size_t b) {
  if (b < static_cast<size_t>(kExact)) return static_cast<int64_t>(b);
  const int64_t i = static_cast<int64_t>(b) - kExact;
  const int e = static_cast<int>(i >> kSubBits) + 6;
  const int64_t sub = i & ((1 << kSubBits) - 1);
  const int64_t lo = (int64_t{1} << e) + (sub << (e - kSubBits));
  return lo + (int64_t{1} << (e - kSubBits)) - 1;
}

}  // namespace

void Histogram::record(int64_t v) {
  if (v < 0) v = 0;
  const size_t b = bucket_of(v);
  if (b >= buckets_.size()) buckets_.resize(b + 1, 0);
  ++buckets_[b];
  if (count_ == 0 || v < min_) min_ = v;
  if (v > max_) max_ = v;
  ++count_;
  sum_ += v;
}

int64_t Histogram::quantile(double q) const {
  if (count_ == 0) return 0;
  if (q <= 0.0) return min_;
  if (q >= 1.0) return max_;
  // The smallest bucket whose cumulative count reaches ceil(q * count).
  uint64_t rank = static_cast<uint64_t>(q * static_cast<double>(count_));
  if (static_cast<double>(rank) < q * static_cast<double>(count_)) ++rank;
  if (rank == 0) rank = 1;
  uint64_t seen = 0;
  for (size_t b = 0; b < buckets_.size(); ++b) {
    seen += buckets_[b];
    if (seen >= rank) return std::min(bucket_upper(b), max_);
  }
  return max_;
}

void Histogram::clear() { *this = Histogram(); }

void Metrics::add(const std::string& counter, int64_t delta) { counters_[counter] += delta; }

int64_t Metrics::counter(const std::string& name) const {
  auto it = counters_.find(name);
  return it == counters_.end() ? 0 : it->second;
}

void Metrics::set_gauge(const std::string& name, double v) { gauges_[name] = v; }

double Metrics::gauge(const std::string& name) const {
  auto it = gauges_.find(name);
  return it == gauges_.end() ? 0.0 : it->second;
}

Histogram& Metrics::histogram(const std::string& name) { return histograms_[name]; }

const Histogram* Metrics::find_histogram(const std::string& name) const {
  auto it = histograms_.find(name);
  return it == histograms_.end() ? nullptr : &it->second;
}

void Metrics::sample(const std::string& series, int64_t t, double v) {
  auto& s = series_[series];
  s.push_back({t, v});
  if (max_points > 0 && s.size() > max_points) {
    s.erase(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(s.size() - max_points));
  }
}

void Metrics::mark(int64_t t, std::string kind, std::string label, std::string subject) {
  events_.push_back({t, std::move(kind), std::move(label), std::move(subject)});
  if (max_points > 0 && events_.size() > max_points) events_.erase(events_.begin());
}

const std::vector<SeriesPoint>* Metrics::series(const std::string& name) const {
  auto it = series_.find(name);
  return it == series_.end() ? nullptr : &it->second;
}

std::string series_kind(const std::string& series) {
  const size_t dot = series.rfind('.');
  return dot == std::string::npos ? series : series.substr(dot + 1);
}

std::string series_subject(const std::string& series) {
  const size_t dot = series.rfind('.');
  return dot == std::string::npos ? series : series.substr(0, dot);
}

std::vector<std::string> series_kinds(const Metrics& m) {
  std::vector<std::string> out;
  for (const auto& [name, pts] : m.all_series()) {
    (void)pts;
    out.push_back(series_kind(name));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace topo
