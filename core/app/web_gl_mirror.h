// The web build's answers to OpenGL state queries without a round trip to the GPU process.
//
// In a browser every glGet* that the WebGL implementation does not cache is a synchronous call:
// the page's main thread stops until the GPU process has run every command queued before it.
// imgui_impl_opengl3 backs up and restores the GL state around each frame it draws (blend
// functions and equations, viewport, scissor box: eight such calls a frame) and checks each
// shader's compile and link status as soon as it submits them. In Chromium with software
// rendering those waits were 200-1,000 ms of the page's start-up (tests/e2e/startup_trace.mjs,
// docs/performance.md "Issue 21"), and every frame waited for the previous one to be drawn.
//
// This header is force-included into imgui_impl_opengl3.cpp and included by main.cpp on the web
// only (CMakeLists.txt). It renames the few state setters those two files call, so that the
// state they set is mirrored here, and the queries for that state, which are answered from the
// mirror. The lab is the only user of its WebGL context and every GL call it makes is in those
// two files, so the mirror is exact. Shader compile and link status are answered "compiled";
// check_deferred_gl_status() asks the GPU for the real link status once the first frame is
// drawn (nothing waits then) and reports a failure on the console.
#pragma once

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>

#ifdef __cplusplus
extern "C" {
#endif
void topolab_glViewport(GLint x, GLint y, GLsizei width, GLsizei height);
void topolab_glScissor(GLint x, GLint y, GLsizei width, GLsizei height);
void topolab_glBlendEquation(GLenum mode);
void topolab_glBlendEquationSeparate(GLenum mode_rgb, GLenum mode_alpha);
void topolab_glBlendFunc(GLenum src, GLenum dst);
void topolab_glBlendFuncSeparate(GLenum src_rgb, GLenum dst_rgb, GLenum src_alpha, GLenum dst_alpha);
void topolab_glGetIntegerv(GLenum pname, GLint* data);
void topolab_glGetShaderiv(GLuint shader, GLenum pname, GLint* params);
void topolab_glGetProgramiv(GLuint program, GLenum pname, GLint* params);
#ifdef __cplusplus
}
#endif

#ifndef TOPOLAB_GL_MIRROR_IMPL
#define glViewport topolab_glViewport
#define glScissor topolab_glScissor
#define glBlendEquation topolab_glBlendEquation
#define glBlendEquationSeparate topolab_glBlendEquationSeparate
#define glBlendFunc topolab_glBlendFunc
#define glBlendFuncSeparate topolab_glBlendFuncSeparate
#define glGetIntegerv topolab_glGetIntegerv
#define glGetShaderiv topolab_glGetShaderiv
#define glGetProgramiv topolab_glGetProgramiv
#endif

namespace topo::app::web {
/// Asks the GPU for the real link status of the programs whose status was answered "linked"
/// (call once the first frame is drawn); prints the log of one that failed. True if all linked.
bool check_deferred_gl_status();
}  // namespace topo::app::web
#endif
