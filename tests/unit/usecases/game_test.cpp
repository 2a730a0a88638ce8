// The multiplayer game use case (scenario "game", lesson 13b): what players see lags the server
// by about the latency (and prediction narrows the gap), a crashed authoritative server freezes the
// match unless a standby takes over from its last snapshot (losing a bounded number of ticks),
// bad parameters and commands are refused without changing anything, and runs are reproducible.
#include <doctest/doctest.h>

#include "../world_util.h"
#include "models/usecases/game.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;
using topo::usecases::GameModel;

namespace {

std::unique_ptr<World> make_game(uint64_t seed, const Params& p = {}) {
  return test::make_world("game", seed, p);
}

CommandResult run_cmd(World& w, const std::string& text) {
  return test::apply_text(w, text);
}

double val(const World& w, const char* key) {
  return test::model_value<GameModel>(w, key);
}

}  // namespace

TEST_CASE("game: the match runs and every player is connected") {
  auto w = make_game(1);
  w->run_until(3 * kSec);
  CHECK(val(*w, "tick") >= 55);   // 20 ticks per second
  CHECK(val(*w, "players_connected") == 4);
  CHECK(val(*w, "frozen") == 0);
  CHECK(val(*w, "server") == *w->find_node("server"));
  CHECK(val(*w, "lost_ticks") == 0);
  CHECK(val(*w, "snapshot_age_ms") < 150);
}

TEST_CASE("game: divergence grows with latency and prediction reduces it") {
  double low = 0, high = 0, high_pred = 0;
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    CAPTURE(seed);
    auto a = make_game(seed, {{"latency_ms", "20"}, {"jitter_ms", "0"}});
    auto b = make_game(seed, {{"latency_ms", "200"}, {"jitter_ms", "0"}});
    auto c = make_game(seed, {{"latency_ms", "200"}, {"jitter_ms", "0"}, {"prediction", "true"}});
    for (World* w : {a.get(), b.get(), c.get()}) w->run_until(8 * kSec);
    const double da = val(*a, "divergence"), db = val(*b, "divergence"), dc = val(*c, "divergence");
    CHECK(db > 3 * da);
    CHECK(dc < db / 2);
    CHECK(val(*b, "input_delay_ms") >= 400);  // a key press shows after a round trip
    CHECK(val(*c, "input_delay_ms") == 0);
    low += da;
    high += db;
    high_pred += dc;
  }
  MESSAGE("mean divergence: 20 ms " << low / 3 << ", 200 ms " << high / 3 << ", 200 ms + prediction " << high_pred / 3);
}

TEST_CASE("game: latency on one player's link only hurts that player's view") {
  auto w = make_game(2, {{"jitter_ms", "0"}});
  w->run_until(2 * kSec);
  REQUIRE(run_cmd(*w, "set_link node=p1 latency_ms=300").ok);
  w->run_until(6 * kSec);
  CHECK(val(*w, "divergence.p1") > 2 * val(*w, "divergence.p2"));
  CHECK(val(*w, "snapshot_age_ms.p1") >= 300);
  CHECK(val(*w, "snapshot_age_ms.p2") < 200);
}

TEST_CASE("game: without a standby a server crash freezes the match for everybody") {
  auto w = make_game(3);
  w->run_until(3 * kSec);
  REQUIRE(run_cmd(*w, "crash node=server").ok);
  const double tick = val(*w, "tick");
  w->run_until(6 * kSec);
  CHECK(val(*w, "frozen") == 1);
  CHECK(val(*w, "tick") == tick);
  CHECK(val(*w, "players_connected") == 0);
  CHECK(val(*w, "failover_count") == 0);
  CHECK(val(*w, "server") == -1);
  CHECK(val(*w, "snapshot_age_ms") > 2900);
  // Restarted, the server has nothing saved: a new match starts and the old one is lost.
  REQUIRE(run_cmd(*w, "restart node=server").ok);
  w->run_until(8 * kSec);
  CHECK(val(*w, "frozen") == 0);
  CHECK(val(*w, "players_connected") == 4);
  CHECK(val(*w, "lost_ticks") == tick);
}

TEST_CASE("game: with a standby the match fails over and loses only a few ticks") {
  for (int every : {1, 5}) {
    for (uint64_t seed = 1; seed <= 3; ++seed) {
      CAPTURE(every);
      CAPTURE(seed);
      auto w = make_game(seed, {{"standby", "true"}, {"replicate_every", std::to_string(every)}});
      w->run_until(3 * kSec + static_cast<Time>(seed) * 17 * kMs);
      REQUIRE(run_cmd(*w, "crash node=server").ok);
      const double tick = val(*w, "tick");
      w->run_until(6 * kSec);
      CHECK(val(*w, "failover_count") == 1);
      CHECK(val(*w, "frozen") == 0);
      CHECK(val(*w, "server") == *w->find_node("standby"));
      CHECK(val(*w, "players_connected") == 4);
      CHECK(val(*w, "tick") > tick + 40);
      CHECK(val(*w, "lost_ticks") >= 0);
      CHECK(val(*w, "lost_ticks") <= every + 1);
      // The old server comes back as the new standby, not as a second authority.
      REQUIRE(run_cmd(*w, "restart node=server").ok);
      w->run_until(8 * kSec);
      CHECK(val(*w, "server") == *w->find_node("standby"));
      CHECK(val(*w, "failover_count") == 1);
    }
  }
}

TEST_CASE("game: bad parameters and commands are refused and change nothing") {
  std::string err;
  CHECK(!build_world("game", 1, {{"players", "1"}}, &err));
  CHECK(err.find("players") != std::string::npos);
  CHECK(!build_world("game", 1, {{"prediction", "maybe"}}, &err));
  CHECK(err.find("prediction") != std::string::npos);
  CHECK(!build_world("game", 1, {{"tickrate", "5"}}, &err));
  CHECK(err.find("tickrate") != std::string::npos);

  auto w = make_game(1);
  w->run_until(1 * kSec);
  const size_t logged = w->command_log().size();
  auto r = run_cmd(*w, "game.set tick_ms=5");
  CHECK(!r.ok);
  CHECK(r.error.find("tick_ms") != std::string::npos);
  r = run_cmd(*w, "game.set replicate_every=0 tick_ms=100");
  CHECK(!r.ok);
  CHECK(val(*w, "tick_ms") == 50);   // nothing applied, not even the valid part
  CHECK(!run_cmd(*w, "game.set").ok);
  r = run_cmd(*w, "game.prediction on=perhaps");
  CHECK(!r.ok);
  CHECK(r.error.find("true or false") != std::string::npos);
  CHECK(!run_cmd(*w, "game.standby").ok);
  CHECK(val(*w, "prediction") == 0);
  CHECK(val(*w, "standby") == 0);
  CHECK(w->command_log().size() == logged);
  CHECK(run_cmd(*w, "game.set replicate_every=3 failover_ms=500").ok);
  CHECK(val(*w, "replicate_every") == 3);
  CHECK(val(*w, "failover_ms") == 500);
}

TEST_CASE("game: the same seed and commands give the same trace") {
  auto once = [](uint64_t seed) {
    std::string err;
    auto s = Session::create("game", seed, {{"standby", "true"}, {"prediction", "true"}}, &err);
    REQUIRE(s);
    s->run_until(2 * kSec);
    REQUIRE(s->apply(*Command::parse("crash node=server", nullptr)).ok);
    s->run_until(4 * kSec);
    return s->world().trace().hash();
  };
  CHECK(once(7) == once(7));
  CHECK(once(7) != once(8));
}
