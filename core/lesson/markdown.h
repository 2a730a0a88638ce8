// The Markdown subset of lesson text, parsed once for everyone: the lesson checker reports its
// problems (unmatched markers, a link without its ")", a link target that is not http(s) or
// relative), the ImGui lesson player (ui/widgets/markdown.h) lays out and draws its blocks, and
// to_html() renders them as escaped HTML for the page's accessible lesson player.
//
// The subset: **bold**, *italic* (and ***both***), `code`, [links](url), bullet lists ("- ", "* "
// or "+ ", nested by two spaces of indent), "# " headings (levels 1-3) and paragraphs separated by
// blank lines; backslash escapes any ASCII punctuation. Unclosed markers are plain text. No raw
// HTML: every character of the text is text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace topo::lesson {

/// Style bits of a span.
enum MdStyle : uint8_t {
  kMdBold = 1,
  kMdItalic = 2,
  kMdCode = 4,
  kMdLink = 8,
  kMdHeading = 16,
};

/// A run of text with one style. `link` indexes MdDoc::links (-1 = not a link).
struct MdSpan {
  std::string text;
  uint8_t style = 0;
  int link = -1;
};

enum class MdBlockKind { Paragraph, Bullet, Heading };

/// A paragraph, a bullet item or a heading. `level`: bullet nesting (0 = top) or heading
/// level (1..3); 0 for paragraphs.
struct MdBlock {
  MdBlockKind kind = MdBlockKind::Paragraph;
  int level = 0;
  std::vector<MdSpan> spans;
};

/// Something in the text that is probably not what its author meant (it still renders: an
/// unclosed marker shows as itself). `line` is 0-based within the text, `col` a 0-based byte
/// offset within that line.
struct MdProblem {
  int line = 0;
  int col = 0;
  std::string message;
};

struct MdDoc {
  std::vector<MdBlock> blocks;
  std::vector<std::string> links;  ///< link targets, in order of appearance
  std::vector<MdProblem> problems; ///< in the order found
};

/// Parses `text` (UTF-8; "\r\n" or "\n" line ends).
MdDoc md_parse(std::string_view text);

/// True for a link target the page may follow: http://, https:// (any case) or a relative
/// reference (no scheme, not "//host", no backslash, no control characters or spaces).
bool md_safe_href(std::string_view url);

/// `s` with &, <, >, " and ' replaced by character references.
std::string html_escape(std::string_view s);

struct HtmlOptions {
  /// The HTML heading level of a "# " heading (## is one more, ### two more; capped at 6).
  int heading_base = 1;
};

/// The document as HTML: <hN>, <p>, nested <ul><li>, <strong>, <em>, <code> and
/// <a href="..." rel="noopener noreferrer" target="_blank"> for safe targets (an unsafe link is
/// its text only). All text and attribute values are escaped; nothing of the source is markup.
std::string to_html(const MdDoc& doc, const HtmlOptions& opts = {});
inline std::string to_html(std::string_view text, const HtmlOptions& opts = {}) { return to_html(md_parse(text), opts); }

}  // namespace topo::lesson
