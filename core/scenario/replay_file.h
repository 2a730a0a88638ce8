// Replay files: one run of a scenario written down so that anyone can open it again, exactly.
// A world is a pure function of (scenario, parameters, seed, command log), so a replay file holds
// just those and the moment to show. `topolab-cli chaos` writes one for every shrunk
// counterexample; `topolab --open FILE` opens it in the desktop lab, paused at that moment, and
// `topolab-cli hash --replay FILE` prints its trace hash.
//
//   # Topolab replay (comment lines start with #)
//   scenario raft-3
//   seed 355
//   set raft.persist_vote=false        (one line per scenario parameter)
//   at 2471000                         (simulated microseconds to run to)
//   log                                (then the command log, one `TIME_US command` per line)
//   183000 crash node=n1
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace topo {

struct ReplayFile {
  std::string scenario;
  uint64_t seed = 1;
  Params params;
  Time at_us = 0;
  std::vector<LoggedCommand> log;
};

/// The file's text (the format above).
std::string replay_text(const ReplayFile& r, const std::string& comment = "");
/// Parses a replay file; on an error returns nullopt and sets `error` to "NAME:LINE: what".
std::optional<ReplayFile> parse_replay(const std::string& text, const std::string& name, std::string* error);
/// Builds the scenario and replays the log, then stands at `at_us`: the commands recorded after
/// it stay the session's recorded future (playing on replays them). Null and `error` when the
/// scenario cannot be built or a command is refused. `factory` builds the worlds (the built-in
/// scenarios: catalog/catalog.h's open_replay(r, error)).
std::unique_ptr<Session> open_replay(const ReplayFile& r, std::string* error, WorldFactory factory);

}  // namespace topo
