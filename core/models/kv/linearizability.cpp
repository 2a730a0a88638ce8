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

/// Memo of explored (linearized set, value) configurations: open addressing over entry ids.
/// A set is stored compactly as the words between its first word that is not all ones and its
/// last non-zero word (the search linearizes roughly in time order, so that window is small).
class Memo {
 public:
  Memo() { table_.assign(1024, 0); }

  /// Inserts the configuration; false if it was already there.
  bool insert(uint64_t hash, const std::vector<uint64_t>& bits, int32_t state) {
    uint32_t lo = 0, hi = static_cast<uint32_t>(bits.size());
    while (lo < hi && bits[lo] == ~uint64_t{0}) ++lo;
    while (hi > lo && bits[hi - 1] == 0) --hi;
    const uint32_t len = hi - lo;
    size_t mask = table_.size() - 1;
    for (size_t i = static_cast<size_t>(hash) & mask;; i = (i + 1) & mask) {
      uint32_t e = table_[i];
      if (e == 0) break;
      const Entry& x = entries_[e - 1];
      if (x.hash == hash && x.state == state && x.lo == lo && x.len == len &&
          std::equal(bits.begin() + lo, bits.begin() + hi, arena_.begin() + static_cast<ptrdiff_t>(x.offset)))
        return false;
    }
    entries_.push_back({hash, arena_.size(), state, lo, len});
    arena_.insert(arena_.end(), bits.begin() + lo, bits.begin() + hi);
    if (entries_.size() * 2 > table_.size()) rehash(table_.size() * 2);
    else place(entries_.size() - 1);
    return true;
  }
  size_t size() const { return entries_.size(); }
  size_t bytes() const { return arena_.size() * 8 + entries_.size() * sizeof(Entry) + table_.size() * 4; }

 private:
  struct Entry {
    uint64_t hash;
    size_t offset;
    int32_t state;
    uint32_t lo, len;
  };
  void place(size_t idx) {
    size_t mask = table_.size() - 1;
    size_t i = static_cast<size_t>(entries_[idx].hash) & mask;
    while (table_[i] != 0) i = (i + 1) & mask;
    table_[i] = static_cast<uint32_t>(idx + 1);
  }
  void rehash(size_t n) {
    table_.assign(n, 0);
    for (size_t i = 0; i < entries_.size(); ++i) place(i);
  }
  std::vector<uint32_t> table_;
  std::vector<Entry> entries_;
  std::vector<uint64_t> arena_;
};

struct Limits {
  uint64_t max_steps;
  size_t max_memo_bytes;
};

/// Sound simplifications of unknown writes before a search (each keeps the answer):
///  - an unknown write of a value nobody observes may always take effect "never" (at the end)
///    when the key has no cas (only a cas could tell that value from another): dropped;
///  - an unknown write of a value observed by some op, and the only write of that value, must
///    precede every observer, so it must take effect before the earliest observer returned:
///    that becomes its return time (instead of infinity), which keeps it out of the way.
std::vector<POp> tighten(const std::vector<POp>& in) {
  bool has_cas = false;
  std::map<int32_t, int> writers;
  std::map<int32_t, int64_t> first_seen;  // value -> earliest return of an op that observed it
  for (const POp& o : in) {
    if (o.kind == OpKind::Cas) has_cas = true;
    if (o.kind != OpKind::Read) ++writers[o.value];
    int32_t v = 0;
    const bool observes = !o.unknown && (o.kind == OpKind::Read || (o.kind == OpKind::Cas && o.swapped));
    if (observes) {
      v = o.kind == OpKind::Read ? o.value : o.expected;
      auto it = first_seen.find(v);
      if (it == first_seen.end() || o.ret < it->second) first_seen[v] = o.ret;
    }
  }
  std::vector<POp> out;
  out.reserve(in.size());
  for (const POp& o : in) {
    if (o.kind == OpKind::Write && o.unknown) {
      auto seen = first_seen.find(o.value);
      if (seen == first_seen.end() || o.value < 0) {
        if (!has_cas) continue;
      } else if (o.value != 0 && writers[o.value] == 1) {
        POp t = o;
        t.ret = std::max(seen->second, o.inv);
        out.push_back(t);
        continue;
      }
    }
    out.push_back(o);
  }
  return out;
}

/// Wing & Gong / Porcupine search over one key's ops. `steps` accumulates the work done.
SearchResult search(const std::vector<POp>& ops_in, const Limits& lim, uint64_t* steps) {
  const std::vector<POp> ops = tighten(ops_in);
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
  Memo memo;
  // Depth-first search over configurations. At each configuration the candidates are the
  // calls before the first pending return in time order (an op whose return comes first must
  // be linearized before anything invoked after that return). Candidates are tried by earliest
  // return first (the op that must take effect soonest), which finds the real order of a
  // correct history with little backtracking.
  struct Frame {
    int32_t entry;   ///< the call entry taken
    int32_t state;   ///< register value before it
    uint64_t hash;   ///< linearized-set hash before it
    uint32_t tried;  ///< index of the entry in the sorted candidates (forced: unused)
    bool forced;     ///< a read-only op taken without alternatives (see below)
  };
  std::vector<Frame> calls;
  calls.reserve(n);
  int32_t state = 0;
  uint64_t hash = 0;
  uint64_t local_steps = 0;
  std::vector<int32_t> cands;
  auto collect = [&]() {
    cands.clear();
    for (int32_t e = next[static_cast<size_t>(head)]; e != -1 && is_call[static_cast<size_t>(e)];
         e = next[static_cast<size_t>(e)])
      cands.push_back(e);
  };
  auto sort_cands = [&]() {
    std::sort(cands.begin(), cands.end(), [&](int32_t a, int32_t b) {
      const POp& x = ops[static_cast<size_t>(op_of[static_cast<size_t>(a)])];
      const POp& y = ops[static_cast<size_t>(op_of[static_cast<size_t>(b)])];
      if (x.ret != y.ret) return x.ret < y.ret;
      return a < b;
    });
  };
  auto take = [&](int32_t e, int32_t ns, uint64_t h2, uint32_t tried, bool forced) {
    calls.push_back({e, state, hash, tried, forced});
    state = ns;
    hash = h2;
    lift(e);
  };
  // Tries the sorted candidates from index `from`; true if one was taken.
  auto try_from = [&](size_t from) -> bool {
    for (size_t k = from; k < cands.size(); ++k) {
      ++local_steps;
      const int32_t e = cands[k];
      const size_t o = static_cast<size_t>(op_of[static_cast<size_t>(e)]);
      int32_t ns = 0;
      if (!step(ops[o], state, &ns)) continue;
      bits[o / 64] |= uint64_t{1} << (o % 64);
      const uint64_t h2 = hash ^ zobrist[o];
      if (memo.insert(h2 ^ state_mix(ns), bits, ns)) {
        take(e, ns, h2, static_cast<uint32_t>(k), false);
        return true;
      }
      bits[o / 64] &= ~(uint64_t{1} << (o % 64));
    }
    return false;
  };
  // Undoes choices until one has an untried alternative and takes it; false when none is left.
  auto backtrack = [&]() -> bool {
    while (!calls.empty()) {
      Frame f = calls.back();
      calls.pop_back();
      state = f.state;
      hash = f.hash;
      const size_t o = static_cast<size_t>(op_of[static_cast<size_t>(f.entry)]);
      bits[o / 64] &= ~(uint64_t{1} << (o % 64));
      unlift(f.entry);
      if (f.forced) continue;
      collect();
      sort_cands();
      if (try_from(f.tried + 1)) return true;
    }
    return false;
  };
  SearchResult result = SearchResult::Linearizable;
  while (next[static_cast<size_t>(head)] != -1) {
    if (local_steps > lim.max_steps || memo.bytes() > lim.max_memo_bytes) {
      result = SearchResult::Budget;
      break;
    }
    collect();
    // A read-only op (read, cas without a match) that can take effect now may always be
    // linearized first: moving it to the front of any valid completion keeps every state and
    // every real-time order. So it is taken without branching, and if that configuration was
    // already explored, the one before it is a dead end too.
    bool progressed = false, dead = false;
    for (int32_t e : cands) {
      const size_t o = static_cast<size_t>(op_of[static_cast<size_t>(e)]);
      const POp& op = ops[o];
      const bool read_only = op.kind == OpKind::Read || (op.kind == OpKind::Cas && !op.unknown && !op.swapped);
      if (!read_only) continue;
      ++local_steps;
      int32_t ns = 0;
      if (!step(op, state, &ns)) continue;
      bits[o / 64] |= uint64_t{1} << (o % 64);
      const uint64_t h2 = hash ^ zobrist[o];
      if (memo.insert(h2 ^ state_mix(ns), bits, ns)) {
        take(e, ns, h2, 0, true);
        progressed = true;
      } else {
        bits[o / 64] &= ~(uint64_t{1} << (o % 64));
        dead = true;
      }
      break;
    }
    if (progressed) continue;
    // The op with the earliest pending return must take effect before anything invoked later.
    // If it is a read (or a matching cas) that cannot take effect now and no candidate writes
    // the value it needs, nothing done here can help it: a dead end, found without a deep dive.
    if (!dead) {
      int32_t first_ret = next[static_cast<size_t>(head)];
      while (first_ret != -1 && is_call[static_cast<size_t>(first_ret)]) first_ret = next[static_cast<size_t>(first_ret)];
      if (first_ret != -1) {
        const POp& r = ops[static_cast<size_t>(op_of[static_cast<size_t>(first_ret)])];
        int32_t need = 0;
        bool needs = false;
        if (r.kind == OpKind::Read) { need = r.value; needs = true; }
        else if (r.kind == OpKind::Cas && !r.unknown && r.swapped) { need = r.expected; needs = true; }
        if (needs && state != need) {
          bool writer = false;
          for (int32_t e : cands) {
            const POp& w = ops[static_cast<size_t>(op_of[static_cast<size_t>(e)])];
            if (w.kind != OpKind::Read && w.value == need && (w.kind == OpKind::Write || w.unknown || w.swapped)) {
              writer = true;
              break;
            }
          }
          if (!writer) dead = true;
        }
      }
    }
    if (!dead) {
      sort_cands();
      if (try_from(0)) continue;
    }
    if (!backtrack()) {
      result = SearchResult::Violation;
      break;
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
  // Values nobody observes (no read returns them, no cas compares with them) all behave the
  // same for the search: they share one id, so the memo merges configurations that differ only
  // in which unobserved write came last.
  constexpr int32_t kUnobserved = -1;
  std::map<std::string, bool> observed;
  for (const Op* op : ops) {
    if (op->outcome == Outcome::Failed) continue;
    if (op->kind == OpKind::Read && op->outcome == Outcome::Ok) observed[op->value] = true;
    if (op->kind == OpKind::Cas) observed[op->expected] = true;
  }
  auto intern_written = [&](const std::string& v) {
    return v.empty() || observed.count(v) ? intern(v) : kUnobserved;
  };
  std::vector<POp> out;
  out.reserve(ops.size());
  for (const Op* op : ops) {
    if (op->outcome == Outcome::Failed) continue;
    const bool unknown = op->outcome == Outcome::Unknown || op->complete_us == kNotCompleted;
    if (op->kind == OpKind::Read && unknown) continue;
    POp p;
    p.kind = op->kind;
    p.value = op->kind == OpKind::Read ? intern(op->value) : intern_written(op->value);
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
