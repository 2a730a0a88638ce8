// The catalogue of built-in scenarios (catalog/catalog.h): the list, in catalogue order, each
// model area contributing through its add_*_scenarios() function (models/builtin_scenarios.h;
// called explicitly, so a static library cannot drop it), and building worlds and sessions by
// scenario name. The one translation unit of the core that knows every model.
#include "catalog/catalog.h"

#include "models/builtin_scenarios.h"
#include "models/default_series.h"
#include "models/narration.h"
#include "scenario/reference.h"
#include "scenario/replay_file.h"

namespace topo {

const std::vector<ScenarioInfo>& scenarios() {
  static const std::vector<ScenarioInfo> all = [] {
    std::vector<ScenarioInfo> v;
    add_basic_scenarios(v);
    add_raft_scenarios(v);
    add_replication_scenarios(v);
    add_services_scenarios(v);
    add_transfer_scenarios(v);
    add_game_scenarios(v);
    add_datajob_scenarios(v);
    add_feed_scenarios(v);
    add_cloud_scenarios(v);
    add_devops_scenarios(v);
    return v;
  }();
  return all;
}

const ScenarioInfo* find_scenario(const std::string& name) {
  for (const auto& s : scenarios())
    if (s.name == name) return &s;
  return nullptr;
}

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
  // The value grammar first, the same for every model (util/parse.h, as Commands use it).
  for (const auto& [k, v] : params) {
    const std::string bad = check_param_value(info->params, k, v);
    if (!bad.empty()) {
      if (error) *error = scenario + ": " + bad;
      return nullptr;
    }
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
  return Session::create(scenario, seed, params, WorldFactory(
      [](const std::string& sc, uint64_t sd, const Params& p, std::string* err,
         const std::function<void(World&)>& before_start) {
        return build_world(sc, sd, p, err, before_start);
      }), error);
}

std::unique_ptr<Session> open_replay(const ReplayFile& r, std::string* error) {
  return open_replay(r, error, WorldFactory(
      [](const std::string& sc, uint64_t sd, const Params& p, std::string* err,
         const std::function<void(World&)>& before_start) {
        return build_world(sc, sd, p, err, before_start);
      }));
}

}  // namespace topo
