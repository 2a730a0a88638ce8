// The DevOps-pipelines use case (lesson 17): under the same changes the per-service pipelines
// deploy more often and with a shorter lead time than the monolith's release train; a canary
// catches a bad change and rolls it back in minutes, while the train ships it with everything and
// everyone has it until the next train brings the fix; the DORA measures are right on a small
// hand-worked case; the checker catches the seeded bug (tests_gate=0); bad commands are refused;
// the same seed gives the same trace.
#include <doctest/doctest.h>

#include "../world_util.h"
#include "catalog/catalog.h"
#include "models/narration.h"
#include "models/usecases/devops.h"
#include "scenario/scenario.h"

using namespace topo;
using topo::usecases::DevopsModel;

namespace {

std::unique_ptr<World> make(uint64_t seed, const Params& p = {}) { return test::make_world("devops", seed, p); }

CommandResult act(World& w, const std::string& text) { return test::apply_text(w, text); }

double val(const World& w, const std::string& key) { return test::model_value<DevopsModel>(w, key.c_str()); }

/// Only the changes the test commits: no random commits, no random bugs.
Params quiet(Params extra = {}) {
  Params p = {{"commit_every_s", "0"}, {"bad_rate", "0"}, {"broken_rate", "0"}, {"canary_catch", "1"}};
  for (auto& [k, v] : extra) p[k] = v;
  return p;
}

enum { kNone = 0, kWaiting, kInPipeline, kLive, kRolledBack, kRejected };

}  // namespace

TEST_CASE("devops: the same changes deploy more often and sooner through per-service pipelines") {
  for (uint64_t seed : {1, 2, 3}) {
    CAPTURE(seed);
    auto w = make(seed);
    w->run_until(100 * kSec);
    CHECK(val(*w, "services.committed") == val(*w, "monolith.committed"));   // twins: the same work
    CHECK(val(*w, "services.committed") > 100);
    CHECK(val(*w, "services.deploy_frequency") > 5 * val(*w, "monolith.deploy_frequency"));
    CHECK(val(*w, "services.lead_time_s") < 2.0);
    CHECK(val(*w, "monolith.lead_time_s") > 3 * val(*w, "services.lead_time_s"));
    CHECK(val(*w, "services.changes_per_deploy") == 1);
    CHECK(val(*w, "monolith.changes_per_deploy") > 5);
    CHECK(val(*w, "services.time_to_restore_s") < val(*w, "monolith.time_to_restore_s"));
    CHECK(val(*w, "services.change_failure_rate") < val(*w, "monolith.change_failure_rate"));
    CHECK(w->find_model<DevopsModel>()->violations().empty());
  }
}

TEST_CASE("devops: the measures on a hand-worked case (two changes, fixed 20 ms hops)") {
  auto w = make(1, quiet());
  w->run_until(kSec);
  REQUIRE(act(*w, "devops.commit service=cart").ok);
  w->run_until(1100 * kMs);
  REQUIRE(act(*w, "devops.commit service=search").ok);
  CHECK(val(*w, "services.committed") == 2);
  CHECK(val(*w, "monolith.changes_waiting") == 2);
  w->run_until(1500 * kMs);
  CHECK(val(*w, "services.in_pipeline") == 2);
  w->run_until(4 * kSec);
  // Services: build 0.25 + test 0.5 + canary 0.5 + deploy 0.25 + four hops of 0.02 = 1.58 s.
  CHECK(val(*w, "services.deploys") == 2);
  CHECK(val(*w, "services.lead_time_s") == doctest::Approx(1.58));
  CHECK(val(*w, "services.my_lead_time_s") == doctest::Approx(1.58));
  CHECK(val(*w, "services.production_version.cart") == 1);
  CHECK(val(*w, "services.production_version.payment") == 0);
  CHECK(val(*w, "monolith.deploys") == 0);
  CHECK(val(*w, "monolith.my_change") == kWaiting);
  w->run_until(16 * kSec);
  // The monolith: the train leaves at 8 s with both; build 1 + test 2 + deploy 0.5 + three hops:
  // live at 11.56 s, so lead times 10.56 and 10.46 s.
  CHECK(val(*w, "monolith.deploys") == 1);
  CHECK(val(*w, "monolith.last_batch") == 2);
  CHECK(val(*w, "monolith.production_version") == 1);
  CHECK(val(*w, "monolith.lead_time_s") == doctest::Approx(10.51));
  CHECK(val(*w, "monolith.lead_time_max_s") == doctest::Approx(10.56));
  CHECK(val(*w, "monolith.my_lead_time_s") == doctest::Approx(10.46));
  CHECK(val(*w, "monolith.my_change") == kLive);
  // Deploys per 8-second working day: 2 in 2 days, 1 in 2 days.
  CHECK(val(*w, "services.deploy_frequency") == doctest::Approx(1.0));
  CHECK(val(*w, "monolith.deploy_frequency") == doctest::Approx(0.5));
  CHECK(val(*w, "services.change_failure_rate") == 0);
  CHECK(val(*w, "monolith.time_to_restore_s") == 0);
}

TEST_CASE("devops: the canary catches a bad change and rolls it back in minutes") {
  auto w = make(2, quiet());
  w->run_until(kSec);
  REQUIRE(act(*w, "devops.commit service=payment bad=true").ok);
  CHECK(val(*w, "my_change_bad") == 1);
  w->run_until(3 * kSec);
  CHECK(val(*w, "services.my_change") == kRolledBack);
  CHECK(val(*w, "services.canary_rollbacks") == 1);
  CHECK(val(*w, "services.failures") == 1);
  CHECK(val(*w, "services.incidents") == 0);
  CHECK(val(*w, "services.deploys") == 0);
  CHECK(val(*w, "services.production_version.payment") == 0);   // never reached everyone
  CHECK(val(*w, "services.down") == 0);
  // Detected 0.25 s into the canary, rolled back in 0.05 s.
  CHECK(val(*w, "services.time_to_restore_s") == doctest::Approx(0.3));
  CHECK(val(*w, "services.my_restore_s") == doctest::Approx(0.3));
  CHECK(val(*w, "services.change_failure_rate") == 1);   // 1 failure in 1 release that reached users
}

TEST_CASE("devops: the release train ships a bad change with everything until the next train brings the fix") {
  auto w = make(3, quiet());
  w->run_until(kSec);
  for (const char* s : {"cart", "search", "cart"}) REQUIRE(act(*w, std::string("devops.commit service=") + s).ok);
  REQUIRE(act(*w, "devops.commit service=payment bad=true").ok);
  w->run_until(11 * kSec);
  CHECK(val(*w, "monolith.down") == 0);
  w->run_until(12 * kSec);
  CHECK(val(*w, "monolith.deploys") == 1);
  CHECK(val(*w, "monolith.last_batch") == 4);   // the bad change went out with the three good ones
  CHECK(val(*w, "monolith.my_change") == kLive);
  CHECK(val(*w, "monolith.incidents") == 1);
  CHECK(val(*w, "monolith.down") == 1);
  CHECK(val(*w, "monolith.change_failure_rate") == 1);
  // The services side shipped the three good ones and rolled the bad one back.
  CHECK(val(*w, "services.deploys") == 3);
  CHECK(val(*w, "services.canary_rollbacks") == 1);
  CHECK(val(*w, "services.down") == 0);
  // Monitoring sees it 0.25 s after the deploy; the fix waits for the 16 s train.
  w->run_until(19 * kSec);
  CHECK(val(*w, "monolith.down") == 1);
  CHECK(val(*w, "monolith.my_restore_s") > 7);
  w->run_until(20 * kSec);
  CHECK(val(*w, "monolith.down") == 0);
  CHECK(val(*w, "monolith.deploys") == 2);
  CHECK(val(*w, "monolith.last_batch") == 1);   // the fix alone
  CHECK(val(*w, "monolith.time_to_restore_s") == doctest::Approx(8.0));
  CHECK(val(*w, "monolith.change_failure_rate") == doctest::Approx(0.5));
  CHECK(val(*w, "services.time_to_restore_s") < 0.5);
  // Said in words (the event log, the screen reader, run --narrate).
  std::string said;
  for (const auto& l : w->find_model<Narration>()->lines()) said += l.text + "\n";
  CHECK(said.find("payment: the canary saw errors and rolled the change back") != std::string::npos);
  CHECK(said.find("the release train left with 4 changes") != std::string::npos);
  CHECK(said.find("monolith: a bad change reached every user") != std::string::npos);
  CHECK(said.find("monolith: the fix is live, users are fine again") != std::string::npos);
  CHECK(said.find("the release train left with 1 change\n") != std::string::npos);
}

TEST_CASE("devops: without the canary a bad change reaches every user of one service, fixed through its own pipeline") {
  auto w = make(4, quiet(Params{{"canary", "false"}}));
  CHECK(val(*w, "canary") == 0);
  w->run_until(kSec);
  REQUIRE(act(*w, "devops.commit service=cart bad=true").ok);
  w->run_until(2500 * kMs);
  CHECK(val(*w, "services.my_change") == kLive);
  CHECK(val(*w, "services.incidents") == 1);
  CHECK(val(*w, "services.down") == 1);
  w->run_until(5 * kSec);
  CHECK(val(*w, "services.down") == 0);
  // Detect 0.25 + alert 0.02 + the fix's build, test, deploy (1 s) and three hops.
  CHECK(val(*w, "services.time_to_restore_s") == doctest::Approx(1.33));
  CHECK(val(*w, "services.production_version.cart") == 2);   // the bad version, then the fix
  // Back on: the next bad change is caught.
  REQUIRE(act(*w, "devops.canary on=true").ok);
  REQUIRE(act(*w, "devops.commit service=cart bad=true").ok);
  w->run_until(8 * kSec);
  CHECK(val(*w, "services.canary_rollbacks") == 1);
  CHECK(val(*w, "services.incidents") == 1);
}

TEST_CASE("devops: a change that fails its tests never ships; the train pulls it and tests the rest again") {
  auto w = make(5, quiet());
  w->run_until(kSec);
  REQUIRE(act(*w, "devops.commit service=cart broken=true").ok);
  REQUIRE(act(*w, "devops.commit service=search").ok);
  w->run_until(4 * kSec);
  CHECK(val(*w, "services.rejected") == 1);
  CHECK(val(*w, "services.deploys") == 1);
  CHECK(val(*w, "services.production_version.cart") == 0);
  w->run_until(12 * kSec);
  CHECK(val(*w, "monolith.deploys") == 0);   // a second test run: live at 13.56 s, not 11.56 s
  CHECK(val(*w, "monolith.rejected") == 1);
  w->run_until(14 * kSec);
  CHECK(val(*w, "monolith.deploys") == 1);
  CHECK(val(*w, "monolith.last_batch") == 1);
  CHECK(w->find_model<DevopsModel>()->violations().empty());
}

TEST_CASE("devops: the checker reports a change that went live although its tests failed (seeded bug)") {
  auto w = make(6, quiet(Params{{"tests_gate", "0"}}));
  w->run_until(kSec);
  REQUIRE(act(*w, "devops.commit service=cart broken=true").ok);
  w->run_until(14 * kSec);
  const auto v = w->find_model<DevopsModel>()->violations();
  REQUIRE(v.size() == 2);   // once per side
  CHECK(v[0].find("went live although its tests failed") != std::string::npos);
  CHECK(v[0].find("cart") != std::string::npos);
  // With the gate (the default) a long random run has none.
  auto ok = make(6, {{"broken_rate", "0.3"}, {"bad_rate", "0.2"}});
  ok->run_until(120 * kSec);
  CHECK(ok->find_model<DevopsModel>()->violations().empty());
  CHECK(val(*ok, "services.rejected") > 10);
}

TEST_CASE("devops: a faster train deploys more often, and one side can be built alone") {
  auto w = make(7);
  REQUIRE(act(*w, "devops.train_interval hours=4").ok);
  CHECK(val(*w, "train_interval_s") == 4);
  w->run_until(60 * kSec);
  auto slow = make(7);
  slow->run_until(60 * kSec);
  CHECK(val(*slow, "monolith.deploys") <= 7);
  CHECK(val(*w, "monolith.deploys") >= 12);
  CHECK(val(*w, "monolith.lead_time_s") < val(*slow, "monolith.lead_time_s"));
  auto s = make(7, {{"style", "services"}});
  CHECK(s->find_node("train") == std::nullopt);
  CHECK(!s->find_model<DevopsModel>()->value("monolith.deploys"));
  CHECK(!act(*s, "devops.train_interval hours=4").ok);   // no train in this world
  auto m = make(7, {{"style", "monolith"}});
  CHECK(m->find_node("cart-build") == std::nullopt);
  m->run_until(20 * kSec);
  CHECK(val(*m, "monolith.deploys") >= 1);
  // The teams are the first nodes, so each side alone gets the very same commits (for two
  // worlds shown side by side): the same count, the same monolith as in the world with both.
  s->run_until(20 * kSec);
  auto both = make(7);
  both->run_until(20 * kSec);
  CHECK(val(*s, "services.committed") == val(*m, "monolith.committed"));
  CHECK(val(*m, "monolith.committed") == val(*both, "monolith.committed"));
  CHECK(val(*m, "monolith.lead_time_s") == val(*both, "monolith.lead_time_s"));
  CHECK(val(*s, "services.lead_time_s") == val(*both, "services.lead_time_s"));
}

TEST_CASE("devops: bad parameters and commands are refused, the world unchanged") {
  std::string err;
  CHECK(!build_world("devops", 1, {{"style", "mixed"}}, &err));
  CHECK(err.find("style") != std::string::npos);
  CHECK(!build_world("devops", 1, {{"teams", "9"}}, &err));
  CHECK(!build_world("devops", 1, {{"bad_rate", "1.5"}}, &err));
  CHECK(!build_world("devops", 1, {{"canary", "maybe"}}, &err));
  auto w = make(1);
  w->run_until(kSec);
  const size_t log = w->command_log().size();
  CHECK(!act(*w, "devops.commit service=billing").ok);
  CHECK(!act(*w, "devops.commit").ok);
  CHECK(!act(*w, "devops.commit service=cart bad=maybe").ok);
  CHECK(!act(*w, "devops.canary on=true catch=2").ok);
  CHECK(!act(*w, "devops.train_interval hours=0.1").ok);
  CHECK(!act(*w, "devops.bad_rate rate=-1").ok);
  CHECK(w->command_log().size() == log);
  CHECK(val(*w, "canary_catch") == doctest::Approx(0.9));
  REQUIRE(act(*w, "crash node=cart-team").ok);
  CHECK(!act(*w, "devops.commit service=cart").ok);   // the team is down
  CHECK(act(*w, "devops.commit service=payment").ok);
}

TEST_CASE("devops: a crashed stage resumes its queue when restarted") {
  auto w = make(8, quiet());
  w->run_until(kSec);
  REQUIRE(act(*w, "devops.commit service=cart").ok);
  w->run_until(1100 * kMs);   // being built
  REQUIRE(act(*w, "crash node=cart-build").ok);
  w->run_until(3 * kSec);
  CHECK(val(*w, "services.deploys") == 0);
  REQUIRE(act(*w, "restart node=cart-build").ok);
  w->run_until(6 * kSec);
  CHECK(val(*w, "services.deploys") == 1);
  // A job for a stage that is down waits in its queue.
  REQUIRE(act(*w, "crash node=cart-test").ok);
  REQUIRE(act(*w, "devops.commit service=cart").ok);
  w->run_until(9 * kSec);
  CHECK(val(*w, "services.in_pipeline") == 1);
  CHECK(val(*w, "services.deploys") == 1);
  REQUIRE(act(*w, "restart node=cart-test").ok);
  w->run_until(12 * kSec);
  CHECK(val(*w, "services.deploys") == 2);
  CHECK(val(*w, "services.in_pipeline") == 0);
}

TEST_CASE("devops: a duplicated message does not run a release twice (found by a chaos campaign)") {
  // Every message delivered twice: each stage must take a release once, the train a change once,
  // a team write one fix per bad change.
  auto w = make(11, quiet(Params{{"canary", "false"}}));
  REQUIRE(act(*w, "set_link duplicate=1").ok);
  w->run_until(kSec);
  REQUIRE(act(*w, "devops.commit service=cart").ok);
  REQUIRE(act(*w, "devops.commit service=payment bad=true").ok);
  w->run_until(30 * kSec);
  CHECK(w->find_model<DevopsModel>()->violations().empty());
  CHECK(val(*w, "services.deploys") == 3);   // cart, the bad payment change, its fix
  CHECK(val(*w, "services.production_version.payment") == 2);
  CHECK(val(*w, "monolith.deploys") == 2);   // the train with both, the train with the one fix
  CHECK(val(*w, "monolith.last_batch") == 1);
  CHECK(w->find_model<DevopsModel>()->changes().size() == 6);   // 2 x 2 commits + 2 fixes
}

TEST_CASE("devops: the same seed gives the same trace") {
  uint64_t h[2];
  for (int i = 0; i < 2; ++i) {
    auto w = make(9);
    w->run_until(5 * kSec);
    REQUIRE(act(*w, "devops.commit service=payment bad=true").ok);
    REQUIRE(act(*w, "devops.canary on=false").ok);
    w->run_until(20 * kSec);
    REQUIRE(act(*w, "devops.train_interval hours=4").ok);
    w->run_until(40 * kSec);
    h[i] = w->trace().hash();
  }
  CHECK(h[0] == h[1]);
  auto other = make(10);
  other->run_until(40 * kSec);
  CHECK(other->trace().hash() != h[0]);
}
