// Primary-backup replication with asynchronous log shipping: the contrast that shows why
// consensus matters. The primary applies a write, acknowledges it to the client at once, and
// ships its log to the backups every `replication_interval` (so backups lag). When the backups
// stop hearing from the primary for `failover_timeout` (scaled by their place in the succession
// order p2, p3, ...), the next one promotes itself in a new view and transfers its state to the
// others: every write the old primary acknowledged but had not shipped is lost, and clients
// read old values. A partitioned (not crashed) primary keeps accepting writes in its old view
// (split brain) until it hears of the newer view and steps down, losing those writes too.
//
// Nodes: servers p1..pN (role "primary"/"backup"), clients c1..cM (role "client").
// Message kinds: "request", "response" (client traffic), "append" (log batch or snapshot, also
// the heartbeat), "append_ack".
//
// Model values (value(key), also in state_json and report_metrics):
//   acked_writes  writes acknowledged to clients
//   lost_writes   acknowledged writes missing from the current primary (measured: each
//                 acknowledged write's id against the primary's set of applied writes)
//   stale_reads   reads that returned a version older than a write acknowledged before the read
//                 began
//   ops, ops_ok, ops_failed, ops_unknown, reads_ok
//   primary       1-based index of the current primary (highest view, up), 0 if none
//   view          the current primary's view number
//   failovers     promotions so far (automatic or pb.failover)
//   violations    keys whose client history is not linearizable (the checker, run on demand)
//   p50_ms, p99_ms  latency of successful client operations
//   unreplicated  writes the primary holds that no backup has yet (lost if it crashed now)
//   recent_stale_reads  stale reads in the last 2 s of simulated time
//   read_ms, write_ms   median latency (whole ms) of reads / writes that completed in the last 2 s
// Commands: `pb.failover [node=NAME]` promotes a backup now (default: the primary's successor);
// `pb.set [replication_ms=N] [failover_ms=N]` changes the timing live. Crash, restart and
// partition are the engine's own Commands.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "models/replication/common.h"
#include "scenario/scenario.h"

namespace topo::replication {

struct PbConfig {
  int servers = 3;
  LoadConfig load;
  Time replication_interval_us = 100 * kMs;  ///< the primary ships its log this often
  Time failover_timeout_us = 300 * kMs;      ///< backups promote after this long without the primary
  int max_redirects = 3;                     ///< a client follows at most this many redirects
  int max_batch = 64;                        ///< log entries per append message
  /// Synchronous replication: the primary acknowledges a write only once every other server has
  /// confirmed it (a failover then loses no acknowledged write, and a down backup blocks writes).
  bool sync = false;
};

/// A server's disk: survives crashes.
struct PbDisk : Persistent {
  int64_t view = 1;
  NodeId primary = kNoNode;            ///< the primary of `view` as this server knows it
  int64_t seq = 0;                     ///< last applied log position
  std::map<std::string, Cell> store;
  std::set<uint64_t> applied;          ///< history ids of the writes this store contains
};

class PbServer;

class PbModel : public Model {
 public:
  explicit PbModel(PbConfig cfg) : cfg_(std::move(cfg)) {}
  std::string name() const override { return "primary-backup"; }
  void report_metrics(std::ostream& out) const override;
  bool write_history(std::ostream& out) const override;
  std::vector<std::string> violations() const override { return recorder_.violations(); }
  std::string state_json() const override;
  std::optional<double> value(std::string_view key) const override;
  std::vector<ValueDecl> value_decls() const override;

  KvRecorder& recorder() { return recorder_; }
  const KvRecorder& recorder() const { return recorder_; }
  PbConfig& config() { return cfg_; }
  const PbConfig& config() const { return cfg_; }
  const std::vector<NodeId>& servers() const { return servers_; }
  const std::vector<NodeId>& clients() const { return clients_; }
  /// The up server that acts as primary in the highest view, if any.
  std::optional<NodeId> primary() const;
  /// Acknowledged writes missing from the current primary's store (0 when there is none).
  int64_t lost_writes() const;
  /// Log entries the primary has applied (and acknowledged) that no up backup of its view holds
  /// yet: what a crash of the primary right now would lose.
  int64_t unreplicated() const;
  int64_t failovers() const { return failovers_; }
  /// What the canvas shows of each server (read-only): up, acting primary, its view and the
  /// last log position it applied (a backup's lag = the primary's seq - its own).
  struct ServerView {
    NodeId id = kNoNode;
    bool up = false, primary = false;
    int64_t view = 0, seq = 0;
  };
  std::vector<ServerView> server_views() const;
  void note_failover() { ++failovers_; }

 private:
  friend std::string build_primary_backup(World& w, const PbConfig& cfg);
  const PbServer* server(NodeId id) const;
  PbConfig cfg_;
  KvRecorder recorder_;
  World* world_ = nullptr;
  std::vector<NodeId> servers_, clients_;
  int64_t failovers_ = 0;
};

/// Builds servers, clients, the model and the pb.* Commands into `w` (not started). Returns an
/// error message or "".
std::string build_primary_backup(World& w, const PbConfig& cfg);

}  // namespace topo::replication
