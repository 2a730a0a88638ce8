// Lesson conditions: a small expression language over the world's named values, used by waits,
// goals, task checks and predict choices. Examples:
//   leader_count == 1
//   p99_ms.checkout < 300 for 10s
//   node.n1.status == "crashed" and term >= 2
//   not partitioned or (availability > 0.99)
//   p99_ms.checkout > 3 * start.p99_ms.checkout          (arithmetic, a baseline)
//   node.@leader.term >= 2 and count(@crashed) == 0      (selectors, lesson/selector.h)
// Grammar: cond := or ["for" DURATION]; or := and {"or" and}; and := not {"and" not};
// not := "not" not | cmp; cmp := sum [CMP sum]; CMP is == != < <= > >=;
// sum := prod {("+"|"-") prod}; prod := unary {("*"|"/") unary}; unary := "-" unary | primary;
// primary := "(" or ")" | NUMBER | "string" | true | false | count(@SELECTOR) | KEY.
// A key is letters, digits, _ . - : / and may hold one selector in place of a node name
// (node.@leader.role); "start.KEY" is KEY's value when the step started (a baseline). Because
// keys may contain - and /, subtraction and division need spaces around them (a - b, a / b).
// A bare key is true when it is non-zero. Every node keeps its source position so errors point
// at the column.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "lesson/text.h"

namespace topo::lesson {

/// A value a key resolves to: a number or a string (node status, role, version).
using Value = std::variant<double, std::string>;

/// One side of a comparison: a value, or arithmetic over values.
struct Operand {
  /// Arith: args[0] OP args[1] (OP in arith); Neg: -args[0]; Count: count(selector).
  enum class Kind { Key, Number, String, Bool, Arith, Neg, Count } kind = Kind::Number;
  std::string key;     ///< Kind::Key: the value key ("leader_count", "node.n1.status"); Kind::Count: the selector ("@crashed")
  double number = 0;   ///< Kind::Number / Kind::Bool (1 or 0)
  std::string text;    ///< Kind::String; Number/Bool: as written
  char arith = 0;      ///< Kind::Arith: '+', '-', '*' or '/'
  std::vector<Operand> args;   ///< Kind::Arith: two; Kind::Neg: one
  Pos pos;
};

enum class CmpOp { Eq, Ne, Lt, Le, Gt, Ge };
const char* to_string(CmpOp op);

struct Expr {
  enum class Kind { Or, And, Not, Cmp, Truthy } kind = Kind::Truthy;
  std::vector<Expr> kids;  ///< Or/And: two or more; Not: one
  Operand a, b;            ///< Cmp: a OP b; Truthy: a
  CmpOp op = CmpOp::Eq;
  Pos pos;
};

/// A parsed condition with its optional hold duration ("... for 10s").
struct Condition {
  std::string text;      ///< the source text
  Pos pos;               ///< where the text starts in the file
  Expr root;
  int64_t for_us = 0;    ///< must hold continuously this long (0 = once)
  Pos for_pos;
};

/// Where conditions read their values. Returns std::nullopt for an unknown key.
class Facts {
 public:
  virtual ~Facts() = default;
  virtual std::optional<Value> get(std::string_view key) const = 0;
  /// A key holding a selector ("node.@followers.commit_index") as concrete keys, one per node the
  /// selector matches now (none when it matches nothing). Keys without a selector: themselves.
  virtual std::vector<std::string> expand(std::string_view key) const { return {std::string(key)}; }
  /// count(@selector): how many nodes the selector matches now (std::nullopt: cannot tell).
  virtual std::optional<double> count(std::string_view selector) const {
    (void)selector;
    return std::nullopt;
  }
  /// The number an enum key's value name stands for (`breaker.A->B == "open"`: "open" -> 1);
  /// std::nullopt when the key is no enum or has no such name.
  virtual std::optional<double> enum_number(std::string_view key, std::string_view name) const {
    (void)key, (void)name;
    return std::nullopt;
  }
};

/// Parses `text`, whose first character is at `base` in the file (single-line text keeps
/// columns exact; newlines in the text advance the line). Errors go to `diags`.
std::optional<Condition> parse_condition(std::string_view text, Pos base, Diagnostics& diags);

/// Evaluates the expression (not the `for` part). Unknown keys make their comparison false. A key
/// whose selector matches several nodes holds when the comparison holds for every one of them and
/// is false when it matches none; a division by zero makes its comparison false.
bool evaluate(const Expr& e, const Facts& facts);

/// Every key operand in the expression (inside arithmetic too), in source order.
void collect_keys(const Expr& e, std::vector<const Operand*>& out);
/// Every count(@selector) operand in the expression, in source order.
void collect_counts(const Expr& e, std::vector<const Operand*>& out);
/// True when the operand is a plain literal (a number, text or true/false).
bool is_literal(const Operand& o);
/// Every comparison in the expression, in source order.
void collect_comparisons(const Expr& e, std::vector<const Expr*>& out);

}  // namespace topo::lesson
