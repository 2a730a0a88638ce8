// Replay files (see replay_file.h).
#include "scenario/replay_file.h"

#include <algorithm>

#include "util/parse.h"

namespace topo {

std::string replay_text(const ReplayFile& r, const std::string& comment) {
  std::string out = "# Topolab replay: open it with `topolab --open FILE`\n";
  size_t pos = 0;
  while (pos < comment.size()) {
    size_t end = comment.find('\n', pos);
    if (end == std::string::npos) end = comment.size();
    out += "# " + comment.substr(pos, end - pos) + "\n";
    pos = end + 1;
  }
  out += "scenario " + r.scenario + "\nseed " + std::to_string(r.seed) + "\n";
  for (const auto& [k, v] : r.params) out += "set " + k + "=" + v + "\n";
  out += "at " + std::to_string(r.at_us) + "\nlog\n";
  return out + Session::log_text(r.log);
}

std::optional<ReplayFile> parse_replay(const std::string& text, const std::string& name, std::string* error) {
  ReplayFile r;
  bool have_scenario = false;
  size_t pos = 0, line_no = 0;
  auto fail = [&](const std::string& what) -> std::optional<ReplayFile> {
    if (error) *error = name + ":" + std::to_string(line_no) + ": " + what;
    return std::nullopt;
  };
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const size_t sp = line.find(' ');
    const std::string key = line.substr(0, sp), value = sp == std::string::npos ? "" : line.substr(sp + 1);
    int64_t n = 0;
    if (key == "scenario") {
      if (value.empty()) return fail("scenario wants a name");
      r.scenario = value;
      have_scenario = true;
    } else if (key == "seed") {
      if (!util::parse_int(value, &n) || n < 0) return fail("seed wants a whole number >= 0, not \"" + value + "\"");
      r.seed = static_cast<uint64_t>(n);
    } else if (key == "set") {
      const size_t eq = value.find('=');
      if (eq == std::string::npos || eq == 0) return fail("set wants KEY=VALUE, not \"" + value + "\"");
      r.params[value.substr(0, eq)] = value.substr(eq + 1);
    } else if (key == "at") {
      if (!util::parse_int(value, &n) || n < 0) return fail("at wants simulated microseconds, not \"" + value + "\"");
      r.at_us = n;
    } else if (key == "log" && value.empty()) {
      std::string err;
      auto log = Session::parse_log(text.substr(std::min(pos, text.size())), &err);
      if (!log) {
        // "line N: ..." counts from the first log line.
        int64_t rel = 0;
        const size_t colon = err.find(':');
        if (err.rfind("line ", 0) == 0 && colon != std::string::npos && util::parse_int(err.substr(5, colon - 5), &rel))
          return (line_no += static_cast<size_t>(rel), fail(err.substr(colon + 2)));
        return fail(err);
      }
      r.log = std::move(*log);
      break;
    } else {
      return fail("unknown line \"" + key + "\" (a replay has scenario, seed, set, at, then log)");
    }
  }
  if (!have_scenario) {
    line_no = 1;
    return fail("no scenario line: this is not a Topolab replay");
  }
  return r;
}

std::unique_ptr<Session> open_replay(const ReplayFile& r, std::string* error, WorldFactory factory) {
  auto s = Session::create(r.scenario, r.seed, r.params, std::move(factory), error);
  if (!s) return nullptr;
  const Time last = r.log.empty() ? Time{0} : r.log.back().at;
  if (!s->replay(r.log, std::max(r.at_us, last), error)) return nullptr;
  // Commands after the moment stay the recorded future: playing on from it replays them.
  if (r.at_us < last) s->rewind(r.at_us);
  return s;
}

}  // namespace topo
