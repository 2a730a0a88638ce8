// Leaderless quorum store (see quorum.h): replica and client-coordinator processes, the model's
// views and the quorum.set Command.
#include "models/replication/quorum.h"

#include <algorithm>
#include <ostream>
#include "util/i18n.h"

namespace topo::replication {

const char* to_string(ReadRepair r) {
  switch (r) {
    case ReadRepair::Off: return "off";
    case ReadRepair::Async: return "async";
    case ReadRepair::Sync: return "sync";
  }
  return "?";
}

bool parse_read_repair(std::string_view s, ReadRepair* out) {
  if (s == "off" || s == "0" || s == "false") *out = ReadRepair::Off;
  else if (s == "async" || s == "1" || s == "true") *out = ReadRepair::Async;
  else if (s == "sync") *out = ReadRepair::Sync;
  else return false;
  return true;
}

namespace {

std::shared_ptr<KvMsg> msg() { return std::make_shared<KvMsg>(); }

class QuorumReplica : public Process {
 public:
  QuorumReplica(QuorumDisk* disk, QuorumModel* model) : disk_(disk), model_(model) {}

  void on_message(Ctx& ctx, const Message& m) override {
    const auto* b = dynamic_cast<const KvMsg*>(m.body.get());
    if (!b) return;
    if (m.kind == "request") {
      lead(ctx, m, *b);
    } else if ((m.kind == "write_ack" && b->seq == kLeaderPhase) || m.kind == "read_reply") {
      follower_replied(ctx, m, *b);
    } else if (m.kind == "write" || m.kind == "repair") {
      Cell& c = disk_->store[b->key];
      if (c.version < b->cell.version) c = b->cell;  // last write wins
      if (m.kind == "write") {
        auto a = msg();
        a->op = b->op;
        a->key = b->key;
        a->seq = b->seq;  // the client's phase
        ctx.send(m.from, "write_ack", a, 60);
      }
    } else if (m.kind == "read") {
      auto r = msg();
      r->op = b->op;
      r->key = b->key;
      r->is_read = true;
      auto it = disk_->store.find(b->key);
      if (it != disk_->store.end()) r->cell = it->second;
      ctx.send(m.from, "read_reply", r);
    }
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    std::vector<std::pair<std::string, std::string>> out = {{"keys", std::to_string(disk_->store.size())}};
    if (model_->config().leader_mode)
      out.push_back({"role", is_leader_ ? "leader" : "follower"});
    return out;
  }

  void on_start(Ctx& ctx) override {
    is_leader_ = !model_->replicas().empty() && model_->replicas().front() == ctx.self();
  }

  /// Write phase tag of a leader's replication (clients use 0 and 1).
  static constexpr int64_t kLeaderPhase = 2;

 private:
  /// Leader mode: r1 orders every operation. A write is stored here and answered once a
  /// majority (this replica included) holds it; a read is answered from this replica's store
  /// once a majority has confirmed it is still the one everybody follows (a ReadIndex round).
  void lead(Ctx& ctx, const Message& m, const KvMsg& req) {
    auto resp = msg();
    resp->op = req.op;
    resp->key = req.key;
    resp->is_read = req.is_read;
    if (!model_->config().leader_mode || !is_leader_) {
      resp->status = KvMsg::Fail;
      ctx.send(m.from, "response", resp);
      return;
    }
    Led l;
    l.client = m.from;
    l.reply = resp;
    if (req.is_read) {
      auto it = disk_->store.find(req.key);
      if (it != disk_->store.end()) resp->cell = it->second;
    } else {
      Cell c{req.cell.value, Version{ctx.now(), 0}, req.op};
      Cell& mine = disk_->store[req.key];
      if (mine.version < c.version) mine = c;
      resp->cell = c;
    }
    const int need = static_cast<int>(model_->replicas().size()) / 2 + 1;
    if (need <= 1) {
      ctx.send(m.from, "response", resp);
      return;
    }
    led_[req.op] = l;
    for (NodeId rep : model_->replicas()) {
      if (rep == ctx.self()) continue;
      auto f = msg();
      f->op = req.op;
      f->key = req.key;
      if (req.is_read) {
        f->is_read = true;
        ctx.send(rep, "read", f, 60);
      } else {
        f->cell = resp->cell;
        f->seq = kLeaderPhase;
        ctx.send(rep, "write", f);
      }
    }
  }

  void follower_replied(Ctx& ctx, const Message& m, const KvMsg& b) {
    auto it = led_.find(b.op);
    if (it == led_.end()) return;
    Led& l = it->second;
    if (std::find(l.from.begin(), l.from.end(), m.from) != l.from.end()) return;  // duplicate
    l.from.push_back(m.from);
    const int need = static_cast<int>(model_->replicas().size()) / 2 + 1;
    if (static_cast<int>(l.from.size()) + 1 < need) return;
    ctx.send(l.client, "response", l.reply);
    led_.erase(it);
  }

  struct Led {
    NodeId client = kNoNode;
    std::shared_ptr<KvMsg> reply;
    std::vector<NodeId> from;  ///< followers that answered
  };

  QuorumDisk* disk_;
  QuorumModel* model_;
  bool is_leader_ = false;
  std::map<uint64_t, Led> led_;
};

class QuorumClient : public Process {
 public:
  QuorumClient(int32_t index, QuorumModel* model) : index_(index), model_(model) {}

  void on_start(Ctx& ctx) override { schedule_next(ctx); }

  void on_timer(Ctx& ctx, TimerId, uint64_t tag) override {
    if (tag == 0) {
      issue(ctx);
      schedule_next(ctx);
      return;
    }
    if (tag & kSpeculate) {  // a read's replicas are slow: ask the others too
      auto it = pending_.find(tag & ~kSpeculate);
      if (it == pending_.end() || it->second.phase != 0) return;
      for (NodeId rep : model_->replicas())
        if (std::find(it->second.asked.begin(), it->second.asked.end(), rep) == it->second.asked.end())
          send_read(ctx, it->first, it->second, rep);
      return;
    }
    auto it = pending_.find(tag);
    if (it == pending_.end()) return;
    model_->recorder().timed_out(tag, ctx.now());  // no quorum in time: outcome unknown
    pending_.erase(it);
  }

  void on_message(Ctx& ctx, const Message& m) override {
    const auto* b = dynamic_cast<const KvMsg*>(m.body.get());
    if (!b) return;
    auto it = pending_.find(b->op);
    if (it == pending_.end()) return;
    Pending& p = it->second;
    const QuorumConfig& cfg = model_->config();
    if (m.kind == "response") {  // leader mode
      if (b->status != KvMsg::Ok) model_->recorder().fail(b->op, ctx.now());
      else if (p.is_read) model_->recorder().read_ok(b->op, ctx.now(), b->cell);
      else model_->recorder().write_ok(b->op, ctx.now(), b->cell.version);
      finish(ctx, it);
      return;
    }
    if (m.kind == "write_ack") {
      if (b->seq != p.phase) return;
      if (std::find(p.acked.begin(), p.acked.end(), m.from) != p.acked.end()) return;  // duplicate
      p.acked.push_back(m.from);
      if (static_cast<int>(p.acked.size()) < cfg.w) return;
      if (p.is_read) model_->recorder().read_ok(b->op, ctx.now(), p.result);  // write-back done
      else model_->recorder().write_ok(b->op, ctx.now(), p.version);
      finish(ctx, it);
      return;
    }
    if (m.kind != "read_reply" || !p.is_read || p.phase != 0) return;
    for (const auto& rep : p.replies)
      if (rep.first == m.from) return;  // duplicate
    p.replies.push_back({m.from, b->cell});
    if (static_cast<int>(p.replies.size()) < cfg.r) return;
    Cell newest;
    for (const auto& rep : p.replies)
      if (newest.version < rep.second.version) newest = rep.second;
    p.result = newest;
    if (cfg.read_repair != ReadRepair::Off && newest.version != Version{}) {
      for (const auto& rep : p.replies)
        if (rep.second.version < newest.version) {
          auto r = msg();
          r->key = p.key;
          r->cell = newest;
          ctx.send(rep.first, "repair", r);
          model_->note_repair();
        }
    }
    if (cfg.read_repair == ReadRepair::Sync && newest.version != Version{}) {
      // ABD write-back: the value must be on a write quorum before the read returns it.
      p.phase = 1;
      for (NodeId rep : model_->replicas()) {
        auto wmsg = msg();
        wmsg->op = b->op;
        wmsg->key = p.key;
        wmsg->cell = newest;
        wmsg->seq = 1;
        ctx.send(rep, "write", wmsg);
      }
      return;
    }
    model_->recorder().read_ok(b->op, ctx.now(), newest);
    finish(ctx, it);
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    return {{"outstanding", std::to_string(pending_.size())}};
  }

 private:
  struct Pending {
    bool is_read = false;
    std::string key;
    Version version;
    int64_t phase = 0;  ///< 0: the op itself; 1: a read's write-back
    std::vector<NodeId> acked;
    std::vector<NodeId> asked;  ///< replicas a read was sent to
    std::vector<std::pair<NodeId, Cell>> replies;
    Cell result;
    TimerId timer = 0;
  };

  void finish(Ctx& ctx, std::map<uint64_t, Pending>::iterator it) {
    ctx.cancel_timer(it->second.timer);
    pending_.erase(it);
  }

  void schedule_next(Ctx& ctx) {
    const double rate = model_->config().load.rate_per_sec;
    if (rate <= 0) return;
    ctx.set_timer(std::max<Time>(1, static_cast<Time>(ctx.rng().exponential(1e6 / rate))), 0);
  }

  void issue(Ctx& ctx) {
    const LoadConfig& load = model_->config().load;
    if (static_cast<int>(pending_.size()) >= load.max_outstanding) return;
    Pending p;
    p.is_read = ctx.rng().bernoulli(load.read_fraction);
    p.key = "k" + std::to_string(ctx.rng().uniform_int(0, std::max(1, load.keys) - 1));
    std::string value;
    if (!p.is_read) {
      value = "c" + std::to_string(index_ + 1) + "-" + std::to_string(++writes_);
      p.version = Version{ctx.now(), index_ + 1};
    }
    const uint64_t id = model_->recorder().invoke(index_ + 1, p.is_read ? kv::OpKind::Read : kv::OpKind::Write, p.key,
                                                  value, ctx.now());
    p.timer = ctx.set_timer(load.op_timeout_us, id);
    Pending& slot = pending_[id] = std::move(p);
    if (model_->config().leader_mode) {  // every operation goes through the leader, r1
      auto r = msg();
      r->op = id;
      r->key = slot.key;
      r->is_read = slot.is_read;
      r->cell.value = value;
      ctx.send(model_->replicas().front(), "request", r);
      return;
    }
    if (slot.is_read) {
      // R replicas picked at random (a partial shuffle); the others only if these are slow.
      std::vector<NodeId> reps = model_->replicas();
      const size_t r = static_cast<size_t>(std::min<int>(model_->config().r, static_cast<int>(reps.size())));
      for (size_t i = 0; i < r; ++i) {
        const size_t j = i + static_cast<size_t>(ctx.rng().uniform_int(0, static_cast<int64_t>(reps.size() - 1 - i)));
        std::swap(reps[i], reps[j]);
        send_read(ctx, id, slot, reps[i]);
      }
      ctx.set_timer(std::max<Time>(1, load.op_timeout_us / 4), id | kSpeculate);
      return;
    }
    for (NodeId rep : model_->replicas()) {
      auto r = msg();
      r->op = id;
      r->key = slot.key;
      r->cell = Cell{value, slot.version, id};
      ctx.send(rep, "write", r);
    }
  }

  void send_read(Ctx& ctx, uint64_t id, Pending& p, NodeId rep) {
    auto r = msg();
    r->op = id;
    r->key = p.key;
    r->is_read = true;
    p.asked.push_back(rep);
    ctx.send(rep, "read", r, 60);
  }

  static constexpr uint64_t kSpeculate = uint64_t{1} << 62;

  int32_t index_;
  QuorumModel* model_;
  int64_t writes_ = 0;
  std::map<uint64_t, Pending> pending_;
};

}  // namespace

const QuorumDisk* QuorumModel::disk(NodeId id) const {
  for (size_t i = 0; i < replicas_.size(); ++i)
    if (replicas_[i] == id) return disks_[i];
  return nullptr;
}

int64_t QuorumModel::divergent_keys() const {
  if (!world_) return 0;
  std::map<std::string, std::vector<Version>> seen;
  size_t up = 0;
  for (size_t i = 0; i < replicas_.size(); ++i) {
    if (world_->node(replicas_[i]).status != NodeStatus::Up) continue;
    ++up;
    for (const auto& [k, c] : disks_[i]->store) seen[k].push_back(c.version);
  }
  int64_t n = 0;
  for (const auto& [k, vs] : seen) {
    bool differ = vs.size() != up;
    for (const Version& v : vs) differ = differ || v != vs.front();
    if (differ) ++n;
  }
  return n;
}

std::optional<double> QuorumModel::value(std::string_view key) const {
  if (key == "n") return cfg_.n;
  if (key == "r") return cfg_.r;
  if (key == "w") return cfg_.w;
  if (key == "acked_writes") return static_cast<double>(recorder_.acked_writes());
  if (key == "stale_reads") return static_cast<double>(recorder_.stale_reads());
  if (key == "leader_mode") return cfg_.leader_mode ? 1.0 : 0.0;
  if (key == "overlap") return cfg_.r + cfg_.w > cfg_.n ? 1.0 : 0.0;
  if (world_ && (key == "recent_stale_reads" || key == "read_ms" || key == "write_ms")) {
    const Time from = world_->now() - kRecentWindow;
    if (key == "recent_stale_reads") return static_cast<double>(recorder_.stale_reads_since(from));
    return recorder_.recent_median_ms(from, key == "read_ms");
  }
  if (key == "ops") return static_cast<double>(recorder_.history().size());
  if (key == "ops_ok") return static_cast<double>(recorder_.ops_ok());
  if (key == "ops_failed") return static_cast<double>(recorder_.ops_failed());
  if (key == "ops_unknown") return static_cast<double>(recorder_.ops_unknown());
  if (key == "reads_ok") return static_cast<double>(recorder_.reads_ok());
  if (key == "read_repairs") return static_cast<double>(read_repairs_);
  if (key == "divergent_keys") return static_cast<double>(divergent_keys());
  if (key == "violations") return static_cast<double>(recorder_.violations().size());
  if (key == "p50_ms") return recorder_.latency_ms(0.5);
  if (key == "p99_ms") return recorder_.latency_ms(0.99);
  if (key == "p50_ok_ms") return recorder_.latency_ok_ms(0.5);
  if (key == "p99_ok_ms") return recorder_.latency_ok_ms(0.99);
  return std::nullopt;
}

std::vector<ValueDecl> QuorumModel::value_decls() const {
  std::vector<ValueDecl> out = value_decl_table({
      {"n", "count", "", "replicas"},
      {"r", "count", "", "replicas a read waits for"},
      {"w", "count", "", "replicas a write waits for"},
      {"leader_mode", "bool", "", "1 when every write goes through one leader"},
      {"overlap", "bool", "", "1 when R + W > N (every read meets the latest write)"},
      {"read_repairs", "count", "", "stale replicas repaired by reads"},
      {"divergent_keys", "count", "", "keys whose up replicas disagree"},
  });
  const auto& clients = kv_client_value_decls();
  out.insert(out.end(), clients.begin(), clients.end());
  return out;
}

int64_t QuorumModel::stale_keys(NodeId id) const {
  if (!world_) return 0;
  size_t me = replicas_.size();
  for (size_t i = 0; i < replicas_.size(); ++i)
    if (replicas_[i] == id) me = i;
  if (me == replicas_.size() || world_->node(id).status != NodeStatus::Up) return 0;
  int64_t stale = 0;
  for (const auto& [key, cell] : disks_[me]->store) {
    for (size_t i = 0; i < replicas_.size(); ++i) {
      if (i == me || world_->node(replicas_[i]).status != NodeStatus::Up) continue;
      auto it = disks_[i]->store.find(key);
      if (it != disks_[i]->store.end() && cell.version < it->second.version) {
        ++stale;
        break;
      }
    }
  }
  return stale;
}

std::string QuorumModel::state_json() const {
  std::string s = "{\"model\":\"quorum\",\"n\":" + std::to_string(cfg_.n) + ",\"r\":" + std::to_string(cfg_.r) +
                  ",\"w\":" + std::to_string(cfg_.w) + ",\"read_repair\":\"" + to_string(cfg_.read_repair) + "\"";
  s += ",\"mode\":\"" + std::string(cfg_.leader_mode ? "leader" : "leaderless") + "\"";
  s += ",\"overlap\":" + std::string(cfg_.r + cfg_.w > cfg_.n ? "true" : "false");
  s += "," + recorder_.json_fields();
  s += ",\"read_repairs\":" + std::to_string(read_repairs_) + ",\"divergent_keys\":" + std::to_string(divergent_keys());
  s += ",\"violations\":" + std::to_string(recorder_.violations().size());
  s += ",\"replicas\":[";
  for (size_t i = 0; i < replicas_.size(); ++i) {
    const Node& n = world_->node(replicas_[i]);
    if (i) s += ",";
    s += "{\"name\":" + json_string(n.name) + ",\"status\":\"" + to_string(n.status) + "\",\"keys\":{";
    bool first = true;
    for (const auto& [k, c] : disks_[i]->store) {
      if (!first) s += ",";
      first = false;
      s += json_string(k) + ":{\"value\":" + json_string(c.value) + ",\"version\":\"" + c.version.text() + "\"}";
    }
    s += "}}";
  }
  s += "]}";
  return s;
}

void QuorumModel::report_metrics(std::ostream& out) const {
  out << "{\"model\":\"quorum\",\"n\":" << cfg_.n << ",\"r\":" << cfg_.r << ",\"w\":" << cfg_.w << ","
      << recorder_.json_fields() << ",\"read_repairs\":" << read_repairs_
      << ",\"divergent_keys\":" << divergent_keys() << ",\"violations\":" << recorder_.violations().size()
      << ",\"p99_ok_ms\":" << json_number(recorder_.latency_ok_ms(0.99)) << "}\n";
}

bool QuorumModel::write_history(std::ostream& out) const {
  recorder_.history().write_jsonl(out);
  return true;
}

std::string build_quorum(World& w, const QuorumConfig& cfg) {
  if (cfg.n < 1 || cfg.n > 15) return "n must be in [1, 15]";
  if (cfg.r < 1 || cfg.r > cfg.n) return "r must be in [1, n]";
  if (cfg.w < 1 || cfg.w > cfg.n) return "w must be in [1, n]";
  if (cfg.load.clients < 0 || cfg.load.clients > 32) return "clients must be in [0, 32]";
  auto* model = static_cast<QuorumModel*>(w.add_model(std::make_unique<QuorumModel>(cfg)));
  model->world_ = &w;
  for (int i = 0; i < cfg.n; ++i) {
    auto disk = std::make_unique<QuorumDisk>();
    model->disks_.push_back(disk.get());
    const NodeId id = w.add_node(
        "r" + std::to_string(i + 1), "replica",
        [model](NodeId, Persistent* d) {
          return std::make_unique<QuorumReplica>(static_cast<QuorumDisk*>(d), model);
        },
        std::move(disk));
    model->replicas_.push_back(id);
  }
  for (int i = 0; i < cfg.load.clients; ++i)
    model->clients_.push_back(w.add_node("c" + std::to_string(i + 1), "client", [model, i](NodeId, Persistent*) {
      return std::make_unique<QuorumClient>(i, model);
    }));
  w.register_command(
      {"quorum.set", N_("Change the read and write quorum sizes or read repair (applies to operations issued from now on)."),
       {{"r", "int", false, N_("read quorum, 1..n")},
        {"w", "int", false, N_("write quorum, 1..n")},
        {"read_repair", "string", false, N_("off, async or sync")},
        {"mode", "string", false, N_("leaderless (clients coordinate) or leader (every operation goes through r1)")}},
       [model](World&, const Command& c) {
         QuorumConfig next = model->config();
         const int n = next.n;
         if (!c.args.count("r") && !c.args.count("w") && !c.args.count("read_repair") && !c.args.count("mode"))
           return CommandResult::fail("give r=, w=, read_repair= or mode=");
         if (c.args.count("mode")) {
           if (c.arg("mode") == "leader") next.leader_mode = true;
           else if (c.arg("mode") == "leaderless") next.leader_mode = false;
           else return CommandResult::fail("mode= must be leaderless or leader (got " + c.arg("mode") + ")");
         }
         for (const char* k : {"r", "w"}) {
           if (!c.args.count(k)) continue;
           int64_t v = 0;
           if (!parse_int(c.arg(k), &v) || v < 1 || v > n)
             return CommandResult::fail(std::string(k) + "= must be an integer in [1, " + std::to_string(n) + "] (got " +
                                        c.arg(k) + ")");
           (std::string(k) == "r" ? next.r : next.w) = static_cast<int>(v);
         }
         if (c.args.count("read_repair") && !parse_read_repair(c.arg("read_repair"), &next.read_repair))
           return CommandResult::fail("read_repair= must be off, async or sync (got " + c.arg("read_repair") + ")");
         model->config() = next;
         return CommandResult::success();
       }});
  return "";
}

}  // namespace topo::replication
