// The World's engine internals, shared by the files of core/sim that implement World (one
// concept each, Box2D-style): world.cpp (building, start), event_loop.cpp (events, CPU, timers,
// running, sampling), network.cpp (sending, links, partitions), nodes.cpp (node lookup, crash,
// restart, slow), command.cpp (the Command text form), commands.cpp (validation and apply) and
// builtin_commands.cpp (crash, restart, slow, partition, heal, set_link). Not a public header:
// nothing outside core/sim includes it.
#pragma once

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/event_queue.h"
#include "sim/world.h"

namespace topo {
namespace sim_detail {

inline Time ms_to_us(double ms) { return static_cast<Time>(std::floor(ms * 1000.0 + 0.5)); }

enum EvType : uint64_t { kDeliver = 0, kTimer = 1, kWork = 2, kCallback = 3, kRecover = 4 };

// A popped event, decoded: what dispatch() works on.
struct Ev {
  Time time;
  uint64_t kind;  // EvType, and for kWork the core above the low 8 bits
  uint64_t a;     // message slot, timer id, work tag or callback slot
  int32_t node;
  uint32_t inc;   // the node's incarnation when scheduled
  Time t() const { return time; }
  uint64_t type() const { return kind & 0xff; }
  size_t core() const { return static_cast<size_t>(kind >> 8); }  // kWork: the core it ran on
};

// The pending events' data, in a slab with a free list; the heaps hold keys and slot numbers.
struct EvData {
  uint64_t a;
  int32_t node;
  uint32_t inc;
  uint64_t kind;
};

// Messages in flight, in chunks that never move: a delivered message is handed to its receiver
// in place (no copy), while the receiver's own sends may add slots.
class MessageSlab {
 public:
  Message& operator[](size_t i) { return chunks_[i >> kChunkBits][i & kChunkMask]; }
  const Message& operator[](size_t i) const { return chunks_[i >> kChunkBits][i & kChunkMask]; }
  size_t size() const { return n_; }
  void emplace_back() {
    if ((n_ >> kChunkBits) == chunks_.size()) chunks_.push_back(std::make_unique<Message[]>(kChunk));
    ++n_;
  }

 private:
  static constexpr int kChunkBits = 8;
  static constexpr size_t kChunk = size_t{1} << kChunkBits, kChunkMask = kChunk - 1;
  std::vector<std::unique_ptr<Message[]>> chunks_;
  size_t n_ = 0;
};

constexpr int kTimerSlotBits = 24;
constexpr uint64_t kTimerSlotMask = (uint64_t{1} << kTimerSlotBits) - 1;

enum MsgState : uint8_t { kFree = 0, kFlying = 1, kLost = 2 };

/// A partial LinkParams (only the fields a command set).
struct LinkPatch {
  std::optional<Time> latency_us, jitter_us;
  std::optional<double> loss, duplicate, reorder;
  std::optional<int64_t> bandwidth;
  void apply(LinkParams& p) const {
    if (latency_us) p.latency_us = *latency_us;
    if (jitter_us) p.jitter_us = *jitter_us;
    if (loss) p.loss_probability = *loss;
    if (duplicate) p.duplicate_probability = *duplicate;
    if (reorder) p.reorder_probability = *reorder;
    if (bandwidth) p.bandwidth_bytes_per_sec = *bandwidth;
  }
  void merge(const LinkPatch& o) {
    if (o.latency_us) latency_us = o.latency_us;
    if (o.jitter_us) jitter_us = o.jitter_us;
    if (o.loss) loss = o.loss;
    if (o.duplicate) duplicate = o.duplicate;
    if (o.reorder) reorder = o.reorder;
    if (o.bandwidth) bandwidth = o.bandwidth;
  }
  /// Forgets the fields that `o` sets (a newer, wider command wins for them).
  void erase_fields_of(const LinkPatch& o) {
    if (o.latency_us) latency_us.reset();
    if (o.jitter_us) jitter_us.reset();
    if (o.loss) loss.reset();
    if (o.duplicate) duplicate.reset();
    if (o.reorder) reorder.reset();
    if (o.bandwidth) bandwidth.reset();
  }
  bool empty() const {
    return !latency_us && !jitter_us && !loss && !duplicate && !reorder && !bandwidth;
  }
};

inline uint64_t pair_key(NodeId a, NodeId b) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}

// A stored message event with its payload described for people (off the hot path).
inline void trace_message_described(Trace& tr, TraceKind k, Time t, NodeId node, NodeId peer, const Message& m,
                             std::string_view detail) {
  TraceEvent e;
  e.t = t;
  e.kind = k;
  e.node = node;
  e.peer = peer;
  e.msg = m.id;
  e.sent_at = m.sent_at;
  e.deliver_at = m.deliver_at;
  e.what = m.kind;
  e.detail = detail.empty() ? m.body->describe() : std::string(detail) + "; " + m.body->describe();
  e.value = m.value;
  tr.record_described(std::move(e), detail);
}

[[gnu::always_inline]] inline void trace_message(Trace& tr, TraceKind k, Time t, NodeId node,
                                                 NodeId peer, const Message& m,
                                                 std::string_view detail, bool with_body) {
  if (with_body && m.body && tr.storing()) return trace_message_described(tr, k, t, node, peer, m, detail);
  tr.record(t, k, node, peer, m.id, m.sent_at, m.deliver_at, m.kind, detail, m.value);
}

}  // namespace sim_detail

using namespace sim_detail;

struct World::Impl {
  struct TimerSlot {
    TimerId id = 0;
    uint64_t tag = 0;
    Time set_at = 0;
    bool live = false;
  };
  struct Job {
    Time cost;
    uint64_t tag;
  };
  struct NodeRt {
    Rng net;                    // the network's draws for messages this node sends
    std::deque<Job> waiting;    // FIFO in front of the cores
    std::vector<uint8_t> busy;  // per core
  };

  EventQueue queue;
  std::vector<EvData> evdata;
  std::vector<uint32_t> evdata_free;

  MessageSlab msgs;
  std::vector<uint8_t> msg_state;
  std::vector<uint32_t> msg_free;

  std::vector<TimerSlot> timers;
  std::vector<uint32_t> timer_free;
  uint64_t timer_counter = 0;

  std::vector<std::function<void(World&)>> callbacks;
  std::vector<uint32_t> callback_free;

  std::vector<NodeRt> rt;
  std::vector<std::unique_ptr<Process>> graveyard;  // processes crashed inside a handler
  int dispatch_depth = 0;

  LinkParams def;
  std::map<NodeId, LinkPatch> node_patch;
  std::map<uint64_t, LinkPatch> pair_patch;
  std::map<uint64_t, LinkParams> eff;       // materialised overrides
  std::map<uint64_t, Time> tx_busy_until;   // bandwidth serialisation per directed link

  MsgId next_msg = 1;
  bool started = false;
  NetStats net;

  // ---- events ----
  void push(Time t, EvType type, uint64_t a, int32_t node, uint32_t inc) {
    uint32_t slot;
    if (!evdata_free.empty()) {
      slot = evdata_free.back();
      evdata_free.pop_back();
    } else {
      if (evdata.size() > kSlotMask) throw std::length_error("too many pending events");
      evdata.emplace_back();
      slot = static_cast<uint32_t>(evdata.size() - 1);
    }
    evdata[slot] = EvData{a, node, inc, type};
    queue.push(static_cast<uint64_t>(t), slot);
  }

  Time top_time() const { return static_cast<Time>(queue.top_time()); }

  Ev pop() {
    uint64_t t;
    const uint32_t slot = queue.pop(&t);
    const EvData& d = evdata[slot];
    const Ev e{static_cast<Time>(t), d.kind, d.a, d.node, d.inc};
    evdata_free.push_back(slot);
    return e;
  }

  // ---- links ----
  void recompute_links(const World& w) {
    eff.clear();
    if (node_patch.empty() && pair_patch.empty()) return;
    const NodeId n = static_cast<NodeId>(w.nodes_.size());
    auto compute = [&](NodeId a, NodeId b) {
      LinkParams p = def;
      if (auto it = node_patch.find(a); it != node_patch.end()) it->second.apply(p);
      if (auto it = node_patch.find(b); it != node_patch.end()) it->second.apply(p);
      if (auto it = pair_patch.find(pair_key(a, b)); it != pair_patch.end()) it->second.apply(p);
      eff[pair_key(a, b)] = p;
    };
    for (const auto& [node, patch] : node_patch) {
      (void)patch;
      for (NodeId x = 0; x < n; ++x) {
        compute(node, x);
        compute(x, node);
      }
    }
    for (const auto& [k, patch] : pair_patch) {
      (void)patch;
      compute(static_cast<NodeId>(k >> 32), static_cast<NodeId>(k & 0xffffffffu));
    }
  }

  uint32_t alloc_msg() {
    if (!msg_free.empty()) {
      uint32_t s = msg_free.back();
      msg_free.pop_back();
      return s;
    }
    msgs.emplace_back();
    msg_state.push_back(kFree);
    return static_cast<uint32_t>(msgs.size() - 1);
  }

  Time delivery_time(NodeId from, NodeId to, const LinkParams& lp, int64_t size, Rng& r, Time now) {
    Time base = now;
    if (lp.bandwidth_bytes_per_sec > 0) {
      Time& busy = tx_busy_until[pair_key(from, to)];
      const Time start = std::max(now, busy);
      const int64_t bytes = std::max<int64_t>(size, 0);
      const Time tx = (bytes * kSec + lp.bandwidth_bytes_per_sec - 1) / lp.bandwidth_bytes_per_sec;
      busy = start + tx;
      base = busy;
    }
    Time lat = std::max<Time>(lp.latency_us, 0);
    if (lp.jitter_us > 0) lat += r.uniform_int(0, lp.jitter_us);
    if (lp.reorder_probability > 0.0 && r.bernoulli(lp.reorder_probability) && lp.latency_us > 0)
      lat += r.uniform_int(0, 5 * lp.latency_us);
    return base + lat;
  }
};

}  // namespace topo
