// The flat JSON parser behind the state/command hooks: accepted shapes and precise errors.
#include <doctest/doctest.h>

#include "scenario/json.h"

TEST_CASE("parse_flat_json accepts strings, numbers and bools") {
  std::string err;
  auto m = topo::parse_flat_json(R"( {"op":"crash", "node":"n\"1", "delay_ms": 50, "on": true} )", &err);
  REQUIRE(m);
  CHECK(m->at("op") == "crash");
  CHECK(m->at("node") == "n\"1");
  CHECK(m->at("delay_ms") == "50");
  CHECK(m->at("on") == "true");
  CHECK(topo::parse_flat_json("{}", &err)->empty());
}

TEST_CASE("parse_flat_json reports where the input is wrong") {
  std::string err;
  CHECK_FALSE(topo::parse_flat_json(R"({"op": "crash" "node": "n1"})", &err));
  CHECK(err == "col 16: expected ',' or '}'");
  CHECK_FALSE(topo::parse_flat_json(R"({"op": {"x":1}})", &err));
  CHECK(err.find("nested") != std::string::npos);
  CHECK_FALSE(topo::parse_flat_json(R"({"op": bogus})", &err));
  CHECK(err == "col 8: expected a string, number, true, false or null");
  CHECK_FALSE(topo::parse_flat_json(R"({"op": "x"} trailing)", &err));
  CHECK_FALSE(topo::parse_flat_json("", &err));
  CHECK(err == "col 1: expected '{'");
}

TEST_CASE("json_quote escapes control characters and quotes") {
  CHECK(topo::json_quote("a\"b\\c\n") == R"("a\"b\\c\n")");
  CHECK(topo::json_quote(std::string("\x01", 1)) == R"("\u0001")");
}
