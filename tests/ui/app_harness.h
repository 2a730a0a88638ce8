// Headless driving of the whole lab app for UI tests: an ImGui context with a built font atlas
// and no platform or renderer backend (draw data only); each frame runs LabApp::frame with the
// mouse and keys the test gives.
#pragma once

#include "imgui.h"
#include "ui/lab_app.h"

namespace topo::test {

struct AppHarness {
  AppHarness() {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1280, 800);
    io.IniFilename = nullptr;
    unsigned char* px = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
  }
  ~AppHarness() { ImGui::DestroyContext(); }
  AppHarness(const AppHarness&) = delete;
  AppHarness& operator=(const AppHarness&) = delete;

  /// One frame with the mouse at `mouse` (-1,-1: none); `button` >= 0 goes down or up with `down`.
  void frame(ui::LabApp& app, ImVec2 mouse = ImVec2(-1, -1), int button = -1, bool down = false) {
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = 1.0f / 60.0f;
    io.AddMousePosEvent(mouse.x, mouse.y);
    if (button >= 0) io.AddMouseButtonEvent(button, down);
    ImGui::NewFrame();
    app.frame(1.0 / 60.0);
    ImGui::Render();
  }
  /// Presses and releases `button` at `at` over two frames, then lets the UI settle.
  void click(ui::LabApp& app, ImVec2 at, int button) {
    frame(app, at);
    frame(app, at, button, true);
    frame(app, at, button, false);
    frame(app, at);
  }
  /// Presses and releases a key over two frames.
  void key(ui::LabApp& app, ImGuiKey k) {
    ImGui::GetIO().AddKeyEvent(k, true);
    frame(app);
    ImGui::GetIO().AddKeyEvent(k, false);
    frame(app);
  }
};

}  // namespace topo::test
