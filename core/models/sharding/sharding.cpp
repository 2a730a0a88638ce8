// Sharding over a consistent-hash ring (see sharding.h): shard and client processes, key
// movement on membership changes, measurements and the shard.* Commands.
#include "models/sharding/sharding.h"

#include <algorithm>
#include <cmath>
#include <ostream>

#include "util/format.h"
#include "util/i18n.h"

namespace topo::sharding {

namespace {

std::string num(double v) { return util::format_fixed_trimmed(v, 4); }

class ShardNode : public Process {
 public:
  explicit ShardNode(ShardModel* model) : model_(model) {}
  void on_message(Ctx& ctx, const Message& m) override {
    if (m.kind == "get") {
      const Time cost = model_->config().service_us;
      if (cost <= 0) {
        serve(ctx, m.from, m.value);
        return;
      }
      const uint64_t tag = ++next_tag_;  // work finishes in FIFO order on the node's one core
      waiting_[tag] = {m.from, m.value};
      ctx.work(cost, tag);
    } else if (m.kind == "transfer") {
      received_ += static_cast<int64_t>(m.value);
    }
  }
  void on_work_done(Ctx& ctx, uint64_t tag) override {
    auto it = waiting_.find(tag);
    if (it == waiting_.end()) return;
    const auto [from, key] = it->second;
    waiting_.erase(it);
    serve(ctx, from, key);
  }
  std::vector<std::pair<std::string, std::string>> inspect() const override {
    return {{"served", std::to_string(served_)}, {"keys_received", std::to_string(received_)},
            {"waiting", std::to_string(waiting_.size())}};
  }

 private:
  void serve(Ctx& ctx, NodeId from, uint64_t key) {
    ++served_;
    model_->note_served(ctx.self(), static_cast<int>(key));
    ctx.send_value(from, "reply", key, 200);
  }
  ShardModel* model_;
  int64_t served_ = 0, received_ = 0;
  uint64_t next_tag_ = 0;
  std::map<uint64_t, std::pair<NodeId, uint64_t>> waiting_;
};

class ShardClient : public Process {
 public:
  explicit ShardClient(ShardModel* model) : model_(model) {}
  void on_start(Ctx& ctx) override { next(ctx); }
  void on_timer(Ctx& ctx, TimerId, uint64_t) override {
    const ShardConfig& cfg = model_->config();
    int key = 0;
    if (!(cfg.hot_key > 0 && ctx.rng().bernoulli(cfg.hot_key)))
      key = static_cast<int>(ctx.rng().uniform_int(0, cfg.keys - 1));
    const NodeId to = model_->owner_of(key);
    if (to != kNoNode) {
      model_->note_sent(to, ctx.now());
      ctx.send_value(to, "get", static_cast<uint64_t>(key), 80);
    }
    next(ctx);
  }
  void on_message(Ctx&, const Message&) override {}

 private:
  void next(Ctx& ctx) {
    const double rate = model_->config().rate_per_sec;
    if (rate > 0) ctx.set_timer(std::max<Time>(1, static_cast<Time>(ctx.rng().exponential(1e6 / rate))), 0);
  }
  ShardModel* model_;
};

}  // namespace

std::map<std::string, int64_t> ShardModel::keys_per_node() const {
  std::map<std::string, int64_t> out;
  for (const std::string& m : ring_.members()) out[m] = 0;
  for (NodeId o : owner_)
    if (o != kNoNode && world_) ++out[world_->node(o).name];
  return out;
}

void ShardModel::note_served(NodeId node, int key) {
  ++served_[node];
  ++requests_;
  if (key >= 0 && static_cast<size_t>(key) < key_requests_.size()) ++key_requests_[static_cast<size_t>(key)];
}

void ShardModel::note_sent(NodeId node, Time at) {
  sent_.emplace_back(at, node);
  ++sent_count_[node];
  while (!sent_.empty() && sent_.front().first <= at - 5 * kSec) {
    --sent_count_[sent_.front().second];
    sent_.pop_front();
  }
}

void ShardModel::reassign(World& w, std::optional<NodeId> leaving) {
  // New owners by the ring; count and ship what moved (one transfer per old -> new pair).
  std::map<std::pair<NodeId, NodeId>, int64_t> moves;
  int64_t moved = 0;
  // The naive alternative for comparison: owner = hash(key) mod N, before and after.
  const uint64_t n_before = members_before_, n_after = ring_.members().size();
  int64_t moved_modulo = 0;
  for (int i = 0; i < cfg_.keys; ++i) {
    if (n_before > 0 && n_after > 0) {
      const uint64_t h = ring_hash(key_name(i));
      if (h % n_before != h % n_after) ++moved_modulo;
    }
    const std::string& o = ring_.owner(key_name(i));
    const NodeId now = o.empty() ? kNoNode : *w.find_node(o);
    NodeId& was = owner_[static_cast<size_t>(i)];
    if (now != was) {
      ++moved;
      if (was != kNoNode && now != kNoNode) ++moves[{was, now}];
      was = now;
    }
  }
  for (const auto& [pair, count] : moves) {
    if (w.node(pair.first).status != NodeStatus::Up) continue;
    Ctx ctx(w, pair.first);
    ctx.send_value(pair.second, "transfer", static_cast<uint64_t>(count), 64 + 100 * count);
  }
  (void)leaving;
  moved_last_ = moved;
  moved_total_ += moved;
  moved_modulo_last_ = moved_modulo;
}

CommandResult ShardModel::add_node(World& w, const std::string& name) {
  if (name.empty()) return CommandResult::fail("name= must not be empty");
  if (ring_.contains(name)) return CommandResult::fail("node \"" + name + "\" is already on the ring");
  if (auto id = w.find_node(name)) {
    const Node& n = w.node(*id);
    if (n.role != "shard") return CommandResult::fail("node \"" + name + "\" exists and is not a shard node");
    if (n.status == NodeStatus::Crashed) w.restart(*id, 0);
  } else {
    w.add_node(name, "shard", [this](NodeId, Persistent*) { return std::make_unique<ShardNode>(this); });
  }
  members_before_ = ring_.members().size();
  ring_.add(name, cfg_.vnodes);
  reassign(w, std::nullopt);
  return CommandResult::success();
}

CommandResult ShardModel::remove_node(World& w, const std::string& name) {
  if (!ring_.contains(name)) return CommandResult::fail("node \"" + name + "\" is not on the ring");
  if (ring_.members().size() == 1) return CommandResult::fail("cannot remove the last node on the ring");
  const NodeId id = *w.find_node(name);
  members_before_ = ring_.members().size();
  ring_.remove(name);
  reassign(w, id);  // its keys go to the next members on the ring (it ships them first)
  if (w.node(id).status != NodeStatus::Crashed) w.crash(id);
  return CommandResult::success();
}

std::optional<double> ShardModel::value(std::string_view key) const {
  if (key == "nodes") return static_cast<double>(ring_.members().size());
  if (key == "keys") return cfg_.keys;
  if (key == "vnodes") return cfg_.vnodes;
  if (key == "keys_moved_last") return static_cast<double>(moved_last_);
  if (key == "keys_moved_total") return static_cast<double>(moved_total_);
  if (key == "requests") return static_cast<double>(requests_);
  if (key == "keys_moved_modulo_last") return static_cast<double>(moved_modulo_last_);
  if (key == "hot_key_owner") return static_cast<double>(owner_.empty() ? kNoNode : owner_[0]);
  if (key == "hot_key") return cfg_.hot_key;
  if (key == "rate") return cfg_.rate_per_sec;
  if (key == "queue_max") {
    int64_t mx = 0;
    if (world_)
      for (const std::string& m : ring_.members())
        if (auto id = world_->find_node(m)) mx = std::max(mx, world_->node(*id).queued_work);
    return static_cast<double>(mx);
  }
  if (key == "keys_per_node_max" || key == "keys_per_node_min") {
    auto per = keys_per_node();
    if (per.empty()) return 0.0;
    int64_t mx = 0, mn = INT64_MAX;
    for (const auto& [n, c] : per) {
      mx = std::max(mx, c);
      mn = std::min(mn, c);
    }
    return static_cast<double>(key == "keys_per_node_max" ? mx : mn);
  }
  if (key == "hot_key_share") {
    if (requests_ == 0) return 0.0;
    return static_cast<double>(*std::max_element(key_requests_.begin(), key_requests_.end())) /
           static_cast<double>(requests_);
  }
  if (key == "busiest_share" || key == "capacity_rps") {
    int64_t mx = 0;
    for (const auto& [n, c] : sent_count_) mx = std::max(mx, c);
    const double share = sent_.empty() ? 0.0 : static_cast<double>(mx) / static_cast<double>(sent_.size());
    if (key == "busiest_share") return share;
    if (cfg_.service_us <= 0 || share <= 0) return 0.0;
    return std::round(1e6 / static_cast<double>(cfg_.service_us) / share);
  }
  if (key == "load_share_max") {
    if (requests_ == 0) return 0.0;
    int64_t mx = 0;
    for (const auto& [n, c] : served_) mx = std::max(mx, c);
    return static_cast<double>(mx) / static_cast<double>(requests_);
  }
  return std::nullopt;
}

std::vector<ValueDecl> ShardModel::value_decls() const {
  return value_decl_table({
      {"nodes", "count", "", "ring members"},
      {"keys", "count", "", "keys on the ring"},
      {"vnodes", "count", "", "virtual nodes per member"},
      {"keys_moved_last", "count", "", "keys that moved at the last membership change"},
      {"keys_moved_total", "count", "", "keys moved since the start"},
      {"keys_moved_modulo_last", "count", "", "keys that would have moved with hash-mod-N placement"},
      {"requests", "count", "", "requests served"},
      {"hot_key_owner", "node-id", "", "node number of the hot key's owner, -1 if none"},
      {"hot_key", "fraction", "", "share of requests for the hot key (the parameter)"},
      {"rate", "number", "1/s", "requests per second (the parameter)"},
      {"queue_max", "count", "", "longest CPU queue of a member"},
      {"keys_per_node_max", "count", "", "keys on the fullest member"},
      {"keys_per_node_min", "count", "", "keys on the emptiest member"},
      {"hot_key_share", "fraction", "", "share of requests that went to the most requested key"},
      {"load_share_max", "fraction", "", "share of requests the busiest member served"},
      {"busiest_share", "fraction", "", "share of the requests sent in the last 5 s that went to the busiest member"},
      {"capacity_rps", "number", "1/s", "requests per second the store could take with that spread before its busiest member is full (0 without service_ms)"},
  });
}

std::string ShardModel::state_json() const {
  std::string s = "{\"model\":\"sharding\"";
  for (const char* k : {"nodes", "keys", "vnodes", "keys_moved_last", "keys_moved_total", "keys_per_node_max",
                        "keys_per_node_min", "requests", "hot_key_share", "load_share_max"})
    s += ",\"" + std::string(k) + "\":" + num(*value(k));
  s += ",\"members\":[";
  bool first = true;
  for (const auto& [name, count] : keys_per_node()) {
    if (!first) s += ",";
    first = false;
    int64_t served = 0;
    if (world_)
      if (auto id = world_->find_node(name)) {
        auto it = served_.find(*id);
        if (it != served_.end()) served = it->second;
      }
    s += "{\"name\":\"" + name + "\",\"keys\":" + std::to_string(count) + ",\"served\":" + std::to_string(served) + "}";
  }
  return s + "]}";
}

void ShardModel::report_metrics(std::ostream& out) const {
  std::string s = state_json();
  // One line without the per-member list.
  out << s.substr(0, s.find(",\"members\"")) << "}\n";
}

std::string build_sharding(World& w, const ShardConfig& cfg) {
  if (cfg.nodes < 1 || cfg.nodes > 64) return "nodes must be in [1, 64]";
  if (cfg.keys < 1 || cfg.keys > 1000000) return "keys must be in [1, 1000000]";
  if (cfg.vnodes < 1 || cfg.vnodes > 1000) return "vnodes must be in [1, 1000]";
  if (!(cfg.hot_key >= 0 && cfg.hot_key <= 1)) return "hot_key must be in [0, 1]";
  auto* model = static_cast<ShardModel*>(w.add_model(std::make_unique<ShardModel>(cfg)));
  model->world_ = &w;
  model->owner_.assign(static_cast<size_t>(cfg.keys), kNoNode);
  model->key_requests_.assign(static_cast<size_t>(cfg.keys), 0);
  for (int i = 0; i < cfg.nodes; ++i) {
    const std::string name = "s" + std::to_string(i + 1);
    w.add_node(name, "shard", [model](NodeId, Persistent*) { return std::make_unique<ShardNode>(model); });
    model->ring_.add(name, cfg.vnodes);
  }
  // Initial placement is not a move.
  for (int i = 0; i < cfg.keys; ++i) model->owner_[static_cast<size_t>(i)] = *w.find_node(model->ring_.owner(ShardModel::key_name(i)));
  model->client_ = w.add_node("client", "client", [model](NodeId, Persistent*) { return std::make_unique<ShardClient>(model); });
  w.register_command({"shard.add_node", N_("Start a shard node and add it to the hash ring; keys whose owner changes move to it."),
                      {{"name", "string", true, N_("the new node's name (or a removed member's, to bring it back)")}},
                      [model](World& world, const Command& c) { return model->add_node(world, c.arg("name")); }});
  w.register_command({"shard.remove_node", N_("Take a node off the hash ring and stop it; its keys move to the next members."),
                      {{"name", "node", true, N_("a ring member")}},
                      [model](World& world, const Command& c) { return model->remove_node(world, c.arg("name")); }});
  w.register_command(
      {"shard.load", N_("Change the client load live: the hot key's share of requests and the request rate."),
       {{"hot_key", "prob", false, N_("share of requests for key0, 0..1 (0 = uniform)"), "", "0..1", ""},
        {"rate", "number", false, N_("client requests per second, > 0")}},
       [model](World&, const Command& c) {
         double hot = model->config().hot_key, rate = model->config().rate_per_sec;
         if (!c.args.count("hot_key") && !c.args.count("rate")) return CommandResult::fail("give hot_key= or rate=");
         if (c.args.count("hot_key") && (!parse_number(c.arg("hot_key"), &hot) || !(hot >= 0 && hot <= 1)))
           return CommandResult::fail("hot_key= must be a number in [0, 1] (got " + c.arg("hot_key") + ")");
         if (c.args.count("rate") && (!parse_number(c.arg("rate"), &rate) || !(rate > 0 && rate <= 100000)))
           return CommandResult::fail("rate= must be a number in (0, 100000] (got " + c.arg("rate") + ")");
         if (c.args.count("rate") && model->config().rate_per_sec <= 0)
           return CommandResult::fail("rate= cannot start a client that was built with rate 0");
         model->config().hot_key = hot;
         model->config().rate_per_sec = rate;
         return CommandResult::success();
       }});
  return "";
}

}  // namespace topo::sharding

namespace topo::sharding {

std::span<const Model::Word> ShardModel::words() const {
  static constexpr Model::Word kWords[] = {
      {"shard", N_("shard")},
  };
  return kWords;
}

}  // namespace topo::sharding
