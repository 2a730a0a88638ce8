// Opening saved runs in the lab: replay files (scenario/replay_file.h), such as the
// counterexamples `topolab-cli chaos` writes for every shrunk failure.
#include <fstream>
#include <sstream>

#include "scenario/replay_file.h"
#include "ui/lab_app.h"
#include "ui/lab_app_internal.h"

namespace topo::ui {

namespace {
std::unique_ptr<Session> open_replay_session(const ReplayFile& r, std::string* err) { return topo::open_replay(r, err); }
}  // namespace

bool LabApp::open_replay_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    error_ = path + ": cannot open";
    log_line(error_);
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string err;
  auto r = parse_replay(text.str(), path, &err);
  if (!r) {
    error_ = err;
    log_line(error_);
    return false;
  }
  return open_replay(*r, path);
}

void LabApp::report_error(const std::string& message) {
  error_ = message;
  log_line(error_);
}

bool LabApp::open_replay(const ReplayFile& r, const std::string& label) {
  std::string err;
  std::unique_ptr<Session> s = open_replay_session(r, &err);
  if (!s) {
    error_ = label + ": " + err;
    log_line(error_);
    return false;
  }
  close_lesson();
  close_compare();
  session_ = std::move(s);
  canvas_ = CanvasView{};
  auto_layout(session_->world(), canvas_, true);
  playing_ = false;
  horizon_us_ = 0;
  carry_us_ = 0.0;
  log_trace_seen_ = 0;
  log_narration_seen_ = 0;
  error_.clear();
  show_tab("History");
  log_line("opened " + label + ": " + r.scenario + ", seed " + std::to_string(r.seed) + ", " +
           std::to_string(r.log.size()) + " commands, paused at " + std::to_string(r.at_us / 1000) +
           " ms (play on to replay what followed)");
  return true;
}

}  // namespace topo::ui
