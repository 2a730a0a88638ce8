// Deterministic randomness for the simulation: xoshiro256** seeded through splitmix64, derived
// streams, and the project's own distributions built on det_log/det_exp, which use only IEEE
// basic operations (+ - * / sqrt) and the exact frexp/ldexp scalings, so libstdc++ (native) and
// libc++ (WebAssembly) produce bit-identical numbers.
#include "sim/rng.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace topo {

namespace {

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

using rng_detail::rotl;

// ln 2 split so that k * kLn2Hi is exact for |k| < 2^11.
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kInvLn2 = 1.44269504088896338700e+00;
constexpr double kSqrtHalf = 0.70710678118654752440;

// 1/k for the odd k of the atanh series, and 1/n! for the exp series: computed at compile time
// (IEEE division, correctly rounded, the same on every platform).
struct Tables {
  double inv_odd[13];  // 1/3, 1/5, ..., 1/27
  double inv_fact[15]; // 1/0!, ..., 1/14!
  constexpr Tables() : inv_odd(), inv_fact() {
    for (int i = 0; i < 13; ++i) inv_odd[i] = 1.0 / (2 * i + 3);
    double f = 1.0;
    for (int n = 0; n < 15; ++n) {
      if (n > 0) f = f * n;
      inv_fact[n] = 1.0 / f;
    }
  }
};
constexpr Tables kT;

}  // namespace

Rng::Rng(uint64_t seed) : seed_(seed) {
  uint64_t x = seed;
  for (auto& s : s_) s = splitmix64(x);
}

Rng Rng::derive(uint64_t stream) const {
  uint64_t x = stream ^ 0xD1B54A32D192ED03ull;
  uint64_t mixed = splitmix64(x);
  uint64_t y = seed_ ^ mixed;
  return Rng(splitmix64(y) ^ rotl(seed_, 17));
}

double Rng::exponential(double mean) { return -mean * det_log(1.0 - uniform()); }

double Rng::normal(double mean, double stddev) {
  if (has_spare_) {
    has_spare_ = false;
    return mean + stddev * spare_;
  }
  // Marsaglia's polar method: two independent standard normals per accepted point.
  double u, v, s;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double f = std::sqrt(-2.0 * det_log(s) / s);
  spare_ = v * f;
  has_spare_ = true;
  return mean + stddev * (u * f);
}

double Rng::lognormal(double mu, double sigma) { return det_exp(normal(mu, sigma)); }

double Rng::pareto(double x_m, double alpha) {
  // Inverse CDF: x_m * U^(-1/alpha) with U in (0, 1].
  const double u = 1.0 - uniform();
  return x_m * det_exp(-det_log(u) / alpha);
}

size_t Rng::choice(const std::vector<double>& weights) {
  double total = 0.0;
  for (double w : weights) total += (w > 0.0 ? w : 0.0);
  if (weights.empty()) return 0;
  if (!(total > 0.0)) return static_cast<size_t>(uniform_int(0, static_cast<int64_t>(weights.size()) - 1));
  double x = uniform() * total;
  size_t last = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (!(weights[i] > 0.0)) continue;
    last = i;
    if (x < weights[i]) return i;
    x -= weights[i];
  }
  return last;  // rounding left x just above the last weight
}

double det_log(double x) {
  if (std::isnan(x) || x < 0.0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0.0) return -std::numeric_limits<double>::infinity();
  if (std::isinf(x)) return x;
  // x = m * 2^e exactly, with m moved into [sqrt(1/2), sqrt(2)).
  int e = 0;
  double m;  // m in [0.5, 1): what std::frexp gives, read from the bits for normal numbers
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  const int biased = static_cast<int>((bits >> 52) & 0x7ff);
  if (biased != 0) {
    e = biased - 1022;
    bits = (bits & ~(uint64_t{0x7ff} << 52)) | (uint64_t{1022} << 52);
    std::memcpy(&m, &bits, sizeof m);
  } else {
    m = std::frexp(x, &e);  // subnormal
  }
  if (m < kSqrtHalf) {
    m = m * 2.0;  // exact
    e -= 1;
  }
  // log(m) = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), s = (m - 1) / (m + 1), |s| < 0.1716.
  const double f = m - 1.0;  // exact (Sterbenz)
  const double s = f / (2.0 + f);
  const double z = s * s;
  // poly = 1/3 + z/5 + z^2/7 + ... + z^11/25 by Estrin's scheme: pairs, then pairs of pairs,
  // so the multiplications run side by side instead of in one chain of eleven (the draws of
  // exponential() spend most of their time here). A fixed order of IEEE operations: the same
  // result on every platform.
  const double* c = kT.inv_odd;
  const double z2 = z * z, z4 = z2 * z2, z8 = z4 * z4;
  const double q0 = c[0] + z * c[1], q1 = c[2] + z * c[3], q2 = c[4] + z * c[5];
  const double q3 = c[6] + z * c[7], q4 = c[8] + z * c[9], q5 = c[10] + z * c[11];
  const double r0 = q0 + z2 * q1, r1 = q2 + z2 * q3, r2 = q4 + z2 * q5;
  const double poly = (r0 + z4 * r1) + z8 * r2;
  const double hfsq = 0.5 * f * f;
  // log(m) = f - hfsq + s * (hfsq + R) with R = z * (2/3 + ...), the fdlibm arrangement, which
  // keeps the big term f exact and the correction small.
  const double r = z * 2.0 * poly;  // 2 (s^2/3 + s^4/5 + ...)
  const double logm = f - (hfsq - s * (hfsq + r));
  const double de = static_cast<double>(e);
  return de * kLn2Hi + (logm + de * kLn2Lo);
}

double det_exp(double x) {
  if (std::isnan(x)) return x;
  if (x > 709.782712893384) return std::numeric_limits<double>::infinity();
  if (x < -745.1332191019412) return 0.0;
  // x = k ln2 + r with |r| <= ln2 / 2; exp(x) = 2^k exp(r).
  const double kd = std::floor(x * kInvLn2 + 0.5);
  const int k = static_cast<int>(kd);
  const double r = (x - kd * kLn2Hi) - kd * kLn2Lo;
  // Taylor series of exp(r) to degree 14 (|r|^15/15! < 1e-19), Horner form.
  double p = kT.inv_fact[14];
  for (int n = 13; n >= 1; --n) p = kT.inv_fact[n] + r * p;
  p = 1.0 + r * p;
  return std::ldexp(p, k);
}

}  // namespace topo
