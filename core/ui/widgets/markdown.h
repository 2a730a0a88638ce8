// A small Markdown subset for lesson text: **bold**, *italic* (and ***both***), `code`,
// [links](url), bullet lists ("- " or "* ", nested by two spaces of indent), "# " headings
// (levels 1-3) and paragraphs separated by blank lines; backslash escapes any ASCII
// punctuation. Unclosed markers are plain text. Parsing (core/lesson/markdown.h, shared with the
// lesson checker and the page's HTML) gives spans; layout word-wraps them to a width with a
// pluggable text measure; rendering draws with the current ImGui font (or fonts the app
// provides) and reports clicked links.
//
// Usage (inside an ImGui window):
//   topo::ui::MarkdownOptions mo;
//   mo.bold_font = app.bold_font;   // optional; null = faux bold (drawn twice, 1 px apart)
//   std::string url;
//   if (topo::ui::markdown("##step", step.text, mo, &url)) open_url(url);
// For text that does not change every frame, parse once with md_parse() and pass the MdDoc.
//
// Without an italic font, italic is drawn slanted and in a softer colour; without a code font,
// code uses the same font on a tinted background. Links are underlined (not colour alone).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "imgui.h"
#include "lesson/markdown.h"

namespace topo::ui {

// The document model and its parser are the core's (lesson/markdown.h): one parser for the
// checker, this renderer and the page's HTML.
using lesson::kMdBold;
using lesson::kMdCode;
using lesson::kMdHeading;
using lesson::kMdItalic;
using lesson::kMdLink;
using lesson::md_parse;
using lesson::MdBlock;
using lesson::MdBlockKind;
using lesson::MdDoc;
using lesson::MdSpan;
using lesson::MdStyle;

/// How wide text is and how tall lines are; the renderer builds one from ImGui fonts, tests can
/// use a fixed-width one.
struct MdMeasure {
  /// Width in pixels of `text` drawn with style bits `style`.
  std::function<float(std::string_view text, uint8_t style)> width;
  float line_height = 16.0f;      ///< height of one line of body text (pixels)
  float heading_line_height = 20.0f;
  float bullet_indent = 16.0f;    ///< indent per bullet level (the bullet sits in it)
  float paragraph_gap = 6.0f;     ///< extra space between blocks
  float code_pad = 2.0f;          ///< horizontal padding on each side of a code run
};

/// A piece of text at a position (relative to the layout's top-left corner).
struct MdItem {
  ImVec2 pos;        ///< top-left of the line box (code text starts code_pad further right)
  float width = 0;   ///< including code padding
  float height = 0;  ///< line height
  std::string text;
  uint8_t style = 0;
  int link = -1;
  int block = 0;
};

struct MdBullet {
  ImVec2 center;  ///< where the bullet glyph goes
  int level = 0;
};

struct MdLayout {
  std::vector<MdItem> items;
  std::vector<MdBullet> bullets;
  float width = 0;   ///< the widest line
  float height = 0;  ///< total height
};

/// Word-wraps `doc` to `wrap_width` pixels. Words wider than a whole line are broken between
/// UTF-8 characters; words glued across styles ("**bold**,") stay on one line.
MdLayout md_layout(const MdDoc& doc, float wrap_width, const MdMeasure& m);

/// The link (index into MdDoc::links) under point `p` (relative to the layout), or -1.
int md_hit_link(const MdLayout& layout, ImVec2 p);

struct MarkdownOptions {
  ImFont* bold_font = nullptr;     ///< null = faux bold
  ImFont* italic_font = nullptr;   ///< null = slanted + softer colour
  ImFont* code_font = nullptr;     ///< null = current font on a tinted background
  float wrap_width = 0.0f;         ///< <= 0 = the available content width
  ImU32 link_color = 0;            ///< 0 = Okabe-Ito sky blue (dark theme) / blue (light)
};

/// Draws Markdown `text` at the cursor as one ImGui item. Returns true on the frame a link was
/// clicked (pressed and released on the same link) and stores its target in `clicked_url`.
bool markdown(const char* id, std::string_view text, const MarkdownOptions& opts,
              std::string* clicked_url = nullptr);
/// Same for an already parsed document.
bool markdown(const char* id, const MdDoc& doc, const MarkdownOptions& opts,
              std::string* clicked_url = nullptr);

/// The measure markdown() uses with these options and the current ImGui font.
MdMeasure md_imgui_measure(const MarkdownOptions& opts);

}  // namespace topo::ui
