// The engine's event queue: pending events' keys ordered by (time, insertion sequence), a 4-ary
// heap of 64-bit keys for the first 203 days and an ordered map after, with the events' data in
// a slab (world_internal.h). Internal to core/sim: models and front ends never see it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace topo::sim_detail {

// At most 2^24 events pending at once (the data slots' index range).
constexpr uint64_t kSlotMask = (uint64_t{1} << 24) - 1;

// Events before 2^44 us (203 days) go to a heap of 64-bit keys, time << 20 | seq, ordered by
// one compare, with their data slots in a parallel array (SplitHeap); later events (never, in
// practice) go to an ordered map. Every near event is earlier than every far one, so the
// order is exactly (time, then insertion), on both targets. The near sequence has 20 bits and
// is renumbered every 2^20 insertions. (This replaced a heap of 128-bit (time, seq, slot) keys:
// WebAssembly has no 128-bit registers, and natively too the split layout runs gossip with 9%
// fewer instructions; see docs/performance.md.)
constexpr int kNearSeqBits = 20;
constexpr uint64_t kNearSeqLimit = uint64_t{1} << kNearSeqBits;
constexpr uint64_t kNearTimeLimit = uint64_t{1} << (64 - kNearSeqBits);
constexpr size_t kMaxPending = size_t{1} << (kNearSeqBits - 1);  // events before 2^44 us

// A 4-ary min-heap of 64-bit keys with the events' data slots in a parallel array: the sift
// loops compare keys only, so a node's four children are 32 bytes (half a cache line; the
// key buffer is 64-byte aligned with the root at index 3) and each compare is one 64-bit
// compare, which GCC and V8 both turn into conditional moves.
class SplitHeap {
 public:
  SplitHeap() = default;
  SplitHeap(const SplitHeap&) = delete;
  SplitHeap& operator=(const SplitHeap&) = delete;
  ~SplitHeap() { release(); }
  bool empty() const { return n_ == 0; }
  size_t size() const { return n_; }
  uint64_t top_key() const { return k()[0]; }
  void push(uint64_t key, uint32_t slot) {
    if (n_ == cap_) grow();
    sift_up(n_++, key, slot);
  }
  /// Removes the least key; returns it and sets *slot to its slot.
  uint64_t pop(uint32_t* slot) {
    uint64_t* kp = k();
    uint32_t* sp = slots_;
    const uint64_t top = kp[0];
    *slot = sp[0];
    const size_t n = --n_;
    const uint64_t last = kp[n];
    const uint32_t last_slot = sp[n];
    if (n == 0) return top;
    // Floyd: the hole goes down along the least children to a leaf, then `last` sifts up.
    size_t i = 0;
    for (;;) {
      const size_t c = 4 * i + 1;
      if (c + 3 < n) {
        const uint64_t* q = kp + c;
        const size_t b01 = q[1] < q[0] ? 1 : 0;
        const size_t b23 = q[3] < q[2] ? 3 : 2;
        const size_t best = c + (q[b23] < q[b01] ? b23 : b01);
        kp[i] = kp[best];
        sp[i] = sp[best];
        i = best;
      } else {
        if (c >= n) break;
        size_t best = c;
        for (size_t j = c + 1; j < n; ++j)
          if (kp[j] < kp[best]) best = j;
        kp[i] = kp[best];
        sp[i] = sp[best];
        i = best;
        break;
      }
    }
    sift_up(i, last, last_slot);
    return top;
  }
  /// Sorts the pending keys and lets `renum(key, j)` give the j-th its new key (same order);
  /// returns how many there are. A sorted array is a valid heap.
  template <class F>
  uint64_t renumber(F renum) {
    std::vector<std::pair<uint64_t, uint32_t>> all(n_);
    for (size_t j = 0; j < n_; ++j) all[j] = {k()[j], slots_[j]};
    std::sort(all.begin(), all.end());
    for (size_t j = 0; j < n_; ++j) {
      k()[j] = renum(all[j].first, static_cast<uint64_t>(j));
      slots_[j] = all[j].second;
    }
    return n_;
  }

 private:
  static constexpr size_t kOff = 3;  // root at index 3: children 4i+1.. start at multiples of 4
  uint64_t* k() const { return keys_ + kOff; }
  void sift_up(size_t i, uint64_t key, uint32_t slot) {
    uint64_t* kp = k();
    while (i > 0) {
      const size_t p = (i - 1) >> 2;
      if (!(key < kp[p])) break;
      kp[i] = kp[p];
      slots_[i] = slots_[p];
      i = p;
    }
    kp[i] = key;
    slots_[i] = slot;
  }
  void grow() {
    const size_t cap = cap_ ? cap_ * 2 : 256;
    auto* nk = static_cast<uint64_t*>(::operator new((cap + kOff) * sizeof(uint64_t), std::align_val_t{64}));
    auto* ns = static_cast<uint32_t*>(::operator new(cap * sizeof(uint32_t)));
    if (keys_) {
      std::copy(k(), k() + n_, nk + kOff);
      std::copy(slots_, slots_ + n_, ns);
    }
    release();
    keys_ = nk;
    slots_ = ns;
    cap_ = cap;
  }
  void release() {
    if (keys_) ::operator delete(keys_, std::align_val_t{64});
    if (slots_) ::operator delete(slots_);
    keys_ = nullptr;
    slots_ = nullptr;
  }
  uint64_t* keys_ = nullptr;
  uint32_t* slots_ = nullptr;
  size_t n_ = 0, cap_ = 0;
};

// The pending events' keys, ordered by (time, insertion): the near heap, and an ordered map for
// events at or after 2^44 us (which no lesson or benchmark reaches; they are kept exactly, by
// their own 64-bit sequence, so a world can still run that far).
class EventQueue {
 public:
  bool empty() const { return near_.empty() && far_.empty(); }
  void push(uint64_t t, uint32_t slot) {
    if (t < kNearTimeLimit) {
      if (near_seq_ >= kNearSeqLimit) {
        // Renumbering gives the pending events 0..n-1: n must stay well below 2^20, or the
        // sequence would run out again at once (and past 2^20 run into the time bits).
        if (near_.size() >= kMaxPending)
          throw std::length_error("too many events pending at once: " + std::to_string(near_.size()) +
                                  " (the queue keeps the order of at most " + std::to_string(kMaxPending) + ")");
        near_seq_ = near_.renumber([](uint64_t key, uint64_t j) { return key >> kNearSeqBits << kNearSeqBits | j; });
      }
      near_.push(t << kNearSeqBits | near_seq_++, slot);
      return;
    }
    far_.emplace(std::make_pair(t, far_seq_++), slot);
  }
  uint64_t top_time() const {
    if (!near_.empty()) return near_.top_key() >> kNearSeqBits;
    return far_.begin()->first.first;
  }
  /// Removes the earliest event; returns its data slot and sets *t to its time.
  uint32_t pop(uint64_t* t) {
    if (!near_.empty()) {
      uint32_t slot;
      *t = near_.pop(&slot) >> kNearSeqBits;
      return slot;
    }
    const auto it = far_.begin();
    *t = it->first.first;
    const uint32_t slot = it->second;
    far_.erase(it);
    return slot;
  }

 private:
  SplitHeap near_;
  std::map<std::pair<uint64_t, uint64_t>, uint32_t> far_;  // (time, sequence) -> slot
  uint64_t near_seq_ = 0, far_seq_ = 0;
};

}  // namespace topo::sim_detail
