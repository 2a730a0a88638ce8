// The lab app: see lab_app.h.
#include "ui/lab_app.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "imgui.h"
#include "scenario/json.h"
#include "ui/style.h"

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
  carry_us_ = 0.0;
  log_trace_seen_ = 0;
  error_.clear();
  log_line("opened scenario " + name + " (seed " + std::to_string(seed) + ")");
  return true;
}

bool LabApp::open_lesson_file(const std::string& path) {
  error_ = path + ": lessons open in the lesson player (not in this build yet)";
  log_line(error_);
  return false;
}

CommandResult LabApp::apply(const Command& c) {
  if (!session_) return CommandResult::fail("no world is open");
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

void LabApp::log_line(std::string line) {
  log_.push_back(std::move(line));
  if (log_.size() > kLogMax) log_.erase(log_.begin(), log_.begin() + static_cast<long>(log_.size() - kLogMax));
}

void LabApp::advance(double wall_dt) {
  if (!session_ || !playing_) return;
  World& w = session_->world();
  carry_us_ += std::clamp(wall_dt, 0.0, 0.25) * speed_ * 1e6;
  Time step = static_cast<Time>(carry_us_);
  if (step <= 0) return;
  carry_us_ -= static_cast<double>(step);
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
  advance(wall_dt);
  ImGuiIO& io = ImGui::GetIO();
  if (!io.WantTextInput) {
    if (ImGui::IsKeyPressed(ImGuiKey_Space, false)) playing_ = !playing_;
    if (ImGui::IsKeyPressed(ImGuiKey_RightArrow) && session_) { playing_ = false; session_->world().step(); }
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

  const float side = std::clamp(ImGui::GetContentRegionAvail().x * 0.3f, 260.0f, 420.0f);
  ImVec2 avail = ImGui::GetContentRegionAvail();
  ImGui::BeginChild("canvas_pane", ImVec2(avail.x - side - 8.0f, avail.y), ImGuiChildFlags_Border);
  if (session_) {
    std::vector<Command> issued;
    draw_canvas(session_->world(), canvas_, ImGui::GetContentRegionAvail(), &issued);
    for (const auto& c : issued) apply(c);
  } else {
    ImGui::TextWrapped("No world is open. Pick a scenario from the Scenario menu.");
  }
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("side_pane", ImVec2(0, avail.y), ImGuiChildFlags_Border);
  if (ImGui::BeginTabBar("side_tabs")) {
    if (ImGui::BeginTabItem("Inspector")) { draw_inspector(); ImGui::EndTabItem(); }
    if (ImGui::BeginTabItem("Event log")) { draw_event_log(); ImGui::EndTabItem(); }
    ImGui::EndTabBar();
  }
  ImGui::EndChild();
  ImGui::End();
  draw_about();
}

void LabApp::draw_menu() {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::BeginMenu("Scenario")) {
    for (const auto& s : scenarios()) {
      bool current = session_ && session_->scenario() == s.name;
      if (ImGui::MenuItem(s.name.c_str(), nullptr, current)) open_scenario(s.name, opt_.seed);
      if (ImGui::IsItemHovered() && !s.summary.empty()) ImGui::SetTooltip("%s", s.summary.c_str());
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    if (ImGui::MenuItem("Dark theme", nullptr, current_theme() == Theme::Dark)) apply_theme(Theme::Dark);
    if (ImGui::MenuItem("Light theme", nullptr, current_theme() == Theme::Light)) apply_theme(Theme::Light);
    if (ImGui::MenuItem("Fit view", "F")) { canvas_.pan = ImVec2(0, 0); canvas_.zoom = 1.0f; }
    if (ImGui::MenuItem("Re-layout") && session_) auto_layout(session_->world(), canvas_, true);
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
  if (ImGui::Button("Step") && session_) {
    playing_ = false;
    session_->world().step();
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
  if (session_) {
    const World& w = session_->world();
    ImGui::Text("t = %s   events %llu   seed %llu%s", fmt_time(w.now()).c_str(),
                static_cast<unsigned long long>(w.events_processed()), static_cast<unsigned long long>(w.seed()),
                lagging_ ? "   (simulation lagging)" : "");
  }
  if (!error_.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette::vermillion);
    ImGui::TextWrapped("%s", error_.c_str());
    ImGui::PopStyleColor();
  }
}

void LabApp::draw_inspector() {
  if (!session_) return;
  const World& w = session_->world();
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
  if (session_) {
    // Model notes from the trace join the log (leader elected, commit, violation, ...).
    const Trace& tr = session_->world().trace();
    const auto& evs = tr.events();
    uint64_t fresh = tr.count() - log_trace_seen_;
    size_t from = evs.size() > fresh ? evs.size() - static_cast<size_t>(fresh) : 0;
    for (size_t i = from; i < evs.size(); ++i) {
      const auto& e = evs[i];
      if (e.kind == TraceKind::Note || e.kind == TraceKind::Crash || e.kind == TraceKind::Restart) {
        std::string who = e.node >= 0 && static_cast<size_t>(e.node) < session_->world().nodes().size()
                              ? session_->world().node(e.node).name + ": " : "";
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
  if (session_) {
    const World& w = session_->world();
    o << ",\"scenario\":" << json_quote(session_->scenario()) << ",\"seed\":" << w.seed()
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
    o << "],\"models\":[";
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
    return open_scenario(n->second, static_cast<uint64_t>(num("seed", static_cast<double>(opt_.seed)))) ? "{\"ok\":true}" : fail(error_);
  }
  if (!session_) return fail("no world is open");
  if (op == "ui.step") { playing_ = false; session_->world().step(); return "{\"ok\":true}"; }
  if (op == "ui.run_ms") {
    double v = num("value", -1);
    if (!(v >= 0)) return fail("ui.run_ms: value must be >= 0");
    session_->run_until(session_->world().now() + static_cast<Time>(v * 1000));
    return "{\"ok\":true}";
  }
  if (op == "ui.rewind_ms") {
    double v = num("value", -1);
    if (!(v >= 0) || static_cast<Time>(v * 1000) > session_->world().now()) return fail("ui.rewind_ms: value must be between 0 and now");
    session_->rewind(static_cast<Time>(v * 1000));
    canvas_.trace_seen = 0;
    return "{\"ok\":true}";
  }
  Command c{op, {}};
  for (auto& [k, v] : *m) c.args[k] = v;
  CommandResult r = apply(c);
  return r.ok ? "{\"ok\":true}" : fail(r.error);
}

}  // namespace topo::ui
