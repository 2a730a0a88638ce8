// topolab-cli's strict flags (core/app/cli/args.cpp): every subcommand's flags come from its
// table; an unknown flag or a missing value is an error naming it (exit 2) and --help prints the
// usage built from the table without running the subcommand.
#include <doctest/doctest.h>

#include <iostream>
#include <map>
#include <sstream>

#include "../../../core/app/cli/cli.h"

using topo::cli::Args;
using topo::cli::ArgsCheck;
using topo::cli::Command;

namespace {

int g_runs = 0;
int counting(const Args&) { return ++g_runs, 0; }

// Runs `fn` with std::cout and std::cerr captured.
template <class F>
int captured(F fn, std::string* out, std::string* err) {
  std::ostringstream o, e;
  auto* old_out = std::cout.rdbuf(o.rdbuf());
  auto* old_err = std::cerr.rdbuf(e.rdbuf());
  const int rc = fn();
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  *out = o.str();
  *err = e.str();
  return rc;
}

const Command kFake = {"fake", counting, nullptr, "a test command",
                       {{"seed", "N", "a seed"}, {"json", nullptr, "JSON"}, {"set", "K=V", "repeatable"}}};

}  // namespace

TEST_CASE("check_args: unknown flags, missing values and stray operands are errors that name them") {
  std::string err;
  CHECK(topo::cli::check_args(kFake, {"--seed", "3", "--json", "--set", "a=1", "--set=b=2"}, &err) == ArgsCheck::Run);
  CHECK(topo::cli::check_args(kFake, {"--sed", "3"}, &err) == ArgsCheck::Error);
  CHECK(err == "unknown flag --sed (did you mean --seed?)");
  CHECK(topo::cli::check_args(kFake, {"--zzzzzz"}, &err) == ArgsCheck::Error);
  CHECK(err == "unknown flag --zzzzzz");
  CHECK(topo::cli::check_args(kFake, {"--json", "--seed"}, &err) == ArgsCheck::Error);
  CHECK(err == "missing value for --seed (--seed N)");
  CHECK(topo::cli::check_args(kFake, {"--seed", "--json"}, &err) == ArgsCheck::Error);
  CHECK(err == "missing value for --seed (--seed N)");
  CHECK(topo::cli::check_args(kFake, {"--seed="}, &err) == ArgsCheck::Error);
  CHECK(topo::cli::check_args(kFake, {"--json=yes"}, &err) == ArgsCheck::Error);
  CHECK(err == "flag --json takes no value");
  CHECK(topo::cli::check_args(kFake, {"stray"}, &err) == ArgsCheck::Error);
  CHECK(err.find("unexpected argument \"stray\"") == 0);
  CHECK(topo::cli::check_args(kFake, {"-x"}, &err) == ArgsCheck::Error);
  CHECK(topo::cli::check_args(kFake, {"--seed", "-1"}, &err) == ArgsCheck::Run);  // a value, not a flag
  CHECK(topo::cli::check_args(kFake, {"--sed", "3", "--help"}, &err) == ArgsCheck::Error);
  CHECK(topo::cli::check_args(kFake, {"--json", "-h"}, &err) == ArgsCheck::Help);
}

TEST_CASE("run_command: --help prints the table's usage and runs nothing; an error is exit 2") {
  std::string out, err;
  g_runs = 0;
  CHECK(captured([] { return topo::cli::run_command(kFake, {"--help"}); }, &out, &err) == 0);
  CHECK(g_runs == 0);
  CHECK(out == topo::cli::command_usage(kFake));
  CHECK(out.find("usage: topolab-cli fake") == 0);
  CHECK(out.find("--seed N") != std::string::npos);
  CHECK(captured([] { return topo::cli::run_command(kFake, {"--sed", "1"}); }, &out, &err) == 2);
  CHECK(g_runs == 0);
  CHECK(out.empty());
  CHECK(err.find("fake: unknown flag --sed (did you mean --seed?)") != std::string::npos);
  CHECK(captured([] { return topo::cli::run_command(kFake, {"--seed", "1"}); }, &out, &err) == 0);
  CHECK(g_runs == 1);
}

TEST_CASE("every subcommand: --help and -h print its usage with each of its flags, exit 0") {
  for (const Command* c : topo::cli::commands()) {
    CAPTURE(c->name);
    for (const char* h : {"--help", "-h"}) {
      std::string out, err;
      CHECK(captured([&] { return topo::cli::run_command(*c, {h}); }, &out, &err) == 0);
      // The usage (and a command's more_help, e.g. chaos's checks and rules) and nothing else:
      // the command did not run.
      const std::string more = c->more_help ? c->more_help({h}) : std::string();
      CHECK(out == topo::cli::command_usage(*c) + more);
      CHECK(err.empty());
      for (const auto& f : c->flags) CHECK(out.find(std::string("--") + f.name) != std::string::npos);
    }
  }
}

TEST_CASE("cli_main: the issue's example, a missing value, unknown commands, the command list") {
  std::string out, err;
  CHECK(captured([] { return topo::cli::cli_main({"hash", "--scenario", "raft-5", "--sed", "3", "--until-ms", "1000"}); },
                 &out, &err) == 2);
  CHECK(out.empty());
  CHECK(err.find("topolab-cli hash: unknown flag --sed (did you mean --seed?)") == 0);
  CHECK(captured([] { return topo::cli::cli_main({"trace", "--scenario", "raft-5", "--until-ms"}); }, &out, &err) == 2);
  CHECK(err.find("missing value for --until-ms") != std::string::npos);
  CHECK(captured([] { return topo::cli::cli_main({"chaos", "--seeds", "1", "--verbos"}); }, &out, &err) == 2);
  CHECK(err.find("unknown flag --verbos (did you mean --verbose?)") != std::string::npos);
  CHECK(captured([] { return topo::cli::cli_main({"hsh"}); }, &out, &err) == 2);
  CHECK(err.find("unknown command \"hsh\" (did you mean hash?)") != std::string::npos);
  CHECK(captured([] { return topo::cli::cli_main({"--help"}); }, &out, &err) == 0);
  for (const Command* c : topo::cli::commands()) CHECK(out.find(std::string("  ") + c->name + " ") != std::string::npos);
}

TEST_CASE("set_flags: one --set parser; a later value wins; no '=' or an empty key is an error naming it") {
  std::map<std::string, std::string> p;
  std::string out, err;
  CHECK(captured([&] { return topo::cli::set_flags({"--set", "a=1", "--set=b=x=y", "--set", "a=2", "--set", "c="}, "fake", &p) ? 0 : 2; },
                 &out, &err) == 0);
  CHECK(p == std::map<std::string, std::string>{{"a", "2"}, {"b", "x=y"}, {"c", ""}});
  CHECK(err.empty());
  for (const char* bad : {"novalue", "=1"}) {
    std::map<std::string, std::string> q;
    CHECK(captured([&] { return topo::cli::set_flags({"--seed", "1", "--set", bad}, "fake", &q) ? 0 : 2; }, &out, &err) == 2);
    CHECK(err == std::string("topolab-cli fake: --set expects KEY=VALUE, got \"") + bad + "\"\n");
  }
}
