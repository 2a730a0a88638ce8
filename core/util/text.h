// Text helpers for the whole core: splitting and trimming, and "did you mean" suggestions by
// edit distance. Standard library only (no imgui/SDL); the same results natively and in wasm.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace topo::util {

/// Splits `s` at every `sep`; keeps empty parts ("a,,b" -> {"a", "", "b"}; "" -> {""}).
std::vector<std::string> split(std::string_view s, char sep);
/// `s` without leading and trailing spaces and tabs.
std::string trim(std::string_view s);
/// True if `s` begins with `prefix`.
inline bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

/// Levenshtein distance between two strings, in bytes. Strings longer than 256 bytes are not
/// compared: the answer is then the longer length.
size_t edit_distance(std::string_view a, std::string_view b);
/// The candidate nearest to `word` by edit distance (the first of equal ones), and its distance;
/// "" and SIZE_MAX when there are no candidates.
struct Nearest {
  std::string name;
  size_t distance = static_cast<size_t>(-1);
};
Nearest nearest(std::string_view word, const std::vector<std::string>& candidates);
/// The closest candidate to `word` if it is close enough to be a likely typo (a case-only
/// difference counts as distance 0; at most max(1, min(3, (len+2)/3)) edits), else "".
std::string closest(std::string_view word, const std::vector<std::string>& candidates);
/// ` — did you mean "x"?` when a close candidate exists (see closest), else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace topo::util
