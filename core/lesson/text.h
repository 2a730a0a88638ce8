// Small text helpers shared by the lesson parser, validator and runner: source positions and
// diagnostics (`FILE:LINE:COL: message`), "did you mean" suggestions by edit distance, and
// simulated-time durations written with a unit ("10s", "500ms", "1.5s", "2m").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace topo::lesson {

/// A 1-based line and column in a lesson file (0 = unknown).
struct Pos {
  int line = 0;
  int col = 0;
};

/// One problem found in a lesson file.
struct Diagnostic {
  Pos pos;
  std::string message;
};

/// Collected problems, in the order found (sort_diagnostics orders them by position).
using Diagnostics = std::vector<Diagnostic>;

/// `FILE:LINE:COL: message` (the format every tool prints).
std::string format_diagnostic(const std::string& file, const Diagnostic& d);
/// Sorts by line, then column, keeping the order of equal positions, and drops exact duplicates.
void sort_diagnostics(Diagnostics& d);

/// Levenshtein distance between two strings (bytes).
size_t edit_distance(std::string_view a, std::string_view b);
/// The closest candidate to `word` if it is close enough to be a likely typo, else "".
std::string closest(std::string_view word, const std::vector<std::string>& candidates);
/// ` — did you mean "x"?` when a close candidate exists, else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

/// Parses a duration with a unit ("250us", "500ms", "10s", "1.5s", "2m", "1h") into simulated
/// microseconds. Returns std::nullopt for a missing unit, a negative or malformed number.
std::optional<int64_t> parse_duration_us(std::string_view text);
/// Short human form of a duration in microseconds: "1.5s", "500ms", "250us".
std::string format_duration(int64_t us);
/// Simulated time in seconds with millisecond precision: "12.345s".
std::string format_time(int64_t us);
/// A number without trailing zeros ("3", "0.25", "1e-06" avoided: fixed with up to 6 decimals).
std::string format_number(double v);
/// A number for lesson text ({{key}}): whole numbers as they are, others to three significant
/// digits, whole from 100 up ("173", "18.6", "3.14", "0.912", "0.0123").
std::string format_readable(double v);
/// JSON string literal (quoted, escaped).
std::string json_quote(std::string_view s);

}  // namespace topo::lesson
