// Tests of the key-value linearizability checker: a table of small histories with known answers
// (classic violations: stale read, lost write, read of a never-written value, read from the
// future; and concurrent ops that may take either order), unknown and failed ops, cas, the
// shrunk core and its explanation, and large generated histories that must be accepted.
#include <doctest/doctest.h>

#include <functional>
#include <limits>
#include <sstream>

#include "models/kv/generate.h"
#include "models/kv/linearizability.h"

using namespace topo::kv;

namespace {

Op W(uint64_t id, int client, const char* key, const char* v, int64_t inv, int64_t ret) {
  Op o;
  o.id = id; o.client = client; o.kind = OpKind::Write; o.key = key; o.value = v;
  o.invoke_us = inv; o.complete_us = ret; o.outcome = Outcome::Ok;
  return o;
}
Op R(uint64_t id, int client, const char* key, const char* v, int64_t inv, int64_t ret) {
  Op o = W(id, client, key, v, inv, ret);
  o.kind = OpKind::Read;
  return o;
}
Op unknown(Op o) { o.outcome = Outcome::Unknown; o.complete_us = kNotCompleted; return o; }
Op failed(Op o) { o.outcome = Outcome::Failed; return o; }
Op C(uint64_t id, int client, const char* key, const char* expected, const char* v, bool swapped,
     int64_t inv, int64_t ret) {
  Op o = W(id, client, key, v, inv, ret);
  o.kind = OpKind::Cas; o.expected = expected; o.swapped = swapped;
  return o;
}

struct Case {
  const char* name;
  std::vector<Op> ops;
  bool linearizable;
};

}  // namespace

TEST_CASE("kv lincheck: table of small histories") {
  const std::vector<Case> cases = {
      {"empty", {}, true},
      {"read of initial value", {R(1, 0, "x", "", 0, 10)}, true},
      {"sequential write then read", {W(1, 0, "x", "1", 0, 10), R(2, 1, "x", "1", 20, 30)}, true},
      {"read of never-written value", {R(1, 0, "x", "7", 0, 10)}, false},
      {"stale read after overwrite",
       {W(1, 0, "x", "1", 0, 10), W(2, 0, "x", "2", 20, 30), R(3, 1, "x", "1", 40, 50)}, false},
      {"lost write (read of initial after ack)", {W(1, 0, "x", "1", 0, 10), R(2, 1, "x", "", 20, 30)}, false},
      {"read from the future", {R(1, 1, "x", "1", 0, 10), W(2, 0, "x", "1", 20, 30)}, false},
      {"concurrent write and read: old value", {W(1, 0, "x", "1", 0, 100), R(2, 1, "x", "", 10, 20)}, true},
      {"concurrent write and read: new value", {W(1, 0, "x", "1", 0, 100), R(2, 1, "x", "1", 10, 20)}, true},
      {"concurrent writes: either order (reads 1)",
       {W(1, 0, "x", "1", 0, 100), W(2, 1, "x", "2", 0, 100), R(3, 2, "x", "1", 200, 210)}, true},
      {"concurrent writes: either order (reads 2)",
       {W(1, 0, "x", "1", 0, 100), W(2, 1, "x", "2", 0, 100), R(3, 2, "x", "2", 200, 210)}, true},
      {"reads disagree on the order of concurrent writes",
       {W(1, 0, "x", "1", 0, 100), W(2, 1, "x", "2", 0, 100), R(3, 2, "x", "1", 200, 210),
        R(4, 3, "x", "2", 220, 230), R(5, 2, "x", "1", 240, 250)},
       false},
      {"value goes back in time",
       {W(1, 0, "x", "1", 0, 10), W(2, 1, "x", "2", 20, 100), R(3, 2, "x", "2", 30, 40),
        R(4, 3, "x", "1", 50, 60)},
       false},
      {"ops touching at an instant are concurrent", {W(1, 0, "x", "1", 0, 10), R(2, 1, "x", "", 10, 20)}, true},
      {"keys are independent",
       {W(1, 0, "x", "1", 0, 10), W(2, 0, "y", "2", 20, 30), R(3, 1, "x", "1", 40, 50),
        R(4, 1, "y", "2", 40, 50)},
       true},
      {"violation on one key among many",
       {W(1, 0, "x", "1", 0, 10), W(2, 0, "y", "2", 20, 30), R(3, 1, "x", "1", 40, 50),
        R(4, 1, "y", "", 40, 50)},
       false},
      // Unknown ops may take effect at any time after their invocation, or never.
      {"unknown write seen later", {unknown(W(1, 0, "x", "1", 0, 0)), R(2, 1, "x", "1", 500, 510)}, true},
      {"unknown write never seen", {unknown(W(1, 0, "x", "1", 0, 0)), R(2, 1, "x", "", 500, 510)}, true},
      {"unknown write seen then unseen",
       {unknown(W(1, 0, "x", "1", 0, 0)), R(2, 1, "x", "1", 500, 510), R(3, 1, "x", "", 520, 530)}, false},
      {"unknown write cannot take effect before its invocation",
       {R(1, 1, "x", "1", 0, 10), unknown(W(2, 0, "x", "1", 20, 0))}, false},
      {"unknown read constrains nothing", {W(1, 0, "x", "1", 0, 10), unknown(R(2, 1, "x", "", 20, 0))}, true},
      // Failed ops definitely did not happen.
      {"failed write is never seen", {failed(W(1, 0, "x", "1", 0, 10)), R(2, 1, "x", "1", 20, 30)}, false},
      {"failed write, read of initial", {failed(W(1, 0, "x", "1", 0, 10)), R(2, 1, "x", "", 20, 30)}, true},
      // Compare-and-set.
      {"cas swaps", {W(1, 0, "x", "1", 0, 10), C(2, 1, "x", "1", "2", true, 20, 30), R(3, 0, "x", "2", 40, 50)}, true},
      {"cas swapped on a wrong value", {W(1, 0, "x", "1", 0, 10), C(2, 1, "x", "5", "2", true, 20, 30)}, false},
      {"cas reported no match on the matching value", {W(1, 0, "x", "1", 0, 10), C(2, 1, "x", "1", "2", false, 20, 30)}, false},
      {"unknown cas may apply", {W(1, 0, "x", "1", 0, 10), unknown(C(2, 1, "x", "1", "2", true, 20, 0)), R(3, 0, "x", "2", 40, 50)}, true},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CheckResult r = check_linearizable(c.ops);
    CHECK(r.verdict == (c.linearizable ? Verdict::Linearizable : Verdict::Violation));
    if (!c.linearizable) {
      CHECK(!r.ops.empty());
      CHECK(!r.explanation.empty());
    }
  }
}

TEST_CASE("kv lincheck: violation is shrunk and explained") {
  SUBCASE("stale read names the write, the overwrite and the read") {
    std::vector<Op> ops = {W(1, 0, "x", "1", 0, 10), W(2, 0, "x", "2", 20, 30)};
    // Unrelated noise around the violation: other keys and later linearizable ops.
    for (uint64_t i = 0; i < 20; ++i) ops.push_back(R(100 + i, 5, "y", "", 60 + 10 * static_cast<int64_t>(i), 65 + 10 * static_cast<int64_t>(i)));
    ops.push_back(R(3, 1, "x", "1", 40, 50));
    ops.push_back(W(4, 0, "x", "3", 300, 310));
    ops.push_back(R(5, 1, "x", "3", 320, 330));
    CheckResult r = check_linearizable(ops);
    REQUIRE(r.verdict == Verdict::Violation);
    CHECK(r.key == "x");
    REQUIRE(r.ops.size() == 3);
    CHECK(r.ops[0].id == 1);
    CHECK(r.ops[1].id == 2);
    CHECK(r.ops[2].id == 3);
    CHECK(r.explanation.find("read of x returned 1") != std::string::npos);
    CHECK(r.explanation.find("overwritten by write x=2") != std::string::npos);
    CHECK(r.report().find("#3 client 1 read x -> 1") != std::string::npos);
  }
  SUBCASE("read of a value nobody wrote") {
    CheckResult r = check_linearizable({W(1, 0, "x", "1", 0, 10), R(2, 1, "x", "9", 20, 30)});
    REQUIRE(r.verdict == Verdict::Violation);
    REQUIRE(r.ops.size() == 1);
    CHECK(r.ops[0].id == 2);
    CHECK(r.explanation.find("no operation ever wrote 9") != std::string::npos);
  }
  SUBCASE("lost acknowledged write") {
    CheckResult r = check_linearizable({W(1, 0, "x", "1", 0, 10), R(2, 1, "x", "", 20, 30)});
    REQUIRE(r.verdict == Verdict::Violation);
    CHECK(r.ops.size() == 2);
    CHECK(r.explanation.find("acknowledged write was lost") != std::string::npos);
  }
  SUBCASE("read from the future") {
    CheckResult r = check_linearizable({R(1, 1, "x", "1", 0, 10), W(2, 0, "x", "1", 20, 30)});
    REQUIRE(r.verdict == Verdict::Violation);
    CHECK(r.explanation.find("after the read had finished") != std::string::npos);
  }
}

TEST_CASE("kv lincheck: generated linearizable histories are accepted") {
  // Small ones with many seeds, including lost replies (unknown ops).
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    GenerateOptions g;
    g.seed = seed;
    g.ops = 200;
    g.clients = 5;
    g.keys = 2;
    g.unknown_fraction = seed % 2 ? 0.03 : 0.0;
    History h = generate_linearizable_history(g);
    CAPTURE(seed);
    CheckResult r = check_linearizable(h);
    CHECK(r.verdict == Verdict::Linearizable);
  }
  // One large one (10,000 ops): the size the checker must handle quickly.
  GenerateOptions g;
  g.seed = 42;
  g.ops = 10000;
  g.clients = 10;
  g.keys = 10;
  History h = generate_linearizable_history(g);
  CheckResult r = check_linearizable(h);
  CHECK(r.verdict == Verdict::Linearizable);
  CHECK(r.ops_checked == 10000);
}

TEST_CASE("kv lincheck: a corrupted generated history is rejected") {
  GenerateOptions g;
  g.seed = 7;
  g.ops = 400;
  g.clients = 4;
  g.keys = 1;
  History h = generate_linearizable_history(g);
  // Make one late read return the first value ever written: a stale read somewhere in the middle.
  std::vector<Op> ops = h.ops();
  std::string first;
  for (const Op& o : ops)
    if (o.kind == OpKind::Write) { first = o.value; break; }
  bool changed = false;
  for (size_t i = ops.size() / 2; i < ops.size() && !changed; ++i)
    if (ops[i].kind == OpKind::Read && ops[i].outcome == Outcome::Ok && ops[i].value != first) {
      ops[i].value = first;
      changed = true;
    }
  REQUIRE(changed);
  CheckResult r = check_linearizable(ops);
  REQUIRE(r.verdict == Verdict::Violation);
  CHECK(r.ops.size() < 20);
  // The shrunk core is itself a violation.
  CHECK(check_linearizable(r.ops).verdict == Verdict::Violation);
}

TEST_CASE("kv lincheck: the search budget gives inconclusive, not a wrong answer") {
  GenerateOptions g;
  g.seed = 3;
  g.ops = 300;
  g.keys = 1;
  History h = generate_linearizable_history(g);
  CheckOptions opt;
  opt.max_steps_per_key = 10;
  CheckResult r = check_linearizable(h, opt);
  CHECK(r.verdict == Verdict::Inconclusive);
  CHECK(r.key == "k0");
}

namespace {

// Brute force: tries every order of the ops consistent with real time (unknown ops may also be
// left out). Exponential; for a handful of ops only.
bool brute_force(const std::vector<Op>& all) {
  std::vector<Op> ops;
  for (const Op& o : all)
    if (o.outcome != Outcome::Failed && !(o.kind == OpKind::Read && o.outcome == Outcome::Unknown))
      ops.push_back(o);
  std::vector<bool> used(ops.size(), false);
  auto ret = [](const Op& o) {
    return o.outcome == Outcome::Unknown ? std::numeric_limits<int64_t>::max() : o.complete_us;
  };
  std::function<bool(const std::string&, size_t)> go = [&](const std::string& state, size_t done) {
    bool only_unknown_left = true;
    for (size_t i = 0; i < ops.size(); ++i)
      if (!used[i] && ops[i].outcome != Outcome::Unknown) only_unknown_left = false;
    if (only_unknown_left) return true;  // the rest take effect "never"
    (void)done;
    for (size_t i = 0; i < ops.size(); ++i) {
      if (used[i]) continue;
      bool blocked = false;  // some other pending op returned before this one was invoked
      for (size_t j = 0; j < ops.size(); ++j)
        if (!used[j] && j != i && ret(ops[j]) < ops[i].invoke_us) blocked = true;
      if (blocked) continue;
      const Op& o = ops[i];
      std::string next = state;
      if (o.kind == OpKind::Read) {
        if (state != o.value) continue;
      } else if (o.kind == OpKind::Write) {
        next = o.value;
      } else if (o.outcome == Outcome::Unknown) {
        if (state == o.expected) next = o.value;
      } else if (o.swapped) {
        if (state != o.expected) continue;
        next = o.value;
      } else if (state == o.expected) {
        continue;
      }
      used[i] = true;
      bool ok = go(next, done + 1);
      used[i] = false;
      if (ok) return true;
    }
    return false;
  };
  return go("", 0);
}

}  // namespace

TEST_CASE("kv lincheck: agrees with brute force on random small histories") {
  // Few values (so writes repeat values), all outcomes, cas: exercises every pruning rule.
  uint64_t s = 12345;
  auto rnd = [&](int64_t n) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<int64_t>((s >> 33) % static_cast<uint64_t>(n));
  };
  const char* values[] = {"", "1", "2", "3"};
  int violations = 0;
  for (int trial = 0; trial < 1500; ++trial) {
    std::vector<Op> ops;
    const int n = 2 + static_cast<int>(rnd(5));
    const bool with_cas = trial % 3 == 0;
    for (int i = 0; i < n; ++i) {
      Op o;
      o.id = static_cast<uint64_t>(i + 1);
      o.client = i;
      o.key = "x";
      int64_t k = rnd(with_cas ? 3 : 2);
      o.kind = k == 0 ? OpKind::Read : k == 1 ? OpKind::Write : OpKind::Cas;
      o.value = values[rnd(4)];
      if (o.kind == OpKind::Write && o.value.empty()) o.value = "1";
      o.expected = values[rnd(4)];
      o.swapped = rnd(2) == 0;
      o.invoke_us = rnd(40);
      o.complete_us = o.invoke_us + rnd(30);
      int64_t out = rnd(10);
      o.outcome = out < 7 ? Outcome::Ok : out < 9 ? Outcome::Unknown : Outcome::Failed;
      if (o.outcome == Outcome::Unknown) o.complete_us = kNotCompleted;
      ops.push_back(o);
    }
    const bool expect = brute_force(ops);
    CheckResult r = check_linearizable(ops);
    CAPTURE(trial);
    REQUIRE(r.verdict == (expect ? Verdict::Linearizable : Verdict::Violation));
    if (!expect) {
      ++violations;
      CHECK(check_linearizable(r.ops).verdict == Verdict::Violation);
    }
  }
  CHECK(violations > 100);  // the generator makes both kinds
}
