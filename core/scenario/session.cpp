// Building worlds from scenarios and replayable sessions: a Session is (scenario, params, seed,
// command log); rewind(t) rebuilds the world and replays the commands logged at or before t at
// their simulated times, which reproduces the earlier state exactly because commands are applied
// only between run_until calls.
#include <stdexcept>

#include "scenario/scenario.h"

#include "models/default_series.h"
#include "models/narration.h"

namespace topo {

std::unique_ptr<World> build_world(const std::string& scenario, uint64_t seed, const Params& params,
                                   std::string* error,
                                   const std::function<void(World&)>& before_start) {
  const ScenarioInfo* info = find_scenario(scenario);
  if (!info) {
    if (error) {
      std::string names;
      for (const auto& s : scenarios()) names += (names.empty() ? "" : ", ") + s.name;
      *error = "unknown scenario \"" + scenario + "\" (scenarios: " + names + ")";
    }
    return nullptr;
  }
  auto w = std::make_unique<World>(seed);
  std::string err = info->build(*w, params);
  if (!err.empty()) {
    if (error) *error = scenario + ": " + err;
    return nullptr;
  }
  install_default_series(*w);   // charts from t = 0; samplers are not events (same traces)
  install_narration(*w);        // what happens, in words (a sampler too: same traces)
  if (before_start) before_start(*w);
  w->start();
  return w;
}

std::unique_ptr<World> build_world(const std::string& scenario, uint64_t seed, const Params& params,
                                   std::string* error) {
  return build_world(scenario, seed, params, error, nullptr);
}

std::unique_ptr<Session> Session::create(const std::string& scenario, uint64_t seed,
                                         const Params& params, std::string* error) {
  auto w = build_world(scenario, seed, params, error);
  if (!w) return nullptr;
  auto s = std::unique_ptr<Session>(new Session());
  s->scenario_ = scenario;
  s->params_ = params;
  s->seed_ = seed;
  s->world_ = std::move(w);
  return s;
}

CommandResult Session::apply(const Command& c) {
  CommandResult r = world_->apply(c);
  if (r.ok) future_.clear();
  return r;
}

void Session::run_until(Time t) {
  size_t done = 0;
  for (; done < future_.size() && future_[done].at <= t; ++done) {
    world_->run_until(future_[done].at);
    CommandResult r = world_->apply(future_[done].cmd);
    if (!r.ok) throw std::runtime_error("replaying \"" + future_[done].cmd.to_text() + "\" failed: " + r.error);
  }
  future_.erase(future_.begin(), future_.begin() + static_cast<long>(done));
  world_->run_until(t);
}

bool Session::step() {
  const std::optional<Time> next = world_->next_event_time();
  if (!future_.empty() && (!next || future_.front().at <= *next)) {
    run_until(future_.front().at);   // applies the recorded command at its own time
    return true;
  }
  return world_->step();
}

std::string Session::log_text(const World& w) {
  std::string out;
  for (const auto& lc : w.command_log()) out += std::to_string(lc.at) + " " + lc.cmd.to_text() + "\n";
  return out;
}

std::optional<std::vector<LoggedCommand>> Session::parse_log(const std::string& text, std::string* error) {
  std::vector<LoggedCommand> out;
  size_t line_no = 0, pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) {
      if (end == text.size()) break;
      continue;
    }
    const size_t sp = line.find(' ');
    const std::string at = line.substr(0, sp);
    Time t = -1;
    if (!at.empty() && at.find_first_not_of("0123456789") == std::string::npos && at.size() < 19) t = std::stoll(at);
    if (t < 0) {
      if (error) *error = "line " + std::to_string(line_no) + ": a command starts with its time in microseconds, not \"" + at + "\"";
      return std::nullopt;
    }
    if (!out.empty() && t < out.back().at) {
      if (error) *error = "line " + std::to_string(line_no) + ": time " + at + " is before the line above";
      return std::nullopt;
    }
    std::string perr;
    auto c = Command::parse(sp == std::string::npos ? "" : line.substr(sp + 1), &perr);
    if (!c) {
      if (error) *error = "line " + std::to_string(line_no) + ": " + perr;
      return std::nullopt;
    }
    out.push_back({t, *c});
    if (end == text.size()) break;
  }
  return out;
}

bool Session::replay(const std::vector<LoggedCommand>& log, Time until, std::string* error) {
  for (const auto& lc : log) {
    if (lc.at < world_->now()) {
      if (error) *error = "\"" + lc.cmd.to_text() + "\" at " + std::to_string(lc.at) + " us is before the world's time";
      return false;
    }
    run_until(lc.at);
    CommandResult r = apply(lc.cmd);
    if (!r.ok) {
      if (error) *error = "\"" + lc.cmd.to_text() + "\" at " + std::to_string(lc.at) + " us: " + r.error;
      return false;
    }
  }
  if (until > world_->now()) run_until(until);
  return true;
}

std::optional<Time> Session::next_replay_at() const {
  if (future_.empty()) return std::nullopt;
  return future_.front().at;
}

void Session::rewind(Time t) {
  if (t >= world_->now()) {
    run_until(t);
    return;
  }
  const std::vector<LoggedCommand> log = world_->command_log();
  std::vector<LoggedCommand> future;
  for (const auto& lc : log)
    if (lc.at > t) future.push_back(lc);
  future.insert(future.end(), future_.begin(), future_.end());
  const size_t capacity = world_->trace().capacity();
  std::string err;
  auto w = build_world(scenario_, seed_, params_, &err,
                       [capacity](World& fresh) { fresh.trace().set_capacity(capacity); });
  if (!w) throw std::runtime_error("rewind: cannot rebuild " + scenario_ + ": " + err);
  // Commands the scenario itself applied while building are already in the fresh world's log.
  for (size_t i = w->command_log().size(); i < log.size(); ++i) {
    const LoggedCommand& lc = log[i];
    if (lc.at > t) break;
    w->run_until(lc.at);
    CommandResult r = w->apply(lc.cmd);
    if (!r.ok) throw std::runtime_error("rewind: replaying \"" + lc.cmd.to_text() + "\" failed: " + r.error);
  }
  w->run_until(t);
  world_ = std::move(w);
  future_ = std::move(future);
}

}  // namespace topo
