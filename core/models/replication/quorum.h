// A leaderless quorum store in the style of Dynamo / Cassandra: N replicas, every client is its
// own coordinator. A write gets a version (the client's send time in microseconds, then the
// client number: last-write-wins), goes to all N replicas and succeeds after W acks. A read
// asks R replicas picked at random (the rest too if those have not all answered after a quarter
// of the op timeout: a speculative retry) and answers with the newest of the first R replies. When R + W > N every read
// quorum overlaps every write quorum, so a read sees the newest acknowledged write; when
// R + W <= N it may not (a stale read), most visibly after a replica missed writes behind a
// partition, or while replication is delayed by a slow link. Read repair is optional: "async"
// sends the newest value to the replies that were older; "sync" also waits until W replicas
// hold it before answering (the ABD write-back, which makes reads linearizable when
// R + W > N).
//
// Leader mode (`quorum.set mode=leader`, for comparison): clients send every operation to r1,
// which orders it: a write is answered once a majority holds it, a read once a majority has
// confirmed r1 still leads (like Raft's ReadIndex). Reads are then linearizable, at the price
// of two network round trips (client -> leader -> majority) instead of one. r1 is a fixed
// leader here (no election: lessons 3 and 4 show Raft's).
//
// Nodes: replicas r1..rN (role "replica"), clients c1..cM (role "client"). Message kinds:
// "write", "write_ack", "read", "read_reply", "repair".
//
// Model values (value(key), also in state_json and report_metrics):
//   n, r, w          the quorum sizes now
//   acked_writes     writes that reached W replicas
//   stale_reads      reads that returned a version older than a write acknowledged before the
//                    read began (measured against the versions the store gave)
//   ops, ops_ok, ops_failed, ops_unknown, reads_ok
//   read_repairs     repair messages sent
//   divergent_keys   keys whose up replicas do not all hold the same version now
//   violations       keys whose client history is not linearizable (checker, on demand)
//   p50_ms, p99_ms   latency of successful client operations
//   leader_mode      1 in leader mode, 0 leaderless
//   overlap          1 when R + W > N (every read quorum meets every write quorum), else 0
//   recent_stale_reads  stale reads in the last 2 s of simulated time
//   read_ms, write_ms   median latency (whole ms) of reads / writes that completed in the last 2 s
// Commands: `quorum.set [r=N] [w=N] [read_repair=off|async|sync] [mode=leaderless|leader]`. Crash, restart, partition
// and set_link are the engine's own Commands.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/replication/common.h"

namespace topo::replication {

enum class ReadRepair : uint8_t { Off, Async, Sync };
const char* to_string(ReadRepair r);
bool parse_read_repair(std::string_view s, ReadRepair* out);

struct QuorumConfig {
  int n = 3;        ///< replicas
  int r = 2;        ///< read quorum
  int w = 2;        ///< write quorum
  ReadRepair read_repair = ReadRepair::Off;
  bool leader_mode = false;  ///< every operation goes through r1, answered once a majority has it
  LoadConfig load;
};

/// A replica's disk: survives crashes.
struct QuorumDisk : Persistent {
  std::map<std::string, Cell> store;
};

class QuorumModel : public Model {
 public:
  explicit QuorumModel(QuorumConfig cfg) : cfg_(std::move(cfg)) {}
  std::string name() const override { return "quorum"; }
  void report_metrics(std::ostream& out) const override;
  bool write_history(std::ostream& out) const override;
  std::vector<std::string> violations() const override { return recorder_.violations(); }
  std::string state_json() const override;
  std::optional<double> value(std::string_view key) const override;
  std::vector<ValueDecl> value_decls() const override;

  KvRecorder& recorder() { return recorder_; }
  const KvRecorder& recorder() const { return recorder_; }
  QuorumConfig& config() { return cfg_; }
  const QuorumConfig& config() const { return cfg_; }
  const std::vector<NodeId>& replicas() const { return replicas_; }
  int64_t read_repairs() const { return read_repairs_; }
  void note_repair() { ++read_repairs_; }
  /// Keys whose up replicas disagree on the version right now.
  int64_t divergent_keys() const;
  /// Keys replica `id` holds in an older version than another up replica does (0 when it is
  /// down or not a replica): what a read that asks only it would get stale.
  int64_t stale_keys(NodeId id) const;

 private:
  friend std::string build_quorum(World& w, const QuorumConfig& cfg);
  const QuorumDisk* disk(NodeId id) const;
  QuorumConfig cfg_;
  KvRecorder recorder_;
  World* world_ = nullptr;
  std::vector<NodeId> replicas_, clients_;
  std::vector<QuorumDisk*> disks_;
  int64_t read_repairs_ = 0;
};

/// Builds replicas, clients, the model and the quorum.set Command into `w` (not started).
/// Returns an error message or "".
std::string build_quorum(World& w, const QuorumConfig& cfg);

}  // namespace topo::replication
