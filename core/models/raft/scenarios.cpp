// The built-in Raft scenarios, `raft-3` and `raft-5`: a Raft-replicated key-value store with
// open-loop clients, on a network with a little jitter so messages sometimes overtake each other.
#include "models/raft/raft.h"
#include "models/builtin_scenarios.h"
#include "scenario/scenario.h"
#include "util/parse.h"
#include "util/i18n.h"

namespace topo {

namespace {

ScenarioInfo raft_scenario(const std::string& name, int nodes) {
  ScenarioInfo s;
  s.name = name;
  s.summary = nodes == 3 ? N_("A key-value store replicated by Raft on 3 servers (n1-n3), used by 2 clients (c1, c2)")
                         : N_("A key-value store replicated by Raft on 5 servers (n1-n5), used by 2 clients (c1, c2)");
  s.build = [nodes](World& w, const Params& params) -> std::string {
    raft::RaftConfig cfg;
    cfg.nodes = nodes;
    Params rest;
    LinkParams link;
    link.latency_us = 2 * kMs;
    link.jitter_us = 1 * kMs;
    for (const auto& [k, v] : params) {
      if (k == "latency_ms" || k == "jitter_ms") {
        int64_t ms = 0;
        if (!util::parse_int(v, &ms) || ms < 0 || ms > 10000)
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
  s.params = {
      {"nodes", "int", "", "1..15", std::to_string(nodes), "Raft servers n1..nN"},
      {"clients", "int", "", "0..50", "2", "client nodes c1.. sending operations"},
      {"rate", "number", "1/s", "0..10000", "10", "operations per second per client"},
      {"keys", "int", "", "1..100000", "5", "keys k0.. the clients use"},
      {"read_fraction", "prob", "", "0..1", "0.5", "share of operations that are reads"},
      {"election_min_ms", "int", "ms", "1..600000", "150", "shortest election timeout"},
      {"election_max_ms", "int", "ms", "1..600000", "300", "longest election timeout (>= election_min_ms)"},
      {"heartbeat_ms", "int", "ms", "1..600000", "50", "leader's AppendEntries period"},
      {"op_timeout_ms", "int", "ms", "1..600000", "1000", "an operation with no ok answer by then is recorded as unknown"},
      {"attempt_timeout_ms", "int", "ms", "1..600000", "200", "a request with no answer is re-sent to another server"},
      {"restart_ms", "int", "ms", "1..600000", "500", "a server's downtime when an upgrade restarts it"},
      {"max_append_entries", "int", "", "1..10000", "16", "entries per AppendEntries message at most"},
      {"leader_noop", "bool", "", "", "true", "a new leader appends a no-op entry of its term"},
      {"latency_ms", "int", "ms", "0..10000", "2", "one-way network latency"},
      {"jitter_ms", "int", "ms", "0..10000", "1", "extra random delay, so messages may overtake"},
      {"raft.<rule>", "bool", "", "", "true",
       "switch a safety rule off (false) to see what it protects: raft.check_log_up_to_date, "
       "raft.commit_only_current_term, raft.persist_vote, raft.single_change (one membership change at a time)",
       {}, "raft.persist_vote"},
  };
  return s;
}

}  // namespace

void add_raft_scenarios(std::vector<ScenarioInfo>& v) {
  v.push_back(raft_scenario("raft-3", 3));
  v.push_back(raft_scenario("raft-5", 5));
}

}  // namespace topo
