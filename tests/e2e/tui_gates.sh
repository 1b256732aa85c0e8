#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_gates.sh — gates on the dashboard: shown live with figure and limit, q exits 3 with the line on stderr, --summary-json written.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

command -v jq > /dev/null || skip "jq is not installed (apt-get install jq)"
alloc_start t --alloc 8 || die "mw-alloc did not start"
start_tui "$MEMWATCH" -i 100ms --fail-above 40M --fail-growth 60M --summary-json "$MW_TMP/s.json" \
    "$ALLOC_PID"
wait_for "^PID $ALLOC_PID  "
wait_for '^growth \+'
screen_has 'GATE' && die "a gate shows before any limit was crossed"
ok "under both limits: no gate on screen"
check "the summary file is not there while the run goes on" eval '[ ! -e "$MW_TMP/s.json" ]'

# Over --fail-above (40 MiB), under --fail-growth (60 MiB): one gate, in front of the growth figure.
alloc_cmd_ok t 'alloc 40' > /dev/null
wait_for '^GATE peak RSS [0-9.]+ MiB \((sampled|kernel mark|at exit)\) > 40\.0 MiB  growth \+'
ok "peak over 40 MiB: '$(screen | grep -m1 '^GATE')'"
# Then over both: the growth gate joins it (it stays: the peak does not come down).
alloc_cmd_ok t 'alloc 40' > /dev/null
wait_for '^GATE peak RSS [0-9.]+ MiB \((sampled|kernel mark|at exit)\) > 40\.0 MiB; growth \+[0-9.]+ MiB > 60\.0 MiB'
ok "growth over 60 MiB too: '$(screen | grep -m1 '^GATE')'"
# Freed again: the growth is back under its limit and its gate goes; the peak's stays.
alloc_cmd_ok t 'freeall' > /dev/null
wait_for '^GATE peak RSS [0-9.]+ MiB \((sampled|kernel mark|at exit)\) > 40\.0 MiB  growth '
ok "freed: only the peak's gate is left"

st=$(dashboard_quit)
[ "$st" = 3 ] || die "q with a gate tripped: exit status $st, not 3"
ok "q exits 3"
# The line comes after the terminal is restored, so it is on the pane once the dashboard is gone.
wait_for '^memwatch: gate tripped: peak RSS [0-9.]+ MiB \([a-z -]+\) > --fail-above 40\.0 MiB$'
screen_has 'gate tripped: growth' && die "the growth gate was reported though the growth ended under its limit"
ok "stderr names the peak gate alone, after the dashboard: '$(screen | grep -m1 'gate tripped')'"
jqe "--summary-json written after q: exit_status 3, end_reason quit, one gate tripped" \
    '.exit_status == 3 and .end_reason == "quit" and .target.pid == '"$ALLOC_PID"' and
           ([.gates[] | select(.tripped) | .name] == ["--fail-above"]) and .fields.rss.peak > 41943040' \
    "$MW_TMP/s.json"
finish
