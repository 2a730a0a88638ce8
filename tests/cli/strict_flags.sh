#!/usr/bin/env bash
# topolab-cli's strict flags, from the shell: for every subcommand that `topolab-cli --help`
# lists, `--help` prints its usage (exit 0) and an unknown flag is an error naming it (exit 2);
# the issue's example (`--sed`) says did-you-mean; a missing value is exit 2. Nothing runs a
# simulation, so this takes well under a second.
# Usage: tests/cli/strict_flags.sh [CLI]   (default build/release/topolab-cli; a .js CLI runs
# under Node)
set -uo pipefail
CLI="${1:-build/release/topolab-cli}"
if [[ "$CLI" == *.js ]]; then
  run_cli() { node --no-experimental-fetch "$CLI" "$@"; }
else
  run_cli() { "$CLI" "$@"; }
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fails=0
bad() { printf 'strict_flags: FAIL: %s\n' "$*" >&2; fails=$((fails + 1)); }

# expect RC PATTERN(stdout+stderr) ARGS...
expect() {
  local rc="$1" pattern="$2"
  shift 2
  run_cli "$@" > "$tmp/out" 2>&1
  local got=$?
  [ "$got" -eq "$rc" ] || bad "topolab-cli $* exited $got, expected $rc"
  grep -qF -- "$pattern" "$tmp/out" || bad "topolab-cli $*: no \"$pattern\" in: $(head -c 300 "$tmp/out")"
}

subs=$(run_cli --help | sed -nE 's/^  ([a-z][a-z-]+)   .*/\1/p')
[ -n "$subs" ] || bad "topolab-cli --help lists no subcommands"
n=0
for s in $subs; do
  expect 0 "usage: topolab-cli $s" "$s" --help
  expect 0 "usage: topolab-cli $s" "$s" -h
  expect 2 "unknown flag --no-such-flag" "$s" --no-such-flag
  n=$((n + 1))
done
expect 2 "topolab-cli hash: unknown flag --sed (did you mean --seed?)" hash --scenario raft-5 --sed 3 --until-ms 1000
expect 2 "missing value for --until-ms" hash --scenario raft-5 --until-ms
expect 2 "missing value for --seed" run --scenario raft-5 --seed --until-ms 10
if [ "$fails" -ne 0 ]; then
  printf 'strict_flags: %d failure(s)\n' "$fails" >&2
  exit 1
fi
printf 'strict_flags: %d subcommands ok\n' "$n"
