// Use-case model for lesson 13 (money-transfer). Adds its scenarios to the built-in list through
// add_transfer_scenarios(), called from core/scenario/registry.cpp.
#include "scenario/scenario.h"

namespace topo {

void add_transfer_scenarios(std::vector<ScenarioInfo>& v) { (void)v; }

}  // namespace topo
