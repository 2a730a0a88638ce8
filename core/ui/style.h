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
/// ImGui::CreateContext() and before the first frame. (Defined in style_font.cpp, with the font.)
void setup_style(float dpi_scale, Theme theme);
/// The same with the font's bytes given (they must outlive the ImGui context); no bytes: ImGui's
/// built-in font. The web page downloads the font next to the module instead of carrying it in
/// the module (issue 21), and a program that calls only this links no embedded font.
void setup_style_with_font(float dpi_scale, Theme theme, const unsigned char* ttf, int ttf_size);
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
