// What each model area adds to the built-in scenario list: one function per area, defined in the
// area and called in catalogue order by core/catalog/catalog.cpp (the layer above the models).
#pragma once

#include <vector>

#include "scenario/scenario.h"

namespace topo {

void add_basic_scenarios(std::vector<ScenarioInfo>& v);        // models/basic: ping, mm1, mmc, gossip
void add_raft_scenarios(std::vector<ScenarioInfo>& v);         // models/raft: raft-3, raft-5
void add_replication_scenarios(std::vector<ScenarioInfo>& v);  // models/replication: primary-backup, quorum, sharding
void add_services_scenarios(std::vector<ScenarioInfo>& v);     // models/services: shop, shop-monolith, shop-vs-monolith, mmc-service, streaming
// models/usecases (lesson 13): one file per use case.
void add_transfer_scenarios(std::vector<ScenarioInfo>& v);     // money transfer: 2PC vs saga
void add_game_scenarios(std::vector<ScenarioInfo>& v);         // multiplayer game state sync
void add_datajob_scenarios(std::vector<ScenarioInfo>& v);      // data-processing job
void add_feed_scenarios(std::vector<ScenarioInfo>& v);         // social feed fan-out
void add_cloud_scenarios(std::vector<ScenarioInfo>& v);        // cloud platform: placement over zones
void add_devops_scenarios(std::vector<ScenarioInfo>& v);       // DevOps pipelines: per-service pipelines vs a release train

}  // namespace topo
