// The lesson catalogue (the desktop's start screen, and Lessons > All lessons): the bundled
// lessons and the teacher's own with level, minutes and the learner's progress, "Continue" for
// the last lesson, Free play, Open lesson file, Reset progress; and the saving of progress.
#include <algorithm>
#include <set>
#include <filesystem>

#include "lesson/recorder.h"
#include "scenario/replay_file.h"
#include "ui/lab_app_internal.h"
#include "ui/palette.h"
#include "ui/platform.h"
#include "ui/tr.h"

namespace topo::ui {

using namespace detail;

namespace {

/// A lesson's progress in words (never colour alone): "Complete", "Step 3 of 7", "Not started";
/// in the student's language when `translate` (the state JSON keeps the English).
/// Reads lesson `e`'s saved step (1-based, 0: none) and whether it was ever completed.
void saved_progress(const lesson::ProgressStore* store, const lesson::CatalogEntry& e, int* step, bool* done) {
  *step = 0;
  *done = false;
  if (!store) return;
  if (auto b = store->blob(e.id)) *step = lesson::ProgressStore::blob_step(*b);
  *done = store->completed(e.id) || (*step > 0 && static_cast<size_t>(*step) > e.steps);
}

std::string progress_words(const lesson::ProgressStore* store, const lesson::CatalogEntry& e, const int* step,
                           const bool* done, bool translate = false) {
  if (!store) return "";
  if (*step >= 1 && static_cast<size_t>(*step) <= e.steps) {
    if (*done)
      return format_msg(translate ? tr("Step %d of %zu (completed before)") : "Step %d of %zu (completed before)", *step, e.steps);
    return format_msg(translate ? tr("Step %d of %zu") : "Step %d of %zu", *step, e.steps);
  }
  if (*done) return translate ? tr("Complete") : "Complete";
  return translate ? tr("Not started") : "Not started";
}

// The lesson levels, as lessons write them, translated where they are shown.
[[maybe_unused]] const char* const kLevels[] = {N_("beginner"), N_("intermediate"), N_("advanced")};

}  // namespace

void LabApp::refresh_catalogue() {
  // Each folder's lessons, with the titles and summaries of their translations (DIR/LANG/) in the
  // student's language; a lesson opens translated too (open_lesson_file).
  auto scan = [](const std::string& dir, const char* source) {
    auto list = lesson::scan_lessons(dir, source);
    const std::string& lang = i18n::language();
    if (lang != "en")
      for (const auto& t : lesson::scan_lessons(dir + "/" + lang, source))
        for (auto& e : list)
          if (e.id == t.id && t.error.empty()) {
            e.title = t.title;
            e.summary = t.summary;
          }
    return list;
  };
  catalogue_ = scan(bundled_lesson_dir(), "bundled");
  if (!opt_.lessons_dir.empty()) {
    auto mine = scan(opt_.lessons_dir, "yours");
    catalogue_.insert(catalogue_.end(), mine.begin(), mine.end());
  }
  // What the start screen shows of the saved progress, read once here rather than every frame.
  catalogue_progress_.assign(catalogue_.size(), {0, false});
  for (size_t i = 0; i < catalogue_.size(); ++i)
    saved_progress(store_.get(), catalogue_[i], &catalogue_progress_[i].first, &catalogue_progress_[i].second);
  catalogue_last_ = store_ ? store_->last() : std::nullopt;
}

void LabApp::show_catalogue(bool on) {
  if (on) {
    refresh_catalogue();
    focus_catalogue_ = true;
  }
  show_catalogue_ = on;
}

bool LabApp::open_catalogue_lesson(const std::string& id, int step) {
  if (catalogue_.empty()) refresh_catalogue();
  const lesson::CatalogEntry* e = lesson::find_lesson(catalogue_, id);
  if (!e) {
    std::vector<std::string> ids;
    for (const auto& c : catalogue_) ids.push_back(c.id);
    error_ = "no lesson \"" + id + "\"" + lesson::did_you_mean(id, ids);
    log_line(error_);
    return false;
  }
  if (!e->error.empty()) {
    error_ = e->error;
    log_line(error_);
    return false;
  }
  return open_lesson_file(e->path, step);
}

void LabApp::save_progress() {
  if (!store_ || !runner_) return;
  const std::string& id = runner_->lesson().id;
  std::string blob = runner_->save();
  if (id == saved_id_ && blob == saved_blob_) return;
  std::string err;
  const size_t steps = runner_->step_count();
  const int step = runner_->finished() ? static_cast<int>(steps) + 1 : static_cast<int>(runner_->step_index()) + 1;
  bool ok = store_->save(id, blob, &err) && store_->set_last({id, lesson_path_, step}, &err) &&
            (!runner_->finished() || store_->mark_completed(id, &err));
  saved_id_ = id;
  saved_blob_ = std::move(blob);
  if (!ok && !save_failed_) {
    save_failed_ = true;
    log_line("cannot save your progress: " + err);
  }
}

std::string LabApp::save_replay(const std::string& path) {
  if (runner_ || !session_) {
    error_ = "Save replay: only a free-play world can be saved as a replay (a lesson keeps its progress)";
    return "";
  }
  const World& w = session_->world();
  ReplayFile r;
  r.scenario = session_->scenario();
  r.seed = session_->seed();
  r.params = session_->params();
  r.at_us = w.now();
  r.log = w.command_log();
  std::string file = path;
  if (file.empty()) {
    const std::string dir = opt_.data_dir.empty() ? std::string(".") : opt_.data_dir + "/replays";
    file = dir + "/" + r.scenario + "-seed" + std::to_string(r.seed) + "-t" + std::to_string(w.now() / 1000) + "ms.replay";
  }
  std::string err;
  if (!lesson::ProgressStore::write_atomic(file, replay_text(r, "saved by the Topolab desktop lab"), &err)) {
    error_ = "Save replay: " + err;
    log_line(error_);
    return "";
  }
  log_line("saved the run as " + file + " (open it with topolab --open FILE)");
  return file;
}

bool LabApp::start_recording() {
  if (runner_ || !session_ || twin_) {
    error_ = tr("Record a lesson: open a scenario in free play first (Scenario menu)");
    return false;
  }
  const std::string scenario = session_->scenario();
  const Params params = session_->params();
  if (!open_scenario(scenario, session_->seed(), params)) return false;
  recording_ = true;
  log_line(tr("recording a lesson: every action from now on becomes a step (File > Stop recording)"));
  return true;
}

std::string LabApp::stop_recording() {
  if (!recording_ || !session_) {
    error_ = tr("Record a lesson: nothing is being recorded");
    return "";
  }
  recording_ = false;
  lesson::Recording r;
  r.scenario = session_->scenario();
  r.seed = session_->seed();
  r.params = session_->params();
  r.log = session_->world().command_log();
  r.end_us = session_->world().now();
  std::string err;
  auto text = lesson::lesson_from_recording(r, &err);
  if (!text) {
    error_ = "Record a lesson: " + err;
    log_line(error_);
    return "";
  }
  log_line(format_msg(trn("recorded a lesson: %zu step", "recorded a lesson: %zu steps", static_cast<long>(r.log.size() + 1)), r.log.size() + 1));
  return *text;
}

bool LabApp::catalogue_shows(const lesson::CatalogEntry& e) const {
  return catalogue_topic_.empty() || std::find(e.tags.begin(), e.tags.end(), catalogue_topic_) != e.tags.end();
}

std::vector<std::string> LabApp::catalogue_topics() const {
  std::set<std::string> all;
  for (const auto& e : catalogue_) all.insert(e.tags.begin(), e.tags.end());
  std::vector<std::string> v(all.begin(), all.end());
  std::sort(v.begin(), v.end(), [](const std::string& a, const std::string& b) { return std::string(tr(a.c_str())) < tr(b.c_str()); });
  return v;
}

std::string LabApp::catalogue_json() const {
  std::ostringstream o;
  o << "{\"shown\":" << (show_catalogue_ ? "true" : "false") << ",\"bundled_dir\":" << json_quote(bundled_lesson_dir())
    << ",\"data_dir\":" << json_quote(opt_.data_dir)
    << ",\"lessons_dir\":" << json_quote(opt_.lessons_dir) << ",\"lessons\":[";
  for (size_t i = 0; i < catalogue_.size(); ++i) {
    const auto& e = catalogue_[i];
    int step = 0;
    bool done = false;
    saved_progress(store_.get(), e, &step, &done);   // state(): the store as it is now
    const std::string words = progress_words(store_.get(), e, &step, &done);
    o << (i ? "," : "") << "{\"id\":" << json_quote(e.id) << ",\"title\":" << json_quote(e.title)
      << ",\"source\":" << json_quote(e.source) << ",\"steps\":" << e.steps << ",\"progress\":" << json_quote(words)
      << ",\"error\":" << json_quote(e.error) << ",\"listed\":" << (catalogue_shows(e) ? "true" : "false") << "}";
  }
  o << "],\"topic\":" << json_quote(catalogue_topic_) << ",\"continue\":";
  std::optional<lesson::ProgressStore::Last> last = store_ ? store_->last() : std::nullopt;
  const lesson::CatalogEntry* e = last ? lesson::find_lesson(catalogue_, last->id) : nullptr;
  if (last && (!e || static_cast<size_t>(last->step) <= e->steps))
    o << "{\"id\":" << json_quote(last->id) << ",\"title\":" << json_quote(e ? e->title : last->id)
      << ",\"step\":" << last->step << ",\"steps\":" << (e ? e->steps : 0) << "}";
  else
    o << "null";
  o << "}";
  return o.str();
}

void LabApp::draw_catalogue() {
  if (!show_catalogue_) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const ImVec2 size(std::min(vp->WorkSize.x * 0.9f, 980.0f), vp->WorkSize.y * 0.88f);
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                          ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(size, ImGuiCond_Always);
  if (focus_catalogue_) {
    ImGui::SetNextWindowFocus();
    focus_catalogue_ = false;
  }
  bool open = true;
  ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
  bg.w = 1.0f;   // opaque: the world behind it does not show through the text
  ImGui::PushStyleColor(ImGuiCol_WindowBg, bg);
  const bool visible = ImGui::Begin(tr("Lessons###catalogue"), &open, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                                                     ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize);
  ImGui::PopStyleColor();
  if (!visible) {
    ImGui::End();
    return;
  }
  const float em = ImGui::GetFontSize();
  ImGui::TextWrapped(tr("Welcome to Topolab. Pick a lesson: each one is a short, hands-on walk through how a "
                     "distributed system or a microservice architecture behaves when things go wrong."));
  ImGui::Spacing();

  // Continue where you left off.
  const std::optional<lesson::ProgressStore::Last>& last = catalogue_last_;
  if (last) {
    const lesson::CatalogEntry* e = lesson::find_lesson(catalogue_, last->id);
    if (e && static_cast<size_t>(last->step) <= e->steps) {
      const std::string label =
          format_msg(tr("Continue: %s, step %d of %zu"), e->title.c_str(), last->step, e->steps) + "###continue";
      ImGui::PushStyleColor(ImGuiCol_Button, palette::blue);
      if (ImGui::Button(label.c_str(), ImVec2(-1, em * 2.2f))) open_catalogue_lesson(e->id, 0);
      ImGui::PopStyleColor();
    }
  }

  // Free play and a lesson file of one's own.
  {
    const auto& all = scenarios();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tr("Free play:"));
    ImGui::SameLine();
    if (!all.empty()) {
      if (free_play_pick_ < 0)   // first time: a real cluster rather than the placeholder world
        for (int i = 0; i < static_cast<int>(all.size()); ++i)
          if (all[i].name == "raft-5") free_play_pick_ = i;
      free_play_pick_ = std::clamp(free_play_pick_, 0, static_cast<int>(all.size()) - 1);
      ImGui::SetNextItemWidth(em * 12);
      if (ImGui::BeginCombo("##freeplay", all[free_play_pick_].name.c_str())) {
        for (int i = 0; i < static_cast<int>(all.size()); ++i) {
          if (ImGui::Selectable(all[i].name.c_str(), i == free_play_pick_)) free_play_pick_ = i;
          if (ImGui::IsItemHovered() && !all[i].summary.empty()) ImGui::SetTooltip("%s", tr(all[i].summary.c_str()));
        }
        ImGui::EndCombo();
      }
      ImGui::SameLine();
      if (ImGui::Button(tr("Explore this world"))) {
        close_lesson();
        close_compare();
        if (open_scenario(all[free_play_pick_].name, opt_.seed)) show_catalogue_ = false;
      }
    }
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tr("Open a lesson file:"));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(std::max(em * 10, ImGui::GetContentRegionAvail().x - em * 5));
    char buf[1024];
    std::snprintf(buf, sizeof buf, "%s", open_path_.c_str());
    const bool enter = ImGui::InputTextWithHint("##openpath", tr("/path/to/lesson.toml (or drop the file on this window)"),
                                                buf, sizeof buf, ImGuiInputTextFlags_EnterReturnsTrue);
    open_path_ = buf;
    ImGui::SameLine();
    if ((ImGui::Button(tr("Open")) || enter) && !open_path_.empty()) open_lesson_file(open_path_, 0);
  }
  if (!error_.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette::vermillion);
    ImGui::TextWrapped(tr("Problem: %s"), error_.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::Separator();

  // Topics: the lessons' tags in words; picking one lists only the lessons about it.
  const std::vector<std::string> topics = catalogue_topics();
  if (topics.size() > 1) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tr("Topic:"));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(em * 14);
    if (ImGui::BeginCombo("##topic", catalogue_topic_.empty() ? tr("All topics") : tr(catalogue_topic_.c_str()))) {
      if (ImGui::Selectable(tr("All topics"), catalogue_topic_.empty())) catalogue_topic_.clear();
      for (const auto& t : topics)
        if (ImGui::Selectable(tr(t.c_str()), t == catalogue_topic_)) catalogue_topic_ = t;
      ImGui::EndCombo();
    }
    if (!catalogue_topic_.empty()) {
      size_t n = 0;
      for (const auto& e : catalogue_) n += catalogue_shows(e) ? 1 : 0;
      ImGui::SameLine();
      ImGui::TextDisabled("%s", format_msg(trn("%zu lesson", "%zu lessons", static_cast<long>(n)), n).c_str());
    }
  }

  // The lessons.
  const float footer = ImGui::GetFrameHeightWithSpacing() * 2.2f;
  ImGui::BeginChild("catalogue_list", ImVec2(0, -footer));
  std::string section;
  for (size_t i = 0; i < catalogue_.size(); ++i) {
    const auto& e = catalogue_[i];
    if (!catalogue_shows(e)) continue;
    if (e.source != section) {
      section = e.source;
      if (section == "bundled") ImGui::SeparatorText(tr("Lessons"));
      else ImGui::SeparatorText(format_msg(tr("Your lessons (%s)"), opt_.lessons_dir.c_str()).c_str());
    }
    ImGui::PushID(static_cast<int>(i));
    const int step = catalogue_progress_[i].first;
    const bool done = catalogue_progress_[i].second;
    const std::string words = progress_words(store_.get(), e, &step, &done, true);
    const bool mid = step >= 1 && static_cast<size_t>(step) <= e.steps;
    const char* verb = !e.error.empty() ? tr("Cannot open") : mid ? tr("Continue") : done ? tr("Again") : tr("Start");
    ImGui::BeginDisabled(!e.error.empty());
    if (ImGui::Button(verb, ImVec2(em * 6.5f, 0))) open_catalogue_lesson(e.id, mid ? 0 : 1);
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::PushStyleColor(ImGuiCol_Text, palette::sky_blue);
    ImGui::TextWrapped("%s", e.title.c_str());
    ImGui::PopStyleColor();
    if (!e.error.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, palette::vermillion);
      ImGui::TextWrapped(tr("This file is not a valid lesson: %s"), e.error.c_str());
      ImGui::PopStyleColor();
    } else {
      std::string meta = e.level.empty() ? std::string() : tr(e.level.c_str());
      if (e.minutes > 0) meta += (meta.empty() ? "" : ", ") + format_msg(tr("%d min"), e.minutes);
      meta += (meta.empty() ? "" : ", ") + format_msg(trn("%zu step", "%zu steps", static_cast<long>(e.steps)), e.steps);
      if (!words.empty()) meta += "  |  " + words;
      ImGui::TextDisabled("%s", meta.c_str());
      if (!e.summary.empty()) ImGui::TextWrapped("%s", e.summary.c_str());
      if (!e.tags.empty()) {
        std::string words;
        for (const auto& t : e.tags) words += (words.empty() ? "" : ", ") + std::string(tr(t.c_str()));
        ImGui::TextDisabled(tr("Topics: %s"), words.c_str());
      }
    }
    ImGui::EndGroup();
    ImGui::Spacing();
    ImGui::PopID();
  }
  if (!opt_.lessons_dir.empty() && section != "yours") {
    ImGui::SeparatorText(tr("Your lessons"));
    ImGui::TextWrapped(tr("Put lesson files (.toml) in %s and they appear here. lessons/FORMAT.md says how to write one."),
                       opt_.lessons_dir.c_str());
  }
  ImGui::EndChild();

  // Footer: where progress lives, and resetting it between classes.
  ImGui::Separator();
  if (store_) {
    ImGui::TextDisabled(tr("Your progress is saved in %s"), store_->dir().c_str());
    if (ImGui::Button(tr("Reset all progress..."))) ImGui::OpenPopup(tr("Reset progress?"));
    if (ImGui::BeginPopupModal(tr("Reset progress?"), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
      ImGui::TextUnformatted(tr("Forget every lesson's progress on this computer (for this user)?"));
      if (ImGui::Button(tr("Reset"))) {
        const int n = store_->reset_all();
        saved_blob_.clear();
        saved_id_.clear();
        log_line("progress reset (" + std::to_string(n) + " file(s) removed)");
        refresh_catalogue();
        ImGui::CloseCurrentPopup();
      }
      ImGui::SameLine();
      if (ImGui::Button(tr("Keep it"))) ImGui::CloseCurrentPopup();
      ImGui::EndPopup();
    }
    ImGui::SameLine();
  }
  if (ImGui::Button(tr("Close"))) open = false;
  if (ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) && ImGui::IsKeyPressed(ImGuiKey_Escape, false) &&
      !ImGui::IsPopupOpen(tr("Reset progress?")))
    open = false;
  ImGui::End();
  if (!open) show_catalogue_ = false;
}

}  // namespace topo::ui
