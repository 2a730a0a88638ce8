// A pre-check of TOML text before toml++: see toml_guard.h.
#include "scenario/toml_guard.h"

namespace topo {

TomlGuardResult toml_guard(std::string_view s) {
  enum class In { Code, Comment, Basic, Literal, MlBasic, MlLiteral };
  In in = In::Code;
  int line = 1, col = 1;
  bool after_line_backslash = false;   // inside """...""", after `\` + newline: toml++ skips whitespace
  auto starts = [&](size_t i, const char* lit) { return s.compare(i, std::char_traits<char>::length(lit), lit) == 0; };
  auto fail = [&](const char* why) {
    return TomlGuardResult{line, col, why};
  };
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = 1;
    if (c >= 0x80) {
      len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      // Invalid UTF-8: toml++ reports it safely itself, before it reaches anything later.
      bool valid = len > 1 && c < 0xF5 && i + len <= s.size();
      for (size_t k = 1; valid && k < len; ++k) valid = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
      if (!valid) return {};
      if (in == In::Code) return fail("a non-ASCII character outside a string or comment (put text in \"quotes\")");
      if (after_line_backslash) return fail("a non-ASCII character right after a line-ending backslash in a \"\"\" string");
    }
    if (c == '\n') {
      if (in == In::Comment) in = In::Code;
      ++line;
      col = 1;
      ++i;
      continue;
    }
    switch (in) {
      case In::Code:
        if (c == '#') in = In::Comment;
        else if (starts(i, "\"\"\"")) { in = In::MlBasic; len = 3; }
        else if (starts(i, "'''")) { in = In::MlLiteral; len = 3; }
        else if (c == '"') in = In::Basic;
        else if (c == '\'') in = In::Literal;
        break;
      case In::Comment: break;
      case In::Basic:
        if (c == '\\' && i + 1 < s.size() && s[i + 1] != '\n') len = 2;   // an escape
        else if (c == '"') in = In::Code;
        break;
      case In::Literal:
        if (c == '\'') in = In::Code;
        break;
      case In::MlBasic:
        if (after_line_backslash && c != ' ' && c != '\t' && c != '\r') after_line_backslash = false;
        if (c == '\\') {
          size_t j = i + 1;
          while (j < s.size() && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r')) ++j;
          if (j < s.size() && s[j] == '\n') after_line_backslash = true;
          else if (i + 1 < s.size()) len = 2;   // an escape
        } else if (starts(i, "\"\"\"")) {
          len = 3;
          while (i + len < s.size() && s[i + len] == '"' && len < 5) ++len;   // up to two quotes end the text
          in = In::Code;
        }
        break;
      case In::MlLiteral:
        if (starts(i, "'''")) {
          len = 3;
          while (i + len < s.size() && s[i + len] == '\'' && len < 5) ++len;
          in = In::Code;
        }
        break;
    }
    i += len;
    ++col;
  }
  return {};
}

}  // namespace topo
