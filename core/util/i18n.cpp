// The message catalogue (see i18n.h): the .mo reader, the plural-forms evaluator and the current
// language.
#include "util/i18n.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cctype>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <iterator>
#include <cstdint>
#include <cstring>

namespace topo::i18n {

namespace {

uint32_t read_u32(std::string_view b, size_t at, bool swap) {
  uint32_t v = 0;
  std::memcpy(&v, b.data() + at, 4);
  if (swap) v = (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
  return v;
}

std::vector<std::string> split_nul(std::string_view s) {
  std::vector<std::string> out;
  size_t from = 0;
  while (true) {
    const size_t z = s.find('\0', from);
    out.emplace_back(s.substr(from, z == std::string_view::npos ? std::string_view::npos : z - from));
    if (z == std::string_view::npos) break;
    from = z + 1;
  }
  return out;
}

/// A recursive-descent evaluator for the C subset Plural-Forms uses.
class PluralParser {
 public:
  PluralParser(std::string_view s, long n) : s_(s), n_(n) {}
  long run() {
    long v = ternary();
    skip();
    return ok_ && i_ == s_.size() ? v : -1;
  }

 private:
  void skip() { while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_; }
  bool eat(std::string_view tok) {
    skip();
    if (s_.substr(i_, tok.size()) != tok) return false;
    // "<" must not eat the "<" of "<=", "!" not the "!" of "!=".
    if ((tok == "<" || tok == ">" || tok == "!" || tok == "=") && i_ + 1 < s_.size() && s_[i_ + 1] == '=') return false;
    if ((tok == "|" || tok == "&") && i_ + 1 < s_.size() && s_[i_ + 1] == tok[0]) return false;
    i_ += tok.size();
    return true;
  }
  long ternary() {
    long c = logical_or();
    if (!eat("?")) return c;
    long a = ternary();
    if (!eat(":")) { ok_ = false; return 0; }
    long b = ternary();
    return c ? a : b;
  }
  long logical_or() {
    long v = logical_and();
    while (eat("||")) { long r = logical_and(); v = (v || r) ? 1 : 0; }
    return v;
  }
  long logical_and() {
    long v = equality();
    while (eat("&&")) { long r = equality(); v = (v && r) ? 1 : 0; }
    return v;
  }
  long equality() {
    long v = relation();
    while (true) {
      if (eat("==")) v = v == relation();
      else if (eat("!=")) v = v != relation();
      else return v;
    }
  }
  long relation() {
    long v = additive();
    while (true) {
      if (eat("<=")) v = v <= additive();
      else if (eat(">=")) v = v >= additive();
      else if (eat("<")) v = v < additive();
      else if (eat(">")) v = v > additive();
      else return v;
    }
  }
  long additive() {
    long v = multiplicative();
    while (true) {
      if (eat("+")) v += multiplicative();
      else if (eat("-")) v -= multiplicative();
      else return v;
    }
  }
  long multiplicative() {
    long v = unary();
    while (true) {
      if (eat("*")) v *= unary();
      else if (eat("/")) { long d = unary(); v = d ? v / d : (ok_ = false, 0); }
      else if (eat("%")) { long d = unary(); v = d ? v % d : (ok_ = false, 0); }
      else return v;
    }
  }
  long unary() {
    if (eat("!")) return !unary();
    skip();
    if (eat("(")) {
      long v = ternary();
      if (!eat(")")) ok_ = false;
      return v;
    }
    skip();
    if (i_ < s_.size() && s_[i_] == 'n') { ++i_; return n_; }
    if (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) {
      long v = 0;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) v = v * 10 + (s_[i_++] - '0');
      return v;
    }
    ok_ = false;
    return 0;
  }

  std::string_view s_;
  long n_;
  size_t i_ = 0;
  bool ok_ = true;
};

struct Registered {
  Language lang;
  Catalog catalog;
  std::string path;     ///< a catalogue read when first chosen (add_language_file); "" once read
};

std::deque<Registered>& registry() {   // a deque: the current catalogue's address survives additions
  static std::deque<Registered> r;
  return r;
}
std::vector<Language>& language_list() {
  static std::vector<Language> l = {{"en", "English"}};
  return l;
}
std::string g_code = "en";
const Catalog* g_catalog = nullptr;

}  // namespace

long eval_plural(std::string_view expr, long n) { return PluralParser(expr, n).run(); }

bool Catalog::load(std::string_view mo, std::string* error) {
  auto fail = [&](const char* why) {
    if (error) *error = why;
    return false;
  };
  if (mo.size() < 28) return fail("not a .mo file (too short)");
  uint32_t magic = 0;
  std::memcpy(&magic, mo.data(), 4);
  bool swap = false;
  if (magic == 0xde120495u) swap = true;
  else if (magic != 0x950412deu) return fail("not a .mo file (bad magic number)");
  const uint32_t count = read_u32(mo, 8, swap), orig_at = read_u32(mo, 12, swap), trans_at = read_u32(mo, 16, swap);
  if (static_cast<uint64_t>(orig_at) + 8ull * count > mo.size() || static_cast<uint64_t>(trans_at) + 8ull * count > mo.size())
    return fail("damaged .mo file (tables out of range)");
  messages_.clear();
  header_.clear();
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t ol = read_u32(mo, orig_at + 8 * i, swap), oo = read_u32(mo, orig_at + 8 * i + 4, swap);
    const uint32_t tl = read_u32(mo, trans_at + 8 * i, swap), to = read_u32(mo, trans_at + 8 * i + 4, swap);
    if (static_cast<uint64_t>(oo) + ol > mo.size() || static_cast<uint64_t>(to) + tl > mo.size())
      return fail("damaged .mo file (string out of range)");
    std::string_view id = mo.substr(oo, ol), str = mo.substr(to, tl);
    if (id.empty()) {   // the header: "Field: value\n" lines
      size_t from = 0;
      while (from < str.size()) {
        size_t nl = str.find('\n', from);
        if (nl == std::string_view::npos) nl = str.size();
        std::string_view line = str.substr(from, nl - from);
        if (size_t c = line.find(':'); c != std::string_view::npos) {
          std::string_view v = line.substr(c + 1);
          while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
          header_[std::string(line.substr(0, c))] = std::string(v);
        }
        from = nl + 1;
      }
      continue;
    }
    // A plural entry's msgid is "singular\0plural": keyed by the singular.
    const size_t z = id.find('\0');
    messages_[std::string(z == std::string_view::npos ? id : id.substr(0, z))] = split_nul(str);
  }
  if (auto it = header_.find("Plural-Forms"); it != header_.end()) {
    const std::string& pf = it->second;   // "nplurals=2; plural=(n != 1);"
    if (size_t a = pf.find("nplurals="); a != std::string::npos) nplurals_ = std::max(1, std::atoi(pf.c_str() + a + 9));
    if (size_t b = pf.find("plural=", pf.find("nplurals=") + 1); b != std::string::npos) {
      std::string e = pf.substr(b + 7);
      while (!e.empty() && (e.back() == ';' || e.back() == ' ')) e.pop_back();
      if (eval_plural(e, 1) >= 0) plural_expr_ = e;
    }
  }
  return true;
}

const std::string* Catalog::find(std::string_view msgid, std::string_view context) const {
  auto it = context.empty() ? messages_.find(msgid) : messages_.find(std::string(context) + '\x04' + std::string(msgid));
  if (it == messages_.end() || it->second.empty() || it->second[0].empty()) return nullptr;
  return &it->second[0];
}

int Catalog::plural_index(long n) const {
  const long i = eval_plural(plural_expr_, n);
  return i < 0 || i >= nplurals_ ? (n == 1 ? 0 : 1) : static_cast<int>(i);
}

const std::string* Catalog::find_plural(std::string_view singular, long n) const {
  auto it = messages_.find(singular);
  if (it == messages_.end()) return nullptr;
  const size_t i = static_cast<size_t>(plural_index(n));
  if (i >= it->second.size() || it->second[i].empty()) return nullptr;
  return &it->second[i];
}

const std::string& Catalog::header(const std::string& field) const {
  static const std::string none;
  auto it = header_.find(field);
  return it == header_.end() ? none : it->second;
}

const std::vector<Language>& languages() { return language_list(); }

void add_language(const std::string& code, const std::string& name, std::string_view mo) {
  Registered r{{code, name}, {}, {}};
  if (!r.catalog.load(mo)) return;
  for (auto& e : registry())
    if (e.lang.code == code) {
      e = std::move(r);
      if (g_code == code) g_catalog = &e.catalog;
      return;
    }
  registry().push_back(std::move(r));
  language_list().push_back({code, name});
  if (g_code == code) set_language(code);
}

void add_language_file(const std::string& code, const std::string& name, const std::string& path) {
  for (const auto& e : registry())
    if (e.lang.code == code) return;   // already there (embedded or registered before)
  registry().push_back(Registered{{code, name}, {}, path});
  language_list().push_back({code, name});
}

std::string set_language(const std::string& code) {
  auto pick = [](const std::string& c) -> bool {
    if (c == "en") {
      g_code = "en";
      g_catalog = nullptr;
      return true;
    }
    for (auto& e : registry())
      if (e.lang.code == c) {
        if (!e.path.empty()) {   // registered by file: read it now (once)
          std::ifstream in(e.path, std::ios::binary);
          const std::string mo((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
          if (!in.good() && !in.eof()) return false;
          if (mo.empty() || !e.catalog.load(mo)) return false;
          e.path.clear();
        }
        g_code = c;
        g_catalog = &e.catalog;
        return true;
      }
    return false;
  };
  if (!pick(code) && !(code.size() > 2 && pick(code.substr(0, 2)))) pick("en");
  return g_code;
}

const std::string& language() { return g_code; }

std::string from_locale(const std::string& locale) {
  std::string l = locale.substr(0, locale.find_first_of(".@"));
  for (auto& c : l) if (c == '_') c = '-';
  if (l.empty() || l == "C" || l == "POSIX") return "en";
  for (const auto& x : languages())
    if (x.code == l) return l;
  const std::string two = l.substr(0, 2);
  for (const auto& x : languages())
    if (x.code == two) return two;
  return "en";
}

std::string format(const char* fmt, ...) {
  char buf[2048];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return buf;
}

const char* tr(const char* msgid) {
  if (!g_catalog || !*msgid) return msgid;   // "" is the catalogue's header, never a message
  const std::string* s = g_catalog->find(msgid);
  return s ? s->c_str() : msgid;
}

const char* trn(const char* singular, const char* plural, long n) {
  if (g_catalog)
    if (const std::string* s = g_catalog->find_plural(singular, n)) return s->c_str();
  return n == 1 ? singular : plural;
}

}  // namespace topo::i18n
