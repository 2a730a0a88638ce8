// The lab app: see lab_app.h. This file is the lifecycle (open a scenario, a lesson, two worlds
// side by side; rewind; the clock) and the frame's composition; the panels are in panels/, the
// page and test hooks in lab_app_hooks.cpp, model-specific drawing in painters/, platform
// differences in platform.cpp.
#include "ui/lab_app_internal.h"
#include "lesson/replay.h"
#include "models/narration.h"
#include "ui/platform.h"
#include "ui/tr.h"
#include "lesson/translation.h"

namespace topo::ui {

namespace detail {

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

/// The selected node for the state hook: its name and what the world's painters add (a Raft
/// server's Inspector values and the last 50 log entries).
std::string inspector_json(const World& w, const CanvasView& v, NodeId id) {
  if (id < 0 || static_cast<size_t>(id) >= w.nodes().size()) return "null";
  std::string o = "{\"node\":" + json_quote(w.node(id).name);
  for (const auto& p : v.painters) o += p->inspector_json(w, id);
  return o + "}";
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

}  // namespace detail

using namespace detail;

LabApp::LabApp(AppOptions opt) : opt_(std::move(opt)) {
  if (!opt_.data_dir.empty()) store_ = std::make_unique<lesson::ProgressStore>(opt_.data_dir);
  if (opt_.catalogue) show_catalogue(true);
  if (!opt_.replay_file.empty() && open_replay_file(opt_.replay_file)) return;
  if (!opt_.lesson_file.empty() && open_lesson_file(opt_.lesson_file, opt_.lesson_step)) return;
  if (!open_scenario(opt_.scenario, opt_.seed) && !scenarios().empty())
    open_scenario(scenarios().front().name, opt_.seed);
}

LabApp::~LabApp() { save_progress(); }

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
  log_narration_seen_ = 0;
  error_.clear();
  log_line(format_msg(tr("opened scenario %s (seed %llu)"), name.c_str(), static_cast<unsigned long long>(seed)));
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

World* LabApp::lesson_side(int side) {
  if (!runner_) return nullptr;
  lesson::LessonWorld* right = runner_->host().side(1);
  if (!right) return nullptr;
  return &runner_->host().side(side)->world();
}

const World* LabApp::lesson_side(int side) const { return const_cast<LabApp*>(this)->lesson_side(side); }

void LabApp::setup_lesson_compare() {
  twin_canvas_ = CanvasView{};
  inspected_side_ = 0;
  tools_world_ = "left";
  if (!lesson_side(1)) return;
  auto_layout(*lesson_side(1), twin_canvas_, true);
  const lesson::Lesson& L = runner_->lesson();
  compare_title_[0] = !L.compare->title[0].empty() ? L.compare->title[0] : L.scenario.name;
  compare_title_[1] = !L.compare->title[1].empty() ? L.compare->title[1] : L.compare->right.name;
  if (compare_title_[0] == compare_title_[1]) {
    compare_title_[0] = "left: " + compare_title_[0];
    compare_title_[1] = "right: " + compare_title_[1];
  }
}

std::string LabApp::bundled_lesson_dir() { return platform::bundled_lesson_dir(); }

namespace {

/// The file to read for a lesson in the current language: DIR/LANG/NAME.toml when it exists (a
/// translation, lesson/translation.h), else the original. A translation asked for by name in
/// another language falls back to its original.
std::string localized_lesson(const std::string& path) {
  namespace fs = std::filesystem;
  std::string original = lesson::original_of(path);
  if (original.empty()) original = path;
  const std::string& lang = i18n::language();
  if (lang == "en") return original;
  const fs::path p(original);
  std::error_code ec;
  for (const std::string& l : {lang, lang.substr(0, 2)}) {
    const fs::path t = p.parent_path() / l / p.filename();
    if (fs::is_regular_file(t, ec)) return t.string();
  }
  return original;
}

}  // namespace

std::string LabApp::set_language(const std::string& code) {
  const std::string used = i18n::set_language(code);
  if (!opt_.data_dir.empty()) {
    std::string err;
    lesson::ProgressStore::write_atomic(opt_.data_dir + "/language.txt", used + "\n", &err);
  }
  if (show_catalogue_ || !catalogue_.empty()) refresh_catalogue();
  // The open lesson in the new language, where it stands (same id, same progress).
  if (runner_ && !lesson_path_.empty()) {
    const std::string want = localized_lesson(lesson_path_);
    if (want != lesson_path_) {
      std::ifstream in(want, std::ios::binary);
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      const std::string blob = runner_->save();
      if (in && open_lesson_text(want, text, 1, blob)) {
        lesson_path_ = want;
        std::error_code ec;
        lesson_mtime_ = std::filesystem::last_write_time(want, ec);
      }
    }
  }
  return used;
}

bool LabApp::open_lesson_file(const std::string& asked, int step) {
  const std::string path = localized_lesson(asked);
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
  std::string resume = progress;
  if (resume.empty() && step <= 0 && store_) {   // where the learner left it, unless it was finished
    auto saved = store_->blob(checked.lesson->id);
    const int at = saved ? lesson::ProgressStore::blob_step(*saved) : 0;
    if (at >= 1 && static_cast<size_t>(at) <= checked.lesson->steps.size()) resume = *saved;
  }
  if (!resume.empty()) {
    r = lesson::Runner::restore(*checked.lesson, source, resume, &err);
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
  save_progress();   // the lesson that was open keeps its place
  runner_ = std::move(r);
  lesson_name_ = name;
  lesson_text_ = text;
  lesson_path_.clear();
  canvas_ = CanvasView{};
  auto_layout(runner_->world(), canvas_, true);
  setup_lesson_compare();
  charts_side_ = 0;
  carry_us_ = 0.0;
  log_trace_seen_ = 0;
  log_narration_seen_ = 0;
  lesson_step_seen_ = static_cast<size_t>(-1);
  step_starts_.assign(1, {runner_->world().now(), runner_->step_index()});
  horizon_us_ = runner_->world().now();
  error_.clear();
  playing_ = true;
  show_catalogue_ = false;
  log_line(format_msg(tr("opened lesson %s (%s)"), runner_->lesson().title.c_str(), name.c_str()));
  return true;
}

void LabApp::close_lesson() {
  save_progress();
  const bool compared = lesson_side(1) != nullptr;
  runner_.reset();
  lesson_path_.clear();
  canvas_ = CanvasView{};
  if (compared) {
    twin_canvas_ = CanvasView{};
    compare_title_[0].clear();
    compare_title_[1].clear();
  }
  if (session_) auto_layout(session_->world(), canvas_, true);
}

void LabApp::enter_lesson_step() {
  if (!runner_ || runner_->finished()) return;
  const lesson::Step& st = runner_->step();
  // A compare lesson's highlight and camera apply to both canvases (a name shows where it exists).
  const bool two = lesson_side(1) != nullptr;
  for (CanvasView* v : {&canvas_, &twin_canvas_}) {
    if (v == &twin_canvas_ && !two) break;
    v->highlight.clear();
    for (const auto& h : st.highlight) v->highlight.push_back(h.name);
    if (st.camera) {
      for (const auto& h : st.camera->focus) v->highlight.push_back(h.name);
      if (st.camera->fit) { v->pan = ImVec2(0, 0); v->zoom = static_cast<float>(st.camera->zoom); }
    }
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
  if (!platform::watches_files() || lesson_path_.empty()) return;
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
}

CommandResult LabApp::apply(const Command& c) {
  if (!world()) return CommandResult::fail("no world is open");
  if (!runner_) return apply_to(c, 0);
  if (lesson_side(1) && !c.args.count("world")) {
    // A compare lesson: a Command with no world goes where the Tools tab points.
    Command named = c;
    named.args["world"] = tools_world_;
    return apply(named);
  }
  CommandResult r = runner_->apply(c);
  if (r.ok) {
    log_line("[" + fmt_time(world()->now()) + "] " + c.to_text());
    error_.clear();
  } else {
    error_ = c.op + ": " + r.error;
    log_line(format_msg(tr("rejected: %s (%s)"), c.to_text().c_str(), r.error.c_str()));
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
      log_line(format_msg(tr("rejected: %s (%s)"), c.to_text().c_str(), r.error.c_str()));
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
  log_narration_seen_ = 0;
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
                            std::string* error, const std::vector<LoggedCommand>& right_log) {
  const lesson::WorldSource builtin = lesson::WorldSource::builtin();
  lesson::CheckResult checked = lesson::check_lesson(lesson_text_, builtin);
  if (!checked.ok()) {
    *error = "the lesson text no longer checks";
    return false;
  }
  lesson::Lesson L = *checked.lesson;
  const bool two = L.compare.has_value();
  auto r = lesson::replay_lesson(std::move(L), builtin, log, until_us, step, seed, error, two ? &right_log : nullptr);
  if (!r) return false;
  runner_ = std::move(r);
  twin_canvas_.trace_seen = 0;
  twin_canvas_.links.clear();
  lesson_step_seen_ = static_cast<size_t>(-1);
  carry_us_ = 0.0;
  canvas_.trace_seen = 0;
  canvas_.links.clear();
  log_trace_seen_ = runner_->world().trace().count();
  if (const auto* n = runner_->world().find_model<Narration>()) log_narration_seen_ = n->count();
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
    // A compare lesson: the right world's own log too (each Session recorded its own commands).
    std::vector<LoggedCommand> right_log;
    if (const World* r = lesson_side(1)) right_log = r->command_log();
    const uint64_t seed = runner_->world().seed();
    std::unique_ptr<lesson::Runner> keep = std::move(runner_);
    if (!rebuild_lesson(log, t, step, seed, error, right_log)) {
      runner_ = std::move(keep);
      track_step();
      return false;
    }
    log_line(format_msg(tr("rewound the lesson to %s (step %zu)"), fmt_time(t).c_str(), static_cast<size_t>(step + 1)));
    return true;
  }
  session_->rewind(t);
  canvas_.trace_seen = 0;
  if (twin_) {
    twin_->rewind(t);
    twin_canvas_.trace_seen = 0;
  }
  log_line(format_msg(tr("rewound to %s"), fmt_time(t).c_str()));
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
  if (World* right = lesson_side(1)) {
    // A compare lesson: the next event of either world, through the runner (both worlds run to
    // the same time and the step's gates are evaluated).
    World& left = *lesson_side(0);
    auto a = left.next_event_time(), b = right->next_event_time();
    std::optional<Time> t = a && (!b || *a <= *b) ? a : b;
    if (t) runner_->advance(std::max<Time>(1, *t - left.now()));
    return;
  }
  if (twin_) {
    // The next event of either world; both stay at the same simulated time.
    auto a = session_->world().next_event_time(), b = twin_->world().next_event_time();
    if (a && (!b || *a <= *b)) session_->step();
    else if (b) twin_->step();
    const Time t = std::max(session_->world().now(), twin_->world().now());
    if (session_->world().now() < t) session_->run_until(t);
    run_twin_to(t);
    return;
  }
  // Through the Session (the only way the UI advances a world): a recorded future command
  // (after a rewind) is applied at its own time. Every lesson host has one.
  Session* s = runner_ ? runner_->host().session() : session_.get();
  if (s) s->step();
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

void LabApp::set_text_scale(float s) {
  text_scale_ = std::clamp(s, 0.75f, 2.0f);
  ImGui::GetIO().FontGlobalScale = text_scale_;
}

void LabApp::key_describe() {
  if (!world()) return;
  description_ = describe_world(*world());
  ++description_id_;
  log_line("[" + fmt_time(world()->now()) + "] " + description_);
  show_tab("Event log");
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
    // The second world on screen: free play's twin, or a compare lesson's right world.
    const World* other = twin_ ? &twin_->world() : lesson_side(1);
    if (other) shown.push_back(other);
    auto now = [&] { return w.now(); };
    auto next = [&] {
      std::optional<Time> a = w.next_event_time();
      if (other) {
        std::optional<Time> b = other->next_event_time();
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
  // No recorded command before the target: event by event within the frame's budget, still
  // through the Session, so it stays the one way the UI advances a world.
  const Time target = w.now() + step;
  uint64_t ran = 0;
  while (ran < kEventBudgetPerFrame) {
    auto next = w.next_event_time();
    if (!next || *next > target) break;
    session_->step();
    ++ran;
  }
  lagging_ = ran >= kEventBudgetPerFrame;
  if (!lagging_) session_->run_until(target);
  run_twin_to(w.now());
}

void LabApp::frame(double wall_dt) {
  ++frames_;
  poll_lesson_file(wall_dt);
  save_progress();
  track_step();
  if (runner_ && runner_->step_index() != lesson_step_seen_) {
    lesson_step_seen_ = runner_->step_index();
    enter_lesson_step();
  }
  advance(wall_dt);
  ImGuiIO& io = ImGui::GetIO();
  if (!io.WantTextInput && !show_catalogue_) {
    if (ImGui::IsKeyPressed(ImGuiKey_Space, false)) key_space();
    if (ImGui::IsKeyPressed(ImGuiKey_RightArrow)) key_right();
    if (ImGui::IsKeyPressed(ImGuiKey_LeftArrow, false)) key_left();
    if (ImGui::IsKeyPressed(ImGuiKey_Equal) || ImGui::IsKeyPressed(ImGuiKey_KeypadAdd)) key_speed(true);
    if (ImGui::IsKeyPressed(ImGuiKey_Minus) || ImGui::IsKeyPressed(ImGuiKey_KeypadSubtract)) key_speed(false);
    if (ImGui::IsKeyPressed(ImGuiKey_F, false)) key_fit();
    if (ImGui::IsKeyPressed(ImGuiKey_M, false)) slow_motion_ = !slow_motion_;
    if (ImGui::IsKeyPressed(ImGuiKey_D, false)) key_describe();
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
  // The lesson pane; on the web also in free play, where the page's panel lists the machines and
  // every action for keyboard and screen-reader users.
  if (runner_ || lesson_in_page_) {
    lesson_w = std::clamp(avail.x * 0.3f, 280.0f, 460.0f);
    lesson_pane_pos_ = ImGui::GetCursorScreenPos();
    lesson_pane_size_ = ImVec2(lesson_w, avail.y);
    if (lesson_in_page_) {
      ImGui::Dummy(lesson_pane_size_);   // the page's HTML lesson player sits here
    } else {
      ImGui::BeginChild("lesson_pane", ImVec2(lesson_w, avail.y), ImGuiChildFlags_Border);
      draw_lesson();
      ImGui::EndChild();
    }
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
      const std::string label = std::string(tr(name)) + "###" + name;   // the same tab in every language
      return ImGui::BeginTabItem(label.c_str(), nullptr, want ? ImGuiTabItemFlags_SetSelected : 0);
    };
    // N_: the tab names are translated in tab() above.
    [[maybe_unused]] static const char* const kTabs[] = {N_("Inspector"), N_("Tools"), N_("Charts"), N_("History"), N_("Event log")};
    if (tab("Inspector")) { draw_inspector(); ImGui::EndTabItem(); }
    if (tab("Tools")) { draw_tools(); ImGui::EndTabItem(); }
    if (tab("Charts")) { draw_charts(); ImGui::EndTabItem(); }
    if (tab("History")) { draw_history(); ImGui::EndTabItem(); }
    if (tab("Event log")) { draw_event_log(); ImGui::EndTabItem(); }
    ImGui::EndTabBar();
  }
  ImGui::EndChild();
  ImGui::End();
  draw_catalogue();
  draw_about();
  draw_keys();
}

void LabApp::draw_canvas_pane(ImVec2 size) {
  canvas_.reduced_motion = twin_canvas_.reduced_motion = reduced_motion_;
  if (!world()) {
    ImGui::TextWrapped(tr("No world is open. Pick a scenario from the Scenario menu."));
    return;
  }
  const bool lesson_two = lesson_side(1) != nullptr;
  if ((!twin_ || runner_) && !lesson_two) {
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
    World& sw = lesson_two ? *lesson_side(side) : (side ? *twin_ : *session_).world();
    CanvasView& view = side ? twin_canvas_ : canvas_;
    ImGui::PushStyleColor(ImGuiCol_Text, palette::sky_blue);
    ImGui::TextUnformatted(compare_title_[side].c_str());
    ImGui::PopStyleColor();
    ImGui::SameLine();
    ImGui::TextDisabled(tr("%zu commands, %zu in flight"), sw.command_log().size(), view.in_flight);
    const NodeId before = view.selected;
    std::vector<Command> issued;
    draw_canvas(sw, view, ImGui::GetContentRegionAvail(), &issued);
    ImGui::EndChild();
    if (lesson_two && view.selected != before && view.selected != kNoNode) {
      // The Inspector follows the canvas clicked last; the other one lets go of its selection.
      inspected_side_ = side;
      (side ? canvas_ : twin_canvas_).selected = kNoNode;
    }
    for (const auto& c : issued) {
      if (!lesson_two) { apply_to(c, side); continue; }
      Command named = c;   // a compare lesson: the Command goes to the world it was issued in
      named.args["world"] = lesson::side_name(side);
      apply(named);
    }
  }
}

void LabApp::draw_charts() {
  const World* w = world();
  if (!w) return;
  if (lesson_side(1)) {
    // A compare lesson: the charts of one world at a time, picked by its title.
    for (int side = 0; side < 2; ++side) {
      if (side) ImGui::SameLine();
      if (ImGui::RadioButton((compare_title_[side] + "##charts_side" + std::to_string(side)).c_str(), charts_side_ == side)) charts_side_ = side;
    }
    if (charts_side_ == 1) w = lesson_side(1);
  }
  draw_charts_panel(*w, charts_, marker_kind_for);   // ui/panels/charts_panel
}

}  // namespace topo::ui
