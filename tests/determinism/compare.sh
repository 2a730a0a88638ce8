#!/usr/bin/env bash
# Native vs WebAssembly determinism: for every case in cases.txt (`scenario seed until_ms [K=V]...`)
# runs `topolab-cli hash` with the native CLI and with topolab-cli.js under Node and compares the
# last lines (the trace hashes). Exit 1 and print the differing cases on any mismatch.
#
# usage: tests/determinism/compare.sh NATIVE_CLI WASM_CLI_JS [CASES_FILE]
# Self-test: TOPOLAB_DETERMINISM_SELFTEST=1 adds 1 to the seed of the WebAssembly side only, so
# every case must then be reported as a mismatch (proves the comparison can fail).
set -u
native=${1:?usage: compare.sh NATIVE_CLI WASM_CLI_JS [CASES_FILE]}
wasm=${2:?usage: compare.sh NATIVE_CLI WASM_CLI_JS [CASES_FILE]}
cases=${3:-$(dirname "$0")/cases.txt}
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
skew=0
[ "${TOPOLAB_DETERMINISM_SELFTEST:-0}" = 1 ] && skew=1

passed=0
failed=0
while read -r scenario seed until rest; do
  case "$scenario" in ''|'#'*) continue ;; esac
  sets=()
  for kv in $rest; do sets+=(--set "$kv"); done
  label="$scenario seed=$seed until_ms=$until${rest:+ $rest}"
  n_out=$("$native" hash --scenario "$scenario" --seed "$seed" --until-ms "$until" "${sets[@]}" 2>&1)
  n_rc=$?
  w_out=$(node --no-experimental-fetch "$wasm" hash --scenario "$scenario" --seed $((seed + skew)) \
          --until-ms "$until" "${sets[@]}" 2>&1)
  w_rc=$?
  n_hash=$(printf '%s\n' "$n_out" | tail -n 1)
  w_hash=$(printf '%s\n' "$w_out" | tail -n 1)
  if [ $n_rc -ne 0 ] || [ $w_rc -ne 0 ]; then
    echo "FAIL $label: exit codes native=$n_rc wasm=$w_rc"
    echo "  native: $n_hash"
    echo "  wasm:   $w_hash"
    failed=$((failed + 1))
  elif [ "$n_hash" != "$w_hash" ]; then
    echo "FAIL $label: native $n_hash != wasm $w_hash"
    failed=$((failed + 1))
  else
    echo "ok   $label: $n_hash"
    passed=$((passed + 1))
  fi
done < "$cases"
echo "determinism: $passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
