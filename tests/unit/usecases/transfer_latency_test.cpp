// The transfer model's latency percentiles count the transfers the client gave up on, with the
// time until it did (issue 17, item 4): when the coordinator crashes and nothing is answered any
// more, p99_ms rises to the client's timeout and never drops; p99_answered_ms keeps counting the
// answered transfers only.
#include <doctest/doctest.h>

#include "models/usecases/transfer.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;

namespace {

double val(const World& w, const char* key) {
  const auto* m = w.find_model<usecases::TransferModel>();
  REQUIRE(m);
  auto v = m->value(key);
  REQUIRE_MESSAGE(v, key);
  return *v;
}

}  // namespace

TEST_CASE("transfer latency: a collapsing coordinator's p99 rises to the client timeout, never drops") {
  std::string err;
  auto w = build_world("transfer-2pc", 3, {{"rate", "20"}}, &err);
  REQUIRE_MESSAGE(w, err);
  w->run_until(5 * kSec);
  const double healthy = val(*w, "p99_ms");
  CHECK(healthy > 0);
  CHECK(healthy < 1000);
  const double timed_out_before = val(*w, "timed_out");
  auto crash = Command::parse("crash node=coordinator", &err);
  REQUIRE(crash);
  REQUIRE(w->apply(*crash).ok);
  double last = healthy;
  for (Time t = 5 * kSec + 250 * kMs; t <= 25 * kSec; t += 250 * kMs) {
    w->run_until(t);
    const double p99 = val(*w, "p99_ms");
    CHECK_MESSAGE(p99 >= last, "p99 dropped from " << last << " to " << p99 << " at " << t / kMs << " ms");
    last = p99;
  }
  CHECK(val(*w, "timed_out") > timed_out_before + 20);
  // Given-up transfers count with the client's 3 s timeout.
  CHECK(last >= 2900);
  CHECK(val(*w, "p99_ms.2pc") >= 2900);
  // The answered-only figure ignores them: it stays where the healthy transfers put it.
  CHECK(val(*w, "p99_answered_ms") < 1000);
}
