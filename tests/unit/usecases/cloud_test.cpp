// The cloud-platform use case (lesson 15): spread never puts two replicas of a workload in one
// zone when it can avoid it and puts storage copies one per zone; pack fills servers first; a
// crashed server's replicas are placed elsewhere (capacity permitting, else they wait); a zone's
// failure keeps every service and the storage up with spread, and takes services and the storage
// down with pack; switching the policy moves replicas make-before-break; the same seed gives the
// same trace.
#include <doctest/doctest.h>

#include <set>

#include "../world_util.h"
#include "models/usecases/cloud.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;
using topo::usecases::CloudModel;

namespace {

std::unique_ptr<World> make(uint64_t seed, const Params& p = {}) { return test::make_world("cloud", seed, p); }

CommandResult apply(World& w, const std::string& text) { return test::apply_text(w, text); }

double val(const World& w, const std::string& key) { return test::model_value<CloudModel>(w, key.c_str()); }

const CloudModel& model(const World& w) { return *w.find_model<CloudModel>(); }

/// Zones of the placed replicas of workload `wl`.
std::multiset<int> zones_of(const World& w, int wl) {
  std::multiset<int> z;
  for (const auto& r : model(w).replicas())
    if (r.workload == wl && r.server != kNoNode) z.insert(model(w).zone_of(r.server));
  return z;
}

}  // namespace

TEST_CASE("cloud: spread puts a workload's replicas in different zones, storage one copy per zone") {
  auto w = make(1);
  CHECK(val(*w, "policy") == 0);
  CHECK(val(*w, "services_total") == 3);
  CHECK(val(*w, "services_up") == 3);
  CHECK(val(*w, "replicas_running") == 8);
  CHECK(val(*w, "replicas_running.web") == 3);
  CHECK(val(*w, "unplaced") == 0);
  for (int wl = 0; wl < 3; ++wl) {
    const auto z = zones_of(*w, wl);
    CHECK(std::set<int>(z.begin(), z.end()).size() == z.size());   // never two in one zone
  }
  CHECK(val(*w, "zones.web") == 3);
  CHECK(val(*w, "zones.db") == 2);
  CHECK(val(*w, "storage_zones") == 3);
  CHECK(val(*w, "storage_available") == 1);
  CHECK(val(*w, "servers_used") == 8);
  CHECK(val(*w, "utilisation") == doctest::Approx(16.0 / 64.0));
  // Four replicas of one workload on three zones: two zones hold two, none holds three.
  auto w4 = make(1, {{"workloads", "web:4:1:1"}});
  const auto z = zones_of(*w4, 0);
  for (int zone = 0; zone < 3; ++zone) CHECK(z.count(zone) <= 2);
  CHECK(val(*w4, "zones.web") == 3);
}

TEST_CASE("cloud: pack fills servers first: fewer servers, fuller ones, all in the first zone") {
  auto w = make(1, {{"policy", "pack"}});
  CHECK(val(*w, "policy") == 1);
  CHECK(val(*w, "servers_used") == 2);
  CHECK(val(*w, "utilisation") == doctest::Approx(1.0));
  const auto& m = model(*w);
  for (const auto& r : m.replicas()) {
    CHECK(m.zone_of(r.server) == 0);
    CHECK(m.server_index(r.server) <= 1);
  }
  CHECK(val(*w, "storage_zones") == 1);
  CHECK(val(*w, "zones.web") == 1);
}

TEST_CASE("cloud: a crashed server's replicas are placed elsewhere after the heartbeat timeout") {
  for (const char* policy : {"spread", "pack"}) {
    CAPTURE(policy);
    auto w = make(2, {{"policy", policy}});
    w->run_until(500 * kMs);
    REQUIRE(apply(*w, "crash node=z1-1").ok);
    w->run_until(600 * kMs);
    CHECK(val(*w, "replicas_running") < 8);
    CHECK(val(*w, "rescheduled") == 0);   // not noticed yet: 1 s without a heartbeat
    w->run_until(2 * kSec);
    CHECK(val(*w, "rescheduled") >= 1);
    CHECK(val(*w, "unplaced") == 0);
    CHECK(val(*w, "starting") >= 1);
    w->run_until(5 * kSec);
    CHECK(val(*w, "replicas_running") == 8);
    CHECK(val(*w, "services_up") == 3);
    for (const auto& r : model(*w).replicas()) CHECK(r.server != w->find_node("z1-1").value());
  }
}

TEST_CASE("cloud: with no room left a crashed server's replicas wait, and run when it is back") {
  // Two servers of 4 cores, each full: one crash leaves nowhere to go.
  auto w = make(3, {{"zones", "1"}, {"servers_per_zone", "2"}, {"server_cpu", "4"}, {"workloads", "a:4:2:1"},
                    {"storage_copies", "2"}});
  REQUIRE(val(*w, "replicas_running") == 4);
  REQUIRE(apply(*w, "crash node=z1-2").ok);
  w->run_until(3 * kSec);
  CHECK(val(*w, "unplaced") == 2);
  CHECK(val(*w, "replicas_running.a") == 2);
  CHECK(val(*w, "storage_available") == 1);
  REQUIRE(apply(*w, "restart node=z1-2").ok);
  w->run_until(6 * kSec);
  CHECK(val(*w, "unplaced") == 0);
  CHECK(val(*w, "replicas_running.a") == 4);
}

TEST_CASE("cloud: a zone fails: spread keeps every service and the storage, pack loses them") {
  {
    auto w = make(4);
    w->run_until(kSec);
    REQUIRE(apply(*w, "cloud.fail_zone zone=z1").ok);
    CHECK(val(*w, "zones_down") == 1);
    CHECK(val(*w, "servers_up") == 6);
    for (Time t = kSec; t <= 8 * kSec; t += 50 * kMs) {
      w->run_until(t);
      REQUIRE(val(*w, "services_up") == 3);
      REQUIRE(val(*w, "storage_available") == 1);
    }
    CHECK(val(*w, "replicas_running") == 8);   // the lost ones were placed in z2 and z3
    REQUIRE(apply(*w, "cloud.restore_zone zone=z1").ok);
    CHECK(val(*w, "zones_down") == 0);
  }
  {
    auto w = make(4, {{"policy", "pack"}});
    w->run_until(kSec);
    REQUIRE(apply(*w, "cloud.fail_zone zone=z1").ok);
    CHECK(val(*w, "services_up") == 0);
    CHECK(val(*w, "storage_available") == 0);
    w->run_until(6 * kSec);
    // The scheduler placed the services again in z2 (pack: two servers), the data stays lost.
    CHECK(val(*w, "services_up") == 3);
    CHECK(val(*w, "servers_used") == 2);
    CHECK(val(*w, "storage_available") == 0);
    CHECK(!apply(*w, "cloud.fail_zone zone=z1").ok);   // already down
    REQUIRE(apply(*w, "cloud.restore_zone zone=z1").ok);
    w->run_until(6500 * kMs);
    CHECK(val(*w, "storage_available") == 1);   // the disks kept their copies
  }
}

TEST_CASE("cloud: switching the policy moves replicas make-before-break, then a zone failure is survived") {
  auto w = make(5, {{"policy", "pack"}});
  w->run_until(kSec);
  REQUIRE(apply(*w, "cloud.policy policy=spread").ok);
  CHECK(val(*w, "policy") == 0);
  CHECK(val(*w, "starting") >= 1);
  for (Time t = kSec; t <= 5 * kSec; t += 50 * kMs) {
    w->run_until(t);
    REQUIRE(val(*w, "replicas_running") == 8);   // nothing stops before its new copy runs
    REQUIRE(val(*w, "storage_available") == 1);
  }
  CHECK(val(*w, "starting") == 0);
  CHECK(val(*w, "servers_used") == 8);
  CHECK(val(*w, "storage_zones") == 3);
  REQUIRE(apply(*w, "cloud.fail_zone zone=z1").ok);
  CHECK(val(*w, "services_up") == 3);
  CHECK(val(*w, "storage_available") == 1);
  // Back to pack: fewer servers again.
  REQUIRE(apply(*w, "cloud.restore_zone zone=z1").ok);
  w->run_until(8 * kSec);
  REQUIRE(apply(*w, "cloud.policy policy=pack").ok);
  w->run_until(12 * kSec);
  CHECK(val(*w, "servers_used") == 2);
  CHECK(val(*w, "replicas_running") == 8);
}

TEST_CASE("cloud: bad parameters and commands are refused, the world unchanged") {
  std::string err;
  CHECK(!build_world("cloud", 1, {{"policy", "random"}}, &err));
  CHECK(err.find("policy") != std::string::npos);
  CHECK(!build_world("cloud", 1, {{"workloads", "web:3:2"}}, &err));
  CHECK(!build_world("cloud", 1, {{"workloads", "web:3:99:1"}}, &err));
  CHECK(!build_world("cloud", 1, {{"workloads", "a:1:1:1,a:1:1:1"}}, &err));
  CHECK(!build_world("cloud", 1, {{"zones", "1"}, {"servers_per_zone", "2"}, {"storage_copies", "3"}}, &err));
  auto w = make(1);
  const size_t log = w->command_log().size();
  CHECK(!apply(*w, "cloud.fail_zone zone=z4").ok);
  CHECK(!apply(*w, "cloud.fail_zone zone=x").ok);
  CHECK(!apply(*w, "cloud.restore_zone zone=z1").ok);   // nothing down
  CHECK(!apply(*w, "cloud.policy policy=random").ok);
  CHECK(w->command_log().size() == log);
  REQUIRE(apply(*w, "crash node=scheduler").ok);
  CHECK(!apply(*w, "cloud.policy policy=pack").ok);   // nobody to move anything
  CHECK(val(*w, "policy") == 0);
}

TEST_CASE("cloud: the same seed gives the same trace") {
  uint64_t h[2];
  for (int i = 0; i < 2; ++i) {
    auto w = make(9, {{"policy", "pack"}});
    w->run_until(800 * kMs);
    REQUIRE(apply(*w, "crash node=z1-2").ok);
    w->run_until(3 * kSec);
    REQUIRE(apply(*w, "cloud.fail_zone zone=z1").ok);
    w->run_until(6 * kSec);
    REQUIRE(apply(*w, "cloud.restore_zone zone=z1").ok);
    REQUIRE(apply(*w, "cloud.policy policy=spread").ok);
    w->run_until(10 * kSec);
    h[i] = w->trace().hash();
  }
  CHECK(h[0] == h[1]);
  auto other = make(10, {{"policy", "pack"}});
  other->run_until(10 * kSec);
  CHECK(other->trace().hash() != h[0]);
}

TEST_CASE("cloud: outages are measured; a zone back under spread gets its replicas again") {
  auto w = make(6, {{"policy", "pack"}});
  w->run_until(500 * kMs);
  REQUIRE(apply(*w, "crash node=z1-1").ok);   // every web replica was there
  w->run_until(6 * kSec);
  CHECK(val(*w, "service_outages") == 1);
  CHECK(val(*w, "outage_s.web") >= 2.9);   // 1 s to notice, 2 s to start
  CHECK(val(*w, "outage_s.web") <= 3.5);
  CHECK(val(*w, "outage_s.db") == 0);
  REQUIRE(apply(*w, "cloud.fail_zone zone=z1").ok);
  w->run_until(8 * kSec);
  CHECK(val(*w, "storage_outages") == 1);
  CHECK(val(*w, "storage_outage_s") >= 1.8);
  // The zone comes back and at the same moment the policy becomes spread: the scheduler does
  // not know z1 is back yet, and re-places again when it hears from z1's servers.
  REQUIRE(apply(*w, "cloud.restore_zone zone=z1").ok);
  REQUIRE(apply(*w, "cloud.policy policy=spread").ok);
  const double outages = val(*w, "service_outages");
  w->run_until(12 * kSec);
  CHECK(val(*w, "zones.web") == 3);
  CHECK(val(*w, "storage_zones") == 3);
  CHECK(val(*w, "servers_used") == 8);
  CHECK(val(*w, "service_outages") == outages);
  CHECK(val(*w, "storage_outages") == 1);
  CHECK(val(*w, "storage_outage_s") < 8.5);
}
