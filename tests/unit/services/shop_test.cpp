// Behaviour of the running service models, measured by the tests: M/M/c latency against queueing
// theory, the autoscaler under a ramp, the cascade of a slow payment service with and without
// resilience, canary rollback, rolling and blue-green deployments, and the blast radius of one
// faulty module in the monolith against the microservices.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include "models/services/services.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;
using namespace topo::svc;

namespace {

std::unique_ptr<World> make(const std::string& scenario, uint64_t seed, const Params& p) {
  std::string err;
  auto w = build_world(scenario, seed, p, &err);
  REQUIRE_MESSAGE(w, err);
  w->trace().set_capacity(0);   // the hash only: these tests read metrics, not events
  return w;
}

void cmd(World& w, const std::string& text) {
  std::string err;
  auto c = Command::parse(text, &err);
  REQUIRE_MESSAGE(c, err);
  const auto r = w.apply(*c);
  REQUIRE_MESSAGE(r.ok, r.error);
}

double val(const World& w, const std::string& key) {
  auto* m = w.find_model<ServicesModel>();
  REQUIRE(m);
  auto v = m->value(key);
  REQUIRE_MESSAGE(v.has_value(), key);
  return *v;
}

/// Mean sojourn time of M/M/c (Erlang C) in ms.
double mmc_mean_ms(int c, double rho, double service_ms) {
  const double a = rho * c;   // offered load in Erlangs
  double term = 1, sum = 0;
  for (int k = 0; k < c; k++) {
    if (k > 0) term *= a / k;
    sum += term;
  }
  const double last = term * a / c * (c / (c - a));   // a^c / c! * c / (c - a)
  const double erlang_c = last / (sum + last);
  const double mu = 1000.0 / service_ms;               // per second
  return (erlang_c / (c * mu - a * mu) + 1.0 / mu) * 1000.0;
}

}  // namespace

TEST_CASE("services: a single service with exponential service times behaves as M/M/c") {
  for (double rho : {0.5, 0.8}) {
    CAPTURE(rho);
    const int c = 4;
    const double service_ms = 10;
    auto w = make("mmc-service", 11, {{"servers", "4"}, {"service_ms", "10"}, {"rho", rho == 0.5 ? "0.5" : "0.8"}});
    auto* m = w->find_model<ServicesModel>();
    w->run_until(5 * kSec);   // warm-up
    m->reset_stats();
    w->run_until(rho == 0.5 ? 45 * kSec : 85 * kSec);   // the busier queue needs more samples
    const DeployableRt& d = m->graph().systems[0].deps[0];
    const double measured = d.latency.mean() / 1000.0;
    const double theory = mmc_mean_ms(c, rho, service_ms);
    MESSAGE("rho " << rho << ": " << d.latency.count() << " calls, mean " << measured << " ms, theory " << theory << " ms");
    CHECK(d.latency.count() > 7000);
    CHECK(std::fabs(measured - theory) / theory < 0.05);
    CHECK(d.failed == 0);
  }
}

TEST_CASE("services: the autoscaler follows a ramp without oscillating and waits out the window") {
  auto w = make("mmc-service", 5, {{"servers", "1"}, {"service_ms", "100"}, {"rps", "2"}, {"server.startup_s", "2"}});
  cmd(*w, "autoscale service=server on=true min=1 max=10 target_cpu=0.5 window_s=60 sync_s=15");
  cmd(*w, "set_load type=job rps=30 ramp_s=60");
  w->run_until(240 * kSec);
  auto* m = w->find_model<ServicesModel>();
  const DeployableRt& d = m->graph().systems[0].deps[0];
  // Load 30/s x 0.1 s = 3 busy servers; at 50 % target that is 6 replicas.
  CHECK(d.desired >= 6);
  CHECK(d.desired <= 8);
  int prev = 1;
  for (const auto& point : d.desired_history) {
    const Time t = point.first;
    const int n = point.second;
    CAPTURE(t);
    CHECK(n >= prev);   // only up while the load rises and holds
    prev = n;
  }
  CHECK(val(*w, "success_rate.job") > 0.99);
  const int high = d.desired;
  const Time drop = w->now();
  cmd(*w, "set_load type=job rps=5");
  w->run_until(drop + 150 * kSec);
  Time first_down = -1;
  for (const auto& point : d.desired_history)
    if (point.first > drop && point.second < high && first_down < 0) first_down = point.first;
  REQUIRE(first_down > 0);
  CHECK(first_down >= drop + 45 * kSec);   // the 60 s window, less one sync period
  CHECK(d.desired <= 3);
}

TEST_CASE("services: a slow payment takes the shop down without resilience, not with it") {
  const Params fault = {{"payment.slow", "20"}, {"window_s", "20"}};
  Params off = fault;
  off["resilience"] = "off";
  auto bad = make("shop", 21, off);
  bad->run_until(40 * kSec);
  const double browse_off = val(*bad, "success_rate.browse");
  const double checkout_off = val(*bad, "success_rate.checkout");

  auto good = make("shop", 21, fault);
  good->run_until(40 * kSec);
  const double browse_on = val(*good, "success_rate.browse");
  const double cart_on = val(*good, "success_rate.add_to_cart");
  MESSAGE("browse success, resilience off: " << browse_off << ", on: " << browse_on
          << " (checkout off: " << checkout_off << ", add_to_cart on: " << cart_on << ")");
  CHECK(browse_off < 0.5);   // browse never calls payment, yet it fails
  CHECK(browse_on > 0.99);
  CHECK(cart_on > 0.99);
  CHECK(val(*good, "breaker.checkout->payment") >= 1);   // open or half-open while payment is slow
}

TEST_CASE("services: a bad canary is rolled back before more than its weight of traffic saw it") {
  auto w = make("shop", 8, {});
  w->run_until(5 * kSec);
  cmd(*w, "deploy service=catalog version=v2 strategy=canary weight=0.1 error_rate=0.5 rollback_error_rate=0.1");
  w->run_until(25 * kSec);
  CHECK(val(*w, "rolled_back.catalog") == 1);
  const double share = val(*w, "canary_traffic.catalog");
  const DeployableRt& d = w->find_model<ServicesModel>()->graph().systems[0].deps[2];
  MESSAGE("share of catalog calls that reached v2: " << share << " (" << d.deploy.picks_new << " of " << d.deploy.picks << ")");
  CHECK(d.deploy.picks_new > 0);
  CHECK(share <= 0.1);
  for (const auto& r : d.replicas)
    if (r.state == RState::Ready) CHECK(r.version == "v1");
  CHECK(val(*w, "success_rate.browse") > 0.99);   // the window after the rollback is clean again
}

TEST_CASE("services: rolling and blue-green deployments restart only the deployed service") {
  auto w = make("shop", 9, {{"catalog.startup_s", "2"}, {"cart.startup_s", "2"}});
  w->run_until(2 * kSec);
  cmd(*w, "deploy service=catalog version=v2 strategy=rolling max_surge=1 max_unavailable=0");
  int min_ready = 99;
  for (Time t = 2 * kSec; t < 25 * kSec; t += 250 * kMs) {
    w->run_until(t);
    min_ready = std::min(min_ready, static_cast<int>(val(*w, "replicas.catalog")));
  }
  auto* m = w->find_model<ServicesModel>();
  const SystemRt& s = m->graph().systems[0];
  const DeployableRt& cat = s.deps[static_cast<size_t>(s.find_dep("catalog"))];
  CHECK(cat.version == "v2");
  CHECK(cat.deploy.status == "complete");
  CHECK(min_ready >= 3);   // maxUnavailable = 0
  for (const auto& r : cat.replicas)
    if (r.state == RState::Ready) CHECK(r.version == "v2");
  for (const auto& d : s.deps) {
    if (d.spec.name == "catalog") continue;
    for (const auto& r : d.replicas) CHECK(w->node(r.node).incarnation == 0);   // never restarted
  }
  CHECK(val(*w, "success_rate.browse") > 0.99);

  cmd(*w, "deploy service=cart version=v3 strategy=bluegreen");
  w->run_until(30 * kSec);
  const DeployableRt& cart = s.deps[static_cast<size_t>(s.find_dep("cart"))];
  CHECK(cart.deploy.status == "switched");
  CHECK(cart.version == "v3");
  cmd(*w, "rollback service=cart");
  CHECK(cart.version == "v1");
  w->run_until(33 * kSec);
  CHECK(val(*w, "success_rate.add_to_cart") > 0.99);
}

TEST_CASE("services: deploying the monolith restarts every module") {
  auto w = make("shop-monolith", 4, {{"monolith.startup_s", "2"}});
  w->run_until(2 * kSec);
  cmd(*w, "deploy service=payment version=v2 strategy=rolling max_surge=1 max_unavailable=0");
  w->run_until(20 * kSec);
  const DeployableRt& d = w->find_model<ServicesModel>()->graph().systems[0].deps[0];
  CHECK(d.version == "v2");
  int ready = 0;
  for (const auto& r : d.replicas) {
    if (r.state != RState::Ready) continue;
    ready++;
    CHECK(r.version == "v2");
  }
  CHECK(ready == 3);
  for (size_t i = 0; i < 3; i++) CHECK(w->node(d.replicas[i].node).incarnation > 0);   // all restarted
}

TEST_CASE("services: one crash-looping module: blast radius of the monolith vs the microservices") {
  auto w = make("shop-vs-monolith", 13, {{"window_s", "20"}});
  w->run_until(10 * kSec);
  cmd(*w, "fault service=payment kind=crash_loop");   // the same fault on both sides
  w->run_until(35 * kSec);
  int radius_micro = 0, radius_mono = 0;
  for (std::string t : {"browse", "add_to_cart", "checkout"}) {
    const double micro = val(*w, "micro/success_rate." + t);
    const double mono = val(*w, "mono/success_rate." + t);
    MESSAGE(t << ": microservices " << micro << ", monolith " << mono);
    radius_micro += micro < 0.9;
    radius_mono += mono < 0.9;
  }
  CHECK(radius_micro == 1);   // only checkout, which calls payment
  CHECK(radius_mono == 3);    // every request type
  CHECK(val(*w, "micro/success_rate.browse") > 0.99);
  CHECK(val(*w, "mono/success_rate.browse") < 0.5);
}

TEST_CASE("services: report_metrics writes one line per request type and per service") {
  auto w = make("shop", 2, {});
  w->run_until(5 * kSec);
  std::ostringstream out;
  w->find_model<ServicesModel>()->report_metrics(out);
  const std::string s = out.str();
  CHECK(s.find("{\"kind\":\"request_type\",\"name\":\"browse\",\"requests\":") == 0);
  const size_t line_end = s.find('\n');
  const std::string first = s.substr(0, line_end);
  const size_t a = first.find("\"success_rate\":"), b = first.find("\"p50_ms\":"), c = first.find("\"p99_ms\":");
  CHECK(a != std::string::npos);
  CHECK(a < b);
  CHECK(b < c);
  CHECK(s.find("{\"kind\":\"service\",\"name\":\"payment\"") != std::string::npos);
  int lines = 0;
  for (char ch : s) lines += ch == '\n';
  CHECK(lines >= 3 + 9);
}

TEST_CASE("services: health checks eject a crashed replica and re-admit it after the restart") {
  auto w = make("shop", 17, {{"window_s", "5"}});
  w->run_until(2 * kSec);
  cmd(*w, "crash node=catalog-1");
  auto* m = w->find_model<ServicesModel>();
  const SystemRt& s = m->graph().systems[0];
  const ReplicaRt& r = s.deps[static_cast<size_t>(s.find_dep("catalog"))].replicas[0];
  w->run_until(4500 * kMs);
  CHECK(r.ejected);                  // two failed probes, one second apart
  CHECK(val(*w, "success_rate.browse") < 0.99);   // until then a third of catalog calls failed
  w->run_until(10 * kSec);
  CHECK(val(*w, "success_rate.browse") > 0.99);   // (5 s, 10 s]: the ejected replica gets nothing
  w->run_until(14 * kSec);
  CHECK(r.ejected);                  // restarting: start-up 5 s + CrashLoopBackOff 10 s
  w->run_until(25 * kSec);
  CHECK_FALSE(r.ejected);            // up again and passed two probes
  CHECK(w->node(r.node).status == NodeStatus::Up);
  CHECK(r.outstanding >= 0);
  CHECK(val(*w, "success_rate.browse") > 0.99);
}

TEST_CASE("services: least-outstanding balancing routes around a slow replica") {
  auto p99 = [](const std::string& policy) {
    auto w = make("shop", 19, {{"catalog.lb", policy}, {"window_s", "12"}});
    cmd(*w, "slow node=catalog-1 factor=8");
    w->run_until(15 * kSec);
    return val(*w, "p99_ms.browse");
  };
  const double rr = p99("round_robin"), lor = p99("least_outstanding"), p2c = p99("p2c");
  MESSAGE("browse p99 with a slow catalog replica: round robin " << rr << " ms, least outstanding " << lor
          << " ms, power of two choices " << p2c << " ms");
  CHECK(lor < rr);
  CHECK(p2c < rr);
}
