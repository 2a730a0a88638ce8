// Declarations of what a scenario offers a lesson: its parameters and the value keys its models
// answer (actions are declared by their CommandSpec, sim/world.h). Plain data, no dependencies, so
// the engine's Model can return them; scenario/reference.h reads them (matching, listing, checks).
//
// A value key pattern names its variable parts in angle brackets: `p99_ms.<service>`,
// `breaker.<edge>` (an edge is `A->B`), `term.<node>`, `<system>/success_rate`. Placeholders are
// filled from the world (reference.h's placeholder_names): node, service, type, edge, system,
// player, field (an inspector field); a key matches a pattern when each placeholder covers a
// non-empty part of it.
#pragma once

#include <string>
#include <vector>

namespace topo {

/// One scenario parameter (`[scenario] params`, `--set K=V`).
struct ParamDecl {
  std::string name = {};           ///< "rate", or a pattern: "<service>.slow", "raft.<rule>"
  std::string type = {};           ///< "int", "number", "bool", "prob", "enum", "string"
  std::string unit = {};           ///< "ms", "s", "1/s", "" ...
  std::string range = {};          ///< "1..15", ">= 0", "" (any)
  std::string default_value = {};  ///< as text; "" = none / depends (say so in help)
  std::string help = {};
  std::vector<std::string> enum_names = {};  ///< the accepted words of an "enum" parameter
  std::string example = {};   ///< an accepted value (pattern names filled in) when there is no default
};

/// One value key family a model answers (lesson conditions, {{text}}, --list-values).
struct ValueDecl {
  std::string pattern = {};        ///< "leader_count", "p99_ms.<service>", "breaker.<edge>"
  std::string type = {};           ///< "count", "number", "fraction", "bool", "enum", "node-id", "text"
  std::string unit = {};           ///< "ms", "s", "%", "MB", "1/s", ""
  std::string help = {};
  std::vector<std::string> enum_names = {};  ///< "enum": the name of 0, 1, 2, ... ("closed", "open", ...)
};

}  // namespace topo
