// The event loop: events ordered by (time, insertion); dispatch of deliveries, timers, CPU work,
// engine callbacks and node recoveries; step / run_until / run_events; chart sampling at period
// boundaries; and the process API for timers and CPU work (a FIFO queue in front of `cores`
// servers, service time = cost / cpu_speed). Crash/restart bump a node's incarnation, so stale
// timers, work and deliveries are ignored here.
#include "sim/world_internal.h"

#include <limits>

namespace topo {

TimerId Ctx::set_timer(Time delay, uint64_t tag) {
  World::Impl& im = *world_.impl_;
  uint32_t slot;
  if (!im.timer_free.empty()) {
    slot = im.timer_free.back();
    im.timer_free.pop_back();
  } else {
    if (im.timers.size() >= kTimerSlotMask) throw std::length_error("set_timer: too many pending timers");
    im.timers.emplace_back();
    slot = static_cast<uint32_t>(im.timers.size() - 1);
  }
  const TimerId id = ((++im.timer_counter) << kTimerSlotBits) | slot;
  auto& ts = im.timers[slot];
  ts.id = id;
  ts.tag = tag;
  ts.set_at = world_.now_;
  ts.live = true;
  const Node& n = *world_.nodes_[static_cast<size_t>(self_)];
  im.push(world_.now_ + std::max<Time>(delay, 0), kTimer, id, self_, n.incarnation);
  return id;
}

void Ctx::cancel_timer(TimerId id) {
  World::Impl& im = *world_.impl_;
  const uint64_t slot = id & kTimerSlotMask;
  if (id == 0 || slot >= im.timers.size()) return;
  auto& ts = im.timers[slot];
  if (ts.id == id) ts.live = false;  // the slot is freed when its event comes up
}

void Ctx::work(Time cost, uint64_t tag) {
  World::Impl& im = *world_.impl_;
  Node& n = *world_.nodes_[static_cast<size_t>(self_)];
  auto& rt = im.rt[static_cast<size_t>(self_)];
  const size_t cores = static_cast<size_t>(std::max(1, n.cores));
  if (rt.busy.size() < cores) {
    rt.busy.resize(cores, 0);
    n.core_busy_until.resize(cores, 0);
  }
  ++n.queued_work;
  for (size_t c = 0; c < cores; ++c) {
    if (!rt.busy[c]) {
      world_.start_job(self_, c, cost, tag);
      return;
    }
  }
  rt.waiting.push_back({cost, tag});
}

void Ctx::note(std::string_view what, std::string_view detail) {
  world_.trace_.record(world_.now_, TraceKind::Note, self_, -1, 0, 0, 0, what, detail, 0);
}

void World::start_job(NodeId id, size_t core, Time cost, uint64_t tag) {
  Node& n = *nodes_[static_cast<size_t>(id)];
  auto& rt = impl_->rt[static_cast<size_t>(id)];
  const double speed = n.cpu_speed > 1e-9 ? n.cpu_speed : 1e-9;
  const double d = static_cast<double>(std::max<Time>(cost, 0)) / speed;
  // d >= 0, so truncating d + 0.5 is floor(d + 0.5) without a libm call.
  const Time dur = d > 4e18 ? static_cast<Time>(4e18) : static_cast<Time>(d + 0.5);
  rt.busy[core] = 1;
  n.core_busy_until[core] = now_ + dur;
  impl_->push(now_ + dur, static_cast<EvType>(kWork | core << 8), tag, id, n.incarnation);
}

// Runs one popped event; false if it was stale (cancelled timer, a crashed incarnation's work).
bool World::dispatch(const void* evp) {
  const Ev& e = *static_cast<const Ev*>(evp);
  Impl& im = *impl_;
  now_ = e.t();
  switch (static_cast<EvType>(e.type())) {
    case kDeliver: {
      const uint32_t slot = static_cast<uint32_t>(e.a);
      const bool lost = im.msg_state[slot] == kLost;
      // Handled in place: the slot leaves the in-flight set now and is reused only after the
      // receiver's handler returns (its body is released then; its kind string stays for reuse).
      const Message& m = im.msgs[slot];
      im.msg_state[slot] = kFree;
      struct Release {
        World::Impl& im;
        uint32_t slot;
        ~Release() {
          im.msgs[slot].body.reset();
          im.msg_free.push_back(slot);
        }
      } release{im, slot};
      Node& n = *nodes_[static_cast<size_t>(m.to)];
      const char* reason = nullptr;
      if (lost) {
        reason = "loss";
        ++im.net.dropped_loss;
      } else if (n.status != NodeStatus::Up) {
        reason = "receiver down";
        ++im.net.dropped_down;
      } else if (n.incarnation != e.inc) {
        reason = "receiver restarted";
        ++im.net.dropped_down;
      } else if (groups_[static_cast<size_t>(m.from)] != groups_[static_cast<size_t>(m.to)]) {
        reason = "partition";
        ++im.net.dropped_partition;
      }
      if (reason) {
        ++im.net.dropped;
        trace_message(trace_, TraceKind::Drop, now_, m.to, m.from, m, reason, false);
        return true;
      }
      ++im.net.delivered;
      trace_message(trace_, TraceKind::Deliver, now_, m.to, m.from, m, {}, true);
      if (n.process) {
        Ctx ctx(*this, m.to);
        n.process->on_message(ctx, m);
      }
      return true;
    }
    case kTimer: {
      const uint64_t slot = e.a & kTimerSlotMask;
      auto& ts = im.timers[slot];
      const bool live = ts.live && ts.id == e.a;
      const uint64_t tag = ts.tag;
      const Time set_at = ts.set_at;
      ts.live = false;
      ts.id = 0;
      im.timer_free.push_back(static_cast<uint32_t>(slot));
      if (!live) return false;
      Node& n = *nodes_[static_cast<size_t>(e.node)];
      if (n.status != NodeStatus::Up || n.incarnation != e.inc || !n.process) return false;
      trace_.record(now_, TraceKind::Timer, e.node, -1, e.a, set_at, now_, {}, {}, tag);
      Ctx ctx(*this, e.node);
      n.process->on_timer(ctx, e.a, tag);
      return true;
    }
    case kWork: {
      Node& n = *nodes_[static_cast<size_t>(e.node)];
      if (n.status != NodeStatus::Up || n.incarnation != e.inc) return false;
      auto& rt = im.rt[static_cast<size_t>(e.node)];
      const size_t core = e.core();
      rt.busy[core] = 0;
      --n.queued_work;
      trace_.record(now_, TraceKind::Work, e.node, -1, 0, 0, now_, {}, {}, e.a);
      // The next waiting job takes the core before the handler can queue more (FIFO).
      if (!rt.waiting.empty() && core < static_cast<size_t>(std::max(1, n.cores))) {
        const auto job = rt.waiting.front();
        rt.waiting.pop_front();
        start_job(e.node, core, job.cost, job.tag);
      }
      if (n.process) {
        Ctx ctx(*this, e.node);
        n.process->on_work_done(ctx, e.a);
      }
      return true;
    }
    case kCallback: {
      auto fn = std::move(im.callbacks[e.a]);
      im.callbacks[e.a] = nullptr;
      im.callback_free.push_back(static_cast<uint32_t>(e.a));
      if (fn) fn(*this);
      return true;
    }
    case kRecover: {
      Node& n = *nodes_[static_cast<size_t>(e.node)];
      if (n.status != NodeStatus::Restarting || n.incarnation != e.inc) return false;
      recover(e.node);
      return true;
    }
  }
  return false;
}

bool World::step() {
  Impl& im = *impl_;
  while (!im.queue.empty()) {
    // Boundaries before this event see every event at or before them (see add_sampler).
    // One compare per event: next_sample_ is kNoMoreSamples in a world without samplers.
    if (im.top_time() > next_sample_) sample_through(im.top_time() - 1);
    const Ev e = im.pop();
    ++im.dispatch_depth;
    const bool real = dispatch(&e);
    --im.dispatch_depth;
    if (!im.graveyard.empty() && im.dispatch_depth == 0) im.graveyard.clear();
    if (real) {
      ++events_processed_;
      return true;
    }
  }
  return false;
}

namespace {
constexpr Time kNoMoreSamples = std::numeric_limits<Time>::max();  // the time axis ran out

// A long quiet stretch up to `horizon` (no event before it): the series keep only the newest
// max_points points, so the boundaries before those are skipped rather than computed. Returns
// the next boundary to sample.
Time skip_quiet_samples(Time next, Time horizon, Time period, size_t max_points) {
  const Time keep = period * static_cast<Time>(max_points ? max_points : 4096);
  if (next != kNoMoreSamples && horizon - next > keep) next += (horizon - next - keep) / period * period;
  return next;
}
}  // namespace

void World::run_events_through(Time t) {
  Impl& im = *impl_;
  while (!im.queue.empty() && im.top_time() <= t) {
    const Ev e = im.pop();
    ++im.dispatch_depth;
    const bool real = dispatch(&e);
    --im.dispatch_depth;
    if (!im.graveyard.empty() && im.dispatch_depth == 0) im.graveyard.clear();
    if (real) ++events_processed_;
  }
}

void World::run_until(Time t) {
  // Runs in stretches that end at sample boundaries; the events and their order are exactly
  // those of one stretch to t (the event loop itself has no sampling check).
  while (next_sample_ <= t && next_sample_ != kNoMoreSamples) {
    // Nothing happens before the next event: skip the quiet boundaries the bounded series
    // would not keep anyway (a run_until far ahead of an idle world ends quickly).
    next_sample_ = skip_quiet_samples(next_sample_, impl_->queue.empty() ? t : std::min(t, impl_->top_time()),
                                      sample_period_, metrics_.max_points);
    const Time b = next_sample_;
    run_events_through(b);
    sample_through(b);
  }
  run_events_through(t);
  if (t > now_) now_ = t;
}

void World::add_sampler(std::function<void(World&)> fn) {
  if (samplers_.empty()) next_sample_ = (now_ + sample_period_ - 1) / sample_period_ * sample_period_;
  samplers_.push_back(std::move(fn));
}

void World::set_sample_period(Time p) {
  if (p <= 0) throw std::invalid_argument("sample period must be positive");
  sample_period_ = p;
  if (!samplers_.empty()) next_sample_ = (now_ + p - 1) / p * p;
}


// Calls the samplers at every boundary <= t not sampled yet, with now() at the boundary (never
// earlier than now(): boundaries before the last event were sampled when it was popped).
void World::sample_through(Time t) {
  if (samplers_.empty() || next_sample_ > t || next_sample_ == kNoMoreSamples) return;
  next_sample_ = skip_quiet_samples(next_sample_, t, sample_period_, metrics_.max_points);
  while (next_sample_ <= t) {
    if (next_sample_ > now_) now_ = next_sample_;
    for (auto& fn : samplers_) fn(*this);
    if (next_sample_ > std::numeric_limits<Time>::max() - sample_period_) {
      next_sample_ = kNoMoreSamples;
      break;
    }
    next_sample_ += sample_period_;
  }
}

uint64_t World::run_events(uint64_t n) {
  uint64_t done = 0;
  while (done < n && step()) ++done;
  return done;
}

std::optional<Time> World::next_event_time() const {
  if (impl_->queue.empty()) return std::nullopt;
  return impl_->top_time();
}

void World::schedule(Time at, std::function<void(World&)> fn) {
  Impl& im = *impl_;
  uint32_t slot;
  if (!im.callback_free.empty()) {
    slot = im.callback_free.back();
    im.callback_free.pop_back();
    im.callbacks[slot] = std::move(fn);
  } else {
    im.callbacks.push_back(std::move(fn));
    slot = static_cast<uint32_t>(im.callbacks.size() - 1);
  }
  im.push(std::max(at, now_), kCallback, slot, -1, 0);
}

}  // namespace topo
