#!/usr/bin/env bash
# Fault campaigns for every model with a checker (topolab-cli chaos, models/chaos/campaign.h):
#   - correct configurations pass a short campaign (no violation, no stall);
#   - each seeded bug (a switched-off rule) is found, at a seed the swarm is known to reach,
#     and its counterexample shrinks and replays from the written schedule;
#   - chaos --help names the scenario's checks and rules without running anything;
#   - each counterexample's replay file opens at the moment of the violation: `hash --replay`,
#     and with --app APP, the desktop app under Xvfb (`--open FILE --state`) with the same hash;
#   - with --wasm WASM_CLI.js (only that): a campaign prints the same bytes natively and in wasm.
# usage: tests/chaos/campaigns.sh CLI [--app APP] [--long]   (--long: 20,000 seeds per correct model)
#        tests/chaos/campaigns.sh CLI --wasm CLI.js
set -uo pipefail
cli=$1; shift
wasm=""; app=""; long=0
while [ $# -gt 0 ]; do
  case $1 in --long) long=1 ;; --wasm) wasm=$2; shift ;; --app) app=$2; shift ;; *) echo "unknown argument $1" >&2; exit 2 ;; esac
  shift
done
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }
seeds() { if [ $long = 1 ]; then echo 20000; else echo "$1"; fi; }

if [ -z "$wasm" ]; then
# 1. Correct configurations: a campaign passes (the contract's last line, exit 0).
for spec in "raft-3 300" "raft-3 300 chaos.membership=true" "quorum 150" "primary-backup 150 sync=1" "transfer-2pc 100" "transfer-saga 100" "shop 60"; do
  set -- $spec
  n=$(seeds "$2")
  sets=(); [ $# -gt 2 ] && sets=(--set "$3")
  out=$("$cli" chaos --scenario "$1" --seeds "$n" --out "$work/out" "${sets[@]}"); rc=$?
  last=$(tail -1 <<<"$out")
  if [ $rc = 0 ] && [ "$last" = "seeds $n, violations 0, stalled 0" ]; then ok "$1 ${3:-}: $last"
  else bad "$1 ${3:-}: exit $rc, $last"; fi
done

# 2. Seeded bugs are found: "SCENARIO FIRST-SEED SEEDS PROPERTY SETTINGS..."
found() {
  local sc=$1 first=$2 n=$3 prop=$4; shift 4
  local sets=() s
  for s in "$@"; do sets+=(--set "$s"); done
  local out rc
  out=$("$cli" chaos --scenario "$sc" --first-seed "$first" --seeds "$n" --out "$work/out" "${sets[@]}"); rc=$?
  if [ $rc = 1 ] && grep -q "^  $prop" <<<"$out" && grep -q '^  shrunk: seed [0-9]*, [0-9]* faults' <<<"$out"; then
    ok "$sc $*: found $prop ($(grep -m1 '^  shrunk:' <<<"$out" | sed 's/^ *//'))"
  else
    bad "$sc $*: exit $rc, expected a shrunk $prop; got: $(grep -m3 -E '^(seed|  [A-Z])' <<<"$out" | tr '\n' ' ')"
    return
  fi
  # The shrunk schedule replays to the same property.
  local seed file
  seed=$(grep -m1 '^  shrunk: seed' <<<"$out" | sed -E 's/^  shrunk: seed ([0-9]+),.*/\1/')
  file="$work/out/$sc-seed$seed.schedule"
  out=$("$cli" chaos --scenario "$sc" --first-seed "$seed" --schedule "$file" "${sets[@]}"); rc=$?
  if [ $rc = 1 ] && grep -q "^  $prop" <<<"$out"; then ok "$sc seed $seed: the shrunk schedule replays to $prop"
  else bad "$sc seed $seed: the shrunk schedule did not replay to $prop (exit $rc)"; fi
  # The counterexample opens at the first sign of the violation (before the end of the run).
  local replay="$work/out/$sc-seed$seed.replay" h at
  h=$("$cli" hash --replay "$replay"); rc=$?
  at=$(sed -n 's/^at //p' "$replay")
  if [ $rc = 0 ] && grep -q "at_us=$at " <<<"$h" && [ "$at" -lt 7000000 ]; then ok "$sc seed $seed: the replay opens at $at us"
  else bad "$sc seed $seed: hash --replay $replay (exit $rc): $h"; fi
  if [ -n "$app" ]; then
    xvfb-run -a -s '-screen 0 1280x800x24' "$app" --open "$replay" --frames 3 --state "$work/state.json" >/dev/null 2>&1
    local want; want=$(tail -1 <<<"$h")
    if grep -q "\"time_us\":$at," "$work/state.json" && grep -q "\"trace_hash\":\"$want\"" "$work/state.json"; then
      ok "$sc seed $seed: the desktop lab opens the replay at $at us with the CLI's trace hash $want"
    else bad "$sc seed $seed: topolab --open: $(head -c 300 "$work/state.json")"; fi
  fi
}
found raft-3 1 3 "Leader Completeness\|State Machine Safety\|not linearizable" raft.check_log_up_to_date=false
found raft-3 27 3 "Election Safety" raft.persist_vote=false
found raft-5 16 3 "Election Safety" raft.persist_vote=false
found raft-3 186 3 "Leader Completeness\|State Machine Safety\|not linearizable" raft.commit_only_current_term=false
found raft-5 12 3 "Leader Completeness\|State Machine Safety\|not linearizable" raft.commit_only_current_term=false
found raft-5 7 3 "Leader Completeness\|State Machine Safety\|not linearizable" raft.commit_only_current_term=false leader_noop=false
found raft-3 5 3 "Membership" raft.single_change=false chaos.membership=true
found quorum 1 3 "Read Your Acknowledged Writes" r=1
found primary-backup 1 3 "Durability" sync=0
found transfer-2pc 1 4 "Atomicity" transfer.log_decision=0
found transfer-saga 1 3 "Atomicity" transfer.idempotent_steps=0
found shop 1 3 "Exactly Once" shop.discard_late_responses=false
found shop 1 2 "No Lost Order" shop.check_status=false
found shop 2 3 "In-flight Counts" shop.count_retries_once=false

# 2b. The same seeds with the rule back on pass: it is the seeded bug the checks catch.
passes() {
  local sc=$1 first=$2 n=$3 out rc last
  out=$("$cli" chaos --scenario "$sc" --first-seed "$first" --seeds "$n" --out "$work/out"); rc=$?
  last=$(tail -1 <<<"$out")
  if [ $rc = 0 ] && [ "$last" = "seeds $n, violations 0, stalled 0" ]; then ok "$sc seeds $first..$((first + n - 1)) with every rule on: $last"
  else bad "$sc seeds $first..$((first + n - 1)) with every rule on: exit $rc, $last"; fi
}
passes raft-3 27 3
passes raft-5 16 3
passes raft-3 186 3
passes raft-5 12 3
passes raft-5 7 3
passes transfer-saga 1 3
passes shop 1 4

# 3. Help: usage, checks and rules of the named scenario; nothing runs.
out=$("$cli" chaos --help --scenario raft-3); rc=$?
if [ $rc = 0 ] && grep -q 'raft.persist_vote=false' <<<"$out" && grep -q 'checks: Election Safety' <<<"$out" &&
   ! grep -q '^seeds ' <<<"$out"; then ok "chaos --help lists raft-3's checks and rules"
else bad "chaos --help (exit $rc)"; fi
out=$("$cli" chaos --help --scenario shop); rc=$?
if [ $rc = 0 ] && grep -q 'shop.discard_late_responses=false' <<<"$out" && grep -q 'shop.check_status=false' <<<"$out" &&
   grep -q 'shop.count_retries_once=false' <<<"$out" && grep -q 'checks: Exactly Once' <<<"$out" &&
   grep -q 'No Lost Order' <<<"$out" && grep -q 'In-flight Counts' <<<"$out" && ! grep -q '^seeds ' <<<"$out"; then
  ok "chaos --help lists the shop's checks and rules"
else bad "chaos --help --scenario shop (exit $rc)"; fi
out=$("$cli" chaos --help --scenario transfer-saga); rc=$?
if [ $rc = 0 ] && grep -q 'transfer.idempotent_steps=0' <<<"$out" && grep -q 'checks: Atomicity' <<<"$out"; then
  ok "chaos --help lists transfer-saga's checks and rule"
else bad "chaos --help --scenario transfer-saga (exit $rc)"; fi

fi

# 4. Native = WebAssembly, byte for byte (one thread in both).
if [ -n "$wasm" ]; then
  for spec in "raft-3 raft.check_log_up_to_date=false" "raft-5 raft.persist_vote=true" "primary-backup sync=0" \
              "quorum r=1" "transfer-2pc transfer.log_decision=0" "transfer-saga transfer.idempotent_steps=0" \
              "shop shop.check_status=false"; do
    set -- $spec
    a=$("$cli" chaos --scenario "$1" --seeds 6 --jobs 1 --verbose --no-shrink --set "$2")
    b=$(node --no-experimental-fetch "$wasm" chaos --scenario "$1" --seeds 6 --jobs 1 --verbose --no-shrink --set "$2")
    if [ "$a" = "$b" ] && [ -n "$a" ]; then ok "$1 $2: native and wasm campaigns print the same $(wc -l <<<"$a") lines"
    else bad "$1 $2: native and wasm campaigns differ: $(diff <(echo "$a") <(echo "$b") | head -5 | tr '\n' ' ')"; fi
  done
fi

echo "$passed passed, $failed failed"
[ $failed = 0 ]
