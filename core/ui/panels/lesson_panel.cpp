// The lesson player (the left pane): the lesson picker, the step text, quiz and predict choices, tasks, goals, hints, Back/Next.
#include "ui/lab_app_internal.h"

#include <sstream>

#include "lesson/markdown.h"
#include "lesson/text.h"
#include "util/json.h"
#include "ui/tr.h"

namespace topo::ui {

using namespace detail;

void LabApp::draw_lesson_picker() {
  if (ImGui::MenuItem(tr("All lessons..."))) show_catalogue(true);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("The lesson catalogue: levels, minutes, your progress, your own lessons"));
  ImGui::Separator();
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(bundled_lesson_dir(), ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".toml") files.push_back(it->path());
  std::sort(files.begin(), files.end());
  if (files.empty()) ImGui::TextDisabled(tr("no lessons found in %s"), bundled_lesson_dir().c_str());
  for (const auto& f : files)
    if (ImGui::MenuItem(f.stem().string().c_str())) open_lesson_file(f.string(), 0);
  if (runner_) {
    ImGui::Separator();
    if (ImGui::MenuItem(tr("Reload lesson (from step 1)"))) reload_lesson(true);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Read the lesson file again and start over: for teachers editing a lesson"));
    if (ImGui::MenuItem(tr("Reload this step from the file"))) reload_lesson(false);
    if (ImGui::MenuItem(tr("Close the lesson"))) close_lesson();
  }
}

void LabApp::draw_lesson() {
  lesson::Runner& r = *runner_;
  const lesson::Lesson& L = r.lesson();
  ImGui::TextWrapped("%s", L.title.c_str());
  if (r.finished()) {
    ImGui::Separator();
    ImGui::PushStyleColor(ImGuiCol_Text, palette::green);
    ImGui::TextWrapped(tr("Lesson complete. Well done!"));
    ImGui::PopStyleColor();
    ImGui::TextWrapped(tr("Pick another lesson from the Lessons menu, or keep experimenting with this world."));
    return;
  }
  const lesson::Step& st = r.step();
  const lesson::StepState& ss = r.state();
  ImGui::TextDisabled(tr("Step %zu of %zu"), r.step_index() + 1, r.step_count());
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
    const char* mark = g == lesson::Gate::Done ? tr("[done]") : g == lesson::Gate::Failed ? tr("[missed]") : "[ .. ]";
    ImU32 col = g == lesson::Gate::Done ? palette::green : g == lesson::Gate::Failed ? palette::vermillion : text_color();
    ImGui::PushStyleColor(ImGuiCol_Text, col);
    ImGui::TextWrapped("%s %s: %s", mark, what, text.c_str());
    ImGui::PopStyleColor();
  };
  if (st.predict) {
    ImGui::Spacing();
    ImGui::SeparatorText(tr("Predict"));
    ImGui::TextWrapped("%s", st.predict->question.c_str());
    for (size_t i = 0; i < st.predict->choices.size(); ++i) {
      const auto& c = st.predict->choices[i];
      bool picked = ss.predict_answer == static_cast<int>(i);
      if (ss.predict_answer < 0) {
        if (wrapped_choice(("##p" + std::to_string(i)).c_str(), c.text)) r.answer_predict(static_cast<int>(i));
      } else {
        bool happened = ss.predict_outcome == static_cast<int>(i);
        ImGui::TextWrapped("%s %s%s", picked ? tr("(you)") : "     ", c.text.c_str(), happened ? tr("   <- what happened") : "");
        if ((picked || happened) && ss.predict_outcome >= 0 && !c.explain.empty()) ImGui::TextDisabled("%s", r.fill(c.explain).c_str());
      }
    }
    if (ss.predict_answer >= 0 && ss.predict_outcome < 0) ImGui::TextDisabled(tr("Watching what the simulation does..."));
    if (ss.phase == lesson::Phase::Predict)
      for (const lesson::Hint* h : r.hints_due()) ImGui::TextWrapped(tr("Hint: %s"), r.fill(h->text).c_str());
  }
  if (st.task) {
    ImGui::Spacing();
    ImGui::SeparatorText(tr("Your turn"));
    gate_line(tr("task"), ss.task, r.fill(st.task->prompt));
    for (const lesson::Hint* h : r.hints_due()) ImGui::TextWrapped(tr("Hint: %s"), r.fill(h->text).c_str());
    if (ss.task != lesson::Gate::Done && !st.task->solution.empty() && ImGui::SmallButton(tr("Show me"))) r.apply_solution();
  }
  if (st.wait) gate_line(tr("waiting"), ss.wait, st.wait->text.empty() ? st.wait->until.text : r.fill(st.wait->text));
  if (st.goal) {
    gate_line(tr("goal"), ss.goal, st.goal->text.empty() ? st.goal->check.text : r.fill(st.goal->text));
    ImGui::ProgressBar(static_cast<float>(ss.goal_progress), ImVec2(-1, 0));
    if (ss.phase == lesson::Phase::Goal)
      for (const lesson::Hint* h : r.hints_due()) ImGui::TextWrapped(tr("Hint: %s"), r.fill(h->text).c_str());
  }
  if (st.quiz) {
    ImGui::Spacing();
    ImGui::SeparatorText(tr("Quiz"));
    ImGui::TextWrapped("%s", st.quiz->question.c_str());
    for (size_t i = 0; i < st.quiz->choices.size(); ++i) {
      const auto& c = st.quiz->choices[i];
      bool picked = ss.quiz_answer == static_cast<int>(i);
      if (ImGui::RadioButton((c.text + "##q" + std::to_string(i)).c_str(), picked)) r.answer_quiz(static_cast<int>(i));
      if (picked) {
        ImGui::PushStyleColor(ImGuiCol_Text, c.correct ? palette::green : palette::orange);
        ImGui::TextWrapped("%s %s", c.correct ? tr("Right.") : tr("Not quite."), r.fill(c.explain).c_str());
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
  if (ImGui::Button(tr("Back")) && r.step_index() > 0) {
    const std::string text = lesson_text_, name = lesson_name_, path = lesson_path_;
    const int target = static_cast<int>(r.step_index());
    if (open_lesson_text(name, text, target)) lesson_path_ = path;
    return;
  }
  ImGui::SameLine();
  const bool can_next = r.step_complete();
  if (!can_next) ImGui::BeginDisabled();
  if (ImGui::Button(r.step_index() + 1 == r.step_count() ? tr("Finish") : tr("Next"))) r.next();
  if (!can_next) ImGui::EndDisabled();
}

}  // namespace topo::ui

namespace topo::ui {

namespace {

// Lesson text as the page's HTML (lesson/markdown.h: escaped, safe links only). Inline pieces
// (a choice, a hint) lose the paragraph around them when they are one paragraph.
std::string html_block(const std::string& text, int heading_base = 3) {
  lesson::HtmlOptions o;
  o.heading_base = heading_base;
  return lesson::to_html(text, o);
}
std::string html_inline(const std::string& text) {
  std::string h = lesson::to_html(text);
  if (h.size() >= 7 && h.compare(0, 3, "<p>") == 0 && h.compare(h.size() - 4, 4, "</p>") == 0 &&
      h.find("<p>", 3) == std::string::npos)
    h = h.substr(3, h.size() - 7);
  return h;
}
// The hints due now when `phase` is the part running, as a JSON list of inline HTML.
std::string hints_json(const lesson::Runner& r, lesson::Phase phase) {
  std::string out = "[";
  if (r.state().phase == phase)
    for (const lesson::Hint* h : r.hints_due()) out += (out.size() > 1 ? "," : "") + util::json_quote(html_inline(r.fill(h->text)));
  return out + "]";
}
const char* gate_name(lesson::Gate g) {
  switch (g) {
    case lesson::Gate::Done: return "done";
    case lesson::Gate::Failed: return "missed";
    case lesson::Gate::Active: return "active";
    case lesson::Gate::Pending: return "pending";
    default: return "none";
  }
}

}  // namespace

// Everything draw_lesson() shows, as data: the page's HTML lesson player renders it and sends the
// learner's answers and moves back through the same hooks (ui.answer, ui.solution, ui.next,
// ui.lesson_step), so both players always agree. Text comes from the runner (placeholders filled
// in) and becomes HTML in the core: the page never parses lesson Markdown.
std::string LabApp::lesson_json() const {
  using util::json_quote;
  std::ostringstream o;
  if (!runner_) return "null";
  const lesson::Runner& r = *runner_;
  const lesson::Lesson& L = r.lesson();
  o << "{\"id\":" << json_quote(L.id) << ",\"title\":" << json_quote(L.title) << ",\"file\":" << json_quote(lesson_name_)
    << ",\"step\":" << r.step_index() + 1 << ",\"steps\":" << r.step_count()
    << ",\"complete\":" << (r.finished() ? "true" : "false");
  if (r.finished()) {
    o << ",\"step_complete\":false,\"can_back\":true}";
    return o.str();
  }
  const lesson::Step& st = r.step();
  const lesson::StepState& ss = r.state();
  o << ",\"step_complete\":" << (r.step_complete() ? "true" : "false") << ",\"can_back\":" << (r.step_index() > 0 ? "true" : "false")
    << ",\"last\":" << (r.step_index() + 1 == r.step_count() ? "true" : "false")
    << ",\"step_title\":" << json_quote(st.title) << ",\"html\":" << json_quote(html_block(r.text()));
  if (st.predict) {
    const bool resolved = ss.predict_outcome >= 0;
    o << ",\"predict\":{\"question\":" << json_quote(html_inline(st.predict->question))
      << ",\"answer\":" << ss.predict_answer << ",\"outcome\":" << ss.predict_outcome << ",\"status\":\"" << gate_name(ss.predict)
      << "\",\"choices\":[";
    for (size_t i = 0; i < st.predict->choices.size(); ++i) {
      const auto& c = st.predict->choices[i];
      const bool show = resolved && (ss.predict_answer == static_cast<int>(i) || ss.predict_outcome == static_cast<int>(i));
      o << (i ? "," : "") << "{\"html\":" << json_quote(html_inline(c.text))
        << ",\"explain\":" << json_quote(show ? html_inline(r.fill(c.explain)) : std::string()) << "}";
    }
    o << "],\"hints\":" << hints_json(r, lesson::Phase::Predict) << "}";
  } else {
    o << ",\"predict\":null";
  }
  if (st.task) {
    o << ",\"task\":{\"prompt\":" << json_quote(html_inline(r.fill(st.task->prompt))) << ",\"status\":\"" << gate_name(ss.task)
      << "\",\"show_me\":" << (ss.task != lesson::Gate::Done && !st.task->solution.empty() ? "true" : "false")
      << ",\"hints\":" << hints_json(r, lesson::Phase::Task) << "}";
  } else {
    o << ",\"task\":null";
  }
  if (st.wait)
    o << ",\"wait\":{\"text\":" << json_quote(html_inline(st.wait->text.empty() ? st.wait->until.text : r.fill(st.wait->text)))
      << ",\"status\":\"" << gate_name(ss.wait) << "\"}";
  else
    o << ",\"wait\":null";
  if (st.goal)
    o << ",\"goal\":{\"text\":" << json_quote(html_inline(st.goal->text.empty() ? st.goal->check.text : r.fill(st.goal->text)))
      << ",\"status\":\"" << gate_name(ss.goal) << "\",\"progress\":" << lesson::format_number(ss.goal_progress)
      << ",\"hints\":" << hints_json(r, lesson::Phase::Goal) << "}";
  else
    o << ",\"goal\":null";
  if (st.quiz) {
    o << ",\"quiz\":{\"question\":" << json_quote(html_inline(st.quiz->question)) << ",\"answer\":" << ss.quiz_answer
      << ",\"status\":\"" << gate_name(ss.quiz) << "\",\"choices\":[";
    for (size_t i = 0; i < st.quiz->choices.size(); ++i) {
      const auto& c = st.quiz->choices[i];
      const bool picked = ss.quiz_answer == static_cast<int>(i);
      o << (i ? "," : "") << "{\"html\":" << json_quote(html_inline(c.text));
      if (picked) o << ",\"correct\":" << (c.correct ? "true" : "false") << ",\"explain\":" << json_quote(html_inline(r.fill(c.explain)));
      o << "}";
    }
    o << "]}";
  } else {
    o << ",\"quiz\":null";
  }
  o << ",\"failures\":[";
  for (size_t i = 0; i < ss.failures.size(); ++i) o << (i ? "," : "") << json_quote(ss.failures[i]);
  o << "]}";
  return o.str();
}

}  // namespace topo::ui
