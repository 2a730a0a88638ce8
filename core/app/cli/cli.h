// topolab-cli subcommands. Each area of the core owns one file of subcommands; each subcommand
// declares its flags in one table (a `Command`, beside its code) and args.cpp holds every command
// line against that table before the subcommand runs (unknown flag or missing value: exit 2;
// --help: the usage, exit 0). Every subcommand takes its arguments after the subcommand name and
// returns the process exit code (0 = success, 1 = the check failed, 2 = bad usage or input).
//
// Adding a flag: add a row to the subcommand's table ({name, VALUE or nullptr, help}) and read it
// in the subcommand with `flag`/`has_flag`/`flag_all`.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace topo::cli {

using Args = std::vector<std::string>;

/// One flag of a subcommand: `--name` (a switch, `value` = nullptr) or `--name VALUE` /
/// `--name=VALUE` (`value` names the value in the usage, e.g. "N", "FILE", "K=V").
struct Flag {
  const char* name;   // without the leading "--"
  const char* value;  // nullptr: a switch
  const char* help;   // one line
};

/// A subcommand: its name, its entry point, what it takes besides flags (e.g. "FILE...";
/// nullptr: no operands), one line of summary and its flags.
struct Command {
  const char* name;
  int (*run)(const Args&);
  const char* operands;
  const char* summary;
  std::vector<Flag> flags;
  /// Optional: more help after the usage, which may depend on the other flags (chaos --help
  /// --scenario X lists X's checks and switchable rules).
  std::string (*more_help)(const Args&) = nullptr;
};

// cli_sim.cpp: the engine
int cmd_scenarios(const Args& a);
int cmd_hash(const Args& a);
int cmd_trace(const Args& a);
int cmd_bench(const Args& a);
extern const Command kScenarios, kHash, kTrace, kBench;
// cli_models.cpp: distributed-system models
int cmd_chaos(const Args& a);
int cmd_check_history(const Args& a);
extern const Command kChaos, kCheckHistory;
// cli_lesson.cpp: lessons and runs
int cmd_check(const Args& a);
int cmd_run(const Args& a);
extern const Command kCheck, kRun, kRecord;
// cli_ui.cpp: the UI's frame cost, headless (needs the CLI linked with the UI)
int cmd_bench_ui(const Args& a);
extern const Command kBenchUi;

/// args.cpp: the one parser.
enum class ArgsCheck { Run, Help, Error };
/// Holds `a` (the arguments after the subcommand name) against `c`'s table: Help for --help/-h,
/// Error with `*err` naming the flag ("unknown flag --sed (did you mean --seed?)", "missing value
/// for --seed (--seed N)") or the stray operand, else Run.
ArgsCheck check_args(const Command& c, const Args& a, std::string* err);
/// The usage text of a subcommand, built from its table.
std::string command_usage(const Command& c);
/// check_args, then the usage (exit 0), the error on stderr (exit 2) or the subcommand itself.
int run_command(const Command& c, const Args& a);
/// Every subcommand, in the order `topolab-cli --help` lists them.
const std::vector<const Command*>& commands();
/// The list of subcommands (`topolab-cli --help`).
void print_usage(std::ostream& out);
/// The whole CLI: `argv` without the program name; returns the exit code.
int cli_main(const Args& argv);

/// Small helpers shared by the subcommands.
/// Returns the value after `--name` (or `--name=value`), or `fallback`.
std::string flag(const Args& a, const std::string& name, const std::string& fallback = "");
bool has_flag(const Args& a, const std::string& name);
/// All values of a repeated flag (`--set K=V --set K2=V2`).
std::vector<std::string> flag_all(const Args& a, const std::string& name);
/// Every `--set KEY=VALUE` into `*out` (a later one wins). A value without "=" or with an empty
/// KEY: prints `topolab-cli CMD: --set expects KEY=VALUE, got "..."` and returns false (exit 2).
bool set_flags(const Args& a, const char* cmd, std::map<std::string, std::string>* out);
/// The whole file at `path` into `*out`; false if it cannot be opened.
bool read_file(const std::string& path, std::string* out);

}  // namespace topo::cli
