// Look and feel: the embedded TTF font scaled for HiDPI, dark and light themes, the
// colour-blind-safe palette (Okabe-Ito) every view draws with, and where the window layout is
// kept (an ini file natively; on the web the same file lives in IDBFS, set up by the page).
#pragma once

#include <array>

#include "imgui.h"

namespace topo::ui {

enum class Theme { Dark, Light };

/// Loads the embedded font at 16 px x dpi_scale and applies a theme. Call once after
/// ImGui::CreateContext() and before the first frame.
void setup_style(float dpi_scale, Theme theme);
void apply_theme(Theme theme);
Theme current_theme();
/// Clear colour of the frame behind the ImGui windows (r, g, b in 0..1).
std::array<float, 3> background_color();
/// Path of the ImGui ini file (window layout kept between sessions).
const char* ini_path();

/// Okabe-Ito palette: safe for the common colour-vision deficiencies.
namespace palette {
constexpr ImU32 rgb(int r, int g, int b, int a = 255) {
  return (static_cast<ImU32>(a) << 24) | (static_cast<ImU32>(b) << 16) | (static_cast<ImU32>(g) << 8) | static_cast<ImU32>(r);
}
constexpr ImU32 orange = rgb(230, 159, 0);
constexpr ImU32 sky_blue = rgb(86, 180, 233);
constexpr ImU32 green = rgb(0, 158, 115);
constexpr ImU32 yellow = rgb(240, 228, 66);
constexpr ImU32 blue = rgb(0, 114, 178);
constexpr ImU32 vermillion = rgb(213, 94, 0);
constexpr ImU32 purple = rgb(204, 121, 167);
constexpr ImU32 grey = rgb(140, 140, 140);
}  // namespace palette

/// Foreground text colour for the current theme.
ImU32 text_color();
/// Fill of an idle node for the current theme.
ImU32 node_fill();

}  // namespace topo::ui
