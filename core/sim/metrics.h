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

/// A model event worth a flag on the charts' time axis ("leader" n3, "breaker_open" a->b),
/// found by a sampler (World::add_sampler) at the sample boundary after it happened. The kind and
/// the subject are data (the UI words them in the learner's language: kind "leader" with subject
/// "n3" reads "leader n3", with no subject "no leader"); the label is the same in English, for the
/// CLI and logs.
struct MetricEvent {
  int64_t t = 0;         ///< simulated time (us) of the boundary that saw it
  std::string kind;      ///< "leader", "breaker_open", "failover", ...
  std::string label;     ///< short English text ("leader n3")
  std::string subject;   ///< what the event is about ("n3", "shop/cart->payment"), "" = none
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
  /// Creates an empty series (if absent) so its chart is known before the first point: the
  /// lesson validator checks `chart = "..."` names against all_series() of a fresh world.
  void declare_series(const std::string& name) { series_[name]; }
  /// Records a model event for the charts (bounded like a series: the newest max_points).
  void mark(int64_t t, std::string kind, std::string label, std::string subject = {});
  const std::vector<MetricEvent>& events() const { return events_; }
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
  std::vector<MetricEvent> events_;
};

/// The chart a series belongs to: the part of its name after the last '.' ("svc.payment.p99_ms"
/// -> "p99_ms"); the Charts tab draws one chart per kind, a lesson's `chart` names kinds.
std::string series_kind(const std::string& series);
/// What a series shows on its kind's chart: the part before the last '.' ("svc.payment").
std::string series_subject(const std::string& series);
/// The kinds of every series in `m`, sorted, each once.
std::vector<std::string> series_kinds(const Metrics& m);

}  // namespace topo
