// The built-in copy of lessons/scenarios/streaming.toml (a unit test checks they are identical),
// so the streaming scenario needs no file at run time (natively, in the browser and under Node).
#include "models/services/spec.h"

namespace topo::svc {

const std::string& default_streaming_toml() {
  static const std::string text = R"TOML(# A video-streaming service (Netflix-style) as microservices: the home page (catalog, which asks
# recommend for personal picks), the player (playback, which fetches video from an edge cache
# near the viewer; the cache asks the far-away origin only on a miss) and uploads (a queue in
# front of autoscaled encoder workers). Lesson 14 uses it (`topolab-cli run --scenario streaming`).
# The format is lessons/scenarios/shop.toml's, with two more things a call tree can say:
#   origin?0.1     the parent makes this call with probability 0.1 (per request): a cache that
#                  misses one time in ten
#   cache|origin   call cache; if that call fails, call origin instead (and so on: a|b|c)

[system]
entry = "gateway"
client_timeout_ms = 5000
connect_timeout_ms = 600000
window_s = 5
resilience = true

[[service]]
name = "gateway"
replicas = 2
workers = 64
queue_limit = 100
service_ms = 0.5

# The home page: rows of titles. It asks recommend for the viewer's personal picks.
[[service]]
name = "catalog"
replicas = 2
workers = 16
queue_limit = 50
service_ms = 2.0

[[service]]
name = "recommend"
replicas = 2
workers = 8
queue_limit = 50
service_ms = 8.0

# The player: checks the viewer may watch, then fetches each chunk of video.
[[service]]
name = "playback"
replicas = 2
workers = 32
queue_limit = 100
service_ms = 1.0

# Edge cache: servers near the viewers that keep copies of popular videos.
[[service]]
name = "cache"
replicas = 3
workers = 32
queue_limit = 100
service_ms = 1.0

# Origin: where every video is stored, far from most viewers; slower per chunk. (Its CPU is
# measured every 2 s: the autoscaler's sample, with the autoscaler off.)
[[service]]
name = "origin"
replicas = 2
workers = 32
cores = 2
queue_limit = 200
service_ms = 10.0
distribution = "lognormal"
cv = 0.5
sync_period_s = 2

[[service]]
name = "upload"
replicas = 2
workers = 16
queue_limit = 50
service_ms = 2.0

# Encoding jobs wait here; the encoders take them one by one.
[[service]]
name = "encode_queue"
kind = "queue"
replicas = 1
workers = 32
queue_limit = 1000
service_ms = 0.5

# Encoding a video is heavy work: each job keeps a core busy for about 200 ms.
[[service]]
name = "encoder"
replicas = 2
workers = 2
queue_limit = 5000
service_ms = 200.0
distribution = "lognormal"
cv = 0.3
lb = "least_outstanding"
startup_s = 3
autoscale = true
min_replicas = 2
max_replicas = 12
target_cpu = 0.6
scale_down_window_s = 30
sync_period_s = 5

[[request]]
name = "home"
rps = 40
calls = "gateway(catalog(recommend))"
slo = 0.99
slo_latency_ms = 500

[[request]]
name = "watch"
rps = 200
calls = "gateway(playback(cache(origin?0.1)|origin))"
slo = 0.99
slo_latency_ms = 500

[[request]]
name = "upload"
rps = 4
calls = "gateway(upload(encode_queue(encoder)))"
slo = 0.99
slo_latency_ms = 1000

[[edge]]
from = "*"
to = "*"
timeout_ms = 1000

# No personal picks? Show the popular titles instead.
[[edge]]
from = "catalog"
to = "recommend"
timeout_ms = 300
fallback = true

# Encoding may take long: the queue does not give up on a job.
[[edge]]
from = "encode_queue"
to = "encoder"
timeout_ms = 0
)TOML";
  return text;
}

}  // namespace topo::svc
