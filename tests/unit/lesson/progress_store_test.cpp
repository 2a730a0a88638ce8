// The desktop's saved progress (lesson/progress_store.h) and the lesson folder scan
// (lesson/catalog.h): what a classroom PC keeps between runs of the lab.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "lesson/catalog.h"
#include "lesson/progress_store.h"

using topo::lesson::ProgressStore;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/topolab-store-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path, ec);
  }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

const char* kBlob = "topolab-progress 1\nlesson raft-intro\nstep 2\npredict 1 0\n";

}  // namespace

TEST_CASE("progress store: a blob saved is read back, with its step, the last lesson and completion") {
  TempDir d;
  ProgressStore s((d.path / "data").string());
  CHECK_FALSE(s.blob("raft-intro").has_value());
  CHECK_FALSE(s.last().has_value());
  std::string err;
  REQUIRE(s.save("raft-intro", kBlob, &err));
  REQUIRE(s.blob("raft-intro").has_value());
  CHECK(*s.blob("raft-intro") == kBlob);
  CHECK(ProgressStore::blob_step(kBlob) == 3);   // "step 2" is the 0-based index
  CHECK(ProgressStore::blob_step("not a blob") == 0);
  REQUIRE(s.set_last({"raft-intro", "/x/raft.toml", 3}, &err));
  auto last = s.last();
  REQUIRE(last.has_value());
  CHECK(last->id == "raft-intro");
  CHECK(last->path == "/x/raft.toml");
  CHECK(last->step == 3);
  CHECK_FALSE(s.completed("raft-intro"));
  REQUIRE(s.mark_completed("raft-intro", &err));
  CHECK(s.completed("raft-intro"));
  // A second store on the same folder (the next start of the app) sees the same.
  ProgressStore again((d.path / "data").string());
  CHECK(*again.blob("raft-intro") == kBlob);
  CHECK(again.completed("raft-intro"));
}

TEST_CASE("progress store: reset forgets one lesson, reset_all everything") {
  TempDir d;
  ProgressStore s(d.path.string());
  std::string err;
  REQUIRE(s.save("a", kBlob, &err));
  REQUIRE(s.save("b", kBlob, &err));
  REQUIRE(s.mark_completed("b", &err));
  REQUIRE(s.set_last({"b", "", 1}, &err));
  CHECK(s.reset("a") == 1);
  CHECK_FALSE(s.blob("a").has_value());
  CHECK(s.blob("b").has_value());
  CHECK(s.reset_all() == 3);   // b.txt, b.done, last.txt
  CHECK_FALSE(s.blob("b").has_value());
  CHECK_FALSE(s.completed("b"));
  CHECK_FALSE(s.last().has_value());
}

TEST_CASE("progress store: an id is never a path; a failed write keeps the old file and says where") {
  TempDir d;
  ProgressStore s(d.path.string());
  std::string err;
  REQUIRE(s.save("../../evil/x", "topolab-progress 1\nlesson x\nstep 0\n", &err));
  CHECK(s.blob("../../evil/x").has_value());
  for (const auto& f : fs::recursive_directory_iterator(d.path))   // everything stayed inside the folder
    CHECK(f.path().string().rfind(d.path.string(), 0) == 0);
  CHECK_FALSE(fs::exists(d.path.parent_path().parent_path() / "evil"));

  const std::string file = (d.path / "progress" / "kept.txt").string();
  REQUIRE(ProgressStore::write_atomic(file, "old\n", &err));
  if (::geteuid() != 0) {   // root writes anywhere: the permission check means nothing then
    fs::permissions(d.path / "progress", fs::perms::owner_write, fs::perm_options::remove);
    err.clear();
    CHECK_FALSE(ProgressStore::write_atomic(file, "new\n", &err));
    CHECK(err.rfind(file + ": ", 0) == 0);
    fs::permissions(d.path / "progress", fs::perms::owner_write, fs::perm_options::add);
  }
  CHECK(slurp(file) == "old\n");
  // A temporary file left by a crash mid-write is not the file: the last complete one is read.
  { std::ofstream(file + ".tmp999") << "half a wri"; }
  CHECK(slurp(file) == "old\n");
  REQUIRE(ProgressStore::write_atomic(file, "new\n", &err));
  CHECK(slurp(file) == "new\n");
}

TEST_CASE("progress store: the data folder follows XDG") {
  const char* old_xdg = std::getenv("XDG_DATA_HOME");
  const std::string keep = old_xdg ? old_xdg : "";
  ::setenv("XDG_DATA_HOME", "/srv/x", 1);
  CHECK(ProgressStore::default_dir() == "/srv/x/topolab");
  ::unsetenv("XDG_DATA_HOME");
  if (const char* h = std::getenv("HOME")) CHECK(ProgressStore::default_dir() == std::string(h) + "/.local/share/topolab");
  if (old_xdg) ::setenv("XDG_DATA_HOME", keep.c_str(), 1);
}

TEST_CASE("lesson folder scan: lessons by file name with their metadata; a broken file listed with FILE:LINE:COL") {
  TempDir d;
  { std::ofstream(d.path / "b-broken.toml") << "format = 1\nid = \"broken\"\ntitle = \"Broken\"\n[scenario\n"; }
  {
    std::ofstream(d.path / "a-mine.toml") << "format = 1\nid = \"my-lesson\"\ntitle = \"My lesson\"\nsummary = \"S\"\n"
                                              "level = \"beginner\"\nminutes = 5\n[scenario]\nname = \"raft-3\"\n"
                                              "[[step]]\ntitle = \"Hi\"\ntext = \"Hello\"\n";
  }
  { std::ofstream(d.path / "notes.txt") << "not a lesson"; }
  auto all = topo::lesson::scan_lessons(d.path.string(), "yours");
  REQUIRE(all.size() == 2);
  CHECK(all[0].id == "my-lesson");
  CHECK(all[0].title == "My lesson");
  CHECK(all[0].minutes == 5);
  CHECK(all[0].steps == 1);
  CHECK(all[0].source == "yours");
  CHECK(all[0].error.empty());
  CHECK(all[1].id == "b-broken");   // no lesson could be read: the file name stands for it
  CHECK(all[1].error.rfind((d.path / "b-broken.toml").string() + ":4:", 0) == 0);
  CHECK(topo::lesson::find_lesson(all, "my-lesson") == &all[0]);
  CHECK(topo::lesson::find_lesson(all, "a-mine") == &all[0]);   // the file name works too
  CHECK(topo::lesson::find_lesson(all, "nope") == nullptr);
  CHECK(topo::lesson::scan_lessons((d.path / "missing").string(), "yours").empty());
}
