// The browser's platform layer for Dear ImGui: the WebGL2 context on the page's #canvas and the
// page's mouse, wheel, keyboard, text, focus and size, through Emscripten's html5 API. It replaces
// SDL2 on the web only (the desktop keeps SDL2): SDL2's video core linked its software surface
// blitters, its GL function-pointer table and its event layer into the module, about 300 KB of
// code and 80 KB of JavaScript that a full-window WebGL2 canvas does not use (issue 21,
// docs/performance.md "Web bundle"). The events are the ones SDL2 2.26 listened to, on the same
// targets (mouse on the canvas, button release on the document, keys on the window), with the
// same default actions prevented, so the page around the lab behaves as before.
#pragma once
#ifdef __EMSCRIPTEN__

namespace topo::app::web {

/// Creates the WebGL2 context on #canvas (sized to its CSS box times the device pixel ratio) and
/// makes it current. Returns false (and prints why) when the browser gives none.
bool create_context();
/// The device pixel ratio at start (the font atlas is rasterized for it).
float pixel_ratio();
/// Registers the event callbacks and tells ImGui about this backend (call after CreateContext).
void imgui_init();
/// Once per frame before ImGui::NewFrame: display size, framebuffer scale, the canvas' backing
/// store following its CSS size and the pixel ratio, delta time, the mouse cursor.
void imgui_new_frame();
/// The canvas' backing store in pixels.
void drawable_size(int* w, int* h);

}  // namespace topo::app::web

#endif
