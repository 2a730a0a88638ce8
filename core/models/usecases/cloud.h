// Use case "a cloud platform" (lesson 15): a scheduler places workloads (containers or VMs, each
// with a CPU and memory size and a number of replicas) on servers spread over zones, and keeps
// copies of a storage volume on the servers' disks. The placement policy decides what a failure
// costs and how well the machines are used:
//
//   spread  each replica goes where its workload has the fewest replicas (zone first, then
//           server), then on the least-loaded server: a zone's failure leaves every workload
//           with replicas elsewhere; storage copies go one per zone. Many servers are in use,
//           each lightly loaded.
//   pack    each replica goes on the fullest server it still fits on (best fit, servers in
//           order): few servers are in use, each nearly full; replicas of one workload and
//           the storage copies end up together (the first zone), so one zone's failure takes
//           them all.
//
// Servers send the scheduler a heartbeat (carrying their incarnation) every `heartbeat`; a
// server silent for `dead_after` is presumed dead and its replicas are placed elsewhere (capacity
// permitting; a replica that fits nowhere waits, counted in `unplaced`). A restarted server has
// lost its replicas (volatile) but keeps its storage copies (its disk). A new replica runs after
// `start`. When a server presumed dead is heard again, and when `cloud.policy` changes the
// policy, the scheduler re-places everything by the policy, make-before-break:
// a moving replica keeps running where it was until its new copy has started, a moving storage
// copy stays until its new copy has been written (`copy`).
//
// Nodes: `scheduler` (role "scheduler"), then the servers zone by zone, `z1-1`, `z1-2`, ...,
// `z2-1`, ... (role "server"). The engine's crash/restart work on any of them; while the
// scheduler is down nothing is re-placed (what runs keeps running).
// Commands: `cloud.fail_zone zone=z1` (crashes the zone's servers), `cloud.restore_zone zone=z1`
// (restarts them), `cloud.policy policy=spread|pack`.
// Values: see value_decls() in cloud.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace topo::usecases {

struct CloudWorkload {
  std::string name;
  int replicas = 1;
  int cpu = 1;     ///< cores per replica
  int mem_gb = 1;  ///< memory per replica
};

struct CloudConfig {
  bool pack = false;  ///< the placement policy: false = spread, true = pack
  int zones = 3;
  int servers_per_zone = 3;
  int server_cpu = 8;
  int server_mem_gb = 32;
  std::vector<CloudWorkload> workloads = {{"web", 3, 2, 4}, {"api", 3, 2, 4}, {"db", 2, 2, 8}};
  int storage_copies = 3;
  Time heartbeat_us = 200 * kMs;
  Time dead_after_us = 1000 * kMs;
  Time start_us = 2000 * kMs;  ///< a new replica runs this long after it is placed
  Time copy_us = 2000 * kMs;   ///< a new storage copy is written in this long
};

/// One replica of a workload and where it runs (server -1: unplaced). `old_server` is where it
/// ran before a rebalance moved it: it keeps running there until the new one has started.
struct CloudReplica {
  int workload = 0;
  NodeId server = kNoNode;
  int64_t inc = 0;  ///< the server's incarnation when the replica was started there
  Time ready_at = 0;
  NodeId old_server = kNoNode;
  int64_t old_inc = 0;
};

/// One copy of the storage volume on a server's disk (survives the server's crash).
struct CloudCopy {
  NodeId server = kNoNode;
  Time ready_at = 0;
};

class CloudModel : public Model {
 public:
  std::span<const Word> words() const override;
  explicit CloudModel(CloudConfig cfg) : cfg_(std::move(cfg)) {}
  std::string name() const override { return "cloud"; }
  void report_metrics(std::ostream& out) const override;
  std::string state_json() const override;
  std::optional<double> value(std::string_view key) const override;
  std::vector<ValueDecl> value_decls() const override;
  std::vector<std::string> value_names(std::string_view placeholder) const override;

  CloudConfig& config() { return cfg_; }
  const CloudConfig& config() const { return cfg_; }
  NodeId scheduler() const { return scheduler_; }
  const std::vector<NodeId>& servers() const { return servers_; }
  /// Index of a server node in servers(), -1 if not a server.
  int server_index(NodeId id) const;
  /// Zone number (0-based) of a server node.
  int zone_of(NodeId id) const;
  const std::vector<CloudReplica>& replicas() const { return replicas_; }
  const std::vector<CloudCopy>& copies() const { return copies_; }

  /// True when replica `r` runs now (its server up, same incarnation, started).
  bool running(const CloudReplica& r) const;
  int running_count(int workload) const;
  /// Places every unplaced replica by the policy on the servers `alive` says may take work and
  /// whose incarnation `inc` is known (>= 0); returns the replicas placed. Used by the scheduler (and at build time).
  std::vector<int> place_unplaced(const std::vector<bool>& alive, const std::vector<int64_t>& inc, Time now);
  /// Re-places every replica and storage copy by the current policy, make-before-break;
  /// returns the replicas that got a new server.
  std::vector<int> rebalance(const std::vector<bool>& alive, const std::vector<int64_t>& inc, Time now);
  /// Takes replicas off servers the scheduler believes dead or restarted; returns how many.
  int evict_lost(const std::vector<bool>& alive, const std::vector<int64_t>& inc, Time now);

  /// The scheduler's periodic look (every 100 ms while it is up): records when each service
  /// and the storage stop and start being available (outage_s.*, service_outages, ...).
  void observe(Time now);

  int64_t rescheduled = 0;  ///< replicas placed again after their server failed

 private:
  friend std::string build_cloud(World& w, const CloudConfig& cfg);
  /// The server a new replica of `workload` goes to by the policy, given each server's used
  /// CPU/memory and the workload's replicas per server; -1 if none fits.
  int choose(int workload, const std::vector<bool>& alive, const std::vector<int>& cpu, const std::vector<int>& mem,
             const std::vector<int>& mine) const;
  std::vector<int> copy_servers(const std::vector<bool>& alive) const;
  bool up(NodeId s) const;

  CloudConfig cfg_;
  World* world_ = nullptr;
  NodeId scheduler_ = kNoNode;
  std::vector<NodeId> servers_;
  std::vector<CloudReplica> replicas_;
  std::vector<CloudCopy> copies_;
  std::vector<CloudCopy> old_copies_;  ///< copies being replaced by a rebalance
  // Outages as observe() saw them: per workload, then the storage as the last entry.
  std::vector<Time> down_since_;   ///< -1 while available
  std::vector<Time> last_outage_;  ///< length of the last finished outage (0 = none)
  int64_t service_outages_ = 0, storage_outages_ = 0;
};

/// Builds the cloud world into `w` (not started): nodes, the model, the initial placement and
/// the cloud.* Commands.
std::string build_cloud(World& w, const CloudConfig& cfg);

}  // namespace topo::usecases
