// Translated lessons: the structure check (see translation.h).
#include "lesson/translation.h"

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "scenario/toml_guard.h"

namespace topo::lesson {

namespace {

Pos pos_of(const toml::source_region& r) { return {static_cast<int>(r.begin.line), static_cast<int>(r.begin.column)}; }

std::optional<toml::table> parse(std::string_view text, Diagnostics& diags, const std::string& prefix) {
  if (TomlGuardResult g = toml_guard(text); !g.ok()) {
    diags.push_back({{prefix.empty() ? g.line : 1, prefix.empty() ? g.col : 1}, prefix + "TOML syntax: " + g.message});
    return std::nullopt;
  }
  try {
    return toml::parse(text);
  } catch (const toml::parse_error& e) {
    Pos p = prefix.empty() ? pos_of(e.source()) : Pos{1, 1};
    diags.push_back({p, prefix + "TOML syntax: " + std::string(e.description())});
  } catch (const std::exception& e) {
    diags.push_back({{1, 1}, prefix + "TOML syntax: " + e.what()});
  }
  return std::nullopt;
}

/// A value as canonical text (tables with sorted keys) for comparing structure.
std::string canonical(const toml::node& n) {
  std::ostringstream o;
  if (const auto* t = n.as_table()) {
    std::vector<std::string> keys;
    for (auto&& [k, v] : *t) { (void)v; keys.emplace_back(k.str()); }
    std::sort(keys.begin(), keys.end());
    o << "{";
    for (const auto& k : keys) o << json_quote(k) << ":" << canonical(*t->get(k)) << ",";
    o << "}";
  } else if (const auto* a = n.as_array()) {
    o << "[";
    for (const auto& e : *a) o << canonical(e) << ",";
    o << "]";
  } else if (const auto* s = n.as_string()) {
    o << json_quote(s->get());
  } else if (const auto* i = n.as_integer()) {
    o << i->get();
  } else if (const auto* f = n.as_floating_point()) {
    o << format_number(f->get());
  } else if (const auto* b = n.as_boolean()) {
    o << (b->get() ? "true" : "false");
  } else {
    o << "?" << static_cast<int>(n.type());
  }
  return o.str();
}

/// "step 3" for ["step", 2], "step 3's task" for ["step", 2, "task"], ...
std::string where(const std::vector<std::string>& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    const std::string& p = path[i];
    const bool index = !p.empty() && p[0] == '#';
    if (index) out += " " + std::to_string(std::stoi(p.substr(1)) + 1);
    else out += (out.empty() ? "" : (i && path[i - 1][0] == '#' ? "'s " : ".")) + p;
  }
  return out.empty() ? "the lesson" : out;
}

class Comparer {
 public:
  Comparer(const std::string& original_name, TranslationReport& r) : orig_(original_name), r_(r) {}

  void table(const toml::table& t, const toml::table& o, std::vector<std::string>& path) {
    for (auto&& [k, v] : t) {
      const std::string key(k.str());
      const toml::node* on = o.get(key);
      if (!on) {
        error(pos_of(k.source()), "\"" + key + "\" is not in the original (" + where(path) +
                                       "): a translation may change only the words, not add to the lesson");
        continue;
      }
      path.push_back(key);
      node(v, *on, path, key);
      path.pop_back();
    }
    for (auto&& [k, v] : o) {
      (void)v;
      const std::string key(k.str());
      if (!t.get(key))
        error(pos_of(t.source()), where(path) + " is missing \"" + key + "\", which the original has at " + at(*o.get(key)) +
                                      " (copy it unchanged)");
    }
  }

  void node(const toml::node& t, const toml::node& o, std::vector<std::string>& path, const std::string& key) {
    const bool structure = in_actions(path);
    if (!structure && is_translatable_key(key) && o.is_string()) {
      if (!t.is_string()) error(pos_of(t.source()), "\"" + key + "\" must be text, as in the original");
      return;
    }
    if (!structure && key == "hints" && t.is_array() && o.is_array()) {   // plain-text hints are words
      const auto& ta = *t.as_array();
      const auto& oa = *o.as_array();
      if (!same_length(ta, oa, path, "hints")) return;
      for (size_t i = 0; i < ta.size(); ++i) {
        if (ta[i].is_string() && oa[i].is_string()) continue;
        path.push_back("#" + std::to_string(i));
        node(ta[i], oa[i], path, "");
        path.pop_back();
      }
      return;
    }
    if (t.type() != o.type()) {
      differs(t, o, path, key);
      return;
    }
    if (const auto* tt = t.as_table()) {
      table(*tt, *o.as_table(), path);
      return;
    }
    if (const auto* ta = t.as_array(); ta && !structure) {
      const auto& oa = *o.as_array();
      if (!same_length(*ta, oa, path, key)) return;
      for (size_t i = 0; i < ta->size(); ++i) {
        path.push_back("#" + std::to_string(i));
        node((*ta)[i], oa[i], path, "");
        path.pop_back();
      }
      return;
    }
    if (canonical(t) != canonical(o)) differs(t, o, path, key);
  }

 private:
  static bool in_actions(const std::vector<std::string>& path) {
    for (const auto& p : path)
      if (p == "do" || p == "solution" || p == "scenario") return true;
    return false;
  }
  std::string at(const toml::node& o) const {
    const Pos p = pos_of(o.source());
    return orig_ + ":" + std::to_string(p.line) + ":" + std::to_string(p.col);
  }
  bool same_length(const toml::array& t, const toml::array& o, const std::vector<std::string>& path, const std::string& key) {
    if (t.size() == o.size()) return true;
    const std::string what = key == "step" ? "steps" : key == "choices" ? "choices" : key == "hints" ? "hints" : "entries";
    error(pos_of(t.source()), where(path) + ": the original has " + std::to_string(o.size()) + " " + what + " (" + at(o) +
                                  "), this translation " + std::to_string(t.size()) +
                                  " — a translation keeps every step, choice and hint, in the same order");
    return false;
  }
  void differs(const toml::node& t, const toml::node& o, const std::vector<std::string>& path, std::string key) {
    for (auto it = path.rbegin(); key.empty() && it != path.rend(); ++it)
      if (!it->empty() && (*it)[0] != '#') key = *it;
    error(pos_of(t.source()), where(path) + " differs from the original (" + at(o) + "): a translation may change only the words " +
                                  "(title, summary, text, prompt, question, explain, hints, captions), not \"" + key + "\"");
  }
  void error(Pos p, std::string msg) { r_.diags.push_back({p, std::move(msg)}); }

  std::string orig_;
  TranslationReport& r_;
};

}  // namespace

bool is_translatable_key(std::string_view key) {
  return key == "title" || key == "summary" || key == "author" || key == "text" || key == "prompt" ||
         key == "question" || key == "explain";
}

TranslationReport check_translation(std::string_view original, const std::string& original_name,
                                    std::string_view translation) {
  TranslationReport r;
  Diagnostics orig_diags;
  auto o = parse(original, orig_diags, original_name + ": the original does not parse: ");
  auto t = parse(translation, r.diags, "");
  if (!orig_diags.empty()) r.diags.insert(r.diags.end(), orig_diags.begin(), orig_diags.end());
  if (!o || !t) return r;
  std::vector<std::string> path;
  Comparer(original_name, r).table(*t, *o, path);
  // Steps whose text is still the original's.
  const auto* ts = t->get_as<toml::array>("step");
  const auto* os = o->get_as<toml::array>("step");
  if (ts && os && ts->size() == os->size())
    for (size_t i = 0; i < ts->size(); ++i) {
      const auto* tt = (*ts)[i].as_table();
      const auto* ot = (*os)[i].as_table();
      if (!tt || !ot) continue;
      const auto* tx = tt->get_as<std::string>("text");
      const auto* ox = ot->get_as<std::string>("text");
      if (tx && ox && tx->get() == ox->get()) {
        const auto* title = tt->get_as<std::string>("title");
        r.untranslated.push_back("step " + std::to_string(i + 1) + (title ? " (\"" + title->get() + "\")" : ""));
      }
    }
  sort_diagnostics(r.diags);
  return r;
}

std::string original_of(const std::string& path, std::string* lang) {
  namespace fs = std::filesystem;
  const fs::path p(path);
  const std::string dir = p.parent_path().filename().string();
  auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  const bool code = (dir.size() == 2 && lower(dir[0]) && lower(dir[1])) ||
                    (dir.size() == 5 && lower(dir[0]) && lower(dir[1]) && dir[2] == '-' && upper(dir[3]) && upper(dir[4]));
  if (!code) return "";
  const fs::path orig = p.parent_path().parent_path() / p.filename();
  std::error_code ec;
  if (!fs::is_regular_file(orig, ec)) return "";
  if (lang) *lang = dir;
  return orig.string();
}

}  // namespace topo::lesson
