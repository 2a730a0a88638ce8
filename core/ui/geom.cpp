// The canvas's vector maths: see geom.h.
#include "ui/geom.h"

#include <algorithm>

namespace topo::ui {

Camera fit_camera(glm::vec2 lo, glm::vec2 hi, glm::vec2 area_lo, glm::vec2 area_hi, float zoom, glm::vec2 pan,
                  float min_scale) {
  const glm::vec2 box = glm::max(hi - lo, glm::vec2(0.1f));
  const glm::vec2 room = glm::max(area_hi - area_lo, glm::vec2(1.0f));
  const glm::vec2 fits = room / box;
  Camera c;
  c.scale = std::max(min_scale, std::min(fits.x, fits.y)) * zoom;
  const glm::vec2 mid = (lo + hi) * 0.5f;
  c.origin = (area_lo + area_hi) * 0.5f + pan - mid * c.scale;
  return c;
}

glm::vec2 cubic_bezier(glm::vec2 a, glm::vec2 c1, glm::vec2 c2, glm::vec2 b, float t) {
  const float u = 1.0f - t;
  return u * u * u * a + 3.0f * u * u * t * c1 + 3.0f * u * t * t * c2 + t * t * t * b;
}

float distance_to_segment(glm::vec2 p, glm::vec2 a, glm::vec2 b) {
  const glm::vec2 d = b - a;
  const float l2 = glm::dot(d, d);
  const float t = l2 > 0.0f ? glm::clamp(glm::dot(p - a, d) / l2, 0.0f, 1.0f) : 0.0f;
  return glm::distance(p, a + t * d);
}

std::vector<glm::vec2> convex_hull(std::vector<glm::vec2> p) {
  std::sort(p.begin(), p.end(), [](glm::vec2 a, glm::vec2 b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  if (p.size() < 3) return p;
  auto cross = [](glm::vec2 o, glm::vec2 a, glm::vec2 b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); };
  std::vector<glm::vec2> h(2 * p.size());
  size_t k = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    while (k >= 2 && cross(h[k - 2], h[k - 1], p[i]) <= 0) --k;
    h[k++] = p[i];
  }
  for (size_t i = p.size() - 1, t = k + 1; i > 0; --i) {
    while (k >= t && cross(h[k - 2], h[k - 1], p[i - 1]) <= 0) --k;
    h[k++] = p[i - 1];
  }
  h.resize(k - 1);
  return h;
}

}  // namespace topo::ui
