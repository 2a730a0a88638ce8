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
}  // namespace topo::app

#define TOPOLAB_MAIN_LOOP_BEGIN topo::app::g_frame = [&]() -> void
#define TOPOLAB_MAIN_LOOP_END \
  ;                           \
  emscripten_set_main_loop(topo::app::run_frame, 0, 1)
#else
namespace topo::app {
/// The desktop window starts at the size given on the command line.
inline void initial_window_size(int*, int*) {}
}  // namespace topo::app
#define TOPOLAB_MAIN_LOOP_BEGIN while (!done)
#define TOPOLAB_MAIN_LOOP_END
#endif
