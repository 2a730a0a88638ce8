// The one place where the desktop and the web main loops differ. On the desktop the loop body
// runs in a `while (!done)`; in the browser it becomes a function the browser calls once per
// animation frame (emscripten_set_main_loop with simulate_infinite_loop, so main's locals live
// on). Usage:  TOPOLAB_MAIN_LOOP_BEGIN { ...one frame... } TOPOLAB_MAIN_LOOP_END;
#pragma once

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <emscripten/html5.h>
#include <functional>

namespace topo::app {
/// The canvas' CSS size: the page lays the canvas out full-window; the window starts that big.
inline void initial_window_size(int* w, int* h) {
  double cw = 0, ch = 0;
  if (emscripten_get_element_css_size("#canvas", &cw, &ch) == EMSCRIPTEN_RESULT_SUCCESS && cw > 0 && ch > 0) {
    *w = static_cast<int>(cw);
    *h = static_cast<int>(ch);
  }
}
inline std::function<void()> g_frame;
inline void run_frame() { g_frame(); }
/// A start-up mark for the page: topolabPage.timings[name] = milliseconds since navigation start
/// (docs/performance.md, "First frame").
/// Each mark is also a performance.mark("topolab:NAME"), so that a browser trace shows it
/// (tests/e2e/startup_trace.mjs). "first_frame_drawn_ms" also tells the page, by the
/// "topolab-first-frame" event, that the lab has drawn (web/js/page.js starts then).
inline void startup_mark(const char* name) {
  EM_ASM({
    var name = UTF8ToString($0);
    var t = window.topolabPage && window.topolabPage.timings;
    if (t && !t[name]) t[name] = performance.now();
    if (performance.mark) performance.mark('topolab:' + name);
    if (name === 'first_frame_drawn_ms') window.dispatchEvent(new Event('topolab-first-frame'));
  }, name);
}
}  // namespace topo::app

#define TOPOLAB_MAIN_LOOP_BEGIN topo::app::g_frame = [&]() -> void
#define TOPOLAB_MAIN_LOOP_END \
  ;                           \
  emscripten_set_main_loop(topo::app::run_frame, 0, 1)
#else
#include <chrono>
#include <cstdio>
#include <cstdlib>
namespace topo::app {
/// The desktop window starts at the size given on the command line.
inline void initial_window_size(int*, int*) {}
/// With TOPOLAB_STARTUP_TIMES=1 in the environment, prints "topolab: startup NAME at EPOCH_MS"
/// (wall clock, so a script that noted when it started the process can subtract; see
/// tests/app/startup.sh).
inline void startup_mark(const char* name) {
  static const bool on = [] { const char* e = std::getenv("TOPOLAB_STARTUP_TIMES"); return e && *e == '1'; }();
  if (!on) return;
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  std::printf("topolab: startup %s at %.1f\n", name,
              std::chrono::duration<double, std::milli>(now).count());
  std::fflush(stdout);
}
}  // namespace topo::app
#define TOPOLAB_MAIN_LOOP_BEGIN while (!done)
#define TOPOLAB_MAIN_LOOP_END
#endif
