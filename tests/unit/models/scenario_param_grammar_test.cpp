// One value grammar for scenario parameters and Commands (util/parse.h): every model family's
// int, number and bool parameters accept exactly the values a Command argument of the same type
// accepts, and a refused value is reported by build_world naming the scenario, the parameter and
// the value ("raft-5: rate=0x10 is not a number"). Before, raft and services read parameters with
// strtod/strtoll (so "rate=0x10" ran with rate 16 and "nodes= 3" was nodes 3) and raft and game
// had their own bool words.
//
// One difference is kept on purpose: a scenario bool also reads on/off (the services scenarios'
// `resilience=off`, `<service>.autoscale=on`), which a Command bool does not; the table below
// leaves those two words out.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "models/raft/raft.h"
#include "scenario/reference.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"
#include "../world_util.h"

using namespace topo;

namespace {

bool command_accepts(World& w, const std::string& type, const std::string& value) {
  Command c;
  c.op = "probe_" + type;
  c.args["v"] = value;
  return w.apply(c).ok;
}

const std::vector<std::string> kValues = {"0x10", " 3", "3 ", "1e3", "-1", "", "yes", "true"};

struct Case {
  const char* scenario;
  const char* param;
  const char* type;   // the Command parameter type with the same grammar
};

// One parameter of each grammar per model family.
const std::vector<Case> kCases = {
    {"ping", "nodes", "int"},           {"ping", "latency_ms", "number"},
    {"gossip", "loss", "prob"},         {"raft-5", "nodes", "int"},
    {"raft-5", "rate", "number"},       {"raft-5", "latency_ms", "int"},
    {"raft-5", "leader_noop", "bool"},  {"raft-5", "raft.persist_vote", "bool"},
    {"quorum", "n", "int"},             {"primary-backup", "rate", "number"},
    {"sharding", "hot_key", "prob"},    {"shop", "load", "number"},
    {"shop", "resilience", "bool"},     {"mmc-service", "servers", "number"},
    {"transfer-2pc", "balance", "int"}, {"transfer-saga", "rate", "number"},
    {"game", "players", "int"},         {"game", "tick_ms", "number"},
    {"datajob", "maps", "int"},         {"feed", "posts_per_s", "number"},
};

}  // namespace

TEST_CASE("a scenario parameter reads its value as a Command argument of its type does") {
  World probe(1);
  for (const char* type : {"int", "number", "prob", "bool"})
    probe.register_command({std::string("probe_") + type, "test", {{"v", type, true, ""}},
                            [](World&, const Command&) { return CommandResult::success(); }});
  for (const auto& c : kCases) {
    const ScenarioInfo* info = find_scenario(c.scenario);
    REQUIRE(info);
    for (const auto& v : kValues) {
      // prob's range is a Command check, not grammar: judge the grammar with a number.
      const std::string cmd_type = std::string(c.type) == "prob" ? "number" : c.type;
      const bool command_ok = command_accepts(probe, cmd_type, v);
      const std::string grammar = check_param_value(info->params, c.param, v);
      INFO(c.scenario << " " << c.param << "=\"" << v << "\": " << grammar);
      CHECK(grammar.empty() == command_ok);
      std::string err;
      auto w = build_world(c.scenario, 1, {{c.param, v}}, &err);
      if (!command_ok) {
        CHECK(!w);
        const std::string want = std::string(c.type) == "int"    ? "an integer"
                                 : std::string(c.type) == "bool" ? "true or false"
                                                                 : "a number";
        CHECK(err == std::string(c.scenario) + ": " + c.param + "=" + v + " is not " + want);
      } else {
        CHECK(err.find(" is not ") == std::string::npos);
      }
    }
  }
}

TEST_CASE("the message of the issue: raft-5: rate=0x10 is not a number") {
  std::string err;
  CHECK(!build_world("raft-5", 1, {{"rate", "0x10"}}, &err));
  CHECK(err == "raft-5: rate=0x10 is not a number");
  CHECK(!build_world("raft-5", 1, {{"nodes", " 3"}}, &err));
  CHECK(err == "raft-5: nodes= 3 is not an integer");
}

TEST_CASE("the models' own parameter readers use the same grammar") {
  // Called directly (not through build_world's check), raft refuses what util/parse.h refuses.
  for (const char* v : {"0x10", " 3", "3 ", "1e3", ""}) {
    raft::RaftConfig cfg;
    INFO("nodes=\"" << v << "\"");
    CHECK(!raft::config_from_params({{"nodes", v}}, &cfg).empty());
  }
  for (const char* v : {"0x10", " 3", "inf", ""}) {
    raft::RaftConfig cfg;
    INFO("rate=\"" << v << "\"");
    CHECK(!raft::config_from_params({{"rate", v}}, &cfg).empty());
  }
  raft::RaftConfig cfg;
  CHECK(raft::config_from_params({{"rate", "1e3"}, {"leader_noop", "yes"}}, &cfg).empty());
  CHECK(cfg.rate_per_sec == 1000.0);
  CHECK(cfg.leader_noop);
}
