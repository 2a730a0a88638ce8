// Internal functions shared by the service model's source files (processes, replicas,
// controller, build, commands, reports).
// Not part of the model's public API.
#pragma once

#include <memory>
#include <string>

#include "models/services/services.h"

namespace topo::svc::detail {

/// Picks a replica of `dep` for one call with the deployable's LB policy, canary weights and
/// blue-green colour; -1 if no replica is eligible. Uses `rng` (the caller's stream).
int pick_replica(Graph& g, int sys, int dep, Rng& rng);
/// The Process of replica `rep` of deployable `dep` in system `sys` (processes.cpp).
std::unique_ptr<Process> make_replica_process(std::shared_ptr<Graph> g, int sys, int dep, int rep);
/// The Process of system `sys`'s client node: open-loop load per request type (processes.cpp).
std::unique_ptr<Process> make_client_process(std::shared_ptr<Graph> g, int sys);
/// Starts a new replica (reusing a stopped node when there is one), ready after `startup`.
void launch_replica(const std::shared_ptr<Graph>& g, int sys, int dep, const std::string& version,
                    bool canary, int color);
/// Takes a replica out of the load balancer; the controller stops it when idle.
void drain_replica(Graph& g, int sys, int dep, int rep);
/// Crashes a replica now and restarts it after its start-up delay plus CrashLoopBackOff.
void crash_replica(Graph& g, int sys, int dep, int rep, const std::string& reason);
/// Makes the running replicas of module `m`'s deployable crash after a random uptime (a
/// crash_loop fault that starts now); restarted processes re-arm it in on_start.
void arm_crash_loop(const std::shared_ptr<Graph>& g, int sys, int m);
/// The periodic controller (health checks, autoscaler, deployments, drains).
void controller_tick(const std::shared_ptr<Graph>& g);
/// Appends the chart series points at a World sample boundary (see controller.cpp).
void sample_series(const Graph& g, World& w, std::vector<std::vector<uint8_t>>* breakers);
/// Registers the model's Commands on the world.
void register_commands(World& w, const std::shared_ptr<Graph>& g);
/// Starts a deployment; returns an error (and changes nothing) if it cannot.
std::string start_deploy(const std::shared_ptr<Graph>& g, int sys, int dep, Deployment d,
                         const std::string& strategy);
/// "payment" or "mono/payment" for notes.
std::string qualified(const Graph& g, int sys, const std::string& name);
/// Number formatting for JSON: util::format_json_number (no exponent for ordinary values).
std::string num(double v);

}  // namespace topo::svc::detail
