// A Raft world for the model's tests (raft_basic, raft_membership): the scenario built by name,
// its cluster, Commands from text, time in milliseconds, values by key.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "catalog/catalog.h"
#include "models/raft/raft.h"
#include "scenario/scenario.h"

namespace topo::test {

struct RaftWorld {
  std::unique_ptr<World> w;
  raft::RaftCluster* c = nullptr;
  RaftWorld(const std::string& scenario, uint64_t seed, const Params& p = {}) {
    std::string err;
    w = build_world(scenario, seed, p, &err);
    REQUIRE_MESSAGE(w, err);
    c = w->find_model<raft::RaftCluster>();
    REQUIRE(c);
  }
  CommandResult apply(const std::string& text) {
    std::string err;
    auto cmd = Command::parse(text, &err);
    REQUIRE_MESSAGE(cmd, err);
    return w->apply(*cmd);
  }
  void run_ms(int64_t ms) { w->run_until(w->now() + ms * kMs); }
  double v(const std::string& key) const { return c->value(key).value_or(-99); }
  NodeId leader() const { return static_cast<NodeId>(v("leader")); }
  std::string name(NodeId id) const { return w->node(id).name; }
};

}  // namespace topo::test
