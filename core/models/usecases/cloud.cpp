// Use-case model for lesson 15 (cloud platform): a scheduler placing workload replicas on servers
// in zones by a spread or pack policy, re-placing them when a server or a zone fails, and copies
// of a storage volume on the servers' disks (see cloud.h). Adds the scenario `cloud` through
// add_cloud_scenarios(), called from core/catalog/catalog.cpp.
#include "models/usecases/cloud.h"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <set>
#include <tuple>

#include "models/basic/basic.h"
#include "models/builtin_scenarios.h"
#include "util/i18n.h"

namespace topo::usecases {

namespace {

constexpr uint64_t kTagTick = 1;
constexpr Time kTick = 100 * kMs;

std::string zone_name(int z) {
  std::string s(1, 'z');
  s += std::to_string(z + 1);
  return s;
}

class Scheduler : public Process {
 public:
  explicit Scheduler(CloudModel* model) : model_(model) {}

  void on_start(Ctx& ctx) override {
    const size_t n = model_->servers().size();
    last_heard_.assign(n, ctx.now());
    inc_.assign(n, -1);  // unknown until the server's next heartbeat
    alive_.assign(n, true);
    ctx.set_timer(kTick, kTagTick);
  }

  void on_message(Ctx& ctx, const Message& m) override {
    const int s = model_->server_index(m.from);
    if (s < 0 || m.kind != "heartbeat") return;
    last_heard_[static_cast<size_t>(s)] = ctx.now();
    inc_[static_cast<size_t>(s)] = static_cast<int64_t>(m.value);
  }

  void on_timer(Ctx& ctx, TimerId, uint64_t tag) override {
    if (tag != kTagTick) return;
    const CloudConfig& cfg = model_->config();
    bool back = false;
    for (size_t s = 0; s < alive_.size(); ++s) {
      const bool a = ctx.now() - last_heard_[s] <= cfg.dead_after_us;
      if (a != alive_[s])
        ctx.note(a ? "server back" : "server presumed dead", ctx.world().node(model_->servers()[s]).name);
      back |= a && !alive_[s];
      alive_[s] = a;
    }
    const int lost = model_->evict_lost(alive_, inc_, ctx.now());
    if (lost > 0) ctx.note("replicas lost", std::to_string(lost) + " to place again");
    send_starts(ctx, model_->place_unplaced(alive_, inc_, ctx.now()));
    model_->observe(ctx.now());
    // A server came back: room the policy may want (spread: a zone again), so place everything
    // by the policy again, make-before-break.
    if (back) rebalance(ctx);
    ctx.set_timer(kTick, kTagTick);
  }

  /// cloud.policy: re-place everything by the (new) policy.
  void rebalance(Ctx& ctx) { send_starts(ctx, model_->rebalance(alive_, inc_, ctx.now())); }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    int dead = 0;
    for (bool a : alive_) dead += a ? 0 : 1;
    int unplaced = 0;
    for (const auto& r : model_->replicas()) unplaced += r.server == kNoNode ? 1 : 0;
    return {{"role", "scheduler"},
            {"policy", model_->config().pack ? "pack" : "spread"},
            {"servers_presumed_dead", std::to_string(dead)},
            {"unplaced", std::to_string(unplaced)}};
  }

 private:
  void send_starts(Ctx& ctx, const std::vector<int>& placed) {
    for (int i : placed) {
      const CloudReplica& r = model_->replicas()[static_cast<size_t>(i)];
      ctx.send_value(r.server, "start", static_cast<uint64_t>(r.workload));
    }
  }

  CloudModel* model_;
  std::vector<Time> last_heard_;
  std::vector<int64_t> inc_;
  std::vector<bool> alive_;
};

class Server : public Process {
 public:
  explicit Server(CloudModel* model) : model_(model) {}

  void on_start(Ctx& ctx) override { beat(ctx); }
  void on_timer(Ctx& ctx, TimerId, uint64_t) override { beat(ctx); }
  void on_message(Ctx& ctx, const Message& m) override {
    if (m.kind == "start" && m.value < model_->config().workloads.size())
      ctx.note("starts", model_->config().workloads[m.value].name);
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    const CloudConfig& cfg = model_->config();
    std::string running;
    int cpu = 0;
    for (const auto& r : model_->replicas()) {
      if (r.server != self_) continue;
      cpu += cfg.workloads[static_cast<size_t>(r.workload)].cpu;
      if (!running.empty()) running += ", ";
      running += cfg.workloads[static_cast<size_t>(r.workload)].name;
      if (!model_->running(r)) running += " (starting)";
    }
    bool copy = false;
    for (const auto& c : model_->copies()) copy |= c.server == self_;
    return {{"role", "server"},
            {"zone", zone_name(model_->zone_of(self_))},
            {"replicas", running.empty() ? "-" : running},
            {"cpu_used", std::to_string(cpu) + "/" + std::to_string(cfg.server_cpu)},
            {"storage_copy", copy ? "yes" : "no"}};
  }

 private:
  void beat(Ctx& ctx) {
    self_ = ctx.self();
    ctx.send_value(model_->scheduler(), "heartbeat", ctx.world().node(ctx.self()).incarnation, 64);
    ctx.set_timer(model_->config().heartbeat_us, 0);
  }

  CloudModel* model_;
  NodeId self_ = kNoNode;
};

}  // namespace

int CloudModel::server_index(NodeId id) const {
  if (servers_.empty() || id < servers_.front() || id > servers_.back()) return -1;
  return id - servers_.front();
}

int CloudModel::zone_of(NodeId id) const {
  const int i = server_index(id);
  return i < 0 ? -1 : i / cfg_.servers_per_zone;
}

bool CloudModel::up(NodeId s) const { return s != kNoNode && world_->node(s).status == NodeStatus::Up; }

bool CloudModel::running(const CloudReplica& r) const {
  if (r.server != kNoNode && up(r.server) && static_cast<int64_t>(world_->node(r.server).incarnation) == r.inc &&
      world_->now() >= r.ready_at)
    return true;
  return r.old_server != kNoNode && up(r.old_server) &&
         static_cast<int64_t>(world_->node(r.old_server).incarnation) == r.old_inc;
}

int CloudModel::running_count(int workload) const {
  int n = 0;
  for (const auto& r : replicas_) n += r.workload == workload && running(r) ? 1 : 0;
  return n;
}

int CloudModel::choose(int workload, const std::vector<bool>& alive, const std::vector<int>& cpu,
                       const std::vector<int>& mem, const std::vector<int>& mine) const {
  const CloudWorkload& wl = cfg_.workloads[static_cast<size_t>(workload)];
  std::vector<int> zone_mine(static_cast<size_t>(cfg_.zones), 0);
  for (size_t s = 0; s < mine.size(); ++s) zone_mine[s / static_cast<size_t>(cfg_.servers_per_zone)] += mine[s];
  int best = -1;
  std::tuple<int, int, int, int> best_key;
  for (size_t s = 0; s < servers_.size(); ++s) {
    if (!alive[s] || cpu[s] + wl.cpu > cfg_.server_cpu || mem[s] + wl.mem_gb > cfg_.server_mem_gb) continue;
    const int i = static_cast<int>(s);
    // spread: fewest of this workload in the zone, then on the server, then the least-loaded
    // server; pack: the least CPU left after placing (best fit); ties: the first server.
    const auto key = cfg_.pack ? std::make_tuple(cfg_.server_cpu - cpu[s] - wl.cpu, 0, 0, i)
                               : std::make_tuple(zone_mine[s / static_cast<size_t>(cfg_.servers_per_zone)], mine[s], cpu[s], i);
    if (best < 0 || key < best_key) {
      best = i;
      best_key = key;
    }
  }
  return best;
}

std::vector<int> CloudModel::copy_servers(const std::vector<bool>& alive) const {
  std::vector<int> out;
  std::vector<int> per_zone(static_cast<size_t>(cfg_.zones), 0);
  for (int k = 0; k < cfg_.storage_copies; ++k) {
    int best = -1;
    for (size_t s = 0; s < servers_.size(); ++s) {
      const int i = static_cast<int>(s);
      if (!alive[s] || std::find(out.begin(), out.end(), i) != out.end()) continue;
      if (best < 0) { best = i; continue; }
      // pack: the first free server; spread: the zone with the fewest copies first.
      if (!cfg_.pack && per_zone[s / static_cast<size_t>(cfg_.servers_per_zone)] <
                            per_zone[static_cast<size_t>(best / cfg_.servers_per_zone)])
        best = i;
    }
    if (best < 0) break;
    out.push_back(best);
    ++per_zone[static_cast<size_t>(best / cfg_.servers_per_zone)];
  }
  return out;
}

std::vector<int> CloudModel::place_unplaced(const std::vector<bool>& alive, const std::vector<int64_t>& inc, Time now) {
  const size_t n = servers_.size();
  std::vector<int> cpu(n, 0), mem(n, 0);
  std::vector<bool> ok(n);
  for (size_t s = 0; s < n; ++s) ok[s] = alive[s] && inc[s] >= 0;
  for (const auto& r : replicas_) {
    if (r.server == kNoNode) continue;
    const auto& wl = cfg_.workloads[static_cast<size_t>(r.workload)];
    cpu[static_cast<size_t>(server_index(r.server))] += wl.cpu;
    mem[static_cast<size_t>(server_index(r.server))] += wl.mem_gb;
  }
  std::vector<int> placed;
  for (size_t i = 0; i < replicas_.size(); ++i) {
    CloudReplica& r = replicas_[i];
    if (r.server != kNoNode) continue;
    std::vector<int> mine(n, 0);
    for (const auto& o : replicas_)
      if (o.workload == r.workload && o.server != kNoNode) ++mine[static_cast<size_t>(server_index(o.server))];
    const int s = choose(r.workload, ok, cpu, mem, mine);
    if (s < 0) continue;
    const auto& wl = cfg_.workloads[static_cast<size_t>(r.workload)];
    r.server = servers_[static_cast<size_t>(s)];
    r.inc = inc[static_cast<size_t>(s)];
    r.ready_at = now + cfg_.start_us;
    cpu[static_cast<size_t>(s)] += wl.cpu;
    mem[static_cast<size_t>(s)] += wl.mem_gb;
    placed.push_back(static_cast<int>(i));
  }
  return placed;
}

int CloudModel::evict_lost(const std::vector<bool>& alive, const std::vector<int64_t>& inc, Time now) {
  int lost = 0;
  for (auto& r : replicas_) {
    if (r.old_server != kNoNode) {
      const size_t o = static_cast<size_t>(server_index(r.old_server));
      if (!alive[o] || (inc[o] >= 0 && inc[o] != r.old_inc) || now >= r.ready_at) r.old_server = kNoNode;
    }
    if (r.server == kNoNode) continue;
    const size_t s = static_cast<size_t>(server_index(r.server));
    if (!alive[s] || (inc[s] >= 0 && inc[s] != r.inc)) {
      r.server = kNoNode;
      ++lost;
      ++rescheduled;
    }
  }
  if (!old_copies_.empty()) {
    bool all_ready = true;
    for (const auto& c : copies_) all_ready &= now >= c.ready_at;
    if (all_ready) old_copies_.clear();
  }
  return lost;
}

void CloudModel::observe(Time now) {
  const size_t n = cfg_.workloads.size();
  down_since_.resize(n + 1, -1);
  last_outage_.resize(n + 1, 0);
  for (size_t i = 0; i <= n; ++i) {
    const bool ok = i < n ? running_count(static_cast<int>(i)) > 0 : value("storage_available").value_or(0) > 0;
    if (!ok && down_since_[i] < 0) {
      down_since_[i] = now;
      ++(i < n ? service_outages_ : storage_outages_);
    } else if (ok && down_since_[i] >= 0) {
      last_outage_[i] = now - down_since_[i];
      down_since_[i] = -1;
    }
  }
}

std::vector<int> CloudModel::rebalance(const std::vector<bool>& alive, const std::vector<int64_t>& inc, Time now) {
  const size_t n = servers_.size();
  std::vector<int> cpu(n, 0), mem(n, 0);
  std::vector<bool> ok(n);
  for (size_t s = 0; s < n; ++s) ok[s] = alive[s] && inc[s] >= 0;
  std::vector<std::vector<int>> mine(cfg_.workloads.size(), std::vector<int>(n, 0));
  std::vector<int> moved;
  for (size_t i = 0; i < replicas_.size(); ++i) {
    CloudReplica& r = replicas_[i];
    int s = choose(r.workload, ok, cpu, mem, mine[static_cast<size_t>(r.workload)]);
    if (s < 0) {  // no room by the new policy: it stays where it is (or unplaced)
      if (r.server == kNoNode) continue;
      s = server_index(r.server);
    } else if (servers_[static_cast<size_t>(s)] != r.server) {
      if (running(r) && r.old_server == kNoNode) {
        r.old_server = r.server;
        r.old_inc = r.inc;
      }
      r.server = servers_[static_cast<size_t>(s)];
      r.inc = inc[static_cast<size_t>(s)];
      r.ready_at = now + cfg_.start_us;
      moved.push_back(static_cast<int>(i));
    }
    const auto& wl = cfg_.workloads[static_cast<size_t>(r.workload)];
    cpu[static_cast<size_t>(s)] += wl.cpu;
    mem[static_cast<size_t>(s)] += wl.mem_gb;
    ++mine[static_cast<size_t>(r.workload)][static_cast<size_t>(s)];
  }
  // Storage: the new copy set; copies already on a chosen server stay, new ones are written.
  std::vector<CloudCopy> next;
  for (int s : copy_servers(ok)) {
    const NodeId id = servers_[static_cast<size_t>(s)];
    auto it = std::find_if(copies_.begin(), copies_.end(), [&](const CloudCopy& c) { return c.server == id; });
    next.push_back(it != copies_.end() ? *it : CloudCopy{id, now + cfg_.copy_us});
  }
  for (const auto& c : copies_)
    if (std::none_of(next.begin(), next.end(), [&](const CloudCopy& x) { return x.server == c.server; }))
      old_copies_.push_back(c);
  copies_ = next;
  return moved;
}

std::optional<double> CloudModel::value(std::string_view key) const {
  auto d = [](int64_t v) { return std::optional<double>(static_cast<double>(v)); };
  const int nw = static_cast<int>(cfg_.workloads.size());
  if (key == "policy") return d(cfg_.pack ? 1 : 0);
  if (key == "services_total") return d(nw);
  if (key == "services_up" || key == "services_down") {
    int upn = 0;
    for (int i = 0; i < nw; ++i) upn += running_count(i) > 0 ? 1 : 0;
    return d(key == "services_up" ? upn : nw - upn);
  }
  if (key == "replicas_running") {
    int n = 0;
    for (const auto& r : replicas_) n += running(r) ? 1 : 0;
    return d(n);
  }
  if (key == "replicas_wanted") return d(static_cast<int64_t>(replicas_.size()));
  if (key == "starting" || key == "unplaced") {
    int st = 0, un = 0;
    for (const auto& r : replicas_) {
      if (r.server == kNoNode) ++un;
      else if (world_->now() < r.ready_at) ++st;
    }
    return d(key == "starting" ? st : un);
  }
  if (key == "rescheduled") return d(rescheduled);
  if (key == "servers_total") return d(static_cast<int64_t>(servers_.size()));
  if (key == "servers_up") {
    int n = 0;
    for (NodeId s : servers_) n += up(s) ? 1 : 0;
    return d(n);
  }
  if (key == "zones_down") {
    int n = 0;
    for (int z = 0; z < cfg_.zones; ++z) {
      bool any = false;
      for (int k = 0; k < cfg_.servers_per_zone; ++k) any |= up(servers_[static_cast<size_t>(z * cfg_.servers_per_zone + k)]);
      n += any ? 0 : 1;
    }
    return d(n);
  }
  if (key == "utilisation_pct") return std::round(100.0 * value("utilisation").value_or(0));
  if (key == "servers_used" || key == "utilisation" || key == "cpu_placed") {
    std::set<NodeId> used;
    int cpu = 0;
    for (const auto& r : replicas_) {
      if (r.server == kNoNode) continue;
      used.insert(r.server);
      cpu += cfg_.workloads[static_cast<size_t>(r.workload)].cpu;
    }
    if (key == "servers_used") return d(static_cast<int64_t>(used.size()));
    if (key == "cpu_placed") return d(cpu);
    return used.empty() ? 0.0 : static_cast<double>(cpu) / static_cast<double>(used.size() * static_cast<size_t>(cfg_.server_cpu));
  }
  if (key == "storage_copies") return d(static_cast<int64_t>(copies_.size()));
  if (key == "storage_copies_up" || key == "storage_available") {
    int n = 0;
    for (const auto& c : copies_) n += up(c.server) && world_->now() >= c.ready_at ? 1 : 0;
    int old = 0;
    for (const auto& c : old_copies_) old += up(c.server) ? 1 : 0;
    return d(key == "storage_copies_up" ? n : (n + old > 0 ? 1 : 0));
  }
  if (key == "service_outages") return d(service_outages_);
  if (key == "storage_outages") return d(storage_outages_);
  auto outage = [&](size_t i) -> std::optional<double> {
    if (i >= down_since_.size()) return 0.0;
    const Time t = down_since_[i] >= 0 ? world_->now() - down_since_[i] : last_outage_[i];
    return static_cast<double>(t) / 1e6;
  };
  if (key == "storage_outage_s") return outage(static_cast<size_t>(nw));
  if (key == "storage_zones") {
    std::set<int> z;
    for (const auto& c : copies_) z.insert(zone_of(c.server));
    return d(static_cast<int64_t>(z.size()));
  }
  // Per workload: replicas_running.web, replicas_wanted.web, service_up.web, zones.web.
  for (int i = 0; i < nw; ++i) {
    const std::string& name = cfg_.workloads[static_cast<size_t>(i)].name;
    const size_t dot = key.find('.');
    if (dot == std::string_view::npos || key.substr(dot + 1) != name) continue;
    const std::string_view what = key.substr(0, dot);
    if (what == "replicas_running") return d(running_count(i));
    if (what == "replicas_wanted") return d(cfg_.workloads[static_cast<size_t>(i)].replicas);
    if (what == "service_up") return d(running_count(i) > 0 ? 1 : 0);
    if (what == "outage_s") return outage(static_cast<size_t>(i));
    if (what == "zones") {
      std::set<int> z;
      for (const auto& r : replicas_) {
        if (r.workload != i || !running(r)) continue;
        const bool here = r.server != kNoNode && up(r.server) &&
                          static_cast<int64_t>(world_->node(r.server).incarnation) == r.inc && world_->now() >= r.ready_at;
        z.insert(zone_of(here ? r.server : r.old_server));
      }
      return d(static_cast<int64_t>(z.size()));
    }
  }
  return std::nullopt;
}

std::vector<ValueDecl> CloudModel::value_decls() const {
  return value_decl_table({
      {"policy", "enum", "", "the placement policy", {"spread", "pack"}},
      {"services_total", "count", "", "workloads (services) the platform runs"},
      {"services_up", "count", "", "workloads with at least one replica running"},
      {"services_down", "count", "", "workloads with no replica running"},
      {"replicas_running", "count", "", "replicas running, all workloads"},
      {"replicas_wanted", "count", "", "replicas the workloads ask for, all workloads"},
      {"starting", "count", "", "replicas placed and still starting"},
      {"unplaced", "count", "", "replicas waiting for a server with room"},
      {"rescheduled", "count", "", "replicas the scheduler took off a failed server to place again"},
      {"servers_total", "count", "", "servers"},
      {"servers_up", "count", "", "servers up"},
      {"zones_down", "count", "", "zones with no server up"},
      {"servers_used", "count", "", "servers with at least one replica placed on them"},
      {"utilisation", "fraction", "", "CPU of the placed replicas / CPU of the servers used (packing density)"},
      {"utilisation_pct", "count", "%", "utilisation in percent, rounded (for text)"},
      {"cpu_placed", "count", "cores", "CPU cores the placed replicas take"},
      {"storage_copies", "count", "", "copies of the storage volume"},
      {"storage_copies_up", "count", "", "written copies on servers that are up"},
      {"storage_available", "bool", "", "1 when at least one copy of the storage volume is on a server that is up"},
      {"storage_zones", "count", "", "zones holding a copy of the storage volume"},
      {"service_outages", "count", "", "times a service lost its last running replica (seen by the scheduler's 100 ms checks)"},
      {"storage_outages", "count", "", "times the storage became unavailable (seen by the scheduler's 100 ms checks)"},
      {"storage_outage_s", "number", "s", "the storage's current outage so far, else its last one's length (0: none)"},
      {"replicas_running.<workload>", "count", "", "a workload's replicas running"},
      {"outage_s.<workload>", "number", "s", "the workload's current outage so far, else its last one's length (0: none; 100 ms checks)"},
      {"replicas_wanted.<workload>", "count", "", "a workload's replicas asked for"},
      {"service_up.<workload>", "bool", "", "1 when the workload has a replica running"},
      {"zones.<workload>", "count", "", "zones where the workload has a replica running"},
  });
}

std::vector<std::string> CloudModel::value_names(std::string_view placeholder) const {
  std::vector<std::string> out;
  if (placeholder == "workload")
    for (const auto& wl : cfg_.workloads) out.push_back(wl.name);
  return out;
}

std::string CloudModel::state_json() const {
  std::string s = "{\"model\":\"cloud\",\"policy\":\"" + std::string(cfg_.pack ? "pack" : "spread") + "\"";
  for (const char* k : {"services_up", "services_total", "replicas_running", "replicas_wanted", "unplaced", "rescheduled",
                        "servers_up", "servers_used", "storage_available", "storage_copies_up"})
    s += ",\"" + std::string(k) + "\":" + std::to_string(static_cast<int64_t>(value(k).value_or(0)));
  s += ",\"utilisation\":" + std::to_string(value("utilisation").value_or(0));
  return s + "}";
}

void CloudModel::report_metrics(std::ostream& out) const { out << state_json() << "\n"; }

namespace {

/// The zone a `zone=` argument names ("z2" or "2"), or -1 with `err` set.
int zone_arg(const CloudModel& m, const Command& c, std::string* err) {
  std::string z = c.arg("zone");
  if (!z.empty() && z[0] == 'z') z = z.substr(1);
  int64_t n = 0;
  if (!parse_int(z, &n) || n < 1 || n > m.config().zones) {
    *err = "zone=" + c.arg("zone") + ": no such zone (zones: z1..z" + std::to_string(m.config().zones) + ")";
    return -1;
  }
  return static_cast<int>(n - 1);
}

}  // namespace

std::string build_cloud(World& w, const CloudConfig& cfg) {
  auto* model = static_cast<CloudModel*>(w.add_model(std::make_unique<CloudModel>(cfg)));
  model->world_ = &w;
  model->scheduler_ = w.add_node("scheduler", "scheduler",
                                 [model](NodeId, Persistent*) { return std::make_unique<Scheduler>(model); });
  for (int z = 0; z < cfg.zones; ++z)
    for (int k = 0; k < cfg.servers_per_zone; ++k)
      model->servers_.push_back(w.add_node(zone_name(z) + "-" + std::to_string(k + 1), "server",
                                           [model](NodeId, Persistent*) { return std::make_unique<Server>(model); }));
  // The platform starts in a steady state: everything placed by the policy and running.
  for (size_t i = 0; i < cfg.workloads.size(); ++i)
    for (int k = 0; k < cfg.workloads[i].replicas; ++k) model->replicas_.push_back({static_cast<int>(i)});
  const std::vector<bool> all(model->servers_.size(), true);
  const std::vector<int64_t> zero(model->servers_.size(), 0);
  model->place_unplaced(all, zero, 0);
  for (auto& r : model->replicas_) r.ready_at = 0;
  for (int s : model->copy_servers(all)) model->copies_.push_back({model->servers_[static_cast<size_t>(s)], 0});

  w.register_command(
      {"cloud.fail_zone", N_("Fail a whole zone: every server in it crashes (a power cut, a flood)."),
       {{"zone", "string", true, N_("the zone, z1, z2, ..."), "", "", ""}},
       [model](World& world, const Command& c) {
         std::string err;
         const int z = zone_arg(*model, c, &err);
         if (z < 0) return CommandResult::fail("cloud.fail_zone: " + err);
         const int per = model->config().servers_per_zone;
         std::vector<NodeId> hit;
         for (int k = 0; k < per; ++k) {
           const NodeId id = model->servers()[static_cast<size_t>(z * per + k)];
           if (world.node(id).status != NodeStatus::Crashed) hit.push_back(id);
         }
         if (hit.empty()) return CommandResult::fail("cloud.fail_zone: every server of " + zone_name(z) + " is down already");
         for (NodeId id : hit) world.crash(id);
         return CommandResult::success();
       }});
  w.register_command(
      {"cloud.restore_zone", N_("Bring a failed zone back: its crashed servers restart (empty, their disks kept)."),
       {{"zone", "string", true, N_("the zone, z1, z2, ..."), "", "", ""}},
       [model](World& world, const Command& c) {
         std::string err;
         const int z = zone_arg(*model, c, &err);
         if (z < 0) return CommandResult::fail("cloud.restore_zone: " + err);
         const int per = model->config().servers_per_zone;
         std::vector<NodeId> back;
         for (int k = 0; k < per; ++k) {
           const NodeId id = model->servers()[static_cast<size_t>(z * per + k)];
           if (world.node(id).status == NodeStatus::Crashed) back.push_back(id);
         }
         if (back.empty()) return CommandResult::fail("cloud.restore_zone: no server of " + zone_name(z) + " is down");
         for (NodeId id : back) world.restart(id, 0);
         return CommandResult::success();
       }});
  w.register_command(
      {"cloud.policy",
       N_("Choose the placement policy, spread or pack; the scheduler moves replicas and storage copies to match "
          "(each new copy starts before the old one stops)."),
       {{"policy", "string", true, N_("spread (replicas and copies over the zones) or pack (fill servers first)"), "", "",
         ""}},
       [model](World& world, const Command& c) {
         const std::string p = c.arg("policy");
         if (p != "spread" && p != "pack")
           return CommandResult::fail("cloud.policy: policy= must be spread or pack (got " + p + ")");
         auto* sched = dynamic_cast<Scheduler*>(world.process(model->scheduler()));
         if (!sched) return CommandResult::fail("cloud.policy: the scheduler is down");
         model->config().pack = p == "pack";
         Ctx ctx(world, model->scheduler());
         ctx.note("policy", p);
         sched->rebalance(ctx);
         return CommandResult::success();
       }});
  return "";
}

namespace {

/// Parses "web:3:2:4,api:3:2:4" (name:replicas:cpu:mem_gb, comma-separated).
std::string parse_workloads(const std::string& text, const CloudConfig& cfg, std::vector<CloudWorkload>* out) {
  out->clear();
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    std::vector<std::string> f;
    size_t a = 0;
    while (true) {
      const size_t colon = item.find(':', a);
      f.push_back(item.substr(a, colon == std::string::npos ? std::string::npos : colon - a));
      if (colon == std::string::npos) break;
      a = colon + 1;
    }
    const std::string bad = "workloads: \"" + item + "\" must be name:replicas:cpu:mem_gb, like web:3:2:4";
    if (f.size() != 4 || f[0].empty()) return bad;
    for (char ch : f[0])
      if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return bad + " (name: a-z, 0-9, _)";
    for (const auto& o : *out)
      if (o.name == f[0]) return "workloads: \"" + f[0] + "\" is named twice";
    int64_t rep = 0, cpu = 0, mem = 0;
    if (!parse_int(f[1], &rep) || rep < 1 || rep > 20) return bad + " (replicas 1..20)";
    if (!parse_int(f[2], &cpu) || cpu < 1 || cpu > cfg.server_cpu) return bad + " (cpu 1..server_cpu)";
    if (!parse_int(f[3], &mem) || mem < 1 || mem > cfg.server_mem_gb) return bad + " (mem_gb 1..server_mem_gb)";
    out->push_back({f[0], static_cast<int>(rep), static_cast<int>(cpu), static_cast<int>(mem)});
    if (out->size() > 10) return "workloads: at most 10";
    start = comma + 1;
  }
  return "";
}

std::string build_cloud_scenario(World& w, const Params& p) {
  Params rest = p;
  CloudConfig cfg;
  std::string workloads;
  if (auto it = rest.find("policy"); it != rest.end()) {
    if (it->second != "spread" && it->second != "pack") return "policy=" + it->second + " must be spread or pack";
    cfg.pack = it->second == "pack";
    rest.erase(it);
  }
  if (auto it = rest.find("workloads"); it != rest.end()) {
    workloads = it->second;
    rest.erase(it);
  }
  basic::ParamReader r(rest, {"zones", "servers_per_zone", "server_cpu", "server_mem_gb", "storage_copies",
                              "heartbeat_ms", "dead_after_ms", "start_ms", "copy_ms", "latency_ms", "policy", "workloads"});
  cfg.zones = static_cast<int>(r.integer("zones", 3, 1, 6));
  cfg.servers_per_zone = static_cast<int>(r.integer("servers_per_zone", 3, 1, 8));
  cfg.server_cpu = static_cast<int>(r.integer("server_cpu", 8, 1, 128));
  cfg.server_mem_gb = static_cast<int>(r.integer("server_mem_gb", 32, 1, 1024));
  cfg.storage_copies = static_cast<int>(r.integer("storage_copies", 3, 1, 9));
  cfg.heartbeat_us = static_cast<Time>(r.number("heartbeat_ms", 200, 10, 60000) * 1000);
  cfg.dead_after_us = static_cast<Time>(r.number("dead_after_ms", 1000, 10, 600000) * 1000);
  cfg.start_us = static_cast<Time>(r.number("start_ms", 2000, 0, 600000) * 1000);
  cfg.copy_us = static_cast<Time>(r.number("copy_ms", 2000, 0, 600000) * 1000);
  LinkParams link;
  link.latency_us = static_cast<Time>(r.number("latency_ms", 2, 0, 60000) * 1000);
  link.jitter_us = link.latency_us / 2;
  if (!r.error().empty()) return r.error();
  if (cfg.dead_after_us <= cfg.heartbeat_us) return "dead_after_ms must be more than heartbeat_ms";
  if (cfg.storage_copies > cfg.zones * cfg.servers_per_zone) return "storage_copies must be at most the number of servers";
  if (!workloads.empty()) {
    const std::string err = parse_workloads(workloads, cfg, &cfg.workloads);
    if (!err.empty()) return err;
  }
  for (const auto& wl : cfg.workloads)
    if (wl.cpu > cfg.server_cpu || wl.mem_gb > cfg.server_mem_gb)
      return "workload " + wl.name + " does not fit on one server (server_cpu, server_mem_gb)";
  w.set_default_link(link);
  return build_cloud(w, cfg);
}

}  // namespace

}  // namespace topo::usecases

namespace topo {

void add_cloud_scenarios(std::vector<ScenarioInfo>& v) {
  v.push_back({"cloud",
               N_("A cloud platform: a scheduler places copies of services on servers in zones (spread or pack) "
                  "and keeps copies of the stored files; fail a server or a whole zone"),
               usecases::build_cloud_scenario});
  v.back().params = {
      {"policy", "enum", "", "", "spread", "placement: spread (over zones) or pack (fill servers first)", {"spread", "pack"}},
      {"zones", "int", "", "1..6", "3", "zones z1.."},
      {"servers_per_zone", "int", "", "1..8", "3", "servers in each zone (z1-1, z1-2, ...)"},
      {"server_cpu", "int", "cores", "1..128", "8", "CPU cores of a server"},
      {"server_mem_gb", "int", "GB", "1..1024", "32", "memory of a server"},
      {"workloads", "string", "", "", "web:3:2:4,api:3:2:4,db:2:2:8",
       "the workloads, name:replicas:cpu:mem_gb separated by commas"},
      {"storage_copies", "int", "", "1..9", "3", "copies of the storage volume (at most the servers)"},
      {"heartbeat_ms", "number", "ms", "10..60000", "200", "servers' heartbeat period"},
      {"dead_after_ms", "number", "ms", "10..600000", "1000", "a server silent this long is presumed dead (> heartbeat_ms)"},
      {"start_ms", "number", "ms", "0..600000", "2000", "time a new replica takes to start"},
      {"copy_ms", "number", "ms", "0..600000", "2000", "time a new storage copy takes to write"},
      {"latency_ms", "number", "ms", "0..60000", "2", "one-way network latency (jitter: half of it)"},
  };
}

}  // namespace topo

namespace topo::usecases {

std::span<const Model::Word> CloudModel::words() const {
  static constexpr Model::Word kWords[] = {
      // Messages.
      {"start", N_("start a replica")},
      // Roles, fields and values in the Inspector.
      {"scheduler", N_("scheduler")}, {"server", N_("server")}, {"policy", N_("placement policy")}, {"pack", N_("pack")},
      {"spread", N_("spread")}, {"servers_presumed_dead", N_("servers presumed dead")}, {"unplaced", N_("replicas not placed")},
      {"zone", N_("zone")}, {"replicas", N_("replicas")}, {"cpu_used", N_("CPU used")}, {"storage_copy", N_("copy of the files")},
      {"yes", N_("yes")}, {"no", N_("no")},
  };
  return kWords;
}

}  // namespace topo::usecases
