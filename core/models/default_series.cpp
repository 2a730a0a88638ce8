// Default chart series for every world (see default_series.h).
#include "models/default_series.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "models/basic/queue.h"

namespace topo {

double RateOverSecond::next(Time t, double total) {
  // A count never goes back: Raft's commit_index is the highest among the servers that are up,
  // and crashing the most advanced one must not read as negative commits.
  if (!seen_.empty()) total = std::max(total, seen_.back().second);
  seen_.emplace_back(t, total);
  // Keep the newest sample at or before t - 1 s as the base, and everything after it.
  while (seen_.size() > 2 && seen_[1].first <= t - kSec) seen_.pop_front();
  const auto& base = seen_.front();
  const Time dt = t - base.first;
  if (dt <= 0) return 0.0;
  return (total - base.second) * static_cast<double>(kSec) / static_cast<double>(dt);
}

namespace {

// How a series gets its value at a boundary.
enum class How { Level, Rate };

struct Spec {
  std::string series;                               ///< "WHO.KIND"
  How how = How::Level;
  std::function<std::optional<double>(const Model&)> read;
};

Spec key(std::string series, const char* value_key, How how = How::Level) {
  std::string k(value_key);
  return {std::move(series), how, [k](const Model& m) { return m.value(k); }};
}

// A marker when a model value changes between samples (e.g. the Raft leader).
/// A marker on the charts: its English label and its subject (the UI words kind + subject).
struct Mark {
  std::string label, subject;
};

struct Watch {
  std::string kind;
  const char* value_key;
  std::function<Mark(const World&, double)> mark;  ///< label "" = no marker for this value
};

std::vector<Spec> specs_for(const Model& m) {
  const std::string n = m.name();
  if (dynamic_cast<const basic::QueueModel*>(&m)) {
    return {{n + ".in_system", How::Level,
             [](const Model& q) -> std::optional<double> {
               auto a = q.value("customers_arrived"), s = q.value("customers_served");
               if (!a || !s) return std::nullopt;
               return *a - *s;
             }},
            key(n + ".served_per_s", "customers_served", How::Rate),
            key(n + ".mean_time_in_system_ms", "mean_time_in_system_ms")};
  }
  if (n == "raft")
    return {key("raft.commits_per_s", "commit_index", How::Rate), key("raft.availability", "availability"),
            key("raft.term", "term"), key("raft.leader_count", "leader_count")};
  if (n == "primary-backup")
    return {key(n + ".ops_per_s", "ops_ok", How::Rate), key(n + ".p99_ms", "p99_ms"),
            key(n + ".lost_writes", "lost_writes")};
  if (n == "quorum")
    return {key(n + ".ops_per_s", "ops_ok", How::Rate), key(n + ".p99_ms", "p99_ms"),
            key(n + ".recent_stale_reads", "recent_stale_reads")};
  if (n == "sharding")
    return {key(n + ".requests_per_s", "requests", How::Rate), key(n + ".queue_max", "queue_max")};
  if (n == "gossip") return {key(n + ".informed_fraction", "informed_fraction")};
  if (n == "transfer")
    return {key(n + ".committed_per_s", "committed", How::Rate), key(n + ".aborted_per_s", "aborted", How::Rate),
            key(n + ".in_doubt", "in_doubt"), key(n + ".p99_ms", "p99_ms")};
  if (n == "datajob") return {key(n + ".tasks_done", "tasks_done"), key(n + ".workers_alive", "workers_alive")};
  if (n == "game") return {key(n + ".divergence", "divergence"), key(n + ".snapshot_age_ms", "snapshot_age_ms")};
  if (n == "cloud")
    return {key(n + ".services_up", "services_up"), key(n + ".replicas_running", "replicas_running"),
            key(n + ".servers_used", "servers_used")};
  if (n == "devops") {
    // One chart per DORA measure, a line per side that exists ("services", "monolith").
    std::vector<Spec> out;
    for (const char* kind : {"deploy_frequency", "lead_time_s", "change_failure_rate", "time_to_restore_s", "down"})
      for (const char* side : {"services", "monolith"}) {
        const std::string k = std::string(side) + "." + kind;
        if (m.value(k)) out.push_back({k, How::Level, [k](const Model& mm) { return mm.value(k); }});
      }
    return out;
  }
  if (n == "feed")
    return {key(n + ".posts_per_s", "posts_ok", How::Rate), key(n + ".queue_depth", "queue_depth"),
            key(n + ".read_latency_ms_p95", "read_latency_ms_p95")};
  return {};
}

std::string node_label(const World& w, double id) {
  const auto i = static_cast<NodeId>(id);
  if (i < 0 || static_cast<size_t>(i) >= w.nodes().size()) return "";
  return w.node(i).name;
}

std::vector<Watch> watches_for(const Model& m) {
  const std::string n = m.name();
  if (n == "raft")
    return {{"leader", "leader", [](const World& w, double v) {
               const std::string who = node_label(w, v);
               return who.empty() ? Mark{"no leader", ""} : Mark{"leader " + who, who};
             }}};
  if (n == "primary-backup")
    return {{"failover", "failovers", [](const World&, double) { return Mark{"failover", ""}; }}};
  return {};
}

}  // namespace

void install_default_series(World& w) {
  // Engine series, for every world (ping has no model at all).
  {
    auto up_rate = std::make_shared<RateOverSecond>();
    w.metrics().declare_series("world.nodes_up");
    w.metrics().declare_series("world.messages_per_s");
    w.add_sampler([up_rate](World& world) {
      int up = 0;
      for (const auto& n : world.nodes()) up += n->status == NodeStatus::Up ? 1 : 0;
      world.metrics().sample("world.nodes_up", world.now(), up);
      world.metrics().sample("world.messages_per_s", world.now(),
                             up_rate->next(world.now(), static_cast<double>(world.net_stats().delivered)));
    });
  }
  for (const auto& mp : w.models()) {
    const Model* m = mp.get();
    auto specs = std::make_shared<std::vector<Spec>>(specs_for(*m));
    auto watches = std::make_shared<std::vector<Watch>>(watches_for(*m));
    if (specs->empty() && watches->empty()) continue;
    for (const auto& s : *specs) w.metrics().declare_series(s.series);
    auto rates = std::make_shared<std::vector<RateOverSecond>>(specs->size());
    auto last = std::make_shared<std::vector<std::optional<double>>>(watches->size());
    w.add_sampler([m, specs, watches, rates, last](World& world) {
      const Time t = world.now();
      for (size_t i = 0; i < specs->size(); ++i) {
        const Spec& s = (*specs)[i];
        const auto v = s.read(*m);
        if (!v) continue;
        world.metrics().sample(s.series, t, s.how == How::Rate ? (*rates)[i].next(t, *v) : *v);
      }
      for (size_t i = 0; i < watches->size(); ++i) {
        const Watch& wa = (*watches)[i];
        const auto v = m->value(wa.value_key);
        if (!v) continue;
        // The first boundary only sets the baseline: a value at t = 0 is no change.
        if ((*last)[i] && *(*last)[i] != *v) {
          Mark mk = wa.mark(world, *v);
          if (!mk.label.empty()) world.metrics().mark(t, wa.kind, std::move(mk.label), std::move(mk.subject));
        }
        (*last)[i] = v;
      }
    });
  }
}

}  // namespace topo
