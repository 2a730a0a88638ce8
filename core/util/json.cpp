// JSON string escaping: see json.h.
#include "util/json.h"

namespace topo::util {

void json_escape_to(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += ch;  // UTF-8 passes through unchanged
        }
    }
  }
}

void json_quote_to(std::string& out, std::string_view s) {
  out += '"';
  json_escape_to(out, s);
  out += '"';
}

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  json_quote_to(out, s);
  return out;
}

void json_quote_to(std::ostream& out, std::string_view s) { out << json_quote(s); }

}  // namespace topo::util
