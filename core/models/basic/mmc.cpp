// `mmc`: the M/M/c benchmark workload (c = 8 servers at utilisation rho = 0.9 by default, 10^6
// customers): lambda = rho * c * mu. Params c, rho, mu (per second), customers.
#include "models/basic/basic.h"
#include "models/basic/queue.h"
#include "util/i18n.h"

namespace topo::basic {

void add_mmc(std::vector<ScenarioInfo>& v) {
  v.push_back({"mmc", N_("An M/M/c queue: 8 cores, 90% busy"),
               [](World& w, const Params& params) -> std::string {
                 ParamReader r(params, {"c", "rho", "mu", "customers"});
                 QueueConfig cfg;
                 cfg.servers = static_cast<int>(r.integer("c", 8, 1, 4096));
                 const double rho = r.number("rho", 0.9, 1e-6, 10);
                 cfg.mu_per_sec = r.number("mu", 100, 1e-6, 1e7);
                 cfg.customers = r.integer("customers", 1000000, 0, int64_t{1} << 40);
                 if (!r.error().empty()) return r.error();
                 cfg.lambda_per_sec = rho * cfg.servers * cfg.mu_per_sec;
                 build_queue(w, "mmc", cfg);
                 return "";
               }});
  v.back().params = {
      {"c", "int", "", "1..4096", "8", "servers (CPU cores)"},
      {"rho", "number", "", "0.000001..10", "0.9", "utilisation: arrival rate / (c x mu)"},
      {"mu", "number", "1/s", "0.000001..10000000", "100", "service rate of one server"},
      {"customers", "int", "", "0..2^40", "1000000", "customers to generate"},
  };
}

}  // namespace topo::basic
