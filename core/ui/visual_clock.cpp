// The visual clock: see visual_clock.h.
#include "ui/visual_clock.h"

#include <algorithm>
#include <cmath>

namespace topo::ui {

Time shortest_flight_us(const std::vector<const World*>& worlds, size_t max_messages) {
  Time best = -1;
  for (const World* w : worlds) {
    if (!w) continue;
    const auto& st = w->net_stats();
    const uint64_t in_flight = st.sent + st.duplicated - st.delivered - st.dropped;
    if (in_flight == 0) continue;
    if (in_flight > max_messages) return -1;
    for (const Message* m : w->in_flight()) {
      const Time span = std::max<Time>(1, m->deliver_at - m->sent_at);
      if (best < 0 || span < best) best = span;
    }
  }
  return best;
}

double visual_rate_us(double speed, Time span_us, const VisualClockOptions& o) {
  const double chosen = speed * 1e6;
  if (!o.slow_motion || span_us <= 0) return chosen;
  const double floor_rate = chosen / std::max(1.0, o.max_slowdown);
  return std::max(floor_rate, std::min(chosen, static_cast<double>(span_us) / o.min_flight_wall_s));
}

Time advance_visual(double wall_s, double speed, const VisualClockOptions& o, const std::vector<const World*>& worlds,
                    const std::function<Time()>& now, const std::function<std::optional<Time>()>& next,
                    const std::function<void(Time)>& run_to, double* carry_us) {
  const Time start = now();
  double wall = wall_s;
  // Each pass runs to the next event (which may send or deliver a message and so change the
  // pace) or spends the rest of the frame. A bounded number of passes per frame: a world busier
  // than that is a crowd and runs at the chosen speed for the rest of the frame.
  for (int pass = 0; wall > 1e-9; ++pass) {
    const double rate = pass < 400 ? visual_rate_us(speed, shortest_flight_us(worlds, o.max_messages), o) : speed * 1e6;
    const Time t = now();
    const std::optional<Time> nx = next();
    const double need_us = nx ? static_cast<double>(*nx - t) - *carry_us : 1e300;
    const double can_us = wall * rate;
    if (pass >= 400 || !o.slow_motion || can_us < need_us) {
      *carry_us += can_us;
      const Time step = static_cast<Time>(*carry_us);
      *carry_us -= static_cast<double>(step);
      if (step > 0) run_to(t + step);
      break;
    }
    run_to(*nx);
    *carry_us = 0.0;
    wall -= std::max(0.0, need_us) / rate;
    if (now() == t && need_us > 0) break;   // the world did not move (a predict awaits an answer)
  }
  return now() - start;
}

}  // namespace topo::ui
