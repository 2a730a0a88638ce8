// Dear ImGui compile-time configuration for Topolab (both targets).
// 32-bit draw indices: a large animated topology passes 65,536 vertices in one frame, and WebGL
// draws with 16-bit indices unless told otherwise.
#pragma once
#define ImDrawIdx unsigned int
#define IMGUI_DISABLE_OBSOLETE_FUNCTIONS
