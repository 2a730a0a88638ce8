// What the lab app's files share (lab_app.cpp, lab_app_hooks.cpp, panels/*.cpp): the includes,
// limits and small formatting helpers. Not for use outside core/ui.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "imgui.h"
#include "lesson/compare.h"
#include "lesson/validator.h"
#include "lesson/world_facts.h"
#include "scenario/json.h"
#include "ui/lab_app.h"
#include "ui/style.h"
#include "ui/widgets/chart.h"
#include "ui/widgets/history_view.h"
#include "ui/widgets/markdown.h"
#include "ui/widgets/timeline.h"
#include "models/kv/linearizability.h"

namespace topo::ui::detail {

constexpr size_t kLogMax = 500;
/// Upper bound on events per frame so a busy world never freezes the page; the sim lags instead.
constexpr uint64_t kEventBudgetPerFrame = 200000;

/// "1.234 s"
std::string fmt_time(Time t);
/// A speed as the learner reads it: "0.5x", "0.006x".
std::string speed_text(double speed);
/// A full-width clickable choice whose text wraps (a quiz or predict answer).
bool wrapped_choice(const char* id, const std::string& text);
/// The chart/timeline marker for a Command's op.
MarkerKind marker_kind_for(const std::string& op);
/// "k=v k=v" -> Params; on a malformed pair sets `error` and returns {}.
Params parse_params_text(const std::string& text, std::string* error);
std::string params_text(const Params& p);
/// The trace hash as 16 hex digits.
std::string hash_hex(const World& w);
/// A compact JSON view of one world and its canvas (side-by-side mode).
std::string world_brief_json(const Session& s, const CanvasView& v);
/// The selected node for the state hook: its name and what the world's painters add.
std::string inspector_json(const World& w, const CanvasView& v, NodeId id);
/// Node names a command refers to (its "node" argument and the members of "groups").
std::vector<std::string> named_nodes(const Command& c);

}  // namespace topo::ui::detail
