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
  // The draws every event makes are inline (below): they sit on the engine's hot path.
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

namespace rng_detail {
inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
/// The high 64 bits of a * b. WebAssembly has no 64x64->128 multiply (an __int128 product is a
/// call into compiler-rt there), so it takes four 32-bit products; natively one instruction.
inline uint64_t mul_hi_32x4(uint64_t a, uint64_t b) {
  const uint64_t a0 = a & 0xffffffffu, a1 = a >> 32, b0 = b & 0xffffffffu, b1 = b >> 32;
  const uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
  return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}
inline uint64_t mul_hi(uint64_t a, uint64_t b) {
#if defined(__SIZEOF_INT128__) && !defined(__wasm__)
  return static_cast<uint64_t>((static_cast<unsigned __int128>(a) * b) >> 64);
#else
  return mul_hi_32x4(a, b);
#endif
}
}  // namespace rng_detail

inline uint64_t Rng::next_u64() {
  using rng_detail::rotl;
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

inline double Rng::uniform() { return static_cast<double>(next_u64() >> 11) * (1.0 / 9007199254740992.0); }

inline double Rng::uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

inline int64_t Rng::uniform_int(int64_t lo, int64_t hi) {
  if (hi <= lo) return lo;
  const uint64_t range = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
  if (range == 0) return static_cast<int64_t>(next_u64());  // the whole 64-bit range
  // Lemire's multiply-and-shift with rejection: unbiased, and a division only when the low
  // word lands in the rare biased zone.
  uint64_t x = next_u64();
  uint64_t low = x * range;
  if (low < range) {
    const uint64_t threshold = (0 - range) % range;
    while (low < threshold) {
      x = next_u64();
      low = x * range;
    }
  }
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + rng_detail::mul_hi(x, range));
}

inline bool Rng::bernoulli(double p) {
  if (!(p > 0.0)) return false;  // no draw: p = 0 never perturbs the stream
  if (p >= 1.0) return true;
  return uniform() < p;
}

/// Deterministic math used by the distributions: only +, -, *, / and sqrt, which IEEE 754
/// rounds the same everywhere.
double det_log(double x);
double det_exp(double x);

}  // namespace topo
