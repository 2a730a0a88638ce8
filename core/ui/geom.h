// The canvas's vector maths in GLM: the camera (layout units to screen pixels, fitted to a box),
// points along edges (straight and cubic), distances for hovering and the convex hull that
// outlines a partition. ImGui takes ImVec2 at the drawing boundary: gv()/iv() convert there.
#pragma once

#include <vector>

#include <glm/common.hpp>
#include <glm/geometric.hpp>
#include <glm/vec2.hpp>

#include "imgui.h"

namespace topo::ui {

inline glm::vec2 gv(ImVec2 p) { return {p.x, p.y}; }
inline ImVec2 iv(glm::vec2 p) { return {p.x, p.y}; }

/// Layout units -> screen pixels: origin + p * scale.
struct Camera {
  glm::vec2 origin{0.0f};
  float scale = 1.0f;
  glm::vec2 to_screen(glm::vec2 p) const { return origin + p * scale; }
  glm::vec2 to_layout(glm::vec2 s) const { return (s - origin) / scale; }
};

/// The camera that shows the layout box [lo, hi] centred in the screen rectangle [area_lo,
/// area_hi] as large as fits (at least `min_scale`), then zoomed by `zoom` about the centre and
/// moved by `pan` pixels.
Camera fit_camera(glm::vec2 lo, glm::vec2 hi, glm::vec2 area_lo, glm::vec2 area_hi, float zoom, glm::vec2 pan,
                  float min_scale);

/// The point of a cubic Bezier curve at t in [0, 1].
glm::vec2 cubic_bezier(glm::vec2 a, glm::vec2 c1, glm::vec2 c2, glm::vec2 b, float t);

/// Distance from p to the segment [a, b].
float distance_to_segment(glm::vec2 p, glm::vec2 a, glm::vec2 b);

/// Convex hull of the points, counter-clockwise in screen coordinates (monotone chain).
std::vector<glm::vec2> convex_hull(std::vector<glm::vec2> pts);

}  // namespace topo::ui
