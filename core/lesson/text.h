// Source positions and diagnostics (`FILE:LINE:COL: message`) for the lesson parser, validator
// and runner, and the names they use for the core's shared text helpers (core/util): "did you
// mean" suggestions, durations with a unit ("10s", "500ms", "1.5s", "2m"), number formatting.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/format.h"
#include "util/json.h"
#include "util/parse.h"
#include "util/text.h"

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

// The helpers below live in core/util (one copy for the whole core); these names keep the lesson
// code's spelling.
using util::closest;
using util::did_you_mean;
using util::edit_distance;
using util::format_duration;
using util::format_number;
using util::format_readable;
using util::json_quote;
using util::parse_duration_us;
using util::kDurationUnits;
/// Simulated time in seconds with millisecond precision: "12.345s" (util::format_time_s).
inline std::string format_time(int64_t us) { return util::format_time_s(us); }

}  // namespace topo::lesson
