#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_quit.sh — q on a capture worth keeping asks first (export and quit / quit / stay); q in the help closes it; F1, F10.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

PROMPT='of samples not exported: e = export and quit, q = quit, other = stay'
exports() { find "$MW_TMP" -maxdepth 1 -name 'memwatch-*.csv' | wc -l; }
# The capture is worth keeping from 10 s of samples on (UNSAVED_* in src/cli/dashboard.c).
past_10s() { wait_for '  00:00:1[1-9]$' 20; }

# 1. F1 opens the help and q closes it (memwatch goes on), before 10 s and after (when q alone
#    would ask); past 10 s F10 asks like q; another key stays; a resize leaves the question
#    standing; e exports and quits.
alloc_start t --alloc 8 || die "mw-alloc did not start"
start_tui "$MEMWATCH" -i 100ms "$ALLOC_PID"
wait_for '^now RSS'
send F1
check "F1 opens the help" wait_screen ' memwatch keys '
check "the help lists F1 / F10" screen_has 'F1 / F10 +help / quit, as in htop'
send q
check "q over the help closes it" wait_until 5 eval '! screen_has " memwatch keys "'
check "... and does not quit or ask" eval '! tui_ended && ! screen_has "not exported"'
past_10s
send F1
wait_for ' memwatch keys '
send q
check "past 10 s, q over the help closes it" wait_until 5 eval '! screen_has " memwatch keys "'
check "... and neither quits nor asks" eval '! tui_ended && ! screen_has "not exported"'
send F10
check "F10 past 10 s of samples: it asks first" wait_screen "$PROMPT"
line=$(screen | grep -- "$PROMPT" | sed 's/ *$//')
check "the prompt fits in 80 columns (${#line})" test "${#line}" -le 80
send x
check "another key stays" wait_screen 'quit cancelled'
tui_ended && fail "memwatch ended after 'x'"
send q
wait_for "$PROMPT"
resize 90 28
check "a resize while asking: the question stays on screen" \
    eval 'wait_screen "$PROMPT" && ! screen_has "quit cancelled"'
send e
check "... and still stands: e (not the export key now) exports and quits" wait_until 10 tui_ended
st=$(wait_exit)
check "e: exported and quit with status 0" eval '[ "$st" = 0 ] && [ "$(exports)" -eq 1 ]'
csv=$(find "$MW_TMP" -maxdepth 1 -name "memwatch-$ALLOC_PID-*.csv")
check "the export holds the 10 s (at least 100 rows)" eval '[ "$(rows "$csv")" -ge 100 ]'

# 2. A launched command: the export first, then the command; q at the first prompt quits
#    without exporting, k then ends the command.
rm -f "$MW_TMP/run.ready"
start_tui "$MEMWATCH" -i 100ms -- "$MW_ALLOC" --leak 1 --every 1000 --steps 100 --ready-file "$MW_TMP/run.ready"
poll 10 "mw-alloc's ready file" test -s "$MW_TMP/run.ready"
pid=$(cat "$MW_TMP/run.ready")
track "$pid"
past_10s
# Ctrl-C (SIGINT) at the export question answers like q: the command question follows; it
# neither quits nor ends the command at once.
send q
wait_for "$PROMPT"
kill -INT "$(pgrep -x -P "$(pane_pid)" memwatch)"
check "launch: SIGINT at the export question goes on to the command's" \
    wait_screen 'command still running: k = end it and quit, d = leave it running, other = stay'
check "... with memwatch and the command still running" eval '! tui_ended && alive "$pid"'
send x
wait_for 'quit cancelled'
send q
wait_for "$PROMPT"
send q
check "launch: after the export question, the command's" \
    wait_screen 'command still running: k = end it and quit, d = leave it running, other = stay'
send k
st=$(wait_exit)
check "q, q, k: status 0, nothing exported" eval '[ "$st" = 0 ] && [ "$(exports)" -eq 1 ]'
check "k ended the command" wait_pid_gone 5 "$pid"

# 3. With -o recording, every sample reaches the file (the newest row as it closes): q quits at once.
start_tui "$MEMWATCH" -i 100ms -o rec.csv "$ALLOC_PID"
past_10s
send q
st=$(wait_exit)
check "-o: q quits at once past 10 s, status 0" test "$st" = 0
check "-o: the file holds the samples" eval '[ "$(rows rec.csv)" -ge 100 ]'
finish
