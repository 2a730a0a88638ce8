// The trace: every send, delivery, drop, timer, crash, restart and model state change as a
// structured event. A 64-bit FNV-1a hash over a canonical byte encoding of every event is kept
// incrementally (so it covers the whole run even when the stored window is bounded); the
// stored events feed the UI's animation and event log and the JSON-lines export.
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <ostream>
#include <string>
#include <string_view>

namespace topo {

/// FNV-1a 64-bit, word-wise: each 64-bit word (an integer, or 8 little-endian bytes of a
/// length-prefixed string) is xored in, multiplied by the FNV prime and folded (h ^= h >> 32) so
/// high bits reach the low ones. Same value on every platform (five instructions per word).
class Hasher {
 public:
  // Inline: every trace event hashes through these (the engine's hot path). The steps are static
  // functions on a plain value so that a caller keeps the state in a register across a whole
  // event (hash_event); as a member updated through `this`, WebAssembly stored and reloaded it
  // at every word, because the string bytes read in between might alias it.
  static uint64_t step(uint64_t h, uint64_t v) {
    h = (h ^ v) * 1099511628211ull;
    return h ^ (h >> 32);
  }
  /// Little-endian words, the last one zero-padded. (Both targets are little-endian, so a word
  /// loaded with memcpy is the same value as one assembled byte by byte.)
  static uint64_t step_bytes(uint64_t h, const void* p, size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) h = step(h, load8(b + i));
    if (i < n) h = step(h, load_tail(b + i, n - i));
    return h;
  }
  static uint64_t step_str(uint64_t h, std::string_view s) {
    return step_bytes(step(h, s.size()), s.data(), s.size());
  }

  void bytes(const void* p, size_t n) { h_ = step_bytes(h_, p, n); }
  void u64(uint64_t v) { h_ = step(h_, v); }
  void i64(int64_t v) { u64(static_cast<uint64_t>(v)); }
  void str(std::string_view s) { h_ = step_str(h_, s); }
  uint64_t value() const { return h_; }
  void set_value(uint64_t h) { h_ = h; }

 private:
  static uint64_t load8(const unsigned char* b) {
    uint64_t w;
    std::memcpy(&w, b, 8);
    return w;
  }
  // 1..7 bytes as one zero-padded little-endian word, by at most three fixed-size loads (a
  // variable-length memcpy is a libc call in WebAssembly, a byte loop a chain of branches).
  static uint64_t load_tail(const unsigned char* b, size_t n) {
    uint64_t w = 0;
    size_t at = 0;
    if (n & 4) {
      uint32_t v;
      std::memcpy(&v, b, 4);
      w = v;
      at = 4;
    }
    if (n & 2) {
      uint16_t v;
      std::memcpy(&v, b + at, 2);
      w |= static_cast<uint64_t>(v) << (8 * at);
      at += 2;
    }
    if (n & 1) w |= static_cast<uint64_t>(b[at]) << (8 * at);
    return w;
  }
  uint64_t h_ = 1469598103934665603ull;
};

enum class TraceKind : uint8_t {
  Send, Deliver, Drop, Duplicate, Timer, Crash, Restart, Recover, Slow, Partition, Heal,
  Command, Note,
  Work  ///< a job of ctx.work finished on a node (msg = the job's tag)
};
const char* to_string(TraceKind k);

struct TraceEvent {
  int64_t t = 0;            ///< simulated time (us)
  TraceKind kind = TraceKind::Note;
  int32_t node = -1;        ///< the node it happened on (receiver for Deliver/Drop)
  int32_t peer = -1;        ///< the other node for message events
  uint64_t msg = 0;         ///< message id for message events
  int64_t sent_at = 0;      ///< message events: send time
  int64_t deliver_at = 0;   ///< message events: delivery/drop time
  std::string what;         ///< message kind, note title, command text
  std::string detail;       ///< payload description, note detail, drop reason
  uint64_t value = 0;       ///< message value (Message::value), timer or work tag
};

class Trace {
 public:
  /// Keeps at most `capacity` recent events in memory (0 = hash only, nothing stored).
  explicit Trace(size_t capacity = 200000) : capacity_(capacity) {}
  void record(TraceEvent e);
  /// Same as record() without building a TraceEvent when nothing is stored (the hot path).
  [[gnu::always_inline]] void record(int64_t t, TraceKind kind, int32_t node, int32_t peer,
                                     uint64_t msg, int64_t sent_at, int64_t deliver_at,
                                     std::string_view what, std::string_view detail, uint64_t value) {
    if (storing()) return record_stored(t, kind, node, peer, msg, sent_at, deliver_at, what, detail, value);
    hash_event(t, kind, node, peer, msg, sent_at, deliver_at, what, detail, value);
    ++count_;
  }
  /// Records `e` but hashes `hashed_detail` in place of e.detail (a message's payload text is
  /// stored for people while the payload itself is hashed through Payload::hash_into).
  void record_described(TraceEvent e, std::string_view hashed_detail);
  /// True when events are kept in memory or streamed (callers may then build richer details).
  bool storing() const { return capacity_ > 0 || sink_ != nullptr; }
  size_t capacity() const { return capacity_; }
  /// Streams every recorded event as a JSON line to `out` (null to stop); independent of capacity.
  void set_sink(std::ostream* out) { sink_ = out; }
  /// Mixes extra canonical bytes (a message payload's hash_into) into the trace hash.
  Hasher& hasher() { return hasher_; }
  uint64_t hash() const { return hasher_.value(); }
  uint64_t count() const { return count_; }
  const std::deque<TraceEvent>& events() const { return events_; }
  void set_capacity(size_t n);
  /// Writes one JSON object per line for each stored event.
  void write_jsonl(std::ostream& out) const;
  static std::string to_json(const TraceEvent& e);

 private:
  void record_stored(int64_t t, TraceKind kind, int32_t node, int32_t peer, uint64_t msg,
                     int64_t sent_at, int64_t deliver_at, std::string_view what,
                     std::string_view detail, uint64_t value);
  // Canonical encoding: t, kind|node|peer packed, msg, sent_at, deliver_at, value, what, detail.
  [[gnu::always_inline]] void hash_event(int64_t t, TraceKind kind, int32_t node, int32_t peer,
                                         uint64_t msg, int64_t sent_at, int64_t deliver_at,
                                         std::string_view what, std::string_view detail,
                                         uint64_t value) {
    uint64_t h = hasher_.value();
    h = Hasher::step(h, static_cast<uint64_t>(t));
    h = Hasher::step(h, static_cast<uint64_t>(kind) ^
                            (static_cast<uint64_t>(static_cast<uint32_t>(node)) << 8) ^
                            (static_cast<uint64_t>(static_cast<uint32_t>(peer)) << 32));
    h = Hasher::step(h, msg);
    h = Hasher::step(h, static_cast<uint64_t>(sent_at));
    h = Hasher::step(h, static_cast<uint64_t>(deliver_at));
    h = Hasher::step(h, value);
    h = Hasher::step_str(h, what);
    h = Hasher::step_str(h, detail);
    hasher_.set_value(h);
  }
  size_t capacity_;
  std::ostream* sink_ = nullptr;
  uint64_t count_ = 0;
  Hasher hasher_;
  std::deque<TraceEvent> events_;
};

}  // namespace topo
