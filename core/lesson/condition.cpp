// The lesson condition language: a tokenizer and recursive-descent parser that keep source
// positions, and an evaluator over a Facts interface.
#include "lesson/condition.h"

#include <cctype>
#include <cstdlib>

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
  enum class K { End, Key, Number, String, Op, LParen, RParen, And, Or, Not, For, True, False, Bad } k;
  std::string text;
  double num = 0;
  CmpOp op = CmpOp::Eq;
  Pos pos;
};

bool key_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == ':' || c == '/';
}

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
    auto root = parse_or();
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
      if (c == '(') { t.k = Tok::K::LParen; t.text = "("; ++i; }
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
        while (i < s_.size() && (key_char(s_[i]) || (s_[i] == '>' && s_[i - 1] == '-'))) ++i;
        t.text = std::string(s_.substr(start, i - start));
        if (t.text == "and") t.k = Tok::K::And;
        else if (t.text == "or") t.k = Tok::K::Or;
        else if (t.text == "not") t.k = Tok::K::Not;
        else if (t.text == "for") t.k = Tok::K::For;
        else if (t.text == "true") { t.k = Tok::K::True; t.num = 1; }
        else if (t.text == "false") { t.k = Tok::K::False; t.num = 0; }
        else if (t.text.back() == '.' || t.text.back() == '-') {
          fail(at(i - 1), "a key cannot end with \"" + std::string(1, t.text.back()) + "\"");
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

  std::optional<Expr> parse_or() {
    if (++depth_ > 64) return fail(peek().pos, "condition nested too deeply");
    auto first = parse_and();
    if (!first) return std::nullopt;
    if (peek().k != Tok::K::Or) { --depth_; return first; }
    Expr e;
    e.kind = Expr::Kind::Or;
    e.pos = first->pos;
    e.kids.push_back(std::move(*first));
    while (peek().k == Tok::K::Or) {
      next();
      auto k = parse_and();
      if (!k) return std::nullopt;
      e.kids.push_back(std::move(*k));
    }
    --depth_;
    return e;
  }

  std::optional<Expr> parse_and() {
    auto first = parse_not();
    if (!first) return std::nullopt;
    if (peek().k != Tok::K::And) return first;
    Expr e;
    e.kind = Expr::Kind::And;
    e.pos = first->pos;
    e.kids.push_back(std::move(*first));
    while (peek().k == Tok::K::And) {
      next();
      auto k = parse_not();
      if (!k) return std::nullopt;
      e.kids.push_back(std::move(*k));
    }
    return e;
  }

  std::optional<Expr> parse_not() {
    if (peek().k == Tok::K::Not) {
      if (++depth_ > 64) return fail(peek().pos, "condition nested too deeply");
      Tok t = next();
      auto k = parse_not();
      if (!k) return std::nullopt;
      --depth_;
      Expr e;
      e.kind = Expr::Kind::Not;
      e.pos = t.pos;
      e.kids.push_back(std::move(*k));
      return e;
    }
    if (peek().k == Tok::K::LParen) {
      Tok open = next();
      auto inner = parse_or();
      if (!inner) return std::nullopt;
      if (peek().k != Tok::K::RParen)
        return fail(peek().pos, "expected \")\" to close the \"(\" at column " + std::to_string(open.pos.col));
      next();
      return inner;
    }
    auto a = parse_operand();
    if (!a) return std::nullopt;
    Expr e;
    e.pos = a->pos;
    e.a = std::move(*a);
    if (peek().k == Tok::K::Op) {
      Tok op = next();
      auto b = parse_operand();
      if (!b) return std::nullopt;
      e.kind = Expr::Kind::Cmp;
      e.op = op.op;
      e.b = std::move(*b);
      if (e.a.kind != Operand::Kind::Key && e.b.kind != Operand::Kind::Key)
        return fail(e.pos, "a comparison needs a value key on one side (like leader_count)");
      bool str = e.a.kind == Operand::Kind::String || e.b.kind == Operand::Kind::String;
      if (str && e.op != CmpOp::Eq && e.op != CmpOp::Ne)
        return fail(op.pos, "text can only be compared with == or !=");
    } else {
      e.kind = Expr::Kind::Truthy;
      if (e.a.kind == Operand::Kind::String || e.a.kind == Operand::Kind::Number)
        return fail(e.pos, "\"" + e.a.text + "\" alone is not a condition: compare it, like leader_count == 1");
    }
    return e;
  }

  std::optional<Operand> parse_operand() {
    Tok t = next();
    Operand o;
    o.pos = t.pos;
    switch (t.k) {
      case Tok::K::Key: o.kind = Operand::Kind::Key; o.key = t.text; return o;
      case Tok::K::Number: o.kind = Operand::Kind::Number; o.number = t.num; o.text = t.text; return o;
      case Tok::K::String: o.kind = Operand::Kind::String; o.text = t.text; return o;
      case Tok::K::True:
      case Tok::K::False: o.kind = Operand::Kind::Bool; o.number = t.num; o.text = t.text; return o;
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

std::optional<Value> resolve(const Operand& o, const Facts& f) {
  switch (o.kind) {
    case Operand::Kind::Key: return f.get(o.key);
    case Operand::Kind::Number:
    case Operand::Kind::Bool: return Value(o.number);
    case Operand::Kind::String: return Value(o.text);
  }
  return std::nullopt;
}

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
      auto v = resolve(e.a, facts);
      if (!v) return false;
      if (auto n = as_number(*v)) return *n != 0;
      return !std::get<std::string>(*v).empty();
    }
    case Expr::Kind::Cmp: {
      auto a = resolve(e.a, facts);
      auto b = resolve(e.b, facts);
      if (!a || !b) return false;
      bool a_str = std::holds_alternative<std::string>(*a);
      bool b_str = std::holds_alternative<std::string>(*b);
      if (a_str && b_str) return cmp(std::get<std::string>(*a), std::get<std::string>(*b), e.op);
      auto na = as_number(*a);
      auto nb = as_number(*b);
      if (na && nb) return cmp(*na, *nb, e.op);
      // An enum key against one of its names: breaker.A->B == "open".
      if (!a_str && b_str && e.a.kind == Operand::Kind::Key)
        if (auto n = facts.enum_number(e.a.key, std::get<std::string>(*b))) return cmp(*na, *n, e.op);
      if (a_str && !b_str && e.b.kind == Operand::Kind::Key)
        if (auto n = facts.enum_number(e.b.key, std::get<std::string>(*a))) return cmp(*n, *nb, e.op);
      // A number against text that is not a number: only "!=" holds.
      return e.op == CmpOp::Ne;
    }
  }
  return false;
}

void collect_keys(const Expr& e, std::vector<const Operand*>& out) {
  if (e.kind == Expr::Kind::Cmp || e.kind == Expr::Kind::Truthy) {
    if (e.a.kind == Operand::Kind::Key) out.push_back(&e.a);
    if (e.kind == Expr::Kind::Cmp && e.b.kind == Operand::Kind::Key) out.push_back(&e.b);
  }
  for (const auto& k : e.kids) collect_keys(k, out);
}

void collect_comparisons(const Expr& e, std::vector<const Expr*>& out) {
  if (e.kind == Expr::Kind::Cmp) out.push_back(&e);
  for (const auto& k : e.kids) collect_comparisons(k, out);
}

}  // namespace topo::lesson
