// Reading the declarations of scenario/declare.h: does a key match a pattern, which declaration
// covers a key or a parameter, and one-line descriptions for listings (`--list-values`,
// `scenarios --params`, FORMAT.md's generated reference).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scenario/declare.h"

namespace topo {

/// True when `key` is an instance of `pattern`: literal parts equal, each `<placeholder>` covering
/// a non-empty part of the key ("p99_ms.<service>" matches "p99_ms.checkout").
bool key_matches(std::string_view pattern, std::string_view key);
/// The placeholders of a pattern, in order ("breaker.<edge>" -> {"edge"}).
std::vector<std::string> placeholders(std::string_view pattern);
/// The first declaration whose pattern `key` matches (a literal declaration before a pattern).
const ValueDecl* find_value_decl(const std::vector<ValueDecl>& decls, std::string_view key);
const ParamDecl* find_param_decl(const std::vector<ParamDecl>& decls, std::string_view key);
/// The value grammar of a scenario parameter, the same as a Command argument's (util/parse.h):
/// "" when `value` reads as the type `key`'s declaration gives ("int", "number", "prob",
/// "bool"; other types and undeclared keys are left to the model), else "KEY=VALUE is not an
/// integer" / "is not a number" / "is not true or false". Ranges are the model's to check.
std::string check_param_value(const std::vector<ParamDecl>& decls, std::string_view key,
                              std::string_view value);
/// "fraction", "count", "ms", "enum: 0 closed, 1 open, 2 half_open" ...: a value's kind in words.
std::string describe_value_type(const ValueDecl& d);
/// "int, 1..15, default 5" ...: a parameter's type, unit, range and default in words.
std::string describe_param_type(const ParamDecl& d);
/// The enum index of `name` in `d` (0, 1, ...), or -1.
int enum_index(const ValueDecl& d, std::string_view name);

}  // namespace topo
