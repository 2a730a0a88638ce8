// Use case "DevOps pipelines" (lesson 17): the same teams ship the same changes two ways, side
// by side in one world, and the four DORA measures are taken on each side.
//
//   services  each service (cart, payment, search) has its own pipeline: build -> test ->
//             canary -> production. A change is built, tested and deployed on its own, as soon
//             as it is committed. The canary runs the new version for a few users first: a
//             bad change is caught there (with probability `canary_catch`) and rolled back.
//   monolith  every change waits for the release train, which leaves every `train_interval`;
//             the train takes all waiting changes as one release through one build, one (longer)
//             test run and one deploy of the whole program to everyone. A change that fails the
//             tests is pulled out and the rest tested again; a bad change the tests miss ships
//             with everything, and everyone has the bug until its fix rides the next train.
//
// Time scale: one simulated second stands for one hour of work; a working day is 8 seconds.
// Each team commits at random (exponential gaps, mean `commit_every`, the team node's own seeded
// stream); each change is bad (a bug the tests miss) with probability `bad_rate` and broken (the
// tests catch it) with probability `broken_rate`. Every change goes to both sides (twins), so the
// two ways of shipping see exactly the same work. When monitoring sees a bad change in production
// (`detect` after it went live) its team commits a fix on that side; the failure is restored when
// the fix is live. A bad change caught by the canary is restored when the rollback is done.
//
// Nodes: the teams `cart-team`, `payment-team`, `search-team` (role "client:team"), then per
// service `S-build`, `S-test`, `S-canary`, `S-prod` (roles "build", "test", "canary",
// "production"), then `train`, `mono-build`, `mono-test`, `mono-prod` ("release-train", "build",
// "test", "production"). Messages: "commit" (team -> build or train), "release" (train ->
// mono-build), "built", "tested", "canary ok" (stage -> next stage), "tests failed",
// "rolled back", "alert" (stage -> team). A stage works on one release at a time; its queue is
// kept in the model (a CI server's job queue on disk), so a crashed stage resumes when restarted,
// and a job sent to a stage that is down waits in its queue (one already on the wire when the
// stage crashes is lost with the message).
// Commands: `devops.commit service=S [bad=true] [broken=true]`, `devops.canary on=true|false
// [catch=P]`, `devops.train_interval hours=H`, `devops.bad_rate rate=P`.
// Values: see value_decls() in devops.cpp. The checker (violations()) reports a change that ended
// twice ("Ends Once") or went live after its tests failed ("No Untested Deploy"); `tests_gate=0`
// is a seeded bug that ships changes whose tests failed. `topolab-cli chaos --scenario devops`
// runs fault campaigns against it (models/chaos/targets.cpp; docs/chaos.md).
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace topo::usecases {

struct DevopsConfig {
  bool services_side = true;  ///< build the per-service pipelines
  bool monolith_side = true;  ///< build the release train
  std::vector<std::string> services = {"cart", "payment", "search"};
  Time commit_every_us = 2 * kSec;  ///< mean time between two changes of one team
  double bad_rate = 0.05;           ///< a change has a bug the tests miss
  double broken_rate = 0.1;         ///< a change fails the tests
  bool canary = true;
  double canary_catch = 0.9;        ///< the canary sees a bad change's errors
  Time build_us = 250 * kMs, test_us = 500 * kMs, canary_us = 500 * kMs, deploy_us = 250 * kMs;
  Time train_us = 8 * kSec;         ///< a release train leaves this often
  Time mono_build_us = 1 * kSec, mono_test_us = 2 * kSec, mono_deploy_us = 500 * kMs;
  Time detect_us = 250 * kMs;       ///< monitoring notices a bad version this long after users get it
  Time rollback_us = 50 * kMs;      ///< a canary rollback takes this long
  bool tests_gate = true;           ///< false: a seeded bug, changes whose tests failed go on
};

enum class DevopsSide : int { Services = 0, Monolith = 1 };

/// One change on one side (each commit makes a twin on each side built).
struct DevopsChange {
  enum class State { Waiting, InPipeline, Live, RolledBack, Rejected };
  int id = 0;
  int side = 0;
  int team = 0;
  Time commit_at = 0;
  bool bad = false, broken = false;
  int fix_of = -1;          ///< the bad change this one fixes (-1: an ordinary change)
  bool by_learner = false;  ///< committed with devops.commit
  State state = State::Waiting;
  int release = -1;
  bool tests_failed = false;
  Time live_at = -1;
  Time repaired_at = -1;    ///< a bad change: when its fix went live
  int fix = -1;             ///< a bad change: the change that fixes it, once committed
};

/// A group of changes moving through one pipeline (services: one change; monolith: a train).
struct DevopsRelease {
  int id = 0;
  int side = 0;
  int service = -1;          ///< -1: the monolith
  std::vector<int> changes;
  int stage = 0;             ///< index into the pipeline's stage nodes
  int queued_stage = -1;     ///< the stage whose queue has taken it (a duplicate message is ignored)
  bool caught = false;       ///< the canary will see its bug and roll it back
  Time hurt_from = -1;       ///< users started getting a bad change (canary or production)
  Time restored_at = -1;
  bool failed = false, rolled_back = false, live = false, done = false;
};

class DevopsModel : public Model {
 public:
  std::span<const Word> words() const override;
  explicit DevopsModel(DevopsConfig cfg) : cfg_(std::move(cfg)) {}
  std::string name() const override { return "devops"; }
  void report_metrics(std::ostream& out) const override;
  std::string state_json() const override;
  std::vector<std::string> violations() const override { return violations_; }
  std::optional<double> value(std::string_view key) const override;
  std::vector<ValueDecl> value_decls() const override;
  std::vector<std::string> value_names(std::string_view placeholder) const override;

  DevopsConfig& config() { return cfg_; }
  const DevopsConfig& config() const { return cfg_; }
  const std::vector<DevopsChange>& changes() const { return changes_; }
  const std::vector<DevopsRelease>& releases() const { return releases_; }
  /// Index of a service name in config().services, -1 if none.
  int service_index(std::string_view name) const;

  // The processes' hooks (one call per event; `ctx` is the calling node's).
  /// Team `team` commits a change on every side; returns the services-side change id (or the
  /// monolith's when only that side exists).
  int commit(Ctx& ctx, int team, bool bad, bool broken, bool by_learner);
  /// The team of bad change `bad_id` commits its fix on the change's side.
  void commit_fix(Ctx& ctx, int bad_id);
  /// Sends a release (to a stage) or a change (to the train) as message `kind`; when that node is
  /// down the item goes straight into its queue instead, for when it is back.
  void forward(Ctx& ctx, NodeId to, const char* kind, int item);
  /// A release message reached stage node `node`: queue it there, unless it is not that stage's
  /// turn or it is queued there already (the network may duplicate a message; a CI server
  /// takes a job id once).
  void arrive(NodeId node, int release);
  /// The train leaves: the waiting changes become one release; -1 if none wait.
  int depart_train(Time now);
  /// The stage node `node` takes its next queued release (if idle); returns it, or -1.
  int take_next(NodeId node);
  /// The work release `r` needs at its current stage (its length).
  Time begin_stage(Ctx& ctx, int r);
  /// Release `r` finished its stage at `ctx`'s node: sends it on (or back). Returns true when
  /// the stage must run again (a monolith retest after pulling broken changes).
  bool end_stage(Ctx& ctx, int r);
  /// Monitoring noticed release `r`'s bug in production: alerts the teams of its bad changes.
  void detect(Ctx& ctx, int r);
  /// The release a stage node is working on (-1: idle), and the queue behind it.
  int current(NodeId node) const { return current_[static_cast<size_t>(node)]; }
  void set_current(NodeId node, int r) { current_[static_cast<size_t>(node)] = r; }
  size_t queued(NodeId node) const { return queue_[static_cast<size_t>(node)].size(); }
  Time train_last() const { return train_last_; }
  void set_train_last(Time t) { train_last_ = t; }
  NodeId train() const { return train_; }
  NodeId mono_build() const { return mono_stages_.empty() ? kNoNode : mono_stages_[0]; }
  NodeId team_node(int team) const { return teams_[static_cast<size_t>(team)]; }
  const std::vector<NodeId>& teams() const { return teams_; }
  /// Every pipeline node: the services' stages, then the train and the monolith's stages.
  std::vector<NodeId> pipeline_nodes() const;

 private:
  friend std::string build_devops(World& w, const DevopsConfig& cfg);
  /// The stage nodes of release `r`'s pipeline, in order.
  const std::vector<NodeId>& pipeline(const DevopsRelease& r) const;
  void go_live(Ctx& ctx, DevopsRelease& r);
  void finish(DevopsChange& c, DevopsChange::State s, Time now);
  int new_change(int side, int team, Time now, bool bad, bool broken, int fix_of, bool by_learner);
  void send_to_build(Ctx& ctx, int change);
  std::optional<double> side_value(int side, std::string_view what) const;
  /// What the side's value keys count, from one pass; recomputed only after the model changed.
  struct SideStats {
    int64_t committed = 0, waiting = 0, in_pipeline = 0, live = 0, rejected = 0, down = 0;
    int64_t deploys = 0, failures = 0, incidents = 0, rollbacks = 0, changes_in_deploys = 0, last_batch = 0;
    double lead_median_s = 0, lead_max_s = 0, restore_median_s = 0;
  };
  const SideStats& stats(int side) const;
  bool has_side(int side) const { return side == 0 ? cfg_.services_side : cfg_.monolith_side; }

  DevopsConfig cfg_;
  World* world_ = nullptr;
  std::vector<NodeId> teams_;
  std::vector<std::vector<NodeId>> service_stages_;  ///< per service: build, test, canary, prod
  std::vector<NodeId> mono_stages_;                  ///< mono-build, mono-test, mono-prod
  NodeId train_ = kNoNode;
  std::vector<DevopsChange> changes_;
  std::vector<DevopsRelease> releases_;
  std::vector<std::deque<int>> queue_;  ///< per node: releases waiting for the stage
  std::vector<int> current_;            ///< per node: the release in the stage (-1 idle)
  std::vector<int> train_waiting_;      ///< changes waiting for the next train
  Time train_last_ = 0;                 ///< when the last train left (or the start)
  std::vector<int64_t> version_;        ///< per service, then the monolith: production version
  int learner_change_[2] = {-1, -1};    ///< the last change committed with devops.commit, per side
  int64_t learner_commits_ = 0;         ///< devops.commit calls that committed
  std::vector<std::string> violations_;
  uint64_t epoch_ = 0;                  ///< bumped by every change of the changes and releases
  mutable SideStats stats_[2];
  mutable uint64_t stats_epoch_[2] = {~0ull, ~0ull};
};

/// Builds the devops world into `w` (not started): nodes, the model and the devops.* Commands.
std::string build_devops(World& w, const DevopsConfig& cfg);

}  // namespace topo::usecases
