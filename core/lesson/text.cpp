// Lesson diagnostics: see text.h.
#include "lesson/text.h"

#include <algorithm>

namespace topo::lesson {

std::string format_diagnostic(const std::string& file, const Diagnostic& d) {
  return file + ":" + std::to_string(d.pos.line) + ":" + std::to_string(d.pos.col) + ": " + d.message;
}

void sort_diagnostics(Diagnostics& d) {
  std::stable_sort(d.begin(), d.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.pos.line != b.pos.line) return a.pos.line < b.pos.line;
    return a.pos.col < b.pos.col;
  });
  Diagnostics out;
  for (auto& x : d) {
    bool dup = false;
    for (auto& y : out)
      if (y.pos.line == x.pos.line && y.pos.col == x.pos.col && y.message == x.message) dup = true;
    if (!dup) out.push_back(std::move(x));
  }
  d = std::move(out);
}

}  // namespace topo::lesson
