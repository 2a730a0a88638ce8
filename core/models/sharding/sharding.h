// Sharding over a consistent-hash ring (ring.h): K keys live on shard nodes s1..sN; a client
// routes each request straight to the owner of its key. `shard.add_node name=X` starts a new
// node process in the world and adds it to the ring; `shard.remove_node name=X` takes a member
// off the ring and stops it. Either way every key whose owner changed is moved (a "transfer"
// message per old-owner -> new-owner pair, sized by the keys it carries) and the number moved is
// measured: about K / (N + 1) when a node joins N. The load can have a hot key, a share of all
// requests going to the one key "key0", which no amount of nodes spreads.
//
// Model values (value(key), also in state_json and report_metrics):
//   nodes              ring members now
//   keys               K
//   keys_moved_last    keys whose owner changed in the latest add/remove
//   keys_moved_total   over the run
//   keys_per_node_max, keys_per_node_min   keys owned by the fullest / emptiest member
//   requests           requests served
//   hot_key_share      share of requests that asked for the most requested key (measured)
//   load_share_max     share of requests served by the busiest member (measured)
//   keys_moved_modulo_last  keys that the same add/remove would have moved with the naive
//                      placement hash(key) mod N instead of the ring (computed for comparison)
//   hot_key_owner      NodeId of the member that owns the hot key "key0" ({{node:hot_key_owner}})
//   queue_max          requests waiting or in service on the fullest member (service_ms > 0)
//   hot_key, rate      the load settings now
//   busiest_share      share of the requests sent in the last 5 s that went to the busiest member
//   capacity_rps       the request rate the store could take with that spread before its busiest
//                      member is full: (1000 / service_ms) / busiest_share (0 when service_ms is 0)
// With service_ms > 0 each request costs that much CPU on its node (one core), so a node can
// serve at most 1000 / service_ms requests per second and a hot key's owner overloads: its
// queue grows while the others idle. `shard.load [hot_key=F] [rate=R]` changes the load live.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/sharding/ring.h"
#include "scenario/scenario.h"

namespace topo::sharding {

struct ShardConfig {
  int nodes = 4;
  int keys = 1000;
  int vnodes = 64;            ///< ring points per node
  double hot_key = 0.0;       ///< share of requests for "key0" (0 = uniform over the keys)
  double rate_per_sec = 200;  ///< client requests per second
  Time service_us = 0;        ///< CPU cost of one request on its node (0 = answered at once)
};

class ShardModel : public Model {
 public:
  std::span<const Word> words() const override;
  explicit ShardModel(ShardConfig cfg) : cfg_(std::move(cfg)) {}
  std::string name() const override { return "sharding"; }
  void report_metrics(std::ostream& out) const override;
  std::string state_json() const override;
  std::optional<double> value(std::string_view key) const override;
  std::vector<ValueDecl> value_decls() const override;

  const ShardConfig& config() const { return cfg_; }
  ShardConfig& config() { return cfg_; }
  const HashRing& ring() const { return ring_; }
  /// Key name of key number i ("key17").
  static std::string key_name(int i) { return "key" + std::to_string(i); }
  /// Owner node of key number i (by the ring).
  NodeId owner_of(int i) const { return owner_[static_cast<size_t>(i)]; }
  /// Keys owned by each ring member, by node name.
  std::map<std::string, int64_t> keys_per_node() const;
  int64_t keys_moved_last() const { return moved_last_; }
  int64_t keys_moved_total() const { return moved_total_; }
  /// Adds a member (a new node process, or a stopped former member restarted) and moves keys.
  CommandResult add_node(World& w, const std::string& name);
  /// Takes a member off the ring, moves its keys to the others, stops its node.
  CommandResult remove_node(World& w, const std::string& name);
  void note_served(NodeId node, int key);
  /// The client sent a request to `node` at `at` (the demand per member, for capacity_rps).
  void note_sent(NodeId node, Time at);
  /// Requests served per node since the start (the canvas turns them into a rate).
  const std::map<NodeId, int64_t>& served() const { return served_; }

 private:
  friend std::string build_sharding(World& w, const ShardConfig& cfg);
  void reassign(World& w, std::optional<NodeId> leaving);
  ShardConfig cfg_;
  HashRing ring_;
  World* world_ = nullptr;
  std::vector<NodeId> owner_;            ///< per key
  std::map<NodeId, int64_t> served_;     ///< requests served per node
  std::vector<int64_t> key_requests_;    ///< requests per key
  std::deque<std::pair<Time, NodeId>> sent_;  ///< requests sent in the last 2 s (time, member)
  std::map<NodeId, int64_t> sent_count_;      ///< per member, over sent_
  int64_t requests_ = 0;
  int64_t moved_last_ = 0, moved_total_ = 0;
  int64_t moved_modulo_last_ = 0;
  size_t members_before_ = 0;  ///< ring size before the latest add/remove
  NodeId client_ = kNoNode;
};

/// Builds shard nodes, the client, the model and the shard.* Commands into `w` (not started).
std::string build_sharding(World& w, const ShardConfig& cfg);

}  // namespace topo::sharding
