// topolab-cli: the headless Topolab, the same core natively and in WebAssembly (topolab-cli.js
// under Node). The subcommands, their flag tables and the dispatch are in cli.h / args.cpp.
#include "cli.h"

int main(int argc, char** argv) { return topo::cli::cli_main(topo::cli::Args(argv + 1, argv + argc)); }
