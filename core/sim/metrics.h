// Metrics on simulated time: counters, gauges, latency histograms (log-linear buckets with a
// bounded relative error, p50/p95/p99/max) and time series sampled at a fixed simulated
// interval for charts. Names are free text with dots ("raft.commits", "svc.payment.latency").
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace topo {

/// Log-linear histogram of non-negative integer values (e.g. microseconds): exact below 64,
/// then 32 sub-buckets per power of two (relative error < 3.2%).
class Histogram {
 public:
  void record(int64_t v);
  uint64_t count() const { return count_; }
  int64_t max() const { return max_; }
  int64_t min() const { return count_ ? min_ : 0; }
  double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }
  /// Value at quantile q in [0,1] (upper edge of its bucket, clamped to max).
  int64_t quantile(double q) const;
  void clear();

 private:
  std::vector<uint64_t> buckets_;
  uint64_t count_ = 0;
  int64_t sum_ = 0;
  int64_t max_ = 0;
  int64_t min_ = 0;
};

struct SeriesPoint {
  int64_t t;     ///< simulated time (us)
  double value;
};

class Metrics {
 public:
  void add(const std::string& counter, int64_t delta = 1);
  int64_t counter(const std::string& name) const;
  void set_gauge(const std::string& name, double v);
  double gauge(const std::string& name) const;
  Histogram& histogram(const std::string& name);
  const Histogram* find_histogram(const std::string& name) const;
  /// Appends a point to a time series (bounded: keeps the newest `max_points`).
  void sample(const std::string& series, int64_t t, double v);
  const std::vector<SeriesPoint>* series(const std::string& name) const;
  const std::map<std::string, int64_t>& counters() const { return counters_; }
  const std::map<std::string, double>& gauges() const { return gauges_; }
  const std::map<std::string, Histogram>& histograms() const { return histograms_; }
  const std::map<std::string, std::vector<SeriesPoint>>& all_series() const { return series_; }
  size_t max_points = 4096;

 private:
  std::map<std::string, int64_t> counters_;
  std::map<std::string, double> gauges_;
  std::map<std::string, Histogram> histograms_;
  std::map<std::string, std::vector<SeriesPoint>> series_;
};

}  // namespace topo
