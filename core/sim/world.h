// The simulation world: the one object every model, the lesson runner, the CLI and the UI share.
//
// [SECTION] index
//   Time & ids ........ Time (int64 microseconds), NodeId, MsgId, TimerId
//   Messages .......... Message: what flies between nodes; the UI animates [sent_at, deliver_at]
//   Processes ......... Process: an actor on a node (message and timer handlers); Ctx: its API
//   Nodes ............. Node: up / crashed / restarting, CPU speed factor, persistent state
//   Network ........... LinkParams: latency, jitter, loss, duplication, reordering, bandwidth
//   Commands .......... Command: every external change, applied through World::apply()
//   World ............. the event loop, run_until / run_events / step, and read-only views
//
// Principles (../../shared/DESIGN.md): the world is a pure function of (scenario, seed, command
// log). Simulated time is an integer and advances only by events. Ties between events at the
// same time break by insertion order. All randomness comes from the world's seeded Rng and its
// derived streams. Nothing here includes a UI or platform header.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/declare.h"
#include "sim/metrics.h"
#include "sim/rng.h"
#include "sim/trace.h"

namespace topo {

/// Simulated time in microseconds since the start of the world.
using Time = int64_t;
constexpr Time kUs = 1;
constexpr Time kMs = 1000;
constexpr Time kSec = 1000 * 1000;

using NodeId = int32_t;     ///< index into World::nodes(); -1 = none
using MsgId = uint64_t;     ///< unique per world, increasing
using TimerId = uint64_t;   ///< unique per world, increasing; 0 = none
constexpr NodeId kNoNode = -1;

/// A model's message body. Models derive from it; the engine only hashes and describes it.
struct Payload {
  virtual ~Payload() = default;
  /// Adds the payload's canonical bytes to the trace hash (same on every platform).
  virtual void hash_into(Hasher& h) const = 0;
  /// Short human text for the inspector and the JSON trace, e.g. "AppendEntries t=3 n=2".
  virtual std::string describe() const = 0;
};

/// A message between two nodes. `kind` is a short stable name ("vote", "append", "request",
/// "response", "gossip", ...) that the UI colours by and the trace records.
struct Message {
  MsgId id = 0;
  NodeId from = kNoNode;
  NodeId to = kNoNode;
  std::string kind;
  int64_t size_bytes = 100;        ///< for the bandwidth model
  Time sent_at = 0;                ///< simulated send time
  Time deliver_at = 0;             ///< simulated delivery (or drop) time
  std::shared_ptr<const Payload> body;  ///< may be null
  uint64_t value = 0;              ///< a small inline payload (no allocation): a version, an id
};

class World;
class Ctx;

/// An actor that runs on a node. A crash destroys it (volatile state is lost); a restart makes a
/// new one from the node's factory, which gets the node's persistent state back.
class Process {
 public:
  virtual ~Process() = default;
  /// Called once when the node starts or restarts.
  virtual void on_start(Ctx& ctx) { (void)ctx; }
  /// A message arrived (the node is up; CPU cost, if any, is charged by the process via ctx.work).
  virtual void on_message(Ctx& ctx, const Message& m) = 0;
  /// A timer set with ctx.set_timer fired; `tag` is what the process passed in.
  virtual void on_timer(Ctx& ctx, TimerId id, uint64_t tag) { (void)ctx; (void)id; (void)tag; }
  /// Work scheduled with ctx.work finished (after queueing for a core and the service time).
  virtual void on_work_done(Ctx& ctx, uint64_t tag) { (void)ctx; (void)tag; }
  /// Model state for the UI/state hook as flat key/value pairs (role, term, ...).
  virtual std::vector<std::pair<std::string, std::string>> inspect() const { return {}; }
};

/// State that survives a crash (a node's disk). Models derive from it.
struct Persistent {
  virtual ~Persistent() = default;
};

/// A model's world-wide state and reports (a Raft cluster's checker and client history, a
/// service graph's metrics). Owned by the World; found with World::find_model<T>().
class Model {
 public:
  virtual ~Model() = default;
  virtual std::string name() const = 0;
  /// Final metrics as JSON lines for `topolab-cli run --metrics` (one object per line).
  virtual void report_metrics(std::ostream& out) const { (void)out; }
  /// The recorded client history as JSON lines for `run --history FILE`; false if none.
  virtual bool write_history(std::ostream& out) const { (void)out; return false; }
  /// Safety violations found so far (checkers), each a readable sentence naming the operations.
  virtual std::vector<std::string> violations() const { return {}; }
  /// State for the UI / test hook as a JSON object (no trailing newline).
  virtual std::string state_json() const { return "{}"; }
  /// Named numeric values lesson conditions can read ("leader_count", "p99_ms.checkout", ...).
  virtual std::optional<double> value(std::string_view key) const { (void)key; return std::nullopt; }
  /// The declaration of every key value() answers, once: patterns with type, unit, help and enum
  /// names (scenario/declare.h). The checker, --list-values, FORMAT.md and the completeness test
  /// read it; a key value() answers outside it is a bug the completeness test reports.
  virtual std::vector<ValueDecl> value_decls() const { return {}; }
  /// The names that fill `<placeholder>` in this model's patterns ("edge" -> "gateway->auth", ...);
  /// empty = the reference's defaults (every node name for node and player).
  virtual std::vector<std::string> value_names(std::string_view placeholder) const { (void)placeholder; return {}; }
  /// An identifier of this model that the lab shows, and its words: a message kind ("fanout" ->
  /// "fan-out to timelines"), a node role, an Inspector field's name or value ("pack").
  using Word = std::pair<const char*, const char*>;
  /// This model's words, each marked N_() so the UI can show it translated (tr()). An identifier
  /// with no words is shown as it is, which the UI's pseudo-locale test reports.
  /// A static table: the canvas looks words up for every label it draws, every frame.
  virtual std::span<const Word> words() const { return {}; }
};

/// Makes the process for a node at start and at every restart.
using ProcessFactory = std::function<std::unique_ptr<Process>(NodeId, Persistent*)>;

enum class NodeStatus : uint8_t { Up, Crashed, Restarting };
const char* to_string(NodeStatus s);

/// What the engine knows of a node. Read through World::node(); changed only through Commands.
struct Node {
  NodeId id = kNoNode;
  std::string name;            ///< unique, used by Commands and lessons ("n1", "payment-2")
  std::string role;            ///< free text for the UI ("raft", "client", "service:payment")
  NodeStatus status = NodeStatus::Up;
  double cpu_speed = 1.0;      ///< 1 = normal; 0.05 = twenty times slower (gray failure)
  int cores = 1;               ///< parallel servers for ctx.work
  uint32_t incarnation = 0;    ///< bumped on every crash; stale timers/work are ignored
  std::string version = "v1";  ///< deployed software version (for upgrades and deployments)
  std::unique_ptr<Persistent> disk;
  std::unique_ptr<Process> process;
  ProcessFactory factory;
  Rng rng;                     ///< the node's own stream (derived from the world seed and id)
  // CPU model: a FIFO queue in front of `cores` servers.
  std::vector<Time> core_busy_until;
  int64_t queued_work = 0;     ///< jobs waiting or in service
};

/// Network behaviour of a directed link (or the world default).
struct LinkParams {
  Time latency_us = 1 * kMs;        ///< base one-way latency
  Time jitter_us = 0;               ///< extra delay, uniform in [0, jitter_us]
  double loss_probability = 0.0;    ///< each message dropped with this probability
  double duplicate_probability = 0.0;
  double reorder_probability = 0.0; ///< message delayed by an extra 0..5 x latency
  int64_t bandwidth_bytes_per_sec = 0;  ///< 0 = unlimited
};

/// A value-type change to the world. Every external change goes through World::apply().
/// `op` names the command ("crash", "partition", "set_link", ...); `args` are its parameters as
/// strings, sorted by key, so a command has one canonical text form (see to_text / parse).
struct Command {
  std::string op;
  std::map<std::string, std::string> args;

  /// Canonical text: `op key=value key=value` (values with spaces are quoted).
  std::string to_text() const;
  /// Parses the canonical text form; returns std::nullopt and sets `error` when malformed.
  static std::optional<Command> parse(std::string_view text, std::string* error);
  std::string arg(const std::string& key, const std::string& fallback = "") const;
};

/// The result of applying a Command: ok, or an error message that says what is wrong.
struct CommandResult {
  bool ok = true;
  std::string error;
  static CommandResult success() { return {}; }
  static CommandResult fail(std::string msg) { return {false, std::move(msg)}; }
};

/// A Command as recorded in the log, with the simulated time it was applied at.
struct LoggedCommand {
  Time at = 0;
  Command cmd;
};

/// Describes one parameter of a Command kind (for validation, lesson checks and the UI).
struct CommandParam {
  std::string name;
  std::string type;       ///< "node", "nodes", "groups", "int", "duration", "number", "prob", "string", "bool"
  bool required = true;
  std::string help;
  std::string unit = {};           ///< "ms", "x", ... ("" = none)
  std::string range = {};          ///< accepted values in words: "> 0", "1..64" ("" = the type's own)
  std::string default_value = {};  ///< value when an optional parameter is left out ("" = none)
};

/// A Command kind: how it is validated and applied. The handler must check everything before it
/// changes anything, so a failed Command leaves the world unchanged.
struct CommandSpec {
  std::string op;
  std::string help;
  std::vector<CommandParam> params;
  std::function<CommandResult(World&, const Command&)> apply;
};

/// Parses a decimal number ("0.25", "-3", "1e3"); false if malformed or not finite.
bool parse_number(std::string_view s, double* out);
/// Parses a decimal integer; false if malformed or out of range.
bool parse_int(std::string_view s, int64_t* out);

/// The API a Process uses to act on the world. Valid only during a handler call.
class Ctx {
 public:
  Ctx(World& w, NodeId self) : world_(w), self_(self) {}
  NodeId self() const { return self_; }
  Time now() const;
  Rng& rng();                             ///< this node's own random stream
  /// Sends a message; the network decides its delivery time, loss, duplication.
  MsgId send(NodeId to, std::string_view kind, std::shared_ptr<const Payload> body = nullptr,
             int64_t size_bytes = 100);
  /// Sends a message whose only content is `value` (the allocation-free path for hot models).
  MsgId send_value(NodeId to, std::string_view kind, uint64_t value, int64_t size_bytes = 100);
  /// Fires on_timer(tag) after `delay` (if the node has not crashed meanwhile).
  TimerId set_timer(Time delay, uint64_t tag);
  void cancel_timer(TimerId id);
  /// Queues `cost` of CPU work (at cpu_speed 1); on_work_done(tag) fires when it is done.
  void work(Time cost, uint64_t tag);
  /// Records a model state change in the trace ("became leader", "commit 5").
  void note(std::string_view what, std::string_view detail = {});
  Metrics& metrics();
  World& world() { return world_; }

 private:
  World& world_;
  NodeId self_;
};

/// The simulation world. Build it (add nodes, set links, register commands), then run it.
class World {
 public:
  explicit World(uint64_t seed);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // ---- building ----
  /// Adds a node whose process `factory` makes (called now and at each restart).
  NodeId add_node(std::string name, std::string role, ProcessFactory factory,
                  std::unique_ptr<Persistent> disk = nullptr);
  void set_default_link(const LinkParams& p);
  void set_link(NodeId from, NodeId to, const LinkParams& p);   ///< override one direction
  /// Registers a Command kind (models add their own: "raft.set_rule", "scale", ...).
  void register_command(CommandSpec spec);
  /// Adds a model (owned by the world); returns it.
  Model* add_model(std::unique_ptr<Model> m);
  const std::vector<std::unique_ptr<Model>>& models() const { return models_; }
  template <class T> T* find_model() const {
    for (auto& m : models_) if (auto* p = dynamic_cast<T*>(m.get())) return p;
    return nullptr;
  }
  /// Starts every node's process (on_start). Called once after building.
  void start();

  // ---- running ----
  Time now() const { return now_; }
  uint64_t seed() const { return seed_; }
  /// Runs every event with time <= t, then sets now = t.
  void run_until(Time t);
  /// Runs at most n events; returns how many ran.
  uint64_t run_events(uint64_t n);
  /// Runs the next event; false when there is none.
  bool step();
  /// Time of the next event (possibly a cancelled timer's), or std::nullopt.
  std::optional<Time> next_event_time() const;
  /// Schedules an engine-level callback (load generators, lesson waits).
  void schedule(Time at, std::function<void(World&)> fn);

  // ---- sampling (charts) ----
  /// Registers `fn`, called at every sample boundary t = 0, P, 2P, ... (P = sample_period())
  /// once every event at time <= t has run, with now() == t, to append chart points to
  /// metrics(). Sampling is not an event: a scheduled callback would take a slot and a
  /// sequence number in the event queue, count in events_processed(), stop step() on itself
  /// and keep an otherwise finished world's queue from ever emptying. Instead run_until()
  /// runs up to each boundary, calls the samplers and goes on, and step() calls them before
  /// the first event later than a boundary: the queue, the event order and the trace are the
  /// same with or without samplers. Samplers only read the world and write metrics (never
  /// the trace, never a Command). A boundary is sampled once, whichever way time advanced to
  /// it, so the points do not depend on how a UI cut the run into frames.
  void add_sampler(std::function<void(World&)> fn);
  /// Sets P (> 0); call before running. The default is 250 ms (four points per second).
  void set_sample_period(Time p);
  Time sample_period() const { return sample_period_; }
  /// The next boundary not yet sampled (the largest Time when there is no sampler).
  Time next_sample_at() const { return next_sample_; }

  // ---- commands ----
  /// Validates and applies a command now; logs it on success. Unknown op or bad args -> error,
  /// world unchanged.
  CommandResult apply(const Command& c);
  const std::vector<LoggedCommand>& command_log() const { return log_; }
  const std::vector<CommandSpec>& command_specs() const { return specs_; }
  const CommandSpec* find_command(std::string_view op) const;
  /// Checks one value of a Command argument against its declared parameter type, exactly as
  /// apply() does before any handler runs: "" if valid, else the error apply() would give. The
  /// value grammar is util/parse.h's (integers, numbers, probabilities, durations in ms), bools
  /// are true/false, yes/no, 1/0, node names must name this world's nodes. The lesson checker
  /// asks this, so a lesson `check` and a live Command agree on every value.
  std::string check_arg(const std::string& op, const CommandParam& p, const std::string& value) const;

  // ---- read-only views ----
  const std::vector<std::unique_ptr<Node>>& nodes() const { return nodes_; }
  const Node& node(NodeId id) const { return *nodes_.at(static_cast<size_t>(id)); }
  std::optional<NodeId> find_node(std::string_view name) const;
  /// Like find_node, but on failure sets `error` to `unknown node "x" (did you mean "y"? nodes:
  /// n1..n5)` so every Command reports a bad node name the same way.
  std::optional<NodeId> resolve_node(std::string_view name, std::string* error) const;
  /// The node names in short form for messages: "n1..n5" or "a, b, c, ...".
  std::string node_names_text() const;
  bool started() const;
  /// Totals of the network since the start (for tests, metrics and the HUD).
  struct NetStats {
    uint64_t sent = 0, delivered = 0, dropped = 0, duplicated = 0;
    uint64_t dropped_loss = 0, dropped_partition = 0, dropped_down = 0;
  };
  const NetStats& net_stats() const;
  /// Jobs waiting for a core (not yet in service) on a node.
  size_t waiting_work(NodeId id) const;
  /// Messages sent and not yet delivered or dropped, ordered by id.
  std::vector<const Message*> in_flight() const;
  const LinkParams& link(NodeId from, NodeId to) const;
  /// Partition group of each node (all 0 when healed).
  const std::vector<int>& partition_groups() const { return groups_; }
  bool can_reach(NodeId from, NodeId to) const;
  Trace& trace() { return trace_; }
  const Trace& trace() const { return trace_; }
  Metrics& metrics() { return metrics_; }
  const Metrics& metrics() const { return metrics_; }
  Rng& rng() { return rng_; }
  uint64_t events_processed() const { return events_processed_; }

  // ---- mutators for command handlers and models' own controllers ----
  // The way to change a world from outside is a Command (World::apply, or Session::apply for a
  // recorded run); these are what command handlers and model processes call to do the change.
  // Who may call them, exactly: core/sim (the built-in commands' handlers) and core/models (the
  // handlers of the Commands a model registers, its scenario's build function before start(),
  // and code that runs inside the world as an event or a process: a controller, an autoscaler).
  // Never core/scenario, core/catalog, core/lesson, core/ui or core/app: those change a world
  // only through a Command and advance it only through a Session (a lesson through its runner),
  // which is what keeps a run replayable from (scenario, params, seed, command log).
  // tests/unit/sim/world_mutators_layer_test.cpp checks those folders never call them.
  void crash(NodeId id);
  void restart(NodeId id, Time delay);   ///< Restarting for `delay`, then Up with a new process
  void set_cpu_speed(NodeId id, double speed);
  void set_partition(std::vector<int> groups);
  void heal();
  /// Process of an up node (models use this for their views); null if crashed.
  Process* process(NodeId id);
  Node& mutable_node(NodeId id) { return *nodes_.at(static_cast<size_t>(id)); }

 private:
  friend class Ctx;
  struct Impl;  ///< engine internals (sim/world_internal.h)
  void register_builtins();
  bool dispatch(const void* ev);
  void run_events_through(Time t);
  void sample_through(Time t);
  void recover(NodeId id);
  void start_job(NodeId id, size_t core, Time cost, uint64_t tag);
  void patch_links(NodeId from, NodeId to, NodeId node, const void* patch);
  MsgId send_from(NodeId from, NodeId to, std::string_view kind, std::shared_ptr<const Payload>&& body,
                  int64_t size_bytes, uint64_t value);
  std::unique_ptr<Impl> impl_;
  uint64_t seed_;
  Time now_ = 0;
  uint64_t events_processed_ = 0;
  Rng rng_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<int> groups_;
  std::vector<LoggedCommand> log_;
  std::vector<CommandSpec> specs_;
  std::vector<std::unique_ptr<Model>> models_;
  Trace trace_;
  Metrics metrics_;
  std::vector<std::function<void(World&)>> samplers_;
  Time sample_period_ = 250 * kMs;
  Time next_sample_ = std::numeric_limits<Time>::max();   ///< max = no sampler (or time ran out)
};

}  // namespace topo
