// Placeholder: replaced by the owner of this area. Each command reports that it is not built yet.
#include <iostream>

#include "cli.h"

namespace topo::cli {

int cmd_chaos(const Args&) {
  std::cerr << "topolab-cli chaos: not built yet\n";
  return 2;
}

int cmd_check_history(const Args&) {
  std::cerr << "topolab-cli check-history: not built yet\n";
  return 2;
}

}  // namespace topo::cli
