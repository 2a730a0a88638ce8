// `ping`: four nodes that heartbeat each other over a slow, jittery network and run a simple
// failure detector (a peer unheard for 1 s is suspected). It is the placeholder world of the UI,
// so messages are in flight almost all the time; crashing a node shows suspicion spreading and
// its persistent boot counter surviving the restart.
#include <algorithm>

#include "models/basic/basic.h"
#include "util/i18n.h"

namespace topo::basic {

namespace {

constexpr Time kPeriod = 250 * kMs;
constexpr Time kSuspectAfter = 1000 * kMs;

struct PingDisk : Persistent {
  int64_t boots = 0;  ///< survives crashes
};

class PingNode : public Process {
 public:
  explicit PingNode(PingDisk* disk) : disk_(disk) {}

  void on_start(Ctx& ctx) override {
    ++disk_->boots;
    const size_t n = ctx.world().nodes().size();
    last_heard_.assign(n, ctx.now());
    suspected_.assign(n, false);
    ctx.note("boot", "boot #" + std::to_string(disk_->boots));
    ctx.set_timer(ctx.rng().uniform_int(0, kPeriod), 0);
  }

  void on_timer(Ctx& ctx, TimerId, uint64_t) override {
    const NodeId self = ctx.self();
    const NodeId n = static_cast<NodeId>(last_heard_.size());
    for (NodeId p = 0; p < n; ++p) {
      if (p == self) continue;
      ctx.send_value(p, "ping", ++seq_, 64);
      ++pings_;
      if (!suspected_[static_cast<size_t>(p)] && ctx.now() - last_heard_[static_cast<size_t>(p)] > kSuspectAfter) {
        suspected_[static_cast<size_t>(p)] = true;
        ctx.note("suspect", ctx.world().node(p).name);
      }
    }
    ctx.set_timer(kPeriod - 25 * kMs + ctx.rng().uniform_int(0, 50 * kMs), 0);
  }

  void on_message(Ctx& ctx, const Message& m) override {
    const size_t from = static_cast<size_t>(m.from);
    if (from >= last_heard_.size()) return;
    last_heard_[from] = ctx.now();
    if (suspected_[from]) {
      suspected_[from] = false;
      ctx.note("alive", ctx.world().node(m.from).name);
    }
    if (m.kind == "ping") ctx.send_value(m.from, "pong", m.value, 64);
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    int64_t suspects = std::count(suspected_.begin(), suspected_.end(), true);
    return {{"boots", std::to_string(disk_->boots)},
            {"pings_sent", std::to_string(pings_)},
            {"suspects", std::to_string(suspects)}};
  }

 private:
  PingDisk* disk_;
  uint64_t seq_ = 0;
  int64_t pings_ = 0;
  std::vector<Time> last_heard_;
  std::vector<bool> suspected_;
};

std::string build_ping(World& w, const Params& params) {
  ParamReader r(params, {"nodes", "latency_ms", "jitter_ms"});
  const int64_t nodes = r.integer("nodes", 4, 2, 64);
  const double latency_ms = r.number("latency_ms", 60, 0, 60000);
  const double jitter_ms = r.number("jitter_ms", 40, 0, 60000);
  if (!r.error().empty()) return r.error();
  LinkParams lp;
  lp.latency_us = static_cast<Time>(latency_ms * 1000);
  lp.jitter_us = static_cast<Time>(jitter_ms * 1000);
  w.set_default_link(lp);
  for (int64_t i = 0; i < nodes; ++i)
    w.add_node("n" + std::to_string(i + 1), "ping",
               [](NodeId, Persistent* disk) { return std::make_unique<PingNode>(static_cast<PingDisk*>(disk)); },
               std::make_unique<PingDisk>());
  return "";
}

}  // namespace

void add_ping(std::vector<ScenarioInfo>& v) {
  v.push_back({"ping", N_("4 nodes sending each other heartbeats, with a failure detector"),
               build_ping});
  v.back().params = {
      {"nodes", "int", "", "2..64", "4", "number of nodes"},
      {"latency_ms", "number", "ms", "0..60000", "60", "one-way network latency"},
      {"jitter_ms", "number", "ms", "0..60000", "40", "extra random delay, uniform in [0, jitter]"},
  };
}

}  // namespace topo::basic
