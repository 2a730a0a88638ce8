// The lab: one ImGui app for the browser and the desktop. It owns the running Session (scenario,
// seed, command log), advances simulated time with the wall clock times the chosen speed, draws
// the views (menu bar, topology canvas, time controls, inspector, event log, About) and applies
// every learner action as a Command. Platform code (core/app/main.cpp) only feeds it frames.
// The state/command hooks (state_json, command_json) are what the browser tests and the
// JavaScript page call.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <filesystem>

#include "lesson/catalog.h"
#include "lesson/progress_store.h"
#include "lesson/runner.h"
#include "scenario/replay_file.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"
#include "ui/canvas.h"
#include "ui/visual_clock.h"
#include "ui/panels/charts_panel.h"
#include "ui/widgets/command_form.h"

namespace topo::ui {

struct AppOptions {
  std::string scenario = "ping";   ///< built-in scenario to open first
  uint64_t seed = 1;
  std::string lesson_file;         ///< a lesson file to open (desktop: reloaded when it changes)
  std::string replay_file;         ///< a replay file to open (scenario/replay_file.h), paused at its moment
  /// The lesson_file's step (1-based); 0: where the learner left it (saved progress), else step 1.
  int lesson_step = 1;
  /// The desktop's per-user data folder (lesson/progress_store.h): progress is saved there and
  /// restored when a lesson opens again. Empty: nothing is saved (the page keeps its own).
  std::string data_dir;
  /// The teacher's own lessons, listed beside the bundled ones in the catalogue (empty: none).
  std::string lessons_dir;
  /// Start with the lesson catalogue in front (the desktop when no lesson or scenario was named).
  bool catalogue = false;
};

class LabApp {
 public:
  explicit LabApp(AppOptions opt);
  /// Shows a side tab on the next frame: "Inspector", "Tools", "Charts", "History" or "Event log".
  void show_tab(std::string name) { tab_request_ = std::move(name); }
  ~LabApp();

  /// Builds one ImGui frame (call between ImGui::NewFrame and ImGui::Render). `wall_dt` is the
  /// real time since the last frame in seconds; simulated time advances by wall_dt x speed.
  void frame(double wall_dt);
  bool wants_quit() const { return quit_; }

  /// Opens a built-in scenario; on error keeps the current world and shows the message.
  bool open_scenario(const std::string& name, uint64_t seed, const Params& params = {});
  /// Opens a replay file (a chaos counterexample, a saved run) paused at its moment, with the
  /// History tab in front; on an error keeps the current world and says why (FILE:LINE: ...).
  bool open_replay_file(const std::string& path);
  /// Opens a replay (from a file, a share link) paused at its moment; `label` names it in messages.
  bool open_replay(const ReplayFile& r, const std::string& label);
  /// Shows an error about something the app was asked to open (and keeps the current world).
  void report_error(const std::string& message);
  const std::string& last_error() const { return error_; }
  /// Opens a lesson file from disk (desktop: watched and reloaded when it changes); on error
  /// keeps the last good lesson and shows `FILE:LINE:COL: message`. `step` is 1-based; 0 opens
  /// it where the learner left it (the saved progress, desktop), or at step 1.
  bool open_lesson_file(const std::string& path, int step = 1);
  /// Opens a lesson from text (`name` is how errors call it). `step` is 1-based.
  bool open_lesson_text(const std::string& name, const std::string& text, int step = 1,
                        const std::string& progress = "");
  /// Closes the lesson (the world stays as a plain scenario is not kept; the picker reopens).
  void close_lesson();
  /// The lesson catalogue (the desktop's start screen): shows or hides it, reading the lesson
  /// folders again when it opens.
  void show_catalogue(bool on);
  bool catalogue_shown() const { return show_catalogue_; }
  /// The lessons the catalogue lists: the bundled ones, then the teacher's (AppOptions::lessons_dir).
  const std::vector<lesson::CatalogEntry>& catalogue() const { return catalogue_; }
  /// Opens a catalogue lesson by id (or file stem) at 1-based `step`; 0 resumes saved progress.
  bool open_catalogue_lesson(const std::string& id, int step = 0);
  /// Saves the open lesson's progress now if it changed (done every frame; the desktop only).
  void save_progress();
  /// Writes the free-play world as a replay file (File > Save replay) in the data folder's
  /// replays/ (or `path` when given); returns the file's path, or "" with last_error() set.
  std::string save_replay(const std::string& path = "");
  /// Record a lesson by playing it (lesson/recorder.h): start_recording() reopens the free-play
  /// scenario fresh (same seed and parameters), stop_recording() returns the lesson file of what
  /// was played since ("" with last_error() when there is nothing to record).
  bool start_recording();
  std::string stop_recording();
  bool recording() const { return recording_; }
  /// The folder of the bundled lessons (/lessons on the web; next to the app on the desktop).
  static std::string bundled_lesson_dir();

  /// Applies a world Command (recorded in the session's log) and reports it in the event log.
  CommandResult apply(const Command& c);

  /// JSON for tests and the page: scenario, seed, time, play state, nodes (with their on-screen
  /// centres), models' state, last error.
  std::string state_json() const;
  /// Runs a command given as a flat JSON object: world Commands ({"op":"crash","node":"n1"}) or
  /// app controls ({"op":"ui.play"}, "ui.pause", "ui.step", {"op":"ui.speed","value":0.1},
  /// {"op":"ui.run_ms","value":500}, {"op":"ui.rewind_ms","value":200} (free play and lessons),
  /// {"op":"ui.scenario","name":"raft-5","seed":3}, {"op":"ui.select","node":"n1"},
  /// {"op":"ui.key","key":"left"} (a keyboard shortcut: space, left, right, plus, minus, f),
  /// {"op":"ui.reload_lesson","from":"start"|"step"}, {"op":"ui.compare","left":"shop",
  /// "right":"shop-monolith","left_params":"k=v k=v","right_params":"","seed":1} and
  /// {"op":"ui.compare_off"}, {"op":"ui.tools_world","value":"left"|"right"|"both"} (a compare
  /// lesson: where the Tools tab's Commands go)). Returns {"ok":true} or {"ok":false,"error":..}.
  std::string command_json(const std::string& json);

  Session* session() { return session_.get(); }
  lesson::Runner* runner() { return runner_.get(); }
  /// The world on screen: the lesson's when a lesson is open, else the scenario's.
  World* world();
  const World* world() const;
  const CanvasView& canvas() const { return canvas_; }
  /// Side-by-side mode: the second world (null when not comparing) and its canvas.
  Session* twin() { return twin_.get(); }
  /// A compare lesson's world `side` (0 left, 1 right; lesson/compare.h), null when the open
  /// lesson has one world or no lesson is open. Its canvases are canvas() and twin_canvas().
  World* lesson_side(int side);
  const World* lesson_side(int side) const;
  /// The world the Tools tab issues Commands to in a compare lesson: "left", "right" or "both".
  const std::string& tools_world() const { return tools_world_; }
  void set_tools_world(const std::string& w) { tools_world_ = w; }
  const CanvasView& twin_canvas() const { return twin_canvas_; }
  /// The Tools tab's Actions form (tests fill its inputs and click its Apply button).
  CommandFormState& actions_form() { return actions_form_; }
  /// Opens side-by-side mode: two worlds with the same seed, shared time controls.
  bool open_compare(const std::string& left, const Params& left_params, const std::string& right,
                    const Params& right_params, uint64_t seed);
  void close_compare();
  /// Keyboard shortcuts (also called by the ui.key hook): Space play/pause, Right next event,
  /// Left back (previous lesson step in a lesson; in free play, rewind to just before the last
  /// event), +/- speed x2 / /2, F fit view.
  void key_space();
  void key_right();
  void key_left();
  void key_speed(bool faster);
  void key_fit();
  /// D (and the Describe button, the ui.describe hook): the world in a few sentences, added to
  /// the Event log and to state().description for the page to read out.
  void key_describe();
  /// Rewinds to simulated time `t_us` (free play, side by side, or inside a lesson: the world is
  /// rebuilt and replayed to t, the lesson back at the step that was current at t).
  bool rewind_to(Time t_us, std::string* error);
  /// Restarts the open lesson from its file (or the text it came from): at step 1 when
  /// `from_start`, else at the current step. Teachers iterating on a lesson use it.
  bool reload_lesson(bool from_start);
  double speed() const { return speed_; }
  /// The speed the learner saw in the last frame (below speed() while slow motion holds a
  /// message on screen).
  double shown_speed() const { return shown_speed_; }
  bool slow_motion() const { return slow_motion_; }
  /// Comfort settings (View menu; the page sets them from prefers-reduced-motion and its own
  /// text-size choice): particle streams stand still; the UI's text scale (1 = 16 px).
  void set_reduced_motion(bool on) { reduced_motion_ = on; }
  bool reduced_motion() const { return reduced_motion_; }
  void set_text_scale(float s);
  float text_scale() const { return text_scale_; }
  void set_slow_motion(bool on) { slow_motion_ = on; }
  /// The lab's language (util/i18n.h): the UI's words and, where a lesson has a translation
  /// (lessons/LANG/), the lesson's; saved in the data folder on the desktop. Returns the code in use.
  std::string set_language(const std::string& code);
  bool playing() const { return playing_; }
  /// The Charts tab's state: the picked charts and what its last frame drew (tests read it).
  const ChartsPanelState& charts() const { return charts_; }

 private:
  /// The `ui.*` hooks: a table of handlers by op (lab_app_hooks.cpp), filled on first use.
  struct HookArgs {
    const std::map<std::string, std::string>& m;
    double num(const char* key, double fallback) const;
    std::string str(const char* key) const;
  };
  void register_hooks();
  std::map<std::string, std::function<std::string(const HookArgs&)>> hooks_;

  void advance(double wall_dt);
  void draw_menu();
  void draw_controls();
  void draw_inspector();
  void draw_event_log();
  void draw_charts();
  void draw_history();
  void draw_tools();
  void draw_about();
  void draw_lesson();
  void draw_lesson_picker();
  void draw_catalogue();
  void refresh_catalogue();   ///< reads the lesson folders again
  std::string catalogue_json() const;
  /// The lesson player's content as JSON for the page's HTML player (the `ui.lesson` hook).
  std::string lesson_json() const;
  void enter_lesson_step();
  void poll_lesson_file(double wall_dt);
  void log_line(std::string line);
  void draw_keys();
  void draw_canvas_pane(ImVec2 size);
  /// Records the lesson step that is current now (for rewinding inside a lesson).
  void track_step();
  /// Rebuilds the open lesson with its world replayed from `log` up to `until_us`, placed at
  /// 0-based `step` (that step's actions are in the log already, so they are not applied again);
  /// a compare lesson's right world from `right_log`.
  bool rebuild_lesson(const std::vector<LoggedCommand>& log, Time until_us, size_t step, uint64_t seed,
                      std::string* error, const std::vector<LoggedCommand>& right_log = {});
  /// Applies `c` to the world `first` (0 = left/main, 1 = twin) and, in side-by-side mode, to the
  /// other world too when the nodes it names exist there.
  CommandResult apply_to(const Command& c, int first);
  void run_twin_to(Time t);
  /// Sets up the second canvas and the titles when the open lesson is a compare lesson.
  void setup_lesson_compare();
  /// The world and canvas the Inspector shows: the side whose canvas was clicked last.
  int inspected_side_ = 0;
  int charts_side_ = 0;   ///< a compare lesson: the world whose charts the Charts tab shows
  std::string tools_world_ = "left";

  AppOptions opt_;
  std::unique_ptr<Session> session_;
  CanvasView canvas_;
  bool playing_ = true;
  double speed_ = 0.1;           ///< simulated seconds per wall second
  double carry_us_ = 0.0;        ///< fractional simulated microseconds not yet run
  bool slow_motion_ = true;      ///< the visual clock slows while messages fly (ui/visual_clock.h)
  bool reduced_motion_ = false;
  float text_scale_ = 1.0f;
  VisualClockOptions clock_;
  double shown_speed_ = 0.0;     ///< simulated seconds per real second in the last frame
  bool slowed_ = false;          ///< the last frame ran slower than the chosen speed
  bool lagging_ = false;         ///< the last frame hit the event budget
  bool show_about_ = false;
  bool show_keys_ = false;
  // Side-by-side mode: a second world with its own canvas, run in lockstep with session_.
  std::unique_ptr<Session> twin_;
  CanvasView twin_canvas_;
  std::string compare_title_[2];
  // Lesson rewind: (simulated time, step index) each time the step changed.
  std::vector<std::pair<Time, size_t>> step_starts_;
  bool quit_ = false;
  uint64_t frames_ = 0;           ///< frames drawn (tests wait for frames)
  Time horizon_us_ = 0;           ///< furthest simulated time reached (the scrubber can go back there)
  std::string error_;            ///< last error shown to the learner
  std::vector<std::string> log_; ///< event log lines (bounded)
  uint64_t log_trace_seen_ = 0;
  uint64_t log_narration_seen_ = 0;
  std::string description_;          ///< the last "describe the world" text
  uint64_t description_id_ = 0;      ///< counts descriptions (the page announces a new one)   ///< narration lines already in the event log
  // The open lesson, if any.
  std::unique_ptr<lesson::Runner> runner_;
  std::string lesson_name_;      ///< file name shown in errors
  std::string lesson_path_;      ///< on disk (desktop reload), empty for text-opened lessons
  std::string lesson_text_;      ///< the last good text
  std::filesystem::file_time_type lesson_mtime_{};
  double reload_poll_s_ = 0;
  size_t lesson_step_seen_ = static_cast<size_t>(-1);
  // The page draws the lesson player in HTML (ui.lesson_panel where=page): the lab keeps the
  // lesson pane's place empty and reports where it is, in CSS pixels of the page.
  bool lesson_in_page_ = false;
  ImVec2 lesson_pane_pos_{0, 0}, lesson_pane_size_{0, 0};
  // The last linearizability check of the client history (History tab).
  std::string lin_verdict_;
  std::vector<uint64_t> lin_flagged_;
  Time lin_checked_at_ = -1;
  // Tools tab state (what the learner is about to apply).
  float tool_link_latency_ms_ = 2.0f;
  float tool_link_loss_ = 0.0f;
  std::vector<char> tool_group_;   ///< partition picker: node -> in the first group
  ChartsPanelState charts_;        ///< the Charts tab (ui/panels/charts_panel.h)
  std::string tab_request_;        ///< side tab to select on the next frame (ui.tab), or empty
  CommandFormState actions_form_;  ///< the Tools tab's Actions panel (the model's own Commands)
  // The catalogue and saved progress (desktop).
  std::unique_ptr<lesson::ProgressStore> store_;
  std::vector<lesson::CatalogEntry> catalogue_;
  std::vector<std::pair<int, bool>> catalogue_progress_;   ///< per entry: saved step (1-based, 0 none), completed
  std::optional<lesson::ProgressStore::Last> catalogue_last_;   ///< the lesson to continue
  bool show_catalogue_ = false;
  bool focus_catalogue_ = false;
  std::string saved_blob_;        ///< the blob last written for saved_id_
  std::string saved_id_;
  bool save_failed_ = false;      ///< said once in the event log
  std::string open_path_;         ///< the catalogue's "Open lesson file" field
  int free_play_pick_ = -1;
  /// The catalogue's topic filter: a lesson tag, "" = every lesson.
  std::string catalogue_topic_;
  /// Whether catalogue entry `e` is shown under the topic filter.
  bool catalogue_shows(const lesson::CatalogEntry& e) const;
  /// Every topic (tag) of the catalogue, sorted by its words in the current language.
  std::vector<std::string> catalogue_topics() const;
  bool recording_ = false;         ///< Record a lesson: on since start_recording()        ///< the catalogue's free-play scenario (-1: not chosen yet)
};

}  // namespace topo::ui
