// The lab's words in the student's language (util/i18n.h): tr("...") and trn() for the UI code.
#pragma once

#include "util/i18n.h"

namespace topo::ui {
using i18n::tr;
using i18n::trn;
}  // namespace topo::ui

#include <cstdarg>
#include <cstdio>
#include <string>

namespace topo::ui {
/// printf into a std::string, for a translated message with placeholders:
/// format_msg(tr("Step %d of %d"), i, n).
inline std::string format_msg(const char* f, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, f);
  std::vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  return buf;
}
}  // namespace topo::ui
