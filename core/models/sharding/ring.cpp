// Consistent-hash ring with virtual nodes (see ring.h).
#include "models/sharding/ring.h"

#include <algorithm>
#include <cstddef>

namespace topo::sharding {

uint64_t ring_hash(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBull;
  h ^= h >> 31;
  return h;
}

bool HashRing::add(const std::string& name, int vnodes) {
  if (contains(name) || vnodes < 1) return false;
  members_.push_back(name);
  vnodes_.push_back(vnodes);
  rebuild_index();
  return true;
}

bool HashRing::remove(const std::string& name) {
  auto it = std::find(members_.begin(), members_.end(), name);
  if (it == members_.end()) return false;
  const size_t i = static_cast<size_t>(it - members_.begin());
  members_.erase(it);
  vnodes_.erase(vnodes_.begin() + static_cast<std::ptrdiff_t>(i));
  rebuild_index();
  return true;
}

bool HashRing::contains(const std::string& name) const {
  return std::find(members_.begin(), members_.end(), name) != members_.end();
}

void HashRing::rebuild_index() {
  points_.clear();
  for (size_t m = 0; m < members_.size(); ++m)
    for (int v = 0; v < vnodes_[m]; ++v)
      points_.push_back({ring_hash(members_[m] + "#" + std::to_string(v)), static_cast<uint32_t>(m)});
  // Ties (astronomically rare) break by member name, so the order never depends on insertion.
  std::sort(points_.begin(), points_.end(), [&](const Point& a, const Point& b) {
    if (a.hash != b.hash) return a.hash < b.hash;
    return members_[a.member] < members_[b.member];
  });
}

const std::string& HashRing::owner(std::string_view key) const {
  static const std::string kNone;
  if (points_.empty()) return kNone;
  const uint64_t h = ring_hash(key);
  auto it = std::lower_bound(points_.begin(), points_.end(), h,
                             [](const Point& p, uint64_t x) { return p.hash < x; });
  if (it == points_.end()) it = points_.begin();
  return members_[it->member];
}

}  // namespace topo::sharding
