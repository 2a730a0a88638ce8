// The page and test hooks: state_json() and command_json() (docs/hooks.md).
#include "models/narration.h"
#include "ui/lab_app_internal.h"
#include "ui/tr.h"
#include <algorithm>

namespace topo::ui {

using namespace detail;

std::string LabApp::state_json() const {
  std::ostringstream o;
  o << "{\"version\":" << json_quote(TOPOLAB_VERSION);
  o << ",\"frames\":" << frames_;
  o << ",\"playing\":" << (playing_ ? "true" : "false") << ",\"speed\":" << speed_;
  o << ",\"error\":" << json_quote(error_);
  o << ",\"language\":" << json_quote(i18n::language()) << ",\"recording\":" << (recording_ ? "true" : "false");
  o << ",\"catalogue\":" << catalogue_json();
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
      << ",\"params\":" << json_quote(params_text(runner_ ? Params{} : session_->params()))
      << ",\"time_us\":" << w.now() << ",\"log\":";
    o << json_quote(Session::log_text(w)) << "}";
    o << ",\"models\":[";
    for (size_t i = 0; i < w.models().size(); ++i) o << (i ? "," : "") << w.models()[i]->state_json();
    o << "]";
    o << ",\"selected\":" << (canvas_.selected >= 0 && static_cast<size_t>(canvas_.selected) < w.nodes().size()
                                  ? json_quote(w.node(canvas_.selected).name) : std::string("null"));
    o << ",\"inspector\":" << inspector_json(w, canvas_, canvas_.selected);
    if (const auto* n = w.find_model<Narration>()) o << ",\"narration\":" << Narration::lines_json(n->lines_now(w));
    o << ",\"comfort\":{\"reduced_motion\":" << (reduced_motion_ ? "true" : "false") << ",\"text_scale\":" << text_scale_ << "}";
    o << ",\"description\":{\"id\":" << description_id_ << ",\"text\":" << json_quote(description_) << "}";
  }
  // Side by side: free play's two worlds, or a compare lesson's (each through its Session).
  const Session* pair[2] = {nullptr, nullptr};
  if (twin_ && session_ && !runner_) {
    pair[0] = session_.get();
    pair[1] = twin_.get();
  } else if (lesson_side(1) && runner_->host().side(0)->session() && runner_->host().side(1)->session()) {
    pair[0] = runner_->host().side(0)->session();
    pair[1] = runner_->host().side(1)->session();
  }
  if (pair[0])
    o << ",\"compare\":{\"left\":" << world_brief_json(*pair[0], canvas_) << ",\"right\":" << world_brief_json(*pair[1], twin_canvas_)
      << ",\"titles\":[" << json_quote(compare_title_[0]) << "," << json_quote(compare_title_[1]) << "]"
      << ",\"lesson\":" << (runner_ ? "true" : "false") << ",\"tools_world\":" << json_quote(tools_world_)
      << ",\"inspected\":" << json_quote(lesson::side_name(inspected_side_)) << "}";
  else
    o << ",\"compare\":null";
  // What the last frame drew (CSS pixels of the page = ImGui coordinates), for tests and tools.
  {
    const bool two = pair[0] != nullptr;
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
    if (two) add_edges("right", twin_canvas_, &pair[1]->world());
    o << edges << "]";
  }
  o << "}";
  return o.str();
}

namespace {

std::string fail(const std::string& e) { return "{\"ok\":false,\"error\":" + json_quote(e) + "}"; }
const std::string kOk = "{\"ok\":true}";

}  // namespace

double LabApp::HookArgs::num(const char* key, double fallback) const {
  auto f = m.find(key);
  if (f == m.end()) return fallback;
  try { return std::stod(f->second); } catch (...) { return fallback; }
}

std::string LabApp::HookArgs::str(const char* key) const {
  auto f = m.find(key);
  return f == m.end() ? std::string() : f->second;
}

std::string LabApp::command_json(const std::string& json) {
  std::string err;
  auto m = parse_flat_json(json, &err);
  if (!m) return fail("bad command JSON: " + err);
  auto it = m->find("op");
  if (it == m->end()) return fail("the command has no \"op\"");
  const std::string op = it->second;
  m->erase(it);
  track_step();
  if (hooks_.empty()) register_hooks();
  if (auto h = hooks_.find(op); h != hooks_.end()) return h->second(HookArgs{*m});
  if (op.rfind("ui.", 0) == 0) {
    std::string known;
    for (const auto& [name, fn] : hooks_) known += (known.empty() ? "" : ", ") + name;
    return fail("unknown app control \"" + op + "\" (known: " + known + ")");
  }
  // Anything else is a world Command, applied as a lesson's `do` would be.
  if (!world()) return fail("no world is open");
  Command c{op, {}};
  int side = 0;
  for (auto& [k, v] : *m) {
    if (k == "world") side = v == "right" ? 1 : 0;   // side by side: the world the command is aimed at
    if (k != "world" || lesson_side(1)) c.args[k] = v;   // a compare lesson's runner reads "world" itself
  }
  CommandResult r = runner_ ? apply(c) : apply_to(c, side);
  return r.ok ? kOk : fail(r.error);
}

void LabApp::register_hooks() {
  hooks_["ui.comfort"] = [this](const HookArgs& h) -> std::string {
    // Comfort settings from the page: {"reduced_motion": true|false, "text_scale": 0.75..2}.
    if (h.m.count("reduced_motion")) reduced_motion_ = h.str("reduced_motion") == "true" || h.str("reduced_motion") == "1";
    if (h.m.count("text_scale")) {
      const double sc = h.num("text_scale", -1);
      if (!(sc >= 0.75 && sc <= 2.0)) return fail("ui.comfort: text_scale must be between 0.75 and 2");
      set_text_scale(static_cast<float>(sc));
    }
    return kOk;
  };
  hooks_["ui.describe"] = [this](const HookArgs&) -> std::string {
    if (!world()) return fail("no world is open");
    key_describe();
    return "{\"ok\":true,\"text\":" + json_quote(description_) + "}";
  };
  hooks_["ui.play"] = [this](const HookArgs& h) -> std::string {
    playing_ = true; return kOk;
  };
  hooks_["ui.pause"] = [this](const HookArgs& h) -> std::string {
    playing_ = false; return kOk;
  };
  hooks_["ui.speed"] = [this](const HookArgs& h) -> std::string {
    double v = h.num("value", -1);
    if (!(v >= 0.01 && v <= 100)) return fail("ui.speed: value must be between 0.01 and 100");
    speed_ = v;
    return kOk;
  };
  hooks_["ui.scenario"] = [this](const HookArgs& h) -> std::string {
    auto n = h.m.find("name");
    if (n == h.m.end()) return fail("ui.scenario: missing \"name\"");
    if (!find_scenario(n->second)) return fail("ui.scenario: unknown scenario \"" + n->second + "\"");
    close_lesson();
    close_compare();
    return open_scenario(n->second, static_cast<uint64_t>(h.num("seed", static_cast<double>(opt_.seed)))) ? kOk : fail(error_);
  };
  hooks_["ui.compare"] = [this](const HookArgs& h) -> std::string {
    std::string e1, e2;
    Params lp = parse_params_text(h.str("left_params"), &e1), rp = parse_params_text(h.str("right_params"), &e2);
    if (!e1.empty() || !e2.empty()) return fail("ui.compare: " + e1 + e2);
    if (h.str("left").empty() || h.str("right").empty()) return fail("ui.compare: needs \"left\" and \"right\" scenarios");
    return open_compare(h.str("left"), lp, h.str("right"), rp, static_cast<uint64_t>(h.num("seed", static_cast<double>(opt_.seed))))
               ? kOk : fail(error_);
  };
  hooks_["ui.tools_world"] = [this](const HookArgs& h) -> std::string {
    const std::string v = h.str("value");
    if (!lesson_side(1)) return fail("ui.tools_world: no compare lesson is open");
    if (v != "left" && v != "right" && v != "both") return fail("ui.tools_world: \"left\", \"right\" or \"both\", not \"" + v + "\"");
    tools_world_ = v;
    return kOk;
  };
  hooks_["ui.compare_off"] = [this](const HookArgs& h) -> std::string {
    close_compare();
    return kOk;
  };
  hooks_["ui.key"] = [this](const HookArgs& h) -> std::string {
    const std::string k = h.str("key");
    if (k == "space") key_space();
    else if (k == "left") key_left();
    else if (k == "right") key_right();
    else if (k == "plus") key_speed(true);
    else if (k == "minus") key_speed(false);
    else if (k == "f") key_fit();
    else return fail("ui.key: key must be space, left, right, plus, minus or f");
    return kOk;
  };
  hooks_["ui.reload_lesson"] = [this](const HookArgs& h) -> std::string {
    if (!runner_) return fail("ui.reload_lesson: no lesson is open");
    return reload_lesson(h.str("from") != "step") ? kOk : fail(error_);
  };
  hooks_["ui.tab"] = [this](const HookArgs& h) -> std::string {
    static const char* kTabs[] = {"Inspector", "Tools", "Charts", "History", "Event log"};
    for (const char* t : kTabs)
      if (h.str("name") == t) { tab_request_ = t; return kOk; }
    return fail("ui.tab: name must be Inspector, Tools, Charts, History or Event log");
  };
  hooks_["ui.select"] = [this](const HookArgs& h) -> std::string {
    const World* w = world();
    if (!w) return fail("no world is open");
    if (h.str("node").empty()) { canvas_.selected = kNoNode; return kOk; }
    auto id = w->find_node(h.str("node"));
    if (!id) return fail("ui.select: no node \"" + h.str("node") + "\"");
    canvas_.selected = *id;
    return kOk;
  };
  hooks_["ui.language"] = [this](const HookArgs& h) -> std::string {
    return "{\"ok\":true,\"language\":" + json_quote(set_language(h.str("lang"))) + "}";
  };
  hooks_["ui.record_start"] = [this](const HookArgs&) -> std::string { return start_recording() ? kOk : fail(error_); };
  hooks_["ui.record_stop"] = [this](const HookArgs&) -> std::string {
    const std::string text = stop_recording();
    return text.empty() ? fail(error_) : "{\"ok\":true,\"text\":" + json_quote(text) + "}";
  };
  hooks_["ui.catalogue"] = [this](const HookArgs& h) -> std::string {
    show_catalogue(h.num("show", 1) != 0);
    return kOk;
  };
  hooks_["ui.catalogue_topic"] = [this](const HookArgs& h) -> std::string {
    const std::string name = h.str("name");
    const auto topics = catalogue_topics();
    if (!name.empty() && std::find(topics.begin(), topics.end(), name) == topics.end()) {
      std::string list;
      for (const auto& t : topics) list += (list.empty() ? "" : ", ") + t;
      return fail("ui.catalogue_topic: no lesson is about \"" + name + "\" (topics: " + list + ")");
    }
    catalogue_topic_ = name;
    return kOk;
  };
  hooks_["ui.open_catalogue_lesson"] = [this](const HookArgs& h) -> std::string {
    return open_catalogue_lesson(h.str("id"), static_cast<int>(h.num("step", 0))) ? kOk : fail(error_);
  };
  hooks_["ui.save_replay"] = [this](const HookArgs& h) -> std::string {
    const std::string file = save_replay(h.str("path"));
    return file.empty() ? fail(error_) : "{\"ok\":true,\"file\":" + json_quote(file) + "}";
  };
  hooks_["ui.open_lesson"] = [this](const HookArgs& h) -> std::string {
    if (h.str("path").empty()) return fail("ui.open_lesson: missing \"path\"");
    return open_lesson_file(h.str("path"), static_cast<int>(h.num("step", 1))) ? kOk : fail(error_);
  };
  hooks_["ui.open_lesson_text"] = [this](const HookArgs& h) -> std::string {
    std::string name = h.str("name").empty() ? "lesson.toml" : h.str("name");
    return open_lesson_text(name, h.str("text"), static_cast<int>(h.num("step", 1))) ? kOk : fail(error_);
  };
  hooks_["ui.restore_progress"] = [this](const HookArgs& h) -> std::string {
    if (!runner_) return fail("ui.restore_progress: no lesson is open");
    const std::string text = lesson_text_, name = lesson_name_, path = lesson_path_;
    if (!open_lesson_text(name, text, 1, h.str("blob"))) return fail(error_);
    lesson_path_ = path;
    return kOk;
  };
  auto lesson_step = [this](const std::string& op, const HookArgs& h) -> std::string {
    if (!runner_) return fail(op + ": no lesson is open");
    const std::string text = lesson_text_, name = lesson_name_, path = lesson_path_;
    int step = op == "ui.lesson_step" ? static_cast<int>(h.num("step", 1)) : 1;
    if (step < 1 || static_cast<size_t>(step) > runner_->step_count()) return fail(op + ": step must be between 1 and " + std::to_string(runner_->step_count()));
    if (!open_lesson_text(name, text, step)) return fail(error_);
    lesson_path_ = path;
    return kOk;
  };
  hooks_["ui.reset_progress"] = [lesson_step](const HookArgs& h) { return lesson_step("ui.reset_progress", h); };
  hooks_["ui.lesson_step"] = [lesson_step](const HookArgs& h) { return lesson_step("ui.lesson_step", h); };
  hooks_["ui.answer"] = [this](const HookArgs& h) -> std::string {
    if (!runner_ || runner_->finished()) return fail("ui.answer: no lesson step is open");
    int choice = static_cast<int>(h.num("choice", -1));
    const auto& st = runner_->step();
    if (runner_->awaiting_predict() && st.predict) {
      if (choice < 0 || static_cast<size_t>(choice) >= st.predict->choices.size()) return fail("ui.answer: no such choice");
      runner_->answer_predict(choice);
      return kOk;
    }
    if (!st.quiz) return fail("ui.answer: this step has no quiz or open prediction");
    if (choice < 0 || static_cast<size_t>(choice) >= st.quiz->choices.size()) return fail("ui.answer: no such choice");
    bool correct = runner_->answer_quiz(choice);
    return std::string("{\"ok\":true,\"correct\":") + (correct ? "true" : "false") + "}";
  };
  hooks_["ui.lesson"] = [this](const HookArgs&) -> std::string {
    // The lesson player's content for the page's HTML player (docs/hooks.md): null without a lesson.
    std::ostringstream pane;
    pane << ",\"pane\":{\"x\":" << lesson_pane_pos_.x << ",\"y\":" << lesson_pane_pos_.y << ",\"w\":" << lesson_pane_size_.x
         << ",\"h\":" << lesson_pane_size_.y << "},\"scenario\":" << json_quote(!world() ? std::string() : runner_ ? runner_->lesson().scenario.name : session_->scenario());
    return "{\"ok\":true,\"lesson\":" + lesson_json() + pane.str() + "}";
  };
  hooks_["ui.actions"] = [this](const HookArgs&) -> std::string {
    // Every action of the world with its parameters, the model's own first (the Actions form's
    // order): the page's keyboard-operable action form is built from it (docs/hooks.md).
    const World* w = world();
    if (!w) return fail("ui.actions: no world is open");
    std::string o = "{\"ok\":true,\"actions\":[";
    bool first = true;
    for (const CommandSpec* s : form_actions(*w, {})) {
      o += first ? "{" : ",{";
      first = false;
      o += "\"op\":" + json_quote(s->op) + ",\"help\":" + json_quote(tr(s->help.c_str())) + ",\"params\":[";
      for (size_t i = 0; i < s->params.size(); ++i) {
        const CommandParam& p = s->params[i];
        o += (i ? ",{" : "{") + std::string("\"name\":") + json_quote(p.name) + ",\"type\":" + json_quote(p.type) +
             ",\"required\":" + (p.required ? "true" : "false") + ",\"help\":" + json_quote(tr(p.help.c_str())) +
             ",\"unit\":" + json_quote(p.unit) + ",\"range\":" + json_quote(p.range) +
             ",\"default\":" + json_quote(p.default_value) + "}";
      }
      o += "]}";
    }
    return o + "]}";
  };
  hooks_["ui.lesson_panel"] = [this](const HookArgs& h) -> std::string {
    // where=page: the page shows the lesson player in HTML and the lab leaves its place empty;
    // where=lab: the lab draws its own (the desktop's) lesson player.
    const std::string where = h.str("where");
    if (where != "page" && where != "lab") return fail("ui.lesson_panel: where must be \"page\" or \"lab\"");
    lesson_in_page_ = where == "page";
    return kOk;
  };
  hooks_["ui.next"] = [this](const HookArgs& h) -> std::string {
    if (!runner_) return fail("ui.next: no lesson is open");
    return runner_->next() ? kOk : fail("ui.next: the step is not complete yet");
  };
  hooks_["ui.solution"] = [this](const HookArgs& h) -> std::string {
    if (!runner_ || runner_->finished() || !runner_->step().task) return fail("ui.solution: this step has no task");
    runner_->apply_solution();
    return kOk;
  };
  hooks_["ui.replay"] = [this](const HookArgs& h) -> std::string {
    // A shared link: rebuild the scenario from its seed and replay the command log, each
    // command at its recorded simulated time, then run to the shared moment. With "lesson"
    // (the lesson's path; the page opens it at the link's step first), the lesson is rebuilt
    // at that step around the replayed world (the step's actions are in the log already).
    std::string err;
    if (!h.str("lesson").empty()) {
      if (!runner_ || lesson_path_ != h.str("lesson")) {
        if (!open_lesson_file(h.str("lesson"), std::max(1, static_cast<int>(h.num("step", 1))))) return fail("ui.replay: " + error_);
      }
      const auto parsed = Session::parse_log(h.str("log"), &err);
      if (!parsed) return fail("ui.replay: log " + err);
      const std::vector<LoggedCommand>& log = *parsed;
      const size_t step = h.m.count("step") ? static_cast<size_t>(std::max(1.0, h.num("step", 1)) - 1) : runner_->step_index();
      Time until = static_cast<Time>(h.num("time_us", log.empty() ? 0.0 : static_cast<double>(log.back().at)));
      if (!log.empty()) until = std::max(until, log.back().at);
      const uint64_t seed = static_cast<uint64_t>(h.num("seed", static_cast<double>(runner_->world().seed())));
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
      return kOk;
    }
    // A scenario's moment: the same as a replay file (scenario, parameters, seed, log, moment),
    // opened at the moment with the commands after it kept as the recorded future.
    ReplayFile r;
    r.scenario = h.str("scenario");
    r.seed = static_cast<uint64_t>(h.num("seed", 1));
    r.params = parse_params_text(h.str("params"), &err);
    if (!err.empty()) return fail("ui.replay: " + err);
    const auto log = Session::parse_log(h.str("log"), &err);
    if (!log) return fail("ui.replay: log " + err);
    r.log = *log;
    r.at_us = static_cast<Time>(h.num("time_us", log->empty() ? 0.0 : static_cast<double>(log->back().at)));
    const std::string label = "a shared moment of " + r.scenario;
    if (!open_replay(r, label)) return fail("ui.replay: " + error_);
    return kOk;
  };
  hooks_["ui.open_replay_text"] = [this](const HookArgs& h) -> std::string {
    // A replay file's text (the page's file picker or a dropped file): opened at its moment,
    // paused, with the History tab in front, as `topolab --open FILE` does.
    std::string err;
    const std::string name = h.str("name").empty() ? "replay" : h.str("name");
    const auto r = parse_replay(h.str("text"), name, &err);
    if (!r) return fail(err);
    if (!open_replay(*r, name)) return fail(error_);
    return kOk;
  };
  hooks_["ui.step"] = [this](const HookArgs& h) -> std::string {
    if (!world()) return fail("no world is open");
    key_right(); return kOk;
  };
  hooks_["ui.run_ms"] = [this](const HookArgs& h) -> std::string {
    if (!world()) return fail("no world is open");
    double v = h.num("value", -1);
    if (!(v >= 0)) return fail("ui.run_ms: value must be >= 0");
    if (runner_) runner_->advance(static_cast<Time>(std::llround(v * 1000)));
    else session_->run_until(session_->world().now() + static_cast<Time>(std::llround(v * 1000)));
    if (!runner_) run_twin_to(session_->world().now());
    horizon_us_ = std::max(horizon_us_, world()->now());
    track_step();
    return kOk;
  };
  hooks_["ui.rewind_ms"] = [this](const HookArgs& h) -> std::string {
    if (!world()) return fail("no world is open");
    std::string err;
    double v = h.num("value", -1);
    if (!(v >= 0) || static_cast<Time>(std::llround(v * 1000)) > world()->now()) return fail("ui.rewind_ms: value must be between 0 and now");
    return rewind_to(static_cast<Time>(std::llround(v * 1000)), &err) ? kOk : fail("ui.rewind_ms: " + err);
  };
}

}  // namespace topo::ui
