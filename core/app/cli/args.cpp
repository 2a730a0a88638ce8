// Flag parsing shared by the topolab-cli subcommands.
#include "cli.h"

namespace topo::cli {

std::string flag(const Args& a, const std::string& name, const std::string& fallback) {
  const std::string eq = "--" + name + "=";
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == "--" + name && i + 1 < a.size()) return a[i + 1];
    if (a[i].rfind(eq, 0) == 0) return a[i].substr(eq.size());
  }
  return fallback;
}

bool has_flag(const Args& a, const std::string& name) {
  for (const auto& s : a)
    if (s == "--" + name || s.rfind("--" + name + "=", 0) == 0) return true;
  return false;
}

std::vector<std::string> flag_all(const Args& a, const std::string& name) {
  std::vector<std::string> out;
  const std::string eq = "--" + name + "=";
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == "--" + name && i + 1 < a.size()) out.push_back(a[++i]);
    else if (a[i].rfind(eq, 0) == 0) out.push_back(a[i].substr(eq.size()));
  }
  return out;
}

}  // namespace topo::cli
