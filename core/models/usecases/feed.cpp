// Use-case model for lesson 13 (social-feed). Adds its scenarios to the built-in list through
// add_feed_scenarios(), called from core/scenario/registry.cpp.
#include "scenario/scenario.h"

namespace topo {

void add_feed_scenarios(std::vector<ScenarioInfo>& v) { (void)v; }

}  // namespace topo
