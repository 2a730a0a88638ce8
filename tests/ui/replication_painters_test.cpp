// The machinery of the other distributed worlds, checked against the models: a backup cut off
// from the primary falls behind (its lag grows with the writes it misses) and catches up after
// the heal; the replicas shown as having answered a quorum read or write are replicas, and a
// crashed one stops appearing; key shares sum to one and a node added to the ring takes a
// bounded slice; each world's legend names its encodings and its frames draw.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "imgui.h"
#include "models/replication/primary_backup.h"
#include "models/replication/quorum.h"
#include "models/sharding/sharding.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"
#include "ui/lab_app.h"
#include "ui/painters/replication_painters.h"
#include "app_harness.h"

using namespace topo;

namespace {
std::unique_ptr<World> make(const char* scenario, uint64_t seed = 1, Params p = {}) {
  std::string err;
  auto w = build_world(scenario, seed, p, &err);
  REQUIRE_MESSAGE(w, err);
  return w;
}
}  // namespace

TEST_CASE("primary-backup: a cut-off backup's lag grows with the writes it misses, and is 0 once it caught up") {
  // No failover during the test (a cut-off backup would otherwise promote itself after failover_ms).
  auto w = make("primary-backup", 1, {{"read_fraction", "0"}, {"failover_ms", "60000"}});
  const auto* m = w->find_model<replication::PbModel>();
  REQUIRE(m);
  w->run_until(2 * kSec);
  const auto p = m->primary();
  REQUIRE(p);
  auto lag = ui::pb_backup_lag(*m);
  REQUIRE(!lag.empty());
  CHECK(lag.count(*p) == 0);   // the primary is not its own backup
  NodeId backup = lag.begin()->first;
  REQUIRE(w->apply({"partition", {{"groups", w->node(backup).name}}}).ok);
  w->run_until(4 * kSec);
  lag = ui::pb_backup_lag(*m);
  const int64_t behind = lag[backup];
  CHECK(behind > 5);   // two seconds of writes it never got
  // The lag is exactly the difference of the applied positions.
  int64_t pseq = 0, bseq = 0;
  for (const auto& v : m->server_views()) {
    if (v.id == *p) pseq = v.seq;
    if (v.id == backup) bseq = v.seq;
  }
  CHECK(behind == pseq - bseq);
  REQUIRE(w->apply({"heal", {}}).ok);
  w->run_until(8 * kSec);
  lag = ui::pb_backup_lag(*m);
  if (m->primary() == p) CHECK(lag[backup] < behind / 4);   // caught up (but for the writes still in flight)
}

TEST_CASE("quorum: the replicas shown as answering are replicas; a crashed one stops answering") {
  auto w = make("quorum", 2);
  const auto* m = w->find_model<replication::QuorumModel>();
  REQUIRE(m);
  w->run_until(2 * kSec);
  auto a = ui::quorum_answers(*w, w->now(), 300'000);
  CHECK(!a.read.empty());
  CHECK(!a.write.empty());
  for (NodeId id : a.read) CHECK(std::find(m->replicas().begin(), m->replicas().end(), id) != m->replicas().end());
  const NodeId gone = m->replicas().front();
  REQUIRE(w->apply({"crash", {{"node", w->node(gone).name}}}).ok);
  w->run_until(3 * kSec);
  a = ui::quorum_answers(*w, w->now(), 300'000);
  CHECK(std::find(a.read.begin(), a.read.end(), gone) == a.read.end());
  CHECK(std::find(a.write.begin(), a.write.end(), gone) == a.write.end());
  CHECK(m->stale_keys(gone) == 0);   // a down replica is not counted
}

TEST_CASE("sharding: key shares sum to one; an added node takes a bounded slice") {
  auto w = make("sharding", 1);
  const auto* m = w->find_model<sharding::ShardModel>();
  REQUIRE(m);
  w->run_until(1 * kSec);
  auto shares = ui::shard_key_shares(*w, *m);
  const size_t before = shares.size();
  REQUIRE(before >= 2);
  double sum = 0.0;
  for (const auto& [id, s] : shares) sum += s;
  CHECK(sum == doctest::Approx(1.0));
  REQUIRE(w->apply({"shard.add_node", {{"name", "s9"}}}).ok);
  w->run_until(2 * kSec);
  shares = ui::shard_key_shares(*w, *m);
  CHECK(shares.size() == before + 1);
  const auto s9 = w->find_node("s9");
  REQUIRE(s9);
  CHECK(shares[*s9] > 0.0);
  CHECK(shares[*s9] < 2.0 / static_cast<double>(before + 1));   // about 1/(N+1), not everything
}

TEST_CASE("each world's legend names its encodings, and its frames draw") {
  test::AppHarness h;
  const std::pair<const char*, const char*> cases[] = {{"primary-backup", "lag"}, {"quorum", "N=3 R=2 W=2"}, {"sharding", "share of the keys"}};
  for (const auto& c : cases) {   // no structured binding: clang 14 cannot capture one in CHECK_MESSAGE
    const char* sc = c.first;
    const char* words = c.second;
    ui::LabApp app({sc, 1, ""});
    app.command_json(R"({"op":"ui.run_ms","value":1500})");
    for (int i = 0; i < 4; ++i) h.frame(app);
    bool found = false;
    for (const auto& it : app.canvas().legend) found = found || it.label.find(words) != std::string::npos;
    CHECK_MESSAGE(found, sc);
  }
}

TEST_CASE("canvas: a server added at runtime re-spaces the ring instead of landing on a neighbour") {
  std::string err;
  auto w = build_world("raft-5", 1, {}, &err);
  REQUIRE_MESSAGE(w, err);
  w->run_until(1 * kSec);
  ui::CanvasView v;
  ui::auto_layout(*w, v, true);
  REQUIRE(w->apply({"raft.add_server", {{"name", "n6"}}}).ok);
  ui::auto_layout(*w, v, false);
  float closest = 1e9f;
  std::vector<NodeId> servers;
  for (const auto& n : w->nodes())
    if (n->name.size() == 2 && n->name[0] == 'n') servers.push_back(n->id);
  REQUIRE(servers.size() == 6);
  for (NodeId a : servers)
    for (NodeId b : servers)
      if (a < b) {
        const ImVec2 pa = v.pos[static_cast<size_t>(a)], pb = v.pos[static_cast<size_t>(b)];
        closest = std::min(closest, std::hypot(pa.x - pb.x, pa.y - pb.y));
      }
  // Six evenly spaced on a ring of radius 0.62: neighbours 0.62 apart (they were 0.2 apart).
  CHECK(closest > 0.55f);
}
