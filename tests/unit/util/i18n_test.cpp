// The message catalogue (util/i18n.h): the .mo format as msgfmt writes it, plural forms, the
// current language and its fallbacks.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "util/i18n.h"

using namespace topo::i18n;

namespace {

/// A little-endian .mo file for (msgid -> msgstr) pairs, keys sorted as msgfmt sorts them.
std::string make_mo(const std::map<std::string, std::string>& entries) {
  const uint32_t n = static_cast<uint32_t>(entries.size());
  const uint32_t orig_at = 28, trans_at = orig_at + 8 * n, strings_at = trans_at + 8 * n;
  std::string head(strings_at, '\0'), strings;
  auto put = [&](uint32_t at, uint32_t v) { for (int i = 0; i < 4; ++i) head[at + i] = static_cast<char>((v >> (8 * i)) & 0xff); };
  put(0, 0x950412de);
  put(8, n);
  put(12, orig_at);
  put(16, trans_at);
  uint32_t i = 0;
  std::vector<std::pair<uint32_t, uint32_t>> trans;
  for (const auto& [id, str] : entries) {
    put(orig_at + 8 * i, static_cast<uint32_t>(id.size()));
    put(orig_at + 8 * i + 4, strings_at + static_cast<uint32_t>(strings.size()));
    strings += id;
    strings += '\0';
    ++i;
  }
  i = 0;
  for (const auto& [id, str] : entries) {
    put(trans_at + 8 * i, static_cast<uint32_t>(str.size()));
    put(trans_at + 8 * i + 4, strings_at + static_cast<uint32_t>(strings.size()));
    strings += str;
    strings += '\0';
    ++i;
  }
  return head + strings;
}

const std::string kHeader =
    "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n";

}  // namespace

TEST_CASE("i18n: plural-forms expressions evaluate as C does") {
  CHECK(eval_plural("n != 1", 1) == 0);
  CHECK(eval_plural("n != 1", 0) == 1);
  CHECK(eval_plural("(n > 1)", 1) == 0);
  const char* polish = "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)";
  CHECK(eval_plural(polish, 1) == 0);
  CHECK(eval_plural(polish, 3) == 1);
  CHECK(eval_plural(polish, 5) == 2);
  CHECK(eval_plural(polish, 12) == 2);
  CHECK(eval_plural(polish, 22) == 1);
  CHECK(eval_plural("n % 0", 3) == -1);       // malformed: no crash, a clear "no"
  CHECK(eval_plural("n + ", 3) == -1);
  CHECK(eval_plural("system(n)", 3) == -1);
}

TEST_CASE("i18n: a .mo catalogue is read, with plurals, and a damaged one is refused") {
  std::string mo = make_mo({{"", kHeader},
                            {"Next", "Dalej"},
                            {std::string("%d server") + '\0' + "%d servers", std::string("%d serwer") + '\0' + "%d serwery" + '\0' + "%d serwerów"}});
  Catalog c;
  std::string err;
  REQUIRE(c.load(mo, &err));
  CHECK(c.size() == 2);
  REQUIRE(c.find("Next"));
  CHECK(*c.find("Next") == "Dalej");
  CHECK(c.find("Back") == nullptr);
  CHECK(*c.find_plural("%d server", 1) == "%d serwer");
  CHECK(*c.find_plural("%d server", 3) == "%d serwery");
  CHECK(*c.find_plural("%d server", 25) == "%d serwerów");
  CHECK(c.header("Plural-Forms").find("nplurals=3") == 0);
  Catalog bad;
  CHECK_FALSE(bad.load("hello", &err));
  CHECK(err.find("not a .mo file") != std::string::npos);
  std::string cut = mo.substr(0, 40);
  CHECK_FALSE(bad.load(cut, &err));
  CHECK(err.find("damaged") != std::string::npos);
}

TEST_CASE("i18n: the current language, its fallbacks and the English default") {
  add_language("xx", "Test", make_mo({{"", "Plural-Forms: nplurals=2; plural=(n != 1);\n"},
                                     {"Next", "Nyxt"},
                                     {std::string("%d step") + '\0' + "%d steps", std::string("%d styp") + '\0' + "%d styps"}}));
  CHECK(set_language("xx") == "xx");
  CHECK(std::string(tr("Next")) == "Nyxt");
  CHECK(std::string(tr("Back")) == "Back");   // untranslated: the English
  CHECK(std::string(trn("%d step", "%d steps", 1)) == "%d styp");
  CHECK(std::string(trn("%d step", "%d steps", 4)) == "%d styps");
  CHECK(set_language("xx_YY") == "xx");       // a region of a language the lab has
  CHECK(set_language("zz") == "en");          // one it has not: English
  CHECK(std::string(tr("Next")) == "Next");
  CHECK(std::string(trn("%d step", "%d steps", 1)) == "%d step");
  CHECK(from_locale("xx_YY.UTF-8") == "xx");
  CHECK(from_locale("C") == "en");
  CHECK(from_locale("fr_FR.UTF-8") == "en");
}

TEST_CASE("i18n: a language registered by file is read when first chosen (the web module), and a missing file falls back") {
  const std::string path = "i18n_test_yy.mo";
  std::remove(path.c_str());
  add_language_file("yy", "Why", path);
  bool listed = false;
  for (const auto& l : languages()) listed = listed || (l.code == "yy" && l.name == "Why");
  CHECK(listed);                               // the picker lists it before its catalogue is there
  CHECK(set_language("yy") == "en");           // not written yet: English, nothing lost
  {
    std::ofstream out(path, std::ios::binary);
    out << make_mo({{"", "Plural-Forms: nplurals=2; plural=(n != 1);\n"}, {"Next", "Nyext"}});
  }
  CHECK(set_language("yy") == "yy");           // the page wrote it: read now
  CHECK(std::string(tr("Next")) == "Nyext");
  std::remove(path.c_str());
  CHECK(set_language("en") == "en");
  CHECK(set_language("yy") == "yy");           // read once: the file is no longer needed
  CHECK(std::string(tr("Next")) == "Nyext");
  set_language("en");
}
