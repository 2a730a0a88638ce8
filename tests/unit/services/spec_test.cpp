// Scenario files and parameters of the service models: the default shop parses, the built-in
// copy equals lessons/scenarios/shop.toml, errors carry FILE:LINE:COL and suggest the nearest
// name, and scenario parameters and Commands reject bad input without changing the world.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "models/services/services.h"
#include "models/services/spec.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;
using namespace topo::svc;

TEST_CASE("services: the default shop parses and matches lessons/scenarios/shop.toml") {
  std::string err;
  auto shop = parse_shop_toml(default_shop_toml(), "shop.toml", &err);
  REQUIRE_MESSAGE(shop, err);
  CHECK(shop->micro.modules.size() == 9);
  CHECK(shop->micro.types.size() == 3);
  const auto* browse = shop->micro.type("browse");
  REQUIRE(browse);
  CHECK(browse->root.module == "gateway");
  REQUIRE(browse->root.children.size() == 2);
  CHECK(browse->root.children[1].module == "catalog");
  CHECK(shop->micro.deployable("queue")->is_queue);
  const auto& pay = shop->micro.edges.at({"checkout", "payment"});
  CHECK(pay.breaker);
  CHECK(pay.retries == 2);
  CHECK(pay.timeout_us == 300'000);
  CHECK(shop->micro.edges.at({"gateway", "auth"}).timeout_us == 1'000'000);

  std::ifstream in(std::string(TOPOLAB_SOURCE_DIR) + "/lessons/scenarios/shop.toml", std::ios::binary);
  REQUIRE(in);
  std::ostringstream ss;
  ss << in.rdbuf();
  CHECK_MESSAGE(ss.str() == default_shop_toml(),
                "core/models/services/shop_toml.cpp must be regenerated from lessons/scenarios/shop.toml");

  SystemSpec mono = make_monolith(*shop);
  CHECK(mono.deployables.size() == 1);
  CHECK(mono.call_edges().size() == 1);   // only client -> gateway
}

TEST_CASE("services: scenario file errors name FILE:LINE:COL and the nearest name") {
  std::string err;
  const std::string base =
      "[[service]]\nname = \"gateway\"\n\n[[service]]\nname = \"payment\"\n\n[[request]]\nname = \"buy\"\n";
  CHECK_FALSE(parse_shop_toml(base + "calls = \"gateway(paymnt)\"\n", "x.toml", &err));
  CHECK(err.find("x.toml:9:18:") == 0);
  CHECK(err.find("did you mean 'payment'") != std::string::npos);

  CHECK_FALSE(parse_shop_toml(base + "calls = \"gateway(payment\"\n", "x.toml", &err));
  CHECK(err.find("x.toml:9:") == 0);
  CHECK(err.find("expected ',' or ')'") != std::string::npos);

  CHECK_FALSE(parse_shop_toml("[[service]]\nname = \"gateway\"\nreplicas = \"two\"\n", "y.toml", &err));
  CHECK(err.find("y.toml:3:12:") == 0);

  CHECK_FALSE(parse_shop_toml("[[service]]\nname = \"gateway\"\nworkrs = 3\n", "y.toml", &err));
  CHECK(err.find("y.toml:3:") == 0);
  CHECK(err.find("did you mean 'workers'") != std::string::npos);

  CHECK_FALSE(parse_shop_toml("[[service]\nname = 1\n", "z.toml", &err));
  CHECK(err.find("z.toml:1:") == 0);
}

TEST_CASE("services: scenario parameters are validated") {
  std::string err;
  CHECK(build_world("shop", 1, {{"payment.slow", "20"}, {"resilience", "off"}}, &err));
  CHECK(err.empty());
  CHECK_FALSE(build_world("shop", 1, {{"paymnt.slow", "20"}}, &err));
  CHECK(err.find("did you mean 'payment'") != std::string::npos);
  CHECK_FALSE(build_world("shop", 1, {{"payment.slow", "fast"}}, &err));
  CHECK_FALSE(build_world("shop", 1, {{"checkout->payment.breaker", "maybe"}}, &err));
  CHECK(build_world("shop", 1, {{"checkout->payment.breaker", "on"}, {"*->*.timeout_ms", "500"}}, &err));
  CHECK_FALSE(build_world("shop", 1, {{"catalog->payment.retries", "2"}}, &err));
  CHECK(err.find("no request calls catalog -> payment") != std::string::npos);
  CHECK(build_world("shop-monolith", 1, {{"payment.fault", "crash_loop"}, {"monolith.replicas", "2"}}, &err));
  CHECK(build_world("shop-vs-monolith", 1, {{"payment.slow", "20"}, {"payment.replicas", "3"}}, &err));
  CHECK(build_world("mmc-service", 1, {{"servers", "4"}, {"rho", "0.8"}}, &err));
  CHECK_FALSE(build_world("mmc-service", 1, {{"rho", "x"}}, &err));
}

TEST_CASE("services: Commands validate every argument and leave the world unchanged on error") {
  std::string err;
  auto w = build_world("shop", 3, {}, &err);
  REQUIRE(w);
  w->run_until(1 * kSec);
  auto apply = [&](const std::string& text) {
    auto c = Command::parse(text, &err);
    REQUIRE_MESSAGE(c, err);
    return w->apply(*c);
  };
  const size_t log_before = w->command_log().size();
  auto r = apply("slow service=paymnt factor=20");
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("did you mean 'payment'") != std::string::npos);
  CHECK(r.error.find("known:") != std::string::npos);
  CHECK_FALSE(apply("scale service=catalog replicas=0").ok);
  CHECK_FALSE(apply("deploy service=catalog version=v2 strategy=blue").ok);
  CHECK_FALSE(apply("deploy service=catalog version=v1").ok);    // already runs v1
  CHECK_FALSE(apply("resilience from=catalog to=payment timeout_ms=10").ok);
  CHECK_FALSE(apply("resilience from=checkout to=payment breaker=maybe").ok);
  CHECK_FALSE(apply("set_load type=brwse rps=10").ok);
  CHECK_FALSE(apply("fault service=payment kind=meltdown").ok);
  CHECK_FALSE(apply("rollback service=payment").ok);
  CHECK_FALSE(apply("switch service=payment").ok);
  CHECK_FALSE(apply("autoscale service=payment min=5 max=2").ok);
  CHECK(w->command_log().size() == log_before);

  CHECK(apply("slow service=payment factor=20").ok);
  CHECK(apply("slow node=payment-1 factor=2").ok);   // the engine's node form still works
  CHECK(apply("set_load type=browse rps=50 ramp_s=10").ok);
  CHECK(apply("set_load type=all spike_factor=2 spike_s=5").ok);
  CHECK(apply("resilience from=* to=* enabled=off").ok);
  CHECK(apply("scale service=catalog replicas=4").ok);
  CHECK(apply("autoscale service=cart on=true min=2 max=6 target_cpu=0.5").ok);
  CHECK(apply("lb service=catalog policy=p2c").ok);
  CHECK(apply("fault service=inventory kind=errors rate=0.1").ok);
  w->run_until(20 * kSec);
  auto* m = w->find_model<ServicesModel>();
  REQUIRE(m);
  CHECK(m->value("replicas.catalog").value_or(-1) == 4);
  CHECK(m->value("breaker.checkout->payment").value_or(-1) == 0);
  CHECK(m->value("success_rate.browse").has_value());
  CHECK_FALSE(m->value("success_rate.nothing").has_value());
  const std::string js = m->state_json();
  CHECK(js.find("\"name\":\"payment\"") != std::string::npos);
  CHECK(js.find("\"breaker_state\"") != std::string::npos);
}
