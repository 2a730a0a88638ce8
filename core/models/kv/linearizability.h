// Linearizability checker for key-value register histories (history.h). It answers: is there a
// single order of the operations, consistent with real time (an op that completed before
// another was invoked comes first), in which every read returns the latest write to a single
// copy of each key? The search is Wing & Gong's with the pruning Porcupine uses:
//   - P-compositionality: each key is checked on its own (a history is linearizable iff every
//     per-key sub-history is);
//   - memoisation: a (set of linearized ops, register value) pair already explored is never
//     explored again (bitset + incremental hash);
//   - failed ops are dropped, unknown ops may linearize anywhere after their invocation or
//     never (their completion is at infinity), unknown reads constrain nothing and are dropped.
// On a violation the checker shrinks the failing key's history to a small core of offending
// operations (shortest failing prefix, then delta-debugging removal that never drops the write
// a remaining read observed) and explains it in a sentence.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/kv/history.h"

namespace topo::kv {

enum class Verdict : uint8_t {
  Linearizable,
  Violation,
  Inconclusive,  ///< the search budget ran out (pathological concurrency); nothing proven
};
const char* to_string(Verdict v);

struct CheckOptions {
  /// Search steps (op linearization attempts) allowed per key before giving up.
  uint64_t max_steps_per_key = 20'000'000;
  /// Shrink a violation to a small core of operations (costs extra searches on that key only).
  bool minimize = true;
};

struct CheckResult {
  Verdict verdict = Verdict::Linearizable;
  std::string key;            ///< the key of the violation (or of the inconclusive search)
  std::vector<Op> ops;        ///< the offending operations, by invocation time
  std::string explanation;    ///< one readable sentence; empty when linearizable
  uint64_t keys_checked = 0;
  uint64_t ops_checked = 0;   ///< ops that took part in the search (failed ops excluded)
  uint64_t steps = 0;         ///< search steps over all keys (for benchmarks)

  bool ok() const { return verdict == Verdict::Linearizable; }
  /// Multi-line text: the explanation, then one line per offending op (describe()).
  std::string report() const;
};

/// Checks a whole history, key by key in sorted key order; stops at the first violating key.
CheckResult check_linearizable(const History& h, const CheckOptions& opt = {});
/// Same, for a plain list of ops (any order).
CheckResult check_linearizable(const std::vector<Op>& ops, const CheckOptions& opt = {});

}  // namespace topo::kv
