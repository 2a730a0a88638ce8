// The lesson catalogue as JSON.
#include "lesson/catalog.h"

#include <sstream>

namespace topo::lesson {

std::string catalog_json(const std::vector<std::pair<std::string, Lesson>>& lessons) {
  std::ostringstream o;
  o << "[\n";
  bool first = true;
  for (const auto& [file, l] : lessons) {
    o << (first ? "" : ",\n") << "  {\"id\": " << json_quote(l.id) << ", \"file\": " << json_quote(file)
      << ", \"title\": " << json_quote(l.title) << ", \"summary\": " << json_quote(l.summary)
      << ", \"level\": " << json_quote(l.level) << ", \"minutes\": " << l.minutes << ", \"tags\": [";
    for (size_t i = 0; i < l.tags.size(); ++i) o << (i ? ", " : "") << json_quote(l.tags[i]);
    o << "], \"steps\": " << l.steps.size() << "}";
    first = false;
  }
  o << "\n]\n";
  return o.str();
}

}  // namespace topo::lesson
