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
  runner_ = std::move(r);
  lesson_name_ = name;
  lesson_text_ = text;
  lesson_path_.clear();
  canvas_ = CanvasView{};
  auto_layout(runner_->world(), canvas_, true);
  carry_us_ = 0.0;
  log_trace_seen_ = 0;
  lesson_step_seen_ = static_cast<size_t>(-1);
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
  CommandResult r = runner_ ? runner_->apply(c) : session_->apply(c);
  if (r.ok) {
    log_line("[" + fmt_time(world()->now()) + "] " + c.to_text());
    error_.clear();
  } else {
    error_ = c.op + ": " + r.error;
    log_line("rejected: " + c.to_text() + " (" + r.error + ")");
  }
  return r;
}

void LabApp::log_line(std::string line) {
  log_.push_back(std::move(line));
  if (log_.size() > kLogMax) log_.erase(log_.begin(), log_.begin() + static_cast<long>(log_.size() - kLogMax));
}

void LabApp::advance(double wall_dt) {
  if (runner_) runner_->add_real_time(wall_dt);
  if (!world() || !playing_) return;
  World& w = *world();
  carry_us_ += std::clamp(wall_dt, 0.0, 0.25) * speed_ * 1e6;
  Time step = static_cast<Time>(carry_us_);
  if (step <= 0) return;
  carry_us_ -= static_cast<double>(step);
  if (runner_) {
    runner_->advance(step);
    return;
  }
  if (auto replay = session_->next_replay_at(); replay && *replay <= w.now() + step) {
    session_->run_until(w.now() + step);   // after a rewind: replay the recorded commands
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
}

void LabApp::frame(double wall_dt) {
  ++frames_;
  poll_lesson_file(wall_dt);
  if (runner_ && runner_->step_index() != lesson_step_seen_) {
    lesson_step_seen_ = runner_->step_index();
    enter_lesson_step();
  }
  advance(wall_dt);
  ImGuiIO& io = ImGui::GetIO();
  if (!io.WantTextInput) {
    if (ImGui::IsKeyPressed(ImGuiKey_Space, false)) playing_ = !playing_;
    if (ImGui::IsKeyPressed(ImGuiKey_RightArrow) && world()) { playing_ = false; world()->step(); }
    if (ImGui::IsKeyPressed(ImGuiKey_Equal) || ImGui::IsKeyPressed(ImGuiKey_KeypadAdd)) speed_ = std::min(100.0, speed_ * 2);
    if (ImGui::IsKeyPressed(ImGuiKey_Minus) || ImGui::IsKeyPressed(ImGuiKey_KeypadSubtract)) speed_ = std::max(0.01, speed_ / 2);
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
  if (world()) {
    std::vector<Command> issued;
    draw_canvas(*world(), canvas_, ImGui::GetContentRegionAvail(), &issued);
    for (const auto& c : issued) apply(c);
  } else {
    ImGui::TextWrapped("No world is open. Pick a scenario from the Scenario menu.");
  }
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("side_pane", ImVec2(0, avail.y), ImGuiChildFlags_Border);
  if (ImGui::BeginTabBar("side_tabs")) {
    if (ImGui::BeginTabItem("Inspector")) { draw_inspector(); ImGui::EndTabItem(); }
    if (ImGui::BeginTabItem("Tools")) { draw_tools(); ImGui::EndTabItem(); }
    if (ImGui::BeginTabItem("Charts")) { draw_charts(); ImGui::EndTabItem(); }
    if (ImGui::BeginTabItem("History")) { draw_history(); ImGui::EndTabItem(); }
    if (ImGui::BeginTabItem("Event log")) { draw_event_log(); ImGui::EndTabItem(); }
    ImGui::EndTabBar();
  }
  ImGui::EndChild();
  ImGui::End();
  draw_about();
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
      if (ImGui::MenuItem(s.name.c_str(), nullptr, current && !runner_)) {
        close_lesson();
        open_scenario(s.name, opt_.seed);
      }
      if (ImGui::IsItemHovered() && !s.summary.empty()) ImGui::SetTooltip("%s", s.summary.c_str());
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    if (ImGui::MenuItem("Dark theme", nullptr, current_theme() == Theme::Dark)) apply_theme(Theme::Dark);
    if (ImGui::MenuItem("Light theme", nullptr, current_theme() == Theme::Light)) apply_theme(Theme::Light);
    if (ImGui::MenuItem("Fit view", "F")) { canvas_.pan = ImVec2(0, 0); canvas_.zoom = 1.0f; }
    if (ImGui::MenuItem("Re-layout") && world()) auto_layout(*world(), canvas_, true);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
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
  if (ImGui::Button("Step") && world()) {
    playing_ = false;
    world()->step();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Run the next event (Right arrow)");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(180.0f);
  float log_speed = static_cast<float>(std::log10(speed_));
  char label[32];
  std::snprintf(label, sizeof label, "%gx", speed_ < 1 ? std::round(speed_ * 1000) / 1000 : std::round(speed_ * 10) / 10);
  if (ImGui::SliderFloat("##speed", &log_speed, -2.0f, 2.0f, label)) speed_ = std::pow(10.0, static_cast<double>(log_speed));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Simulation speed (simulated time per real second); +/- keys");
  ImGui::SameLine();
  if (world()) {
    const World& w = *world();
    ImGui::Text("t = %s   events %llu   seed %llu%s", fmt_time(w.now()).c_str(),
                static_cast<unsigned long long>(w.events_processed()), static_cast<unsigned long long>(w.seed()),
                lagging_ ? "   (simulation lagging)" : "");
  }
  // The timeline scrubber: drag back to rewind (the world is rebuilt and replayed to that
  // time), forward again up to the furthest time reached (the recorded commands replay).
  if (session_ && !runner_) {
    World& w = session_->world();
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
      if (want < w.now()) {
        session_->rewind(want);
        canvas_.trace_seen = 0;
        log_line("rewound to " + fmt_time(want));
      } else if (want > w.now()) {
        session_->run_until(want);
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
    ImGui::Text("%zu nodes, %zu messages in flight", w.nodes().size(), w.in_flight().size());
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
  const World* wp = world();
  if (!wp) return;
  const World& w = *wp;
  // One chart per kind of metric (the part after the last '.'), one line per thing measured
  // ("svc.payment.p99_ms" and "svc.catalog.p99_ms" share the p99_ms chart).
  std::map<std::string, std::vector<std::pair<std::string, const std::vector<SeriesPoint>*>>> kinds;
  for (const auto& [name, pts] : w.metrics().all_series()) {
    size_t dot = name.rfind('.');
    std::string kind = dot == std::string::npos ? name : name.substr(dot + 1);
    std::string who = dot == std::string::npos ? name : name.substr(0, dot);
    kinds[kind].emplace_back(who, &pts);
  }
  if (kinds.empty()) {
    ImGui::TextWrapped("This world records no time series yet.");
    return;
  }
  // Event markers from the command log: what the learner or the lesson did, and when.
  std::vector<ChartMarker> markers;
  std::vector<std::string> labels;
  labels.reserve(w.command_log().size());
  for (const auto& lc : w.command_log()) labels.push_back(lc.cmd.arg("node", lc.cmd.arg("service", lc.cmd.op)));
  for (size_t i = 0; i < w.command_log().size(); ++i) {
    const auto& lc = w.command_log()[i];
    markers.push_back({lc.at, marker_kind_for(lc.cmd.op), labels[i].c_str()});
  }
  static ChartHover hover;
  const int64_t cursor = hover.time_us;
  ChartHover next_hover;
  ImGui::BeginChild("charts");
  for (const auto& [kind, list] : kinds) {
    if (!ImGui::CollapsingHeader(kind.c_str(), ImGuiTreeNodeFlags_DefaultOpen)) continue;
    std::vector<ChartSeries> series(list.size());
    for (size_t i = 0; i < list.size(); ++i) {
      series[i].label = list[i].first.c_str();
      series[i].points = list[i].second->data();
      series[i].count = static_cast<int>(list[i].second->size());
    }
    ChartOptions o;
    o.x_min_us = std::max<Time>(0, w.now() - 60 * kSec);
    o.x_max_us = std::max<Time>(w.now(), 1);
    const bool rate = kind.find("rate") != std::string::npos || kind == "availability";
    if (rate) { o.y_fixed = true; o.y_min = 0; o.y_max = 1; }
    if (kind.size() > 3 && kind.compare(kind.size() - 3, 3, "_ms") == 0) o.y_unit = "ms";
    o.cursor_time_us = cursor;
    ChartHover h;
    chart(("##" + kind).c_str(), ImVec2(-1, 170), series.data(), static_cast<int>(series.size()), o, markers.data(),
          static_cast<int>(markers.size()), &h);
    if (h.hovered) next_hover = h;
  }
  ImGui::EndChild();
  hover = next_hover;
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
  for (size_t i = 0; i < w.nodes().size(); ++i) {
    if (i % 4) ImGui::SameLine();
    bool on = tool_group_[i] != 0;
    if (ImGui::Checkbox((w.nodes()[i]->name + "##grp").c_str(), &on)) tool_group_[i] = on ? 1 : 0;
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
    ImGui::TextWrapped("Space: play/pause   Right arrow: next event   +/-: speed   F: fit view");
    ImGui::TextWrapped("Built with Dear ImGui %s and SDL2.", IMGUI_VERSION);
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
    return open_scenario(n->second, static_cast<uint64_t>(num("seed", static_cast<double>(opt_.seed)))) ? "{\"ok\":true}" : fail(error_);
  }
  auto str = [&](const char* key) {
    auto f = m->find(key);
    return f == m->end() ? std::string() : f->second;
  };
  const std::string ok = "{\"ok\":true}";
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
    // command at its recorded simulated time, then run to the shared moment.
    std::string err;
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
    session_ = std::move(s);
    canvas_ = CanvasView{};
    auto_layout(session_->world(), canvas_, true);
    playing_ = false;
    horizon_us_ = 0;
    log_line("replayed a shared moment of " + session_->scenario());
    return ok;
  }
  if (!world()) return fail("no world is open");
  if (op == "ui.step") { playing_ = false; world()->step(); return ok; }
  if (op == "ui.run_ms") {
    double v = num("value", -1);
    if (!(v >= 0)) return fail("ui.run_ms: value must be >= 0");
    if (runner_) runner_->advance(static_cast<Time>(std::llround(v * 1000)));
    else session_->run_until(session_->world().now() + static_cast<Time>(std::llround(v * 1000)));
    return ok;
  }
  if (op == "ui.rewind_ms") {
    if (runner_) return fail("ui.rewind_ms: rewinding inside a lesson is not available yet");
    double v = num("value", -1);
    if (!(v >= 0) || static_cast<Time>(std::llround(v * 1000)) > session_->world().now()) return fail("ui.rewind_ms: value must be between 0 and now");
    session_->rewind(static_cast<Time>(std::llround(v * 1000)));
    canvas_.trace_seen = 0;
    return "{\"ok\":true}";
  }
  Command c{op, {}};
  for (auto& [k, v] : *m) c.args[k] = v;
  CommandResult r = apply(c);
  return r.ok ? "{\"ok\":true}" : fail(r.error);
}

}  // namespace topo::ui
