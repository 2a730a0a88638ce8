// Generated linearizable key-value histories (see generate.h).
#include "models/kv/generate.h"

#include <algorithm>
#include <map>
#include <vector>

namespace topo::kv {

namespace {

struct Stream {
  uint64_t s;
  uint64_t next() {
    uint64_t x = (s += 0x9E3779B97F4A7C15ull);
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
  }
  int64_t range(int64_t lo, int64_t hi) {  // inclusive
    return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1));
  }
  double unit() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
};

}  // namespace

History generate_linearizable_history(const GenerateOptions& opt) {
  Stream rng{opt.seed * 0x2545F4914F6CDD1Dull + 17};
  struct Pending {
    Op op;
    int64_t lin_us;   // when it takes effect
    bool happens;     // false: an unknown op that never took effect
  };
  std::vector<Pending> all;
  const int clients = std::max(1, opt.clients);
  std::vector<int64_t> clock(static_cast<size_t>(clients), 0);
  std::vector<int> seq(static_cast<size_t>(clients), 0);
  for (int i = 0; i < opt.ops; ++i) {
    // The client that is free earliest issues the next op (ties: lowest id).
    size_t c = 0;
    for (size_t k = 1; k < clock.size(); ++k)
      if (clock[k] < clock[c]) c = k;
    Pending p;
    p.op.id = static_cast<uint64_t>(i + 1);
    p.op.client = static_cast<int32_t>(c);
    p.op.kind = rng.unit() < opt.read_fraction ? OpKind::Read : OpKind::Write;
    p.op.key = "k" + std::to_string(rng.range(0, std::max(1, opt.keys) - 1));
    if (p.op.kind == OpKind::Write)
      p.op.value = "c" + std::to_string(c) + "-" + std::to_string(++seq[c]);
    p.op.invoke_us = clock[c] + rng.range(0, opt.think_us_max);
    int64_t end = p.op.invoke_us + rng.range(1, std::max<int64_t>(1, opt.op_duration_us_max));
    p.lin_us = rng.range(p.op.invoke_us, end);
    p.happens = true;
    if (rng.unit() < opt.unknown_fraction) {
      p.op.outcome = Outcome::Unknown;
      p.op.complete_us = kNotCompleted;
      p.happens = rng.unit() < 0.5;
    } else {
      p.op.outcome = Outcome::Ok;
      p.op.complete_us = end;
    }
    clock[c] = end;
    all.push_back(std::move(p));
  }
  // Apply in linearization order to find what each read returned.
  std::vector<size_t> order(all.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return all[a].lin_us < all[b].lin_us; });
  std::map<std::string, std::string> reg;
  for (size_t i : order) {
    Pending& p = all[i];
    if (!p.happens) continue;
    if (p.op.kind == OpKind::Write) reg[p.op.key] = p.op.value;
    else if (p.op.outcome == Outcome::Ok) p.op.value = reg[p.op.key];
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const Pending& a, const Pending& b) { return a.op.invoke_us < b.op.invoke_us; });
  History h;
  for (auto& p : all) h.add(std::move(p.op));
  return h;
}

}  // namespace topo::kv
