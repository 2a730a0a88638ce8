// The Raft painter: what RaftScope draws around every server, on the canvas. Each follower and
// candidate wears an election-timer ring that drains as its timeout runs down (a full ring was
// just reset by a heartbeat; an empty one is about to start an election); a candidate shows the
// votes it holds ("votes 2/5"); a log table under the graph has one row per server, entries
// aligned by index, coloured by term with the term written in the box, committed entries filled
// and the commit point marked, so who is behind and what is safe is visible at a glance.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "ui/painters/painter.h"

namespace topo::raft {
class RaftCluster;
class RaftNode;
}  // namespace topo::raft

namespace topo::ui {

/// Share of a server's election timeout still to run at `now`, in [0, 1] (1 = just reset,
/// 0 = fires now); -1 when the ring is not drawn (leaders, crashed servers).
double raft_timer_remaining(const raft::RaftNode& n, Time now);

/// One row of the log table: a server's entries in the shown index window.
struct RaftLogRow {
  NodeId node = kNoNode;
  bool up = true;
  int64_t commit = 0;                 ///< commit index (0 when the server is down: volatile state)
  int64_t last = 0;                   ///< last log index
  std::vector<int64_t> terms;         ///< term of index first..first+terms.size()-1 (0 = no entry)
};
struct RaftLogTable {
  int64_t first = 1;                  ///< the first index shown
  int columns = 0;                    ///< indices shown
  std::vector<RaftLogRow> rows;       ///< one per server, in server order
};
/// The log table with at most `max_columns` indices, ending at the longest log's last index.
RaftLogTable raft_log_table(const raft::RaftCluster& c, int max_columns);

std::unique_ptr<WorldPainter> make_raft_painter(const World& w);

}  // namespace topo::ui
