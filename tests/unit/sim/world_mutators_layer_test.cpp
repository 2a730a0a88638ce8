// World's public mutators (crash, restart, set_cpu_speed, set_partition, heal, process,
// mutable_node) are for command handlers and the models' own code (sim/world.h). The layers
// above the models change a world only through a Command and advance it through a Session:
// this test reads their sources and fails on a direct call.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace fs = std::filesystem;

TEST_CASE("the layers above the models never call World's mutators") {
  const std::regex call(R"((\.|->)(crash|restart|set_cpu_speed|set_partition|heal|mutable_node|process)\()");
  int files = 0;
  for (const char* dir : {"core/scenario", "core/catalog", "core/lesson", "core/ui", "core/app"}) {
    const fs::path root = fs::path(TOPOLAB_SOURCE_DIR) / dir;
    REQUIRE(fs::exists(root));
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      const std::string ext = e.path().extension().string();
      if (!e.is_regular_file() || (ext != ".cpp" && ext != ".h")) continue;
      ++files;
      std::ifstream in(e.path());
      std::string line;
      int n = 0;
      while (std::getline(in, line)) {
        ++n;
        const size_t comment = line.find("//");
        const std::string code = comment == std::string::npos ? line : line.substr(0, comment);
        if (code.find('(') != std::string::npos && std::regex_search(code, call))
          FAIL_CHECK(e.path().string() << ":" << n << ": " << line);
      }
    }
  }
  CHECK(files > 20);
}
