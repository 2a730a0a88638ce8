#!/usr/bin/env bash
# The desktop lab opens what the page shares and what chaos writes (topolab --open FILE|LINK):
# a replay file, a share link with a plain (t.) and a compressed (z.) command log and scenario
# parameters (set=K%3DV), each paused at its moment with the same trace hash as
# `topolab-cli hash --replay`; a damaged link is reported (stderr and the lab's error) and the lab
# keeps running. usage: tests/app/open_link.sh APP CLI   (needs xvfb-run and python3)
set -uo pipefail
app=$1 cli=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }
run_app() { xvfb-run -a -s '-screen 0 1280x800x24' "$app" --open "$1" --frames 3 --state "$work/state.json" 2>"$work/stderr" >/dev/null; }
field() { python3 -c "import json,sys; print(json.load(open('$work/state.json')).get('$1'))"; }

cat > "$work/run.replay" <<'R'
# a crash and a restart in raft-3
scenario raft-3
seed 7
set rate=20
at 900000
log
300000 crash node=n1
700000 restart node=n1
R
want=$("$cli" hash --replay "$work/run.replay" | tail -1)
[ ${#want} = 16 ] && ok "hash --replay: $want" || bad "hash --replay printed '$want'"

run_app "$work/run.replay"
if [ "$(field trace_hash)" = "$want" ] && [ "$(field time_us)" = 900000 ]; then ok "--open FILE: at 900000 us, hash $want"
else bad "--open FILE: $(head -c 300 "$work/state.json")"; fi

log_t=$(printf '300000 crash node=n1\n700000 restart node=n1\n' | python3 -c "import sys,base64; print(base64.urlsafe_b64encode(sys.stdin.buffer.read()).decode().rstrip('='))")
log_z=$(printf '300000 crash node=n1\n700000 restart node=n1\n' | python3 -c "
import sys,base64,zlib
c=zlib.compressobj(9, zlib.DEFLATED, -15); d=c.compress(sys.stdin.buffer.read())+c.flush()
print(base64.urlsafe_b64encode(d).decode().rstrip('='))")
for kind in t z; do
  body=$log_t; [ $kind = z ] && body=$log_z
  link="http://localhost:8000/?scenario=raft-3&seed=7&set=rate%3D20#at=900000&log=$kind.$body"
  run_app "$link"
  if [ "$(field trace_hash)" = "$want" ] && [ "$(field time_us)" = 900000 ] && [ "$(field error)" = "" ]; then
    ok "--open LINK ($kind.): the same moment and hash as the replay file"
  else bad "--open LINK ($kind.): $(head -c 300 "$work/state.json") $(cat "$work/stderr")"; fi
done

run_app "http://localhost:8000/?scenario=raft-3&seed=7#at=900000&log=z.AAAA"
if grep -q 'link: the command log is damaged' "$work/stderr" && [ "$(field error)" != "" ] && [ "$(field scenario)" = ping ]; then
  ok "a damaged link: '$(tr -d '\n' < "$work/stderr")', and the lab keeps its world"
else bad "a damaged link: $(cat "$work/stderr") $(head -c 200 "$work/state.json")"; fi

echo "$passed passed, $failed failed"
[ $failed = 0 ]
