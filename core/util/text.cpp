// Text helpers: see text.h.
#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace topo::util {

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t p = s.find(sep, start);
    out.emplace_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  return out;
}

std::string trim(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) --b;
  return std::string(s.substr(a, b - a));
}

size_t edit_distance(std::string_view a, std::string_view b) {
  if (a.size() > 256 || b.size() > 256) return std::max(a.size(), b.size());
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

Nearest nearest(std::string_view word, const std::vector<std::string>& candidates) {
  Nearest best;
  for (const auto& c : candidates) {
    const size_t d = edit_distance(word, c);
    if (d < best.distance) best = {c, d};
  }
  return best;
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = SIZE_MAX;
  for (const auto& c : candidates) {
    if (c == word) continue;
    size_t d = edit_distance(word, c);
    // A case-only difference counts as distance 0.
    const bool ci_equal = c.size() == word.size() &&
                          std::equal(c.begin(), c.end(), word.begin(), [](char x, char y) {
                            return std::tolower(static_cast<unsigned char>(x)) ==
                                   std::tolower(static_cast<unsigned char>(y));
                          });
    if (ci_equal) d = 0;
    if (d < best_d) { best_d = d; best = c; }
  }
  if (best.empty()) return "";
  const size_t limit = std::max<size_t>(1, std::min<size_t>(3, (word.size() + 2) / 3));
  return best_d <= limit ? best : "";
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string c = closest(word, candidates);
  return c.empty() ? "" : " \xE2\x80\x94 did you mean \"" + c + "\"?";
}

}  // namespace topo::util
