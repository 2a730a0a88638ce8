// The list of built-in scenarios. Each model area contributes through one add_*_scenarios()
// function declared and called here (explicit, so a static library cannot drop it).
#include "scenario/scenario.h"

namespace topo {

// Each area declares its contribution here and calls it below, in catalogue order.
void add_basic_scenarios(std::vector<ScenarioInfo>& v);  // models/basic: ping, mm1, mmc, gossip
void add_raft_scenarios(std::vector<ScenarioInfo>& v);   // models/raft: raft-3, raft-5
void add_replication_scenarios(std::vector<ScenarioInfo>& v);  // models/replication: primary-backup, quorum, sharding
void add_services_scenarios(std::vector<ScenarioInfo>& v);  // models/services: shop, shop-monolith, shop-vs-monolith, mmc-service
// models/usecases (lesson 13): one file per use case.
void add_transfer_scenarios(std::vector<ScenarioInfo>& v);  // money transfer: 2PC vs saga
void add_game_scenarios(std::vector<ScenarioInfo>& v);      // multiplayer game state sync
void add_datajob_scenarios(std::vector<ScenarioInfo>& v);   // data-processing job
void add_feed_scenarios(std::vector<ScenarioInfo>& v);      // social feed fan-out
void add_cloud_scenarios(std::vector<ScenarioInfo>& v);     // cloud platform: placement over zones

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
    return v;
  }();
  return all;
}

const ScenarioInfo* find_scenario(const std::string& name) {
  for (const auto& s : scenarios())
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace topo
