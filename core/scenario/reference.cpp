// Pattern matching and descriptions for the scenario declarations (scenario/reference.h).
#include "scenario/reference.h"

#include "util/parse.h"

namespace topo {

namespace {

bool match_from(std::string_view p, std::string_view k) {
  if (p.empty()) return k.empty();
  if (p.front() == '<') {
    const size_t close = p.find('>');
    if (close == std::string_view::npos) return p == k;
    std::string_view rest = p.substr(close + 1);
    // The placeholder covers k[0, n) for some n >= 1; try the shortest first.
    for (size_t n = 1; n <= k.size(); ++n)
      if (match_from(rest, k.substr(n))) return true;
    return false;
  }
  const size_t lit = std::min(p.find('<'), p.size());
  if (k.substr(0, lit) != p.substr(0, lit)) return false;
  return match_from(p.substr(lit), k.substr(std::min(lit, k.size())));
}

bool has_placeholder(std::string_view p) { return p.find('<') != std::string_view::npos; }

}  // namespace

bool key_matches(std::string_view pattern, std::string_view key) {
  if (!has_placeholder(pattern)) return pattern == key;
  return match_from(pattern, key);
}

std::vector<std::string> placeholders(std::string_view pattern) {
  std::vector<std::string> out;
  size_t i = 0;
  while ((i = pattern.find('<', i)) != std::string_view::npos) {
    const size_t close = pattern.find('>', i);
    if (close == std::string_view::npos) break;
    out.emplace_back(pattern.substr(i + 1, close - i - 1));
    i = close + 1;
  }
  return out;
}

std::string check_param_value(const std::vector<ParamDecl>& decls, std::string_view key,
                              std::string_view value) {
  const ParamDecl* d = find_param_decl(decls, key);
  if (!d) return "";
  int64_t i = 0;
  double x = 0;
  bool b = false;
  const char* want = nullptr;
  if (d->type == "int") {
    if (!util::parse_int(value, &i)) want = "an integer";
  } else if (d->type == "number" || d->type == "prob") {
    if (!util::parse_number(value, &x)) want = "a number";
  } else if (d->type == "bool") {
    if (!util::parse_bool(value, &b)) want = "true or false";
  }
  if (!want) return "";
  return std::string(key) + "=" + std::string(value) + " is not " + want;
}

const ValueDecl* find_value_decl(const std::vector<ValueDecl>& decls, std::string_view key) {
  for (const auto& d : decls)
    if (!has_placeholder(d.pattern) && d.pattern == key) return &d;
  for (const auto& d : decls)
    if (has_placeholder(d.pattern) && match_from(d.pattern, key)) return &d;
  return nullptr;
}

const ParamDecl* find_param_decl(const std::vector<ParamDecl>& decls, std::string_view key) {
  for (const auto& d : decls)
    if (!has_placeholder(d.name) && d.name == key) return &d;
  for (const auto& d : decls)
    if (has_placeholder(d.name) && match_from(d.name, key)) return &d;
  return nullptr;
}

std::string describe_value_type(const ValueDecl& d) {
  std::string s = d.type;
  if (!d.unit.empty()) s += ", " + d.unit;
  if (!d.enum_names.empty()) {
    s += ":";
    for (size_t i = 0; i < d.enum_names.size(); ++i)
      s += (i ? ", " : " ") + (d.type == "text" ? "\"" + d.enum_names[i] + "\"" : std::to_string(i) + " \"" + d.enum_names[i] + "\"");
  }
  return s;
}

std::string describe_param_type(const ParamDecl& d) {
  std::string s = d.type;
  if (!d.enum_names.empty()) {
    s += " (";
    for (size_t i = 0; i < d.enum_names.size(); ++i) s += (i ? ", " : "") + d.enum_names[i];
    s += ")";
  }
  if (!d.unit.empty()) s += ", " + d.unit;
  if (!d.range.empty()) s += ", " + d.range;
  if (!d.default_value.empty()) s += ", default " + d.default_value;
  return s;
}

int enum_index(const ValueDecl& d, std::string_view name) {
  for (size_t i = 0; i < d.enum_names.size(); ++i)
    if (d.enum_names[i] == name) return static_cast<int>(i);
  return -1;
}

}  // namespace topo
