#!/usr/bin/env bash
# Prints the "## Every action" section of lessons/FORMAT.md from the CLI itself
# (`topolab-cli check --list-actions SCENARIO`), so the reference never drifts from the code:
# tests/lessons/run.sh compares it with FORMAT.md. To refresh the document after adding an
# action: tests/lessons/actions_md.sh CLI > /tmp/a.md and replace the section with it.
# Usage: tests/lessons/actions_md.sh [CLI]   (CLI defaults to build/release/topolab-cli)
set -euo pipefail
CLI="${1:-build/release/topolab-cli}"
if [[ "$CLI" == *.js ]]; then run_cli() { node --no-experimental-fetch "$CLI" "$@"; }; else run_cli() { "$CLI" "$@"; }; fi

engine_ops=$(run_cli check --list-actions ping | grep -v '^ ' | awk '{print $1}')

# block SCENARIO EXCLUDE...: the --list-actions entries of SCENARIO whose op is not excluded.
block() {
  local scenario=$1; shift
  run_cli check --list-actions "$scenario" | awk -v skip=" $* " '
    /^[^ ]/ { keep = index(skip, " " $1 " ") == 0 }
    keep { print }'
}

section() {   # section TITLE SCENARIO [engine|model]
  local title=$1 scenario=$2 which=$3
  printf '\n### %s\n\n```\n' "$title"
  if [ "$which" = engine ]; then block "$scenario"; else block "$scenario" $engine_ops; fi
  printf '```\n'
}

cat <<'TXT'
## Every action

Generated from the code by `tests/lessons/actions_md.sh` (which calls `topolab-cli check
--list-actions SCENARIO`; `scripts/test` checks that this section is current). Each entry shows
the action and its parameters (`[...]` = optional) with their type: `node` (a node name), `nodes`
(names separated by commas), `groups` (groups separated by `|`), `int`, `number`, `prob` (0 to 1),
`duration` (milliseconds, or text with a unit), `bool` (`true`/`false`), `string` (text).
TXT
section "In every scenario (the engine)" ping engine
section "Raft scenarios (raft-3, raft-5), besides the engine's" raft-5 model
section "primary-backup, besides the engine's" primary-backup model
section "quorum, besides the engine's" quorum model
section "sharding, besides the engine's" sharding model
section "The shop scenarios (shop, shop-monolith, shop-vs-monolith, mmc-service), besides the engine's" shop model
section "Money transfer (transfer-2pc, transfer-saga), besides the engine's" transfer-2pc model
section "Multiplayer game (game), besides the engine's" game model
section "Data-processing job (datajob), besides the engine's" datajob model
section "Social feed (feed), besides the engine's" feed model
