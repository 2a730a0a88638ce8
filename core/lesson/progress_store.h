// The learner's saved progress on the desktop, as the page keeps it in localStorage: per lesson
// the runner's progress blob (Runner::save(), the same text), whether it was ever completed, and
// which lesson was open last (the start screen's "Continue"). Small files in a per-user folder:
//   DIR/progress/ID.txt     the blob            DIR/progress/ID.done   the lesson was completed
//   DIR/last.txt            "lesson ID", "file PATH", "step N" (1-based)
// Every file is written atomically (a temporary file, fsync, rename), so an app that crashes or
// is killed mid-write leaves the previous version, never half a file.
#pragma once

#include <optional>
#include <string>

namespace topo::lesson {

class ProgressStore {
 public:
  /// `dir` is created on the first save.
  explicit ProgressStore(std::string dir) : dir_(std::move(dir)) {}
  /// The per-user data folder: $XDG_DATA_HOME/topolab, else ~/.local/share/topolab; "" when
  /// neither variable is set.
  static std::string default_dir();
  const std::string& dir() const { return dir_; }

  /// Lesson `id`'s progress blob, if one was saved.
  std::optional<std::string> blob(const std::string& id) const;
  /// The step a blob stands at, 1-based (steps + 1 when the lesson was finished), or 0 when the
  /// text is not a progress blob.
  static int blob_step(const std::string& blob);
  /// True when lesson `id` was completed once (kept when it is started again).
  bool completed(const std::string& id) const;
  bool save(const std::string& id, const std::string& blob, std::string* error);
  bool mark_completed(const std::string& id, std::string* error);

  struct Last {
    std::string id, path;
    int step = 1;   ///< 1-based
  };
  std::optional<Last> last() const;
  bool set_last(const Last& last, std::string* error);

  /// Forgets lesson `id` (blob and completion). Returns the number of files removed.
  int reset(const std::string& id);
  /// Forgets everything: every lesson's progress and the last lesson. Returns the files removed.
  int reset_all();

  /// Writes `text` to `path` atomically (same folder temporary file, fsync, rename), creating the
  /// folder. False and `error` ("PATH: why") on failure, leaving the old file.
  static bool write_atomic(const std::string& path, const std::string& text, std::string* error);

 private:
  std::string file_of(const std::string& id, const char* ext) const;
  std::string dir_;
};

}  // namespace topo::lesson
