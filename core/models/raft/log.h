// The replicated log of the Raft key-value store: the state-machine commands (put/get/noop), log
// entries and the per-server disk (currentTerm, votedFor, log) that survives crashes. Shared by
// the Raft node code and the invariant checkers, which read logs but never change them.
//
// Membership (Ongaro's dissertation, §4.1): a configuration entry (OpKind::Config) lists the
// voting servers. A server uses the latest configuration in its log, committed or not; with
// none in its log it uses the cluster's initial servers.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/world.h"

namespace topo::raft {

// ---------------------------------------------------------------------------------------------
// Commands & log
// ---------------------------------------------------------------------------------------------

enum class OpKind : uint8_t { Noop = 0, Put = 1, Get = 2, Config = 3 };

/// A state-machine command carried in a log entry. `client`/`op_id` identify the client operation
/// (op_id is unique per client) so a retried request is applied only once.
struct KvCommand {
  OpKind kind = OpKind::Noop;
  std::string key;
  std::string value;           ///< the value written (Put); the members' names (Config)
  NodeId client = kNoNode;
  uint64_t op_id = 0;
  std::vector<NodeId> members; ///< Config only: the voting servers of the new configuration
  std::string describe() const;    ///< "put k1=c1.7", "get k1", "noop", "config n1,n2,n3,n4"
  void hash_into(Hasher& h) const;
  bool operator==(const KvCommand& o) const {
    return kind == o.kind && key == o.key && value == o.value && client == o.client && op_id == o.op_id &&
           members == o.members;
  }
};

struct LogEntry {
  int64_t term = 0;
  KvCommand cmd;
};

/// What a Raft server keeps on disk (survives crashes): Figure 2's persistent state.
struct RaftDisk : Persistent {
  int64_t current_term = 0;
  NodeId voted_for = kNoNode;
  std::vector<LogEntry> log;   ///< log[0] is index 1 (Raft indexes from 1)
  int64_t last_index() const { return static_cast<int64_t>(log.size()); }
  /// Term of the entry at `index` (0 for index 0 or past the end).
  int64_t term_at(int64_t index) const {
    return (index >= 1 && index <= last_index()) ? log[static_cast<size_t>(index - 1)].term : 0;
  }
  int64_t last_term() const { return term_at(last_index()); }
  /// Index of the last configuration entry at or before `upto`, 0 if none.
  int64_t config_index_before(int64_t upto) const {
    for (int64_t i = std::min(upto, last_index()); i >= 1; --i)
      if (log[static_cast<size_t>(i - 1)].cmd.kind == OpKind::Config) return i;
    return 0;
  }
};

}  // namespace topo::raft
