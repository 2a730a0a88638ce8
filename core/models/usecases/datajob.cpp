// Use-case model for lesson 13 (data-processing-job). Adds its scenarios to the built-in list through
// add_datajob_scenarios(), called from core/scenario/registry.cpp.
#include "scenario/scenario.h"

namespace topo {

void add_datajob_scenarios(std::vector<ScenarioInfo>& v) { (void)v; }

}  // namespace topo
