// Consistent hashing: the ring's placement and the bound on keys moved when a node joins
// (10 -> 11 nodes moves within 20% of K/11), removal moving only the leaving node's keys, and
// the sharding scenario's Commands and measurements (hot key).
#include <doctest/doctest.h>

#include <cmath>
#include <map>

#include "../world_util.h"
#include "models/sharding/ring.h"
#include "models/sharding/sharding.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;
using namespace topo::sharding;

namespace {
CommandResult apply(World& w, const std::string& text) {
  return test::apply_text(w, text);
}
}  // namespace

TEST_CASE("sharding: ring hash is our own and stable") {
  // FNV-1a + splitmix finaliser: fixed values, the same natively and in WebAssembly.
  CHECK(ring_hash("") == ring_hash(""));
  CHECK(ring_hash("key1") != ring_hash("key2"));
  HashRing r;
  CHECK(r.owner("x").empty());
  CHECK(r.add("a", 8));
  CHECK_FALSE(r.add("a", 8));
  CHECK(r.owner("x") == "a");
  CHECK(r.add("b", 8));
  CHECK(r.points() == 16);
  CHECK(r.remove("a"));
  CHECK_FALSE(r.remove("a"));
  CHECK(r.owner("x") == "b");
}

TEST_CASE("sharding: adding an 11th node moves about K/11 keys, only to the new node") {
  const int K = 10000;
  for (int vnodes : {64, 128}) {
    CAPTURE(vnodes);
    HashRing r;
    for (int i = 0; i < 10; ++i) r.add("s" + std::to_string(i + 1), vnodes);
    std::vector<std::string> before;
    for (int k = 0; k < K; ++k) before.push_back(r.owner("key" + std::to_string(k)));
    r.add("s11", vnodes);
    int moved = 0;
    for (int k = 0; k < K; ++k) {
      const std::string& now = r.owner("key" + std::to_string(k));
      if (now != before[static_cast<size_t>(k)]) {
        ++moved;
        CHECK(now == "s11");  // keys only ever move to the new node
      }
    }
    const double ideal = K / 11.0;
    CAPTURE(moved);
    CHECK(std::abs(moved - ideal) <= 0.2 * ideal);
  }
}

TEST_CASE("sharding: scenario add/remove moves and measures keys") {
  std::string err;
  auto w = build_world("sharding", 1, {{"nodes", "10"}, {"keys", "5000"}, {"vnodes", "64"}}, &err);
  REQUIRE_MESSAGE(w, err);
  auto* m = w->find_model<ShardModel>();
  REQUIRE(m);
  w->run_until(500 * kMs);
  CHECK(m->value("keys_moved_last").value() == 0);
  CHECK(apply(*w, "shard.add_node name=s11").ok);
  CHECK(w->find_node("s11"));
  const double moved = m->value("keys_moved_last").value();
  CHECK(std::abs(moved - 5000 / 11.0) <= 0.2 * 5000 / 11.0);
  CHECK(m->value("nodes").value() == 11);
  CHECK(m->value("keys_per_node_min").value() > 0);
  CHECK(m->value("keys_per_node_max").value() >= m->value("keys_per_node_min").value());
  w->run_until(1 * kSec);
  // The new node serves requests for its keys.
  CHECK(m->state_json().find("\"name\":\"s11\"") != std::string::npos);
  // Removing it moves exactly its keys back.
  auto per = m->keys_per_node();
  const int64_t owned = per["s11"];
  CHECK(apply(*w, "shard.remove_node name=s11").ok);
  CHECK(m->value("keys_moved_last").value() == static_cast<double>(owned));
  CHECK(w->node(*w->find_node("s11")).status == NodeStatus::Crashed);
  CHECK(m->value("nodes").value() == 10);
  // Invalid commands change nothing.
  CHECK_FALSE(apply(*w, "shard.remove_node name=s11").ok);
  CHECK_FALSE(apply(*w, "shard.add_node name=s3").ok);
  CHECK_FALSE(apply(*w, "shard.add_node name=client").ok);
  CHECK(m->value("nodes").value() == 10);
  // A removed member can come back.
  CHECK(apply(*w, "shard.add_node name=s11").ok);
  CHECK(w->node(*w->find_node("s11")).status != NodeStatus::Crashed);
  CHECK(m->value("keys_moved_last").value() == static_cast<double>(owned));
}

TEST_CASE("sharding: a hot key concentrates load that adding nodes cannot spread") {
  std::string err;
  auto w = build_world("sharding", 2, {{"nodes", "4"}, {"keys", "1000"}, {"hot_key", "0.5"}, {"rate", "500"}}, &err);
  REQUIRE_MESSAGE(w, err);
  auto* m = w->find_model<ShardModel>();
  w->run_until(2 * kSec);
  CHECK(m->value("requests").value() > 800);
  CHECK(m->value("hot_key_share").value() > 0.4);
  CHECK(m->value("load_share_max").value() > 0.5);
  CHECK(apply(*w, "shard.add_node name=s5").ok);
  CHECK(apply(*w, "shard.add_node name=s6").ok);
  w->run_until(4 * kSec);
  CHECK(m->value("load_share_max").value() > 0.5);  // one node still owns the hot key
}
