// Tests of client operation histories: recording semantics (complete, fail, unknown, late
// replies) and the JSON-lines format, including `FILE:LINE: message` errors on bad input.
#include <doctest/doctest.h>

#include <sstream>

#include "models/kv/history.h"

using namespace topo::kv;

TEST_CASE("kv history: invoke / complete / fail") {
  History h;
  uint64_t w = h.invoke(1, OpKind::Write, "x", "5", 100);
  uint64_t r = h.invoke(2, OpKind::Read, "x", "ignored", 150);
  uint64_t lost = h.invoke(3, OpKind::Write, "x", "6", 160);
  uint64_t f = h.invoke(1, OpKind::Write, "y", "1", 300);
  uint64_t c = h.invoke(2, OpKind::Cas, "x", "9", 400, "5");
  CHECK(w != r);
  h.complete(w, 200, "");
  h.complete(r, 250, "5");
  h.fail(f, 310);
  h.complete(c, 450, "", false);
  h.complete(w, 999, "dup");  // a late duplicate reply changes nothing
  REQUIRE(h.size() == 5);
  const Op* ow = h.find(w);
  CHECK(ow->outcome == Outcome::Ok);
  CHECK(ow->value == "5");
  CHECK(ow->complete_us == 200);
  CHECK(h.find(r)->value == "5");
  CHECK(h.find(lost)->outcome == Outcome::Unknown);
  CHECK(h.find(lost)->complete_us == kNotCompleted);
  CHECK(h.find(f)->outcome == Outcome::Failed);
  CHECK(h.find(c)->outcome == Outcome::Ok);
  CHECK_FALSE(h.find(c)->swapped);
  CHECK(h.find(c)->expected == "5");
  CHECK(describe(*h.find(r)) == "#2 client 2 read x -> 5 [0.150 ms, 0.250 ms] ok");
  CHECK(describe(*h.find(lost)) == "#3 client 3 write x=6 [0.160 ms, never] unknown");
}

TEST_CASE("kv history: JSON lines round trip") {
  History h;
  uint64_t a = h.invoke(1, OpKind::Write, "k \"q\"", "v\\1\n", 10);
  h.complete(a, 20, "");
  uint64_t b = h.invoke(2, OpKind::Read, "k \"q\"", "", 15);
  h.complete(b, 25, "v\\1\n");
  h.invoke(3, OpKind::Cas, "z", "new", 30, "old");
  std::ostringstream out;
  h.write_jsonl(out);
  std::istringstream in(out.str());
  History back;
  std::string err;
  REQUIRE_MESSAGE(History::read_jsonl(in, "h.jsonl", &back, &err), err);
  REQUIRE(back.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    const Op& x = h.ops()[i];
    const Op& y = back.ops()[i];
    CHECK(x.id == y.id);
    CHECK(x.client == y.client);
    CHECK(x.kind == y.kind);
    CHECK(x.key == y.key);
    CHECK(x.value == y.value);
    CHECK(x.expected == y.expected);
    CHECK(x.invoke_us == y.invoke_us);
    CHECK(x.complete_us == y.complete_us);
    CHECK(x.outcome == y.outcome);
  }
  std::ostringstream again;
  back.write_jsonl(again);
  CHECK(again.str() == out.str());
}

TEST_CASE("kv history: bad input reports FILE:LINE") {
  const std::string good =
      "{\"id\":1,\"client\":0,\"kind\":\"write\",\"key\":\"x\",\"value\":\"1\",\"invoke_us\":0,\"complete_us\":5,\"outcome\":\"ok\"}\n";
  struct Bad {
    std::string line;
    std::string message_part;
  };
  const std::vector<Bad> bad = {
      {"not json", "expected '{'"},
      {"{\"id\":2,\"client\":0,\"kind\":\"write\",\"key\":\"x\",\"value\":\"1\",\"invoke_us\":0,\"outcome\":\"ok\"}", "needs \"complete_us\""},
      {"{\"id\":2,\"client\":0,\"kind\":\"delete\",\"key\":\"x\",\"invoke_us\":0,\"outcome\":\"ok\"}", "unknown kind"},
      {"{\"id\":1,\"client\":0,\"kind\":\"read\",\"key\":\"x\",\"invoke_us\":0,\"complete_us\":3,\"outcome\":\"ok\"}", "duplicate op id 1"},
      {"{\"id\":2,\"client\":0,\"kind\":\"read\",\"key\":\"x\",\"invoke_us\":9,\"complete_us\":3,\"outcome\":\"ok\"}", "before"},
      {"{\"id\":2,\"client\":0,\"kind\":\"read\",\"key\":\"x\",\"invoke_us\":1.5,\"outcome\":\"unknown\"}", "integer"},
      {"{\"id\":2,\"client\":0,\"kind\":\"read\",\"key\":\"x\",\"invoke_us\":1,\"outcome\":\"maybe\"}", "unknown outcome"},
      {"{\"id\":2,\"client\":0,\"kind\":\"read\",\"key\":\"x\",\"invoke_us\":1,\"outcome\":\"unknown\",\"colour\":1}", "unknown field"},
      {"{\"id\":2,\"client\":0,\"kind\":\"read\",\"key\":\"x\",\"invoke_us\":1,\"outcome\":\"unknown\"} x", "after the object"},
      {"{\"id\":2,\"client\":0,\"kind\":\"read\",\"key\":\"x\"", "expected ','"},
  };
  for (const Bad& b : bad) {
    CAPTURE(b.line);
    std::istringstream in(good + "\n" + b.line + "\n");
    History h;
    std::string err;
    CHECK_FALSE(History::read_jsonl(in, "hist.jsonl", &h, &err));
    CHECK(err.rfind("hist.jsonl:3: ", 0) == 0);
    CHECK(err.find(b.message_part) != std::string::npos);
  }
}
