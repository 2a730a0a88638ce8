// The lesson catalogue: index.json and the folder scan.
#include "lesson/catalog.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
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

std::vector<CatalogEntry> scan_lessons(const std::string& dir, const std::string& source) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".toml" && it->is_regular_file(ec)) files.push_back(it->path());
  std::sort(files.begin(), files.end());
  std::vector<CatalogEntry> out;
  for (const auto& f : files) {
    CatalogEntry e;
    e.path = f.string();
    e.id = f.stem().string();
    e.source = source;
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      e.error = e.path + ": cannot read the file";
      out.push_back(std::move(e));
      continue;
    }
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ParseResult p = parse_lesson(text);
    if (!p.diags.empty()) e.error = format_diagnostic(e.path, p.diags.front());
    if (p.lesson) {
      const Lesson& l = *p.lesson;
      if (!l.id.empty()) e.id = l.id;
      e.title = l.title;
      e.summary = l.summary;
      e.level = l.level;
      e.minutes = l.minutes;
      e.tags = l.tags;
      e.steps = l.steps.size();
    }
    if (e.title.empty()) e.title = f.stem().string();
    out.push_back(std::move(e));
  }
  return out;
}

const CatalogEntry* find_lesson(const std::vector<CatalogEntry>& entries, const std::string& name) {
  for (const auto& e : entries)
    if (e.id == name) return &e;
  for (const auto& e : entries)
    if (std::filesystem::path(e.path).stem().string() == name) return &e;
  return nullptr;
}

}  // namespace topo::lesson
