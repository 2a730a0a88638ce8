// Use-case model for lesson 13 (money-transfer): two-phase commit against a saga with
// compensation (see transfer.h). The processes (client, coordinator, bank, auditor), the model's
// values, the transfer.* Commands and the scenarios `transfer-2pc` and `transfer-saga`, added
// through add_transfer_scenarios(), called from core/catalog/catalog.cpp.
#include "models/usecases/transfer.h"

#include <algorithm>
#include <deque>
#include <ostream>
#include <set>

#include "models/basic/basic.h"
#include "models/builtin_scenarios.h"
#include "util/i18n.h"

namespace topo::usecases {

namespace {

// ---- messages -----------------------------------------------------------------------------------

/// The body of every transfer message; fields a kind does not use stay 0.
struct TxMsg : Payload {
  uint64_t txn = 0;      ///< transfer id (or audit id for reads)
  int64_t amount = 0;    ///< money: a 2PC delta, a saga step's amount, a balance read
  int32_t from = 0;      ///< request: payer bank index
  int32_t to = 0;        ///< request: payee bank index
  bool ok = true;        ///< vote yes / step succeeded / transfer committed
  bool saga = false;     ///< response: which protocol ran it
  bool waited = false;   ///< balance: the read waited for a lock
  void hash_into(Hasher& h) const override {
    h.u64(txn);
    h.i64(amount);
    h.i64(from);
    h.i64(to);
    h.u64((ok ? 1u : 0u) | (saga ? 2u : 0u) | (waited ? 4u : 0u));
  }
  std::string describe() const override {
    return "txn " + std::to_string(txn) + " amount " + std::to_string(amount) + (ok ? "" : " (no)");
  }
};

std::shared_ptr<TxMsg> tx(uint64_t txn, int64_t amount = 0, bool ok = true) {
  auto m = std::make_shared<TxMsg>();
  m->txn = txn;
  m->amount = amount;
  m->ok = ok;
  return m;
}

const TxMsg* body_of(const Message& m) { return dynamic_cast<const TxMsg*>(m.body.get()); }

// Timer and work tags: kind in the top byte, an id below.
constexpr uint64_t kTagShift = 56;
constexpr uint64_t kTagMask = (uint64_t{1} << kTagShift) - 1;
uint64_t tag(uint64_t kind, uint64_t id) { return (kind << kTagShift) | (id & kTagMask); }
uint64_t tag_kind(uint64_t t) { return t >> kTagShift; }
uint64_t tag_id(uint64_t t) { return t & kTagMask; }

std::string money(int64_t v) { return std::to_string(v); }

// ---- the coordinator ------------------------------------------------------------------------------

enum class St : uint8_t { Preparing, Committing, Aborting, Debiting, Crediting, Refunding, Done };

const char* st_name(St s) {
  switch (s) {
    case St::Preparing: return "preparing";
    case St::Committing: return "committing";
    case St::Aborting: return "aborting";
    case St::Debiting: return "debiting";
    case St::Crediting: return "crediting";
    case St::Refunding: return "refunding";
    case St::Done: return "done";
  }
  return "?";
}

/// One transfer in the coordinator's log (on its disk).
struct TxRec {
  bool saga = false;
  int from = 0, to = 1;
  int64_t amount = 0;
  St st = St::Preparing;
  int next = 0;                 ///< 2PC: how many banks (in bank order) voted yes so far
  std::set<int> asked;          ///< 2PC: banks sent a prepare
  std::set<int> acked;          ///< 2PC: banks that acknowledged the decision
  NodeId client = kNoNode;
  bool committed = false;
  bool decision_logged = true;   ///< 2PC: the commit decision is on disk (transfer.log_decision)
  Time phase_started = 0;       ///< when the current step began (for the vote timeout)
  Time last_sent = 0;           ///< for retries
};

struct CoordDisk : Persistent {
  std::map<uint64_t, TxRec> log;
};

constexpr uint64_t kTagRetry = 1;

class Coordinator : public Process {
 public:
  Coordinator(CoordDisk* disk, TransferModel* model) : disk_(disk), model_(model) {}

  void on_start(Ctx& ctx) override {
    // Recovery from the log: 2PC transfers still preparing are aborted (presumed abort); every
    // other unfinished transfer resumes its current step.
    for (auto& [id, r] : disk_->log) {
      if (r.st == St::Done) continue;
      if (r.st == St::Preparing || (r.st == St::Committing && !r.decision_logged)) {
        ctx.note("recover", "txn " + std::to_string(id) + (r.st == St::Preparing ? " was preparing" : " has no logged decision") + ": abort");
        r.st = St::Aborting;
      } else {
        ctx.note("recover", "txn " + std::to_string(id) + " resumes " + st_name(r.st));
      }
      r.phase_started = ctx.now();
      send_step(ctx, id, r);
    }
    ctx.set_timer(model_->config().retry_us / 3, tag(kTagRetry, 0));
  }

  void on_message(Ctx& ctx, const Message& m) override {
    const TxMsg* b = body_of(m);
    if (!b) return;
    if (m.kind == "request") return on_request(ctx, m, *b);
    auto it = disk_->log.find(b->txn);
    if (m.kind == "query") return on_query(ctx, m, it == disk_->log.end() ? nullptr : &it->second, b->txn);
    if (it == disk_->log.end()) return;
    TxRec& r = it->second;
    const int bank = model_->bank_index(m.from);
    if (bank < 0) return;
    if (m.kind == "vote") on_vote(ctx, b->txn, r, bank, b->ok);
    else if (m.kind == "ack") on_ack(ctx, b->txn, r, bank);
    else if (m.kind == "step_ok" || m.kind == "step_fail") on_step(ctx, b->txn, r, bank, m.kind == "step_ok");
  }

  void on_timer(Ctx& ctx, TimerId, uint64_t t) override {
    if (tag_kind(t) != kTagRetry) return;
    const TransferConfig& cfg = model_->config();
    for (auto& [id, r] : disk_->log) {
      if (r.st == St::Done) continue;
      if (r.st == St::Preparing && ctx.now() - r.phase_started >= cfg.vote_timeout_us) {
        ctx.note("vote timeout", "txn " + std::to_string(id) + ": abort");
        decide_abort(ctx, id, r);
        continue;
      }
      if (ctx.now() - r.last_sent >= cfg.retry_us) send_step(ctx, id, r);
    }
    ctx.set_timer(cfg.retry_us / 3, tag(kTagRetry, 0));
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    int64_t active = 0;
    std::string steps;
    for (const auto& [id, r] : disk_->log) {
      if (r.st == St::Done) continue;
      ++active;
      if (steps.size() < 60) steps += (steps.empty() ? "" : ", ") + std::to_string(id) + ":" + st_name(r.st);
    }
    return {{"role", "coordinator"},
            {"protocol", model_->config().saga ? "saga" : "2pc"},
            {"active", std::to_string(active)},
            {"steps", steps.empty() ? "-" : steps},
            {"log", std::to_string(disk_->log.size())}};
  }

 private:
  static int first_bank(const TxRec& r) { return std::min(r.from, r.to); }
  static int second_bank(const TxRec& r) { return std::max(r.from, r.to); }
  static int64_t delta(const TxRec& r, int bank) { return bank == r.from ? -r.amount : r.amount; }

  void on_request(Ctx& ctx, const Message& m, const TxMsg& b) {
    auto it = disk_->log.find(b.txn);
    if (it != disk_->log.end()) {  // a duplicate: answer if finished
      if (it->second.st == St::Done) respond(ctx, b.txn, it->second);
      return;
    }
    const int banks = static_cast<int>(model_->banks().size());
    if (b.from < 0 || b.from >= banks || b.to < 0 || b.to >= banks || b.from == b.to || b.amount <= 0) return;
    TxRec r;
    r.saga = model_->config().saga;
    r.from = b.from;
    r.to = b.to;
    r.amount = b.amount;
    r.client = m.from;
    r.st = r.saga ? St::Debiting : St::Preparing;
    r.phase_started = ctx.now();
    auto& rec = disk_->log[b.txn] = r;
    send_step(ctx, b.txn, rec);
  }

  /// Sends the messages of the transfer's current step (first time or a retry).
  void send_step(Ctx& ctx, uint64_t id, TxRec& r) {
    const auto& banks = model_->banks();
    r.last_sent = ctx.now();
    switch (r.st) {
      case St::Preparing: {
        const int bank = r.next == 0 ? first_bank(r) : second_bank(r);
        r.asked.insert(bank);
        ctx.send(banks[static_cast<size_t>(bank)], "prepare", tx(id, delta(r, bank)));
        break;
      }
      case St::Committing:
        for (int bank : {first_bank(r), second_bank(r)})
          if (!r.acked.count(bank)) ctx.send(banks[static_cast<size_t>(bank)], "commit", tx(id));
        break;
      case St::Aborting:
        for (int bank : r.asked)
          if (!r.acked.count(bank)) ctx.send(banks[static_cast<size_t>(bank)], "abort", tx(id));
        if (r.asked.empty()) finish(ctx, id, r, false, false);
        break;
      case St::Debiting: ctx.send(banks[static_cast<size_t>(r.from)], "debit", tx(id, r.amount)); break;
      case St::Crediting: ctx.send(banks[static_cast<size_t>(r.to)], "credit", tx(id, r.amount)); break;
      case St::Refunding: ctx.send(banks[static_cast<size_t>(r.from)], "refund", tx(id, r.amount)); break;
      case St::Done: break;
    }
  }

  void on_vote(Ctx& ctx, uint64_t id, TxRec& r, int bank, bool yes) {
    if (r.st != St::Preparing) return;
    const int expected = r.next == 0 ? first_bank(r) : second_bank(r);
    if (bank != expected) return;  // a stale vote
    if (!yes) {
      ctx.note("vote no", "txn " + std::to_string(id) + " from " + ctx.world().node(model_->banks()[static_cast<size_t>(bank)]).name);
      decide_abort(ctx, id, r);
      return;
    }
    ++r.next;
    r.phase_started = ctx.now();
    if (r.next < 2) {
      send_step(ctx, id, r);
      return;
    }
    // Every bank voted yes: the decision is written to the log first (unless the seeded bug
    // transfer.log_decision=0 keeps it in memory only).
    r.st = St::Committing;
    r.decision_logged = model_->config().log_decision;
    ctx.note("decide commit", "txn " + std::to_string(id));
    if (model_->take_crash()) {
      ctx.note("crash", "coordinator crashes after deciding txn " + std::to_string(id) + ", before telling the banks");
      ctx.world().crash(ctx.self());  // this process is gone: return at once
      return;
    }
    send_step(ctx, id, r);
  }

  void decide_abort(Ctx& ctx, uint64_t id, TxRec& r) {
    r.st = St::Aborting;
    r.phase_started = ctx.now();
    send_step(ctx, id, r);
  }

  void on_ack(Ctx& ctx, uint64_t id, TxRec& r, int bank) {
    if (r.st != St::Committing && r.st != St::Aborting) return;
    r.acked.insert(bank);
    if (r.st == St::Committing) {
      if (r.acked.count(first_bank(r)) && r.acked.count(second_bank(r))) finish(ctx, id, r, true, false);
    } else {
      bool all = true;
      for (int b : r.asked) all = all && r.acked.count(b);
      if (all) finish(ctx, id, r, false, false);
    }
  }

  void on_step(Ctx& ctx, uint64_t id, TxRec& r, int bank, bool ok) {
    switch (r.st) {
      case St::Debiting:
        if (bank != r.from) return;
        if (!ok) return finish(ctx, id, r, false, false);  // nothing done yet, nothing to undo
        r.st = St::Crediting;
        r.phase_started = ctx.now();
        if (model_->take_crash()) {
          ctx.note("crash", "coordinator crashes after the debit of txn " + std::to_string(id) + ", before the credit");
          ctx.world().crash(ctx.self());
          return;
        }
        send_step(ctx, id, r);
        return;
      case St::Crediting:
        if (bank != r.to) return;
        if (ok) return finish(ctx, id, r, true, false);
        ctx.note("compensate", "txn " + std::to_string(id) + ": credit refused, refund the payer");
        r.st = St::Refunding;
        r.phase_started = ctx.now();
        send_step(ctx, id, r);
        return;
      case St::Refunding:
        if (bank != r.from || !ok) return;
        finish(ctx, id, r, false, true);
        return;
      default: return;
    }
  }

  void on_query(Ctx& ctx, const Message& m, const TxRec* r, uint64_t id) {
    // An in-doubt bank asks for the decision. Unknown transfer: never decided, so abort.
    if (!r || r->st == St::Aborting || (r->st == St::Done && !r->committed)) {
      ctx.send(m.from, "abort", tx(id));
    } else if (r->st == St::Committing || (r->st == St::Done && r->committed)) {
      ctx.send(m.from, "commit", tx(id));
    }
    // Still preparing: no decision yet, no answer.
  }

  void finish(Ctx& ctx, uint64_t id, TxRec& r, bool committed, bool compensated) {
    r.st = St::Done;
    r.committed = committed;
    ctx.note(committed ? "committed" : (compensated ? "compensated" : "aborted"), "txn " + std::to_string(id));
    model_->finished(id, r.saga, committed, compensated, r.from, r.to, r.amount);
    respond(ctx, id, r);
  }

  void respond(Ctx& ctx, uint64_t id, const TxRec& r) {
    if (r.client == kNoNode) return;
    auto b = tx(id, r.amount, r.committed);
    b->saga = r.saga;
    ctx.send(r.client, "response", b);
  }

  CoordDisk* disk_;
  TransferModel* model_;
};

// ---- a bank -----------------------------------------------------------------------------------------

/// A bank's disk: the balance and the transaction log that survive a crash.
struct BankDisk : Persistent {
  int64_t balance = 0;
  std::map<uint64_t, int64_t> prepared;    ///< 2PC: voted yes, decision unknown (holds the lock)
  std::map<uint64_t, bool> decided;        ///< 2PC: txn -> committed?
  std::map<uint64_t, int64_t> applied;     ///< net change each transfer made to the balance
  std::map<std::pair<uint64_t, int>, bool> steps;  ///< saga: (txn, step) -> succeeded?
};

constexpr uint64_t kTagQuery = 2, kTagLease = 3, kTagWork = 4;
constexpr int kStepDebit = 0, kStepCredit = 1, kStepRefund = 2;
constexpr Time kReadLease = 1000 * kMs;

class Bank : public Process {
 public:
  Bank(int index, BankDisk* disk, TransferModel* model) : index_(index), disk_(disk), model_(model) {}

  const BankDisk& disk() const { return *disk_; }
  bool locked_by_txn() const { return lock_ == Lock::Txn; }
  size_t waiting() const { return queue_.size(); }

  void on_start(Ctx& ctx) override {
    // Prepared transactions survive a crash, and so do their locks.
    if (!disk_->prepared.empty()) {
      lock_ = Lock::Txn;
      lock_txn_ = disk_->prepared.begin()->first;
    }
    ctx.set_timer(model_->config().query_us, tag(kTagQuery, 0));
  }

  void on_message(Ctx& ctx, const Message& m) override {
    if (!body_of(m)) return;
    if (try_run(ctx, m)) {
      run_queue(ctx);
      return;
    }
    const TxMsg* b = body_of(m);
    for (const auto& q : queue_)
      if (q.kind == m.kind && q.from == m.from && body_of(q)->txn == b->txn) return;  // already waiting
    queue_.push_back(m);
    if (m.kind == "read") waited_reads_.insert(b->txn);
  }

  void on_timer(Ctx& ctx, TimerId, uint64_t t) override {
    if (tag_kind(t) == kTagQuery) {
      for (const auto& [id, d] : disk_->prepared) {
        (void)d;
        ctx.send(model_->coordinator(), "query", tx(id));
      }
      ctx.set_timer(model_->config().query_us, tag(kTagQuery, 0));
    } else if (tag_kind(t) == kTagLease) {
      if (lock_ == Lock::Read && lease_ == tag_id(t)) {  // the reader vanished: release
        lock_ = Lock::None;
        run_queue(ctx);
      }
    }
  }

  void on_work_done(Ctx& ctx, uint64_t t) override {
    if (tag_kind(t) != kTagWork) return;
    auto it = work_.find(tag_id(t));
    if (it == work_.end()) return;
    const Message m = std::move(it->second);
    work_.erase(it);
    const TxMsg& b = *body_of(m);
    if (m.kind == "prepare") {
      if (disk_->decided.count(b.txn)) {  // aborted while preparing
        release_txn(b.txn);
      } else {
        disk_->prepared[b.txn] = b.amount;
        ctx.note("prepared", "txn " + std::to_string(b.txn) + ": locked, voted yes");
        ctx.send(m.from, "vote", tx(b.txn, b.amount, true));
      }
    } else if (m.kind == "commit") {
      auto p = disk_->prepared.find(b.txn);
      if (p != disk_->prepared.end()) {
        disk_->balance += p->second;
        disk_->applied[b.txn] += p->second;
        disk_->prepared.erase(p);
        disk_->decided[b.txn] = true;
        release_txn(b.txn);
      }
      committing_.erase(b.txn);
      ctx.send(m.from, "ack", tx(b.txn));
    } else {  // a saga step
      const int step = m.kind == "debit" ? kStepDebit : m.kind == "credit" ? kStepCredit : kStepRefund;
      bool ok = true;
      if (step == kStepDebit && disk_->balance < b.amount) ok = false;
      if (step == kStepCredit && model_->take_credit_failure(index_)) ok = false;
      if (ok) {
        const int64_t d = step == kStepDebit ? -b.amount : b.amount;
        disk_->balance += d;
        disk_->applied[b.txn] += d;
      } else {
        ctx.note(step == kStepDebit ? "debit refused" : "credit refused", "txn " + std::to_string(b.txn));
      }
      disk_->steps[{b.txn, step}] = ok;
      in_steps_.erase({b.txn, step});
      ctx.send(m.from, ok ? "step_ok" : "step_fail", tx(b.txn, b.amount, ok));
    }
    run_queue(ctx);
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    std::string lock = "none";
    if (lock_ == Lock::Txn) lock = "txn " + std::to_string(lock_txn_);
    if (lock_ == Lock::Read) lock = "auditor";
    return {{"role", "bank"},
            {"account", index_ == 0 ? "alice" : "bob"},
            {"balance", money(disk_->balance)},
            {"lock", lock},
            {"in_doubt", std::to_string(disk_->prepared.size())},
            {"waiting", std::to_string(queue_.size())}};
  }

 private:
  enum class Lock : uint8_t { None, Txn, Read };

  /// Runs a request now if it can; false when it must wait for a lock (nothing changed then).
  bool try_run(Ctx& ctx, const Message& m) {
    const TxMsg& b = *body_of(m);
    const Time db = model_->config().db_us;
    if (m.kind == "prepare") {
      if (disk_->decided.count(b.txn)) return true;          // already decided: stale
      if (disk_->prepared.count(b.txn)) {                     // a retry: vote again
        ctx.send(m.from, "vote", tx(b.txn, b.amount, true));
        return true;
      }
      if (lock_ == Lock::Txn && lock_txn_ == b.txn) return true;  // being prepared
      if (lock_ != Lock::None) return false;
      const bool funds = b.amount >= 0 || disk_->balance + b.amount >= 0;
      const bool refused = b.amount > 0 && model_->take_credit_failure(index_);
      if (!funds || refused) {
        disk_->decided[b.txn] = false;
        ctx.note("vote no", "txn " + std::to_string(b.txn) + (funds ? ": credit refused" : ": not enough money"));
        ctx.send(m.from, "vote", tx(b.txn, b.amount, false));
        return true;
      }
      lock_ = Lock::Txn;
      lock_txn_ = b.txn;
      start_work(ctx, m, db);
      return true;
    }
    if (m.kind == "commit") {
      if (committing_.count(b.txn)) return true;
      if (!disk_->prepared.count(b.txn)) {  // already applied (a retry) or never prepared
        ctx.send(m.from, "ack", tx(b.txn));
        return true;
      }
      committing_.insert(b.txn);
      start_work(ctx, m, db);
      return true;
    }
    if (m.kind == "abort") {
      for (auto it = queue_.begin(); it != queue_.end();) {
        if (it->kind == "prepare" && body_of(*it)->txn == b.txn) it = queue_.erase(it);
        else ++it;
      }
      if (!disk_->decided.count(b.txn) || disk_->prepared.count(b.txn)) {
        disk_->prepared.erase(b.txn);
        disk_->decided[b.txn] = false;
        release_txn(b.txn);
        ctx.note("aborted", "txn " + std::to_string(b.txn) + ": unlocked");
      }
      ctx.send(m.from, "ack", tx(b.txn));
      return true;
    }
    if (m.kind == "read") {
      if (lock_ == Lock::Txn) return false;
      lock_ = Lock::Read;
      ++lease_;
      ctx.set_timer(kReadLease, tag(kTagLease, lease_));
      auto r = tx(b.txn, disk_->balance);
      r->waited = waited_reads_.count(b.txn) > 0;
      waited_reads_.erase(b.txn);
      ctx.send(m.from, "balance", r);
      return true;
    }
    if (m.kind == "release") {
      if (lock_ == Lock::Read) lock_ = Lock::None;
      for (auto it = queue_.begin(); it != queue_.end();) {
        if (it->kind == "read" && it->from == m.from) it = queue_.erase(it);
        else ++it;
      }
      return true;
    }
    if (m.kind == "debit" || m.kind == "credit" || m.kind == "refund") {
      const int step = m.kind == "debit" ? kStepDebit : m.kind == "credit" ? kStepCredit : kStepRefund;
      auto done = disk_->steps.find({b.txn, step});
      // A retry of a step already run: the same answer (transfer.idempotent_steps=0, a seeded
      // bug, runs it again).
      if (done != disk_->steps.end() && model_->config().idempotent_steps) {
        ctx.send(m.from, done->second ? "step_ok" : "step_fail", tx(b.txn, b.amount, done->second));
        return true;
      }
      if (in_steps_.count({b.txn, step})) return true;
      if (lock_ == Lock::Txn) return false;  // a 2PC transfer holds the account (sagas ignore read locks)
      in_steps_.insert({b.txn, step});
      start_work(ctx, m, db);
      return true;
    }
    return true;  // unknown kinds are ignored
  }

  void start_work(Ctx& ctx, const Message& m, Time cost) {
    const uint64_t id = ++work_seq_;
    work_[id] = m;
    ctx.work(cost, tag(kTagWork, id));
  }

  void release_txn(uint64_t txn) {
    if (lock_ == Lock::Txn && lock_txn_ == txn) lock_ = Lock::None;
    if (lock_ == Lock::None && !disk_->prepared.empty()) {  // another prepared txn (after recovery)
      lock_ = Lock::Txn;
      lock_txn_ = disk_->prepared.begin()->first;
    }
  }

  void run_queue(Ctx& ctx) {
    for (bool progress = true; progress;) {
      progress = false;
      for (auto it = queue_.begin(); it != queue_.end(); ++it) {
        const Message m = *it;
        if (!try_run(ctx, m)) continue;
        // try_run may have edited the queue (abort/release): find and remove this entry.
        for (auto j = queue_.begin(); j != queue_.end(); ++j)
          if (j->id == m.id) {
            queue_.erase(j);
            break;
          }
        progress = true;
        break;
      }
    }
  }

  int index_;
  BankDisk* disk_;
  TransferModel* model_;
  Lock lock_ = Lock::None;
  uint64_t lock_txn_ = 0;
  uint64_t lease_ = 0;
  uint64_t work_seq_ = 0;
  std::deque<Message> queue_;
  std::map<uint64_t, Message> work_;
  std::set<uint64_t> committing_;
  std::set<std::pair<uint64_t, int>> in_steps_;
  std::set<uint64_t> waited_reads_;
};

// ---- the client ------------------------------------------------------------------------------------

constexpr uint64_t kTagArrive = 5, kTagGiveUp = 6;

class Client : public Process {
 public:
  explicit Client(TransferModel* model) : model_(model) {}

  void on_start(Ctx& ctx) override { schedule(ctx); }

  void on_timer(Ctx& ctx, TimerId, uint64_t t) override {
    if (tag_kind(t) == kTagGiveUp) {
      auto it = pending_.find(tag_id(t));
      if (it != pending_.end()) {
        model_->client_timed_out(ctx.now() - it->second);
        pending_.erase(it);
      }
      return;
    }
    if (tag_kind(t) != kTagArrive) return;
    const TransferConfig& cfg = model_->config();
    if (tag_id(t) == 0 && static_cast<int>(pending_.size()) < cfg.max_outstanding) {
      const uint64_t id = model_->next_txn();
      const int banks = static_cast<int>(model_->banks().size());
      auto b = tx(id, 10 * ctx.rng().uniform_int(1, std::max<int64_t>(1, cfg.max_amount / 10)));
      b->from = static_cast<int32_t>(ctx.rng().uniform_int(0, banks - 1));
      b->to = (b->from + 1) % banks;
      pending_[id] = ctx.now();
      model_->client_sent();
      ctx.send(model_->coordinator(), "request", b);
      ctx.set_timer(cfg.client_timeout_us, tag(kTagGiveUp, id));
    }
    schedule(ctx);
  }

  void on_message(Ctx& ctx, const Message& m) override {
    const TxMsg* b = body_of(m);
    if (!b || m.kind != "response") return;
    auto it = pending_.find(b->txn);
    if (it == pending_.end()) return;
    model_->client_latency(b->saga, ctx.now() - it->second);
    pending_.erase(it);
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    return {{"role", "client"}, {"waiting_for", std::to_string(pending_.size())}};
  }

 private:
  void schedule(Ctx& ctx) {
    const double rate = model_->config().rate_per_sec;
    if (rate <= 0) {
      ctx.set_timer(200 * kMs, tag(kTagArrive, 1));  // idle: look again later, send nothing
      return;
    }
    ctx.set_timer(std::max<Time>(1, static_cast<Time>(ctx.rng().exponential(1e6 / rate))), tag(kTagArrive, 0));
  }

  TransferModel* model_;
  std::map<uint64_t, Time> pending_;
};

// ---- the auditor -------------------------------------------------------------------------------------

constexpr uint64_t kTagAudit = 7, kTagAuditTimeout = 8;

class Auditor : public Process {
 public:
  explicit Auditor(TransferModel* model) : model_(model) {}

  void on_start(Ctx& ctx) override { ctx.set_timer(model_->config().audit_gap_us, tag(kTagAudit, 0)); }

  void on_timer(Ctx& ctx, TimerId, uint64_t t) override {
    if (tag_kind(t) == kTagAudit) {
      begin(ctx);
    } else if (tag_kind(t) == kTagAuditTimeout && tag_id(t) == audit_ && phase_ > 0) {
      model_->audit_timed_out();
      ctx.note("audit timed out", "audit " + std::to_string(audit_));
      end(ctx);
    }
  }

  void on_message(Ctx& ctx, const Message& m) override {
    const TxMsg* b = body_of(m);
    if (!b || m.kind != "balance" || b->txn != audit_ || phase_ == 0) return;
    const auto& banks = model_->banks();
    const size_t at = static_cast<size_t>(phase_ - 1);
    if (at >= banks.size() || m.from != banks[at]) return;
    sum_ += b->amount;
    waited_ = waited_ || b->waited;
    if (at + 1 < banks.size()) {
      ++phase_;
      ctx.send(banks[at + 1], "read", tx(audit_));
      return;
    }
    last_total_ = sum_;
    if (sum_ != model_->expected_money())
      ctx.note("inconsistent read", "total " + money(sum_) + " instead of " + money(model_->expected_money()));
    model_->audit_done(sum_, waited_, ctx.now());
    end(ctx);
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    return {{"role", "auditor"}, {"last_total", last_total_ < 0 ? "-" : money(last_total_)},
            {"reading", phase_ == 0 ? "-" : ctx_bank_name()}};
  }

 private:
  std::string ctx_bank_name() const { return phase_ == 1 ? "bank-a" : "bank-b"; }

  void begin(Ctx& ctx) {
    ++audit_;
    phase_ = 1;
    sum_ = 0;
    waited_ = false;
    model_->set_audit_started(ctx.now());
    ctx.send(model_->banks().front(), "read", tx(audit_));
    ctx.set_timer(model_->config().audit_timeout_us, tag(kTagAuditTimeout, audit_));
  }

  void end(Ctx& ctx) {
    for (NodeId b : model_->banks()) ctx.send(b, "release", tx(audit_));
    phase_ = 0;
    model_->set_audit_started(-1);
    ctx.set_timer(model_->config().audit_gap_us, tag(kTagAudit, 0));
  }

  TransferModel* model_;
  uint64_t audit_ = 0;
  int phase_ = 0;  ///< 0 idle, k = waiting for bank k's balance (1-based)
  int64_t sum_ = 0;
  int64_t last_total_ = -1;
  bool waited_ = false;
};

}  // namespace

// ---- the model ----------------------------------------------------------------------------------------

int TransferModel::bank_index(NodeId id) const {
  for (size_t i = 0; i < banks_.size(); ++i)
    if (banks_[i] == id) return static_cast<int>(i);
  return -1;
}

int64_t TransferModel::balance(int bank) const {
  const auto* d = dynamic_cast<const BankDisk*>(world_->node(banks_[static_cast<size_t>(bank)]).disk.get());
  return d ? d->balance : 0;
}

int64_t TransferModel::total_money() const {
  int64_t t = 0;
  for (size_t i = 0; i < banks_.size(); ++i) t += balance(static_cast<int>(i));
  return t;
}

int64_t TransferModel::in_doubt() const {
  int64_t n = 0;
  for (NodeId b : banks_)
    if (const auto* d = dynamic_cast<const BankDisk*>(world_->node(b).disk.get())) n += static_cast<int64_t>(d->prepared.size());
  return n;
}

bool TransferModel::take_credit_failure(int bank) {
  auto& n = fail_credits_[static_cast<size_t>(bank)];
  if (n <= 0) return false;
  --n;
  return true;
}

void TransferModel::finished(uint64_t txn, bool saga, bool committed, bool compensated, int from, int to,
                             int64_t amount) {
  (committed ? committed_ : aborted_)[saga ? 1 : 0]++;
  if (compensated) ++compensations_;
  // All or nothing: the payer lost exactly what the payee got, and either both moved or neither.
  int64_t d_from = 0, d_to = 0;
  for (size_t i = 0; i < banks_.size(); ++i) {
    const auto* d = dynamic_cast<const BankDisk*>(world_->node(banks_[i]).disk.get());
    auto it = d->applied.find(txn);
    const int64_t v = it == d->applied.end() ? 0 : it->second;
    if (static_cast<int>(i) == from) d_from = v;
    if (static_cast<int>(i) == to) d_to = v;
  }
  const bool ok = committed ? (d_from == -amount && d_to == amount) : (d_from == 0 && d_to == 0);
  if (!ok && violations_.size() < 100)
    violations_.push_back("Atomicity: transfer " + std::to_string(txn) + " (" + (saga ? "saga" : "2pc") + ", " +
                          (committed ? "committed" : "aborted") + ") left payer " + money(d_from) + " and payee " +
                          money(d_to) + " for amount " + money(amount));
}

void TransferModel::audit_done(int64_t total, bool waited, Time now) {
  (void)now;
  ++audits_;
  if (total != expected_money()) ++inconsistent_;
  if (waited) ++reads_blocked_;
}

namespace {
double ms_q(const Histogram& h, double q) { return h.count() ? static_cast<double>(h.quantile(q)) / 1000.0 : 0.0; }
}  // namespace

std::optional<double> TransferModel::value(std::string_view key) const {
  auto d = [](int64_t v) { return std::optional<double>(static_cast<double>(v)); };
  if (key == "transfers") return d(transfers_);
  if (key == "committed") return d(committed_[0] + committed_[1]);
  if (key == "aborted") return d(aborted_[0] + aborted_[1]);
  if (key == "committed.2pc") return d(committed_[0]);
  if (key == "committed.saga") return d(committed_[1]);
  if (key == "aborted.2pc") return d(aborted_[0]);
  if (key == "aborted.saga") return d(aborted_[1]);
  if (key == "compensations") return d(compensations_);
  if (key == "in_doubt") return d(in_doubt());
  if (key == "total_money") return d(total_money());
  if (key == "expected_money") return d(expected_money());
  if (key == "money_in_flight") return d(expected_money() - total_money());
  if (key == "audits") return d(audits_);
  if (key == "inconsistent_reads") return d(inconsistent_);
  if (key == "reads_blocked") return d(reads_blocked_);
  if (key == "audits_timed_out") return d(audits_timed_out_);
  if (key == "audit_wait_ms")
    return audit_started_ < 0 ? 0.0 : static_cast<double>(world_->now() - audit_started_) / 1000.0;
  if (key == "timed_out") return d(timed_out_);
  if (key == "saga_mode") return cfg_.saga ? 1.0 : 0.0;
  if (key == "violations") return d(static_cast<int64_t>(violations_.size()));
  if (key == "p50_ms") return ms_q(all_latency_, 0.5);
  if (key == "p99_ms") return ms_q(all_latency_, 0.99);
  if (key == "p50_ms.2pc") return ms_q(latency_2pc_, 0.5);
  if (key == "p99_ms.2pc") return ms_q(latency_2pc_, 0.99);
  if (key == "p50_ms.saga") return ms_q(latency_saga_, 0.5);
  if (key == "p99_ms.saga") return ms_q(latency_saga_, 0.99);
  if (key == "p50_answered_ms") return ms_q(answered_latency_, 0.5);
  if (key == "p99_answered_ms") return ms_q(answered_latency_, 0.99);
  if (key.rfind("balance.", 0) == 0) {
    auto id = world_->find_node(key.substr(8));
    const int b = id ? bank_index(*id) : -1;
    if (b >= 0) return d(balance(b));
    return std::nullopt;
  }
  if (key == "in_progress") {
    const auto* c = dynamic_cast<const CoordDisk*>(world_->node(coordinator_).disk.get());
    int64_t n = 0;
    for (const auto& [id, r] : c->log) n += r.st != St::Done;
    return d(n);
  }
  if (key == "locks_held" || key == "waiting") {
    int64_t locks = 0, waiting = 0;
    for (NodeId b : banks_) {
      const auto* d = dynamic_cast<const BankDisk*>(world_->node(b).disk.get());
      const auto* p = dynamic_cast<const Bank*>(world_->node(b).process.get());
      if (p) {
        locks += p->locked_by_txn();
        waiting += static_cast<int64_t>(p->waiting());
      } else if (!d->prepared.empty()) {
        ++locks;  // a crashed bank keeps its prepared transactions' locks
      }
    }
    return static_cast<double>(key == "locks_held" ? locks : waiting);
  }
  return std::nullopt;
}

std::vector<ValueDecl> TransferModel::value_decls() const {
  return value_decl_table({
      {"transfers", "count", "", "transfers started"},
      {"committed", "count", "", "transfers committed"},
      {"aborted", "count", "", "transfers aborted"},
      {"committed.2pc", "count", "", "transfers committed by two-phase commit"},
      {"committed.saga", "count", "", "transfers committed by the saga"},
      {"aborted.2pc", "count", "", "transfers aborted by two-phase commit"},
      {"aborted.saga", "count", "", "transfers aborted by the saga"},
      {"compensations", "count", "", "saga compensations run"},
      {"in_doubt", "count", "", "prepared transactions waiting for a decision"},
      {"total_money", "count", "", "money in both banks now"},
      {"expected_money", "count", "", "money the banks should hold"},
      {"money_in_flight", "count", "", "expected_money - total_money (debited, not yet credited)"},
      {"audits", "count", "", "audits done"},
      {"inconsistent_reads", "count", "", "audits that saw a wrong total"},
      {"reads_blocked", "count", "", "audit reads blocked by locks"},
      {"audits_timed_out", "count", "", "audits that gave up"},
      {"audit_wait_ms", "number", "ms", "how long the running audit has waited"},
      {"timed_out", "count", "", "transfers the client gave up on"},
      {"saga_mode", "bool", "", "1 in transfer-saga"},
      {"violations", "count", "", "safety violations the checker found"},
      {"p50_ms", "number", "ms", "median transfer latency, transfers the client gave up on included (with the time until it did)"},
      {"p99_ms", "number", "ms", "99th percentile transfer latency, given-up transfers included"},
      {"p50_ms.2pc", "number", "ms", "median latency of the 2PC transfers, given-up ones included"},
      {"p99_ms.2pc", "number", "ms", "99th percentile latency of the 2PC transfers, given-up ones included"},
      {"p50_ms.saga", "number", "ms", "median latency of the saga transfers, given-up ones included"},
      {"p99_ms.saga", "number", "ms", "99th percentile latency of the saga transfers, given-up ones included"},
      {"p50_answered_ms", "number", "ms", "median latency of the transfers the client got an answer for (committed or aborted) only"},
      {"p99_answered_ms", "number", "ms", "99th percentile latency of the answered transfers only"},
      {"balance.<node>", "count", "", "a bank's balance"},
      {"in_progress", "count", "", "transfers the coordinator has not finished"},
      {"locks_held", "count", "", "locks the banks hold"},
      {"waiting", "count", "", "requests waiting for a lock"},
  });
}

std::string TransferModel::state_json() const {
  std::string s = "{\"model\":\"transfer\",\"protocol\":\"" + std::string(cfg_.saga ? "saga" : "2pc") + "\"";
  for (const char* k : {"transfers", "committed", "aborted", "compensations", "in_progress", "in_doubt", "locks_held",
                        "waiting", "total_money", "expected_money", "audits", "inconsistent_reads", "reads_blocked",
                        "timed_out", "violations"})
    s += ",\"" + std::string(k) + "\":" + std::to_string(static_cast<int64_t>(value(k).value_or(0)));
  return s + "}";
}

void TransferModel::report_metrics(std::ostream& out) const { out << state_json() << "\n"; }

// ---- building -------------------------------------------------------------------------------------------

std::string build_transfer(World& w, const TransferConfig& cfg) {
  auto* model = static_cast<TransferModel*>(w.add_model(std::make_unique<TransferModel>(cfg)));
  model->world_ = &w;
  model->client_ = w.add_node("client", "client", [model](NodeId, Persistent*) { return std::make_unique<Client>(model); });
  model->coordinator_ = w.add_node(
      "coordinator", "coordinator",
      [model](NodeId, Persistent* d) { return std::make_unique<Coordinator>(static_cast<CoordDisk*>(d), model); },
      std::make_unique<CoordDisk>());
  for (int i = 0; i < 2; ++i) {
    auto disk = std::make_unique<BankDisk>();
    disk->balance = cfg.balance;
    const std::string name = i == 0 ? "bank-a" : "bank-b";
    model->banks_.push_back(w.add_node(
        name, "service:" + name,
        [model, i](NodeId, Persistent* d) { return std::make_unique<Bank>(i, static_cast<BankDisk*>(d), model); },
        std::move(disk)));
  }
  model->fail_credits_.assign(model->banks_.size(), 0);
  model->auditor_ =
      w.add_node("auditor", "client:auditor", [model](NodeId, Persistent*) { return std::make_unique<Auditor>(model); });

  w.register_command({"transfer.mode", N_("Run new transfers with two-phase commit (2pc) or as a saga (saga)."),
                      {{"mode", "string", true, N_("2pc or saga")}},
                      [model](World&, const Command& c) {
                        const std::string m = c.arg("mode");
                        if (m != "2pc" && m != "saga")
                          return CommandResult::fail("mode= must be 2pc or saga (got \"" + m + "\")");
                        model->config().saga = m == "saga";
                        return CommandResult::success();
                      }});
  w.register_command({"transfer.fail", N_("Make a bank refuse the next credits (money arriving): 2PC votes no, a saga compensates."),
                      {{"bank", "node", true, N_("the bank (bank-a or bank-b)")},
                       {"count", "int", false, N_("how many credits to refuse (default 1; 0 clears)"), "", "", "1"}},
                      [model](World& world, const Command& c) {
                        const int b = model->bank_index(*world.find_node(c.arg("bank")));
                        if (b < 0) return CommandResult::fail("bank= must be bank-a or bank-b (got \"" + c.arg("bank") + "\")");
                        int64_t n = 1;
                        if (c.args.count("count") && (!parse_int(c.arg("count"), &n) || n < 0 || n > 1000))
                          return CommandResult::fail("count= must be an integer in [0, 1000] (got " + c.arg("count") + ")");
                        model->set_failures(b, n);
                        return CommandResult::success();
                      }});
  w.register_command({"transfer.crash_coordinator",
                      N_("Crash the coordinator in the middle of the next transfer: in 2PC after every bank voted yes "
                      "(before it sends the decision), in a saga after the debit (before the credit)."),
                      {{"on", "bool", false, N_("true to arm (default), false to disarm")}},
                      [model](World&, const Command& c) {
                        const std::string v = c.arg("on", "true");
                        model->arm_crash(v == "true" || v == "1" || v == "yes");
                        return CommandResult::success();
                      }});
  w.register_command({"transfer.set", N_("Change the client's transfer rate."),
                      {{"rate", "number", true, N_("transfers per second (0 stops the client)")}},
                      [model](World&, const Command& c) {
                        double r = 0;
                        if (!parse_number(c.arg("rate"), &r) || r < 0 || r > 1000)
                          return CommandResult::fail("rate= must be a number in [0, 1000] (got " + c.arg("rate") + ")");
                        model->config().rate_per_sec = r;
                        return CommandResult::success();
                      }});
  return "";
}

namespace {

std::string build_transfer_scenario(World& w, const Params& p, bool saga) {
  basic::ParamReader r(p, {"rate", "balance", "max_amount", "db_ms", "latency_ms", "jitter_ms", "vote_timeout_ms",
                           "retry_ms", "audit_gap_ms", "transfer.log_decision",
                           "transfer.idempotent_steps"});
  TransferConfig cfg;
  cfg.saga = saga;
  cfg.rate_per_sec = r.number("rate", 4, 0, 1000);
  cfg.balance = r.integer("balance", 1000, 0, 1000000000);
  cfg.max_amount = r.integer("max_amount", 200, 10, 1000000);
  cfg.db_us = static_cast<Time>(r.number("db_ms", 10, 0, 60000) * 1000);
  cfg.vote_timeout_us = static_cast<Time>(r.number("vote_timeout_ms", 1000, 1, 600000) * 1000);
  cfg.retry_us = static_cast<Time>(r.number("retry_ms", 300, 3, 600000) * 1000);
  cfg.audit_gap_us = static_cast<Time>(r.number("audit_gap_ms", 20, 1, 600000) * 1000);
  cfg.log_decision = r.integer("transfer.log_decision", 1, 0, 1) == 1;
  cfg.idempotent_steps = r.integer("transfer.idempotent_steps", 1, 0, 1) == 1;
  LinkParams link;
  link.latency_us = static_cast<Time>(r.number("latency_ms", 5, 0, 60000) * 1000);
  link.jitter_us = static_cast<Time>(r.number("jitter_ms", 2, 0, 60000) * 1000);
  if (!r.error().empty()) return r.error();
  w.set_default_link(link);
  return build_transfer(w, cfg);
}

}  // namespace

}  // namespace topo::usecases

namespace topo {

void add_transfer_scenarios(std::vector<ScenarioInfo>& v) {
  v.push_back({"transfer-2pc", N_("Money transfer between two banks with two-phase commit; an auditor checks the total"),
               [](World& w, const Params& p) { return usecases::build_transfer_scenario(w, p, false); }});
  v.push_back({"transfer-saga",
               N_("Money transfer between two banks as a saga that undoes its steps; an auditor checks the total"),
               [](World& w, const Params& p) { return usecases::build_transfer_scenario(w, p, true); }});
  const std::vector<ParamDecl> decls = {
      {"rate", "number", "1/s", "0..1000", "4", "transfers per second"},
      {"balance", "int", "", "0..1000000000", "1000", "each bank account's starting balance"},
      {"max_amount", "int", "", "10..1000000", "200", "largest amount of one transfer"},
      {"db_ms", "number", "ms", "0..60000", "10", "a bank's database time per step"},
      {"latency_ms", "number", "ms", "0..60000", "5", "one-way network latency"},
      {"jitter_ms", "number", "ms", "0..60000", "2", "extra random delay"},
      {"vote_timeout_ms", "number", "ms", "1..600000", "1000", "2PC: the coordinator aborts after waiting this long for votes"},
      {"retry_ms", "number", "ms", "3..600000", "300", "a step with no answer is retried after this"},
      {"audit_gap_ms", "number", "ms", "1..600000", "20", "the auditor's pause between reading the two banks"},
      {"transfer.log_decision", "int", "", "0..1", "1", "0: a seeded bug, the commit decision is not logged"},
      {"transfer.idempotent_steps", "int", "", "0..1", "1", "0: a seeded bug, a retried saga step runs again"},
  };
  v[v.size() - 2].params = decls;
  v.back().params = decls;
}

}  // namespace topo

namespace topo::usecases {

std::span<const Model::Word> TransferModel::words() const {
  static constexpr Model::Word kWords[] = {
      // Messages.
      {"credit", N_("credit")}, {"debit", N_("debit")}, {"balance", N_("balance")}, {"step_ok", N_("step done")},
      {"step_fail", N_("step failed")}, {"vote", N_("vote (yes or no)")},
      // Roles and values in the Inspector.
      {"coordinator", N_("coordinator")}, {"bank", N_("bank")}, {"auditor", N_("auditor")}, {"saga", N_("saga")},
      {"2pc", N_("two-phase commit")},
  };
  return kWords;
}

}  // namespace topo::usecases
