// The catalogue of built-in scenarios: the one list that knows every model (a layer above
// core/models, which register their scenarios through the add_*_scenarios functions of
// models/builtin_scenarios.h), and building a world or opening a replay by scenario name.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace topo {

struct ReplayFile;  // scenario/replay_file.h

/// All built-in scenarios, in a stable order.
const std::vector<ScenarioInfo>& scenarios();
const ScenarioInfo* find_scenario(const std::string& name);

/// Builds and starts a world; on failure returns null and sets `error`. Parameters are read with
/// the Command value grammar first ("raft-5: rate=0x10 is not a number").
std::unique_ptr<World> build_world(const std::string& scenario, uint64_t seed, const Params& params,
                                   std::string* error);

/// Same, calling `before_start(world)` after the scenario built it and before start() (the CLI
/// uses it to attach a trace sink so the events of start() are streamed too). A WorldFactory.
std::unique_ptr<World> build_world(const std::string& scenario, uint64_t seed, const Params& params,
                                   std::string* error,
                                   const std::function<void(World&)>& before_start);

/// open_replay (scenario/replay_file.h) for a built-in scenario.
std::unique_ptr<Session> open_replay(const ReplayFile& r, std::string* error);

}  // namespace topo
