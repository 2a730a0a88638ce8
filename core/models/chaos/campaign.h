// Fault campaigns ("chaos"), for every model with a checker. One campaign run is a pure function
// of (scenario, params, seed, options): it builds the world, injects faults made only of
// Commands (exactly what a learner's clicks do) during a faulty period, heals everything, runs a
// quiet period and asks the model's Target for a verdict (its checkers, linearizability,
// progress after the heal).
//
// Swarm testing (as FoundationDB's simulator and TigerBeetle's VOPR do): each seed draws its own
// mix of fault kinds, fault rate, targets and timing from a stream of its own, so that across a
// campaign some seeds hammer the leader right after it appends, some only partition, some are
// mostly quiet. The draw is printed with the seed (`--verbose`), so a failing seed explains
// itself.
//
// A failing run's schedule (the list of applied Commands with their times) replays exactly:
// run_schedule() applies a given list instead of drawing one. shrink() reduces it by delta
// debugging (ddmin over the faults, then moving each fault earlier) to a minimal schedule that
// still violates the same property.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scenario/replay_file.h"
#include "sim/world.h"

namespace topo::chaos {

/// A Command applied at a simulated time: one step of a fault schedule.
struct Fault {
  Time at_us = 0;
  std::string command;  ///< Command text ("crash node=n1")
  bool operator==(const Fault& o) const { return at_us == o.at_us && command == o.command; }
};

/// The kinds of fault a campaign may inject (a swarm draws a subset per seed).
enum class Kind : uint8_t {
  Crash,           ///< crash a server; a later fault restarts it
  Reboot,          ///< restart an up server at once (volatile state lost)
  Partition,       ///< split everyone into 2 or 3 random groups
  IsolateLeader,   ///< cut the leader off with a minority of the servers
  CrashLeader,     ///< crash the leader
  LinkFaults,      ///< loss / duplication / reordering on a link, a node or everywhere
  Slow,            ///< a gray failure: one server's CPU 5-50x slower
  Bridge,          ///< Jepsen's bridge: two sides that cannot talk, one server in the middle sees both
  Membership,      ///< add or remove a server (Raft; only with chaos.membership=true)
};
constexpr int kKinds = 9;
const char* kind_name(Kind k);

struct Options {
  std::string scenario = "raft-5";
  std::map<std::string, std::string> params;  ///< scenario parameters (e.g. raft.persist_vote=false)
  Time faulty_us = 4 * kSec;        ///< length of the fault period
  Time quiet_us = 3 * kSec;         ///< length of the healed period that follows
  Time fault_every_us = 250 * kMs;  ///< mean gap between faults (a swarm scales it per seed)
  bool swarm = true;                ///< per seed: a random subset of kinds, rate, targeting
  bool crashes = true;              ///< crash / restart / reboot servers (and the leader)
  bool partitions = true;           ///< partitions and leader isolation
  bool link_faults = true;          ///< set_link loss / duplicate / reorder
  bool slow = true;                 ///< slow a server (services only: where `slow` exists)
  double loss_max = 0.3;            ///< link faults draw loss uniformly in [0, loss_max]
  double duplicate_max = 0.2;
  double reorder_max = 0.3;
  Time restart_delay_max_us = 300 * kMs;  ///< a restart takes uniformly [0, max]
  bool check_linearizability = true;
  bool membership = false;          ///< swarm only: add/remove servers at runtime (Raft)

  /// Sets an option from `chaos.KEY=VALUE` text. Returns an error message or "".
  std::string set(const std::string& key, const std::string& value);
  /// One line naming every option, for the head of a campaign's output.
  std::string describe() const;
  /// The option keys set() knows, for help text.
  static const char* keys();
};

/// What one seed's swarm draw chose (printed with the seed).
struct SwarmDraw {
  std::vector<Kind> kinds;          ///< the fault kinds this seed uses
  Time fault_every_us = 0;          ///< its mean gap between faults
  double aim = 0;                   ///< share of aimed faults held for a "hot" moment
  std::map<std::string, std::string> knobs;  ///< scenario parameters this seed changed (buggify)
  std::string describe() const;
};

struct Result {
  uint64_t seed = 0;
  bool violation = false;             ///< a checker, invariant or linearizability violation
  bool stalled = false;               ///< no progress after the heal
  std::string property;               ///< the first violated property ("Leader Completeness")
  std::vector<std::string> problems;  ///< readable sentences (violations, stall)
  std::vector<Fault> schedule;        ///< the injected faults (the heal at the end not included)
  SwarmDraw draw;
  Time healed_at_us = 0;
  uint64_t ops = 0;                   ///< client operations in the history
  uint64_t events = 0;                ///< simulation events processed
  bool ok() const { return !violation && !stalled; }
};

/// A model's side of a campaign: which nodes to hurt, where the leader is, what to check.
class Target {
 public:
  virtual ~Target() = default;
  /// Nodes that faults may crash (servers, replicas).
  virtual std::vector<NodeId> servers() const = 0;
  /// Every node that partitions place (servers and clients).
  virtual std::vector<NodeId> everyone() const = 0;
  /// The current leader / primary / coordinator, if the model has one.
  virtual std::optional<NodeId> leader() const { return std::nullopt; }
  /// True at a moment worth hitting with a fault of kind `k`, read from the model's state (never
  /// from its rule parameters): e.g. for Raft, crash-leader when the leader holds entries not yet
  /// committed, isolate-leader while no entry of the leader's own term is on a majority (Figure
  /// 8), a reboot when aim() names a voter whose vote matters.
  virtual bool hot(Kind k) const { (void)k; return false; }
  /// The node a fault of kind `k` should hit now, if the model has a preference (a Raft reboot: a
  /// server that voted in its term while another up server is still in an earlier term).
  virtual std::optional<NodeId> aim(Kind k) const { (void)k; return std::nullopt; }
  /// A membership change to try now ("raft.add_server name=n6"; the model may refuse it), or ""
  /// when the model has none.
  virtual std::string membership_fault(Rng& rng) { (void)rng; return ""; }
  /// Commands the campaign may use beyond the engine's (e.g. "slow" for services).
  virtual bool supports(Kind k) const { (void)k; return true; }
  /// True once the model has seen a violation of what verdict() checks (cheap: no
  /// linearizability search), to find the moment a counterexample opens at.
  virtual bool violated_now() const { return false; }
  /// The shortest quiet period in which the model can show progress after a heal (e.g. longer
  /// than its clients' timeouts); the campaign's quiet period is at least this.
  virtual Time min_quiet_us() const { return 0; }
  /// Called once everything is healed, before the quiet period.
  virtual void on_healed() {}
  /// The verdict after the quiet period: fills violation/stalled/property/problems/ops.
  virtual void verdict(const Options& opt, Time healed_at, Result* r) const = 0;
  /// What verdict() checks, one line.
  virtual std::string checks(const Options& opt) const = 0;
};

/// The switchable rules of a scenario (parameters that turn a protocol rule or a guard off), with
/// what each protects, for `chaos --help` and the campaign header.
struct Rule {
  std::string param;     ///< "raft.persist_vote"
  std::string bad;       ///< the value that switches the protection off ("false")
  std::string protects;  ///< one line
};
std::vector<Rule> rules_of(const std::string& scenario);

/// Environments a swarm may draw per seed (FoundationDB's "buggify" for the surroundings: load,
/// batch size, network latency), each a set of scenario parameters kept within what the system
/// is built for (a run must still be able to make progress). A parameter the campaign sets
/// itself (--set) is never changed.
struct Knob {
  std::string name;                           ///< "busy"
  std::map<std::string, std::string> params;  ///< rate=40
};
std::vector<Knob> knobs_of(const std::string& scenario);

/// Makes the target for a built world; null (and `error`) when its models have no checker.
std::unique_ptr<Target> make_target(World& w, std::string* error);

/// Runs one campaign, drawing the faults online. `error` is set (and the result meaningless) when
/// the scenario cannot be built or has no checker.
Result run(uint64_t seed, const Options& opt, std::string* error);

/// Runs one campaign with a given fault schedule instead of a drawn one (faults whose Command is
/// refused at that moment, e.g. restarting a node that is up, are skipped). With the schedule a
/// run() produced, the result is the same run.
Result run_schedule(uint64_t seed, const Options& opt, const std::vector<Fault>& schedule, std::string* error);

/// Reduces a failing result's schedule to a minimal one (no single fault can be removed) that
/// still violates the same property. `runs` (optional) receives the number of runs it took.
std::vector<Fault> shrink(uint64_t seed, const Options& opt, const Result& failing, int* runs = nullptr);

/// A whole campaign: seeds first..first+count-1, or the share of them whose index i (from 0)
/// has i % shard_count == shard_index (shards split one campaign across machines with the same
/// seed numbering). Failing seeds are shrunk (unless `shrink` is false). Runs on `jobs` threads
/// (1 in WebAssembly); the results, in seed order, are the same for any number of jobs.
/// `error` is set on the first seed whose world cannot be built.
struct Campaign {
  uint64_t first = 1;
  uint64_t count = 1;
  uint64_t shard_index = 0, shard_count = 1;
  int jobs = 1;
  bool shrink = true;
  bool keep_schedules = false;  ///< keep passing seeds' schedules too (--verbose)
};
struct SeedOutcome {
  Result result;
  std::vector<Fault> shrunk;  ///< the shrunk schedule of a failing seed
  int shrink_runs = 0;
};
std::vector<SeedOutcome> run_campaign(const Campaign& c, const Options& opt, std::string* error);
/// The machine's cores (1 in WebAssembly).
int default_jobs();

/// The counterexample of a failing seed as a replay file (replay_file.h): the scenario, its
/// parameters with the seed's environment, the seed and the whole command log of the run with
/// `schedule` (the heal included), at the first moment (to 10 ms) the model saw the violation,
/// or at the end of the run. `error` is set if the run cannot be built.
/// `result` (optional) receives that run's result.
ReplayFile counterexample(uint64_t seed, const Options& opt, const std::vector<Fault>& schedule, std::string* error,
                          Result* result = nullptr);

/// A schedule as text, one "TIME_US command" per line (the lab's command-log format), and back.
std::string schedule_text(const std::vector<Fault>& s);
std::optional<std::vector<Fault>> parse_schedule(const std::string& text, std::string* error);

}  // namespace topo::chaos
