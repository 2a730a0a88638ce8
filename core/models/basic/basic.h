// The engine's own scenarios (ping, mm1, mmc, gossip): small workloads that show the engine off
// in the UI and drive its tests and benchmarks. Shared helpers for reading scenario parameters.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace topo::basic {

/// Reads scenario parameters with range checks; the first problem is kept in error().
class ParamReader {
 public:
  ParamReader(const Params& p, std::initializer_list<const char*> known);
  /// A number in [lo, hi] (or `fallback` when absent).
  double number(const char* key, double fallback, double lo, double hi);
  /// An integer in [lo, hi] (or `fallback` when absent).
  int64_t integer(const char* key, int64_t fallback, int64_t lo, int64_t hi);
  const std::string& error() const { return error_; }

 private:
  const Params& p_;
  std::string error_;
};

void add_ping(std::vector<ScenarioInfo>& v);
void add_mm1(std::vector<ScenarioInfo>& v);
void add_mmc(std::vector<ScenarioInfo>& v);
void add_gossip(std::vector<ScenarioInfo>& v);

}  // namespace topo::basic

namespace topo {
/// Adds ping, mm1, mmc and gossip to the catalogue (called from catalog/catalog.cpp).
void add_basic_scenarios(std::vector<ScenarioInfo>& v);
}  // namespace topo
