// The service model's runtime types (services.h): their small methods. The model itself is
// split by concept into files beside this one: processes.cpp (replica and client Processes),
// replicas.cpp (load balancing, replica lifecycle), controller.cpp (health checks, autoscaler,
// deployments, drains, chart series) and build.cpp (build_services_world, ServicesModel).
#include "models/services/services.h"

#include "models/services/internal.h"
#include "util/i18n.h"

namespace topo::svc {


const char* to_string(RState s) {
  switch (s) {
    case RState::Starting: return "starting";
    case RState::Ready: return "ready";
    case RState::Draining: return "draining";
    case RState::Stopped: return "stopped";
  }
  return "?";
}

const VersionSpec& DeployableRt::version_spec(const std::string& v) const {
  for (const auto& x : versions) if (x.name == v) return x;
  return versions.front();
}

EdgePolicy EdgeRt::effective() const {
  if (enabled) return configured;
  EdgePolicy off;
  off.breaker_cfg = configured.breaker_cfg;
  return off;
}

double TypeRt::rate_at(Time t) const {
  double r = rps;
  if (t < ramp_end && ramp_end > ramp_start) {
    const double f = static_cast<double>(t - ramp_start) / static_cast<double>(ramp_end - ramp_start);
    r = ramp_from + (ramp_to - ramp_from) * std::clamp(f, 0.0, 1.0);
  }
  if (diurnal_amplitude > 0 && diurnal_period_us > 0) {
    const double x = 2.0 * 3.14159265358979323846 * static_cast<double>(t % diurnal_period_us) /
                     static_cast<double>(diurnal_period_us);
    r *= 1.0 + diurnal_amplitude * det_sin(x);
  }
  if (t < spike_until) r *= spike_factor;
  return std::max(0.0, r);
}

int SystemRt::find_module(std::string_view n) const {
  for (size_t i = 0; i < modules.size(); i++) if (modules[i].spec.name == n) return static_cast<int>(i);
  return -1;
}
int SystemRt::find_dep(std::string_view n) const {
  for (size_t i = 0; i < deps.size(); i++) if (deps[i].spec.name == n) return static_cast<int>(i);
  return -1;
}
int SystemRt::find_type(std::string_view n) const {
  for (size_t i = 0; i < types.size(); i++) if (types[i].spec.name == n) return static_cast<int>(i);
  return -1;
}
int SystemRt::find_edge(std::string_view from, std::string_view to) const {
  for (size_t i = 0; i < edges.size(); i++)
    if (edges[i].from == from && edges[i].to == to) return static_cast<int>(i);
  return -1;
}

}  // namespace topo::svc

namespace topo::svc {

std::span<const Model::Word> ServicesModel::words() const {
  static constexpr Model::Word kWords[] = {
      // A replica's state and canary flag in the Inspector.
      {"starting", N_("starting")}, {"ready", N_("ready")}, {"draining", N_("draining")}, {"stopped", N_("stopped")},
      {"yes", N_("yes")}, {"no", N_("no")},
  };
  return kWords;
}

}  // namespace topo::svc
