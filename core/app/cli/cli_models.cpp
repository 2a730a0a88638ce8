// topolab-cli subcommands of the distributed-system models: `chaos` (fault campaigns against any
// model with a checker, models/chaos/campaign.h) and `check-history` (linearizability of a recorded
// history, models/kv/linearizability.h).
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <fstream>
#include <iostream>

#include "cli.h"
#include "models/kv/history.h"
#include "models/kv/linearizability.h"
#include "models/chaos/campaign.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

namespace topo::cli {

namespace {

/// The head lines of a campaign: what each seed checks and which rules the scenario can switch off.
std::string checks_and_rules(const chaos::Options& opt) {
  std::string out, err;
  auto world = build_world(opt.scenario, 1, opt.params, &err);
  if (!world) return "";
  auto target = chaos::make_target(*world, &err);
  if (!target) return "";
  out += "chaos: checks: " + target->checks(opt) + "\n";
  const auto rules = chaos::rules_of(opt.scenario);
  if (!rules.empty()) {
    out += "chaos: switchable rules (--set):";
    for (const auto& r : rules) out += "\n  " + r.param + (r.bad == "-" ? "" : "=" + r.bad) + "  " + r.protects;
    out += "\n";
  }
  return out;
}

std::string chaos_more_help(const Args& a) {
  chaos::Options opt;
  opt.scenario = flag(a, "scenario", "raft-5");
  std::string out = "\ncampaign options (--set chaos.K=V): " + std::string(chaos::Options::keys()) + "\n";
  out += "scenarios with checkers: raft-3, raft-5, primary-backup, quorum, transfer-2pc, transfer-saga, shop, devops\n\n";
  const std::string cr = checks_and_rules(opt);
  out += cr.empty() ? "scenario " + opt.scenario + " has no model with a checker\n" : "for scenario " + opt.scenario + ":\n" + cr;
  return out;
}

std::string shell_quote(const std::string& s) {
  if (s.find_first_of(" \"'|&;<>()$`\\*?") == std::string::npos) return s;
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

/// `chaos --scenario NAME --seeds N [--first-seed S] [--set K=V]... [--jobs N] [--shard I/N]
/// [--schedule FILE] [--no-shrink] [--out DIR] [--verbose]`: runs N fault campaigns (seeds
/// S..S+N-1; models/chaos/campaign.h). `--set` takes scenario parameters (e.g.
/// raft.persist_vote=false) and campaign options prefixed `chaos.`. Prints the options, the checks
/// and the switchable rules first, then each failing seed with its problems, its swarm draw, its
/// shrunk schedule and replay commands (`--verbose`: every seed and its whole schedule), and ends
/// with `seeds N, violations V, stalled S`. Exit 0 only if V = S = 0.
int cmd_chaos(const Args& a) {
  chaos::Options opt;
  opt.scenario = flag(a, "scenario", "raft-5");
  int64_t seeds = 0, first = 0, jobs = chaos::default_jobs();
  if (!parse_int(flag(a, "seeds", "1"), &seeds) || seeds < 0) {
    std::cerr << "chaos: --seeds wants a non-negative integer\n";
    return 2;
  }
  if (!parse_int(flag(a, "first-seed", "1"), &first) || first < 0) {
    std::cerr << "chaos: --first-seed wants a non-negative integer\n";
    return 2;
  }
  if (has_flag(a, "jobs") && (!parse_int(flag(a, "jobs"), &jobs) || jobs < 1 || jobs > 256)) {
    std::cerr << "chaos: --jobs wants a whole number from 1 to 256\n";
    return 2;
  }
  chaos::Campaign c;
  const std::string shard = flag(a, "shard");
  if (!shard.empty()) {
    const size_t slash = shard.find('/');
    int64_t i = 0, n = 0;
    if (slash == std::string::npos || !parse_int(shard.substr(0, slash), &i) || !parse_int(shard.substr(slash + 1), &n) ||
        n < 1 || i < 1 || i > n) {
      std::cerr << "chaos: --shard wants I/N with 1 <= I <= N (e.g. 2/4), got " << shard << "\n";
      return 2;
    }
    c.shard_index = static_cast<uint64_t>(i - 1);
    c.shard_count = static_cast<uint64_t>(n);
  }
  Params set_values;
  if (!set_flags(a, "chaos", &set_values)) return 2;
  for (const auto& [key, value] : set_values) {
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
  for (const auto& s : flag_all(a, "set")) sets += " --set " + shell_quote(s);
  const std::string base = "topolab-cli chaos --scenario " + opt.scenario + sets;

  // Replay of a given (e.g. shrunk) schedule: one seed, verbose.
  const std::string schedule_file = flag(a, "schedule");
  if (!schedule_file.empty()) {
    std::string text, err;
    if (!read_file(schedule_file, &text)) {
      std::cerr << schedule_file << ": cannot open\n";
      return 2;
    }
    auto schedule = chaos::parse_schedule(text, &err);
    if (!schedule) {
      std::cerr << schedule_file << ":" << err.substr(5) << "\n";  // "line N: ..." -> "FILE:N: ..."
      return 2;
    }
    std::cout << "chaos: seed " << first << " with the schedule of " << schedule_file << "; " << opt.describe() << "\n";
    chaos::Result r = chaos::run_schedule(static_cast<uint64_t>(first), opt, *schedule, &err);
    if (!err.empty()) {
      std::cerr << "chaos: " << err << "\n";
      return 2;
    }
    std::cout << "seed " << first << ": " << (r.violation ? "VIOLATION" : r.stalled ? "STALLED" : "ok") << " (" << r.ops
              << " client ops, " << r.schedule.size() << " faults, " << r.events << " events)\n";
    for (const auto& p : r.problems) std::cout << "  " << p << "\n";
    for (const auto& f : r.schedule) std::cout << "    at " << f.at_us / kMs << " ms  " << f.command << "\n";
    std::cout << "seeds 1, violations " << (r.violation ? 1 : 0) << ", stalled " << (r.stalled ? 1 : 0) << "\n";
    return r.ok() ? 0 : 1;
  }

  c.first = static_cast<uint64_t>(first);
  c.count = static_cast<uint64_t>(seeds);
  c.jobs = static_cast<int>(jobs);
  c.shrink = !has_flag(a, "no-shrink");
  c.keep_schedules = verbose;
  std::cout << "chaos: seeds " << first << ".." << (first + seeds - 1);
  if (c.shard_count > 1) std::cout << " (shard " << c.shard_index + 1 << "/" << c.shard_count << ")";
  std::cout << "; " << opt.describe() << "\n" << checks_and_rules(opt);
  std::string err;
  const auto outcomes = chaos::run_campaign(c, opt, &err);
  if (!err.empty()) {
    std::cerr << "chaos: " << err << "\n";
    return 2;
  }
  const std::string out_dir = flag(a, "out", "chaos-out");
  int64_t violations = 0, stalled = 0;
  for (const auto& o : outcomes) {
    const chaos::Result& r = o.result;
    violations += r.violation ? 1 : 0;
    stalled += r.stalled ? 1 : 0;
    if (r.ok() && !verbose) continue;
    std::cout << "seed " << r.seed << ": " << (r.violation ? "VIOLATION" : r.stalled ? "STALLED" : "ok") << " ("
              << r.ops << " client ops, " << r.schedule.size() << " faults, " << r.events << " events)\n";
    for (size_t i = 0; i < r.problems.size() && (i < 5 || verbose); ++i) std::cout << "  " << r.problems[i] << "\n";
    if (r.problems.size() > 5 && !verbose) std::cout << "  ... and " << (r.problems.size() - 5) << " more\n";
    if (opt.swarm) std::cout << "  " << r.draw.describe() << "\n";
    if (verbose)
      for (const auto& f : r.schedule) std::cout << "    at " << f.at_us / kMs << " ms  " << f.command << "\n";
    if (r.ok()) continue;
    std::cout << "  replay: " << base << " --seeds 1 --first-seed " << r.seed << " --verbose\n";
    if (!c.shrink) continue;
    std::cout << "  shrunk: seed " << r.seed << ", " << o.shrunk.size() << " faults (from " << r.schedule.size()
              << ", " << o.shrink_runs << " runs), still " << r.property << "\n";
    for (const auto& f : o.shrunk) std::cout << "    at " << f.at_us / kMs << " ms  " << f.command << "\n";
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    const std::string file = out_dir + "/" + opt.scenario + "-seed" + std::to_string(r.seed) + ".schedule";
    std::ofstream sf(file);
    sf << chaos::schedule_text(o.shrunk);
    if (sf) std::cout << "  replay shrunk: " << base << " --first-seed " << r.seed << " --schedule " << file << "\n";
    else std::cout << "  (could not write " << file << ")\n";
    // The counterexample for the lab: the whole run, opened at the moment of the violation.
    std::string cerr_text;
    chaos::Result shrunk_run;
    const ReplayFile cx = chaos::counterexample(r.seed, opt, o.shrunk, &cerr_text, &shrunk_run);
    if (!cerr_text.empty()) continue;
    const std::string rfile = out_dir + "/" + opt.scenario + "-seed" + std::to_string(r.seed) + ".replay";
    std::ofstream rf(rfile);
    std::string about = "chaos counterexample: seed " + std::to_string(r.seed) + ", shrunk to " +
                        std::to_string(o.shrunk.size()) + " faults; " + shrunk_run.property;
    for (size_t i = 0; i < shrunk_run.problems.size() && i < 3; ++i) about += "\n" + shrunk_run.problems[i];
    rf << replay_text(cx, about);
    if (rf)
      std::cout << "  open in the lab: topolab --open " << rfile << "   (paused at " << cx.at_us / kMs
                << " ms, the first sign of the violation)\n";
  }
  std::cout << "seeds " << outcomes.size() << ", violations " << violations << ", stalled " << stalled << "\n";
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
const Command kChaos = {"chaos", cmd_chaos, nullptr,
    "fault campaigns (swarm, shrinking) against a model with a checker: raft-*, primary-backup, quorum, transfer-*, shop, devops",
    {{"scenario", "NAME", "the scenario (default raft-5)"},
     {"seeds", "N", "how many seeds (default 1)"},
     {"first-seed", "S", "the first seed (default 1)"},
     {"set", "K=V", "a scenario parameter, or a campaign option chaos.K=V (repeatable)"},
     {"jobs", "N", "run seeds on N threads (default: the machine's cores); results identical to one"},
     {"shard", "I/N", "run only the I-th of N shares of the seeds (same seed numbering)"},
     {"schedule", "FILE", "replay one seed (--first-seed) with this fault schedule (e.g. a shrunk one)"},
     {"no-shrink", nullptr, "do not shrink failing seeds' schedules"},
     {"out", "DIR", "where shrunk schedules are written (default chaos-out)"},
     {"verbose", nullptr, "print every seed with its fault schedule"}},
    chaos_more_help};
const Command kCheckHistory = {"check-history", cmd_check_history, "FILE", "check a JSON-lines client history for linearizability",
    {{"max-steps", "N", "search budget per key (a positive integer)"},
     {"stats", nullptr, "print the search statistics on stderr"}}};

}  // namespace topo::cli
