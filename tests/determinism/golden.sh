#!/usr/bin/env bash
# Engine regression guard: the trace hashes of the determinism cases must stay byte-identical to a
# recorded golden file (tests/determinism/golden.txt), so an engine optimisation cannot silently
# change what a scenario does (lessons are tuned to the current seeds). Each golden line is
# `scenario seed until_ms [K=V ...] => HASH` (the case line of cases.txt, then the hash that
# `topolab-cli hash` printed when the golden file was recorded).
#
# usage: tests/determinism/golden.sh CLI                 check every golden line (exit 1 on a diff)
#        tests/determinism/golden.sh --update CLI [CASES] (re)record golden.txt from cases.txt
#        tests/determinism/golden.sh --lessons CLI OUT    write `run LESSON --autoplay` output of
#                                                         every lessons/*.toml into folder OUT
# CLI is a native topolab-cli (a Release build runs all cases in a few seconds) or topolab-cli.js
# (run under Node). GOLDEN_ONLY="ping mm1 mmc gossip" restricts the check to those scenarios
# (useful when another area changed its own model on purpose: re-record with --update then).
set -u
here=$(cd "$(dirname "$0")" && pwd)
golden=${GOLDEN_FILE:-$here/golden.txt}
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}

cli_run() {
  case "$cli" in
    *.js) node --no-experimental-fetch "$cli" "$@" ;;
    *) "$cli" "$@" ;;
  esac
}

hash_of() {  # scenario seed until [K=V...] -> prints the last line of `hash`
  local scenario=$1 seed=$2 until=$3
  shift 3
  local sets=()
  for kv in "$@"; do sets+=(--set "$kv"); done
  cli_run hash --scenario "$scenario" --seed "$seed" --until-ms "$until" "${sets[@]}" 2>&1 | tail -n 1
}

mode=check
case "${1:-}" in
  --update) mode=update; shift ;;
  --lessons) mode=lessons; shift ;;
esac
cli=${1:?usage: golden.sh [--update|--lessons] CLI [CASES|OUT]}

if [ $mode = lessons ]; then
  out=${2:?usage: golden.sh --lessons CLI OUT}
  mkdir -p "$out"
  for f in "$here"/../../lessons/*.toml; do
    cli_run run "$f" --autoplay > "$out/$(basename "$f" .toml).txt" 2>&1
    echo "$(basename "$f"): exit $? $(md5sum < "$out/$(basename "$f" .toml).txt" | cut -c1-12)"
  done
  exit 0
fi

if [ $mode = update ]; then
  cases=${2:-$here/cases.txt}
  tmp=$(mktemp)
  {
    echo "# Golden trace hashes (tests/determinism/golden.sh --update), recorded $(date -u +%Y-%m-%d)."
    echo "# \`scenario seed until_ms [K=V ...] => hash\`; an engine change must keep every line."
    while read -r scenario seed until rest; do
      case "$scenario" in ''|'#'*) continue ;; esac
      # shellcheck disable=SC2086
      h=$(hash_of "$scenario" "$seed" "$until" $rest)
      echo "$scenario $seed $until${rest:+ $rest} => $h"
    done < "$cases"
  } > "$tmp"
  mv "$tmp" "$golden"
  echo "wrote $(grep -vc '^#' "$golden") golden hashes to $golden"
  exit 0
fi

passed=0
failed=0
while IFS= read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  spec=${line% => *}
  want=${line##* => }
  # shellcheck disable=SC2086
  set -- $spec
  if [ -n "${GOLDEN_ONLY:-}" ] && ! printf ' %s ' "$GOLDEN_ONLY" | grep -q " $1 "; then continue; fi
  # shellcheck disable=SC2086
  got=$(hash_of $spec)
  if [ "$got" = "$want" ]; then
    passed=$((passed + 1))
  else
    echo "FAIL $spec: golden $want, now $got"
    failed=$((failed + 1))
  fi
done < "$golden"
echo "golden: $passed identical, $failed changed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
