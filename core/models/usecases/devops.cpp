// Use-case model for lesson 17 (DevOps pipelines): per-service build -> test -> canary ->
// production pipelines beside a monolith's release train, fed the same changes by the same teams,
// with the DORA measures (deploy frequency, lead time, change failure rate, time to restore)
// taken on each side (see devops.h). Adds the scenario `devops` through add_devops_scenarios(),
// called from core/catalog/catalog.cpp.
#include "models/usecases/devops.h"

#include <algorithm>
#include <cmath>
#include <ostream>

#include "models/basic/basic.h"
#include "models/builtin_scenarios.h"
#include "util/i18n.h"
#include "util/parse.h"

namespace topo::usecases {

namespace {

constexpr uint64_t kTagCommit = 1;
constexpr uint64_t kTagTrain = 2;
/// A stage's timer tags: kTagStage + release (its work done), kTagDetect + release (monitoring).
constexpr uint64_t kTagStage = 1ull << 20;
constexpr uint64_t kTagDetect = 1ull << 40;
constexpr Time kDay = 8 * kSec;  ///< a working day: 8 hours, one simulated second each

const char* const kSideName[2] = {"services", "monolith"};
const char* const kTeamNames[5] = {"cart", "payment", "search", "catalog", "profile"};

enum class Kind { Build, Test, Canary, Deploy };

/// What stage `stage` of a pipeline on `side` is.
Kind stage_kind(int side, int stage) {
  if (side == 0) return stage == 0 ? Kind::Build : stage == 1 ? Kind::Test : stage == 2 ? Kind::Canary : Kind::Deploy;
  return stage == 0 ? Kind::Build : stage == 1 ? Kind::Test : Kind::Deploy;
}

double median(std::vector<Time> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  const double m = n % 2 ? static_cast<double>(v[n / 2]) : (static_cast<double>(v[n / 2 - 1]) + static_cast<double>(v[n / 2])) / 2.0;
  return m / 1e6;
}

double round_to(double v, double step) { return std::round(v / step) * step; }

class Team : public Process {
 public:
  Team(DevopsModel* model, int team) : model_(model), team_(team) {}

  void on_start(Ctx& ctx) override { next(ctx); }

  void on_timer(Ctx& ctx, TimerId, uint64_t tag) override {
    if (tag != kTagCommit) return;
    const DevopsConfig& cfg = model_->config();
    const bool bad = ctx.rng().bernoulli(cfg.bad_rate);
    const bool broken = ctx.rng().bernoulli(cfg.broken_rate);
    model_->commit(ctx, team_, bad, broken, false);
    next(ctx);
  }

  void on_message(Ctx& ctx, const Message& m) override {
    if (m.kind == "alert") model_->commit_fix(ctx, static_cast<int>(m.value));
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    int n = 0;
    for (const auto& c : model_->changes()) n += c.team == team_ && c.side == 0 && c.fix_of < 0 ? 1 : 0;
    return {{"role", "team"}, {"service", model_->config().services[static_cast<size_t>(team_)]},
            {"changes", std::to_string(n)}};
  }

 private:
  void next(Ctx& ctx) {
    const Time mean = model_->config().commit_every_us;
    if (mean <= 0) return;
    const Time gap = std::max<Time>(kMs, static_cast<Time>(ctx.rng().exponential(static_cast<double>(mean))));
    ctx.set_timer(gap, kTagCommit);
  }

  DevopsModel* model_;
  int team_;
};

/// One pipeline stage (build, test, canary or production): one release at a time, FIFO.
class Stage : public Process {
 public:
  Stage(DevopsModel* model, std::string kind) : model_(model), kind_(std::move(kind)) {}

  void on_start(Ctx& ctx) override {
    self_ = ctx.self();
    // Restarted in the middle of a release: its work starts over.
    if (model_->current(self_) >= 0) start(ctx, model_->current(self_));
    else next(ctx);
  }

  void on_message(Ctx& ctx, const Message& m) override {
    self_ = ctx.self();
    model_->arrive(self_, static_cast<int>(m.value));
    next(ctx);
  }

  void on_timer(Ctx& ctx, TimerId, uint64_t tag) override {
    if (tag >= kTagDetect) {
      model_->detect(ctx, static_cast<int>(tag - kTagDetect));
      return;
    }
    const int r = static_cast<int>(tag - kTagStage);
    if (model_->current(self_) != r) return;
    if (model_->end_stage(ctx, r)) {
      start(ctx, r);
      return;
    }
    model_->set_current(self_, -1);
    next(ctx);
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    const int r = model_->current(self_);
    // The changes in the release this stage is working on (0 = idle): a number, worded by the UI.
    const size_t work = r >= 0 ? model_->releases()[static_cast<size_t>(r)].changes.size() : 0;
    return {{"role", kind_}, {"working_on", std::to_string(work)}, {"queued", std::to_string(model_->queued(self_))}};
  }

 private:
  void next(Ctx& ctx) {
    const int r = model_->take_next(self_);
    if (r >= 0) start(ctx, r);
  }
  void start(Ctx& ctx, int r) { ctx.set_timer(model_->begin_stage(ctx, r), kTagStage + static_cast<uint64_t>(r)); }

  DevopsModel* model_;
  std::string kind_;
  NodeId self_ = kNoNode;
};

/// The monolith's release train: collects changes and leaves every train interval with all of them.
class Train : public Process {
 public:
  explicit Train(DevopsModel* model) : model_(model) {}

  void on_start(Ctx& ctx) override { schedule(ctx); }

  void on_message(Ctx& ctx, const Message& m) override {
    if (m.kind == "commit") model_->arrive(ctx.self(), static_cast<int>(m.value));
  }

  void on_timer(Ctx& ctx, TimerId, uint64_t tag) override {
    if (tag != kTagTrain) return;
    model_->set_train_last(ctx.now());
    const int r = model_->depart_train(ctx.now());
    if (r >= 0) {
      ctx.note("release train left", std::to_string(model_->releases()[static_cast<size_t>(r)].changes.size()));
      model_->forward(ctx, model_->mono_build(), "release", r);
    }
    schedule(ctx);
  }

  /// (Re)arms the departure timer: the last departure + the interval (now if that has passed).
  void schedule(Ctx& ctx) {
    if (timer_) ctx.cancel_timer(timer_);
    const Time at = model_->train_last() + model_->config().train_us;
    timer_ = ctx.set_timer(std::max<Time>(0, at - ctx.now()), kTagTrain);
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    int waiting = 0;
    for (const auto& c : model_->changes())
      waiting += c.side == 1 && c.state == DevopsChange::State::Waiting && c.release < 0 ? 1 : 0;
    return {{"role", "release-train"},
            {"every_ms", std::to_string(model_->config().train_us / kMs)},
            {"changes_waiting", std::to_string(waiting)}};
  }

 private:
  DevopsModel* model_;
  TimerId timer_ = 0;
};

}  // namespace

int DevopsModel::service_index(std::string_view name) const {
  for (size_t i = 0; i < cfg_.services.size(); ++i)
    if (cfg_.services[i] == name) return static_cast<int>(i);
  return -1;
}

std::vector<NodeId> DevopsModel::pipeline_nodes() const {
  std::vector<NodeId> out;
  for (const auto& st : service_stages_) out.insert(out.end(), st.begin(), st.end());
  if (train_ != kNoNode) out.push_back(train_);
  out.insert(out.end(), mono_stages_.begin(), mono_stages_.end());
  return out;
}

const std::vector<NodeId>& DevopsModel::pipeline(const DevopsRelease& r) const {
  return r.side == 0 ? service_stages_[static_cast<size_t>(r.service)] : mono_stages_;
}

int DevopsModel::new_change(int side, int team, Time now, bool bad, bool broken, int fix_of, bool by_learner) {
  ++epoch_;
  DevopsChange c;
  c.id = static_cast<int>(changes_.size());
  c.side = side;
  c.team = team;
  c.commit_at = now;
  c.bad = bad;
  c.broken = broken;
  c.fix_of = fix_of;
  c.by_learner = by_learner;
  changes_.push_back(c);
  return c.id;
}

void DevopsModel::send_to_build(Ctx& ctx, int id) {
  DevopsChange& c = changes_[static_cast<size_t>(id)];
  if (c.side == 1) {
    forward(ctx, train_, "commit", id);
    return;
  }
  DevopsRelease r;
  r.id = static_cast<int>(releases_.size());
  r.side = 0;
  r.service = c.team;
  r.changes = {id};
  c.release = r.id;
  releases_.push_back(r);
  forward(ctx, service_stages_[static_cast<size_t>(c.team)][0], "commit", r.id);
}

int DevopsModel::commit(Ctx& ctx, int team, bool bad, bool broken, bool by_learner) {
  int first = -1;
  for (int side = 0; side < 2; ++side) {
    if (!has_side(side)) continue;
    const int id = new_change(side, team, ctx.now(), bad, broken, -1, by_learner);
    if (by_learner) learner_change_[side] = id;
    send_to_build(ctx, id);
    if (first < 0) first = id;
  }
  if (by_learner) ++learner_commits_;
  ctx.metrics().add("devops.commits");
  return first;
}

void DevopsModel::commit_fix(Ctx& ctx, int bad_id) {
  if (bad_id < 0 || static_cast<size_t>(bad_id) >= changes_.size()) return;
  const DevopsChange b = changes_[static_cast<size_t>(bad_id)];
  if (!b.bad || b.fix >= 0) return;   // one fix per bad change (a duplicated alert)
  const int id = new_change(b.side, b.team, ctx.now(), false, false, bad_id, false);
  changes_[static_cast<size_t>(bad_id)].fix = id;
  ctx.note("fix committed", std::string(kSideName[b.side]) + ": fixes change #" + std::to_string(bad_id));
  send_to_build(ctx, id);
}

void DevopsModel::forward(Ctx& ctx, NodeId to, const char* kind, int item) {
  if (ctx.world().node(to).status == NodeStatus::Up) {
    ctx.send_value(to, kind, static_cast<uint64_t>(item));
    return;
  }
  // The stage is down: the job waits in its queue (a CI server's queue is on disk) and the
  // stage takes it when it is back.
  ctx.note("queued for a stage that is down", ctx.world().node(to).name);
  arrive(to, item);
}

void DevopsModel::arrive(NodeId node, int item) {
  if (item < 0) return;
  if (node == train_) {
    if (static_cast<size_t>(item) >= changes_.size()) return;
    const DevopsChange& c = changes_[static_cast<size_t>(item)];
    if (c.side != 1 || c.release >= 0 ||
        std::find(train_waiting_.begin(), train_waiting_.end(), item) != train_waiting_.end())
      return;
    train_waiting_.push_back(item);
    return;
  }
  if (static_cast<size_t>(item) >= releases_.size()) return;
  DevopsRelease& r = releases_[static_cast<size_t>(item)];
  if (r.done || r.queued_stage == r.stage || pipeline(r)[static_cast<size_t>(r.stage)] != node) return;
  r.queued_stage = r.stage;
  queue_[static_cast<size_t>(node)].push_back(item);
}

int DevopsModel::depart_train(Time now) {
  (void)now;
  if (train_waiting_.empty()) return -1;
  DevopsRelease r;
  r.id = static_cast<int>(releases_.size());
  r.side = 1;
  r.changes = train_waiting_;
  for (int c : r.changes) changes_[static_cast<size_t>(c)].release = r.id;
  train_waiting_.clear();
  releases_.push_back(r);
  return r.id;
}

int DevopsModel::take_next(NodeId node) {
  auto& q = queue_[static_cast<size_t>(node)];
  if (current_[static_cast<size_t>(node)] >= 0 || q.empty()) return -1;
  const int r = q.front();
  q.pop_front();
  current_[static_cast<size_t>(node)] = r;
  return r;
}

Time DevopsModel::begin_stage(Ctx& ctx, int id) {
  ++epoch_;
  DevopsRelease& r = releases_[static_cast<size_t>(id)];
  const bool mono = r.side == 1;
  switch (stage_kind(r.side, r.stage)) {
    case Kind::Build:
      for (int c : r.changes) changes_[static_cast<size_t>(c)].state = DevopsChange::State::InPipeline;
      return mono ? cfg_.mono_build_us : cfg_.build_us;
    case Kind::Test: return mono ? cfg_.mono_test_us : cfg_.test_us;
    case Kind::Canary: {
      bool bad = false;
      for (int c : r.changes) bad |= changes_[static_cast<size_t>(c)].bad;
      if (!bad) return cfg_.canary_us;
      // A few users run the new version now: a bad one hurts them from here on.
      if (r.hurt_from < 0) r.hurt_from = ctx.now();
      r.caught = ctx.rng().bernoulli(cfg_.canary_catch) && cfg_.detect_us <= cfg_.canary_us;
      return r.caught ? cfg_.detect_us + cfg_.rollback_us : cfg_.canary_us;
    }
    case Kind::Deploy: return mono ? cfg_.mono_deploy_us : cfg_.deploy_us;
  }
  return 0;
}

void DevopsModel::finish(DevopsChange& c, DevopsChange::State s, Time now) {
  ++epoch_;
  if (c.state == DevopsChange::State::Live || c.state == DevopsChange::State::RolledBack ||
      c.state == DevopsChange::State::Rejected)
    violations_.push_back("Ends Once: change #" + std::to_string(c.id) + " (" + cfg_.services[static_cast<size_t>(c.team)] +
                          ", " + kSideName[c.side] + ") ended twice");
  if (s == DevopsChange::State::Live && c.tests_failed)
    violations_.push_back("No Untested Deploy: change #" + std::to_string(c.id) + " (" +
                          cfg_.services[static_cast<size_t>(c.team)] + ", " + kSideName[c.side] +
                          ") went live although its tests failed");
  c.state = s;
  if (s == DevopsChange::State::Live) c.live_at = now;
}

bool DevopsModel::end_stage(Ctx& ctx, int id) {
  ++epoch_;
  DevopsRelease& r = releases_[static_cast<size_t>(id)];
  const std::vector<NodeId>& stages = pipeline(r);
  switch (stage_kind(r.side, r.stage)) {
    case Kind::Build:
      r.stage = 1;
      forward(ctx, stages[1], "built", id);
      return false;
    case Kind::Test: {
      std::vector<int> keep;
      for (int cid : r.changes) {
        DevopsChange& c = changes_[static_cast<size_t>(cid)];
        if (!c.broken || c.tests_failed) {   // a retest runs only the changes that passed
          keep.push_back(cid);
          continue;
        }
        c.tests_failed = true;
        ctx.metrics().add("devops.tests_failed");
        if (!cfg_.tests_gate) {   // the seeded bug: failed tests do not stop the change
          keep.push_back(cid);
          continue;
        }
        finish(c, DevopsChange::State::Rejected, ctx.now());
        ctx.send_value(teams_[static_cast<size_t>(c.team)], "tests failed", static_cast<uint64_t>(cid));
      }
      const bool pulled = keep.size() < r.changes.size();
      r.changes = keep;
      if (r.changes.empty()) {
        r.done = true;
        return false;
      }
      if (pulled && r.side == 1 && cfg_.tests_gate) {
        ctx.note("retest", "broken changes pulled from the release, the rest tested again");
        return true;
      }
      r.stage = r.side == 0 && cfg_.canary ? 2 : static_cast<int>(stages.size()) - 1;
      forward(ctx, stages[static_cast<size_t>(r.stage)], "tested", id);
      return false;
    }
    case Kind::Canary:
      if (r.caught) {
        r.rolled_back = r.failed = r.done = true;
        r.restored_at = ctx.now();
        for (int cid : r.changes) {
          DevopsChange& c = changes_[static_cast<size_t>(cid)];
          finish(c, DevopsChange::State::RolledBack, ctx.now());
          ctx.send_value(teams_[static_cast<size_t>(c.team)], "rolled back", static_cast<uint64_t>(cid));
        }
        ctx.note("canary rolled back", cfg_.services[static_cast<size_t>(r.service)]);
        ctx.metrics().add("devops.canary_rollbacks");
        ctx.metrics().mark(ctx.now(), "rollback", cfg_.services[static_cast<size_t>(r.service)] + " canary rolled back");
        return false;
      }
      r.stage = 3;
      forward(ctx, stages[3], "canary ok", id);
      return false;
    case Kind::Deploy: go_live(ctx, r); return false;
  }
  return false;
}

void DevopsModel::go_live(Ctx& ctx, DevopsRelease& r) {
  ++epoch_;
  r.live = r.done = true;
  const size_t vi = r.side == 0 ? static_cast<size_t>(r.service) : cfg_.services.size();
  ++version_[vi];
  const std::string who = r.side == 0 ? cfg_.services[static_cast<size_t>(r.service)] : std::string("monolith");
  ctx.note("deployed", who + " v" + std::to_string(version_[vi]) + ", " + std::to_string(r.changes.size()) + " change(s)");
  ctx.metrics().add(std::string("devops.deploys.") + kSideName[r.side]);
  bool bad = false;
  for (int cid : r.changes) {
    DevopsChange& c = changes_[static_cast<size_t>(cid)];
    finish(c, DevopsChange::State::Live, ctx.now());
    bad |= c.bad;
    if (c.fix_of < 0) continue;
    DevopsChange& b = changes_[static_cast<size_t>(c.fix_of)];
    if (b.repaired_at >= 0) continue;
    b.repaired_at = ctx.now();
    // The failed release is restored when every bad change it shipped is fixed.
    DevopsRelease& f = releases_[static_cast<size_t>(b.release)];
    bool all = true;
    for (int x : f.changes) {
      const DevopsChange& y = changes_[static_cast<size_t>(x)];
      all &= !y.bad || y.repaired_at >= 0;
    }
    if (all && f.restored_at < 0) {
      f.restored_at = ctx.now();
      ctx.note("fix live", who);
      ctx.metrics().mark(ctx.now(), "restored", std::string(kSideName[r.side]) + " restored");
    }
  }
  if (bad) {
    r.failed = true;
    if (r.hurt_from < 0) r.hurt_from = ctx.now();
    ctx.note("bad change live", who);
    ctx.metrics().add(std::string("devops.incidents.") + kSideName[r.side]);
    ctx.metrics().mark(ctx.now(), "incident", who + " incident");
    ctx.set_timer(cfg_.detect_us, kTagDetect + static_cast<uint64_t>(r.id));
  }
}

void DevopsModel::detect(Ctx& ctx, int id) {
  if (id < 0 || static_cast<size_t>(id) >= releases_.size()) return;
  for (int cid : releases_[static_cast<size_t>(id)].changes) {
    const DevopsChange& c = changes_[static_cast<size_t>(cid)];
    if (!c.bad || c.repaired_at >= 0) continue;
    ctx.note("alert", "monitoring: change #" + std::to_string(cid) + " is bad");
    ctx.send_value(teams_[static_cast<size_t>(c.team)], "alert", static_cast<uint64_t>(cid));
  }
}

const DevopsModel::SideStats& DevopsModel::stats(int side) const {
  using S = DevopsChange::State;
  SideStats& st = stats_[side];
  if (stats_epoch_[side] == epoch_) return st;
  // One pass over the side's changes and releases, again only after the model changed (the
  // charts read ten keys four times a simulated second).
  st = SideStats{};
  std::vector<Time> lead, restore;
  std::vector<bool> down(cfg_.services.size(), false);
  for (const auto& c : changes_) {
    if (c.side != side) continue;
    st.committed += c.fix_of < 0 ? 1 : 0;
    st.waiting += c.state == S::Waiting ? 1 : 0;
    st.in_pipeline += c.state == S::InPipeline ? 1 : 0;
    st.rejected += c.state == S::Rejected ? 1 : 0;
    if (c.state != S::Live) continue;
    ++st.live;
    lead.push_back(c.live_at - c.commit_at);
    if (c.bad && c.repaired_at < 0) down[static_cast<size_t>(c.team)] = true;
  }
  Time last_at = -1;
  for (const auto& r : releases_) {
    if (r.side != side) continue;
    if (r.live) {
      ++st.deploys;
      st.changes_in_deploys += static_cast<int64_t>(r.changes.size());
      // The newest release that went live (the services' pipelines run side by side, so take
      // the highest live time; the later release on a tie).
      const Time at = changes_[static_cast<size_t>(r.changes.front())].live_at;
      if (at >= last_at) {
        last_at = at;
        st.last_batch = static_cast<int64_t>(r.changes.size());
      }
    }
    st.failures += r.failed ? 1 : 0;
    st.incidents += r.failed && r.live ? 1 : 0;
    st.rollbacks += r.rolled_back ? 1 : 0;
    if (r.failed && r.restored_at >= 0) restore.push_back(r.restored_at - r.hurt_from);
  }
  const int64_t k = std::count(down.begin(), down.end(), true);
  st.down = side == 1 ? (k > 0 ? 1 : 0) : k;
  st.lead_median_s = median(lead);
  st.lead_max_s = lead.empty() ? 0.0 : static_cast<double>(*std::max_element(lead.begin(), lead.end())) / 1e6;
  st.restore_median_s = median(restore);
  stats_epoch_[side] = epoch_;
  return st;
}

std::optional<double> DevopsModel::side_value(int side, std::string_view what) const {
  using S = DevopsChange::State;
  auto d = [](int64_t v) { return std::optional<double>(static_cast<double>(v)); };
  const Time now = world_->now();
  const SideStats& st = stats(side);
  if (what == "committed") return d(st.committed);
  if (what == "changes_waiting") return d(st.waiting);
  if (what == "in_pipeline") return d(st.in_pipeline);
  if (what == "live_changes") return d(st.live);
  if (what == "rejected") return d(st.rejected);
  if (what == "lead_time_s") return st.lead_median_s;
  if (what == "lead_time_max_s") return st.lead_max_s;
  if (what == "down") return d(st.down);
  if (what == "deploys") return d(st.deploys);
  if (what == "failures") return d(st.failures);
  if (what == "incidents") return d(st.incidents);
  if (what == "canary_rollbacks") return d(st.rollbacks);
  if (what == "last_batch") return d(st.last_batch);
  if (what == "deploy_frequency")
    return now > 0 ? static_cast<double>(st.deploys) * static_cast<double>(kDay) / static_cast<double>(now) : 0.0;
  const int64_t attempts = st.deploys + st.rollbacks;
  const double cfr = attempts ? static_cast<double>(st.failures) / static_cast<double>(attempts) : 0.0;
  if (what == "change_failure_rate") return cfr;
  if (what == "change_failure_pct") return round_to(100.0 * cfr, 0.1);
  if (what == "time_to_restore_s") return st.restore_median_s;
  if (what == "changes_per_deploy")
    return st.deploys ? round_to(static_cast<double>(st.changes_in_deploys) / static_cast<double>(st.deploys), 0.1) : 0.0;
  // The learner's last change (devops.commit) on this side.
  if (what == "my_change" || what == "my_lead_time_s" || what == "my_restore_s") {
    const int id = learner_change_[side];
    if (id < 0) return 0.0;
    const DevopsChange& c = changes_[static_cast<size_t>(id)];
    if (what == "my_change") {
      switch (c.state) {
        case S::Waiting: return 1.0;
        case S::InPipeline: return 2.0;
        case S::Live: return 3.0;
        case S::RolledBack: return 4.0;
        case S::Rejected: return 5.0;
      }
      return 0.0;
    }
    if (what == "my_lead_time_s") return c.state == S::Live ? static_cast<double>(c.live_at - c.commit_at) / 1e6 : 0.0;
    if (c.release < 0) return 0.0;
    const DevopsRelease& r = releases_[static_cast<size_t>(c.release)];
    if (!c.bad || r.hurt_from < 0) return 0.0;
    return static_cast<double>((r.restored_at >= 0 ? r.restored_at : now) - r.hurt_from) / 1e6;
  }
  if (side == 1 && what == "production_version") return d(version_.back());
  if (side == 0 && what.rfind("production_version.", 0) == 0) {
    const int s = service_index(what.substr(19));
    if (s >= 0) return d(version_[static_cast<size_t>(s)]);
  }
  return std::nullopt;
}

std::optional<double> DevopsModel::value(std::string_view key) const {
  if (key == "canary") return cfg_.canary ? 1.0 : 0.0;
  if (key == "canary_catch") return cfg_.canary_catch;
  if (key == "train_interval_s") return static_cast<double>(cfg_.train_us) / 1e6;
  if (key == "bad_rate") return cfg_.bad_rate;
  if (key == "my_commits") return static_cast<double>(learner_commits_);
  if (key == "my_change_bad") {
    const int id = learner_change_[cfg_.services_side ? 0 : 1];
    return id >= 0 && changes_[static_cast<size_t>(id)].bad ? 1.0 : 0.0;
  }
  for (int side = 0; side < 2; ++side) {
    const std::string p = std::string(kSideName[side]) + ".";
    if (!has_side(side) || key.rfind(p, 0) != 0) continue;
    return side_value(side, key.substr(p.size()));
  }
  return std::nullopt;
}

std::vector<ValueDecl> DevopsModel::value_decls() const {
  std::vector<ValueDecl> v = value_decl_table({
      {"canary", "bool", "", "1 when the services' pipelines run a canary before production"},
      {"canary_catch", "fraction", "", "chance that the canary sees a bad change's errors"},
      {"train_interval_s", "number", "s", "the monolith's release train leaves this often (1 s stands for 1 hour)"},
      {"bad_rate", "fraction", "", "chance that a new change has a bug the tests miss"},
      {"my_commits", "count", "", "changes the learner committed with devops.commit"},
      {"my_change_bad", "bool", "", "1 when the learner's last change (devops.commit) has a bug"},
      {"<side>.committed", "count", "", "changes the teams committed (fixes not counted)"},
      {"<side>.changes_waiting", "count", "", "changes committed and not yet being built (the monolith: waiting for the train)"},
      {"<side>.in_pipeline", "count", "", "changes being built, tested or deployed now"},
      {"<side>.live_changes", "count", "", "changes in production"},
      {"<side>.rejected", "count", "", "changes stopped because their tests failed"},
      {"<side>.deploys", "count", "", "releases that reached every user (a services release: one change; a train: all its changes)"},
      {"<side>.deploy_frequency", "number", "1/day",
       "deploy frequency: deploys per working day since the start (a day is 8 simulated seconds, 1 s = 1 hour)"},
      {"<side>.lead_time_s", "number", "s",
       "lead time: median time from commit to production of the changes that went live (1 s stands for 1 hour)"},
      {"<side>.lead_time_max_s", "number", "s", "the longest commit-to-production time so far"},
      {"<side>.changes_per_deploy", "number", "", "changes per deploy on average (rounded to 0.1)"},
      {"<side>.last_batch", "count", "", "changes in the newest release that went live"},
      {"<side>.failures", "count", "", "releases that hurt users: rolled back from the canary or shipped with a bug"},
      {"<side>.incidents", "count", "", "releases that shipped a bug to every user"},
      {"<side>.canary_rollbacks", "count", "", "releases the canary caught and rolled back"},
      {"<side>.change_failure_rate", "fraction", "",
       "change failure rate: failures / releases that reached users (deploys + canary rollbacks)"},
      {"<side>.change_failure_pct", "number", "%", "the change failure rate in percent, rounded to 0.1 (for text)"},
      {"<side>.time_to_restore_s", "number", "s",
       "time to restore: median time users had a bad change, until its rollback or fix was live (1 s = 1 hour)"},
      {"<side>.down", "count", "", "services with a bug in production now (the monolith: 1 or 0)"},
      {"<side>.my_change", "enum", "", "the learner's last change (devops.commit) on this side",
       {"none", "waiting", "in_pipeline", "live", "rolled_back", "rejected"}},
      {"<side>.my_lead_time_s", "number", "s", "the learner's last change: commit to production (0 until live)"},
      {"<side>.my_restore_s", "number", "s",
       "the learner's last change, if bad: how long users have had it (so far, or until restored)"},
  });
  if (cfg_.services_side)
    v.push_back({"services.production_version.<service>", "count", "", "deploys of a service so far (its version in production)"});
  if (cfg_.monolith_side) v.push_back({"monolith.production_version", "count", "", "deploys of the monolith so far"});
  return v;
}

std::vector<std::string> DevopsModel::value_names(std::string_view placeholder) const {
  std::vector<std::string> out;
  if (placeholder == "side")
    for (int s = 0; s < 2; ++s)
      if (has_side(s)) out.push_back(kSideName[s]);
  if (placeholder == "service") out = cfg_.services;
  return out;
}

std::string DevopsModel::state_json() const {
  std::string s = "{\"model\":\"devops\",\"canary\":" + std::string(cfg_.canary ? "true" : "false");
  for (int side = 0; side < 2; ++side) {
    if (!has_side(side)) continue;
    s += ",\"" + std::string(kSideName[side]) + "\":{";
    bool first = true;
    for (const char* k : {"committed", "deploys", "failures", "incidents", "down", "changes_waiting", "in_pipeline"}) {
      s += (first ? "\"" : ",\"") + std::string(k) + "\":" + std::to_string(static_cast<int64_t>(side_value(side, k).value_or(0)));
      first = false;
    }
    for (const char* k : {"deploy_frequency", "lead_time_s", "change_failure_rate", "time_to_restore_s"})
      s += ",\"" + std::string(k) + "\":" + std::to_string(side_value(side, k).value_or(0));
    s += "}";
  }
  return s + "}";
}

void DevopsModel::report_metrics(std::ostream& out) const { out << state_json() << "\n"; }

namespace {

bool truthy(const std::string& v) { return v == "true" || v == "1" || v == "yes"; }

}  // namespace

std::string build_devops(World& w, const DevopsConfig& cfg) {
  auto* model = static_cast<DevopsModel*>(w.add_model(std::make_unique<DevopsModel>(cfg)));
  model->world_ = &w;
  const size_t ns = cfg.services.size();
  for (size_t t = 0; t < ns; ++t) {
    const int team = static_cast<int>(t);
    model->teams_.push_back(w.add_node(cfg.services[t] + "-team", "client:team",
                                       [model, team](NodeId, Persistent*) { return std::make_unique<Team>(model, team); }));
  }
  auto stage = [&](const std::string& name, const std::string& kind) {
    return w.add_node(name, kind, [model, kind](NodeId, Persistent*) { return std::make_unique<Stage>(model, kind); });
  };
  if (cfg.services_side)
    for (size_t t = 0; t < ns; ++t) {
      const std::string& s = cfg.services[t];
      model->service_stages_.push_back({stage(s + "-build", "build"), stage(s + "-test", "test"),
                                        stage(s + "-canary", "canary"), stage(s + "-prod", "production")});
    }
  if (cfg.monolith_side) {
    model->train_ = w.add_node("train", "release-train", [model](NodeId, Persistent*) { return std::make_unique<Train>(model); });
    model->mono_stages_ = {stage("mono-build", "build"), stage("mono-test", "test"), stage("mono-prod", "production")};
  }
  model->queue_.resize(w.nodes().size());
  model->current_.assign(w.nodes().size(), -1);
  model->version_.assign(ns + 1, 0);

  std::string names;
  for (const auto& s : cfg.services) names += (names.empty() ? "" : ", ") + s;
  w.register_command(
      {"devops.commit",
       N_("A team pushes a change now: it goes through the service's own pipeline and waits for the monolith's "
          "release train."),
       {{"service", "string", true, N_("the team's service: cart, payment, search, ..."), "", "", ""},
        {"bad", "bool", false, N_("true: the change has a bug the tests miss (only users will see it)"), "", "", "false"},
        {"broken", "bool", false, N_("true: the change fails the tests"), "", "", "false"}},
       [model, names](World& world, const Command& c) {
         const int t = model->service_index(c.arg("service"));
         if (t < 0) return CommandResult::fail("devops.commit: service=" + c.arg("service") + ": no such service (" + names + ")");
         const NodeId team = model->team_node(t);
         if (world.node(team).status != NodeStatus::Up)
           return CommandResult::fail("devops.commit: " + world.node(team).name + " is down");
         Ctx ctx(world, team);
         model->commit(ctx, t, truthy(c.arg("bad", "false")), truthy(c.arg("broken", "false")), true);
         return CommandResult::success();
       }});
  if (cfg.services_side)
    w.register_command(
        {"devops.canary",
         N_("Switch the services' canary stage on or off: with it, each new version first runs for a few users, and "
            "a version that makes errors is rolled back."),
         {{"on", "bool", true, N_("true: canary on, false: straight to production"), "", "", ""},
          {"catch", "prob", false, N_("chance that the canary sees a bad change's errors (default: unchanged)"), "", "0..1", ""}},
         [model](World&, const Command& c) {
           double p = model->config().canary_catch;
           if (c.args.count("catch")) parse_number(c.arg("catch"), &p);
           model->config().canary = truthy(c.arg("on"));
           model->config().canary_catch = p;
           return CommandResult::success();
         }});
  if (cfg.monolith_side)
    w.register_command(
        {"devops.train_interval",
         N_("Set how often the monolith's release train leaves (1 simulated second stands for 1 hour of work)."),
         {{"hours", "number", true, N_("hours between two trains (simulated seconds), 0.5 to 200"), "h", "0.5..200", ""}},
         [model](World& world, const Command& c) {
           double h = 0;
           if (!parse_number(c.arg("hours"), &h) || h < 0.5 || h > 200)
             return CommandResult::fail("devops.train_interval: hours= must be in [0.5, 200] (got " + c.arg("hours") + ")");
           model->config().train_us = static_cast<Time>(std::llround(h * 1e6));
           if (auto* tr = dynamic_cast<Train*>(world.process(model->train()))) {
             Ctx ctx(world, model->train());
             tr->schedule(ctx);
           }
           return CommandResult::success();
         }});
  w.register_command({"devops.bad_rate", N_("Set the chance that a new change has a bug the tests miss."),
                      {{"rate", "prob", true, N_("probability, 0 to 1"), "", "0..1", ""}},
                      [model](World&, const Command& c) {
                        double p = 0;
                        parse_number(c.arg("rate"), &p);
                        model->config().bad_rate = p;
                        return CommandResult::success();
                      }});
  return "";
}

namespace {

std::string build_devops_scenario(World& w, const Params& p) {
  Params rest = p;
  DevopsConfig cfg;
  if (auto it = rest.find("style"); it != rest.end()) {
    const std::string& s = it->second;
    if (s != "both" && s != "services" && s != "monolith") return "style=" + s + " must be both, services or monolith";
    cfg.services_side = s != "monolith";
    cfg.monolith_side = s != "services";
    rest.erase(it);
  }
  if (auto it = rest.find("canary"); it != rest.end()) {
    bool b = true;
    if (!util::parse_bool(it->second, &b)) return "canary=" + it->second + " must be true or false";
    cfg.canary = b;
    rest.erase(it);
  }
  basic::ParamReader r(rest, {"teams", "commit_every_s", "bad_rate", "broken_rate", "canary_catch", "build_s", "test_s",
                              "canary_s", "deploy_s", "train_interval_s", "mono_build_s", "mono_test_s", "mono_deploy_s",
                              "detect_s", "rollback_s", "latency_ms", "tests_gate"});
  const int teams = static_cast<int>(r.integer("teams", 3, 1, 5));
  auto secs = [&](const char* k, double def, double lo, double hi) {
    return static_cast<Time>(std::llround(r.number(k, def, lo, hi) * 1e6));
  };
  cfg.commit_every_us = secs("commit_every_s", 2, 0, 1000);
  cfg.bad_rate = r.number("bad_rate", 0.05, 0, 1);
  cfg.broken_rate = r.number("broken_rate", 0.1, 0, 1);
  cfg.canary_catch = r.number("canary_catch", 0.9, 0, 1);
  cfg.build_us = secs("build_s", 0.25, 0.01, 100);
  cfg.test_us = secs("test_s", 0.5, 0.01, 100);
  cfg.canary_us = secs("canary_s", 0.5, 0.01, 100);
  cfg.deploy_us = secs("deploy_s", 0.25, 0.01, 100);
  cfg.train_us = secs("train_interval_s", 8, 0.5, 200);
  cfg.mono_build_us = secs("mono_build_s", 1, 0.01, 100);
  cfg.mono_test_us = secs("mono_test_s", 2, 0.01, 100);
  cfg.mono_deploy_us = secs("mono_deploy_s", 0.5, 0.01, 100);
  cfg.detect_us = secs("detect_s", 0.25, 0.01, 100);
  cfg.rollback_us = secs("rollback_s", 0.05, 0.01, 100);
  cfg.tests_gate = r.integer("tests_gate", 1, 0, 1) == 1;
  LinkParams link;
  link.latency_us = static_cast<Time>(std::llround(r.number("latency_ms", 20, 0, 1000) * 1000));
  if (!r.error().empty()) return r.error();
  cfg.services.assign(kTeamNames, kTeamNames + teams);
  w.set_default_link(link);
  return build_devops(w, cfg);
}

}  // namespace

}  // namespace topo::usecases

namespace topo {

void add_devops_scenarios(std::vector<ScenarioInfo>& v) {
  v.push_back({"devops",
               N_("DevOps pipelines: the same teams' changes shipped by each service's build, test, canary and deploy "
                  "pipeline and by a monolith's release train, side by side, with the four delivery measures of each"),
               usecases::build_devops_scenario});
  v.back().params = {
      {"style", "enum", "", "", "both", "which side to build: both side by side, only the services or only the monolith",
       {"both", "services", "monolith"}},
      {"teams", "int", "", "1..5", "3", "teams, one per service: cart, payment, search, catalog, profile"},
      {"commit_every_s", "number", "s", "0..1000", "2", "mean time between two changes of one team (0: only devops.commit)"},
      {"bad_rate", "prob", "", "0..1", "0.05", "chance that a change has a bug the tests miss"},
      {"broken_rate", "prob", "", "0..1", "0.1", "chance that a change fails the tests"},
      {"canary", "bool", "", "", "true", "the services' pipelines run a canary stage before production"},
      {"canary_catch", "prob", "", "0..1", "0.9", "chance that the canary sees a bad change's errors"},
      {"build_s", "number", "s", "0.01..100", "0.25", "a service's build (1 s stands for 1 hour)"},
      {"test_s", "number", "s", "0.01..100", "0.5", "a service's tests"},
      {"canary_s", "number", "s", "0.01..100", "0.5", "how long the canary runs before production"},
      {"deploy_s", "number", "s", "0.01..100", "0.25", "a service's deploy to production"},
      {"train_interval_s", "number", "s", "0.5..200", "8", "the monolith's release train leaves this often"},
      {"mono_build_s", "number", "s", "0.01..100", "1", "the monolith's build"},
      {"mono_test_s", "number", "s", "0.01..100", "2", "the monolith's whole test suite"},
      {"mono_deploy_s", "number", "s", "0.01..100", "0.5", "the monolith's deploy to production"},
      {"detect_s", "number", "s", "0.01..100", "0.25", "monitoring notices a bad version this long after users get it"},
      {"rollback_s", "number", "s", "0.01..100", "0.05", "a canary rollback takes this long"},
      {"latency_ms", "number", "ms", "0..1000", "20", "one-way network latency between the nodes"},
      {"tests_gate", "int", "", "0..1", "1", "0: a seeded bug, changes whose tests failed go on to production"},
  };
}

}  // namespace topo

namespace topo::usecases {

std::span<const Model::Word> DevopsModel::words() const {
  static constexpr Model::Word kWords[] = {
      // Messages.
      {"commit", N_("change pushed")}, {"built", N_("built")}, {"tested", N_("tested")}, {"canary ok", N_("canary passed")},
      {"release", N_("release")}, {"tests failed", N_("tests failed")}, {"rolled back", N_("rolled back")},
      {"alert", N_("alert: users see a bug")},
      // Roles, fields and values in the Inspector.
      {"team", N_("team")}, {"client:team", N_("team")}, {"build", N_("build")}, {"test", N_("test")},
      {"canary", N_("canary")}, {"production", N_("production")}, {"release-train", N_("release train")},
      {"service", N_("service")}, {"changes", N_("changes")},
      {"working_on", N_("changes being worked on")}, {"every_ms", N_("leaves every (ms)")},
      {"changes_waiting", N_("changes waiting")},
  };
  return kWords;
}

}  // namespace topo::usecases
