// Look and feel: see style.h.
#include "ui/style.h"

#include <cstdlib>
#include <filesystem>
#include <string>

extern const unsigned char topolab_font_ttf[];
extern const unsigned int topolab_font_ttf_size;

namespace topo::ui {

namespace {
Theme g_theme = Theme::Dark;
}

void apply_theme(Theme theme) {
  g_theme = theme;
  ImGuiStyle& st = ImGui::GetStyle();
  if (theme == Theme::Dark) ImGui::StyleColorsDark(&st);
  else ImGui::StyleColorsLight(&st);
  st.WindowRounding = 6.0f;
  st.FrameRounding = 4.0f;
  st.GrabRounding = 4.0f;
  st.WindowBorderSize = 1.0f;
}

void setup_style(float dpi_scale, Theme theme) {
  ImGuiIO& io = ImGui::GetIO();
  ImFontConfig cfg;
  cfg.FontDataOwnedByAtlas = false;  // the bytes are static, embedded at build time
  cfg.OversampleH = 2;
  // Latin, plus the punctuation, arrows and symbols lesson text uses (dashes, quotes, "->",
  // check marks, warning signs); DejaVu Sans has them all.
  static const ImWchar ranges[] = {
      // Keep in step with TOPOLAB_FONT_UNICODES in CMakeLists.txt (the embedded font subset).
      0x0020, 0x017F,  // Latin, Latin-1, Latin Extended-A
      0x0370, 0x03FF,  // Greek (rho, lambda, mu in queueing lessons)
      0x2000, 0x206F,  // General Punctuation: dashes, quotes, ellipsis
      0x2190, 0x21FF,  // Arrows
      0x2200, 0x22FF,  // Mathematical operators: <= >= != ...
      0x25A0, 0x25FF,  // Geometric shapes
      0x2600, 0x2626,  // Misc symbols (warning sign)
      0x2713, 0x2717,  // Check marks and crosses
      0,
  };
  io.Fonts->Clear();
  io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(topolab_font_ttf),
                                 static_cast<int>(topolab_font_ttf_size), 16.0f * dpi_scale, &cfg, ranges);
  io.FontGlobalScale = 1.0f / dpi_scale;  // drawn crisp on HiDPI, laid out in window points
  apply_theme(theme);
}

Theme current_theme() { return g_theme; }

std::array<float, 3> background_color() {
  if (g_theme == Theme::Dark) return {0.09f, 0.10f, 0.12f};
  return {0.93f, 0.94f, 0.95f};
}

const char* ini_path() {
#ifdef __EMSCRIPTEN__
  return "/persist/topolab.ini";
#else
  // ~/.config/topolab/layout.ini (XDG), never the current folder.
  static std::string path = [] {
    namespace fs = std::filesystem;
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    const char* home = std::getenv("HOME");
    fs::path dir = xdg && *xdg ? fs::path(xdg) : fs::path(home ? home : ".") / ".config";
    dir /= "topolab";
    std::error_code ec;
    fs::create_directories(dir, ec);
    return (dir / "layout.ini").string();
  }();
  return path.c_str();
#endif
}

ImU32 text_color() { return g_theme == Theme::Dark ? palette::rgb(230, 230, 230) : palette::rgb(25, 25, 25); }
ImU32 node_fill() { return g_theme == Theme::Dark ? palette::rgb(52, 58, 70) : palette::rgb(250, 250, 252); }

}  // namespace topo::ui
