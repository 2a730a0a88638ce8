// The value grammar of Command arguments, scenario parameters and lesson values: one parser per
// kind of value, used by the engine's Command validation (World), the lesson checker and the
// models, so that every front end accepts exactly the same text.
//
//   integer   decimal digits with an optional leading sign: "42", "-1", "+7"; not "1e3", "0x10",
//             " 1", "" or anything out of int64 range
//   number    plain decimal syntax: "0.25", "-3", "1e3", ".5"; not "0x10", "inf", "nan", " 1",
//             "", or anything that overflows
//   bool      true/false, yes/no, on/off, 1/0 (exactly, lower case)
//   duration  a non-negative number with a unit: "250us", "500ms", "1.5s", "2m", "1h" (also
//             "sec", "min"; spaces around the number and before the unit are allowed: "5 ms";
//             no sign, exponent or hex: "-5ms", "1e3ms", "0x10ms" are not durations)
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace topo::util {

/// Parses a decimal integer; false if malformed or out of range.
bool parse_int(std::string_view s, int64_t* out);
/// Parses a plain decimal number ("0.25", "-3", "1e3"); false if malformed or not finite.
bool parse_number(std::string_view s, double* out);
/// Parses true/false, yes/no, on/off, 1/0; false for anything else.
bool parse_bool(std::string_view s, bool* out);
/// Parses a duration with a unit ("250us", "500ms", "10s", "1.5s", "2m", "1h") into
/// microseconds (digits below a microsecond are dropped). std::nullopt for a missing unit, a
/// negative or malformed number, or more than 3*10^15 us (about 95 years).
std::optional<int64_t> parse_duration_us(std::string_view text);
/// The units parse_duration_us reads, as error messages list them.
inline constexpr const char* kDurationUnits = "us, ms, s, m, h";

}  // namespace topo::util
