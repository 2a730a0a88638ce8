// Markdown subset for lesson text (see markdown.h): word-wrapping layout of the blocks that
// lesson::md_parse gives, link hit-testing and ImDrawList rendering.
#include "ui/widgets/markdown.h"

#include <algorithm>
#include <cstring>

#include "ui/widgets/draw_util.h"

namespace topo::ui {
namespace {

// Length in bytes of the UTF-8 character starting with byte `c` (1 for invalid bytes).
size_t utf8_len(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c >> 5) == 0x6) return 2;
  if ((c >> 4) == 0xE) return 3;
  if ((c >> 3) == 0x1E) return 4;
  return 1;
}

}  // namespace

// ---- Layout ----------------------------------------------------------------------------------

namespace {

struct Frag {
  int span;
  std::string_view text;
};

class LineBuilder {
 public:
  LineBuilder(const MdBlock& b, int block, const MdMeasure& m, MdLayout& out, float x0, float y, float wrap, float lh)
      : b_(b), block_(block), m_(m), out_(out), x0_(x0), x_(x0), y_(y), wrap_(wrap), lh_(lh) {}

  float frag_width(const Frag& f) const { return m_.width(f.text, b_.spans[static_cast<size_t>(f.span)].style); }
  bool is_code(int span) const { return (b_.spans[static_cast<size_t>(span)].style & kMdCode) != 0; }

  float word_width(const std::vector<Frag>& w) const {
    float sum = 0.0f;
    int prev = -1;
    for (const Frag& f : w) {
      sum += frag_width(f);
      if (is_code(f.span) && f.span != prev) sum += 2.0f * m_.code_pad;
      prev = f.span;
    }
    return sum;
  }

  void add_word(const std::vector<Frag>& word, const Frag* space) {
    if (word.empty()) return;
    const float ww = word_width(word);
    float sw = 0.0f;
    if (space && !line_empty()) {
      sw = frag_width(*space);
      if (is_code(space->span) && !continues(space->span)) sw += 2.0f * m_.code_pad;
    }
    if (!line_empty() && x_ + sw + ww > wrap_) newline();
    if (!line_empty() && space) emit(*space, frag_width(*space));  // (its padding, if code, is added by emit)
    if (x_ + ww <= wrap_ || !line_empty()) {
      for (const Frag& f : word) emit(f, frag_width(f));
      return;
    }
    // A word wider than a whole line: break it between characters.
    for (const Frag& f : word) {
      size_t start = 0;
      while (start < f.text.size()) {
        size_t end = start;
        float w = 0.0f;
        const float pad = is_code(f.span) && !continues(f.span) ? 2.0f * m_.code_pad : 0.0f;
        while (end < f.text.size()) {
          const size_t n = std::min(utf8_len(static_cast<unsigned char>(f.text[end])), f.text.size() - end);
          const float cw = m_.width(f.text.substr(start, end + n - start), b_.spans[static_cast<size_t>(f.span)].style);
          if (x_ + cw + pad > wrap_ && end > start) break;
          if (x_ + cw + pad > wrap_ && !line_empty()) break;
          end += n;
          w = cw;
        }
        if (end == start) {  // nothing fits on this line: go to a new one
          newline();
          continue;
        }
        emit(Frag{f.span, f.text.substr(start, end - start)}, w);
        start = end;
        if (start < f.text.size()) newline();
      }
    }
  }

  void finish() {
    if (!line_empty() || lines_ == 0) {
      y_ += lh_;
      ++lines_;
    }
  }
  float y() const { return y_; }

 private:
  bool line_empty() const { return x_ == x0_; }
  bool continues(int span) const {
    return !line_empty() && last_item_ >= 0 && out_.items[static_cast<size_t>(last_item_)].block == block_ &&
           last_span_ == span;
  }
  void newline() {
    y_ += lh_;
    ++lines_;
    x_ = x0_;
    last_item_ = -1;
  }
  void emit(const Frag& f, float w) {
    const MdSpan& sp = b_.spans[static_cast<size_t>(f.span)];
    if (continues(f.span)) {
      MdItem& it = out_.items[static_cast<size_t>(last_item_)];
      it.text += f.text;
      it.width += w;
    } else {
      MdItem it;
      it.pos = ImVec2(x_, y_);
      it.width = w + ((sp.style & kMdCode) ? 2.0f * m_.code_pad : 0.0f);
      it.height = lh_;
      it.text = std::string(f.text);
      it.style = sp.style;
      it.link = sp.link;
      it.block = block_;
      out_.items.push_back(std::move(it));
      last_item_ = static_cast<int>(out_.items.size()) - 1;
      last_span_ = f.span;
      x_ += (sp.style & kMdCode) ? 2.0f * m_.code_pad : 0.0f;
    }
    x_ += w;
    out_.width = std::max(out_.width, x_);
  }

  const MdBlock& b_;
  int block_;
  const MdMeasure& m_;
  MdLayout& out_;
  float x0_, x_, y_, wrap_, lh_;
  int last_item_ = -1;
  int last_span_ = -1;
  int lines_ = 0;
};

}  // namespace

MdLayout md_layout(const MdDoc& doc, float wrap_width, const MdMeasure& m) {
  MdLayout out;
  float y = 0.0f;
  for (size_t bi = 0; bi < doc.blocks.size(); ++bi) {
    const MdBlock& b = doc.blocks[bi];
    const float lh = b.kind == MdBlockKind::Heading ? m.heading_line_height : m.line_height;
    float x0 = 0.0f;
    if (b.kind == MdBlockKind::Bullet) {
      x0 = m.bullet_indent * static_cast<float>(b.level + 1);
      out.bullets.push_back({ImVec2(x0 - m.bullet_indent * 0.5f, y + lh * 0.5f), b.level});
    }
    x0 = std::min(x0, std::max(0.0f, wrap_width - m.bullet_indent));
    LineBuilder lb(b, static_cast<int>(bi), m, out, x0, y, wrap_width, lh);
    // Words are runs of non-space characters, possibly across spans; a space run between words
    // is kept (collapsed to one space) with the style of the span it is in.
    std::vector<Frag> word;
    Frag space{-1, {}};
    bool have_space = false;
    for (size_t si = 0; si < b.spans.size(); ++si) {
      std::string_view t = b.spans[si].text;
      size_t i = 0;
      while (i < t.size()) {
        if (t[i] == ' ') {
          if (!word.empty()) {
            lb.add_word(word, have_space ? &space : nullptr);
            word.clear();
          }
          space = Frag{static_cast<int>(si), t.substr(i, 1)};
          have_space = true;
          while (i < t.size() && t[i] == ' ') ++i;
          continue;
        }
        size_t j = i;
        while (j < t.size() && t[j] != ' ') ++j;
        word.push_back(Frag{static_cast<int>(si), t.substr(i, j - i)});
        i = j;
      }
    }
    if (!word.empty()) lb.add_word(word, have_space ? &space : nullptr);
    lb.finish();
    y = lb.y() + m.paragraph_gap;
  }
  out.height = doc.blocks.empty() ? 0.0f : y - m.paragraph_gap;
  return out;
}

int md_hit_link(const MdLayout& layout, ImVec2 p) {
  for (const MdItem& it : layout.items) {
    if (it.link < 0) continue;
    if (p.x >= it.pos.x && p.x < it.pos.x + it.width && p.y >= it.pos.y && p.y < it.pos.y + it.height)
      return it.link;
  }
  return -1;
}

// ---- Rendering -------------------------------------------------------------------------------

namespace {

constexpr float kHeadingScale = 1.2f;
constexpr float kShear = 0.15f;  // synthetic italic slant (x shift per unit of height)

ImFont* font_for(uint8_t style, const MarkdownOptions& o) {
  if ((style & kMdCode) && o.code_font) return o.code_font;
  if ((style & kMdItalic) && !(style & kMdBold) && o.italic_font) return o.italic_font;
  if ((style & kMdBold) && o.bold_font) return o.bold_font;
  return ImGui::GetFont();
}
bool faux_bold(uint8_t style, const MarkdownOptions& o) {
  return (style & kMdBold) && !(style & kMdCode) && !o.bold_font;
}
bool faux_italic(uint8_t style, const MarkdownOptions& o) {
  return (style & kMdItalic) && !(style & kMdCode) && (!o.italic_font || (style & kMdBold));
}
float size_for(uint8_t style) {
  return ImGui::GetFontSize() * ((style & kMdHeading) ? kHeadingScale : 1.0f);
}

}  // namespace

MdMeasure md_imgui_measure(const MarkdownOptions& opts) {
  MdMeasure m;
  const float fs = ImGui::GetFontSize();
  const float gap = ImGui::GetStyle().ItemSpacing.y;
  m.line_height = fs + gap;
  m.heading_line_height = fs * kHeadingScale + gap + 2.0f;
  m.bullet_indent = fs * 1.2f;
  m.paragraph_gap = fs * 0.5f;
  m.code_pad = 3.0f;
  m.width = [opts](std::string_view text, uint8_t style) {
    ImFont* f = font_for(style, opts);
    const float sz = size_for(style);
    float w = f->CalcTextSizeA(sz, 1e30f, 0.0f, text.data(), text.data() + text.size()).x;
    if (faux_bold(style, opts)) w += 1.0f;
    if (faux_italic(style, opts)) w += kShear * sz;
    return w;
  };
  return m;
}

bool markdown(const char* id, std::string_view text, const MarkdownOptions& opts,
              std::string* clicked_url) {
  return markdown(id, md_parse(text), opts, clicked_url);
}

bool markdown(const char* id, const MdDoc& doc, const MarkdownOptions& opts,
              std::string* clicked_url) {
  const MdMeasure m = md_imgui_measure(opts);
  const float fs = ImGui::GetFontSize();
  float wrap = opts.wrap_width > 0.0f ? opts.wrap_width : ImGui::GetContentRegionAvail().x;
  wrap = std::max(wrap, fs * 4.0f);
  const MdLayout L = md_layout(doc, wrap, m);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const bool pressed = ImGui::InvisibleButton(id, ImVec2(wrap, std::max(1.0f, L.height)));
  const ImGuiIO& io = ImGui::GetIO();
  const int hovered = ImGui::IsItemHovered()
                          ? md_hit_link(L, ImVec2(io.MousePos.x - origin.x, io.MousePos.y - origin.y))
                          : -1;
  bool clicked = false;
  if (pressed && hovered >= 0) {
    const ImVec2 down = io.MouseClickedPos[0];
    if (md_hit_link(L, ImVec2(down.x - origin.x, down.y - origin.y)) == hovered) {
      clicked = true;
      if (clicked_url) *clicked_url = doc.links[static_cast<size_t>(hovered)];
    }
  }
  if (hovered >= 0) {
    ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    ImGui::SetTooltip("%s", doc.links[static_cast<size_t>(hovered)].c_str());
  }

  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
  const ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
  const bool light = (bg.x * 0.299f + bg.y * 0.587f + bg.z * 0.114f) > 0.5f;
  const ImU32 link_col = opts.link_color ? opts.link_color : (light ? okabe_ito::blue : okabe_ito::sky_blue);
  const ImVec4 tc = ImGui::GetStyleColorVec4(ImGuiCol_Text);
  const ImVec4 dc = ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
  const ImU32 italic_col = ImGui::GetColorU32(ImVec4(tc.x + (dc.x - tc.x) * 0.35f, tc.y + (dc.y - tc.y) * 0.35f,
                                                     tc.z + (dc.z - tc.z) * 0.35f, tc.w));
  const ImU32 code_bg = with_alpha(ImGui::GetColorU32(ImGuiCol_FrameBg), 0.9f);

  for (const MdBullet& b : L.bullets) {
    const ImVec2 c(origin.x + b.center.x, origin.y + b.center.y);
    const float r = fs * 0.16f;
    if (b.level % 2 == 0) dl->AddCircleFilled(c, r, text_col, 10);
    else dl->AddCircle(c, r, text_col, 10, 1.2f);
  }
  for (const MdItem& it : L.items) {
    ImFont* font = font_for(it.style, opts);
    const float sz = size_for(it.style);
    ImU32 col = text_col;
    if ((it.style & kMdItalic) && !opts.italic_font) col = italic_col;
    if (it.link >= 0) col = link_col;
    ImVec2 p(origin.x + it.pos.x, origin.y + it.pos.y + (it.height - sz) * 0.5f);
    const char* b = it.text.data();
    const char* e = b + it.text.size();
    if (it.style & kMdCode) {
      dl->AddRectFilled(ImVec2(origin.x + it.pos.x, origin.y + it.pos.y + 1.0f),
                        ImVec2(origin.x + it.pos.x + it.width, origin.y + it.pos.y + it.height - 1.0f), code_bg, 3.0f);
      p.x += m.code_pad;
    }
    const bool slant = faux_italic(it.style, opts);
    const int v0 = dl->VtxBuffer.Size;
    dl->AddText(font, sz, p, col, b, e);
    if (faux_bold(it.style, opts)) dl->AddText(font, sz, ImVec2(p.x + 1.0f, p.y), col, b, e);
    if (slant) {
      // Shear around the baseline: the top moves right by kShear * size at most.
      const float base = p.y + sz;
      for (int v = v0; v < dl->VtxBuffer.Size; ++v) dl->VtxBuffer[v].pos.x += (base - dl->VtxBuffer[v].pos.y) * kShear;
    }
    if (it.link >= 0) {
      const float uy = std::min(p.y + sz + 1.0f, origin.y + it.pos.y + it.height - 1.0f);
      dl->AddLine(ImVec2(origin.x + it.pos.x, uy), ImVec2(origin.x + it.pos.x + it.width, uy), col,
                  it.link == hovered ? 2.0f : 1.0f);
    }
  }
  return clicked;
}

}  // namespace topo::ui
