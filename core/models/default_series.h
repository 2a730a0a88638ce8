// Default chart series: every world records a few time series from t = 0, sampled at the
// World's sample boundaries (World::add_sampler: every 250 ms by default, no queue events, so
// trace hashes do not change). The series read the same Model::value keys lesson conditions
// read, so a chart and a lesson's "availability < 0.5" agree. Names are "WHO.KIND"; the Charts
// tab draws one chart per KIND (what a lesson's `chart = "KIND"` names).
//
//   every world   world.nodes_up, world.messages_per_s
//   raft          raft.commits_per_s (commit_index), raft.availability, raft.term,
//                 raft.leader_count; marks "leader" changes
//   primary-backup, quorum
//                 NAME.ops_per_s (ops_ok), NAME.p99_ms; primary-backup.lost_writes and a
//                 "failover" mark; quorum.recent_stale_reads
//   sharding      sharding.requests_per_s, sharding.queue_max
//   mm1/mmc...    NAME.in_system (customers_arrived - customers_served), NAME.served_per_s,
//                 NAME.mean_time_in_system_ms
//   gossip        gossip.informed_fraction
//   transfer      transfer.committed_per_s, transfer.aborted_per_s, transfer.in_doubt,
//                 transfer.p99_ms
//   datajob       datajob.tasks_done, datajob.workers_alive
//   game          game.divergence, game.snapshot_age_ms
//   feed          feed.posts_per_s, feed.queue_depth, feed.read_latency_ms_p95
//   cloud         cloud.services_up, cloud.replicas_running, cloud.servers_used
//   devops        SIDE.deploy_frequency, SIDE.lead_time_s, SIDE.change_failure_rate,
//                 SIDE.time_to_restore_s, SIDE.down for SIDE = services, monolith
// The service worlds sample their own per-service and per-request-type series (services/controller.cpp).
#pragma once

#include <deque>
#include <string>
#include <utility>

#include "sim/world.h"

namespace topo {

/// Adds the default samplers for the world's models (call after the scenario built the world,
/// before start) and declares their series so their names are known before the first point.
void install_default_series(World& w);

/// A per-second rate of a cumulative count over the trailing second (or since t = 0 during
/// the first second): 0 at the first sample. The count is taken as never decreasing (the
/// highest seen so far), so a rate is never negative.
class RateOverSecond {
 public:
  double next(Time t, double total);

 private:
  std::deque<std::pair<Time, double>> seen_;
};

}  // namespace topo
