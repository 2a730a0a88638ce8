// Default chart series (models/default_series.h, and the services' own in services/controller.cpp): every
// built-in world has points from t = 0, at every 250 ms boundary, with plausible values that
// agree with the Model::value keys lessons read. If sampling were skipped (no sampler installed
// or not called) every "points" check below fails.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "models/raft/raft.h"
#include "models/services/services.h"
#include "scenario/scenario.h"
#include "../world_util.h"

using namespace topo;
using test::make_world;

namespace {

// The series, which must have a point at every boundary 0, 250, ..., until.
const std::vector<SeriesPoint>& points(const World& w, const std::string& name, Time until = kSec) {
  const auto* s = w.metrics().series(name);
  REQUIRE_MESSAGE(s, name);
  const size_t want = static_cast<size_t>(until / (250 * kMs)) + 1;
  REQUIRE_MESSAGE(s->size() == want, name);
  for (size_t i = 0; i < s->size(); ++i) CHECK((*s)[i].t == static_cast<Time>(i) * 250 * kMs);
  return *s;
}

double last(const World& w, const std::string& name) { return points(w, name).back().value; }

}  // namespace

TEST_CASE("default series: raft-5 after 1 s") {
  auto w = make_world("raft-5", 1);
  w->run_until(kSec);
  for (const auto& p : points(*w, "raft.availability")) CHECK((p.value >= 0.0 && p.value <= 1.0));
  CHECK(points(*w, "raft.commits_per_s").front().value == 0.0);
  REQUIRE(test::model_value<raft::RaftCluster>(*w, "leader_count") == 1);   // elected within 1 s
  w->run_until(2 * kSec);
  // After the election the cluster commits: the rate over the last second is positive and is
  // the growth of the commit_index lessons read.
  const auto* commits = w->metrics().series("raft.commits_per_s");
  REQUIRE(commits);
  CHECK(commits->back().value > 0.0);
  CHECK(w->metrics().series("raft.leader_count")->back().value == 1.0);
  CHECK(w->metrics().series("raft.term")->back().value == test::model_value<raft::RaftCluster>(*w, "term"));
  CHECK(w->metrics().series("raft.availability")->back().value ==
        doctest::Approx(test::model_value<raft::RaftCluster>(*w, "availability")));
  // The election is marked on the charts' time axis.
  // Its subject is the leader's name apart from the words, so the UI can say it in any language.
  bool leader_mark = false;
  const std::string leader = w->node(static_cast<NodeId>(test::model_value<raft::RaftCluster>(*w, "leader"))).name;
  for (const auto& e : w->metrics().events())
    leader_mark |= e.kind == "leader" && e.subject == leader && e.label == "leader " + leader;
  CHECK(leader_mark);
}

TEST_CASE("default series: raft availability falls when the majority is gone") {
  auto w = make_world("raft-5", 1);
  w->run_until(2 * kSec);
  for (const char* n : {"n1", "n2", "n3", "n4", "n5"}) REQUIRE(test::apply_text(*w, std::string("crash node=") + n).ok);
  w->run_until(5 * kSec);
  CHECK(w->metrics().series("raft.commits_per_s")->back().value == 0.0);
  CHECK(w->metrics().series("world.nodes_up")->back().value < 5.0);
}

TEST_CASE("default series: shop from t = 0, per request type and per service") {
  auto w = make_world("shop", 1);
  w->run_until(kSec);
  const auto* m = w->find_model<svc::ServicesModel>();
  REQUIRE(m);
  int types = 0;
  for (const auto& [name, pts] : w->metrics().all_series()) {
    (void)pts;
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".rps") == 0) {
      ++types;
      const std::string who = name.substr(0, name.size() - 4);
      CAPTURE(who);
      CHECK(last(*w, who + ".rps") > 0.0);
      const double p50 = last(*w, who + ".p50_ms"), p99 = last(*w, who + ".p99_ms");
      CHECK(p50 > 0.0);
      CHECK(p50 <= p99);
      const double ok = last(*w, who + ".success_rate");
      CHECK((ok >= 0.0 && ok <= 1.0));
    }
  }
  CHECK(types >= 2);
  CHECK(last(*w, "svc.checkout.replicas") == m->value("replicas.checkout").value());
  const double err = last(*w, "svc.payment.error_rate");
  CHECK((err >= 0.0 && err <= 1.0));
}

TEST_CASE("default series: a breaker opening is marked") {
  auto w = make_world("shop", 3, {{"checkout->payment.breaker_min_calls", "5"}, {"payment.fault", "errors"},
                                   {"payment.error_rate", "0.5"}});
  w->run_until(8 * kSec);
  bool mark = false;
  for (const auto& e : w->metrics().events())
    mark |= e.kind == "breaker_open" && e.subject.find("->payment") != std::string::npos && e.label == "breaker " + e.subject;
  CHECK(mark);
}

TEST_CASE("default series: every other world has points with plausible values after 1 s") {
  struct Case {
    const char* scenario;
    std::vector<const char*> series;
  };
  const std::vector<Case> cases = {
      {"ping", {"world.nodes_up", "world.messages_per_s"}},
      {"mm1", {"mm1.in_system", "mm1.served_per_s", "mm1.mean_time_in_system_ms"}},
      {"mmc", {"mmc.in_system", "mmc.served_per_s"}},
      {"gossip", {"gossip.informed_fraction"}},
      {"primary-backup", {"primary-backup.ops_per_s", "primary-backup.p99_ms", "primary-backup.lost_writes"}},
      {"quorum", {"quorum.ops_per_s", "quorum.p99_ms", "quorum.recent_stale_reads"}},
      {"sharding", {"sharding.requests_per_s", "sharding.queue_max"}},
      {"transfer-2pc", {"transfer.committed_per_s", "transfer.in_doubt", "transfer.p99_ms"}},
      {"transfer-saga", {"transfer.committed_per_s", "transfer.aborted_per_s"}},
      {"datajob", {"datajob.tasks_done", "datajob.workers_alive"}},
      {"game", {"game.divergence", "game.snapshot_age_ms"}},
      {"feed", {"feed.posts_per_s", "feed.queue_depth", "feed.read_latency_ms_p95"}},
      {"cloud", {"cloud.services_up", "cloud.replicas_running", "cloud.servers_used"}},
  };
  for (const auto& c : cases) {
    const std::string scenario = c.scenario;
    CAPTURE(scenario);
    auto w = make_world(c.scenario, 1);
    w->run_until(kSec);
    for (const char* s : c.series) {
      CAPTURE(s);
      for (const auto& p : points(*w, s)) CHECK(p.value >= 0.0);
    }
    CHECK(last(*w, "world.nodes_up") > 0.0);
    // The queueing stations work on one node and send no messages.
    if (scenario == "mm1" || scenario == "mmc") CHECK(last(*w, "world.messages_per_s") == 0.0);
    else CHECK(last(*w, "world.messages_per_s") > 0.0);
  }
  // Values that must have moved in the first second (the load runs from the start).
  auto pb = make_world("primary-backup", 1);
  pb->run_until(kSec);
  CHECK(last(*pb, "primary-backup.ops_per_s") > 0.0);
  auto q = make_world("quorum", 1);
  q->run_until(kSec);
  CHECK(last(*q, "quorum.ops_per_s") > 0.0);
  auto sh = make_world("sharding", 1);
  sh->run_until(kSec);
  CHECK(last(*sh, "sharding.requests_per_s") > 0.0);
  auto mm = make_world("mm1", 1);
  mm->run_until(kSec);
  CHECK(last(*mm, "mm1.served_per_s") > 0.0);
  auto g = make_world("gossip", 1);
  g->run_until(kSec);
  const double f = last(*g, "gossip.informed_fraction");
  CHECK((f > 0.0 && f <= 1.0));
}

TEST_CASE("default series: names are declared before the first point (what lessons' chart names)") {
  auto w = make_world("raft-5", 1);   // built and started, not run
  const auto kinds = series_kinds(w->metrics());
  const std::set<std::string> have(kinds.begin(), kinds.end());
  for (const char* k : {"commits_per_s", "availability", "term", "leader_count", "nodes_up", "messages_per_s"})
    CHECK_MESSAGE(have.count(k), k);
  auto s = make_world("shop", 1);
  const auto sk = series_kinds(s->metrics());
  const std::set<std::string> shop(sk.begin(), sk.end());
  for (const char* k : {"p50_ms", "p99_ms", "rps", "error_rate", "replicas", "success_rate", "queue"})
    CHECK_MESSAGE(shop.count(k), k);
}

TEST_CASE("default series: the shop's charts read what the lesson value keys read") {
  auto w = make_world("shop", 1);
  w->run_until(12 * kSec);   // past the first window: rps is the value key's too
  const auto* m = w->find_model<svc::ServicesModel>();
  REQUIRE(m);
  for (const char* k : {"p99_ms.checkout", "p50_ms.browse", "success_rate.checkout", "rps.browse"}) {
    CAPTURE(k);
    const std::string key(k);
    const size_t dot = key.find('.');
    const std::string series = "svc." + key.substr(dot + 1) + "." + key.substr(0, dot);
    const auto* s = w->metrics().series(series);
    REQUIRE(s);
    CHECK(s->back().t == 12 * kSec);
    CHECK(s->back().value == doctest::Approx(m->value(key).value()));
  }
}
