// `gossip`: nodes (1,000 by default) spreading a version number by push gossip over a lossy,
// jittery network: every 100 ms each node sends its version to `fanout` random peers; node n1
// publishes a new version every second. New rounds stop once the world has processed `events`
// events, so the benchmark's 10^7-event run drains by itself. Messages carry the version inline
// (Message::value), so the hot path allocates nothing.
#include "models/basic/basic.h"
#include "util/i18n.h"

namespace topo::basic {

namespace {

constexpr Time kRound = 100 * kMs;
constexpr uint64_t kPublishEvery = 10;  // rounds

class GossipModel : public Model {
 public:
  explicit GossipModel(int64_t nodes, uint64_t limit) : event_limit(limit), nodes_(nodes) {}
  std::string name() const override { return "gossip"; }
  std::optional<double> value(std::string_view key) const override {
    if (key == "latest_version") return static_cast<double>(latest_);
    if (key == "informed") return static_cast<double>(informed_);
    if (key == "informed_fraction") return nodes_ ? static_cast<double>(informed_) / static_cast<double>(nodes_) : 0.0;
    return std::nullopt;
  }
  std::vector<ValueDecl> value_decls() const override {
    return {
        {"latest_version", "count", "", "the newest version published"},
        {"informed", "count", "", "nodes that have the newest version"},
        {"informed_fraction", "fraction", "", "share of nodes that have the newest version"},
    };
  }
  std::string state_json() const override {
    return "{\"latest_version\":" + std::to_string(latest_) + ",\"informed\":" + std::to_string(informed_) + "}";
  }
  void report_metrics(std::ostream& out) const override { out << "{\"model\":\"gossip\"," << state_json().substr(1) << "\n"; }
  void published(uint64_t v) {
    latest_ = v;
    informed_ = 1;
  }
  void learned(uint64_t v) {
    if (v == latest_) ++informed_;
  }
  const uint64_t event_limit;

 private:
  int64_t nodes_;
  uint64_t latest_ = 0;
  int64_t informed_ = 0;
};

class GossipNode : public Process {
 public:
  GossipNode(GossipModel* model, int fanout) : model_(model), fanout_(fanout) {}
  void on_start(Ctx& ctx) override { ctx.set_timer(ctx.rng().uniform_int(1, kRound), 0); }
  void on_timer(Ctx& ctx, TimerId, uint64_t) override {
    World& w = ctx.world();
    if (w.events_processed() >= model_->event_limit) return;
    const int64_t n = static_cast<int64_t>(w.nodes().size());
    if (ctx.self() == 0 && ++rounds_ % kPublishEvery == 0) {
      version_ = version_ + 1;
      model_->published(version_);
    }
    for (int i = 0; i < fanout_ && n > 1; ++i) {
      int64_t p = ctx.rng().uniform_int(0, n - 2);
      if (p >= ctx.self()) ++p;  // anyone but self
      ctx.send_value(static_cast<NodeId>(p), "gossip", version_, 64);
    }
    ctx.set_timer(kRound - 10 * kMs + ctx.rng().uniform_int(0, 20 * kMs), 0);
  }
  void on_message(Ctx&, const Message& m) override {
    if (m.value > version_) {
      version_ = m.value;
      model_->learned(version_);
    }
  }
  std::vector<std::pair<std::string, std::string>> inspect() const override {
    return {{"version", std::to_string(version_)}};
  }

 private:
  GossipModel* model_;
  int fanout_;
  uint64_t version_ = 0;
  uint64_t rounds_ = 0;
};

std::string build_gossip(World& w, const Params& params) {
  ParamReader r(params, {"nodes", "loss", "fanout", "events", "latency_ms", "jitter_ms"});
  const int64_t nodes = r.integer("nodes", 1000, 2, 100000);
  const double loss = r.number("loss", 0.01, 0, 1);
  const int64_t fanout = r.integer("fanout", 3, 1, 64);
  const int64_t events = r.integer("events", 10000000, 0, int64_t{1} << 50);
  const double latency_ms = r.number("latency_ms", 5, 0, 60000);
  const double jitter_ms = r.number("jitter_ms", 5, 0, 60000);
  if (!r.error().empty()) return r.error();
  LinkParams lp;
  lp.latency_us = static_cast<Time>(latency_ms * 1000);
  lp.jitter_us = static_cast<Time>(jitter_ms * 1000);
  lp.loss_probability = loss;
  w.set_default_link(lp);
  auto* model = static_cast<GossipModel*>(
      w.add_model(std::make_unique<GossipModel>(nodes, static_cast<uint64_t>(events))));
  const int f = static_cast<int>(fanout);
  for (int64_t i = 0; i < nodes; ++i)
    w.add_node("n" + std::to_string(i + 1), "gossip",
               [model, f](NodeId, Persistent*) { return std::make_unique<GossipNode>(model, f); });
  return "";
}

}  // namespace

void add_gossip(std::vector<ScenarioInfo>& v) {
  v.push_back({"gossip", N_("1000 nodes spreading a new version by gossip over a network that loses messages"),
               build_gossip});
  v.back().params = {
      {"nodes", "int", "", "2..100000", "1000", "number of nodes"},
      {"loss", "prob", "", "0..1", "0.01", "probability that a message is lost"},
      {"fanout", "int", "", "1..64", "3", "peers each node pushes to"},
      {"events", "int", "", "0..2^50", "10000000", "event budget of the run"},
      {"latency_ms", "number", "ms", "0..60000", "5", "one-way network latency"},
      {"jitter_ms", "number", "ms", "0..60000", "5", "extra random delay"},
  };
}

}  // namespace topo::basic
