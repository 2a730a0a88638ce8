// A queueing station on the engine's CPU model: Poisson arrivals (exponential inter-arrival
// times drawn from the node's stream), exponential service demands queued with ctx.work on a node
// with `servers` cores (FIFO), and a Model that reports time in system from what the engine did:
// no closed-form shortcut anywhere. Used by the mm1 and mmc scenarios and their benchmarks.
#pragma once

#include <cstdint>
#include <string>

#include "sim/world.h"

namespace topo::basic {

struct QueueConfig {
  double lambda_per_sec = 80;   ///< arrival rate
  double mu_per_sec = 100;      ///< service rate of one server
  int servers = 1;              ///< c
  int64_t customers = 100000;   ///< arrivals stop after this many
};

/// The station's results: customers served and their time in system (arrival to work done).
class QueueModel : public Model {
 public:
  std::span<const Word> words() const override;
  QueueModel(std::string name, QueueConfig cfg) : name_(std::move(name)), cfg_(cfg) {}
  std::string name() const override { return name_; }
  /// Keys: customers_served, customers_arrived, mean_time_in_system_s, mean_time_in_system_ms,
  /// p50_time_in_system_ms, p99_time_in_system_ms, lambda_per_sec, mu_per_sec, servers.
  std::optional<double> value(std::string_view key) const override;
  std::vector<ValueDecl> value_decls() const override;
  void report_metrics(std::ostream& out) const override;
  std::string state_json() const override;

  void arrived() { ++arrived_; }
  void served(Time time_in_system_us);
  int64_t served_count() const { return served_; }
  double mean_time_in_system_s() const;
  const QueueConfig& config() const { return cfg_; }
  Histogram* hist = nullptr;  ///< "<name>.time_in_system_us" in the world's metrics

 private:
  std::string name_;
  QueueConfig cfg_;
  int64_t arrived_ = 0;
  int64_t served_ = 0;
  int64_t sum_us_ = 0;
};

/// Adds the station ("server", with cfg.servers cores) and its model to a world.
QueueModel* build_queue(World& w, const std::string& name, const QueueConfig& cfg);

}  // namespace topo::basic
