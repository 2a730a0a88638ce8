// A Command's canonical text form (`op key=value ...`, values with spaces quoted) and its parser;
// the engine's number parsers (util/parse.h's grammar).
#include "sim/world_internal.h"

#include "util/parse.h"

namespace topo {

bool parse_number(std::string_view s, double* out) { return util::parse_number(s, out); }

bool parse_int(std::string_view s, int64_t* out) { return util::parse_int(s, out); }

namespace {

bool is_plain_value_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == ',' || c == '-' || c == '+' || c == ':' || c == '/' || c == '#' || c == '@';
}

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

}  // namespace

std::string Command::to_text() const {
  std::string s = op;
  for (const auto& [k, v] : args) {
    s += ' ';
    s += k;
    s += '=';
    bool plain = !v.empty();
    for (char c : v)
      if (!is_plain_value_char(c)) plain = false;
    if (plain) {
      s += v;
    } else {
      s += '"';
      for (char c : v) {
        if (c == '"' || c == '\\') s += '\\';
        s += c;
      }
      s += '"';
    }
  }
  return s;
}

std::optional<Command> Command::parse(std::string_view text, std::string* error) {
  auto fail = [&](std::string msg) -> std::optional<Command> {
    if (error) *error = std::move(msg);
    return std::nullopt;
  };
  Command c;
  size_t i = 0;
  const size_t n = text.size();
  auto skip_ws = [&] {
    while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
  };
  skip_ws();
  const size_t op_start = i;
  while (i < n && is_key_char(text[i])) ++i;
  c.op = std::string(text.substr(op_start, i - op_start));
  if (c.op.empty()) return fail("empty command (expected `op key=value ...`)");
  if (i < n && !(text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
    return fail("bad character '" + std::string(1, text[i]) + "' in command name \"" +
                std::string(text.substr(op_start, i - op_start + 1)) + "\"");
  for (;;) {
    skip_ws();
    if (i >= n) break;
    const size_t k_start = i;
    while (i < n && is_key_char(text[i])) ++i;
    std::string key(text.substr(k_start, i - k_start));
    if (key.empty() || i >= n || text[i] != '=') {
      size_t e = k_start;
      while (e < n && text[e] != ' ' && text[e] != '\t') ++e;
      return fail("expected key=value, got \"" + std::string(text.substr(k_start, e - k_start)) + "\"");
    }
    ++i;  // '='
    std::string value;
    if (i < n && text[i] == '"') {
      ++i;
      bool closed = false;
      while (i < n) {
        char ch = text[i++];
        if (ch == '\\' && i < n) {
          value += text[i++];
        } else if (ch == '"') {
          closed = true;
          break;
        } else {
          value += ch;
        }
      }
      if (!closed) return fail("unterminated quote in value of " + key + "=");
      if (i < n && !(text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
        return fail("expected a space after the quoted value of " + key + "=");
    } else {
      while (i < n && !(text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
        value += text[i++];
    }
    if (c.args.count(key)) return fail("key " + key + "= given twice");
    c.args.emplace(std::move(key), std::move(value));
  }
  return c;
}

std::string Command::arg(const std::string& key, const std::string& fallback) const {
  auto it = args.find(key);
  return it == args.end() ? fallback : it->second;
}

}  // namespace topo
