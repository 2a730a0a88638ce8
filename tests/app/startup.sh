#!/usr/bin/env bash
# Desktop start-up benchmark (issue 21), reported, never asserted: the time from starting the app
# to its first drawn frame under Xvfb, with a fresh HOME (the catalogue start screen). One Xvfb
# server serves all runs (its own start-up is not the app's). The app prints its start-up marks
# with TOPOLAB_STARTUP_TIMES=1 (wall-clock milliseconds, core/app/platform_loop.h); this script
# notes the wall clock just before it starts the process and subtracts.
# usage: tests/app/startup.sh APP [RUNS]     (default 3 runs; needs Xvfb)
set -uo pipefail
app=$(realpath "${1:?usage: startup.sh APP [RUNS]}")
runs=${2:-3}
work=$(mktemp -d)
display=:$((90 + RANDOM % 400))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
export DISPLAY=$display
echo "# machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
marks="main_ms sdl_init_ms window_ms gl_context_ms style_ms font_atlas_ms app_ms device_objects_ms first_frame_drawn_ms"
firsts=()
for i in $(seq "$runs"); do
  rm -rf "$work/home"; mkdir -p "$work/home"
  t0=$(date +%s%3N)
  HOME="$work/home" XDG_DATA_HOME= XDG_CONFIG_HOME= TOPOLAB_STARTUP_TIMES=1 "$app" --frames 3 >"$work/out" 2>&1
  line="run $i:"
  for m in $marks; do
    at=$(sed -nE "s/^topolab: startup $m at ([0-9.]+)$/\\1/p" "$work/out")
    [ -n "$at" ] || { echo "run $i: no $m mark: $(head -c 300 "$work/out")"; exit 1; }
    ms=$(awk -v a="$at" -v b="$t0" 'BEGIN { printf "%.0f", a - b }')
    line="$line ${m%_ms} $ms"
    [ "$m" = first_frame_drawn_ms ] && firsts+=("$ms")
  done
  echo "$line (ms after the process was started)"
done
median=$(printf '%s\n' "${firsts[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
echo "# desktop first frame median $median ms after process start (${firsts[*]})"
