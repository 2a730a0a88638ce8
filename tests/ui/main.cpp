// doctest entry point for the headless UI tests: Dear ImGui runs with no platform or renderer
// backend (a fixed display size and a built font atlas), so widgets can be driven and their draw
// data inspected without a window or GPU.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
