// The core's Markdown subset (lesson/markdown.h): the problems the lesson checker reports (with
// their line and column), safe link targets, and to_html(): headings, paragraphs, nested lists,
// strong/em/code, links — and every bit of HTML or script in a lesson shown as text.
#include <doctest/doctest.h>

#include <string>

#include "lesson/lesson.h"
#include "lesson/markdown.h"

using namespace topo::lesson;

TEST_CASE("to_html: blocks and inline styles") {
  struct Row {
    const char* in;
    const char* out;
  };
  const Row rows[] = {
      {"", ""},
      {"plain text", "<p>plain text</p>"},
      {"one\ntwo\n\nthree", "<p>one two</p><p>three</p>"},
      {"**bold** and *it* and ***both*** and `x < y`",
       "<p><strong>bold</strong> and <em>it</em> and <strong><em>both</em></strong> and <code>x &lt; y</code></p>"},
      {"# Title\n## Sub\n### Small", "<h1>Title</h1><h2>Sub</h2><h3>Small</h3>"},
      {"# **Bold** title", "<h1>Bold title</h1>"},
      {"- a\n- b", "<ul><li>a</li><li>b</li></ul>"},
      {"- a\n  - b\n  - c\n- d", "<ul><li>a<ul><li>b</li><li>c</li></ul></li><li>d</li></ul>"},
      {"- a\n    - deep\ntext", "<ul><li>a<ul><li><ul><li>deep text</li></ul></li></ul></li></ul>"},
      {"- a\n\npara", "<ul><li>a</li></ul><p>para</p>"},
      {"see [the **Raft** paper](https://raft.github.io/raft.pdf)",
       "<p>see <a href=\"https://raft.github.io/raft.pdf\" rel=\"noopener noreferrer\" target=\"_blank\">the "
       "<strong>Raft</strong> paper</a></p>"},
      {"[next](lessons/02.toml?x=1&y=2)",
       "<p><a href=\"lessons/02.toml?x=1&amp;y=2\" rel=\"noopener noreferrer\" target=\"_blank\">next</a></p>"},
      {"unclosed **bold and `tick", "<p>unclosed **bold and `tick</p>"},
      {"a \\*star\\* and 2 * 3", "<p>a *star* and 2 * 3</p>"},
  };
  for (const Row& r : rows) {
    CAPTURE(r.in);
    CHECK(to_html(r.in) == r.out);
  }
  HtmlOptions o;
  o.heading_base = 3;
  CHECK(to_html("# a\n## b\n### c", o) == "<h3>a</h3><h4>b</h4><h5>c</h5>");
  o.heading_base = 5;
  CHECK(to_html("### c", o) == "<h6>c</h6>");
}

TEST_CASE("to_html: HTML and script in a lesson are text, never markup") {
  struct Row {
    const char* in;
    const char* out;
  };
  const Row rows[] = {
      {"<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"},
      {"<img src=x onerror=\"alert(1)\">", "<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>"},
      {"**<b>bold</b>** & `<code>` 'q'",
       "<p><strong>&lt;b&gt;bold&lt;/b&gt;</strong> &amp; <code>&lt;code&gt;</code> &#39;q&#39;</p>"},
      {"# <h1>x</h1>", "<h1>&lt;h1&gt;x&lt;/h1&gt;</h1>"},
      {"- <li>", "<ul><li>&lt;li&gt;</li></ul>"},
      // Unsafe link targets: the text stays, the link goes.
      {"[click](javascript:alert(1))", "<p>click)</p>"},
      {"[click](javascript:alert%281%29)", "<p>click</p>"},
      {"[x](JaVaScRiPt:alert)", "<p>x</p>"},
      {"[x](data:text/html;base64,PHNjcmlwdD4=)", "<p>x</p>"},
      {"[x](vbscript:msgbox)", "<p>x</p>"},
      {"[x](//evil.example/a)", "<p>x</p>"},
      {"[x](/\\evil.example)", "<p>x</p>"},
      {"[x](java\tscript:alert)", "<p>x</p>"},
      // A quote cannot leave the attribute.
      {"[x](https://a.example/\"onmouseover=\"alert(1))",
       "<p><a href=\"https://a.example/&quot;onmouseover=&quot;alert(1\" rel=\"noopener noreferrer\" "
       "target=\"_blank\">x</a>)</p>"},
      {"[<script>](https://a.example)",
       "<p><a href=\"https://a.example\" rel=\"noopener noreferrer\" target=\"_blank\">&lt;script&gt;</a></p>"},
  };
  for (const Row& r : rows) {
    CAPTURE(r.in);
    const std::string h = to_html(r.in);
    CHECK(h == r.out);
    // Whatever the input, the only tags are the renderer's own.
    for (size_t i = h.find('<'); i != std::string::npos; i = h.find('<', i + 1)) {
      const std::string tag = h.substr(i, h.find_first_of(" >", i) - i);
      const bool ours = tag == "<p" || tag == "</p" || tag == "<a" || tag == "</a" || tag == "<strong" ||
                        tag == "</strong" || tag == "<em" || tag == "</em" || tag == "<code" || tag == "</code" ||
                        tag == "<ul" || tag == "</ul" || tag == "<li" || tag == "</li" || tag.rfind("<h", 0) == 0 ||
                        tag.rfind("</h", 0) == 0;
      CHECK_MESSAGE(ours, tag);
    }
  }
}

TEST_CASE("md_safe_href") {
  for (const char* ok : {"https://raft.github.io", "HTTP://x.example/a?b#c", "lessons/02.toml", "../a.html",
                         "/docs/x", "#step-2", "?lesson=01", "a/b:c"})
    CHECK_MESSAGE(md_safe_href(ok), ok);
  for (const char* bad : {"", "javascript:alert(1)", " javascript:x", "mailto:a@b", "data:text/html,x", "//evil.example",
                          "/\\evil", "https://", "http://a b", "file:///etc/passwd", "ftp://x", "\x01https://x"})
    CHECK_MESSAGE(!md_safe_href(bad), bad);
}

TEST_CASE("md_parse problems: what the lesson checker reports, at its line and column") {
  struct Row {
    const char* in;
    int line, col;
    const char* message;
  };
  const Row rows[] = {
      {"This is **important.", 0, 8, "unmatched ** in text: bold needs a closing **"},
      {"one\ntwo *three", 1, 4, "unmatched * in text: italics need a closing *"},
      {"- item `code", 0, 7, "unmatched ` in text: code spans need a closing `"},
      {"  see [x](https://a", 0, 6, "link is missing its closing \")\": write [text](https://...)"},
      {"[x](javascript:alert)", 0, 4, "link target \"javascript:alert\" is not a web address: write https://... or a relative path"},
  };
  for (const Row& r : rows) {
    CAPTURE(r.in);
    const MdDoc d = md_parse(r.in);
    REQUIRE(d.problems.size() == 1);
    CHECK(d.problems[0].line == r.line);
    CHECK(d.problems[0].col == r.col);
    CHECK(d.problems[0].message == r.message);
  }
  // Balanced markers, escapes, lone stars and bold across lines are fine.
  for (const char* fine : {"**a** *b* `c` [d](https://e)", "2 * 3 = 6", "\\*not italic", "**bold\nacross lines**",
                           "- bullet\n* another"})
    CHECK_MESSAGE(md_parse(fine).problems.empty(), fine);

  // check_markdown places them in the lesson file: the first line at the text's own position.
  Diagnostics diags;
  check_markdown("ok\nthen **open", Pos{14, 9}, diags);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].pos.line == 15);
  CHECK(diags[0].pos.col == 6);
  diags.clear();
  check_markdown("This is **important.", Pos{14, 9}, diags);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].pos.col == 17);
}
