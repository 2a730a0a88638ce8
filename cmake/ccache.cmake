# Compiler cache: when ccache is installed (scripts/setup installs it), every compile goes through
# it, so a fresh clone on a machine that has built Topolab before (scripts/test sets
# CCACHE_BASEDIR to the checkout, making cache entries independent of where it lives) rebuilds in
# a fraction of the time. Works for GCC, clang and emscripten's em++ alike.
# Off with -DTOPOLAB_CCACHE=OFF.
option(TOPOLAB_CCACHE "Compile through ccache when it is installed" ON)
if(TOPOLAB_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  find_program(TOPOLAB_CCACHE_PROGRAM ccache)
  if(TOPOLAB_CCACHE_PROGRAM)
    set(CMAKE_C_COMPILER_LAUNCHER "${TOPOLAB_CCACHE_PROGRAM}")
    set(CMAKE_CXX_COMPILER_LAUNCHER "${TOPOLAB_CCACHE_PROGRAM}")
  endif()
endif()
