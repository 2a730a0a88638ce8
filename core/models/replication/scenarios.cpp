// The replication and sharding scenarios: `primary-backup`, `quorum` and `sharding`, with their
// parameters (see each model's header for what they build and measure).
#include "models/basic/basic.h"
#include "models/builtin_scenarios.h"
#include "models/replication/primary_backup.h"
#include "models/replication/quorum.h"
#include "models/sharding/sharding.h"
#include "util/i18n.h"

namespace topo {

namespace {

using basic::ParamReader;

/// Reads the client-load and link parameters shared by the two stores.
void read_load(ParamReader& r, replication::LoadConfig* load, LinkParams* link, int keys) {
  load->clients = static_cast<int>(r.integer("clients", 3, 0, 32));
  load->rate_per_sec = r.number("rate", 20, 0, 10000);
  load->keys = static_cast<int>(r.integer("keys", keys, 1, 10000));
  load->read_fraction = r.number("read_fraction", 0.5, 0, 1);
  load->op_timeout_us = static_cast<Time>(r.number("timeout_ms", 500, 1, 600000) * 1000);
  link->latency_us = static_cast<Time>(r.number("latency_ms", 2, 0, 60000) * 1000);
  link->jitter_us = static_cast<Time>(r.number("jitter_ms", 3, 0, 60000) * 1000);
}

std::string build_pb(World& w, const Params& p) {
  ParamReader r(p, {"servers", "clients", "rate", "keys", "read_fraction", "timeout_ms", "latency_ms",
                    "jitter_ms", "replication_ms", "failover_ms", "crash_primary_ms", "sync"});
  replication::PbConfig cfg;
  LinkParams link;
  cfg.servers = static_cast<int>(r.integer("servers", 3, 2, 9));
  read_load(r, &cfg.load, &link, 3);
  cfg.replication_interval_us = static_cast<Time>(r.number("replication_ms", 100, 1, 600000) * 1000);
  cfg.failover_timeout_us = static_cast<Time>(r.number("failover_ms", 300, 1, 600000) * 1000);
  const double crash_ms = r.number("crash_primary_ms", 0, 0, 3600000);
  cfg.sync = r.integer("sync", 0, 0, 1) == 1;
  if (!r.error().empty()) return r.error();
  w.set_default_link(link);
  std::string err = replication::build_primary_backup(w, cfg);
  if (!err.empty() || crash_ms <= 0) return err;
  // Part of the scenario (a fault schedule), not an external change: it is re-created by every
  // rebuild, so it is applied directly rather than logged as a Command.
  w.schedule(static_cast<Time>(crash_ms * 1000), [](World& world) {
    auto* m = world.find_model<replication::PbModel>();
    if (auto p = m ? m->primary() : std::nullopt) {
      world.crash(*p);
    }
  });
  return "";
}

std::string build_q(World& w, const Params& p) {
  Params rest = p;
  rest.erase("read_repair");
  rest.erase("mode");
  ParamReader r(rest, {"n", "r", "w", "clients", "rate", "keys", "read_fraction", "timeout_ms", "latency_ms",
                       "jitter_ms"});
  replication::QuorumConfig cfg;
  LinkParams link;
  cfg.n = static_cast<int>(r.integer("n", 3, 1, 15));
  cfg.r = static_cast<int>(r.integer("r", 2, 1, 15));
  cfg.w = static_cast<int>(r.integer("w", 2, 1, 15));
  read_load(r, &cfg.load, &link, 10);
  if (!r.error().empty()) return r.error();
  auto rr = p.find("read_repair");
  if (rr != p.end() && !replication::parse_read_repair(rr->second, &cfg.read_repair))
    return "read_repair=" + rr->second + " must be off, async or sync";
  auto mode = p.find("mode");
  if (mode != p.end()) {
    if (mode->second != "leader" && mode->second != "leaderless")
      return "mode=" + mode->second + " must be leaderless or leader";
    cfg.leader_mode = mode->second == "leader";
  }
  w.set_default_link(link);
  return replication::build_quorum(w, cfg);
}

std::string build_shard(World& w, const Params& p) {
  ParamReader r(p, {"nodes", "keys", "vnodes", "hot_key", "rate", "latency_ms", "service_ms"});
  sharding::ShardConfig cfg;
  cfg.nodes = static_cast<int>(r.integer("nodes", 4, 1, 64));
  cfg.keys = static_cast<int>(r.integer("keys", 1000, 1, 1000000));
  cfg.vnodes = static_cast<int>(r.integer("vnodes", 64, 1, 1000));
  cfg.hot_key = r.number("hot_key", 0, 0, 1);
  cfg.rate_per_sec = r.number("rate", 200, 0, 100000);
  cfg.service_us = static_cast<Time>(r.number("service_ms", 0, 0, 60000) * 1000);
  LinkParams link;
  link.latency_us = static_cast<Time>(r.number("latency_ms", 2, 0, 60000) * 1000);
  if (!r.error().empty()) return r.error();
  w.set_default_link(link);
  return sharding::build_sharding(w, cfg);
}

}  // namespace

/// Adds primary-backup, quorum and sharding to the catalogue (called from catalog/catalog.cpp).
void add_replication_scenarios(std::vector<ScenarioInfo>& v) {
  v.push_back({"primary-backup",
               N_("A primary copies writes to its backups a little later: a failover loses writes the clients were told were saved"),
               build_pb});
  v.back().params = {
      {"servers", "int", "", "2..9", "3", "servers s1.. (one primary, the others backups)"},
      {"clients", "int", "", "0..32", "3", "client nodes"},
      {"rate", "number", "1/s", "0..10000", "20", "operations per second per client"},
      {"keys", "int", "", "1..10000", "3", "keys the clients use"},
      {"read_fraction", "prob", "", "0..1", "0.5", "share of operations that are reads"},
      {"timeout_ms", "number", "ms", "1..600000", "500", "a client gives up on an operation after this"},
      {"latency_ms", "number", "ms", "0..60000", "2", "one-way network latency"},
      {"jitter_ms", "number", "ms", "0..60000", "3", "extra random delay"},
      {"replication_ms", "number", "ms", "1..600000", "100", "the primary ships its log this often"},
      {"failover_ms", "number", "ms", "1..600000", "300", "a backup takes over after this long without the primary"},
      {"crash_primary_ms", "number", "ms", "0..3600000", "0", "crash the primary at this time (0 = never)"},
      {"sync", "int", "", "0..1", "0", "1: acknowledge a write only once every backup has it"},
  };
  v.push_back({"quorum",
               N_("A store with no leader: write to W copies, read from R of N; old data when R + W <= N"),
               build_q});
  v.back().params = {
      {"n", "int", "", "1..15", "3", "replicas"},
      {"r", "int", "", "1..15", "2", "replicas a read waits for"},
      {"w", "int", "", "1..15", "2", "replicas a write waits for"},
      {"read_repair", "enum", "", "", "off", "repair stale replicas a read saw", {"off", "async", "sync"}},
      {"mode", "enum", "", "", "leaderless", "leaderless, or every write through one leader", {"leaderless", "leader"}},
      {"clients", "int", "", "0..32", "3", "client nodes"},
      {"rate", "number", "1/s", "0..10000", "20", "operations per second per client"},
      {"keys", "int", "", "1..10000", "10", "keys the clients use"},
      {"read_fraction", "prob", "", "0..1", "0.5", "share of operations that are reads"},
      {"timeout_ms", "number", "ms", "1..600000", "500", "a client gives up on an operation after this"},
      {"latency_ms", "number", "ms", "0..60000", "2", "one-way network latency"},
      {"jitter_ms", "number", "ms", "0..60000", "3", "extra random delay"},
  };
  v.push_back({"sharding",
               N_("Keys spread over machines by a consistent-hash ring: adding a machine moves only about K/(N+1) keys"),
               build_shard});
  v.back().params = {
      {"nodes", "int", "", "1..64", "4", "ring members at the start"},
      {"keys", "int", "", "1..1000000", "1000", "keys on the ring"},
      {"vnodes", "int", "", "1..1000", "64", "virtual nodes per member"},
      {"hot_key", "prob", "", "0..1", "0", "share of requests that go to one hot key"},
      {"rate", "number", "1/s", "0..100000", "200", "requests per second"},
      {"latency_ms", "number", "ms", "0..60000", "2", "one-way network latency"},
      {"service_ms", "number", "ms", "0..60000", "0", "CPU per request (so a hot node can overload)"},
  };
}

}  // namespace topo
