// Raft membership changes at runtime (Ongaro's dissertation §4.1-4.3, one server at a time):
// adding a server changes the majority, the new server catches up before it votes and writes
// commit with the new majority; a second change is refused while one is in flight; a removed
// leader steps down; the checker stays clean over random add/remove schedules with crashes and
// catches the seeded bug (raft.single_change=false: two changes in flight).
#include <doctest/doctest.h>

#include <string>

#include "catalog/catalog.h"
#include "raft_world.h"
#include "models/raft/raft.h"
#include "scenario/scenario.h"

using namespace topo;
using topo::raft::RaftCluster;
using topo::raft::Role;
using topo::test::RaftWorld;

TEST_CASE("raft membership: adding a server raises the majority; it catches up and writes commit") {
  for (uint64_t seed : {1, 2, 3}) {
    RaftWorld r("raft-3", seed);
    r.run_ms(1500);
    REQUIRE(r.v("leader_count") == 1);
    CHECK(r.v("members") == 3);
    CHECK(r.v("majority") == 2);
    const CommandResult add = r.apply("raft.add_server name=n4");
    REQUIRE_MESSAGE(add.ok, add.error);
    const auto n4 = r.w->find_node("n4");
    REQUIRE(n4);
    CHECK(r.v("learners") == 1);
    CHECK(r.v("member.n4") == 0);  // a learner does not vote yet
    r.run_ms(1000);
    CHECK(r.v("members") == 4);
    CHECK(r.v("majority") == 3);
    CHECK(r.v("member.n4") == 1);
    CHECK(r.v("learners") == 0);
    // The new server holds the leader's log and applied it.
    const auto* l = r.c->server(r.leader());
    const auto* n = r.c->server(*n4);
    REQUIRE(l);
    REQUIRE(n);
    CHECK(n->disk().last_index() >= l->commit_index() - 3);
    CHECK(n->last_applied() >= l->commit_index() - 3);
    CHECK(n->members().size() == 4);
    // Writes commit with the new majority: with two of the four down, nothing commits any more.
    const double writes = r.v("committed_writes");
    r.run_ms(1000);
    CHECK(r.v("committed_writes") > writes);
    std::vector<NodeId> others;
    for (NodeId id : r.c->members())
      if (id != r.leader()) others.push_back(id);
    REQUIRE(others.size() == 3);
    REQUIRE(r.apply("crash node=" + r.name(others[0])).ok);
    REQUIRE(r.apply("crash node=" + r.name(others[1])).ok);
    r.run_ms(300);
    const double stuck = r.v("committed_writes");
    r.run_ms(1000);
    CHECK(r.v("committed_writes") == stuck);  // 2 of 4 is not a majority (3 of 3 would have been)
    CHECK(r.c->violations().empty());
  }
}

TEST_CASE("raft membership: a second change is refused while one is in flight") {
  RaftWorld r("raft-3", 4);
  r.run_ms(1500);
  REQUIRE(r.apply("raft.add_server name=n4").ok);
  const CommandResult second = r.apply("raft.add_server name=n5");
  CHECK_FALSE(second.ok);
  CHECK(second.error.find("one server at a time") != std::string::npos);
  CHECK_FALSE(r.w->find_node("n5"));  // refused: nothing changed
  r.run_ms(1000);
  const CommandResult later = r.apply("raft.add_server name=n5");
  CHECK_MESSAGE(later.ok, later.error);
  // Bad input is refused with a reason.
  CHECK_FALSE(r.apply("raft.add_server name=n1").ok);   // already a member
  CHECK_FALSE(r.apply("raft.remove_server name=zz").ok);
  CHECK_FALSE(r.apply("raft.add_server name=c1").ok);   // a client, not a server
  r.run_ms(1000);
  CHECK(r.v("members") == 5);
  CHECK(r.c->violations().empty());
}

TEST_CASE("raft membership: a removed leader steps down and never campaigns again") {
  for (uint64_t seed : {1, 5}) {
    RaftWorld r("raft-5", seed);
    r.run_ms(1500);
    const NodeId old = r.leader();
    REQUIRE(old != kNoNode);
    const CommandResult rm = r.apply("raft.remove_server name=" + r.name(old));
    REQUIRE_MESSAGE(rm.ok, rm.error);
    r.run_ms(1500);
    CHECK(r.v("members") == 4);
    CHECK(r.v("majority") == 3);
    CHECK(r.v("member." + r.name(old)) == 0);
    CHECK(r.c->removed(old));
    const auto* o = r.c->server(old);
    REQUIRE(o);
    CHECK(o->role() == Role::Follower);
    CHECK(r.v("leader_count") == 1);
    CHECK(r.leader() != old);
    const double term = r.v("term." + r.name(old));
    const double writes = r.v("committed_writes");
    r.run_ms(2000);
    CHECK(r.v("term." + r.name(old)) == term);  // it does not campaign
    CHECK(r.v("committed_writes") > writes);
    CHECK(r.c->violations().empty());
    // It can come back.
    REQUIRE(r.apply("raft.add_server name=" + r.name(old)).ok);
    r.run_ms(1500);
    CHECK(r.v("members") == 5);
    CHECK(r.c->violations().empty());
  }
}

TEST_CASE("raft membership: the checker stays clean over random add/remove schedules with crashes") {
  int changes = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    RaftWorld r("raft-3", seed, {{"rate", "20"}});
    Rng rng(seed * 7919);
    int next = 4;
    r.run_ms(600);
    for (int step = 0; step < 8; ++step) {
      const int64_t what = rng.uniform_int(0, 3);
      const auto members = r.c->members();
      if (what == 0) {
        if (r.apply("raft.add_server name=n" + std::to_string(next)).ok) ++next, ++changes;
      } else if (what == 1 && members.size() > 2) {
        const NodeId victim = members[static_cast<size_t>(rng.uniform_int(0, static_cast<int64_t>(members.size()) - 1))];
        if (r.apply("raft.remove_server name=" + r.name(victim)).ok) ++changes;
      } else if (what == 2) {
        const NodeId victim = members[static_cast<size_t>(rng.uniform_int(0, static_cast<int64_t>(members.size()) - 1))];
        if (r.w->node(victim).status == NodeStatus::Up) r.apply("crash node=" + r.name(victim));
        r.run_ms(rng.uniform_int(50, 400));
        r.apply("restart node=" + r.name(victim));
      }
      r.run_ms(rng.uniform_int(20, 500));
    }
    r.run_ms(2000);
    INFO("seed " << seed);
    CHECK(r.c->violations().empty());
  }
  CHECK(changes > 300);
}

TEST_CASE("raft membership: two changes in flight (raft.single_change=false) are caught by the checker") {
  // A leader cut off from the others removes both of them, one after the other. With the rule,
  // the second removal is refused until the first commits (it cannot, without a majority). With
  // it off, the leader's configuration shrinks to itself, it commits alone, and the other side
  // elects its own leader that commits different entries: the checker reports it.
  for (bool single : {true, false}) {
    CAPTURE(single);
    RaftWorld r("raft-3", 3, {{"raft.single_change", single ? "true" : "false"}});
    r.run_ms(1500);
    const NodeId l = r.leader();
    REQUIRE(l != kNoNode);
    std::vector<std::string> others;
    for (NodeId id : r.c->servers())
      if (id != l) others.push_back(r.name(id));
    REQUIRE(r.apply("partition groups=\"" + r.name(l) + ",c1|" + others[0] + "," + others[1] + ",c2\"").ok);
    REQUIRE(r.apply("raft.remove_server name=" + others[0]).ok);
    r.run_ms(100);
    const CommandResult second = r.apply("raft.remove_server name=" + others[1]);
    CHECK(second.ok == !single);
    r.run_ms(2000);
    REQUIRE(r.apply("heal").ok);
    r.run_ms(2000);
    if (single) {
      CHECK(r.c->violations().empty());
    } else {
      REQUIRE_FALSE(r.c->violations().empty());
      bool membership = false, lost = false;
      for (const auto& v : r.c->violations()) {
        membership = membership || v.find("Membership:") == 0;
        lost = lost || v.find("Leader Completeness:") == 0 || v.find("State Machine Safety:") == 0;
      }
      CHECK(membership);  // the cause: a second change appended while the first was uncommitted
      CHECK(lost);        // the consequence: two sides committed different entries

    }
  }
}
