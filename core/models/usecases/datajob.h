// Use case "a data-processing job" (lesson 13c): a coordinator splits a job into map tasks and
// reduce tasks (the reduces start when every map is done) and hands them out to workers w1..wN,
// one task at a time per worker, as MapReduce does. A task is CPU work on the worker (the
// engine's CPU model: `slow node=w3 factor=10` makes w3 a straggler), done in chunks so the
// worker can report progress in its heartbeats and drop a task it is told to kill.
//
// Failures: a worker that sends no heartbeat for `dead_after` is presumed dead; its task goes
// back to the queue and another worker runs it (re-assigned). A restarted worker says hello and
// gets work again. Stragglers: with speculation on, once a phase has no task left to hand out,
// an idle worker gets a *backup copy* of the running task with the lowest progress rate that
// has run longer than `spec_factor` x its expected time (its input size x the median time per
// unit of input of the job's finished tasks); whichever copy
// finishes first wins and the other is killed (MapReduce's backup tasks). Map outputs are
// assumed written to shared storage, so a finished task stays finished when its worker dies.
// The coordinator's task table is volatile: if it crashes, the job restarts from the beginning
// when it comes back.
//
// Nodes: `coordinator` (role "coordinator"), workers `w1`..`wN` (role "worker").
// Messages: "assign", "done", "heartbeat", "hello", "kill".
// Model values: job (number of the current or last job), job_running, job_done (1 when the
// latest job has finished), jobs_done, tasks_total, tasks_done, maps_done, reduces_done,
// job_time_s (the current job's time so far, or the last job's), last_job_time_s,
// first_job_time_s, slowdown (last / first job time), total_work_s (the job's summed task times:
// what one worker alone would need), reassigned, speculative_launched,
// speculative_won (a backup finished first), tasks_killed, workers_alive (as the coordinator
// believes), speculation (1 on, 0 off).
// Commands: `job.run [maps=N] [reduces=N]` starts a new job; `job.speculation on=BOOL`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace topo::usecases {

struct JobConfig {
  int workers = 4;
  int maps = 12;
  int reduces = 2;
  Time map_us = 400 * kMs;          ///< nominal CPU time of a map task (each varies +-20%)
  Time reduce_us = 300 * kMs;       ///< nominal CPU time of a reduce task
  int chunks = 10;                  ///< a task runs as this many slices (progress granularity)
  Time heartbeat_us = 200 * kMs;
  Time dead_after_us = 1000 * kMs;  ///< no heartbeat for this long: the worker is presumed dead
  bool speculation = false;
  double spec_factor = 1.5;         ///< backup a task running longer than this x the phase median
  Time start_us = 500 * kMs;        ///< the first job starts then (0: wait for job.run)
};

/// Job statistics the coordinator keeps up to date (the model's view for lessons and tests).
struct JobStats {
  int64_t job = 0;
  bool running = false;
  int64_t jobs_done = 0;
  int64_t maps = 0;  ///< map tasks of the current job
  Time total_work_us = 0;  ///< sum of the current job's task CPU times (one worker alone)
  int64_t tasks_total = 0, tasks_done = 0, maps_done = 0, reduces_done = 0;
  Time started_at = 0;
  Time last_time_us = -1, first_time_us = -1;
  int64_t reassigned = 0, speculative_launched = 0, speculative_won = 0, killed = 0;
  int64_t workers_alive = 0;
};

class JobModel : public Model {
 public:
  std::span<const Word> words() const override;
  explicit JobModel(JobConfig cfg) : cfg_(cfg) {}
  std::string name() const override { return "datajob"; }
  void report_metrics(std::ostream& out) const override;
  std::string state_json() const override;
  std::optional<double> value(std::string_view key) const override;
  std::vector<ValueDecl> value_decls() const override;

  JobConfig& config() { return cfg_; }
  const JobConfig& config() const { return cfg_; }
  JobStats& stats() { return stats_; }
  const JobStats& stats() const { return stats_; }
  NodeId coordinator() const { return coordinator_; }
  const std::vector<NodeId>& workers() const { return workers_; }
  /// Index of a worker node in workers(), -1 if not a worker.
  int worker_index(NodeId id) const;

 private:
  friend std::string build_datajob(World& w, const JobConfig& cfg);
  JobConfig cfg_;
  JobStats stats_;
  World* world_ = nullptr;
  NodeId coordinator_ = kNoNode;
  std::vector<NodeId> workers_;
};

/// Builds the job world into `w` (not started): nodes, the model and the job.* Commands.
std::string build_datajob(World& w, const JobConfig& cfg);

}  // namespace topo::usecases
