// Client operation histories: recording (invoke/complete/fail), human descriptions and the
// JSON-lines format read by `topolab-cli check-history` (a small strict parser for flat objects,
// so a bad file gets a `FILE:LINE: message` instead of a guess).
#include "models/kv/history.h"

#include <sstream>

#include "util/json.h"

namespace topo::kv {

const char* to_string(OpKind k) {
  switch (k) {
    case OpKind::Read: return "read";
    case OpKind::Write: return "write";
    case OpKind::Cas: return "cas";
  }
  return "?";
}

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::Ok: return "ok";
    case Outcome::Failed: return "failed";
    case Outcome::Unknown: return "unknown";
  }
  return "?";
}

namespace {
std::string show_value(const std::string& v) { return v.empty() ? "<none>" : v; }
}  // namespace

std::string describe(const Op& op) {
  std::string s = "#" + std::to_string(op.id) + " client " + std::to_string(op.client) + " ";
  switch (op.kind) {
    case OpKind::Read:
      s += "read " + op.key;
      if (op.outcome == Outcome::Ok) s += " -> " + show_value(op.value);
      break;
    case OpKind::Write: s += "write " + op.key + "=" + show_value(op.value); break;
    case OpKind::Cas:
      s += "cas " + op.key + " " + show_value(op.expected) + "->" + show_value(op.value);
      if (op.outcome == Outcome::Ok) s += op.swapped ? " (swapped)" : " (no match)";
      break;
  }
  s += " [" + format_ms(op.invoke_us) + ", ";
  s += op.complete_us == kNotCompleted ? std::string("never") : format_ms(op.complete_us);
  s += "] ";
  s += to_string(op.outcome);
  return s;
}

// ---- recording ---------------------------------------------------------------------------

uint64_t History::invoke(int32_t client, OpKind kind, std::string key, std::string value,
                         int64_t t_us, std::string expected) {
  Op op;
  op.id = next_id_;
  op.client = client;
  op.kind = kind;
  op.key = std::move(key);
  if (kind != OpKind::Read) op.value = std::move(value);
  if (kind == OpKind::Cas) op.expected = std::move(expected);
  op.invoke_us = t_us;
  add(std::move(op));
  return next_id_ - 1;
}

void History::complete(uint64_t id, int64_t t_us, const std::string& value, bool ok) {
  Op* op = find_mut(id);
  if (!op || op->outcome != Outcome::Unknown || op->complete_us != kNotCompleted) return;
  op->complete_us = t_us;
  if (op->kind == OpKind::Cas) {
    op->outcome = Outcome::Ok;
    op->swapped = ok;
    return;
  }
  if (!ok) {
    op->outcome = Outcome::Failed;
    return;
  }
  op->outcome = Outcome::Ok;
  if (op->kind == OpKind::Read) op->value = value;
}

void History::fail(uint64_t id, int64_t t_us) {
  Op* op = find_mut(id);
  if (!op || op->outcome != Outcome::Unknown || op->complete_us != kNotCompleted) return;
  op->complete_us = t_us;
  op->outcome = Outcome::Failed;
}

bool History::add(Op op) {
  if (index_.count(op.id)) return false;
  if (op.id >= next_id_) next_id_ = op.id + 1;
  index_[op.id] = ops_.size();
  ops_.push_back(std::move(op));
  return true;
}

const Op* History::find(uint64_t id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &ops_[it->second];
}

Op* History::find_mut(uint64_t id) {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &ops_[it->second];
}

void History::clear() {
  ops_.clear();
  index_.clear();
  next_id_ = 1;
}

// ---- JSON lines ----------------------------------------------------------------------------

namespace {

/// A parsed JSON scalar of a flat object.
struct JsonValue {
  enum Type { Null, Bool, Int, Str } type = Null;
  bool b = false;
  int64_t i = 0;
  std::string s;
};

/// Strict parser for one flat JSON object: string keys, values null/true/false/integer/string.
class LineParser {
 public:
  explicit LineParser(const std::string& s) : s_(s) {}

  bool parse(std::map<std::string, JsonValue>* out, std::string* err) {
    ws();
    if (!eat('{')) return fail(err, "expected '{' at column " + col());
    ws();
    if (eat('}')) return end(err);
    for (;;) {
      ws();
      std::string key;
      if (peek() != '"') return fail(err, "expected a quoted key at column " + col());
      if (!str(&key, err)) return false;
      ws();
      if (!eat(':')) return fail(err, "expected ':' after key \"" + key + "\"");
      ws();
      JsonValue v;
      if (!value(&v, err)) return false;
      if (out->count(key)) return fail(err, "duplicate key \"" + key + "\"");
      (*out)[key] = std::move(v);
      ws();
      if (eat(',')) continue;
      if (eat('}')) return end(err);
      return fail(err, "expected ',' or '}' at column " + col());
    }
  }

 private:
  bool end(std::string* err) {
    ws();
    if (p_ != s_.size()) return fail(err, "unexpected text after the object at column " + col());
    return true;
  }
  bool fail(std::string* err, std::string m) {
    *err = std::move(m);
    return false;
  }
  std::string col() const { return std::to_string(p_ + 1); }
  char peek() const { return p_ < s_.size() ? s_[p_] : '\0'; }
  bool eat(char c) {
    if (peek() != c || p_ >= s_.size()) return false;
    ++p_;
    return true;
  }
  void ws() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\r')) ++p_;
  }
  bool word(const char* w) {
    size_t n = std::char_traits<char>::length(w);
    if (s_.compare(p_, n, w) != 0) return false;
    p_ += n;
    return true;
  }
  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  bool str(std::string* out, std::string* err) {
    ++p_;  // opening quote
    for (;;) {
      if (p_ >= s_.size()) return fail(err, "unterminated string");
      char c = s_[p_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return fail(err, "control character in string at column " + col());
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (p_ >= s_.size()) return fail(err, "unterminated escape");
      char e = s_[p_++];
      switch (e) {
        case '"': out->push_back('"'); break;
        case '\\': out->push_back('\\'); break;
        case '/': out->push_back('/'); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case 't': out->push_back('\t'); break;
        case 'u': {
          if (p_ + 4 > s_.size()) return fail(err, "short \\u escape");
          unsigned cp = 0;
          for (int k = 0; k < 4; ++k) {
            int h = hex(s_[p_ + static_cast<size_t>(k)]);
            if (h < 0) return fail(err, "bad \\u escape at column " + col());
            cp = cp * 16 + static_cast<unsigned>(h);
          }
          p_ += 4;
          // UTF-8 encode (surrogate pairs are kept as two 3-byte sequences; values are opaque).
          if (cp < 0x80) {
            out->push_back(static_cast<char>(cp));
          } else if (cp < 0x800) {
            out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          } else {
            out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          }
          break;
        }
        default: return fail(err, std::string("bad escape \\") + e);
      }
    }
  }
  bool value(JsonValue* v, std::string* err) {
    char c = peek();
    if (c == '"') {
      v->type = JsonValue::Str;
      return str(&v->s, err);
    }
    if (word("null")) { v->type = JsonValue::Null; return true; }
    if (word("true")) { v->type = JsonValue::Bool; v->b = true; return true; }
    if (word("false")) { v->type = JsonValue::Bool; v->b = false; return true; }
    if (c == '-' || (c >= '0' && c <= '9')) {
      size_t start = p_;
      bool neg = eat('-');
      if (!(peek() >= '0' && peek() <= '9')) return fail(err, "bad number at column " + col());
      uint64_t acc = 0;
      while (peek() >= '0' && peek() <= '9') {
        uint64_t d = static_cast<uint64_t>(peek() - '0');
        if (acc > (static_cast<uint64_t>(INT64_MAX) - d) / 10) return fail(err, "number out of range at column " + std::to_string(start + 1));
        acc = acc * 10 + d;
        ++p_;
      }
      if (peek() == '.' || peek() == 'e' || peek() == 'E') return fail(err, "expected an integer at column " + std::to_string(start + 1));
      v->type = JsonValue::Int;
      v->i = neg ? -static_cast<int64_t>(acc) : static_cast<int64_t>(acc);
      return true;
    }
    return fail(err, "expected a value at column " + col());
  }

  const std::string& s_;
  size_t p_ = 0;
};

}  // namespace

void History::write_jsonl(std::ostream& out) const {
  for (const Op& op : ops_) {
    out << "{\"id\":" << op.id << ",\"client\":" << op.client << ",\"kind\":\"" << to_string(op.kind)
        << "\",\"key\":";
    util::json_quote_to(out, op.key);
    if (op.kind == OpKind::Cas) {
      out << ",\"expected\":";
      util::json_quote_to(out, op.expected);
    }
    out << ",\"value\":";
    util::json_quote_to(out, op.value);
    if (op.kind == OpKind::Cas && op.outcome == Outcome::Ok)
      out << ",\"swapped\":" << (op.swapped ? "true" : "false");
    out << ",\"invoke_us\":" << op.invoke_us << ",\"complete_us\":";
    if (op.complete_us == kNotCompleted) out << "null";
    else out << op.complete_us;
    out << ",\"outcome\":\"" << to_string(op.outcome) << "\"}\n";
  }
}

bool History::read_jsonl(std::istream& in, const std::string& file, History* out,
                         std::string* error) {
  History h;
  std::string line;
  size_t lineno = 0;
  auto bad = [&](const std::string& m) {
    if (error) *error = file + ":" + std::to_string(lineno) + ": " + m;
    return false;
  };
  while (std::getline(in, line)) {
    ++lineno;
    bool blank = true;
    for (char c : line)
      if (c != ' ' && c != '\t' && c != '\r') blank = false;
    if (blank) continue;
    std::map<std::string, JsonValue> obj;
    std::string err;
    if (!LineParser(line).parse(&obj, &err)) return bad(err);
    static const char* kKnown[] = {"id", "client", "kind", "key", "value", "expected", "swapped",
                                   "invoke_us", "complete_us", "outcome"};
    for (const auto& [k, v] : obj) {
      bool known = false;
      for (const char* n : kKnown) known = known || k == n;
      if (!known) return bad("unknown field \"" + k + "\"");
    }
    auto get = [&](const char* k) -> const JsonValue* {
      auto it = obj.find(k);
      return it == obj.end() ? nullptr : &it->second;
    };
    auto need_int = [&](const char* k, int64_t* dst) -> bool {
      const JsonValue* v = get(k);
      if (!v) return bad(std::string("missing field \"") + k + "\"");
      if (v->type != JsonValue::Int) return bad(std::string("field \"") + k + "\" must be an integer");
      *dst = v->i;
      return true;
    };
    auto need_str = [&](const char* k, std::string* dst, bool required) -> bool {
      const JsonValue* v = get(k);
      if (!v) return required ? bad(std::string("missing field \"") + k + "\"") : true;
      if (v->type != JsonValue::Str) return bad(std::string("field \"") + k + "\" must be a string");
      *dst = v->s;
      return true;
    };
    Op op;
    int64_t id = 0, client = 0;
    if (!need_int("id", &id)) return false;
    if (id < 0) return bad("field \"id\" must not be negative");
    op.id = static_cast<uint64_t>(id);
    if (!need_int("client", &client)) return false;
    if (client < INT32_MIN || client > INT32_MAX) return bad("field \"client\" out of range");
    op.client = static_cast<int32_t>(client);
    std::string kind, outcome;
    if (!need_str("kind", &kind, true)) return false;
    if (kind == "read") op.kind = OpKind::Read;
    else if (kind == "write") op.kind = OpKind::Write;
    else if (kind == "cas") op.kind = OpKind::Cas;
    else return bad("unknown kind \"" + kind + "\" (read, write or cas)");
    if (!need_str("key", &op.key, true)) return false;
    if (!need_str("value", &op.value, op.kind != OpKind::Read)) return false;
    if (!need_str("expected", &op.expected, op.kind == OpKind::Cas)) return false;
    if (!need_int("invoke_us", &op.invoke_us)) return false;
    const JsonValue* c = get("complete_us");
    if (!c || c->type == JsonValue::Null) op.complete_us = kNotCompleted;
    else if (c->type == JsonValue::Int) op.complete_us = c->i;
    else return bad("field \"complete_us\" must be an integer or null");
    if (!need_str("outcome", &outcome, true)) return false;
    if (outcome == "ok") op.outcome = Outcome::Ok;
    else if (outcome == "failed") op.outcome = Outcome::Failed;
    else if (outcome == "unknown") op.outcome = Outcome::Unknown;
    else return bad("unknown outcome \"" + outcome + "\" (ok, failed or unknown)");
    if (const JsonValue* sw = get("swapped")) {
      if (sw->type != JsonValue::Bool) return bad("field \"swapped\" must be true or false");
      op.swapped = sw->b;
    }
    if (op.outcome == Outcome::Ok && op.complete_us == kNotCompleted)
      return bad("an ok op needs \"complete_us\"");
    if (op.complete_us != kNotCompleted && op.complete_us < op.invoke_us)
      return bad("\"complete_us\" " + std::to_string(op.complete_us) + " is before \"invoke_us\" " +
                 std::to_string(op.invoke_us));
    if (!h.add(std::move(op))) return bad("duplicate op id " + std::to_string(id));
  }
  if (in.bad()) {
    if (error) *error = file + ":" + std::to_string(lineno) + ": read error";
    return false;
  }
  *out = std::move(h);
  return true;
}

}  // namespace topo::kv
