// The services painter: Kiali and Vizceral done for teaching. Each deployable is a card (its
// title, a health mark, its replicas inside, a CPU bar and its queue); each call edge is a line
// from caller to callee whose particles stream at a density that follows the request rate,
// whose colour AND dash pattern say healthy / degraded / failing, with the circuit breaker's
// state, retries, timeouts and a canary's traffic share written on it. Hovering a card or an edge
// shows rps, p50/p99 and error rate. All numbers come from the services model's rolling windows.
#pragma once

#include <memory>
#include <string>

#include "ui/painters/painter.h"

namespace topo::ui {

/// How an edge or a service is doing.
enum class Health { Idle, Healthy, Degraded, Failing };
const char* to_string(Health h);

/// Thresholds (stated in the legend): failing at >= 10% errors or an open breaker; degraded at
/// >= 1% errors, p99 >= 500 ms or a half-open breaker; idle with no calls in the window.
constexpr double kFailingErrorRate = 0.10;
constexpr double kDegradedErrorRate = 0.01;
constexpr double kDegradedP99Ms = 500.0;
/// `breaker`: "off", "closed", "open" or "half_open".
Health classify_health(double calls_per_s, double error_rate, double p99_ms, const std::string& breaker);

/// Particles drawn on an edge carrying `rps` calls per second: none at 0, then growing with the
/// logarithm of the rate (1 rps -> 3, 10 -> 9, 100 -> 17, capped at 24) so both a trickle and a
/// flood are visible and a tenfold change is always a visible change.
int particle_count(double rps);

/// Simulated-time window the canvas reads rates over (shorter than the lessons' 10 s window so
/// the picture reacts within seconds).
constexpr Time kCanvasWindowUs = 3'000'000;

std::unique_ptr<WorldPainter> make_services_painter(const World& w);

}  // namespace topo::ui
