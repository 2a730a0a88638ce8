// topolab-cli subcommands for lessons and runs:
//   check FILE...                     validate lessons; every problem as FILE:LINE:COL: message
//   check --seeds A..B FILE...        validate, then autoplay each lesson on seeds A..B; lists the
//                                     seeds that fail (exit 1 if any)
//   check --list-actions SCENARIO     the actions (Commands) a scenario offers, with parameters
//   check --list-values SCENARIO      the value keys conditions can read in a scenario, with values
//   check --index FILE...             the lesson catalogue as JSON (lessons/index.json)
//   run FILE [--autoplay] [--text]    play a lesson headless; per-step summary (--text: each step's
//                                     text as the learner sees it); exit 0 if all reached
//   run --scenario NAME --seed N --until-ms T [--set K=V]... [--metrics] [--history FILE]
//                                     run a scenario; --metrics prints each model's metrics (JSON
//                                     lines), --history writes the client history; violations are
//                                     printed and make the exit code 1.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli.h"
#include "lesson/catalog.h"
#include "lesson/reference_md.h"
#include "lesson/recorder.h"
#include "lesson/runner.h"
#include "lesson/translation.h"
#include "lesson/validator.h"
#include "models/narration.h"
#include "scenario/reference.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"
#include "util/format.h"

namespace topo::cli {

namespace {

using namespace topo::lesson;

/// Positional arguments (not flags, not values of flags that take one).
std::vector<std::string> positionals(const Args& a, std::initializer_list<const char*> with_value) {
  std::vector<std::string> out;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].rfind("--", 0) == 0) {
      bool takes = false;
      for (const char* f : with_value) if (a[i] == std::string("--") + f) takes = true;
      if (takes) ++i;
      continue;
    }
    out.push_back(a[i]);
  }
  return out;
}

std::unique_ptr<World> build_for_listing(const Args& a, const std::string& scenario) {
  Params p;
  if (!set_flags(a, "check", &p)) return nullptr;
  int64_t seed = 1;
  if (!parse_int(flag(a, "seed", "1"), &seed) || seed < 0) {
    std::cerr << "check: --seed must be a whole number >= 0, not \"" << flag(a, "seed") << "\"\n";
    return nullptr;
  }
  std::string err;
  auto w = build_world(scenario, static_cast<uint64_t>(seed), p, &err);
  if (!w) {
    std::vector<std::string> names;
    for (const auto& s : scenarios()) names.push_back(s.name);
    std::cerr << "cannot build scenario \"" << scenario << "\": " << err << did_you_mean(scenario, names) << "\n";
  }
  return w;
}

int list_values(const Args& a, const std::string& scenario) {
  auto w = build_for_listing(a, scenario);
  if (!w) return 2;
  // Every declared key of the world (engine and models), each once, with its value now and its
  // declared type; an enum value is followed by its name.
  WorldFacts facts(*w);
  for (const auto& k : known_value_keys(*w)) {
    auto v = facts.get(k);
    const auto decl = find_world_value_decl(*w, k);
    std::cout << k << " = ";
    if (!v) std::cout << "?";
    else if (auto* d = std::get_if<double>(&*v)) {
      std::cout << format_number(*d);
      if (decl && decl->type == "enum" && *d >= 0 && *d < static_cast<double>(decl->enum_names.size()))
        std::cout << " (\"" << decl->enum_names[static_cast<size_t>(*d)] << "\")";
    } else std::cout << json_quote(std::get<std::string>(*v));
    if (decl) std::cout << "  [" << describe_value_type(*decl) << "]";
    std::cout << "\n";
  }
  return 0;
}

int index_json(const std::vector<std::string>& files) {
  int rc = 0;
  std::vector<std::pair<std::string, Lesson>> lessons;
  for (const auto& f : files) {
    std::string text;
    if (!read_file(f, &text)) { std::cerr << f << ":1:1: cannot read the file\n"; rc = 2; continue; }
    ParseResult p = parse_lesson(text);
    if (!p.lesson || !p.diags.empty()) {
      for (const auto& d : p.diags) std::cerr << format_diagnostic(f, d) << "\n";
      rc = std::max(rc, 1);
      continue;
    }
    auto slash = f.find_last_of('/');
    lessons.emplace_back(slash == std::string::npos ? f : f.substr(slash + 1), std::move(*p.lesson));
  }
  std::cout << catalog_json(lessons);
  return rc;
}

/// What happened, in words (models/narration.h), one "[1.250 s] n1 crashed" line each.
void print_narration(const World& w, std::ostream& out) {
  const auto* n = w.find_model<Narration>();
  if (!n) return;
  for (const auto& l : n->lines()) out << "[" << format_time(l.t) << "] " << l.text << "\n";
}

int run_scenario(const Args& a) {
  const std::string name = flag(a, "scenario");
  Params params;
  if (!set_flags(a, "run", &params)) return 2;
  int64_t seed = 0, until_ms = 0;
  if (!parse_int(flag(a, "seed", "1"), &seed) || seed < 0) { std::cerr << "run: --seed must be a whole number >= 0\n"; return 2; }
  if (!parse_int(flag(a, "until-ms", ""), &until_ms) || until_ms < 0) {
    std::cerr << "run: --until-ms T is required (simulated milliseconds, >= 0)\n";
    return 2;
  }
  std::string err;
  auto session = Session::create(name, static_cast<uint64_t>(seed), params, &err);
  if (!session) {
    std::vector<std::string> names;
    for (const auto& s : scenarios()) names.push_back(s.name);
    std::cerr << "run: cannot build scenario \"" << name << "\": " << err;
    if (!find_scenario(name)) std::cerr << did_you_mean(name, names);
    std::cerr << "\n";
    return 2;
  }
  session->run_until(until_ms * kMs);
  World& w = session->world();
  const bool metrics = has_flag(a, "metrics");
  std::ostream& human = metrics ? std::cerr : std::cout;
  const std::string hash = util::format_hex16(w.trace().hash());
  human << "scenario " << name << " seed " << seed << " until " << until_ms << " ms: " << w.events_processed()
        << " events, trace hash " << hash << "\n";
  if (has_flag(a, "narrate")) print_narration(w, human);
  if (metrics)
    for (const auto& m : w.models()) m->report_metrics(std::cout);
  const std::string history = flag(a, "history");
  if (!history.empty()) {
    std::ofstream out(history);
    bool any = false;
    for (const auto& m : w.models()) any = m->write_history(out) || any;
    if (!out) { std::cerr << "run: cannot write " << history << "\n"; return 2; }
    if (!any) std::cerr << "run: no model in \"" << name << "\" records a client history\n";
  }
  size_t violations = 0;
  for (const auto& m : w.models())
    for (const auto& v : m->violations()) {
      ++violations;
      if (metrics) std::cout << "{\"model\":" << json_quote(m->name()) << ",\"violation\":" << json_quote(v) << "}\n";
      else std::cout << "violation (" << m->name() << "): " << v << "\n";
    }
  return violations ? 1 : 0;
}

/// Prints `text` under a step line, each line as "    | line" (blank lines as "    |").
void print_step_text(const std::string& text, std::ostream& out) {
  size_t from = 0;
  while (from <= text.size()) {
    size_t nl = text.find('\n', from);
    if (nl == std::string::npos) nl = text.size();
    if (nl == text.size() && from == nl) break;   // no empty line after a final newline
    const std::string line = text.substr(from, nl - from);
    out << "    |" << (line.empty() ? "" : " ") << line << "\n";
    from = nl + 1;
  }
}

int run_lesson(const std::string& file, bool autoplay_on, bool narrate, bool show_text) {
  std::string text;
  if (!read_file(file, &text)) { std::cerr << file << ":1:1: cannot read the file\n"; return 2; }
  WorldSource src = WorldSource::builtin();
  CheckResult c = check_lesson(text, src);
  if (!c.ok()) {
    for (const auto& d : c.diags) std::cerr << format_diagnostic(file, d) << "\n";
    return 1;
  }
  std::string err;
  const Lesson& l = *c.lesson;
  std::cout << "lesson " << l.id << ": \"" << l.title << "\" ("
            << (l.compare ? "compare left " + l.scenario.name + " | right " + l.compare->right.name
                          : "scenario " + l.scenario.name)
            << ", seed "
            << l.scenario.seed << (autoplay_on ? ", autoplay" : ", nobody acting") << ")\n";
  auto r = Runner::create(*c.lesson, src, autoplay_on ? Mode::Autoplay : Mode::Unassisted, &err);
  if (!r) { std::cerr << file << ": " << err << "\n"; return 1; }
  AutoplayResult res = autoplay(*r);
  size_t bad = 0;
  for (const auto& s : res.steps) {
    bool ok = s.failures.empty();
    if (!ok) ++bad;
    std::cout << "step " << s.index + 1 << "/" << res.steps.size() << " \"" << s.title << "\": " << (ok ? "ok" : "FAILED")
              << "\n";
    if (show_text) print_step_text(s.text, std::cout);
    for (const auto& line : s.log) std::cout << "    " << line << "\n";
    if (!s.values.empty()) std::cout << "    values at the end: " << s.values << "\n";
    for (const auto& wline : s.warnings) std::cout << "    warning: " << wline << "\n";
  }
  // Failures with a place in the file (a selector that matched nothing, a predict whose expect
  // the simulation contradicted), as FILE:LINE:COL: message.
  for (const auto& s : res.steps)
    for (const auto& d : s.problems)
      std::cout << format_diagnostic(file, {d.pos, "step " + std::to_string(s.index + 1) + ": " + d.message}) << "\n";
  std::cout << "lesson " << l.id << ": " << res.steps.size() - bad << "/" << res.steps.size() << " steps reached"
            << (res.ok ? "" : ", " + std::to_string(bad) + " failed") << ", simulated time " << format_time(r->world().now())
            << "\n";
  if (narrate) {
    if (LessonWorld* right = r->host().side(1)) {
      std::cout << "left (" << l.scenario.name << "):\n";
      print_narration(r->host().side(0)->world(), std::cout);
      std::cout << "right (" << l.compare->right.name << "):\n";
      print_narration(right->world(), std::cout);
    } else {
      print_narration(r->world(), std::cout);
    }
  }
  return res.ok ? 0 : 1;
}

/// "A..B" (or "N") into a seed range, at most kMaxSeeds seeds.
constexpr int64_t kMaxSeeds = 10'000;
bool parse_seed_range(const std::string& text, int64_t* lo, int64_t* hi) {
  const size_t dots = text.find("..");
  if (dots == std::string::npos) {
    if (!parse_int(text, lo) || *lo < 0) return false;
    *hi = *lo;
    return true;
  }
  return parse_int(text.substr(0, dots), lo) && parse_int(text.substr(dots + 2), hi) && *lo >= 0 && *hi >= *lo &&
         *hi - *lo < kMaxSeeds;
}

/// Autoplays `lesson` (already valid) on each seed of [lo, hi]; prints one line per failing seed
/// and a summary line to stdout. Returns the number of seeds that failed.
int64_t sweep_seeds(const std::string& file, const Lesson& lesson, const WorldSource& src, int64_t lo, int64_t hi) {
  std::vector<int64_t> failed;
  for (int64_t seed = lo; seed <= hi; ++seed) {
    Lesson l = lesson;
    l.scenario.seed = static_cast<uint64_t>(seed);
    std::string err;
    auto r = Runner::create(std::move(l), src, Mode::Autoplay, &err);
    std::string why;
    if (!r) {
      why = "cannot start: " + err;
    } else {
      AutoplayResult res = autoplay(*r);
      for (const auto& st : res.steps) {
        if (st.failures.empty()) continue;
        why = "step " + std::to_string(st.index + 1) + "/" + std::to_string(res.steps.size()) + " \"" + st.title +
              "\": " + st.failures.front();
        if (!st.problems.empty() && st.problems.front().message == st.failures.front())
          why += " (line " + std::to_string(st.problems.front().pos.line) + ":" +
                 std::to_string(st.problems.front().pos.col) + ")";
        break;
      }
      if (why.empty() && !res.ok) why = "failed";
    }
    if (why.empty()) continue;
    failed.push_back(seed);
    std::cout << file << ": seed " << seed << " FAILED at " << why << "\n";
  }
  std::cout << file << ": seeds " << lo << ".." << hi << ": " << (hi - lo + 1 - static_cast<int64_t>(failed.size()))
            << " passed, " << failed.size() << " failed";
  if (!failed.empty()) {
    std::cout << " (seeds";
    for (int64_t f : failed) std::cout << " " << f;
    std::cout << ")";
  }
  std::cout << "\n";
  return static_cast<int64_t>(failed.size());
}

std::string check_more_help(const Args&) {
  return "\n"
         "Checks each lesson FILE (lessons/FORMAT.md) without running it: the TOML, every field, every\n"
         "action against the lesson's scenario, every value key in conditions and {{...}} text.\n"
         "\n"
         "Output: everything `check` reports goes to standard output: one line per problem, as\n"
         "FILE:LINE:COL: message, then \"N lesson file(s) valid\" when every file is valid (left out\n"
         "with --quiet). Only usage errors (an unknown flag, a bad --seeds range, a scenario that\n"
         "cannot be built for --list-actions/--list-values) go to standard error.\n"
         "\n"
         "A lesson whose predicts declare `expect` (the choice its text says will happen) is also\n"
         "played on its own seed, as `run FILE --autoplay` does: a predict the simulation answers\n"
         "differently, or an action that fails on the way, is reported at its FILE:LINE:COL.\n"
         "\n"
         "Exit status: 0 every file valid (and, with --seeds, every seed played to the end);\n"
         "1 a file has problems or a seed failed; 2 bad usage or a file that cannot be read.\n"
         "\n"
         "--seeds A..B autoplays each valid lesson on seeds A to B (at most 10000 seeds; \"N\" = one\n"
         "seed) with the lesson's own solutions, as `run FILE --autoplay` does on the lesson's seed,\n"
         "and prints \"FILE: seed N FAILED at step K/M \"title\": why\" for each seed that fails, then\n"
         "\"FILE: seeds A..B: P passed, F failed (seeds ...)\".\n"
         "\n"
         "Examples:\n"
         "  topolab-cli check lessons/*.toml\n"
         "  topolab-cli check --seeds 1..20 my-lesson.toml\n"
         "  topolab-cli check --list-values shop\n"
         "  topolab-cli run my-lesson.toml --autoplay --text   (proofread the rendered text)\n";
}

}  // namespace

/// lessons/LANG/NAME.toml translates lessons/NAME.toml: prints where its structure differs from the
/// original's and which steps still show the original's words. True when it differs.
bool check_translation_file(const std::string& f, const std::string& text) {
  std::string lang;
  const std::string orig = original_of(f, &lang);
  if (orig.empty()) return false;
  std::string otext;
  if (!read_file(orig, &otext)) {
    std::cout << f << ":1:1: cannot read the original, " << orig << "\n";
    return true;
  }
  TranslationReport tr = check_translation(otext, orig, text);
  for (const auto& d : tr.diags) std::cout << format_diagnostic(f, d) << "\n";
  for (const auto& u : tr.untranslated)
    std::cout << f << ": note: " << u << " is not translated yet (it shows the original's words)\n";
  return !tr.diags.empty();
}

int cmd_check(const Args& a) {
  if (has_flag(a, "list-actions")) {
    auto w = build_for_listing(a, flag(a, "list-actions"));
    if (!w) return 2;
    std::cout << describe_actions(*w);
    return 0;
  }
  if (has_flag(a, "list-values")) return list_values(a, flag(a, "list-values"));
  if (has_flag(a, "reference")) {
    std::cout << reference_markdown();
    return 0;
  }
  auto files = positionals(a, {"seed", "seeds", "set", "list-actions", "list-values"});
  if (has_flag(a, "index")) return index_json(files);
  if (files.empty()) {
    std::cerr << "usage: topolab-cli check FILE... | check --list-actions SCENARIO | check --list-values SCENARIO"
                 " | check --index FILE...\n";
    return 2;
  }
  const bool sweep = has_flag(a, "seeds");
  int64_t seed_lo = 0, seed_hi = 0;
  if (sweep && !parse_seed_range(flag(a, "seeds"), &seed_lo, &seed_hi)) {
    std::cerr << "check: --seeds needs A..B, whole numbers 0 <= A <= B, at most " << kMaxSeeds
              << " seeds (e.g. --seeds 1..20), got \"" << flag(a, "seeds") << "\"\n";
    return 2;
  }
  // One stream: every problem and the "valid" line go to stdout (check --help says so).
  WorldSource src = WorldSource::builtin();
  int rc = 0;
  int64_t seeds_failed = 0;
  for (const auto& f : files) {
    std::string text;
    if (!read_file(f, &text)) {
      std::cout << f << ":1:1: cannot read the file\n";
      rc = std::max(rc, 2);
      continue;
    }
    CheckResult c = check_lesson(text, src);
    if (c.ok() && !sweep) check_expectations(*c.lesson, src, c.diags);
    for (const auto& d : c.diags) std::cout << format_diagnostic(f, d) << "\n";
    if (!c.ok()) rc = std::max(rc, 1);
    if (check_translation_file(f, text)) rc = std::max(rc, 1);
    else if (sweep) seeds_failed += sweep_seeds(f, *c.lesson, src, seed_lo, seed_hi);
  }
  if (rc == 0 && !has_flag(a, "quiet")) std::cout << files.size() << " lesson file(s) valid\n";
  if (seeds_failed > 0) rc = std::max(rc, 1);
  return rc;
}

/// `record`: a lesson file from a played run (a share link's command log, or a replay's log).
int cmd_record(const Args& a) {
  Recording r;
  r.scenario = flag(a, "scenario");
  if (r.scenario.empty() || !has_flag(a, "log")) {
    std::cerr << "usage: topolab-cli record --scenario NAME [--seed N] [--set K=V]... --log FILE [--until-ms T] [--out FILE]\n"
                 "  FILE: the command log, one `TIME_US op key=value ...` per line (a share link's log, a replay's log)\n";
    return 2;
  }
  int64_t seed = 1;
  if (!parse_int(flag(a, "seed", "1"), &seed) || seed < 0) {
    std::cerr << "topolab-cli record: --seed must be a non-negative integer\n";
    return 2;
  }
  r.seed = static_cast<uint64_t>(seed);
  if (!set_flags(a, "record", &r.params)) return 2;
  const std::string log_file = flag(a, "log");
  std::string text, err;
  if (!read_file(log_file, &text)) {
    std::cerr << log_file << ":1:1: cannot read the file\n";
    return 2;
  }
  auto log = Session::parse_log(text, &err);
  if (!log) {
    std::cerr << log_file << ": " << err << "\n";
    return 1;
  }
  r.log = std::move(*log);
  r.end_us = r.log.empty() ? 5000000 : r.log.back().at + 5000000;
  if (has_flag(a, "until-ms")) {
    double ms = 0;
    if (!parse_number(flag(a, "until-ms"), &ms) || ms < 0) {
      std::cerr << "topolab-cli record: --until-ms takes simulated milliseconds >= 0\n";
      return 2;
    }
    r.end_us = std::max<Time>(static_cast<Time>(ms * 1000), r.log.empty() ? 0 : r.log.back().at);
  }
  auto lesson = lesson_from_recording(r, &err);
  if (!lesson) {
    std::cerr << "topolab-cli record: " << err << "\n";
    return 1;
  }
  if (!has_flag(a, "out")) {
    std::cout << *lesson;
    return 0;
  }
  std::ofstream out(flag(a, "out"), std::ios::binary);
  if (!(out << *lesson)) {
    std::cerr << "topolab-cli record: cannot write " << flag(a, "out") << "\n";
    return 2;
  }
  std::cerr << "wrote " << flag(a, "out") << " (" << r.log.size() + 1 << " steps): edit its TODOs, then topolab-cli check it\n";
  return 0;
}

int cmd_run(const Args& a) {
  if (has_flag(a, "scenario")) return run_scenario(a);
  auto files = positionals(a, {});
  if (files.size() != 1) {
    std::cerr << "usage: topolab-cli run FILE [--autoplay] [--text] [--narrate]\n"
                 "       topolab-cli run --scenario NAME --seed N --until-ms T [--set K=V]... [--metrics] [--history FILE] [--narrate]\n";
    return 2;
  }
  return run_lesson(files[0], has_flag(a, "autoplay"), has_flag(a, "narrate"), has_flag(a, "text"));
}

// ---- Flag tables (args.cpp checks every command line against these). ----------------------
const Command kCheck = {"check", cmd_check, "FILE...",
    "validate lesson files (or list a scenario's actions or values, or print the catalogue)",
    {{"list-actions", "SCENARIO", "list the actions (Commands) a scenario offers"},
     {"list-values", "SCENARIO", "list the value keys conditions can read, with values"},
     {"index", nullptr, "print the lesson catalogue of FILE... as JSON"},
     {"reference", nullptr, "print lessons/FORMAT.md's generated reference (every action, parameter and value key)"},
     {"seed", "N", "the seed of the world built for --list-actions/--list-values (default 1)"},
     {"set", "K=V", "a scenario parameter for --list-actions/--list-values (repeatable)"},
     {"seeds", "A..B", "also autoplay each lesson on seeds A to B and list the seeds that fail"},
     {"quiet", nullptr, "print nothing when every file is valid"}},
    check_more_help};
const Command kRecord = {"record", cmd_record, "",
    "write a lesson from a played run: one step per recorded action (what the lab's Record button does)",
    {{"scenario", "NAME", "the scenario the run was played in"},
     {"seed", "N", "its seed (default 1)"},
     {"set", "K=V", "a scenario parameter (repeatable)"},
     {"log", "FILE", "the command log: one `TIME_US op key=value ...` per line"},
     {"until-ms", "T", "when the recording stopped (default: 5 s after the last action)"},
     {"out", "FILE", "write the lesson there (default: standard output)"}}};

const Command kRun = {"run", cmd_run, "[FILE]", "play a lesson headless (FILE) or run a scenario (--scenario)",
    {{"autoplay", nullptr, "play the lesson's own solution"},
     {"text", nullptr, "print each step's text as the learner sees it when the step opens ({{...}} filled in)"},
     {"narrate", nullptr, "print what happened, in words"},
     {"scenario", "NAME", "run a scenario instead of a lesson"},
     {"seed", "N", "the scenario's seed (default 1)"},
     {"until-ms", "T", "run until simulated time T, in milliseconds (required with --scenario)"},
     {"set", "K=V", "a scenario parameter (repeatable)"},
     {"metrics", nullptr, "print each model's metrics as JSON lines"},
     {"history", "FILE", "write the client history to FILE"}}};

}  // namespace topo::cli
