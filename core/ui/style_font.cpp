// setup_style() with the font embedded at build time (font_data.cpp, from
// assets/fonts/ui-font.txt): its own file, so that a program calling only setup_style_with_font()
// (the web page's module, which downloads the font instead) does not link the font's bytes.
#include "ui/style.h"

extern const unsigned char topolab_font_ttf[];
extern const unsigned int topolab_font_ttf_size;

namespace topo::ui {

void setup_style(float dpi_scale, Theme theme) {
  setup_style_with_font(dpi_scale, theme, topolab_font_ttf, static_cast<int>(topolab_font_ttf_size));
}

}  // namespace topo::ui
