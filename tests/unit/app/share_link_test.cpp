// Share links read outside the browser (scenario/share_link.h): the page's link format, decoded.
#include <doctest/doctest.h>

#include "catalog/catalog.h"
#include "scenario/share_link.h"

using namespace topo;

TEST_CASE("share link: a scenario moment with parameters and a plain log becomes a replay") {
  // "10 crash node=n1\n" in base64url is MTAgY3Jhc2ggbm9kZT1uMQo
  std::string err;
  auto l = parse_share_link("http://localhost:8000/?scenario=raft-3&seed=7&set=rate%3D20&set=raft.persist_vote=false"
                            "#at=500000&log=t.MTAgY3Jhc2ggbm9kZT1uMQo", &err);
  REQUIRE_MESSAGE(l, err);
  CHECK(l->scenario == "raft-3");
  CHECK(l->seed == 7);
  CHECK(l->at == 500000);
  CHECK(l->params == Params{{"rate", "20"}, {"raft.persist_vote", "false"}});
  CHECK(l->log_kind == 't');
  CHECK(l->log_bytes == "10 crash node=n1\n");
  auto r = replay_of_link(*l, l->log_bytes, &err);
  REQUIRE_MESSAGE(r, err);
  CHECK(r->log.size() == 1);
  CHECK(r->at_us == 500000);
  CHECK(open_replay(*r, &err));
  CHECK(looks_like_link("?scenario=raft-5"));
  CHECK(looks_like_link("https://x/y?lesson=01"));
  CHECK_FALSE(looks_like_link("chaos-out/raft-3-seed1.replay"));
}

TEST_CASE("share link: damaged links say which part is wrong") {
  std::string err;
  CHECK_FALSE(parse_share_link("http://x/?seed=3", &err));
  CHECK(err.find("names no lesson or scenario") != std::string::npos);
  CHECK_FALSE(parse_share_link("?scenario=raft-3&seed=x", &err));
  CHECK(err == "link: seed=x is not a whole number");
  CHECK_FALSE(parse_share_link("?scenario=raft-3#log=q.abc", &err));
  CHECK(err.find("unknown format") != std::string::npos);
  CHECK_FALSE(parse_share_link("?scenario=raft-3#log=t.a!b", &err));
  CHECK(err.find("not base64url") != std::string::npos);
  CHECK_FALSE(parse_share_link("?scenario=raft%2", &err));
  CHECK(err.find("%-escape") != std::string::npos);
  auto lesson = parse_share_link("?lesson=01-one-system-many-computers&step=2#log=t.", &err);
  REQUIRE(lesson);
  CHECK_FALSE(replay_of_link(*lesson, "", &err));
  CHECK(err.find("lesson") != std::string::npos);
  auto bad_log = parse_share_link("?scenario=raft-3", &err);
  REQUIRE(bad_log);
  CHECK_FALSE(replay_of_link(*bad_log, "soon crash node=n1\n", &err));
  CHECK(err.find("line 1") != std::string::npos);
}
