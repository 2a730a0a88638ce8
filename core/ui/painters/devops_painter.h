// The devops pipelines (models/usecases/devops.h) on the canvas: each service's pipeline is a lane
// read left to right (team -> build -> test -> canary -> production), the monolith's release train
// a lane of its own under them, so a change is seen moving through the stages and a student can
// compare the two ways of shipping at a glance. The positions are a plain function for the tests.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "ui/painters/painter.h"

namespace topo::usecases {
class DevopsModel;
}

namespace topo::ui {

/// Lane and column of each devops node in layout units' grid: {column, lane}. Teams stand in
/// column 0 of their service's lane; stages in columns 1-4; the train's lane is below the services'.
struct LaneSlot {
  int column = 0;
  float lane = 0;
};
std::map<NodeId, LaneSlot> devops_slots(const World& w, const usecases::DevopsModel& m);

std::unique_ptr<WorldPainter> make_devops_painter(const World& w);

}  // namespace topo::ui
