// Headless Dear ImGui harness for the widget tests: a context with no platform or renderer
// backend (fixed 1280x800 display, default font atlas built), a full-screen window to draw
// widgets in, mouse input injected through ImGuiIO events, and checks on the vertices a widget
// added to the window's draw list (set WDEBUG=1 in the environment to print the vertices that
// fall outside).
#pragma once

#include <doctest/doctest.h>

#include <functional>
#include <cstdio>
#include <cstdlib>

#include "imgui.h"

namespace topo::ui::test {

/// Owns an ImGui context for one test case. Each frame() call runs NewFrame, opens the
/// full-screen window "W" (no decoration, no padding changes), calls `body`, then Render.
class Harness {
 public:
  Harness() {
    ctx_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1280.0f, 800.0f);
    io.DeltaTime = 1.0f / 60.0f;
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  }
  ~Harness() { ImGui::DestroyContext(ctx_); }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  /// Runs one frame with the mouse at `mouse` and the left button `down`.
  void frame(const std::function<void()>& body, ImVec2 mouse = ImVec2(-1000.0f, -1000.0f),
             bool down = false) {
    ImGuiIO& io = ImGui::GetIO();
    io.AddMousePosEvent(mouse.x, mouse.y);
    io.AddMouseButtonEvent(0, down);
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("W", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
    body();
    ImGui::End();
    ImGui::Render();
  }

 private:
  ImGuiContext* ctx_ = nullptr;
};

/// Vertices a piece of code adds to the current window's draw list (call inside a frame).
struct VertexSpan {
  int begin = 0;
  int end = 0;
};
inline VertexSpan capture(const std::function<void()>& body) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  VertexSpan s;
  s.begin = dl->VtxBuffer.Size;
  body();
  s.end = dl->VtxBuffer.Size;
  return s;
}

/// Number of vertices of `s` that lie outside [min - tol, max + tol].
inline int vertices_outside(const VertexSpan& s, ImVec2 min, ImVec2 max, float tol = 1.5f) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  int outside = 0;
  for (int i = s.begin; i < s.end; ++i) {
    const ImVec2 p = dl->VtxBuffer[i].pos;
    if (p.x < min.x - tol || p.x > max.x + tol || p.y < min.y - tol || p.y > max.y + tol) { ++outside; if (getenv("WDEBUG")) printf("out %d: %.1f %.1f (rect %.1f %.1f - %.1f %.1f)\n", i, p.x, p.y, min.x, min.y, max.x, max.y); }
  }
  return outside;
}

}  // namespace topo::ui::test
