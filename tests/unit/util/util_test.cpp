// core/util: the value grammar (util/parse.h), the number and time formatters (util/format.h),
// JSON string quoting (util/json.h) and the text helpers (util/text.h), each against the
// promises of its header, edge cases included.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "util/format.h"
#include "util/json.h"
#include "util/parse.h"
#include "util/text.h"

using namespace topo::util;

namespace {

bool int_ok(const char* s, int64_t* v = nullptr) {
  int64_t x = 12345;
  const bool ok = parse_int(s, &x);
  if (v) *v = x;
  return ok;
}

bool num_ok(const char* s, double* v = nullptr) {
  double x = 12345;
  const bool ok = parse_number(s, &x);
  if (v) *v = x;
  return ok;
}

}  // namespace

TEST_CASE("parse_int: decimal digits with an optional sign, nothing else") {
  int64_t v = 0;
  CHECK(int_ok("42", &v));
  CHECK(v == 42);
  CHECK(int_ok("-1", &v));
  CHECK(v == -1);
  CHECK(int_ok("+7", &v));
  CHECK(v == 7);
  CHECK(int_ok("0", &v));
  CHECK(v == 0);
  CHECK(int_ok("007", &v));
  CHECK(v == 7);
  CHECK(int_ok("9223372036854775807", &v));
  CHECK(v == std::numeric_limits<int64_t>::max());
  CHECK(int_ok("-9223372036854775808", &v));
  CHECK(v == std::numeric_limits<int64_t>::min());

  for (const char* bad : {"", "1e3", "0x10", " 1", "1 ", "1.0", "1.", "-", "+", "--1", "1-", "abc", "١",
                          "9223372036854775808", "-9223372036854775809", "99999999999999999999",
                          "1000000000000000000000000"}) {
    CAPTURE(bad);
    int64_t x = 12345;
    CHECK_FALSE(parse_int(bad, &x));
    CHECK(x == 12345);  // untouched on failure
  }
  // A string_view that is not NUL-terminated: only its own characters count.
  const std::string buf = "123456";
  CHECK(parse_int(std::string_view(buf).substr(0, 3), &v));
  CHECK(v == 123);
}

TEST_CASE("parse_number: plain decimal syntax, finite") {
  double v = 0;
  CHECK(num_ok("0.25", &v));
  CHECK(v == 0.25);
  CHECK(num_ok("-3", &v));
  CHECK(v == -3);
  CHECK(num_ok("1e3", &v));
  CHECK(v == 1000);
  CHECK(num_ok("2.5E-1", &v));
  CHECK(v == 0.25);
  CHECK(num_ok(".5", &v));
  CHECK(v == 0.5);
  CHECK(num_ok("5.", &v));
  CHECK(v == 5);
  CHECK(num_ok("+1", &v));
  CHECK(v == 1);
  CHECK(num_ok("1e308", &v));
  CHECK(v == 1e308);

  for (const char* bad : {"", "0x10", "0X1p3", "inf", "-inf", "INF", "nan", "NaN", "infinity", " 1", "1 ", "\t1",
                          "1,5", "1e", "e3", ".", "-", "1..2", "1e999", "-1e999", "abc", "1_000"}) {
    CAPTURE(bad);
    double x = 12345;
    CHECK_FALSE(parse_number(bad, &x));
    CHECK(x == 12345);
  }
  // More than 64 characters is refused even when it is a number.
  CHECK_FALSE(num_ok(std::string(65, '1').c_str()));
  CHECK(num_ok(std::string(64, '0').c_str(), &v));
  CHECK(v == 0);
}

TEST_CASE("parse_bool: true/false, yes/no, on/off, 1/0, exactly and lower case") {
  for (const char* t : {"true", "yes", "on", "1"}) {
    CAPTURE(t);
    bool b = false;
    CHECK(parse_bool(t, &b));
    CHECK(b);
  }
  for (const char* f : {"false", "no", "off", "0"}) {
    CAPTURE(f);
    bool b = true;
    CHECK(parse_bool(f, &b));
    CHECK_FALSE(b);
  }
  for (const char* bad : {"", "True", "YES", "On", " true", "true ", "2", "-1", "01", "y", "n", "t", "f"}) {
    CAPTURE(bad);
    bool b = true;
    CHECK_FALSE(parse_bool(bad, &b));
    CHECK(b);
  }
}

TEST_CASE("parse_duration_us: a non-negative number with a unit") {
  CHECK(parse_duration_us("250us") == 250);
  CHECK(parse_duration_us("500ms") == 500000);
  CHECK(parse_duration_us("10s") == 10000000);
  CHECK(parse_duration_us("1.5s") == 1500000);
  CHECK(parse_duration_us("0.25ms") == 250);
  CHECK(parse_duration_us("2m") == 120000000);
  CHECK(parse_duration_us("2min") == 120000000);
  CHECK(parse_duration_us("1h") == 3600000000LL);
  CHECK(parse_duration_us("3sec") == 3000000);
  CHECK(parse_duration_us("0s") == 0);
  CHECK(parse_duration_us(".5s") == 500000);
  CHECK(parse_duration_us("5.s") == 5000000);
  // Spaces around and between number and unit are allowed.
  CHECK(parse_duration_us(" 2 s ") == 2000000);
  // Fractions below a microsecond are dropped, not rounded.
  CHECK(parse_duration_us("1.0000009s") == 1000000);
  CHECK(parse_duration_us("1.9us") == 1);
  // 3*10^15 us (about 95 years) at most, so nothing downstream overflows.
  CHECK(parse_duration_us("833333h") == 833333 * 3600000000LL);
  CHECK_FALSE(parse_duration_us("833334h"));
  CHECK(parse_duration_us("3000000000s") == 3000000000000000LL);
  CHECK_FALSE(parse_duration_us("3000000001s"));
  CHECK_FALSE(parse_duration_us("99999999999999999999s"));

  for (const char* bad : {"", "500", "1.5", "s", "ms", ".s", "-1s", "+1s", "1e3ms", "0x10s", "1 5s", "1.5.s",
                          "10S", "10 seconds", "1d", "inf s", "10ms5"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_duration_us(bad));
  }
}

TEST_CASE("format_fixed_trimmed and format_number: no trailing zeros, never -0, never an exponent") {
  CHECK(format_fixed_trimmed(0.25, 6) == "0.25");
  CHECK(format_fixed_trimmed(3.0, 6) == "3");
  CHECK(format_fixed_trimmed(-0.00001, 3) == "0");
  CHECK(format_fixed_trimmed(-0.0, 2) == "0");
  CHECK(format_fixed_trimmed(1.23456, 2) == "1.23");
  CHECK(format_fixed_trimmed(-1.5, 0) == "-2");
  CHECK(format_fixed_trimmed(120, 0) == "120");  // zeros of a whole number stay
  CHECK(format_fixed_trimmed(100.0, 4) == "100");
  CHECK(format_number(3) == "3");
  CHECK(format_number(0.25) == "0.25");
  CHECK(format_number(0.000001) == "0.000001");
  CHECK(format_number(0.0000004) == "0");
  CHECK(format_number(-2.5) == "-2.5");
  CHECK(format_number(1e20) == "100000000000000000000");
  CHECK(format_number(1.0 / 3.0) == "0.333333");
}

TEST_CASE("format_readable: about three significant digits") {
  CHECK(format_readable(173) == "173");
  CHECK(format_readable(173.4) == "173");
  CHECK(format_readable(18.63) == "18.6");
  CHECK(format_readable(3.14159) == "3.14");
  CHECK(format_readable(0.9123) == "0.912");
  CHECK(format_readable(0.01234) == "0.0123");
  CHECK(format_readable(-3.14159) == "-3.14");
  CHECK(format_readable(0) == "0");
  CHECK(format_readable(2.5) == "2.5");
  CHECK(format_readable(1e16) == "10000000000000000");
}

TEST_CASE("format_significant, format_percent, format_json_number") {
  CHECK(format_significant(1.0 / 3.0, 6) == "0.333333");
  CHECK(format_significant(123456789, 3) == "1.23e+08");
  CHECK(format_significant(0.5, 2) == "0.5");

  CHECK(format_percent(0.025) == "2.5%");
  CHECK(format_percent(0.37) == "37%");
  CHECK(format_percent(0.1) == "10%");
  CHECK(format_percent(0) == "0%");
  CHECK(format_percent(1) == "100%");
  CHECK(format_percent(0.0004) == "0.0%");

  CHECK(format_json_number(std::nan("")) == "null");
  CHECK(format_json_number(0) == "0");
  CHECK(format_json_number(0.25) == "0.25");
  CHECK(format_json_number(12) == "12");
  CHECK(format_json_number(0.00001) == "1e-05");
  CHECK(format_json_number(-0.00001) == "-1e-05");
  CHECK(format_json_number(0.0001) == "0.0001");
  CHECK(format_json_number(1e15) == "1e+15");
  CHECK(format_json_number(999999999999999.0) == "999999999999999");
}

TEST_CASE("time formatters") {
  CHECK(format_time_s(12345678) == "12.345s");
  CHECK(format_time_s(0) == "0.000s");
  CHECK(format_time_s(999) == "0.000s");  // truncated
  CHECK(format_time_s(1999999) == "1.999s");

  CHECK(format_seconds(12345678) == "12.346 s");  // rounded
  CHECK(format_seconds(1500000, 1) == "1.5 s");
  CHECK(format_seconds(0) == "0.000 s");
  CHECK(format_seconds(2000000, 0) == "2 s");

  CHECK(format_ms(1234) == "1.234 ms");
  CHECK(format_ms(-5) == "-0.005 ms");
  CHECK(format_ms(0) == "0.000 ms");
  CHECK(format_ms(1000000) == "1000.000 ms");
  CHECK(format_ms(std::numeric_limits<int64_t>::min()) == "-9223372036854775.808 ms");
  CHECK(format_ms(std::numeric_limits<int64_t>::max()) == "9223372036854775.807 ms");

  CHECK(format_duration(0) == "0s");
  CHECK(format_duration(250) == "250us");
  CHECK(format_duration(1500) == "1500us");
  CHECK(format_duration(500000) == "500ms");
  CHECK(format_duration(1000) == "1ms");
  CHECK(format_duration(1500000) == "1.5s");
  CHECK(format_duration(60000000) == "60s");
  // What format_duration writes, parse_duration_us reads back.
  for (int64_t us : {int64_t{0}, int64_t{1}, int64_t{250}, int64_t{1500}, int64_t{500000}, int64_t{1500000},
                     int64_t{1234000}, int64_t{3600000000}}) {
    CAPTURE(us);
    CHECK(parse_duration_us(format_duration(us)) == us);
  }

  CHECK(format_hex16(0) == "0000000000000000");
  CHECK(format_hex16(0xdeadbeef) == "00000000deadbeef");
  CHECK(format_hex16(~uint64_t{0}) == "ffffffffffffffff");
}

TEST_CASE("JSON quoting: short escapes, \\u00XX for other control characters, UTF-8 as it is") {
  CHECK(json_quote("") == "\"\"");
  CHECK(json_quote("plain") == "\"plain\"");
  CHECK(json_quote("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(json_quote("\n\r\t\b\f") == "\"\\n\\r\\t\\b\\f\"");
  CHECK(json_quote(std::string_view("\0", 1)) == "\"\\u0000\"");
  CHECK(json_quote("\x01\x1f") == "\"\\u0001\\u001f\"");
  CHECK(json_quote("\x0b") == "\"\\u000b\"");
  CHECK(json_quote("\x7f") == "\"\x7f\"");  // DEL is not a control character in JSON
  CHECK(json_quote("/") == "\"/\"");
  // UTF-8 (two, three and four bytes) passes through byte for byte.
  const std::string utf8 = "caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80";
  CHECK(json_quote(utf8) == "\"" + utf8 + "\"");

  std::string out = "x=";
  json_escape_to(out, "a\"b");
  CHECK(out == "x=a\\\"b");
  json_quote_to(out, "\t");
  CHECK(out == "x=a\\\"b\"\\t\"");
  std::ostringstream os;
  json_quote_to(os, "line\nnext");
  CHECK(os.str() == "\"line\\nnext\"");
}

TEST_CASE("split and trim") {
  CHECK(split("a,,b", ',') == std::vector<std::string>{"a", "", "b"});
  CHECK(split("", ',') == std::vector<std::string>{""});
  CHECK(split(",", ',') == std::vector<std::string>{"", ""});
  CHECK(split("abc", ',') == std::vector<std::string>{"abc"});
  CHECK(split("n1,n2|n3", '|') == std::vector<std::string>{"n1,n2", "n3"});

  CHECK(trim("  a b \t") == "a b");
  CHECK(trim("") == "");
  CHECK(trim(" \t ") == "");
  CHECK(trim("\na\n") == "\na\n");  // only spaces and tabs

  CHECK(starts_with("node.n1", "node."));
  CHECK(starts_with("x", ""));
  CHECK_FALSE(starts_with("nod", "node"));
}

TEST_CASE("edit_distance, nearest, closest, did_you_mean") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("", "ab") == 2);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("flaw", "lawn") == 2);
  CHECK(edit_distance("seed", "sed") == 1);
  CHECK(edit_distance("ab", "ba") == 2);
  CHECK(edit_distance("crash", "crash") == 0);
  // In bytes: one two-byte character against one ASCII character is two edits.
  CHECK(edit_distance("\xC3\xA9", "e") == 2);
  // Longer than 256 bytes: not compared, the longer length.
  CHECK(edit_distance(std::string(300, 'a'), std::string(300, 'a')) == 300);
  CHECK(edit_distance(std::string(256, 'a'), std::string(256, 'a')) == 0);

  const std::vector<std::string> names = {"crash", "restart", "partition", "heal"};
  Nearest n = nearest("crsh", names);
  CHECK(n.name == "crash");
  CHECK(n.distance == 1);
  n = nearest("zzzzzzzzz", names);  // far, but still the nearest
  CHECK(n.distance == edit_distance("zzzzzzzzz", n.name));
  n = nearest("x", {});
  CHECK(n.name.empty());
  CHECK(n.distance == SIZE_MAX);
  CHECK(nearest("ab", {"ax", "ay"}).name == "ax");  // the first of equal ones

  CHECK(closest("crsh", names) == "crash");
  CHECK(closest("partiton", names) == "partition");
  CHECK(closest("CRASH", names) == "crash");  // case only: distance 0
  CHECK(closest("crash", names) == "");        // the word itself is not a suggestion
  CHECK(closest("xyz", names) == "");          // too far
  CHECK(closest("x", {}) == "");
  // The limit: max(1, min(3, (len + 2) / 3)) edits.
  CHECK(closest("hx", {"ha"}) == "ha");                  // len 2: 1 edit
  CHECK(closest("hxy", {"hab"}) == "");                  // len 3: 1 edit, needs 2
  CHECK(closest("abcdxy", {"abcdef"}) == "abcdef");      // len 6: 2 edits
  CHECK(closest("abcdefghxyzw", {"abcdefghijkl"}) == ""); // len 12: 3 edits, needs 4
  CHECK(closest("abcdefghixyz", {"abcdefghijkl"}) == "abcdefghijkl");

  CHECK(did_you_mean("sed", {"seed", "scenario"}) == " \xE2\x80\x94 did you mean \"seed\"?");
  CHECK(did_you_mean("qqqq", {"seed", "scenario"}) == "");
}
