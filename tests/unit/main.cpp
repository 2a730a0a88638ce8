// doctest entry point for the unit tests of the core (native under ASan/UBSan, and the same
// binary compiled to WebAssembly and run under Node).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
