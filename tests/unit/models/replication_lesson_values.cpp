// The replication values lessons 2 and 5 read: primary-backup's unreplicated writes (what a
// crash would lose), the recent windows (recent_stale_reads, read_ms, write_ms), and the quorum
// store's leader mode: linearizable through r1 even where R = W = 1 leaderless gives stale
// reads, at about twice the read latency; mode= validates.
#include <doctest/doctest.h>

#include "../world_util.h"
#include "models/kv/linearizability.h"
#include "models/replication/primary_backup.h"
#include "models/replication/quorum.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;
using topo::replication::PbModel;
using topo::replication::QuorumModel;

namespace {
std::unique_ptr<World> make(const std::string& scenario, uint64_t seed, const Params& p) {
  return test::make_world(scenario, seed, p);
}
CommandResult apply(World& w, const std::string& text) {
  return test::apply_text(w, text);
}
}  // namespace

TEST_CASE("primary-backup: unreplicated counts the writes only the primary has, and a crash loses them") {
  auto w = make("primary-backup", 1, {{"rate", "10"}, {"replication_ms", "1000"}, {"failover_ms", "1500"}});
  auto* m = w->find_model<PbModel>();
  w->run_until(1900 * kMs);  // shipped at 1 s, then 0.9 s of new writes
  const double at_risk = m->value("unreplicated").value();
  CHECK(at_risk >= 3);
  REQUIRE(apply(*w, "crash node=p1").ok);
  w->run_until(4 * kSec);
  REQUIRE(m->value("primary").value() == 2);
  // What p1 held alone, less any whose OK was still on its way to the client.
  CHECK(m->value("lost_writes").value() >= 1);
  CHECK(m->value("lost_writes").value() <= at_risk);
  CHECK(m->value("unreplicated").value() <= m->value("acked_writes").value());
  CHECK(m->value("read_ms").value() > 0);
  CHECK(m->value("write_ms").value() > 0);
  CHECK(m->value("recent_stale_reads").value() <= m->value("stale_reads").value());
}

TEST_CASE("quorum: leader mode is linearizable where R = W = 1 leaderless is not, and reads cost more") {
  const Params base = {{"r", "1"}, {"w", "1"}, {"rate", "30"}, {"keys", "4"}, {"latency_ms", "10"}, {"jitter_ms", "2"}};
  auto run = [&](bool leader) {
    auto w = make("quorum", 1, base);
    if (leader) REQUIRE(apply(*w, "quorum.set mode=leader").ok);
    REQUIRE(apply(*w, "set_link from=c1 to=r3 latency_ms=200").ok);
    w->run_until(4 * kSec);
    return w;
  };
  auto lw = run(false);
  auto* l = lw->find_model<QuorumModel>();
  CHECK(l->value("leader_mode").value() == 0);
  CHECK(l->value("stale_reads").value() > 0);
  const double leaderless_ms = l->value("read_ms").value();
  auto ww = run(true);
  auto* m = ww->find_model<QuorumModel>();
  CHECK(m->value("leader_mode").value() == 1);
  CHECK(m->recorder().ops_ok() > 200);
  CHECK(m->value("stale_reads").value() == 0);
  CHECK(m->violations().empty());
  CHECK(kv::check_linearizable(m->recorder().history()).ok());
  CHECK(m->value("read_ms").value() > 1.5 * leaderless_ms);  // two round trips instead of one
  CHECK(m->value("recent_stale_reads").value() == 0);
}

TEST_CASE("quorum: overlap, recent stale reads and mode= validation") {
  auto w = make("quorum", 1, {{"r", "1"}, {"w", "1"}});
  auto* m = w->find_model<QuorumModel>();
  CHECK(m->value("overlap").value() == 0);
  CHECK_FALSE(apply(*w, "quorum.set mode=boss").ok);
  CHECK(m->value("leader_mode").value() == 0);
  REQUIRE(apply(*w, "quorum.set r=2 w=2").ok);
  CHECK(m->value("overlap").value() == 1);
  std::string err;
  CHECK_FALSE(build_world("quorum", 1, {{"mode", "boss"}}, &err));
  CHECK(err.find("mode") != std::string::npos);
  auto lw = make("quorum", 1, {{"mode", "leader"}});
  CHECK(lw->find_model<QuorumModel>()->value("leader_mode").value() == 1);
}
