// One fault campaign run (see campaign.h): the swarm draw, the online nemesis, the replay of a
// given schedule, the heal, and delta-debugging shrinking.
#include "models/chaos/campaign.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "catalog/catalog.h"
#include "util/format.h"
#include "util/parse.h"

namespace topo::chaos {

namespace {

std::string ms_text(Time t_us) { return std::to_string(t_us / kMs); }
std::string prob_text(double p) { return util::format_fixed_trimmed(p, 3); }

/// The set_link scope of a set_link command text ("" for the default link), or nullopt.
std::optional<std::string> link_scope(const std::string& text) {
  if (text.rfind("set_link", 0) != 0) return std::nullopt;
  std::string scope;
  size_t pos = 8;
  while (pos < text.size()) {
    while (pos < text.size() && text[pos] == ' ') ++pos;
    size_t end = text.find(' ', pos);
    if (end == std::string::npos) end = text.size();
    const std::string tok = text.substr(pos, end - pos);
    if (tok.rfind("from=", 0) == 0 || tok.rfind("to=", 0) == 0 || tok.rfind("node=", 0) == 0)
      scope += (scope.empty() ? "" : " ") + tok;
    pos = end;
  }
  return scope;
}

/// The node a `slow node=X ...` command names, or "".
std::string slowed_node(const std::string& text) {
  if (text.rfind("slow node=", 0) != 0) return "";
  const size_t b = 10, e = text.find(' ', b);
  return text.substr(b, e == std::string::npos ? std::string::npos : e - b);
}

/// The scenario parameters of one seed: the campaign's, plus the swarm's knob draw.
std::map<std::string, std::string> knob_draw(uint64_t seed, const Options& opt) {
  std::map<std::string, std::string> out;
  if (!opt.swarm) return out;
  Rng rng = Rng(seed).derive(0xB0661);
  const auto envs = knobs_of(opt.scenario);
  if (envs.empty()) return out;
  const Knob& k = envs[static_cast<size_t>(rng.uniform_int(0, static_cast<int64_t>(envs.size()) - 1))];
  for (const auto& [p, v] : k.params)
    if (!opt.params.count(p)) out[p] = v;
  return out;
}

/// One run: the world, its target and the bookkeeping the heal needs.
class Runner {
 public:
  Runner(uint64_t seed, const Options& opt, std::string* error) : opt_(opt), error_(error) {
    res.seed = seed;
    knobs_ = knob_draw(seed, opt);
    Params params = opt.params;
    for (const auto& [k, v] : knobs_) params[k] = v;
    world_ = build_world(opt.scenario, seed, params, error, [](World& w) { w.trace().set_capacity(0); });
    if (!world_) return;
    target_ = make_target(*world_, error);
  }
  bool ready() const { return world_ && target_; }
  /// Runs to t; when probing, in 10 ms steps, noting the first moment the target saw a violation.
  void advance(Time t) {
    if (!probe_) {
      world_->run_until(t);
      return;
    }
    while (world_->now() < t) {
      world_->run_until(std::min(t, world_->now() + 10 * kMs));
      if (violated_at < 0 && target_->violated_now()) violated_at = world_->now();
    }
  }
  void probe() { probe_ = true; }
  Time violated_at = -1;
  World& w() { return *world_; }
  Target& target() { return *target_; }
  std::string name(NodeId id) const { return world_->node(id).name; }

  /// Applies a Command now. `lenient`: a refused Command is skipped (replaying an edited
  /// schedule); otherwise it is an error (the nemesis only draws valid ones).
  bool apply(const std::string& text, bool lenient, bool record) {
    std::string err;
    auto cmd = Command::parse(text, &err);
    if (!cmd) {
      if (error_) *error_ = "bad chaos command \"" + text + "\": " + err;
      return lenient;
    }
    CommandResult r = world_->apply(*cmd);
    if (!r.ok) {
      if (lenient) return true;
      if (error_) *error_ = "chaos command \"" + text + "\" failed: " + r.error;
      return false;
    }
    if (auto scope = link_scope(text))
      if (std::find(scopes_.begin(), scopes_.end(), *scope) == scopes_.end()) scopes_.push_back(*scope);
    const std::string s = slowed_node(text);
    if (!s.empty() && std::find(slowed_.begin(), slowed_.end(), s) == slowed_.end()) slowed_.push_back(s);
    if (record) res.schedule.push_back({world_->now(), cmd->to_text()});
    return true;
  }

  /// Heals everything (network, links, slow CPUs, crashed servers), runs the quiet period and
  /// asks the target for its verdict.
  bool finish() {
    World& w = *world_;
    if (w.now() < opt_.faulty_us) advance(opt_.faulty_us);
    if (!apply("heal", false, false)) return false;
    for (const auto& scope : scopes_)
      if (!apply("set_link" + (scope.empty() ? std::string() : " " + scope) + " loss=0 duplicate=0 reorder=0", false,
                 false))
        return false;
    for (const auto& n : slowed_)
      if (!apply("slow node=" + n + " factor=1", false, false)) return false;
    for (NodeId id : target_->servers())
      if (w.node(id).status == NodeStatus::Crashed && !apply("restart node=" + name(id), false, false)) return false;
    res.healed_at_us = w.now();
    target_->on_healed();
    advance(opt_.faulty_us + std::max(opt_.quiet_us, target_->min_quiet_us()));
    res.events = w.events_processed();
    target_->verdict(opt_, res.healed_at_us, &res);
    if (error_) error_->clear();
    return true;
  }

  Result res;
  std::vector<std::pair<NodeId, NodeId>> bridge_cut;  ///< the links a bridge fault has cut
  const std::map<std::string, std::string>& knobs() const { return knobs_; }

 private:
  std::map<std::string, std::string> knobs_;
  bool probe_ = false;
  const Options& opt_;
  std::string* error_;
  std::unique_ptr<World> world_;
  std::unique_ptr<Target> target_;
  std::vector<std::string> scopes_;
  std::vector<std::string> slowed_;
};

template <class T>
const T& pick(Rng& rng, const std::vector<T>& v) {
  return v[static_cast<size_t>(rng.uniform_int(0, static_cast<int64_t>(v.size()) - 1))];
}

/// The swarm draw of one seed, from a stream of its own.
SwarmDraw draw_swarm(uint64_t seed, const Options& opt, const Target& t) {
  SwarmDraw d;
  std::vector<Kind> allowed;
  for (int k = 0; k < kKinds; ++k) {
    const Kind kind = static_cast<Kind>(k);
    const bool on = (kind == Kind::Crash || kind == Kind::Reboot || kind == Kind::CrashLeader) ? opt.crashes
                    : (kind == Kind::Partition || kind == Kind::IsolateLeader || kind == Kind::Bridge) ? opt.partitions
                    : kind == Kind::LinkFaults                                                  ? opt.link_faults
                    : kind == Kind::Membership                                                  ? opt.membership && opt.swarm
                                                                                                : opt.slow;
    if (on && t.supports(kind)) allowed.push_back(kind);
  }
  if (!opt.swarm) {
    d.kinds = allowed;
    d.fault_every_us = opt.fault_every_us;
    return d;
  }
  Rng rng = Rng(seed).derive(0x5A4A3);
  for (Kind k : allowed)
    if (rng.bernoulli(0.5)) d.kinds.push_back(k);
  if (d.kinds.empty() && !allowed.empty()) d.kinds.push_back(pick(rng, allowed));
  static const int64_t kQuarters[] = {1, 2, 4, 8, 16};  // x0.25 .. x4
  d.fault_every_us = std::max<Time>(kMs, opt.fault_every_us * kQuarters[rng.uniform_int(0, 4)] / 4);
  static const double kAims[] = {0.0, 0.5, 1.0};
  d.aim = kAims[rng.uniform_int(0, 2)];
  return d;
}

/// "restart node=X delay_ms=D" for a random node of `down`. One draw per statement: the order
/// in which operands of one expression are evaluated is unspecified (GCC and clang differ), and
/// a campaign must draw the same natively and in WebAssembly (tests/chaos/campaigns.sh --wasm).
std::string restart_one(Runner& run, Rng& rng, const std::vector<NodeId>& down, Time delay_max_us) {
  const NodeId id = pick(rng, down);
  const Time delay = rng.uniform_int(0, delay_max_us);
  return "restart node=" + run.name(id) + " delay_ms=" + ms_text(delay);
}

/// "partition groups=..." splitting `everyone` at random into 2 (or, one time in four, 3) groups;
/// "" when they all landed in one group.
std::string random_partition(Runner& run, Rng& rng, const std::vector<NodeId>& everyone) {
  const int groups = rng.bernoulli(0.25) ? 3 : 2;
  std::vector<std::string> g(static_cast<size_t>(groups));
  for (NodeId id : everyone) {
    auto& s = g[static_cast<size_t>(rng.uniform_int(0, groups - 1))];
    s += (s.empty() ? "" : ",") + run.name(id);
  }
  std::string spec;
  for (const auto& s : g)
    if (!s.empty()) spec += (spec.empty() ? "" : "|") + s;
  if (spec.find('|') == std::string::npos) return "";
  return "partition groups=\"" + spec + "\"";
}

/// "set_link SCOPE loss=.. duplicate=.. reorder=.." with each drawn up to the campaign's maximum.
std::string link_fault(const std::string& scope, Rng& rng, const Options& opt) {
  const double loss = rng.uniform(0, opt.loss_max);
  const double duplicate = rng.uniform(0, opt.duplicate_max);
  const double reorder = rng.uniform(0, opt.reorder_max);
  return "set_link" + (scope.empty() ? std::string() : " " + scope) + " loss=" + prob_text(loss) +
         " duplicate=" + prob_text(duplicate) + " reorder=" + prob_text(reorder);
}

/// The classic (non-swarm) nemesis: the same draws as the first campaigns, so their seeds keep
/// their meaning. Returns the Command text, or "" for nothing this time.
std::string classic_fault(Runner& run, Rng& rng, const Options& opt) {
  World& w = run.w();
  const auto servers = run.target().servers();
  const auto everyone = run.target().everyone();
  std::vector<NodeId> up, down;
  for (NodeId id : servers) {
    if (w.node(id).status == NodeStatus::Crashed) down.push_back(id);
    if (w.node(id).status == NodeStatus::Up) up.push_back(id);
  }
  // crash, restart a crashed node, partition, heal, link fault, reboot (an up node restarts)
  std::vector<double> weights = {opt.crashes ? 3.0 : 0.0, opt.crashes ? 3.0 : 0.0, opt.partitions ? 2.0 : 0.0,
                                 opt.partitions ? 1.0 : 0.0, opt.link_faults ? 2.0 : 0.0, opt.crashes ? 1.0 : 0.0};
  const size_t what = rng.choice(weights);
  if (what == 0 || (what == 1 && down.empty())) {
    if (up.empty() || !opt.crashes) return "";
    return "crash node=" + run.name(pick(rng, up));
  }
  if (what == 1) return restart_one(run, rng, down, opt.restart_delay_max_us);
  if (what == 2) {
    return random_partition(run, rng, everyone);
  }
  if (what == 3) return "heal";
  if (what == 5) {
    if (up.empty()) return "";
    const NodeId id = pick(rng, up);
    return "restart node=" + run.name(id) + " delay_ms=" + ms_text(rng.uniform_int(0, opt.restart_delay_max_us) / 10);
  }
  std::string scope;
  const double where = rng.uniform();
  if (where < 0.5) {
    const int64_t n = static_cast<int64_t>(everyone.size());
    const NodeId a = everyone[static_cast<size_t>(rng.uniform_int(0, n - 1))];
    NodeId b = everyone[static_cast<size_t>(rng.uniform_int(0, n - 1))];
    if (a == b) b = everyone[static_cast<size_t>((rng.uniform_int(1, n - 1) + (a - everyone[0])) % n)];
    if (a == b) return "";
    scope = "from=" + run.name(a) + " to=" + run.name(b);
  } else if (where < 0.85) {
    scope = "node=" + run.name(pick(rng, servers));
  }
  return link_fault(scope, rng, opt);
}

/// "partition groups=..." with the leader and fewer than half of the other servers on one side
/// (the others can elect anew), or the leader alone (`alone`: the watch cuts it off entirely, so
/// that all the others can elect), clients on either side; "heal" with no leader, "" when no
/// side is left for the others.
std::string isolate_leader(Runner& run, Rng& rng, bool alone = false) {
  Target& t = run.target();
  const auto servers = t.servers();
  const auto everyone = t.everyone();
  const auto leader = t.leader();
  if (!leader) return "heal";
  std::vector<NodeId> others;
  for (NodeId id : servers)
    if (id != *leader) others.push_back(id);
  const int64_t minority = static_cast<int64_t>(servers.size() - 1) / 2;
  const int64_t with = minority > 0 && !alone ? rng.uniform_int(0, minority) : 0;
  std::string a = run.name(*leader), b;
  for (int64_t i = 0; i < with && !others.empty(); ++i) {
    const size_t at = static_cast<size_t>(rng.uniform_int(0, static_cast<int64_t>(others.size()) - 1));
    a += "," + run.name(others[at]);
    others.erase(others.begin() + static_cast<std::ptrdiff_t>(at));
  }
  for (NodeId id : others) b += (b.empty() ? "" : ",") + run.name(id);
  for (NodeId id : everyone) {  // clients land on either side
    if (std::find(servers.begin(), servers.end(), id) != servers.end()) continue;
    if (rng.bernoulli(0.5)) a += "," + run.name(id);
    else b += (b.empty() ? "" : ",") + run.name(id);
  }
  if (b.empty()) return "";
  return "partition groups=\"" + a + "|" + b + "\"";
}

/// The swarm nemesis: one fault of the seed's kinds. Leader faults may first wait (up to 300 ms
/// of simulated time) for a hot moment: the leader holding entries it has not committed.
std::string swarm_fault(Runner& run, Rng& rng, const Options& opt, const SwarmDraw& d) {
  World& w = run.w();
  Target& t = run.target();
  const auto servers = t.servers();
  const auto everyone = t.everyone();
  std::vector<NodeId> up, down;
  for (NodeId id : servers) {
    if (w.node(id).status == NodeStatus::Crashed) down.push_back(id);
    if (w.node(id).status == NodeStatus::Up) up.push_back(id);
  }
  // Now and then a quiet moment: everything heals, so the system makes progress between faults.
  if (rng.bernoulli(0.12)) return "heal";
  const Kind kind = pick(rng, d.kinds);
  if ((kind == Kind::IsolateLeader || kind == Kind::CrashLeader || kind == Kind::Reboot) && rng.bernoulli(d.aim)) {
    const Time until = std::min(w.now() + 300 * kMs, opt.faulty_us - 1);
    while (w.now() < until && !t.hot(kind)) w.run_until(std::min(until, w.now() + 1 * kMs));
    // A leader fault lands a little after the moment: long enough for an acknowledgement or two.
    // (Isolating the leader strikes at once: a partition also stops the messages on their way.)
    if (kind == Kind::CrashLeader) w.run_until(std::min(opt.faulty_us - 1, w.now() + rng.uniform_int(0, 40 * kMs)));
    if (kind == Kind::Reboot)
      if (auto who = t.aim(kind); who && w.node(*who).status == NodeStatus::Up)
        return "restart node=" + run.name(*who);
  }
  switch (kind) {
    case Kind::Crash:
      if (!down.empty() && (up.empty() || rng.bernoulli(0.5)))
        return restart_one(run, rng, down, opt.restart_delay_max_us);
      if (up.empty()) return "";
      return "crash node=" + run.name(pick(rng, up));
    case Kind::Reboot: {
      if (up.empty()) return "";
      // Half the reboots hit the leader: everyone then times out at about the same moment.
      const auto leader = t.leader();
      const NodeId who = leader && w.node(*leader).status == NodeStatus::Up && rng.bernoulli(0.5) ? *leader : pick(rng, up);
      return "restart node=" + run.name(who) + " delay_ms=" + ms_text(rng.uniform_int(0, opt.restart_delay_max_us) / 10);
    }
    case Kind::CrashLeader: {
      // Leader churn: the leader goes down and a server that was down comes back, so leadership
      // keeps moving between logs that differ in their last, uncommitted entries.
      const auto leader = t.leader();
      if (leader && w.node(*leader).status == NodeStatus::Up) {
        std::string text = "crash node=" + run.name(*leader);
        if (!down.empty()) {
          if (!run.apply(text, false, true)) return "";
          return "restart node=" + run.name(pick(rng, down));
        }
        return text;
      }
      if (down.empty()) return "";
      return restart_one(run, rng, down, opt.restart_delay_max_us);
    }
    case Kind::IsolateLeader: return isolate_leader(run, rng);
    case Kind::Partition: {
      const std::string text = random_partition(run, rng, everyone);
      return text.empty() ? "heal" : text;
    }
    case Kind::LinkFaults: {
      std::string scope;
      const double where = rng.uniform();
      if (where < 0.5 && everyone.size() > 1) {
        const NodeId a = pick(rng, everyone);
        NodeId b = pick(rng, everyone);
        if (a == b) return "";
        scope = "from=" + run.name(a) + " to=" + run.name(b);
      } else if (where < 0.85) {
        scope = "node=" + run.name(pick(rng, servers));
      }
      return link_fault(scope, rng, opt);
    }
    case Kind::Bridge: {
      // Lift the bridge in place (half the time), or put up a new one: the servers but one split
      // into two sides whose links are cut both ways; the one in the middle reaches both sides
      // (clients reach everyone). A non-transitive partition, as Jepsen's bridge nemesis.
      auto& cut = run.bridge_cut;
      const bool lift = !cut.empty() && rng.bernoulli(0.5);
      for (const auto& [a, b] : cut)
        if (!run.apply("set_link from=" + run.name(a) + " to=" + run.name(b) + " loss=0", false, true)) return "";
      cut.clear();
      if (lift || servers.size() < 3) return "";
      const NodeId middle = pick(rng, servers);
      std::vector<NodeId> side[2];
      for (NodeId id : servers) {
        if (id == middle) continue;
        const int64_t s = rng.uniform_int(0, 1);
        side[s].push_back(id);
      }
      if (side[0].empty() || side[1].empty()) return "";
      for (NodeId a : side[0])
        for (NodeId b : side[1]) cut.emplace_back(a, b);
      for (size_t i = 0; i + 1 < cut.size(); ++i)
        if (!run.apply("set_link from=" + run.name(cut[i].first) + " to=" + run.name(cut[i].second) + " loss=1", false, true))
          return "";
      return "set_link from=" + run.name(cut.back().first) + " to=" + run.name(cut.back().second) + " loss=1";
    }
    case Kind::Membership: {
      // Applied here, leniently: the model may refuse a change while another is in flight.
      const std::string text = t.membership_fault(rng);
      if (!text.empty()) run.apply(text, true, true);
      return "";
    }
    case Kind::Slow: {
      static const int kFactors[] = {5, 10, 20, 50};
      if (up.empty()) return "";
      const NodeId id = pick(rng, up);
      const bool restore = rng.bernoulli(0.3);
      return "slow node=" + run.name(id) + " factor=" + (restore ? std::string("1") : std::to_string(kFactors[rng.uniform_int(0, 3)]));
    }
  }
  return "";
}

}  // namespace

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::Crash: return "crash/restart";
    case Kind::Reboot: return "reboot";
    case Kind::Partition: return "partition/heal";
    case Kind::IsolateLeader: return "isolate-leader";
    case Kind::CrashLeader: return "crash-leader";
    case Kind::LinkFaults: return "link-faults";
    case Kind::Slow: return "slow";
    case Kind::Bridge: return "bridge";
    case Kind::Membership: return "membership";
  }
  return "?";
}

std::string SwarmDraw::describe() const {
  std::string s = "swarm:";
  for (size_t i = 0; i < kinds.size(); ++i) s += std::string(i ? "," : " ") + kind_name(kinds[i]);
  s += "; a fault every ~" + ms_text(fault_every_us) + " ms";
  if (aim > 0) s += "; aimed faults wait for a hot moment (" + std::to_string(static_cast<int>(aim * 100)) + "%)";
  if (!knobs.empty()) {
    s += "; knobs:";
    for (const auto& [k, v] : knobs) s += " " + k + "=" + v;
  }
  return s;
}

const char* Options::keys() {
  return "faulty_ms, quiet_ms, fault_every_ms, restart_max_ms, loss_max, duplicate_max, reorder_max, swarm, crashes, "
         "partitions, link_faults, slow, linearizability, membership";
}

std::string Options::set(const std::string& key, const std::string& value) {
  double d = 0;
  bool b = false;
  const bool is_num = util::parse_number(value, &d);
  const bool is_bool = util::parse_bool(value, &b);
  auto bad = [&](const char* want) { return "chaos." + key + "=" + value + ": expected " + want; };
  if (key == "faulty_ms" || key == "quiet_ms" || key == "fault_every_ms" || key == "restart_max_ms") {
    if (!is_num || d < 1 || d > 3600000) return bad("milliseconds from 1 to 3600000");
    const Time t = static_cast<Time>(d) * kMs;
    if (key == "faulty_ms") faulty_us = t;
    else if (key == "quiet_ms") quiet_us = t;
    else if (key == "fault_every_ms") fault_every_us = t;
    else restart_delay_max_us = t;
  } else if (key == "loss_max" || key == "duplicate_max" || key == "reorder_max") {
    if (!is_num || d < 0 || d > 1) return bad("a probability from 0 to 1");
    (key == "loss_max" ? loss_max : key == "duplicate_max" ? duplicate_max : reorder_max) = d;
  } else if (key == "swarm" || key == "crashes" || key == "partitions" || key == "link_faults" || key == "slow" ||
             key == "linearizability" || key == "membership") {
    if (!is_bool) return bad("true or false");
    (key == "swarm"        ? swarm
     : key == "membership" ? membership
     : key == "crashes"    ? crashes
     : key == "partitions" ? partitions
     : key == "link_faults" ? link_faults
     : key == "slow"       ? slow
                           : check_linearizability) = b;
  } else {
    return "unknown chaos option chaos." + key + " (" + keys() + ")";
  }
  return "";
}

std::string Options::describe() const {
  std::string s = "scenario " + scenario + ", faulty " + ms_text(faulty_us) + " ms then quiet " + ms_text(quiet_us) +
                  " ms, ";
  s += swarm ? "swarm (each seed draws its fault kinds, a fault every ~" + ms_text(fault_every_us / 4) + ".." +
                   ms_text(fault_every_us * 4) + " ms, whether leader faults and reboots wait for a hot moment, and "
                   "load/batch/latency knobs):"
             : "a fault every ~" + ms_text(fault_every_us) + " ms:";
  if (crashes) s += " crash/restart/reboot (down up to " + ms_text(restart_delay_max_us) + " ms)";
  if (crashes && swarm) s += " crash-leader";
  if (partitions) s += swarm ? " partition/heal isolate-leader bridge" : " partition/heal";
  if (link_faults)
    s += " set_link loss<=" + prob_text(loss_max) + " duplicate<=" + prob_text(duplicate_max) +
         " reorder<=" + prob_text(reorder_max);
  if (slow && swarm) s += " slow (where the world has CPUs to slow)";
  if (membership && swarm) s += " membership (add/remove a server)";
  s += "; params:";
  if (params.empty()) s += " (defaults)";
  for (const auto& [k, v] : params) s += " " + k + "=" + v;
  return s;
}

Result run(uint64_t seed, const Options& opt, std::string* error) {
  Runner r(seed, opt, error);
  if (!r.ready()) return r.res;
  World& w = r.w();
  r.res.draw = draw_swarm(seed, opt, r.target());
  r.res.draw.knobs = r.knobs();
  const SwarmDraw& d = r.res.draw;
  Rng rng = Rng(seed).derive(0xC4A05);
  // Watchpoints (VOPR-style): a seed that aims its reboots or leader isolations also watches
  // every millisecond for the moment they matter (Target::hot) and strikes then: a reboot hits
  // the voter aim() names (each node at most every 100 ms), an isolation cuts the leader off
  // alone (at most every 100 ms).
  auto has = [&](Kind k) { return std::find(d.kinds.begin(), d.kinds.end(), k) != d.kinds.end(); };
  const bool watch_reboot = opt.swarm && d.aim > 0 && has(Kind::Reboot);
  const bool watch_isolate = opt.swarm && d.aim > 0 && has(Kind::IsolateLeader);
  Rng watch_rng = Rng(seed).derive(0x3A7C4);
  std::map<NodeId, Time> last_watch;  // a node is rebooted by the watch at most every 100 ms
  Time last_isolate = -kSec;
  Time t = 0;
  while (!d.kinds.empty()) {
    t = std::max(t, w.now()) +
        std::max<Time>(1, static_cast<Time>(rng.exponential(static_cast<double>(d.fault_every_us))));
    if (t >= opt.faulty_us) break;
    while ((watch_reboot || watch_isolate) && w.now() + kMs < t) {
      w.run_until(w.now() + kMs);
      if (watch_isolate && w.now() - last_isolate >= 100 * kMs && r.target().hot(Kind::IsolateLeader) &&
          watch_rng.bernoulli(d.aim)) {
        const std::string text = isolate_leader(r, watch_rng, true);
        last_isolate = w.now();
        if (!text.empty() && !r.apply(text, false, true)) return r.res;
        continue;
      }
      if (!watch_reboot || !r.target().hot(Kind::Reboot) || !watch_rng.bernoulli(d.aim)) continue;
      const auto who = r.target().aim(Kind::Reboot);
      if (!who || w.node(*who).status != NodeStatus::Up) continue;
      auto seen = last_watch.find(*who);
      if (seen != last_watch.end() && w.now() - seen->second < 100 * kMs) continue;
      if (!r.apply("restart node=" + r.name(*who), false, true)) return r.res;
      last_watch[*who] = w.now();
    }
    w.run_until(t);
    const std::string text = opt.swarm ? swarm_fault(r, rng, opt, d) : classic_fault(r, rng, opt);
    if (text.empty()) continue;
    if (!r.apply(text, false, true)) return r.res;
  }
  r.finish();
  return r.res;
}

namespace {

/// Runs `schedule` in `r` (faults at their times, refused ones skipped), then heals and judges.
void play(Runner& r, uint64_t seed, const Options& opt, const std::vector<Fault>& schedule) {
  World& w = r.w();
  r.res.draw = draw_swarm(seed, opt, r.target());
  r.res.draw.knobs = r.knobs();
  for (const Fault& f : schedule) {
    if (f.at_us >= opt.faulty_us) break;
    if (f.at_us > w.now()) r.advance(f.at_us);
    if (!r.apply(f.command, true, true)) return;
  }
  r.finish();
}

}  // namespace

Result run_schedule(uint64_t seed, const Options& opt, const std::vector<Fault>& schedule, std::string* error) {
  Runner r(seed, opt, error);
  if (!r.ready()) return r.res;
  play(r, seed, opt, schedule);
  return r.res;
}

ReplayFile counterexample(uint64_t seed, const Options& opt, const std::vector<Fault>& schedule, std::string* error,
                          Result* result) {
  ReplayFile out;
  Runner r(seed, opt, error);
  if (!r.ready()) return out;
  r.probe();
  play(r, seed, opt, schedule);
  out.scenario = opt.scenario;
  out.seed = seed;
  out.params = opt.params;
  for (const auto& [k, v] : r.knobs()) out.params[k] = v;
  out.log = r.w().command_log();
  out.at_us = r.violated_at >= 0 ? r.violated_at : r.w().now();
  if (result) *result = r.res;
  return out;
}

std::vector<Fault> shrink(uint64_t seed, const Options& opt, const Result& failing, int* runs) {
  int count = 0;
  auto fails = [&](const std::vector<Fault>& s) {
    ++count;
    std::string err;
    Result r = run_schedule(seed, opt, s, &err);
    return err.empty() && !r.ok() && r.property == failing.property;
  };
  std::vector<Fault> cur = failing.schedule;
  // ddmin (Zeller and Hildebrandt): try subsets, then complements, at finer and finer grain.
  size_t n = 2;
  while (cur.size() >= 2) {
    const size_t chunk = (cur.size() + n - 1) / n;
    bool reduced = false;
    for (size_t start = 0; start < cur.size() && !reduced; start += chunk) {
      std::vector<Fault> part(cur.begin() + static_cast<std::ptrdiff_t>(start),
                              cur.begin() + static_cast<std::ptrdiff_t>(std::min(cur.size(), start + chunk)));
      if (fails(part)) {
        cur = part;
        n = 2;
        reduced = true;
      }
    }
    for (size_t start = 0; start < cur.size() && !reduced && n > 2; start += chunk) {
      std::vector<Fault> rest(cur.begin(), cur.begin() + static_cast<std::ptrdiff_t>(start));
      rest.insert(rest.end(), cur.begin() + static_cast<std::ptrdiff_t>(std::min(cur.size(), start + chunk)), cur.end());
      if (fails(rest)) {
        cur = rest;
        n = std::max<size_t>(n - 1, 2);
        reduced = true;
      }
    }
    if (reduced) continue;
    if (n >= cur.size()) break;
    n = std::min(cur.size(), n * 2);
  }
  // 1-minimal: no single fault can go.
  for (size_t i = 0; i < cur.size();) {
    std::vector<Fault> without = cur;
    without.erase(without.begin() + static_cast<std::ptrdiff_t>(i));
    if (fails(without)) cur = without;
    else ++i;
  }
  if (cur.size() == 1 && fails({})) cur.clear();
  if (runs) *runs = count;
  return cur;
}

int default_jobs() {
#ifdef __EMSCRIPTEN__
  return 1;
#else
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
#endif
}

std::vector<SeedOutcome> run_campaign(const Campaign& c, const Options& opt, std::string* error) {
  std::vector<uint64_t> seeds;
  for (uint64_t i = 0; i < c.count; ++i)
    if (c.shard_count <= 1 || i % c.shard_count == c.shard_index) seeds.push_back(c.first + i);
  std::vector<SeedOutcome> out(seeds.size());
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  auto work = [&] {
    for (;;) {
      const size_t i = next.fetch_add(1);
      if (i >= seeds.size() || failed) return;
      std::string err;
      SeedOutcome& o = out[i];
      o.result = run(seeds[i], opt, &err);
      if (!err.empty()) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!failed.exchange(true) && error) *error = "seed " + std::to_string(seeds[i]) + ": " + err;
        return;
      }
      if (!o.result.ok() && c.shrink) o.shrunk = shrink(seeds[i], opt, o.result, &o.shrink_runs);
      if (o.result.ok() && !c.keep_schedules) o.result.schedule.clear();
    }
  };
  int jobs = std::max(1, std::min<int>(c.jobs, static_cast<int>(seeds.size())));
#ifdef __EMSCRIPTEN__
  jobs = 1;
#endif
  if (jobs == 1) {
    work();
  } else {
    std::vector<std::thread> threads;
    for (int j = 0; j < jobs; ++j) threads.emplace_back(work);
    for (auto& t : threads) t.join();
  }
  if (failed) out.clear();
  return out;
}

std::string schedule_text(const std::vector<Fault>& s) {
  std::string out;
  for (const Fault& f : s) out += std::to_string(f.at_us) + " " + f.command + "\n";
  return out;
}

std::optional<std::vector<Fault>> parse_schedule(const std::string& text, std::string* error) {
  auto log = Session::parse_log(text, error);
  if (!log) return std::nullopt;
  std::vector<Fault> out;
  for (const auto& lc : *log) out.push_back({lc.at, lc.cmd.to_text()});
  return out;
}

}  // namespace topo::chaos
