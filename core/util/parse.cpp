// The value grammar: see parse.h.
#include "util/parse.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

namespace topo::util {

bool parse_number(std::string_view s, double* out) {
  if (s.empty() || s.size() > 64) return false;
  const std::string tmp(s);
  // Only plain decimal syntax (no hex floats, inf or nan, no leading spaces).
  for (char c : tmp)
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) return false;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(tmp.c_str(), &end);
  if (end != tmp.c_str() + tmp.size() || errno == ERANGE || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

bool parse_int(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 24) return false;
  const std::string tmp(s);
  for (size_t i = 0; i < tmp.size(); ++i)
    if (!((tmp[i] >= '0' && tmp[i] <= '9') || (i == 0 && (tmp[i] == '-' || tmp[i] == '+')))) return false;
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(tmp.c_str(), &end, 10);
  if (end != tmp.c_str() + tmp.size() || errno == ERANGE) return false;
  *out = static_cast<int64_t>(v);
  return true;
}

bool parse_bool(std::string_view s, bool* out) {
  if (s == "true" || s == "yes" || s == "on" || s == "1") { *out = true; return true; }
  if (s == "false" || s == "no" || s == "off" || s == "0") { *out = false; return true; }
  return false;
}

std::optional<int64_t> parse_duration_us(std::string_view t) {
  size_t i = 0;
  while (i < t.size() && t[i] == ' ') ++i;
  const size_t start = i;
  int64_t whole = 0;
  int digits = 0;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
    if (whole > 1000000000000LL) return std::nullopt;
    whole = whole * 10 + (t[i] - '0');
    ++i;
    ++digits;
  }
  int64_t frac = 0, frac_scale = 1;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
      if (frac_scale < 1000000) { frac = frac * 10 + (t[i] - '0'); frac_scale *= 10; }
      ++i;
      ++digits;
    }
  }
  if (digits == 0 || i == start) return std::nullopt;
  while (i < t.size() && t[i] == ' ') ++i;
  std::string_view unit = t.substr(i);
  while (!unit.empty() && unit.back() == ' ') unit.remove_suffix(1);
  int64_t mult = 0;
  if (unit == "us") mult = 1;
  else if (unit == "ms") mult = 1000;
  else if (unit == "s" || unit == "sec") mult = 1000000;
  else if (unit == "m" || unit == "min") mult = 60LL * 1000000;
  else if (unit == "h") mult = 3600LL * 1000000;
  else return std::nullopt;
  // 3*10^15 us (about 95 years) at most, so nothing downstream overflows.
  if (whole > 3'000'000'000'000'000LL / mult) return std::nullopt;
  return whole * mult + frac * mult / frac_scale;
}

}  // namespace topo::util
