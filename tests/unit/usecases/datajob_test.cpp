// The data-processing job use case (lesson 13c): a job finishes; a straggler stretches it;
// speculative backup tasks bring it back near normal; a crashed worker's task is re-assigned
// after the heartbeat timeout and the job still completes. Bad parameters and Commands are
// refused without changing the world; the same seed gives the same trace.
#include <doctest/doctest.h>

#include "../world_util.h"
#include "models/usecases/datajob.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

using namespace topo;
using topo::usecases::JobModel;

namespace {

std::unique_ptr<World> make(uint64_t seed, const Params& p = {}) {
  return test::make_world("datajob", seed, p);
}

CommandResult apply(World& w, const std::string& text) {
  return test::apply_text(w, text);
}

double val(const World& w, const char* key) {
  return test::model_value<JobModel>(w, key);
}

/// Runs until the current job is done (or `limit`); returns its time in seconds.
double finish(World& w, Time limit = 60 * kSec) {
  while (val(w, "job_running") == 1 && w.now() < limit) w.run_until(w.now() + 50 * kMs);
  REQUIRE(val(w, "job_done") == 1);
  CHECK(val(w, "tasks_done") == val(w, "tasks_total"));
  return val(w, "job_time_s");
}

}  // namespace

TEST_CASE("datajob: a job runs to the end on healthy workers") {
  auto w = make(1);
  w->run_until(400 * kMs);
  CHECK(val(*w, "job") == 0);
  w->run_until(600 * kMs);
  CHECK(val(*w, "job_running") == 1);
  CHECK(val(*w, "tasks_total") == 14);
  const double t = finish(*w);
  CHECK(t > 1.0);
  CHECK(t < 2.5);
  CHECK(val(*w, "reassigned") == 0);
  CHECK(val(*w, "speculative_launched") == 0);
  CHECK(val(*w, "first_job_time_s") == t);
}

TEST_CASE("datajob: a straggler stretches the job; speculation brings it back") {
  for (uint64_t seed = 1; seed <= 2; ++seed) {
    CAPTURE(seed);
    auto w = make(seed);
    w->run_until(600 * kMs);  // the first job starts at 0.5 s
    const double normal = finish(*w);
    REQUIRE(apply(*w, "slow node=w2 factor=10").ok);
    REQUIRE(apply(*w, "job.run").ok);
    const double slow = finish(*w);
    CHECK(slow > 2 * normal);
    CHECK(val(*w, "slowdown") > 2);
    REQUIRE(apply(*w, "job.speculation on=true").ok);
    REQUIRE(apply(*w, "job.run").ok);
    const double spec = finish(*w);
    CHECK(spec < 1.8 * normal);
    CHECK(spec < slow / 2);
    CHECK(val(*w, "speculative_launched") >= 1);
    CHECK(val(*w, "speculative_won") >= 1);
    CHECK(val(*w, "tasks_killed") >= 1);
  }
}

TEST_CASE("datajob: speculation costs nothing much without a straggler") {
  auto w = make(3, {{"speculation", "true"}});
  w->run_until(600 * kMs);  // the first job starts at 0.5 s
  const double t = finish(*w);
  CHECK(t < 2.5);
  CHECK(val(*w, "speculation") == 1);
}

TEST_CASE("datajob: a crashed worker's task is redone elsewhere and the job completes") {
  auto w = make(4);
  w->run_until(900 * kMs);  // the job started at 0.5 s: w3 is busy with a map task
  REQUIRE(apply(*w, "crash node=w3").ok);
  w->run_until(1500 * kMs);
  CHECK(val(*w, "workers_alive") == 4);  // not yet noticed: the heartbeat timeout is 1 s
  const double t = finish(*w);
  CHECK(val(*w, "reassigned") >= 1);
  CHECK(val(*w, "workers_alive") == 3);
  CHECK(t > 1.5);
  // The worker comes back and takes part in the next job.
  REQUIRE(apply(*w, "restart node=w3").ok);
  w->run_until(w->now() + 500 * kMs);
  CHECK(val(*w, "workers_alive") == 4);
  REQUIRE(apply(*w, "job.run").ok);
  finish(*w);
}

TEST_CASE("datajob: a coordinator crash restarts the job, which still completes") {
  auto w = make(5);
  w->run_until(1000 * kMs);
  REQUIRE(apply(*w, "crash node=coordinator").ok);
  w->run_until(1500 * kMs);
  REQUIRE(apply(*w, "restart node=coordinator").ok);
  const double t = finish(*w);
  CHECK(t > 1.0);
  CHECK(val(*w, "jobs_done") == 1);
}

TEST_CASE("datajob: bad parameters and commands are refused, the world unchanged") {
  std::string err;
  CHECK(!build_world("datajob", 1, {{"workers", "0"}}, &err));
  CHECK(err.find("workers") != std::string::npos);
  CHECK(!build_world("datajob", 1, {{"speculation", "maybe"}}, &err));
  CHECK(err.find("speculation") != std::string::npos);
  CHECK(!build_world("datajob", 1, {{"heartbeat_ms", "500"}, {"dead_after_ms", "400"}}, &err));

  auto w = make(1);
  w->run_until(800 * kMs);
  const size_t log = w->command_log().size();
  auto r = apply(*w, "job.run");
  CHECK(!r.ok);
  CHECK(r.error.find("still running") != std::string::npos);
  CHECK(!apply(*w, "job.run maps=0").ok);
  CHECK(!apply(*w, "job.run reduces=x").ok);
  CHECK(!apply(*w, "job.speculation on=maybe").ok);
  CHECK(!apply(*w, "job.speculation").ok);
  CHECK(w->command_log().size() == log);
  CHECK(val(*w, "job") == 1);
  CHECK(val(*w, "speculation") == 0);
}

TEST_CASE("datajob: the same seed gives the same trace") {
  uint64_t h[2];
  for (int i = 0; i < 2; ++i) {
    auto w = make(9);
    REQUIRE(apply(*w, "slow node=w1 factor=8").ok);
    REQUIRE(apply(*w, "job.speculation on=true").ok);
    w->run_until(1200 * kMs);
    REQUIRE(apply(*w, "crash node=w4").ok);
    w->run_until(6 * kSec);
    h[i] = w->trace().hash();
  }
  CHECK(h[0] == h[1]);
  auto other = make(10);
  other->run_until(6 * kSec);
  CHECK(other->trace().hash() != h[0]);
}
