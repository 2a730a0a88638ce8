// topolab-cli engine subcommands: `scenarios` (the catalogue), `hash` (the trace hash of a run,
// last line, 16 hex digits), `trace` (the run as JSON lines) and `bench` (engine benchmarks:
// the M/M/8 queue and 1,000-node gossip; wall-clock time is read here only, never inside the
// simulation).
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>

#include "cli.h"
#include "lesson/reference_md.h"
#include "scenario/replay_file.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"
#include "util/format.h"
#include "util/text.h"

namespace topo::cli {

namespace {

struct RunSpec {
  std::string scenario;
  uint64_t seed = 1;
  Time until = 0;
  Params params;
};

// Parses --scenario, --seed, --until-ms and --set K=V; prints the problem and returns nullopt.
std::optional<RunSpec> parse_run(const Args& a, const char* cmd) {
  RunSpec r;
  r.scenario = flag(a, "scenario");
  if (r.scenario.empty()) {
    std::cerr << "topolab-cli " << cmd << ": --scenario NAME is required (see topolab-cli scenarios)\n";
    return std::nullopt;
  }
  int64_t seed = 1;
  if (!parse_int(flag(a, "seed", "1"), &seed) || seed < 0) {
    std::cerr << "topolab-cli " << cmd << ": --seed must be a non-negative integer\n";
    return std::nullopt;
  }
  r.seed = static_cast<uint64_t>(seed);
  double until_ms = 0;
  if (!has_flag(a, "until-ms") || !parse_number(flag(a, "until-ms"), &until_ms) || until_ms < 0) {
    std::cerr << "topolab-cli " << cmd << ": --until-ms T (simulated milliseconds, >= 0) is required\n";
    return std::nullopt;
  }
  r.until = static_cast<Time>(until_ms * 1000.0 + 0.5);
  if (!set_flags(a, cmd, &r.params)) return std::nullopt;
  return r;
}

using util::format_hex16;
/// bench's numbers: six significant digits ("%.6g"), as its --json output always wrote them.
std::string num(double v) { return util::format_significant(v, 6); }

// Erlang C mean time in system for M/M/c (for comparison in the bench output only).
double mmc_theory_s(double lambda, double mu, int c) {
  const double a = lambda / mu, rho = a / c;
  if (rho >= 1) return -1;
  double term = 1, sum = 1;  // sum_{k<c} a^k / k!
  for (int k = 1; k < c; ++k) {
    term *= a / k;
    sum += term;
  }
  const double last = term * a / c;  // a^c / c!
  const double pc = last / (1 - rho) / (sum + last / (1 - rho));
  return pc / (c * mu - lambda) + 1 / mu;
}

}  // namespace

int cmd_scenarios(const Args& a) {
  if (has_flag(a, "params")) {
    // One scenario's declared parameters (ScenarioInfo::params), one per line.
    const std::string name = flag(a, "params");
    if (!find_scenario(name)) {
      std::vector<std::string> names;
      for (const auto& s : scenarios()) names.push_back(s.name);
      std::cerr << "scenarios: unknown scenario \"" << name << "\"" << util::did_you_mean(name, names) << "\n";
      return 2;
    }
    const std::string text = lesson::describe_params(name);
    std::cout << (text.empty() ? "(no parameters)\n" : text);
    return 0;
  }
  // One line each: the summary, then the parameters it declares (details: --params NAME).
  for (const auto& s : scenarios()) {
    std::cout << s.name << "  " << s.summary;
    for (size_t i = 0; i < s.params.size(); ++i) std::cout << (i ? ", " : " (params: ") << s.params[i].name;
    std::cout << (s.params.empty() ? "" : ")") << "\n";
  }
  return 0;
}

int cmd_hash(const Args& a) {
  const std::string replay = flag(a, "replay");
  if (!replay.empty()) {
    // A replay file (chaos counterexamples, the lab's saved runs): its world at its moment.
    std::string text, err;
    if (!read_file(replay, &text)) {
      std::cerr << replay << ": cannot open\n";
      return 2;
    }
    auto r = parse_replay(text, replay, &err);
    if (!r) {
      std::cerr << err << "\n";
      return 2;
    }
    auto s = open_replay(*r, &err);
    if (!s) {
      std::cerr << replay << ": " << err << "\n";
      return 2;
    }
    const World& w = s->world();
    std::cout << "scenario=" << r->scenario << " seed=" << r->seed << " at_us=" << w.now()
              << " events=" << w.events_processed() << " commands=" << r->log.size() << "\n";
    std::cout << format_hex16(w.trace().hash()) << "\n";
    return 0;
  }
  auto spec = parse_run(a, "hash");
  if (!spec) return 2;
  std::string err;
  auto w = build_world(spec->scenario, spec->seed, spec->params, &err,
                       [](World& fresh) { fresh.trace().set_capacity(0); });
  if (!w) {
    std::cerr << "topolab-cli hash: " << err << "\n";
    return 2;
  }
  w->run_until(spec->until);
  std::cout << "scenario=" << spec->scenario << " seed=" << spec->seed << " until_ms=" << spec->until / 1000
            << " events=" << w->events_processed() << " trace_events=" << w->trace().count() << "\n";
  std::cout << format_hex16(w->trace().hash()) << "\n";
  return 0;
}

int cmd_trace(const Args& a) {
  auto spec = parse_run(a, "trace");
  if (!spec) return 2;
  const std::string out_path = flag(a, "out");
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!out_path.empty()) {
    file.open(out_path);
    if (!file) {
      std::cerr << "topolab-cli trace: cannot write " << out_path << "\n";
      return 2;
    }
    out = &file;
  }
  std::string err;
  auto w = build_world(spec->scenario, spec->seed, spec->params, &err, [out](World& fresh) {
    fresh.trace().set_capacity(0);
    fresh.trace().set_sink(out);
  });
  if (!w) {
    std::cerr << "topolab-cli trace: " << err << "\n";
    return 2;
  }
  w->run_until(spec->until);
  w->trace().set_sink(nullptr);
  out->flush();
  if (!out_path.empty())
    std::cerr << "wrote " << w->trace().count() << " events to " << out_path << " (hash "
              << format_hex16(w->trace().hash()) << ")\n";
  return 0;
}

namespace {

struct BenchResult {
  std::string name;
  uint64_t events = 0;
  double seconds = 0;
  double cpu_seconds = 0;   // process CPU time: shows how much a busy machine inflated `seconds`
  std::string extra_json;   // more fields for --json
  std::string extra_text;   // more columns for the table
};

// Builds a scenario with a hash-only trace and runs it until no event is left.
std::optional<BenchResult> bench_run(const std::string& name, const Params& params, std::string* err) {
  auto w = build_world(name, 1, params, err, [](World& fresh) { fresh.trace().set_capacity(0); });
  if (!w) return std::nullopt;
  const std::clock_t c0 = std::clock();
  const auto t0 = std::chrono::steady_clock::now();
  // One call runs every event: in WebAssembly a call from this file (which catches exceptions)
  // into the engine goes through a JavaScript trampoline.
  w->run_events(std::numeric_limits<uint64_t>::max());
  const auto t1 = std::chrono::steady_clock::now();
  const std::clock_t c1 = std::clock();
  BenchResult r;
  r.cpu_seconds = static_cast<double>(c1 - c0) / CLOCKS_PER_SEC;
  r.name = name;
  r.events = w->events_processed();
  r.seconds = std::chrono::duration<double>(t1 - t0).count();
  if (name == "mmc") {
    Model* m = w->models().empty() ? nullptr : w->models().front().get();
    const double customers = m ? m->value("customers_served").value_or(0) : 0;
    const double mean = m ? m->value("mean_time_in_system_s").value_or(0) : 0;
    const double lambda = m ? m->value("lambda_per_sec").value_or(0) : 0;
    const double mu = m ? m->value("mu_per_sec").value_or(1) : 1;
    const int c = m ? static_cast<int>(m->value("servers").value_or(1)) : 1;
    const double theory = mmc_theory_s(lambda, mu, c);
    r.extra_json = ",\"customers\":" + num(customers) + ",\"customers_per_sec\":" + num(customers / r.seconds) +
                   ",\"mean_time_in_system\":" + num(mean) + ",\"mean_time_in_system_theory\":" + num(theory) +
                   ",\"time_unit\":\"s\"";
    r.extra_text = "customers " + num(customers) + " (" + num(customers / r.seconds) +
                   "/s), mean time in system " + num(mean * 1e3) + " ms (Erlang C " + num(theory * 1e3) + " ms)";
  } else if (name == "gossip") {
    Model* m = w->models().empty() ? nullptr : w->models().front().get();
    const auto& net = w->net_stats();
    r.extra_json = ",\"messages\":" + std::to_string(net.sent) + ",\"dropped\":" + std::to_string(net.dropped) +
                   ",\"latest_version\":" + num(m ? m->value("latest_version").value_or(0) : 0);
    r.extra_text = "messages " + std::to_string(net.sent) + ", dropped " + std::to_string(net.dropped);
  }
  return r;
}

}  // namespace

int cmd_bench(const Args& a) {
  const bool json = has_flag(a, "json");
  const std::string only = flag(a, "only");
  Params extra;
  if (!set_flags(a, "bench", &extra)) return 2;
  // (a) M/M/8 at rho 0.9 for 10^6 customers; (b) 1,000 nodes gossiping, 10^7 events.
  const std::vector<std::pair<std::string, Params>> workloads = {
      {"mmc", {{"c", "8"}, {"rho", "0.9"}, {"customers", "1000000"}}},
      {"gossip", {{"nodes", "1000"}, {"loss", "0.01"}, {"fanout", "3"}, {"events", "10000000"}}},
  };
  bool any = false;
  if (!json)
    std::printf("%-8s %12s %9s %9s %14s %14s  %s\n", "workload", "events", "seconds", "cpu s", "events/s",
                "events/cpu s", "notes");
  for (const auto& [name, defaults] : workloads) {
    if (!only.empty() && only != name) continue;
    any = true;
    Params p = defaults;
    if (!only.empty())
      for (const auto& [k, v] : extra) p[k] = v;
    std::string err;
    auto r = bench_run(name, p, &err);
    if (!r) {
      std::cerr << "topolab-cli bench: " << err << "\n";
      return 2;
    }
    const double eps = r->seconds > 0 ? static_cast<double>(r->events) / r->seconds : 0;
    const double eps_cpu = r->cpu_seconds > 0 ? static_cast<double>(r->events) / r->cpu_seconds : 0;
    if (json) {
      std::cout << "{\"name\":\"" << r->name << "\",\"events\":" << r->events << ",\"seconds\":" << num(r->seconds)
                << ",\"events_per_sec\":" << num(eps) << ",\"cpu_seconds\":" << num(r->cpu_seconds)
                << ",\"events_per_cpu_sec\":" << num(eps_cpu)
                << r->extra_json << "}" << std::endl;
    } else {
      std::printf("%-8s %12llu %9.3f %9.3f %14.0f %14.0f  %s\n", r->name.c_str(),
                  static_cast<unsigned long long>(r->events), r->seconds, r->cpu_seconds, eps, eps_cpu,
                  r->extra_text.c_str());
      std::fflush(stdout);
    }
  }
  if (!any) {
    std::cerr << "topolab-cli bench: unknown workload \"" << only << "\" (workloads: mmc, gossip)\n";
    return 2;
  }
  return 0;
}

// ---- Flag tables (args.cpp checks every command line against these). ----------------------
const Command kScenarios = {"scenarios", cmd_scenarios, nullptr, "list the built-in scenarios",
    {{"params", "NAME", "list one scenario's parameters: type, unit, range, default and meaning"}}};
const Command kHash = {"hash", cmd_hash, nullptr, "run a scenario and print its trace hash (last line, 16 hex digits)",
    {{"scenario", "NAME", "the scenario to run (see topolab-cli scenarios)"},
     {"seed", "N", "the seed (default 1)"},
     {"until-ms", "T", "run until simulated time T, in milliseconds (required)"},
     {"set", "K=V", "a scenario parameter (repeatable)"},
     {"replay", "FILE", "instead: open a replay file (e.g. a chaos counterexample) and print its hash at its moment"}}};
const Command kTrace = {"trace", cmd_trace, nullptr, "run a scenario and print its trace as JSON lines",
    {{"scenario", "NAME", "the scenario to run (see topolab-cli scenarios)"},
     {"seed", "N", "the seed (default 1)"},
     {"until-ms", "T", "run until simulated time T, in milliseconds (required)"},
     {"set", "K=V", "a scenario parameter (repeatable)"},
     {"out", "FILE", "write the trace to FILE instead of stdout"}}};
const Command kBench = {"bench", cmd_bench, nullptr, "engine benchmarks (M/M/8 queue, 1,000-node gossip)",
    {{"json", nullptr, "one JSON object per workload"},
     {"only", "NAME", "run one workload: mmc or gossip"},
     {"set", "K=V", "a parameter of the --only workload (repeatable)"}}};

}  // namespace topo::cli
