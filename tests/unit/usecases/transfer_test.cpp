// The money-transfer use case (lesson 13a): 2PC is all-or-nothing and hides half-done transfers
// from readers, but a coordinator crash after the votes blocks the banks (in doubt, locks held)
// until it restarts; a saga never blocks, shows money in flight to readers, and its
// compensation restores the total. Bad parameters and Commands are refused without changing
// the world; the same seed gives the same trace.
#include <doctest/doctest.h>

#include "../world_util.h"
#include "models/usecases/transfer.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;
using topo::usecases::TransferModel;

namespace {

std::unique_ptr<World> make(const std::string& scenario, uint64_t seed, const Params& p = {}) {
  return test::make_world(scenario, seed, p);
}

CommandResult apply(World& w, const std::string& text) {
  return test::apply_text(w, text);
}

double val(const World& w, const char* key) {
  return test::model_value<TransferModel>(w, key);
}

/// Stops new transfers and lets the running ones finish.
void quiesce(World& w) {
  REQUIRE(apply(w, "transfer.set rate=0").ok);
  w.run_until(w.now() + 5 * kSec);
  CHECK(val(w, "in_progress") == 0);
}

// Arms transfer.crash_coordinator and runs until the coordinator has crashed (at its next
// transfer's crash point).
void crash_coordinator_mid_transfer(World& w) {
  REQUIRE(apply(w, "transfer.crash_coordinator").ok);
  const NodeId coord = *w.find_node("coordinator");
  while (w.node(coord).status == NodeStatus::Up && w.now() < 10 * kSec) w.run_until(w.now() + 10 * kMs);
  REQUIRE(w.node(coord).status == NodeStatus::Crashed);
}

}  // namespace

TEST_CASE("transfer 2pc: atomic, consistent to readers, money conserved") {
  for (uint64_t seed = 1; seed <= 2; ++seed) {
    CAPTURE(seed);
    auto w = make("transfer-2pc", seed);
    w->run_until(10 * kSec);
    CHECK(val(*w, "committed.2pc") > 20);
    CHECK(val(*w, "committed.saga") == 0);
    CHECK(val(*w, "audits") > 100);
    CHECK(val(*w, "inconsistent_reads") == 0);  // locks hide half-done transfers
    quiesce(*w);
    CHECK(val(*w, "total_money") == val(*w, "expected_money"));
    CHECK(val(*w, "locks_held") == 0);
    CHECK(w->find_model<TransferModel>()->violations().empty());
  }
}

TEST_CASE("transfer 2pc: a coordinator crash after the votes blocks the banks until it restarts") {
  auto w = make("transfer-2pc", 3);
  w->run_until(2 * kSec);
  crash_coordinator_mid_transfer(*w);
  const double committed = val(*w, "committed");
  const double audits = val(*w, "audits");
  w->run_until(w->now() + 4 * kSec);
  // Both banks voted yes and wait for a decision that cannot come: locks held, readers blocked.
  CHECK(val(*w, "in_doubt") == 2);
  CHECK(val(*w, "locks_held") == 2);
  CHECK(val(*w, "committed") == committed);
  CHECK(val(*w, "audits") <= audits + 1);
  CHECK(val(*w, "audit_wait_ms") > 100);
  REQUIRE(apply(*w, "restart node=coordinator").ok);
  w->run_until(w->now() + 1 * kSec);
  CHECK(val(*w, "committed") > committed);  // the logged decision is carried out
  CHECK(val(*w, "audits") > audits + 5);
  quiesce(*w);
  CHECK(val(*w, "in_doubt") == 0);
  CHECK(val(*w, "locks_held") == 0);
  CHECK(val(*w, "total_money") == val(*w, "expected_money"));
  CHECK(val(*w, "inconsistent_reads") == 0);
  CHECK(w->find_model<TransferModel>()->violations().empty());
}

TEST_CASE("transfer 2pc: a refused credit makes the bank vote no and nothing moves") {
  auto w = make("transfer-2pc", 4);
  w->run_until(1 * kSec);
  REQUIRE(apply(*w, "transfer.fail bank=bank-b count=3").ok);
  w->run_until(8 * kSec);
  CHECK(val(*w, "aborted.2pc") >= 3);
  CHECK(val(*w, "compensations") == 0);
  quiesce(*w);
  CHECK(val(*w, "total_money") == val(*w, "expected_money"));
  CHECK(w->find_model<TransferModel>()->violations().empty());
}

TEST_CASE("transfer saga: readers see money in flight; compensation restores the total") {
  auto w = make("transfer-saga", 1);
  w->run_until(2 * kSec);
  REQUIRE(apply(*w, "transfer.fail bank=bank-b count=3").ok);
  w->run_until(15 * kSec);
  CHECK(val(*w, "committed.saga") > 20);
  CHECK(val(*w, "inconsistent_reads") > 0);  // no isolation between the steps
  CHECK(val(*w, "reads_blocked") == 0);      // and nothing ever waits
  CHECK(val(*w, "compensations") == 3);
  quiesce(*w);
  CHECK(val(*w, "total_money") == val(*w, "expected_money"));
  CHECK(val(*w, "money_in_flight") == 0);
  CHECK(w->find_model<TransferModel>()->violations().empty());
}

TEST_CASE("transfer saga: a coordinator crash after the debit leaves money in flight, never blocks") {
  auto w = make("transfer-saga", 2);
  w->run_until(2 * kSec);
  crash_coordinator_mid_transfer(*w);
  const double audits = val(*w, "audits");
  w->run_until(w->now() + 3 * kSec);
  CHECK(val(*w, "money_in_flight") > 0);
  CHECK(val(*w, "locks_held") == 0);
  CHECK(val(*w, "audits") > audits + 20);           // the banks keep answering
  CHECK(val(*w, "inconsistent_reads") > 20);        // every audit sees the missing money
  REQUIRE(apply(*w, "restart node=coordinator").ok);
  w->run_until(w->now() + 1 * kSec);
  quiesce(*w);
  CHECK(val(*w, "money_in_flight") == 0);
  CHECK(w->find_model<TransferModel>()->violations().empty());
}

TEST_CASE("transfer: switching the protocol live, bad parameters and commands") {
  std::string err;
  CHECK(!build_world("transfer-2pc", 1, {{"rate", "-1"}}, &err));
  CHECK(err.find("rate") != std::string::npos);
  CHECK(!build_world("transfer-saga", 1, {{"rat", "3"}}, &err));
  CHECK(err.find("unknown parameter") != std::string::npos);

  auto w = make("transfer-2pc", 5);
  w->run_until(1 * kSec);
  const size_t log = w->command_log().size();
  auto r = apply(*w, "transfer.mode mode=3pc");
  CHECK(!r.ok);
  CHECK(r.error.find("2pc or saga") != std::string::npos);
  r = apply(*w, "transfer.fail bank=client");
  CHECK(!r.ok);
  CHECK(r.error.find("bank-a or bank-b") != std::string::npos);
  r = apply(*w, "transfer.fail bank=bank-b count=-2");
  CHECK(!r.ok);
  CHECK(!apply(*w, "transfer.fail bank=bank-z").ok);
  CHECK(!apply(*w, "transfer.set rate=abc").ok);
  CHECK(!apply(*w, "transfer.crash_coordinator on=maybe").ok);
  CHECK(w->command_log().size() == log);
  CHECK(val(*w, "saga_mode") == 0);
  CHECK(!w->find_model<TransferModel>()->crash_armed());

  REQUIRE(apply(*w, "transfer.mode mode=saga").ok);
  CHECK(val(*w, "saga_mode") == 1);
  w->run_until(8 * kSec);
  CHECK(val(*w, "committed.saga") > 5);
  quiesce(*w);
  CHECK(val(*w, "total_money") == val(*w, "expected_money"));
  CHECK(w->find_model<TransferModel>()->violations().empty());
}

TEST_CASE("transfer: the same seed gives the same trace") {
  for (const char* sc : {"transfer-2pc", "transfer-saga"}) {
    CAPTURE(sc);
    uint64_t h[2];
    for (int i = 0; i < 2; ++i) {
      auto w = make(sc, 7);
      w->run_until(1 * kSec);
      REQUIRE(apply(*w, "transfer.crash_coordinator").ok);
      w->run_until(2 * kSec);
      REQUIRE(apply(*w, "restart node=coordinator").ok);
      w->run_until(4 * kSec);
      h[i] = w->trace().hash();
    }
    CHECK(h[0] == h[1]);
    auto other = make(sc, 8);
    other->run_until(4 * kSec);
    CHECK(other->trace().hash() != h[0]);
  }
}
