#!/usr/bin/env bash
# The offline classroom, under Xvfb, each case with a fresh HOME (a new student on a classroom PC):
# the start screen is the lesson catalogue; a lesson opened at step 3 is offered as "Continue" at
# step 3 by the next start (--state shows it) and reopens there; progress written while the app
# runs survives the app being killed; the teacher's lesson folder is listed (a broken file with
# FILE:LINE:COL); --lesson takes an id, a file name or a path, and a wrong one is an error (exit 2);
# --open ?lesson=ID&step=N; --reset-progress forgets.
# usage: tests/app/classroom.sh APP [SCREENSHOT_DIR]   (needs xvfb-run and python3)
set -uo pipefail
app=$(realpath "$1")
shots=${2:-}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }
export HOME="$work/home" XDG_DATA_HOME=
mkdir -p "$HOME"
data="$HOME/.local/share/topolab"
xrun() { xvfb-run -a -s '-screen 0 1280x800x24' "$app" "$@"; }
# q EXPR: a Python expression over the state JSON `s`
q() { python3 -c "import json,sys; s=json.load(open('$work/state.json')); print($1)"; }

# 1. A fresh HOME: the catalogue, the 16 bundled lessons, nothing to continue.
xrun --frames 20 --state "$work/state.json" ${shots:+--screenshot "$shots/desktop-catalogue.png"} >/dev/null 2>"$work/err"
if [ "$(q "s['catalogue']['shown']")" = True ] && [ "$(q "len([l for l in s['catalogue']['lessons'] if l['source']=='bundled'])")" -ge 16 ] \
   && [ "$(q "s['catalogue']['continue']")" = None ] && [ "$(q "s['lesson']")" = None ]; then
  ok "a fresh HOME starts on the catalogue ($(q "len(s['catalogue']['lessons'])") lessons, nothing to continue)"
else bad "fresh start: $(head -c 400 "$work/state.json") $(cat "$work/err")"; fi

# 2. Lesson 01 at step 3, quit; the next start offers to continue at step 3.
xrun --lesson 01-one-system-many-computers --step 3 --frames 10 --state "$work/state.json" >/dev/null 2>"$work/err"
if [ "$(q "s['lesson']['step']")" = 3 ] && [ "$(q "s['catalogue']['shown']")" = False ]; then ok "--lesson ID --step 3 opens step 3"
else bad "--lesson ID --step 3: $(head -c 300 "$work/state.json") $(cat "$work/err")"; fi
[ -f "$data/progress/01-one-system-many-computers.txt" ] && grep -qx 'step 2' "$data/progress/01-one-system-many-computers.txt" \
  && ok "progress saved in $data (XDG)" || bad "no progress file in $data: $(find "$HOME" -type f)"
xrun --frames 10 --state "$work/state.json" ${shots:+--screenshot "$shots/desktop-continue.png"} >/dev/null 2>"$work/err"
if [ "$(q "s['catalogue']['shown']")" = True ] && [ "$(q "s['catalogue']['continue']['id']")" = 01-one-system-many-computers ] \
   && [ "$(q "s['catalogue']['continue']['step']")" = 3 ] && [ "$(q "s['catalogue']['lessons'][0]['progress']")" = "Step 3 of 7" ]; then
  ok "the next start offers: Continue lesson 01 at step 3 ('$(q "s['catalogue']['lessons'][0]['progress']")')"
else bad "continue: $(head -c 600 "$work/state.json")"; fi
xrun --lesson 01-one-system-many-computers --frames 5 --state "$work/state.json" >/dev/null 2>&1
[ "$(q "s['lesson']['step']")" = 3 ] && ok "--lesson ID without --step resumes at step 3" || bad "resume: step $(q "s['lesson']['step']")"

# 3. Killed while running: what was saved as the learner went is there at the next start.
xrun --lesson 03-agreeing-on-a-leader --step 4 >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 100); do grep -qs 'lesson 03-agreeing-on-a-leader' "$data/last.txt" && break; sleep 0.2; done
sleep 0.5
pkill -KILL -P "$pid" -f "$app" 2>/dev/null; pkill -KILL -f "$app --lesson 03" 2>/dev/null; wait "$pid" 2>/dev/null
xrun --frames 5 --state "$work/state.json" >/dev/null 2>&1
if [ "$(q "s['catalogue']['continue']['id']")" = 03-agreeing-on-a-leader ] && [ "$(q "s['catalogue']['continue']['step']")" = 4 ] \
   && ! ls "$data"/progress/*.tmp* >/dev/null 2>&1; then ok "killed mid-lesson (kill -9): the next start continues lesson 03 at step 4"
else bad "after kill -9: $(cat "$data/last.txt" 2>&1) $(head -c 300 "$work/state.json")"; fi

# 4. The teacher's folder: a lesson of their own and a broken one, listed beside the bundled ones.
mkdir -p "$data/lessons"
cp lessons/02-copies-are-not-enough.toml "$data/lessons/teacher-copy.toml" 2>/dev/null || cp "$(dirname "$0")/../../lessons/02-copies-are-not-enough.toml" "$data/lessons/teacher-copy.toml"
sed -i 's/^id = .*/id = "our-class-copies"/; s/^title = .*/title = "Our class: copies"/' "$data/lessons/teacher-copy.toml"
printf 'format = 1\nid = "oops"\ntitle = "Oops"\n[scenario\n' > "$data/lessons/oops.toml"
xrun --frames 5 --state "$work/state.json" >/dev/null 2>&1
mine=$(q "[(l['id'], l['error']) for l in s['catalogue']['lessons'] if l['source']=='yours']")
if echo "$mine" | grep -q "our-class-copies', ''" && echo "$mine" | grep -q "oops.toml:4:"; then ok "the teacher's folder is listed: $mine"
else bad "teacher's folder: $mine"; fi
xrun --lesson our-class-copies --frames 5 --state "$work/state.json" >/dev/null 2>&1
[ "$(q "s['lesson']['title']")" = "Our class: copies" ] && ok "--lesson opens the teacher's lesson by id" || bad "teacher lesson: $(head -c 200 "$work/state.json")"
other=$(mktemp -d); cp "$data/lessons/teacher-copy.toml" "$other/elsewhere.toml"
xrun --lessons "$other" --lesson elsewhere --frames 5 --state "$work/state.json" >/dev/null 2>&1
[ "$(q "s['lesson']['title']")" = "Our class: copies" ] && ok "--lessons DIR: a lesson by its file name" || bad "--lessons DIR: $(head -c 200 "$work/state.json")"
rm -rf "$other"

# 5. Wrong input: a clear message and exit 2.
"$app" --lesson 01-one-sytem-many-computers >/dev/null 2>"$work/err"; rc=$?
[ $rc = 2 ] && grep -q 'did you mean "01-one-system-many-computers"' "$work/err" && ok "a misspelt lesson: exit 2, '$(cat "$work/err")'" || bad "misspelt lesson: rc $rc, $(cat "$work/err")"
"$app" --step 2 >/dev/null 2>"$work/err"; rc=$?
[ $rc = 2 ] && grep -q -- '--step needs --lesson' "$work/err" && ok "--step alone: exit 2" || bad "--step alone: rc $rc $(cat "$work/err")"
"$app" --lesson 01-one-system-many-computers --step 0 >/dev/null 2>"$work/err"; rc=$?
[ $rc = 2 ] && ok "--step 0: exit 2 ($(cat "$work/err"))" || bad "--step 0: rc $rc"
"$app" --help | grep -q -- '--lesson ID|FILE' && "$app" --help | grep -q -- '--reset-progress' && ok "--help describes --lesson, --step, --lessons, --reset-progress" || bad "--help"

# 6. A share link to a lesson step.
xrun --open '?lesson=04-majorities-and-partitions&step=2' --frames 5 --state "$work/state.json" >/dev/null 2>&1
[ "$(q "s['lesson']['id']")" = 04-majorities-and-partitions ] && [ "$(q "s['lesson']['step']")" = 2 ] && ok "--open ?lesson=ID&step=2" || bad "--open lesson link: $(head -c 200 "$work/state.json")"

# 7. The student's language: from the locale (LANG), or --lang; a lesson with a translation opens
#    translated, the catalogue lists the translated title; an unknown language is an error.
LANG=es_ES.UTF-8 xrun --lesson 01-one-system-many-computers --step 1 --frames 5 --state "$work/state.json" >/dev/null 2>&1
if [ "$(q "s['language']")" = es ] && [ "$(q "s['lesson']['title']")" = "Un sistema, muchas computadoras" ]; then ok "LANG=es_ES.UTF-8: the lab and lesson 01 in Spanish"
else bad "LANG=es: $(head -c 300 "$work/state.json")"; fi
xrun --lang es --frames 5 --state "$work/state.json" >/dev/null 2>&1
[ "$(q "[l['title'] for l in s['catalogue']['lessons'] if l['id']=='03-agreeing-on-a-leader'][0]")" = "Ponerse de acuerdo en un líder" ] \
  && ok "--lang es: the catalogue lists the Spanish titles" || bad "--lang es catalogue: $(q "s['catalogue']['lessons'][2]")"
"$app" --lang xx --frames 1 >/dev/null 2>"$work/err"; rc=$?
[ $rc = 2 ] && grep -q 'no such language' "$work/err" && ok "--lang xx: exit 2 ($(cat "$work/err"))" || bad "--lang xx: rc $rc $(cat "$work/err")"

# 8. Reset between classes.
"$app" --reset-progress >"$work/out" 2>&1 && grep -q 'forgot the saved progress' "$work/out" || bad "--reset-progress: $(cat "$work/out")"
xrun --frames 5 --state "$work/state.json" >/dev/null 2>&1
[ "$(q "s['catalogue']['continue']")" = None ] && [ "$(q "s['catalogue']['lessons'][0]['progress']")" = "Not started" ] \
  && ok "--reset-progress: nothing to continue, lesson 01 not started" || bad "after reset: $(head -c 300 "$work/state.json")"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
