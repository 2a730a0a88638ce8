// A consistent-hash ring with virtual nodes. Each member owns `vnodes` points on a 64-bit ring
// (the hash of "name#i"); a key belongs to the member of the first point at or after the key's
// hash, wrapping around. Adding a member moves only the keys that fall into its new arcs (about
// K / (N + 1) of K keys); removing one moves only its own keys. The hash is our own (FNV-1a
// followed by the splitmix64 finaliser for avalanche), never std::hash, so placement is the
// same natively and in WebAssembly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace topo::sharding {

/// 64-bit hash of a string: FNV-1a, then the splitmix64 finaliser.
uint64_t ring_hash(std::string_view s);

class HashRing {
 public:
  /// Adds a member with `vnodes` points (>= 1); false if it is already a member.
  bool add(const std::string& name, int vnodes);
  /// Removes a member and its points; false if it is not a member.
  bool remove(const std::string& name);
  bool contains(const std::string& name) const;
  /// The member that owns `key`; empty when the ring has no member.
  const std::string& owner(std::string_view key) const;
  const std::vector<std::string>& members() const { return members_; }
  size_t points() const { return points_.size(); }
  bool empty() const { return members_.empty(); }

 private:
  struct Point {
    uint64_t hash;
    uint32_t member;  ///< index into members_
  };
  void rebuild_index();
  std::vector<std::string> members_;  ///< in the order added
  std::vector<int> vnodes_;
  std::vector<Point> points_;         ///< sorted by (hash, member name)
};

}  // namespace topo::sharding
