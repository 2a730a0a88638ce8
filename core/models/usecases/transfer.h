// Use case "a money transfer" (lesson 13a): a client moves money from an account at one bank to
// an account at another bank through a coordinator, either with two-phase commit (2PC: the
// distributed-transaction answer) or with a saga (the microservices answer: one local
// transaction per service, undone by a compensating action on failure).
//
// Nodes: `client` (sends transfers), `coordinator` (runs each transfer), `bank-a` (account of
// alice), `bank-b` (account of bob), `auditor` (reads both balances over and over and checks
// that the total money is unchanged). Every interaction is a message.
//
// 2PC: the coordinator asks the banks in a fixed order (bank-a, then bank-b) to *prepare*: a
// bank that can do its part locks the account, writes the change to its log without applying it
// and votes yes; a bank that cannot (no funds, refused credit) votes no. All yes: the
// coordinator writes "commit" to its log and tells both; any no: "abort". Locks are held from
// prepare to the decision, so nobody (not the auditor, not another transfer) sees a half-done
// transfer. A prepared bank may not decide alone: if the coordinator crashes after the votes,
// the banks stay *in doubt*, holding their locks and asking the coordinator ("query" messages)
// until it restarts, reads its log and finishes the transfer. A coordinator that restarts with a
// transfer still preparing aborts it (presumed abort).
//
// Saga: the coordinator runs local transactions one after another: debit the payer's bank,
// then credit the payee's bank. Each commits at once, no locks are held between steps, so the
// banks never block, but a reader in between sees the money gone from one account and not yet
// in the other (the auditor counts these *inconsistent reads*). If the credit fails, the
// coordinator runs the compensating action: a refund to the payer. The coordinator logs each
// step; after a crash it resumes where it was.
//
// The auditor reads bank-a then bank-b and releases its read locks after both (two-phase
// locking with one global lock order, so it cannot deadlock with 2PC, which locks in the same
// order). 2PC locks block its reads; saga steps ignore read locks (sagas give no isolation).
//
// Model values (value(key)):
//   transfers           transfers the client sent
//   committed, aborted  transfers finished (also committed.2pc, committed.saga, aborted.2pc, ...)
//   compensations       saga refunds run after a failed credit
//   in_progress         transfers the coordinator has started and not finished
//   in_doubt            prepared 2PC transactions the banks hold without knowing the decision
//   locks_held          accounts locked by a 2PC transaction
//   waiting             requests queued at the banks behind a lock
//   total_money, expected_money, money_in_flight (= expected - total), balance.bank-a, balance.bank-b
//   audits, inconsistent_reads (audits whose total was wrong), reads_blocked (audits that had to
//   wait for a lock), audits_timed_out, audit_wait_ms (age of the audit in progress)
//   timed_out           transfers the client gave up waiting for
//   p50_ms, p99_ms      client latency of finished transfers (also p50_ms.2pc, p99_ms.saga, ...)
//   saga_mode           1 when new transfers run as sagas, 0 for 2PC
//   violations          finished transfers whose effects are not all-or-nothing (never expected)
// Commands: `transfer.mode mode=2pc|saga`, `transfer.fail bank=NAME [count=N]` (the next N credits
// at that bank are refused), `transfer.crash_coordinator [on=BOOL]` (the coordinator crashes in
// the middle of the next transfer: in 2PC after every bank voted yes and it logged commit, before
// it tells anyone; in a saga after the debit, before the credit), `transfer.set rate=N`.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.h"
#include "sim/metrics.h"

namespace topo::usecases {

struct TransferConfig {
  bool saga = false;               ///< protocol of new transfers
  double rate_per_sec = 4.0;       ///< client transfers per second (Poisson)
  int64_t balance = 1000;          ///< starting balance of each account
  int64_t max_amount = 200;        ///< amounts are 10..max_amount in steps of 10
  Time db_us = 10 * kMs;           ///< CPU time of one local transaction at a bank
  Time retry_us = 300 * kMs;       ///< coordinator resends an unanswered step after this
  Time vote_timeout_us = 1000 * kMs;  ///< 2PC: abort when a vote takes longer
  Time client_timeout_us = 3000 * kMs;
  Time audit_gap_us = 20 * kMs;    ///< pause between two audits
  Time audit_timeout_us = 3000 * kMs;
  Time query_us = 300 * kMs;       ///< an in-doubt bank asks the coordinator this often
  int max_outstanding = 8;         ///< client transfers in flight at most
  /// 2PC: the coordinator writes its commit decision to its log before telling any bank. Off
  /// (`transfer.log_decision=0`, a seeded bug for fault campaigns), a coordinator that crashes
  /// after telling one bank forgets the decision and aborts on restart (presumed abort), while
  /// that bank has committed: the transfer is no longer all-or-nothing.
  bool log_decision = true;
  /// Saga: a bank remembers the saga steps it ran and answers a retried step (the coordinator
  /// resends one it got no answer to, the network may duplicate one) without running it again.
  /// Off (`transfer.idempotent_steps=0`, a seeded bug for fault campaigns), a retried debit,
  /// credit or refund moves the money again: the transfer is no longer all-or-nothing.
  bool idempotent_steps = true;
};

class TransferModel : public Model {
 public:
  std::span<const Word> words() const override;
  explicit TransferModel(TransferConfig cfg) : cfg_(cfg) {}
  std::string name() const override { return "transfer"; }
  void report_metrics(std::ostream& out) const override;
  std::vector<std::string> violations() const override { return violations_; }
  std::string state_json() const override;
  std::optional<double> value(std::string_view key) const override;
  std::vector<ValueDecl> value_decls() const override;

  TransferConfig& config() { return cfg_; }
  const TransferConfig& config() const { return cfg_; }
  NodeId client() const { return client_; }
  NodeId coordinator() const { return coordinator_; }
  NodeId auditor() const { return auditor_; }
  const std::vector<NodeId>& banks() const { return banks_; }
  /// Index of a bank node in banks(), -1 if not a bank.
  int bank_index(NodeId id) const;
  /// Current balance on a bank's disk.
  int64_t balance(int bank) const;
  int64_t expected_money() const { return cfg_.balance * static_cast<int64_t>(banks_.size()); }
  int64_t total_money() const;
  int64_t in_doubt() const;

  // ---- bookkeeping called by the processes ----
  uint64_t next_txn() { return ++txn_seq_; }
  /// A credit at `bank` should be refused (consumes one armed failure); false otherwise.
  bool take_credit_failure(int bank);
  bool take_crash() {
    const bool armed = crash_armed_;
    crash_armed_ = false;
    return armed;
  }
  /// A transfer finished at the coordinator; checks all-or-nothing on the banks' disks.
  void finished(uint64_t txn, bool saga, bool committed, bool compensated, int from, int to, int64_t amount);
  /// The client got its answer (committed or aborted) `us` after sending.
  void client_latency(bool saga, Time us) {
    (saga ? latency_saga_ : latency_2pc_).record(us);
    all_latency_.record(us);
    answered_latency_.record(us);
  }
  void client_sent() { ++transfers_; }
  /// The client gave up on a transfer `us` after sending: the percentiles count it with that time
  /// (so p99 rises when transfers stall, never falls); the answered-only figures leave it out.
  void client_timed_out(Time us) {
    ++timed_out_;
    (cfg_.saga ? latency_saga_ : latency_2pc_).record(us);
    all_latency_.record(us);
  }
  void audit_done(int64_t total, bool waited, Time now);
  void audit_timed_out() { ++audits_timed_out_; }
  void set_audit_started(Time t) { audit_started_ = t; }

  // ---- commands ----
  bool crash_armed() const { return crash_armed_; }
  void arm_crash(bool on) { crash_armed_ = on; }
  void set_failures(int bank, int64_t count) { fail_credits_[static_cast<size_t>(bank)] = count; }

 private:
  friend std::string build_transfer(World& w, const TransferConfig& cfg);
  TransferConfig cfg_;
  World* world_ = nullptr;
  NodeId client_ = kNoNode, coordinator_ = kNoNode, auditor_ = kNoNode;
  std::vector<NodeId> banks_;
  std::vector<int64_t> fail_credits_;
  bool crash_armed_ = false;
  uint64_t txn_seq_ = 0;
  int64_t transfers_ = 0, timed_out_ = 0;
  int64_t committed_[2] = {0, 0}, aborted_[2] = {0, 0};  ///< [0] 2PC, [1] saga
  int64_t compensations_ = 0;
  int64_t audits_ = 0, inconsistent_ = 0, reads_blocked_ = 0, audits_timed_out_ = 0;
  Time audit_started_ = -1;
  Histogram latency_2pc_, latency_saga_, all_latency_, answered_latency_;
  std::vector<std::string> violations_;
};

/// Builds the transfer world into `w` (not started): nodes, the model and the transfer.*
/// Commands. Returns an error message or "".
std::string build_transfer(World& w, const TransferConfig& cfg);

}  // namespace topo::usecases
