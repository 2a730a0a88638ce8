// Narration: the words a student reads in the Event log and hears from the page's live region.
// Checked against what the world did: a crash and the election that follows, crashes at one
// moment grouped in one line, a partition naming its sides, a service's errors rising and its
// breaker opening, a rolling deployment's progress; the same run gives the same words however
// it was cut into steps.
#include <doctest/doctest.h>

#include <string>

#include "models/narration.h"
#include "models/raft/raft.h"
#include "models/services/services.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;

namespace {

std::unique_ptr<World> make(const char* scenario, uint64_t seed = 1, Params p = {}) {
  std::string err;
  auto w = build_world(scenario, seed, p, &err);
  REQUIRE_MESSAGE(w, err);
  return w;
}

std::string all_text(const World& w) {
  const auto* n = w.find_model<Narration>();
  REQUIRE(n);
  std::string out;
  for (const auto& l : n->lines()) out += std::to_string(l.t) + " " + l.text + "\n";
  return out;
}

bool said(const World& w, const std::string& words) { return all_text(w).find(words) != std::string::npos; }

std::string leader_of(const World& w) {
  const auto* c = w.find_model<raft::RaftCluster>();
  for (NodeId id : c->servers())
    if (c->server(id) && c->server(id)->role() == raft::Role::Leader) return w.node(id).name;
  return "";
}

}  // namespace

TEST_CASE("narration: a crashed leader and the new leader of a later term, in words") {
  auto w = make("raft-5", 2);
  w->run_until(1 * kSec);
  const std::string first = leader_of(*w);
  REQUIRE(!first.empty());
  CHECK(said(*w, first + " became leader in term"));
  REQUIRE(w->apply({"crash", {{"node", first}}}).ok);
  w->run_until(3 * kSec);
  CHECK(said(*w, first + " crashed"));
  const std::string second = leader_of(*w);
  REQUIRE(!second.empty());
  REQUIRE(second != first);
  const auto* c = w->find_model<raft::RaftCluster>();
  const int64_t term = c->server(w->find_node(second).value())->term();
  CHECK(said(*w, second + " became leader in term " + std::to_string(term)));
  REQUIRE(w->apply({"restart", {{"node", first}}}).ok);
  w->run_until(5 * kSec);
  CHECK(said(*w, first + " is restarting"));
  CHECK(said(*w, first + " is back up"));
}

TEST_CASE("narration: what happens at one moment is one line; a partition names its sides") {
  auto w = make("raft-5", 3);
  w->run_until(500 * kMs);
  REQUIRE(w->apply({"crash", {{"node", "n1"}}}).ok);
  REQUIRE(w->apply({"crash", {{"node", "n2"}}}).ok);
  w->run_until(800 * kMs);
  CHECK(said(*w, "n1 and n2 crashed"));
  REQUIRE(w->apply({"partition", {{"groups", "n3,n4"}}}).ok);
  w->run_until(1100 * kMs);
  CHECK(said(*w, "the network split: "));
  CHECK(said(*w, "n3 and n4"));
  REQUIRE(w->apply({"heal", {}}).ok);
  w->run_until(1400 * kMs);
  CHECK(said(*w, "the network healed"));
}

TEST_CASE("narration: the same run gives the same words, in one go, in frames or event by event") {
  auto a = make("raft-5", 9), b = make("raft-5", 9), c = make("raft-5", 9);
  a->run_until(2 * kSec);
  for (Time t = 0; t < 2 * kSec; t += 16'667) b->run_until(t);
  b->run_until(2 * kSec);
  while (c->next_event_time() && *c->next_event_time() <= 2 * kSec) c->step();
  c->run_until(2 * kSec);
  CHECK(!all_text(*a).empty());
  // Between boundaries, lines_now() shows the moments already past with the ids the next
  // boundary gives them.
  auto d = make("raft-5", 9);
  d->run_until(400 * kMs);
  REQUIRE(d->apply({"crash", {{"node", "n4"}}}).ok);
  d->run_until(400 * kMs + 10);   // before the next boundary (500 ms)
  const auto* nd = d->find_model<Narration>();
  const auto now_lines = nd->lines_now(*d);
  REQUIRE(!now_lines.empty());
  CHECK(now_lines.back().text == "n4 crashed");
  const uint64_t id = now_lines.back().id;
  d->run_until(600 * kMs);
  bool same = false;
  for (const auto& l : nd->lines()) same = same || (l.id == id && l.text == "n4 crashed" && l.t == 400 * kMs);
  CHECK(same);
  CHECK(all_text(*a) == all_text(*b));
  CHECK(all_text(*a) == all_text(*c));
}

TEST_CASE("narration: a slow payment's errors rise, the breaker opens; a rolling deployment's progress") {
  auto w = make("shop", 1);
  w->run_until(3 * kSec);
  CHECK_FALSE(said(*w, "errors rose"));   // a healthy shop says nothing about errors
  REQUIRE(w->apply({"resilience", {{"from", "checkout"}, {"to", "payment"}, {"timeout_ms", "300"}, {"retries", "0"},
                                   {"breaker", "on"}}}).ok);
  REQUIRE(w->apply({"slow", {{"service", "payment"}, {"factor", "40"}}}).ok);
  w->run_until(15 * kSec);
  CHECK(said(*w, "errors rose to"));
  // No flapping: errors hovering around a band's floor (the gateway's near 10% while the
  // breaker cycles) are not read out again and again.
  const std::string early = all_text(*w);
  size_t gateway_lines = 0;
  for (size_t p = early.find("gateway errors"); p != std::string::npos; p = early.find("gateway errors", p + 1)) ++gateway_lines;
  CHECK(gateway_lines <= 3);
  CHECK(said(*w, "the circuit breaker from checkout to payment opened"));
  REQUIRE(w->apply({"slow", {{"service", "payment"}, {"factor", "1"}}}).ok);
  REQUIRE(w->apply({"deploy", {{"service", "catalog"}, {"version", "v2"}, {"strategy", "rolling"}}}).ok);
  w->run_until(60 * kSec);
  CHECK(said(*w, "catalog started deploying v2"));
  CHECK(said(*w, "catalog v2 is now on 1 of"));
  CHECK(said(*w, "catalog v2 is on every replica"));
  CHECK(Narration::error_band(0.0) == 0);
  CHECK(Narration::error_band(0.4) == 3);
}

TEST_CASE("describe the world: servers by role and state, clients, a split network, how requests fare") {
  auto w = make("raft-5", 2);
  w->run_until(1 * kSec);
  const std::string leader = leader_of(*w);
  std::string d = describe_world(*w);
  CHECK(d.find("5 servers: " + leader + " leader in term") == 0);
  CHECK(d.find("followers") != std::string::npos);
  CHECK(d.find("2 clients") != std::string::npos);
  CHECK(d.find("of requests answered recently") != std::string::npos);
  REQUIRE(w->apply({"crash", {{"node", leader}}}).ok);
  REQUIRE(w->apply({"partition", {{"groups", "c1"}}}).ok);
  w->run_until(1100 * kMs);
  d = describe_world(*w);
  CHECK(d.find(leader + " crashed") != std::string::npos);
  CHECK(d.find("The network is split") != std::string::npos);
  auto shop = make("shop", 1);
  shop->run_until(2 * kSec);
  REQUIRE(shop->apply({"crash", {{"node", "payment-1"}}}).ok);
  const std::string s = describe_world(*shop);
  CHECK(s.find("payment 1 of 2 up") != std::string::npos);
  CHECK(s.find("of requests answered recently") != std::string::npos);
}
