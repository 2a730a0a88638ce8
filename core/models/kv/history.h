// Client operation histories for key-value stores: what each client asked for (invoke), what it
// was told (complete / fail) and when, in simulated microseconds. Every replicated store in
// core/models records one, the linearizability checker (linearizability.h) reads it, and
// `topolab-cli run --history FILE` / `check-history FILE` exchange it as JSON lines, one op per
// line:
//   {"id":3,"client":1,"kind":"write","key":"x","value":"7","invoke_us":1200,"complete_us":3400,"outcome":"ok"}
//   {"id":4,"client":2,"kind":"read","key":"x","value":"7","invoke_us":1500,"complete_us":2000,"outcome":"ok"}
//   {"id":5,"client":0,"kind":"cas","key":"x","expected":"7","value":"8","invoke_us":3500,"complete_us":null,"outcome":"unknown"}
// Values are strings; the empty string is the initial value of every key ("not found"), so a read
// of a key nobody wrote returns "". Outcomes: ok = happened with the recorded result; failed =
// definitely did not happen (the store said so before doing anything); unknown = the client
// timed out or never heard back, so the op may or may not have taken effect.
#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "util/format.h"

namespace topo::kv {

enum class OpKind : uint8_t {
  Read,   ///< returns the key's value (in Op::value)
  Write,  ///< sets the key to Op::value
  Cas,    ///< compare-and-set: if the key holds Op::expected, set it to Op::value
};

enum class Outcome : uint8_t {
  Ok,       ///< completed; the result is in the op
  Failed,   ///< definitely did not take effect
  Unknown,  ///< may or may not have taken effect (timeout, crash, never answered)
};

const char* to_string(OpKind k);
const char* to_string(Outcome o);

constexpr int64_t kNotCompleted = -1;  ///< Op::complete_us of an op that never completed

/// One client operation.
struct Op {
  uint64_t id = 0;        ///< unique within a history
  int32_t client = 0;     ///< the client (process) that issued it
  OpKind kind = OpKind::Read;
  std::string key;
  std::string value;      ///< written value (write/cas) or the value returned (read)
  std::string expected;   ///< cas only: the value compared against
  bool swapped = true;    ///< cas only, when ok: whether the compare matched and the set happened
  int64_t invoke_us = 0;  ///< simulated time the client sent it
  int64_t complete_us = kNotCompleted;  ///< time the client learned the outcome (-1 = never)
  Outcome outcome = Outcome::Unknown;
};

/// Formats an op for humans: `#12 client 3 write x=1 [1.250 ms, 2.000 ms] ok`.
std::string describe(const Op& op);
/// Formats a simulated time in microseconds as milliseconds with three decimals ("1.250 ms").
using util::format_ms;

/// A history: ops in invocation order.
class History {
 public:
  /// Records that `client` sent an op at time `t_us` (microseconds); returns its id. For a read
  /// `value` is ignored (the result comes with complete()); for a cas `expected` is the compared
  /// value and `value` the new one. The op stays Unknown until complete() or fail().
  uint64_t invoke(int32_t client, OpKind kind, std::string key, std::string value, int64_t t_us,
                  std::string expected = "");
  /// The client learned at `t_us` that op `id` completed. `value` is the value a read returned
  /// (ignored for writes and cas). `ok` = true: it took effect (for a cas: the compare matched
  /// and the swap happened). `ok` = false: for a read or write the same as fail(); for a cas the
  /// compare did not match (the op happened, nothing changed). Unknown ids and ops already
  /// completed are ignored (a late duplicate reply).
  void complete(uint64_t id, int64_t t_us, const std::string& value, bool ok = true);
  /// The client learned at `t_us` that op `id` definitely did not happen.
  void fail(uint64_t id, int64_t t_us);
  /// Appends a fully formed op (reading files, tests). Its id must be unique; returns false if not.
  bool add(Op op);

  const std::vector<Op>& ops() const { return ops_; }
  const Op* find(uint64_t id) const;
  size_t size() const { return ops_.size(); }
  bool empty() const { return ops_.empty(); }
  void clear();

  /// Writes one JSON object per op, one per line, in the format described at the top.
  void write_jsonl(std::ostream& out) const;
  /// Reads a JSON-lines history. On bad input returns false and sets `error` to
  /// `FILE:LINE: message` (`file` is the name used in messages). Blank lines are skipped.
  static bool read_jsonl(std::istream& in, const std::string& file, History* out,
                         std::string* error);

 private:
  Op* find_mut(uint64_t id);
  std::vector<Op> ops_;
  std::map<uint64_t, size_t> index_;  ///< id -> position in ops_
  uint64_t next_id_ = 1;
};

}  // namespace topo::kv
