// Sharding under load for lesson 6: with a CPU cost per request (service_ms) a hot key's owner
// overloads (its queue grows) while uniform load does not, adding a node does not spread the
// hot key, the load can be changed live with shard.load, and the ring's keys moved are compared
// with what hash-mod-N placement would have moved.
#include <doctest/doctest.h>

#include "../world_util.h"
#include "models/sharding/sharding.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;
using namespace topo::sharding;

namespace {
CommandResult apply(World& w, const std::string& text) {
  return test::apply_text(w, text);
}
std::unique_ptr<World> make(const Params& p) {
  std::string err;
  auto w = build_world("sharding", 1, p, &err);
  REQUIRE_MESSAGE(w, err);
  return w;
}
}  // namespace

TEST_CASE("sharding: with a service time, a hot key overloads its owner and more nodes do not help") {
  auto w = make({{"nodes", "4"}, {"keys", "1000"}, {"rate", "400"}, {"service_ms", "4"}});
  auto* m = w->find_model<ShardModel>();
  REQUIRE(m);
  w->run_until(3 * kSec);
  CHECK(m->value("requests").value() > 1000);
  CHECK(m->value("queue_max").value() < 20);  // 40% busy: short queues only
  REQUIRE(apply(*w, "shard.load hot_key=0.7").ok);
  CHECK(m->value("hot_key").value() == doctest::Approx(0.7));
  w->run_until(5 * kSec);
  const double q1 = m->value("queue_max").value();
  CHECK(q1 > 50);  // the owner of key0 gets ~300 requests/s and serves 250
  const double owner = m->value("hot_key_owner").value();
  CHECK(owner == static_cast<double>(m->owner_of(0)));
  REQUIRE(apply(*w, "shard.add_node name=s5").ok);
  w->run_until(7 * kSec);
  CHECK(m->value("queue_max").value() > q1);  // still growing
  REQUIRE(apply(*w, "shard.load hot_key=0").ok);
  w->run_until(12 * kSec);
  CHECK(m->value("queue_max").value() < 20);  // drained once the load spreads again
}

TEST_CASE("sharding: the ring moves far fewer keys than hash mod N would") {
  auto w = make({{"nodes", "4"}, {"keys", "1000"}});
  auto* m = w->find_model<ShardModel>();
  w->run_until(100 * kMs);
  CHECK(m->value("keys_moved_modulo_last").value() == 0);
  REQUIRE(apply(*w, "shard.add_node name=s5").ok);
  const double ring = m->value("keys_moved_last").value();
  const double modulo = m->value("keys_moved_modulo_last").value();
  CHECK(ring > 120);
  CHECK(ring < 280);     // about 1000 / 5
  CHECK(modulo > 700);   // about 1000 * 4/5
  REQUIRE(apply(*w, "shard.remove_node name=s5").ok);
  CHECK(m->value("keys_moved_last").value() == ring);  // exactly its keys go back
}

TEST_CASE("sharding: shard.load validates") {
  auto w = make({});
  auto* m = w->find_model<ShardModel>();
  CHECK_FALSE(apply(*w, "shard.load").ok);
  CHECK_FALSE(apply(*w, "shard.load hot_key=1.5").ok);
  CHECK_FALSE(apply(*w, "shard.load rate=0").ok);
  CHECK_FALSE(apply(*w, "shard.load rate=abc").ok);
  CHECK(m->value("hot_key").value() == 0);
  CHECK(apply(*w, "shard.load rate=50 hot_key=0.2").ok);
  CHECK(m->value("rate").value() == 50);
  CHECK(m->value("hot_key").value() == doctest::Approx(0.2));
}

TEST_CASE("sharding: a fifth machine adds about a fifth of capacity; with a hot key it adds none") {
  // capacity_rps = (1000 / service_ms) / the busiest member's share of the last 5 s of requests.
  double sum_ratio = 0;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    std::string err;
    auto w = build_world("sharding", seed, {{"nodes", "4"}, {"keys", "1000"}, {"rate", "400"}, {"service_ms", "4"}}, &err);
    REQUIRE_MESSAGE(w, err);
    auto* m = w->find_model<ShardModel>();
    w->run_until(6 * kSec);
    const double four = m->value("capacity_rps").value();
    CHECK(four > 700);   // 250 per machine, the busiest one gets about 0.3 of the requests
    CHECK(four < 1000);  // never more than 4 x 250
    REQUIRE(apply(*w, "shard.add_node name=s5").ok);
    w->run_until(12 * kSec);
    const double five = m->value("capacity_rps").value();
    CHECK(five > 1.08 * four);
    CHECK(five <= 1250);
    sum_ratio += five / four;
    // A hot key: the owner of key0 gets 70% and more; the capacity falls to about 250 / 0.75.
    REQUIRE(apply(*w, "shard.load hot_key=0.7").ok);
    w->run_until(18 * kSec);
    const double hot = m->value("capacity_rps").value();
    CHECK(hot < 360);
    REQUIRE(apply(*w, "shard.add_node name=s6").ok);
    w->run_until(24 * kSec);
    CHECK(m->value("capacity_rps").value() < 1.05 * hot);  // a sixth machine adds nothing
  }
  CHECK(sum_ratio / 10 > 1.15);  // on average about a fifth more
  CHECK(sum_ratio / 10 < 1.3);
}
