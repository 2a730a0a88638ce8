// The menu bar, the time controls and timeline, About and the keyboard help.
#include "models/narration.h"
#include "ui/lab_app_internal.h"
#include "ui/platform.h"
#include "ui/tr.h"

namespace topo::ui {

using namespace detail;

void LabApp::draw_menu() {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::BeginMenu(tr("Lessons"))) {
    draw_lesson_picker();
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr("Scenario"))) {
    for (const auto& s : scenarios()) {
      bool current = session_ && session_->scenario() == s.name;
      if (ImGui::MenuItem(s.name.c_str(), nullptr, current && !runner_ && !twin_)) {
        close_lesson();
        close_compare();
        open_scenario(s.name, opt_.seed);
      }
      if (ImGui::IsItemHovered() && !s.summary.empty()) ImGui::SetTooltip("%s", tr(s.summary.c_str()));
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr("Compare"))) {
    // Side by side: two worlds under the same load (same seed) and the same injected faults.
    struct Preset { const char* label; const char* left; const char* lp; const char* right; const char* rp; const char* tip; };
    static const Preset kPresets[] = {
        {N_("Microservices vs monolith"), "shop", "", "shop-monolith", "",
         N_("The same shop as eight services and as one monolith, same load. Slow or crash a part and compare.")},
        {N_("Shop without vs with resilience"), "shop", "resilience=off", "shop", "resilience=on",
         N_("Timeouts, retries, breakers and bulkheads off (left) and on (right). Same nodes: a fault you inject hits both.")},
        {N_("Slow payment: without vs with resilience"), "shop", "resilience=off payment.slow=20 fault_at_ms=5000", "shop",
         "resilience=on payment.slow=20 fault_at_ms=5000", N_("Payment gets 20x slower at t = 5 s in both worlds.")},
        {N_("Raft: 3 vs 5 servers"), "raft-3", "", "raft-5", "", N_("Crash n1 (in both) and compare how each cluster copes.")},
        {N_("Raft store vs microservice shop"), "raft-5", "", "shop", "",
         N_("The same faults in two architectures: crash Raft's leader and a payment machine, or cut each network in two. "
            "Lesson 16 walks through it.")},
    };
    for (const auto& pr : kPresets) {
      if (ImGui::MenuItem(tr(pr.label))) {
        std::string e1, e2;
        open_compare(pr.left, parse_params_text(pr.lp, &e1), pr.right, parse_params_text(pr.rp, &e2), opt_.seed);
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(pr.tip));
    }
    if (twin_) {
      ImGui::Separator();
      if (ImGui::MenuItem(tr("Leave side-by-side mode"))) close_compare();
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr("View"))) {
    if (ImGui::MenuItem(tr("Dark theme"), nullptr, current_theme() == Theme::Dark)) apply_theme(Theme::Dark);
    if (ImGui::MenuItem(tr("Light theme"), nullptr, current_theme() == Theme::Light)) apply_theme(Theme::Light);
    ImGui::Separator();
    if (ImGui::MenuItem(tr("Reduce motion (still particle streams)"), nullptr, reduced_motion_)) reduced_motion_ = !reduced_motion_;
    if (ImGui::MenuItem(tr("Slow motion (M)"), nullptr, slow_motion_)) slow_motion_ = !slow_motion_;
    if (ImGui::BeginMenu(tr("Text size"))) {
      for (float sc : {1.0f, 1.25f, 1.5f, 1.75f}) {
        char label[16];
        std::snprintf(label, sizeof label, "%d%%", static_cast<int>(std::lround(sc * 100)));
        if (ImGui::MenuItem(label, nullptr, std::abs(text_scale_ - sc) < 0.01f)) set_text_scale(sc);
      }
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(tr("Language"))) {
      for (const auto& l : i18n::languages()) {
        if (l.code == "qps" && i18n::language() != "qps") continue;   // the pseudo-locale: by flag or link only
        if (ImGui::MenuItem(l.name.c_str(), l.code.c_str(), i18n::language() == l.code)) set_language(l.code);
      }
      ImGui::EndMenu();
    }
    if (ImGui::MenuItem(tr("Fit view"), "F")) key_fit();
    if (ImGui::MenuItem(tr("Re-layout")) && world()) auto_layout(*world(), canvas_, true);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr("Help"))) {
    if (ImGui::MenuItem(tr("Keyboard shortcuts"))) show_keys_ = true;
    if (ImGui::MenuItem(tr("About Topolab"))) show_about_ = true;
    ImGui::EndMenu();
  }
  if (platform::can_quit() && ImGui::BeginMenu(tr("File"))) {
    if (ImGui::MenuItem(tr("Lessons..."))) show_catalogue(true);
    if (ImGui::MenuItem(tr("Save replay"), nullptr, false, !runner_ && session_ && !twin_)) save_replay();
    if (!recording_) {
      if (ImGui::MenuItem(tr("Record a lesson"), nullptr, false, !runner_ && session_ && !twin_)) start_recording();
      if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", tr("Play the scenario from its start: every action you take becomes a step of a new lesson"));
    } else if (ImGui::MenuItem(tr("Stop recording and save the lesson"))) {
      const std::string text = stop_recording();
      if (!text.empty()) {
        const std::string dir = opt_.lessons_dir.empty() ? std::string(".") : opt_.lessons_dir;
        std::string file;
        for (int i = 1; i < 1000; ++i) {
          file = dir + "/recorded-" + session_->scenario() + "-" + std::to_string(i) + ".toml";
          std::error_code ec;
          if (!std::filesystem::exists(file, ec)) break;
        }
        std::string err;
        if (lesson::ProgressStore::write_atomic(file, text, &err)) log_line("saved the recorded lesson as " + file + " (Your lessons)");
        else error_ = err;
      }
    }
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip(tr("Write this free-play run (scenario, seed, your commands, this moment) as a replay file; "
                        "topolab --open FILE opens it again, exactly"));
    ImGui::Separator();
    if (ImGui::MenuItem(tr("Quit"))) quit_ = true;
    ImGui::EndMenu();
  }
  ImGui::EndMenuBar();
}

void LabApp::draw_controls() {
  if (ImGui::Button(playing_ ? tr("Pause") : tr("Play"))) playing_ = !playing_;
  ImGui::SameLine();
  if (ImGui::Button(tr("Step")) && world()) key_right();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Run the next event (Right arrow)"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(180.0f);
  float log_speed = static_cast<float>(std::log10(speed_));
  char label[32];
  std::snprintf(label, sizeof label, "%gx", speed_ < 1 ? std::round(speed_ * 1000) / 1000 : std::round(speed_ * 10) / 10);
  if (ImGui::SliderFloat("##speed", &log_speed, -2.0f, 2.0f, label)) speed_ = std::pow(10.0, static_cast<double>(log_speed));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Simulation speed (simulated time per real second); +/- keys"));
  ImGui::SameLine();
  if (ImGui::Button(tr("Describe"))) key_describe();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("The world in words, in the Event log (D)"));
  ImGui::SameLine();
  ImGui::Checkbox(tr("Slow motion"), &slow_motion_);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("While messages are in flight, slow down so each one can be followed (at least %.1f s on screen).\n"
                      "Nothing changes in the simulation: only how fast you see it. Key: M"),
                      clock_.min_flight_wall_s);
  ImGui::SameLine();
  if (recording_) {   // a mark and words, never colour alone
    ImGui::TextColored(ImVec4(0.84f, 0.37f, 0.0f, 1.0f), "%s", tr("\u25cf Recording a lesson (File > Stop recording)"));
    ImGui::SameLine();
  }
  if (playing_ && slowed_) {
    ImGui::TextColored(ImVec4(0.90f, 0.62f, 0.0f, 1.0f), tr("slow motion: %s"), speed_text(shown_speed_).c_str());
    ImGui::SameLine();
  }
  if (world()) {
    const World& w = *world();
    ImGui::Text(tr("t = %s   events %llu   seed %llu%s"), fmt_time(w.now()).c_str(),
                static_cast<unsigned long long>(w.events_processed()), static_cast<unsigned long long>(w.seed()),
                lagging_ ? tr("   (simulation lagging)") : "");
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

void LabApp::draw_about() {
  if (!show_about_) return;
  ImGui::SetNextWindowSize(ImVec2(460, 0), ImGuiCond_Appearing);
  if (ImGui::Begin(tr("About Topolab"), &show_about_, ImGuiWindowFlags_NoCollapse)) {
    ImGui::Text(tr("Topolab %s"), TOPOLAB_VERSION);
    ImGui::Separator();
    ImGui::TextWrapped("%s", tr(
        "A hands-on lab for how distributed systems and microservices behave. Machines and services "
        "are simulated by a deterministic discrete-event engine: the same scenario, seed and commands "
        "always give the same run, in the browser and on the desktop."));
    ImGui::Spacing();
    ImGui::TextWrapped(tr("Keyboard: see Help > Keyboard shortcuts."));
    ImGui::TextWrapped(tr("Built with Dear ImGui %s and SDL2."), IMGUI_VERSION);
  }
  ImGui::End();
}

void LabApp::draw_keys() {
  if (!show_keys_) return;
  ImGui::SetNextWindowSize(ImVec2(480, 0), ImGuiCond_Appearing);
  if (ImGui::Begin(tr("Keyboard shortcuts"), &show_keys_, ImGuiWindowFlags_NoCollapse)) {
    if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg)) {
      ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthFixed, 90.0f);
      const char* rows[][2] = {
          {N_("Space"), N_("play / pause")},
          {N_("\u2192 (Right)"), N_("pause and run the next event (side by side: the next event of either world)")},
          {N_("\u2190 (Left)"), N_("back: in a lesson, the previous step (from its start); in free play, rewind to just "
                             "before the latest event (Right runs it again)")},
          {"+ / \u2212", N_("simulation twice as fast / half as fast (0.01x to 100x)")},
          {"F", N_("fit the view (undo pan and zoom)")},
          {"D", N_("describe the world in words (also the Describe button; screen readers hear it)")},
          {"M", N_("slow motion on / off (while messages fly, slow down so each stays on screen a third of a second)")},
          {N_("Tab, arrows"), N_("move between the lab's controls (Enter or Space presses one; Esc goes back)")},
#ifdef __EMSCRIPTEN__
          {"F6", N_("move between the lab and the lesson panel beside it: the lesson's text, its choices, Back/Next and "
                 "the machines with their actions (Crash, Restart, Slow down, Isolate) as page controls")},
#endif
      };
      for (const auto& r : rows) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(tr(r[0]));
        ImGui::TableSetColumnIndex(1);
        ImGui::TextWrapped("%s", tr(r[1]));
      }
      ImGui::EndTable();
    }
    ImGui::TextWrapped(tr("Drag the timeline under the controls to rewind; inside a lesson this takes you back to "
                       "the step you were on at that time, which starts over from there."));
  }
  ImGui::End();
}

}  // namespace topo::ui
