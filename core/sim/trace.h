// The trace: every send, delivery, drop, timer, crash, restart and model state change as a
// structured event. A 64-bit FNV-1a hash over a canonical byte encoding of every event is kept
// incrementally (so it covers the whole run even when the stored window is bounded); the
// stored events feed the UI's animation and event log and the JSON-lines export.
#pragma once

#include <cstdint>
#include <deque>
#include <ostream>
#include <string>
#include <string_view>

namespace topo {

/// FNV-1a 64-bit over explicitly encoded little-endian integers and length-prefixed strings.
class Hasher {
 public:
  void bytes(const void* p, size_t n);
  void u64(uint64_t v);
  void i64(int64_t v) { u64(static_cast<uint64_t>(v)); }
  void str(std::string_view s);
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = 1469598103934665603ull;
};

enum class TraceKind : uint8_t {
  Send, Deliver, Drop, Duplicate, Timer, Crash, Restart, Recover, Slow, Partition, Heal,
  Command, Note
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
};

class Trace {
 public:
  /// Keeps at most `capacity` recent events in memory (0 = hash only, nothing stored).
  explicit Trace(size_t capacity = 200000) : capacity_(capacity) {}
  void record(TraceEvent e);
  uint64_t hash() const { return hasher_.value(); }
  uint64_t count() const { return count_; }
  const std::deque<TraceEvent>& events() const { return events_; }
  void set_capacity(size_t n);
  /// Writes one JSON object per line for each stored event.
  void write_jsonl(std::ostream& out) const;
  static std::string to_json(const TraceEvent& e);

 private:
  size_t capacity_;
  uint64_t count_ = 0;
  Hasher hasher_;
  std::deque<TraceEvent> events_;
};

}  // namespace topo
