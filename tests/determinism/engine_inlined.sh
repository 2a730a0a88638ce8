#!/usr/bin/env bash
# Checks that the WebAssembly build compiled the engine with inlining.
#
# emcc 3.1.6 adds -fno-inline-functions to every compile that has -Oz on its command line, and a
# later -O3 does not take it back. The core is built -Oz for the page's size and the engine's
# files add -O3 -finline-functions (CMakeLists.txt); without the last flag every std::vector
# index, Rng draw and hash step in the event loop is a call, and the engine ran at a third of
# native speed under Node (docs/performance.md). Nothing else would notice: the traces are the
# same, only slower.
#
# usage: tests/determinism/engine_inlined.sh WEB_BUILD_DIR
#   1. compiles a probe the broken way (-Oz -O3) and the fixed way, and checks that the test below
#      tells them apart (so the check itself is known to work with this emcc);
#   2. checks the engine's objects in WEB_BUILD_DIR: none may define a container's operator[]
#      out of line (the mark of a compile without inlining).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:?usage: engine_inlined.sh WEB_BUILD_DIR}
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}

nm=$(command -v llvm-nm || true)
[ -n "$nm" ] || nm=/usr/lib/llvm-14/bin/llvm-nm   # Debian's llvm-14 (an emscripten dependency)
[ -x "$nm" ] || { echo "engine_inlined: llvm-nm not found (Debian package llvm-14)"; exit 1; }

# Out-of-line operator[] definitions of std::vector, std::string, unique_ptr<T[]>, ... in OBJ.
out_of_line() { "$nm" --defined-only "$1" | c++filt | grep -c '::operator\[\](unsigned long)' || true; }

passed=0
failed=0
check() {  # check NAME OK(0/1) MESSAGE
  if [ "$2" = 1 ]; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1: $3"; fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/probe.cpp" <<'EOF'
#include <vector>
int sum(const std::vector<int>& v) { int s = 0; for (size_t i = 0; i < v.size(); ++i) s += v[i]; return s; }
EOF
em++ -Oz -O3 -c "$tmp/probe.cpp" -o "$tmp/bad.o"
em++ -Oz -O3 -finline-functions -c "$tmp/probe.cpp" -o "$tmp/good.o"
bad=$(out_of_line "$tmp/bad.o")
good=$(out_of_line "$tmp/good.o")
check "the check sees a compile without inlining (-Oz -O3: $bad out-of-line operator[])" \
  "$([ "$bad" -gt 0 ] && echo 1 || echo 0)" "this emcc inlines even after -Oz: the check below proves nothing"
check "the check passes a compile with inlining (-Oz -O3 -finline-functions: $good)" \
  "$([ "$good" = 0 ] && echo 1 || echo 0)" "-finline-functions no longer restores inlining"

# The engine's files: the same globs as TOPOLAB_HOT_SOURCES in CMakeLists.txt.
objdir="$build/CMakeFiles/topolab_core.dir/core"
objs=()
for src in "$root"/core/sim/*.cpp "$root"/core/models/basic/*.cpp; do
  case "$src" in */core/sim/builtin_commands.cpp|*/core/sim/commands.cpp|*/core/sim/command.cpp) continue ;; esac
  objs+=("$objdir/${src#$root/core/}.o")
done
for obj in "${objs[@]}"; do
  name=${obj#$objdir/}
  if [ ! -f "$obj" ]; then
    check "${name%.o}" 0 "no object $obj (build the web preset first)"
    continue
  fi
  n=$(out_of_line "$obj")
  check "${name%.o} is compiled with inlining ($n out-of-line operator[])" "$([ "$n" = 0 ] && echo 1 || echo 0)" \
    "its compile lost inlining: see the comment on TOPOLAB_HOT_SOURCES in CMakeLists.txt"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
