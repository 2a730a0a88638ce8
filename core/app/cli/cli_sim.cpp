// Placeholder: replaced by the owner of this area. Each command reports that it is not built yet.
#include <iostream>

#include "cli.h"

namespace topo::cli {

int cmd_scenarios(const Args&) {
  std::cerr << "topolab-cli scenarios: not built yet\n";
  return 2;
}

int cmd_hash(const Args&) {
  std::cerr << "topolab-cli hash: not built yet\n";
  return 2;
}

int cmd_trace(const Args&) {
  std::cerr << "topolab-cli trace: not built yet\n";
  return 2;
}

int cmd_bench(const Args&) {
  std::cerr << "topolab-cli bench: not built yet\n";
  return 2;
}

}  // namespace topo::cli
