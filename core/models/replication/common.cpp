// Shared pieces of the replication contrasts: message payload hashing/description and the
// client-operation recorder with its measurements (see common.h).
#include "models/replication/common.h"

#include <algorithm>
#include <cstdio>
#include <ostream>

#include "models/kv/linearizability.h"

namespace topo::replication {

// ---- payload --------------------------------------------------------------------------------

namespace {
void hash_cell(Hasher& h, const Cell& c) {
  h.str(c.value);
  h.i64(c.version.major);
  h.i64(c.version.minor);
  h.u64(c.write_id);
}
}  // namespace

void KvMsg::hash_into(Hasher& h) const {
  h.u64(op);
  h.u64(status);
  h.u64(is_read ? 1 : 0);
  h.str(key);
  hash_cell(h, cell);
  h.i64(view);
  h.i64(seq);
  h.i64(hint);
  h.u64(entries.size());
  for (const Entry& e : entries) {
    h.i64(e.seq);
    h.str(e.key);
    hash_cell(h, e.cell);
  }
  h.u64(snapshot ? snapshot->size() + 1 : 0);
  if (snapshot)
    for (const auto& [k, c] : *snapshot) {
      h.str(k);
      hash_cell(h, c);
    }
  h.u64(applied ? applied->size() + 1 : 0);
  if (applied)
    for (uint64_t id : *applied) h.u64(id);
}

std::string KvMsg::describe() const {
  std::string s;
  auto add = [&](const std::string& part) {
    if (!s.empty()) s += ' ';
    s += part;
  };
  if (op) add("op=" + std::to_string(op));
  if (!key.empty()) add((is_read ? "get " : "put ") + key + (cell.value.empty() ? "" : "=" + cell.value));
  if (cell.version != Version{}) add("v=" + cell.version.text());
  if (status == Redirect) add("redirect");
  if (status == Fail) add("fail");
  if (view) add("view=" + std::to_string(view));
  if (seq) add("seq=" + std::to_string(seq));
  if (!entries.empty()) add(std::to_string(entries.size()) + " entries");
  if (snapshot) add("snapshot of " + std::to_string(snapshot->size()) + " keys");
  return s;
}

// ---- recorder -------------------------------------------------------------------------------

uint64_t KvRecorder::invoke(int32_t client, kv::OpKind kind, const std::string& key, const std::string& value,
                            Time now) {
  touch(key);
  return history_.invoke(client, kind, key, value, now);
}

void KvRecorder::write_ok(uint64_t id, Time now, const Version& v) {
  const kv::Op* op = history_.find(id);
  if (!op || op->outcome != kv::Outcome::Unknown || op->complete_us != kv::kNotCompleted) return;
  history_.complete(id, now, "", true);
  touch(op->key);
  ++acked_writes_;
  ++ops_ok_;
  acked_ids_.push_back(id);
  latency_us_.record(now - op->invoke_us);
  latency_ok_us_.record(now - op->invoke_us);
  write_done_.push_back({now, now - op->invoke_us});
  KeyAcks& k = acks_[op->key];
  Version m = k.max_v.empty() ? v : std::max(k.max_v.back(), v);
  k.at.push_back(now);
  k.max_v.push_back(m);
}

void KvRecorder::read_ok(uint64_t id, Time now, const Cell& cell) {
  const kv::Op* op = history_.find(id);
  if (!op || op->outcome != kv::Outcome::Unknown || op->complete_us != kv::kNotCompleted) return;
  history_.complete(id, now, cell.value, true);
  touch(op->key);
  ++ops_ok_;
  ++reads_ok_;
  latency_us_.record(now - op->invoke_us);
  latency_ok_us_.record(now - op->invoke_us);
  read_done_.push_back({now, now - op->invoke_us});
  auto it = acks_.find(op->key);
  if (it == acks_.end()) return;
  const KeyAcks& k = it->second;
  // Newest version acknowledged strictly before the read was invoked.
  auto pos = std::lower_bound(k.at.begin(), k.at.end(), op->invoke_us);
  if (pos == k.at.begin()) return;
  const Version newest = k.max_v[static_cast<size_t>(pos - k.at.begin()) - 1];
  if (cell.version < newest) {
    ++stale_reads_;
    stale_at_.push_back(now);
  }
}

int64_t KvRecorder::stale_reads_since(Time from_us) const {
  return static_cast<int64_t>(stale_at_.end() - std::lower_bound(stale_at_.begin(), stale_at_.end(), from_us));
}

double KvRecorder::recent_median_ms(Time from_us, bool reads) const {
  const auto& done = reads ? read_done_ : write_done_;
  auto first = std::lower_bound(done.begin(), done.end(), std::make_pair(from_us, Time{-1}));
  if (first == done.end()) return 0.0;
  std::vector<Time> lat;
  for (auto it = first; it != done.end(); ++it) lat.push_back(it->second);
  std::nth_element(lat.begin(), lat.begin() + static_cast<std::ptrdiff_t>(lat.size() / 2), lat.end());
  return static_cast<double>((lat[lat.size() / 2] + 500) / 1000);  // whole milliseconds
}

void KvRecorder::fail(uint64_t id, Time now) {
  const kv::Op* op = history_.find(id);
  if (!op || op->outcome != kv::Outcome::Unknown || op->complete_us != kv::kNotCompleted) return;
  history_.fail(id, now);
  touch(op->key);
  ++ops_failed_;
  latency_us_.record(now - op->invoke_us);
}

void KvRecorder::timed_out(uint64_t id, Time now) {
  const kv::Op* op = history_.find(id);
  if (!op || op->outcome != kv::Outcome::Unknown || op->complete_us != kv::kNotCompleted) return;
  ++ops_unknown_;
  latency_us_.record(now - op->invoke_us);
}

double KvRecorder::latency_ms(double q) const {
  if (latency_us_.count() == 0) return 0.0;
  return static_cast<double>(latency_us_.quantile(q)) / 1000.0;
}

double KvRecorder::latency_ok_ms(double q) const {
  if (latency_ok_us_.count() == 0) return 0.0;
  return static_cast<double>(latency_ok_us_.quantile(q)) / 1000.0;
}

void KvRecorder::touch(const std::string& key) {
  ++changes_;
  ++key_changes_[key];
}

const std::vector<std::string>& KvRecorder::violations() const {
  if (checked_at_ == changes_) return violations_;
  checked_at_ = changes_;
  violations_.clear();
  // Only keys whose history changed since their last check are searched again.
  std::map<std::string, std::vector<kv::Op>> stale_keys;
  for (const auto& [key, n] : key_changes_)
    if (key_checks_[key].at != n) stale_keys[key];
  if (!stale_keys.empty())
    for (const kv::Op& op : history_.ops()) {
      auto it = stale_keys.find(op.key);
      if (it != stale_keys.end()) it->second.push_back(op);
    }
  kv::CheckOptions opt;
  opt.max_steps_per_key = 2'000'000;
  for (auto& [key, ops] : stale_keys) {
    kv::CheckResult r = kv::check_linearizable(ops, opt);
    KeyCheck& kc = key_checks_[key];
    kc.at = key_changes_.at(key);
    kc.violation = r.verdict == kv::Verdict::Violation ? "not linearizable: " + r.report() : "";
  }
  for (const auto& [key, kc] : key_checks_)
    if (!kc.violation.empty()) violations_.push_back(kc.violation);
  return violations_;
}

std::string KvRecorder::json_fields() const {
  return "\"ops\":" + std::to_string(history_.size()) + ",\"ops_ok\":" + std::to_string(ops_ok_) +
         ",\"ops_failed\":" + std::to_string(ops_failed_) + ",\"ops_unknown\":" + std::to_string(ops_unknown_) +
         ",\"acked_writes\":" + std::to_string(acked_writes_) + ",\"reads_ok\":" + std::to_string(reads_ok_) +
         ",\"stale_reads\":" + std::to_string(stale_reads_) + ",\"p50_ms\":" + json_number(latency_ms(0.5)) +
         ",\"p99_ms\":" + json_number(latency_ms(0.99));
}

void KvRecorder::report(std::ostream& out, const std::string& model) const {
  out << "{\"model\":" << json_string(model) << "," << json_fields()
      << ",\"violations\":" << violations().size() << ",\"p99_ok_ms\":" << json_number(latency_ok_ms(0.99)) << "}\n";
}

const std::vector<ValueDecl>& kv_client_value_decls() {
  static const std::vector<ValueDecl> decls = value_decl_table({
      {"ops", "count", "", "client operations so far"},
      {"ops_ok", "count", "", "operations answered ok"},
      {"ops_failed", "count", "", "operations that failed"},
      {"ops_unknown", "count", "", "operations the client gave up on (outcome unknown)"},
      {"reads_ok", "count", "", "reads answered ok"},
      {"acked_writes", "count", "", "writes acknowledged to a client"},
      {"stale_reads", "count", "", "reads that returned an older value than an acknowledged write"},
      {"recent_stale_reads", "count", "", "stale reads in the last seconds"},
      {"read_ms", "number", "ms", "median read latency, recent"},
      {"write_ms", "number", "ms", "median write latency, recent"},
      {"violations", "count", "", "safety violations the checker found"},
      {"p50_ms", "number", "ms", "median latency of client operations, failed and given-up ones included (with the time until then)"},
      {"p99_ms", "number", "ms", "99th percentile latency, failed and given-up operations included"},
      {"p50_ok_ms", "number", "ms", "median latency of the successful operations only"},
      {"p99_ok_ms", "number", "ms", "99th percentile latency of the successful operations only"},
  });
  return decls;
}

}  // namespace topo::replication
