// One chaos campaign against a Raft world (see chaos.h). The fault schedule is drawn from its own
// generator seeded by the campaign seed (not the world's), and decided online against the
// world's state (only crashed nodes are restarted), then applied as ordinary Commands, exactly as
// a learner's clicks would be.
#include "models/raft/chaos.h"

#include <algorithm>
#include <cstdlib>

#include "models/kv/linearizability.h"
#include "models/raft/raft.h"
#include "scenario/scenario.h"

namespace topo::raft {

namespace {

std::string prob_text(double p) {
  // Three decimals, no floating-point to_chars.
  const int64_t m = static_cast<int64_t>(p * 1000.0 + 0.5);
  std::string f = std::to_string(m % 1000);
  while (f.size() < 3) f = "0" + f;
  return std::to_string(m / 1000) + "." + f;
}

std::string ms_text(Time t_us) { return std::to_string(t_us / kMs); }

}  // namespace

std::string ChaosOptions::set(const std::string& key, const std::string& value) {
  char* end = nullptr;
  const double d = std::strtod(value.c_str(), &end);
  const bool is_num = !value.empty() && *end == '\0';
  const bool is_bool = value == "true" || value == "false";
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
  } else if (key == "crashes" || key == "partitions" || key == "link_faults" || key == "linearizability") {
    if (!is_bool) return bad("true or false");
    (key == "crashes" ? crashes : key == "partitions" ? partitions : key == "link_faults" ? link_faults
                                                                                         : check_linearizability) =
        value == "true";
  } else {
    return "unknown chaos option chaos." + key +
           " (faulty_ms, quiet_ms, fault_every_ms, restart_max_ms, loss_max, duplicate_max, reorder_max, crashes, "
           "partitions, link_faults, linearizability)";
  }
  return "";
}

std::string ChaosOptions::describe() const {
  std::string s = "scenario " + scenario + ", faulty " + ms_text(faulty_us) + " ms then quiet " + ms_text(quiet_us) +
                  " ms, a fault every ~" + ms_text(fault_every_us) + " ms:";
  if (crashes) s += " crash/restart/reboot (down up to " + ms_text(restart_delay_max_us) + " ms)";
  if (partitions) s += " partition/heal";
  if (link_faults)
    s += " set_link loss<=" + prob_text(loss_max) + " duplicate<=" + prob_text(duplicate_max) +
         " reorder<=" + prob_text(reorder_max);
  s += check_linearizability ? "; checks: invariants, linearizability, progress" : "; checks: invariants, progress";
  s += "; params:";
  if (params.empty()) s += " (defaults)";
  for (const auto& [k, v] : params) s += " " + k + "=" + v;
  return s;
}

ChaosResult run_chaos(uint64_t seed, const ChaosOptions& opt, std::string* error) {
  ChaosResult res;
  res.seed = seed;
  auto world = build_world(opt.scenario, seed, opt.params, error,
                           [](World& w) { w.trace().set_capacity(0); });  // hash only: fast
  if (!world) return res;
  World& w = *world;
  RaftCluster* cluster = w.find_model<RaftCluster>();
  if (!cluster) {
    if (error) *error = "scenario " + opt.scenario + " has no Raft cluster";
    return res;
  }
  const auto& servers = cluster->servers();
  std::vector<NodeId> everyone = servers;
  everyone.insert(everyone.end(), cluster->clients().begin(), cluster->clients().end());
  auto name = [&](NodeId id) { return w.node(id).name; };

  Rng rng = Rng(seed).derive(0xC4A05);
  std::vector<std::string> link_scopes;  // set_link scopes touched, reset at the heal
  auto apply = [&](const std::string& text) -> bool {
    std::string err;
    auto cmd = Command::parse(text, &err);
    if (!cmd) {
      if (error) *error = "bad chaos command \"" + text + "\": " + err;
      return false;
    }
    CommandResult r = w.apply(*cmd);
    if (!r.ok) {
      if (error) *error = "chaos command \"" + text + "\" failed: " + r.error;
      return false;
    }
    res.schedule.push_back(ms_text(w.now()) + " ms  " + cmd->to_text());
    return true;
  };

  // crash, restart a crashed node, partition, heal, link fault, reboot (an up node restarts)
  std::vector<double> weights = {opt.crashes ? 3.0 : 0.0, opt.crashes ? 3.0 : 0.0, opt.partitions ? 2.0 : 0.0,
                                 opt.partitions ? 1.0 : 0.0, opt.link_faults ? 2.0 : 0.0, opt.crashes ? 1.0 : 0.0};
  const bool any_fault = weights[0] + weights[2] + weights[4] > 0;
  Time t = 0;
  while (any_fault) {
    t += std::max<Time>(1, static_cast<Time>(rng.exponential(static_cast<double>(opt.fault_every_us))));
    if (t >= opt.faulty_us) break;
    w.run_until(t);
    std::vector<NodeId> up, down;
    for (NodeId id : servers) {
      if (w.node(id).status == NodeStatus::Crashed) down.push_back(id);
      if (w.node(id).status == NodeStatus::Up) up.push_back(id);
    }
    const size_t what = rng.choice(weights);
    std::string text;
    if (what == 0 || (what == 1 && down.empty())) {  // crash
      if (up.empty() || !opt.crashes) continue;
      text = "crash node=" + name(up[static_cast<size_t>(rng.uniform_int(0, static_cast<int64_t>(up.size()) - 1))]);
    } else if (what == 1) {  // restart a crashed node
      const NodeId id = down[static_cast<size_t>(rng.uniform_int(0, static_cast<int64_t>(down.size()) - 1))];
      text = "restart node=" + name(id) + " delay_ms=" + ms_text(rng.uniform_int(0, opt.restart_delay_max_us));
    } else if (what == 2) {  // partition into 2 or 3 groups (clients land in one of them)
      const int groups = rng.bernoulli(0.25) ? 3 : 2;
      std::vector<std::string> g(static_cast<size_t>(groups));
      for (NodeId id : everyone) {
        auto& s = g[static_cast<size_t>(rng.uniform_int(0, groups - 1))];
        s += (s.empty() ? "" : ",") + name(id);
      }
      std::string spec;
      for (const auto& s : g)
        if (!s.empty()) spec += (spec.empty() ? "" : "|") + s;
      if (spec.find('|') == std::string::npos) continue;  // everyone in one group: no partition
      text = "partition groups=\"" + spec + "\"";
    } else if (what == 3) {
      text = "heal";
    } else if (what == 5) {  // reboot: the process restarts at once, losing its volatile state
      if (up.empty()) continue;
      const NodeId id = up[static_cast<size_t>(rng.uniform_int(0, static_cast<int64_t>(up.size()) - 1))];
      text = "restart node=" + name(id) + " delay_ms=" + ms_text(rng.uniform_int(0, opt.restart_delay_max_us) / 10);
    } else {  // link fault on a pair, a node, or the default
      std::string scope;
      const double pick = rng.uniform();
      if (pick < 0.5) {
        const int64_t n = static_cast<int64_t>(everyone.size());
        const NodeId a = everyone[static_cast<size_t>(rng.uniform_int(0, n - 1))];
        NodeId b = everyone[static_cast<size_t>(rng.uniform_int(0, n - 1))];
        if (a == b) b = everyone[static_cast<size_t>((rng.uniform_int(1, n - 1) + (a - everyone[0])) % n)];
        if (a == b) continue;
        scope = "from=" + name(a) + " to=" + name(b);
      } else if (pick < 0.85) {
        scope = "node=" + name(servers[static_cast<size_t>(rng.uniform_int(0, static_cast<int64_t>(servers.size()) - 1))]);
      }
      // One draw per statement: the evaluation order of operands in an expression is unspecified
      // (GCC and clang differ), and the schedule must be the same natively and in WebAssembly.
      const double loss = rng.uniform(0, opt.loss_max);
      const double duplicate = rng.uniform(0, opt.duplicate_max);
      const double reorder = rng.uniform(0, opt.reorder_max);
      text = "set_link" + (scope.empty() ? std::string() : " " + scope) + " loss=" + prob_text(loss) +
             " duplicate=" + prob_text(duplicate) + " reorder=" + prob_text(reorder);
      if (std::find(link_scopes.begin(), link_scopes.end(), scope) == link_scopes.end()) link_scopes.push_back(scope);
    }
    if (!apply(text)) return res;
  }

  // Heal everything: the network, the links, the crashed nodes.
  w.run_until(opt.faulty_us);
  if (!apply("heal")) return res;
  for (const auto& scope : link_scopes)
    if (!apply("set_link" + (scope.empty() ? std::string() : " " + scope) + " loss=0 duplicate=0 reorder=0")) return res;
  for (NodeId id : servers)
    if (w.node(id).status == NodeStatus::Crashed && !apply("restart node=" + name(id))) return res;
  const Time healed_at = w.now();
  w.run_until(opt.faulty_us + opt.quiet_us);
  res.events = w.events_processed();
  res.ops = cluster->history().size();

  // Verdict.
  for (const auto& v : cluster->violations()) res.problems.push_back(v);
  if (cluster->violation_count() > 0) res.violation = true;
  if (opt.check_linearizability) {
    kv::CheckResult lin = kv::check_linearizable(cluster->history());
    if (lin.verdict != kv::Verdict::Linearizable) {
      res.violation = true;
      res.problems.push_back(std::string(lin.verdict == kv::Verdict::Violation ? "not linearizable: "
                                                                                 : "linearizability inconclusive: ") +
                             lin.report());
    }
  }
  bool progressed = false;
  bool any_write = false;
  for (const auto& op : cluster->history().ops()) {
    if (op.kind != kv::OpKind::Write || op.invoke_us < healed_at) continue;
    any_write = true;
    if (op.outcome == kv::Outcome::Ok) { progressed = true; break; }
  }
  if (!any_write) progressed = cluster->value("leader_count").value_or(0) == 1;  // no load: a leader suffices
  if (!progressed) {
    res.stalled = true;
    res.problems.push_back("stalled: no write invoked after the heal at " + ms_text(healed_at) +
                           " ms completed within the " + ms_text(opt.quiet_us) + " ms quiet period");
  }
  if (error) error->clear();
  return res;
}

}  // namespace topo::raft
