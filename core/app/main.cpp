// The Topolab app: SDL2 + OpenGL3 on the desktop, WebGL2 and the page's events through
// Emscripten's html5 API in the browser (app/web_platform.h: SDL2 cost the page's download about
// 300 KB of code it did not use), one file for both. The shape of the main loop hides in
// platform_loop.h.
//
// Desktop flags: kAppFlags below (`topolab --help` prints them); an unknown flag or a missing
// value is an error, exit 2.
#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>

#include "app/web_gl_mirror.h"   // glViewport goes through the GL state mirror
#else
#include <SDL.h>
#include <SDL_opengl.h>
#endif

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#ifdef TOPOLAB_HAVE_ZLIB
#include <zlib.h>
#endif

#include "app/hooks.h"
#include "app/platform_loop.h"
#include "imgui.h"
#include "imgui_impl_opengl3.h"
#ifdef __EMSCRIPTEN__
#include "app/web_platform.h"
#else
#include "imgui_impl_sdl2.h"
#endif
#include "lesson/catalog.h"
#include "lesson/progress_store.h"
#include "lesson/text.h"
#include "scenario/share_link.h"
#include "ui/lab_app.h"
#include "ui/languages.h"
#include "util/i18n.h"
#include "ui/style.h"

#ifndef __EMSCRIPTEN__
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>
#endif

namespace {

struct Options {
  topo::ui::AppOptions app;
  int frames = -1;
  std::string screenshot;
  std::string tab;   // side tab to show first
  std::string state_file;  // --state: the state() JSON written when the app exits
  std::string open_link;   // --open with a share link instead of a file
  std::string lesson;      // --lesson ID|FILE, resolved after the flags are read
  int step = 0;            // --step N (0: where the learner left it)
  bool reset_progress = false;
  std::string lang;        // --lang CODE
  bool named_world = false;  // --scenario, --lesson or --open given: no start screen
  int width = 1280;
  int height = 800;
};

// The app's flags, one row each: `--help` prints this table; anything else is an error (exit 2).
struct AppFlag {
  const char* name;
  const char* value;  // nullptr: a switch
  const char* help;
};
const AppFlag kAppFlags[] = {
    {"--scenario", "NAME", "open a built-in scenario (default: the placeholder world \"ping\")"},
    {"--lesson", "ID|FILE", "open a lesson: a catalogue id (01-one-system-many-computers, or its file name without .toml) or a file, reloaded when it changes on disk; without --step it opens where you left it"},
    {"--step", "N", "with --lesson: start at step N (1-based)"},
    {"--lessons", "DIR", "the teacher's lesson folder, listed beside the bundled lessons (default: DATA/lessons)"},
    {"--lang", "CODE", "the lab's language: en, es (default: the last one chosen, else the locale: LANGUAGE, LC_ALL, LC_MESSAGES, LANG)"},
    {"--reset-progress", nullptr, "forget every lesson's saved progress for this user, then exit"},
    {"--open", "FILE|LINK", "open a replay file (e.g. a chaos counterexample) or a share link from the page, paused at its moment"},
    {"--state", "FILE", "when the app exits, write the lab's state (the page's state() JSON) to FILE"},
    {"--seed", "N", "the world's seed"},
    {"--tab", "NAME", "the side tab to show first: Inspector, Tools, Charts, History or \"Event log\""},
    {"--frames", "N", "render N frames, then quit (for tests and screenshots)"},
    {"--screenshot", "FILE", "write the last frame's framebuffer as PNG (with --frames)"},
    {"--size", "WxH", "window size in pixels (default 1280x800)"},
    {"--version", nullptr, "print the version and exit"},
    {"-h, --help", nullptr, "print this help and exit"},
};

void print_help() {
  std::printf("usage: topolab [--scenario NAME | --lesson ID|FILE [--step N] | --open FILE|LINK] [--seed N]\n"
              "               [--lessons DIR] [--tab NAME] [--frames N] [--screenshot FILE] [--size WxH] [--state FILE]\n"
              "       topolab --reset-progress\n\n"
              "Topolab %s: the lab's desktop app. With no lesson, scenario or link it opens the lesson catalogue.\n"
              "Progress and your own lessons live in DATA = %s\n($XDG_DATA_HOME/topolab, else ~/.local/share/topolab).\n\nflags:\n",
              TOPOLAB_VERSION, topo::lesson::ProgressStore::default_dir().c_str());
  for (const auto& f : kAppFlags) {
    const std::string left = std::string(f.name) + (f.value ? std::string(" ") + f.value : "");
    std::printf("  %-19s %s\n", left.c_str(), f.help);
  }
}

bool parse_options(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&](const char* what) -> const char* {
      if (i + 1 >= argc || std::strncmp(argv[i + 1], "--", 2) == 0) {
        std::fprintf(stderr, "topolab: missing value for %s (see topolab --help)\n", what);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--scenario") { o->app.scenario = next("--scenario"); o->named_world = true; }
    else if (a == "--lesson") { o->lesson = next("--lesson"); o->named_world = true; }
    else if (a == "--step") {
      const char* v = next("--step");
      char* end = nullptr;
      const long n = std::strtol(v, &end, 10);
      if (*end || n < 1) {
        std::fprintf(stderr, "topolab: --step takes a step number from 1, not \"%s\"\n", v);
        return false;
      }
      o->step = static_cast<int>(n);
    }
    else if (a == "--lessons") o->app.lessons_dir = next("--lessons");
    else if (a == "--reset-progress") o->reset_progress = true;
    else if (a == "--lang") o->lang = next("--lang");
    else if (a == "--open") {
      o->named_world = true;
      const std::string what = next("--open");
      if (topo::looks_like_link(what)) o->open_link = what;
      else o->app.replay_file = what;
    }
    else if (a == "--state") o->state_file = next("--state");
    else if (a == "--tab") {
      o->tab = next("--tab");
      const std::string t = o->tab;
      if (t != "Inspector" && t != "Tools" && t != "Charts" && t != "History" && t != "Event log") {
        std::fprintf(stderr, "topolab: --tab takes Inspector, Tools, Charts, History or \"Event log\"\n");
        return false;
      }
    }
    else if (a == "--seed") o->app.seed = std::strtoull(next("--seed"), nullptr, 10);
    else if (a == "--frames") o->frames = std::atoi(next("--frames"));
    else if (a == "--screenshot") o->screenshot = next("--screenshot");
    else if (a == "--size") {
      if (std::sscanf(next("--size"), "%dx%d", &o->width, &o->height) != 2) {
        std::fprintf(stderr, "topolab: --size takes WIDTHxHEIGHT, e.g. 1280x800\n");
        return false;
      }
    } else if (a == "--help" || a == "-h") {
      print_help();
      std::exit(0);
    } else if (a == "--version") {
      std::printf("topolab %s\n", TOPOLAB_VERSION);
      std::exit(0);
    } else {
      std::vector<std::string> names = {"--help"};
      for (const auto& f : kAppFlags)
        if (f.name[0] == '-' && f.name[1] == '-') names.push_back(f.name);
      const std::string near = topo::lesson::closest(a, names);
      std::fprintf(stderr, "topolab: unknown option \"%s\"%s (see topolab --help)\n", a.c_str(),
                   near.empty() ? "" : (" (did you mean " + near + "?)").c_str());
      return false;
    }
  }
  if (o->step > 0 && o->lesson.empty()) {
    std::fprintf(stderr, "topolab: --step needs --lesson (see topolab --help)\n");
    return false;
  }
  return true;
}

#ifndef __EMSCRIPTEN__
/// --lesson ID|FILE: a file that exists, else a lesson of the catalogue (bundled, then the
/// teacher's folder) by id or file stem. False, with a message naming the lessons, when neither.
bool resolve_lesson(Options* o) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(o->lesson, ec)) {
    o->app.lesson_file = o->lesson;
    return true;
  }
  auto all = topo::lesson::scan_lessons(topo::ui::LabApp::bundled_lesson_dir(), "bundled");
  if (!o->app.lessons_dir.empty()) {
    auto mine = topo::lesson::scan_lessons(o->app.lessons_dir, "yours");
    all.insert(all.end(), mine.begin(), mine.end());
  }
  if (const auto* e = topo::lesson::find_lesson(all, o->lesson)) {
    o->app.lesson_file = e->path;
    return true;
  }
  std::vector<std::string> ids;
  for (const auto& e : all) ids.push_back(e.id);
  std::fprintf(stderr, "topolab: --lesson %s: no such file, and no lesson with that id%s (run topolab without flags to see the catalogue)\n",
               o->lesson.c_str(), topo::lesson::did_you_mean(o->lesson, ids).c_str());
  return false;
}
#endif

#ifdef TOPOLAB_HAVE_ZLIB
/// A share link's compressed command log (the page's CompressionStream('deflate-raw')).
std::optional<std::string> inflate_raw(const std::string& in) {
  z_stream zs{};
  if (inflateInit2(&zs, -15) != Z_OK) return std::nullopt;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[16384];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.append(buf, sizeof buf - zs.avail_out);
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) break;  // truncated
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}
#endif

/// `--open LINK`: the page's share link, opened paused at its moment; a bad link is reported on
/// stderr and in the lab, which keeps its world.
void open_link(topo::ui::LabApp& app, const std::string& link) {
  std::string err;
  auto l = topo::parse_share_link(link, &err);
  std::optional<topo::ReplayFile> r;
  if (l && !l->lesson.empty() && !l->log_kind) {   // ?lesson=ID&step=N: that bundled lesson at that step
    if (!app.open_catalogue_lesson(l->lesson, static_cast<int>(l->step.value_or(1))))
      std::fprintf(stderr, "topolab: %s\n", app.last_error().c_str());
    return;
  }
  if (l) {
    std::optional<std::string> log = l->log_bytes;
    if (l->log_kind == 'z') {
#ifdef TOPOLAB_HAVE_ZLIB
      log = inflate_raw(l->log_bytes);
      if (!log) err = "link: the command log is damaged (cannot decompress it)";
#else
      log.reset();
      err = "link: this build cannot read compressed links";
#endif
    }
    if (log) r = topo::replay_of_link(*l, *log, &err);
  }
  if (!r) app.report_error(err);
  if (!r || !app.open_replay(*r, "the link")) std::fprintf(stderr, "topolab: %s\n", app.last_error().c_str());
}

#ifndef __EMSCRIPTEN__
bool write_screenshot(const std::string& path, int w, int h) {
  std::vector<unsigned char> pixels(static_cast<size_t>(w) * h * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  stbi_flip_vertically_on_write(1);
  return stbi_write_png(path.c_str(), w, h, 4, pixels.data(), w * 4) != 0;
}
#endif

}  // namespace

int main(int argc, char** argv) {
  topo::app::startup_mark("main_ms");
  Options opt;
  if (!parse_options(argc, argv, &opt)) return 2;
#ifndef __EMSCRIPTEN__
  opt.app.data_dir = topo::lesson::ProgressStore::default_dir();
  if (opt.app.lessons_dir.empty() && !opt.app.data_dir.empty()) opt.app.lessons_dir = opt.app.data_dir + "/lessons";
  if (opt.reset_progress) {
    if (opt.app.data_dir.empty()) {
      std::fprintf(stderr, "topolab: no data folder (set HOME or XDG_DATA_HOME)\n");
      return 1;
    }
    const int n = topo::lesson::ProgressStore(opt.app.data_dir).reset_all();
    std::printf("topolab: forgot the saved progress in %s (%d file(s) removed)\n", opt.app.data_dir.c_str(), n);
    return 0;
  }
  if (!opt.lesson.empty() && !resolve_lesson(&opt)) return 2;
  opt.app.lesson_step = opt.step;
  opt.app.catalogue = !opt.named_world;
#endif
  topo::ui::load_languages();
  std::string lang = opt.lang;
#ifndef __EMSCRIPTEN__
  if (lang.empty() && !opt.app.data_dir.empty()) {   // the language chosen last time (View > Language)
    std::FILE* f = std::fopen((opt.app.data_dir + "/language.txt").c_str(), "r");
    char buf[32] = {0};
    if (f) {
      if (std::fgets(buf, sizeof buf, f)) lang = std::string(buf).substr(0, std::strcspn(buf, "\r\n"));
      std::fclose(f);
    }
  }
  for (const char* var : {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"})
    if (lang.empty())
      if (const char* v = std::getenv(var); v && *v) lang = topo::i18n::from_locale(std::string(v).substr(0, std::string(v).find(':')));
#endif
  if (!lang.empty()) {
    const std::string used = topo::i18n::set_language(lang);
    if (!opt.lang.empty() && used != opt.lang && used != opt.lang.substr(0, 2)) {
      std::string have;
      for (const auto& l : topo::i18n::languages()) have += (have.empty() ? "" : ", ") + l.code;
      std::fprintf(stderr, "topolab: --lang %s: no such language (the lab has %s)\n", opt.lang.c_str(), have.c_str());
      return 2;
    }
  }

#ifdef __EMSCRIPTEN__
  const char* glsl_version = "#version 300 es";
  if (!topo::app::web::create_context()) return 1;
  topo::app::startup_mark("gl_context_ms");
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  io.IniFilename = topo::ui::ini_path();
  topo::app::web::imgui_init();
  ImGui_ImplOpenGL3_Init(glsl_version);
  const float dpi_scale = topo::app::web::pixel_ratio() > 1.0f ? topo::app::web::pixel_ratio() : 1.0f;
#else
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    std::fprintf(stderr, "topolab: SDL_Init failed: %s\n", SDL_GetError());
    return 1;
  }
  topo::app::startup_mark("sdl_init_ms");
  const char* glsl_version = "#version 130";
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
  SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
  topo::app::initial_window_size(&opt.width, &opt.height);
  auto flags = static_cast<SDL_WindowFlags>(SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  SDL_Window* window = SDL_CreateWindow("Topolab", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                        opt.width, opt.height, flags);
  if (!window) {
    std::fprintf(stderr, "topolab: cannot open a window: %s\n", SDL_GetError());
    return 1;
  }
  topo::app::startup_mark("window_ms");
  SDL_GLContext gl = SDL_GL_CreateContext(window);
  if (!gl) {
    std::fprintf(stderr, "topolab: cannot create an OpenGL 3 / WebGL2 context: %s\n", SDL_GetError());
    return 1;
  }
  SDL_GL_MakeCurrent(window, gl);
  topo::app::startup_mark("gl_context_ms");
  SDL_GL_SetSwapInterval(opt.frames > 0 ? 0 : 1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  io.IniFilename = topo::ui::ini_path();
  ImGui_ImplSDL2_InitForOpenGL(window, gl);
  ImGui_ImplOpenGL3_Init(glsl_version);

  float dpi_scale = 1.0f;
  {
    int dw = 0, ww = 0, dh = 0, wh = 0;
    SDL_GL_GetDrawableSize(window, &dw, &dh);
    SDL_GetWindowSize(window, &ww, &wh);
    if (ww > 0 && dw > ww) dpi_scale = static_cast<float>(dw) / static_cast<float>(ww);
  }
#endif
#ifdef __EMSCRIPTEN__
  // The page downloads the UI font next to the module and writes it here before main() runs
  // (web/js/loader.js); without it the lab still starts, in ImGui's own font.
  static std::vector<unsigned char> font;
  if (std::FILE* f = std::fopen("/fonts/ui-font.ttf", "rb")) {
    unsigned char buf[16384];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) font.insert(font.end(), buf, buf + n);
    std::fclose(f);
  } else {
    std::fprintf(stderr, "topolab: /fonts/ui-font.ttf is missing: using ImGui's built-in font\n");
  }
  topo::ui::setup_style_with_font(dpi_scale, topo::ui::Theme::Dark, font.data(), static_cast<int>(font.size()));
#else
  topo::ui::setup_style(dpi_scale, topo::ui::Theme::Dark);
#endif

  topo::app::startup_mark("style_ms");
  // The font atlas (every glyph of the UI font rasterised once) is built here rather than inside
  // the first NewFrame, so that the start-up marks tell it apart from the shaders.
  io.Fonts->Build();
  topo::app::startup_mark("font_atlas_ms");
  topo::ui::LabApp app(opt.app);
  if (!opt.open_link.empty()) open_link(app, opt.open_link);
  if (!opt.tab.empty()) app.show_tab(opt.tab);
  topo::app::startup_mark("app_ms");
  topo::app::set_hook_target(&app);
  int frame = 0;
  bool done = false;
#ifdef __EMSCRIPTEN__
  double last = emscripten_get_now();
#else
  Uint64 last = SDL_GetPerformanceCounter();
#endif

  TOPOLAB_MAIN_LOOP_BEGIN {
#ifdef __EMSCRIPTEN__
    const double now = emscripten_get_now();
    double dt = (now - last) / 1000.0;
    last = now;
#else
    SDL_Event event;
    while (SDL_PollEvent(&event)) {
      ImGui_ImplSDL2_ProcessEvent(&event);
      if (event.type == SDL_QUIT) done = true;
      if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_CLOSE &&
          event.window.windowID == SDL_GetWindowID(window))
        done = true;
      if (event.type == SDL_DROPFILE) {
        app.open_lesson_file(event.drop.file, 0);
        SDL_free(event.drop.file);
      }
    }
    Uint64 now = SDL_GetPerformanceCounter();
    double dt = static_cast<double>(now - last) / static_cast<double>(SDL_GetPerformanceFrequency());
    last = now;
    if (opt.frames > 0) dt = 1.0 / 60.0;  // fixed steps: the same frames every test run
#endif

    ImGui_ImplOpenGL3_NewFrame();  // the first call compiles the shaders and builds the font atlas
    if (frame == 0) topo::app::startup_mark("device_objects_ms");
#ifdef __EMSCRIPTEN__
    topo::app::web::imgui_new_frame();
#else
    ImGui_ImplSDL2_NewFrame();
#endif
    ImGui::NewFrame();
    app.frame(dt);
    ImGui::Render();
    int w = 0, h = 0;
#ifdef __EMSCRIPTEN__
    topo::app::web::drawable_size(&w, &h);
#else
    SDL_GL_GetDrawableSize(window, &w, &h);
#endif
    glViewport(0, 0, w, h);
    const auto bg = topo::ui::background_color();
    glClearColor(bg[0], bg[1], bg[2], 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    ++frame;
#ifndef __EMSCRIPTEN__
    if (opt.frames > 0 && frame >= opt.frames) {
      if (!opt.screenshot.empty()) {
        if (!write_screenshot(opt.screenshot, w, h)) {
          std::fprintf(stderr, "topolab: cannot write %s\n", opt.screenshot.c_str());
          done = true;
          frame = -1;
        } else {
          std::printf("topolab: wrote %s (%dx%d) after %d frames\n", opt.screenshot.c_str(), w, h, frame);
        }
      }
      done = true;
    }
#endif
#ifndef __EMSCRIPTEN__
    SDL_GL_SwapWindow(window);
#endif
    if (frame == 1) topo::app::startup_mark("first_frame_drawn_ms");
#ifdef __EMSCRIPTEN__
    if (frame == 2) topo::app::web::check_deferred_gl_status();   // nothing waits for the GPU now
#endif
    if (app.wants_quit()) done = true;
  }
  TOPOLAB_MAIN_LOOP_END;

  if (!opt.state_file.empty()) {
    std::FILE* f = std::fopen(opt.state_file.c_str(), "w");
    const std::string state = app.state_json();
    if (!f || std::fwrite(state.data(), 1, state.size(), f) != state.size()) {
      std::fprintf(stderr, "topolab: cannot write %s\n", opt.state_file.c_str());
      frame = -1;
    }
    if (f) std::fclose(f);
  }
  ImGui_ImplOpenGL3_Shutdown();
#ifndef __EMSCRIPTEN__
  ImGui_ImplSDL2_Shutdown();
#endif
  ImGui::DestroyContext();
#ifndef __EMSCRIPTEN__
  SDL_GL_DeleteContext(gl);
  SDL_DestroyWindow(window);
  SDL_Quit();
#endif
  return frame < 0 ? 1 : 0;
}
