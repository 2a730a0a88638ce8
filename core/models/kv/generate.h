// Generated key-value histories with a known answer, for the checker's tests and benchmarks:
// clients issue sequential ops against one atomic register per key; each op takes effect at a
// random instant inside its [invoke, complete] interval, so the history is linearizable by
// construction. Uses its own splitmix64 stream (not the world's Rng): nothing here feeds a
// simulation.
#pragma once

#include <cstdint>

#include "models/kv/history.h"

namespace topo::kv {

struct GenerateOptions {
  uint64_t seed = 1;
  int ops = 1000;                  ///< total operations
  int clients = 8;                 ///< concurrent clients (each sequential)
  int keys = 10;                   ///< keys "k0".."k{keys-1}"
  double read_fraction = 0.5;      ///< share of reads; the rest are writes
  double unknown_fraction = 0.0;   ///< share of ops whose reply is lost (outcome unknown)
  int64_t op_duration_us_max = 1000;  ///< each op lasts 1..this microseconds
  int64_t think_us_max = 200;      ///< a client waits 0..this between its ops
};

/// A linearizable history (every write's value is unique: "c<client>-<n>").
History generate_linearizable_history(const GenerateOptions& opt);

}  // namespace topo::kv
