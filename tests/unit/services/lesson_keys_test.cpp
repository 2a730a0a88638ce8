// The value keys the microservice lessons (08-12) read to compare the shop with the monolith:
// network calls per request, deployables, cores, replica starts, deployment progress and
// success in percent. Each test drives a small world the way a lesson does.
#include <doctest/doctest.h>

#include "lesson/condition.h"
#include "models/services/services.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;
using namespace topo::svc;

namespace {

std::unique_ptr<World> make_world(const std::string& scenario, uint64_t seed, const Params& p) {
  std::string err;
  auto w = build_world(scenario, seed, p, &err);
  REQUIRE_MESSAGE(w, err);
  w->trace().set_capacity(0);
  return w;
}

void apply(World& w, const std::string& text) {
  std::string err;
  auto c = Command::parse(text, &err);
  REQUIRE_MESSAGE(c, err);
  const auto r = w.apply(*c);
  REQUIRE_MESSAGE(r.ok, r.error);
}

double value(const World& w, const std::string& key) {
  auto* m = w.find_model<ServicesModel>();
  REQUIRE(m);
  auto v = m->value(key);
  REQUIRE_MESSAGE(v.has_value(), key);
  return *v;
}

}  // namespace

TEST_CASE("services lesson keys: network calls per request and deployables, shop vs monolith") {
  auto w = make_world("shop-vs-monolith", 1, {});
  // checkout: client->gateway, gateway->auth, gateway->checkout, checkout->cart, ->inventory,
  // ->payment, ->queue, queue->notifications; in the monolith only the client's call.
  CHECK(value(*w, "micro/network_calls.checkout") == 8);
  CHECK(value(*w, "mono/network_calls.checkout") == 1);
  CHECK(value(*w, "micro/network_calls.browse") == 3);
  CHECK(value(*w, "micro/deployables") == 9);
  CHECK(value(*w, "mono/deployables") == 1);
  CHECK(value(*w, "mono/replicas_total") == 3);
  CHECK(value(*w, "micro/replicas_total") == 17);
  CHECK(value(*w, "micro/cores.payment") == 4);
  CHECK(value(*w, "micro/replicas.checkout") == 2);   // a service named like a request type   // 2 replicas x 2 cores (cores = workers)
  CHECK(value(*w, "micro/success_pct") == 100);
  w->run_until(3 * kSec);
  CHECK(value(*w, "micro/success_pct.browse") == 100);
  CHECK(value(*w, "mono/starts.monolith") == 0);
  CHECK(value(*w, "micro/autoscaling.catalog") == 0);
  apply(*w, "autoscale service=catalog on=on min=2 max=8 system=micro");
  CHECK(value(*w, "micro/autoscaling.catalog") == 1);
  CHECK(value(*w, "mono/autoscaling.monolith") == 0);
}

TEST_CASE("services lesson keys: scaling counts starts and cores of one service only") {
  auto w = make_world("shop-vs-monolith", 2, {{"catalog.cores", "1"}, {"catalog.startup_s", "1"}});
  w->run_until(1 * kSec);
  apply(*w, "scale service=catalog replicas=5 system=micro");
  w->run_until(4 * kSec);
  CHECK(value(*w, "micro/starts.catalog") == 2);
  CHECK(value(*w, "micro/cores.catalog") == 5);
  CHECK(value(*w, "micro/starts.payment") == 0);
  CHECK(value(*w, "mono/starts.monolith") == 0);
}

TEST_CASE("services lesson keys: a deployment is in progress, then every replica runs the new version") {
  auto w = make_world("shop-vs-monolith", 3, {{"payment.startup_s", "1"}, {"monolith.startup_s", "1"}});
  w->run_until(1 * kSec);
  CHECK(value(*w, "micro/deploying.payment") == 0);
  CHECK(value(*w, "micro/new_version.payment") == 0);
  CHECK(value(*w, "micro/canary_pct.payment") == 0);
  apply(*w, "deploy service=payment version=v2 strategy=rolling");
  CHECK(value(*w, "micro/deploying.payment") == 1);
  CHECK(value(*w, "mono/deploying.monolith") == 1);
  w->run_until(20 * kSec);
  CHECK(value(*w, "micro/deploying.payment") == 0);
  CHECK(value(*w, "micro/new_version.payment") == 2);
  CHECK(value(*w, "micro/starts.payment") == 2);
  CHECK(value(*w, "micro/starts.catalog") == 0);   // nothing else restarted
  CHECK(value(*w, "mono/new_version.monolith") == 3);
  CHECK(value(*w, "mono/starts.monolith") == 3);    // every copy of the whole program
}

TEST_CASE("services lesson keys: conditions read system-prefixed keys and call edges") {
  lesson::Diagnostics diags;
  auto c = lesson::parse_condition("micro/calls.queue->notifications>=20 and mono/p50_ms.browse < micro/p50_ms.browse",
                                   lesson::Pos{1, 1}, diags);
  REQUIRE_MESSAGE(c, (diags.empty() ? std::string() : diags.front().message));
  REQUIRE(c->root.kind == lesson::Expr::Kind::And);
  REQUIRE(c->root.kids.size() == 2);
  CHECK(c->root.kids[0].a.key == "micro/calls.queue->notifications");
  CHECK(c->root.kids[0].op == lesson::CmpOp::Ge);
  CHECK(c->root.kids[1].a.key == "mono/p50_ms.browse");
  CHECK(c->root.kids[1].b.key == "micro/p50_ms.browse");
}

TEST_CASE("services lesson keys: an edge's policy and its retries") {
  auto w = make_world("shop", 4, {{"resilience", "off"}, {"payment.fault", "errors"}, {"payment.error_rate", "1"}});
  CHECK(value(*w, "timeout_ms.checkout->payment") == 0);
  CHECK(value(*w, "breaker_on.checkout->payment") == 0);
  apply(*w, "resilience from=checkout to=payment timeout_ms=300 retries=2 bulkhead=4 fallback=on breaker=on");
  CHECK(value(*w, "timeout_ms.checkout->payment") == 300);
  CHECK(value(*w, "bulkhead.checkout->payment") == 4);
  CHECK(value(*w, "fallback.checkout->payment") == 1);
  CHECK(value(*w, "breaker_on.checkout->payment") == 1);
  w->run_until(3 * kSec);
  const double calls = value(*w, "calls.checkout->payment");
  CHECK(calls > 10);
  CHECK(value(*w, "retries.checkout->payment") > 0);
  CHECK(value(*w, "attempts.checkout->payment") > calls);   // the retries went out too
  CHECK(value(*w, "fallbacks.checkout->payment") > 0);
  apply(*w, "resilience from=checkout to=payment enabled=off");
  CHECK(value(*w, "timeout_ms.checkout->payment") == 0);
}
