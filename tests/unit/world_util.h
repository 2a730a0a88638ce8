// Helpers the model tests share: build a built-in scenario, apply a Command written as text,
// read a model's value. Each fails the running doctest test with the reason when it cannot.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "catalog/catalog.h"
#include "scenario/scenario.h"
#include "sim/world.h"

namespace topo::test {

/// Builds and starts the built-in `scenario` with `seed` and parameters `p`.
inline std::unique_ptr<World> make_world(const std::string& scenario, uint64_t seed, const Params& p = {}) {
  std::string err;
  auto w = build_world(scenario, seed, p, &err);
  REQUIRE_MESSAGE(w, err);
  return w;
}

/// Parses `text` ("crash node=n1") and applies it; the world's verdict is returned.
inline CommandResult apply_text(World& w, const std::string& text) {
  std::string err;
  auto c = Command::parse(text, &err);
  REQUIRE_MESSAGE(c, err);
  return w.apply(*c);
}

/// Model `M`'s value for `key` (a lesson value key).
template <class M>
double model_value(const World& w, const char* key) {
  const M* m = w.find_model<M>();
  REQUIRE(m);
  auto v = m->value(key);
  REQUIRE_MESSAGE(v, key);
  return *v;
}

}  // namespace topo::test
