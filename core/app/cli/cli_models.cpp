// Placeholder: replaced by the owner of this area. Each command reports that it is not built yet.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "cli.h"
#include "models/kv/history.h"
#include "models/kv/linearizability.h"

namespace topo::cli {

int cmd_chaos(const Args&) {
  std::cerr << "topolab-cli chaos: not built yet\n";
  return 2;
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

}  // namespace topo::cli
