// What a latency percentile means: every finished request counts, failed and timed-out ones
// with the time until the client got its failure, so the p99 of a collapsing service rises and
// never drops to 0 (issue 17, item 4); the success-only figures are p50_ok_ms and p99_ok_ms. For
// the services model (shop) and the replicated stores (primary-backup, quorum).
#include <doctest/doctest.h>

#include "models/replication/common.h"
#include "models/services/policies.h"
#include "models/services/services.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;
using namespace topo::svc;

namespace {

double value_of(const World& w, const std::string& key) {
  auto* m = w.find_model<ServicesModel>();
  REQUIRE(m);
  auto v = m->value(key);
  REQUIRE_MESSAGE(v.has_value(), key);
  return *v;
}

}  // namespace

TEST_CASE("services latency: a window's percentiles count failed requests, *_ok_ms only successes") {
  RollingWindow win;
  for (int i = 0; i < 90; i++) win.record(500'000, true, 10'000);    // 90 ok at 10 ms
  for (int i = 0; i < 10; i++) win.record(600'000, false, 2'000'000);  // 10 timed out at 2 s
  const auto s = win.summary(900'000, 1'000'000);
  CHECK(s.count == 100);
  CHECK(s.p50_ms == doctest::Approx(10.0));
  CHECK(s.p99_ms == doctest::Approx(2000.0));
  CHECK(s.p50_ok_ms == doctest::Approx(10.0));
  CHECK(s.p99_ok_ms == doctest::Approx(10.0));
  RollingWindow all_failed;
  for (int i = 0; i < 5; i++) all_failed.record(500'000, false, 1'000'000);
  const auto f = all_failed.summary(900'000, 1'000'000);
  CHECK(f.p99_ms == doctest::Approx(1000.0));
  CHECK(f.p99_ok_ms == 0.0);
}

TEST_CASE("services latency: a collapsing checkout's p99 rises and never drops to 0") {
  std::string err;
  auto w = build_world("shop", 21, {{"resilience", "off"}, {"window_s", "5"}}, &err);
  REQUIRE_MESSAGE(w, err);
  w->trace().set_capacity(0);
  w->run_until(20 * kSec);
  const double healthy = value_of(*w, "p99_ms.checkout");
  REQUIRE(healthy > 0);
  auto c = Command::parse("slow service=payment factor=20", &err);
  REQUIRE_MESSAGE(c, err);
  const auto r = w->apply(*c);
  REQUIRE_MESSAGE(r.ok, r.error);
  double lowest = 1e18, last = 0, lowest_success = 1, lowest_ok_p99 = 1e18;
  for (int s = 21; s <= 60; s++) {
    w->run_until(s * kSec);
    last = value_of(*w, "p99_ms.checkout");
    lowest = std::min(lowest, last);
    lowest_success = std::min(lowest_success, value_of(*w, "success_rate.checkout"));
    lowest_ok_p99 = std::min(lowest_ok_p99, value_of(*w, "p99_ok_ms.checkout"));
  }
  MESSAGE("checkout p99: healthy " << healthy << " ms, lowest while slow " << lowest << " ms, at 60 s "
          << last << " ms; lowest success rate " << lowest_success << ", lowest p99_ok_ms " << lowest_ok_p99);
  CHECK(lowest_success < 0.5);     // the shop did collapse
  CHECK(lowest >= healthy);        // the p99 never fell below its healthy value, let alone to 0
  CHECK(last > 3 * healthy);       // it rose
}

TEST_CASE("replication latency: p99_ms counts failed and timed-out ops, p99_ok_ms only the ok ones") {
  replication::KvRecorder rec;
  std::vector<uint64_t> ok;
  for (int i = 0; i < 97; i++) ok.push_back(rec.invoke(1, kv::OpKind::Write, "k" + std::to_string(i), "v", 0));
  const uint64_t failed = rec.invoke(1, kv::OpKind::Write, "x", "v", 0);
  const uint64_t lost1 = rec.invoke(2, kv::OpKind::Write, "y", "v", 0);
  const uint64_t lost2 = rec.invoke(2, kv::OpKind::Write, "z", "v", 0);
  for (size_t i = 0; i < ok.size(); i++) rec.write_ok(ok[i], 10'000, replication::Version{1, static_cast<int64_t>(i + 1)});
  rec.fail(failed, 500'000);
  rec.timed_out(lost1, 2'000'000);
  rec.timed_out(lost2, 2'000'000);
  CHECK(rec.latency_ms(0.99) == doctest::Approx(2000.0).epsilon(0.05));
  CHECK(rec.latency_ok_ms(0.99) == doctest::Approx(10.0).epsilon(0.05));
}
