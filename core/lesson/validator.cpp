// Lesson validation against a built world; action placeholders; text rendering; action listing.
#include "lesson/validator.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>

#include "lesson/compare.h"
#include "lesson/selector.h"
#include "scenario/reference.h"

namespace topo::lesson {

namespace {

std::vector<std::string> node_names(const World& w) {
  std::vector<std::string> v;
  for (const auto& n : w.nodes()) v.push_back(n->name);
  return v;
}

bool is_placeholder(const std::string& v) { return v.size() > 2 && v.front() == '{' && v.back() == '}'; }

/// A lesson value as the engine takes it: a duration written with a unit ("2s") becomes the
/// engine's milliseconds ("2000"); anything else is the same text.
std::string engine_value(const CommandParam& p, const std::string& v) {
  double ms = 0;
  if (p.type != "duration" || util::parse_number(v, &ms)) return v;
  if (auto us = parse_duration_us(v)) return format_number(static_cast<double>(*us) / 1000.0);
  return v;
}

/// Checks a value key exists in the world; reports at `p`.
void check_key(const std::string& key, Pos p, const World& w, const std::string& scenario, Diagnostics& d) {
  // start.KEY: KEY's value when the step started (a baseline).
  if (key.rfind("start.", 0) == 0) {
    if (key.size() == 6) { d.push_back({p, "\"start.\" needs a value key after it, like start.p99_ms.checkout"}); return; }
    check_key(key.substr(6), {p.line, p.col + 6}, w, scenario, d);
    return;
  }
  // A selector in place of a node name: the key must work for some node of the world.
  size_t at = 0, len = 0;
  if (selector_in_key(key, &at, &len)) {
    Diagnostics sd;
    auto sel = parse_selector(std::string_view(key).substr(at, len), {p.line, p.col + static_cast<int>(at)}, sd);
    if (!sel) { d.insert(d.end(), sd.begin(), sd.end()); return; }
    validate_selector(*sel, w, d);
    WorldFacts facts(w);
    for (const auto& n : w.nodes())
      if (facts.get(key.substr(0, at) + n->name + key.substr(at + len))) return;
    std::string hint;
    if (!w.nodes().empty()) {
      const std::string& first = w.nodes().front()->name;
      const std::string concrete = key.substr(0, at) + first + key.substr(at + len);
      std::string best = closest(concrete, known_value_keys(w));
      if (!best.empty() && best.size() >= at + first.size() && best.compare(at, first.size(), first) == 0)
        hint = " \xE2\x80\x94 did you mean \"" + best.substr(0, at) + sel->text + best.substr(at + first.size()) + "\"?";
    }
    d.push_back({p, "unknown value \"" + key + "\": no model in scenario \"" + scenario + "\" provides it for any node" + hint});
    return;
  }
  WorldFacts facts(w);
  if (facts.get(key)) return;
  // node.NAME.FIELD with an unknown node name: suggest a node.
  if (key.rfind("node.", 0) == 0) {
    std::string rest = key.substr(5);
    auto dot = rest.rfind('.');
    if (dot != std::string::npos && !w.find_node(rest.substr(0, dot))) {
      std::string name = rest.substr(0, dot);
      d.push_back({p, "unknown node \"" + name + "\" in \"" + key + "\"" + did_you_mean(name, node_names(w))});
      return;
    }
  }
  std::string hint = did_you_mean(key, known_value_keys(w));
  if (hint.empty() && key.size() <= 64) {
    // Models may answer keys no list documents: ask them about every one-edit variant.
    static const std::string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789_.-";
    std::vector<std::string> variants;
    for (size_t i = 0; i <= key.size(); ++i) {
      if (i < key.size()) variants.push_back(key.substr(0, i) + key.substr(i + 1));
      if (i + 1 < key.size()) {
        std::string t = key;
        std::swap(t[i], t[i + 1]);
        variants.push_back(t);
      }
      for (char c : alphabet) {
        variants.push_back(key.substr(0, i) + c + key.substr(i));
        if (i < key.size()) {
          std::string t = key;
          t[i] = c;
          variants.push_back(t);
        }
      }
    }
    for (const auto& v : variants)
      if (v != key && facts.get(v)) { hint = did_you_mean(key, {v}); break; }
  }
  // "a-b" or "a/2" meant as arithmetic: keys may contain - and /, so say how to write it.
  const size_t op = key.find_first_of("-/");
  if (op != std::string::npos && op > 0 && !(key[op] == '-' && key.compare(op, 2, "->") == 0) &&
      facts.get(key.substr(0, op)))
    hint = " (to subtract or divide, put spaces around - and /: " + key.substr(0, op) + " " + key[op] + " " +
           key.substr(op + 1) + ")";
  d.push_back({p, "unknown value \"" + key + "\": no model in scenario \"" + scenario + "\" provides it" + hint});
}

bool is_fraction_key(const std::string& key) {
  if (key.find("error_budget") != std::string::npos) return false;
  for (const char* f : {"rate", "availability", "ratio", "fraction", "probability", "share", "canary_traffic"})
    if (key.find(f) != std::string::npos) return true;
  return false;
}

bool is_nonnegative_key(const std::string& key) {
  if (is_fraction_key(key)) return true;
  if (key.rfind("nodes.", 0) == 0) return true;
  for (const char* k : {"time_s", "time_ms", "elapsed_s", "commands", "violations", "leader_count", "term",
                        "commit_index", "partition.groups"})
    if (key == k) return true;
  for (const char* p : {"p50_ms", "p95_ms", "p99_ms", "p50_ok_ms", "p99_ok_ms", "replicas", "throughput", "ops_"})
    if (key.rfind(p, 0) == 0) return true;
  return false;
}

CmpOp flip(CmpOp op) {
  switch (op) {
    case CmpOp::Lt: return CmpOp::Gt;
    case CmpOp::Le: return CmpOp::Ge;
    case CmpOp::Gt: return CmpOp::Lt;
    case CmpOp::Ge: return CmpOp::Le;
    default: return op;
  }
}

void check_condition(const Condition& c, const World& w, const std::string& scenario, Diagnostics& d) {
  std::vector<const Operand*> keys;
  collect_keys(c.root, keys);
  for (const Operand* k : keys) check_key(k->key, k->pos, w, scenario, d);
  std::vector<const Operand*> counts;
  collect_counts(c.root, counts);
  for (const Operand* k : counts) {
    Diagnostics sd;
    if (auto sel = parse_selector(k->key, k->pos, sd)) validate_selector(*sel, w, d);
  }
  std::vector<const Expr*> cmps;
  collect_comparisons(c.root, cmps);
  for (const Expr* e : cmps) {
    const Operand* key = e->a.kind == Operand::Kind::Key ? &e->a : &e->b;
    const Operand* lit = e->a.kind == Operand::Kind::Key ? &e->b : &e->a;
    // Only "key OP literal" is checked here; calculations and counts are not.
    if (key->kind != Operand::Kind::Key || !is_literal(*lit)) continue;
    CmpOp op = e->a.kind == Operand::Kind::Key ? e->op : flip(e->op);
    bool text_key = is_text_key(key->key) && key->key.rfind("node.", 0) == 0 &&
                    (key->key.size() > 7 && (key->key.substr(key->key.rfind('.') + 1) == "status" ||
                                             key->key.substr(key->key.rfind('.') + 1) == "role"));
    std::string field = key->key.substr(key->key.rfind('.') + 1);
    if (text_key && lit->kind == Operand::Kind::Number) {
      d.push_back({lit->pos, "\"" + key->key + "\" is text: compare it with a quoted word, like \"" +
                                 std::string(field == "status" ? "crashed" : "leader") + "\""});
      continue;
    }
    if (lit->kind == Operand::Kind::String) {
      const auto decl = find_world_value_decl(w, key->key);
      if (decl && decl->type == "enum") {
        // An enum compared with one of its names: breaker.checkout->payment == "open".
        if (enum_index(*decl, lit->text) < 0) {
          std::string names;
          for (const auto& n : decl->enum_names) names += (names.empty() ? "\"" : ", \"") + n + "\"";
          d.push_back({lit->pos, "\"" + key->key + "\" is one of " + names + ", not \"" + lit->text + "\"" +
                                     did_you_mean(lit->text, decl->enum_names)});
        }
        continue;
      }
      if (key->key.rfind("node.", 0) == 0 && field == "status" && decl && !decl->enum_names.empty()) {
        // The words a status can be, from the engine's declaration of node.<node>.status.
        const std::vector<std::string>& st = decl->enum_names;
        if (enum_index(*decl, lit->text) < 0) {
          std::string words;
          for (size_t i = 0; i < st.size(); ++i)
            words += (i == 0 ? "" : i + 1 == st.size() ? " or " : ", ") + ("\"" + st[i] + "\"");
          d.push_back({lit->pos, "a node's status is " + words + ", not \"" + lit->text + "\"" + did_you_mean(lit->text, st)});
        }
      } else if (!is_text_key(key->key)) {
        // Model values are numbers; inspector fields may be text. Only complain for model values.
        WorldFacts facts(w);
        auto v = facts.get(key->key);
        if (v && std::holds_alternative<double>(*v) && key->key.rfind("node.", 0) != 0)
          d.push_back({lit->pos, "\"" + key->key + "\" is a number: compare it with a number, not \"" + lit->text + "\""});
      }
      continue;
    }
    double n = lit->number;
    // The key's declared type first (fraction, bool: 0..1; count: >= 0), else the names' hints.
    const auto decl = find_world_value_decl(w, key->key);
    const bool declared_fraction = decl && (decl->type == "fraction" || decl->type == "bool");
    const bool declared_count = decl && decl->type == "count";
    double lo = 0, hi = (declared_fraction || is_fraction_key(key->key)) ? 1.0 : INFINITY;
    if (!declared_fraction && !declared_count && !is_nonnegative_key(key->key)) continue;
    bool never = false;
    switch (op) {
      case CmpOp::Gt: never = n >= hi; break;
      case CmpOp::Ge: never = n > hi; break;
      case CmpOp::Lt: never = n <= lo; break;
      case CmpOp::Le: never = n < lo; break;
      case CmpOp::Eq: never = n < lo || n > hi; break;
      case CmpOp::Ne: break;
    }
    if (never) {
      std::string range = std::isinf(hi) ? "is never below 0"
                          : declared_fraction && decl->type == "bool" ? "is 0 or 1"
                                                                     : "is a fraction between 0 and 1";
      d.push_back({e->pos, "impossible condition: \"" + key->key + "\" " + range + ", so \"" + key->key + " " +
                               to_string(op) + " " + lit->text + "\" never holds"});
    }
  }
}

void check_names(const std::vector<Highlight>& hs, const World& w, bool panels, Diagnostics& d) {
  std::vector<std::string> all = node_names(w);
  for (auto& s : service_names(w)) all.push_back(s);
  if (panels) for (auto& p : panel_names()) all.push_back(p);
  for (const auto& h : hs) {
    bool ok = false;
    for (auto& a : all) if (a == h.name) ok = true;
    if (!ok)
      d.push_back({h.pos, "unknown " + std::string(panels ? "node, service or panel" : "node or service") + " \"" +
                              h.name + "\"" + did_you_mean(h.name, all)});
  }
}

// `chart` names: the chart kinds the world records (its declared series; see series_kinds).
void check_charts(const std::vector<Highlight>& cs, const World& w, Diagnostics& d) {
  if (cs.empty()) return;
  const std::vector<std::string> kinds = series_kinds(w.metrics());
  for (const auto& c : cs) {
    bool ok = false;
    for (const auto& k : kinds) if (k == c.name) ok = true;
    if (ok) continue;
    std::string list;
    for (const auto& k : kinds) list += (list.empty() ? "" : ", ") + k;
    d.push_back({c.pos, "unknown chart \"" + c.name + "\" (" +
                            (kinds.empty() ? std::string("this world records no charts") : "this world's charts: " + list) +
                            ")" + did_you_mean(c.name, kinds)});
  }
}

void check_text_placeholders(const std::string& text, Pos base, const World& w, const std::string& scenario,
                             Diagnostics& d) {
  size_t i = 0;
  while ((i = text.find("{{", i)) != std::string::npos) {
    size_t e = text.find("}}", i);
    Pos p = base;
    for (size_t k = 0; k < i; ++k) { if (text[k] == '\n') { ++p.line; p.col = 1; } else ++p.col; }
    if (e == std::string::npos) { d.push_back({p, "unclosed {{ in text: write {{term}}"}); return; }
    std::string key = text.substr(i + 2, e - i - 2);
    Pos kp{p.line, p.col + 2};
    if (key.rfind("node:", 0) == 0) { key = key.substr(5); kp.col += 5; }
    if (is_selector_text(key)) {
      // {{@follower}}: the names of the nodes the selector matches.
      if (auto sel = parse_selector(key, kp, d)) validate_selector(*sel, w, d);
    } else {
      check_key(key, kp, w, scenario, d);
    }
    i = e + 2;
  }
}

}  // namespace

void validate_action(const Action& a, const World& w, Diagnostics& d) {
  const CommandSpec* spec = w.find_command(a.op);
  if (!spec) {
    std::vector<std::string> ops;
    for (const auto& s : w.command_specs()) ops.push_back(s.op);
    d.push_back({a.op_pos, "unknown action \"" + a.op + "\"" + did_you_mean(a.op, ops)});
    return;
  }
  std::vector<std::string> pnames;
  for (const auto& p : spec->params) pnames.push_back(p.name);
  for (const auto& arg : a.args) {
    const CommandParam* param = nullptr;
    for (const auto& p : spec->params) if (p.name == arg.key) param = &p;
    if (!param) {
      d.push_back({arg.key_pos, "action \"" + a.op + "\" has no parameter \"" + arg.key + "\"" +
                                    did_you_mean(arg.key, pnames)});
      continue;
    }
    const std::string& v = arg.value;
    const std::string& t = param->type;
    if (is_placeholder(v)) {
      check_key(v.substr(1, v.size() - 2), {arg.value_pos.line, arg.value_pos.col + 1}, w, "this scenario", d);
      continue;
    }
    if (v.find('@') != std::string::npos && (t == "node" || t == "nodes" || t == "groups")) {
      // Selectors (@leader, @crashed, ...) stand for nodes; they are resolved when the action runs.
      int off = 0;
      for (const auto& group : util::split(v, '|')) {
        for (const auto& part : util::split(group, ',')) {
          const Pos p{arg.value_pos.line, arg.value_pos.col + off};
          off += static_cast<int>(part.size()) + 1;
          const std::string name = util::trim(part);
          if (is_selector_text(name)) {
            if (auto sel = parse_selector(name, p, d)) validate_selector(*sel, w, d);
          } else if (t == "node" && !name.empty()) {
            d.push_back({p, "\"" + arg.key + "\" of \"" + a.op + "\" names one node or one selector, not \"" + v + "\""});
          } else if (!w.find_node(name)) {
            d.push_back({p, "unknown node \"" + name + "\"" + did_you_mean(name, node_names(w))});
          }
        }
        if (t == "node") break;
      }
      continue;
    }
    if (is_selector_text(v)) {
      d.push_back({arg.value_pos, "a selector (" + v + ") names nodes: \"" + arg.key + "\" of \"" + a.op +
                                      "\" is not a node parameter"});
      continue;
    }
    auto bad = [&](const std::string& what) {
      d.push_back({arg.value_pos, "\"" + arg.key + "\" of \"" + a.op + "\" must be " + what + ", not \"" + v + "\""});
    };
    auto check_node = [&](const std::string& name, Pos p) {
      if (!w.find_node(name))
        d.push_back({p, "unknown node \"" + name + "\"" + did_you_mean(name, node_names(w))});
    };
    // The world's own validation decides, on the value a live Command would carry; the
    // messages below only say it in the lesson's words and point into the value.
    const std::string engine_error = w.check_arg(a.op, *param, engine_value(*param, v));
    if (engine_error.empty()) continue;
    const size_t before = d.size();
    if (t == "node") check_node(v, arg.value_pos);
    else if (t == "nodes" || t == "groups") {
      int off = 0;
      for (const auto& group : util::split(v, '|')) {
        for (const auto& name : util::split(group, ',')) {
          Pos p{arg.value_pos.line, arg.value_pos.col + off};
          off += static_cast<int>(name.size()) + 1;
          if (util::trim(name).empty()) { bad(t == "nodes" ? "node names separated by commas" : "groups like n1,n2|n3,n4,n5"); break; }
          check_node(util::trim(name), p);
        }
      }
    } else if (t == "int") bad("a whole number");
    else if (t == "number") bad("a number");
    else if (t == "prob") bad("a probability between 0 and 1");
    else if (t == "bool") bad("true or false");
    else if (t == "duration") bad("a duration in milliseconds (like 500) or with a unit (like \"2s\")");
    if (d.size() == before) d.push_back({arg.value_pos, engine_error});
  }
  for (const auto& p : spec->params) {
    if (!p.required) continue;
    bool given = false;
    for (const auto& arg : a.args) if (arg.key == p.name) given = true;
    if (!given) d.push_back({a.op_pos, "action \"" + a.op + "\" needs \"" + p.name + "\": " + p.help});
  }
}

namespace {

/// Builds the world of one scenario reference for validation, reporting an unknown scenario,
/// undeclared parameters and a world that cannot be built at their places; null on failure.
std::unique_ptr<LessonWorld> build_checked(const ScenarioRef& s, uint64_t seed, const WorldSource& source, Diagnostics& d) {
  if (s.name.empty()) return nullptr;   // the parser reported it
  std::vector<std::string> names = source.names ? source.names() : std::vector<std::string>{};
  bool known = false;
  for (auto& n : names) if (n == s.name) known = true;
  if (!known) {
    d.push_back({s.name_pos, "unknown scenario \"" + s.name + "\"" + did_you_mean(s.name, names)});
    return nullptr;
  }
  // Parameters against the scenario's declaration (scenario/declare.h), each at its place.
  if (const ScenarioInfo* info = find_scenario(s.name); info && !info->params.empty()) {
    std::vector<std::string> declared;
    for (const auto& p : info->params) declared.push_back(p.name);
    bool bad = false;
    for (const auto& [k, kp] : s.param_pos) {
      if (find_param_decl(info->params, k)) continue;
      bad = true;
      std::string list;
      for (const auto& n : declared) list += (list.empty() ? "" : ", ") + n;
      if (declared.size() > 20) list = std::to_string(declared.size()) + " of them";
      d.push_back({kp, "scenario \"" + s.name + "\" has no parameter \"" + k + "\"" + did_you_mean(k, declared) +
                           " (its parameters: " + list + "; see topolab-cli scenarios --params " + s.name + ")"});
    }
    if (bad) return nullptr;
  }
  std::string err;
  std::unique_ptr<LessonWorld> lw;
  try {
    lw = source.make(s.name, seed, s.params, &err);
  } catch (const std::exception& e) {
    err = e.what();
  }
  if (!lw) {
    // Point at the parameter the message names, if any.
    Pos p = s.params_pos.line ? s.params_pos : s.pos;
    for (const auto& [k, kp] : s.param_pos)
      if (err.find("\"" + k + "\"") != std::string::npos || err.find(k + "=") != std::string::npos ||
          err.find(k + " ") == 0 || err.find(" " + k) != std::string::npos) { p = kp; break; }
    d.push_back({p, "scenario \"" + s.name + "\" cannot be built: " + err});
    return nullptr;
  }
  return lw;
}

/// One world a lesson is checked against: the world, a scratch copy the actions are tried on, in
/// lesson order, to catch names only the models know (services, request types, strategies), and
/// the scenario's name for messages.
struct CheckWorld {
  std::unique_ptr<LessonWorld> world, scratch;
  std::string scenario;
};

/// Checks one action against world `cw` and tries it on the scratch world. Only "unknown ..."
/// answers of the scratch world are reported: other refusals may depend on what happened before
/// in the real run.
void dry_run(const Action& a, CheckWorld& cw, Diagnostics& d) {
  const World& w = cw.world->world();
  const size_t before = d.size();
  validate_action(a, w, d);
  if (d.size() != before || !cw.scratch) return;
  for (const auto& arg : a.args) if (is_placeholder(arg.value) || arg.value.find('@') != std::string::npos) return;
  std::string err;
  auto cmd = resolve_action(a, cw.scratch->world(), 0, &err);
  if (!cmd) return;
  CommandResult res = cw.scratch->apply(*cmd);
  if (res.ok || res.error.find("unknown") == std::string::npos) return;
  Pos p = a.op_pos;
  for (const auto& arg : a.args)
    if (res.error.find("\"" + arg.value + "\"") != std::string::npos ||
        res.error.find("'" + arg.value + "'") != std::string::npos) { p = arg.value_pos; break; }
  d.push_back({p, res.error});
}

const char* kNeedsWorld = "in a compare lesson a value names its world: left.KEY or right.KEY (like left.availability); "
                          "only time_s, time_ms and elapsed_s are shared";

/// World `side`'s part of a compare condition: its keys and counts without their "left."/"right.",
/// positions moved onto the inner key; the other world's operands become plain numbers (so only
/// this world's keys are checked). Keys with no world are reported once (side 0).
Operand side_operand(const Operand& o, int side, Diagnostics& d) {
  Operand out = o;
  for (auto& x : out.args) x = side_operand(x, side, d);
  if (o.kind != Operand::Kind::Key && o.kind != Operand::Kind::Count) return out;
  const SideKey sk = split_side_key(o.key);
  if (sk.side < 0) {
    const std::string bare = o.key.rfind("start.", 0) == 0 ? o.key.substr(6) : o.key;
    if (o.kind == Operand::Kind::Key && is_clock_key(bare) && side == 0) return out;
    if (side == 0) {
      if (o.kind == Operand::Kind::Count)
        d.push_back({o.pos, "in a compare lesson count() names its world: count(left." + o.key + ") or count(right." + o.key + ")"});
      else
        d.push_back({o.pos, std::string(kNeedsWorld) + ", not \"" + o.key + "\""});
    }
  } else if (sk.side == side) {
    out.key = sk.key;
    out.pos.col += sk.offset;
    return out;
  }
  Operand n;
  n.kind = Operand::Kind::Number;
  n.text = "0";
  n.pos = o.pos;
  return n;
}

Expr side_expr(const Expr& e, int side, Diagnostics& d) {
  Expr out = e;
  for (auto& k : out.kids) k = side_expr(k, side, d);
  out.a = side_operand(e.a, side, d);
  out.b = side_operand(e.b, side, d);
  return out;
}

void check_compare_condition(const Condition& c, CheckWorld* cw, Diagnostics& d) {
  for (int side = 0; side < 2; ++side) {
    Condition mine = c;
    mine.root = side_expr(c.root, side, d);
    check_condition(mine, cw[side].world->world(), cw[side].scenario, d);
  }
}

void check_compare_text(const std::string& text, Pos base, CheckWorld* cw, Diagnostics& d) {
  size_t i = 0;
  while ((i = text.find("{{", i)) != std::string::npos) {
    const size_t e = text.find("}}", i);
    Pos p = base;
    for (size_t k = 0; k < i; ++k) { if (text[k] == '\n') { ++p.line; p.col = 1; } else ++p.col; }
    if (e == std::string::npos) { d.push_back({p, "unclosed {{ in text: write {{left.term}}"}); return; }
    std::string key = text.substr(i + 2, e - i - 2);
    Pos kp{p.line, p.col + 2};
    const bool as_node = key.rfind("node:", 0) == 0;
    if (as_node) { key = key.substr(5); kp.col += 5; }
    const SideKey sk = split_side_key(key);
    const std::string bare = key.rfind("start.", 0) == 0 ? key.substr(6) : key;
    if (sk.side < 0 && !is_clock_key(bare)) {
      d.push_back({kp, std::string(kNeedsWorld) + ", not \"" + key + "\""});
    } else {
      const int side = sk.side < 0 ? 0 : sk.side;
      const std::string inner = sk.side < 0 ? key : sk.key;
      const int offset = sk.side < 0 ? 0 : sk.offset;
      // The placeholder as one world reads it, placed so its key keeps its column.
      const std::string head = as_node ? "{{node:" : "{{";
      const Pos at{kp.line, kp.col + offset - static_cast<int>(head.size())};
      check_text_placeholders(head + inner + "}}", at, cw[side].world->world(), cw[side].scenario, d);
    }
    i = e + 2;
  }
}

/// highlight/camera/chart names in a compare lesson: a name is fine when either world has it.
template <typename F>
void check_either(const std::vector<Highlight>& hs, CheckWorld* cw, F check, Diagnostics& d) {
  for (const auto& h : hs) {
    Diagnostics d0, d1;
    check(std::vector<Highlight>{h}, cw[0].world->world(), d0);
    if (d0.empty()) continue;
    check(std::vector<Highlight>{h}, cw[1].world->world(), d1);
    if (!d1.empty()) d.insert(d.end(), d0.begin(), d0.end());
  }
}

void validate_compare(const Lesson& l, const WorldSource& source, Diagnostics& d) {
  CheckWorld cw[2];
  const ScenarioRef* refs[2] = {&l.scenario, &l.compare->right};
  bool ok = true;
  for (int side = 0; side < 2; ++side) {
    cw[side].scenario = refs[side]->name;
    cw[side].world = build_checked(*refs[side], l.scenario.seed, source, d);
    if (!cw[side].world) { ok = false; continue; }
    try {
      std::string e2;
      cw[side].scratch = source.make(refs[side]->name, l.scenario.seed, refs[side]->params, &e2);
    } catch (const std::exception&) {
    }
  }
  if (!ok) return;
  auto action = [&](const Action& a) {
    const std::vector<int> sides = action_sides(a);
    if (sides.empty()) {
      Pos p = a.op_pos;
      std::string v;
      for (const auto& arg : a.args)
        if (arg.key == "world") { p = arg.value_pos; v = arg.value; }
      d.push_back({p, v.empty() ? "in a compare lesson every action says its world: world = \"left\", \"right\" or \"both\""
                                : "\"world\" must be \"left\", \"right\" or \"both\", not \"" + v + "\"" +
                                      did_you_mean(v, {"left", "right", "both"})});
      return;
    }
    for (const auto& arg : a.args) {
      const size_t dot = arg.key.find('.');
      if (dot == std::string::npos) continue;
      const int side = side_index(arg.key.substr(0, dot));
      if (side < 0)
        d.push_back({arg.key_pos, "\"" + arg.key + "\": a world's own value is written left." + arg.key.substr(dot + 1) +
                                      " or right." + arg.key.substr(dot + 1)});
      else if (std::find(sides.begin(), sides.end(), side) == sides.end())
        d.push_back({arg.key_pos, "\"" + arg.key + "\" is for the " + side_name(side) + " world, but the action runs only on the " +
                                      side_name(1 - side) + " (world = \"" + side_name(1 - side) + "\")"});
    }
    for (int side : sides) dry_run(side_action(a, side), cw[side], d);
  };
  for (const auto& st : l.steps) {
    check_compare_text(st.text, st.text_pos, cw, d);
    for (const auto& a : st.actions) action(a);
    if (st.wait) check_compare_condition(st.wait->until, cw, d);
    if (st.goal) check_compare_condition(st.goal->check, cw, d);
    if (st.task) {
      check_compare_condition(st.task->check, cw, d);
      for (const auto& a : st.task->solution) action(a);
    }
    if (st.predict)
      for (const auto& c : st.predict->choices)
        if (c.when) check_compare_condition(*c.when, cw, d);
    check_either(st.highlight, cw, [](const std::vector<Highlight>& h, const World& w, Diagnostics& dd) { check_names(h, w, true, dd); }, d);
    check_either(st.chart, cw, [](const std::vector<Highlight>& h, const World& w, Diagnostics& dd) { check_charts(h, w, dd); }, d);
    if (st.camera)
      check_either(st.camera->focus, cw, [](const std::vector<Highlight>& h, const World& w, Diagnostics& dd) { check_names(h, w, false, dd); }, d);
  }
}

/// Keys and arguments that only make sense with two worlds, in a one-world lesson.
void check_no_worlds(const Lesson& l, Diagnostics& d) {
  auto action = [&](const Action& a) {
    for (const auto& arg : a.args)
      if (arg.key == "world" || arg.key.rfind("left.", 0) == 0 || arg.key.rfind("right.", 0) == 0)
        d.push_back({arg.key_pos, "\"" + arg.key + "\" names a world: only a compare lesson ([compare], two worlds) has them"});
  };
  auto cond = [&](const Condition& c) {
    std::vector<const Operand*> counts;
    collect_counts(c.root, counts);
    for (const Operand* k : counts)
      if (!is_selector_text(k->key))
        d.push_back({k->pos, "count(" + k->key + ") names a world: only a compare lesson ([compare], two worlds) has them; write count(" +
                                 k->key.substr(k->key.find('@')) + ")"});
  };
  for (const auto& st : l.steps) {
    for (const auto& a : st.actions) action(a);
    if (st.task) { for (const auto& a : st.task->solution) action(a); cond(st.task->check); }
    if (st.wait) cond(st.wait->until);
    if (st.goal) cond(st.goal->check);
    if (st.predict) for (const auto& c : st.predict->choices) if (c.when) cond(*c.when);
  }
}

}  // namespace

void validate_lesson(const Lesson& l, const WorldSource& source, Diagnostics& d) {
  if (l.compare) {
    validate_compare(l, source, d);
    return;
  }
  check_no_worlds(l, d);
  const ScenarioRef& s = l.scenario;
  CheckWorld cw;
  cw.scenario = s.name;
  cw.world = build_checked(s, s.seed, source, d);
  if (!cw.world) return;
  const World& w = cw.world->world();
  try {
    std::string e2;
    cw.scratch = source.make(s.name, s.seed, s.params, &e2);
  } catch (const std::exception&) {
  }
  for (const auto& st : l.steps) {
    check_text_placeholders(st.text, st.text_pos, w, s.name, d);
    // The step's other texts are filled in too when shown (Runner::fill); each is checked from
    // the position of the element that holds it.
    auto check_hints = [&](const std::vector<Hint>& hints) {
      for (const auto& h : hints) check_text_placeholders(h.text, h.pos, w, s.name, d);
    };
    if (st.task) { check_text_placeholders(st.task->prompt, st.task->pos, w, s.name, d); check_hints(st.task->hints); }
    if (st.goal) { check_text_placeholders(st.goal->text, st.goal->pos, w, s.name, d); check_hints(st.goal->hints); }
    if (st.wait) check_text_placeholders(st.wait->text, st.wait->pos, w, s.name, d);
    if (st.predict) {
      check_hints(st.predict->hints);
      for (const auto& c : st.predict->choices) check_text_placeholders(c.explain, c.pos, w, s.name, d);
    }
    if (st.quiz)
      for (const auto& c : st.quiz->choices) check_text_placeholders(c.explain, c.pos, w, s.name, d);
    for (const auto& a : st.actions) dry_run(a, cw, d);
    if (st.wait) check_condition(st.wait->until, w, s.name, d);
    if (st.goal) check_condition(st.goal->check, w, s.name, d);
    if (st.task) {
      check_condition(st.task->check, w, s.name, d);
      for (const auto& a : st.task->solution) dry_run(a, cw, d);
    }
    if (st.predict)
      for (const auto& c : st.predict->choices)
        if (c.when) check_condition(*c.when, w, s.name, d);
    check_names(st.highlight, w, true, d);
    check_charts(st.chart, w, d);
    if (st.camera) check_names(st.camera->focus, w, false, d);
  }
}

CheckResult check_lesson(std::string_view text, const WorldSource& source) {
  CheckResult r;
  ParseResult p = parse_lesson(text);
  r.diags = std::move(p.diags);
  r.lesson = std::move(p.lesson);
  if (r.lesson) {
    try {
      validate_lesson(*r.lesson, source, r.diags);
    } catch (const std::exception& e) {
      r.diags.push_back({{1, 1}, std::string("internal error while validating: ") + e.what()});
    }
  }
  sort_diagnostics(r.diags);
  return r;
}

std::optional<std::vector<Command>> resolve_actions(const Action& a, const World& w, Time step_started_us,
                                                    std::string* error, const Baseline* baseline) {
  Command c = a.to_command();
  const CommandSpec* spec = w.find_command(a.op);
  WorldFacts facts(w, step_started_us, baseline);
  auto param_type = [&](const std::string& k) -> std::string {
    if (spec)
      for (const auto& p : spec->params) if (p.name == k) return p.type;
    return "";
  };
  // Node parameters holding a selector: one Command per matched node (every combination when
  // several parameters hold one), in the world's node order.
  std::vector<std::pair<std::string, std::vector<std::string>>> per_node;
  for (auto& [k, v] : c.args) {
    const std::string type = param_type(k);
    if (v.find('@') != std::string::npos && (type == "node" || type == "nodes" || type == "groups")) {
      std::vector<std::string> groups_out;
      for (const auto& group : util::split(v, '|')) {
        std::vector<std::string> names;
        for (const auto& part : util::split(group, ',')) {
          const std::string item = util::trim(part);
          if (!is_selector_text(item)) { names.push_back(item); continue; }
          Diagnostics d;
          auto sel = parse_selector(item, {}, d);
          if (!sel) { if (error) *error = d.empty() ? "bad selector " + item : d.front().message; return std::nullopt; }
          auto ids = select_nodes(w, *sel);
          if (ids.empty()) { if (error) *error = no_match_message(*sel); return std::nullopt; }
          for (NodeId id : ids) names.push_back(w.node(id).name);
        }
        if (type == "node") {
          per_node.emplace_back(k, names);
        } else {
          std::string joined;
          for (const auto& n : names) joined += (joined.empty() ? "" : ",") + n;
          groups_out.push_back(joined);
        }
      }
      if (type != "node") {
        std::string joined;
        for (const auto& g : groups_out) joined += (joined.empty() ? "" : "|") + g;
        v = joined;
      }
      continue;
    }
    if (!is_placeholder(v)) continue;
    std::string key = v.substr(1, v.size() - 2);
    auto val = facts.get(key);
    if (!val) { if (error) *error = "no value \"" + key + "\" for " + k; return std::nullopt; }
    const bool node_param = type == "node" || type == "nodes";
    if (auto* d = std::get_if<double>(&*val)) {
      if (node_param) {
        int64_t id = static_cast<int64_t>(*d);
        if (id < 0 || static_cast<size_t>(id) >= w.nodes().size()) {
          if (error) *error = "\"" + key + "\" names no node right now (it is " + format_number(*d) + ")";
          return std::nullopt;
        }
        v = w.node(static_cast<NodeId>(id)).name;
      } else {
        v = format_number(*d);
      }
    } else {
      v = std::get<std::string>(*val);
    }
  }
  // Durations written with a unit ("2s") become the engine's milliseconds.
  if (spec)
    for (const auto& p : spec->params) {
      auto it = c.args.find(p.name);
      if (it == c.args.end() || p.type != "duration") continue;
      it->second = engine_value(p, it->second);
    }
  std::vector<Command> out{c};
  for (const auto& [k, names] : per_node) {
    std::vector<Command> next;
    for (const auto& cmd : out)
      for (const auto& n : names) {
        Command x = cmd;
        x.args[k] = n;
        next.push_back(std::move(x));
      }
    out = std::move(next);
  }
  return out;
}

std::optional<Command> resolve_action(const Action& a, const World& w, Time step_started_us, std::string* error) {
  auto all = resolve_actions(a, w, step_started_us, error);
  if (!all) return std::nullopt;
  if (all->size() != 1) {
    if (error) *error = "the action's selector matches " + std::to_string(all->size()) + " nodes, not one";
    return std::nullopt;
  }
  return all->front();
}

std::string render_text(std::string_view text, const World& w, Time step_started_us, const Baseline* baseline) {
  WorldFacts facts(w, step_started_us, baseline);
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find("{{", i);
    if (open == std::string_view::npos) { out += text.substr(i); break; }
    size_t close = text.find("}}", open);
    if (close == std::string_view::npos) { out += text.substr(i); break; }
    out += text.substr(i, open - i);
    std::string key(text.substr(open + 2, close - open - 2));
    bool as_node = key.rfind("node:", 0) == 0;
    if (as_node) key = key.substr(5);
    if (is_selector_text(key)) {
      // {{@followers}}: the matched nodes' names, "n2, n3"; "none" when nothing matches.
      Diagnostics d;
      std::string names;
      if (auto sel = parse_selector(key, {}, d))
        for (NodeId id : select_nodes(w, *sel)) names += (names.empty() ? "" : ", ") + w.node(id).name;
      out += names.empty() ? "none" : names;
      i = close + 2;
      continue;
    }
    auto v = facts.get(key);
    if (!v) out += "?";
    else if (auto* d = std::get_if<double>(&*v)) {
      int64_t id = static_cast<int64_t>(*d);
      if (as_node) out += (id >= 0 && static_cast<size_t>(id) < w.nodes().size()) ? w.node(static_cast<NodeId>(id)).name : "none";
      else out += format_readable(*d);
    } else {
      out += std::get<std::string>(*v);
    }
    i = close + 2;
  }
  return out;
}

std::string describe_action(const CommandSpec& s) {
  std::ostringstream o;
  o << s.op;
  for (const auto& p : s.params) o << " " << (p.required ? "" : "[") << p.name << "=" << p.type << (p.required ? "" : "]");
  o << "\n    " << s.help << "\n";
  for (const auto& p : s.params) {
    o << "    - " << p.name << " (" << p.type << (p.required ? "" : ", optional");
    if (!p.unit.empty()) o << ", " << p.unit;
    if (!p.range.empty()) o << ", " << p.range;
    if (!p.default_value.empty()) o << ", default " << p.default_value;
    o << "): " << p.help << "\n";
  }
  return o.str();
}

std::string describe_actions(const World& w) {
  std::string out;
  for (const auto& s : w.command_specs()) out += describe_action(s);
  return out;
}

}  // namespace topo::lesson
