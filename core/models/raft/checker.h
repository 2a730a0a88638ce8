// Raft's safety properties (paper, Figure 3) checked continuously while a cluster runs, kept
// apart from the node code: the RaftCluster model calls these hooks whenever a node changes role,
// changes its log, advances its commit index or applies an entry. Each violation is a readable
// sentence naming the nodes, terms and indexes involved.
//
//   Election Safety ....... at most one leader is elected in a given term.
//   Log Matching .......... if two logs hold an entry with the same index and term, the logs are
//                           identical in all entries up to that index. Checked with a hash chain
//                           per log: every (index, term) ever seen must carry the same chain.
//   Leader Completeness ... an entry committed by a leader is in the log of every later leader
//                           (checked when a node becomes leader, and when a leader commits).
//   State Machine Safety .. no two servers apply different entries at the same index.
//   Membership ............ (Ongaro's dissertation §4.1) each configuration entry adds or removes
//                           one server, and a log never holds a configuration change appended
//                           while the previous one was uncommitted (at most one in flight).
//                           Once membership has changed: every leader is a voter of its own
//                           configuration when elected, and every index a leader commits is
//                           held by a majority of the configuration it uses (Commit Quorum).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "models/raft/log.h"

namespace topo::raft {

class RaftChecker {
 public:
  /// `names[id]` is the display name of node id (ids not listed print as "node <id>").
  void set_names(std::map<NodeId, std::string> names) { names_ = std::move(names); }
  void set_name(NodeId id, std::string name) { names_[id] = std::move(name); }
  /// The configuration every log starts with (before any configuration entry).
  void set_initial_members(std::vector<NodeId> m) { initial_members_ = std::move(m); }

  /// A server of a configuration and its disk (for the quorum checks).
  using ConfigDisks = std::vector<std::pair<NodeId, const RaftDisk*>>;
  /// Once membership changes: `n`, just elected leader of `term`, uses configuration `members`.
  void leader_config(NodeId n, int64_t term, const std::vector<NodeId>& members);
  /// Once membership changes: a leader of `term` committed `commit_index` using the configuration
  /// `config` (each server with its disk). Checks a majority of it holds that entry.
  void commit_quorum(NodeId n, int64_t term, int64_t commit_index, const RaftDisk& disk, const ConfigDisks& config);

  /// A node became leader of `term`. Checks Election Safety and Leader Completeness.
  void became_leader(NodeId n, int64_t term, const RaftDisk& disk);
  /// A node's log changed at `from_index` and after (append or truncation). Checks Log Matching.
  void log_changed(NodeId n, const RaftDisk& disk, int64_t from_index);
  /// A leader of `term` advanced its commit index to `commit_index`. Records the committed
  /// prefix; checks it agrees with what was committed before (Leader Completeness).
  void leader_committed(NodeId n, int64_t term, int64_t commit_index, const RaftDisk& disk);
  /// A node applied `e` at `index` to its state machine. Checks State Machine Safety.
  void applied(NodeId n, int64_t index, const LogEntry& e);

  /// The violations found so far (the first 100; total() counts all).
  const std::vector<std::string>& violations() const { return violations_; }
  uint64_t total() const { return total_; }
  /// Highest index known committed (by any leader).
  int64_t committed_index() const { return static_cast<int64_t>(committed_.size()); }
  /// Committed client writes (distinct Put entries in the committed prefix).
  int64_t committed_writes() const { return committed_writes_; }

 private:
  struct Seen {              ///< first holder of an (index, term) pair
    uint64_t chain = 0;
    NodeId node = kNoNode;
    std::string what;
  };
  struct Committed {
    int64_t term = 0;
    uint64_t chain = 0;
    NodeId by = kNoNode;
    int64_t in_term = 0;     ///< the term of the leader that committed it
    std::string what;
  };
  struct Applied {
    int64_t term = 0;
    uint64_t entry_hash = 0;
    NodeId node = kNoNode;
    std::string what;
  };
  std::string name(NodeId n) const;
  std::string names(const std::vector<NodeId>& ids) const;
  void check_config_entry(NodeId n, const RaftDisk& disk, int64_t index);
  void report(std::string sentence);
  /// Brings the hash chain of node n up to date with its log; returns it.
  const std::vector<uint64_t>& chain_of(NodeId n, const RaftDisk& disk);

  std::map<NodeId, std::string> names_;
  std::vector<NodeId> initial_members_;
  std::map<std::pair<int64_t, int64_t>, bool> membership_reported_;  ///< (index, term) or (-index, term)
  std::map<int64_t, NodeId> leaders_;                 ///< term -> leader
  std::map<NodeId, std::vector<uint64_t>> chains_;    ///< node -> chain[i-1] for index i
  std::map<std::pair<int64_t, int64_t>, Seen> seen_;  ///< (index, term) -> first holder
  std::vector<Committed> committed_;                  ///< committed prefix, [i-1] = index i
  std::map<int64_t, Applied> applied_;                ///< index -> first application
  std::map<std::pair<int64_t, int64_t>, bool> reported_;  ///< (index, term) already reported
  std::vector<std::string> violations_;
  uint64_t total_ = 0;
  int64_t committed_writes_ = 0;
};

/// Hash of one entry (term + command), the same on every platform.
uint64_t entry_hash(const LogEntry& e);

}  // namespace topo::raft
