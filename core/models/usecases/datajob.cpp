// Use-case model for lesson 13 (data-processing-job): a MapReduce-style coordinator and workers
// with heartbeats, re-assignment of a dead worker's task and speculative backup tasks (see
// datajob.h). Adds the scenario `datajob` through add_datajob_scenarios(), called from
// core/catalog/catalog.cpp.
#include "models/usecases/datajob.h"

#include <algorithm>
#include <map>
#include <ostream>

#include "models/basic/basic.h"
#include "models/builtin_scenarios.h"
#include "util/i18n.h"

namespace topo::usecases {

namespace {

/// The body of every job message.
struct JobMsg : Payload {
  int64_t job = 0;
  int32_t task = -1;     ///< task number in the job (maps first, then reduces); -1 none
  int64_t cost_us = 0;   ///< assign: the task's CPU time at normal speed
  int32_t progress = 0;  ///< heartbeat: chunks done of the running task
  bool backup = false;   ///< assign: a speculative copy
  void hash_into(Hasher& h) const override {
    h.i64(job);
    h.i64(task);
    h.i64(cost_us);
    h.i64(progress);
    h.u64(backup ? 1 : 0);
  }
  std::string describe() const override {
    return "job " + std::to_string(job) + " task " + std::to_string(task) + (backup ? " (backup)" : "");
  }
};

std::shared_ptr<JobMsg> jm(int64_t job, int32_t task) {
  auto m = std::make_shared<JobMsg>();
  m->job = job;
  m->task = task;
  return m;
}

const JobMsg* body_of(const Message& m) { return dynamic_cast<const JobMsg*>(m.body.get()); }

std::string task_name(const JobConfig& cfg, int64_t maps, int32_t task) {
  (void)cfg;
  if (task < 0) return "-";
  return task < maps ? "m" + std::to_string(task + 1) : "r" + std::to_string(task - maps + 1);
}

/// What survives a coordinator crash: which job was running and its shape.
struct CoordDisk : Persistent {
  int64_t maps = 0, reduces = 0;
};

constexpr uint64_t kTagTick = 1, kTagStart = 2;
constexpr Time kTick = 100 * kMs;

class JobCoordinator : public Process {
 public:
  JobCoordinator(CoordDisk* disk, JobModel* model) : disk_(disk), model_(model) {}

  void on_start(Ctx& ctx) override {
    const auto& ws = model_->workers();
    workers_.assign(ws.size(), WorkerState{});
    for (auto& w : workers_) w.last_heard = ctx.now();
    JobStats& s = model_->stats();
    s.workers_alive = static_cast<int64_t>(workers_.size());
    if (s.running) {  // the task table was lost with the crash: start the job over
      ctx.note("job restarts", "the coordinator lost its task table");
      init_tasks(ctx, disk_->maps, disk_->reduces);
      assign(ctx);
    } else if (model_->config().start_us > 0 && s.job == 0) {
      ctx.set_timer(std::max<Time>(0, model_->config().start_us - ctx.now()), kTagStart);
    }
    ctx.set_timer(kTick, kTagTick);
  }

  /// Starts a new job now (job.run or the scenario's first job).
  void start_job(Ctx& ctx, int64_t maps, int64_t reduces) {
    JobStats& s = model_->stats();
    ++s.job;
    s.running = true;
    s.started_at = ctx.now();
    disk_->maps = maps;
    disk_->reduces = reduces;
    ctx.note("job started", "job " + std::to_string(s.job) + ": " + std::to_string(maps) + " maps, " +
                                std::to_string(reduces) + " reduces");
    init_tasks(ctx, maps, reduces);
    assign(ctx);
  }

  void on_timer(Ctx& ctx, TimerId, uint64_t tag) override {
    if (tag == kTagStart) {
      if (!model_->stats().running) start_job(ctx, model_->config().maps, model_->config().reduces);
      return;
    }
    if (tag != kTagTick) return;
    const JobConfig& cfg = model_->config();
    for (size_t i = 0; i < workers_.size(); ++i) {
      WorkerState& w = workers_[i];
      if (!w.alive || ctx.now() - w.last_heard <= cfg.dead_after_us) continue;
      w.alive = false;
      --model_->stats().workers_alive;
      ctx.note("worker presumed dead", ctx.world().node(model_->workers()[i]).name + ": no heartbeat for " +
                                           std::to_string((ctx.now() - w.last_heard) / kMs) + " ms");
      drop_copy(ctx, i, /*reassign=*/true);
    }
    assign(ctx);
    ctx.set_timer(kTick, kTagTick);
  }

  void on_message(Ctx& ctx, const Message& m) override {
    const JobMsg* b = body_of(m);
    const int wi = model_->worker_index(m.from);
    if (!b || wi < 0) return;
    WorkerState& w = workers_[static_cast<size_t>(wi)];
    w.last_heard = ctx.now();
    if (!w.alive) {
      w.alive = true;
      ++model_->stats().workers_alive;
      ctx.note("worker back", ctx.world().node(m.from).name);
    }
    if (m.kind == "hello") {
      // A (re)started worker has no task: whatever we thought it was running is gone.
      drop_copy(ctx, static_cast<size_t>(wi), /*reassign=*/true);
    } else if (m.kind == "heartbeat") {
      if (w.task >= 0 && b->job == model_->stats().job && b->task == w.task) {
        for (auto& c : tasks_[static_cast<size_t>(w.task)].copies)
          if (c.worker == static_cast<size_t>(wi)) c.progress = b->progress;
      }
    } else if (m.kind == "done") {
      on_done(ctx, static_cast<size_t>(wi), *b);
    }
    assign(ctx);
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    const JobStats& s = model_->stats();
    int64_t running = 0, pending = 0;
    for (const auto& t : tasks_) {
      if (t.done) continue;
      if (t.copies.empty()) ++pending;
      else ++running;
    }
    return {{"role", "coordinator"},
            {"job", std::to_string(s.job)},
            {"phase", !s.running ? (s.job ? "done" : "idle") : (maps_done_ < maps_ ? "map" : "reduce")},
            {"tasks", std::to_string(s.tasks_done) + "/" + std::to_string(s.tasks_total)},
            {"running", std::to_string(running)},
            {"pending", std::to_string(pending)},
            {"speculation", model_->config().speculation ? "on" : "off"}};
  }

 private:
  struct Copy {
    size_t worker = 0;
    Time started = 0;
    int32_t progress = 0;
    bool backup = false;
  };
  struct Task {
    Time cost = 0;
    bool done = false;
    std::vector<Copy> copies;
  };
  struct WorkerState {
    bool alive = true;
    Time last_heard = 0;
    int32_t task = -1;  ///< the task the coordinator believes it runs
  };

  void init_tasks(Ctx& ctx, int64_t maps, int64_t reduces) {
    const JobConfig& cfg = model_->config();
    tasks_.assign(static_cast<size_t>(maps + reduces), Task{});
    Time total = 0;
    for (int64_t i = 0; i < maps + reduces; ++i) {
      const Time nominal = i < maps ? cfg.map_us : cfg.reduce_us;
      // Input splits differ a little: +-20% around the nominal cost.
      tasks_[static_cast<size_t>(i)].cost = nominal * ctx.rng().uniform_int(80, 120) / 100;
      total += tasks_[static_cast<size_t>(i)].cost;
    }
    maps_ = maps;
    maps_done_ = 0;
    ratios_.clear();
    for (auto& w : workers_) w.task = -1;
    JobStats& s = model_->stats();
    s.tasks_total = maps + reduces;
    s.maps = maps;
    s.total_work_us = total;
    s.tasks_done = s.maps_done = s.reduces_done = 0;
  }

  bool in_phase(size_t t) const { return maps_done_ < maps_ ? static_cast<int64_t>(t) < maps_ : true; }

  /// Removes worker `wi`'s copy of its task; with `reassign`, a task left with no copy goes back
  /// to the queue and counts as re-assigned.
  void drop_copy(Ctx& ctx, size_t wi, bool reassign) {
    WorkerState& w = workers_[wi];
    if (w.task < 0) return;
    Task& t = tasks_[static_cast<size_t>(w.task)];
    auto it = std::find_if(t.copies.begin(), t.copies.end(), [&](const Copy& c) { return c.worker == wi; });
    if (it != t.copies.end()) t.copies.erase(it);
    if (reassign && !t.done && t.copies.empty()) {
      ++model_->stats().reassigned;
      ctx.note("re-assign", task_name(model_->config(), maps_, w.task) + " goes back to the queue");
    }
    w.task = -1;
  }

  void on_done(Ctx& ctx, size_t wi, const JobMsg& b) {
    JobStats& s = model_->stats();
    WorkerState& w = workers_[wi];
    if (w.task == b.task) w.task = -1;
    if (!s.running || b.job != s.job || b.task < 0 || static_cast<size_t>(b.task) >= tasks_.size()) return;
    Task& t = tasks_[static_cast<size_t>(b.task)];
    if (t.done) return;
    t.done = true;
    const bool is_map = b.task < maps_;
    bool backup = false;
    for (const auto& c : t.copies)
      if (c.worker == wi) {
        backup = c.backup;
        // Time per unit of input (per microsecond of nominal cost), for the straggler estimate.
        ratios_.push_back(static_cast<double>(ctx.now() - c.started) / static_cast<double>(std::max<Time>(t.cost, 1)));
      }
    if (backup) {
      ++s.speculative_won;
      ctx.note("backup won", task_name(model_->config(), maps_, b.task));
    }
    for (const auto& c : t.copies) {  // kill the other copies
      if (c.worker == wi) continue;
      ++s.killed;
      ctx.send(model_->workers()[c.worker], "kill", jm(s.job, b.task));
      workers_[c.worker].task = -1;
    }
    t.copies.clear();
    ++s.tasks_done;
    if (is_map) {
      ++s.maps_done;
      ++maps_done_;
    } else {
      ++s.reduces_done;
    }
    if (s.tasks_done == s.tasks_total) {
      s.running = false;
      ++s.jobs_done;
      s.last_time_us = ctx.now() - s.started_at;
      if (s.first_time_us < 0) s.first_time_us = s.last_time_us;
      ctx.note("job done", "job " + std::to_string(s.job) + " in " + std::to_string(s.last_time_us / kMs) + " ms");
    }
  }

  static double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  }

  /// Hands out work to every idle, live worker: a pending task of the current phase, or, with
  /// speculation on and nothing pending, a backup copy of the slowest running task.
  void assign(Ctx& ctx) {
    JobStats& s = model_->stats();
    if (!s.running) return;
    const JobConfig& cfg = model_->config();
    for (size_t wi = 0; wi < workers_.size(); ++wi) {
      WorkerState& w = workers_[wi];
      if (!w.alive || w.task >= 0) continue;
      int32_t pick = -1;
      for (size_t t = 0; t < tasks_.size() && pick < 0; ++t)
        if (in_phase(t) && !tasks_[t].done && tasks_[t].copies.empty()) pick = static_cast<int32_t>(t);
      bool backup = false;
      if (pick < 0 && cfg.speculation) {
        if (!ratios_.empty()) {
          const double per_unit = median(ratios_);
          double best_rate = 0;
          for (size_t t = 0; t < tasks_.size(); ++t) {
            const Task& task = tasks_[t];
            if (!in_phase(t) || task.done || task.copies.size() != 1) continue;
            const Copy& c = task.copies.front();
            const Time ran = ctx.now() - c.started;
            const double expected = per_unit * static_cast<double>(task.cost);
            if (c.worker == wi || static_cast<double>(ran) <= cfg.spec_factor * expected) continue;
            const double rate = static_cast<double>(c.progress) / static_cast<double>(std::max<Time>(ran, 1));
            if (pick < 0 || rate < best_rate) {
              pick = static_cast<int32_t>(t);
              best_rate = rate;
            }
          }
          backup = pick >= 0;
        }
      }
      if (pick < 0) continue;
      Task& t = tasks_[static_cast<size_t>(pick)];
      t.copies.push_back({wi, ctx.now(), 0, backup});
      w.task = pick;
      auto m = jm(s.job, pick);
      m->cost_us = t.cost;
      m->backup = backup;
      if (backup) {
        ++s.speculative_launched;
        ctx.note("backup task", task_name(cfg, maps_, pick) + " also on " + ctx.world().node(model_->workers()[wi]).name);
      }
      ctx.send(model_->workers()[wi], "assign", m);
    }
  }

  CoordDisk* disk_;
  JobModel* model_;
  std::vector<Task> tasks_;
  std::vector<WorkerState> workers_;
  int64_t maps_ = 0, maps_done_ = 0;
  std::vector<double> ratios_;  ///< finished tasks of this job: time taken / nominal cost
};

class Worker : public Process {
 public:
  explicit Worker(JobModel* model) : model_(model) {}

  void on_start(Ctx& ctx) override {
    ctx.send(model_->coordinator(), "hello", jm(0, -1));
    ctx.set_timer(model_->config().heartbeat_us, 0);
  }

  void on_timer(Ctx& ctx, TimerId, uint64_t) override {
    auto m = jm(job_, task_);
    m->progress = chunks_done_;
    ctx.send(model_->coordinator(), "heartbeat", m, 64);
    ctx.set_timer(model_->config().heartbeat_us, 0);
  }

  void on_message(Ctx& ctx, const Message& m) override {
    const JobMsg* b = body_of(m);
    if (!b) return;
    if (m.kind == "assign") {
      job_ = b->job;
      task_ = b->task;
      backup_ = b->backup;
      cost_ = b->cost_us;
      chunks_done_ = 0;
      ++seq_;
      next_chunk(ctx);
    } else if (m.kind == "kill" && b->job == job_ && b->task == task_) {
      ctx.note("killed", "drops its copy of task " + std::to_string(task_ + 1));
      task_ = -1;
      ++seq_;  // the chunk on the CPU now is ignored when it ends
    }
  }

  void on_work_done(Ctx& ctx, uint64_t tag) override {
    if (tag != seq_ || task_ < 0) return;
    ++chunks_done_;
    if (chunks_done_ < model_->config().chunks) {
      next_chunk(ctx);
      return;
    }
    ++tasks_done_;
    ctx.send(model_->coordinator(), "done", jm(job_, task_));
    task_ = -1;
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    const int chunks = model_->config().chunks;
    return {{"role", "worker"},
            {"task", task_name(model_->config(), model_->stats().maps, task_)},
            {"progress", task_ < 0 ? "-" : std::to_string(100 * chunks_done_ / chunks) + "%"},
            {"backup", task_ >= 0 && backup_ ? "yes" : "no"},
            {"tasks_done", std::to_string(tasks_done_)}};
  }

 private:
  void next_chunk(Ctx& ctx) {
    const int chunks = model_->config().chunks;
    ctx.work(std::max<Time>(1, cost_ / chunks), seq_);
  }

  JobModel* model_;
  int64_t job_ = 0;
  int32_t task_ = -1;
  bool backup_ = false;
  Time cost_ = 0;
  int32_t chunks_done_ = 0;
  uint64_t seq_ = 0;
  int64_t tasks_done_ = 0;
};

}  // namespace

int JobModel::worker_index(NodeId id) const {
  for (size_t i = 0; i < workers_.size(); ++i)
    if (workers_[i] == id) return static_cast<int>(i);
  return -1;
}

std::optional<double> JobModel::value(std::string_view key) const {
  const JobStats& s = stats_;
  auto d = [](int64_t v) { return std::optional<double>(static_cast<double>(v)); };
  auto sec = [](Time t) { return std::optional<double>(t < 0 ? 0.0 : static_cast<double>(t) / 1e6); };
  if (key == "job") return d(s.job);
  if (key == "job_running") return d(s.running ? 1 : 0);
  if (key == "job_done") return d(s.job > 0 && !s.running ? 1 : 0);
  if (key == "jobs_done") return d(s.jobs_done);
  if (key == "tasks_total") return d(s.tasks_total);
  if (key == "tasks_done") return d(s.tasks_done);
  if (key == "maps_done") return d(s.maps_done);
  if (key == "reduces_done") return d(s.reduces_done);
  if (key == "job_time_s") return sec(s.running ? world_->now() - s.started_at : s.last_time_us);
  if (key == "last_job_time_s") return sec(s.last_time_us);
  if (key == "first_job_time_s") return sec(s.first_time_us);
  if (key == "slowdown")
    return s.first_time_us > 0 && s.last_time_us >= 0
               ? static_cast<double>(s.last_time_us) / static_cast<double>(s.first_time_us)
               : 0.0;
  if (key == "total_work_s") return sec(s.total_work_us);
  if (key == "reassigned") return d(s.reassigned);
  if (key == "speculative_launched") return d(s.speculative_launched);
  if (key == "speculative_won") return d(s.speculative_won);
  if (key == "tasks_killed") return d(s.killed);
  if (key == "workers_alive") return d(s.workers_alive);
  if (key == "speculation") return d(cfg_.speculation ? 1 : 0);
  return std::nullopt;
}

std::vector<ValueDecl> JobModel::value_decls() const {
  return value_decl_table({
      {"job", "count", "", "number of the current (or last) job, 0 before the first"},
      {"job_running", "bool", "", "1 while a job runs"},
      {"job_done", "bool", "", "1 when a job has finished and none runs"},
      {"jobs_done", "count", "", "jobs finished"},
      {"tasks_total", "count", "", "tasks of the current job"},
      {"tasks_done", "count", "", "tasks finished"},
      {"maps_done", "count", "", "map tasks finished"},
      {"reduces_done", "count", "", "reduce tasks finished"},
      {"job_time_s", "number", "s", "the running job's time so far, or the last job's time"},
      {"last_job_time_s", "number", "s", "the last finished job's time"},
      {"first_job_time_s", "number", "s", "the first job's time"},
      {"slowdown", "number", "x", "last job's time / first job's time (0 until both exist)"},
      {"total_work_s", "number", "s", "CPU time spent on tasks, copies included"},
      {"reassigned", "count", "", "tasks handed to another worker after a worker died"},
      {"speculative_launched", "count", "", "backup copies launched"},
      {"speculative_won", "count", "", "backup copies that finished first"},
      {"tasks_killed", "count", "", "task copies killed"},
      {"workers_alive", "count", "", "workers the coordinator believes alive"},
      {"speculation", "bool", "", "1 when speculation is on"},
  });
}

std::string JobModel::state_json() const {
  std::string s = "{\"model\":\"datajob\"";
  for (const char* k : {"job", "job_running", "jobs_done", "tasks_total", "tasks_done", "reassigned",
                        "speculative_launched", "speculative_won", "tasks_killed", "workers_alive", "speculation"})
    s += ",\"" + std::string(k) + "\":" + std::to_string(static_cast<int64_t>(value(k).value_or(0)));
  s += ",\"last_job_time_ms\":" + std::to_string(stats_.last_time_us < 0 ? 0 : stats_.last_time_us / kMs);
  return s + "}";
}

void JobModel::report_metrics(std::ostream& out) const { out << state_json() << "\n"; }

std::string build_datajob(World& w, const JobConfig& cfg) {
  auto* model = static_cast<JobModel*>(w.add_model(std::make_unique<JobModel>(cfg)));
  model->world_ = &w;
  model->coordinator_ = w.add_node(
      "coordinator", "coordinator",
      [model](NodeId, Persistent* d) { return std::make_unique<JobCoordinator>(static_cast<CoordDisk*>(d), model); },
      std::make_unique<CoordDisk>());
  for (int i = 0; i < cfg.workers; ++i)
    model->workers_.push_back(w.add_node("w" + std::to_string(i + 1), "worker",
                                         [model](NodeId, Persistent*) { return std::make_unique<Worker>(model); }));
  w.register_command(
      {"job.run", N_("Start a new job now (the previous one must have finished)."),
       {{"maps", "int", false, N_("map tasks (default from the scenario), 1..500"), "", "1..500", ""},
        {"reduces", "int", false, N_("reduce tasks (default from the scenario), 0..100"), "", "0..100", ""}},
       [model](World& world, const Command& c) {
         int64_t maps = model->config().maps, reduces = model->config().reduces;
         if (c.args.count("maps") && (!parse_int(c.arg("maps"), &maps) || maps < 1 || maps > 500))
           return CommandResult::fail("maps= must be an integer in [1, 500] (got " + c.arg("maps") + ")");
         if (c.args.count("reduces") && (!parse_int(c.arg("reduces"), &reduces) || reduces < 0 || reduces > 100))
           return CommandResult::fail("reduces= must be an integer in [0, 100] (got " + c.arg("reduces") + ")");
         const JobStats& s = model->stats();
         if (s.running)
           return CommandResult::fail("job " + std::to_string(s.job) + " is still running (" + std::to_string(s.tasks_done) +
                                      "/" + std::to_string(s.tasks_total) + " tasks done): wait until it finishes");
         auto* coord = dynamic_cast<JobCoordinator*>(world.process(model->coordinator()));
         if (!coord || world.node(model->coordinator()).status != NodeStatus::Up)
           return CommandResult::fail("the coordinator is not up");
         Ctx ctx(world, model->coordinator());
         coord->start_job(ctx, maps, reduces);
         return CommandResult::success();
       }});
  w.register_command({"job.speculation", N_("Switch speculative backup tasks on or off."),
                      {{"on", "bool", true, N_("true: launch backup copies of slow tasks")}},
                      [model](World&, const Command& c) {
                        const std::string v = c.arg("on");
                        model->config().speculation = v == "true" || v == "1" || v == "yes";
                        return CommandResult::success();
                      }});
  return "";
}

namespace {

std::string build_datajob_scenario(World& w, const Params& p) {
  Params rest = p;
  bool spec = false;
  if (auto it = rest.find("speculation"); it != rest.end()) {
    if (it->second != "true" && it->second != "false" && it->second != "on" && it->second != "off")
      return "speculation=" + it->second + " must be true or false";
    spec = it->second == "true" || it->second == "on";
    rest.erase(it);
  }
  basic::ParamReader r(rest, {"workers", "maps", "reduces", "map_ms", "reduce_ms", "heartbeat_ms", "dead_after_ms",
                              "spec_factor", "start_ms", "latency_ms", "jitter_ms", "speculation"});
  JobConfig cfg;
  cfg.speculation = spec;
  cfg.workers = static_cast<int>(r.integer("workers", 4, 1, 64));
  cfg.maps = static_cast<int>(r.integer("maps", 12, 1, 500));
  cfg.reduces = static_cast<int>(r.integer("reduces", 2, 0, 100));
  cfg.map_us = static_cast<Time>(r.number("map_ms", 400, 1, 600000) * 1000);
  cfg.reduce_us = static_cast<Time>(r.number("reduce_ms", 300, 1, 600000) * 1000);
  cfg.heartbeat_us = static_cast<Time>(r.number("heartbeat_ms", 200, 10, 60000) * 1000);
  cfg.dead_after_us = static_cast<Time>(r.number("dead_after_ms", 1000, 10, 600000) * 1000);
  cfg.spec_factor = r.number("spec_factor", 1.5, 1, 100);
  cfg.start_us = static_cast<Time>(r.number("start_ms", 500, 0, 3600000) * 1000);
  LinkParams link;
  link.latency_us = static_cast<Time>(r.number("latency_ms", 5, 0, 60000) * 1000);
  link.jitter_us = static_cast<Time>(r.number("jitter_ms", 2, 0, 60000) * 1000);
  if (!r.error().empty()) return r.error();
  if (cfg.dead_after_us <= cfg.heartbeat_us) return "dead_after_ms must be more than heartbeat_ms";
  w.set_default_link(link);
  return build_datajob(w, cfg);
}

}  // namespace

}  // namespace topo::usecases

namespace topo {

void add_datajob_scenarios(std::vector<ScenarioInfo>& v) {
  v.push_back({"datajob",
               N_("A data-processing job: a coordinator hands map and reduce tasks to workers; slow and dead "
                  "workers, backup copies of slow tasks"),
               usecases::build_datajob_scenario});
  v.back().params = {
      {"workers", "int", "", "1..64", "4", "worker nodes w1.."},
      {"maps", "int", "", "1..500", "12", "map tasks per job"},
      {"reduces", "int", "", "0..100", "2", "reduce tasks per job"},
      {"map_ms", "number", "ms", "1..600000", "400", "work of one map task"},
      {"reduce_ms", "number", "ms", "1..600000", "300", "work of one reduce task"},
      {"heartbeat_ms", "number", "ms", "10..60000", "200", "workers' heartbeat period"},
      {"dead_after_ms", "number", "ms", "10..600000", "1000", "a worker silent this long is dead (> heartbeat_ms)"},
      {"speculation", "bool", "", "", "false", "launch backup copies of slow tasks"},
      {"spec_factor", "number", "x", "1..100", "1.5", "a task this many times slower than the median gets a backup"},
      {"start_ms", "number", "ms", "0..3600000", "500", "the first job starts at this time"},
      {"latency_ms", "number", "ms", "0..60000", "5", "one-way network latency"},
      {"jitter_ms", "number", "ms", "0..60000", "2", "extra random delay"},
  };
}

}  // namespace topo

namespace topo::usecases {

std::span<const Model::Word> JobModel::words() const {
  static constexpr Model::Word kWords[] = {
      // Messages.
      {"assign", N_("assign a task")}, {"hello", N_("worker joins")}, {"kill", N_("stop the task")},
      // Roles and values in the Inspector.
      {"coordinator", N_("coordinator")}, {"worker", N_("worker")}, {"idle", N_("idle")}, {"map", N_("map")},
      {"reduce", N_("reduce")}, {"done", N_("done")}, {"on", N_("on")}, {"off", N_("off")}, {"yes", N_("yes")}, {"no", N_("no")},
  };
  return kWords;
}

}  // namespace topo::usecases
