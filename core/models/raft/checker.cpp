// Raft's safety invariants, checked incrementally from the hooks the RaftCluster model calls (see
// checker.h). The checks are cheap enough to run on every log change of a chaos campaign: a log
// is summarised by a hash chain, so comparing two prefixes is one integer comparison.
#include "models/raft/checker.h"

#include <algorithm>

namespace topo::raft {

namespace {

std::string quoted(const LogEntry& e) { return "'" + e.cmd.describe() + "' (term " + std::to_string(e.term) + ")"; }

uint64_t chain_step(uint64_t prev, const LogEntry& e) {
  Hasher h;
  h.u64(prev);
  h.i64(e.term);
  e.cmd.hash_into(h);
  return h.value();
}

}  // namespace

uint64_t entry_hash(const LogEntry& e) {
  Hasher h;
  h.i64(e.term);
  e.cmd.hash_into(h);
  return h.value();
}

std::string RaftChecker::name(NodeId n) const {
  auto it = names_.find(n);
  return it != names_.end() ? it->second : "node " + std::to_string(n);
}

std::string RaftChecker::names(const std::vector<NodeId>& ids) const {
  std::string s;
  for (NodeId id : ids) s += (s.empty() ? "" : ",") + name(id);
  return "{" + s + "}";
}

void RaftChecker::check_config_entry(NodeId n, const RaftDisk& disk, int64_t index) {
  const LogEntry& e = disk.log[static_cast<size_t>(index - 1)];
  const auto key = std::make_pair(index, e.term);
  if (membership_reported_.count(key)) return;
  const int64_t prev = disk.config_index_before(index - 1);
  const std::vector<NodeId>& before = prev ? disk.log[static_cast<size_t>(prev - 1)].cmd.members : initial_members_;
  const std::vector<NodeId>& after = e.cmd.members;
  size_t diff = 0;
  for (NodeId id : before) diff += std::find(after.begin(), after.end(), id) == after.end() ? 1 : 0;
  for (NodeId id : after) diff += std::find(before.begin(), before.end(), id) == before.end() ? 1 : 0;
  if (diff > 1) {
    membership_reported_[key] = true;
    report("Membership: " + name(n) + "'s log changes the configuration by " + std::to_string(diff) +
           " servers at once at index " + std::to_string(index) + " (" + names(before) + " to " + names(after) +
           "); Raft adds or removes one server at a time.");
    return;
  }
  if (prev > committed_index()) {
    membership_reported_[key] = true;
    report("Membership: " + name(n) + "'s log holds the configuration " + names(after) + " at index " +
           std::to_string(index) + " (term " + std::to_string(e.term) + "), appended while the change at index " +
           std::to_string(prev) + " (" + names(before) +
           ") was not committed: two changes in flight, so two majorities may not overlap.");
  }
}

void RaftChecker::leader_config(NodeId n, int64_t term, const std::vector<NodeId>& members) {
  if (std::find(members.begin(), members.end(), n) != members.end()) return;
  report("Membership: " + name(n) + " was elected leader in term " + std::to_string(term) +
         " but is not a voter of its configuration " + names(members) + ".");
}

void RaftChecker::commit_quorum(NodeId n, int64_t term, int64_t commit_index, const RaftDisk& disk,
                                const ConfigDisks& config) {
  if (commit_index < 1 || commit_index > disk.last_index() || config.empty()) return;
  const uint64_t want = chain_of(n, disk)[static_cast<size_t>(commit_index - 1)];
  size_t holders = 0;
  std::vector<NodeId> ids;
  for (const auto& [id, d] : config) {
    ids.push_back(id);
    if (!d || d->last_index() < commit_index) continue;
    if (chain_of(id, *d)[static_cast<size_t>(commit_index - 1)] == want) ++holders;
  }
  if (holders * 2 > config.size()) return;
  const auto key = std::make_pair(-commit_index, term);
  if (membership_reported_.count(key)) return;
  membership_reported_[key] = true;
  report("Commit Quorum: " + name(n) + ", leader in term " + std::to_string(term) + ", committed index " +
         std::to_string(commit_index) + " held by only " + std::to_string(holders) + " of the " +
         std::to_string(config.size()) + " servers of its configuration " + names(ids) + " (a majority is " +
         std::to_string(config.size() / 2 + 1) + ").");
}

void RaftChecker::report(std::string sentence) {
  ++total_;
  if (violations_.size() < 100) violations_.push_back(std::move(sentence));
}

const std::vector<uint64_t>& RaftChecker::chain_of(NodeId n, const RaftDisk& disk) {
  auto& c = chains_[n];
  const size_t len = disk.log.size();
  if (c.size() > len) c.resize(len);
  while (c.size() < len) c.push_back(chain_step(c.empty() ? 0 : c.back(), disk.log[c.size()]));
  return c;
}

void RaftChecker::became_leader(NodeId n, int64_t term, const RaftDisk& disk) {
  auto [it, inserted] = leaders_.emplace(term, n);
  if (!inserted && it->second != n)
    report("Election Safety: " + name(it->second) + " and " + name(n) + " were both elected leader in term " +
           std::to_string(term) + ".");

  const int64_t c_len = committed_index();
  if (c_len == 0) return;
  const auto& chain = chain_of(n, disk);
  const int64_t last = disk.last_index();
  if (last >= c_len && chain[static_cast<size_t>(c_len - 1)] == committed_.back().chain) return;
  // Find the first committed index the new leader does not hold.
  int64_t j = 1;
  while (j <= c_len && j <= last && chain[static_cast<size_t>(j - 1)] == committed_[static_cast<size_t>(j - 1)].chain) ++j;
  const Committed& c = committed_[static_cast<size_t>(j - 1)];
  std::string s = "Leader Completeness: " + name(n) + " became leader in term " + std::to_string(term) +
                  " without committed entry " + std::to_string(j) + " '" + c.what + "' (term " +
                  std::to_string(c.term) + ", committed by " + name(c.by) + " as leader in term " +
                  std::to_string(c.in_term) + "): ";
  if (j > last)
    s += "its log ends at index " + std::to_string(last) + ".";
  else
    s += "its log holds " + quoted(disk.log[static_cast<size_t>(j - 1)]) + " there.";
  report(std::move(s));
}

void RaftChecker::log_changed(NodeId n, const RaftDisk& disk, int64_t from_index) {
  auto& c = chains_[n];
  if (from_index < 1) from_index = 1;
  if (static_cast<int64_t>(c.size()) > from_index - 1) c.resize(static_cast<size_t>(from_index - 1));
  const auto& chain = chain_of(n, disk);
  for (int64_t i = from_index; i <= disk.last_index(); ++i) {
    const LogEntry& e = disk.log[static_cast<size_t>(i - 1)];
    if (e.cmd.kind == OpKind::Config) check_config_entry(n, disk, i);
    const auto key = std::make_pair(i, e.term);
    auto it = seen_.find(key);
    if (it == seen_.end()) {
      seen_.emplace(key, Seen{chain[static_cast<size_t>(i - 1)], n, e.cmd.describe()});
      continue;
    }
    if (it->second.chain == chain[static_cast<size_t>(i - 1)] || reported_.count(key)) continue;
    reported_[key] = true;
    std::string s = "Log Matching: " + name(it->second.node) + " and " + name(n) + " both hold an entry at index " +
                    std::to_string(i) + " with term " + std::to_string(e.term) + ", but their logs differ ";
    if (it->second.what != e.cmd.describe())
      s += "there ('" + it->second.what + "' against '" + e.cmd.describe() + "').";
    else
      s += "before index " + std::to_string(i) + ".";
    report(std::move(s));
  }
}

void RaftChecker::leader_committed(NodeId n, int64_t term, int64_t commit_index, const RaftDisk& disk) {
  if (commit_index > disk.last_index()) commit_index = disk.last_index();
  if (commit_index < 1) return;
  const auto& chain = chain_of(n, disk);
  const int64_t known = committed_index();
  const int64_t overlap = std::min(known, commit_index);
  if (overlap > 0 && chain[static_cast<size_t>(overlap - 1)] != committed_[static_cast<size_t>(overlap - 1)].chain) {
    int64_t j = 1;
    while (chain[static_cast<size_t>(j - 1)] == committed_[static_cast<size_t>(j - 1)].chain) ++j;
    const auto key = std::make_pair(-j, term);
    if (!reported_.count(key)) {
      reported_[key] = true;
      const Committed& c = committed_[static_cast<size_t>(j - 1)];
      report("Leader Completeness: " + name(n) + ", leader in term " + std::to_string(term) + ", committed index " +
             std::to_string(j) + " holding " + quoted(disk.log[static_cast<size_t>(j - 1)]) +
             ", but index " + std::to_string(j) + " was already committed with '" + c.what + "' (term " +
             std::to_string(c.term) + ") by " + name(c.by) + " as leader in term " + std::to_string(c.in_term) + ".");
    }
  }
  for (int64_t i = known + 1; i <= commit_index; ++i) {
    const LogEntry& e = disk.log[static_cast<size_t>(i - 1)];
    committed_.push_back(Committed{e.term, chain[static_cast<size_t>(i - 1)], n, term, e.cmd.describe()});
    if (e.cmd.kind == OpKind::Put) ++committed_writes_;
  }
}

void RaftChecker::applied(NodeId n, int64_t index, const LogEntry& e) {
  const uint64_t h = entry_hash(e);
  auto [it, inserted] = applied_.emplace(index, Applied{e.term, h, n, e.cmd.describe()});
  if (inserted || it->second.entry_hash == h) return;
  const auto key = std::make_pair(index, -1 - static_cast<int64_t>(h & 0x3fffffffffffffffull));
  if (reported_.count(key)) return;
  reported_[key] = true;
  report("State Machine Safety: " + name(n) + " applied " + quoted(e) + " at index " + std::to_string(index) +
         ", but " + name(it->second.node) + " had applied '" + it->second.what + "' (term " +
         std::to_string(it->second.term) + ") at index " + std::to_string(index) + ".");
}

}  // namespace topo::raft
