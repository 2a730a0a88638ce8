// The learner's saved progress on disk (see progress_store.h).
#include "lesson/progress_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace topo::lesson {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// A lesson id as a file name: letters, digits, '.', '-' and '_' kept, anything else '_'.
std::string safe_name(const std::string& id) {
  std::string out;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    out += ok ? c : '_';
  }
  if (out.empty() || out[0] == '.') out = "_" + out;
  return out;
}

}  // namespace

std::string ProgressStore::default_dir() {
  if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return (fs::path(x) / "topolab").string();
  if (const char* h = std::getenv("HOME"); h && *h) return (fs::path(h) / ".local" / "share" / "topolab").string();
  return "";
}

std::string ProgressStore::file_of(const std::string& id, const char* ext) const {
  return (fs::path(dir_) / "progress" / (safe_name(id) + ext)).string();
}

std::optional<std::string> ProgressStore::blob(const std::string& id) const { return read_file(file_of(id, ".txt")); }

int ProgressStore::blob_step(const std::string& blob) {
  std::istringstream in(blob);
  std::string line;
  if (!std::getline(in, line) || line != "topolab-progress 1") return 0;
  while (std::getline(in, line))
    if (line.rfind("step ", 0) == 0) return std::atoi(line.c_str() + 5) + 1;
  return 1;
}

bool ProgressStore::completed(const std::string& id) const {
  std::error_code ec;
  return fs::exists(file_of(id, ".done"), ec);
}

bool ProgressStore::save(const std::string& id, const std::string& blob, std::string* error) {
  return write_atomic(file_of(id, ".txt"), blob, error);
}

bool ProgressStore::mark_completed(const std::string& id, std::string* error) {
  return completed(id) || write_atomic(file_of(id, ".done"), "completed\n", error);
}

std::optional<ProgressStore::Last> ProgressStore::last() const {
  auto text = read_file((fs::path(dir_) / "last.txt").string());
  if (!text) return std::nullopt;
  Last l;
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("lesson ", 0) == 0) l.id = line.substr(7);
    else if (line.rfind("file ", 0) == 0) l.path = line.substr(5);
    else if (line.rfind("step ", 0) == 0) l.step = std::max(1, std::atoi(line.c_str() + 5));
  }
  if (l.id.empty()) return std::nullopt;
  return l;
}

bool ProgressStore::set_last(const Last& last, std::string* error) {
  std::string text = "lesson " + last.id + "\nfile " + last.path + "\nstep " + std::to_string(last.step) + "\n";
  return write_atomic((fs::path(dir_) / "last.txt").string(), text, error);
}

int ProgressStore::reset(const std::string& id) {
  std::error_code ec;
  int n = 0;
  for (const char* ext : {".txt", ".done"}) n += fs::remove(file_of(id, ext), ec) ? 1 : 0;
  return n;
}

int ProgressStore::reset_all() {
  std::error_code ec;
  int n = 0;
  if (fs::exists(fs::path(dir_) / "progress", ec)) {
    for (fs::directory_iterator it(fs::path(dir_) / "progress", ec), end; !ec && it != end; it.increment(ec)) ++n;
    fs::remove_all(fs::path(dir_) / "progress", ec);
  }
  n += fs::remove(fs::path(dir_) / "last.txt", ec) ? 1 : 0;
  return n;
}

bool ProgressStore::write_atomic(const std::string& path, const std::string& text, std::string* error) {
  auto fail = [&](const std::string& why) {
    if (error) *error = path + ": " + why;
    return false;
  };
  std::error_code ec;
  const fs::path p(path);
  fs::create_directories(p.parent_path(), ec);
  if (ec) return fail("cannot create the folder (" + ec.message() + ")");
  const std::string tmp = path + ".tmp" + std::to_string(static_cast<long>(::getpid()));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return fail(std::string("cannot write (") + std::strerror(errno) + ")");
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return fail("cannot write (" + why + ")");
    }
    done += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced || std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return fail("cannot save (" + why + ")");
  }
  return true;
}

}  // namespace topo::lesson
