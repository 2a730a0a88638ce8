// `mm1`: one server, Poisson arrivals, exponential service (params lambda, mu per second,
// customers). The engine's CPU model produces the queueing; tests compare its mean time in
// system with 1/(mu - lambda).
#include "models/basic/basic.h"
#include "models/basic/queue.h"
#include "util/i18n.h"

namespace topo::basic {

void add_mm1(std::vector<ScenarioInfo>& v) {
  v.push_back({"mm1", N_("An M/M/1 queue on one node's CPU"),
               [](World& w, const Params& params) -> std::string {
                 ParamReader r(params, {"lambda", "mu", "customers"});
                 QueueConfig cfg;
                 cfg.lambda_per_sec = r.number("lambda", 80, 1e-6, 1e7);
                 cfg.mu_per_sec = r.number("mu", 100, 1e-6, 1e7);
                 cfg.customers = r.integer("customers", 100000, 0, int64_t{1} << 40);
                 cfg.servers = 1;
                 if (!r.error().empty()) return r.error();
                 build_queue(w, "mm1", cfg);
                 return "";
               }});
  v.back().params = {
      {"lambda", "number", "1/s", "0.000001..10000000", "80", "arrival rate (customers per second)"},
      {"mu", "number", "1/s", "0.000001..10000000", "100", "service rate (customers per second)"},
      {"customers", "int", "", "0..2^40", "100000", "customers to generate"},
  };
}

}  // namespace topo::basic
