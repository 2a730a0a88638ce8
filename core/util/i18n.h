// The lab's words in the student's language, with the gettext conventions translators know:
// strings are marked in the code with tr("...") (and trn() where a count decides the form,
// N_("...") for tables translated later), `scripts/i18n` extracts them into po/topolab.pot with
// xgettext, each language has po/LANG.po, and msgfmt compiles them into the .mo files the lab
// embeds (desktop and web) and the page reads for its HTML. Whole messages with printf-style
// placeholders ("Step %d of %d", positional "%2$s" where a language reorders them), never
// sentences glued from fragments. A message with no translation shows the English.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace topo::i18n {

/// One language's compiled messages (a gettext .mo file).
class Catalog {
 public:
  /// Parses a .mo file; false (and `error`) when the bytes are not one.
  bool load(std::string_view mo, std::string* error = nullptr);
  /// The translation of `msgid` (with `context`, as msgctxt), or null.
  const std::string* find(std::string_view msgid, std::string_view context = {}) const;
  /// The plural form for `n` of (`singular`, `plural`), or null when untranslated.
  const std::string* find_plural(std::string_view singular, long n) const;
  /// Which plural form `n` takes (the header's Plural-Forms; English rules without one).
  int plural_index(long n) const;
  size_t size() const { return messages_.size(); }
  const std::string& header(const std::string& field) const;

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> messages_;  ///< msgid -> forms
  std::map<std::string, std::string> header_;
  std::string plural_expr_ = "n != 1";
  int nplurals_ = 2;
};

/// Evaluates a Plural-Forms expression (C syntax over n: ?: || && == != < > <= >= + - * / % !
/// and parentheses). -1 on a malformed expression.
long eval_plural(std::string_view expr, long n);

/// The languages the lab ships: code and name in that language ("es", "Español").
struct Language {
  std::string code, name;
};
const std::vector<Language>& languages();
/// Registers a language's .mo (the build embeds them; tests add their own).
void add_language(const std::string& code, const std::string& name, std::string_view mo);
/// Registers a language whose .mo is read from `path` when it is first chosen (the web build:
/// the page has already downloaded the catalogue for its own text and writes it there, so the
/// module does not carry every language). If the file cannot be read then, set_language falls
/// back as for an unknown code.
void add_language_file(const std::string& code, const std::string& name, const std::string& path);

/// Switches the lab's language ("en", "es", a pseudo-locale "qps"). A code the lab does not have
/// falls back to its first two letters, then to English. Returns the code in use.
std::string set_language(const std::string& code);
const std::string& language();
/// The language of a locale string: "es_ES.UTF-8" -> "es", "pt-BR" -> "pt-BR" when shipped, "C" -> "en".
std::string from_locale(const std::string& locale);

/// printf into a std::string: format(tr("%s crashed"), name.c_str()).
std::string format(const char* fmt, ...);

/// The translated message (the English `msgid` when there is none). The pointer stays valid
/// until the language changes.
const char* tr(const char* msgid);
/// The form of a counted message for n: trn("%d server", "%d servers", n).
const char* trn(const char* singular, const char* plural, long n);

}  // namespace topo::i18n

/// Marks a string for extraction without translating it (translate it later with tr()).
#define N_(s) s
