// The social feed use case (scenario "feed", lesson 13d): fan-out on write costs one timeline
// write per follower and keeps reads cheap, fan-out on read costs one fetch per followed account
// at read time and keeps posts cheap; a celebrity post is a burst of writes only with fan-out on
// write; a crashed notifier never fails a post and its queue drains after a restart; bad
// parameters and commands are refused without changing anything; runs are reproducible.
#include <doctest/doctest.h>

#include "../world_util.h"
#include "models/usecases/feed.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;
using topo::usecases::FeedModel;

namespace {

std::unique_ptr<World> make_feed(uint64_t seed, const Params& p = {}) {
  return test::make_world("feed", seed, p);
}

CommandResult run_cmd(World& w, const std::string& text) {
  return test::apply_text(w, text);
}

double val(const World& w, const char* key) {
  return test::model_value<FeedModel>(w, key);
}

}  // namespace

TEST_CASE("feed: fan-out on write pays per follower at post time, fan-out on read per follow at read time") {
  auto wr = make_feed(1, {{"mode", "write"}});
  auto rd = make_feed(1, {{"mode", "read"}});
  wr->run_until(6 * kSec);
  rd->run_until(6 * kSec);
  CHECK(val(*wr, "posts_ok") > 30);
  CHECK(val(*rd, "posts_ok") > 30);
  CHECK(val(*wr, "writes_per_post") == 100);
  CHECK(val(*wr, "fetches_per_read") == 0);
  CHECK(val(*rd, "writes_per_post") == 0);
  CHECK(val(*rd, "fetches_per_read") == 100);
  CHECK(val(*wr, "fanout_writes") >= 100 * (val(*wr, "posts_ok")));
  CHECK(val(*rd, "read_fetches") >= 100 * val(*rd, "reads_ok"));
  CHECK(val(*rd, "read_latency_ms_p95") > 2 * val(*wr, "read_latency_ms_p95"));
  CHECK(val(*wr, "post_latency_ms_p50") > val(*rd, "post_latency_ms_p50"));
  MESSAGE("read p95: write " << val(*wr, "read_latency_ms_p95") << " ms, read " << val(*rd, "read_latency_ms_p95")
                             << " ms; post p50: write " << val(*wr, "post_latency_ms_p50") << " ms, read "
                             << val(*rd, "post_latency_ms_p50") << " ms");

  // Following more accounts: reads get slower only where they pull.
  const double rd_before = val(*rd, "read_latency_ms_p50"), wr_before = val(*wr, "read_latency_ms_p50");
  REQUIRE(run_cmd(*rd, "feed.set follows=400").ok);
  REQUIRE(run_cmd(*wr, "feed.set follows=400").ok);
  rd->run_until(12 * kSec);
  wr->run_until(12 * kSec);
  CHECK(val(*rd, "read_latency_ms_p50") > 2 * rd_before);
  CHECK(val(*wr, "read_latency_ms_p50") < 2 * wr_before);
  CHECK(val(*wr, "writes_per_post") == 400);
  CHECK(val(*rd, "fetches_per_read") == 400);
}

TEST_CASE("feed: a celebrity post is a burst of writes with fan-out on write only") {
  auto wr = make_feed(2, {{"mode", "write"}});
  auto rd = make_feed(2, {{"mode", "read"}});
  auto hy = make_feed(2, {{"mode", "hybrid"}});
  for (World* w : {wr.get(), rd.get(), hy.get()}) {
    w->run_until(3 * kSec);
    REQUIRE(run_cmd(*w, "feed.celebrity_post").ok);
  }
  const double writes_before = val(*wr, "fanout_writes");
  for (World* w : {wr.get(), rd.get(), hy.get()}) w->run_until(5 * kSec);
  CHECK(val(*wr, "celebrity_posts") == 1);
  CHECK(val(*wr, "fanout_writes") - writes_before >= 20000);
  CHECK(val(*wr, "celebrity_post_ms") > 100);
  CHECK(val(*wr, "read_latency_ms_max") > 50);   // reads queued behind the burst at the cache
  CHECK(val(*rd, "celebrity_posts") == 1);
  CHECK(val(*rd, "celebrity_post_ms") < 20);
  CHECK(val(*hy, "celebrity_post_ms") < 20);      // hybrid pulls celebrities instead
  CHECK(val(*hy, "writes_per_post") > 0);         // but still pushes normal authors
  for (World* w : {wr.get(), rd.get(), hy.get()}) {
    CHECK(val(*w, "posts_failed") == 0);
    CHECK(val(*w, "reads_failed") == 0);
  }
}

TEST_CASE("feed: a crashed notifier fails no post; the queue grows, then drains after a restart") {
  auto w = make_feed(3);
  w->run_until(2 * kSec);
  CHECK(val(*w, "queue_depth") < 5);
  const double sent = val(*w, "notifications_sent");
  CHECK(sent > 10);
  REQUIRE(run_cmd(*w, "crash node=notifier").ok);
  const double posts = val(*w, "posts_ok");
  w->run_until(7 * kSec);
  CHECK(val(*w, "posts_failed") == 0);
  CHECK(val(*w, "posts_ok") > posts + 30);
  CHECK(val(*w, "queue_depth") > 30);
  CHECK(val(*w, "notifications_sent") == sent);
  REQUIRE(run_cmd(*w, "restart node=notifier").ok);
  w->run_until(14 * kSec);
  CHECK(val(*w, "queue_depth") < 5);
  CHECK(val(*w, "notifications_sent") >= val(*w, "notifications_enqueued") - 5);
  CHECK(val(*w, "posts_failed") == 0);

  // A slow notifier (x10: 5 per second for 10 posts per second) falls behind the same way.
  REQUIRE(run_cmd(*w, "slow node=notifier factor=10").ok);
  w->run_until(19 * kSec);
  CHECK(val(*w, "queue_depth") > 10);
  CHECK(val(*w, "posts_failed") == 0);
  REQUIRE(run_cmd(*w, "slow node=notifier factor=1").ok);
  w->run_until(26 * kSec);
  CHECK(val(*w, "queue_depth") < 5);
}

TEST_CASE("feed: bad parameters and commands are refused and change nothing") {
  std::string err;
  CHECK(!build_world("feed", 1, {{"mode", "sideways"}}, &err));
  CHECK(err.find("write, read or hybrid") != std::string::npos);
  CHECK(!build_world("feed", 1, {{"follows", "0"}}, &err));
  CHECK(err.find("follows") != std::string::npos);
  CHECK(!build_world("feed", 1, {{"folows", "10"}}, &err));
  CHECK(err.find("folows") != std::string::npos);

  auto w = make_feed(1);
  w->run_until(1 * kSec);
  const size_t logged = w->command_log().size();
  auto r = run_cmd(*w, "feed.mode mode=both");
  CHECK(!r.ok);
  CHECK(r.error.find("write, read or hybrid") != std::string::npos);
  r = run_cmd(*w, "feed.set_load posts_per_s=5 reads_per_s=-1");
  CHECK(!r.ok);
  CHECK(r.error.find("reads_per_s") != std::string::npos);
  CHECK(val(*w, "posts_per_s") == 10);   // the valid half was not applied either
  CHECK(!run_cmd(*w, "feed.set_load").ok);
  CHECK(!run_cmd(*w, "feed.set follows=0").ok);
  CHECK(!run_cmd(*w, "feed.celebrity_post followers=0").ok);
  CHECK(val(*w, "follows") == 100);
  CHECK(val(*w, "mode") == 0);
  CHECK(w->command_log().size() == logged);
  CHECK(run_cmd(*w, "feed.mode mode=read").ok);
  CHECK(val(*w, "mode") == 1);
}

TEST_CASE("feed: the same seed and commands give the same trace") {
  auto once = [](uint64_t seed) {
    std::string err;
    auto s = Session::create("feed", seed, {}, &err);
    REQUIRE(s);
    s->run_until(1 * kSec);
    REQUIRE(s->apply(*Command::parse("feed.celebrity_post followers=3000", nullptr)).ok);
    REQUIRE(s->apply(*Command::parse("crash node=notifier", nullptr)).ok);
    s->run_until(3 * kSec);
    return s->world().trace().hash();
  };
  CHECK(once(5) == once(5));
  CHECK(once(5) != once(6));
}
