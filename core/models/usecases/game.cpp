// Use-case model for lesson 13 (multiplayer game), scenario "game": players p1..pN send an input
// message every tick to the authoritative game server ("server"); the server moves every avatar,
// then broadcasts a snapshot; players show the others where the last snapshot put them (with
// prediction: extrapolated by their velocity). A standby server ("standby"), when switched on,
// gets a snapshot every few ticks and takes over when they stop. See game.h for the value keys.
// Added to the built-in list through add_game_scenarios(), called from core/catalog/catalog.cpp.
#include "models/usecases/game.h"

#include <algorithm>
#include <cmath>
#include <ostream>

#include "models/basic/basic.h"
#include "models/builtin_scenarios.h"
#include "scenario/scenario.h"
#include "util/i18n.h"
#include "util/parse.h"

namespace topo::usecases {

namespace {

constexpr Time kSamplePeriod = 50 * kMs;
constexpr Time kWindow = 1 * kSec;           ///< divergence window
constexpr Time kConnectedWithin = 1 * kSec;  ///< a player is connected if a snapshot came this recently
constexpr Time kFrozenAfter = 500 * kMs;
constexpr Time kMaxExtrapolation = 250 * kMs;
constexpr Time kMeanTurnEvery = 2 * kSec;    ///< players change direction about this often
constexpr double kDiag = 0.70710678118654752;
constexpr double kMargin = 10.0;             ///< players steer away from walls closer than this

/// Direction index 0..8 = (dx + 1) * 3 + (dy + 1); 4 = standing still.
void dir_vector(int dir, double speed, double* vx, double* vy) {
  const int dx = dir / 3 - 1, dy = dir % 3 - 1;
  const double k = (dx != 0 && dy != 0) ? kDiag : 1.0;
  *vx = dx * k * speed;
  *vy = dy * k * speed;
}

double clamp_to(double v, double lo, double hi) { return v < lo ? lo : (v > hi ? hi : v); }

int64_t milli(double v) { return static_cast<int64_t>(v * 1000.0 + (v < 0 ? -0.5 : 0.5)); }

std::string fmt(double v) {
  const int64_t m = milli(v);
  std::string s = (m < 0 ? "-" : "") + std::to_string((m < 0 ? -m : m) / 1000);
  const int64_t frac = (m < 0 ? -m : m) % 1000;
  if (frac) {
    std::string f = std::to_string(frac);
    while (f.size() < 3) f = "0" + f;
    while (!f.empty() && f.back() == '0') f.pop_back();
    s += "." + f;
  }
  return s;
}

/// A state snapshot: every avatar, and per player the last input the server applied.
struct Snap final : Payload {
  int64_t tick = 0, epoch = 0;
  Time at = 0;                      ///< when the server made it
  std::vector<Avatar> av;
  std::vector<uint64_t> acked;      ///< per player: highest input sequence number applied
  std::vector<int> dirs;            ///< per player: the direction being applied
  void hash_into(Hasher& h) const override {
    h.i64(tick);
    h.i64(epoch);
    h.i64(at);
    for (const auto& a : av) {
      h.i64(milli(a.x));
      h.i64(milli(a.y));
    }
    for (uint64_t s : acked) h.u64(s);
  }
  std::string describe() const override { return "tick " + std::to_string(tick) + " epoch " + std::to_string(epoch); }
};

enum class Role { Primary, Standby };

class ServerProc final : public Process {
 public:
  explicit ServerProc(GameModel* m) : m_(m) {}

  void on_start(Ctx& ctx) override {
    const NodeId self = ctx.self();
    const World& w = ctx.world();
    const bool other_serving = m_->active != kNoNode && m_->active != self &&
                               w.node(m_->active).status == NodeStatus::Up;
    if (m_->epoch_max == 0 && self == m_->server) {
      start_match(ctx, 1);                       // the match begins
    } else if (other_serving || self != m_->server) {
      role_ = Role::Standby;                     // the other server serves: back it up
      epoch_ = m_->epoch_max;
    } else {
      // Nobody serves and nothing was saved here: a new match starts from scratch.
      start_match(ctx, m_->epoch_max + 1);
      ctx.note("new match", "the state of the old match is gone");
    }
    ctx.set_timer(m_->config().tick_us, 0);
  }

  void on_timer(Ctx& ctx, TimerId, uint64_t) override {
    const GameConfig& cfg = m_->config();
    if (role_ == Role::Primary) {
      step(ctx);
    } else if (cfg.standby && repl_ && ctx.now() - repl_rx_at_ > cfg.failover_us) {
      take_over(ctx);
    }
    ctx.set_timer(cfg.tick_us, 0);
  }

  void on_message(Ctx& ctx, const Message& m) override {
    if (m.kind == "input") {
      if (role_ != Role::Primary) return;
      auto it = std::find(m_->players.begin(), m_->players.end(), m.from);
      if (it == m_->players.end()) return;
      const size_t p = static_cast<size_t>(it - m_->players.begin());
      const uint64_t seq = m.value >> 4;
      if (seq > last_seq_[p]) {
        last_seq_[p] = seq;
        dirs_[p] = static_cast<int>(m.value & 15) % 9;
      }
      return;
    }
    if (m.kind == "replicate" || m.kind == "snapshot") {
      auto s = std::dynamic_pointer_cast<const Snap>(m.body);
      if (!s) return;
      if (role_ == Role::Primary) {
        if (s->epoch > epoch_) {   // another server took over meanwhile: it wins
          role_ = Role::Standby;
          ctx.note("step down", "epoch " + std::to_string(s->epoch) + " is newer");
        } else {
          return;
        }
      }
      if (s->epoch < epoch_ && repl_) return;
      epoch_ = s->epoch;
      repl_ = s;
      repl_rx_at_ = ctx.now();
      m_->replica_tick = s->tick;
    }
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    std::vector<std::pair<std::string, std::string>> v;
    if (role_ == Role::Primary) {
      v.push_back({"role", "primary"});
      v.push_back({"tick", std::to_string(tick_)});
    } else {
      v.push_back({"role", m_->config().standby ? "standby" : "idle"});
      v.push_back({"replica_tick", repl_ ? std::to_string(repl_->tick) : "none"});
    }
    v.push_back({"epoch", std::to_string(epoch_)});
    return v;
  }

 private:
  void start_match(Ctx& ctx, int64_t epoch) {
    const size_t n = m_->players.size();
    const double size = m_->config().world_size;
    role_ = Role::Primary;
    epoch_ = epoch;
    tick_ = 0;
    av_.assign(n, Avatar{});
    for (size_t i = 0; i < n; ++i) {
      av_[i].x = size * (0.2 + 0.6 * static_cast<double>(i) / static_cast<double>(n > 1 ? n - 1 : 1));
      av_[i].y = size * (i % 2 ? 0.35 : 0.65);
    }
    last_seq_.assign(n, 0);
    dirs_.assign(n, 4);
    m_->takeover(ctx.self(), epoch_, 0, false);
    m_->ticked(ctx.self(), epoch_, 0, av_, ctx.now());
  }

  void take_over(Ctx& ctx) {
    const Snap& s = *repl_;
    role_ = Role::Primary;
    epoch_ = std::max(m_->epoch_max, s.epoch) + 1;
    tick_ = s.tick;
    av_ = s.av;
    last_seq_ = s.acked;
    dirs_ = s.dirs;
    const int64_t lost = std::max<int64_t>(0, m_->max_tick - s.tick);
    m_->takeover(ctx.self(), epoch_, tick_, true);
    ctx.note("take over", "from tick " + std::to_string(tick_) + ", " + std::to_string(lost) + " ticks lost");
    ctx.metrics().add("game.failovers");
    step(ctx);
  }

  /// One simulation step: apply each player's latest input, then broadcast the new state.
  void step(Ctx& ctx) {
    const GameConfig& cfg = m_->config();
    const double dt = static_cast<double>(cfg.tick_us) / 1e6;
    const double size = cfg.world_size;
    for (size_t i = 0; i < av_.size(); ++i) {
      Avatar& a = av_[i];
      dir_vector(dirs_[i], cfg.speed, &a.vx, &a.vy);
      const double nx = a.x + a.vx * dt, ny = a.y + a.vy * dt;
      a.x = clamp_to(nx, 0, size);
      a.y = clamp_to(ny, 0, size);
      if (a.x != nx) a.vx = 0;
      if (a.y != ny) a.vy = 0;
    }
    ++tick_;
    auto s = std::make_shared<Snap>();
    s->tick = tick_;
    s->epoch = epoch_;
    s->at = ctx.now();
    s->av = av_;
    s->acked = last_seq_;
    s->dirs = dirs_;
    m_->ticked(ctx.self(), epoch_, tick_, av_, ctx.now());
    const int64_t bytes = 24 + 40 * static_cast<int64_t>(av_.size());
    for (NodeId p : m_->players) ctx.send(p, "snapshot", s, bytes);
    const NodeId other = ctx.self() == m_->server ? m_->standby_node : m_->server;
    if (cfg.standby && other != kNoNode && tick_ % cfg.replicate_every == 0) ctx.send(other, "replicate", s, bytes);
  }

  GameModel* m_;
  Role role_ = Role::Standby;
  int64_t epoch_ = 0, tick_ = 0;
  std::vector<Avatar> av_;
  std::vector<uint64_t> last_seq_;
  std::vector<int> dirs_;
  std::shared_ptr<const Snap> repl_;   ///< the last snapshot received as standby
  Time repl_rx_at_ = 0;
};

class PlayerProc final : public Process {
 public:
  PlayerProc(GameModel* m, size_t index) : m_(m), index_(index) {}

  void on_start(Ctx& ctx) override {
    server_ = m_->active != kNoNode ? m_->active : m_->server;
    dir_ = static_cast<int>(ctx.rng().uniform_int(0, 7));
    if (dir_ >= 4) ++dir_;   // any direction but standing still
    ctx.set_timer(ctx.rng().uniform_int(1, m_->config().tick_us), 0);
  }

  void on_timer(Ctx& ctx, TimerId, uint64_t) override {
    const GameConfig& cfg = m_->config();
    const double p_turn = static_cast<double>(cfg.tick_us) / static_cast<double>(kMeanTurnEvery);
    if (ctx.rng().bernoulli(p_turn)) dir_ = static_cast<int>(ctx.rng().uniform_int(0, 8));
    if (snap_) {   // steer away from the walls, using what this player knows of its own avatar
      const Avatar& me = snap_->av[index_];
      int dx = dir_ / 3 - 1, dy = dir_ % 3 - 1;
      if (me.x < kMargin && dx < 0) dx = 1;
      if (me.x > cfg.world_size - kMargin && dx > 0) dx = -1;
      if (me.y < kMargin && dy < 0) dy = 1;
      if (me.y > cfg.world_size - kMargin && dy > 0) dy = -1;
      dir_ = (dx + 1) * 3 + (dy + 1);
    }
    ++seq_;
    sent_.push_back({seq_, ctx.now()});
    if (sent_.size() > 256) sent_.erase(sent_.begin());
    ctx.send_value(server_, "input", (seq_ << 4) | static_cast<uint64_t>(dir_), 32);
    ctx.set_timer(cfg.tick_us, 0);
  }

  void on_message(Ctx& ctx, const Message& m) override {
    if (m.kind != "snapshot") return;
    auto s = std::dynamic_pointer_cast<const Snap>(m.body);
    if (!s || index_ >= s->av.size()) return;
    if (s->epoch < epoch_) return;                                   // from a deposed server
    if (snap_ && s->epoch == epoch_ && s->tick <= snap_->tick) return;  // older than what we show
    if (s->epoch > epoch_) {
      epoch_ = s->epoch;
      server_ = m.from;   // a new server serves: send the inputs there
    }
    snap_ = s;
    rx_at_ = ctx.now();
    const uint64_t acked = s->acked[index_];
    if (acked > last_acked_) {
      for (const auto& [seq, at] : sent_)
        if (seq == acked) delay_us_ = ctx.now() - at;
      last_acked_ = acked;
    }
  }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    return {{"role", "player"},
            {"tick_seen", snap_ ? std::to_string(snap_->tick) : "none"},
            {"input_delay_ms", std::to_string(delay_us_ / kMs)}};
  }

  /// Where this player shows avatar j at time t (world units); false before the first snapshot.
  bool shown(size_t j, Time t, bool predict, double* x, double* y) const {
    if (!snap_ || j >= snap_->av.size()) return false;
    const Avatar& a = snap_->av[j];
    *x = a.x;
    *y = a.y;
    if (predict) {
      const double dt = static_cast<double>(std::min(t - snap_->at, kMaxExtrapolation)) / 1e6;
      const double size = m_->config().world_size;
      *x = clamp_to(a.x + a.vx * dt, 0, size);
      *y = clamp_to(a.y + a.vy * dt, 0, size);
    }
    return true;
  }
  bool connected(Time now) const { return snap_ && now - rx_at_ <= kConnectedWithin; }
  std::optional<Time> snapshot_time() const { return snap_ ? std::optional<Time>(snap_->at) : std::nullopt; }
  Time input_delay_us() const { return delay_us_; }

 private:
  GameModel* m_;
  size_t index_;
  NodeId server_ = kNoNode;
  int64_t epoch_ = 0;
  int dir_ = 4;
  uint64_t seq_ = 0, last_acked_ = 0;
  std::vector<std::pair<uint64_t, Time>> sent_;
  std::shared_ptr<const Snap> snap_;
  Time rx_at_ = 0;
  Time delay_us_ = 0;
};

const PlayerProc* player_proc(const World& w, NodeId id) {
  const Node& n = w.node(id);
  if (n.status != NodeStatus::Up || !n.process) return nullptr;
  return dynamic_cast<const PlayerProc*>(n.process.get());
}

bool parse_bool_text(const std::string& s, bool* out) { return util::parse_bool(s, out); }

void schedule_sampler(World& w, GameModel* m, Time at) {
  w.schedule(at, [m](World& world) {
    m->sample(world);
    schedule_sampler(world, m, world.now() + kSamplePeriod);
  });
}

void register_game_commands(World& w, GameModel* m) {
  w.register_command({"game.prediction",
                      N_("Client-side prediction on every player: show the other avatars moved on by their last "
                      "known velocity (and your own at once) instead of where the last snapshot put them."),
                      {{"on", "bool", true, N_("true to predict, false to show snapshots as they are")}},
                      [m](World&, const Command& c) {
                        m->config().prediction = c.arg("on") == "true" || c.arg("on") == "1" || c.arg("on") == "yes";
                        return CommandResult::success();
                      }});
  w.register_command({"game.standby",
                      N_("Switch the standby game server on (it gets a snapshot every few ticks and takes over when "
                      "they stop) or off (nobody can take over a crashed server)."),
                      {{"on", "bool", true, N_("true for a standby that can take over")}},
                      [m](World&, const Command& c) {
                        m->config().standby = c.arg("on") == "true" || c.arg("on") == "1" || c.arg("on") == "yes";
                        return CommandResult::success();
                      }});
  w.register_command(
      {"game.set", N_("Change the game's timing live."),
       {{"tick_ms", "duration", false, N_("server step and input period (ms, 10..1000)"), "ms", "10..1000"},
        {"replicate_every", "int", false, N_("ticks between snapshots shipped to the standby (1..100)"), "", "1..100", ""},
        {"failover_ms", "duration", false, N_("silence after which the standby takes over (ms, 10..60000)"), "ms", "10..60000"}},
       [m](World&, const Command& c) {
         double tick = 0, fo = 0;
         int64_t every = 0;
         const bool has_tick = c.args.count("tick_ms") > 0, has_every = c.args.count("replicate_every") > 0,
                    has_fo = c.args.count("failover_ms") > 0;
         if (!has_tick && !has_every && !has_fo) return CommandResult::fail("give tick_ms=, replicate_every= or failover_ms=");
         if (has_tick && (!parse_number(c.arg("tick_ms"), &tick) || tick < 10 || tick > 1000))
           return CommandResult::fail("tick_ms= must be a number of milliseconds in [10, 1000] (got " + c.arg("tick_ms") + ")");
         if (has_every && (!parse_int(c.arg("replicate_every"), &every) || every < 1 || every > 100))
           return CommandResult::fail("replicate_every= must be an integer in [1, 100] (got " + c.arg("replicate_every") + ")");
         if (has_fo && (!parse_number(c.arg("failover_ms"), &fo) || fo < 10 || fo > 60000))
           return CommandResult::fail("failover_ms= must be a number of milliseconds in [10, 60000] (got " + c.arg("failover_ms") + ")");
         if (has_tick) m->config().tick_us = static_cast<Time>(tick * 1000);
         if (has_every) m->config().replicate_every = static_cast<int>(every);
         if (has_fo) m->config().failover_us = static_cast<Time>(fo * 1000);
         return CommandResult::success();
       }});
}

std::string build_game(World& w, const Params& p) {
  Params rest = p;
  GameConfig cfg;
  for (const char* key : {"prediction", "standby"}) {
    auto it = rest.find(key);
    if (it == rest.end()) continue;
    bool b = false;
    if (!parse_bool_text(it->second, &b)) return std::string(key) + "=" + it->second + " must be true or false";
    (std::string(key) == "prediction" ? cfg.prediction : cfg.standby) = b;
    rest.erase(it);
  }
  basic::ParamReader r(rest, {"players", "tick_ms", "latency_ms", "jitter_ms", "loss", "replicate_every",
                              "failover_ms", "prediction", "standby"});
  cfg.players = static_cast<int>(r.integer("players", 4, 2, 8));
  cfg.tick_us = static_cast<Time>(r.number("tick_ms", 50, 10, 1000) * 1000);
  LinkParams link;
  link.latency_us = static_cast<Time>(r.number("latency_ms", 30, 0, 5000) * 1000);
  link.jitter_us = static_cast<Time>(r.number("jitter_ms", 5, 0, 5000) * 1000);
  link.loss_probability = r.number("loss", 0, 0, 1);
  cfg.replicate_every = static_cast<int>(r.integer("replicate_every", 2, 1, 100));
  cfg.failover_us = static_cast<Time>(r.number("failover_ms", 300, 10, 60000) * 1000);
  if (!r.error().empty()) return r.error();
  w.set_default_link(link);

  auto* m = static_cast<GameModel*>(w.add_model(std::make_unique<GameModel>(&w, cfg)));
  m->server = w.add_node("server", "game-server", [m](NodeId, Persistent*) { return std::make_unique<ServerProc>(m); });
  m->standby_node =
      w.add_node("standby", "game-server", [m](NodeId, Persistent*) { return std::make_unique<ServerProc>(m); });
  for (int i = 0; i < cfg.players; ++i) {
    const size_t index = static_cast<size_t>(i);
    m->players.push_back(w.add_node("p" + std::to_string(i + 1), "player client",
                                    [m, index](NodeId, Persistent*) { return std::make_unique<PlayerProc>(m, index); }));
  }
  LinkParams dc;   // the two servers sit in the same data centre
  dc.latency_us = 1 * kMs;
  w.set_link(m->server, m->standby_node, dc);
  w.set_link(m->standby_node, m->server, dc);
  register_game_commands(w, m);
  schedule_sampler(w, m, kSamplePeriod);
  return "";
}

}  // namespace

void GameModel::takeover(NodeId node, int64_t epoch, int64_t from, bool failover) {
  epoch_max = std::max(epoch_max, epoch);
  lost_ticks_last = std::max<int64_t>(0, max_tick - from);
  lost_ticks += lost_ticks_last;
  max_tick = from;
  tick = from;
  active = node;
  replica_tick = -1;   // the new server's standby (if any) has no copy yet
  if (failover) ++failover_count;
}

void GameModel::ticked(NodeId node, int64_t epoch, int64_t t, const std::vector<Avatar>& av, Time now) {
  if (epoch < epoch_max) return;   // a deposed server still running on its own
  active = node;
  tick = t;
  max_tick = std::max(max_tick, t);
  last_tick_at = now;
  truth = av;
}

void GameModel::sample(const World& w) {
  const Time now = w.now();
  const bool moving = !value("frozen").value_or(1);
  Sample s;
  s.at = now;
  s.mean_err.assign(players.size(), -1);
  s.max_err.assign(players.size(), -1);
  for (size_t i = 0; i < players.size(); ++i) {
    const PlayerProc* pp = player_proc(w, players[i]);
    if (!pp) continue;
    double sum = 0, mx = 0;
    int count = 0;
    for (size_t j = 0; j < truth.size(); ++j) {
      if (j == i) continue;
      double x = 0, y = 0;
      if (!pp->shown(j, now, cfg_.prediction, &x, &y)) break;
      const Avatar& a = truth[j];
      double tx = a.x, ty = a.y;
      if (moving) {   // the truth between two ticks: where the avatar is heading
        const double dt = static_cast<double>(std::min(now - last_tick_at, cfg_.tick_us)) / 1e6;
        tx = clamp_to(a.x + a.vx * dt, 0, cfg_.world_size);
        ty = clamp_to(a.y + a.vy * dt, 0, cfg_.world_size);
      }
      const double d = std::sqrt((x - tx) * (x - tx) + (y - ty) * (y - ty));
      sum += d;
      mx = std::max(mx, d);
      ++count;
    }
    if (count > 0) {
      s.mean_err[i] = sum / count;
      s.max_err[i] = mx;
    }
  }
  samples_.push_back(std::move(s));
  size_t drop = 0;
  while (drop < samples_.size() && samples_[drop].at <= now - kWindow) ++drop;
  samples_.erase(samples_.begin(), samples_.begin() + static_cast<std::ptrdiff_t>(drop));
}

std::optional<double> GameModel::window_divergence(int player, bool max) const {
  double sum = 0, mx = 0;
  int count = 0;
  for (const auto& s : samples_) {
    const auto& v = max ? s.max_err : s.mean_err;
    for (size_t i = 0; i < v.size(); ++i) {
      if (player >= 0 && static_cast<size_t>(player) != i) continue;
      if (v[i] < 0) continue;
      sum += v[i];
      mx = std::max(mx, v[i]);
      ++count;
    }
  }
  if (count == 0) return 0.0;
  return max ? mx : sum / count;
}

std::optional<double> GameModel::age_ms(int player) const {
  double worst = 0;
  for (size_t i = 0; i < players.size(); ++i) {
    if (player >= 0 && static_cast<size_t>(player) != i) continue;
    const PlayerProc* pp = player_proc(*world_, players[i]);
    if (!pp) continue;
    if (auto at = pp->snapshot_time()) worst = std::max(worst, static_cast<double>(world_->now() - *at) / 1e3);
  }
  return worst;
}

std::optional<double> GameModel::value(std::string_view key) const {
  const World& w = *world_;
  auto player_index = [&](std::string_view name) -> int {
    for (size_t i = 0; i < players.size(); ++i)
      if (w.node(players[i]).name == name) return static_cast<int>(i);
    return -1;
  };
  if (key == "tick") return static_cast<double>(tick);
  if (key == "players") return static_cast<double>(players.size());
  if (key == "players_connected") {
    int n = 0;
    for (NodeId id : players)
      if (const PlayerProc* pp = player_proc(w, id)) n += pp->connected(w.now());
    return n;
  }
  if (key == "divergence") return window_divergence(-1, false);
  if (key == "max_divergence") return window_divergence(-1, true);
  if (key.rfind("divergence.", 0) == 0) {
    const int i = player_index(key.substr(11));
    if (i < 0) return std::nullopt;
    return window_divergence(i, false);
  }
  if (key == "snapshot_age_ms") return age_ms(-1);
  if (key.rfind("snapshot_age_ms.", 0) == 0) {
    const int i = player_index(key.substr(16));
    if (i < 0) return std::nullopt;
    return age_ms(i);
  }
  if (key == "input_delay_ms") {
    if (cfg_.prediction) return 0.0;
    double worst = 0;
    for (NodeId id : players)
      if (const PlayerProc* pp = player_proc(w, id)) worst = std::max(worst, static_cast<double>(pp->input_delay_us()) / 1e3);
    return worst;
  }
  if (key == "frozen") {
    const bool serving = active != kNoNode && w.node(active).status == NodeStatus::Up;
    return (!serving || w.now() - last_tick_at > kFrozenAfter) ? 1.0 : 0.0;
  }
  if (key == "failover_count") return static_cast<double>(failover_count);
  if (key == "lost_ticks") return static_cast<double>(lost_ticks);
  if (key == "lost_ticks_last") return static_cast<double>(lost_ticks_last);
  if (key == "replica_tick") return static_cast<double>(replica_tick);
  if (key == "server") {
    const bool serving = active != kNoNode && w.node(active).status == NodeStatus::Up;
    return serving ? static_cast<double>(active) : -1.0;
  }
  if (key == "standby") return cfg_.standby ? 1.0 : 0.0;
  if (key == "prediction") return cfg_.prediction ? 1.0 : 0.0;
  if (key == "tick_ms") return static_cast<double>(cfg_.tick_us) / 1e3;
  if (key == "replicate_every") return static_cast<double>(cfg_.replicate_every);
  if (key == "failover_ms") return static_cast<double>(cfg_.failover_us) / 1e3;
  return std::nullopt;
}

std::vector<ValueDecl> GameModel::value_decls() const {
  return value_decl_table({
      {"tick", "count", "", "the server's tick"},
      {"players", "count", "", "players"},
      {"players_connected", "count", "", "players that hear from the server"},
      {"divergence", "number", "", "mean distance (world units) between where players show the avatars and where the server has them, last second"},
      {"max_divergence", "number", "", "the largest such distance, last second"},
      {"divergence.<player>", "number", "", "the same for one player"},
      {"snapshot_age_ms", "number", "ms", "age of the players' latest snapshot (the worst)"},
      {"snapshot_age_ms.<player>", "number", "ms", "age of one player's latest snapshot"},
      {"input_delay_ms", "number", "ms", "key press to seeing one's own avatar move (0 with prediction)"},
      {"frozen", "bool", "", "1 when the match has not advanced for 500 ms"},
      {"failover_count", "count", "", "times the standby took over"},
      {"lost_ticks", "count", "", "ticks lost in failovers"},
      {"lost_ticks_last", "count", "", "ticks lost in the last failover"},
      {"replica_tick", "number", "", "the standby's copy's tick, -1 when it has none"},
      {"server", "node-id", "", "node number of the serving server, -1 if none"},
      {"standby", "bool", "", "the standby parameter"},
      {"prediction", "bool", "", "the prediction parameter"},
      {"tick_ms", "number", "ms", "the tick parameter"},
      {"replicate_every", "count", "", "the replicate_every parameter"},
      {"failover_ms", "number", "ms", "the failover_ms parameter"},
  });
}

std::string GameModel::state_json() const {
  std::string s = "{";
  bool first = true;
  for (const char* k : {"tick", "players_connected", "divergence", "max_divergence", "input_delay_ms",
                        "snapshot_age_ms", "frozen", "failover_count", "lost_ticks", "server", "standby", "prediction"}) {
    s += std::string(first ? "" : ",") + "\"" + k + "\":" + fmt(value(k).value_or(0));
    first = false;
  }
  return s + "}";
}

void GameModel::report_metrics(std::ostream& out) const {
  out << "{\"model\":\"game\",\"metrics\":" << state_json() << "}\n";
}

}  // namespace topo::usecases

namespace topo {

void add_game_scenarios(std::vector<ScenarioInfo>& v) {
  v.push_back({"game",
               N_("A multiplayer game: players send their moves to one server that sends everyone the game's "
                  "state; what players see lags behind; a server crash freezes the match unless a standby takes over"),
               usecases::build_game});
  v.back().params = {
      {"players", "int", "", "2..8", "4", "players p1.."},
      {"tick_ms", "number", "ms", "10..1000", "50", "the server's tick (simulation step)"},
      {"latency_ms", "number", "ms", "0..5000", "30", "one-way network latency"},
      {"jitter_ms", "number", "ms", "0..5000", "5", "extra random delay"},
      {"loss", "prob", "", "0..1", "0", "probability that a message is lost"},
      {"prediction", "bool", "", "", "false", "players predict their own avatar's move (client-side prediction)"},
      {"standby", "bool", "", "", "false", "a standby server receives the state and takes over"},
      {"replicate_every", "int", "", "1..100", "2", "the server sends its state to the standby every N ticks"},
      {"failover_ms", "number", "ms", "10..60000", "300", "the standby takes over after this long without the server"},
  };
}

}  // namespace topo

namespace topo::usecases {

std::span<const Model::Word> GameModel::words() const {
  static constexpr Model::Word kWords[] = {
      // Roles and values in the Inspector.
      {"game-server", N_("game server")}, {"player", N_("player")}, {"player client", N_("player")}, {"primary", N_("primary")},
      {"standby", N_("standby")}, {"idle", N_("idle")}, {"none", N_("none")},
  };
  return kWords;
}

}  // namespace topo::usecases
