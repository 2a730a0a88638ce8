// Tests of the Markdown subset: parsing (table-driven: nesting, unclosed markers as text,
// escapes, links, lists, headings), word-wrapping within the width, link hit-testing, and the
// rendered widget (draws inside its rectangle, a click on a link returns its url).
#include <doctest/doctest.h>

#include <string>

#include "ui/widgets/markdown.h"
#include "widget_fixture.h"

using namespace topo::ui;

namespace {

// "P:{b}bold{} text" style description of a parsed document, one block per line.
std::string describe(const MdDoc& d) {
  std::string out;
  for (const MdBlock& b : d.blocks) {
    if (!out.empty()) out += "\n";
    if (b.kind == MdBlockKind::Paragraph) out += "P:";
    if (b.kind == MdBlockKind::Bullet) out += "L" + std::to_string(b.level) + ":";
    if (b.kind == MdBlockKind::Heading) out += "H" + std::to_string(b.level) + ":";
    for (const MdSpan& s : b.spans) {
      out += "{";
      if (s.style & kMdBold) out += "b";
      if (s.style & kMdItalic) out += "i";
      if (s.style & kMdCode) out += "c";
      if (s.style & kMdHeading) out += "h";
      if (s.link >= 0) out += "l" + std::to_string(s.link);
      out += "}" + s.text;
    }
  }
  return out;
}

// Fixed-width measure: 8 px per UTF-8 character (code adds nothing), lines 16 px.
MdMeasure fixed_measure() {
  MdMeasure m;
  m.width = [](std::string_view t, uint8_t) {
    float n = 0;
    for (unsigned char c : t)
      if ((c & 0xC0) != 0x80) n += 1;
    return n * 8.0f;
  };
  m.line_height = 16.0f;
  m.heading_line_height = 20.0f;
  m.bullet_indent = 16.0f;
  m.paragraph_gap = 6.0f;
  m.code_pad = 2.0f;
  return m;
}

}  // namespace

TEST_CASE("md_parse: inline styles, nesting, unclosed markers, escapes, links") {
  struct Row {
    const char* in;
    const char* out;
  };
  const Row rows[] = {
      {"plain text", "P:{}plain text"},
      {"**bold** and *it*", "P:{b}bold{} and {i}it"},
      {"***both***", "P:{bi}both"},
      {"**bold *nested* end**", "P:{b}bold {bi}nested{b} end"},
      {"**bold *nested***", "P:{b}bold {bi}nested"},
      {"*it **b***", "P:{i}it {bi}b"},
      {"*a **b** c*", "P:{i}a {bi}b{i} c"},
      {"**a** and **b**", "P:{b}a{} and {b}b"},
      {"a*b*c", "P:{}a{i}b{}c"},
      {"**unclosed bold", "P:{}**unclosed bold"},
      {"*unclosed **bold**", "P:{}*unclosed {b}bold"},
      {"** not bold**", "P:{}** not bold**"},
      {"2 * 3 * 4", "P:{}2 * 3 * 4"},
      {"`a*b*c` x", "P:{c}a*b*c{} x"},
      {"`unclosed code", "P:{}`unclosed code"},
      {"`` empty", "P:{}`` empty"},
      {"\\*not italic\\*", "P:{}*not italic*"},
      {"back\\slash and \\\\", "P:{}back\\slash and \\"},
      {"\\- not a bullet", "P:{}- not a bullet"},
      {"[**Raft** paper](https://raft.github.io) ok", "P:{bl0}Raft{l0} paper{} ok"},
      {"[`cmd`](u)", "P:{cl0}cmd"},
      {"see [a](x) and [b](y)", "P:{}see {l0}a{} and {l1}b"},
      {"[not a link] (x)", "P:{}[not a link] (x)"},
      {"[unclosed](x", "P:{}[unclosed](x"},
      {"[a [nested] b](u)", "P:{l0}a [nested] b"},
      {"*it with `co*de`*", "P:{i}it with {ic}co*de"},
      {"tab\there", "P:{}tab here"},
  };
  for (const Row& r : rows) {
    CAPTURE(r.in);
    CHECK(describe(md_parse(r.in)) == r.out);
  }
  const MdDoc d = md_parse("[**Raft** paper](https://raft.github.io) and [b]( y )");
  REQUIRE(d.links.size() == 2);
  CHECK(d.links[0] == "https://raft.github.io");
  CHECK(d.links[1] == "y");
}

TEST_CASE("md_parse: paragraphs, bullets, headings") {
  struct Row {
    const char* in;
    const char* out;
  };
  const Row rows[] = {
      {"a\nb\n\nc", "P:{}a b\nP:{}c"},
      {"a\r\nb\r\n\r\nc\r\n", "P:{}a b\nP:{}c"},
      {"- one\n- two *x*\n  - nested\n* star\n+ plus", "L0:{}one\nL0:{}two {i}x\nL1:{}nested\nL0:{}star\nL0:{}plus"},
      {"- item\n  continued\n\nafter", "L0:{}item continued\nP:{}after"},
      {"intro\n- a\n- b", "P:{}intro\nL0:{}a\nL0:{}b"},
      {"# Title\ntext", "H1:{bh}Title\nP:{}text"},
      {"### Small *x*", "H3:{bh}Small {bih}x"},
      {"#not a heading", "P:{}#not a heading"},
      {"*italic line*", "P:{i}italic line"},
      {"**bold line**\n- x", "P:{b}bold line\nL0:{}x"},
      {"", ""},
      {"\n\n   \n", ""},
      {"---", "P:{}---"},
  };
  for (const Row& r : rows) {
    CAPTURE(r.in);
    CHECK(describe(md_parse(r.in)) == r.out);
  }
}

TEST_CASE("md_layout: lines stay within the width, words wrap, long words break") {
  const MdMeasure m = fixed_measure();
  SUBCASE("simple wrap") {
    const MdLayout L = md_layout(md_parse("aaa bbb ccc ddd"), 60.0f, m);
    REQUIRE(L.items.size() == 2);
    CHECK(L.items[0].text == "aaa bbb");
    CHECK(L.items[1].text == "ccc ddd");
    CHECK(L.items[1].pos.y == doctest::Approx(16.0f));
    CHECK(L.height == doctest::Approx(32.0f));
  }
  SUBCASE("every line fits for many widths, no text is lost") {
    const char* text =
        "The **leader** sends *AppendEntries* to every `follower` and waits for a [majority](https://raft.github.io). "
        "A follower that hears nothing for an election timeout becomes a candidate.\n\n"
        "- crash the leader\n- watch the *term* go up\n  - a nested point with a veryveryverylongwordthatcannotfit";
    const MdDoc doc = md_parse(text);
    size_t chars = 0;
    for (const MdBlock& b : doc.blocks)
      for (const MdSpan& s : b.spans)
        for (char c : s.text) chars += c != ' ';
    for (float w = 40.0f; w <= 700.0f; w += 13.0f) {
      CAPTURE(w);
      const MdLayout L = md_layout(doc, w, m);
      size_t laid = 0;
      for (const MdItem& it : L.items) {
        CHECK(it.pos.x >= 0.0f);
        CHECK(it.pos.x + it.width <= w + 0.01f);
        for (char c : it.text) laid += c != ' ';
      }
      CHECK(laid == chars);
      // Items on one line do not overlap and come left to right.
      for (size_t i = 1; i < L.items.size(); ++i)
        if (L.items[i].pos.y == L.items[i - 1].pos.y)
          CHECK(L.items[i].pos.x >= L.items[i - 1].pos.x + L.items[i - 1].width - 0.01f);
    }
  }
  SUBCASE("a word glued across styles stays on one line") {
    const MdLayout L = md_layout(md_parse("xxxx **bold**, end"), 64.0f, m);
    // "xxxx" fits (32 px), "bold," (40 px) does not fit after it: both parts move together.
    REQUIRE(L.items.size() >= 3);
    CHECK(L.items[1].text == "bold");
    CHECK(L.items[2].text.rfind(",", 0) == 0);
    CHECK(L.items[1].pos.y == L.items[2].pos.y);
    CHECK(L.items[1].pos.y > L.items[0].pos.y);
  }
  SUBCASE("long word is broken between UTF-8 characters") {
    const MdLayout L = md_layout(md_parse("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"), 24.0f, m);  // 6 x e-acute
    REQUIRE(L.items.size() == 2);
    CHECK(L.items[0].text == "\xC3\xA9\xC3\xA9\xC3\xA9");
    CHECK(L.items[1].text == "\xC3\xA9\xC3\xA9\xC3\xA9");
  }
  SUBCASE("bullets are indented by level") {
    const MdLayout L = md_layout(md_parse("- a\n  - b"), 200.0f, m);
    REQUIRE(L.bullets.size() == 2);
    REQUIRE(L.items.size() == 2);
    CHECK(L.items[0].pos.x == doctest::Approx(16.0f));
    CHECK(L.items[1].pos.x == doctest::Approx(32.0f));
    CHECK(L.bullets[0].center.x < L.items[0].pos.x);
    CHECK(L.bullets[1].center.x < L.items[1].pos.x);
    CHECK(L.bullets[1].center.x > L.bullets[0].center.x);
  }
  SUBCASE("code runs are padded") {
    const MdLayout L = md_layout(md_parse("a `b c` d"), 200.0f, m);
    REQUIRE(L.items.size() == 3);
    CHECK(L.items[1].text == "b c");
    CHECK(L.items[1].width == doctest::Approx(3 * 8.0f + 4.0f));
    CHECK(L.items[2].pos.x == doctest::Approx(L.items[1].pos.x + L.items[1].width));
  }
}

TEST_CASE("md_hit_link finds the link under a point, including a wrapped link") {
  const MdMeasure m = fixed_measure();
  const MdDoc doc = md_parse("go to [the raft site](https://raft.github.io) now");
  const MdLayout L = md_layout(doc, 96.0f, m);  // 12 chars a line: the link wraps
  int link_items = 0;
  for (const MdItem& it : L.items) {
    const ImVec2 c(it.pos.x + it.width * 0.5f, it.pos.y + it.height * 0.5f);
    if (it.link >= 0) {
      ++link_items;
      CHECK(md_hit_link(L, c) == 0);
    } else {
      CHECK(md_hit_link(L, c) == -1);
    }
  }
  CHECK(link_items >= 2);
  CHECK(md_hit_link(L, ImVec2(-5.0f, 2.0f)) == -1);
  CHECK(md_hit_link(L, ImVec2(10.0f, 500.0f)) == -1);
}

TEST_CASE("markdown widget: draws inside its rectangle, styles emit draw commands, links click") {
  topo::ui::test::Harness h;
  const std::string text =
      "# Raft\nThe **leader** replicates *entries*; run `crash n1` and read the [paper](https://raft.github.io).\n\n"
      "- first\n  - second with ***both***";
  MarkdownOptions mo;
  mo.wrap_width = 300.0f;
  ImVec2 rmin, rmax, link_center(-1, -1);
  bool clicked = false;
  std::string url;
  int verts = 0;
  auto body = [&] {
    ImGui::SetCursorScreenPos(ImVec2(40, 60));
    const MdLayout L = md_layout(md_parse(text), mo.wrap_width, md_imgui_measure(mo));
    for (const MdItem& it : L.items)
      if (it.link >= 0) link_center = ImVec2(40 + it.pos.x + it.width * 0.5f, 60 + it.pos.y + it.height * 0.5f);
    const topo::ui::test::VertexSpan span = topo::ui::test::capture([&] {
      if (markdown("##md", text, mo, &url)) clicked = true;
    });
    rmin = ImGui::GetItemRectMin();
    rmax = ImGui::GetItemRectMax();
    verts = span.end - span.begin;
    CHECK(topo::ui::test::vertices_outside(span, rmin, rmax) == 0);
    CHECK(rmax.y - rmin.y == doctest::Approx(L.height));
  };
  h.frame(body);
  CHECK(verts > 200);
  CHECK(rmax.x - rmin.x == doctest::Approx(300.0f));
  REQUIRE(link_center.x > 0);
  // Press and release on the link.
  h.frame(body, link_center, false);
  h.frame(body, link_center, true);
  h.frame(body, link_center, false);
  h.frame(body, link_center, false);
  CHECK(clicked);
  CHECK(url == "https://raft.github.io");

  SUBCASE("press outside the link then release on it does not click") {
    clicked = false;
    const ImVec2 off(rmin.x + 2.0f, rmin.y + 2.0f);
    h.frame(body, off, false);
    h.frame(body, off, true);
    h.frame(body, link_center, true);
    h.frame(body, link_center, false);
    h.frame(body, link_center, false);
    CHECK_FALSE(clicked);
  }
  SUBCASE("a narrow width wraps but stays inside") {
    mo.wrap_width = 90.0f;
    h.frame(body);
    CHECK(rmax.x - rmin.x == doctest::Approx(90.0f));
  }
}

TEST_CASE("md_parse never loses plain characters and survives random marker soup") {
  // Deterministic LCG: the same strings on every platform.
  uint32_t state = 12345u;
  auto next = [&state] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  const char alphabet[] = "**``[]()\\- \n#_xy+";
  const size_t alpha_n = sizeof(alphabet) - 1;
  const MdMeasure m = fixed_measure();
  for (int iter = 0; iter < 3000; ++iter) {
    std::string s;
    const size_t len = next() % 40;
    for (size_t i = 0; i < len; ++i) s += alphabet[next() % alpha_n];
    CAPTURE(s);
    const MdDoc d = md_parse(s);
    // Letters are never markup: every 'x' and 'y' of the input comes out exactly once
    // (link targets hold the ones inside "(...)").
    size_t in_letters = 0, out_letters = 0;
    for (char c : s) in_letters += (c == 'x' || c == 'y');
    for (const MdBlock& b : d.blocks)
      for (const MdSpan& sp : b.spans)
        for (char c : sp.text) out_letters += (c == 'x' || c == 'y');
    for (const std::string& l : d.links)
      for (char c : l) out_letters += (c == 'x' || c == 'y');
    if (s.find('[') == std::string::npos) CHECK(out_letters == in_letters);
    for (const MdBlock& b : d.blocks)
      for (const MdSpan& sp : b.spans) CHECK((sp.link < 0 || sp.link < static_cast<int>(d.links.size())));
    const MdLayout L = md_layout(d, 50.0f, m);
    for (const MdItem& it : L.items) CHECK(it.pos.x + it.width <= 50.0f + 0.01f);
  }
}

TEST_CASE("markdown rendering: each style changes the draw commands") {
  topo::ui::test::Harness h;
  struct Drawn {
    int verts = 0;
    float top_dx = 0;  // mean x of a glyph quad's top edge minus its bottom edge
  };
  auto draw = [&](const char* text) {
    Drawn out;
    h.frame([&] {
      ImGui::SetCursorScreenPos(ImVec2(10, 10));
      MarkdownOptions mo;
      mo.wrap_width = 400.0f;
      const topo::ui::test::VertexSpan s = topo::ui::test::capture([&] { markdown("##m", text, mo); });
      out.verts = s.end - s.begin;
      ImDrawList* dl = ImGui::GetWindowDrawList();
      if (out.verts >= 4) {
        // Glyph quads are 4 vertices: top-left, top-right, bottom-right, bottom-left.
        const ImDrawVert* v = &dl->VtxBuffer[s.begin];
        out.top_dx = v[0].pos.x - v[3].pos.x;
      }
    });
    return out;
  };
  const Drawn plain = draw("abc");
  const Drawn bold = draw("**abc**");
  const Drawn italic = draw("*abc*");
  const Drawn code = draw("`abc`");
  const Drawn link = draw("[abc](u)");
  CHECK(plain.verts == 12);            // 3 glyphs x 4 vertices
  CHECK(bold.verts == 2 * plain.verts);  // faux bold: drawn twice
  CHECK(plain.top_dx == doctest::Approx(0.0f));
  CHECK(italic.top_dx > 0.5f);         // slanted: the top edge is further right
  CHECK(code.verts > plain.verts);     // background rectangle
  CHECK(link.verts > plain.verts);     // underline
}
