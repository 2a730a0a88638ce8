// The Markdown subset of lesson text (see markdown.h): block and inline parsing with problem
// reports, safe link targets and the HTML rendering.
#include "lesson/markdown.h"

#include <algorithm>

namespace topo::lesson {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_punct(char c) { return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126); }

size_t star_run(std::string_view s, size_t j) {
  size_t r = 0;
  while (j + r < s.size() && s[j + r] == '*') ++r;
  return r;
}

// Position of the closing run for an emphasis opener of `d` stars whose content starts at
// `from`; npos if none. Nested emphasis with other run lengths is skipped as a whole, code
// spans and escapes are skipped. A longer closing run closes with its first `d` stars.
size_t find_closer(std::string_view s, size_t from, size_t d, int depth = 0) {
  size_t j = from;
  while (j < s.size()) {
    const char c = s[j];
    if (c == '\\' && j + 1 < s.size() && is_punct(s[j + 1])) { j += 2; continue; }
    if (c == '`') {
      const size_t k = s.find('`', j + 1);
      j = k == std::string_view::npos ? j + 1 : k + 1;
      continue;
    }
    if (c == '*') {
      const size_t r = star_run(s, j);
      const bool can_close = j > from && !is_space(s[j - 1]);
      const bool can_open = j + r < s.size() && !is_space(s[j + r]);
      if (can_close && r >= d) return j;
      if (can_open && depth < 8) {
        const size_t nd = std::min<size_t>(r, 3);
        const size_t k = find_closer(s, j + r, nd, depth + 1);
        if (k != std::string_view::npos) { j = k + nd; continue; }
      }
      j += r;
      continue;
    }
    ++j;
  }
  return std::string_view::npos;
}

// Matching ']' for a '[' at `open` (brackets nest; escapes and code spans skipped).
size_t find_bracket(std::string_view s, size_t open) {
  int depth = 0;
  for (size_t j = open; j < s.size(); ++j) {
    const char c = s[j];
    if (c == '\\' && j + 1 < s.size() && is_punct(s[j + 1])) { ++j; continue; }
    if (c == '`') {
      const size_t k = s.find('`', j + 1);
      if (k != std::string_view::npos) { j = k; continue; }
    }
    if (c == '[') ++depth;
    if (c == ']' && --depth == 0) return j;
  }
  return std::string_view::npos;
}

// Where a piece of a block's joined text came from: bytes from `at` on are line `line`,
// starting at byte `col` of that line.
struct Origin {
  size_t at;
  int line;
  int col;
};

class InlineParser {
 public:
  InlineParser(MdDoc& doc, std::vector<MdSpan>& out, std::string_view root, const std::vector<Origin>& origins)
      : doc_(doc), out_(out), root_(root), origins_(origins) {}

  void parse(std::string_view s, uint8_t style, int link, int depth = 0) {
    std::string buf;
    auto flush = [&] {
      if (!buf.empty()) emit(std::move(buf), style, link);
      buf.clear();
    };
    size_t i = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (c == '\\' && i + 1 < s.size() && is_punct(s[i + 1])) {
        buf += s[i + 1];
        i += 2;
        continue;
      }
      if (c == '`') {
        const size_t k = s.find('`', i + 1);
        if (k != std::string_view::npos && k > i + 1) {
          flush();
          emit(std::string(s.substr(i + 1, k - i - 1)), style | kMdCode, link);
          i = k + 1;
          continue;
        }
        if (k == std::string_view::npos) problem(s, i, "unmatched ` in text: code spans need a closing `");
        buf += c;
        ++i;
        continue;
      }
      if (c == '*' && depth < 16) {
        const size_t r = star_run(s, i);
        const bool can_open = i + r < s.size() && !is_space(s[i + r]);
        const bool can_close = i > 0 && !is_space(s[i - 1]);
        bool done = false;
        if (can_open) {
          for (size_t d = std::min<size_t>(r, 3); d >= 1 && !done; --d) {
            const size_t lit = r - d;  // stars before the opener stay literal
            const size_t k = find_closer(s, i + r, d);
            if (k == std::string_view::npos) continue;
            buf.append(lit, '*');
            flush();
            const uint8_t add = d == 3 ? (kMdBold | kMdItalic) : d == 2 ? kMdBold : kMdItalic;
            parse(s.substr(i + r, k - (i + r)), style | add, link, depth + 1);
            i = k + d;
            done = true;
          }
        }
        if (!done) {
          // A run that touches a word but pairs with nothing: most likely a forgotten closer
          // (a lone " * " between spaces is just a star).
          if (can_open || can_close)
            problem(s, i, r >= 2 ? "unmatched ** in text: bold needs a closing **"
                                 : "unmatched * in text: italics need a closing *");
          buf.append(r, '*');
          i += r;
        }
        continue;
      }
      if (c == '[' && link < 0) {
        const size_t close = find_bracket(s, i);
        if (close != std::string_view::npos && close + 1 < s.size() && s[close + 1] == '(') {
          const size_t paren = s.find(')', close + 2);
          if (paren != std::string_view::npos) {
            std::string_view url = s.substr(close + 2, paren - close - 2);
            while (!url.empty() && is_space(url.front())) url.remove_prefix(1);
            while (!url.empty() && is_space(url.back())) url.remove_suffix(1);
            if (!md_safe_href(url))
              problem(s, close + 2, "link target \"" + std::string(url) +
                                        "\" is not a web address: write https://... or a relative path");
            flush();
            const int idx = static_cast<int>(doc_.links.size());
            doc_.links.emplace_back(url);
            std::string_view text = s.substr(i + 1, close - i - 1);
            if (text.empty()) text = url;
            parse(text, style | kMdLink, idx, depth + 1);
            i = paren + 1;
            continue;
          }
          problem(s, i, "link is missing its closing \")\": write [text](https://...)");
        }
      }
      buf += (c == '\t' || c == '\n' || c == '\r') ? ' ' : c;
      ++i;
    }
    flush();
  }

 private:
  void emit(std::string text, uint8_t style, int link) {
    if (!out_.empty() && out_.back().style == style && out_.back().link == link) {
      out_.back().text += text;
      return;
    }
    MdSpan sp;
    sp.text = std::move(text);
    sp.style = style;
    sp.link = link;
    out_.push_back(std::move(sp));
  }
  // `s` is a view into root_ (the block's joined text): map the offset back to its source line.
  void problem(std::string_view s, size_t i, std::string message) {
    const size_t at = static_cast<size_t>(s.data() - root_.data()) + i;
    MdProblem p;
    p.message = std::move(message);
    for (const Origin& o : origins_) {
      if (o.at > at) break;
      p.line = o.line;
      p.col = o.col + static_cast<int>(at - o.at);
    }
    doc_.problems.push_back(std::move(p));
  }
  MdDoc& doc_;
  std::vector<MdSpan>& out_;
  std::string_view root_;
  const std::vector<Origin>& origins_;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

MdDoc md_parse(std::string_view text) {
  MdDoc doc;
  std::string cur;
  std::vector<Origin> origins;
  MdBlockKind kind = MdBlockKind::Paragraph;
  int level = 0;
  bool open = false;
  auto close = [&] {
    if (open) {
      MdBlock b;
      b.kind = kind;
      b.level = level;
      InlineParser p(doc, b.spans, cur, origins);
      p.parse(cur, kind == MdBlockKind::Heading ? static_cast<uint8_t>(kMdHeading | kMdBold) : 0, -1);
      if (!b.spans.empty() || kind == MdBlockKind::Bullet) doc.blocks.push_back(std::move(b));
    }
    open = false;
    cur.clear();
    origins.clear();
  };
  int line_no = -1;
  std::string_view line;
  // Appends a trimmed piece of the current line to the block's text, remembering where it was.
  auto take = [&](std::string_view piece) {
    piece = trim(piece);
    if (!cur.empty()) cur += ' ';
    origins.push_back({cur.size(), line_no, static_cast<int>(piece.data() - line.data())});
    cur += piece;
  };
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) {
      close();
      continue;
    }
    int indent = 0;
    size_t k = 0;
    while (k < line.size() && (line[k] == ' ' || line[k] == '\t')) {
      indent += line[k] == '\t' ? 4 : 1;
      ++k;
    }
    std::string_view rest = line.substr(k);
    if (rest.size() >= 2 && (rest[0] == '-' || rest[0] == '*' || rest[0] == '+') &&
        (rest[1] == ' ' || rest[1] == '\t')) {
      close();
      open = true;
      kind = MdBlockKind::Bullet;
      level = std::min(indent / 2, 3);
      take(rest.substr(2));
      continue;
    }
    size_t hashes = 0;
    while (hashes < rest.size() && rest[hashes] == '#') ++hashes;
    if (indent < 4 && hashes >= 1 && hashes <= 3 && hashes < rest.size() && rest[hashes] == ' ') {
      close();
      open = true;
      kind = MdBlockKind::Heading;
      level = static_cast<int>(hashes);
      take(rest.substr(hashes));
      close();
      continue;
    }
    if (!open) {
      open = true;
      kind = MdBlockKind::Paragraph;
      level = 0;
    }
    take(rest);
  }
  close();
  return doc;
}

// ---- HTML ------------------------------------------------------------------------------------

bool md_safe_href(std::string_view url) {
  if (url.empty()) return false;
  for (char c : url) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '\\') return false;
  }
  auto starts_ci = [&](std::string_view p) {
    if (url.size() < p.size()) return false;
    for (size_t i = 0; i < p.size(); ++i) {
      char c = url[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != p[i]) return false;
    }
    return true;
  };
  if (starts_ci("https://") || starts_ci("http://")) return url.size() > (starts_ci("https://") ? 8u : 7u);
  if (url.size() >= 2 && url[0] == '/' && url[1] == '/') return false;  // another host, scheme of the page
  // Relative: no scheme, i.e. no ':' before the first '/', '?' or '#'.
  const size_t end = url.find_first_of("/?#");
  const size_t colon = url.find(':');
  return colon == std::string_view::npos || (end != std::string_view::npos && colon > end);
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

void spans_html(const MdDoc& doc, const std::vector<MdSpan>& spans, uint8_t base, std::string& out) {
  size_t i = 0;
  while (i < spans.size()) {
    // Consecutive spans of one link make one <a>.
    const int link = spans[i].link;
    size_t j = i + 1;
    if (link >= 0)
      while (j < spans.size() && spans[j].link == link) ++j;
    const bool anchor = link >= 0 && static_cast<size_t>(link) < doc.links.size() &&
                        md_safe_href(doc.links[static_cast<size_t>(link)]);
    if (anchor)
      out += "<a href=\"" + html_escape(doc.links[static_cast<size_t>(link)]) +
             "\" rel=\"noopener noreferrer\" target=\"_blank\">";
    for (size_t k = i; k < j; ++k) {
      const uint8_t st = static_cast<uint8_t>(spans[k].style & ~base);
      if (st & kMdBold) out += "<strong>";
      if (st & kMdItalic) out += "<em>";
      if (st & kMdCode) out += "<code>";
      out += html_escape(spans[k].text);
      if (st & kMdCode) out += "</code>";
      if (st & kMdItalic) out += "</em>";
      if (st & kMdBold) out += "</strong>";
    }
    if (anchor) out += "</a>";
    i = j;
  }
}

}  // namespace

std::string to_html(const MdDoc& doc, const HtmlOptions& opts) {
  std::string out;
  int depth = 0;  // open <ul>s; each holds one open <li>
  auto close_lists = [&](int to) {
    while (depth > to) {
      out += "</li></ul>";
      --depth;
    }
  };
  for (const MdBlock& b : doc.blocks) {
    if (b.kind == MdBlockKind::Bullet) {
      const int target = b.level + 1;
      close_lists(target);
      if (depth == target) out += "</li>";
      while (depth < target) {
        out += "<ul>";
        ++depth;
        if (depth < target) out += "<li>";
      }
      out += "<li>";
      spans_html(doc, b.spans, 0, out);
      continue;
    }
    close_lists(0);
    if (b.kind == MdBlockKind::Heading) {
      const int h = std::clamp(opts.heading_base + b.level - 1, 1, 6);
      const std::string tag = "h" + std::to_string(h);
      out += "<" + tag + ">";
      spans_html(doc, b.spans, kMdHeading | kMdBold, out);
      out += "</" + tag + ">";
    } else {
      out += "<p>";
      spans_html(doc, b.spans, 0, out);
      out += "</p>";
    }
  }
  close_lists(0);
  return out;
}

}  // namespace topo::lesson
