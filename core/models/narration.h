// Narration: what happens in a world, in words a student reads or hears ("n1 crashed", "n3
// became leader in term 2", "checkout errors rose to 40%", "the circuit breaker on checkout ->
// payment opened", "payment v2 is now on 1 of 3 replicas"). A Model added to every world at build
// time; it looks at the world at the fixed sample boundaries (World::add_sampler), never changes
// it, and groups what happened at one simulated moment into one line per kind ("n1 and n2
// crashed"), so the same run always gives the same words, natively and in WebAssembly, however a
// UI cut the run into frames. The desktop's Event log, the page's live region (aria-live) and
// `topolab-cli run --narrate` all read these lines.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sim/world.h"

namespace topo {

struct NarrationLine {
  Time t = 0;          ///< simulated time of the boundary that saw it
  uint64_t id = 0;     ///< 1, 2, 3, ... (the page announces lines it has not announced yet)
  std::string text;
};

class Narration : public Model {
 public:
  std::string name() const override { return "narration"; }
  /// {"count": N, "lines": [{"id", "t_us", "text"}, ...]} with the newest 30 lines.
  std::string state_json() const override;
  const std::vector<NarrationLine>& lines() const { return lines_; }
  uint64_t count() const { return next_id_ - 1; }
  /// Looks at the world at a sample boundary (called by the World's sampler).
  void sample(const World& w);
  /// The lines so far plus those of the trace events since the last boundary (before now), with
  /// the ids the next boundary will give them: what a UI shows between boundaries, when slow
  /// motion makes a boundary long in coming. Does not change anything.
  std::vector<NarrationLine> lines_now(const World& w) const;
  /// {"name", "count", "lines": the newest 30 as {"id", "t_us", "text"}}.
  static std::string lines_json(const std::vector<NarrationLine>& lines);

  /// Bands of an error rate: a line is said when a service moves to another band.
  static int error_band(double rate);
  /// The lowest rate of a band (0, 1%, 10%, 25%, 50%).
  static double band_floor(int band);

 private:
  void say(Time t, std::string text);
  void scan_trace(const World& w);
  /// Lines for the trace events after the first `seen`, at times before `before`, one group per
  /// simulated moment.
  static std::vector<std::pair<Time, std::string>> trace_lines(const World& w, uint64_t seen, Time before);
  void look_at_services(const World& w);

  std::vector<NarrationLine> lines_;   ///< bounded: the newest kMaxLines
  uint64_t next_id_ = 1;
  uint64_t trace_seen_ = 0;
  std::map<std::string, int> band_;          ///< service -> error band last said
  std::map<std::string, std::string> breaker_;   ///< "A->B" -> state last said
  std::map<std::string, int> rollout_;       ///< service -> new-version replicas last said
  std::map<std::string, std::string> deploy_status_;
  std::map<std::string, int> desired_;       ///< service -> replicas wanted last said
};

/// The world in a few sentences, for "describe what I see" (a screen-reader user's view of the
/// canvas): its servers by role and state ("5 servers: n3 leader in term 2; n1 crashed; n2, n4
/// and n5 followers"), its clients, a split network, and how well requests are answered.
std::string describe_world(const World& w);

/// Adds a Narration model and its sampler to `w` (before start()).
void install_narration(World& w);

}  // namespace topo
