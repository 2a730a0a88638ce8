// The simulation world: construction and teardown, models, start. The engine is split by
// concept (see world_internal.h): event_loop.cpp, network.cpp, nodes.cpp, command.cpp,
// commands.cpp, builtin_commands.cpp; the event queue is event_queue.h.
#include "sim/world_internal.h"

namespace topo {

World::World(uint64_t seed) : impl_(std::make_unique<Impl>()), seed_(seed), rng_(seed) {
  register_builtins();
}

World::~World() {
  // Processes first (they may point at models), then models, then the engine's slabs.
  nodes_.clear();
  models_.clear();
}

bool World::started() const { return impl_->started; }

Model* World::add_model(std::unique_ptr<Model> m) {
  models_.push_back(std::move(m));
  return models_.back().get();
}

void World::start() {
  if (impl_->started) return;
  impl_->started = true;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    Node& n = *nodes_[i];
    if (n.status == NodeStatus::Up && n.process) {
      Ctx ctx(*this, static_cast<NodeId>(i));
      n.process->on_start(ctx);
    }
  }
}

}  // namespace topo
