// The simulation world's engine: an event queue ordered by (time, insertion sequence) (a 4-ary
// heap of 64-bit keys for the first 203 days, an ordered map after), with the events' data in a slab; slabs with free lists for messages, timers and engine callbacks; the CPU model (a
// FIFO queue in front of `cores` servers, service time = cost / cpu_speed); the network (default
// link, per-node and per-link overrides, latency + jitter, loss, duplication, reordering,
// bandwidth serialisation, partitions as group ids); crash/restart with incarnations so that
// stale timers, work and deliveries are ignored; and the Command entry point with the built-in
// commands (crash, restart, slow, partition, heal, set_link).
#include "sim/world.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <limits>
#include <map>
#include <new>
#include <stdexcept>
#include <utility>

#include "util/parse.h"
#include "util/text.h"

namespace topo {

// ============================================================================================
// Small helpers
// ============================================================================================

const char* to_string(NodeStatus s) {
  switch (s) {
    case NodeStatus::Up: return "up";
    case NodeStatus::Crashed: return "crashed";
    case NodeStatus::Restarting: return "restarting";
  }
  return "?";
}

bool parse_number(std::string_view s, double* out) { return util::parse_number(s, out); }

bool parse_int(std::string_view s, int64_t* out) { return util::parse_int(s, out); }

namespace {

bool is_plain_value_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == ',' || c == '-' || c == '+' || c == ':' || c == '/' || c == '#' || c == '@';
}

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

using util::split;
using util::trim;

Time ms_to_us(double ms) { return static_cast<Time>(std::floor(ms * 1000.0 + 0.5)); }

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

// At most 2^24 events pending at once (the data slots' index range).
constexpr uint64_t kSlotMask = (uint64_t{1} << 24) - 1;

// Events before 2^44 us (203 days) go to a heap of 64-bit keys, time << 20 | seq, ordered by
// one compare, with their data slots in a parallel array (SplitHeap); later events (never, in
// practice) go to an ordered map. Every near event is earlier than every far one, so the
// order is exactly (time, then insertion), on both targets. The near sequence has 20 bits and
// is renumbered every 2^20 insertions. (This replaced a heap of 128-bit (time, seq, slot) keys:
// WebAssembly has no 128-bit registers, and natively too the split layout runs gossip with 9%
// fewer instructions; see docs/performance.md.)
constexpr int kNearSeqBits = 20;
constexpr uint64_t kNearSeqLimit = uint64_t{1} << kNearSeqBits;
constexpr uint64_t kNearTimeLimit = uint64_t{1} << (64 - kNearSeqBits);
constexpr size_t kMaxPending = size_t{1} << (kNearSeqBits - 1);  // events before 2^44 us

// A 4-ary min-heap of 64-bit keys with the events' data slots in a parallel array: the sift
// loops compare keys only, so a node's four children are 32 bytes (half a cache line; the
// key buffer is 64-byte aligned with the root at index 3) and each compare is one 64-bit
// compare, which GCC and V8 both turn into conditional moves.
class SplitHeap {
 public:
  SplitHeap() = default;
  SplitHeap(const SplitHeap&) = delete;
  SplitHeap& operator=(const SplitHeap&) = delete;
  ~SplitHeap() { release(); }
  bool empty() const { return n_ == 0; }
  size_t size() const { return n_; }
  uint64_t top_key() const { return k()[0]; }
  void push(uint64_t key, uint32_t slot) {
    if (n_ == cap_) grow();
    sift_up(n_++, key, slot);
  }
  /// Removes the least key; returns it and sets *slot to its slot.
  uint64_t pop(uint32_t* slot) {
    uint64_t* kp = k();
    uint32_t* sp = slots_;
    const uint64_t top = kp[0];
    *slot = sp[0];
    const size_t n = --n_;
    const uint64_t last = kp[n];
    const uint32_t last_slot = sp[n];
    if (n == 0) return top;
    // Floyd: the hole goes down along the least children to a leaf, then `last` sifts up.
    size_t i = 0;
    for (;;) {
      const size_t c = 4 * i + 1;
      if (c + 3 < n) {
        const uint64_t* q = kp + c;
        const size_t b01 = q[1] < q[0] ? 1 : 0;
        const size_t b23 = q[3] < q[2] ? 3 : 2;
        const size_t best = c + (q[b23] < q[b01] ? b23 : b01);
        kp[i] = kp[best];
        sp[i] = sp[best];
        i = best;
      } else {
        if (c >= n) break;
        size_t best = c;
        for (size_t j = c + 1; j < n; ++j)
          if (kp[j] < kp[best]) best = j;
        kp[i] = kp[best];
        sp[i] = sp[best];
        i = best;
        break;
      }
    }
    sift_up(i, last, last_slot);
    return top;
  }
  /// Sorts the pending keys and lets `renum(key, j)` give the j-th its new key (same order);
  /// returns how many there are. A sorted array is a valid heap.
  template <class F>
  uint64_t renumber(F renum) {
    std::vector<std::pair<uint64_t, uint32_t>> all(n_);
    for (size_t j = 0; j < n_; ++j) all[j] = {k()[j], slots_[j]};
    std::sort(all.begin(), all.end());
    for (size_t j = 0; j < n_; ++j) {
      k()[j] = renum(all[j].first, static_cast<uint64_t>(j));
      slots_[j] = all[j].second;
    }
    return n_;
  }

 private:
  static constexpr size_t kOff = 3;  // root at index 3: children 4i+1.. start at multiples of 4
  uint64_t* k() const { return keys_ + kOff; }
  void sift_up(size_t i, uint64_t key, uint32_t slot) {
    uint64_t* kp = k();
    while (i > 0) {
      const size_t p = (i - 1) >> 2;
      if (!(key < kp[p])) break;
      kp[i] = kp[p];
      slots_[i] = slots_[p];
      i = p;
    }
    kp[i] = key;
    slots_[i] = slot;
  }
  void grow() {
    const size_t cap = cap_ ? cap_ * 2 : 256;
    auto* nk = static_cast<uint64_t*>(::operator new((cap + kOff) * sizeof(uint64_t), std::align_val_t{64}));
    auto* ns = static_cast<uint32_t*>(::operator new(cap * sizeof(uint32_t)));
    if (keys_) {
      std::copy(k(), k() + n_, nk + kOff);
      std::copy(slots_, slots_ + n_, ns);
    }
    release();
    keys_ = nk;
    slots_ = ns;
    cap_ = cap;
  }
  void release() {
    if (keys_) ::operator delete(keys_, std::align_val_t{64});
    if (slots_) ::operator delete(slots_);
    keys_ = nullptr;
    slots_ = nullptr;
  }
  uint64_t* keys_ = nullptr;
  uint32_t* slots_ = nullptr;
  size_t n_ = 0, cap_ = 0;
};

// The pending events' keys, ordered by (time, insertion): the near heap, and an ordered map for
// events at or after 2^44 us (which no lesson or benchmark reaches; they are kept exactly, by
// their own 64-bit sequence, so a world can still run that far).
class EventQueue {
 public:
  bool empty() const { return near_.empty() && far_.empty(); }
  void push(uint64_t t, uint32_t slot) {
    if (t < kNearTimeLimit) {
      if (near_seq_ >= kNearSeqLimit) {
        // Renumbering gives the pending events 0..n-1: n must stay well below 2^20, or the
        // sequence would run out again at once (and past 2^20 run into the time bits).
        if (near_.size() >= kMaxPending)
          throw std::length_error("too many events pending at once: " + std::to_string(near_.size()) +
                                  " (the queue keeps the order of at most " + std::to_string(kMaxPending) + ")");
        near_seq_ = near_.renumber([](uint64_t key, uint64_t j) { return key >> kNearSeqBits << kNearSeqBits | j; });
      }
      near_.push(t << kNearSeqBits | near_seq_++, slot);
      return;
    }
    far_.emplace(std::make_pair(t, far_seq_++), slot);
  }
  uint64_t top_time() const {
    if (!near_.empty()) return near_.top_key() >> kNearSeqBits;
    return far_.begin()->first.first;
  }
  /// Removes the earliest event; returns its data slot and sets *t to its time.
  uint32_t pop(uint64_t* t) {
    if (!near_.empty()) {
      uint32_t slot;
      *t = near_.pop(&slot) >> kNearSeqBits;
      return slot;
    }
    const auto it = far_.begin();
    *t = it->first.first;
    const uint32_t slot = it->second;
    far_.erase(it);
    return slot;
  }

 private:
  SplitHeap near_;
  std::map<std::pair<uint64_t, uint64_t>, uint32_t> far_;  // (time, sequence) -> slot
  uint64_t near_seq_ = 0, far_seq_ = 0;
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

}  // namespace

// ============================================================================================
// Impl
// ============================================================================================

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

// ============================================================================================
// Command text form
// ============================================================================================

std::string Command::to_text() const {
  std::string s = op;
  for (const auto& [k, v] : args) {
    s += ' ';
    s += k;
    s += '=';
    bool plain = !v.empty();
    for (char c : v)
      if (!is_plain_value_char(c)) plain = false;
    if (plain) {
      s += v;
    } else {
      s += '"';
      for (char c : v) {
        if (c == '"' || c == '\\') s += '\\';
        s += c;
      }
      s += '"';
    }
  }
  return s;
}

std::optional<Command> Command::parse(std::string_view text, std::string* error) {
  auto fail = [&](std::string msg) -> std::optional<Command> {
    if (error) *error = std::move(msg);
    return std::nullopt;
  };
  Command c;
  size_t i = 0;
  const size_t n = text.size();
  auto skip_ws = [&] {
    while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
  };
  skip_ws();
  const size_t op_start = i;
  while (i < n && is_key_char(text[i])) ++i;
  c.op = std::string(text.substr(op_start, i - op_start));
  if (c.op.empty()) return fail("empty command (expected `op key=value ...`)");
  if (i < n && !(text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
    return fail("bad character '" + std::string(1, text[i]) + "' in command name \"" +
                std::string(text.substr(op_start, i - op_start + 1)) + "\"");
  for (;;) {
    skip_ws();
    if (i >= n) break;
    const size_t k_start = i;
    while (i < n && is_key_char(text[i])) ++i;
    std::string key(text.substr(k_start, i - k_start));
    if (key.empty() || i >= n || text[i] != '=') {
      size_t e = k_start;
      while (e < n && text[e] != ' ' && text[e] != '\t') ++e;
      return fail("expected key=value, got \"" + std::string(text.substr(k_start, e - k_start)) + "\"");
    }
    ++i;  // '='
    std::string value;
    if (i < n && text[i] == '"') {
      ++i;
      bool closed = false;
      while (i < n) {
        char ch = text[i++];
        if (ch == '\\' && i < n) {
          value += text[i++];
        } else if (ch == '"') {
          closed = true;
          break;
        } else {
          value += ch;
        }
      }
      if (!closed) return fail("unterminated quote in value of " + key + "=");
      if (i < n && !(text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
        return fail("expected a space after the quoted value of " + key + "=");
    } else {
      while (i < n && !(text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
        value += text[i++];
    }
    if (c.args.count(key)) return fail("key " + key + "= given twice");
    c.args.emplace(std::move(key), std::move(value));
  }
  return c;
}

std::string Command::arg(const std::string& key, const std::string& fallback) const {
  auto it = args.find(key);
  return it == args.end() ? fallback : it->second;
}

// ============================================================================================
// Ctx
// ============================================================================================

Time Ctx::now() const { return world_.now_; }
Rng& Ctx::rng() { return world_.nodes_[static_cast<size_t>(self_)]->rng; }
Metrics& Ctx::metrics() { return world_.metrics_; }

MsgId Ctx::send(NodeId to, std::string_view kind, std::shared_ptr<const Payload> body, int64_t size_bytes) {
  return world_.send_from(self_, to, kind, std::move(body), size_bytes, 0);
}

MsgId Ctx::send_value(NodeId to, std::string_view kind, uint64_t value, int64_t size_bytes) {
  return world_.send_from(self_, to, kind, nullptr, size_bytes, value);
}

namespace {
// A stored message event with its payload described for people (off the hot path).
void trace_message_described(Trace& tr, TraceKind k, Time t, NodeId node, NodeId peer, const Message& m,
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
}  // namespace

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

TimerId Ctx::set_timer(Time delay, uint64_t tag) {
  World::Impl& im = *world_.impl_;
  uint32_t slot;
  if (!im.timer_free.empty()) {
    slot = im.timer_free.back();
    im.timer_free.pop_back();
  } else {
    if (im.timers.size() >= kTimerSlotMask) throw std::length_error("set_timer: too many pending timers");
    im.timers.emplace_back();
    slot = static_cast<uint32_t>(im.timers.size() - 1);
  }
  const TimerId id = ((++im.timer_counter) << kTimerSlotBits) | slot;
  auto& ts = im.timers[slot];
  ts.id = id;
  ts.tag = tag;
  ts.set_at = world_.now_;
  ts.live = true;
  const Node& n = *world_.nodes_[static_cast<size_t>(self_)];
  im.push(world_.now_ + std::max<Time>(delay, 0), kTimer, id, self_, n.incarnation);
  return id;
}

void Ctx::cancel_timer(TimerId id) {
  World::Impl& im = *world_.impl_;
  const uint64_t slot = id & kTimerSlotMask;
  if (id == 0 || slot >= im.timers.size()) return;
  auto& ts = im.timers[slot];
  if (ts.id == id) ts.live = false;  // the slot is freed when its event comes up
}

void Ctx::work(Time cost, uint64_t tag) {
  World::Impl& im = *world_.impl_;
  Node& n = *world_.nodes_[static_cast<size_t>(self_)];
  auto& rt = im.rt[static_cast<size_t>(self_)];
  const size_t cores = static_cast<size_t>(std::max(1, n.cores));
  if (rt.busy.size() < cores) {
    rt.busy.resize(cores, 0);
    n.core_busy_until.resize(cores, 0);
  }
  ++n.queued_work;
  for (size_t c = 0; c < cores; ++c) {
    if (!rt.busy[c]) {
      world_.start_job(self_, c, cost, tag);
      return;
    }
  }
  rt.waiting.push_back({cost, tag});
}

void Ctx::note(std::string_view what, std::string_view detail) {
  world_.trace_.record(world_.now_, TraceKind::Note, self_, -1, 0, 0, 0, what, detail, 0);
}

// ============================================================================================
// World: building
// ============================================================================================

World::World(uint64_t seed) : impl_(std::make_unique<Impl>()), seed_(seed), rng_(seed) {
  register_builtins();
}

World::~World() {
  // Processes first (they may point at models), then models, then the engine's slabs.
  nodes_.clear();
  models_.clear();
}

bool World::started() const { return impl_->started; }
const World::NetStats& World::net_stats() const { return impl_->net; }

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

void World::register_command(CommandSpec spec) {
  // A duration is in milliseconds (or text with a unit): declare it so for every reader.
  for (auto& p : spec.params)
    if (p.type == "duration" && p.unit.empty()) p.unit = "ms";
  for (auto& s : specs_)
    if (s.op == spec.op) {
      s = std::move(spec);
      return;
    }
  specs_.push_back(std::move(spec));
}

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

// ============================================================================================
// World: running
// ============================================================================================

void World::start_job(NodeId id, size_t core, Time cost, uint64_t tag) {
  Node& n = *nodes_[static_cast<size_t>(id)];
  auto& rt = impl_->rt[static_cast<size_t>(id)];
  const double speed = n.cpu_speed > 1e-9 ? n.cpu_speed : 1e-9;
  const double d = static_cast<double>(std::max<Time>(cost, 0)) / speed;
  // d >= 0, so truncating d + 0.5 is floor(d + 0.5) without a libm call.
  const Time dur = d > 4e18 ? static_cast<Time>(4e18) : static_cast<Time>(d + 0.5);
  rt.busy[core] = 1;
  n.core_busy_until[core] = now_ + dur;
  impl_->push(now_ + dur, static_cast<EvType>(kWork | core << 8), tag, id, n.incarnation);
}

// Runs one popped event; false if it was stale (cancelled timer, a crashed incarnation's work).
bool World::dispatch(const void* evp) {
  const Ev& e = *static_cast<const Ev*>(evp);
  Impl& im = *impl_;
  now_ = e.t();
  switch (static_cast<EvType>(e.type())) {
    case kDeliver: {
      const uint32_t slot = static_cast<uint32_t>(e.a);
      const bool lost = im.msg_state[slot] == kLost;
      // Handled in place: the slot leaves the in-flight set now and is reused only after the
      // receiver's handler returns (its body is released then; its kind string stays for reuse).
      const Message& m = im.msgs[slot];
      im.msg_state[slot] = kFree;
      struct Release {
        World::Impl& im;
        uint32_t slot;
        ~Release() {
          im.msgs[slot].body.reset();
          im.msg_free.push_back(slot);
        }
      } release{im, slot};
      Node& n = *nodes_[static_cast<size_t>(m.to)];
      const char* reason = nullptr;
      if (lost) {
        reason = "loss";
        ++im.net.dropped_loss;
      } else if (n.status != NodeStatus::Up) {
        reason = "receiver down";
        ++im.net.dropped_down;
      } else if (n.incarnation != e.inc) {
        reason = "receiver restarted";
        ++im.net.dropped_down;
      } else if (groups_[static_cast<size_t>(m.from)] != groups_[static_cast<size_t>(m.to)]) {
        reason = "partition";
        ++im.net.dropped_partition;
      }
      if (reason) {
        ++im.net.dropped;
        trace_message(trace_, TraceKind::Drop, now_, m.to, m.from, m, reason, false);
        return true;
      }
      ++im.net.delivered;
      trace_message(trace_, TraceKind::Deliver, now_, m.to, m.from, m, {}, true);
      if (n.process) {
        Ctx ctx(*this, m.to);
        n.process->on_message(ctx, m);
      }
      return true;
    }
    case kTimer: {
      const uint64_t slot = e.a & kTimerSlotMask;
      auto& ts = im.timers[slot];
      const bool live = ts.live && ts.id == e.a;
      const uint64_t tag = ts.tag;
      const Time set_at = ts.set_at;
      ts.live = false;
      ts.id = 0;
      im.timer_free.push_back(static_cast<uint32_t>(slot));
      if (!live) return false;
      Node& n = *nodes_[static_cast<size_t>(e.node)];
      if (n.status != NodeStatus::Up || n.incarnation != e.inc || !n.process) return false;
      trace_.record(now_, TraceKind::Timer, e.node, -1, e.a, set_at, now_, {}, {}, tag);
      Ctx ctx(*this, e.node);
      n.process->on_timer(ctx, e.a, tag);
      return true;
    }
    case kWork: {
      Node& n = *nodes_[static_cast<size_t>(e.node)];
      if (n.status != NodeStatus::Up || n.incarnation != e.inc) return false;
      auto& rt = im.rt[static_cast<size_t>(e.node)];
      const size_t core = e.core();
      rt.busy[core] = 0;
      --n.queued_work;
      trace_.record(now_, TraceKind::Work, e.node, -1, 0, 0, now_, {}, {}, e.a);
      // The next waiting job takes the core before the handler can queue more (FIFO).
      if (!rt.waiting.empty() && core < static_cast<size_t>(std::max(1, n.cores))) {
        const auto job = rt.waiting.front();
        rt.waiting.pop_front();
        start_job(e.node, core, job.cost, job.tag);
      }
      if (n.process) {
        Ctx ctx(*this, e.node);
        n.process->on_work_done(ctx, e.a);
      }
      return true;
    }
    case kCallback: {
      auto fn = std::move(im.callbacks[e.a]);
      im.callbacks[e.a] = nullptr;
      im.callback_free.push_back(static_cast<uint32_t>(e.a));
      if (fn) fn(*this);
      return true;
    }
    case kRecover: {
      Node& n = *nodes_[static_cast<size_t>(e.node)];
      if (n.status != NodeStatus::Restarting || n.incarnation != e.inc) return false;
      recover(e.node);
      return true;
    }
  }
  return false;
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

bool World::step() {
  Impl& im = *impl_;
  while (!im.queue.empty()) {
    // Boundaries before this event see every event at or before them (see add_sampler).
    // One compare per event: next_sample_ is kNoMoreSamples in a world without samplers.
    if (im.top_time() > next_sample_) sample_through(im.top_time() - 1);
    const Ev e = im.pop();
    ++im.dispatch_depth;
    const bool real = dispatch(&e);
    --im.dispatch_depth;
    if (!im.graveyard.empty() && im.dispatch_depth == 0) im.graveyard.clear();
    if (real) {
      ++events_processed_;
      return true;
    }
  }
  return false;
}

namespace {
constexpr Time kNoMoreSamples = std::numeric_limits<Time>::max();  // the time axis ran out

// A long quiet stretch up to `horizon` (no event before it): the series keep only the newest
// max_points points, so the boundaries before those are skipped rather than computed. Returns
// the next boundary to sample.
Time skip_quiet_samples(Time next, Time horizon, Time period, size_t max_points) {
  const Time keep = period * static_cast<Time>(max_points ? max_points : 4096);
  if (next != kNoMoreSamples && horizon - next > keep) next += (horizon - next - keep) / period * period;
  return next;
}
}  // namespace

void World::run_events_through(Time t) {
  Impl& im = *impl_;
  while (!im.queue.empty() && im.top_time() <= t) {
    const Ev e = im.pop();
    ++im.dispatch_depth;
    const bool real = dispatch(&e);
    --im.dispatch_depth;
    if (!im.graveyard.empty() && im.dispatch_depth == 0) im.graveyard.clear();
    if (real) ++events_processed_;
  }
}

void World::run_until(Time t) {
  // Runs in stretches that end at sample boundaries; the events and their order are exactly
  // those of one stretch to t (the event loop itself has no sampling check).
  while (next_sample_ <= t && next_sample_ != kNoMoreSamples) {
    // Nothing happens before the next event: skip the quiet boundaries the bounded series
    // would not keep anyway (a run_until far ahead of an idle world ends quickly).
    next_sample_ = skip_quiet_samples(next_sample_, impl_->queue.empty() ? t : std::min(t, impl_->top_time()),
                                      sample_period_, metrics_.max_points);
    const Time b = next_sample_;
    run_events_through(b);
    sample_through(b);
  }
  run_events_through(t);
  if (t > now_) now_ = t;
}

void World::add_sampler(std::function<void(World&)> fn) {
  if (samplers_.empty()) next_sample_ = (now_ + sample_period_ - 1) / sample_period_ * sample_period_;
  samplers_.push_back(std::move(fn));
}

void World::set_sample_period(Time p) {
  if (p <= 0) throw std::invalid_argument("sample period must be positive");
  sample_period_ = p;
  if (!samplers_.empty()) next_sample_ = (now_ + p - 1) / p * p;
}


// Calls the samplers at every boundary <= t not sampled yet, with now() at the boundary (never
// earlier than now(): boundaries before the last event were sampled when it was popped).
void World::sample_through(Time t) {
  if (samplers_.empty() || next_sample_ > t || next_sample_ == kNoMoreSamples) return;
  next_sample_ = skip_quiet_samples(next_sample_, t, sample_period_, metrics_.max_points);
  while (next_sample_ <= t) {
    if (next_sample_ > now_) now_ = next_sample_;
    for (auto& fn : samplers_) fn(*this);
    if (next_sample_ > std::numeric_limits<Time>::max() - sample_period_) {
      next_sample_ = kNoMoreSamples;
      break;
    }
    next_sample_ += sample_period_;
  }
}

uint64_t World::run_events(uint64_t n) {
  uint64_t done = 0;
  while (done < n && step()) ++done;
  return done;
}

std::optional<Time> World::next_event_time() const {
  if (impl_->queue.empty()) return std::nullopt;
  return impl_->top_time();
}

void World::schedule(Time at, std::function<void(World&)> fn) {
  Impl& im = *impl_;
  uint32_t slot;
  if (!im.callback_free.empty()) {
    slot = im.callback_free.back();
    im.callback_free.pop_back();
    im.callbacks[slot] = std::move(fn);
  } else {
    im.callbacks.push_back(std::move(fn));
    slot = static_cast<uint32_t>(im.callbacks.size() - 1);
  }
  im.push(std::max(at, now_), kCallback, slot, -1, 0);
}

// ============================================================================================
// World: views
// ============================================================================================

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

// ============================================================================================
// Commands
// ============================================================================================

const CommandSpec* World::find_command(std::string_view op) const {
  for (const auto& s : specs_)
    if (s.op == op) return &s;
  return nullptr;
}

std::string World::check_arg(const std::string& op, const CommandParam& p, const std::string& v) const {
  const World& w = *this;
  const std::string where = op + ": " + p.name + "=";
  double d = 0;
  int64_t i = 0;
  std::string err;
  if (p.type == "node") {
    if (!w.resolve_node(v, &err)) return op + ": " + err;
  } else if (p.type == "nodes") {
    if (v.empty()) return where + " needs at least one node name";
    for (const auto& name : split(v, ',')) {
      if (!w.resolve_node(trim(name), &err)) return op + ": " + err;
    }
  } else if (p.type == "groups") {
    if (v.empty()) return where + " needs groups like \"n1,n2|n3\"";
    for (const auto& g : split(v, '|')) {
      if (trim(g).empty()) return where + " has an empty group in \"" + v + "\"";
      for (const auto& name : split(g, ',')) {
        if (trim(name).empty()) return where + " has an empty node name in \"" + v + "\"";
        if (!w.resolve_node(trim(name), &err)) return op + ": " + err;
      }
    }
  } else if (p.type == "int") {
    if (!util::parse_int(v, &i)) return where + " must be an integer (got \"" + v + "\")";
  } else if (p.type == "number") {
    if (!util::parse_number(v, &d)) return where + " must be a number (got \"" + v + "\")";
  } else if (p.type == "duration") {
    if (!util::parse_number(v, &d)) return where + " must be a duration in ms (got \"" + v + "\")";
    if (d < 0) return where + " must be >= 0 (got " + v + ")";
  } else if (p.type == "prob") {
    if (!util::parse_number(v, &d)) return where + " must be a probability (got \"" + v + "\")";
    if (d < 0 || d > 1) return where + " must be in [0, 1] (got " + v + ")";
  } else if (p.type == "bool") {
    // util::parse_bool's words but on/off: the handlers read a bool as true, 1 or yes.
    bool b = false;
    if (v == "on" || v == "off" || !util::parse_bool(v, &b))
      return where + " must be true or false (got \"" + v + "\")";
  }
  return "";
}

CommandResult World::apply(const Command& c) {
  const CommandSpec* spec = find_command(c.op);
  if (!spec) {
    std::string names;
    for (const auto& s : specs_) names += (names.empty() ? "" : ", ") + s.op;
    return CommandResult::fail("unknown command \"" + c.op + "\" (commands: " + names + ")");
  }
  for (const auto& [k, v] : c.args) {
    (void)v;
    bool known = false;
    for (const auto& p : spec->params) known = known || p.name == k;
    if (!known) {
      std::string keys;
      for (const auto& p : spec->params) keys += (keys.empty() ? "" : ", ") + p.name;
      return CommandResult::fail(c.op + ": unknown key \"" + k + "\" (keys: " +
                                 (keys.empty() ? std::string("none") : keys) + ")");
    }
  }
  for (const auto& p : spec->params) {
    auto it = c.args.find(p.name);
    if (it == c.args.end()) {
      if (p.required) return CommandResult::fail(c.op + ": missing " + p.name + "= (" + p.help + ")");
      continue;
    }
    std::string err = check_arg(c.op, p, it->second);
    if (!err.empty()) return CommandResult::fail(err);
  }
  CommandResult r = spec->apply(*this, c);
  if (r.ok) {
    log_.push_back({now_, c});
    trace_.record(now_, TraceKind::Command, -1, -1, 0, 0, 0, c.to_text(), {}, 0);
  } else if (r.error.rfind(c.op + ":", 0) != 0) {
    r.error = c.op + ": " + r.error;
  }
  if (impl_->dispatch_depth == 0) impl_->graveyard.clear();
  return r;
}

namespace {

NodeId node_arg(const World& w, const Command& c, const std::string& key) {
  return *w.find_node(c.arg(key));  // validated by apply() before the handler runs
}

double num_arg(const Command& c, const std::string& key, double fallback) {
  double d = fallback;
  auto it = c.args.find(key);
  if (it != c.args.end()) parse_number(it->second, &d);
  return d;
}

}  // namespace

void World::register_builtins() {
  World& w = *this;
  w.register_command({"crash", "Crash a node: its process and volatile state are lost, its disk is kept.",
                      {{"node", "node", true, "the node to crash"}},
                      [](World& world, const Command& c) {
                        const NodeId id = node_arg(world, c, "node");
                        if (world.node(id).status == NodeStatus::Crashed)
                          return CommandResult::fail("crash: node \"" + c.arg("node") + "\" is already crashed");
                        world.crash(id);
                        return CommandResult::success();
                      }});
  w.register_command({"restart", "Restart a node (an up node reboots): after delay_ms it is up with a new process.",
                      {{"node", "node", true, "the node to restart"},
                       {"delay_ms", "duration", false, "time spent restarting", "ms", ">= 0", "0"}},
                      [](World& world, const Command& c) {
                        const NodeId id = node_arg(world, c, "node");
                        if (world.node(id).status == NodeStatus::Restarting)
                          return CommandResult::fail("restart: node \"" + c.arg("node") + "\" is already restarting");
                        world.restart(id, ms_to_us(num_arg(c, "delay_ms", 0)));
                        return CommandResult::success();
                      }});
  w.register_command({"slow", "Slow a node's CPU: factor F makes work take F times longer (1 restores).",
                      {{"node", "node", true, "the node to slow"},
                       {"factor", "number", true, "slow-down factor, > 0 (1 = normal speed)", "x", "> 0, at most 1000000"}},
                      [](World& world, const Command& c) {
                        const double f = num_arg(c, "factor", 1);
                        if (!(f > 0) || f > 1e6)
                          return CommandResult::fail("slow: factor= must be > 0 and <= 1e6 (got " + c.arg("factor") + ")");
                        world.set_cpu_speed(node_arg(world, c, "node"), 1.0 / f);
                        return CommandResult::success();
                      }});
  w.register_command({"partition", "Split the network into groups: messages between groups are dropped.",
                      {{"groups", "groups", true, "groups of nodes, e.g. \"n1,n2|n3,n4\"; unlisted nodes form one more group"}},
                      [](World& world, const Command& c) {
                        std::vector<int> g(world.nodes().size(), -1);
                        int gid = 0;
                        for (const auto& grp : split(c.arg("groups"), '|')) {
                          ++gid;
                          for (const auto& name : split(grp, ',')) {
                            const NodeId id = *world.find_node(trim(name));
                            if (g[static_cast<size_t>(id)] != -1)
                              return CommandResult::fail("partition: node \"" + trim(name) + "\" is listed twice");
                            g[static_cast<size_t>(id)] = gid;
                          }
                        }
                        ++gid;
                        for (auto& x : g)
                          if (x == -1) x = gid;  // the unlisted nodes
                        world.set_partition(std::move(g));
                        return CommandResult::success();
                      }});
  w.register_command({"heal", "Heal every partition.", {},
                      [](World& world, const Command&) {
                        world.heal();
                        return CommandResult::success();
                      }});
  w.register_command(
      {"set_link",
       "Change network links: the default (no from/to/node), both directions between from and to, or every link of node.",
       {{"from", "node", false, "one end of a pair (needs to=)"},
        {"to", "node", false, "the other end of the pair"},
        {"node", "node", false, "every link to and from this node"},
        {"latency_ms", "duration", false, "one-way base latency", "ms", ">= 0"},
        {"jitter_ms", "duration", false, "extra delay, uniform in [0, jitter_ms]", "ms", ">= 0"},
        {"loss", "prob", false, "probability a message is lost", "", "0..1"},
        {"duplicate", "prob", false, "probability a message is delivered twice", "", "0..1"},
        {"reorder", "prob", false, "probability a message is delayed by up to 5 x latency", "", "0..1"},
        {"bandwidth_kbps", "number", false, "link bandwidth (0 = unlimited)", "kbit/s", ">= 0"}},
       [](World& world, const Command& c) {
         const bool has_from = c.args.count("from") > 0, has_to = c.args.count("to") > 0,
                    has_node = c.args.count("node") > 0;
         if (has_from != has_to) return CommandResult::fail("set_link: from= and to= go together");
         if (has_node && has_from) return CommandResult::fail("set_link: give either node= or from=/to=, not both");
         LinkPatch p;
         if (c.args.count("latency_ms")) p.latency_us = ms_to_us(num_arg(c, "latency_ms", 0));
         if (c.args.count("jitter_ms")) p.jitter_us = ms_to_us(num_arg(c, "jitter_ms", 0));
         if (c.args.count("loss")) p.loss = num_arg(c, "loss", 0);
         if (c.args.count("duplicate")) p.duplicate = num_arg(c, "duplicate", 0);
         if (c.args.count("reorder")) p.reorder = num_arg(c, "reorder", 0);
         if (c.args.count("bandwidth_kbps")) {
           const double kbps = num_arg(c, "bandwidth_kbps", 0);
           if (kbps < 0 || kbps > 1e12)
             return CommandResult::fail("set_link: bandwidth_kbps= must be >= 0 (got " + c.arg("bandwidth_kbps") + ")");
           p.bandwidth = static_cast<int64_t>(std::floor(kbps * 1000.0 / 8.0 + 0.5));
           if (kbps > 0 && *p.bandwidth == 0) p.bandwidth = 1;
         }
         if (p.empty())
           return CommandResult::fail(
               "set_link: nothing to set (give latency_ms, jitter_ms, loss, duplicate, reorder or bandwidth_kbps)");
         world.patch_links(has_from ? node_arg(world, c, "from") : kNoNode,
                           has_to ? node_arg(world, c, "to") : kNoNode,
                           has_node ? node_arg(world, c, "node") : kNoNode, &p);
         return CommandResult::success();
       }});
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

}  // namespace topo
