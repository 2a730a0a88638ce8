// The canvas's vector maths (ui/geom.h, GLM): the camera fit fills the limiting dimension and
// centres the other, zoom and pan act about the centre, the hull outlines a partition, the
// distance to an edge decides hovering, Bezier edges start and end at their cards.
#include <doctest/doctest.h>

#include "ui/geom.h"

using namespace topo::ui;

TEST_CASE("camera fit: the box fills the limiting dimension of the area, centred in the other") {
  // A 2 x 1 box into a 400 x 400 area: width limits (scale 200), height centred.
  const Camera c = fit_camera({-1, 0}, {1, 1}, {0, 0}, {400, 400}, 1.0f, {0, 0}, 1.0f);
  CHECK(c.scale == doctest::Approx(200.0f));
  CHECK(c.to_screen({-1, 0}).x == doctest::Approx(0.0f));
  CHECK(c.to_screen({1, 0}).x == doctest::Approx(400.0f));
  CHECK(c.to_screen({0, 0.5f}).y == doctest::Approx(200.0f));   // centred vertically
  CHECK(c.to_layout(c.to_screen({0.3f, 0.7f})).x == doctest::Approx(0.3f));
  // Zoom about the centre, pan in pixels; a minimum scale for a huge box.
  const Camera z = fit_camera({-1, 0}, {1, 1}, {0, 0}, {400, 400}, 2.0f, {10, -5}, 1.0f);
  CHECK(z.scale == doctest::Approx(400.0f));
  CHECK(z.to_screen({0, 0.5f}).x == doctest::Approx(210.0f));
  CHECK(z.to_screen({0, 0.5f}).y == doctest::Approx(195.0f));
  CHECK(fit_camera({0, 0}, {1000, 1000}, {0, 0}, {100, 100}, 1.0f, {0, 0}, 20.0f).scale == doctest::Approx(20.0f));
}

TEST_CASE("hull, distance and Bezier") {
  const auto h = convex_hull({{0, 0}, {10, 0}, {10, 10}, {0, 10}, {5, 5}, {2, 3}});
  CHECK(h.size() == 4);   // the interior points are not on the outline
  CHECK(distance_to_segment({5, 3}, {0, 0}, {10, 0}) == doctest::Approx(3.0f));
  CHECK(distance_to_segment({-4, 3}, {0, 0}, {10, 0}) == doctest::Approx(5.0f));   // past the end
  const glm::vec2 a{0, 0}, b{100, 50};
  CHECK(glm::distance(cubic_bezier(a, {50, 0}, {50, 50}, b, 0.0f), a) < 1e-4f);
  CHECK(glm::distance(cubic_bezier(a, {50, 0}, {50, 50}, b, 1.0f), b) < 1e-4f);
  CHECK(cubic_bezier(a, {50, 0}, {50, 50}, b, 0.5f).x == doctest::Approx(50.0f));
}
