// Deterministic randomness: one seeded generator per world, derived streams per node, and the
// project's own distributions. No std::*_distribution and no libm transcendental functions, so
// the same seed gives the same numbers with libstdc++ (native) and libc++ (WebAssembly).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace topo {

/// xoshiro256** seeded through splitmix64.
class Rng {
 public:
  Rng() : Rng(0) {}
  explicit Rng(uint64_t seed);
  /// A new, independent stream derived from this generator's seed and `stream` (does not
  /// advance this generator: adding a node never perturbs the others).
  Rng derive(uint64_t stream) const;
  uint64_t next_u64();
  /// Uniform in [0, 1) with 53 random bits.
  double uniform();
  double uniform(double lo, double hi);
  /// Uniform integer in [lo, hi] (inclusive), unbiased.
  int64_t uniform_int(int64_t lo, int64_t hi);
  bool bernoulli(double p);
  double exponential(double mean);
  double normal(double mean, double stddev);
  double lognormal(double mu, double sigma);
  /// Pareto with scale x_m > 0 and shape alpha > 0.
  double pareto(double x_m, double alpha);
  /// Index drawn with probability proportional to weights[i]; weights must not all be 0.
  size_t choice(const std::vector<double>& weights);

 private:
  uint64_t seed_;
  uint64_t s_[4];
  bool has_spare_ = false;
  double spare_ = 0.0;
};

/// Deterministic math used by the distributions: only +, -, *, / and sqrt, which IEEE 754
/// rounds the same everywhere.
double det_log(double x);
double det_exp(double x);

}  // namespace topo
