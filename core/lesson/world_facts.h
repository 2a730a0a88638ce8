// How lessons meet the simulation: LessonWorld (the world a runner drives: a Session, or a bare
// World in tests), WorldSource (how a lesson's [scenario] becomes a world, and which scenario
// names exist), and WorldFacts (the values conditions read: engine facts such as
// node.n1.status and nodes.up, each model's Model::value keys, metrics counters and gauges).
#pragma once

#include <functional>
#include <map>
#include <set>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lesson/condition.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"
#include "sim/world.h"

namespace topo::lesson {

/// The world a lesson runs in. Commands go through apply() so a Session records them.
class LessonWorld {
 public:
  virtual ~LessonWorld() = default;
  virtual World& world() = 0;
  virtual CommandResult apply(const Command& c) = 0;
  virtual void run_until(Time t) = 0;
  /// The Session behind this world, if there is one (the UI uses it to rewind).
  virtual Session* session() { return nullptr; }
  /// A compare lesson's world `i` (0 left, 1 right; lesson/compare.h); null in a one-world lesson.
  virtual LessonWorld* side(int i) {
    (void)i;
    return nullptr;
  }
};

/// Wraps a Session (the normal case) or a bare, started World (tests).
std::unique_ptr<LessonWorld> wrap_session(std::unique_ptr<Session> s);
std::unique_ptr<LessonWorld> wrap_world(std::unique_ptr<World> w);

/// Where lesson worlds come from: the built-in scenarios, or a test's own.
struct WorldSource {
  /// Builds and starts the world; null and `error` set on failure (bad params, ...).
  std::function<std::unique_ptr<LessonWorld>(const std::string& scenario, uint64_t seed, const Params& params,
                                             std::string* error)>
      make;
  /// The scenario names that exist (for "did you mean").
  std::function<std::vector<std::string>()> names;
  /// The built-in scenarios through Session::create.
  static WorldSource builtin();
};

/// Values for conditions, read from a world at the current simulated time.
/// Engine facts (always present): time_s, time_ms, elapsed_s (since the step started),
/// nodes.total/up/crashed/restarting/slow, partitioned, partition.groups, violations, commands,
/// node.NAME.status ("up"/"crashed"/"restarting"), node.NAME.up, node.NAME.cpu_speed,
/// node.NAME.version, node.NAME.kind, node.NAME.incarnation, node.NAME.queued_work,
/// node.NAME.group, node.NAME.KEY for every key the node's process shows in the inspector
/// (role, term, ...), counter.NAME and gauge.NAME (metrics; 0 when never set). Every other key
/// is asked of each model's Model::value in order; the first answer wins.
/// Baselines: values captured when a step started, by key without its "start." prefix.
using Baseline = std::map<std::string, Value, std::less<>>;

/// Keys may name nodes with a selector (node.@leader.term, lesson/selector.h) and read a baseline
/// with the "start." prefix (start.p99_ms.checkout): the value `baseline` holds for the key, or,
/// with no baseline (the checker), the value now. count(@selector) counts the matched nodes.
class WorldFacts : public Facts {
 public:
  /// `step_started_us` is the simulated time the current step began (for elapsed_s).
  WorldFacts(const World& w, Time step_started_us = 0, const Baseline* baseline = nullptr)
      : w_(w), step_started_(step_started_us), baseline_(baseline) {}
  std::optional<Value> get(std::string_view key) const override;
  std::vector<std::string> expand(std::string_view key) const override;
  std::optional<double> count(std::string_view selector) const override;
  /// The number an enum key's value `name` stands for (breaker.A->B: "open" -> 1), from the
  /// world's value declarations; std::nullopt if the key is no enum or has no such name.
  std::optional<double> enum_number(std::string_view key, std::string_view name) const override;

 private:
  std::optional<Value> get_now(std::string_view key) const;
  const World& w_;
  Time step_started_;
  const Baseline* baseline_;
};

/// A "start.X" key (`key` starts with "start."): X's value when the step began, from `baseline`,
/// else X now, read from `now` (WorldFacts and CompareFacts both answer them this way).
std::optional<Value> get_start_key(std::string_view key, const Baseline* baseline, const Facts& now);
/// The baseline keys ("start.X" -> "X") a condition reads, appended to `out` (no duplicates).
void collect_baseline_keys(const Expr& e, std::vector<std::string>& out);
/// The same for the {{start.X}} placeholders of a text.
void collect_baseline_keys(std::string_view text, std::vector<std::string>& out);
/// The value of each key now, keyed by the key (keys with no value are left out).
Baseline capture_baseline(const World& w, Time step_started_us, const std::vector<std::string>& keys);
/// The same, read from any Facts (a compare lesson's two worlds).
Baseline capture_baseline(const Facts& f, const std::vector<std::string>& keys);

/// The engine's own value keys (WorldFacts answers them in every world), declared once.
const std::vector<ValueDecl>& engine_value_decls();
/// Every value declaration of a world: the engine's, then each model's Model::value_decls().
std::vector<ValueDecl> world_value_decls(const World& w);
/// The declaration covering `key` in world `w` (engine first, then the models), or null.
std::optional<ValueDecl> find_world_value_decl(const World& w, std::string_view key);
/// The names that fill `<placeholder>` in `w`: what the models say (Model::value_names), else
/// node and player -> every node name, field -> every inspector field of any node, counter and
/// gauge -> the metrics recorded so far.
std::vector<std::string> placeholder_names(const World& w, std::string_view placeholder);
/// Every concrete key of `pattern` in `w` that `answers` accepts (placeholders filled from
/// placeholder_names; node.<node>.<field> per node).
std::vector<std::string> expand_pattern(const World& w, const std::string& pattern,
                                        const std::function<bool(const std::string&)>& answers);
/// Value keys the world answers right now (each declaration expanded over the world's names,
/// kept if WorldFacts answers it), without duplicates, in declaration order.
std::vector<std::string> known_value_keys(const World& w);
/// The reference completeness check of one world: every key a model's value() answers among
/// the probed candidates must match that model's declarations, every declared pattern must be
/// answered for some name, every enum value must have a name and every fraction lie in [0, 1].
/// Candidates: each word of `vocabulary`, of every declaration in the world and of each model's
/// state_json/report_metrics field names, alone and with each name of the world after a dot
/// (and after "<system>/" for services). Returns the problems, one sentence each.
std::vector<std::string> check_value_declarations(const World& w, const std::vector<std::string>& vocabulary = {});
/// Keys whose value is text (compared with == / != and quoted words).
bool is_text_key(std::string_view key);
/// Service names in the world (nodes with role "service:NAME", or "NAME-N" replicas of them).
std::vector<std::string> service_names(const World& w);

}  // namespace topo::lesson
