// Raft store behaviour a student can see in the lab: an election gives exactly one leader per
// term, a crashed leader is replaced in a higher term, a minority cannot commit while the majority
// can, a healed node catches up, persistent state survives a crash, the rolling upgrade, and the
// model's Commands reject bad input without changing the world.
#include <doctest/doctest.h>

#include <string>

#include "models/raft/raft.h"
#include "catalog/catalog.h"
#include "raft_world.h"
#include "scenario/scenario.h"

using namespace topo;
using topo::raft::RaftCluster;
using topo::raft::Role;
using topo::test::RaftWorld;

TEST_CASE("raft: an election gives exactly one leader, and every node follows it in its term") {
  for (uint64_t seed : {1, 2, 3}) {
    RaftWorld r("raft-5", seed, {{"clients", "0"}});
    r.run_ms(2000);
    CHECK(r.v("leader_count") == 1);
    const NodeId l = r.leader();
    REQUIRE(l != kNoNode);
    const auto* leader = r.c->server(l);
    REQUIRE(leader);
    for (NodeId id : r.c->servers()) {
      const auto* n = r.c->server(id);
      REQUIRE(n);
      CHECK(n->term() == leader->term());
      CHECK(n->known_leader() == l);
      if (id != l) CHECK(n->role() == Role::Follower);
    }
    CHECK(r.c->violations().empty());
    // The state for the UI names the roles a student reads.
    const std::string json = r.c->state_json();
    CHECK(json.find("\"role\":\"leader\"") != std::string::npos);
    CHECK(json.find("\"role\":\"follower\"") != std::string::npos);
  }
}

TEST_CASE("raft: crashing the leader elects a new leader in a higher term") {
  RaftWorld r("raft-5", 7);
  r.run_ms(1500);
  const NodeId old = r.leader();
  REQUIRE(old != kNoNode);
  const double term = r.v("term");
  const double writes = r.v("committed_writes");
  CHECK(writes > 0);
  REQUIRE(r.apply("crash node=" + r.name(old)).ok);
  r.run_ms(1500);
  CHECK(r.v("leader_count") == 1);
  CHECK(r.leader() != old);
  CHECK(r.leader() != kNoNode);
  CHECK(r.v("term") > term);
  CHECK(r.v("committed_writes") > writes);  // the new leader keeps serving writes
  CHECK(r.c->violations().empty());
}

TEST_CASE("raft: a minority cannot commit, the majority can, and a healed node catches up") {
  RaftWorld r("raft-5", 11);
  r.run_ms(1000);
  const NodeId old = r.leader();
  REQUIRE(old != kNoNode);
  // The old leader and one follower, with client c1, on one side; three nodes and c2 on the other.
  NodeId buddy = kNoNode;
  std::string majority;
  for (NodeId id : r.c->servers()) {
    if (id == old) continue;
    if (buddy == kNoNode) buddy = id;
    else majority += r.name(id) + ",";
  }
  REQUIRE(r.apply("partition groups=\"" + r.name(old) + "," + r.name(buddy) + ",c1|" + majority + "c2\"").ok);
  const int64_t old_commit = r.c->server(old)->commit_index();
  const int64_t old_log = r.c->server(old)->disk().last_index();
  r.run_ms(2000);
  // The old leader may still believe it leads, but it commits nothing more.
  CHECK(r.c->server(old)->commit_index() == old_commit);
  CHECK(r.c->server(old)->disk().last_index() > old_log);  // c1's writes pile up uncommitted
  // The majority elected a leader and commits c2's writes.
  NodeId new_leader = kNoNode;
  int64_t majority_commit = 0;
  for (NodeId id : r.c->servers()) {
    if (id == old || id == buddy) continue;
    const auto* n = r.c->server(id);
    if (n->role() == Role::Leader) new_leader = id;
    majority_commit = std::max(majority_commit, n->commit_index());
  }
  REQUIRE(new_leader != kNoNode);
  CHECK(majority_commit > old_commit + 5);
  CHECK(r.v("availability") < 1.0);  // c1 times out on the minority side

  REQUIRE(r.apply("heal").ok);
  r.run_ms(1500);
  CHECK(r.v("leader_count") == 1);
  CHECK(r.c->server(old)->role() == Role::Follower);
  // Everyone holds the same log up to the leader's commit index and applied it.
  const auto* l = r.c->server(r.leader());
  REQUIRE(l);
  const int64_t commit = l->commit_index();
  for (NodeId id : r.c->servers()) {
    const auto* n = r.c->server(id);
    CHECK(n->disk().last_index() >= commit - 5);
    CHECK(n->last_applied() >= commit - 5);
    const int64_t upto = std::min<int64_t>(commit - 5, n->disk().last_index());
    for (int64_t i = 1; i <= upto; ++i)
      CHECK(n->disk().log[static_cast<size_t>(i - 1)].cmd == l->disk().log[static_cast<size_t>(i - 1)].cmd);
  }
  // The uncommitted writes of the minority side were replaced, never applied anywhere.
  CHECK(r.c->violations().empty());
}

TEST_CASE("raft: currentTerm, votedFor and the log survive a crash; the state machine is rebuilt by replay") {
  RaftWorld r("raft-3", 5);
  r.run_ms(1500);
  const NodeId l = r.leader();
  REQUIRE(l != kNoNode);
  NodeId f = r.c->servers()[0] == l ? r.c->servers()[1] : r.c->servers()[0];
  const auto* before = r.c->server(f);
  REQUIRE(before);
  const int64_t term = before->term();
  const NodeId vote = before->disk().voted_for;
  const int64_t log_len = before->disk().last_index();
  const auto kv = before->kv();
  CHECK(log_len > 3);
  CHECK(before->last_applied() > 0);
  REQUIRE(r.apply("crash node=" + r.name(f)).ok);
  CHECK(r.c->server(f) == nullptr);
  const auto* disk = r.c->disk(f);
  REQUIRE(disk);
  CHECK(disk->current_term == term);
  CHECK(disk->voted_for == vote);
  CHECK(disk->last_index() == log_len);
  REQUIRE(r.apply("restart node=" + r.name(f)).ok);
  const auto* after = r.c->server(f);
  REQUIRE(after);
  CHECK(after->last_applied() == 0);  // volatile: starts empty
  CHECK(after->kv().empty());
  CHECK(after->disk().last_index() == log_len);
  r.run_ms(500);
  after = r.c->server(f);
  CHECK(after->last_applied() >= log_len);  // replayed from its own log once the leader says so
  // Every key the node had is there again (possibly newer values written since).
  for (const auto& [k, v] : kv) CHECK(after->kv().count(k) == 1);
  CHECK(r.c->violations().empty());
}

TEST_CASE("raft: forgetting votedFor is a model option, off by default") {
  RaftWorld r("raft-3", 5, {{"raft.persist_vote", "false"}});
  CHECK_FALSE(r.c->rules().persist_vote);
  CHECK(r.c->rules().check_log_up_to_date);
  REQUIRE(r.apply("raft.rule name=persist_vote on=true").ok);
  CHECK(r.c->rules().persist_vote);
  REQUIRE(r.apply("raft.rule name=raft.commit_only_current_term on=false").ok);
  CHECK_FALSE(r.c->rules().commit_only_current_term);
}

TEST_CASE("raft: bad Commands and parameters are refused and change nothing") {
  RaftWorld r("raft-3", 1);
  r.run_ms(500);
  const size_t logged = r.w->command_log().size();
  auto res = r.apply("raft.rule name=skip_everything on=false");
  CHECK_FALSE(res.ok);
  CHECK(res.error.find("unknown rule") != std::string::npos);
  CHECK_FALSE(r.apply("raft.rule name=persist_vote on=maybe").ok);
  CHECK(r.c->rules().persist_vote);
  CHECK_FALSE(r.apply("upgrade version=v2 batch=0").ok);
  CHECK_FALSE(r.apply("upgrade version=v2 batch=4").ok);
  CHECK_FALSE(r.apply("upgrade batch=1").ok);
  CHECK_FALSE(r.apply("upgrade version=v2 batch=1 pause_ms=-5").ok);
  CHECK(r.w->command_log().size() == logged);
  CHECK(r.v("upgrade_active") == 0);

  std::string err;
  CHECK_FALSE(build_world("raft-5", 1, {{"nodes", "0"}}, &err));
  CHECK(err.find("nodes") != std::string::npos);
  CHECK_FALSE(build_world("raft-5", 1, {{"election_min_ms", "400"}}, &err));
  CHECK_FALSE(build_world("raft-5", 1, {{"raft.persist_vote", "perhaps"}}, &err));
  CHECK_FALSE(build_world("raft-5", 1, {{"colour", "red"}}, &err));
  CHECK(err.find("unknown parameter") != std::string::npos);
}

TEST_CASE("raft: a rolling upgrade one node at a time keeps serving; too large a batch loses quorum") {
  auto run_upgrade = [](int batch, double* min_availability, double* failed) {
    RaftWorld r("raft-5", 3, {{"restart_ms", "1500"}});
    r.run_ms(1000);
    REQUIRE(r.apply("upgrade version=v2 batch=" + std::to_string(batch)).ok);
    CHECK(r.v("upgrade_active") == 1);
    CHECK_FALSE(r.apply("upgrade version=v3 batch=1").ok);  // one at a time
    const double failed_before = r.v("ops_failed");
    *min_availability = 1.0;
    for (int i = 0; i < 120 && r.v("upgrade_active") == 1; ++i) {
      r.run_ms(100);
      *min_availability = std::min(*min_availability, r.v("availability"));
    }
    CHECK(r.v("upgrade_active") == 0);
    CHECK(r.v("upgraded") == 5);
    for (NodeId id : r.c->servers()) CHECK(r.w->node(id).version == "v2");
    *failed = r.v("ops_failed") - failed_before;
    CHECK(r.c->violations().empty());
  };
  double avail1 = 0, failed1 = 0, avail3 = 0, failed3 = 0;
  run_upgrade(1, &avail1, &failed1);
  run_upgrade(3, &avail3, &failed3);
  // One at a time: a majority is always up; at most a few operations caught in a re-election fail.
  CHECK(avail1 > 0.7);
  // Three of five down at once: no majority, writes stall until they come back.
  CHECK(avail3 < 0.2);
  CHECK(failed3 > failed1 + 10);
}
