// The one colour palette of the lab: Okabe-Ito (Wong, Nature Methods 2011), safe for the common
// colour-vision deficiencies. Every view draws with these; colour is never the only cue.
#pragma once

#include "imgui.h"

namespace topo::ui {

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

}  // namespace topo::ui
