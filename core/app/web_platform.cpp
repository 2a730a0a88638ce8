// The browser's platform layer for Dear ImGui: see web_platform.h.
#ifdef __EMSCRIPTEN__
#include "app/web_platform.h"

#include <emscripten.h>
#include <emscripten/html5.h>

#include <cmath>
#include <cstdio>
#include <cstring>

#include "imgui.h"

namespace topo::app::web {
namespace {

constexpr const char* kCanvas = "#canvas";
double g_last_time = 0.0;
ImGuiMouseCursor g_cursor = ImGuiMouseCursor_COUNT;

struct CodeKey {
  const char* code;  // KeyboardEvent.code
  ImGuiKey key;
};
// Physical keys by KeyboardEvent.code; letters go by KeyboardEvent.key (the layout's letter), as
// imgui_impl_sdl2 maps SDL keycodes.
constexpr CodeKey kKeys[] = {
    {"Tab", ImGuiKey_Tab}, {"ArrowLeft", ImGuiKey_LeftArrow}, {"ArrowRight", ImGuiKey_RightArrow},
    {"ArrowUp", ImGuiKey_UpArrow}, {"ArrowDown", ImGuiKey_DownArrow}, {"PageUp", ImGuiKey_PageUp},
    {"PageDown", ImGuiKey_PageDown}, {"Home", ImGuiKey_Home}, {"End", ImGuiKey_End},
    {"Insert", ImGuiKey_Insert}, {"Delete", ImGuiKey_Delete}, {"Backspace", ImGuiKey_Backspace},
    {"Space", ImGuiKey_Space}, {"Enter", ImGuiKey_Enter}, {"Escape", ImGuiKey_Escape},
    {"Quote", ImGuiKey_Apostrophe}, {"Comma", ImGuiKey_Comma}, {"Minus", ImGuiKey_Minus},
    {"Period", ImGuiKey_Period}, {"Slash", ImGuiKey_Slash}, {"Semicolon", ImGuiKey_Semicolon},
    {"Equal", ImGuiKey_Equal}, {"BracketLeft", ImGuiKey_LeftBracket}, {"Backslash", ImGuiKey_Backslash},
    {"BracketRight", ImGuiKey_RightBracket}, {"Backquote", ImGuiKey_GraveAccent},
    {"CapsLock", ImGuiKey_CapsLock}, {"ScrollLock", ImGuiKey_ScrollLock}, {"NumLock", ImGuiKey_NumLock},
    {"PrintScreen", ImGuiKey_PrintScreen}, {"Pause", ImGuiKey_Pause},
    {"Numpad0", ImGuiKey_Keypad0}, {"Numpad1", ImGuiKey_Keypad1}, {"Numpad2", ImGuiKey_Keypad2},
    {"Numpad3", ImGuiKey_Keypad3}, {"Numpad4", ImGuiKey_Keypad4}, {"Numpad5", ImGuiKey_Keypad5},
    {"Numpad6", ImGuiKey_Keypad6}, {"Numpad7", ImGuiKey_Keypad7}, {"Numpad8", ImGuiKey_Keypad8},
    {"Numpad9", ImGuiKey_Keypad9}, {"NumpadDecimal", ImGuiKey_KeypadDecimal},
    {"NumpadDivide", ImGuiKey_KeypadDivide}, {"NumpadMultiply", ImGuiKey_KeypadMultiply},
    {"NumpadSubtract", ImGuiKey_KeypadSubtract}, {"NumpadAdd", ImGuiKey_KeypadAdd},
    {"NumpadEnter", ImGuiKey_KeypadEnter}, {"NumpadEqual", ImGuiKey_KeypadEqual},
    {"ControlLeft", ImGuiKey_LeftCtrl}, {"ShiftLeft", ImGuiKey_LeftShift}, {"AltLeft", ImGuiKey_LeftAlt},
    {"MetaLeft", ImGuiKey_LeftSuper}, {"ControlRight", ImGuiKey_RightCtrl}, {"ShiftRight", ImGuiKey_RightShift},
    {"AltRight", ImGuiKey_RightAlt}, {"MetaRight", ImGuiKey_RightSuper}, {"ContextMenu", ImGuiKey_Menu},
};

ImGuiKey key_of(const EmscriptenKeyboardEvent& e) {
  if (e.key[0] && !e.key[1]) {
    const char c = e.key[0];
    if (c >= 'a' && c <= 'z') return static_cast<ImGuiKey>(ImGuiKey_A + (c - 'a'));
    if (c >= 'A' && c <= 'Z') return static_cast<ImGuiKey>(ImGuiKey_A + (c - 'A'));
  }
  if (std::strncmp(e.code, "Key", 3) == 0 && e.code[3] >= 'A' && e.code[3] <= 'Z' && !e.code[4])
    return static_cast<ImGuiKey>(ImGuiKey_A + (e.code[3] - 'A'));
  if (std::strncmp(e.code, "Digit", 5) == 0 && e.code[5] >= '0' && e.code[5] <= '9' && !e.code[6])
    return static_cast<ImGuiKey>(ImGuiKey_0 + (e.code[5] - '0'));
  if (e.code[0] == 'F' && e.code[1] >= '1' && e.code[1] <= '9') {
    const int n = e.code[2] ? (e.code[1] - '0') * 10 + (e.code[2] - '0') : e.code[1] - '0';
    if (n >= 1 && n <= 12 && (!e.code[2] || !e.code[3])) return static_cast<ImGuiKey>(ImGuiKey_F1 + (n - 1));
  }
  for (const CodeKey& k : kKeys)
    if (std::strcmp(e.code, k.code) == 0) return k.key;
  return ImGuiKey_None;
}

EM_BOOL on_key(int type, const EmscriptenKeyboardEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  const bool down = type == EMSCRIPTEN_EVENT_KEYDOWN;
  io.AddKeyEvent(ImGuiMod_Ctrl, e->ctrlKey);
  io.AddKeyEvent(ImGuiMod_Shift, e->shiftKey);
  io.AddKeyEvent(ImGuiMod_Alt, e->altKey);
  io.AddKeyEvent(ImGuiMod_Super, e->metaKey);
  const ImGuiKey key = key_of(*e);
  if (key != ImGuiKey_None) io.AddKeyEvent(key, down);
  // As SDL2 did: a key release is always taken; a key press is left to the browser (so that it
  // sends the keypress with the typed character) except the keys the browser would act on
  // itself: Backspace, Tab, the arrows, F1-F12 and anything with Ctrl.
  if (!down) return EM_TRUE;
  const bool nav = key == ImGuiKey_Backspace || key == ImGuiKey_Tab || key == ImGuiKey_LeftArrow ||
                   key == ImGuiKey_RightArrow || key == ImGuiKey_UpArrow || key == ImGuiKey_DownArrow ||
                   (key >= ImGuiKey_F1 && key <= ImGuiKey_F12) || e->ctrlKey;
  return nav ? EM_TRUE : EM_FALSE;
}

EM_BOOL on_keypress(int, const EmscriptenKeyboardEvent* e, void*) {
  if (e->charCode >= 32) ImGui::GetIO().AddInputCharacterUTF16(static_cast<ImWchar16>(e->charCode));
  return EM_TRUE;
}

int imgui_button(unsigned short dom_button) {
  switch (dom_button) {
    case 0: return ImGuiMouseButton_Left;
    case 1: return ImGuiMouseButton_Middle;
    case 2: return ImGuiMouseButton_Right;
    default: return dom_button < ImGuiMouseButton_COUNT ? dom_button : -1;
  }
}

EM_BOOL on_mouse_move(int, const EmscriptenMouseEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddMouseSourceEvent(ImGuiMouseSource_Mouse);
  io.AddMousePosEvent(static_cast<float>(e->targetX), static_cast<float>(e->targetY));
  return EM_FALSE;
}

EM_BOOL on_mouse_button(int type, const EmscriptenMouseEvent* e, void*) {
  const int b = imgui_button(e->button);
  if (b < 0) return EM_FALSE;
  ImGuiIO& io = ImGui::GetIO();
  io.AddMouseSourceEvent(ImGuiMouseSource_Mouse);
  if (type == EMSCRIPTEN_EVENT_MOUSEDOWN) {
    io.AddKeyEvent(ImGuiMod_Ctrl, e->ctrlKey);
    io.AddKeyEvent(ImGuiMod_Shift, e->shiftKey);
    io.AddKeyEvent(ImGuiMod_Alt, e->altKey);
    io.AddKeyEvent(ImGuiMod_Super, e->metaKey);
    io.AddMousePosEvent(static_cast<float>(e->targetX), static_cast<float>(e->targetY));
  }
  io.AddMouseButtonEvent(b, type == EMSCRIPTEN_EVENT_MOUSEDOWN);
  // A press on the canvas is the lab's; a release anywhere ends a drag that began there.
  return EM_FALSE;
}

EM_BOOL on_mouse_leave(int, const EmscriptenMouseEvent*, void*) {
  ImGui::GetIO().AddMousePosEvent(-FLT_MAX, -FLT_MAX);
  return EM_FALSE;
}

EM_BOOL on_wheel(int, const EmscriptenWheelEvent* e, void*) {
  // Lines and pages to wheel notches as SDL2 and imgui_impl_sdl2 counted them (100 pixels a notch).
  double dx = e->deltaX, dy = e->deltaY;
  if (e->deltaMode == DOM_DELTA_PIXEL) { dx /= 100.0; dy /= 100.0; }
  else if (e->deltaMode == DOM_DELTA_LINE) { dx /= 3.0; dy /= 3.0; }
  else { dx *= 80.0 / 100.0; dy *= 80.0 / 100.0; }
  ImGuiIO& io = ImGui::GetIO();
  io.AddMouseSourceEvent(ImGuiMouseSource_Mouse);
  io.AddMouseWheelEvent(static_cast<float>(-dx), static_cast<float>(-dy));
  return EM_TRUE;
}

EM_BOOL on_focus(int type, const EmscriptenFocusEvent*, void*) {
  ImGui::GetIO().AddFocusEvent(type == EMSCRIPTEN_EVENT_FOCUS);
  return EM_FALSE;
}

void set_cursor(ImGuiMouseCursor c) {
  if (c == g_cursor) return;
  g_cursor = c;
  const char* css = "default";
  switch (c) {
    case ImGuiMouseCursor_None: css = "none"; break;
    case ImGuiMouseCursor_TextInput: css = "text"; break;
    case ImGuiMouseCursor_ResizeAll: css = "move"; break;
    case ImGuiMouseCursor_ResizeNS: css = "ns-resize"; break;
    case ImGuiMouseCursor_ResizeEW: css = "ew-resize"; break;
    case ImGuiMouseCursor_ResizeNESW: css = "nesw-resize"; break;
    case ImGuiMouseCursor_ResizeNWSE: css = "nwse-resize"; break;
    case ImGuiMouseCursor_Hand: css = "pointer"; break;
    case ImGuiMouseCursor_NotAllowed: css = "not-allowed"; break;
    default: break;
  }
  EM_ASM({ var c = Module.canvas || document.getElementById('canvas'); if (c) c.style.cursor = UTF8ToString($0); }, css);
}

/// Keeps the canvas' backing store at its CSS size times the pixel ratio; returns the CSS size.
void fit_canvas(double* css_w, double* css_h) {
  double w = 0, h = 0;
  emscripten_get_element_css_size(kCanvas, &w, &h);
  if (w <= 0 || h <= 0) { w = 1280; h = 800; }
  const double ratio = emscripten_get_device_pixel_ratio();
  const int pw = static_cast<int>(std::lround(w * ratio)), ph = static_cast<int>(std::lround(h * ratio));
  int cw = 0, ch = 0;
  emscripten_get_canvas_element_size(kCanvas, &cw, &ch);
  if (cw != pw || ch != ph) emscripten_set_canvas_element_size(kCanvas, pw, ph);
  *css_w = w;
  *css_h = h;
}

}  // namespace

bool create_context() {
  double w = 0, h = 0;
  fit_canvas(&w, &h);
  EmscriptenWebGLContextAttributes attrs;
  emscripten_webgl_init_context_attributes(&attrs);
  // What SDL2 asked for with this app's attributes: no alpha, depth, stencil or multisampling.
  attrs.alpha = EM_FALSE;
  attrs.depth = EM_FALSE;
  attrs.stencil = EM_FALSE;
  attrs.antialias = EM_FALSE;
  attrs.majorVersion = 2;
  attrs.minorVersion = 0;
  // imgui_impl_opengl3 uses WebGL2 itself, no extension: enabling every extension the browser
  // offers (Emscripten's default) is one synchronous call to the GPU process each.
  attrs.enableExtensionsByDefault = EM_FALSE;
  const EMSCRIPTEN_WEBGL_CONTEXT_HANDLE ctx = emscripten_webgl_create_context(kCanvas, &attrs);
  if (ctx <= 0) {
    std::fprintf(stderr, "topolab: cannot create a WebGL2 context (error %d)\n", static_cast<int>(ctx));
    return false;
  }
  return emscripten_webgl_make_context_current(ctx) == EMSCRIPTEN_RESULT_SUCCESS;
}

float pixel_ratio() { return static_cast<float>(emscripten_get_device_pixel_ratio()); }

void imgui_init() {
  ImGuiIO& io = ImGui::GetIO();
  io.BackendPlatformName = "topolab_html5";
  io.BackendFlags |= ImGuiBackendFlags_HasMouseCursors;
  emscripten_set_mousemove_callback(kCanvas, nullptr, EM_FALSE, on_mouse_move);
  emscripten_set_mousedown_callback(kCanvas, nullptr, EM_FALSE, on_mouse_button);
  emscripten_set_mouseup_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, EM_FALSE, on_mouse_button);
  emscripten_set_mouseleave_callback(kCanvas, nullptr, EM_FALSE, on_mouse_leave);
  emscripten_set_wheel_callback(kCanvas, nullptr, EM_FALSE, on_wheel);
  emscripten_set_focus_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, on_focus);
  emscripten_set_blur_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, on_focus);
  emscripten_set_keydown_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, on_key);
  emscripten_set_keyup_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, on_key);
  emscripten_set_keypress_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, on_keypress);
  g_last_time = emscripten_get_now();
}

void imgui_new_frame() {
  ImGuiIO& io = ImGui::GetIO();
  double w = 0, h = 0;
  fit_canvas(&w, &h);
  int pw = 0, ph = 0;
  drawable_size(&pw, &ph);
  io.DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
  io.DisplayFramebufferScale = ImVec2(static_cast<float>(pw / w), static_cast<float>(ph / h));
  const double now = emscripten_get_now();
  io.DeltaTime = now > g_last_time ? static_cast<float>((now - g_last_time) / 1000.0) : 1.0f / 60.0f;
  g_last_time = now;
  if (!(io.ConfigFlags & ImGuiConfigFlags_NoMouseCursorChange))
    set_cursor(io.MouseDrawCursor ? ImGuiMouseCursor_None : ImGui::GetMouseCursor());
}

void drawable_size(int* w, int* h) { emscripten_get_canvas_element_size(kCanvas, w, h); }

}  // namespace topo::app::web
#endif
