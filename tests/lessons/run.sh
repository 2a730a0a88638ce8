#!/usr/bin/env bash
# Lesson checks for scripts/test: every lessons/*.toml and every translation lessons/LANG/*.toml
# must pass `topolab-cli check` (for a translation: the same lesson as the original, only the
# words changed) and `topolab-cli run --autoplay`; a translation that changes an action fails; every tests/lessons/malformed/*.toml must fail `check` with exactly
# the lines in its sibling .expected file (and never crash); lessons/index.json must be current;
# the complete example in lessons/FORMAT.md must pass check and autoplay.
# Usage: tests/lessons/run.sh [CLI]   (CLI defaults to build/release/topolab-cli; a .js CLI runs
# under node). Prints "lessons: N passed, M failed" and exits non-zero if anything failed.
set -u
cd "$(dirname "$0")/../.."
CLI="${1:-build/release/topolab-cli}"
if [[ "$CLI" == *.js ]]; then
  export NODE_PATH=/usr/share/nodejs
  run_cli() { node --no-experimental-fetch "$CLI" "$@"; }
else
  run_cli() { "$CLI" "$@"; }
fi
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# lessons/LANG/*.toml are translations: check also compares each with its original.
translations=$(ls -d lessons/*/ 2>/dev/null | grep -E '^lessons/[a-z]{2}(-[A-Z]{2})?/$' | sed 's|$|*.toml|')
for f in lessons/*.toml $translations; do
  [ -e "$f" ] || continue
  if run_cli check --quiet "$f" > "$tmp/out" 2>&1; then ok; else bad "check $f"; cat "$tmp/out"; fi
  if run_cli run "$f" --autoplay > "$tmp/out" 2>&1; then ok; else bad "run --autoplay $f"; cat "$tmp/out"; fi
done

# A translation that changes more than words is refused, each change named at its line:col
# beside the original's; a step still in the original's words is noted.
tr=tests/lessons/translation/es/small
run_cli check "$tr.toml" > "$tmp/out" 2> "$tmp/err"
rc=$?
if [[ $rc -eq 1 ]] && diff -u "$tr.expected" "$tmp/out" > "$tmp/diff"; then ok; else bad "check $tr.toml (exit $rc, expected 1)"; cat "$tmp/diff" "$tmp/err"; fi

# Record a lesson by playing it: a command log becomes a lesson that checks and autoplays as written.
printf '2000000 crash node=n1\n6000000 restart node=n1\n8000000 partition groups=n1,n2|n3,n4,n5\n11000000 heal\n' > "$tmp/played.log"
if run_cli record --scenario raft-5 --seed 3 --log "$tmp/played.log" --out "$tmp/recorded.toml" 2> "$tmp/err" &&
   run_cli check --quiet "$tmp/recorded.toml" > "$tmp/out" 2>&1 && run_cli run "$tmp/recorded.toml" --autoplay > "$tmp/out" 2>&1 &&
   grep -q "5/5 steps reached" "$tmp/out"; then ok; else bad "record -> check -> autoplay"; cat "$tmp/err" "$tmp/out"; fi
printf '1000000 crash node=n9\n' > "$tmp/bad.log"
if ! run_cli record --scenario raft-5 --log "$tmp/bad.log" > "$tmp/out" 2> "$tmp/err" && grep -q 'crash node=n9' "$tmp/err"; then ok; else bad "record of a refused command"; cat "$tmp/err"; fi

# The complete example in lessons/FORMAT.md must stay a valid, playable lesson.
awk '/^```toml/{n++; if(n==1){p=1; next}} /^```/{if(p){p=0}} p' lessons/FORMAT.md > "$tmp/format-example.toml"
if run_cli check --quiet "$tmp/format-example.toml" > "$tmp/out" 2>&1 && run_cli run "$tmp/format-example.toml" --autoplay > "$tmp/out" 2>&1; then
  ok
else
  bad "the example in lessons/FORMAT.md"; cat "$tmp/out"
fi

for f in tests/lessons/malformed/*.toml; do
  exp="${f%.toml}.expected"
  run_cli check --quiet "$f" > "$tmp/out" 2> "$tmp/err"
  rc=$?
  if [[ $rc -ne 1 ]]; then bad "check $f exited $rc (expected 1)"; cat "$tmp/err"; continue; fi
  if [[ ! -f "$exp" ]]; then bad "$exp is missing"; continue; fi
  if diff -u "$exp" "$tmp/out" > "$tmp/diff"; then ok; else bad "check $f"; cat "$tmp/diff"; fi
done

# Proofreading and sweeps on a lesson that holds only when n1 wins the first election:
# `run --autoplay --text` shows each step's text as rendered when it opens, `check --seeds A..B`
# lists exactly the seeds that fail and exits 1; both outputs are compared with .expected files.
sweep=tests/lessons/sweep/first-leader-is-n1
run_cli run "$sweep.toml" --autoplay --text > "$tmp/out" 2> "$tmp/err"
if diff -u "$sweep.text.expected" "$tmp/out" > "$tmp/diff"; then ok; else bad "run --autoplay --text $sweep.toml"; cat "$tmp/diff" "$tmp/err"; fi
run_cli check --seeds 1..12 "$sweep.toml" > "$tmp/out" 2> "$tmp/err"
rc=$?
if [[ $rc -eq 1 ]] && diff -u "$sweep.seeds.expected" "$tmp/out" > "$tmp/diff"; then ok; else bad "check --seeds 1..12 $sweep.toml (exit $rc, expected 1)"; cat "$tmp/diff" "$tmp/err"; fi
if run_cli check --seeds 5 "$sweep.toml" > "$tmp/out" 2> "$tmp/err" && [[ ! -s "$tmp/err" ]] &&
   grep -qx "$sweep.toml: seeds 5..5: 1 passed, 0 failed" "$tmp/out"; then ok; else bad "check --seeds 5 $sweep.toml"; cat "$tmp/out" "$tmp/err"; fi
# Selectors, baselines and arithmetic: a lesson that names no server the simulation chose plays on
# every seed; an honest predict whose expect is wrong fails `run --autoplay` at the predict's line.
for sel in tests/lessons/selectors/every-seed.toml lessons/04-majorities-and-partitions.toml; do
  if run_cli check --seeds 1..20 "$sel" > "$tmp/out" 2> "$tmp/err" && grep -qx "$sel: seeds 1..20: 20 passed, 0 failed" "$tmp/out"; then ok; else bad "check --seeds 1..20 $sel"; cat "$tmp/out" "$tmp/err"; fi
done
wrong=tests/lessons/malformed/predict-wrong-expect.toml
run_cli run "$wrong" --autoplay > "$tmp/out" 2> "$tmp/err"
rc=$?
if [[ $rc -eq 1 ]] && grep -q "^$wrong:24:11: step 2: predict: the lesson expects choice 2" "$tmp/out"; then ok; else bad "run --autoplay $wrong (exit $rc, expected 1 and the predict's FILE:LINE:COL)"; cat "$tmp/out" "$tmp/err"; fi
# Live text at step start (before the step's do): lesson 03 names the leader it is about to crash.
run_cli run lessons/03-agreeing-on-a-leader.toml --autoplay --text > "$tmp/out" 2> "$tmp/err"
crashed=$(grep -o 'do: crash node=n[0-9]' "$tmp/out" | head -1 | sed 's/.*=//')
if [[ -n "$crashed" ]] && grep -qF "Now the lesson crashes the leader, **$crashed**." "$tmp/out"; then ok; else bad "lesson 03 step 4 does not name the leader it crashes"; grep -n "crash" "$tmp/out"; fi
# check's one stream: problems and the "valid" line on stdout, nothing on stderr; a real --help.
run_cli check lessons/01-one-system-many-computers.toml > "$tmp/out" 2> "$tmp/err"
if [[ ! -s "$tmp/err" ]] && grep -qx "1 lesson file(s) valid" "$tmp/out"; then ok; else bad "check: \"valid\" is not on stdout alone"; cat "$tmp/out" "$tmp/err"; fi
if run_cli check --help > "$tmp/out" 2>&1 && grep -q "^Exit status" "$tmp/out" && grep -q -- "--seeds A..B" "$tmp/out"; then ok; else bad "check --help"; cat "$tmp/out"; fi

# Enum value keys compare with their names: the breaker waited for as "open" opens (autoplay).
enum_lesson=tests/lessons/enum/breaker-opens.toml
if run_cli check --quiet "$enum_lesson" > "$tmp/out" 2>&1 && run_cli run "$enum_lesson" --autoplay > "$tmp/out" 2>&1 &&
   grep -q 'breaker.checkout->payment=1' "$tmp/out"; then ok; else bad "$enum_lesson"; cat "$tmp/out"; fi

# The declarations as the CLI lists them: scenarios --params (raft-5's restart_ms, the shop's
# per-edge and per-service parameters), check --list-values (the shop's edge keys, each key once).
if run_cli scenarios --params raft-5 > "$tmp/out" 2>&1 && grep -q '^restart_ms  int, ms, 1..600000, default 500: ' "$tmp/out" &&
   run_cli scenarios --params shop > "$tmp/out2" 2>&1 && grep -q '^<edge>.timeout_ms  number, ms' "$tmp/out2" &&
   grep -q '^<module>.slow  number, x' "$tmp/out2" && [[ -n "$(run_cli scenarios | grep '^shop  ')" ]]; then ok; else bad "scenarios --params"; cat "$tmp/out" "$tmp/out2"; fi
run_cli check --list-values shop > "$tmp/out" 2>&1
if [[ -z "$(sort "$tmp/out" | cut -d' ' -f1 | uniq -d)" ]] && grep -q '^breaker.checkout->payment = 0 ("closed")  \[enum: ' "$tmp/out" &&
   grep -q '^retries.checkout->payment = ' "$tmp/out" && grep -q '^cpu_pct.payment = ' "$tmp/out"; then ok; else bad "check --list-values shop"; head -20 "$tmp/out"; fi

# The reference at the end of FORMAT.md (every action, scenario parameter and value key, from
# "## Every action" to the end) is generated from the declarations in the code: the committed
# file must equal the generator's output.
if tests/lessons/actions_md.sh "$CLI" > "$tmp/actions.md" 2> "$tmp/err" &&
   sed -n '/^## Every action/,$p' lessons/FORMAT.md | diff -u - "$tmp/actions.md" > "$tmp/diff"; then
  ok
else
  bad "the generated reference of lessons/FORMAT.md (from \"## Every action\" on) is not current: regenerate it with tests/lessons/actions_md.sh"
  head -40 "$tmp/diff" "$tmp/err"
fi

if run_cli check --index lessons/*.toml > "$tmp/index.json" 2> "$tmp/err" && diff -u lessons/index.json "$tmp/index.json" > "$tmp/diff"; then
  ok
else
  bad "lessons/index.json is not current: run topolab-cli check --index lessons/*.toml > lessons/index.json"
  cat "$tmp/diff" "$tmp/err"
fi

echo "lessons: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
