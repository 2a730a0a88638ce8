// The lesson files in the repository: every tests/lessons/malformed/*.toml gives exactly the
// `FILE:LINE:COL: message` lines of its .expected sibling; every lessons/*.toml is valid; and
// lessons/index.json matches what `topolab-cli check --index lessons/*.toml` generates.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "lesson/catalog.h"
#include "lesson/runner.h"
#include "lesson/translation.h"
#include "lesson/validator.h"

using namespace topo::lesson;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<fs::path> files(const fs::path& dir, const std::string& ext) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ext) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

const fs::path kRoot = TOPOLAB_SOURCE_DIR;

}  // namespace

TEST_CASE("lesson files: malformed lessons give exactly their expected errors") {
  WorldSource src = WorldSource::builtin();
  auto all = files(kRoot / "tests/lessons/malformed", ".toml");
  CHECK(all.size() >= 10);
  for (const auto& f : all) {
    const std::string rel = "tests/lessons/malformed/" + f.filename().string();
    CheckResult r = check_lesson(slurp(f), src);
    if (r.ok()) check_expectations(*r.lesson, src, r.diags);   // as `topolab-cli check` does
    std::string got;
    for (const auto& d : r.diags) got += format_diagnostic(rel, d) + "\n";
    fs::path exp = f;
    exp.replace_extension(".expected");
    INFO(rel);
    CHECK(!r.ok());
    CHECK(got == slurp(exp));
  }
}

TEST_CASE("lesson files: every lesson is valid and the index is current") {
  WorldSource src = WorldSource::builtin();
  std::vector<std::pair<std::string, Lesson>> lessons;
  for (const auto& f : files(kRoot / "lessons", ".toml")) {
    CheckResult r = check_lesson(slurp(f), src);
    INFO(f.string());
    for (const auto& d : r.diags) INFO(format_diagnostic(f.filename().string(), d));
    REQUIRE(r.ok());
    lessons.emplace_back(f.filename().string(), std::move(*r.lesson));
  }
  CHECK(!lessons.empty());
  CHECK_MESSAGE(catalog_json(lessons) == slurp(kRoot / "lessons/index.json"),
                "lessons/index.json is stale: run topolab-cli check --index lessons/*.toml > lessons/index.json");
}

TEST_CASE("lesson files: every translation (lessons/LANG/) is valid, the same lesson as its original, and indexed") {
  WorldSource src = WorldSource::builtin();
  size_t langs = 0;
  for (const auto& d : std::filesystem::directory_iterator(kRoot / "lessons")) {
    const std::string lang = d.path().filename().string();
    if (!d.is_directory() || lang.size() != 2) continue;
    ++langs;
    std::vector<std::pair<std::string, Lesson>> lessons;
    for (const auto& f : files(d.path(), ".toml")) {
      INFO(f.string());
      CheckResult r = check_lesson(slurp(f), src);
      for (const auto& diag : r.diags) INFO(format_diagnostic(f.filename().string(), diag));
      REQUIRE(r.ok());
      const std::string orig = original_of(f.string());
      REQUIRE_MESSAGE(!orig.empty(), "a translation without an original in lessons/");
      TranslationReport t = check_translation(slurp(orig), orig, slurp(f));
      for (const auto& diag : t.diags) INFO(format_diagnostic(f.string(), diag));
      CHECK(t.diags.empty());
      lessons.emplace_back(f.filename().string(), std::move(*r.lesson));
    }
    const std::string stale = "lessons/" + lang + "/index.json is stale: run topolab-cli check --index lessons/" + lang +
                              "/*.toml > lessons/" + lang + "/index.json";
    CHECK_MESSAGE(catalog_json(lessons) == slurp(d.path() / "index.json"), stale);
  }
  CHECK(langs >= 1);   // Spanish ships
}
