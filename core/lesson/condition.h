// Lesson conditions: a small expression language over the world's named values, used by waits,
// goals, task checks and predict choices. Examples:
//   leader_count == 1
//   p99_ms.checkout < 300 for 10s
//   node.n1.status == "crashed" and term >= 2
//   not partitioned or (availability > 0.99)
// Grammar: cond := or ["for" DURATION]; or := and {"or" and}; and := not {"and" not};
// not := "not" not | "(" or ")" | operand [CMP operand]; CMP is == != < <= > >=; an operand is a
// number, a "string", true/false or a key (letters, digits, _ . - :). A bare key is true when it is
// non-zero. Every node keeps its source position so errors point at the column.
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

struct Operand {
  enum class Kind { Key, Number, String, Bool } kind = Kind::Number;
  std::string key;     ///< Kind::Key: the value key ("leader_count", "node.n1.status")
  double number = 0;   ///< Kind::Number / Kind::Bool (1 or 0)
  std::string text;    ///< Kind::String
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

/// Evaluates the expression (not the `for` part). Unknown keys make their comparison false.
bool evaluate(const Expr& e, const Facts& facts);

/// Every key operand in the expression, in source order.
void collect_keys(const Expr& e, std::vector<const Operand*>& out);
/// Every comparison in the expression, in source order.
void collect_comparisons(const Expr& e, std::vector<const Expr*>& out);

}  // namespace topo::lesson
