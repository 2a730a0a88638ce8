// Use-case model for lesson 13 (multiplayer game): players send their inputs to one authoritative
// game server at a tick rate; the server simulates the match and broadcasts state snapshots; each
// player shows the other avatars where its last snapshot put them (optionally extrapolated:
// client-side prediction), so what a player sees diverges from the server's truth by about the
// one-way latency times the speed. Crashing the server freezes the match for everybody (one
// authoritative server is a single point of failure) unless a standby, fed a snapshot every few
// ticks, takes over from the last one it got, losing the ticks since. Scenario "game".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/world.h"

namespace topo::usecases {

/// Parameters of the game world (scenario parameters and the game.* commands change them).
struct GameConfig {
  int players = 4;
  Time tick_us = 50 * kMs;          ///< server simulation step and player input period
  bool prediction = false;          ///< players extrapolate avatars from their last snapshot
  bool standby = false;             ///< the standby server receives snapshots and can take over
  int replicate_every = 2;          ///< ticks between snapshots shipped to the standby
  Time failover_us = 300 * kMs;     ///< the standby takes over after this long without snapshots
  double speed = 10.0;              ///< avatar speed, world units per second
  double world_size = 100.0;        ///< the arena is [0, world_size] squared, in world units
};

/// One avatar as the server simulates it: position (world units) and velocity (units/s).
struct Avatar {
  double x = 0, y = 0, vx = 0, vy = 0;
};

/// The game's world-wide state and measurements. Value keys (see value()).
class GameModel : public Model {
 public:
  std::span<const Word> words() const override;
  GameModel(const World* w, GameConfig cfg) : world_(w), cfg_(cfg) {}
  std::string name() const override { return "game"; }
  /// Keys: tick (the authoritative tick), players (count), players_connected (players that got a
  /// snapshot in the last second), divergence (mean distance, world units, between where players
  /// show the other avatars and where the server has them, over the last second), max_divergence
  /// (largest such distance in the last second), divergence.P (one player's view), input_delay_ms
  /// (longest time between pressing a key and seeing one's own avatar move; 0 with prediction),
  /// snapshot_age_ms (oldest snapshot a connected player shows, counted from when the server made
  /// it), snapshot_age_ms.P, frozen (1 when no server has advanced the match for 500 ms),
  /// failover_count, lost_ticks (ticks simulated and then lost to a crash, total), lost_ticks_last
  /// (lost at the last takeover), replica_tick (tick of the standby's latest copy, -1 if none), server (node number of
  /// the serving game server, -1 if none), standby (1 if on), prediction (1 if on), tick_ms,
  /// replicate_every, failover_ms.
  std::optional<double> value(std::string_view key) const override;
  std::vector<ValueDecl> value_decls() const override;
  std::string state_json() const override;
  void report_metrics(std::ostream& out) const override;

  GameConfig& config() { return cfg_; }
  const GameConfig& config() const { return cfg_; }

  // ---- used by the game's processes and its sampler ----
  std::vector<NodeId> players;
  NodeId server = kNoNode;          ///< node "server"
  NodeId standby_node = kNoNode;    ///< node "standby"
  NodeId active = kNoNode;          ///< the server that serves now (highest epoch), kNoNode if none
  int64_t epoch_max = 0;
  int64_t tick = 0;                 ///< tick of the active server
  int64_t max_tick = 0;             ///< highest tick reached since the last takeover
  int64_t lost_ticks = 0;
  int64_t lost_ticks_last = 0;     ///< ticks lost at the last takeover
  int64_t replica_tick = -1;       ///< tick of the standby's latest copy, -1 if it has none
  int64_t failover_count = 0;
  Time last_tick_at = 0;
  std::vector<Avatar> truth;        ///< the active server's avatars after its last tick
  /// A server starts serving at tick `from` in a new epoch: counts the ticks lost since max_tick.
  void takeover(NodeId node, int64_t epoch, int64_t from, bool failover);
  /// The active server finished a tick.
  void ticked(NodeId node, int64_t epoch, int64_t t, const std::vector<Avatar>& av, Time now);
  /// Samples every player's view against the truth (called every 50 ms).
  void sample(const World& w);

 private:
  struct Sample {
    Time at = 0;
    std::vector<double> mean_err;   ///< per player: mean distance to the truth of the others, -1 if down
    std::vector<double> max_err;
  };
  std::optional<double> window_divergence(int player, bool max) const;
  std::optional<double> age_ms(int player) const;
  const World* world_;
  GameConfig cfg_;
  std::vector<Sample> samples_;     ///< the last second
};

}  // namespace topo::usecases
