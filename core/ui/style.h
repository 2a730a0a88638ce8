// Look and feel: the embedded TTF font scaled for HiDPI, dark and light themes, the
// colour-blind-safe palette (Okabe-Ito) every view draws with, and where the window layout is
// kept (an ini file natively; on the web the same file lives in IDBFS, set up by the page).
#pragma once

#include <array>

#include "imgui.h"
#include "ui/palette.h"

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


/// Foreground text colour for the current theme.
ImU32 text_color();
/// Fill of an idle node for the current theme.
ImU32 node_fill();

}  // namespace topo::ui
