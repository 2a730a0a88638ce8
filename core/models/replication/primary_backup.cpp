// Primary-backup with asynchronous replication (see primary_backup.h): the server process
// (primary or backup), the client process, the model's views and the pb.* Commands.
#include "models/replication/primary_backup.h"

#include <algorithm>
#include <ostream>
#include "util/i18n.h"

namespace topo::replication {

namespace {

constexpr uint64_t kTagReplicate = 1;
constexpr uint64_t kTagDetect = 2;
constexpr Time kDetectPeriod = 25 * kMs;

std::shared_ptr<KvMsg> msg() { return std::make_shared<KvMsg>(); }

}  // namespace

// ---- server -----------------------------------------------------------------------------------

class PbServer : public Process {
 public:
  PbServer(NodeId self, PbDisk* disk, PbModel* model) : self_(self), disk_(disk), model_(model) {}

  bool is_primary() const { return role_ == Role::Primary; }
  const PbDisk& disk() const { return *disk_; }

  void on_start(Ctx& ctx) override {
    // A (re)started server never assumes it is primary: it waits as a backup to hear from one.
    // Only the very first primary of view 1 starts as primary.
    const auto& servers = model_->servers();
    if (disk_->primary == kNoNode) disk_->primary = servers.front();
    if (first_boot() && disk_->primary == self_ && disk_->view == 1 && ctx.now() == 0) {
      become_primary(ctx, /*new_view=*/false);
    } else {
      role_ = Role::Backup;
      if (disk_->primary == self_) disk_->primary = kNoNode;  // I may have been replaced
      // Whether its log followed its primary's was not on disk: it may hold writes of its own
      // time as primary. It confirms nothing until a snapshot from its primary.
      in_sync_ = false;
    }
    last_heard_ = ctx.now();
    ctx.set_timer(kDetectPeriod, kTagDetect);
  }

  void on_timer(Ctx& ctx, TimerId, uint64_t tag) override {
    if (tag == kTagReplicate) {
      if (role_ == Role::Primary) {
        replicate(ctx);
        ctx.set_timer(model_->config().replication_interval_us, kTagReplicate);
      }
      return;
    }
    if (tag == kTagDetect) {
      if (role_ == Role::Backup && ctx.now() - last_heard_ > model_->config().failover_timeout_us * rank())
        promote(ctx);
      ctx.set_timer(kDetectPeriod, kTagDetect);
    }
  }

  void on_message(Ctx& ctx, const Message& m) override {
    const auto* body = dynamic_cast<const KvMsg*>(m.body.get());
    if (!body) return;
    if (m.kind == "request") on_request(ctx, m, *body);
    else if (m.kind == "append") on_append(ctx, m, *body);
    else if (m.kind == "append_ack") on_append_ack(ctx, m, *body);
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    return {{"role", role_ == Role::Primary ? "primary" : "backup"},
            {"view", std::to_string(disk_->view)},
            {"seq", std::to_string(disk_->seq)},
            {"keys", std::to_string(disk_->store.size())},
            {"primary", disk_->primary == kNoNode ? "?" : std::to_string(disk_->primary)}};
  }

  /// Promotes this server to primary in a new view now (automatic failover or pb.failover).
  void promote(Ctx& ctx) {
    become_primary(ctx, /*new_view=*/true);
    model_->note_failover();
  }

 private:
  enum class Role { Primary, Backup };

  bool first_boot() const { return disk_->seq == 0 && disk_->store.empty(); }

  /// Place of this server in the succession after the believed primary (1 = next in line);
  /// a server that does not know the primary waits longest.
  int64_t rank() const {
    const auto& s = model_->servers();
    const int64_t n = static_cast<int64_t>(s.size());
    auto idx = [&](NodeId id) {
      for (int64_t i = 0; i < n; ++i)
        if (s[static_cast<size_t>(i)] == id) return i;
      return int64_t{-1};
    };
    const int64_t me = idx(self_), p = idx(disk_->primary);
    if (p < 0 || p == me) return n;
    return ((me - p) % n + n) % n;
  }

  void become_primary(Ctx& ctx, bool new_view) {
    if (new_view) {
      disk_->view = std::max(disk_->view, max_view_seen_) + 1;
      ctx.note("promoted", "primary of view " + std::to_string(disk_->view) + " at seq " + std::to_string(disk_->seq));
    }
    role_ = Role::Primary;
    disk_->primary = self_;
    log_.clear();
    log_base_ = disk_->seq;
    match_.clear();
    waiting_.clear();
    for (NodeId s : model_->servers())
      if (s != self_) match_[s] = -1;  // -1: needs a snapshot
    replicate(ctx);
    ctx.set_timer(model_->config().replication_interval_us, kTagReplicate);
  }

  void step_down(Ctx& ctx, int64_t view, NodeId primary) {
    ctx.note("stepped down", "view " + std::to_string(view) + " has another primary");
    role_ = Role::Backup;
    disk_->view = view;
    disk_->primary = primary;
    in_sync_ = false;  // its log (with writes it never got confirmed) is not the new primary's
    last_heard_ = ctx.now();
    log_.clear();
    match_.clear();
    waiting_.clear();  // never answered: the clients time out (the writes' fate is unknown)
  }

  void replicate(Ctx& ctx) {
    const PbConfig& cfg = model_->config();
    std::shared_ptr<const std::map<std::string, Cell>> snap;
    std::shared_ptr<const std::set<uint64_t>> applied;
    for (auto& [peer, match] : match_) {
      auto a = msg();
      a->view = disk_->view;
      if (match < log_base_) {
        if (!snap) snap = std::make_shared<const std::map<std::string, Cell>>(disk_->store);
        a->snapshot = snap;
        a->seq = disk_->seq;
        if (!applied) applied = std::make_shared<const std::set<uint64_t>>(disk_->applied);
        a->applied = applied;
        ctx.send(peer, "append", a, 200 + 40 * static_cast<int64_t>(snap->size()));
        continue;
      }
      a->seq = match;  // entries follow this position
      for (int64_t s = match + 1; s <= disk_->seq && static_cast<int>(a->entries.size()) < cfg.max_batch; ++s)
        a->entries.push_back(log_[static_cast<size_t>(s - log_base_ - 1)]);
      ctx.send(peer, "append", a, 100 + 40 * static_cast<int64_t>(a->entries.size()));
    }
  }

  void on_request(Ctx& ctx, const Message& m, const KvMsg& req) {
    auto r = msg();
    r->op = req.op;
    r->key = req.key;
    r->is_read = req.is_read;
    if (role_ != Role::Primary) {
      r->status = disk_->primary != kNoNode && disk_->primary != self_ ? KvMsg::Redirect : KvMsg::Fail;
      r->hint = disk_->primary;
      ctx.send(m.from, "response", r);
      return;
    }
    if (req.is_read) {
      auto it = disk_->store.find(req.key);
      if (it != disk_->store.end()) r->cell = it->second;
    } else {
      Cell c;
      c.value = req.cell.value;
      c.version = Version{disk_->view, ++disk_->seq};
      c.write_id = req.op;
      disk_->store[req.key] = c;
      disk_->applied.insert(req.op);
      log_.push_back({disk_->seq, req.key, c});
      r->cell = c;
    }
    r->view = disk_->view;
    if (!req.is_read && model_->config().sync) {
      // Synchronous: the answer waits until every backup has confirmed this position.
      waiting_.push_back({disk_->seq, m.from, r});
      replicate(ctx);
      return;
    }
    ctx.send(m.from, "response", r);  // asynchronous: acknowledged before any backup has it
  }

  /// Synchronous mode: answers the writes every backup has confirmed.
  void release(Ctx& ctx) {
    int64_t confirmed = disk_->seq;
    for (const auto& [peer, match] : match_) confirmed = std::min(confirmed, match);
    size_t n = 0;
    while (n < waiting_.size() && waiting_[n].seq <= confirmed) {
      ctx.send(waiting_[n].client, "response", waiting_[n].reply);
      ++n;
    }
    waiting_.erase(waiting_.begin(), waiting_.begin() + static_cast<std::ptrdiff_t>(n));
  }

  void on_append(Ctx& ctx, const Message& m, const KvMsg& a) {
    max_view_seen_ = std::max(max_view_seen_, a.view);
    auto ack = msg();
    if (a.view < disk_->view) {  // a stale primary: tell it about the newer view
      ack->view = disk_->view;
      ack->hint = disk_->primary;
      ack->seq = disk_->seq;
      ctx.send(m.from, "append_ack", ack);
      return;
    }
    if (role_ == Role::Primary) {
      // Two servers promoted into the same view number (each cut off from the other): the
      // lower node id keeps it; the other steps down.
      if (a.view == disk_->view && m.from > self_) return;
      step_down(ctx, a.view, m.from);
    }
    // Synchronous mode: a backup's confirmation is a promise the primary acknowledges writes on,
    // so within one view it follows one primary only. Two servers promoted into the same view
    // number (each cut off from the other) would otherwise both count its confirmations, and a
    // snapshot from the second would erase writes the first has acknowledged. The other one is
    // told (Redirect) and steps down if it has the higher id, as between two primaries.
    if (model_->config().sync && a.view == disk_->view && disk_->primary != kNoNode && disk_->primary != m.from &&
        disk_->primary != self_) {
      ack->view = disk_->view;
      ack->hint = disk_->primary;
      ack->status = KvMsg::Redirect;
      ctx.send(m.from, "append_ack", ack);
      return;
    }
    last_heard_ = ctx.now();
    if (a.view > disk_->view || disk_->primary != m.from) {
      disk_->view = a.view;
      disk_->primary = m.from;
      in_sync_ = false;
    }
    if (a.snapshot && in_sync_ && a.seq < disk_->seq) {
      // An older snapshot of this primary's store, overtaken by later appends on the network:
      // installing it would take back writes this backup has already confirmed.
    } else if (a.snapshot) {
      disk_->store = *a.snapshot;
      disk_->seq = a.seq;
      if (a.applied) disk_->applied = *a.applied;
      in_sync_ = true;
    } else if (in_sync_) {
      for (const KvMsg::Entry& e : a.entries) {
        if (e.seq != disk_->seq + 1) continue;
        disk_->store[e.key] = e.cell;
        disk_->applied.insert(e.cell.write_id);
        disk_->seq = e.seq;
      }
    }
    ack->view = disk_->view;
    ack->seq = in_sync_ ? disk_->seq : -1;
    ctx.send(m.from, "append_ack", ack);
  }

  void on_append_ack(Ctx& ctx, const Message& m, const KvMsg& a) {
    max_view_seen_ = std::max(max_view_seen_, a.view);
    if (role_ != Role::Primary) return;
    if (a.view > disk_->view) {
      step_down(ctx, a.view, a.hint);
      return;
    }
    if (a.view < disk_->view) return;
    if (a.status == KvMsg::Redirect) {  // sync: that backup follows another primary of this view
      if (a.hint != kNoNode && a.hint < self_) step_down(ctx, a.view, a.hint);
      return;
    }
    auto it = match_.find(m.from);
    if (it == match_.end()) return;
    // A snapshot installs at the primary's seq at send time, which is >= log_base_.
    it->second = a.seq < 0 ? -1 : std::min(a.seq, disk_->seq);
    if (model_->config().sync) release(ctx);
  }

  NodeId self_;
  PbDisk* disk_;
  PbModel* model_;
  Role role_ = Role::Backup;
  Time last_heard_ = 0;
  int64_t max_view_seen_ = 0;
  bool in_sync_ = true;                 ///< backup: its log position follows the primary's
  std::vector<KvMsg::Entry> log_;       ///< primary: entries after log_base_
  int64_t log_base_ = 0;
  std::map<NodeId, int64_t> match_;     ///< primary: last seq each backup confirmed (-1: snapshot)
  struct Waiting {
    int64_t seq;
    NodeId client;
    std::shared_ptr<KvMsg> reply;
  };
  std::vector<Waiting> waiting_;        ///< primary, sync mode: writes not yet on every backup
};

// ---- client -----------------------------------------------------------------------------------

class PbClient : public Process {
 public:
  PbClient(int32_t index, PbModel* model) : index_(index), model_(model) {}

  void on_start(Ctx& ctx) override {
    target_ = 0;
    schedule_next(ctx);
  }

  void on_timer(Ctx& ctx, TimerId, uint64_t tag) override {
    if (tag == 0) {
      issue(ctx);
      schedule_next(ctx);
      return;
    }
    auto it = pending_.find(tag);  // an op timed out: its outcome stays unknown
    if (it == pending_.end()) return;
    model_->recorder().timed_out(tag, ctx.now());
    pending_.erase(it);
    target_ = (target_ + 1) % static_cast<int>(model_->servers().size());  // suspect the primary
  }

  void on_message(Ctx& ctx, const Message& m) override {
    const auto* r = dynamic_cast<const KvMsg*>(m.body.get());
    if (!r || m.kind != "response") return;
    auto it = pending_.find(r->op);
    if (it == pending_.end()) return;  // late answer to an op that timed out
    Pending& p = it->second;
    if (r->status == KvMsg::Ok) {
      if (r->is_read) model_->recorder().read_ok(r->op, ctx.now(), r->cell);
      else model_->recorder().write_ok(r->op, ctx.now(), r->cell.version);
      ctx.cancel_timer(p.timer);
      pending_.erase(it);
      return;
    }
    // Redirect or "no primary known": the op did not happen there; follow the hint.
    const auto& servers = model_->servers();
    for (size_t i = 0; i < servers.size(); ++i)
      if (servers[i] == r->hint) target_ = static_cast<int>(i);
    if (r->status == KvMsg::Redirect && r->hint != kNoNode && p.redirects < model_->config().max_redirects) {
      ++p.redirects;
      send(ctx, r->op, p);
      return;
    }
    model_->recorder().fail(r->op, ctx.now());
    ctx.cancel_timer(p.timer);
    pending_.erase(it);
    if (r->status != KvMsg::Redirect) target_ = (target_ + 1) % static_cast<int>(servers.size());
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    return {{"outstanding", std::to_string(pending_.size())},
            {"primary_guess", model_->servers().empty() ? "?" : std::to_string(model_->servers()[static_cast<size_t>(target_)])}};
  }

 private:
  struct Pending {
    bool is_read = false;
    std::string key, value;
    int redirects = 0;
    TimerId timer = 0;
  };

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
    if (!p.is_read) p.value = "c" + std::to_string(index_ + 1) + "-" + std::to_string(++writes_);
    const uint64_t id = model_->recorder().invoke(index_ + 1, p.is_read ? kv::OpKind::Read : kv::OpKind::Write,
                                                  p.key, p.value, ctx.now());
    p.timer = ctx.set_timer(load.op_timeout_us, id);
    auto& slot = pending_[id] = std::move(p);
    send(ctx, id, slot);
  }

  void send(Ctx& ctx, uint64_t id, const Pending& p) {
    auto r = msg();
    r->op = id;
    r->is_read = p.is_read;
    r->key = p.key;
    r->cell.value = p.value;
    ctx.send(model_->servers()[static_cast<size_t>(target_)], "request", r);
  }

  int32_t index_;
  PbModel* model_;
  int target_ = 0;
  int64_t writes_ = 0;
  std::map<uint64_t, Pending> pending_;
};

// ---- model ------------------------------------------------------------------------------------

const PbServer* PbModel::server(NodeId id) const {
  if (!world_) return nullptr;
  return dynamic_cast<const PbServer*>(world_->process(id));
}

std::vector<PbModel::ServerView> PbModel::server_views() const {
  std::vector<ServerView> out;
  for (NodeId id : servers_) {
    ServerView v;
    v.id = id;
    if (const PbServer* sv = server(id)) {
      v.up = true;
      v.primary = sv->is_primary();
      v.view = sv->disk().view;
      v.seq = sv->disk().seq;
    }
    out.push_back(v);
  }
  return out;
}

std::optional<NodeId> PbModel::primary() const {
  std::optional<NodeId> best;
  int64_t best_view = -1;
  for (NodeId id : servers_) {
    const PbServer* s = server(id);
    if (s && s->is_primary() && s->disk().view > best_view) {
      best = id;
      best_view = s->disk().view;
    }
  }
  return best;
}

int64_t PbModel::lost_writes() const {
  auto p = primary();
  if (!p) return 0;
  const std::set<uint64_t>& applied = server(*p)->disk().applied;
  int64_t lost = 0;
  for (uint64_t id : recorder_.acked_write_ids())
    if (!applied.count(id)) ++lost;
  return lost;
}

int64_t PbModel::unreplicated() const {
  auto p = primary();
  if (!p) return 0;
  const PbDisk& pd = server(*p)->disk();
  int64_t best = -1;
  for (NodeId id : servers_) {
    const PbServer* s = id == *p ? nullptr : server(id);
    if (s && s->disk().view == pd.view && s->disk().primary == *p) best = std::max(best, s->disk().seq);
  }
  if (best < 0) return 0;  // no backup follows this primary yet: nothing to compare with
  return std::max<int64_t>(0, pd.seq - best);
}

std::optional<double> PbModel::value(std::string_view key) const {
  if (key == "acked_writes") return static_cast<double>(recorder_.acked_writes());
  if (key == "lost_writes") return static_cast<double>(lost_writes());
  if (key == "stale_reads") return static_cast<double>(recorder_.stale_reads());
  if (key == "unreplicated") return static_cast<double>(unreplicated());
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
  if (key == "failovers") return static_cast<double>(failovers_);
  if (key == "violations") return static_cast<double>(recorder_.violations().size());
  if (key == "p50_ms") return recorder_.latency_ms(0.5);
  if (key == "p99_ms") return recorder_.latency_ms(0.99);
  if (key == "p50_ok_ms") return recorder_.latency_ok_ms(0.5);
  if (key == "p99_ok_ms") return recorder_.latency_ok_ms(0.99);
  if (key == "primary" || key == "view") {
    auto p = primary();
    if (!p) return 0.0;
    if (key == "view") return static_cast<double>(server(*p)->disk().view);
    for (size_t i = 0; i < servers_.size(); ++i)
      if (servers_[i] == *p) return static_cast<double>(i + 1);
  }
  return std::nullopt;
}

std::vector<ValueDecl> PbModel::value_decls() const {
  std::vector<ValueDecl> out = kv_client_value_decls();
  const std::vector<ValueDecl> own = value_decl_table({
      {"lost_writes", "count", "", "acknowledged writes the current primary does not have"},
      {"unreplicated", "count", "", "writes the primary has that a backup lacks"},
      {"failovers", "count", "", "times a backup took over"},
      {"primary", "number", "", "1-based number of the primary server, 0 if none (not a node number)"},
      {"view", "count", "", "the primary's view number, 0 if none"},
  });
  out.insert(out.end(), own.begin(), own.end());
  return out;
}

std::string PbModel::state_json() const {
  auto p = primary();
  std::string s = "{\"model\":\"primary-backup\",\"primary\":";
  s += p && world_ ? json_string(world_->node(*p).name) : std::string("null");
  s += ",\"view\":" + std::to_string(p ? server(*p)->disk().view : 0);
  s += ",\"failovers\":" + std::to_string(failovers_) + ",\"lost_writes\":" + std::to_string(lost_writes());
  s += "," + recorder_.json_fields();
  s += ",\"violations\":" + std::to_string(recorder_.violations().size());
  s += ",\"servers\":[";
  for (size_t i = 0; i < servers_.size(); ++i) {
    const Node& n = world_->node(servers_[i]);
    const PbServer* sv = server(servers_[i]);
    if (i) s += ",";
    s += "{\"name\":" + json_string(n.name) + ",\"status\":\"" + to_string(n.status) + "\"";
    if (sv) {
      s += ",\"role\":\"" + std::string(sv->is_primary() ? "primary" : "backup") + "\"";
      s += ",\"view\":" + std::to_string(sv->disk().view) + ",\"seq\":" + std::to_string(sv->disk().seq);
      s += ",\"keys\":" + std::to_string(sv->disk().store.size());
    }
    s += "}";
  }
  s += "]}";
  return s;
}

void PbModel::report_metrics(std::ostream& out) const {
  out << "{\"model\":\"primary-backup\"," << recorder_.json_fields() << ",\"lost_writes\":" << lost_writes()
      << ",\"failovers\":" << failovers_ << ",\"violations\":" << recorder_.violations().size()
      << ",\"p99_ok_ms\":" << json_number(recorder_.latency_ok_ms(0.99)) << "}\n";
}

bool PbModel::write_history(std::ostream& out) const {
  recorder_.history().write_jsonl(out);
  return true;
}

// ---- building -----------------------------------------------------------------------------------

std::string build_primary_backup(World& w, const PbConfig& cfg) {
  if (cfg.servers < 2 || cfg.servers > 9) return "servers must be in [2, 9]";
  if (cfg.load.clients < 0 || cfg.load.clients > 32) return "clients must be in [0, 32]";
  auto* model = static_cast<PbModel*>(w.add_model(std::make_unique<PbModel>(cfg)));
  model->world_ = &w;
  for (int i = 0; i < cfg.servers; ++i) {
    const NodeId id = w.add_node(
        "p" + std::to_string(i + 1), "server",
        [model](NodeId self, Persistent* disk) {
          return std::make_unique<PbServer>(self, static_cast<PbDisk*>(disk), model);
        },
        std::make_unique<PbDisk>());
    model->servers_.push_back(id);
  }
  for (int i = 0; i < cfg.load.clients; ++i) {
    const NodeId id = w.add_node("c" + std::to_string(i + 1), "client", [model, i](NodeId, Persistent*) {
      return std::make_unique<PbClient>(i, model);
    });
    model->clients_.push_back(id);
  }
  w.register_command(
      {"pb.failover",
       N_("Promote a backup to primary now, in a new view (default: the primary's successor). The old "
       "primary steps down when it hears of the new view; writes it had not shipped are lost."),
       {{"node", "node", false, N_("the backup to promote")}},
       [model](World& world, const Command& c) {
         NodeId target = kNoNode;
         const auto& servers = model->servers();
         if (c.args.count("node")) {
           std::string err;
           auto id = world.resolve_node(c.arg("node"), &err);
           if (!id) return CommandResult::fail(err);
           if (std::find(servers.begin(), servers.end(), *id) == servers.end())
             return CommandResult::fail("node \"" + c.arg("node") + "\" is not a primary-backup server");
           target = *id;
         } else {
           auto p = model->primary();
           size_t start = 0;
           for (size_t i = 0; p && i < servers.size(); ++i)
             if (servers[i] == *p) start = i;
           for (size_t k = 1; k <= servers.size() && target == kNoNode; ++k) {
             NodeId cand = servers[(start + k) % servers.size()];
             if (world.node(cand).status == NodeStatus::Up && (!p || cand != *p)) target = cand;
           }
           if (target == kNoNode) return CommandResult::fail("no backup is up to promote");
         }
         auto* s = dynamic_cast<PbServer*>(world.process(target));
         if (!s || world.node(target).status != NodeStatus::Up)
           return CommandResult::fail("node \"" + world.node(target).name + "\" is not up");
         if (s->is_primary()) return CommandResult::fail("node \"" + world.node(target).name + "\" is already primary");
         Ctx ctx(world, target);
         s->promote(ctx);
         return CommandResult::success();
       }});
  w.register_command(
      {"pb.set", N_("Change primary-backup timing live."),
       {{"replication_ms", "duration", false, N_("how often the primary ships its log to the backups (ms, > 0)"), "ms", "> 0"},
        {"failover_ms", "duration", false, N_("how long backups wait without the primary before promoting (ms, > 0)"), "ms", "> 0"}},
       [model](World&, const Command& c) {
         double rep = 0, fo = 0;
         const bool has_rep = c.args.count("replication_ms") > 0, has_fo = c.args.count("failover_ms") > 0;
         if (!has_rep && !has_fo) return CommandResult::fail("give replication_ms= or failover_ms=");
         if (has_rep && (!parse_number(c.arg("replication_ms"), &rep) || rep <= 0 || rep > 600000))
           return CommandResult::fail("replication_ms= must be a number in (0, 600000] (got " + c.arg("replication_ms") + ")");
         if (has_fo && (!parse_number(c.arg("failover_ms"), &fo) || fo <= 0 || fo > 600000))
           return CommandResult::fail("failover_ms= must be a number in (0, 600000] (got " + c.arg("failover_ms") + ")");
         if (has_rep) model->config().replication_interval_us = static_cast<Time>(rep * 1000);
         if (has_fo) model->config().failover_timeout_us = static_cast<Time>(fo * 1000);
         return CommandResult::success();
       }});
  return "";
}

}  // namespace topo::replication
