// See web_gl_mirror.h. Compiled without the renaming macros: these call the real WebGL functions.
#define TOPOLAB_GL_MIRROR_IMPL
#include "app/web_gl_mirror.h"

#include <cstdio>
#include <vector>

namespace {

// WebGL's initial state (the viewport and scissor box start at the drawing buffer's size; the lab
// sets the viewport before anything reads it, and ImGui sets the scissor box while it draws).
struct Mirror {
  GLint viewport[4] = {0, 0, 0, 0};
  GLint scissor[4] = {0, 0, 0, 0};
  GLint blend_src_rgb = GL_ONE, blend_dst_rgb = GL_ZERO, blend_src_alpha = GL_ONE, blend_dst_alpha = GL_ZERO;
  GLint blend_eq_rgb = GL_FUNC_ADD, blend_eq_alpha = GL_FUNC_ADD;
  std::vector<GLuint> unchecked_programs;
};
Mirror& mirror() {
  static Mirror m;
  return m;
}

}  // namespace

extern "C" {

void topolab_glViewport(GLint x, GLint y, GLsizei width, GLsizei height) {
  Mirror& m = mirror();
  m.viewport[0] = x; m.viewport[1] = y; m.viewport[2] = width; m.viewport[3] = height;
  glViewport(x, y, width, height);
}

void topolab_glScissor(GLint x, GLint y, GLsizei width, GLsizei height) {
  Mirror& m = mirror();
  m.scissor[0] = x; m.scissor[1] = y; m.scissor[2] = width; m.scissor[3] = height;
  glScissor(x, y, width, height);
}

void topolab_glBlendEquation(GLenum mode) {
  mirror().blend_eq_rgb = mirror().blend_eq_alpha = static_cast<GLint>(mode);
  glBlendEquation(mode);
}

void topolab_glBlendEquationSeparate(GLenum mode_rgb, GLenum mode_alpha) {
  mirror().blend_eq_rgb = static_cast<GLint>(mode_rgb);
  mirror().blend_eq_alpha = static_cast<GLint>(mode_alpha);
  glBlendEquationSeparate(mode_rgb, mode_alpha);
}

void topolab_glBlendFunc(GLenum src, GLenum dst) {
  Mirror& m = mirror();
  m.blend_src_rgb = m.blend_src_alpha = static_cast<GLint>(src);
  m.blend_dst_rgb = m.blend_dst_alpha = static_cast<GLint>(dst);
  glBlendFunc(src, dst);
}

void topolab_glBlendFuncSeparate(GLenum src_rgb, GLenum dst_rgb, GLenum src_alpha, GLenum dst_alpha) {
  Mirror& m = mirror();
  m.blend_src_rgb = static_cast<GLint>(src_rgb);
  m.blend_dst_rgb = static_cast<GLint>(dst_rgb);
  m.blend_src_alpha = static_cast<GLint>(src_alpha);
  m.blend_dst_alpha = static_cast<GLint>(dst_alpha);
  glBlendFuncSeparate(src_rgb, dst_rgb, src_alpha, dst_alpha);
}

void topolab_glGetIntegerv(GLenum pname, GLint* data) {
  Mirror& m = mirror();
  auto four = [&](const GLint* v) { for (int i = 0; i < 4; ++i) data[i] = v[i]; };
  switch (pname) {
    case GL_VIEWPORT: four(m.viewport); return;
    case GL_SCISSOR_BOX: four(m.scissor); return;
    case GL_BLEND_SRC_RGB: *data = m.blend_src_rgb; return;
    case GL_BLEND_DST_RGB: *data = m.blend_dst_rgb; return;
    case GL_BLEND_SRC_ALPHA: *data = m.blend_src_alpha; return;
    case GL_BLEND_DST_ALPHA: *data = m.blend_dst_alpha; return;
    case GL_BLEND_EQUATION_RGB: *data = m.blend_eq_rgb; return;
    case GL_BLEND_EQUATION_ALPHA: *data = m.blend_eq_alpha; return;
    default: break;
  }
  glGetIntegerv(pname, data);   // bindings and limits: WebGL answers those from its own cache
}

void topolab_glGetShaderiv(GLuint shader, GLenum pname, GLint* params) {
  // A shader that fails to compile makes its program fail to link: the link status, asked for
  // after the first frame, covers both.
  if (pname == GL_COMPILE_STATUS) { *params = GL_TRUE; return; }
  if (pname == GL_INFO_LOG_LENGTH) { *params = 0; return; }
  glGetShaderiv(shader, pname, params);
}

void topolab_glGetProgramiv(GLuint program, GLenum pname, GLint* params) {
  if (pname == GL_LINK_STATUS) {
    mirror().unchecked_programs.push_back(program);
    *params = GL_TRUE;
    return;
  }
  if (pname == GL_INFO_LOG_LENGTH) { *params = 0; return; }
  glGetProgramiv(program, pname, params);
}

}  // extern "C"

namespace topo::app::web {

bool check_deferred_gl_status() {
  bool ok = true;
  for (GLuint program : mirror().unchecked_programs) {
    GLint linked = GL_FALSE;
    glGetProgramiv(program, GL_LINK_STATUS, &linked);
    if (linked == GL_TRUE) continue;
    ok = false;
    char log[1024] = {0};
    glGetProgramInfoLog(program, sizeof log, nullptr, log);
    std::fprintf(stderr, "topolab: the UI's WebGL shaders did not compile or link: %s\n", log);
  }
  mirror().unchecked_programs.clear();
  return ok;
}

}  // namespace topo::app::web
