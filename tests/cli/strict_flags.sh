#!/usr/bin/env bash
# topolab-cli's strict flags, from the shell: for every subcommand that `topolab-cli --help`
# lists, `--help` prints its usage (exit 0, nothing runs or is written) and an unknown flag is an
# error naming it (exit 2); every flag that takes a value, given none, is an error naming it
# (exit 2); a value given to a switch is one too; the issue's example (`--sed`) says
# did-you-mean. Nothing runs a simulation (a few hundred quick exits: seconds).
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
nv=0
ns=0
nset=0
for s in $subs; do
  expect 0 "usage: topolab-cli $s" "$s" --help
  expect 0 "usage: topolab-cli $s" "$s" -h
  expect 2 "unknown flag --no-such-flag" "$s" --no-such-flag
  expect 2 "topolab-cli $s: unknown flag --no-such-flag" "$s" --no-such-flag=1
  # Every flag that takes a value: missing at the end, empty after '=', or followed by a flag.
  vflags=$(run_cli "$s" --help | sed -nE 's/^  --([a-z][a-z-]*) [A-Z][^ ]*   .*/\1/p')
  for f in $vflags; do
    expect 2 "missing value for --$f" "$s" --"$f"
    expect 2 "missing value for --$f" "$s" --"$f"=
    expect 2 "missing value for --$f" "$s" --"$f" --help-me
    nv=$((nv + 1))
  done
  # --set, wherever it is taken, wants KEY=VALUE (one parser for every subcommand).
  # (With the subcommand's other required flags, so that --set is what is wrong.)
  fl=" $(echo $vflags) "
  case "$fl" in *" set "*)
    nset=$((nset + 1))
    req=()
    case "$fl" in *" scenario "*) req+=(--scenario raft-5) ;; esac
    case "$fl" in *" until-ms "*) req+=(--until-ms 1) ;; esac
    case "$fl" in *" log "*) req+=(--log /dev/null) ;; esac
    case "$fl" in *" list-actions "*) req+=(--list-actions raft-5) ;; esac
    expect 2 "topolab-cli $s: --set expects KEY=VALUE, got \"novalue\"" "$s" "${req[@]}" --set novalue
    expect 2 "topolab-cli $s: --set expects KEY=VALUE, got \"=1\"" "$s" "${req[@]}" --set =1 ;;
  esac
  # Every switch: a value given to it is an error naming it.
  sflags=$(run_cli "$s" --help | sed -nE 's/^  --([a-z][a-z-]*)   .*/\1/p')
  for f in $sflags; do
    expect 2 "flag --$f takes no value" "$s" --"$f"=1
    ns=$((ns + 1))
  done
  n=$((n + 1))
done
[ "$nv" -gt 10 ] || bad "only $nv flags with a value found in the subcommands' usage"
[ "$ns" -gt 3 ] || bad "only $ns switches found in the subcommands' usage"
[ "$nset" -ge 6 ] || bad "only $nset subcommands with --set found in the subcommands' usage"
# --help prints the usage and runs nothing, whatever else the command line says.
expect 0 "usage: topolab-cli hash" hash --scenario raft-5 --until-ms 100000000000 --help
expect 0 "usage: topolab-cli run" run --scenario raft-5 --until-ms 100000000000 --help
expect 0 "usage: topolab-cli record" record --scenario raft-5 --log "$tmp/none.log" --out "$tmp/out.toml" --help
[ ! -e "$tmp/out.toml" ] || bad "record --help wrote its --out file"
expect 0 "usage: topolab-cli trace" trace --scenario raft-5 --until-ms 10 --out "$tmp/trace.jsonl" --help
[ ! -e "$tmp/trace.jsonl" ] || bad "trace --help wrote its --out file"
expect 0 "usage: topolab-cli chaos" chaos --seeds 100000 --out "$tmp/chaos-out" --help
[ ! -e "$tmp/chaos-out" ] || bad "chaos --help made its --out directory"
expect 2 "topolab-cli hash: unknown flag --sed (did you mean --seed?)" hash --scenario raft-5 --sed 3 --until-ms 1000
expect 2 "missing value for --until-ms" hash --scenario raft-5 --until-ms
expect 2 "missing value for --seed" run --scenario raft-5 --seed --until-ms 10
# A number flag takes a whole number, not a prefix of one (std::stoll read "0x10" as 0).
expect 2 "--seed must be" check --list-actions raft-5 --seed 0x10
expect 2 "--seed must be" check --list-values raft-5 --seed abc
expect 2 "--seed must be" hash --scenario raft-5 --seed 1e3 --until-ms 10
expect 2 "--seed must be" run --scenario raft-5 --seed 7x --until-ms 10
if [ "$fails" -ne 0 ]; then
  printf 'strict_flags: %d failure(s)\n' "$fails" >&2
  exit 1
fi
printf 'strict_flags: %d subcommands ok (%d flags with a value, %d switches)\n' "$n" "$nv" "$ns"
