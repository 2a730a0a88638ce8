// The network: sending (latency + jitter, loss, duplication, reordering, bandwidth
// serialisation), link settings (the default link, per-node and per-link overrides) and
// partitions as group ids.
#include "sim/world_internal.h"

namespace topo {

MsgId Ctx::send(NodeId to, std::string_view kind, std::shared_ptr<const Payload> body, int64_t size_bytes) {
  return world_.send_from(self_, to, kind, std::move(body), size_bytes, 0);
}

MsgId Ctx::send_value(NodeId to, std::string_view kind, uint64_t value, int64_t size_bytes) {
  return world_.send_from(self_, to, kind, nullptr, size_bytes, value);
}

MsgId World::send_from(NodeId from, NodeId to, std::string_view kind, std::shared_ptr<const Payload>&& body,
                       int64_t size_bytes, uint64_t value) {
  if (to < 0 || static_cast<size_t>(to) >= nodes_.size())
    throw std::out_of_range("send: no node with id " + std::to_string(to));
  Impl& im = *impl_;
  Trace& tr = trace_;
  World& w = *this;
  const Time now = now_;
  const auto& nodes = nodes_;
  struct {
    NodeId from, to;
    int64_t size;
  } s{from, to, size_bytes};
  const MsgId id = im.next_msg++;
  ++im.net.sent;
  const LinkParams& lp = w.link(s.from, s.to);
  Rng& r = im.rt[static_cast<size_t>(s.from)].net;

  const uint32_t slot = im.alloc_msg();
  Message& m = im.msgs[slot];
  m.id = id;
  m.from = s.from;
  m.to = s.to;
  if (m.kind != kind) m.kind.assign(kind);  // a reused slot often carries the same kind already
  m.size_bytes = s.size;
  m.sent_at = now;
  m.body = std::move(body);
  m.value = value;

  if (!w.can_reach(s.from, s.to)) {
    m.deliver_at = now;
    trace_message(tr, TraceKind::Send, now, s.from, s.to, m, {}, true);
    if (m.body) m.body->hash_into(tr.hasher());
    trace_message(tr, TraceKind::Drop, now, s.to, s.from, m, "partition", false);
    ++im.net.dropped;
    ++im.net.dropped_partition;
    m.body.reset();
    im.msg_free.push_back(slot);
    return id;
  }
  m.deliver_at = im.delivery_time(s.from, s.to, lp, s.size, r, now);
  const bool lost = r.bernoulli(lp.loss_probability);
  im.msg_state[slot] = lost ? kLost : kFlying;
  const Node& dest = *nodes[static_cast<size_t>(s.to)];
  im.push(m.deliver_at, kDeliver, slot, s.to, dest.incarnation);
  trace_message(tr, TraceKind::Send, now, s.from, s.to, m, {}, true);
  if (m.body) m.body->hash_into(tr.hasher());

  if (r.bernoulli(lp.duplicate_probability)) {
    const uint32_t slot2 = im.alloc_msg();
    Message& d = im.msgs[slot2];  // the slab's chunks never move: `m` is still valid
    d = m;
    d.deliver_at = im.delivery_time(s.from, s.to, lp, s.size, r, now);
    const bool lost2 = r.bernoulli(lp.loss_probability);
    im.msg_state[slot2] = lost2 ? kLost : kFlying;
    im.push(d.deliver_at, kDeliver, slot2, s.to, dest.incarnation);
    ++im.net.duplicated;
    trace_message(tr, TraceKind::Duplicate, now, s.from, s.to, d, {}, false);
  }
  return id;
}

void World::set_default_link(const LinkParams& p) {
  impl_->def = p;
  impl_->recompute_links(*this);
}

void World::set_link(NodeId from, NodeId to, const LinkParams& p) {
  LinkPatch patch;
  patch.latency_us = p.latency_us;
  patch.jitter_us = p.jitter_us;
  patch.loss = p.loss_probability;
  patch.duplicate = p.duplicate_probability;
  patch.reorder = p.reorder_probability;
  patch.bandwidth = p.bandwidth_bytes_per_sec;
  impl_->pair_patch[pair_key(from, to)] = patch;
  impl_->recompute_links(*this);
}

void World::patch_links(NodeId from, NodeId to, NodeId node, const void* patchp) {
  const LinkPatch& p = *static_cast<const LinkPatch*>(patchp);
  Impl& im = *impl_;
  if (from != kNoNode && to != kNoNode) {
    im.pair_patch[pair_key(from, to)].merge(p);
    im.pair_patch[pair_key(to, from)].merge(p);
  } else if (node != kNoNode) {
    im.node_patch[node].merge(p);
    // The newer, wider setting wins over older pair settings for the same fields.
    for (auto it = im.pair_patch.begin(); it != im.pair_patch.end();) {
      const NodeId a = static_cast<NodeId>(it->first >> 32), b = static_cast<NodeId>(it->first & 0xffffffffu);
      if (a == node || b == node) {
        it->second.erase_fields_of(p);
        if (it->second.empty()) {
          it = im.pair_patch.erase(it);
          continue;
        }
      }
      ++it;
    }
  } else {
    p.apply(im.def);
  }
  im.recompute_links(*this);
}

std::vector<const Message*> World::in_flight() const {
  std::vector<const Message*> out;
  for (size_t i = 0; i < impl_->msgs.size(); ++i)
    if (impl_->msg_state[i] != kFree) out.push_back(&impl_->msgs[i]);
  std::sort(out.begin(), out.end(), [](const Message* a, const Message* b) {
    return a->id != b->id ? a->id < b->id : a->deliver_at < b->deliver_at;
  });
  return out;
}

const LinkParams& World::link(NodeId from, NodeId to) const {
  if (impl_->eff.empty()) return impl_->def;
  auto it = impl_->eff.find(pair_key(from, to));
  return it == impl_->eff.end() ? impl_->def : it->second;
}

bool World::can_reach(NodeId from, NodeId to) const {
  return groups_[static_cast<size_t>(from)] == groups_[static_cast<size_t>(to)];
}

namespace {
std::string groups_text(const World& w, const std::vector<int>& groups) {
  std::map<int, std::string> by_group;
  for (size_t i = 0; i < groups.size(); ++i) {
    auto& s = by_group[groups[i]];
    if (!s.empty()) s += ',';
    s += w.nodes()[i]->name;
  }
  std::string out;
  for (const auto& [g, s] : by_group) {
    (void)g;
    if (!out.empty()) out += '|';
    out += s;
  }
  return out;
}
}  // namespace

void World::set_partition(std::vector<int> groups) {
  groups.resize(nodes_.size(), 0);
  groups_ = std::move(groups);
  trace_.record(now_, TraceKind::Partition, -1, -1, 0, 0, 0, "partition", groups_text(*this, groups_), 0);
}

void World::heal() {
  std::fill(groups_.begin(), groups_.end(), 0);
  trace_.record(now_, TraceKind::Heal, -1, -1, 0, 0, 0, "heal", {}, 0);
}

const World::NetStats& World::net_stats() const { return impl_->net; }

}  // namespace topo
