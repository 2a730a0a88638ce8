// The built-in copy of lessons/scenarios/shop.toml (a unit test checks they are identical), so
// the default shop needs no file at run time (natively, in the browser and under Node).
#include "models/services/spec.h"

namespace topo::svc {

const std::string& default_shop_toml() {
  static const std::string text = R"TOML(# The default shop: a microservice web shop (gateway, auth, catalog, cart, checkout, payment,
# inventory, a queue in front of notifications) and how the same modules are packed as a
# monolith. Teachers copy this file to make their own service scenarios
# (`topolab-cli run --scenario shop --set file=my-shop.toml`).
#
# [[service]]: name, replicas, workers (concurrency limit per replica), cores (CPU cores per
#   replica, default = workers: CPU work queues for them; the autoscaler measures them), queue_limit
#   (requests waiting per replica; more are rejected with 503), service_ms (mean CPU time per
#   call), distribution (exponential | constant | lognormal | uniform, with cv), lb
#   (round_robin | least_outstanding | p2c), startup_s, autoscale (+ min_replicas, max_replicas,
#   target_cpu, scale_down_window_s, sync_period_s), kind = "queue" for a message queue (it
#   acknowledges at once and delivers its calls asynchronously), versions = [{name, latency_factor,
#   error_rate}].
# [[request]]: name, rps (Poisson), calls (the call tree: a service, then in brackets the services
#   it calls one after the other; `origin?0.1` = called with probability 0.1, `cache|origin` =
#   origin is called when the call to cache fails), slo (target success ratio), slo_latency_ms.
# [[edge]]: resilience of caller -> callee (from/to may be "*"): timeout_ms, retries, backoff_ms,
#   retry_budget, breaker (+ breaker_threshold, breaker_window, breaker_min_calls,
#   breaker_wait_s, breaker_half_open; defaults are resilience4j's: 0.5, 100, 100, 60, 10),
#   bulkhead (max concurrent calls per caller replica), fallback.
# [system] resilience = false switches every edge policy off (`--set resilience=off` too).

[system]
entry = "gateway"
client_timeout_ms = 5000
window_s = 10
resilience = true

[[service]]
name = "gateway"
replicas = 2
workers = 16
queue_limit = 64
service_ms = 1.0

[[service]]
name = "auth"
replicas = 2
workers = 8
queue_limit = 50
service_ms = 2.0

[[service]]
name = "catalog"
replicas = 3
workers = 8
queue_limit = 50
service_ms = 5.0
lb = "least_outstanding"

[[service]]
name = "cart"
replicas = 2
workers = 8
queue_limit = 50
service_ms = 3.0

[[service]]
name = "checkout"
replicas = 2
workers = 8
queue_limit = 50
service_ms = 5.0

[[service]]
name = "payment"
replicas = 2
workers = 2
queue_limit = 50
service_ms = 40.0

[[service]]
name = "inventory"
replicas = 2
workers = 8
queue_limit = 50
service_ms = 4.0

[[service]]
name = "queue"
kind = "queue"
replicas = 1
workers = 16
queue_limit = 500
service_ms = 0.5

[[service]]
name = "notifications"
replicas = 1
workers = 4
queue_limit = 200
service_ms = 10.0

[[request]]
name = "browse"
rps = 100
calls = "gateway(auth, catalog)"
slo = 0.99
slo_latency_ms = 500

[[request]]
name = "add_to_cart"
rps = 30
calls = "gateway(auth, cart(inventory))"
slo = 0.99
slo_latency_ms = 500

[[request]]
name = "checkout"
rps = 15
calls = "gateway(auth, checkout(cart, inventory, payment, queue(notifications)))"
slo = 0.99
slo_latency_ms = 1000

# Every call gets a timeout; the edges into the slow-prone payment path get the full kit.
[[edge]]
from = "*"
to = "*"
timeout_ms = 1000

[[edge]]
from = "gateway"
to = "checkout"
timeout_ms = 2000
bulkhead = 8

[[edge]]
from = "checkout"
to = "payment"
timeout_ms = 300
retries = 2
backoff_ms = 50
retry_budget = 0.2
breaker = true
breaker_window = 20
breaker_min_calls = 10
breaker_wait_s = 5
breaker_half_open = 3
bulkhead = 4

# The same modules as one deployable: every request runs all of its modules in one process.
[monolith]
replicas = 3
workers = 48
queue_limit = 200
startup_s = 20
)TOML";
  return text;
}

}  // namespace topo::svc
