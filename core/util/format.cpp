// Number and time formatting: see format.h.
#include "util/format.h"

#include <cstdio>

namespace topo::util {

std::string format_fixed_trimmed(double v, int decimals) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::string format_number(double v) { return format_fixed_trimmed(v, 6); }

std::string format_readable(double v) {
  const double a = v < 0 ? -v : v;
  if (!(a < 1e15) || a == static_cast<double>(static_cast<int64_t>(a))) return format_number(v);
  int decimals = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  for (double x = a; x < 1 && decimals < 6; x *= 10) ++decimals;
  return format_fixed_trimmed(v, decimals);
}

std::string format_significant(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

std::string format_percent(double rate) {
  char buf[32];
  const double p = 100.0 * rate;
  std::snprintf(buf, sizeof buf, p < 10.0 && p > 0.0 ? "%.1f%%" : "%.0f%%", p);
  return buf;
}

std::string format_json_number(double v) {
  if (v != v) return "null";
  const double a = v < 0 ? -v : v;
  if (a != 0 && (a < 1e-4 || a >= 1e15)) return format_significant(v, 6);
  return format_number(v);
}

std::string format_time_s(int64_t us) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%lld.%03llds", static_cast<long long>(us / 1000000),
                static_cast<long long>((us % 1000000) / 1000));
  return buf;
}

std::string format_seconds(int64_t us, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f s", decimals, static_cast<double>(us) / 1e6);
  return buf;
}

std::string format_ms(int64_t us) {
  const bool neg = us < 0;
  const uint64_t a = neg ? static_cast<uint64_t>(-(us + 1)) + 1 : static_cast<uint64_t>(us);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%llu.%03llu ms", neg ? "-" : "", static_cast<unsigned long long>(a / 1000),
                static_cast<unsigned long long>(a % 1000));
  return buf;
}

std::string format_duration(int64_t us) {
  if (us % 1000 != 0 || us == 0) return us == 0 ? "0s" : std::to_string(us) + "us";
  if (us < 1000000) return std::to_string(us / 1000) + "ms";
  return format_number(static_cast<double>(us) / 1e6) + "s";
}

std::string format_hex16(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace topo::util
