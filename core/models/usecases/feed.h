// Use-case model for lesson 13 (social feed), scenario "feed": a users node posts and reads
// timelines; the post service stores each post and, with fan-out on write, pushes it into every
// follower's timeline in the timeline cache (a celebrity with many followers means a burst of
// writes and a queue at the cache); with fan-out on read the timeline service instead pulls the
// posts of every followed account from the post store at read time (read cost grows with the
// number of follows); hybrid pushes normal authors and pulls celebrities. Every post also goes
// through a notification queue to a notifier: asynchronous, so a slow or crashed notifier never
// fails a post; the queue's backlog grows and drains once the notifier is back.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "sim/world.h"

namespace topo::usecases {

enum class FanoutMode { Write = 0, Read = 1, Hybrid = 2 };
const char* to_string(FanoutMode m);
/// Parses "write", "read" or "hybrid"; false otherwise.
bool parse_fanout_mode(const std::string& s, FanoutMode* out);

/// Parameters of the feed world (scenario parameters; the feed.* commands change them live).
struct FeedConfig {
  FanoutMode mode = FanoutMode::Write;
  double posts_per_s = 10;          ///< posts arriving per second (Poisson)
  double reads_per_s = 40;          ///< timeline reads per second (Poisson)
  int follows = 100;                ///< accounts each user follows (= followers of a normal author)
  int celebrity_followers = 20000;  ///< followers of the celebrity (feed.celebrity_post)
  int celebrity_threshold = 1000;   ///< hybrid: authors with more followers are pulled at read time
  Time notify_cost_us = 20 * kMs;   ///< notifier CPU per notification
  Time timeout_us = 2 * kSec;       ///< the users give up on a request after this long
};

/// The feed's counters and latency windows. Value keys (see value()).
class FeedModel : public Model {
 public:
  std::span<const Word> words() const override;
  FeedModel(const World* w, FeedConfig cfg) : world_(w), cfg_(cfg) {}
  std::string name() const override { return "feed"; }
  /// Keys: mode (0 write, 1 read, 2 hybrid), posts_ok, posts_failed, reads_ok, reads_failed,
  /// post_latency_ms_p50/_p95/_max and read_latency_ms_p50/_p95/_max (last 5 s), fanout_writes
  /// (timeline-cache writes done for posts, total), read_fetches (followed accounts pulled at read
  /// time, total), writes_per_post and fetches_per_read (mean per request, last 5 s),
  /// queue_depth (notifications queued or being handled), notifications_enqueued,
  /// notifications_sent, redeliveries, celebrity_posts, celebrity_post_ms (latency of the last
  /// celebrity post, 0 before), follows, posts_per_s, reads_per_s, celebrity_followers.
  std::optional<double> value(std::string_view key) const override;
  std::vector<ValueDecl> value_decls() const override;
  std::string state_json() const override;
  void report_metrics(std::ostream& out) const override;

  FeedConfig& config() { return cfg_; }
  const FeedConfig& config() const { return cfg_; }

  // ---- recorded by the feed's processes ----
  void post_done(Time now, Time latency_us, int64_t writes, bool celebrity);
  void read_done(Time now, Time latency_us, int64_t fetches);
  int64_t posts_ok = 0, posts_failed = 0, reads_ok = 0, reads_failed = 0;
  int64_t fanout_writes = 0, read_fetches = 0;
  int64_t notifications_enqueued = 0, notifications_sent = 0, redeliveries = 0;
  int64_t celebrity_posts = 0;
  Time celebrity_post_us = 0;
  int64_t queue_depth = 0;
  NodeId users = kNoNode, post = kNoNode, timeline = kNoNode, store = kNoNode, cache = kNoNode, queue = kNoNode,
         notifier = kNoNode;

 private:
  struct Done {
    Time at;
    Time latency_us;
    int64_t cost;   ///< timeline writes (posts) or fetched accounts (reads)
  };
  static void prune(std::deque<Done>& d, Time now);
  static double quantile_ms(const std::deque<Done>& d, double q);
  const World* world_;
  FeedConfig cfg_;
  std::deque<Done> posts_, reads_;
};

}  // namespace topo::usecases
