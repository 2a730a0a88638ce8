// The desktop's start screen and saved progress, headless: the catalogue lists the bundled lessons
// and the teacher's, a lesson opened at a step is saved as the learner goes and offered as
// "Continue" by the next start of the app, opening it again resumes there, a finished lesson is
// marked complete, the catalogue's buttons open lessons, and File > Save replay writes a file that
// reopens the same world.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "imgui.h"
#include "scenario/replay_file.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"
#include "ui/lab_app.h"
#include "ui/languages.h"
#include "util/i18n.h"
#include "app_harness.h"

using namespace topo;
namespace fs = std::filesystem;

// The desktop's catalogue reads the bundled lessons from disk (lessons/ next to the build); the
// web module gets them from the page (the browser tests cover that), and under Node it has none.
#ifdef __EMSCRIPTEN__
#define DESKTOP_ONLY * doctest::skip()
#else
#define DESKTOP_ONLY
#endif

namespace {

using test::AppHarness;

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/topolab-cat-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

ui::AppOptions desktop(const TempDir& d) {
  ui::AppOptions o;
  o.data_dir = (d.path / "data").string();
  o.lessons_dir = (d.path / "data" / "lessons").string();
  o.catalogue = true;
  return o;
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
bool ok_json(const std::string& r) { return has(r, "\"ok\":true"); }

const char* kFirst = "01-one-system-many-computers";

}  // namespace

TEST_CASE("catalogue: bundled and teacher's lessons; progress saved as you go; Continue at the step you left" DESKTOP_ONLY) {
  TempDir d;
  AppHarness h;
  fs::create_directories(d.path / "data" / "lessons");
  {
    std::ofstream(d.path / "data" / "lessons" / "mine.toml")
        << "format = 1\nid = \"teachers-own\"\ntitle = \"The teacher's own\"\nsummary = \"S\"\nlevel = \"beginner\"\nminutes = 3\n[scenario]\nname = \"raft-3\"\n"
           "[[step]]\ntitle = \"1\"\ntext = \"One\"\n[[step]]\ntitle = \"2\"\ntext = \"Two\"\n";
  }
  {
    ui::LabApp app(desktop(d));
    h.frame(app);
    CHECK(app.catalogue_shown());
    REQUIRE(app.catalogue().size() >= 17);
    CHECK(app.catalogue().front().id == kFirst);
    CHECK(app.catalogue().back().id == "teachers-own");
    CHECK(app.catalogue().back().source == "yours");
    CHECK(has(app.state_json(), "\"continue\":null"));

    REQUIRE(app.open_catalogue_lesson(kFirst, 3));
    h.frame(app);
    CHECK_FALSE(app.catalogue_shown());
    CHECK(app.runner()->step_index() == 2);
  }
  {  // the next start of the app
    ui::LabApp app(desktop(d));
    h.frame(app);
    const std::string s = app.state_json();
    CHECK(has(s, "\"continue\":{\"id\":\"01-one-system-many-computers\",\"title\":\"One system, many computers\",\"step\":3"));
    CHECK(has(s, "\"progress\":\"Step 3 of 7\""));
    REQUIRE(app.open_catalogue_lesson(kFirst, 0));   // Continue
    CHECK(app.runner()->step_index() == 2);
    REQUIRE(app.open_catalogue_lesson("teachers-own", 0));   // never opened: step 1
    CHECK(app.runner()->step_index() == 0);
    CHECK(app.runner()->lesson().title == "The teacher's own");
  }
  {  // the teacher's lesson is now the last one; the first keeps its place
    ui::LabApp app(desktop(d));
    CHECK(has(app.state_json(), "\"continue\":{\"id\":\"teachers-own\""));
    REQUIRE(app.open_catalogue_lesson(kFirst, 0));
    CHECK(app.runner()->step_index() == 2);
    CHECK_FALSE(app.open_catalogue_lesson("no-such-lesson", 0));
    CHECK(has(app.last_error(), "no lesson \"no-such-lesson\""));
    CHECK(app.runner()->lesson().id == kFirst);   // the open lesson is kept
  }
}

TEST_CASE("catalogue: a finished lesson is marked complete and is not offered as Continue") {
  TempDir d;
  AppHarness h;
  ui::LabApp app(desktop(d));
  fs::create_directories(d.path / "data" / "lessons");
  {
    std::ofstream(d.path / "data" / "lessons" / "short.toml")
        << "format = 1\nid = \"short\"\ntitle = \"Short\"\nsummary = \"S\"\nlevel = \"beginner\"\nminutes = 1\n[scenario]\nname = \"raft-3\"\n[[step]]\ntitle = \"1\"\ntext = \"Only step\"\n";
  }
  app.show_catalogue(true);
  REQUIRE(app.open_catalogue_lesson("short", 1));
  REQUIRE(ok_json(app.command_json(R"({"op":"ui.next"})")));
  h.frame(app);
  REQUIRE(app.runner()->finished());
  ui::LabApp again(desktop(d));
  const std::string s = again.state_json();
  CHECK(has(s, "\"id\":\"short\",\"title\":\"Short\",\"source\":\"yours\",\"steps\":1,\"progress\":\"Complete\""));
  CHECK(has(s, "\"continue\":null"));
}

TEST_CASE("catalogue: Escape closes it; the ui.catalogue and ui.open_catalogue_lesson hooks reopen it and open a lesson" DESKTOP_ONLY) {
  TempDir d;
  AppHarness h;
  ui::LabApp app(desktop(d));
  for (int i = 0; i < 3; ++i) h.frame(app);
  ImGui::GetIO().AddKeyEvent(ImGuiKey_Escape, true);
  h.frame(app);
  ImGui::GetIO().AddKeyEvent(ImGuiKey_Escape, false);
  h.frame(app);
  CHECK_FALSE(app.catalogue_shown());
  REQUIRE(ok_json(app.command_json(R"({"op":"ui.catalogue","show":1})")));
  CHECK(app.catalogue_shown());
  REQUIRE(ok_json(app.command_json(R"({"op":"ui.open_catalogue_lesson","id":"03-agreeing-on-a-leader","step":2})")));
  CHECK(app.runner()->step_index() == 1);
  CHECK_FALSE(app.catalogue_shown());
}

TEST_CASE("File > Save replay: the free-play run as a file that reopens the same world at the same moment" DESKTOP_ONLY) {
  TempDir d;
  ui::LabApp app(desktop(d));
  REQUIRE(app.open_scenario("raft-3", 7));
  app.command_json(R"({"op":"ui.run_ms","value":300})");
  REQUIRE(app.apply(Command{"crash", {{"node", "n1"}}}).ok);
  app.command_json(R"({"op":"ui.run_ms","value":500})");
  const std::string file = app.save_replay();
  REQUIRE_FALSE(file.empty());
  CHECK(file.rfind((d.path / "data" / "replays").string(), 0) == 0);
  std::ifstream in(file);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string err;
  auto r = parse_replay(text, file, &err);
  REQUIRE_MESSAGE(r.has_value(), err);
  auto s = open_replay(*r, &err);
  REQUIRE_MESSAGE(s, err);
  CHECK(s->world().now() == app.world()->now());
  CHECK(s->world().trace().hash() == app.world()->trace().hash());
  // In a lesson there is no replay to save: the lesson keeps its progress instead.
  REQUIRE(app.open_catalogue_lesson("01-one-system-many-computers", 1));
  CHECK(app.save_replay().empty());
  CHECK(has(app.last_error(), "only a free-play world"));
}

TEST_CASE("catalogue by keyboard: Tab reaches Continue, Enter opens the lesson where it was left" DESKTOP_ONLY) {
  TempDir d;
  AppHarness h;
  ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;   // as the desktop app sets it
  {
    ui::LabApp app(desktop(d));
    REQUIRE(app.open_catalogue_lesson("02-copies-are-not-enough", 4));
    h.frame(app);
  }
  ui::LabApp app(desktop(d));
  for (int i = 0; i < 3; ++i) h.frame(app);
  REQUIRE(app.catalogue_shown());
  REQUIRE(app.runner() == nullptr);
  h.key(app, ImGuiKey_Tab);
  h.key(app, ImGuiKey_Enter);
  h.frame(app);
  REQUIRE(app.runner() != nullptr);
  CHECK(app.runner()->lesson().id == "02-copies-are-not-enough");
  CHECK(app.runner()->step_index() == 3);
  CHECK_FALSE(app.catalogue_shown());
  ImGui::GetIO().ConfigFlags &= ~ImGuiConfigFlags_NavEnableKeyboard;
}

TEST_CASE("Record a lesson: ui.record_start, play, ui.record_stop gives a lesson that opens and checks" DESKTOP_ONLY) {
  TempDir d;
  AppHarness h;
  ui::LabApp app(desktop(d));
  CHECK_FALSE(ok_json(app.command_json(R"({"op":"ui.record_stop"})")));   // nothing is being recorded
  REQUIRE(app.open_scenario("raft-3", 4));
  app.command_json(R"({"op":"ui.run_ms","value":700})");
  REQUIRE(ok_json(app.command_json(R"({"op":"ui.record_start"})")));
  CHECK(app.world()->now() == 0);   // the recording plays the scenario from its start
  CHECK(has(app.state_json(), "\"recording\":true"));
  app.command_json(R"({"op":"ui.run_ms","value":1500})");
  REQUIRE(app.apply(Command{"crash", {{"node", "n3"}}}).ok);
  app.command_json(R"({"op":"ui.run_ms","value":2000})");
  const std::string r = app.command_json(R"({"op":"ui.record_stop"})");
  REQUIRE(ok_json(r));
  CHECK(has(r, "crash node="));
  CHECK(has(app.state_json(), "\"recording\":false"));
  // The text, as the page would offer it for download, opens as a lesson.
  const size_t at = r.find("\"text\":");
  REQUIRE(at != std::string::npos);
  std::string text = app.stop_recording();   // refused now: a clear message, nothing recorded
  CHECK(text.empty());
  CHECK(has(app.last_error(), "nothing is being recorded"));
  // In a lesson there is nothing to record.
  REQUIRE(app.open_catalogue_lesson("01-one-system-many-computers", 1));
  CHECK_FALSE(app.start_recording());
  h.frame(app);
}

TEST_CASE("the lab in Spanish: the narration and the description speak Spanish; English stays the default") {
  ui::load_languages();
  struct Restore { ~Restore() { i18n::set_language("en"); } } restore;
  REQUIRE(i18n::set_language("es") == "es");
  AppHarness h;
  ui::LabApp app{ui::AppOptions{}};
  REQUIRE(app.open_scenario("raft-5", 1));
  app.command_json(R"({"op":"ui.run_ms","value":1000})");
  REQUIRE(app.apply(Command{"crash", {{"node", "n2"}}}).ok);
  app.command_json(R"({"op":"ui.run_ms","value":1000})");
  h.frame(app);
  const std::string s = app.state_json();
  CHECK(has(s, "pasó a ser líder en el mandato"));
  CHECK(has(s, "n2 se cayó"));
  app.key_describe();
  CHECK(has(app.state_json(), "5 servidores: "));
  i18n::set_language("en");
  ui::LabApp en{ui::AppOptions{}};
  REQUIRE(en.open_scenario("raft-5", 1));
  en.command_json(R"({"op":"ui.run_ms","value":1000})");
  CHECK(has(en.state_json(), "became leader in term"));
}

TEST_CASE("catalogue: the Topic picker lists only the lessons about a topic" DESKTOP_ONLY) {
  TempDir d;
  AppHarness h;
  ui::LabApp app{desktop(d)};
  h.frame(app);
  size_t all = 0, about = 0;
  for (const auto& e : app.catalogue()) {
    ++all;
    about += std::find(e.tags.begin(), e.tags.end(), "use case") != e.tags.end() ? 1 : 0;
  }
  REQUIRE(about >= 2);
  REQUIRE(about < all);
  auto listed = [&] {
    const std::string s = app.state_json();
    size_t n = 0;
    for (size_t at = s.find("\"listed\":true"); at != std::string::npos; at = s.find("\"listed\":true", at + 1)) ++n;
    return n;
  };
  CHECK(listed() == all);
  REQUIRE(ok_json(app.command_json(R"({"op":"ui.catalogue_topic","name":"use case"})")));
  h.frame(app);
  CHECK(listed() == about);
  CHECK(has(app.state_json(), "\"topic\":\"use case\""));
  // An unknown topic is refused, naming the known ones; the filter stays.
  const std::string bad = app.command_json(R"({"op":"ui.catalogue_topic","name":"knitting"})");
  CHECK_FALSE(ok_json(bad));
  CHECK(has(bad, "no lesson is about \\\"knitting\\\""));
  CHECK(has(bad, "fault tolerance"));
  CHECK(listed() == about);
  REQUIRE(ok_json(app.command_json(R"({"op":"ui.catalogue_topic","name":""})")));
  CHECK(listed() == all);
}
