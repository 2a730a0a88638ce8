// Use-case model for lesson 13 (multiplayer-game). Adds its scenarios to the built-in list through
// add_game_scenarios(), called from core/scenario/registry.cpp.
#include "scenario/scenario.h"

namespace topo {

void add_game_scenarios(std::vector<ScenarioInfo>& v) { (void)v; }

}  // namespace topo
