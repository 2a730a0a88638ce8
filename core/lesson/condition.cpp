// The lesson condition language: a tokenizer and recursive-descent parser that keep source
// positions, and an evaluator over a Facts interface.
#include "lesson/condition.h"

#include <cctype>
#include <cstdlib>

#include "lesson/selector.h"
#include "util/parse.h"

namespace topo::lesson {

const char* to_string(CmpOp op) {
  switch (op) {
    case CmpOp::Eq: return "==";
    case CmpOp::Ne: return "!=";
    case CmpOp::Lt: return "<";
    case CmpOp::Le: return "<=";
    case CmpOp::Gt: return ">";
    case CmpOp::Ge: return ">=";
  }
  return "?";
}

namespace {

struct Tok {
  enum class K { End, Key, Number, String, Op, Arith, LParen, RParen, And, Or, Not, For, True, False, Bad } k;
  std::string text;
  double num = 0;
  CmpOp op = CmpOp::Eq;
  Pos pos;
};

bool key_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '@'; }
bool key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == ':' || c == '/' ||
         c == '@';
}

bool has_key(const Operand& o) {
  if (o.kind == Operand::Kind::Key || o.kind == Operand::Kind::Count) return true;
  for (const auto& a : o.args) if (has_key(a)) return true;
  return false;
}

/// What the parser builds below the and/or/not level: a condition or a value (a side of a
/// comparison). Parentheses may hold either, so the kind is known only once they are closed.
struct Node {
  bool is_cond = false;
  Expr e;      ///< is_cond
  Operand o;   ///< !is_cond
  Pos pos;
};

class Parser {
 public:
  Parser(std::string_view s, Pos base, Diagnostics& d) : s_(s), base_(base), diags_(d) {}

  std::optional<Condition> run() {
    tokenize();
    if (failed_) return std::nullopt;
    Condition c;
    c.text = std::string(s_);
    c.pos = base_;
    if (peek().k == Tok::K::End) return fail(peek().pos, "empty condition: write something like leader_count == 1");
    auto top = parse_or();
    if (!top) return std::nullopt;
    auto root = as_cond(std::move(*top));
    if (!root) return std::nullopt;
    c.root = std::move(*root);
    if (peek().k == Tok::K::For) {
      Tok f = next();
      c.for_pos = f.pos;
      // The duration is the rest of the text ("10s", "1.5 s").
      Tok d = next();
      std::string dur = d.text;
      if (d.k == Tok::K::Number && peek().k == Tok::K::Key) dur += next().text;
      auto us = parse_duration_us(dur);
      if (d.k == Tok::K::End || !us)
        return fail(d.pos, std::string("expected a duration with a unit (") + kDurationUnits + ") after \"for\", like 10s or 500ms");
      if (*us <= 0) return fail(d.pos, "the duration after \"for\" must be more than 0");
      if (*us > 3600LL * 1000000) return fail(d.pos, "the duration after \"for\" must be at most 1h");
      c.for_us = *us;
    }
    if (peek().k != Tok::K::End) {
      const Tok& t = peek();
      if (t.k == Tok::K::Key || t.k == Tok::K::Number || t.k == Tok::K::String)
        return fail(t.pos, "expected \"and\", \"or\" or a comparison before \"" + t.text + "\"");
      return fail(t.pos, "unexpected \"" + t.text + "\"");
    }
    return c;
  }

 private:
  Pos at(size_t i) const {
    Pos p = base_;
    for (size_t k = 0; k < i && k < s_.size(); ++k) {
      if (s_[k] == '\n') { ++p.line; p.col = 1; }
      else ++p.col;
    }
    return p;
  }

  std::nullopt_t fail(Pos p, std::string msg) {
    if (!failed_) diags_.push_back({p, msg});
    failed_ = true;
    return std::nullopt;
  }

  void tokenize() {
    size_t i = 0;
    while (i < s_.size() && !failed_) {
      char c = s_[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') { ++i; continue; }
      Tok t;
      t.pos = at(i);
      size_t start = i;
      const bool after_value = !toks_.empty() && (toks_.back().k == Tok::K::Key || toks_.back().k == Tok::K::Number ||
                                                   toks_.back().k == Tok::K::String || toks_.back().k == Tok::K::RParen ||
                                                   toks_.back().k == Tok::K::True || toks_.back().k == Tok::K::False);
      if (c == '(') { t.k = Tok::K::LParen; t.text = "("; ++i; }
      else if (c == '+' || c == '*' || c == '/' || (c == '-' && after_value)) {
        t.k = Tok::K::Arith;
        t.text = std::string(1, c);
        ++i;
      } else if (c == '-' && !(i + 1 < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i + 1])) || s_[i + 1] == '.'))) {
        t.k = Tok::K::Arith;   // unary minus: -x, -(a + b)
        t.text = "-";
        ++i;
      }
      else if (c == ')') { t.k = Tok::K::RParen; t.text = ")"; ++i; }
      else if (c == '"' || c == '\'') {
        char q = c;
        ++i;
        std::string v;
        while (i < s_.size() && s_[i] != q) v += s_[i++];
        if (i >= s_.size()) { fail(t.pos, "unterminated string in condition"); return; }
        ++i;
        t.k = Tok::K::String;
        t.text = v;
      } else if (c == '=' || c == '!' || c == '<' || c == '>') {
        std::string op(1, c);
        if (i + 1 < s_.size() && s_[i + 1] == '=') op += '=';
        i += op.size();
        t.k = Tok::K::Op;
        t.text = op;
        if (op == "==") t.op = CmpOp::Eq;
        else if (op == "!=") t.op = CmpOp::Ne;
        else if (op == "<") t.op = CmpOp::Lt;
        else if (op == "<=") t.op = CmpOp::Le;
        else if (op == ">") t.op = CmpOp::Gt;
        else if (op == ">=") t.op = CmpOp::Ge;
        else if (op == "=") { fail(t.pos, "use == to compare (a single = is not a comparison)"); return; }
        else { fail(t.pos, "use \"not\" instead of \"!\""); return; }
      } else if (c == '&' || c == '|') {
        fail(t.pos, std::string("use \"") + (c == '&' ? "and" : "or") + "\" instead of \"" + c +
                        (i + 1 < s_.size() && s_[i + 1] == c ? std::string(1, c) : "") + "\"");
        return;
      } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                 ((c == '-' || c == '.') && i + 1 < s_.size() &&
                  std::isdigit(static_cast<unsigned char>(s_[i + 1])))) {
        ++i;
        while (i < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i])) || s_[i] == '.')) ++i;
        t.k = Tok::K::Number;
        t.text = std::string(s_.substr(start, i - start));
        if (!util::parse_number(t.text, &t.num)) { fail(t.pos, "malformed number \"" + t.text + "\""); return; }
      } else if (key_start(c)) {
        // Keys may name a system ("micro/p99_ms.browse") and a call edge ("calls.a->b").
        // A selector may take a service in parentheses: @replica(payment), node.@replica(payment).up.
        while (i < s_.size()) {
          if (key_char(s_[i]) || (s_[i] == '>' && s_[i - 1] == '-')) { ++i; continue; }
          const std::string_view so_far = s_.substr(start, i - start);
          const size_t sel_at = so_far.rfind('@');
          if (s_[i] == '(' && sel_at != std::string_view::npos && so_far.find('.', sel_at) == std::string_view::npos &&
              i > start + sel_at + 1) {
            const size_t close = s_.find(')', i);
            if (close == std::string_view::npos) { fail(at(i), "\"(\" after a selector needs a closing \")\""); return; }
            i = close + 1;
            continue;
          }
          break;
        }
        t.text = std::string(s_.substr(start, i - start));
        if (t.text == "and") t.k = Tok::K::And;
        else if (t.text == "or") t.k = Tok::K::Or;
        else if (t.text == "not") t.k = Tok::K::Not;
        else if (t.text == "for") t.k = Tok::K::For;
        else if (t.text == "true") { t.k = Tok::K::True; t.num = 1; }
        else if (t.text == "false") { t.k = Tok::K::False; t.num = 0; }
        else if (t.text.back() == '.' || t.text.back() == '-' || t.text.back() == '/') {
          fail(at(i - 1), "a key cannot end with \"" + std::string(1, t.text.back()) + "\"" +
                              (t.text.back() == '.' ? std::string() : " (to subtract or divide, put spaces around - and /)"));
          return;
        } else t.k = Tok::K::Key;
      } else {
        fail(t.pos, "unexpected character \"" + std::string(1, c) + "\" in condition");
        return;
      }
      toks_.push_back(std::move(t));
    }
    Tok end;
    end.k = Tok::K::End;
    end.pos = at(s_.size());
    end.text = "end of condition";
    toks_.push_back(end);
  }

  const Tok& peek() const { return toks_[std::min(idx_, toks_.size() - 1)]; }
  Tok next() {
    Tok t = peek();
    if (idx_ < toks_.size() - 1) ++idx_;
    return t;
  }

  /// A condition from a parsed node: a value alone is a condition when it is a key or a count
  /// (true when non-zero).
  std::optional<Expr> as_cond(Node n) {
    if (n.is_cond) return std::move(n.e);
    Expr e;
    e.kind = Expr::Kind::Truthy;
    e.pos = n.o.pos;
    if (n.o.kind == Operand::Kind::String || n.o.kind == Operand::Kind::Number)
      return fail(e.pos, "\"" + n.o.text + "\" alone is not a condition: compare it, like leader_count == 1");
    if (n.o.kind == Operand::Kind::Arith || n.o.kind == Operand::Kind::Neg)
      return fail(e.pos, "a calculation alone is not a condition: compare it, like p99_ms.checkout > 3 * start.p99_ms.checkout");
    e.a = std::move(n.o);
    return e;
  }

  /// A value from a parsed node (a side of a comparison or of arithmetic).
  std::optional<Operand> as_value(Node n, Pos where) {
    if (!n.is_cond) return std::move(n.o);
    return fail(where, "a condition cannot be used as a value here: compare values, like (a + b) > 2, "
                       "and combine conditions with and/or");
  }

  std::optional<Node> parse_or() {
    if (++depth_ > 64) return fail(peek().pos, "condition nested too deeply");
    auto first = parse_and();
    if (!first) return std::nullopt;
    if (peek().k != Tok::K::Or) { --depth_; return first; }
    Expr e;
    e.kind = Expr::Kind::Or;
    e.pos = first->pos;
    auto c0 = as_cond(std::move(*first));
    if (!c0) return std::nullopt;
    e.kids.push_back(std::move(*c0));
    while (peek().k == Tok::K::Or) {
      next();
      auto k = parse_and();
      if (!k) return std::nullopt;
      auto c = as_cond(std::move(*k));
      if (!c) return std::nullopt;
      e.kids.push_back(std::move(*c));
    }
    --depth_;
    return cond_node(std::move(e));
  }

  std::optional<Node> parse_and() {
    auto first = parse_not();
    if (!first) return std::nullopt;
    if (peek().k != Tok::K::And) return first;
    Expr e;
    e.kind = Expr::Kind::And;
    e.pos = first->pos;
    auto c0 = as_cond(std::move(*first));
    if (!c0) return std::nullopt;
    e.kids.push_back(std::move(*c0));
    while (peek().k == Tok::K::And) {
      next();
      auto k = parse_not();
      if (!k) return std::nullopt;
      auto c = as_cond(std::move(*k));
      if (!c) return std::nullopt;
      e.kids.push_back(std::move(*c));
    }
    return cond_node(std::move(e));
  }

  static Node cond_node(Expr e) {
    Node n;
    n.is_cond = true;
    n.pos = e.pos;
    n.e = std::move(e);
    return n;
  }
  static Node value_node(Operand o) {
    Node n;
    n.pos = o.pos;
    n.o = std::move(o);
    return n;
  }

  std::optional<Node> parse_not() {
    if (peek().k == Tok::K::Not) {
      if (++depth_ > 64) return fail(peek().pos, "condition nested too deeply");
      Tok t = next();
      auto k = parse_not();
      if (!k) return std::nullopt;
      auto c = as_cond(std::move(*k));
      if (!c) return std::nullopt;
      --depth_;
      Expr e;
      e.kind = Expr::Kind::Not;
      e.pos = t.pos;
      e.kids.push_back(std::move(*c));
      return cond_node(std::move(e));
    }
    return parse_cmp();
  }

  std::optional<Node> parse_cmp() {
    auto left = parse_sum();
    if (!left) return std::nullopt;
    if (peek().k != Tok::K::Op) return left;
    Tok op = next();
    auto right = parse_sum();
    if (!right) return std::nullopt;
    auto a = as_value(std::move(*left), op.pos);
    if (!a) return std::nullopt;
    auto b = as_value(std::move(*right), op.pos);
    if (!b) return std::nullopt;
    Expr e;
    e.pos = a->pos;
    e.kind = Expr::Kind::Cmp;
    e.op = op.op;
    e.a = std::move(*a);
    e.b = std::move(*b);
    if (!has_key(e.a) && !has_key(e.b))
      return fail(e.pos, "a comparison needs a value key on one side (like leader_count)");
    bool str = e.a.kind == Operand::Kind::String || e.b.kind == Operand::Kind::String;
    if (str && e.op != CmpOp::Eq && e.op != CmpOp::Ne)
      return fail(op.pos, "text can only be compared with == or !=");
    return cond_node(std::move(e));
  }

  std::optional<Node> parse_sum() {
    auto left = parse_prod();
    if (!left) return std::nullopt;
    while (peek().k == Tok::K::Arith && (peek().text == "+" || peek().text == "-")) {
      Tok op = next();
      auto right = parse_prod();
      if (!right) return std::nullopt;
      auto n = arith(std::move(*left), op, std::move(*right));
      if (!n) return std::nullopt;
      left = std::move(n);
    }
    return left;
  }

  std::optional<Node> parse_prod() {
    auto left = parse_unary();
    if (!left) return std::nullopt;
    while (peek().k == Tok::K::Arith && (peek().text == "*" || peek().text == "/")) {
      Tok op = next();
      auto right = parse_unary();
      if (!right) return std::nullopt;
      auto n = arith(std::move(*left), op, std::move(*right));
      if (!n) return std::nullopt;
      left = std::move(n);
    }
    return left;
  }

  std::optional<Node> arith(Node l, const Tok& op, Node r) {
    auto a = as_value(std::move(l), op.pos);
    if (!a) return std::nullopt;
    auto b = as_value(std::move(r), op.pos);
    if (!b) return std::nullopt;
    for (const Operand* x : {&*a, &*b})
      if (x->kind == Operand::Kind::String)
        return fail(x->pos, "text cannot be used in a calculation (\"" + op.text + "\")");
    Operand o;
    o.kind = Operand::Kind::Arith;
    o.arith = op.text[0];
    o.pos = a->pos;
    o.args.push_back(std::move(*a));
    o.args.push_back(std::move(*b));
    return value_node(std::move(o));
  }

  std::optional<Node> parse_unary() {
    if (peek().k == Tok::K::Arith && peek().text == "-") {
      if (++depth_ > 64) return fail(peek().pos, "condition nested too deeply");
      Tok t = next();
      auto k = parse_unary();
      if (!k) return std::nullopt;
      --depth_;
      auto v = as_value(std::move(*k), t.pos);
      if (!v) return std::nullopt;
      if (v->kind == Operand::Kind::String) return fail(v->pos, "text cannot be used in a calculation (\"-\")");
      Operand o;
      o.kind = Operand::Kind::Neg;
      o.pos = t.pos;
      o.args.push_back(std::move(*v));
      return value_node(std::move(o));
    }
    if (peek().k == Tok::K::Arith) return fail(peek().pos, "expected a value before \"" + peek().text + "\"");
    return parse_primary();
  }

  std::optional<Node> parse_primary() {
    if (peek().k == Tok::K::LParen) {
      Tok open = next();
      auto inner = parse_or();
      if (!inner) return std::nullopt;
      if (peek().k != Tok::K::RParen)
        return fail(peek().pos, "expected \")\" to close the \"(\" at column " + std::to_string(open.pos.col));
      next();
      return inner;
    }
    Tok t = next();
    Operand o;
    o.pos = t.pos;
    switch (t.k) {
      case Tok::K::Key: {
        if (t.text == "count" && peek().k == Tok::K::LParen) {
          next();
          Tok sel = next();
          // count(@crashed), or in a compare lesson count(left.@crashed): a world, then the selector.
          const size_t world_dot = sel.text.find(".@");
          const size_t at = world_dot != std::string::npos && sel.text.find('.') == world_dot ? world_dot + 1 : 0;
          if (sel.k != Tok::K::Key || !is_selector_text(std::string_view(sel.text).substr(at)))
            return fail(sel.pos, "count(...) counts the nodes a selector matches, like count(@crashed)");
          Diagnostics d;
          if (!parse_selector(std::string_view(sel.text).substr(at), {sel.pos.line, sel.pos.col + static_cast<int>(at)}, d))
            return fail(d.front().pos, d.front().message);
          if (peek().k != Tok::K::RParen) return fail(peek().pos, "expected \")\" to close count(");
          next();
          o.kind = Operand::Kind::Count;
          o.key = sel.text;
          o.pos = sel.pos;   // problems with the selector point at its @
          return value_node(std::move(o));
        }
        if (is_selector_text(t.text))
          return fail(t.pos, "a selector names nodes, not a value: count them with count(" + t.text +
                                 ") or read one of their values, like node." + t.text + ".status");
        size_t at = 0, len = 0;
        if (selector_in_key(t.text, &at, &len)) {
          Diagnostics d;
          const Pos sp{t.pos.line, t.pos.col + static_cast<int>(at)};
          if (!parse_selector(std::string_view(t.text).substr(at, len), sp, d)) return fail(d.front().pos, d.front().message);
          if (t.text.find('@', at + 1) != std::string::npos)
            return fail({t.pos.line, t.pos.col + static_cast<int>(t.text.find('@', at + 1))}, "a key can hold one selector only");
        }
        o.kind = Operand::Kind::Key;
        o.key = t.text;
        return value_node(std::move(o));
      }
      case Tok::K::Number: o.kind = Operand::Kind::Number; o.number = t.num; o.text = t.text; return value_node(std::move(o));
      case Tok::K::String: o.kind = Operand::Kind::String; o.text = t.text; return value_node(std::move(o));
      case Tok::K::True:
      case Tok::K::False: o.kind = Operand::Kind::Bool; o.number = t.num; o.text = t.text; return value_node(std::move(o));
      case Tok::K::End: return fail(t.pos, "the condition ends too early: expected a value");
      default: return fail(t.pos, "expected a value, found \"" + t.text + "\"");
    }
  }

  std::string_view s_;
  Pos base_;
  Diagnostics& diags_;
  std::vector<Tok> toks_;
  size_t idx_ = 0;
  int depth_ = 0;
  bool failed_ = false;
};

std::optional<double> as_number(const Value& v) {
  if (auto* d = std::get_if<double>(&v)) return *d;
  const std::string& s = std::get<std::string>(v);
  if (s == "true") return 1.0;
  if (s == "false") return 0.0;
  double d = 0;
  if (!util::parse_number(s, &d)) return std::nullopt;
  return d;
}

template <class T>
bool cmp(const T& a, const T& b, CmpOp op) {
  switch (op) {
    case CmpOp::Eq: return a == b;
    case CmpOp::Ne: return !(a == b);
    case CmpOp::Lt: return a < b;
    case CmpOp::Le: return a <= b;
    case CmpOp::Gt: return a > b;
    case CmpOp::Ge: return a >= b;
  }
  return false;
}

/// Every value an operand takes now: one, or one per node its selector matches (every
/// combination for arithmetic over several). std::nullopt when a key has no value, a selector
/// matches nothing, or a calculation divides by zero or meets text.
std::optional<std::vector<Value>> values(const Operand& o, const Facts& f) {
  switch (o.kind) {
    case Operand::Kind::Number:
    case Operand::Kind::Bool: return std::vector<Value>{Value(o.number)};
    case Operand::Kind::String: return std::vector<Value>{Value(o.text)};
    case Operand::Kind::Key: {
      std::vector<Value> out;
      for (const auto& k : f.expand(o.key)) {
        auto v = f.get(k);
        if (!v) return std::nullopt;
        out.push_back(std::move(*v));
      }
      if (out.empty()) return std::nullopt;
      return out;
    }
    case Operand::Kind::Count: {
      auto n = f.count(o.key);
      if (!n) return std::nullopt;
      return std::vector<Value>{Value(*n)};
    }
    case Operand::Kind::Neg: {
      auto in = values(o.args.at(0), f);
      if (!in) return std::nullopt;
      std::vector<Value> out;
      for (const auto& v : *in) {
        auto n = as_number(v);
        if (!n) return std::nullopt;
        out.push_back(Value(-*n));
      }
      return out;
    }
    case Operand::Kind::Arith: {
      auto l = values(o.args.at(0), f);
      if (!l) return std::nullopt;
      auto r = values(o.args.at(1), f);
      if (!r) return std::nullopt;
      std::vector<Value> out;
      for (const auto& x : *l)
        for (const auto& y : *r) {
          auto a = as_number(x), b = as_number(y);
          if (!a || !b) return std::nullopt;
          double v = 0;
          switch (o.arith) {
            case '+': v = *a + *b; break;
            case '-': v = *a - *b; break;
            case '*': v = *a * *b; break;
            case '/':
              if (*b == 0) return std::nullopt;
              v = *a / *b;
              break;
            default: return std::nullopt;
          }
          out.push_back(Value(v));
        }
      return out;
    }
  }
  return std::nullopt;
}

bool compare(const Value& a, const Value& b, CmpOp op) {
  bool a_str = std::holds_alternative<std::string>(a);
  bool b_str = std::holds_alternative<std::string>(b);
  if (a_str && b_str) return cmp(std::get<std::string>(a), std::get<std::string>(b), op);
  auto na = as_number(a);
  auto nb = as_number(b);
  if (na && nb) return cmp(*na, *nb, op);
  // A number against text that is not a number: only "!=" holds.
  return op == CmpOp::Ne;
}

bool truthy(const Value& v) {
  if (auto n = as_number(v)) return *n != 0;
  return !std::get<std::string>(v).empty();
}

void collect(const Operand& o, Operand::Kind kind, std::vector<const Operand*>& out) {
  if (o.kind == kind) out.push_back(&o);
  for (const auto& a : o.args) collect(a, kind, out);
}

void collect_in(const Expr& e, Operand::Kind kind, std::vector<const Operand*>& out) {
  if (e.kind == Expr::Kind::Cmp || e.kind == Expr::Kind::Truthy) {
    collect(e.a, kind, out);
    if (e.kind == Expr::Kind::Cmp) collect(e.b, kind, out);
  }
  for (const auto& k : e.kids) collect_in(k, kind, out);
}

}  // namespace

std::optional<Condition> parse_condition(std::string_view text, Pos base, Diagnostics& diags) {
  if (text.size() > 4000) {
    diags.push_back({base, "condition too long (more than 4000 characters)"});
    return std::nullopt;
  }
  return Parser(text, base, diags).run();
}

bool evaluate(const Expr& e, const Facts& facts) {
  switch (e.kind) {
    case Expr::Kind::Or:
      for (const auto& k : e.kids) if (evaluate(k, facts)) return true;
      return false;
    case Expr::Kind::And:
      for (const auto& k : e.kids) if (!evaluate(k, facts)) return false;
      return true;
    case Expr::Kind::Not: return !evaluate(e.kids.at(0), facts);
    case Expr::Kind::Truthy: {
      auto v = values(e.a, facts);
      if (!v) return false;
      for (const auto& x : *v) if (!truthy(x)) return false;
      return true;
    }
    case Expr::Kind::Cmp: {
      auto a = values(e.a, facts);
      if (!a) return false;
      auto b = values(e.b, facts);
      if (!b) return false;
      // An enum key against one of its names: breaker.A->B == "open" compares with the number
      // "open" stands for.
      auto enum_names = [&](const Operand& key_side, std::vector<Value>& other) {
        if (key_side.kind != Operand::Kind::Key) return;
        for (auto& v : other)
          if (const auto* name = std::get_if<std::string>(&v))
            if (auto n = facts.enum_number(key_side.key, *name)) v = *n;
      };
      enum_names(e.a, *b);
      enum_names(e.b, *a);
      for (const auto& x : *a)
        for (const auto& y : *b)
          if (!compare(x, y, e.op)) return false;
      return true;
    }
  }
  return false;
}

void collect_keys(const Expr& e, std::vector<const Operand*>& out) { collect_in(e, Operand::Kind::Key, out); }

void collect_counts(const Expr& e, std::vector<const Operand*>& out) { collect_in(e, Operand::Kind::Count, out); }

bool is_literal(const Operand& o) {
  return o.kind == Operand::Kind::Number || o.kind == Operand::Kind::String || o.kind == Operand::Kind::Bool;
}

void collect_comparisons(const Expr& e, std::vector<const Expr*>& out) {
  if (e.kind == Expr::Kind::Cmp) out.push_back(&e);
  for (const auto& k : e.kids) collect_comparisons(k, out);
}

}  // namespace topo::lesson
