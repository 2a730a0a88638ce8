// Primary-backup with asynchronous replication: fault-free it is linearizable; a primary crash
// makes a backup take over, acknowledged writes that had not been shipped are lost (measured),
// clients read old values, and the linearizability checker says so. Also the pb.* Commands.
#include <doctest/doctest.h>

#include <sstream>

#include "../world_util.h"
#include "models/kv/history.h"
#include "models/kv/linearizability.h"
#include "models/replication/primary_backup.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;
using topo::replication::PbModel;

namespace {

std::unique_ptr<World> make(uint64_t seed, const Params& p = {}) {
  return test::make_world("primary-backup", seed, p);
}

CommandResult apply(World& w, const std::string& text) {
  return test::apply_text(w, text);
}

}  // namespace

TEST_CASE("primary-backup: fault-free runs are linearizable and lose nothing") {
  auto w = make(1);
  w->run_until(3 * kSec);
  auto* m = w->find_model<PbModel>();
  REQUIRE(m);
  CHECK(m->recorder().ops_ok() > 100);
  CHECK(m->value("acked_writes").value() > 40);
  CHECK(m->value("primary").value() == 1);
  CHECK(m->lost_writes() == 0);
  CHECK(m->failovers() == 0);
  CHECK(m->recorder().stale_reads() == 0);
  CHECK(m->violations().empty());
  CHECK(kv::check_linearizable(m->recorder().history()).ok());
}

TEST_CASE("primary-backup: failover loses acknowledged writes and the checker catches it") {
  // A busy store with slow log shipping, so the primary always holds unshipped writes.
  int lost_runs = 0, nonlinear_runs = 0;
  const uint64_t seeds = 4;
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    CAPTURE(seed);
    auto w = make(seed, {{"rate", "40"}, {"replication_ms", "200"}});
    w->run_until(2 * kSec + static_cast<Time>(seed) * 37 * kMs);
    REQUIRE(apply(*w, "crash node=p1").ok);
    w->run_until(5 * kSec);
    auto* m = w->find_model<PbModel>();
    CHECK(m->failovers() >= 1);
    CHECK(m->value("primary").value() == 2);  // p2 is next in line
    CHECK(m->value("view").value() == 2);
    CHECK(m->recorder().ops_ok() > 200);  // the store serves again after the failover
    if (m->lost_writes() > 0) ++lost_runs;
    kv::CheckResult r = kv::check_linearizable(m->recorder().history());
    if (r.verdict == kv::Verdict::Violation) {
      ++nonlinear_runs;
      CHECK(!r.ops.empty());
      CHECK(!m->violations().empty());
      CHECK(m->value("violations").value() >= 1);
    }
    // The old primary comes back as a backup and takes the new primary's state.
    REQUIRE(apply(*w, "restart node=p1").ok);
    w->run_until(6 * kSec);
    CHECK(m->value("primary").value() == 2);
  }
  CHECK(lost_runs == static_cast<int>(seeds));
  CHECK(nonlinear_runs >= 1);
}

TEST_CASE("primary-backup: a partitioned primary keeps acknowledging writes (split brain)") {
  auto w = make(3, {{"rate", "40"}});
  w->run_until(1 * kSec);
  // p1 and client c1 on one side; p2, p3 and the other clients on the other.
  REQUIRE(apply(*w, "partition groups=p1,c1|p2,p3,c2,c3").ok);
  w->run_until(3 * kSec);
  auto* m = w->find_model<PbModel>();
  CHECK(m->failovers() >= 1);
  const double acked_during = m->value("acked_writes").value();
  REQUIRE(apply(*w, "heal").ok);
  w->run_until(4 * kSec);
  // p1 heard of the newer view and stepped down: whatever c1 wrote to it alone is gone.
  CHECK(m->value("primary").value() == 2);
  CHECK(m->lost_writes() > 0);
  CHECK(acked_during > 0);
  CHECK(!kv::check_linearizable(m->recorder().history()).ok());
}

TEST_CASE("primary-backup: commands validate before changing anything") {
  auto w = make(5);
  w->run_until(500 * kMs);
  auto* m = w->find_model<PbModel>();
  CHECK_FALSE(apply(*w, "pb.failover node=c1").ok);
  CHECK_FALSE(apply(*w, "pb.failover node=p1").ok);  // already primary
  CHECK_FALSE(apply(*w, "pb.set").ok);
  CHECK_FALSE(apply(*w, "pb.set replication_ms=-3").ok);
  CHECK(m->failovers() == 0);
  CHECK(apply(*w, "pb.set replication_ms=20 failover_ms=150").ok);
  CHECK(m->config().replication_interval_us == 20 * kMs);
  CHECK(apply(*w, "pb.failover").ok);
  w->run_until(1 * kSec);
  CHECK(m->failovers() == 1);
  CHECK(m->value("primary").value() == 2);
  std::ostringstream h;
  CHECK(m->write_history(h));
  kv::History back;
  std::istringstream in(h.str());
  std::string err;
  CHECK(kv::History::read_jsonl(in, "pb.jsonl", &back, &err));
  CHECK(back.size() == m->recorder().history().size());
  CHECK(m->state_json().find("\"primary\":\"p2\"") != std::string::npos);
}

TEST_CASE("primary-backup: scheduled primary crash replays identically after a rewind") {
  std::string err;
  auto s = Session::create("primary-backup", 9, {{"crash_primary_ms", "1000"}, {"rate", "40"}}, &err);
  REQUIRE_MESSAGE(s, err);
  s->run_until(600 * kMs);
  REQUIRE(apply(s->world(), "pb.set replication_ms=150").ok);
  s->run_until(2500 * kMs);
  auto* m = s->world().find_model<PbModel>();
  CHECK(m->failovers() == 1);
  CHECK(s->world().node(*s->world().find_node("p1")).status == NodeStatus::Crashed);
  const uint64_t hash = s->world().trace().hash();
  const std::string state = m->state_json();
  s->rewind(800 * kMs);
  s->run_until(2500 * kMs);
  CHECK(s->world().trace().hash() == hash);
  CHECK(s->world().find_model<PbModel>()->state_json() == state);
}
