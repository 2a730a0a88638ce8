// The built-in Raft scenarios, `raft-3` and `raft-5`: a Raft-replicated key-value store with
// open-loop clients, on a network with a little jitter so messages sometimes overtake each other.
#include "models/raft/raft.h"
#include "scenario/scenario.h"

namespace topo {

namespace {

ScenarioInfo raft_scenario(const std::string& name, int nodes) {
  ScenarioInfo s;
  s.name = name;
  s.summary = "Raft key-value store: " + std::to_string(nodes) +
              " servers (n1..), 2 clients (c1, c2); params nodes, clients, rate, keys, read_fraction, "
              "election_min_ms, election_max_ms, heartbeat_ms, raft.<rule>=false";
  s.build = [nodes](World& w, const Params& params) -> std::string {
    raft::RaftConfig cfg;
    cfg.nodes = nodes;
    Params rest;
    LinkParams link;
    link.latency_us = 2 * kMs;
    link.jitter_us = 1 * kMs;
    for (const auto& [k, v] : params) {
      if (k == "latency_ms" || k == "jitter_ms") {
        char* end = nullptr;
        const long long ms = std::strtoll(v.c_str(), &end, 10);
        if (v.empty() || *end != '\0' || ms < 0 || ms > 10000)
          return "parameter " + k + "=" + v + ": expected milliseconds from 0 to 10000";
        (k == "latency_ms" ? link.latency_us : link.jitter_us) = ms * kMs;
      } else {
        rest[k] = v;
      }
    }
    std::string err = raft::config_from_params(rest, &cfg);
    if (!err.empty()) return err;
    w.set_default_link(link);
    raft::build_raft_cluster(w, cfg);
    return "";
  };
  return s;
}

}  // namespace

void add_raft_scenarios(std::vector<ScenarioInfo>& v) {
  v.push_back(raft_scenario("raft-3", 3));
  v.push_back(raft_scenario("raft-5", 5));
}

}  // namespace topo
