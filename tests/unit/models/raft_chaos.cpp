// Randomized fault runs of the Raft store (chaos campaigns): with every protocol rule on, no
// invariant or linearizability violation and progress after the faults heal; with each rule
// switched off, the same kind of run finds a violation within a normal seed budget, and the same
// seed passes once the rule is back on. Also: the recorded history round-trips through JSON lines
// and the linearizability checker.
#include <doctest/doctest.h>

#include <sstream>

#include "models/kv/history.h"
#include "models/kv/linearizability.h"
#include "models/chaos/campaign.h"
#include "models/raft/raft.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;
using ChaosOptions = topo::chaos::Options;
using ChaosResult = topo::chaos::Result;

namespace {

ChaosOptions options(const std::string& scenario, const std::map<std::string, std::string>& settings) {
  ChaosOptions o;
  o.scenario = scenario;
  o.swarm = false;  // the classic nemesis these tuned settings were written for
  for (const auto& [k, v] : settings) {
    if (k.rfind("chaos.", 0) == 0) {
      const std::string err = o.set(k.substr(6), v);
      REQUIRE_MESSAGE(err.empty(), err);
    } else {
      o.params[k] = v;
    }
  }
  return o;
}

ChaosResult run(uint64_t seed, const ChaosOptions& o) {
  std::string err;
  ChaosResult r = chaos::run(seed, o, &err);
  REQUIRE_MESSAGE(err.empty(), err);
  return r;
}

/// Runs seeds 1..budget until the first violation; returns its seed (0 if none) and its problems.
uint64_t first_violation(const ChaosOptions& o, uint64_t budget, std::vector<std::string>* problems) {
  for (uint64_t s = 1; s <= budget; ++s) {
    ChaosResult r = run(s, o);
    if (r.violation) {
      *problems = r.problems;
      return s;
    }
  }
  return 0;
}

bool mentions(const std::vector<std::string>& problems, const std::string& what) {
  for (const auto& p : problems)
    if (p.find(what) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("raft chaos: with every rule on, fault runs keep safety and make progress after healing") {
  for (const char* scenario : {"raft-3", "raft-5"}) {
    ChaosOptions o = options(scenario, {});
    for (uint64_t seed = 1; seed <= 8; ++seed) {
      ChaosResult r = run(seed, o);
      INFO(scenario << " seed " << seed << ": " << (r.problems.empty() ? "" : r.problems[0]));
      CHECK_FALSE(r.violation);
      CHECK_FALSE(r.stalled);
      CHECK(r.ops > 50);
      CHECK(r.schedule.size() > 5);  // faults really happened
    }
  }
}

TEST_CASE("raft chaos: a campaign is a pure function of its seed") {
  ChaosOptions o = options("raft-5", {});
  ChaosResult a = run(42, o), b = run(42, o), c = run(43, o);
  CHECK(a.schedule == b.schedule);
  CHECK(a.events == b.events);
  CHECK(a.ops == b.ops);
  CHECK(a.schedule != c.schedule);
}

TEST_CASE("raft chaos: skipping the log up-to-date check in RequestVote loses committed entries") {
  const std::map<std::string, std::string> s = {{"raft.check_log_up_to_date", "false"}};
  std::vector<std::string> problems;
  const uint64_t seed = first_violation(options("raft-5", s), 40, &problems);
  REQUIRE(seed != 0);
  INFO("seed " << seed << ": " << problems[0]);
  CHECK((mentions(problems, "Leader Completeness") || mentions(problems, "State Machine Safety")));
  // The same faults with the rule on: no violation.
  CHECK_FALSE(run(seed, options("raft-5", {})).violation);
}

TEST_CASE("raft chaos: committing entries of earlier terms by counting replicas breaks Leader Completeness") {
  // Figure 8 of the Raft paper needs a leader to replicate an old-term entry to a majority before
  // any entry of its own term, then lose leadership to a node holding a newer-term entry there:
  // frequent partitions, a busy log, one entry per AppendEntries and no leader no-op make it likely.
  std::map<std::string, std::string> s = {{"leader_noop", "false"},        {"max_append_entries", "1"},
                                          {"rate", "50"},                  {"chaos.crashes", "false"},
                                          {"chaos.link_faults", "false"},  {"chaos.faulty_ms", "8000"},
                                          {"chaos.fault_every_ms", "100"}, {"chaos.linearizability", "false"}};
  const auto on = s;
  s["raft.commit_only_current_term"] = "false";
  std::vector<std::string> problems;
  const uint64_t seed = first_violation(options("raft-5", s), 60, &problems);
  REQUIRE(seed != 0);
  INFO("seed " << seed << ": " << problems[0]);
  CHECK(mentions(problems, "Leader Completeness"));
  CHECK_FALSE(run(seed, options("raft-5", on)).violation);
}

TEST_CASE("raft chaos: forgetting votedFor in a crash elects two leaders in one term") {
  // Quick reboots during elections with slow, jittery links: a node votes, reboots, votes again.
  std::map<std::string, std::string> s = {{"latency_ms", "20"},         {"jitter_ms", "30"},
                                          {"chaos.restart_max_ms", "10"}, {"chaos.fault_every_ms", "60"},
                                          {"chaos.partitions", "false"},  {"chaos.link_faults", "false"}};
  const auto on = s;
  s["raft.persist_vote"] = "false";
  std::vector<std::string> problems;
  const uint64_t seed = first_violation(options("raft-3", s), 60, &problems);
  REQUIRE(seed != 0);
  INFO("seed " << seed << ": " << problems[0]);
  CHECK(mentions(problems, "Election Safety"));
  CHECK_FALSE(run(seed, options("raft-3", on)).violation);
}

TEST_CASE("raft: the recorded client history round-trips through JSON lines and is linearizable") {
  std::string err;
  auto w = build_world("raft-5", 9, {{"rate", "40"}}, &err);
  REQUIRE_MESSAGE(w, err);
  auto* c = w->find_model<raft::RaftCluster>();
  REQUIRE(c);
  w->run_until(1 * kSec);
  auto cmd = Command::parse("crash node=" + w->node(static_cast<NodeId>(c->value("leader").value_or(0))).name, &err);
  REQUIRE(cmd);
  REQUIRE(w->apply(*cmd).ok);
  w->run_until(3 * kSec);
  std::ostringstream out;
  REQUIRE(c->write_history(out));
  std::istringstream in(out.str());
  kv::History h;
  REQUIRE_MESSAGE(kv::History::read_jsonl(in, "raft.jsonl", &h, &err), err);
  CHECK(h.size() == c->history().size());
  CHECK(h.size() > 100);
  size_t ok_reads_with_value = 0;
  for (const auto& op : h.ops())
    if (op.kind == kv::OpKind::Read && op.outcome == kv::Outcome::Ok && !op.value.empty()) ++ok_reads_with_value;
  CHECK(ok_reads_with_value > 10);
  CHECK(kv::check_linearizable(h).ok());
  CHECK(c->value("ops_ok").value_or(0) > 100);
}

TEST_CASE("raft chaos: adding and removing servers under faults keeps safety; two changes in flight are found") {
  // chaos.membership (swarm only): the nemesis also adds servers (new or removed ones, up to 7
  // voters) and removes voters (down to 2), one change at a time.
  const std::map<std::string, std::string> on = {{"chaos.swarm", "true"}, {"chaos.membership", "true"}};
  ChaosOptions o = options("raft-3", on);
  size_t changes = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    ChaosResult r = run(seed, o);
    INFO("seed " << seed << ": " << (r.problems.empty() ? "" : r.problems[0]));
    CHECK_FALSE(r.violation);
    CHECK_FALSE(r.stalled);
    for (const auto& f : r.schedule)
      if (f.command.rfind("raft.add_server", 0) == 0 || f.command.rfind("raft.remove_server", 0) == 0) ++changes;
  }
  CHECK(changes > 40);
  // raft.single_change=false: a leader appends a change while the previous one is uncommitted.
  auto bad = on;
  bad["raft.single_change"] = "false";
  std::vector<std::string> problems;
  const uint64_t seed = first_violation(options("raft-3", bad), 60, &problems);
  REQUIRE(seed != 0);
  INFO("seed " << seed << ": " << problems[0]);
  CHECK(mentions(problems, "Membership"));
  CHECK_FALSE(run(seed, o).violation);  // the same seed with the rule on
}
