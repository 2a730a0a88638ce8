// Minimal JSON helpers: see json.h.
#include "scenario/json.h"

namespace topo {

namespace {

struct Parser {
  std::string_view s;
  size_t i = 0;
  std::string err;

  void ws() { while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')) ++i; }
  bool fail(const std::string& what) {
    if (err.empty()) err = "col " + std::to_string(i + 1) + ": " + what;
    return false;
  }
  bool string(std::string* out) {
    if (i >= s.size() || s[i] != '"') return fail("expected a string");
    ++i;
    while (i < s.size() && s[i] != '"') {
      char c = s[i++];
      if (c == '\\') {
        if (i >= s.size()) return fail("unfinished escape");
        char e = s[i++];
        switch (e) {
          case 'n': *out += '\n'; break;
          case 't': *out += '\t'; break;
          case 'r': *out += '\r'; break;
          case 'b': *out += '\b'; break;
          case 'f': *out += '\f'; break;
          case 'u': {
            if (i + 4 > s.size()) return fail("bad \\u escape");
            unsigned v = 0;
            for (int k = 0; k < 4; ++k) {
              char h = s[i++];
              v <<= 4;
              if (h >= '0' && h <= '9') v |= static_cast<unsigned>(h - '0');
              else if (h >= 'a' && h <= 'f') v |= static_cast<unsigned>(h - 'a' + 10);
              else if (h >= 'A' && h <= 'F') v |= static_cast<unsigned>(h - 'A' + 10);
              else return fail("bad \\u escape");
            }
            if (v < 0x80) *out += static_cast<char>(v);
            else if (v < 0x800) { *out += static_cast<char>(0xC0 | (v >> 6)); *out += static_cast<char>(0x80 | (v & 0x3F)); }
            else { *out += static_cast<char>(0xE0 | (v >> 12)); *out += static_cast<char>(0x80 | ((v >> 6) & 0x3F)); *out += static_cast<char>(0x80 | (v & 0x3F)); }
            break;
          }
          default: *out += e;
        }
      } else {
        *out += c;
      }
    }
    if (i >= s.size()) return fail("unterminated string");
    ++i;
    return true;
  }
  bool scalar(std::string* out) {
    if (i < s.size() && s[i] == '"') return string(out);
    if (i < s.size() && (s[i] == '{' || s[i] == '[')) return fail("nested objects and arrays are not accepted here");
    size_t start = i;
    while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ' ' && s[i] != '\n' && s[i] != '\t') ++i;
    std::string_view tok = s.substr(start, i - start);
    if (tok.empty()) return fail("expected a value");
    bool number = true;
    for (char c : tok)
      if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) number = false;
    if (!number && tok != "true" && tok != "false" && tok != "null") {
      i = start;
      return fail("expected a string, number, true, false or null");
    }
    *out = std::string(tok);
    return true;
  }
};

}  // namespace

std::optional<std::map<std::string, std::string>> parse_flat_json(std::string_view text, std::string* error) {
  Parser p{text, 0, {}};
  std::map<std::string, std::string> out;
  p.ws();
  if (p.i >= text.size() || text[p.i] != '{') {
    p.fail("expected '{'");
  } else {
    ++p.i;
    p.ws();
    if (p.i < text.size() && text[p.i] == '}') {
      ++p.i;
    } else {
      while (p.err.empty()) {
        std::string key, value;
        p.ws();
        if (!p.string(&key)) break;
        p.ws();
        if (p.i >= text.size() || text[p.i] != ':') { p.fail("expected ':'"); break; }
        ++p.i;
        p.ws();
        if (!p.scalar(&value)) break;
        out[key] = value;
        p.ws();
        if (p.i < text.size() && text[p.i] == ',') { ++p.i; continue; }
        if (p.i < text.size() && text[p.i] == '}') { ++p.i; break; }
        p.fail("expected ',' or '}'");
      }
    }
  }
  if (p.err.empty()) {
    p.ws();
    if (p.i != text.size()) p.fail("unexpected text after the object");
  }
  if (!p.err.empty()) {
    if (error) *error = p.err;
    return std::nullopt;
  }
  return out;
}

}  // namespace topo
