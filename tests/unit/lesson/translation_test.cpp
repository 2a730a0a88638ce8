// Translated lessons (lesson/translation.h): a translation may change only the words; every
// other change — an action, a condition, a seed, a timeout, the right answer, a step or a choice
// more or less — is reported at its line and column with the original's position.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "lesson/translation.h"

using namespace topo::lesson;

namespace {

const std::string kOriginal = R"(format = 1
id = "small"
title = "Crash the leader"
summary = "One crash."
level = "beginner"
minutes = 2
tags = ["raft"]

[scenario]
name = "raft-3"
seed = 1

[[step]]
title = "A leader"
text = "Wait for a leader."
wait = { until = "leader_count == 1", timeout = "10s", text = "Electing..." }

[[step]]
title = "Crash it"
text = "The lesson crashes {{node:leader}}."
do = ["crash node={leader}"]
task = { prompt = "Restart it", check = "nodes_up == 3", solution = ["restart node=n1"], hints = ["Right-click it", { after = "20s", text = "Use Restart" }] }
quiz = { question = "Next?", choices = [
  { text = "An election", explain = "Yes.", correct = true },
  { text = "Nothing", explain = "No." },
] }
)";

/// The original with `from` replaced by `to` (once).
std::string edit(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

TranslationReport check(const std::string& t) { return check_translation(kOriginal, "orig.toml", t); }

}  // namespace

TEST_CASE("translation: changing only the words passes; steps left in the original's words are listed") {
  std::string t = kOriginal;
  t = edit(t, "\"Crash the leader\"", "\"Tumba al líder\"");
  t = edit(t, "\"Wait for a leader.\"", "\"Espera a un líder.\"");
  t = edit(t, "\"Electing...\"", "\"Eligiendo...\"");
  t = edit(t, "\"Right-click it\"", "\"Clic derecho\"");
  t = edit(t, "text = \"Use Restart\"", "text = \"Usa Restart\"");
  t = edit(t, "explain = \"Yes.\"", "explain = \"Sí.\"");
  auto r = check(t);
  CHECK(r.diags.empty());
  REQUIRE(r.untranslated.size() == 1);
  CHECK(r.untranslated[0] == "step 2 (\"Crash it\")");
  CHECK(check(kOriginal).untranslated.size() == 2);
}

TEST_CASE("translation: every change beyond the words is reported where it is") {
  struct Case { const char* from; const char* to; const char* message; int line; };
  const Case cases[] = {
      {"crash node={leader}", "crash node=n2", "step 2's do differs from the original (orig.toml:21:6)", 21},
      {"\"leader_count == 1\"", "\"leader_count >= 1\"", "step 1's wait.until differs", 16},
      {"timeout = \"10s\"", "timeout = \"20s\"", "step 1's wait.timeout differs", 16},
      {"seed = 1", "seed = 2", "scenario.seed differs", 11},
      {"tags = [\"raft\"]", "tags = [\"balsa\"]", "tags 1 differs from the original (orig.toml:7:9): a translation may change only the words (title, summary, text, prompt, question, explain, hints, captions), not \"tags\"", 7},
      {"explain = \"Yes.\", correct = true", "explain = \"Yes.\"", "is missing \"correct\"", 24},
      {"solution = [\"restart node=n1\"]", "solution = [\"restart node=n2\"]", "step 2's task.solution differs", 22},
      {"check = \"nodes_up == 3\"", "check = \"nodes_up == 2\"", "step 2's task.check differs", 22},
      {"{ after = \"20s\", text = \"Use Restart\" }", "{ after = \"5s\", text = \"Use Restart\" }", "after differs", 22},
      {"  { text = \"Nothing\", explain = \"No.\" },\n", "", "the original has 2 choices", 23},
      {"[[step]]\ntitle = \"Crash it\"", "[[step]]\ntitle = \"Crash it\"\nspeed = 2.0", "\"speed\" is not in the original", 20},
  };
  for (const auto& c : cases) {
    CAPTURE(c.to);
    auto r = check(edit(kOriginal, c.from, c.to));
    REQUIRE(r.diags.size() == 1);
    CAPTURE(r.diags[0].message);
    CHECK(r.diags[0].message.find(c.message) != std::string::npos);
    CHECK(r.diags[0].pos.line == c.line);
  }
  // A step fewer.
  const std::string one_step = kOriginal.substr(0, kOriginal.find("\n[[step]]\ntitle = \"Crash it\""));
  auto r = check(one_step);
  REQUIRE_FALSE(r.diags.empty());
  CHECK(r.diags[0].message.find("the original has 2 steps") != std::string::npos);
  // Broken TOML in the translation is reported at its place.
  r = check(edit(kOriginal, "[scenario]", "[scenario"));
  REQUIRE(r.diags.size() == 1);
  CHECK(r.diags[0].pos.line == 9);
}

TEST_CASE("translation: lessons/LANG/NAME.toml has its original at lessons/NAME.toml") {
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/topolab-tr-XXXXXX";
  const fs::path d = ::mkdtemp(tmpl);
  fs::create_directories(d / "es");
  fs::create_directories(d / "pt-BR");
  fs::create_directories(d / "scenarios");
  for (const char* f : {"a.toml", "es/a.toml", "pt-BR/a.toml", "es/b.toml", "scenarios/a.toml"}) std::ofstream(d / f) << "x";
  std::string lang;
  CHECK(original_of((d / "es/a.toml").string(), &lang) == (d / "a.toml").string());
  CHECK(lang == "es");
  CHECK(original_of((d / "pt-BR/a.toml").string(), &lang) == (d / "a.toml").string());
  CHECK(lang == "pt-BR");
  CHECK(original_of((d / "es/b.toml").string()).empty());          // no original: not a translation
  CHECK(original_of((d / "scenarios/a.toml").string()).empty());   // not a language folder
  CHECK(original_of((d / "a.toml").string()).empty());
  fs::remove_all(d);
}
