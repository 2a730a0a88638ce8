// topolab-cli subcommands of the distributed-system models: `chaos` (randomized fault campaigns
// against a Raft store, models/raft/chaos.h) and `check-history` (linearizability of a recorded
// history, models/kv/linearizability.h).
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "cli.h"
#include "models/kv/history.h"
#include "models/kv/linearizability.h"
#include "models/raft/chaos.h"

namespace topo::cli {

/// `chaos --scenario NAME --seeds N [--first-seed S] [--set K=V]... [--verbose]`: runs N chaos
/// campaigns (seeds S..S+N-1). `--set` takes scenario parameters (e.g. raft.persist_vote=false)
/// and campaign options prefixed `chaos.` (e.g. chaos.faulty_ms=6000). Prints the options first,
/// then each failing seed with its problems and a replay command (`--verbose`: every seed and its
/// fault schedule), and ends with `seeds N, violations V, stalled S`. Exit 0 only if V = S = 0.
int cmd_chaos(const Args& a) {
  raft::ChaosOptions opt;
  opt.scenario = flag(a, "scenario", "raft-5");
  int64_t seeds = 0, first = 0;
  if (!parse_int(flag(a, "seeds", "1"), &seeds) || seeds < 0) {
    std::cerr << "chaos: --seeds wants a non-negative integer\n";
    return 2;
  }
  if (!parse_int(flag(a, "first-seed", "1"), &first) || first < 0) {
    std::cerr << "chaos: --first-seed wants a non-negative integer\n";
    return 2;
  }
  for (const auto& kv_text : flag_all(a, "set")) {
    const size_t eq = kv_text.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "chaos: --set wants KEY=VALUE, got " << kv_text << "\n";
      return 2;
    }
    const std::string key = kv_text.substr(0, eq), value = kv_text.substr(eq + 1);
    if (key.rfind("chaos.", 0) == 0) {
      const std::string err = opt.set(key.substr(6), value);
      if (!err.empty()) {
        std::cerr << "chaos: " << err << "\n";
        return 2;
      }
    } else {
      opt.params[key] = value;
    }
  }
  const bool verbose = has_flag(a, "verbose");
  std::string sets;
  for (const auto& s : flag_all(a, "set")) sets += " --set " + s;
  std::cout << "chaos: seeds " << first << ".." << (first + seeds - 1) << "; " << opt.describe() << "\n";
  int64_t violations = 0, stalled = 0;
  for (int64_t s = first; s < first + seeds; ++s) {
    std::string err;
    raft::ChaosResult r = raft::run_chaos(static_cast<uint64_t>(s), opt, &err);
    if (!err.empty()) {
      std::cerr << "chaos: seed " << s << ": " << err << "\n";
      return 2;
    }
    violations += r.violation ? 1 : 0;
    stalled += r.stalled ? 1 : 0;
    if (r.ok() && !verbose) continue;
    std::cout << "seed " << s << ": " << (r.violation ? "VIOLATION" : r.stalled ? "STALLED" : "ok") << " ("
              << r.ops << " client ops, " << r.schedule.size() << " commands, " << r.events << " events)\n";
    for (size_t i = 0; i < r.problems.size() && (i < 5 || verbose); ++i) std::cout << "  " << r.problems[i] << "\n";
    if (r.problems.size() > 5 && !verbose) std::cout << "  ... and " << (r.problems.size() - 5) << " more\n";
    if (verbose)
      for (const auto& c : r.schedule) std::cout << "    at " << c << "\n";
    if (!r.ok())
      std::cout << "  replay: topolab-cli chaos --scenario " << opt.scenario << " --seeds 1 --first-seed " << s << sets
                << " --verbose\n";
  }
  std::cout << "seeds " << seeds << ", violations " << violations << ", stalled " << stalled << "\n";
  return (violations == 0 && stalled == 0) ? 0 : 1;
}

/// `check-history FILE [--max-steps N] [--stats]`: checks a JSON-lines history (kv/history.h) for
/// linearizability. Prints `linearizable` (exit 0), the violation with its offending operations
/// (exit 1; also for an inconclusive search), or `FILE:LINE: message` for a bad file (exit 2).
int cmd_check_history(const Args& a) {
  std::string file;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == "--max-steps") { ++i; continue; }
    if (a[i].rfind("--", 0) == 0) continue;
    if (!file.empty()) {
      std::cerr << "check-history: one FILE expected, got " << file << " and " << a[i] << "\n";
      return 2;
    }
    file = a[i];
  }
  if (file.empty()) {
    std::cerr << "usage: topolab-cli check-history FILE [--max-steps N] [--stats]\n";
    return 2;
  }
  std::ifstream in(file);
  if (!in) {
    std::cerr << file << ": cannot open\n";
    return 2;
  }
  kv::History h;
  std::string err;
  if (!kv::History::read_jsonl(in, file, &h, &err)) {
    std::cerr << err << "\n";
    return 2;
  }
  kv::CheckOptions opt;
  const std::string steps = flag(a, "max-steps");
  if (!steps.empty()) {
    char* end = nullptr;
    unsigned long long v = std::strtoull(steps.c_str(), &end, 10);
    if (!end || *end || v == 0) {
      std::cerr << "check-history: --max-steps wants a positive integer, got " << steps << "\n";
      return 2;
    }
    opt.max_steps_per_key = v;
  }
  const auto t0 = std::chrono::steady_clock::now();
  kv::CheckResult r = kv::check_linearizable(h, opt);
  const auto t1 = std::chrono::steady_clock::now();
  if (has_flag(a, "stats"))
    std::cerr << "ops " << h.size() << ", keys " << r.keys_checked << ", steps " << r.steps
              << ", wall " << std::chrono::duration_cast<std::chrono::microseconds>(t1 - t0).count() / 1000.0
              << " ms\n";
  if (r.ok()) {
    std::cout << "linearizable\n";
    return 0;
  }
  std::cout << (r.verdict == kv::Verdict::Violation ? "not linearizable: " : "inconclusive: ") << r.report()
            << "\n";
  return 1;
}

// ---- Flag tables (args.cpp checks every command line against these). ----------------------
const Command kChaos = {"chaos", cmd_chaos, nullptr, "randomized fault campaigns against a Raft store",
    {{"scenario", "NAME", "the scenario (default raft-5)"},
     {"seeds", "N", "how many campaigns (default 1)"},
     {"first-seed", "S", "the first campaign's seed (default 1)"},
     {"set", "K=V", "a scenario parameter, or a campaign option chaos.K=V (repeatable)"},
     {"verbose", nullptr, "print every seed with its fault schedule"}}};
const Command kCheckHistory = {"check-history", cmd_check_history, "FILE", "check a JSON-lines client history for linearizability",
    {{"max-steps", "N", "search budget per key (a positive integer)"},
     {"stats", nullptr, "print the search statistics on stderr"}}};

}  // namespace topo::cli
