// Placeholder: replaced by the owner of this area. Each command reports that it is not built yet.
#include <iostream>

#include "cli.h"

namespace topo::cli {

int cmd_check(const Args&) {
  std::cerr << "topolab-cli check: not built yet\n";
  return 2;
}

int cmd_run(const Args&) {
  std::cerr << "topolab-cli run: not built yet\n";
  return 2;
}

}  // namespace topo::cli
