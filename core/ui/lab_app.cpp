// The lab app: see lab_app.h.
#include "ui/lab_app.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include <fstream>
#include <map>

#include "imgui.h"
#include "lesson/validator.h"
#include "lesson/world_facts.h"
#include "scenario/json.h"
#include "ui/style.h"
#include "ui/widgets/chart.h"
#include "ui/widgets/markdown.h"
#include "ui/widgets/history_view.h"
#include "ui/widgets/timeline.h"
#include "models/kv/linearizability.h"
#include "models/services/services.h"
#include "models/raft/raft.h"
#include "models/replication/primary_backup.h"
#include "models/replication/quorum.h"

namespace topo::ui {

namespace {

constexpr size_t kLogMax = 500;
/// Upper bound on events per frame so a busy world never freezes the page; the sim lags instead.
constexpr uint64_t kEventBudgetPerFrame = 200000;

std::string fmt_time(Time t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f s", static_cast<double>(t) / 1e6);
  return buf;
}

/// A speed as the learner reads it: "0.5x", "0.006x".
std::string speed_text(double speed) {
  char buf[32];
  if (speed >= 1.0) std::snprintf(buf, sizeof buf, "%.3gx", speed);
  else std::snprintf(buf, sizeof buf, "%.2gx", speed);
  return buf;
}

/// A full-width clickable choice whose text wraps (a quiz or predict answer).
bool wrapped_choice(const char* id, const std::string& text) {
  const float w = ImGui::GetContentRegionAvail().x;
  const ImVec2 pad = ImGui::GetStyle().FramePadding;
  ImVec2 ts = ImGui::CalcTextSize(text.c_str(), nullptr, false, w - 2 * pad.x);
  ImVec2 pos = ImGui::GetCursorScreenPos();
  bool hit = ImGui::Button(id, ImVec2(w, ts.y + 2 * pad.y));
  ImGui::GetWindowDrawList()->AddText(nullptr, 0.0f, ImVec2(pos.x + pad.x, pos.y + pad.y), ImGui::GetColorU32(ImGuiCol_Text),
                                      text.c_str(), nullptr, w - 2 * pad.x);
  return hit;
}

/// The chart marker that stands for a command on the time axis.
MarkerKind marker_kind_for(const std::string& op) {
  if (op == "crash") return MarkerKind::Crash;
  if (op == "restart") return MarkerKind::Restart;
  if (op == "partition") return MarkerKind::Partition;
  if (op == "heal") return MarkerKind::Heal;
  if (op.find("rollback") != std::string::npos) return MarkerKind::Rollback;
  if (op.find("deploy") != std::string::npos || op.find("upgrade") != std::string::npos) return MarkerKind::Deploy;
  if (op == "slow" || op.find("fault") != std::string::npos) return MarkerKind::Fault;
  return MarkerKind::Note;
}

/// "k=v k2=v2" (spaces or semicolons between pairs) -> Params.
Params parse_params_text(const std::string& text, std::string* error) {
  Params p;
  std::string tok;
  std::istringstream in(text);
  while (std::getline(in, tok, ' ')) {
    std::istringstream in2(tok);
    std::string kv;
    while (std::getline(in2, kv, ';')) {
      if (kv.empty()) continue;
      size_t eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) {
        if (error) *error = "parameter \"" + kv + "\" is not KEY=VALUE";
        return {};
      }
      p[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
  }
  return p;
}

std::string params_text(const Params& p) {
  std::string s;
  for (const auto& [k, v] : p) s += (s.empty() ? "" : " ") + k + "=" + v;
  return s;
}

/// A lesson world rebuilt by replaying a command log. While `muted`, the runner's step actions
/// (already in the log) are not applied again and time does not move: the runner is placed at
/// its step without changing the replayed world.
class ReplayedLessonWorld : public lesson::LessonWorld {
 public:
  explicit ReplayedLessonWorld(std::unique_ptr<Session> s) : s_(std::move(s)) {}
  World& world() override { return s_->world(); }
  CommandResult apply(const Command& c) override { return muted ? CommandResult::success() : s_->apply(c); }
  void run_until(Time t) override {
    if (!muted) s_->run_until(t);
  }
  Session* session() override { return s_.get(); }
  bool muted = true;

 private:
  std::unique_ptr<Session> s_;
};

std::string hash_hex(const World& w) {
  char b[20];
  std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(w.trace().hash()));
  return b;
}

/// A compact JSON view of one world and its canvas (side-by-side mode).
std::string world_brief_json(const Session& s, const CanvasView& v) {
  const World& w = s.world();
  std::ostringstream o;
  o << "{\"scenario\":" << json_quote(s.scenario()) << ",\"params\":" << json_quote(params_text(s.params()))
    << ",\"seed\":" << w.seed() << ",\"time_us\":" << w.now() << ",\"trace_hash\":" << json_quote(hash_hex(w))
    << ",\"commands\":" << w.command_log().size() << ",\"in_flight\":" << w.in_flight().size() << ",\"nodes\":[";
  for (size_t i = 0; i < w.nodes().size(); ++i) {
    const Node& n = *w.nodes()[i];
    o << (i ? "," : "") << "{\"name\":" << json_quote(n.name) << ",\"role\":" << json_quote(n.role)
      << ",\"status\":" << json_quote(to_string(n.status));
    if (i < v.screen.size()) o << ",\"x\":" << v.screen[i].x << ",\"y\":" << v.screen[i].y;
    o << "}";
  }
  o << "],\"menu\":[";
  for (size_t i = 0; i < v.menu_items.size(); ++i)
    o << (i ? "," : "") << "{\"label\":" << json_quote(v.menu_items[i].first) << ",\"x\":" << v.menu_items[i].second.x
      << ",\"y\":" << v.menu_items[i].second.y << "}";
  o << "]}";
  return o.str();
}

/// What the Inspector shows of a Raft server: Figure 2's state and its log (read from the
/// model's public, read-only view). `present` is false for a node that is not a Raft server.
struct RaftInspect {
  bool present = false;
  bool up = false;             ///< volatile state (role, commit index) is known only while up
  std::string role;
  int64_t term = 0;
  std::string voted_for;       ///< node name, empty = nobody this term
  int64_t commit_index = 0;
  int64_t last_applied = 0;
  std::string leader;          ///< the leader this server knows, empty if none
  const std::vector<raft::LogEntry>* log = nullptr;
};

RaftInspect raft_inspect(const World& w, NodeId id) {
  RaftInspect v;
  const auto* cl = w.find_model<raft::RaftCluster>();
  if (!cl || id < 0 || static_cast<size_t>(id) >= w.nodes().size()) return v;
  const raft::RaftDisk* disk = cl->disk(id);
  if (!disk) return v;
  v.present = true;
  v.term = disk->current_term;
  if (disk->voted_for >= 0 && static_cast<size_t>(disk->voted_for) < w.nodes().size()) v.voted_for = w.node(disk->voted_for).name;
  v.log = &disk->log;
  if (const raft::RaftNode* rn = cl->server(id)) {
    v.up = true;
    v.role = rn->role() == raft::Role::Leader ? "leader" : rn->role() == raft::Role::Candidate ? "candidate" : "follower";
    v.commit_index = rn->commit_index();
    v.last_applied = rn->last_applied();
    if (rn->known_leader() >= 0 && static_cast<size_t>(rn->known_leader()) < w.nodes().size())
      v.leader = w.node(rn->known_leader()).name;
  }
  return v;
}

/// The selected node for the state hook: its name and, for a Raft server, the Inspector's
/// values and the last 50 log entries.
std::string inspector_json(const World& w, NodeId id) {
  if (id < 0 || static_cast<size_t>(id) >= w.nodes().size()) return "null";
  std::ostringstream o;
  o << "{\"node\":" << json_quote(w.node(id).name);
  RaftInspect v = raft_inspect(w, id);
  if (v.present) {
    o << ",\"raft\":{\"up\":" << (v.up ? "true" : "false") << ",\"role\":" << json_quote(v.role) << ",\"term\":" << v.term
      << ",\"voted_for\":" << json_quote(v.voted_for) << ",\"commit_index\":" << v.commit_index
      << ",\"last_applied\":" << v.last_applied << ",\"leader\":" << json_quote(v.leader)
      << ",\"log_length\":" << v.log->size() << ",\"log\":[";
    const size_t from = v.log->size() > 50 ? v.log->size() - 50 : 0;
    for (size_t i = from; i < v.log->size(); ++i) {
      const auto& e = (*v.log)[i];
      const int64_t index = static_cast<int64_t>(i) + 1;
      o << (i > from ? "," : "") << "{\"index\":" << index << ",\"term\":" << e.term << ",\"command\":"
        << json_quote(e.cmd.describe()) << ",\"committed\":" << (v.up && index <= v.commit_index ? "true" : "false") << "}";
    }
    o << "]}";
  }
  o << "}";
  return o.str();
}

/// Node names a command refers to (its "node" argument and the members of "groups").
std::vector<std::string> named_nodes(const Command& c) {
  std::vector<std::string> out;
  if (auto it = c.args.find("node"); it != c.args.end()) out.push_back(it->second);
  if (auto it = c.args.find("groups"); it != c.args.end()) {
    std::string cur;
    for (char ch : it->second + "|") {
      if (ch == ',' || ch == '|' || ch == ' ') {
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
      } else {
        cur += ch;
      }
    }
  }
  return out;
}

}  // namespace

LabApp::LabApp(AppOptions opt) : opt_(std::move(opt)) {
  if (!opt_.lesson_file.empty() && open_lesson_file(opt_.lesson_file)) return;
  if (!open_scenario(opt_.scenario, opt_.seed) && !scenarios().empty())
    open_scenario(scenarios().front().name, opt_.seed);
}

LabApp::~LabApp() = default;

bool LabApp::open_scenario(const std::string& name, uint64_t seed, const Params& params) {
  std::string err;
  auto s = Session::create(name, seed, params, &err);
  if (!s) {
    error_ = "cannot open scenario \"" + name + "\": " + err;
    log_line(error_);
    return false;
  }
  session_ = std::move(s);
  canvas_ = CanvasView{};
  auto_layout(session_->world(), canvas_, true);
  horizon_us_ = 0;
  carry_us_ = 0.0;
  log_trace_seen_ = 0;
  error_.clear();
  log_line("opened scenario " + name + " (seed " + std::to_string(seed) + ")");
  return true;
}

World* LabApp::world() {
  if (runner_) return &runner_->world();
  return session_ ? &session_->world() : nullptr;
}

const World* LabApp::world() const {
  if (runner_) return &runner_->world();
  return session_ ? &session_->world() : nullptr;
}

std::string LabApp::bundled_lesson_dir() {
#ifdef __EMSCRIPTEN__
  return "/lessons";
#else
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("TOPOLAB_LESSONS")) return env;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed = exe.parent_path().parent_path() / "share" / "topolab" / "lessons";
    if (fs::is_directory(installed, ec)) return installed.string();
  }
#ifdef TOPOLAB_LESSON_DIR
  return TOPOLAB_LESSON_DIR;
#else
  return "lessons";
#endif
#endif
}

bool LabApp::open_lesson_file(const std::string& path, int step) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error_ = path + ": cannot read the file";
    log_line(error_);
    return false;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!open_lesson_text(path, text, step)) return false;
  lesson_path_ = path;
  std::error_code ec;
  lesson_mtime_ = std::filesystem::last_write_time(path, ec);
  return true;
}

bool LabApp::open_lesson_text(const std::string& name, const std::string& text, int step,
                              const std::string& progress) {
  const lesson::WorldSource source = lesson::WorldSource::builtin();
  lesson::CheckResult checked = lesson::check_lesson(text, source);
  if (!checked.ok()) {
    std::string first = checked.diags.empty() ? name + ": not a lesson"
                                              : lesson::format_diagnostic(name, checked.diags.front());
    if (checked.diags.size() > 1) first += " (and " + std::to_string(checked.diags.size() - 1) + " more)";
    error_ = first;
    log_line(error_);
    return false;
  }
  std::string err;
  std::unique_ptr<lesson::Runner> r;
  if (!progress.empty()) {
    r = lesson::Runner::restore(*checked.lesson, source, progress, &err);
  } else if (step > 1) {
    std::string blob = "topolab-progress 1\nlesson " + checked.lesson->id + "\nstep " + std::to_string(step - 1) + "\n";
    r = lesson::Runner::restore(*checked.lesson, source, blob, &err);
  } else {
    r = lesson::Runner::create(*checked.lesson, source, lesson::Mode::Interactive, &err);
  }
  if (!r) {
    error_ = name + ": " + err;
    log_line(error_);
    return false;
  }
  r->set_mode(lesson::Mode::Interactive);
  close_compare();
  runner_ = std::move(r);
  lesson_name_ = name;
  lesson_text_ = text;
  lesson_path_.clear();
  canvas_ = CanvasView{};
  auto_layout(runner_->world(), canvas_, true);
  carry_us_ = 0.0;
  log_trace_seen_ = 0;
  lesson_step_seen_ = static_cast<size_t>(-1);
  step_starts_.assign(1, {runner_->world().now(), runner_->step_index()});
  horizon_us_ = runner_->world().now();
  error_.clear();
  playing_ = true;
  log_line("opened lesson " + runner_->lesson().title + " (" + name + ")");
  return true;
}

void LabApp::close_lesson() {
  runner_.reset();
  lesson_path_.clear();
  canvas_ = CanvasView{};
  if (session_) auto_layout(session_->world(), canvas_, true);
}

void LabApp::enter_lesson_step() {
  if (!runner_ || runner_->finished()) return;
  const lesson::Step& st = runner_->step();
  canvas_.highlight.clear();
  for (const auto& h : st.highlight) canvas_.highlight.push_back(h.name);
  if (st.camera) {
    for (const auto& h : st.camera->focus) canvas_.highlight.push_back(h.name);
    if (st.camera->fit) { canvas_.pan = ImVec2(0, 0); canvas_.zoom = static_cast<float>(st.camera->zoom); }
  }
  if (st.speed) speed_ = std::clamp(*st.speed, 0.01, 100.0);
  if (!st.chart.empty()) {   // the step's `chart`: those charts first and open, on the Charts tab
    std::vector<std::string> kinds;
    for (const auto& c : st.chart) kinds.push_back(c.name);
    pick_charts(charts_, std::move(kinds));
    show_tab("Charts");
  }
}

void LabApp::poll_lesson_file(double wall_dt) {
#ifndef __EMSCRIPTEN__
  if (lesson_path_.empty()) return;
  reload_poll_s_ += wall_dt;
  if (reload_poll_s_ < 0.5) return;
  reload_poll_s_ = 0;
  std::error_code ec;
  auto mtime = std::filesystem::last_write_time(lesson_path_, ec);
  if (ec || mtime == lesson_mtime_) return;
  lesson_mtime_ = mtime;
  const std::string path = lesson_path_;
  const int step = runner_ ? static_cast<int>(runner_->step_index()) + 1 : 1;
  // A broken edit shows its error; the last good lesson keeps running.
  if (open_lesson_file(path, step)) log_line("reloaded " + path);
  else lesson_path_ = path;
#else
  (void)wall_dt;
#endif
}

CommandResult LabApp::apply(const Command& c) {
  if (!world()) return CommandResult::fail("no world is open");
  if (!runner_) return apply_to(c, 0);
  CommandResult r = runner_->apply(c);
  if (r.ok) {
    log_line("[" + fmt_time(world()->now()) + "] " + c.to_text());
    error_.clear();
  } else {
    error_ = c.op + ": " + r.error;
    log_line("rejected: " + c.to_text() + " (" + r.error + ")");
  }
  return r;
}

CommandResult LabApp::apply_to(const Command& c, int first) {
  if (!session_) return CommandResult::fail("no world is open");
  if (!twin_) {
    CommandResult r = session_->apply(c);
    if (r.ok) {
      log_line("[" + fmt_time(session_->world().now()) + "] " + c.to_text());
      error_.clear();
    } else {
      error_ = c.op + ": " + r.error;
      log_line("rejected: " + c.to_text() + " (" + r.error + ")");
    }
    return r;
  }
  // Side by side: the world clicked first, then the other one when the nodes it names exist
  // there (a service Command the other world does not have is refused by its own validation).
  Session* worlds[2] = {session_.get(), twin_.get()};
  Session& a = *worlds[first ? 1 : 0];
  Session& b = *worlds[first ? 0 : 1];
  const std::string& an = compare_title_[first ? 1 : 0];
  const std::string& bn = compare_title_[first ? 0 : 1];
  CommandResult r = a.apply(c);
  if (!r.ok) {
    error_ = c.op + " (" + an + "): " + r.error;
    log_line("rejected in " + an + ": " + c.to_text() + " (" + r.error + ")");
    return r;
  }
  error_.clear();
  log_line("[" + fmt_time(a.world().now()) + "] " + an + ": " + c.to_text());
  std::string missing;
  for (const auto& name : named_nodes(c))
    if (!b.world().find_node(name)) missing = name;
  if (!missing.empty()) {
    log_line("   only in " + an + ": " + bn + " has no node " + missing);
    return r;
  }
  CommandResult r2 = b.apply(c);
  if (r2.ok) log_line("   and in " + bn + " too");
  else log_line("   only in " + an + ": " + bn + " says " + r2.error);
  return r;
}

void LabApp::run_twin_to(Time t) {
  if (twin_ && t > twin_->world().now()) twin_->run_until(t);
}

bool LabApp::open_compare(const std::string& left, const Params& left_params, const std::string& right,
                          const Params& right_params, uint64_t seed) {
  std::string err;
  auto a = Session::create(left, seed, left_params, &err);
  if (!a) {
    error_ = "cannot open scenario \"" + left + "\": " + err;
    log_line(error_);
    return false;
  }
  auto b = Session::create(right, seed, right_params, &err);
  if (!b) {
    error_ = "cannot open scenario \"" + right + "\": " + err;
    log_line(error_);
    return false;
  }
  close_lesson();
  session_ = std::move(a);
  twin_ = std::move(b);
  canvas_ = CanvasView{};
  twin_canvas_ = CanvasView{};
  auto_layout(session_->world(), canvas_, true);
  auto_layout(twin_->world(), twin_canvas_, true);
  auto title = [](const std::string& name, const Params& p) { return p.empty() ? name : name + " (" + params_text(p) + ")"; };
  compare_title_[0] = title(left, left_params);
  compare_title_[1] = title(right, right_params);
  if (compare_title_[0] == compare_title_[1]) {
    compare_title_[0] = "left: " + compare_title_[0];
    compare_title_[1] = "right: " + compare_title_[1];
  }
  horizon_us_ = 0;
  carry_us_ = 0.0;
  log_trace_seen_ = 0;
  error_.clear();
  log_line("side by side: " + compare_title_[0] + " | " + compare_title_[1] + " (seed " + std::to_string(seed) + ")");
  return true;
}

void LabApp::close_compare() {
  if (!twin_) return;
  twin_.reset();
  twin_canvas_ = CanvasView{};
  compare_title_[0].clear();
  compare_title_[1].clear();
}

void LabApp::track_step() {
  if (!runner_) return;
  const size_t i = runner_->step_index();
  if (step_starts_.empty() || step_starts_.back().second != i)
    step_starts_.emplace_back(std::min(runner_->state().started_us, runner_->world().now()), i);
}

bool LabApp::rebuild_lesson(const std::vector<LoggedCommand>& log, Time until_us, size_t step, uint64_t seed,
                            std::string* error) {
  const lesson::WorldSource builtin = lesson::WorldSource::builtin();
  lesson::CheckResult checked = lesson::check_lesson(lesson_text_, builtin);
  if (!checked.ok()) {
    *error = "the lesson text no longer checks";
    return false;
  }
  lesson::Lesson L = *checked.lesson;
  if (step >= L.steps.size()) {
    *error = "step " + std::to_string(step + 1) + " is out of range";
    return false;
  }
  auto s = Session::create(L.scenario.name, seed, L.scenario.params, error);
  if (!s) return false;
  for (size_t i = 0; i < log.size(); ++i) {
    const LoggedCommand& lc = log[i];
    if (lc.at > until_us) break;
    if (lc.at < s->world().now()) {
      *error = "log line " + std::to_string(i + 1) + ": times go backwards";
      return false;
    }
    s->run_until(lc.at);
    CommandResult r = s->apply(lc.cmd);
    if (!r.ok) {
      *error = "log line " + std::to_string(i + 1) + ": " + lc.cmd.to_text() + ": " + r.error;
      return false;
    }
  }
  if (until_us > s->world().now()) s->run_until(until_us);
  auto host = std::make_shared<std::unique_ptr<lesson::LessonWorld>>(std::make_unique<ReplayedLessonWorld>(std::move(s)));
  auto* replayed = static_cast<ReplayedLessonWorld*>(host->get());
  lesson::WorldSource src;
  src.names = builtin.names;
  src.make = [host](const std::string&, uint64_t, const Params&, std::string*) { return std::move(*host); };
  auto r = lesson::Runner::create(std::move(L), src, lesson::Mode::Interactive, error);
  if (!r) return false;
  while (r->step_index() < step && !r->finished()) r->next(true);
  replayed->muted = false;
  runner_ = std::move(r);
  lesson_step_seen_ = static_cast<size_t>(-1);
  carry_us_ = 0.0;
  canvas_.trace_seen = 0;
  canvas_.links.clear();
  log_trace_seen_ = runner_->world().trace().count();
  track_step();
  return true;
}

bool LabApp::rewind_to(Time t, std::string* error) {
  if (!world()) { *error = "no world is open"; return false; }
  if (t < 0 || t > world()->now()) { *error = "the time must be between 0 and now"; return false; }
  if (runner_) {
    // Inside a lesson: the world is replayed to t and the lesson goes back to the step that was
    // current at t (that step starts over from t: its gates are evaluated again from there).
    track_step();
    if (step_starts_.empty()) { *error = "nothing to rewind"; return false; }
    t = std::max(t, step_starts_.front().first);
    size_t k = 0;
    while (k + 1 < step_starts_.size() && step_starts_[k + 1].first <= t) ++k;
    const size_t step = step_starts_[k].second;
    step_starts_.resize(k + 1);   // the step keeps its original start time
    const std::vector<LoggedCommand> log = runner_->world().command_log();
    const uint64_t seed = runner_->world().seed();
    std::unique_ptr<lesson::Runner> keep = std::move(runner_);
    if (!rebuild_lesson(log, t, step, seed, error)) {
      runner_ = std::move(keep);
      track_step();
      return false;
    }
    log_line("rewound the lesson to " + fmt_time(t) + " (step " + std::to_string(step + 1) + ")");
    return true;
  }
  session_->rewind(t);
  canvas_.trace_seen = 0;
  if (twin_) {
    twin_->rewind(t);
    twin_canvas_.trace_seen = 0;
  }
  log_line("rewound to " + fmt_time(t));
  return true;
}

bool LabApp::reload_lesson(bool from_start) {
  if (!runner_) {
    error_ = "no lesson is open";
    return false;
  }
  const int step = from_start ? 1 : static_cast<int>(runner_->step_index()) + 1;
  const std::string path = lesson_path_, name = lesson_name_, text = lesson_text_;
  bool ok = false;
  if (!path.empty()) {
    ok = open_lesson_file(path, step);
    if (!ok) lesson_path_ = path;   // a broken edit: keep watching the file, keep the last good lesson
  } else {
    ok = open_lesson_text(name, text, step);
  }
  if (ok) log_line(std::string("reloaded the lesson ") + (from_start ? "from step 1" : "at step " + std::to_string(step)));
  return ok;
}

void LabApp::key_space() { playing_ = !playing_; }

void LabApp::key_right() {
  if (!world()) return;
  playing_ = false;
  if (twin_) {
    // The next event of either world; both stay at the same simulated time.
    auto a = session_->world().next_event_time(), b = twin_->world().next_event_time();
    if (a && (!b || *a <= *b)) session_->world().step();
    else if (b) twin_->world().step();
    const Time t = std::max(session_->world().now(), twin_->world().now());
    if (session_->world().now() < t) session_->run_until(t);
    run_twin_to(t);
    return;
  }
  world()->step();
}

void LabApp::key_left() {
  if (!world()) return;
  playing_ = false;
  std::string err;
  if (runner_) {
    // In a lesson, Left is the Back button: the previous step, from its start.
    if (runner_->step_index() == 0) return;
    const std::string text = lesson_text_, name = lesson_name_, path = lesson_path_;
    if (open_lesson_text(name, text, static_cast<int>(runner_->step_index()))) lesson_path_ = path;
    return;
  }
  // Free play: rewind to just before the latest moment something happened (Right replays it).
  const World& w = *world();
  Time last = -1;
  const auto& evs = w.trace().events();
  for (auto it = evs.rbegin(); it != evs.rend(); ++it)
    if (it->t < w.now() || (it->t == w.now() && it->t > 0)) { last = it->t; break; }
  const Time target = last > 0 ? last - 1 : 0;
  if (target < w.now()) rewind_to(target, &err);
}

void LabApp::key_speed(bool faster) { speed_ = faster ? std::min(100.0, speed_ * 2) : std::max(0.01, speed_ / 2); }

void LabApp::key_fit() {
  canvas_.pan = ImVec2(0, 0);
  canvas_.zoom = 1.0f;
  twin_canvas_.pan = ImVec2(0, 0);
  twin_canvas_.zoom = 1.0f;
}

void LabApp::log_line(std::string line) {
  log_.push_back(std::move(line));
  if (log_.size() > kLogMax) log_.erase(log_.begin(), log_.begin() + static_cast<long>(log_.size() - kLogMax));
}

void LabApp::advance(double wall_dt) {
  if (runner_) runner_->add_real_time(wall_dt);
  shown_speed_ = 0.0;
  if (!world() || !playing_) return;
  World& w = *world();
  const double wall = std::clamp(wall_dt, 0.0, 0.25);
  // Slow motion: the visual clock (ui/visual_clock.h) runs event by event, slowing while
  // messages are in flight so each can be followed. Worlds drawn as flows are not slowed.
  bool flows = false;
  for (const auto& p : canvas_.painters) flows = flows || p->draws_flows();
  VisualClockOptions clock = clock_;
  clock.slow_motion = slow_motion_ && !flows;
  slowed_ = false;
  if (clock.slow_motion && wall > 0.0) {
    std::vector<const World*> shown{&w};
    if (twin_) shown.push_back(&twin_->world());
    auto now = [&] { return w.now(); };
    auto next = [&] {
      std::optional<Time> a = w.next_event_time();
      if (twin_) {
        std::optional<Time> b = twin_->world().next_event_time();
        if (b && (!a || *b < *a)) a = b;
      }
      return a;
    };
    auto run_to = [&](Time t) {
      if (runner_) {
        if (t > w.now()) runner_->advance(t - w.now());
        return;
      }
      session_->run_until(t);
      run_twin_to(t);
    };
    const Time ran = advance_visual(wall, speed_, clock, shown, now, next, run_to, &carry_us_);
    shown_speed_ = static_cast<double>(ran) / (wall * 1e6);
    slowed_ = shown_speed_ < speed_ * 0.8;
    lagging_ = false;
    return;
  }
  carry_us_ += wall * speed_ * 1e6;
  Time step = static_cast<Time>(carry_us_);
  shown_speed_ = speed_;
  if (step <= 0) return;
  carry_us_ -= static_cast<double>(step);
  if (runner_) {
    runner_->advance(step);
    return;
  }
  if (auto replay = session_->next_replay_at(); replay && *replay <= w.now() + step) {
    session_->run_until(w.now() + step);   // after a rewind: replay the recorded commands
    run_twin_to(w.now());
    return;
  }
  const Time target = w.now() + step;
  uint64_t ran = 0;
  while (ran < kEventBudgetPerFrame) {
    auto next = w.next_event_time();
    if (!next || *next > target) break;
    w.step();
    ++ran;
  }
  lagging_ = ran >= kEventBudgetPerFrame;
  if (!lagging_) w.run_until(target);
  run_twin_to(w.now());
}

void LabApp::frame(double wall_dt) {
  ++frames_;
  poll_lesson_file(wall_dt);
  track_step();
  if (runner_ && runner_->step_index() != lesson_step_seen_) {
    lesson_step_seen_ = runner_->step_index();
    enter_lesson_step();
  }
  advance(wall_dt);
  ImGuiIO& io = ImGui::GetIO();
  if (!io.WantTextInput) {
    if (ImGui::IsKeyPressed(ImGuiKey_Space, false)) key_space();
    if (ImGui::IsKeyPressed(ImGuiKey_RightArrow)) key_right();
    if (ImGui::IsKeyPressed(ImGuiKey_LeftArrow, false)) key_left();
    if (ImGui::IsKeyPressed(ImGuiKey_Equal) || ImGui::IsKeyPressed(ImGuiKey_KeypadAdd)) key_speed(true);
    if (ImGui::IsKeyPressed(ImGuiKey_Minus) || ImGui::IsKeyPressed(ImGuiKey_KeypadSubtract)) key_speed(false);
    if (ImGui::IsKeyPressed(ImGuiKey_F, false)) key_fit();
    if (ImGui::IsKeyPressed(ImGuiKey_M, false)) slow_motion_ = !slow_motion_;
  }

  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGuiWindowFlags host = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_MenuBar |
                          ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  ImGui::Begin("Topolab", nullptr, host);
  ImGui::PopStyleVar();
  draw_menu();
  draw_controls();

  ImVec2 avail = ImGui::GetContentRegionAvail();
  const float side = std::clamp(avail.x * 0.24f, 240.0f, 380.0f);
  float lesson_w = 0.0f;
  if (runner_) {
    lesson_w = std::clamp(avail.x * 0.3f, 280.0f, 460.0f);
    ImGui::BeginChild("lesson_pane", ImVec2(lesson_w, avail.y), ImGuiChildFlags_Border);
    draw_lesson();
    ImGui::EndChild();
    ImGui::SameLine();
    lesson_w += ImGui::GetStyle().ItemSpacing.x;
  }
  ImGui::BeginChild("canvas_pane", ImVec2(avail.x - side - lesson_w - 8.0f, avail.y), ImGuiChildFlags_Border);
  draw_canvas_pane(ImGui::GetContentRegionAvail());
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("side_pane", ImVec2(0, avail.y), ImGuiChildFlags_Border);
  if (ImGui::BeginTabBar("side_tabs")) {
    // A tab asked for by the ui.tab hook (or --tab) is selected once.
    auto tab = [&](const char* name) {
      const bool want = tab_request_ == name;
      if (want) tab_request_.clear();
      return ImGui::BeginTabItem(name, nullptr, want ? ImGuiTabItemFlags_SetSelected : 0);
    };
    if (tab("Inspector")) { draw_inspector(); ImGui::EndTabItem(); }
    if (tab("Tools")) { draw_tools(); ImGui::EndTabItem(); }
    if (tab("Charts")) { draw_charts(); ImGui::EndTabItem(); }
    if (tab("History")) { draw_history(); ImGui::EndTabItem(); }
    if (tab("Event log")) { draw_event_log(); ImGui::EndTabItem(); }
    ImGui::EndTabBar();
  }
  ImGui::EndChild();
  ImGui::End();
  draw_about();
  draw_keys();
}

void LabApp::draw_canvas_pane(ImVec2 size) {
  if (!world()) {
    ImGui::TextWrapped("No world is open. Pick a scenario from the Scenario menu.");
    return;
  }
  if (!twin_ || runner_) {
    std::vector<Command> issued;
    draw_canvas(*world(), canvas_, size, &issued);
    for (const auto& c : issued) apply(c);
    return;
  }
  // Side by side: two canvases, one title each; a Command from either goes to both worlds
  // when it names nodes both have.
  // Service worlds are wide: below ~1,200 px of canvas the two are stacked (top and bottom)
  // rather than squeezed into two narrow columns.
  const bool stacked = size.x < 1200.0f;
  const float gap = stacked ? ImGui::GetStyle().ItemSpacing.y : ImGui::GetStyle().ItemSpacing.x;
  const ImVec2 each = stacked ? ImVec2(size.x, std::max(50.0f, (size.y - gap) * 0.5f))
                              : ImVec2(std::max(50.0f, (size.x - gap) * 0.5f), size.y);
  for (int side = 0; side < 2; ++side) {
    if (side && !stacked) ImGui::SameLine();
    ImGui::BeginChild(side ? "compare_right" : "compare_left", each);
    Session& s = side ? *twin_ : *session_;
    ImGui::PushStyleColor(ImGuiCol_Text, palette::sky_blue);
    ImGui::TextUnformatted(compare_title_[side].c_str());
    ImGui::PopStyleColor();
    ImGui::SameLine();
    ImGui::TextDisabled("%zu commands, %zu in flight", s.world().command_log().size(), (side ? twin_canvas_ : canvas_).in_flight);
    std::vector<Command> issued;
    draw_canvas(s.world(), side ? twin_canvas_ : canvas_, ImGui::GetContentRegionAvail(), &issued);
    ImGui::EndChild();
    for (const auto& c : issued) apply_to(c, side);
  }
}

void LabApp::draw_lesson_picker() {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(bundled_lesson_dir(), ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".toml") files.push_back(it->path());
  std::sort(files.begin(), files.end());
  if (files.empty()) ImGui::TextDisabled("no lessons found in %s", bundled_lesson_dir().c_str());
  for (const auto& f : files)
    if (ImGui::MenuItem(f.stem().string().c_str())) open_lesson_file(f.string());
  if (runner_) {
    ImGui::Separator();
    if (ImGui::MenuItem("Reload lesson (from step 1)")) reload_lesson(true);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Read the lesson file again and start over: for teachers editing a lesson");
    if (ImGui::MenuItem("Reload this step from the file")) reload_lesson(false);
    if (ImGui::MenuItem("Close the lesson")) close_lesson();
  }
}

void LabApp::draw_lesson() {
  lesson::Runner& r = *runner_;
  const lesson::Lesson& L = r.lesson();
  ImGui::TextWrapped("%s", L.title.c_str());
  if (r.finished()) {
    ImGui::Separator();
    ImGui::PushStyleColor(ImGuiCol_Text, palette::green);
    ImGui::TextWrapped("Lesson complete. Well done!");
    ImGui::PopStyleColor();
    ImGui::TextWrapped("Pick another lesson from the Lessons menu, or keep experimenting with this world.");
    return;
  }
  const lesson::Step& st = r.step();
  const lesson::StepState& ss = r.state();
  ImGui::TextDisabled("Step %zu of %zu", r.step_index() + 1, r.step_count());
  ImGui::ProgressBar(static_cast<float>(r.step_index()) / static_cast<float>(std::max<size_t>(1, r.step_count())),
                     ImVec2(-1, 4), "");
  ImGui::Separator();
  if (!st.title.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette::sky_blue);
    ImGui::TextWrapped("%s", st.title.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::BeginChild("lesson_body", ImVec2(0, -ImGui::GetFrameHeightWithSpacing() * 1.5f));
  {
    MarkdownOptions mo;
    std::string url;
    markdown("##step_text", r.text(), mo, &url);
  }
  auto gate_line = [](const char* what, lesson::Gate g, const std::string& text) {
    const char* mark = g == lesson::Gate::Done ? "[done]" : g == lesson::Gate::Failed ? "[missed]" : "[ .. ]";
    ImU32 col = g == lesson::Gate::Done ? palette::green : g == lesson::Gate::Failed ? palette::vermillion : text_color();
    ImGui::PushStyleColor(ImGuiCol_Text, col);
    ImGui::TextWrapped("%s %s: %s", mark, what, text.c_str());
    ImGui::PopStyleColor();
  };
  if (st.predict) {
    ImGui::Spacing();
    ImGui::SeparatorText("Predict");
    ImGui::TextWrapped("%s", st.predict->question.c_str());
    for (size_t i = 0; i < st.predict->choices.size(); ++i) {
      const auto& c = st.predict->choices[i];
      bool picked = ss.predict_answer == static_cast<int>(i);
      if (ss.predict_answer < 0) {
        if (wrapped_choice(("##p" + std::to_string(i)).c_str(), c.text)) r.answer_predict(static_cast<int>(i));
      } else {
        bool happened = ss.predict_outcome == static_cast<int>(i);
        ImGui::TextWrapped("%s %s%s", picked ? "(you)" : "     ", c.text.c_str(), happened ? "   <- what happened" : "");
        if ((picked || happened) && ss.predict_outcome >= 0 && !c.explain.empty()) ImGui::TextDisabled("%s", c.explain.c_str());
      }
    }
    if (ss.predict_answer >= 0 && ss.predict_outcome < 0) ImGui::TextDisabled("Watching what the simulation does...");
  }
  if (st.task) {
    ImGui::Spacing();
    ImGui::SeparatorText("Your turn");
    gate_line("task", ss.task, st.task->prompt);
    for (const lesson::Hint* h : r.hints_due()) ImGui::TextWrapped("Hint: %s", h->text.c_str());
    if (ss.task != lesson::Gate::Done && !st.task->solution.empty() && ImGui::SmallButton("Show me")) r.apply_solution();
  }
  if (st.wait) gate_line("waiting", ss.wait, st.wait->text.empty() ? st.wait->until.text : st.wait->text);
  if (st.goal) {
    gate_line("goal", ss.goal, st.goal->text.empty() ? st.goal->check.text : st.goal->text);
    ImGui::ProgressBar(static_cast<float>(ss.goal_progress), ImVec2(-1, 0));
  }
  if (st.quiz) {
    ImGui::Spacing();
    ImGui::SeparatorText("Quiz");
    ImGui::TextWrapped("%s", st.quiz->question.c_str());
    for (size_t i = 0; i < st.quiz->choices.size(); ++i) {
      const auto& c = st.quiz->choices[i];
      bool picked = ss.quiz_answer == static_cast<int>(i);
      if (ImGui::RadioButton((c.text + "##q" + std::to_string(i)).c_str(), picked)) r.answer_quiz(static_cast<int>(i));
      if (picked) {
        ImGui::PushStyleColor(ImGuiCol_Text, c.correct ? palette::green : palette::orange);
        ImGui::TextWrapped("%s %s", c.correct ? "Right." : "Not quite.", c.explain.c_str());
        ImGui::PopStyleColor();
      }
    }
  }
  for (const auto& f : ss.failures) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette::vermillion);
    ImGui::TextWrapped("%s", f.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::EndChild();
  if (ImGui::Button("Back") && r.step_index() > 0) {
    const std::string text = lesson_text_, name = lesson_name_, path = lesson_path_;
    const int target = static_cast<int>(r.step_index());
    if (open_lesson_text(name, text, target)) lesson_path_ = path;
    return;
  }
  ImGui::SameLine();
  const bool can_next = r.step_complete();
  if (!can_next) ImGui::BeginDisabled();
  if (ImGui::Button(r.step_index() + 1 == r.step_count() ? "Finish" : "Next")) r.next();
  if (!can_next) ImGui::EndDisabled();
}

void LabApp::draw_menu() {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::BeginMenu("Lessons")) {
    draw_lesson_picker();
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Scenario")) {
    for (const auto& s : scenarios()) {
      bool current = session_ && session_->scenario() == s.name;
      if (ImGui::MenuItem(s.name.c_str(), nullptr, current && !runner_ && !twin_)) {
        close_lesson();
        close_compare();
        open_scenario(s.name, opt_.seed);
      }
      if (ImGui::IsItemHovered() && !s.summary.empty()) ImGui::SetTooltip("%s", s.summary.c_str());
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Compare")) {
    // Side by side: two worlds under the same load (same seed) and the same injected faults.
    struct Preset { const char* label; const char* left; const char* lp; const char* right; const char* rp; const char* tip; };
    static const Preset kPresets[] = {
        {"Microservices vs monolith", "shop", "", "shop-monolith", "",
         "The same shop as eight services and as one monolith, same load. Slow or crash a part and compare."},
        {"Shop without vs with resilience", "shop", "resilience=off", "shop", "resilience=on",
         "Timeouts, retries, breakers and bulkheads off (left) and on (right). Same nodes: a fault you inject hits both."},
        {"Slow payment: without vs with resilience", "shop", "resilience=off payment.slow=20 fault_at_ms=5000", "shop",
         "resilience=on payment.slow=20 fault_at_ms=5000", "Payment gets 20x slower at t = 5 s in both worlds."},
        {"Raft: 3 vs 5 servers", "raft-3", "", "raft-5", "", "Crash n1 (in both) and compare how each cluster copes."},
    };
    for (const auto& pr : kPresets) {
      if (ImGui::MenuItem(pr.label)) {
        std::string e1, e2;
        open_compare(pr.left, parse_params_text(pr.lp, &e1), pr.right, parse_params_text(pr.rp, &e2), opt_.seed);
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", pr.tip);
    }
    if (twin_) {
      ImGui::Separator();
      if (ImGui::MenuItem("Leave side-by-side mode")) close_compare();
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    if (ImGui::MenuItem("Dark theme", nullptr, current_theme() == Theme::Dark)) apply_theme(Theme::Dark);
    if (ImGui::MenuItem("Light theme", nullptr, current_theme() == Theme::Light)) apply_theme(Theme::Light);
    if (ImGui::MenuItem("Fit view", "F")) key_fit();
    if (ImGui::MenuItem("Re-layout") && world()) auto_layout(*world(), canvas_, true);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("Keyboard shortcuts")) show_keys_ = true;
    if (ImGui::MenuItem("About Topolab")) show_about_ = true;
    ImGui::EndMenu();
  }
#ifndef __EMSCRIPTEN__
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Quit")) quit_ = true;
    ImGui::EndMenu();
  }
#endif
  ImGui::EndMenuBar();
}

void LabApp::draw_controls() {
  if (ImGui::Button(playing_ ? "Pause" : "Play")) playing_ = !playing_;
  ImGui::SameLine();
  if (ImGui::Button("Step") && world()) key_right();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Run the next event (Right arrow)");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(180.0f);
  float log_speed = static_cast<float>(std::log10(speed_));
  char label[32];
  std::snprintf(label, sizeof label, "%gx", speed_ < 1 ? std::round(speed_ * 1000) / 1000 : std::round(speed_ * 10) / 10);
  if (ImGui::SliderFloat("##speed", &log_speed, -2.0f, 2.0f, label)) speed_ = std::pow(10.0, static_cast<double>(log_speed));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Simulation speed (simulated time per real second); +/- keys");
  ImGui::SameLine();
  ImGui::Checkbox("Slow motion", &slow_motion_);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("While messages are in flight, slow down so each one can be followed (at least %.1f s on screen).\n"
                      "Nothing changes in the simulation: only how fast you see it. Key: M",
                      clock_.min_flight_wall_s);
  ImGui::SameLine();
  if (playing_ && slowed_) {
    ImGui::TextColored(ImVec4(0.90f, 0.62f, 0.0f, 1.0f), "slow motion: %s", speed_text(shown_speed_).c_str());
    ImGui::SameLine();
  }
  if (world()) {
    const World& w = *world();
    ImGui::Text("t = %s   events %llu   seed %llu%s", fmt_time(w.now()).c_str(),
                static_cast<unsigned long long>(w.events_processed()), static_cast<unsigned long long>(w.seed()),
                lagging_ ? "   (simulation lagging)" : "");
  }
  // The timeline scrubber: drag back to rewind (the world is rebuilt and replayed to that
  // time), forward again up to the furthest time reached (the recorded commands replay).
  if (world()) {
    World& w = *world();
    horizon_us_ = std::max(horizon_us_, w.now());
    std::vector<ChartMarker> markers;
    std::vector<std::string> labels;
    labels.reserve(w.command_log().size());
    for (const auto& lc : w.command_log()) labels.push_back(lc.cmd.arg("node", lc.cmd.arg("service", lc.cmd.op)));
    for (size_t i = 0; i < w.command_log().size(); ++i)
      markers.push_back({w.command_log()[i].at, marker_kind_for(w.command_log()[i].cmd.op), labels[i].c_str()});
    TimelineOptions to;
    to.horizon_us = horizon_us_;
    to.markers = markers.data();
    to.n_markers = static_cast<int>(markers.size());
    int64_t want = 0;
    if (timeline("##timeline", w.now(), to, &want)) {
      playing_ = false;
      std::string err;
      if (want < w.now()) {
        if (!rewind_to(want, &err)) error_ = "rewind: " + err;
      } else if (want > w.now()) {
        if (runner_) runner_->advance(want - w.now());
        else session_->run_until(want);
        run_twin_to(want);
      }
    }
  }
  if (!error_.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette::vermillion);
    ImGui::TextWrapped("%s", error_.c_str());
    ImGui::PopStyleColor();
  }
}

void LabApp::draw_inspector() {
  if (!world()) return;
  const World& w = *world();
  if (canvas_.selected < 0 || static_cast<size_t>(canvas_.selected) >= w.nodes().size()) {
    ImGui::TextWrapped("Click a node to inspect it. Right-click a node to crash, restart or slow it.");
    ImGui::Separator();
    ImGui::Text("%zu nodes, %zu %s in flight", w.nodes().size(), canvas_.in_flight, canvas_.in_flight == 1 ? "message" : "messages");
    return;
  }
  const Node& n = w.node(canvas_.selected);
  ImGui::Text("%s", n.name.c_str());
  ImGui::TextDisabled("%s", n.role.c_str());
  ImGui::Separator();
  ImGui::Text("status: %s", to_string(n.status));
  ImGui::Text("cpu speed: %.2fx", n.cpu_speed);
  ImGui::Text("version: %s", n.version.c_str());
  ImGui::Text("incarnation: %u", n.incarnation);
  if (n.process) {
    if (ImGui::BeginTable("inspect", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
      for (auto& [k, v] : n.process->inspect()) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(k.c_str());
        ImGui::TableSetColumnIndex(1);
        ImGui::TextWrapped("%s", v.c_str());
      }
      ImGui::EndTable();
    }
  }
  draw_raft_inspector(w, n);
}

void LabApp::draw_raft_inspector(const World& w, const Node& n) {
  const RaftInspect v = raft_inspect(w, n.id);
  if (!v.present) return;
  ImGui::SeparatorText("Raft");
  if (v.up) {
    ImGui::Text("role: %s   term: %lld", v.role.c_str(), static_cast<long long>(v.term));
    ImGui::Text("voted for: %s", v.voted_for.empty() ? "nobody (this term)" : v.voted_for.c_str());
    ImGui::Text("commit index: %lld   applied: %lld", static_cast<long long>(v.commit_index),
                static_cast<long long>(v.last_applied));
    ImGui::Text("knows leader: %s", v.leader.empty() ? "none" : v.leader.c_str());
  } else {
    ImGui::Text("term: %lld   voted for: %s", static_cast<long long>(v.term), v.voted_for.empty() ? "nobody" : v.voted_for.c_str());
    ImGui::TextWrapped("Down: the disk (term, vote, log) survives the crash; the commit index is volatile and "
                       "is learned again from the leader after the restart.");
  }
  ImGui::Text("log: %zu entries", v.log->size());
  const ImGuiTableFlags tf = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY |
                             ImGuiTableFlags_SizingFixedFit;
  const float h = ImGui::GetTextLineHeightWithSpacing() * 12.0f;
  if (ImGui::BeginTable("raft_log", 4, tf, ImVec2(0, h))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("index");
    ImGui::TableSetupColumn("term");
    ImGui::TableSetupColumn("command", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("committed");
    ImGui::TableHeadersRow();
    // Newest first: the tail of the log is where replication happens.
    const int count = static_cast<int>(v.log->size());
    ImGuiListClipper clip;
    clip.Begin(count);
    while (clip.Step()) {
      for (int row = clip.DisplayStart; row < clip.DisplayEnd; ++row) {
        const int64_t index = count - row;
        const raft::LogEntry& e = (*v.log)[static_cast<size_t>(index - 1)];
        const bool committed = v.up && index <= v.commit_index;
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::Text("%lld", static_cast<long long>(index));
        ImGui::TableSetColumnIndex(1);
        ImGui::Text("%lld", static_cast<long long>(e.term));
        ImGui::TableSetColumnIndex(2);
        ImGui::TextUnformatted(e.cmd.describe().c_str());
        ImGui::TableSetColumnIndex(3);
        if (committed) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(palette::green), "\u2713 yes");
        else ImGui::TextDisabled("\u2014 no");
      }
    }
    ImGui::EndTable();
  }
}

void LabApp::draw_event_log() {
  if (world()) {
    // Model notes from the trace join the log (leader elected, commit, violation, ...).
    const World& w = *world();
    const Trace& tr = w.trace();
    const auto& evs = tr.events();
    uint64_t fresh = tr.count() - log_trace_seen_;
    size_t from = evs.size() > fresh ? evs.size() - static_cast<size_t>(fresh) : 0;
    for (size_t i = from; i < evs.size(); ++i) {
      const auto& e = evs[i];
      if (e.kind == TraceKind::Note || e.kind == TraceKind::Crash || e.kind == TraceKind::Restart) {
        std::string who = e.node >= 0 && static_cast<size_t>(e.node) < w.nodes().size() ? w.node(e.node).name + ": " : "";
        log_line("[" + fmt_time(e.t) + "] " + who + to_string(e.kind) + " " + e.what + (e.detail.empty() ? "" : " " + e.detail));
      }
    }
    log_trace_seen_ = tr.count();
  }
  ImGui::BeginChild("log_lines");
  for (const auto& l : log_) ImGui::TextWrapped("%s", l.c_str());
  if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 5.0f) ImGui::SetScrollHereY(1.0f);
  ImGui::EndChild();
}

void LabApp::draw_charts() {
  if (const World* w = world()) draw_charts_panel(*w, charts_, marker_kind_for);   // ui/panels/charts_panel
}

namespace {
/// The client history of a key-value model in the world, if it has one.
const kv::History* find_history(const World& w) {
  if (const auto* m = w.find_model<raft::RaftCluster>()) return &m->history();
  if (const auto* m = w.find_model<replication::PbModel>()) return &m->recorder().history();
  if (const auto* m = w.find_model<replication::QuorumModel>()) return &m->recorder().history();
  return nullptr;
}
}  // namespace

void LabApp::draw_history() {
  const World* wp = world();
  if (!wp) return;
  const kv::History* h = find_history(*wp);
  if (!h) {
    ImGui::TextWrapped("This world has no key-value clients, so there is no client history to show.");
    return;
  }
  ImGui::TextWrapped("Each bar is one client operation, from when it was sent to when the answer came back.");
  if (ImGui::Button("Check linearizability")) {
    kv::CheckResult r = kv::check_linearizable(*h);
    lin_checked_at_ = wp->now();
    lin_flagged_.clear();
    if (r.verdict == kv::Verdict::Linearizable) {
      lin_verdict_ = "Linearizable: the " + std::to_string(r.ops_checked) + " operations fit one order that respects real time.";
    } else if (r.verdict == kv::Verdict::Inconclusive) {
      lin_verdict_ = "Inconclusive: the search gave up (too much concurrency); nothing was proven.";
    } else {
      lin_verdict_ = r.explanation;
      for (const auto& op : r.ops) lin_flagged_.push_back(op.id);
    }
  }
  if (lin_checked_at_ >= 0) {
    ImGui::PushStyleColor(ImGuiCol_Text, lin_flagged_.empty() ? palette::green : palette::vermillion);
    ImGui::TextWrapped("At %s: %s", fmt_time(lin_checked_at_).c_str(), lin_verdict_.c_str());
    ImGui::PopStyleColor();
  }
  // The newest operations over the last few seconds of simulated time.
  const Time window = 4 * kSec;
  const Time lo = std::max<Time>(0, wp->now() - window);
  std::vector<HistoryOp> ops;
  for (const auto& op : h->ops()) {
    if (op.complete_us >= 0 && op.complete_us < lo) continue;
    HistoryOp v;
    v.client = op.client;
    v.kind = op.kind == kv::OpKind::Read ? HistOpKind::Read : op.kind == kv::OpKind::Write ? HistOpKind::Write : HistOpKind::Cas;
    v.key = op.key;
    v.value = op.kind == kv::OpKind::Cas ? op.expected + "->" + op.value : op.value;
    v.invoke_us = op.invoke_us;
    v.complete_us = op.complete_us;
    v.outcome = op.outcome == kv::Outcome::Ok ? HistOutcome::Ok : op.outcome == kv::Outcome::Failed ? HistOutcome::Fail : HistOutcome::Unknown;
    v.flagged = std::find(lin_flagged_.begin(), lin_flagged_.end(), op.id) != lin_flagged_.end();
    if (v.flagged) v.note = "part of the linearizability violation";
    ops.push_back(std::move(v));
  }
  HistoryViewOptions ho;
  ho.x_min_us = lo;
  ho.x_max_us = std::max<Time>(wp->now(), lo + 1);
  history_view("##history", ImVec2(-1, 0), ops.data(), static_cast<int>(ops.size()), ho);
}

void LabApp::draw_tools() {
  World* wp = world();
  if (!wp) return;
  World& w = *wp;
  auto issue = [&](Command c) { apply(c); };
  ImGui::TextWrapped("Every tool issues a Command; the Event log lists them.");

  // ---- Network: partition picker, latency and loss of every link ----
  ImGui::SeparatorText("Network");
  tool_group_.resize(w.nodes().size(), 0);
  ImGui::TextWrapped("Partition: tick the nodes of one side.");
  {
    // Flowed like words in a line: a tick box goes on the same line while it fits the panel
    // (node names such as "coordinator" or "notifications-2" vary a lot in width).
    const ImGuiStyle& st = ImGui::GetStyle();
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    for (size_t i = 0; i < w.nodes().size(); ++i) {
      const std::string& name = w.nodes()[i]->name;
      const float width = ImGui::GetFrameHeight() + st.ItemInnerSpacing.x + ImGui::CalcTextSize(name.c_str()).x;
      if (i > 0 && ImGui::GetItemRectMax().x + st.ItemSpacing.x + width <= right) ImGui::SameLine();
      bool on = tool_group_[i] != 0;
      if (ImGui::Checkbox((name + "##grp").c_str(), &on)) tool_group_[i] = on ? 1 : 0;
    }
  }
  std::string side;
  for (size_t i = 0; i < w.nodes().size(); ++i)
    if (tool_group_[i]) side += (side.empty() ? "" : ",") + w.nodes()[i]->name;
  if (side.empty()) ImGui::BeginDisabled();
  if (ImGui::Button("Partition")) issue({"partition", {{"groups", side}}});
  if (side.empty()) ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Heal")) issue({"heal", {}});
  ImGui::SetNextItemWidth(140);
  ImGui::SliderFloat("latency ms", &tool_link_latency_ms_, 0.0f, 200.0f, "%.0f");
  ImGui::SetNextItemWidth(140);
  ImGui::SliderFloat("loss", &tool_link_loss_, 0.0f, 0.5f, "%.2f");
  if (ImGui::Button("Apply to every link")) {
    char lat[32], loss[32];
    std::snprintf(lat, sizeof lat, "%g", static_cast<double>(tool_link_latency_ms_));
    std::snprintf(loss, sizeof loss, "%g", static_cast<double>(tool_link_loss_));
    issue({"set_link", {{"latency_ms", lat}, {"loss", loss}}});
  }

  // ---- Actions: every other Command kind of the world (upgrade, quorum.set, transfer.fail, ...) ----
  // (Folded in a service world, whose own tools below come first.)
  if (ImGui::CollapsingHeader("Actions", w.find_model<svc::ServicesModel>() ? 0 : ImGuiTreeNodeFlags_DefaultOpen))
    command_form("##actions", w, actions_form_, [&](const Command& c) { return apply(c); });

  // ---- Services: scaling, autoscaler, deployments, faults, load, resilience per edge ----
  auto* model = w.find_model<svc::ServicesModel>();
  if (!model) return;
  const svc::Graph& g = model->graph();
  struct Pick { std::string system, service; const svc::DeployableRt* dep; };
  std::vector<Pick> picks;
  for (const auto& sys : g.systems)
    for (const auto& d : sys.deps) picks.push_back({g.multi() ? sys.name : "", d.spec.name, &d});
  if (picks.empty()) return;
  tool_service_ = std::clamp(tool_service_, 0, static_cast<int>(picks.size()) - 1);
  ImGui::SeparatorText("Service");
  auto label_of = [&](const Pick& p) { return p.system.empty() ? p.service : p.system + "/" + p.service; };
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##service", label_of(picks[static_cast<size_t>(tool_service_)]).c_str())) {
    for (size_t i = 0; i < picks.size(); ++i)
      if (ImGui::Selectable(label_of(picks[i]).c_str(), static_cast<int>(i) == tool_service_)) tool_service_ = static_cast<int>(i);
    ImGui::EndCombo();
  }
  const Pick& p = picks[static_cast<size_t>(tool_service_)];
  auto cmd = [&](std::string op, std::map<std::string, std::string> args) {
    args["service"] = p.service;
    if (!p.system.empty()) args["system"] = p.system;
    return Command{std::move(op), std::move(args)};
  };
  int ready = 0;
  for (const auto& r : p.dep->replicas) ready += r.state == svc::RState::Ready;
  ImGui::Text("replicas: %d wanted, %d ready, version %s", p.dep->desired, ready, p.dep->version.c_str());
  if (ImGui::Button("-1 replica") && p.dep->desired > 1) issue(cmd("scale", {{"replicas", std::to_string(p.dep->desired - 1)}}));
  ImGui::SameLine();
  if (ImGui::Button("+1 replica")) issue(cmd("scale", {{"replicas", std::to_string(p.dep->desired + 1)}}));
  ImGui::SameLine();
  bool autoscale = p.dep->autoscale_on;
  if (ImGui::Checkbox("autoscaler", &autoscale)) issue(cmd("autoscale", {{"on", autoscale ? "on" : "off"}}));

  ImGui::SetNextItemWidth(140);
  ImGui::SliderFloat("x slower", &tool_slow_, 1.0f, 50.0f, "%.0f");
  ImGui::SameLine();
  if (ImGui::Button("Slow")) {
    char f[32];
    std::snprintf(f, sizeof f, "%g", static_cast<double>(tool_slow_));
    issue(cmd("slow", {{"factor", f}}));
  }
  ImGui::SameLine();
  if (ImGui::Button("Normal")) issue(cmd("slow", {{"factor", "1"}}));
  if (ImGui::Button("Crash loop")) issue(cmd("fault", {{"kind", "crash_loop"}}));
  ImGui::SameLine();
  if (ImGui::Button("Errors 30%")) issue(cmd("fault", {{"kind", "errors"}}));
  ImGui::SameLine();
  if (ImGui::Button("No fault")) issue(cmd("fault", {{"kind", "none"}}));

  ImGui::SeparatorText("Deploy a new version");
  static const char* kStrategies[] = {"rolling", "canary", "bluegreen"};
  ImGui::SetNextItemWidth(140);
  ImGui::Combo("strategy", &tool_strategy_, kStrategies, 3);
  ImGui::SetNextItemWidth(140);
  ImGui::SliderFloat("its error rate", &tool_error_rate_, 0.0f, 1.0f, "%.2f");
  ImGui::SetNextItemWidth(140);
  ImGui::SliderFloat("its latency x", &tool_latency_factor_, 0.5f, 10.0f, "%.1f");
  const std::string next_version = "v" + std::to_string(p.dep->versions.size() + 1);
  if (ImGui::Button(("Deploy " + next_version).c_str())) {
    char er[32], lf[32];
    std::snprintf(er, sizeof er, "%g", static_cast<double>(tool_error_rate_));
    std::snprintf(lf, sizeof lf, "%g", static_cast<double>(tool_latency_factor_));
    issue(cmd("deploy", {{"version", next_version}, {"strategy", kStrategies[tool_strategy_]}, {"error_rate", er}, {"latency_factor", lf}}));
  }
  ImGui::SameLine();
  if (ImGui::Button("Roll back")) issue(cmd("rollback", {}));
  ImGui::TextDisabled("deployment: %s", p.dep->deploy.status.c_str());

  // Edges of the chosen service's system.
  const svc::SystemRt* sys = nullptr;
  for (const auto& s2 : g.systems)
    if (p.system.empty() || s2.name == p.system) { sys = &s2; break; }
  if (!sys || sys->edges.empty()) return;
  ImGui::SeparatorText("Calls between services");
  tool_edge_ = std::clamp(tool_edge_, 0, static_cast<int>(sys->edges.size()) - 1);
  auto edge_label = [](const svc::EdgeRt& e) { return e.from + " -> " + e.to; };
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##edge", edge_label(sys->edges[static_cast<size_t>(tool_edge_)]).c_str())) {
    for (size_t i = 0; i < sys->edges.size(); ++i)
      if (ImGui::Selectable(edge_label(sys->edges[i]).c_str(), static_cast<int>(i) == tool_edge_)) tool_edge_ = static_cast<int>(i);
    ImGui::EndCombo();
  }
  const svc::EdgeRt& e = sys->edges[static_cast<size_t>(tool_edge_)];
  const svc::EdgePolicy pol = e.effective();
  auto edge_cmd = [&](std::map<std::string, std::string> args) {
    args["from"] = e.from;
    args["to"] = e.to;
    if (!p.system.empty()) args["system"] = p.system;
    issue(Command{"resilience", std::move(args)});
  };
  ImGui::Text("breaker: %s", to_string(e.breaker.state()));
  bool timeout_on = pol.timeout_us > 0;
  if (ImGui::Checkbox("timeout 500 ms", &timeout_on)) edge_cmd({{"timeout_ms", timeout_on ? "500" : "0"}});
  bool retries_on = pol.retries > 0;
  if (ImGui::Checkbox("3 retries", &retries_on)) edge_cmd({{"retries", retries_on ? "3" : "0"}});
  bool breaker_on = pol.breaker;
  if (ImGui::Checkbox("circuit breaker", &breaker_on)) edge_cmd({{"breaker", breaker_on ? "on" : "off"}});
  bool bulkhead_on = pol.bulkhead > 0;
  if (ImGui::Checkbox("bulkhead (10 calls)", &bulkhead_on)) edge_cmd({{"bulkhead", bulkhead_on ? "10" : "0"}});
  bool fallback_on = pol.fallback;
  if (ImGui::Checkbox("fallback", &fallback_on)) edge_cmd({{"fallback", fallback_on ? "on" : "off"}});
}

void LabApp::draw_about() {
  if (!show_about_) return;
  ImGui::SetNextWindowSize(ImVec2(460, 0), ImGuiCond_Appearing);
  if (ImGui::Begin("About Topolab", &show_about_, ImGuiWindowFlags_NoCollapse)) {
    ImGui::Text("Topolab %s", TOPOLAB_VERSION);
    ImGui::Separator();
    ImGui::TextWrapped(
        "A hands-on lab for how distributed systems and microservices behave. Machines and services "
        "are simulated by a deterministic discrete-event engine: the same scenario, seed and commands "
        "always give the same run, in the browser and on the desktop.");
    ImGui::Spacing();
    ImGui::TextWrapped("Keyboard: see Help > Keyboard shortcuts.");
    ImGui::TextWrapped("Built with Dear ImGui %s and SDL2.", IMGUI_VERSION);
  }
  ImGui::End();
}

void LabApp::draw_keys() {
  if (!show_keys_) return;
  ImGui::SetNextWindowSize(ImVec2(480, 0), ImGuiCond_Appearing);
  if (ImGui::Begin("Keyboard shortcuts", &show_keys_, ImGuiWindowFlags_NoCollapse)) {
    if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg)) {
      ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthFixed, 90.0f);
      const char* rows[][2] = {
          {"Space", "play / pause"},
          {"\u2192 (Right)", "pause and run the next event (side by side: the next event of either world)"},
          {"\u2190 (Left)", "back: in a lesson, the previous step (from its start); in free play, rewind to just "
                             "before the latest event (Right runs it again)"},
          {"+ / \u2212", "simulation twice as fast / half as fast (0.01x to 100x)"},
          {"F", "fit the view (undo pan and zoom)"},
      };
      for (const auto& r : rows) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(r[0]);
        ImGui::TableSetColumnIndex(1);
        ImGui::TextWrapped("%s", r[1]);
      }
      ImGui::EndTable();
    }
    ImGui::TextWrapped("Drag the timeline under the controls to rewind; inside a lesson this takes you back to "
                       "the step you were on at that time, which starts over from there.");
  }
  ImGui::End();
}

std::string LabApp::state_json() const {
  std::ostringstream o;
  o << "{\"version\":" << json_quote(TOPOLAB_VERSION);
  o << ",\"frames\":" << frames_;
  o << ",\"playing\":" << (playing_ ? "true" : "false") << ",\"speed\":" << speed_;
  o << ",\"error\":" << json_quote(error_);
  if (runner_) {
    o << ",\"lesson\":{\"id\":" << json_quote(runner_->lesson().id) << ",\"title\":" << json_quote(runner_->lesson().title)
      << ",\"file\":" << json_quote(lesson_name_) << ",\"step\":" << runner_->step_index() + 1
      << ",\"steps\":" << runner_->step_count() << ",\"complete\":" << (runner_->finished() ? "true" : "false")
      << ",\"step_complete\":" << (!runner_->finished() && runner_->step_complete() ? "true" : "false")
      << ",\"runner\":" << runner_->state_json() << "}";
    o << ",\"progress\":" << json_quote(runner_->save());
  } else {
    o << ",\"lesson\":null";
  }
  if (const World* wp = world()) {
    const World& w = *wp;
    o << ",\"scenario\":" << json_quote(runner_ ? runner_->lesson().scenario.name : session_->scenario()) << ",\"seed\":" << w.seed()
      << ",\"time_us\":" << w.now() << ",\"events\":" << w.events_processed()
      << ",\"trace_hash\":" << json_quote([&] {
           char b[20];
           std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(w.trace().hash()));
           return std::string(b);
         }())
      << ",\"in_flight\":" << w.in_flight().size() << ",\"commands\":" << w.command_log().size();
    o << ",\"nodes\":[";
    for (size_t i = 0; i < w.nodes().size(); ++i) {
      const Node& n = *w.nodes()[i];
      if (i) o << ",";
      o << "{\"id\":" << n.id << ",\"name\":" << json_quote(n.name) << ",\"role\":" << json_quote(n.role)
        << ",\"status\":" << json_quote(to_string(n.status)) << ",\"cpu_speed\":" << n.cpu_speed
        << ",\"version\":" << json_quote(n.version);
      if (i < canvas_.screen.size())
        o << ",\"x\":" << canvas_.screen[i].x << ",\"y\":" << canvas_.screen[i].y;
      if (n.process)
        for (auto& [k, v] : n.process->inspect()) o << "," << json_quote("p_" + k) << ":" << json_quote(v);
      o << "}";
    }
    o << "],\"menu\":[";
    for (size_t i = 0; i < canvas_.menu_items.size(); ++i)
      o << (i ? "," : "") << "{\"label\":" << json_quote(canvas_.menu_items[i].first) << ",\"x\":" << canvas_.menu_items[i].second.x
        << ",\"y\":" << canvas_.menu_items[i].second.y << "}";
    o << "],\"share\":{\"scenario\":" << json_quote(runner_ ? runner_->lesson().scenario.name : session_->scenario())
      << ",\"seed\":" << w.seed() << ",\"lesson\":" << (runner_ ? json_quote(lesson_name_) : std::string("null"))
      << ",\"time_us\":" << w.now() << ",\"log\":";
    std::string log;
    for (const auto& lc : w.command_log()) log += std::to_string(lc.at) + " " + lc.cmd.to_text() + "\n";
    o << json_quote(log) << "}";
    o << ",\"models\":[";
    for (size_t i = 0; i < w.models().size(); ++i) o << (i ? "," : "") << w.models()[i]->state_json();
    o << "]";
    o << ",\"selected\":" << (canvas_.selected >= 0 && static_cast<size_t>(canvas_.selected) < w.nodes().size()
                                  ? json_quote(w.node(canvas_.selected).name) : std::string("null"));
    o << ",\"inspector\":" << inspector_json(w, canvas_.selected);
  }
  if (twin_ && session_ && !runner_)
    o << ",\"compare\":{\"left\":" << world_brief_json(*session_, canvas_) << ",\"right\":" << world_brief_json(*twin_, twin_canvas_)
      << ",\"titles\":[" << json_quote(compare_title_[0]) << "," << json_quote(compare_title_[1]) << "]}";
  else
    o << ",\"compare\":null";
  // What the last frame drew (CSS pixels of the page = ImGui coordinates), for tests and tools.
  {
    const bool two = twin_ && session_ && !runner_;
    auto pane = [&](const char* name, const CanvasView& v) {
      std::ostringstream p;
      p << "{\"world\":\"" << name << "\",\"x\":" << v.origin.x << ",\"y\":" << v.origin.y << ",\"w\":" << v.size.x
        << ",\"h\":" << v.size.y << ",\"graph\":{\"x\":" << v.graph_lo.x << ",\"y\":" << v.graph_lo.y
        << ",\"w\":" << (v.graph_hi.x - v.graph_lo.x) << ",\"h\":" << (v.graph_hi.y - v.graph_lo.y) << "}"
        << ",\"legend_h\":" << v.legend_h << ",\"legend_open\":" << (v.legend_open ? "true" : "false")
        << ",\"panel_h\":" << v.panel_h << ",\"vertical\":" << (v.vertical ? "true" : "false") << ",\"legend\":[";
      for (size_t i = 0; i < v.legend.size(); ++i) p << (i ? "," : "") << json_quote(v.legend[i].section + ": " + v.legend[i].label);
      p << "],\"messages\":" << v.drawn.messages << ",\"particles\":" << v.drawn.particles << "}";
      return p.str();
    };
    o << ",\"view\":{\"panes\":[" << pane(two ? "left" : "main", canvas_);
    if (two) o << "," << pane("right", twin_canvas_);
    const size_t msgs = canvas_.drawn.messages + (two ? twin_canvas_.drawn.messages : 0);
    const size_t parts = canvas_.drawn.particles + (two ? twin_canvas_.drawn.particles : 0);
    o << "],\"drawn\":{\"messages\":" << msgs << ",\"particles\":" << parts << "}"
      << ",\"slow_motion\":" << (slow_motion_ ? "true" : "false") << ",\"shown_speed\":" << shown_speed_ << "}";
    o << ",\"edges\":[";
    std::string edges;
    auto add_edges = [&](const char* name, const CanvasView& v, const World* w) {
      if (!w) return;
      for (const auto& p : v.painters) {
        std::string e = p->edges_json(*w, name);
        if (e.empty()) continue;
        if (!edges.empty()) edges += ",";
        edges += e;
      }
    };
    add_edges(two ? "left" : "main", canvas_, world());
    if (two) add_edges("right", twin_canvas_, &twin_->world());
    o << edges << "]";
  }
  o << "}";
  return o.str();
}

std::string LabApp::command_json(const std::string& json) {
  auto fail = [](const std::string& e) { return "{\"ok\":false,\"error\":" + json_quote(e) + "}"; };
  std::string err;
  auto m = parse_flat_json(json, &err);
  if (!m) return fail("bad command JSON: " + err);
  auto it = m->find("op");
  if (it == m->end()) return fail("the command has no \"op\"");
  const std::string op = it->second;
  m->erase(it);
  track_step();
  auto num = [&](const char* key, double fallback) {
    auto f = m->find(key);
    if (f == m->end()) return fallback;
    try { return std::stod(f->second); } catch (...) { return fallback; }
  };
  if (op == "ui.play") { playing_ = true; return "{\"ok\":true}"; }
  if (op == "ui.pause") { playing_ = false; return "{\"ok\":true}"; }
  if (op == "ui.speed") {
    double v = num("value", -1);
    if (!(v >= 0.01 && v <= 100)) return fail("ui.speed: value must be between 0.01 and 100");
    speed_ = v;
    return "{\"ok\":true}";
  }
  if (op == "ui.scenario") {
    auto n = m->find("name");
    if (n == m->end()) return fail("ui.scenario: missing \"name\"");
    if (!find_scenario(n->second)) return fail("ui.scenario: unknown scenario \"" + n->second + "\"");
    close_lesson();
    close_compare();
    return open_scenario(n->second, static_cast<uint64_t>(num("seed", static_cast<double>(opt_.seed)))) ? "{\"ok\":true}" : fail(error_);
  }
  auto str = [&](const char* key) {
    auto f = m->find(key);
    return f == m->end() ? std::string() : f->second;
  };
  const std::string ok = "{\"ok\":true}";
  if (op == "ui.compare") {
    std::string e1, e2;
    Params lp = parse_params_text(str("left_params"), &e1), rp = parse_params_text(str("right_params"), &e2);
    if (!e1.empty() || !e2.empty()) return fail("ui.compare: " + e1 + e2);
    if (str("left").empty() || str("right").empty()) return fail("ui.compare: needs \"left\" and \"right\" scenarios");
    return open_compare(str("left"), lp, str("right"), rp, static_cast<uint64_t>(num("seed", static_cast<double>(opt_.seed))))
               ? ok : fail(error_);
  }
  if (op == "ui.compare_off") {
    close_compare();
    return ok;
  }
  if (op == "ui.key") {
    const std::string k = str("key");
    if (k == "space") key_space();
    else if (k == "left") key_left();
    else if (k == "right") key_right();
    else if (k == "plus") key_speed(true);
    else if (k == "minus") key_speed(false);
    else if (k == "f") key_fit();
    else return fail("ui.key: key must be space, left, right, plus, minus or f");
    return ok;
  }
  if (op == "ui.reload_lesson") {
    if (!runner_) return fail("ui.reload_lesson: no lesson is open");
    return reload_lesson(str("from") != "step") ? ok : fail(error_);
  }
  if (op == "ui.tab") {
    static const char* kTabs[] = {"Inspector", "Tools", "Charts", "History", "Event log"};
    for (const char* t : kTabs)
      if (str("name") == t) { tab_request_ = t; return ok; }
    return fail("ui.tab: name must be Inspector, Tools, Charts, History or Event log");
  }
  if (op == "ui.select") {
    const World* w = world();
    if (!w) return fail("no world is open");
    if (str("node").empty()) { canvas_.selected = kNoNode; return ok; }
    auto id = w->find_node(str("node"));
    if (!id) return fail("ui.select: no node \"" + str("node") + "\"");
    canvas_.selected = *id;
    return ok;
  }
  if (op == "ui.open_lesson") {
    if (str("path").empty()) return fail("ui.open_lesson: missing \"path\"");
    return open_lesson_file(str("path"), static_cast<int>(num("step", 1))) ? ok : fail(error_);
  }
  if (op == "ui.open_lesson_text") {
    std::string name = str("name").empty() ? "lesson.toml" : str("name");
    return open_lesson_text(name, str("text"), static_cast<int>(num("step", 1))) ? ok : fail(error_);
  }
  if (op == "ui.restore_progress") {
    if (!runner_) return fail("ui.restore_progress: no lesson is open");
    const std::string text = lesson_text_, name = lesson_name_, path = lesson_path_;
    if (!open_lesson_text(name, text, 1, str("blob"))) return fail(error_);
    lesson_path_ = path;
    return ok;
  }
  if (op == "ui.reset_progress" || op == "ui.lesson_step") {
    if (!runner_) return fail(op + ": no lesson is open");
    const std::string text = lesson_text_, name = lesson_name_, path = lesson_path_;
    int step = op == "ui.lesson_step" ? static_cast<int>(num("step", 1)) : 1;
    if (step < 1 || static_cast<size_t>(step) > runner_->step_count()) return fail(op + ": step must be between 1 and " + std::to_string(runner_->step_count()));
    if (!open_lesson_text(name, text, step)) return fail(error_);
    lesson_path_ = path;
    return ok;
  }
  if (op == "ui.answer") {
    if (!runner_ || runner_->finished()) return fail("ui.answer: no lesson step is open");
    int choice = static_cast<int>(num("choice", -1));
    const auto& st = runner_->step();
    if (runner_->awaiting_predict() && st.predict) {
      if (choice < 0 || static_cast<size_t>(choice) >= st.predict->choices.size()) return fail("ui.answer: no such choice");
      runner_->answer_predict(choice);
      return ok;
    }
    if (!st.quiz) return fail("ui.answer: this step has no quiz or open prediction");
    if (choice < 0 || static_cast<size_t>(choice) >= st.quiz->choices.size()) return fail("ui.answer: no such choice");
    bool correct = runner_->answer_quiz(choice);
    return std::string("{\"ok\":true,\"correct\":") + (correct ? "true" : "false") + "}";
  }
  if (op == "ui.next") {
    if (!runner_) return fail("ui.next: no lesson is open");
    return runner_->next() ? ok : fail("ui.next: the step is not complete yet");
  }
  if (op == "ui.solution") {
    if (!runner_ || runner_->finished() || !runner_->step().task) return fail("ui.solution: this step has no task");
    runner_->apply_solution();
    return ok;
  }
  if (op == "ui.replay") {
    // A shared link: rebuild the scenario from its seed and replay the command log, each
    // command at its recorded simulated time, then run to the shared moment. With "lesson"
    // (the lesson's path; the page opens it at the link's step first), the lesson is rebuilt
    // at that step around the replayed world (the step's actions are in the log already).
    std::string err;
    if (!str("lesson").empty()) {
      if (!runner_ || lesson_path_ != str("lesson")) {
        if (!open_lesson_file(str("lesson"), std::max(1, static_cast<int>(num("step", 1))))) return fail("ui.replay: " + error_);
      }
      std::vector<LoggedCommand> log;
      std::istringstream lines(str("log"));
      std::string line;
      int n = 0;
      while (std::getline(lines, line)) {
        ++n;
        if (line.empty()) continue;
        size_t sp = line.find(' ');
        LoggedCommand lc;
        try { lc.at = std::stoll(line.substr(0, sp)); } catch (...) { return fail("ui.replay: log line " + std::to_string(n) + ": no time"); }
        std::string perr;
        auto c = Command::parse(sp == std::string::npos ? "" : line.substr(sp + 1), &perr);
        if (!c) return fail("ui.replay: log line " + std::to_string(n) + ": " + perr);
        lc.cmd = *c;
        log.push_back(std::move(lc));
      }
      const size_t step = m->count("step") ? static_cast<size_t>(std::max(1.0, num("step", 1)) - 1) : runner_->step_index();
      Time until = static_cast<Time>(num("time_us", log.empty() ? 0.0 : static_cast<double>(log.back().at)));
      if (!log.empty()) until = std::max(until, log.back().at);
      const uint64_t seed = static_cast<uint64_t>(num("seed", static_cast<double>(runner_->world().seed())));
      const std::string path = lesson_path_;
      std::unique_ptr<lesson::Runner> keep = std::move(runner_);
      step_starts_.clear();
      if (!rebuild_lesson(log, until, step, seed, &err)) {
        runner_ = std::move(keep);
        step_starts_.assign(1, {runner_->world().now(), runner_->step_index()});
        return fail("ui.replay: " + err);
      }
      lesson_path_ = path;
      playing_ = false;
      horizon_us_ = runner_->world().now();
      canvas_ = CanvasView{};
      auto_layout(runner_->world(), canvas_, true);
      log_line("replayed a shared moment of lesson " + runner_->lesson().id + " at step " + std::to_string(step + 1));
      return ok;
    }
    auto s = Session::create(str("scenario"), static_cast<uint64_t>(num("seed", 1)), {}, &err);
    if (!s) return fail("ui.replay: " + err);
    std::istringstream lines(str("log"));
    std::string line;
    int n = 0;
    while (std::getline(lines, line)) {
      ++n;
      if (line.empty()) continue;
      size_t sp = line.find(' ');
      Time at = 0;
      try { at = std::stoll(line.substr(0, sp)); } catch (...) { return fail("ui.replay: log line " + std::to_string(n) + ": no time"); }
      std::string perr;
      auto c = Command::parse(sp == std::string::npos ? "" : line.substr(sp + 1), &perr);
      if (!c) return fail("ui.replay: log line " + std::to_string(n) + ": " + perr);
      if (at < s->world().now()) return fail("ui.replay: log line " + std::to_string(n) + ": times go backwards");
      s->run_until(at);
      CommandResult r = s->apply(*c);
      if (!r.ok) return fail("ui.replay: log line " + std::to_string(n) + ": " + r.error);
    }
    Time until = static_cast<Time>(num("time_us", static_cast<double>(s->world().now())));
    if (until > s->world().now()) s->run_until(until);
    close_lesson();
    close_compare();
    session_ = std::move(s);
    canvas_ = CanvasView{};
    auto_layout(session_->world(), canvas_, true);
    playing_ = false;
    horizon_us_ = 0;
    log_line("replayed a shared moment of " + session_->scenario());
    return ok;
  }
  if (!world()) return fail("no world is open");
  if (op == "ui.step") { key_right(); return ok; }
  if (op == "ui.run_ms") {
    double v = num("value", -1);
    if (!(v >= 0)) return fail("ui.run_ms: value must be >= 0");
    if (runner_) runner_->advance(static_cast<Time>(std::llround(v * 1000)));
    else session_->run_until(session_->world().now() + static_cast<Time>(std::llround(v * 1000)));
    if (!runner_) run_twin_to(session_->world().now());
    horizon_us_ = std::max(horizon_us_, world()->now());
    track_step();
    return ok;
  }
  if (op == "ui.rewind_ms") {
    double v = num("value", -1);
    if (!(v >= 0) || static_cast<Time>(std::llround(v * 1000)) > world()->now()) return fail("ui.rewind_ms: value must be between 0 and now");
    return rewind_to(static_cast<Time>(std::llround(v * 1000)), &err) ? ok : fail("ui.rewind_ms: " + err);
  }
  Command c{op, {}};
  int side = 0;
  for (auto& [k, v] : *m) {
    if (k == "world") side = v == "right" ? 1 : 0;   // side by side: the world the command is aimed at
    else c.args[k] = v;
  }
  CommandResult r = runner_ ? apply(c) : apply_to(c, side);
  return r.ok ? "{\"ok\":true}" : fail(r.error);
}

}  // namespace topo::ui
