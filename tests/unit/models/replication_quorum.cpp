// The leaderless quorum store: with R + W <= N a partition or a delayed replica gives stale
// reads (measured, and the checker rejects the history); with R + W > N a fault-free run and the
// same faults give none; sync read repair (ABD write-back) keeps R + W > N linearizable.
#include <doctest/doctest.h>

#include "../world_util.h"
#include "models/kv/linearizability.h"
#include "models/replication/quorum.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;
using topo::replication::QuorumModel;

namespace {

std::unique_ptr<World> make(uint64_t seed, const Params& p) {
  return test::make_world("quorum", seed, p);
}

CommandResult apply(World& w, const std::string& text) {
  return test::apply_text(w, text);
}

/// Runs 4 s: 1 s healthy, 1 s of `fault` (then healed), 2 s healthy again.
QuorumModel* run(World& w, const std::string& fault) {
  w.run_until(1 * kSec);
  if (!fault.empty()) REQUIRE(apply(w, fault).ok);
  w.run_until(2 * kSec);
  if (fault.rfind("partition", 0) == 0) REQUIRE(apply(w, "heal").ok);
  w.run_until(4 * kSec);
  return w.find_model<QuorumModel>();
}

// Writers on one side with two replicas, readers on the other with the third.
const char* kSplit = "partition groups=c1,r1,r2|c2,c3,r3";
// c1's writes reach r3 100 ms late; everyone else's links are fast.
const char* kDelay = "set_link from=c1 to=r3 latency_ms=100";

}  // namespace

TEST_CASE("quorum: R + W <= N gives stale reads under a partition or delayed replication") {
  for (const char* fault : {kSplit, kDelay}) {
    CAPTURE(fault);
    auto w = make(1, {{"n", "3"}, {"r", "1"}, {"w", "1"}, {"rate", "40"}});
    QuorumModel* m = run(*w, fault);
    CHECK(m->recorder().ops_ok() > 300);
    CHECK(m->value("stale_reads").value() > 0);
    kv::CheckResult r = kv::check_linearizable(m->recorder().history());
    CHECK(r.verdict == kv::Verdict::Violation);
    CHECK(m->value("violations").value() >= 1);
  }
}

TEST_CASE("quorum: R + W > N gives no stale reads") {
  SUBCASE("fault-free, several seeds and quorum shapes") {
    for (const char* rw : {"2 2", "1 3", "3 1"}) {
      for (uint64_t seed = 1; seed <= 3; ++seed) {
        CAPTURE(rw);
        CAPTURE(seed);
        auto w = make(seed, {{"r", std::string(1, rw[0])}, {"w", std::string(1, rw[2])}, {"rate", "40"}});
        QuorumModel* m = run(*w, "");
        CHECK(m->recorder().ops_ok() > 300);
        CHECK(m->value("stale_reads").value() == 0);
        CHECK(m->recorder().ops_unknown() == 0);
      }
    }
  }
  SUBCASE("the same faults that made R = W = 1 stale") {
    for (const char* fault : {kSplit, kDelay}) {
      CAPTURE(fault);
      auto w = make(1, {{"r", "2"}, {"w", "2"}, {"rate", "40"}});
      QuorumModel* m = run(*w, fault);
      CHECK(m->value("stale_reads").value() == 0);
    }
  }
}

TEST_CASE("quorum: sync read repair (write-back) keeps R + W > N linearizable") {
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    CAPTURE(seed);
    auto w = make(seed, {{"r", "2"}, {"w", "2"}, {"read_repair", "sync"}, {"rate", "60"}, {"keys", "2"},
                         {"jitter_ms", "10"}});
    QuorumModel* m = run(*w, kDelay);
    CHECK(m->recorder().ops_ok() > 400);
    CHECK(m->value("stale_reads").value() == 0);
    CHECK(m->violations().empty());
  }
}

TEST_CASE("quorum: read repair heals a replica that missed writes") {
  auto w = make(2, {{"r", "3"}, {"w", "1"}, {"read_repair", "async"}, {"read_fraction", "0.9"}});
  w->run_until(500 * kMs);
  REQUIRE(apply(*w, "crash node=r3").ok);
  w->run_until(1500 * kMs);
  REQUIRE(apply(*w, "restart node=r3").ok);
  w->run_until(4 * kSec);
  auto* m = w->find_model<QuorumModel>();
  CHECK(m->read_repairs() > 0);
  CHECK(m->value("stale_reads").value() == 0);
}

TEST_CASE("quorum: quorum.set validates and applies") {
  auto w = make(1, {});
  auto* m = w->find_model<QuorumModel>();
  CHECK_FALSE(apply(*w, "quorum.set").ok);
  CHECK_FALSE(apply(*w, "quorum.set r=4").ok);
  CHECK_FALSE(apply(*w, "quorum.set r=1 w=0").ok);
  CHECK_FALSE(apply(*w, "quorum.set r=1 read_repair=maybe").ok);
  CHECK(m->config().r == 2);  // nothing changed by the failed commands
  CHECK(apply(*w, "quorum.set r=1 w=1 read_repair=async").ok);
  CHECK(m->value("r").value() == 1);
  CHECK(m->value("w").value() == 1);
  CHECK(m->state_json().find("\"overlap\":false") != std::string::npos);
  std::string err;
  CHECK_FALSE(build_world("quorum", 1, {{"r", "5"}}, &err));
  CHECK(err.find("r must be") != std::string::npos);
}
