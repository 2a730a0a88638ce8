// topolab-cli: the headless Topolab, the same core natively and in WebAssembly (topolab-cli.js
// under Node). Dispatches to the subcommands declared in cli.h.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "cli.h"

namespace {

struct Sub {
  const char* name;
  int (*fn)(const topo::cli::Args&);
  const char* usage;
};

const Sub kSubs[] = {
    {"scenarios", topo::cli::cmd_scenarios, "scenarios                      list the built-in scenarios"},
    {"hash", topo::cli::cmd_hash, "hash --scenario NAME --seed N --until-ms T [--set K=V]...   print the trace hash"},
    {"trace", topo::cli::cmd_trace, "trace --scenario NAME --seed N --until-ms T [--out FILE]    trace as JSON lines"},
    {"bench", topo::cli::cmd_bench, "bench [--json] [--only NAME]   engine benchmarks"},
    {"bench-ui", topo::cli::cmd_bench_ui, "bench-ui [--json] [--frames N] [--only NAME]   CPU ms per UI frame (headless ImGui)"},
    {"chaos", topo::cli::cmd_chaos, "chaos --scenario NAME --seeds N [--set K=V]...   randomized fault campaigns"},
    {"check-history", topo::cli::cmd_check_history, "check-history FILE             linearizability of a history"},
    {"check", topo::cli::cmd_check, "check FILE...                  validate lesson files"},
    {"run", topo::cli::cmd_run, "run FILE [--autoplay] | run --scenario NAME --seed N --until-ms T [--metrics] [--history FILE]"},
};

void usage(std::ostream& out) {
  out << "topolab-cli " << TOPOLAB_VERSION << ": the Topolab simulation core on the command line\n\n"
      << "usage: topolab-cli COMMAND [ARGS]\n\ncommands:\n";
  for (const auto& s : kSubs) out << "  " << s.usage << "\n";
  out << "\n  --version   print the version\n  --help      this text\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) { usage(std::cerr); return 2; }
  std::string cmd = argv[1];
  if (cmd == "--version" || cmd == "version") { std::cout << "topolab-cli " << TOPOLAB_VERSION << "\n"; return 0; }
  if (cmd == "--help" || cmd == "-h" || cmd == "help") { usage(std::cout); return 0; }
  topo::cli::Args args(argv + 2, argv + argc);
  for (const auto& s : kSubs)
    if (cmd == s.name) {
      try {
        return s.fn(args);
      } catch (const std::exception& e) {
        std::cerr << "topolab-cli " << cmd << ": error: " << e.what() << "\n";
        return 2;
      }
    }
  std::cerr << "topolab-cli: unknown command \"" << cmd << "\" (see topolab-cli --help)\n";
  return 2;
}
