// Rebuilding a lesson at a moment of its run: see replay.h.
#include "lesson/replay.h"

#include "lesson/world_facts.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

namespace topo::lesson {

namespace {

/// A lesson world rebuilt by replaying a command log. While `muted`, the runner's step actions
/// (already in the log) are not applied again and time does not move: the runner is placed at
/// its step without changing the replayed world.
class ReplayedLessonWorld : public LessonWorld {
 public:
  explicit ReplayedLessonWorld(std::unique_ptr<Session> s) : s_(std::move(s)) {}
  World& world() override { return s_->world(); }
  CommandResult apply(const Command& c) override { return muted ? CommandResult::success() : s_->apply(c); }
  void run_until(Time t) override {
    if (!muted) s_->run_until(t);
  }
  Session* session() override { return s_.get(); }
  bool muted = true;

 private:
  std::unique_ptr<Session> s_;
};

}  // namespace

std::unique_ptr<Runner> replay_lesson(Lesson L, const WorldSource& source, const std::vector<LoggedCommand>& log,
                                      Time until_us, size_t step, uint64_t seed, std::string* error,
                                      const std::vector<LoggedCommand>* right_log) {
  if (step >= L.steps.size()) {
    *error = "step " + std::to_string(step + 1) + " is out of range";
    return nullptr;
  }
  if (L.compare && !right_log) {
    *error = "a compare lesson replays two command logs";
    return nullptr;
  }
  // One replayed world per scenario of the lesson (two for a compare lesson), handed to the
  // runner in the order it builds them: the left (or only) world first.
  const ScenarioRef* refs[2] = {&L.scenario, L.compare ? &L.compare->right : nullptr};
  const std::vector<LoggedCommand>* logs[2] = {&log, right_log};
  auto hosts = std::make_shared<std::vector<std::unique_ptr<LessonWorld>>>();
  std::vector<ReplayedLessonWorld*> replayed;
  for (int i = 0; i < 2 && refs[i]; ++i) {
    auto s = Session::create(refs[i]->name, seed, refs[i]->params, error);
    if (!s) return nullptr;
    std::vector<LoggedCommand> upto;
    for (const auto& lc : *logs[i])
      if (lc.at <= until_us) upto.push_back(lc);
    if (!s->replay(upto, until_us, error)) return nullptr;
    auto w = std::make_unique<ReplayedLessonWorld>(std::move(s));
    replayed.push_back(w.get());
    hosts->push_back(std::move(w));
  }
  WorldSource src;
  src.names = source.names;
  auto next = std::make_shared<size_t>(0);
  src.make = [hosts, next](const std::string&, uint64_t, const Params&, std::string* err) -> std::unique_ptr<LessonWorld> {
    if (*next >= hosts->size()) {
      if (err) *err = "no replayed world left";
      return nullptr;
    }
    return std::move((*hosts)[(*next)++]);
  };
  L.scenario.seed = seed;
  auto r = Runner::create(std::move(L), src, Mode::Interactive, error);
  if (!r) return nullptr;
  while (r->step_index() < step && !r->finished()) r->next(true);
  for (auto* w : replayed) w->muted = false;
  return r;
}

}  // namespace topo::lesson
