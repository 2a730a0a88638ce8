// Node selectors: lessons name nodes by role and state at the moment a step runs, so a lesson
// works on every seed ("restart the servers the student crashed"). A selector is written
// `@NAME` or `@NAME(ARG)`:
//   @leader          the leader (Raft: the `leader` key; elsewhere an up node whose role is
//                    "leader" or "primary")                                     0 or 1 node
//   @stale_leader    the first up node that still acts as leader but is not @leader (a Raft
//                    leader of an older term, cut off by a partition)           0 or 1 node
//   @follower        the first up node whose role is "follower" or "backup"    0 or 1 node
//   @followers       every such node
//   @crashed         every crashed node
//   @one_crashed     the first crashed node                                     0 or 1 node
//   @server          the first up node that is not a client                    0 or 1 node
//   @servers         every up node that is not a client
//   @replica(S)      the first up replica of service S                         0 or 1 node
//   @replicas(S)     every replica of service S (whatever its state)
// "First" is the world's node order (the order the scenario created them: n1 before n2), so a
// selection is a pure function of the world's state: the same seed and commands give the same
// nodes and the same trace. Selectors are resolved when the action runs or the condition is
// evaluated, never when the lesson is parsed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lesson/text.h"
#include "sim/world.h"

namespace topo::lesson {

struct Selector {
  std::string name;   ///< "leader", "replica", ... (without the @)
  std::string arg;    ///< the service of @replica(S) / @replicas(S), else empty
  std::string text;   ///< as written: "@replica(payment)"
  Pos pos;            ///< where the @ is in the file
};

/// True when `v` is written as a selector (starts with @).
inline bool is_selector_text(std::string_view v) { return !v.empty() && v.front() == '@'; }

/// Where a selector sits in a value key, in place of a node name ("node.@leader.term": at 5,
/// length 7; "commit.@replica(payment)": at 7, length 17). False when the key has none.
bool selector_in_key(std::string_view key, size_t* at, size_t* len);

/// The selector names, for "did you mean" and the documentation.
const std::vector<std::string>& selector_names();

/// Parses "@leader" or "@replica(payment)" (the whole of `text`); problems go to `diags` at `pos`
/// (unknown name with a suggestion, a missing or unexpected "(SERVICE)").
std::optional<Selector> parse_selector(std::string_view text, Pos pos, Diagnostics& diags);

/// Checks what only the world knows: the service of @replica(S) exists (appends to diags).
void validate_selector(const Selector& s, const World& w, Diagnostics& diags);

/// The nodes the selector matches now, in the world's node order.
std::vector<NodeId> select_nodes(const World& w, const Selector& s);

/// Why a selection is empty, in words ("no node is crashed"), for runtime messages.
std::string empty_selection_reason(const Selector& s);

/// "@crashed matches no node right now (no node is crashed)".
std::string no_match_message(const Selector& s);

}  // namespace topo::lesson
