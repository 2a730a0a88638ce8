// Pieces shared by the replication contrasts (primary-backup, leaderless quorum): store versions,
// the client load settings, the message payload, and KvRecorder, which records every client
// operation into a kv::History and measures what the lessons show: acknowledged writes, stale
// reads (a read that returned a version older than a write acknowledged before the read began),
// latency percentiles and linearizability violations (the checker run per key, cached).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "models/kv/history.h"
#include "sim/metrics.h"
#include "sim/world.h"
#include "util/format.h"
#include "util/json.h"

namespace topo::replication {

/// A store version, ordered lexicographically: (view, seq) in primary-backup, (timestamp_us,
/// writer) in the quorum store. {0, 0} is the initial "never written" version.
struct Version {
  int64_t major = 0;
  int64_t minor = 0;
  friend bool operator<(const Version& a, const Version& b) {
    return a.major != b.major ? a.major < b.major : a.minor < b.minor;
  }
  friend bool operator==(const Version& a, const Version& b) { return a.major == b.major && a.minor == b.minor; }
  friend bool operator!=(const Version& a, const Version& b) { return !(a == b); }
  std::string text() const { return std::to_string(major) + "." + std::to_string(minor); }
};

/// One stored key: value, version, and the history id of the write that produced it.
struct Cell {
  std::string value;
  Version version;
  uint64_t write_id = 0;
};

/// The window of the "recent" lesson values (recent_stale_reads, read_ms, write_ms).
constexpr Time kRecentWindow = 2 * kSec;

/// Client load: open-loop Poisson arrivals per client, uniform keys (or one hot key).
struct LoadConfig {
  int clients = 2;
  double rate_per_sec = 20.0;       ///< operations per second per client
  int keys = 5;                     ///< keys k0..k{keys-1}
  double read_fraction = 0.5;
  Time op_timeout_us = 500 * kMs;   ///< no answer by then: the op is recorded as unknown
  int max_outstanding = 16;         ///< per client; arrivals beyond it are skipped (counted)
};

/// The message body of both stores. Fields unused by a message kind stay empty.
struct KvMsg : Payload {
  enum Status : uint8_t { Ok = 0, Redirect = 1, Fail = 2 };
  struct Entry {
    int64_t seq = 0;
    std::string key;
    Cell cell;
  };
  uint64_t op = 0;           ///< client op id (history id)
  uint8_t status = Ok;
  bool is_read = false;
  std::string key;
  Cell cell;                 ///< value written / value read, with its version
  int64_t view = 0;
  int64_t seq = 0;
  NodeId hint = kNoNode;     ///< redirect: who the server thinks the primary is
  std::vector<Entry> entries;                          ///< replication batch
  std::shared_ptr<const std::map<std::string, Cell>> snapshot;  ///< full state transfer
  std::shared_ptr<const std::set<uint64_t>> applied;  ///< with a snapshot: ids of the writes in it
  void hash_into(Hasher& h) const override;
  std::string describe() const override;
};

/// Records client operations and measures them. Owned by a store's Model; clients call it.
class KvRecorder {
 public:
  /// A client (history client number `client`: 1 for node c1, ...) sends an op at `now`;
  /// returns the op id.
  uint64_t invoke(int32_t client, kv::OpKind kind, const std::string& key, const std::string& value, Time now);
  /// A write was acknowledged with the version the store gave it.
  void write_ok(uint64_t id, Time now, const Version& v);
  /// A read returned `cell` (value and version); counts it as stale if a write acknowledged
  /// before the read began has a newer version.
  void read_ok(uint64_t id, Time now, const Cell& cell);
  /// The op definitely did not happen.
  void fail(uint64_t id, Time now);
  /// An op gave up waiting at `now` (stays unknown in the history).
  void timed_out(uint64_t id, Time now);

  const kv::History& history() const { return history_; }
  int64_t acked_writes() const { return acked_writes_; }
  int64_t ops_ok() const { return ops_ok_; }
  int64_t ops_failed() const { return ops_failed_; }
  int64_t ops_unknown() const { return ops_unknown_; }
  int64_t stale_reads() const { return stale_reads_; }
  int64_t reads_ok() const { return reads_ok_; }
  /// Latency in milliseconds at quantile q (0 when none) of every finished op: ok, failed and
  /// timed out, each until its client got the answer, the failure or gave up.
  double latency_ms(double q) const;
  /// The same over the ok ops only (p50_ok_ms, p99_ok_ms).
  double latency_ok_ms(double q) const;
  /// Stale reads among the reads that completed at or after `from_us` (a recent window).
  int64_t stale_reads_since(Time from_us) const;
  /// Median latency (whole ms, rounded) of the ok reads (`reads` true) or writes that completed
  /// at or after `from_us`; 0 when there were none in the window.
  double recent_median_ms(Time from_us, bool reads) const;
  /// Ids of acknowledged writes, in acknowledgement order.
  const std::vector<uint64_t>& acked_write_ids() const { return acked_ids_; }
  /// Linearizability violations, one sentence per violating key (checked lazily, cached until
  /// the history changes).
  const std::vector<std::string>& violations() const;
  /// JSON fields shared by the stores' state_json: "ops_ok":..,"stale_reads":.. (no braces).
  std::string json_fields() const;
  /// Shared metrics lines for report_metrics, each prefixed with `model`.
  void report(std::ostream& out, const std::string& model) const;

 private:
  struct KeyAcks {
    std::vector<Time> at;        ///< ack times, non-decreasing
    std::vector<Version> max_v;  ///< running maximum of acked versions
  };
  kv::History history_;
  std::map<std::string, KeyAcks> acks_;
  std::vector<uint64_t> acked_ids_;
  Histogram latency_us_;      ///< every finished op, failed and timed-out ones included
  Histogram latency_ok_us_;   ///< ok ops only
  std::vector<Time> stale_at_;                     ///< completion times of stale reads
  std::vector<std::pair<Time, Time>> read_done_;   ///< (completion time, latency) of ok reads
  std::vector<std::pair<Time, Time>> write_done_;  ///< (completion time, latency) of ok writes
  int64_t acked_writes_ = 0, ops_ok_ = 0, ops_failed_ = 0, ops_unknown_ = 0, stale_reads_ = 0, reads_ok_ = 0;
  void touch(const std::string& key);
  uint64_t changes_ = 0;
  std::map<std::string, uint64_t> key_changes_;  ///< per key: bumped on every change
  struct KeyCheck {
    uint64_t at = ~uint64_t{0};  ///< key_changes_ value it was computed for
    std::string violation;       ///< empty when linearizable
  };
  mutable std::map<std::string, KeyCheck> key_checks_;
  mutable uint64_t checked_at_ = ~uint64_t{0};
  mutable std::vector<std::string> violations_;
};

/// A double for JSON: fixed 3 decimals, trimmed (util/format.h).
/// The value keys both replicated stores answer about their clients (operations, stale reads,
/// latencies), declared once for primary-backup and quorum.
const std::vector<ValueDecl>& kv_client_value_decls();

inline std::string json_number(double v) { return util::format_fixed_trimmed(v, 3); }
/// A string as a JSON literal, quotes included (util/json.h).
inline std::string json_string(std::string_view s) { return util::json_quote(s); }

}  // namespace topo::replication
