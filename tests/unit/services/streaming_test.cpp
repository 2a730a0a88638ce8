// The call-tree extensions the streaming scenario needs (a call made with a probability,
// `origin?0.1`; an alternative called when a call fails, `cache|origin`) and the behaviours
// lesson 14 claims, measured on the running `streaming` world: a cache misses about one call in
// ten, a broken recommend leaves playback alone and the home page falls back, a broken cache
// moves every chunk to the origin, an upload rush backs up the encoders but not playback.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "models/services/services.h"
#include "models/services/spec.h"
#include "scenario/scenario.h"
#include "../world_util.h"

using namespace topo;
using namespace topo::svc;

namespace {

std::unique_ptr<World> make_streaming(uint64_t seed, const Params& p = {}) {
  auto w = test::make_world("streaming", seed, p);
  w->trace().set_capacity(0);
  return w;
}

void cmd(World& w, const std::string& text) {
  const auto r = test::apply_text(w, text);
  REQUIRE_MESSAGE(r.ok, r.error);
}

double val(const World& w, const char* key) { return test::model_value<ServicesModel>(w, key); }

}  // namespace

TEST_CASE("services: call trees take a probability (a?p) and alternatives (a|b)") {
  std::string err;
  size_t off = 0;
  auto t = parse_call_tree("gw(a ? 0.25, b|c|d(e), f)", &err, &off);
  REQUIRE_MESSAGE(t, err);
  REQUIRE(t->children.size() == 3);
  CHECK(t->probability == 1.0);
  CHECK(t->children[0].module == "a");
  CHECK(t->children[0].probability == 0.25);
  const CallSpec& b = t->children[1];
  CHECK(b.module == "b");
  CHECK(b.probability == 1.0);
  REQUIRE(b.otherwise.size() == 1);
  CHECK(b.otherwise[0].module == "c");
  REQUIRE(b.otherwise[0].otherwise.size() == 1);
  CHECK(b.otherwise[0].otherwise[0].module == "d");
  REQUIRE(b.otherwise[0].otherwise[0].children.size() == 1);
  CHECK(b.otherwise[0].otherwise[0].children[0].module == "e");
  CHECK(t->children[2].module == "f");
  CHECK(t->children[2].otherwise.empty());

  // The old form parses as before: no probability, no alternatives.
  auto old = parse_call_tree("gateway(auth, checkout(payment, queue(notify)))", &err, &off);
  REQUIRE(old);
  CHECK(old->children[1].children[1].children[0].module == "notify");
  CHECK(old->children[1].probability == 1.0);
  CHECK(old->children[1].otherwise.empty());

  CHECK_FALSE(parse_call_tree("gw(a?1.5)", &err, &off));
  CHECK(err.find("probability") != std::string::npos);
  CHECK_FALSE(parse_call_tree("gw(a?)", &err, &off));
  CHECK_FALSE(parse_call_tree("gw(a|b?0.5)", &err, &off));
  CHECK(err.find("first service") != std::string::npos);
  CHECK_FALSE(parse_call_tree("gw?0.5(a)", &err, &off));
  CHECK_FALSE(parse_call_tree("gw(a)|b", &err, &off));
  CHECK_FALSE(parse_call_tree("gw(a|)", &err, &off));
}

TEST_CASE("services: alternatives are call edges of the parent; an unknown alternative is named") {
  const std::string base =
      "[[service]]\nname = \"gw\"\n[[service]]\nname = \"a\"\n[[service]]\nname = \"b\"\n"
      "[[service]]\nname = \"c\"\n[system]\nentry = \"gw\"\n[[request]]\nname = \"r\"\n";
  std::string err;
  auto s = parse_shop_toml(base + "calls = \"gw(a(c?0.5)|b)\"\n", "x.toml", &err);
  REQUIRE_MESSAGE(s, err);
  const auto edges = s->micro.call_edges();
  using E = std::pair<std::string, std::string>;
  CHECK(edges == std::vector<E>{{"client", "gw"}, {"gw", "a"}, {"a", "c"}, {"gw", "b"}});

  CHECK_FALSE(parse_shop_toml(base + "calls = \"gw(a|bb)\"\n", "x.toml", &err));
  CHECK(err.find("unknown service 'bb'") != std::string::npos);
}

TEST_CASE("services: the built-in streaming scenario matches lessons/scenarios/streaming.toml") {
  std::string err;
  auto spec = parse_shop_toml(default_streaming_toml(), "streaming.toml", &err);
  REQUIRE_MESSAGE(spec, err);
  const RequestTypeSpec* watch = spec->micro.type("watch");
  REQUIRE(watch);
  const CallSpec& cache = watch->root.children.at(0).children.at(0);
  CHECK(cache.module == "cache");
  CHECK(cache.children.at(0).module == "origin");
  CHECK(cache.children.at(0).probability == doctest::Approx(0.1));
  REQUIRE(cache.otherwise.size() == 1);
  CHECK(cache.otherwise[0].module == "origin");
  CHECK(spec->micro.deployable("encode_queue")->is_queue);
  CHECK(spec->micro.deployable("encoder")->autoscale_on);
  CHECK(spec->micro.edges.at({"catalog", "recommend"}).fallback);

  std::ifstream in(std::string(TOPOLAB_SOURCE_DIR) + "/lessons/scenarios/streaming.toml", std::ios::binary);
  REQUIRE(in);
  std::ostringstream ss;
  ss << in.rdbuf();
  CHECK_MESSAGE(ss.str() == default_streaming_toml(),
                "core/models/services/streaming_toml.cpp must be regenerated from lessons/scenarios/streaming.toml");
}

TEST_CASE("services: streaming: the cache misses about one chunk in ten; the origin takes over when it fails") {
  auto w = make_streaming(3);
  w->run_until(20 * kSec);
  const double via_cache = val(*w, "calls.playback->cache"), misses = val(*w, "calls.cache->origin");
  CHECK(via_cache > 3000);
  CHECK(misses > 0.07 * via_cache);
  CHECK(misses < 0.13 * via_cache);
  CHECK(val(*w, "calls.playback->origin") == 0);
  const double origin_before = val(*w, "throughput.origin");
  const double p50_before = val(*w, "p50_ms.watch");
  CHECK(origin_before < 30);

  cmd(*w, "fault service=cache kind=errors rate=1");
  w->run_until(30 * kSec);
  CHECK(val(*w, "success_rate.watch") >= 0.99);
  CHECK(val(*w, "calls.playback->origin") > 1000);
  CHECK(val(*w, "throughput.origin") > 6 * origin_before);
  CHECK(val(*w, "p50_ms.watch") > 1.5 * p50_before);

  // Without the alternative (`cache` alone) the same fault fails every chunk.
  ShopSpec spec = *parse_shop_toml(default_streaming_toml(), "streaming.toml", nullptr);
  for (auto& t : spec.micro.types)
    if (t.name == "watch") t.root.children[0].children[0].otherwise.clear();
  World w2(3);
  w2.trace().set_capacity(0);
  REQUIRE(build_services_world(w2, {spec.micro}).empty());
  w2.start();
  w2.run_until(10 * kSec);
  cmd(w2, "fault service=cache kind=errors rate=1");
  w2.run_until(20 * kSec);
  CHECK(val(w2, "success_rate.watch") < 0.05);
}

TEST_CASE("services: streaming: broken recommendations leave playback alone; the home page falls back") {
  auto w = make_streaming(4);
  w->run_until(10 * kSec);
  cmd(*w, "fault service=recommend kind=errors rate=1");
  w->run_until(20 * kSec);
  CHECK(val(*w, "error_rate.recommend") > 0.9);
  CHECK(val(*w, "success_rate.watch") >= 0.99);
  CHECK(val(*w, "success_rate.home") >= 0.99);
  CHECK(val(*w, "fallbacks.catalog->recommend") > 100);
  cmd(*w, "resilience from=catalog to=recommend fallback=off");
  w->run_until(30 * kSec);
  CHECK(val(*w, "success_rate.home") < 0.05);
  CHECK(val(*w, "success_rate.watch") >= 0.99);
}

TEST_CASE("services: streaming: an upload rush backs up the encoders, not playback; the autoscaler drains it") {
  auto w = make_streaming(5);
  w->run_until(10 * kSec);
  const double p50 = val(*w, "p50_ms.watch");
  cmd(*w, "set_load type=upload rps=40");
  w->run_until(20 * kSec);
  CHECK(val(*w, "queue.encoder") > 50);
  CHECK(val(*w, "success_rate.upload") >= 0.99);
  CHECK(val(*w, "success_rate.watch") >= 0.99);
  CHECK(val(*w, "p50_ms.watch") < 1.5 * p50);
  w->run_until(70 * kSec);
  CHECK(val(*w, "replicas.encoder") >= 4);
  CHECK(val(*w, "queue.encoder") < 20);
  CHECK(val(*w, "replicas.playback") == 2);
  CHECK(val(*w, "replicas.origin") == 2);
}
