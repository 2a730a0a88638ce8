// The visual clock: how much simulated time a frame shows. At lesson speeds a message between
// two servers (2 ms of simulated latency) would cross the screen in one frame, so while messages
// are in flight the clock slows down until the shortest flight takes at least
// `min_flight_wall_s` of real time (RaftScope's pace); when nothing is in flight it runs at the
// chosen speed again, so quiet stretches pass quickly. The clock only decides how far to run each
// frame: the world runs the same events in the same order (the trace is unchanged), it is only
// seen slower. Worlds drawn as flows (service particles) and crowds (hundreds of messages) are
// not slowed.
#pragma once

#include <functional>
#include <vector>

#include "sim/world.h"

namespace topo::ui {

struct VisualClockOptions {
  bool slow_motion = true;         ///< the learner's "slow motion" toggle
  double min_flight_wall_s = 0.32;  ///< a message stays on screen at least this long (real time)
  double max_slowdown = 150.0;     ///< never slower than speed / max_slowdown
  size_t max_messages = 200;       ///< more in flight than this: a crowd, not slowed
};

/// The shortest send-to-delivery span among the messages in flight in `worlds`, or -1 when none
/// (or more than `max_messages`: a crowd).
Time shortest_flight_us(const std::vector<const World*>& worlds, size_t max_messages);

/// Simulated microseconds per real second the clock allows at `speed` (simulated seconds per
/// real second) while the shortest flight in view lasts `span_us` (-1: nothing in flight).
double visual_rate_us(double speed, Time span_us, const VisualClockOptions& o);

/// Runs `wall_s` seconds of real time: `run_to(t)` must run the shown world(s) to simulated time
/// t (events at t included); `now()` and `next()` read the shown world(s)' time and next event.
/// `carry_us` keeps the fraction of a microsecond between frames. Returns the simulated time run.
Time advance_visual(double wall_s, double speed, const VisualClockOptions& o, const std::vector<const World*>& worlds,
                    const std::function<Time()>& now, const std::function<std::optional<Time>()>& next,
                    const std::function<void(Time)>& run_to, double* carry_us);

}  // namespace topo::ui
