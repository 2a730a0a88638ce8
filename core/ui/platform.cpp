// The lab UI's platform differences: see platform.h.
#include "ui/platform.h"

#include <cstdlib>
#include <filesystem>

namespace topo::ui::platform {

#ifdef __EMSCRIPTEN__

std::string bundled_lesson_dir() { return "/lessons"; }
bool watches_files() { return false; }
bool can_quit() { return false; }

#else

std::string bundled_lesson_dir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("TOPOLAB_LESSONS")) return env;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed = exe.parent_path().parent_path() / "share" / "topolab" / "lessons";
    if (fs::is_directory(installed, ec)) return installed.string();
  }
#ifdef TOPOLAB_LESSON_DIR
  return TOPOLAB_LESSON_DIR;
#else
  return "lessons";
#endif
}
bool watches_files() { return true; }
bool can_quit() { return true; }

#endif

}  // namespace topo::ui::platform
