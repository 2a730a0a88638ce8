// topolab-cli subcommands. Each area of the core owns one file of subcommands; main.cpp only
// dispatches. Every subcommand takes its arguments after the subcommand name and returns the
// process exit code (0 = success, 1 = the check failed, 2 = bad usage or input).
#pragma once

#include <string>
#include <vector>

namespace topo::cli {

using Args = std::vector<std::string>;

// cli_sim.cpp: the engine
int cmd_scenarios(const Args& a);
int cmd_hash(const Args& a);
int cmd_trace(const Args& a);
int cmd_bench(const Args& a);
// cli_models.cpp: distributed-system models
int cmd_chaos(const Args& a);
int cmd_check_history(const Args& a);
// cli_lesson.cpp: lessons and runs
int cmd_check(const Args& a);
int cmd_run(const Args& a);
// cli_ui.cpp: the UI's frame cost, headless (needs the CLI linked with the UI)
int cmd_bench_ui(const Args& a);

/// Small helpers shared by the subcommands.
/// Returns the value after `--name` (or `--name=value`), or `fallback`.
std::string flag(const Args& a, const std::string& name, const std::string& fallback = "");
bool has_flag(const Args& a, const std::string& name);
/// All values of a repeated flag (`--set K=V --set K2=V2`).
std::vector<std::string> flag_all(const Args& a, const std::string& name);

}  // namespace topo::cli
