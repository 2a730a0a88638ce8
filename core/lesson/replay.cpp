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
                                      Time until_us, size_t step, uint64_t seed, std::string* error) {
  if (step >= L.steps.size()) {
    *error = "step " + std::to_string(step + 1) + " is out of range";
    return nullptr;
  }
  auto s = Session::create(L.scenario.name, seed, L.scenario.params, error);
  if (!s) return nullptr;
  std::vector<LoggedCommand> upto;
  for (const auto& lc : log)
    if (lc.at <= until_us) upto.push_back(lc);
  if (!s->replay(upto, until_us, error)) return nullptr;
  auto host = std::make_shared<std::unique_ptr<LessonWorld>>(std::make_unique<ReplayedLessonWorld>(std::move(s)));
  auto* replayed = static_cast<ReplayedLessonWorld*>(host->get());
  WorldSource src;
  src.names = source.names;
  src.make = [host](const std::string&, uint64_t, const Params&, std::string*) { return std::move(*host); };
  auto r = Runner::create(std::move(L), src, Mode::Interactive, error);
  if (!r) return nullptr;
  while (r->step_index() < step && !r->finished()) r->next(true);
  replayed->muted = false;
  return r;
}

}  // namespace topo::lesson
