// Use-case model for lesson 13 (social feed), scenario "feed": users -> post service -> post
// store, then (fan-out on write) batches of timeline writes to the timeline cache; users ->
// timeline service -> timeline cache (write) or post store (read: one fetch costing per followed
// account); post service -> notification queue -> notifier (asynchronous, acknowledged, redelivered
// after a notifier crash). Every hop is an engine message and every cost is CPU work on the node,
// so slowing or crashing a node (engine commands) shows where the work is. See feed.h for keys.
// Added to the built-in list through add_feed_scenarios(), called from core/catalog/catalog.cpp.
#include "models/usecases/feed.h"

#include <algorithm>
#include <map>
#include <ostream>

#include "models/basic/basic.h"
#include "models/builtin_scenarios.h"
#include "scenario/scenario.h"
#include "util/i18n.h"

namespace topo::usecases {

const char* to_string(FanoutMode m) {
  switch (m) {
    case FanoutMode::Write: return "write";
    case FanoutMode::Read: return "read";
    case FanoutMode::Hybrid: return "hybrid";
  }
  return "?";
}

bool parse_fanout_mode(const std::string& s, FanoutMode* out) {
  if (s == "write") { *out = FanoutMode::Write; return true; }
  if (s == "read") { *out = FanoutMode::Read; return true; }
  if (s == "hybrid") { *out = FanoutMode::Hybrid; return true; }
  return false;
}

namespace {

// CPU costs (at cpu_speed 1).
constexpr Time kPostCost = 1 * kMs;            ///< post service: check and accept a post
constexpr Time kStoreWriteCost = 500;          ///< post store: append a post to its author's list
constexpr Time kTimelineWriteCost = 20;        ///< timeline cache: one follower's timeline gets the post
constexpr int kFanoutBatch = 100;              ///< followers per fan-out message
constexpr Time kReadCost = 500;                ///< timeline service: accept a read
constexpr Time kCacheGetCost = 300;            ///< timeline cache: return one ready timeline
constexpr Time kFetchCostPerAccount = 200;     ///< post store: recent posts of one followed account
constexpr Time kMergeCostPerAccount = 10;      ///< timeline service: merge one account's posts
constexpr int kCelebritiesFollowed = 2;        ///< hybrid: celebrities a reader follows (pulled)
constexpr int kQueueWindow = 4;                ///< notifications handed to the notifier at once
constexpr Time kRedeliverAfter = 5 * kSec;     ///< unacknowledged notifications go back in the queue
constexpr Time kWindow = 5 * kSec;             ///< latency percentiles over this window
constexpr Time kSweep = 100 * kMs;

// Message values pack a request id with a small number.
uint64_t pack(uint64_t id, uint64_t small) { return (id << 20) | (small & 0xFFFFF); }
uint64_t id_of(uint64_t v) { return v >> 20; }
uint64_t small_of(uint64_t v) { return v & 0xFFFFF; }

// ---------------------------------------------------------------------------------------------
// users: Poisson posts and reads, timeouts
// ---------------------------------------------------------------------------------------------

enum : uint64_t { kPostTimer = 1, kReadTimer = 2, kSweepTimer = 3 };

class UsersProc final : public Process {
 public:
  explicit UsersProc(FeedModel* m) : m_(m) {}

  void on_start(Ctx& ctx) override {
    arm(ctx, kPostTimer);
    arm(ctx, kReadTimer);
    ctx.set_timer(kSweep, kSweepTimer);
  }

  void on_timer(Ctx& ctx, TimerId, uint64_t tag) override {
    if (tag == kSweepTimer) {
      sweep(ctx);
      ctx.set_timer(kSweep, kSweepTimer);
      return;
    }
    const double rate = tag == kPostTimer ? m_->config().posts_per_s : m_->config().reads_per_s;
    if (rate > 0) {
      if (tag == kPostTimer) post(ctx, false);
      else read(ctx);
    }
    arm(ctx, tag);
  }

  void on_message(Ctx& ctx, const Message& m) override {
    // The answer carries the request id and its cost (timeline writes or fetched accounts).
    auto it = pending_.find(id_of(m.value));
    if (it == pending_.end()) return;   // answered after the timeout: already counted as failed
    const Pending p = it->second;
    pending_.erase(it);
    const auto cost = static_cast<int64_t>(small_of(m.value));
    if (m.kind == "posted") m_->post_done(ctx.now(), ctx.now() - p.at, cost, p.celebrity);
    else m_->read_done(ctx.now(), ctx.now() - p.at, cost);
  }

  /// Sends one post; a celebrity's post reaches config().celebrity_followers followers.
  void post(Ctx& ctx, bool celebrity) {
    const uint64_t id = ++next_id_;
    pending_[id] = {ctx.now(), true, celebrity};
    ctx.send_value(m_->post, "post", pack(id, celebrity ? 1 : 0), 400);
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    return {{"role", "users"}, {"waiting", std::to_string(pending_.size())}};
  }

 private:
  struct Pending {
    Time at;
    bool is_post;
    bool celebrity;
  };

  void read(Ctx& ctx) {
    const uint64_t id = ++next_id_;
    pending_[id] = {ctx.now(), false, false};
    ctx.send_value(m_->timeline, "read", pack(id, 0), 100);
  }

  void arm(Ctx& ctx, uint64_t tag) {
    const double rate = tag == kPostTimer ? m_->config().posts_per_s : m_->config().reads_per_s;
    Time gap = 100 * kMs;   // rate 0: look again soon
    if (rate > 0) gap = std::max<Time>(1, static_cast<Time>(ctx.rng().exponential(1e6 / rate)));
    ctx.set_timer(gap, tag);
  }

  void sweep(Ctx& ctx) {
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (ctx.now() - it->second.at > m_->config().timeout_us) {
        if (it->second.is_post) ++m_->posts_failed;
        else ++m_->reads_failed;
        it = pending_.erase(it);
      } else {
        ++it;
      }
    }
  }

  FeedModel* m_;
  uint64_t next_id_ = 0;
  std::map<uint64_t, Pending> pending_;
};

// ---------------------------------------------------------------------------------------------
// post service
// ---------------------------------------------------------------------------------------------

class PostProc final : public Process {
 public:
  explicit PostProc(FeedModel* m) : m_(m) {}

  void on_message(Ctx& ctx, const Message& msg) override {
    const uint64_t id = id_of(msg.value);
    if (msg.kind == "post") {
      const FeedConfig& cfg = m_->config();
      Req r;
      r.followers = small_of(msg.value) ? cfg.celebrity_followers : cfg.follows;
      r.celebrity = small_of(msg.value) != 0;
      const bool push = cfg.mode == FanoutMode::Write ||
                        (cfg.mode == FanoutMode::Hybrid && r.followers <= cfg.celebrity_threshold);
      r.fanout = push ? r.followers : 0;
      reqs_[id] = r;
      ctx.work(kPostCost, id);
    } else if (msg.kind == "stored") {
      auto it = reqs_.find(id);
      if (it == reqs_.end()) return;
      ctx.send_value(m_->queue, "enqueue", pack(id, 0), 200);   // notify followers later: fire and forget
      Req& r = it->second;
      if (r.fanout == 0) return finish(ctx, id);
      for (int64_t left = r.fanout; left > 0; left -= kFanoutBatch) {
        const int64_t n = std::min<int64_t>(left, kFanoutBatch);
        ++r.batches_out;
        ctx.send_value(m_->cache, "fanout", pack(id, static_cast<uint64_t>(n)), 100 + 8 * n);
      }
    } else if (msg.kind == "fanout_ok") {
      auto it = reqs_.find(id);
      if (it == reqs_.end()) return;
      if (--it->second.batches_out == 0) finish(ctx, id);
    }
  }

  void on_work_done(Ctx& ctx, uint64_t id) override {
    if (reqs_.count(id)) ctx.send_value(m_->store, "store", pack(id, 0), 400);
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    return {{"role", std::string("fan-out on ") + to_string(m_->config().mode)},
            {"in_progress", std::to_string(reqs_.size())}};
  }

 private:
  struct Req {
    int64_t followers = 0, fanout = 0, batches_out = 0;
    bool celebrity = false;
  };
  void finish(Ctx& ctx, uint64_t id) {
    auto it = reqs_.find(id);
    const int64_t writes = it->second.fanout;
    reqs_.erase(it);
    ctx.send_value(m_->users, "posted", pack(id, static_cast<uint64_t>(writes)), 100);
  }
  FeedModel* m_;
  std::map<uint64_t, Req> reqs_;
};

// ---------------------------------------------------------------------------------------------
// timeline service
// ---------------------------------------------------------------------------------------------

enum : uint64_t { kAccept = 0, kMerge = 1 };

class TimelineProc final : public Process {
 public:
  explicit TimelineProc(FeedModel* m) : m_(m) {}

  void on_message(Ctx& ctx, const Message& msg) override {
    const uint64_t id = id_of(msg.value);
    if (msg.kind == "read") {
      const FeedConfig& cfg = m_->config();
      Req r;
      r.mode = cfg.mode;
      r.pull = cfg.mode == FanoutMode::Write ? 0 : (cfg.mode == FanoutMode::Read ? cfg.follows : kCelebritiesFollowed);
      reqs_[id] = r;
      ctx.work(kReadCost, id * 2 + kAccept);
      return;
    }
    auto it = reqs_.find(id);
    if (it == reqs_.end()) return;
    if (msg.kind == "timeline" || msg.kind == "posts") {
      if (--it->second.answers_out > 0) return;
      const Time merge = kMergeCostPerAccount * it->second.pull;
      if (merge > 0) ctx.work(merge, id * 2 + kMerge);
      else reply(ctx, id);
    }
  }

  void on_work_done(Ctx& ctx, uint64_t tag) override {
    const uint64_t id = tag / 2;
    auto it = reqs_.find(id);
    if (it == reqs_.end()) return;
    if (tag % 2 == kMerge) return reply(ctx, id);
    Req& r = it->second;
    if (r.mode != FanoutMode::Read) {   // the ready-made timeline
      ++r.answers_out;
      ctx.send_value(m_->cache, "get", pack(id, 0), 100);
    }
    if (r.pull > 0) {                   // the posts of followed accounts, gathered now
      ++r.answers_out;
      ctx.send_value(m_->store, "fetch", pack(id, static_cast<uint64_t>(r.pull)), 100 + 8 * r.pull);
    }
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    return {{"role", std::string("fan-out on ") + to_string(m_->config().mode)},
            {"in_progress", std::to_string(reqs_.size())}};
  }

 private:
  struct Req {
    FanoutMode mode = FanoutMode::Write;
    int64_t pull = 0, answers_out = 0;
  };
  void reply(Ctx& ctx, uint64_t id) {
    auto it = reqs_.find(id);
    const int64_t pull = it->second.pull;
    reqs_.erase(it);
    ctx.send_value(m_->users, "timeline", pack(id, static_cast<uint64_t>(pull)), 2000);
  }
  FeedModel* m_;
  std::map<uint64_t, Req> reqs_;
};

// ---------------------------------------------------------------------------------------------
// post store and timeline cache: CPU work, then an answer to whoever asked
// ---------------------------------------------------------------------------------------------

class StorageProc final : public Process {
 public:
  StorageProc(FeedModel* m, bool is_cache) : m_(m), cache_(is_cache) {}

  void on_message(Ctx& ctx, const Message& msg) override {
    Job j{msg.from, msg.value, "", 0};
    Time cost = 0;
    if (msg.kind == "store") { j.answer = "stored"; cost = kStoreWriteCost; }
    else if (msg.kind == "fetch") { j.answer = "posts"; j.count = static_cast<int64_t>(small_of(msg.value)); cost = kFetchCostPerAccount * j.count; }
    else if (msg.kind == "fanout") { j.answer = "fanout_ok"; j.count = static_cast<int64_t>(small_of(msg.value)); cost = kTimelineWriteCost * j.count; }
    else if (msg.kind == "get") { j.answer = "timeline"; cost = kCacheGetCost; }
    else return;
    const uint64_t tag = next_++;
    jobs_[tag] = j;
    ctx.work(std::max<Time>(1, cost), tag);
  }

  void on_work_done(Ctx& ctx, uint64_t tag) override {
    auto it = jobs_.find(tag);
    if (it == jobs_.end()) return;
    const Job j = it->second;
    jobs_.erase(it);
    if (j.answer == "fanout_ok") m_->fanout_writes += j.count;
    if (j.answer == "posts") m_->read_fetches += j.count;
    ctx.send_value(j.to, j.answer, j.value, j.answer == "posts" ? 200 + 40 * j.count : 100);
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    return {{"role", cache_ ? "timeline cache" : "post store"}, {"jobs", std::to_string(jobs_.size())}};
  }

 private:
  struct Job {
    NodeId to;
    uint64_t value;
    std::string answer;
    int64_t count;
  };
  FeedModel* m_;
  bool cache_;
  uint64_t next_ = 1;
  std::map<uint64_t, Job> jobs_;
};

// ---------------------------------------------------------------------------------------------
// notification queue (durable: its items survive a crash) and notifier
// ---------------------------------------------------------------------------------------------

struct QueueDisk : Persistent {
  std::deque<uint64_t> waiting;
  std::map<uint64_t, Time> in_flight;   ///< handed to the notifier at
};

class QueueProc final : public Process {
 public:
  QueueProc(FeedModel* m, QueueDisk* d) : m_(m), d_(d) {}

  void on_start(Ctx& ctx) override {
    ctx.set_timer(kSweep, 0);
    pump(ctx);
  }

  void on_message(Ctx& ctx, const Message& msg) override {
    if (msg.kind == "enqueue") {
      d_->waiting.push_back(msg.value);
      ++m_->notifications_enqueued;
      update(ctx);
      pump(ctx);
    } else if (msg.kind == "ack") {
      if (d_->in_flight.erase(msg.value)) ++m_->notifications_sent;
      update(ctx);
      pump(ctx);
    } else if (msg.kind == "ready") {
      requeue_all(ctx);   // the notifier (re)started: what it held is gone, hand it out again
      pump(ctx);
    }
  }

  void on_timer(Ctx& ctx, TimerId, uint64_t) override {
    std::vector<uint64_t> late;
    for (const auto& [id, at] : d_->in_flight)
      if (ctx.now() - at > kRedeliverAfter) late.push_back(id);
    for (auto it = late.rbegin(); it != late.rend(); ++it) {
      d_->in_flight.erase(*it);
      d_->waiting.push_front(*it);
      ++m_->redeliveries;
    }
    pump(ctx);
    ctx.set_timer(kSweep, 0);
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    return {{"role", "queue"}, {"depth", std::to_string(d_->waiting.size() + d_->in_flight.size())}};
  }

 private:
  void requeue_all(Ctx& ctx) {
    for (auto it = d_->in_flight.rbegin(); it != d_->in_flight.rend(); ++it) {
      d_->waiting.push_front(it->first);
      ++m_->redeliveries;
    }
    d_->in_flight.clear();
    update(ctx);
  }
  void pump(Ctx& ctx) {
    while (!d_->waiting.empty() && static_cast<int>(d_->in_flight.size()) < kQueueWindow) {
      const uint64_t id = d_->waiting.front();
      d_->waiting.pop_front();
      d_->in_flight[id] = ctx.now();
      ctx.send_value(m_->notifier, "deliver", id, 200);
    }
  }
  void update(Ctx&) { m_->queue_depth = static_cast<int64_t>(d_->waiting.size() + d_->in_flight.size()); }
  FeedModel* m_;
  QueueDisk* d_;
};

class NotifierProc final : public Process {
 public:
  explicit NotifierProc(FeedModel* m) : m_(m) {}
  void on_start(Ctx& ctx) override { ctx.send_value(m_->queue, "ready", 0, 64); }
  void on_message(Ctx& ctx, const Message& msg) override {
    if (msg.kind == "deliver") {
      ++busy_;
      ctx.work(m_->config().notify_cost_us, msg.value);
    }
  }
  void on_work_done(Ctx& ctx, uint64_t id) override {
    --busy_;
    ++sent_;
    ctx.send_value(m_->queue, "ack", id, 64);
  }
  std::vector<std::pair<std::string, std::string>> inspect() const override {
    return {{"role", "notifier"}, {"sent", std::to_string(sent_)}, {"busy", std::to_string(busy_)}};
  }

 private:
  FeedModel* m_;
  int64_t busy_ = 0, sent_ = 0;
};

// ---------------------------------------------------------------------------------------------
// commands and the scenario
// ---------------------------------------------------------------------------------------------

void register_feed_commands(World& w, FeedModel* m) {
  w.register_command({"feed.mode",
                      N_("Choose how timelines are built: write (push each post into every follower's timeline), "
                      "read (pull the followed accounts' posts when a timeline is read) or hybrid (push, but pull "
                      "celebrities)."),
                      {{"mode", "string", true, N_("write, read or hybrid")}},
                      [m](World&, const Command& c) {
                        FanoutMode mode;
                        if (!parse_fanout_mode(c.arg("mode"), &mode))
                          return CommandResult::fail("mode= must be write, read or hybrid (got \"" + c.arg("mode") + "\")");
                        m->config().mode = mode;
                        return CommandResult::success();
                      }});
  w.register_command({"feed.celebrity_post",
                      N_("The celebrity posts: with fan-out on write that is one timeline write per follower."),
                      {{"followers", "int", false, N_("the celebrity's followers (1..1000000; default from the scenario)"), "", "1..1000000", ""}},
                      [m](World& world, const Command& c) {
                        int64_t f = m->config().celebrity_followers;
                        if (c.args.count("followers") && (!parse_int(c.arg("followers"), &f) || f < 1 || f > 1000000))
                          return CommandResult::fail("followers= must be an integer in [1, 1000000] (got " + c.arg("followers") + ")");
                        if (world.node(m->users).status != NodeStatus::Up)
                          return CommandResult::fail("the users node is down: nobody can post");
                        m->config().celebrity_followers = static_cast<int>(f);
                        const NodeId users = m->users;
                        world.schedule(world.now(), [users](World& wd) {
                          if (auto* u = dynamic_cast<UsersProc*>(wd.process(users))) {
                            Ctx ctx(wd, users);
                            u->post(ctx, true);
                          }
                        });
                        return CommandResult::success();
                      }});
  w.register_command(
      {"feed.set_load", N_("Change the users' load: posts and timeline reads per second."),
       {{"posts_per_s", "number", false, N_("posts per second (0..2000)"), "1/s", "0..2000", ""},
        {"reads_per_s", "number", false, N_("timeline reads per second (0..5000)"), "1/s", "0..5000", ""}},
       [m](World&, const Command& c) {
         double posts = 0, reads = 0;
         const bool hp = c.args.count("posts_per_s") > 0, hr = c.args.count("reads_per_s") > 0;
         if (!hp && !hr) return CommandResult::fail("give posts_per_s= or reads_per_s=");
         if (hp && (!parse_number(c.arg("posts_per_s"), &posts) || posts < 0 || posts > 2000))
           return CommandResult::fail("posts_per_s= must be a number in [0, 2000] (got " + c.arg("posts_per_s") + ")");
         if (hr && (!parse_number(c.arg("reads_per_s"), &reads) || reads < 0 || reads > 5000))
           return CommandResult::fail("reads_per_s= must be a number in [0, 5000] (got " + c.arg("reads_per_s") + ")");
         if (hp) m->config().posts_per_s = posts;
         if (hr) m->config().reads_per_s = reads;
         return CommandResult::success();
       }});
  w.register_command({"feed.set", N_("Change how many accounts each user follows (and a normal author's followers)."),
                      {{"follows", "int", true, N_("accounts followed per user (1..5000)"), "", "1..5000", ""}},
                      [m](World&, const Command& c) {
                        int64_t f = 0;
                        if (!parse_int(c.arg("follows"), &f) || f < 1 || f > 5000)
                          return CommandResult::fail("follows= must be an integer in [1, 5000] (got " + c.arg("follows") + ")");
                        m->config().follows = static_cast<int>(f);
                        return CommandResult::success();
                      }});
}

std::string build_feed(World& w, const Params& p) {
  Params rest = p;
  FeedConfig cfg;
  if (auto it = rest.find("mode"); it != rest.end()) {
    if (!parse_fanout_mode(it->second, &cfg.mode)) return "mode=" + it->second + " must be write, read or hybrid";
    rest.erase(it);
  }
  basic::ParamReader r(rest, {"mode", "posts_per_s", "reads_per_s", "follows", "celebrity_followers",
                              "celebrity_threshold", "notify_ms", "latency_ms"});
  cfg.posts_per_s = r.number("posts_per_s", 10, 0, 2000);
  cfg.reads_per_s = r.number("reads_per_s", 40, 0, 5000);
  cfg.follows = static_cast<int>(r.integer("follows", 100, 1, 5000));
  cfg.celebrity_followers = static_cast<int>(r.integer("celebrity_followers", 20000, 1, 1000000));
  cfg.celebrity_threshold = static_cast<int>(r.integer("celebrity_threshold", 1000, 1, 1000000));
  cfg.notify_cost_us = static_cast<Time>(r.number("notify_ms", 20, 0.01, 10000) * 1000);
  LinkParams link;
  link.latency_us = static_cast<Time>(r.number("latency_ms", 1, 0, 5000) * 1000);
  if (!r.error().empty()) return r.error();
  w.set_default_link(link);

  auto* m = static_cast<FeedModel*>(w.add_model(std::make_unique<FeedModel>(&w, cfg)));
  m->users = w.add_node("users", "client", [m](NodeId, Persistent*) { return std::make_unique<UsersProc>(m); });
  m->post = w.add_node("post", "service:post", [m](NodeId, Persistent*) { return std::make_unique<PostProc>(m); });
  m->timeline =
      w.add_node("timeline", "service:timeline", [m](NodeId, Persistent*) { return std::make_unique<TimelineProc>(m); });
  m->store = w.add_node("store", "service:store", [m](NodeId, Persistent*) { return std::make_unique<StorageProc>(m, false); });
  m->cache = w.add_node("cache", "service:cache", [m](NodeId, Persistent*) { return std::make_unique<StorageProc>(m, true); });
  m->queue = w.add_node("queue", "service:queue",
                        [m](NodeId, Persistent* d) { return std::make_unique<QueueProc>(m, static_cast<QueueDisk*>(d)); },
                        std::make_unique<QueueDisk>());
  m->notifier =
      w.add_node("notifier", "service:notifier", [m](NodeId, Persistent*) { return std::make_unique<NotifierProc>(m); });
  for (NodeId id : {m->post, m->timeline, m->store, m->cache}) {
    Node& n = w.mutable_node(id);
    n.cores = id == m->store ? 4 : 2;
    n.core_busy_until.assign(static_cast<size_t>(n.cores), 0);
  }
  register_feed_commands(w, m);
  return "";
}

}  // namespace

void FeedModel::post_done(Time now, Time latency_us, int64_t writes, bool celebrity) {
  ++posts_ok;
  if (celebrity) {
    ++celebrity_posts;
    celebrity_post_us = latency_us;
  }
  posts_.push_back({now, latency_us, writes});
  prune(posts_, now);
}

void FeedModel::read_done(Time now, Time latency_us, int64_t fetches) {
  ++reads_ok;
  reads_.push_back({now, latency_us, fetches});
  prune(reads_, now);
}

void FeedModel::prune(std::deque<Done>& d, Time now) {
  while (!d.empty() && d.front().at <= now - kWindow) d.pop_front();
}

double FeedModel::quantile_ms(const std::deque<Done>& d, double q) {
  if (d.empty()) return 0;
  std::vector<Time> v;
  v.reserve(d.size());
  for (const auto& x : d) v.push_back(x.latency_us);
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(q * static_cast<double>(v.size()));
  if (i >= v.size()) i = v.size() - 1;
  return static_cast<double>(v[i]) / 1e3;
}

std::optional<double> FeedModel::value(std::string_view key) const {
  const Time now = world_->now();
  auto recent = [&](const std::deque<Done>& d) {
    std::deque<Done> out;
    for (const auto& x : d)
      if (x.at > now - kWindow) out.push_back(x);
    return out;
  };
  auto mean_cost = [&](const std::deque<Done>& d) {
    auto r = recent(d);
    if (r.empty()) return 0.0;
    double s = 0;
    for (const auto& x : r) s += static_cast<double>(x.cost);
    return s / static_cast<double>(r.size());
  };
  if (key == "mode") return static_cast<double>(static_cast<int>(cfg_.mode));
  if (key == "posts_ok") return static_cast<double>(posts_ok);
  if (key == "posts_failed") return static_cast<double>(posts_failed);
  if (key == "reads_ok") return static_cast<double>(reads_ok);
  if (key == "reads_failed") return static_cast<double>(reads_failed);
  if (key == "post_latency_ms_p50") return quantile_ms(recent(posts_), 0.50);
  if (key == "post_latency_ms_p95") return quantile_ms(recent(posts_), 0.95);
  if (key == "post_latency_ms_max") return quantile_ms(recent(posts_), 1.0);
  if (key == "read_latency_ms_p50") return quantile_ms(recent(reads_), 0.50);
  if (key == "read_latency_ms_p95") return quantile_ms(recent(reads_), 0.95);
  if (key == "read_latency_ms_max") return quantile_ms(recent(reads_), 1.0);
  if (key == "fanout_writes") return static_cast<double>(fanout_writes);
  if (key == "read_fetches") return static_cast<double>(read_fetches);
  if (key == "writes_per_post") return mean_cost(posts_);
  if (key == "fetches_per_read") return mean_cost(reads_);
  if (key == "queue_depth") return static_cast<double>(queue_depth);
  if (key == "notifications_enqueued") return static_cast<double>(notifications_enqueued);
  if (key == "notifications_sent") return static_cast<double>(notifications_sent);
  if (key == "redeliveries") return static_cast<double>(redeliveries);
  if (key == "celebrity_posts") return static_cast<double>(celebrity_posts);
  if (key == "celebrity_post_ms") return static_cast<double>(celebrity_post_us) / 1e3;
  if (key == "follows") return static_cast<double>(cfg_.follows);
  if (key == "posts_per_s") return cfg_.posts_per_s;
  if (key == "reads_per_s") return cfg_.reads_per_s;
  if (key == "celebrity_followers") return static_cast<double>(cfg_.celebrity_followers);
  return std::nullopt;
}

std::vector<ValueDecl> FeedModel::value_decls() const {
  return value_decl_table({
      {"mode", "enum", "", "fan-out mode", {"write", "read", "hybrid"}},
      {"posts_ok", "count", "", "posts stored"},
      {"posts_failed", "count", "", "posts that failed"},
      {"reads_ok", "count", "", "timeline reads answered"},
      {"reads_failed", "count", "", "timeline reads that failed"},
      {"post_latency_ms_p50", "number", "ms", "median post latency, last 5 s"},
      {"post_latency_ms_p95", "number", "ms", "95th percentile post latency, last 5 s"},
      {"post_latency_ms_max", "number", "ms", "slowest post, last 5 s"},
      {"read_latency_ms_p50", "number", "ms", "median read latency, last 5 s"},
      {"read_latency_ms_p95", "number", "ms", "95th percentile read latency, last 5 s"},
      {"read_latency_ms_max", "number", "ms", "slowest read, last 5 s"},
      {"fanout_writes", "count", "", "timeline writes done by fan-out"},
      {"read_fetches", "count", "", "timelines fetched at read time"},
      {"writes_per_post", "number", "", "mean timeline writes per post, last 5 s"},
      {"fetches_per_read", "number", "", "mean fetches per read, last 5 s"},
      {"queue_depth", "count", "", "notifications waiting in the queue"},
      {"notifications_enqueued", "count", "", "notifications queued"},
      {"notifications_sent", "count", "", "notifications sent"},
      {"redeliveries", "count", "", "notifications delivered again after a failure"},
      {"celebrity_posts", "count", "", "posts by the celebrity"},
      {"celebrity_post_ms", "number", "ms", "time the last celebrity post took"},
      {"follows", "count", "", "the follows parameter"},
      {"posts_per_s", "number", "1/s", "the posts_per_s parameter"},
      {"reads_per_s", "number", "1/s", "the reads_per_s parameter"},
      {"celebrity_followers", "count", "", "the celebrity_followers parameter"},
  });
}

std::string FeedModel::state_json() const {
  std::string s = "{\"mode\":\"" + std::string(to_string(cfg_.mode)) + "\"";
  for (const char* k : {"posts_ok", "posts_failed", "reads_ok", "reads_failed", "post_latency_ms_p95",
                        "read_latency_ms_p95", "fanout_writes", "read_fetches", "queue_depth", "notifications_sent",
                        "celebrity_posts"}) {
    const double v = value(k).value_or(0);
    s += std::string(",\"") + k + "\":" + std::to_string(static_cast<int64_t>(v * 1000 + 0.5) / 1000) + "." +
         std::to_string(static_cast<int64_t>(v * 1000 + 0.5) % 1000 / 100) +
         std::to_string(static_cast<int64_t>(v * 1000 + 0.5) % 100 / 10) +
         std::to_string(static_cast<int64_t>(v * 1000 + 0.5) % 10);
  }
  return s + "}";
}

void FeedModel::report_metrics(std::ostream& out) const {
  out << "{\"model\":\"feed\",\"metrics\":" << state_json() << "}\n";
}

}  // namespace topo::usecases

namespace topo {

void add_feed_scenarios(std::vector<ScenarioInfo>& v) {
  v.push_back({"feed",
               N_("A social feed: push each post into every follower's timeline, or pull posts when a timeline is "
                  "read; a celebrity's post; a notification queue whose sender can fail"),
               usecases::build_feed});
  v.back().params = {
      {"mode", "enum", "", "", "write", "fan-out on write, on read, or hybrid (celebrities on read)", {"write", "read", "hybrid"}},
      {"posts_per_s", "number", "1/s", "0..2000", "10", "posts per second"},
      {"reads_per_s", "number", "1/s", "0..5000", "40", "timeline reads per second"},
      {"follows", "int", "", "1..5000", "100", "accounts each user follows"},
      {"celebrity_followers", "int", "", "1..1000000", "20000", "followers of the celebrity"},
      {"celebrity_threshold", "int", "", "1..1000000", "1000", "hybrid: accounts with more followers are read on demand"},
      {"notify_ms", "number", "ms", "0.01..10000", "20", "the notifier's time per notification"},
      {"latency_ms", "number", "ms", "0..5000", "1", "one-way network latency"},
  };
}

}  // namespace topo

namespace topo::usecases {

std::span<const Model::Word> FeedModel::words() const {
  static constexpr Model::Word kWords[] = {
      // Messages.
      {"enqueue", N_("queue a notification")}, {"fanout", N_("fan-out to timelines")}, {"fanout_ok", N_("fan-out done")},
      {"store", N_("store a post")}, {"stored", N_("post stored")}, {"posted", N_("post published")},
      {"fetch", N_("fetch posts")}, {"posts", N_("posts")}, {"deliver", N_("deliver a notification")}, {"ready", N_("ready")},
      // Roles in the Inspector.
      {"users", N_("users")}, {"fan-out on write", N_("fan-out on write")}, {"fan-out on read", N_("fan-out on read")},
      {"fan-out on hybrid", N_("fan-out on write, except celebrities")}, {"timeline cache", N_("timeline cache")},
      {"post store", N_("post store")}, {"queue", N_("queue")}, {"notifier", N_("notifier")},
  };
  return kWords;
}

}  // namespace topo::usecases
