// Building worlds from scenarios and replayable sessions: a Session is (scenario, params, seed,
// command log); rewind(t) rebuilds the world and replays the commands logged at or before t at
// their simulated times, which reproduces the earlier state exactly because commands are applied
// only between run_until calls.
#include <limits>
#include <stdexcept>

#include "scenario/scenario.h"

namespace topo {

namespace {

/// The one replay-a-log loop: from `log[first]` on, while a command's time is <= `stop`, runs `w`
/// to that time and applies the command there. Returns the index of the first command not
/// applied; when that command was due (at <= stop) but refused, or is before the world's time,
/// sets `*why` to the reason (else leaves it empty).
size_t apply_log(World& w, const std::vector<LoggedCommand>& log, size_t first, Time stop, std::string* why) {
  why->clear();
  size_t i = first;
  for (; i < log.size() && log[i].at <= stop; ++i) {
    const LoggedCommand& lc = log[i];
    if (lc.at < w.now()) {
      *why = "it is before the world's time";
      break;
    }
    w.run_until(lc.at);
    CommandResult r = w.apply(lc.cmd);
    if (!r.ok) {
      *why = r.error;
      break;
    }
  }
  return i;
}

}  // namespace

std::unique_ptr<Session> Session::create(const std::string& scenario, uint64_t seed,
                                         const Params& params, WorldFactory factory,
                                         std::string* error) {
  if (!factory) {
    if (error) *error = "no world factory for \"" + scenario + "\"";
    return nullptr;
  }
  auto w = factory(scenario, seed, params, error, nullptr);
  if (!w) return nullptr;
  auto s = std::unique_ptr<Session>(new Session());
  s->factory_ = std::move(factory);
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
  std::string why;
  const size_t done = apply_log(*world_, future_, 0, t, &why);
  if (!why.empty()) throw std::runtime_error("replaying \"" + future_[done].cmd.to_text() + "\" failed: " + why);
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

std::string Session::log_text(const World& w) { return log_text(w.command_log()); }

std::string Session::log_text(const std::vector<LoggedCommand>& log) {
  std::string out;
  for (const auto& lc : log) out += std::to_string(lc.at) + " " + lc.cmd.to_text() + "\n";
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
  // A recorded future (after a rewind) plays up to the first new command, which then branches
  // off it (as apply() does).
  if (!log.empty() && log.front().at >= world_->now()) run_until(log.front().at);
  std::string why;
  const size_t done = apply_log(*world_, log, 0, std::numeric_limits<Time>::max(), &why);
  if (done > 0) future_.clear();
  if (!why.empty()) {
    const LoggedCommand& lc = log[done];
    if (error) *error = "\"" + lc.cmd.to_text() + "\" at " + std::to_string(lc.at) + " us" +
                        (lc.at < world_->now() ? " is before the world's time" : ": " + why);
    return false;
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
  auto w = factory_(scenario_, seed_, params_, &err,
                    [capacity](World& fresh) { fresh.trace().set_capacity(capacity); });
  if (!w) throw std::runtime_error("rewind: cannot rebuild " + scenario_ + ": " + err);
  // Commands the scenario itself applied while building are already in the fresh world's log.
  std::string why;
  const size_t stopped = apply_log(*w, log, w->command_log().size(), t, &why);
  if (!why.empty()) throw std::runtime_error("rewind: replaying \"" + log[stopped].cmd.to_text() + "\" failed: " + why);
  w->run_until(t);
  world_ = std::move(w);
  future_ = std::move(future);
}

}  // namespace topo
