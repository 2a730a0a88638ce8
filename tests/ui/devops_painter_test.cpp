// The devops pipelines' lanes: every node of the world has a place, no two share one, each
// service's stages run left to right in its own lane, and the train's lane is under them.
#include <doctest/doctest.h>

#include <set>
#include <utility>

#include "catalog/catalog.h"
#include "models/usecases/devops.h"
#include "ui/painters/devops_painter.h"

using namespace topo;

TEST_CASE("devops painter: one lane per pipeline, stages left to right, the train's lane below") {
  for (const char* style : {"both", "services", "monolith"}) {
    CAPTURE(style);
    std::string err;
    auto w = build_world("devops", 1, {{"style", style}}, &err);
    REQUIRE_MESSAGE(w, err);
    const auto* m = w->find_model<usecases::DevopsModel>();
    REQUIRE(m);
    const auto slots = ui::devops_slots(*w, *m);
    CHECK(slots.size() == w->nodes().size());   // every node placed
    std::set<std::pair<int, float>> taken;
    for (const auto& slot : slots) {   // (no structured binding: doctest's message captures it)
      const std::string name = w->node(slot.first).name;
      CHECK_MESSAGE(taken.insert({slot.second.column, slot.second.lane}).second, name);
    }
    auto at = [&](const char* name) { return slots.at(*w->find_node(name)); };
    if (std::string(style) != "monolith") {
      CHECK(at("cart-team").column < at("cart-build").column);
      CHECK(at("cart-build").column < at("cart-test").column);
      CHECK(at("cart-test").column < at("cart-canary").column);
      CHECK(at("cart-canary").column < at("cart-prod").column);
      CHECK(at("cart-build").lane == at("cart-prod").lane);
      CHECK(at("cart-build").lane != at("payment-build").lane);
    }
    if (std::string(style) != "services") {
      CHECK(at("train").column < at("mono-build").column);
      CHECK(at("mono-test").column < at("mono-prod").column);
      if (std::string(style) == "both") CHECK(at("train").lane > at("search-prod").lane);
    }
  }
}
