// Nodes: adding them, finding them by name (with "did you mean" for commands), their processes,
// and the node mutators command handlers use: crash, restart (and recovery), slow.
#include "sim/world_internal.h"

#include <stdexcept>

#include "util/text.h"

namespace topo {

const char* to_string(NodeStatus s) {
  switch (s) {
    case NodeStatus::Up: return "up";
    case NodeStatus::Crashed: return "crashed";
    case NodeStatus::Restarting: return "restarting";
  }
  return "?";
}

Time Ctx::now() const { return world_.now_; }
Rng& Ctx::rng() { return world_.nodes_[static_cast<size_t>(self_)]->rng; }
Metrics& Ctx::metrics() { return world_.metrics_; }

size_t World::waiting_work(NodeId id) const {
  return impl_->rt.at(static_cast<size_t>(id)).waiting.size();
}

NodeId World::add_node(std::string name, std::string role, ProcessFactory factory,
                       std::unique_ptr<Persistent> disk) {
  if (name.empty()) throw std::invalid_argument("add_node: empty node name");
  if (find_node(name)) throw std::invalid_argument("add_node: duplicate node name \"" + name + "\"");
  auto n = std::make_unique<Node>();
  const NodeId id = static_cast<NodeId>(nodes_.size());
  n->id = id;
  n->name = std::move(name);
  n->role = std::move(role);
  n->disk = std::move(disk);
  n->factory = std::move(factory);
  n->rng = rng_.derive(static_cast<uint64_t>(id));
  n->core_busy_until.assign(1, 0);
  Impl::NodeRt rt;
  rt.net = rng_.derive((uint64_t{1} << 40) + static_cast<uint64_t>(id));
  rt.busy.assign(1, 0);
  impl_->rt.push_back(std::move(rt));
  nodes_.push_back(std::move(n));
  groups_.push_back(0);
  if (!impl_->node_patch.empty()) impl_->recompute_links(*this);
  Node& node = *nodes_.back();
  if (node.factory) node.process = node.factory(id, node.disk.get());
  if (impl_->started && node.process) {
    Ctx ctx(*this, id);
    node.process->on_start(ctx);
  }
  return id;
}

std::optional<NodeId> World::find_node(std::string_view name) const {
  for (const auto& n : nodes_)
    if (n->name == name) return n->id;
  return std::nullopt;
}

std::string World::node_names_text() const {
  if (nodes_.empty()) return "none";
  // "n1..n5" when the names are one prefix with consecutive numbers in id order.
  auto split_num = [](const std::string& s, std::string* prefix, int64_t* num) {
    size_t p = s.size();
    while (p > 0 && s[p - 1] >= '0' && s[p - 1] <= '9') --p;
    if (p == s.size() || s.size() - p > 9 || (s[p] == '0' && s.size() - p > 1)) return false;
    *prefix = s.substr(0, p);
    *num = std::stoll(s.substr(p));
    return true;
  };
  if (nodes_.size() >= 3) {
    std::string p0;
    int64_t first = 0;
    bool run = split_num(nodes_[0]->name, &p0, &first);
    for (size_t i = 1; run && i < nodes_.size(); ++i) {
      std::string p;
      int64_t k = 0;
      run = split_num(nodes_[i]->name, &p, &k) && p == p0 && k == first + static_cast<int64_t>(i);
    }
    if (run) return nodes_.front()->name + ".." + nodes_.back()->name;
  }
  std::string s;
  const size_t shown = std::min<size_t>(nodes_.size(), 12);
  for (size_t i = 0; i < shown; ++i) {
    if (i) s += ", ";
    s += nodes_[i]->name;
  }
  if (shown < nodes_.size()) s += ", ... (" + std::to_string(nodes_.size()) + " nodes)";
  return s;
}

std::optional<NodeId> World::resolve_node(std::string_view name, std::string* error) const {
  if (auto id = find_node(name)) return id;
  if (error) {
    std::vector<std::string> names;
    names.reserve(nodes_.size());
    for (const auto& n : nodes_) names.push_back(n->name);
    const util::Nearest near = util::nearest(name, names);
    const std::string& best = near.name;
    const size_t best_d = near.distance;
    std::string msg = "unknown node \"" + std::string(name) + "\" (";
    // No suggestion when only the number differs ("n7" among n1..n5): the list says enough.
    auto stem = [](std::string_view x) {
      while (!x.empty() && x.back() >= '0' && x.back() <= '9') x.remove_suffix(1);
      return x;
    };
    const bool number_only = stem(name) == stem(best) && stem(name).size() < name.size();
    if (!best.empty() && !number_only && best_d <= std::max<size_t>(1, best.size() / 3))
      msg += "did you mean \"" + best + "\"? ";
    msg += "nodes: " + node_names_text() + ")";
    *error = msg;
  }
  return std::nullopt;
}

Process* World::process(NodeId id) {
  Node& n = *nodes_.at(static_cast<size_t>(id));
  return n.status == NodeStatus::Up ? n.process.get() : nullptr;
}

// ============================================================================================
// World: direct mutators (used by command handlers)
// ============================================================================================

void World::crash(NodeId id) {
  Node& n = *nodes_.at(static_cast<size_t>(id));
  if (n.status == NodeStatus::Crashed) return;
  n.status = NodeStatus::Crashed;
  ++n.incarnation;
  if (n.process) impl_->graveyard.push_back(std::move(n.process));
  auto& rt = impl_->rt[static_cast<size_t>(id)];
  rt.waiting.clear();
  std::fill(rt.busy.begin(), rt.busy.end(), 0);
  std::fill(n.core_busy_until.begin(), n.core_busy_until.end(), 0);
  n.queued_work = 0;
  trace_.record(now_, TraceKind::Crash, id, -1, 0, 0, 0, {}, {}, n.incarnation);
  if (impl_->dispatch_depth == 0) impl_->graveyard.clear();
}

void World::restart(NodeId id, Time delay) {
  Node& n = *nodes_.at(static_cast<size_t>(id));
  if (n.status == NodeStatus::Restarting) return;
  if (n.status == NodeStatus::Up) crash(id);  // a reboot: volatile state is lost
  n.status = NodeStatus::Restarting;
  delay = std::max<Time>(delay, 0);
  trace_.record(now_, TraceKind::Restart, id, -1, 0, now_, now_ + delay, {}, {}, n.incarnation);
  if (delay == 0) {
    recover(id);
  } else {
    impl_->push(now_ + delay, kRecover, 0, id, n.incarnation);
  }
}

void World::set_cpu_speed(NodeId id, double speed) {
  Node& n = *nodes_.at(static_cast<size_t>(id));
  n.cpu_speed = speed;
  trace_.record(now_, TraceKind::Slow, id, -1, 0, 0, 0, {}, {},
                static_cast<uint64_t>(std::floor(speed * 1e6 + 0.5)));
}

void World::recover(NodeId id) {
  Node& n = *nodes_[static_cast<size_t>(id)];
  n.status = NodeStatus::Up;
  n.process = n.factory ? n.factory(id, n.disk.get()) : nullptr;
  trace_.record(now_, TraceKind::Recover, id, -1, 0, 0, 0, {}, {}, n.incarnation);
  if (n.process && impl_->started) {
    Ctx ctx(*this, id);
    n.process->on_start(ctx);
  }
}

}  // namespace topo
