// Commands: the registry of Command kinds, the validation of every argument against its declared
// type (World::check_arg, which the lesson checker asks too) and World::apply, the one entry
// point of every external change (validated, applied, logged, traced).
#include "sim/world_internal.h"

#include "util/parse.h"
#include "util/text.h"

namespace topo {

using util::split;
using util::trim;

void World::register_command(CommandSpec spec) {
  // A duration is in milliseconds (or text with a unit): declare it so for every reader.
  for (auto& p : spec.params)
    if (p.type == "duration" && p.unit.empty()) p.unit = "ms";
  for (auto& s : specs_)
    if (s.op == spec.op) {
      s = std::move(spec);
      return;
    }
  specs_.push_back(std::move(spec));
}

const CommandSpec* World::find_command(std::string_view op) const {
  for (const auto& s : specs_)
    if (s.op == op) return &s;
  return nullptr;
}

std::string World::check_arg(const std::string& op, const CommandParam& p, const std::string& v) const {
  const World& w = *this;
  const std::string where = op + ": " + p.name + "=";
  double d = 0;
  int64_t i = 0;
  std::string err;
  if (p.type == "node") {
    if (!w.resolve_node(v, &err)) return op + ": " + err;
  } else if (p.type == "nodes") {
    if (v.empty()) return where + " needs at least one node name";
    for (const auto& name : split(v, ',')) {
      if (!w.resolve_node(trim(name), &err)) return op + ": " + err;
    }
  } else if (p.type == "groups") {
    if (v.empty()) return where + " needs groups like \"n1,n2|n3\"";
    for (const auto& g : split(v, '|')) {
      if (trim(g).empty()) return where + " has an empty group in \"" + v + "\"";
      for (const auto& name : split(g, ',')) {
        if (trim(name).empty()) return where + " has an empty node name in \"" + v + "\"";
        if (!w.resolve_node(trim(name), &err)) return op + ": " + err;
      }
    }
  } else if (p.type == "int") {
    if (!util::parse_int(v, &i)) return where + " must be an integer (got \"" + v + "\")";
  } else if (p.type == "number") {
    if (!util::parse_number(v, &d)) return where + " must be a number (got \"" + v + "\")";
  } else if (p.type == "duration") {
    if (!util::parse_number(v, &d)) return where + " must be a duration in ms (got \"" + v + "\")";
    if (d < 0) return where + " must be >= 0 (got " + v + ")";
  } else if (p.type == "prob") {
    if (!util::parse_number(v, &d)) return where + " must be a probability (got \"" + v + "\")";
    if (d < 0 || d > 1) return where + " must be in [0, 1] (got " + v + ")";
  } else if (p.type == "bool") {
    // util::parse_bool's words but on/off: the handlers read a bool as true, 1 or yes.
    bool b = false;
    if (v == "on" || v == "off" || !util::parse_bool(v, &b))
      return where + " must be true or false (got \"" + v + "\")";
  }
  return "";
}

CommandResult World::apply(const Command& c) {
  const CommandSpec* spec = find_command(c.op);
  if (!spec) {
    std::string names;
    for (const auto& s : specs_) names += (names.empty() ? "" : ", ") + s.op;
    return CommandResult::fail("unknown command \"" + c.op + "\" (commands: " + names + ")");
  }
  for (const auto& [k, v] : c.args) {
    (void)v;
    bool known = false;
    for (const auto& p : spec->params) known = known || p.name == k;
    if (!known) {
      std::string keys;
      for (const auto& p : spec->params) keys += (keys.empty() ? "" : ", ") + p.name;
      return CommandResult::fail(c.op + ": unknown key \"" + k + "\" (keys: " +
                                 (keys.empty() ? std::string("none") : keys) + ")");
    }
  }
  for (const auto& p : spec->params) {
    auto it = c.args.find(p.name);
    if (it == c.args.end()) {
      if (p.required) return CommandResult::fail(c.op + ": missing " + p.name + "= (" + p.help + ")");
      continue;
    }
    std::string err = check_arg(c.op, p, it->second);
    if (!err.empty()) return CommandResult::fail(err);
  }
  CommandResult r = spec->apply(*this, c);
  if (r.ok) {
    log_.push_back({now_, c});
    trace_.record(now_, TraceKind::Command, -1, -1, 0, 0, 0, c.to_text(), {}, 0);
  } else if (r.error.rfind(c.op + ":", 0) != 0) {
    r.error = c.op + ": " + r.error;
  }
  if (impl_->dispatch_depth == 0) impl_->graveyard.clear();
  return r;
}

}  // namespace topo
