// Scenarios: named recipes that build a World (topology, load, parameters) from a seed and a
// set of `key=value` parameters (ScenarioInfo, which the models fill in), and the Session that
// replays a run. This layer depends on core/sim only: the list of built-in scenarios, which knows
// every model, is core/catalog (catalog/catalog.h), a layer above core/models; a Session gets its
// worlds from a WorldFactory (catalog's build_world for the built-in list).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/world.h"

namespace topo {

using Params = std::map<std::string, std::string>;

struct ScenarioInfo {
  std::string name;      ///< "raft-5", "shop", "mm1", ...
  std::string summary;   ///< one line for `topolab-cli scenarios` and the UI picker
  /// Builds the world: adds nodes, links, commands and load. Returns an error message for bad
  /// parameters (unknown key, value out of range), empty on success. Must not call start().
  std::function<std::string(World&, const Params&)> build;
  /// Every parameter the scenario takes, declared once (scenario/declare.h): `scenarios --params`,
  /// the lesson checker and FORMAT.md read it; the completeness test builds each one.
  std::vector<ParamDecl> params = {};
};

/// Builds and starts the world of (scenario, seed, params), calling `before_start(world)` (if
/// any) before start(); on failure returns null and sets `error`. The built-in one is
/// catalog/catalog.h's build_world.
using WorldFactory = std::function<std::unique_ptr<World>(
    const std::string& scenario, uint64_t seed, const Params& params, std::string* error,
    const std::function<void(World&)>& before_start)>;

/// A replayable run: (scenario, params, seed, command log) -> world. Every change goes through
/// apply(), which records it; rewind(t) rebuilds the world and replays the log up to t.
class Session {
 public:
  /// Returns null and sets `error` if the scenario cannot be built. `factory` builds the world
  /// now and again on every rewind.
  static std::unique_ptr<Session> create(const std::string& scenario, uint64_t seed,
                                         const Params& params, WorldFactory factory,
                                         std::string* error);
  /// The same for a built-in scenario (factory: the catalog's build_world). Defined in
  /// core/catalog/catalog.cpp, the layer that knows the built-in list.
  static std::unique_ptr<Session> create(const std::string& scenario, uint64_t seed,
                                         const Params& params, std::string* error);
  World& world() { return *world_; }
  const World& world() const { return *world_; }
  const std::string& scenario() const { return scenario_; }
  const Params& params() const { return params_; }
  uint64_t seed() const { return seed_; }
  /// Applies a command now. After a rewind, a new command branches off the recorded timeline:
  /// the recorded future is dropped.
  CommandResult apply(const Command& c);
  /// Runs to t, re-applying the recorded future (commands kept by rewind) at their times, so
  /// scrubbing back and playing on shows the same run again.
  void run_until(Time t);
  /// Simulated time of the next recorded future command, if any.
  std::optional<Time> next_replay_at() const;
  /// Runs the next event (the Step button, the Right key). A recorded future command due at or
  /// before that event is applied first, at its recorded time, so stepping after a rewind
  /// replays the same run as playing does. False when nothing is left to run.
  bool step();
  /// The command log as share links and replay files carry it: one `TIME_US op key=value ...`
  /// per line.
  static std::string log_text(const World& w);
  /// The same text for any log (a replay file's, a share link's).
  static std::string log_text(const std::vector<LoggedCommand>& log);
  /// Parses log_text()'s format (blank lines skipped); on a bad line returns nullopt and sets
  /// `error` to "line N: what is wrong".
  static std::optional<std::vector<LoggedCommand>> parse_log(const std::string& text, std::string* error);
  /// Applies `log` (times ascending, none before now) each at its simulated time, then runs to
  /// `until` (>= the last command's time). On a refused command stops and sets `error`.
  bool replay(const std::vector<LoggedCommand>& log, Time until, std::string* error);
  /// Restores the world as it was at simulated time t <= now (rebuild + deterministic replay of
  /// the logged commands applied before or at t); the commands after t become the recorded
  /// future that run_until replays.
  void rewind(Time t);

 private:
  WorldFactory factory_;
  std::vector<LoggedCommand> future_;   ///< recorded commands after the rewound time, in order
  std::string scenario_;
  Params params_;
  uint64_t seed_ = 0;
  std::unique_ptr<World> world_;
};

}  // namespace topo
