// Record a lesson by playing it (see recorder.h).
#include "lesson/recorder.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "lesson/text.h"
#include "lesson/world_facts.h"

namespace topo::lesson {

namespace {

std::string quote(const std::string& s) { return json_quote(s); }   // TOML basic strings read JSON escapes

/// "2.5s" for a gap in microseconds, at least 100 ms (a wait must be longer than 0).
std::string seconds(Time us) {
  const double s = std::max(0.1, static_cast<double>(us) / 1e6);
  return format_number(std::round(s * 10) / 10) + "s";
}

/// What to check after an action, or "" when the lab has no condition for its effect.
std::string effect_of(const Command& c, const std::string& target) {
  if (c.op == "crash") return "node." + target + ".status == \"crashed\"";
  if (c.op == "restart") return "node." + target + ".status == \"up\"";
  if (c.op == "partition") return "partitioned == 1";
  if (c.op == "heal") return "partitioned == 0";
  return "";
}

}  // namespace

std::optional<std::string> lesson_from_recording(const Recording& r, std::string* error) {
  std::string err;
  auto session = Session::create(r.scenario, r.seed, r.params, &err);
  if (!session) {
    if (error) *error = "cannot build scenario \"" + r.scenario + "\": " + err;
    return std::nullopt;
  }
  std::ostringstream o;
  const size_t n = r.log.size();
  o << "# Recorded in the Topolab lab: one step per action the teacher took, in order, each waiting as\n"
       "# long as the teacher waited. Replace every TODO with your words; `topolab-cli check FILE`\n"
       "# checks the lesson and plays it (lessons/FORMAT.md).\n";
  o << "format = 1\nid = " << quote("recorded-" + r.scenario) << "\ntitle = \"TODO: a title\"\n"
    << "summary = \"TODO: one or two sentences for the catalogue.\"\nlevel = \"beginner\"\nminutes = "
    << std::max<size_t>(5, 2 * (n + 1)) << "\n\n[scenario]\nname = " << quote(r.scenario) << "\nseed = " << r.seed << "\n";
  if (!r.params.empty()) {
    o << "params = { ";
    bool first = true;
    for (const auto& [k, v] : r.params) {
      o << (first ? "" : ", ") << quote(k) << " = " << quote(v);
      first = false;
    }
    o << " }\n";
  }
  // Step 1: the world before the first action, for as long as the teacher watched it.
  const Time first_at = n ? r.log[0].at : r.end_us;
  o << "\n[[step]]\ntitle = \"TODO: the world\"\ntext = \"\"\"\nTODO: what the student sees before anything happens.\n\"\"\"\n"
    << "wait = { until = \"elapsed_s >= " << format_number(std::max(0.1, std::round(first_at / 1e5) / 10)) << "\", timeout = \""
    << seconds(first_at + 1000000) << "\", text = \"TODO: a caption while the world runs\" }\n";
  for (size_t i = 0; i < n; ++i) {
    const LoggedCommand& lc = r.log[i];
    session->run_until(lc.at);
    Command c = lc.cmd;
    // A node that was the leader when the teacher acted: the lesson says "the leader" so it
    // works whoever leads on the student's run.
    std::string target = c.arg("node", "");
    bool leader = false;
    if (!target.empty()) {
      WorldFacts facts(session->world(), session->world().now());
      if (auto v = facts.get("is_leader." + target); v && std::holds_alternative<double>(*v) && std::get<double>(*v) == 1) {
        leader = true;
        c.args["node"] = "@leader";
      }
    }
    const CommandResult applied = session->apply(lc.cmd);
    if (!applied.ok) {
      if (error) *error = "the recorded command \"" + lc.cmd.to_text() + "\" at " + format_time(lc.at) + " was refused: " + applied.error;
      return std::nullopt;
    }
    const Time next_at = i + 1 < n ? r.log[i + 1].at : r.end_us;
    const Time gap = std::max<Time>(0, next_at - lc.at);
    const std::string effect = effect_of(c, target);
    o << "\n[[step]]\ntitle = " << quote("TODO: step " + std::to_string(i + 2) + " (" + c.op + ")") << "\n"
      << "text = \"\"\"\nTODO: what happens now and what to watch. (Recorded: `" << lc.cmd.to_text() << "` at "
      << format_time(lc.at) << (leader ? ", when " + target + " was the leader" : std::string()) << ".)\n\"\"\"\n";
    if (!effect.empty()) {
      // The action is the student's: a task whose "Show me" does what the teacher did. A crash of
      // the leader is checked on the node the solution crashes, whichever it is.
      const std::string check = leader ? "count(@crashed) >= 1" : effect;
      o << "[step.task]\nprompt = " << quote("TODO: ask the student to " + c.to_text()) << "\ncheck = " << quote(check)
        << "\nsolution = [" << quote(c.to_text()) << "]\ntimeout = \"1s\"\n";
    } else {
      o << "do = [" << quote(c.to_text()) << "]\n";
    }
    o << "[step.wait]\nuntil = \"elapsed_s >= " << format_number(std::max(0.1, std::round(gap / 1e5) / 10))
      << "\"\ntimeout = \"" << seconds(gap + 1000000) << "\"\ntext = \"TODO: a caption while the world reacts\"\n";
  }
  return o.str();
}

}  // namespace topo::lesson
