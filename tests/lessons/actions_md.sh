#!/usr/bin/env bash
# Prints lessons/FORMAT.md's generated reference, from "## Every action" to the end of the file
# (every action, every scenario parameter, every value key of every scenario), from the
# declarations in the code via `topolab-cli check --reference` (core/lesson/reference_md.cpp):
# tests/lessons/run.sh compares the committed FORMAT.md with it. To refresh the document after
# changing a declaration: tests/lessons/actions_md.sh CLI > /tmp/a.md and replace the section
# with it (or: sed -i '/^## Every action/,$d' lessons/FORMAT.md && tests/lessons/actions_md.sh CLI >> lessons/FORMAT.md).
# Usage: tests/lessons/actions_md.sh [CLI]   (CLI defaults to build/release/topolab-cli)
set -euo pipefail
CLI="${1:-build/release/topolab-cli}"
if [[ "$CLI" == *.js ]]; then run_cli() { node --no-experimental-fetch "$CLI" "$@"; }; else run_cli() { "$CLI" "$@"; }; fi
run_cli check --reference
