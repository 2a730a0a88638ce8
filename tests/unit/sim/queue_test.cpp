// M/M/1 through the engine's CPU model: the mean time in system of 10^5 customers is within 5%
// of 1/(mu - lambda) at rho = 0.5 and 0.8 (fixed seeds, so the check is exact and repeatable).
#include <doctest/doctest.h>

#include <sstream>

#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;

namespace {
double mm1_mean_s(double lambda, double mu, uint64_t seed, double* served) {
  std::string err;
  auto w = build_world("mm1", seed,
                       {{"lambda", std::to_string(lambda)}, {"mu", std::to_string(mu)}, {"customers", "100000"}},
                       &err, [](World& f) { f.trace().set_capacity(0); });
  REQUIRE_MESSAGE(w, err);
  while (w->step()) {
  }
  const Model* m = w->models().front().get();
  *served = m->value("customers_served").value_or(0);
  return m->value("mean_time_in_system_s").value_or(0);
}
}  // namespace

TEST_CASE("M/M/1 at rho 0.5 and 0.8: mean time in system within 5% of 1/(mu - lambda)") {
  for (double rho : {0.5, 0.8}) {
    CAPTURE(rho);
    const double mu = 100, lambda = rho * mu;
    double served = 0;
    const double mean = mm1_mean_s(lambda, mu, 1, &served);
    CHECK(served == 100000);
    CHECK(mean == doctest::Approx(1.0 / (mu - lambda)).epsilon(0.05));
  }
}

TEST_CASE("M/M/c reports its customers and a mean above the bare service time") {
  std::string err;
  auto w = build_world("mmc", 3, {{"customers", "20000"}}, &err, [](World& f) { f.trace().set_capacity(0); });
  REQUIRE(w);
  while (w->step()) {
  }
  const Model* m = w->models().front().get();
  CHECK(m->value("customers_served").value_or(0) == 20000);
  CHECK(m->value("servers").value_or(0) == 8);
  // Erlang C for c = 8, rho = 0.9, mu = 100/s gives 18.77 ms.
  CHECK(m->value("mean_time_in_system_ms").value_or(0) == doctest::Approx(18.77).epsilon(0.15));
  std::ostringstream out;
  m->report_metrics(out);
  CHECK(out.str().find("\"customers\":20000") != std::string::npos);
}
