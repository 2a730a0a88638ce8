// Text helpers for lessons: diagnostics, suggestions by edit distance, durations.
#include "lesson/text.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

namespace topo::lesson {

std::string format_diagnostic(const std::string& file, const Diagnostic& d) {
  return file + ":" + std::to_string(d.pos.line) + ":" + std::to_string(d.pos.col) + ": " + d.message;
}

void sort_diagnostics(Diagnostics& d) {
  std::stable_sort(d.begin(), d.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.pos.line != b.pos.line) return a.pos.line < b.pos.line;
    return a.pos.col < b.pos.col;
  });
  Diagnostics out;
  for (auto& x : d) {
    bool dup = false;
    for (auto& y : out)
      if (y.pos.line == x.pos.line && y.pos.col == x.pos.col && y.message == x.message) dup = true;
    if (!dup) out.push_back(std::move(x));
  }
  d = std::move(out);
}

size_t edit_distance(std::string_view a, std::string_view b) {
  if (a.size() > 256 || b.size() > 256) return std::max(a.size(), b.size());
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = SIZE_MAX;
  for (const auto& c : candidates) {
    if (c == word) continue;
    size_t d = edit_distance(word, c);
    // Case-only differences and a prefix of a longer name count as close too.
    bool ci_equal = c.size() == word.size() &&
                    std::equal(c.begin(), c.end(), word.begin(), [](char x, char y) {
                      return std::tolower(static_cast<unsigned char>(x)) ==
                             std::tolower(static_cast<unsigned char>(y));
                    });
    if (ci_equal) d = 0;
    if (d < best_d) { best_d = d; best = c; }
  }
  if (best.empty()) return "";
  size_t limit = std::max<size_t>(1, std::min<size_t>(3, (word.size() + 2) / 3));
  return best_d <= limit ? best : "";
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string c = closest(word, candidates);
  return c.empty() ? "" : " \xE2\x80\x94 did you mean \"" + c + "\"?";
}

std::optional<int64_t> parse_duration_us(std::string_view t) {
  size_t i = 0;
  while (i < t.size() && t[i] == ' ') ++i;
  size_t start = i;
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
  // About 100 years of simulated time at most, so nothing downstream overflows.
  if (whole > 3'000'000'000'000'000LL / mult) return std::nullopt;
  return whole * mult + frac * mult / frac_scale;
}

namespace {
// `v` with `decimals` fixed decimals, then without trailing zeros (and never "-0").
std::string fixed_trimmed(double v, int decimals) {
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
}  // namespace

std::string format_number(double v) { return fixed_trimmed(v, 6); }

std::string format_readable(double v) {
  const double a = v < 0 ? -v : v;
  if (!(a < 1e15) || a == static_cast<double>(static_cast<int64_t>(a))) return format_number(v);
  int decimals = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  for (double x = a; x < 1 && decimals < 6; x *= 10) ++decimals;
  return fixed_trimmed(v, decimals);
}

std::string format_duration(int64_t us) {
  if (us % 1000 != 0 || us == 0) return us == 0 ? "0s" : std::to_string(us) + "us";
  if (us < 1000000) return std::to_string(us / 1000) + "ms";
  return format_number(static_cast<double>(us) / 1e6) + "s";
}

std::string format_time(int64_t us) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%lld.%03llds", static_cast<long long>(us / 1000000),
                static_cast<long long>((us % 1000000) / 1000));
  return buf;
}

std::string json_quote(std::string_view s) {
  std::string o = "\"";
  for (char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\r': o += "\\r"; break;
      case '\t': o += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char b[8];
          std::snprintf(b, sizeof b, "\\u%04x", c);
          o += b;
        } else {
          o += c;
        }
    }
  }
  return o + "\"";
}

}  // namespace topo::lesson
