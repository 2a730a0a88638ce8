// Lesson files: TOML (toml++) -> Lesson. Every error carries the line:column of the node it is
// about (toml++ keeps a source region for every key and value). Unknown keys are errors with a
// "did you mean" suggestion; wrong types say what was expected. The parser never throws.
#include <toml++/toml.h>

#include <cctype>
#include <algorithm>
#include <cmath>
#include <set>

#include "lesson/lesson.h"
#include "lesson/markdown.h"
#include "scenario/toml_guard.h"

namespace topo::lesson {

const std::vector<std::string>& panel_names() {
  static const std::vector<std::string> v = {"canvas", "inspector", "charts",   "timeline",
                                             "toolbox", "events",   "history", "lesson"};
  return v;
}

Command Action::to_command() const {
  Command c;
  c.op = op;
  for (const auto& a : args) c.args[a.key] = a.value;
  return c;
}

void check_markdown(std::string_view text, Pos base, Diagnostics& diags) {
  // The one Markdown parser (lesson/markdown.h) reports what it left as plain text by mistake;
  // positions follow the text's own lines (the first starts at `base`).
  for (const MdProblem& p : md_parse(text).problems) {
    const Pos at{base.line + p.line, (p.line == 0 ? base.col : 1) + p.col};
    diags.push_back({at, p.message});
  }
}

namespace {

const char* type_name(toml::node_type t) {
  switch (t) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "a list";
    case toml::node_type::string: return "text";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "true/false";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
  }
}

Pos pos_of(const toml::source_region& r) {
  return {static_cast<int>(r.begin.line), static_cast<int>(r.begin.column)};
}

class Reader {
 public:
  Reader(std::string_view text, Diagnostics& d) : diags_(d) {
    size_t i = 0;
    while (i <= text.size()) {
      size_t e = text.find('\n', i);
      if (e == std::string_view::npos) e = text.size();
      lines_.push_back(text.substr(i, e - i));
      i = e + 1;
    }
  }

  void error(Pos p, std::string msg) { diags_.push_back({p, std::move(msg)}); }

  Pos pos(const toml::node& n) const { return pos_of(n.source()); }

  /// Position of the first character inside a string value (after its quotes).
  Pos content_pos(const toml::node& n) const {
    Pos p = pos(n);
    if (p.line < 1 || static_cast<size_t>(p.line) > lines_.size()) return p;
    std::string_view line = lines_[static_cast<size_t>(p.line - 1)];
    size_t c = static_cast<size_t>(p.col > 0 ? p.col - 1 : 0);
    if (c >= line.size()) return p;
    std::string_view rest = line.substr(c);
    if (rest.rfind("\"\"\"", 0) == 0 || rest.rfind("'''", 0) == 0) {
      if (rest.size() == 3) return {p.line + 1, 1};   // content starts on the next line
      return {p.line, p.col + 3};
    }
    if (!rest.empty() && (rest[0] == '"' || rest[0] == '\'')) return {p.line, p.col + 1};
    return p;
  }

  /// Reports keys of `t` not in `allowed`.
  void check_keys(const toml::table& t, std::initializer_list<const char*> allowed, const std::string& where) {
    std::vector<std::string> names(allowed.begin(), allowed.end());
    for (auto&& [k, v] : t) {
      (void)v;
      std::string key(k.str());
      bool ok = false;
      for (auto& a : names) if (a == key) ok = true;
      if (!ok) error(pos_of(k.source()), "unknown key \"" + key + "\" in " + where + did_you_mean(key, names));
    }
  }

  bool expect_type(const toml::node& n, toml::node_type t, const std::string& what) {
    if (n.type() == t) return true;
    error(pos(n), what + " must be " + type_name(t) + ", not " + type_name(n.type()));
    return false;
  }

  std::optional<std::string> str(const toml::table& t, const char* key, const std::string& where, bool required,
                                 Pos* at = nullptr) {
    const toml::node* n = t.get(key);
    if (!n) {
      if (required) error(pos_of(t.source()), where + " is missing \"" + key + "\"");
      return std::nullopt;
    }
    if (!expect_type(*n, toml::node_type::string, "\"" + std::string(key) + "\"")) return std::nullopt;
    if (at) *at = content_pos(*n);
    return n->as_string()->get();
  }

  std::optional<int64_t> integer(const toml::table& t, const char* key, const std::string& where, bool required,
                                 Pos* at = nullptr) {
    const toml::node* n = t.get(key);
    if (!n) {
      if (required) error(pos_of(t.source()), where + " is missing \"" + key + "\"");
      return std::nullopt;
    }
    if (at) *at = pos(*n);
    if (!expect_type(*n, toml::node_type::integer, "\"" + std::string(key) + "\"")) return std::nullopt;
    return n->as_integer()->get();
  }

  std::optional<double> number(const toml::node& n, const std::string& what) {
    if (auto* i = n.as_integer()) return static_cast<double>(i->get());
    if (auto* f = n.as_floating_point()) {
      if (!std::isfinite(f->get())) { error(pos(n), what + " must be a finite number"); return std::nullopt; }
      return f->get();
    }
    error(pos(n), what + " must be a number, not " + type_name(n.type()));
    return std::nullopt;
  }

  /// A duration field ("30s"); `fallback` when absent.
  int64_t duration(const toml::table& t, const char* key, int64_t fallback, Pos* at) {
    const toml::node* n = t.get(key);
    *at = pos_of(t.source());
    if (!n) return fallback;
    *at = pos(*n);
    if (n->is_integer() || n->is_floating_point()) {
      error(pos(*n), "\"" + std::string(key) + "\" needs a unit: write it as text like \"30s\" or \"500ms\"");
      return fallback;
    }
    if (!expect_type(*n, toml::node_type::string, "\"" + std::string(key) + "\"")) return fallback;
    auto us = parse_duration_us(n->as_string()->get());
    if (!us) {
      error(content_pos(*n), "\"" + n->as_string()->get() + "\" is not a duration: write a number and a unit (" + kDurationUnits + "), like \"30s\"");
      return fallback;
    }
    if (*us <= 0) {
      error(content_pos(*n), "\"" + std::string(key) + "\" must be more than 0");
      return fallback;
    }
    if (*us > 3600LL * 1000000) {
      error(content_pos(*n), "\"" + std::string(key) + "\" must be at most 1h of simulated time (\"1h\", \"60m\")");
      return fallback;
    }
    return *us;
  }

  std::optional<Condition> condition(const toml::table& t, const char* key, const std::string& where) {
    const toml::node* n = t.get(key);
    if (!n) {
      error(pos_of(t.source()), where + " is missing \"" + key + "\" (a condition like \"leader_count == 1\")");
      return std::nullopt;
    }
    return condition_node(*n, "\"" + std::string(key) + "\"");
  }

  std::optional<Condition> condition_node(const toml::node& n, const std::string& what) {
    if (!expect_type(n, toml::node_type::string, what)) return std::nullopt;
    return parse_condition(n.as_string()->get(), content_pos(n), diags_);
  }

  std::string text_field(const toml::table& t, const char* key, const std::string& where, bool required,
                         Pos* at = nullptr) {
    Pos p;
    auto s = str(t, key, where, required, &p);
    if (!s) return "";
    if (at) *at = p;
    check_markdown(*s, p, diags_);
    if (required && s->find_first_not_of(" \n\t") == std::string::npos)
      error(p, "\"" + std::string(key) + "\" is empty");
    return *s;
  }

  std::optional<Action> action_from_table(const toml::table& t) {
    Action a;
    a.pos = pos_of(t.source());
    const toml::node* op = t.get("action");
    if (!op) {
      std::vector<std::string> keys;
      for (auto&& [k, v] : t) { (void)v; keys.emplace_back(k.str()); }
      std::string hint;
      for (auto& k : keys) if (k == "op" || k == "do" || k == "type" || k == "command" || k == "name") hint = k;
      error(a.pos, hint.empty() ? "action is missing \"action\" (like { action = \"crash\", node = \"n1\" })"
                                : "action is missing \"action\" \xE2\x80\x94 write action = ... instead of " + hint + " = ...");
      return std::nullopt;
    }
    if (!expect_type(*op, toml::node_type::string, "\"action\"")) return std::nullopt;
    a.op = op->as_string()->get();
    a.op_pos = content_pos(*op);
    bool ok = true;
    for (auto&& [k, v] : t) {
      std::string key(k.str());
      if (key == "action") continue;
      if (auto* side = v.as_table(); side && (key == "left" || key == "right")) {
        // A compare lesson's per-world values: left = { node = "@leader" } (or left.node = ...).
        for (auto&& [sk, sv] : *side) {
          ActionArg arg;
          arg.key = key + "." + std::string(sk.str());
          arg.key_pos = pos_of(sk.source());
          arg.value_pos = sv.is_string() ? content_pos(sv) : pos(sv);
          if (auto* x = sv.as_string()) arg.value = x->get();
          else if (auto* x = sv.as_integer()) arg.value = std::to_string(x->get());
          else if (auto* x = sv.as_floating_point()) arg.value = format_number(x->get());
          else if (auto* x = sv.as_boolean()) arg.value = x->get() ? "true" : "false";
          else { error(pos(sv), "\"" + arg.key + "\" must be text, a number or true/false"); ok = false; continue; }
          a.args.push_back(std::move(arg));
        }
        continue;
      }
      ActionArg arg;
      arg.key = key;
      arg.key_pos = pos_of(k.source());
      arg.value_pos = v.is_string() ? content_pos(v) : pos(v);
      if (auto* s = v.as_string()) arg.value = s->get();
      else if (auto* i = v.as_integer()) arg.value = std::to_string(i->get());
      else if (auto* f = v.as_floating_point()) {
        if (!std::isfinite(f->get())) { error(pos(v), "\"" + key + "\" must be a finite number"); ok = false; continue; }
        arg.value = format_number(f->get());
      } else if (auto* b = v.as_boolean()) arg.value = b->get() ? "true" : "false";
      else if (auto* arr = v.as_array()) {
        // ["n1","n2"] -> "n1,n2"; [["n1","n2"],["n3"]] -> "n1,n2|n3"
        std::string out;
        bool first = true;
        for (auto& el : *arr) {
          if (!first) out += el.is_array() ? "|" : ",";
          first = false;
          if (auto* es = el.as_string()) out += es->get();
          else if (auto* inner = el.as_array()) {
            bool f2 = true;
            for (auto& x : *inner) {
              if (!x.is_string()) { error(pos(x), "\"" + key + "\" lists node names as text"); ok = false; break; }
              if (!f2) out += ",";
              f2 = false;
              out += x.as_string()->get();
            }
          } else { error(pos(el), "\"" + key + "\" lists node names as text"); ok = false; break; }
        }
        arg.value = out;
      } else {
        error(pos(v), "\"" + key + "\" must be text, a number, true/false or a list, not " + type_name(v.type()));
        ok = false;
        continue;
      }
      a.args.push_back(std::move(arg));
    }
    if (!ok) return std::nullopt;
    return a;
  }

  /// "crash node=n1 delay=50ms" with positions for every part.
  std::optional<Action> action_from_string(const toml::node& n) {
    std::string s = n.as_string()->get();
    Pos base = content_pos(n);
    auto at = [&](size_t i) { return Pos{base.line, base.col + static_cast<int>(i)}; };
    Action a;
    a.pos = base;
    size_t i = 0;
    while (i < s.size() && s[i] == ' ') ++i;
    size_t st = i;
    while (i < s.size() && s[i] != ' ') ++i;
    a.op = s.substr(st, i - st);
    a.op_pos = at(st);
    if (a.op.empty()) { error(base, "empty action: write it like \"crash node=n1\""); return std::nullopt; }
    if (a.op.find('=') != std::string::npos) {
      error(at(st), "an action starts with its name, like \"crash node=n1\"");
      return std::nullopt;
    }
    while (i < s.size()) {
      while (i < s.size() && s[i] == ' ') ++i;
      if (i >= s.size()) break;
      ActionArg arg;
      arg.key_pos = at(i);
      size_t ks = i;
      while (i < s.size() && s[i] != '=' && s[i] != ' ') ++i;
      arg.key = s.substr(ks, i - ks);
      if (i >= s.size() || s[i] != '=') {
        error(arg.key_pos, "expected key=value after the action name, found \"" + arg.key + "\"");
        return std::nullopt;
      }
      ++i;
      arg.value_pos = at(i);
      if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
        char q = s[i++];
        size_t vs = i;
        while (i < s.size() && s[i] != q) ++i;
        if (i >= s.size()) { error(arg.value_pos, "unterminated quote in action"); return std::nullopt; }
        arg.value = s.substr(vs, i - vs);
        ++i;
      } else {
        size_t vs = i;
        while (i < s.size() && s[i] != ' ') ++i;
        arg.value = s.substr(vs, i - vs);
      }
      if (arg.key.empty()) { error(arg.key_pos, "missing parameter name before \"=\""); return std::nullopt; }
      for (auto& prev : a.args)
        if (prev.key == arg.key) { error(arg.key_pos, "\"" + arg.key + "\" given twice"); return std::nullopt; }
      a.args.push_back(std::move(arg));
    }
    return a;
  }

  std::vector<Action> actions(const toml::node& n, const std::string& what) {
    std::vector<Action> out;
    auto one = [&](const toml::node& el) {
      if (auto* t = el.as_table()) { if (auto a = action_from_table(*t)) out.push_back(std::move(*a)); }
      else if (el.is_string()) { if (auto a = action_from_string(el)) out.push_back(std::move(*a)); }
      else error(pos(el), "each action is a table like { action = \"crash\", node = \"n1\" } or text like \"crash node=n1\", not " + std::string(type_name(el.type())));
    };
    if (auto* arr = n.as_array()) for (auto& el : *arr) one(el);
    else if (n.is_table() || n.is_string()) one(n);
    else error(pos(n), what + " must be a list of actions, not " + type_name(n.type()));
    return out;
  }

  std::vector<Highlight> names(const toml::node& n, const std::string& what) {
    std::vector<Highlight> out;
    if (n.is_string()) { out.push_back({n.as_string()->get(), content_pos(n)}); return out; }
    auto* arr = n.as_array();
    if (!arr) { error(pos(n), what + " must be a list of names, not " + type_name(n.type())); return out; }
    for (auto& el : *arr) {
      if (!el.is_string()) { error(pos(el), what + " lists names as text, not " + type_name(el.type())); continue; }
      out.push_back({el.as_string()->get(), content_pos(el)});
    }
    return out;
  }

  /// `hints = [{ after = "20s", text = "..." }, "plain text"]` of a task, goal or predict.
  std::vector<Hint> hints(const toml::node& h) {
    std::vector<Hint> out;
    auto* ha = h.as_array();
    if (!ha) {
      error(pos(h), "\"hints\" must be a list, not " + std::string(type_name(h.type())));
      return out;
    }
    for (auto& el : *ha) {
      Hint hint;
      hint.pos = pos(el);
      if (el.is_string()) {
        hint.text = el.as_string()->get();
        out.push_back(hint);
        continue;
      }
      auto* ht = el.as_table();
      if (!ht) { error(pos(el), "each hint is text or a table like { after = \"20s\", text = \"...\" }"); continue; }
      check_keys(*ht, {"after", "text"}, "a hint");
      hint.text = text_field(*ht, "text", "a hint", true);
      Pos ap;
      hint.after_us = ht->get("after") ? duration(*ht, "after", 0, &ap) : 0;
      out.push_back(hint);
    }
    return out;
  }

  std::vector<Choice> choices(const toml::table& t, bool predict, const std::string& where) {
    std::vector<Choice> out;
    const toml::node* n = t.get("choices");
    if (!n) { error(pos_of(t.source()), where + " is missing \"choices\""); return out; }
    auto* arr = n->as_array();
    if (!arr) { error(pos(*n), "\"choices\" must be a list of tables, not " + std::string(type_name(n->type()))); return out; }
    for (auto& el : *arr) {
      auto* ct = el.as_table();
      if (!ct) { error(pos(el), "each choice is a table like { text = \"...\", explain = \"...\" }, not " + std::string(type_name(el.type()))); continue; }
      Choice c;
      c.pos = pos_of(ct->source());
      if (predict) check_keys(*ct, {"text", "when", "explain"}, "a predict choice");
      else check_keys(*ct, {"text", "correct", "explain"}, "a quiz choice");
      c.text = text_field(*ct, "text", "a choice", true);
      c.explain = text_field(*ct, "explain", "a choice", false);
      if (predict) {
        c.when = condition(*ct, "when", "a predict choice");
      } else if (const toml::node* cr = ct->get("correct")) {
        if (expect_type(*cr, toml::node_type::boolean, "\"correct\"")) c.correct = cr->as_boolean()->get();
      }
      out.push_back(std::move(c));
    }
    if (arr->size() < 2) error(pos(*n), where + " needs at least 2 choices");
    if (arr->size() > 8) error(pos(*n), where + " has more than 8 choices");
    return out;
  }

  std::optional<Step> step(const toml::table& t, size_t index) {
    Step s;
    s.pos = pos_of(t.source());
    std::string where = "step " + std::to_string(index + 1);
    check_keys(t, {"title", "text", "text_at", "do", "wait", "task", "goal", "quiz", "predict", "highlight", "camera", "speed",
                   "chart"},
               "[[step]]");
    if (auto v = str(t, "title", where, true)) s.title = *v;
    s.text = text_field(t, "text", where, true, &s.text_pos);
    if (auto* n = t.get("do")) s.actions = actions(*n, "\"do\"");
    if (auto* n = t.get("text_at")) {
      if (expect_type(*n, toml::node_type::string, "\"text_at\"")) {
        const std::string v = n->as_string()->get();
        if (v == "live") s.live_text = true;
        else if (v != "start")
          error(content_pos(*n), "\"text_at\" is \"start\" ({{...}} filled in once, as the step opens, before its \"do\") "
                                 "or \"live\" (filled in again whenever the text is shown), not \"" + v + "\"");
      }
    }
    if (auto* n = t.get("wait")) {
      Wait w;
      w.pos = pos(*n);
      if (n->is_string()) {
        auto c = condition_node(*n, "\"wait\"");
        w.timeout_us = 30 * 1000000LL;
        w.timeout_pos = w.pos;
        if (c) { w.until = std::move(*c); s.wait = std::move(w); }
      } else if (auto* wt = n->as_table()) {
        check_keys(*wt, {"until", "timeout", "text"}, "wait");
        auto c = condition(*wt, "until", "wait");
        w.timeout_us = duration(*wt, "timeout", 30 * 1000000LL, &w.timeout_pos);
        w.text = text_field(*wt, "text", "wait", false);
        if (c) { w.until = std::move(*c); s.wait = std::move(w); }
      } else {
        error(pos(*n), "\"wait\" must be a table like { until = \"leader_count == 1\", timeout = \"5s\" }, not " +
                           std::string(type_name(n->type())));
      }
    }
    if (auto* n = t.get("task")) {
      if (auto* tt = n->as_table()) {
        Task k;
        k.pos = pos(*n);
        check_keys(*tt, {"prompt", "check", "hints", "solution", "timeout"}, "task");
        k.prompt = text_field(*tt, "prompt", "task", true);
        auto c = condition(*tt, "check", "task");
        k.timeout_us = duration(*tt, "timeout", 30 * 1000000LL, &k.timeout_pos);
        if (auto* h = tt->get("hints")) k.hints = hints(*h);
        if (auto* sol = tt->get("solution")) k.solution = actions(*sol, "\"solution\"");
        else error(k.pos, "task is missing \"solution\" (the actions autoplay applies, like [\"crash node=n1\"])");
        if (c) { k.check = std::move(*c); s.task = std::move(k); }
      } else {
        error(pos(*n), "\"task\" must be a table, not " + std::string(type_name(n->type())));
      }
    }
    if (auto* n = t.get("goal")) {
      if (auto* gt = n->as_table()) {
        Goal g;
        g.pos = pos(*n);
        check_keys(*gt, {"text", "check", "timeout", "hints"}, "goal");
        if (auto* h = gt->get("hints")) g.hints = hints(*h);
        g.text = text_field(*gt, "text", "goal", false);
        auto c = condition(*gt, "check", "goal");
        g.timeout_us = duration(*gt, "timeout", 60 * 1000000LL, &g.timeout_pos);
        if (c) {
          g.check = std::move(*c);
          if (g.check.for_us >= g.timeout_us)
            error(g.timeout_pos, "impossible goal: it must hold for " + format_duration(g.check.for_us) +
                                     " but its timeout is " + format_duration(g.timeout_us));
          s.goal = std::move(g);
        }
      } else {
        error(pos(*n), "\"goal\" must be a table, not " + std::string(type_name(n->type())));
      }
    }
    if (auto* n = t.get("quiz")) {
      if (auto* qt = n->as_table()) {
        Quiz q;
        q.pos = pos(*n);
        check_keys(*qt, {"question", "choices"}, "quiz");
        q.question = text_field(*qt, "question", "quiz", true);
        q.choices = choices(*qt, false, "quiz");
        int correct = 0;
        for (size_t i = 0; i < q.choices.size(); ++i)
          if (q.choices[i].correct) { ++correct; if (q.correct < 0) q.correct = static_cast<int>(i); }
        if (!q.choices.empty() && correct != 1)
          error(q.pos, correct == 0 ? "quiz has no correct choice: mark one with correct = true"
                                    : "quiz has " + std::to_string(correct) + " correct choices: mark exactly one with correct = true");
        s.quiz = std::move(q);
      } else {
        error(pos(*n), "\"quiz\" must be a table, not " + std::string(type_name(n->type())));
      }
    }
    if (auto* n = t.get("predict")) {
      if (auto* pt = n->as_table()) {
        Predict p;
        p.pos = pos(*n);
        check_keys(*pt, {"question", "choices", "timeout", "hints", "expect"}, "predict");
        p.question = text_field(*pt, "question", "predict", true);
        p.choices = choices(*pt, true, "predict");
        if (auto* h = pt->get("hints")) p.hints = hints(*h);
        if (auto* e = pt->get("expect")) {
          // expect = 2 (the second choice) or expect = "b".
          p.expect_pos = e->is_string() ? content_pos(*e) : pos(*e);
          const int n = static_cast<int>(p.choices.size());
          int idx = -1;
          if (auto* i = e->as_integer()) idx = static_cast<int>(std::clamp<int64_t>(i->get(), -1, 99)) - 1;
          else if (auto* es = e->as_string()) {
            const std::string& v = es->get();
            if (v.size() == 1 && v[0] >= 'a' && v[0] <= 'h') idx = v[0] - 'a';
            else if (v.size() == 1 && v[0] >= 'A' && v[0] <= 'H') idx = v[0] - 'A';
            else idx = -2;
          } else idx = -2;
          if (idx == -2)
            error(p.expect_pos, "\"expect\" names the choice the lesson expects: its number (expect = 2) or letter (expect = \"b\")");
          else if (n > 0 && (idx < 0 || idx >= n))
            error(p.expect_pos, "\"expect\" must be a choice of this predict: 1 to " + std::to_string(n) + " (or \"a\" to \"" +
                                    std::string(1, static_cast<char>('a' + n - 1)) + "\")");
          else p.expect = idx;
        }
        p.timeout_us = duration(*pt, "timeout", 30 * 1000000LL, &p.timeout_pos);
        s.predict = std::move(p);
      } else {
        error(pos(*n), "\"predict\" must be a table, not " + std::string(type_name(n->type())));
      }
    }
    if (auto* n = t.get("highlight")) s.highlight = names(*n, "\"highlight\"");
    if (auto* n = t.get("chart")) {
      s.chart = names(*n, "\"chart\"");
      if (n->is_array() && n->as_array()->empty()) error(pos(*n), "\"chart\" names at least one chart, e.g. chart = \"p99_ms\"");
    }
    if (auto* n = t.get("camera")) {
      Camera c;
      c.pos = pos(*n);
      if (n->is_string() && n->as_string()->get() == "fit") c.fit = true;
      else if (auto* ct = n->as_table()) {
        check_keys(*ct, {"fit", "focus", "zoom"}, "camera");
        if (auto* f = ct->get("fit")) if (expect_type(*f, toml::node_type::boolean, "\"fit\"")) c.fit = f->as_boolean()->get();
        if (auto* f = ct->get("focus")) c.focus = names(*f, "\"focus\"");
        if (auto* z = ct->get("zoom")) {
          if (auto v = number(*z, "\"zoom\"")) {
            if (*v < 0.1 || *v > 10) error(pos(*z), "\"zoom\" must be between 0.1 and 10");
            else c.zoom = *v;
          }
        }
      } else {
        error(pos(*n), "\"camera\" must be \"fit\" or a table like { focus = [\"n1\"], zoom = 1.5 }");
      }
      s.camera = std::move(c);
    }
    if (auto* n = t.get("speed")) {
      s.speed_pos = pos(*n);
      if (auto v = number(*n, "\"speed\"")) {
        if (*v < 0.01 || *v > 100) error(pos(*n), "\"speed\" must be between 0.01 and 100 (times real time)");
        else s.speed = *v;
      }
    }
    return s;
  }

  /// name and params of a scenario reference ([scenario], or left/right of [compare]).
  void scenario_ref(const toml::table& st, const std::string& where, ScenarioRef& s) {
    if (auto v = str(st, "name", where, true, &s.name_pos)) s.name = *v;
    if (auto* p = st.get("params")) {
      s.params_pos = pos(*p);
      if (auto* pt = p->as_table()) {
        for (auto&& [k, v] : *pt) {
          std::string key(k.str());
          s.param_pos[key] = pos_of(k.source());
          if (auto* x = v.as_string()) s.params[key] = x->get();
          else if (auto* x = v.as_integer()) s.params[key] = std::to_string(x->get());
          else if (auto* x = v.as_floating_point()) s.params[key] = format_number(x->get());
          else if (auto* x = v.as_boolean()) s.params[key] = x->get() ? "true" : "false";
          else error(pos(v), "scenario parameter \"" + key + "\" must be text, a number or true/false");
        }
      } else {
        error(pos(*p), "\"params\" must be a table like { nodes = 5 }, not " + std::string(type_name(p->type())));
      }
    }
  }

  std::optional<Lesson> lesson(const toml::table& root) {
    Lesson l;
    check_keys(root, {"format", "id", "title", "summary", "level", "minutes", "tags", "author", "scenario", "compare", "step"},
               "the lesson");
    Pos fp;
    if (auto f = integer(root, "format", "the lesson", true, &fp)) {
      if (*f != kFormatVersion)
        error(fp, "unsupported format " + std::to_string(*f) + ": this Topolab reads format = " + std::to_string(kFormatVersion));
      l.format = static_cast<int>(*f);
    }
    if (auto v = str(root, "id", "the lesson", true, &l.id_pos)) {
      l.id = *v;
      bool ok = !v->empty();
      for (char c : *v) if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-')) ok = false;
      if (!ok) error(l.id_pos, "\"id\" must be lowercase letters, digits and dashes, like \"03-agreeing-on-a-leader\"");
    }
    if (auto v = str(root, "title", "the lesson", true)) l.title = *v;
    if (auto v = str(root, "summary", "the lesson", true)) l.summary = *v;
    Pos lp;
    if (auto v = str(root, "level", "the lesson", true, &lp)) {
      l.level = *v;
      std::vector<std::string> levels = {"beginner", "intermediate", "advanced"};
      bool ok = false;
      for (auto& x : levels) if (x == *v) ok = true;
      if (!ok) error(lp, "\"level\" must be beginner, intermediate or advanced, not \"" + *v + "\"" + did_you_mean(*v, levels));
    }
    Pos mp;
    if (auto v = integer(root, "minutes", "the lesson", true, &mp)) {
      if (*v < 1 || *v > 240) error(mp, "\"minutes\" must be between 1 and 240");
      else l.minutes = static_cast<int>(*v);
    }
    if (auto v = str(root, "author", "the lesson", false)) l.author = *v;
    if (auto* n = root.get("tags")) {
      for (auto& h : names(*n, "\"tags\"")) l.tags.push_back(h.name);
    }
    // [scenario], or [compare] with two of them
    const toml::node* cmp = root.get("compare");
    if (auto* n = root.get("scenario")) {
      if (cmp) error(pos(*cmp), "a lesson has [scenario] (one world) or [compare] (two worlds), not both");
      if (auto* st = n->as_table()) {
        ScenarioRef& s = l.scenario;
        s.pos = pos(*n);
        check_keys(*st, {"name", "seed", "params"}, "[scenario]");
        scenario_ref(*st, "[scenario]", s);
        Pos sp;
        if (auto v = integer(*st, "seed", "[scenario]", false, &sp)) {
          if (*v < 0) error(sp, "\"seed\" must be 0 or more");
          else s.seed = static_cast<uint64_t>(*v);
        }
      } else {
        error(pos(*n), "\"scenario\" must be a table: write [scenario] on its own line, then name = \"raft-5\"");
      }
    } else if (cmp) {
      if (auto* ct = cmp->as_table()) {
        CompareRef c;
        c.pos = pos(*cmp);
        check_keys(*ct, {"left", "right", "seed"}, "[compare]");
        Pos sp;
        uint64_t seed = 1;
        if (auto v = integer(*ct, "seed", "[compare]", false, &sp)) {
          if (*v < 0) error(sp, "\"seed\" must be 0 or more");
          else seed = static_cast<uint64_t>(*v);
        }
        for (int side = 0; side < 2; ++side) {
          const char* name = side == 0 ? "left" : "right";
          const std::string where = std::string("[compare] ") + name;
          ScenarioRef& s = side == 0 ? l.scenario : c.right;
          s.pos = c.pos;
          s.seed = seed;
          const toml::node* w = ct->get(name);
          if (!w) {
            error(c.pos, std::string("[compare] is missing \"") + name + "\": write " + name +
                             " = { name = \"raft-5\" } (the world on the " + name + ")");
            continue;
          }
          auto* wt = w->as_table();
          if (!wt) {
            error(pos(*w), std::string("\"") + name + "\" must be a table like { name = \"shop\", params = { resilience = \"off\" } }");
            continue;
          }
          s.pos = pos(*w);
          check_keys(*wt, {"name", "params", "title"}, where);
          scenario_ref(*wt, where, s);
          if (auto v = str(*wt, "title", where, false)) c.title[side] = *v;
        }
        l.compare = std::move(c);
      } else {
        error(pos(*cmp), "\"compare\" must be a table: write [compare] on its own line, then left = { name = \"raft-5\" } and right = { name = \"shop\" }");
      }
    } else {
      error({1, 1}, "the lesson is missing [scenario] (which world it runs in) or [compare] (two worlds side by side)");
    }
    // [[step]]
    if (auto* n = root.get("step")) {
      if (auto* arr = n->as_array()) {
        for (size_t i = 0; i < arr->size(); ++i) {
          auto* st = (*arr)[i].as_table();
          if (!st) { error(pos((*arr)[i]), "each step is a [[step]] table"); continue; }
          if (auto s = step(*st, i)) l.steps.push_back(std::move(*s));
        }
        if (arr->empty()) error(pos(*n), "the lesson has no steps");
      } else {
        error(pos(*n), "write each step as [[step]] (two brackets), not [step]");
      }
    } else {
      error({1, 1}, "the lesson has no steps: add one with [[step]]");
    }
    return l;
  }

 private:
  Diagnostics& diags_;
  std::vector<std::string_view> lines_;
};

}  // namespace

ParseResult parse_lesson(std::string_view text) {
  ParseResult r;
  if (text.size() > 1000000) {
    r.diags.push_back({{1, 1}, "file too large (more than 1 MB)"});
    return r;
  }
  if (TomlGuardResult g = toml_guard(text); !g.ok()) {
    r.diags.push_back({{g.line, g.col}, "TOML syntax: " + g.message});
    return r;
  }
  toml::table root;
  try {
    root = toml::parse(text);
  } catch (const toml::parse_error& e) {
    Pos p = pos_of(e.source());
    std::string msg(e.description());
    // Plain words for the mistakes teachers make most.
    if (msg.find("unescaped control characters") != std::string::npos ||
        (msg.find("encountered end-of-file") != std::string::npos && msg.find("string") != std::string::npos))
      msg = "text is missing its closing quote (\") before the end of the line — use \"\"\" ... \"\"\" for text over several lines";
    else if (msg.find("redefinition") != std::string::npos || msg.find("already") != std::string::npos)
      msg += " (a key can appear only once per table)";
    r.diags.push_back({p, "TOML syntax: " + msg});
    return r;
  } catch (const std::exception& e) {
    r.diags.push_back({{1, 1}, std::string("TOML syntax: ") + e.what()});
    return r;
  }
  Reader rd(text, r.diags);
  try {
    r.lesson = rd.lesson(root);
  } catch (const std::exception& e) {
    r.diags.push_back({{1, 1}, std::string("internal error while reading the lesson: ") + e.what()});
  }
  sort_diagnostics(r.diags);
  return r;
}

}  // namespace topo::lesson
