// Linearizability checker (see linearizability.h): Porcupine-style Wing & Gong search per key
// with a memo of (linearized set, value), then shrinking of a violation to a small core and a
// readable explanation.
#include "models/kv/linearizability.h"

#include <algorithm>
#include <limits>
#include <map>

namespace topo::kv {

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::Linearizable: return "linearizable";
    case Verdict::Violation: return "violation";
    case Verdict::Inconclusive: return "inconclusive";
  }
  return "?";
}

std::string CheckResult::report() const {
  if (verdict == Verdict::Linearizable) return "linearizable";
  std::string s = explanation;
  if (!ops.empty()) {
    s += "\noffending operations on key " + key + ":";
    for (const Op& op : ops) s += "\n  " + describe(op);
  }
  return s;
}

namespace {

constexpr int64_t kInfinity = std::numeric_limits<int64_t>::max();

uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/// One op of a key's sub-history, with values interned to small integers (0 = initial value).
struct POp {
  OpKind kind = OpKind::Read;
  int32_t value = 0;     ///< written value, or value read
  int32_t expected = 0;  ///< cas
  bool swapped = true;   ///< cas with a known outcome
  bool unknown = false;  ///< may or may not have happened; completion at infinity
  int64_t inv = 0;
  int64_t ret = 0;
  const Op* src = nullptr;
};

/// Applies op `o` to register value `s`; false if the op's observed result is impossible there.
inline bool step(const POp& o, int32_t s, int32_t* ns) {
  switch (o.kind) {
    case OpKind::Read:
      *ns = s;
      return s == o.value;
    case OpKind::Write:
      *ns = o.value;
      return true;
    case OpKind::Cas:
      if (o.unknown) {  // if it happened and matched it set the value; otherwise a no-op
        *ns = s == o.expected ? o.value : s;
        return true;
      }
      if (o.swapped) {
        *ns = o.value;
        return s == o.expected;
      }
      *ns = s;
      return s != o.expected;
  }
  return false;
}

enum class SearchResult { Linearizable, Violation, Budget };

/// Memo of explored (linearized set, value) configurations: open addressing over entry ids,
/// bitsets stored contiguously.
class Memo {
 public:
  explicit Memo(size_t words) : words_(words) { table_.assign(1024, 0); }

  /// Inserts the configuration; false if it was already there.
  bool insert(uint64_t hash, const std::vector<uint64_t>& bits, int32_t state) {
    size_t mask = table_.size() - 1;
    for (size_t i = static_cast<size_t>(hash) & mask;; i = (i + 1) & mask) {
      uint32_t e = table_[i];
      if (e == 0) break;
      size_t idx = e - 1;
      if (hashes_[idx] == hash && states_[idx] == state &&
          std::equal(bits.begin(), bits.end(), arena_.begin() + static_cast<ptrdiff_t>(idx * words_)))
        return false;
    }
    size_t idx = hashes_.size();
    hashes_.push_back(hash);
    states_.push_back(state);
    arena_.insert(arena_.end(), bits.begin(), bits.end());
    if ((idx + 1) * 2 > table_.size()) rehash(table_.size() * 2);
    else place(idx);
    return true;
  }
  size_t size() const { return hashes_.size(); }
  size_t bytes() const { return arena_.size() * 8 + hashes_.size() * 12 + table_.size() * 4; }

 private:
  void place(size_t idx) {
    size_t mask = table_.size() - 1;
    size_t i = static_cast<size_t>(hashes_[idx]) & mask;
    while (table_[i] != 0) i = (i + 1) & mask;
    table_[i] = static_cast<uint32_t>(idx + 1);
  }
  void rehash(size_t n) {
    table_.assign(n, 0);
    for (size_t i = 0; i < hashes_.size(); ++i) place(i);
  }
  size_t words_;
  std::vector<uint32_t> table_;
  std::vector<uint64_t> hashes_;
  std::vector<int32_t> states_;
  std::vector<uint64_t> arena_;
};

struct Limits {
  uint64_t max_steps;
  size_t max_memo_bytes;
};

/// Wing & Gong / Porcupine search over one key's ops. `steps` accumulates the work done.
SearchResult search(const std::vector<POp>& ops, const Limits& lim, uint64_t* steps) {
  const size_t n = ops.size();
  if (n == 0) return SearchResult::Linearizable;
  struct Ev {
    int64_t time;
    bool is_return;
    int32_t op;
  };
  std::vector<Ev> evs;
  evs.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    evs.push_back({ops[i].inv, false, static_cast<int32_t>(i)});
    evs.push_back({std::max(ops[i].ret, ops[i].inv), true, static_cast<int32_t>(i)});
  }
  // Calls before returns at equal times: ops that touch at an instant count as concurrent.
  std::sort(evs.begin(), evs.end(), [](const Ev& a, const Ev& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.is_return != b.is_return) return !a.is_return;
    return a.op < b.op;
  });
  // Doubly linked list of entries; index 2n is the head sentinel.
  const int32_t head = static_cast<int32_t>(2 * n);
  std::vector<int32_t> next(2 * n + 1, -1), prev(2 * n + 1, -1), match(2 * n + 1, -1);
  std::vector<int32_t> op_of(2 * n + 1, -1);
  std::vector<int32_t> call_pos(n, -1);
  std::vector<bool> is_call(2 * n + 1, false);
  for (size_t k = 0; k < evs.size(); ++k) {
    op_of[k] = evs[k].op;
    is_call[k] = !evs[k].is_return;
    if (!evs[k].is_return) call_pos[static_cast<size_t>(evs[k].op)] = static_cast<int32_t>(k);
    else match[static_cast<size_t>(call_pos[static_cast<size_t>(evs[k].op)])] = static_cast<int32_t>(k);
  }
  int32_t last = head;
  for (size_t k = 0; k < evs.size(); ++k) {
    next[static_cast<size_t>(last)] = static_cast<int32_t>(k);
    prev[k] = last;
    last = static_cast<int32_t>(k);
  }
  auto lift = [&](int32_t e) {
    next[static_cast<size_t>(prev[static_cast<size_t>(e)])] = next[static_cast<size_t>(e)];
    if (next[static_cast<size_t>(e)] >= 0) prev[static_cast<size_t>(next[static_cast<size_t>(e)])] = prev[static_cast<size_t>(e)];
    int32_t m = match[static_cast<size_t>(e)];
    next[static_cast<size_t>(prev[static_cast<size_t>(m)])] = next[static_cast<size_t>(m)];
    if (next[static_cast<size_t>(m)] >= 0) prev[static_cast<size_t>(next[static_cast<size_t>(m)])] = prev[static_cast<size_t>(m)];
  };
  auto unlift = [&](int32_t e) {
    int32_t m = match[static_cast<size_t>(e)];
    next[static_cast<size_t>(prev[static_cast<size_t>(m)])] = m;
    if (next[static_cast<size_t>(m)] >= 0) prev[static_cast<size_t>(next[static_cast<size_t>(m)])] = m;
    next[static_cast<size_t>(prev[static_cast<size_t>(e)])] = e;
    if (next[static_cast<size_t>(e)] >= 0) prev[static_cast<size_t>(next[static_cast<size_t>(e)])] = e;
  };

  const size_t words = (n + 63) / 64;
  std::vector<uint64_t> bits(words, 0);
  std::vector<uint64_t> zobrist(n);
  for (size_t i = 0; i < n; ++i) zobrist[i] = splitmix64(i * 2 + 1);
  auto state_mix = [](int32_t s) { return splitmix64(0xA5A5A5A5ull ^ static_cast<uint64_t>(static_cast<uint32_t>(s)) << 20); };
  Memo memo(words);
  struct Frame {
    int32_t entry;
    int32_t state;
    uint64_t hash;
  };
  std::vector<Frame> calls;
  calls.reserve(n);
  int32_t state = 0;
  uint64_t hash = 0;
  int32_t entry = next[static_cast<size_t>(head)];
  uint64_t local_steps = 0;
  SearchResult result = SearchResult::Linearizable;
  while (next[static_cast<size_t>(head)] != -1) {
    if (++local_steps > lim.max_steps || memo.bytes() > lim.max_memo_bytes) {
      result = SearchResult::Budget;
      break;
    }
    const size_t e = static_cast<size_t>(entry);
    if (is_call[e]) {
      const size_t o = static_cast<size_t>(op_of[e]);
      int32_t ns = 0;
      if (step(ops[o], state, &ns)) {
        bits[o / 64] |= uint64_t{1} << (o % 64);
        uint64_t h2 = hash ^ zobrist[o];
        if (memo.insert(h2 ^ state_mix(ns), bits, ns)) {
          calls.push_back({entry, state, hash});
          state = ns;
          hash = h2;
          lift(entry);
          entry = next[static_cast<size_t>(head)];
          continue;
        }
        bits[o / 64] &= ~(uint64_t{1} << (o % 64));
      }
      entry = next[e];
    } else {
      if (calls.empty()) {
        result = SearchResult::Violation;
        break;
      }
      Frame f = calls.back();
      calls.pop_back();
      entry = f.entry;
      state = f.state;
      hash = f.hash;
      const size_t o = static_cast<size_t>(op_of[static_cast<size_t>(entry)]);
      bits[o / 64] &= ~(uint64_t{1} << (o % 64));
      unlift(entry);
      entry = next[static_cast<size_t>(entry)];
    }
  }
  *steps += local_steps;
  return result;
}

/// Turns a key's ops into search ops: drops failed ops and unknown reads, interns values.
std::vector<POp> prepare(const std::vector<const Op*>& ops) {
  std::map<std::string, int32_t> ids;
  ids[""] = 0;
  auto intern = [&](const std::string& v) {
    auto it = ids.find(v);
    if (it != ids.end()) return it->second;
    int32_t id = static_cast<int32_t>(ids.size());
    ids.emplace(v, id);
    return id;
  };
  std::vector<POp> out;
  out.reserve(ops.size());
  for (const Op* op : ops) {
    if (op->outcome == Outcome::Failed) continue;
    const bool unknown = op->outcome == Outcome::Unknown || op->complete_us == kNotCompleted;
    if (op->kind == OpKind::Read && unknown) continue;
    POp p;
    p.kind = op->kind;
    p.value = intern(op->value);
    p.expected = op->kind == OpKind::Cas ? intern(op->expected) : 0;
    p.swapped = op->swapped;
    p.unknown = unknown;
    p.inv = op->invoke_us;
    p.ret = unknown ? kInfinity : std::max(op->complete_us, op->invoke_us);
    p.src = op;
    out.push_back(p);
  }
  return out;
}

/// The sub-history of events up to time `cut`: ops invoked after it are left out, ops still
/// running at it become unknown (reads among them constrain nothing and are left out).
std::vector<POp> prefix(const std::vector<POp>& ops, int64_t cut) {
  std::vector<POp> out;
  for (const POp& o : ops) {
    if (o.inv > cut) continue;
    if (o.ret > cut) {
      if (o.kind == OpKind::Read) continue;
      POp w = o;
      w.unknown = true;
      w.ret = kInfinity;
      out.push_back(w);
    } else {
      out.push_back(o);
    }
  }
  return out;
}

bool writes_value(const POp& o, int32_t v) {
  return (o.kind == OpKind::Write || o.kind == OpKind::Cas) && o.value == v;
}
bool observes_value(const POp& o, int32_t* v) {
  if (o.unknown) return false;
  if (o.kind == OpKind::Read) { *v = o.value; return true; }
  if (o.kind == OpKind::Cas && o.swapped) { *v = o.expected; return true; }
  return false;
}

/// A shrunk candidate must keep, for every value a remaining op observed, a write of that value
/// if the larger set had one (otherwise the core would blame "a value nobody wrote").
bool keeps_writers(const std::vector<POp>& cand, const std::vector<POp>& base) {
  for (const POp& r : cand) {
    int32_t v = 0;
    if (!observes_value(r, &v) || v == 0) continue;
    bool in_base = false, in_cand = false;
    for (const POp& w : base) in_base = in_base || writes_value(w, v);
    if (!in_base) continue;
    for (const POp& w : cand) in_cand = in_cand || writes_value(w, v);
    if (!in_cand) return false;
  }
  return true;
}

/// Shrinks a violating op set: shortest failing prefix, then delta-debugging removal of chunks.
std::vector<POp> shrink(const std::vector<POp>& ops, const Limits& lim, uint64_t* steps) {
  auto fails = [&](const std::vector<POp>& s) {
    return search(s, lim, steps) == SearchResult::Violation;
  };
  // 1. Shortest failing prefix (linearizability is prefix-closed, so this is monotone).
  std::vector<int64_t> cuts;
  for (const POp& o : ops)
    if (o.ret != kInfinity) cuts.push_back(o.ret);
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::vector<POp> cur = ops;
  if (!cuts.empty()) {
    size_t lo = 0, hi = cuts.size() - 1;
    if (fails(prefix(ops, cuts[hi]))) {
      while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (fails(prefix(ops, cuts[mid]))) hi = mid;
        else lo = mid + 1;
      }
      cur = prefix(ops, cuts[lo]);
    }
  }
  // 2. Remove chunks while the rest still fails and keeps its observed writes.
  size_t chunk = cur.size() / 2;
  if (chunk == 0) chunk = 1;
  for (;;) {
    bool removed = false;
    for (size_t start = 0; start < cur.size();) {
      std::vector<POp> cand;
      cand.reserve(cur.size());
      for (size_t i = 0; i < cur.size(); ++i)
        if (i < start || i >= start + chunk) cand.push_back(cur[i]);
      if (!cand.empty() && keeps_writers(cand, cur) && fails(cand)) {
        cur = std::move(cand);
        removed = true;
      } else {
        start += chunk;
      }
    }
    if (chunk == 1 && !removed) break;
    if (!removed || chunk > 1) chunk = std::max<size_t>(1, chunk / 2);
  }
  return cur;
}

std::string quote(const std::string& v) { return v.empty() ? "<none>" : v; }

std::string span(const Op& o) {
  return "[" + format_ms(o.invoke_us) + ", " +
         (o.complete_us == kNotCompleted ? std::string("never") : format_ms(o.complete_us)) + "]";
}

/// One sentence saying why `core` (ops of one key) has no linearization.
std::string explain(const std::string& key, const std::vector<const Op*>& core,
                    const std::vector<const Op*>& all_of_key) {
  auto is_writer = [](const Op* o) {
    return (o->kind == OpKind::Write || (o->kind == OpKind::Cas)) && o->outcome != Outcome::Failed;
  };
  // The focus: the last-invoked completed read (or swapped cas) in the core.
  const Op* r = nullptr;
  for (const Op* o : core) {
    bool observes = o->outcome == Outcome::Ok && (o->kind == OpKind::Read || (o->kind == OpKind::Cas && o->swapped));
    if (observes && (!r || o->invoke_us >= r->invoke_us)) r = o;
  }
  const std::string n = std::to_string(core.size());
  if (!r) return "no order of these " + n + " operations on " + key + " is consistent with one copy of " + key;
  const std::string v = r->kind == OpKind::Read ? r->value : r->expected;
  const std::string what = r->kind == OpKind::Read ? "read of " + key + " returned " + quote(v)
                                                   : "cas on " + key + " found " + quote(v);
  const std::string head = what + " at " + span(*r) + " (#" + std::to_string(r->id) + ")";
  std::vector<const Op*> writers_v;  // writes of v in the core
  for (const Op* o : core)
    if (is_writer(o) && o->value == v) writers_v.push_back(o);
  if (!v.empty()) {
    bool anywhere = false;
    for (const Op* o : all_of_key) anywhere = anywhere || (is_writer(o) && o->value == v);
    if (!anywhere) return head + " but no operation ever wrote " + v + " to " + key;
    bool all_later = !writers_v.empty();
    for (const Op* w : writers_v) all_later = all_later && r->complete_us < w->invoke_us;
    if (all_later) {
      const Op* w = writers_v.front();
      return head + " but the only write of " + v + " (#" + std::to_string(w->id) + ") started at " +
             format_ms(w->invoke_us) + ", after the read had finished";
    }
  }
  // An overwrite that finished after every write of v finished and before r began.
  for (const Op* w2 : core) {
    if (!is_writer(w2) || w2->value == v || w2->outcome != Outcome::Ok) continue;
    if (w2->kind == OpKind::Cas && !w2->swapped) continue;
    if (!(w2->complete_us < r->invoke_us)) continue;
    bool after_all = true;
    for (const Op* w : writers_v)
      after_all = after_all && w->complete_us != kNotCompleted && w->complete_us < w2->invoke_us;
    if (!after_all) continue;
    const std::string w2s = "write " + key + "=" + quote(w2->value) + " (#" + std::to_string(w2->id) + ")";
    if (writers_v.empty())
      return head + " but " + w2s + " had already been acknowledged at " + format_ms(w2->complete_us) +
             ": an acknowledged write was lost or the read is stale";
    const Op* w = writers_v.back();
    return head + " but the only write of " + v + " (#" + std::to_string(w->id) + ", done at " +
           format_ms(w->complete_us) + ") was overwritten by " + w2s + ", acknowledged at " +
           format_ms(w2->complete_us) + " before the read began: a stale read";
  }
  // Another read that finished before r began and saw a different value.
  for (const Op* r0 : core) {
    if (r0 == r || r0->kind != OpKind::Read || r0->outcome != Outcome::Ok) continue;
    if (r0->value != v && r0->complete_us < r->invoke_us)
      return head + " after read #" + std::to_string(r0->id) + " had already returned " +
             quote(r0->value) + " at " + format_ms(r0->complete_us) + ": the value went back in time";
  }
  return "no order of these " + n + " operations on " + key + " is consistent with one copy of " +
         key + " (" + head + ")";
}

}  // namespace

CheckResult check_linearizable(const History& h, const CheckOptions& opt) {
  return check_linearizable(h.ops(), opt);
}

CheckResult check_linearizable(const std::vector<Op>& all, const CheckOptions& opt) {
  CheckResult res;
  const Limits lim{opt.max_steps_per_key, size_t{256} << 20};
  std::map<std::string, std::vector<const Op*>> by_key;
  for (const Op& op : all) by_key[op.key].push_back(&op);
  std::string inconclusive_key;
  for (auto& [key, ops] : by_key) {
    std::stable_sort(ops.begin(), ops.end(),
                     [](const Op* a, const Op* b) { return a->invoke_us < b->invoke_us; });
    std::vector<POp> p = prepare(ops);
    ++res.keys_checked;
    res.ops_checked += p.size();
    SearchResult r = search(p, lim, &res.steps);
    if (r == SearchResult::Budget) {
      if (inconclusive_key.empty()) inconclusive_key = key;
      continue;
    }
    if (r == SearchResult::Linearizable) continue;
    res.verdict = Verdict::Violation;
    res.key = key;
    std::vector<POp> core = opt.minimize ? shrink(p, lim, &res.steps) : p;
    // Report the ops as recorded (the shrunk prefix may have weakened some to unknown; the
    // recorded, stronger ops are still not linearizable).
    std::vector<const Op*> core_ops;
    for (const POp& c : core) core_ops.push_back(c.src);
    // A read whose value was written only after the shrunk prefix ends (a read from the
    // future): add that write so the report shows it.
    const size_t n_core = core_ops.size();
    for (size_t i = 0; i < n_core; ++i) {
      const Op* r = core_ops[i];
      if (r->kind != OpKind::Read || r->outcome != Outcome::Ok || r->value.empty()) continue;
      bool have = false;
      for (const Op* o : core_ops) have = have || (o->kind != OpKind::Read && o->value == r->value);
      if (have) continue;
      for (const Op* o : ops)
        if (o->kind != OpKind::Read && o->outcome != Outcome::Failed && o->value == r->value) {
          core_ops.push_back(o);
          break;
        }
    }
    std::sort(core_ops.begin(), core_ops.end(), [](const Op* a, const Op* b) {
      return a->invoke_us != b->invoke_us ? a->invoke_us < b->invoke_us : a->id < b->id;
    });
    for (const Op* o : core_ops) res.ops.push_back(*o);
    res.explanation = explain(key, core_ops, ops);
    return res;
  }
  if (!inconclusive_key.empty()) {
    res.verdict = Verdict::Inconclusive;
    res.key = inconclusive_key;
    res.explanation = "the search on key " + inconclusive_key +
                      " ran out of its budget; the history is neither proven linearizable nor not";
  }
  return res;
}

}  // namespace topo::kv
