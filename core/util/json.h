// JSON output for the whole core: string escaping and quoting. Every JSON the lab writes (trace
// lines, `bench --json`, `run --metrics`, history files, the page's hooks) escapes strings here:
// `"` `\` and the control characters \n \r \t \b \f as short escapes, other bytes below 0x20 as
// \u00XX, everything else (UTF-8 included) as it is. Numbers: see util/format.h.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

namespace topo::util {

/// Appends `s` escaped for a JSON string (no quotes) to `out`.
void json_escape_to(std::string& out, std::string_view s);
/// Appends `s` as a JSON string literal, quotes included, to `out`.
void json_quote_to(std::string& out, std::string_view s);
/// `s` as a JSON string literal, quotes included.
std::string json_quote(std::string_view s);
/// Writes `s` as a JSON string literal, quotes included, to `out`.
void json_quote_to(std::ostream& out, std::string_view s);

}  // namespace topo::util
