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

#include <initializer_list>
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

/// One row of a value_decls() table, all string literals. A braced list of these is constant
/// data; a braced list of ValueDecl built each of its strings in code of its own (about 50 KB of
/// the web page's module for the models' tables, issue 21).
struct ValueDeclRow {
  const char* pattern;
  const char* type;
  const char* unit;
  const char* help;
  std::initializer_list<const char*> enum_names = {};
};
/// The ValueDecls of a table of rows, in order: `return value_decl_table({{"n", "count", "", "replicas"}, ...});`
std::vector<ValueDecl> value_decl_table(std::initializer_list<ValueDeclRow> rows);

}  // namespace topo
