// Number and time formatting for the whole core, one function per need. All of it goes through
// snprintf or integer arithmetic (no floating-point to_chars: libc++ 14, the wasm build, lacks
// it), so the text is the same natively and in WebAssembly.
//
//   readable numbers   format_fixed_trimmed(v, decimals), format_number(v) (6 decimals),
//                      format_readable(v) (about three significant digits, for lesson text),
//                      format_significant(v, digits) ("%.*g"), format_percent(rate)
//   JSON numbers       format_json_number(v) (fixed 6 decimals trimmed; %g for tiny and huge
//                      values; NaN is null)
//   simulated times    format_time_s(us) "12.345s", format_seconds(us) "12.345 s",
//                      format_ms(us) "1.234 ms", format_duration(us) "1.5s" / "500ms" / "250us"
//   hashes             format_hex16(v) "00000000deadbeef"
#pragma once

#include <cstdint>
#include <string>

namespace topo::util {

/// `v` with `decimals` fixed decimals, then without trailing zeros and a trailing point, never
/// "-0": (0.25, 6) -> "0.25", (3.0, 6) -> "3", (-0.00001, 3) -> "0".
std::string format_fixed_trimmed(double v, int decimals);
/// format_fixed_trimmed(v, 6): "3", "0.25", "0.000001" (never an exponent).
std::string format_number(double v);
/// A number for lesson text: whole numbers as they are, others to about three significant
/// digits, whole from 100 up ("173", "18.6", "3.14", "0.912", "0.0123").
std::string format_readable(double v);
/// "%.*g" with `digits` significant digits ("0.333333" for 6).
std::string format_significant(double v, int digits);
/// A rate (0..1) as a percentage: one decimal below 10% ("2.5%"), none from 10% ("37%") or at 0.
std::string format_percent(double rate);

/// A number for JSON output: "null" for NaN, "%.6g" when |v| < 1e-4 (not 0) or >= 1e15,
/// otherwise format_number(v).
std::string format_json_number(double v);

/// Simulated time in seconds with millisecond precision, truncated: 12345678 -> "12.345s".
std::string format_time_s(int64_t us);
/// Simulated time in seconds, rounded to `decimals` decimals, with a space: "12.346 s".
std::string format_seconds(int64_t us, int decimals = 3);
/// Microseconds as milliseconds with exactly three decimals: 1234 -> "1.234 ms", -5 -> "-0.005 ms".
std::string format_ms(int64_t us);
/// Short form of a duration: "0s", "250us", "500ms", "1.5s" (the lesson syntax).
std::string format_duration(int64_t us);

/// `v` as 16 lower-case hex digits (trace hashes).
std::string format_hex16(uint64_t v);

}  // namespace topo::util
