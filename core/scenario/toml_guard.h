// A pre-check of TOML text before it reaches toml++ 3.3.0 (Debian's). That version's
// character classifier reaches __builtin_unreachable() (undefined behaviour) for many non-ASCII
// code points where it expects whitespace: outside strings and comments, and right after a
// line-ending backslash inside a multi-line string. Non-ASCII text is invalid TOML in those
// places anyway, so this check reports it with a line and column and the parser is never called.
// (Found by the lesson fuzzer: tests/fuzz/lesson_fuzz.cpp.)
#pragma once

#include <string>
#include <string_view>

namespace topo {

/// Where the first problem is; line 0 = none.
struct TomlGuardResult {
  int line = 0;
  int col = 0;        ///< 1-based, in characters (UTF-8 code points)
  std::string message;
  bool ok() const { return line == 0; }
};

/// Finds the first non-ASCII character outside strings and comments (or right after a
/// line-ending backslash in a multi-line basic string).
TomlGuardResult toml_guard(std::string_view text);

}  // namespace topo
