// The TOML pre-check that keeps toml++ 3.3.0 away from its undefined behaviour on non-ASCII
// characters where it expects whitespace (a crash input the lesson fuzzer found).
#include <doctest/doctest.h>

#include "lesson/lesson.h"
#include "scenario/toml_guard.h"

using topo::toml_guard;

TEST_CASE("non-ASCII text is fine inside strings and comments") {
  CHECK(toml_guard("title = \"Caf\xC3\xA9 \xE2\x80\x94 ok\" # \xE2\x9C\x93 fine\n").ok());
  CHECK(toml_guard("text = '''\n\xC3\xA9t\xC3\xA9\n'''\n").ok());
  CHECK(toml_guard("text = \"\"\"\nline \xE2\x80\x94 one\n\"\"\"\nx = 1\n").ok());
  CHECK(toml_guard("a = \"\\\"\xC3\xA9\"\n").ok());
}

TEST_CASE("non-ASCII outside strings is reported with its line and column") {
  auto r = toml_guard("id = \"x\"\n\xEF\xBB\xB7idrmet = 1\n");
  CHECK_FALSE(r.ok());
  CHECK(r.line == 2);
  CHECK(r.col == 1);
  r = toml_guard("x = 1\ny =\xC2\xA0" "2\n");
  CHECK(r.line == 2);
  CHECK(r.col == 4);
  r = toml_guard("t = \"\"\"one \\\n  \xE3\x80\x81two\"\"\"\n");
  CHECK_FALSE(r.ok());
  CHECK(r.line == 2);
}

TEST_CASE("the fuzzer's crash input is now a plain lesson error") {
  const char input[] = "\xEF\xBB\xB7idrmet  = \"A broken lesson\"{ until = \"leader_count == 1\", timeout = 5 }\n";
  auto res = topo::lesson::parse_lesson(input);
  REQUIRE_FALSE(res.diags.empty());
  CHECK(res.diags.front().pos.line == 1);
  CHECK(res.diags.front().message.find("non-ASCII") != std::string::npos);
}
