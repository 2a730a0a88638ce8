// World samplers (World::add_sampler): chart points at fixed simulated times that are not queue
// events, so a world samples without changing its trace, its event count or what step() does.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "models/default_series.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"
#include "sim/world.h"

using namespace topo;

namespace {

// The scenario built and started without build_world's default series (no samplers at all).
std::unique_ptr<World> bare_world(const std::string& scenario, uint64_t seed) {
  auto w = std::make_unique<World>(seed);
  const ScenarioInfo* info = find_scenario(scenario);
  REQUIRE(info);
  REQUIRE(info->build(*w, {}).empty());
  w->start();
  return w;
}

std::unique_ptr<World> sampled_world(const std::string& scenario, uint64_t seed) {
  std::string err;
  auto w = build_world(scenario, seed, {}, &err);
  REQUIRE_MESSAGE(w, err);
  return w;
}

}  // namespace

TEST_CASE("samplers: same trace hash and event count with and without them") {
  for (const char* s : {"raft-5", "shop", "gossip", "mm1", "quorum", "transfer-2pc"}) {
    CAPTURE(s);
    auto a = bare_world(s, 3);
    auto b = sampled_world(s, 3);
    a->run_until(2 * kSec);
    // b in uneven slices, as a UI's frames would cut it.
    for (Time t = 0; t <= 2 * kSec; t += 16'667) b->run_until(t);
    b->run_until(2 * kSec);
    CHECK(a->trace().hash() == b->trace().hash());
    CHECK(a->events_processed() == b->events_processed());
    CHECK(a->metrics().all_series().size() < b->metrics().all_series().size());
  }
}

TEST_CASE("samplers: every boundary once, with now() at the boundary, from t = 0") {
  World w(1);
  std::vector<Time> at;
  w.add_sampler([&](World& world) { at.push_back(world.now()); });
  w.start();
  w.run_until(0);
  REQUIRE(at == std::vector<Time>{0});
  w.run_until(600 * kMs);
  w.run_until(600 * kMs);
  CHECK(at == std::vector<Time>{0, 250 * kMs, 500 * kMs});
  w.run_until(kSec);
  CHECK(at.back() == kSec);
  CHECK(at.size() == 5);
  CHECK(w.next_sample_at() == 1250 * kMs);
}

TEST_CASE("samplers: step() does not stop on them and samples boundaries before the next event") {
  // Two worlds with the same events; one samples. step() must run the same events.
  auto a = bare_world("ping", 1);
  auto b = sampled_world("ping", 1);
  for (int i = 0; i < 200; ++i) {
    const bool ra = a->step(), rb = b->step();
    REQUIRE(ra == rb);
    if (!ra) break;
    REQUIRE(a->now() == b->now());
  }
  CHECK(a->trace().hash() == b->trace().hash());
  // Every boundary before the last event was sampled, none after it.
  const auto* up = b->metrics().series("world.nodes_up");
  REQUIRE(up);
  REQUIRE(!up->empty());
  CHECK(up->front().t == 0);
  CHECK(up->back().t < b->now());
  CHECK(b->now() - up->back().t <= b->sample_period());
}

TEST_CASE("samplers: sliced and one-shot runs give the same points") {
  auto a = sampled_world("raft-5", 2);
  auto b = sampled_world("raft-5", 2);
  a->run_until(3 * kSec);
  for (Time t = 7 * kMs; t < 3 * kSec; t += 7 * kMs) {
    b->run_until(t);
    // and single events between the slices (none past the end: a's run stops at 3 s)
    if (b->next_event_time() && *b->next_event_time() <= 3 * kSec) b->step();
  }
  b->run_until(3 * kSec);
  REQUIRE(a->trace().hash() == b->trace().hash());
  for (const auto& entry : a->metrics().all_series()) {
    const std::string& name = entry.first;   // not a structured binding: clang 14 cannot capture one
    const auto& pts = entry.second;
    CAPTURE(name);
    const auto* other = b->metrics().series(name);
    REQUIRE(other);
    REQUIRE(pts.size() == other->size());
    for (size_t i = 0; i < pts.size(); ++i) {
      CHECK(pts[i].t == (*other)[i].t);
      CHECK(pts[i].value == doctest::Approx((*other)[i].value));
    }
  }
}

TEST_CASE("samplers: a run far ahead keeps at most max_points boundaries and ends") {
  World w(1);
  int calls = 0;
  w.add_sampler([&](World&) { ++calls; });
  w.start();
  w.run_until(std::numeric_limits<Time>::max());
  CHECK(calls <= static_cast<int>(w.metrics().max_points) + 1);
  CHECK(calls > 0);
  w.run_until(std::numeric_limits<Time>::max());   // nothing left to sample: returns
}

TEST_CASE("RateOverSecond: per-second rate over the trailing second") {
  RateOverSecond r;
  CHECK(r.next(0, 0) == 0.0);
  CHECK(r.next(250 * kMs, 5) == doctest::Approx(20.0));     // 5 in a quarter second
  CHECK(r.next(500 * kMs, 10) == doctest::Approx(20.0));
  CHECK(r.next(kSec, 10) == doctest::Approx(10.0));          // 10 in the first second
  CHECK(r.next(1250 * kMs, 10) == doctest::Approx(5.0));     // 5 since t = 0.25 s
  CHECK(r.next(2250 * kMs, 10) == doctest::Approx(0.0));
}

TEST_CASE("RateOverSecond: a count that drops (a crashed leader's commit index) is no negative rate") {
  RateOverSecond r;
  r.next(0, 0);
  CHECK(r.next(500 * kMs, 10) == doctest::Approx(20.0));
  CHECK(r.next(kSec, 4) == doctest::Approx(10.0));   // held at 10
  CHECK(r.next(2 * kSec, 4) == doctest::Approx(0.0));
  CHECK(r.next(3 * kSec, 12) == doctest::Approx(2.0));
}
