// Registration of the engine's basic scenarios and the parameter reader they share.
#include "models/basic/basic.h"
#include "models/builtin_scenarios.h"

namespace topo::basic {

ParamReader::ParamReader(const Params& p, std::initializer_list<const char*> known) : p_(p) {
  for (const auto& [k, v] : p) {
    (void)v;
    bool ok = false;
    std::string keys;
    for (const char* name : known) {
      ok = ok || k == name;
      keys += (keys.empty() ? "" : ", ") + std::string(name);
    }
    if (!ok && error_.empty()) error_ = "unknown parameter \"" + k + "\" (parameters: " + keys + ")";
  }
}

double ParamReader::number(const char* key, double fallback, double lo, double hi) {
  auto it = p_.find(key);
  if (it == p_.end()) return fallback;
  double d = 0;
  if (!parse_number(it->second, &d)) {
    if (error_.empty()) error_ = std::string(key) + "=" + it->second + " is not a number";
    return fallback;
  }
  if (d < lo || d > hi) {
    if (error_.empty())
      error_ = std::string(key) + "=" + it->second + " is out of range [" + std::to_string(lo) + ", " +
               std::to_string(hi) + "]";
    return fallback;
  }
  return d;
}

int64_t ParamReader::integer(const char* key, int64_t fallback, int64_t lo, int64_t hi) {
  auto it = p_.find(key);
  if (it == p_.end()) return fallback;
  int64_t i = 0;
  if (!parse_int(it->second, &i)) {
    if (error_.empty()) error_ = std::string(key) + "=" + it->second + " is not an integer";
    return fallback;
  }
  if (i < lo || i > hi) {
    if (error_.empty())
      error_ = std::string(key) + "=" + it->second + " is out of range [" + std::to_string(lo) + ", " +
               std::to_string(hi) + "]";
    return fallback;
  }
  return i;
}

}  // namespace topo::basic

namespace topo {

void add_basic_scenarios(std::vector<ScenarioInfo>& v) {
  basic::add_ping(v);
  basic::add_mm1(v);
  basic::add_mmc(v);
  basic::add_gossip(v);
}

}  // namespace topo
