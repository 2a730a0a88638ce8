// Chaos campaigns for the Raft store: for one seed, a randomized fault schedule made only of
// Commands (crash, restart, partition, heal, set_link loss/duplicate/reorder) over a faulty
// period, then everything is healed and the cluster runs a quiet period. A run passes when the
// invariant checkers found nothing, the client history is linearizable (core/models/kv), and a
// write invoked after the heal completed (progress resumed). Everything a run does follows from
// (scenario, params, seed, options), printed first so any failure replays exactly.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "sim/world.h"

namespace topo::raft {

struct ChaosOptions {
  std::string scenario = "raft-5";
  std::map<std::string, std::string> params;  ///< scenario parameters (e.g. raft.persist_vote=false)
  Time faulty_us = 4 * kSec;        ///< length of the fault period
  Time quiet_us = 3 * kSec;         ///< length of the healed period that follows
  Time fault_every_us = 250 * kMs;  ///< mean gap between faults (exponential)
  bool crashes = true;              ///< crash and restart nodes
  bool partitions = true;           ///< split the network into groups and heal it
  bool link_faults = true;          ///< set loss / duplication / reordering on links
  double loss_max = 0.3;            ///< link faults draw loss uniformly in [0, loss_max]
  double duplicate_max = 0.2;
  double reorder_max = 0.3;
  Time restart_delay_max_us = 300 * kMs;  ///< a restart takes uniformly [0, max]
  bool check_linearizability = true;

  /// Sets an option from `chaos.KEY=VALUE` text (faulty_ms, quiet_ms, fault_every_ms, crashes,
  /// partitions, link_faults, loss_max, duplicate_max, reorder_max, restart_max_ms,
  /// linearizability). Returns an error message or "".
  std::string set(const std::string& key, const std::string& value);
  /// One line naming every option, for the head of a campaign's output.
  std::string describe() const;
};

struct ChaosResult {
  uint64_t seed = 0;
  bool violation = false;             ///< an invariant or linearizability violation
  bool stalled = false;               ///< no write completed after the heal
  std::vector<std::string> problems;  ///< readable sentences (violations, stall)
  std::vector<std::string> schedule;  ///< the applied Commands, "<ms> <command text>"
  uint64_t ops = 0;                   ///< client operations in the history
  uint64_t events = 0;                ///< simulation events processed
  bool ok() const { return !violation && !stalled; }
};

/// Runs one campaign. Returns the result; `error` is set (and the result meaningless) when the
/// scenario cannot be built or a Command fails.
ChaosResult run_chaos(uint64_t seed, const ChaosOptions& opt, std::string* error);

}  // namespace topo::raft
