// Painters of the other distributed worlds: primary-backup (each backup's lag behind the
// primary: what a failover would lose), leaderless quorums (which replicas answered the latest
// read and write, which hold stale versions, the N/R/W setting) and sharding on a hash ring (each
// node's share of the keys and its load). The decisions are plain functions for the tests.
#pragma once

#include <map>
#include <memory>
#include <vector>

#include "ui/painters/painter.h"

namespace topo::replication {
class PbModel;
}
namespace topo::sharding {
class ShardModel;
}

namespace topo::ui {

/// Writes each up backup has not applied yet, behind the acting primary (by node); empty when
/// there is no primary.
std::map<NodeId, int64_t> pb_backup_lag(const replication::PbModel& m);

/// Replicas that answered a read ("read_reply") or a write ("write_ack") in the trace within
/// `window_us` before `now`.
struct QuorumAnswers {
  std::vector<NodeId> read, write;
};
QuorumAnswers quorum_answers(const World& w, Time now, Time window_us);

/// Each ring member's share of the keys (node -> 0..1; the shares sum to 1).
std::map<NodeId, double> shard_key_shares(const World& w, const sharding::ShardModel& m);

std::unique_ptr<WorldPainter> make_pb_painter(const World& w);
std::unique_ptr<WorldPainter> make_quorum_painter(const World& w);
std::unique_ptr<WorldPainter> make_shard_painter(const World& w);

}  // namespace topo::ui
