// The text a frame shows, read back from its draw data: every glyph quad that ImGui's font
// emits (windows, menus, tooltips and the canvas's own labels alike) is matched against the font
// atlas's glyph table, in the order it was drawn, with a space where glyphs stand apart and a
// new line where the baseline moves. What the student sees, as text a test can read.
#pragma once

#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "imgui.h"

namespace topo::test {

inline void append_utf8(std::string& out, unsigned c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

/// The lines of text in the last rendered frame (ImGui::GetDrawData()).
inline std::vector<std::string> drawn_text() {
  const ImDrawData* dd = ImGui::GetDrawData();
  std::vector<std::string> lines;
  if (!dd) return lines;
  // A glyph's top-left UV -> (its bottom-right UV, its codepoint), for every font in the atlas.
  auto key = [](float u, float v) { return std::make_pair(std::lround(u * 65536.0f), std::lround(v * 65536.0f)); };
  std::map<std::pair<long, long>, std::pair<const ImFontGlyph*, const ImFont*>> glyphs;
  for (const ImFont* f : ImGui::GetIO().Fonts->Fonts)
    for (const ImFontGlyph& g : f->Glyphs)
      if (g.Visible) glyphs[key(g.U0, g.V0)] = {&g, f};
  for (int l = 0; l < dd->CmdListsCount; ++l) {
    const ImDrawList* dl = dd->CmdLists[l];
    const ImVector<ImDrawVert>& vb = dl->VtxBuffer;
    std::string line;
    float pen = 0, last_top = -1e9f;   // where the next glyph of the same word would start
    auto flush = [&] {
      if (!line.empty()) lines.push_back(line);
      line.clear();
    };
    for (int i = 0; i + 3 < vb.Size; ++i) {
      auto it = glyphs.find(key(vb[i].uv.x, vb[i].uv.y));
      if (it == glyphs.end()) continue;
      const ImFontGlyph& g = *it->second.first;
      // A glyph quad: top-left, top-right, bottom-right, bottom-left (ImFont::RenderText).
      if (std::fabs(vb[i + 2].uv.x - g.U1) > 1e-5f || std::fabs(vb[i + 2].uv.y - g.V1) > 1e-5f) continue;
      const ImFont* font = it->second.second;
      const float x0 = vb[i].pos.x, y0 = vb[i].pos.y, x1 = vb[i + 2].pos.x;
      // The size it was drawn at (AddText may scale a font), the top of its line, and its pen
      // position (where the font's advance put it): a pen further on than the last glyph's
      // advance by half a space or more is a space.
      const float scale = g.X1 > g.X0 ? (x1 - x0) / (g.X1 - g.X0) : 1.0f;
      const float size = font->FontSize * scale;
      const float top = y0 - g.Y0 * scale;
      const float origin = x0 - g.X0 * scale;
      const ImFontGlyph* space = font->FindGlyphNoFallback(' ');
      const float space_w = (space ? space->AdvanceX : font->FontSize * 0.3f) * scale;
      if (std::fabs(top - last_top) > size * 0.5f || origin < pen - space_w) {
        flush();
      } else if (origin - pen > space_w * 0.5f) {
        line += ' ';
      }
      append_utf8(line, g.Codepoint);
      pen = origin + g.AdvanceX * scale;
      last_top = top;
      i += 3;
    }
    flush();
  }
  return lines;
}

}  // namespace topo::test
