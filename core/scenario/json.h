// Minimal JSON helpers for the state/command hooks (JavaScript bindings, CLI, browser tests):
// escaping strings for output (util/json.h), and parsing a flat object of string/number/bool values into a
// map (numbers and bools kept as their text). Nested values are rejected with a message.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "util/json.h"

namespace topo {

/// `s` as a JSON string literal, quotes included (the core's one JSON escaping, util/json.h).
using util::json_quote;

/// Parses `{"op":"crash","node":"n1","delay_ms":50}`; on error returns nullopt and sets `error`
/// to "col N: what is wrong".
std::optional<std::map<std::string, std::string>> parse_flat_json(std::string_view text,
                                                                  std::string* error);

}  // namespace topo
