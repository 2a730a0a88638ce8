// The trace: the incremental hash over a canonical encoding of every event, the bounded window of
// stored events the UI animates, and the JSON-lines export (one object per event).
#include "sim/trace.h"

#include <cstring>

#include "util/json.h"

namespace topo {

const char* to_string(TraceKind k) {
  switch (k) {
    case TraceKind::Send: return "send";
    case TraceKind::Deliver: return "deliver";
    case TraceKind::Drop: return "drop";
    case TraceKind::Duplicate: return "duplicate";
    case TraceKind::Timer: return "timer";
    case TraceKind::Crash: return "crash";
    case TraceKind::Restart: return "restart";
    case TraceKind::Recover: return "recover";
    case TraceKind::Slow: return "slow";
    case TraceKind::Partition: return "partition";
    case TraceKind::Heal: return "heal";
    case TraceKind::Command: return "command";
    case TraceKind::Note: return "note";
    case TraceKind::Work: return "work";
  }
  return "?";
}

void Trace::record(TraceEvent e) {
  hash_event(e.t, e.kind, e.node, e.peer, e.msg, e.sent_at, e.deliver_at, e.what, e.detail, e.value);
  ++count_;
  if (sink_) *sink_ << to_json(e) << '\n';
  if (capacity_ == 0) return;
  if (events_.size() >= capacity_) events_.pop_front();
  events_.push_back(std::move(e));
}

void Trace::record_described(TraceEvent e, std::string_view hashed_detail) {
  hash_event(e.t, e.kind, e.node, e.peer, e.msg, e.sent_at, e.deliver_at, e.what, hashed_detail, e.value);
  ++count_;
  if (sink_) *sink_ << to_json(e) << '\n';
  if (capacity_ == 0) return;
  if (events_.size() >= capacity_) events_.pop_front();
  events_.push_back(std::move(e));
}

void Trace::record_stored(int64_t t, TraceKind kind, int32_t node, int32_t peer, uint64_t msg,
                          int64_t sent_at, int64_t deliver_at, std::string_view what,
                          std::string_view detail, uint64_t value) {
  TraceEvent e;
  e.t = t;
  e.kind = kind;
  e.node = node;
  e.peer = peer;
  e.msg = msg;
  e.sent_at = sent_at;
  e.deliver_at = deliver_at;
  e.what = std::string(what);
  e.detail = std::string(detail);
  e.value = value;
  record(std::move(e));
}

void Trace::set_capacity(size_t n) {
  capacity_ = n;
  while (events_.size() > capacity_) events_.pop_front();
}

void Trace::write_jsonl(std::ostream& out) const {
  for (const auto& e : events_) out << to_json(e) << '\n';
}

std::string Trace::to_json(const TraceEvent& e) {
  std::string s;
  s.reserve(128);
  s += "{\"t\":";
  s += std::to_string(e.t);
  s += ",\"kind\":\"";
  s += to_string(e.kind);
  s += '"';
  if (e.node >= 0) { s += ",\"node\":"; s += std::to_string(e.node); }
  if (e.peer >= 0) { s += ",\"peer\":"; s += std::to_string(e.peer); }
  const bool message = e.kind == TraceKind::Send || e.kind == TraceKind::Deliver ||
                       e.kind == TraceKind::Drop || e.kind == TraceKind::Duplicate;
  if (message || e.msg != 0) { s += ",\"msg\":"; s += std::to_string(e.msg); }
  if (message) {
    s += ",\"sent_at\":"; s += std::to_string(e.sent_at);
    s += ",\"deliver_at\":"; s += std::to_string(e.deliver_at);
  }
  if (e.value != 0) { s += ",\"value\":"; s += std::to_string(e.value); }
  if (!e.what.empty()) { s += ",\"what\":"; util::json_quote_to(s, e.what); }
  if (!e.detail.empty()) { s += ",\"detail\":"; util::json_quote_to(s, e.detail); }
  s += '}';
  return s;
}

}  // namespace topo
