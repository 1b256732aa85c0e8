#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_tree_end.sh — ending a launched command ends its whole process tree (-t, SIGTERM, Ctrl-C, k); an escapee is named.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

command -v pgrep > /dev/null || skip "needs pgrep (procps)"
command -v setsid > /dev/null || skip "needs setsid (util-linux)"

# Each case's sleeps carry a number of their own (this script's PID and a case number), so pgrep
# never sees another test's sleeps.
mark() { echo "377.$$$1"; }
sleeps_of() { pgrep -f "^sleep $1\$"; }
no_sleeps_of() { ! sleeps_of "$1" > /dev/null; }
# track_sleeps MARK: have the harness kill them at exit whatever happens here.
track_sleeps() { track $(sleeps_of "$1"); }
# tree MARK: a shell with one sleep in the background and one in the foreground, as in issue 13.
tree() { echo "sleep $1 & sleep $1; wait"; }
two_sleeps() { [ "$(sleeps_of "$1" | wc -l)" -ge 2 ]; }

# ---- -t: the duration expires, the whole tree goes ---------------------------------------------
m=$(mark 1)
timeout 20 "$MEMWATCH" --no-tui -t 1s -- bash -c "$(tree "$m")" > sum.txt 2> err.txt
rc=$?
track_sleeps "$m"
check "-t 1s: memwatch ends (status $rc) and no 'sleep $m' is left" \
    eval '[ $rc -ne 124 ] && wait_until 5 no_sleeps_of "$m"'

# ---- SIGTERM to memwatch ------------------------------------------------------------------------
m=$(mark 2)
"$MEMWATCH" --no-tui -- bash -c "$(tree "$m")" > sum.txt 2> err.txt &
mw=$!
track "$mw"
if wait_until 10 two_sleeps "$m"; then
    track_sleeps "$m"
    kill -TERM "$mw"
    wait "$mw"
    rc=$?
    check "SIGTERM: status 143, no 'sleep $m' left" eval '[ $rc -eq 143 ] && wait_until 5 no_sleeps_of "$m"'
else
    fail "SIGTERM: the command's sleeps never started"
fi

# ---- an escapee (setsid) is named, never left silently ----------------------------------------
m=$(mark 3)
e=$(mark 4)
timeout 20 "$MEMWATCH" --no-tui -t 1s -- bash -c "setsid sleep $e & $(tree "$m")" > sum.txt 2> err.txt
rc=$?
track_sleeps "$e"
track_sleeps "$m"
esc=$(sleeps_of "$e" | head -1)
check "escapee: the group's sleeps are gone" wait_until 5 no_sleeps_of "$m"
check "escapee: 'PID $esc (sleep) escaped the command's process group and is still running' on stderr" \
    eval '[ -n "$esc" ] && grep -q "^memwatch: PID $esc (sleep) escaped the command.s process group and is still running" err.txt'
[ -n "$esc" ] && kill "$esc" 2> /dev/null
[ -s err.txt ] && note "stderr: $(head -c 300 err.txt)"

# ---- on a terminal: the command reads it, and Ctrl-C ends everything ---------------------------
m=$(mark 5)
start_tui_sh "'$MEMWATCH' --no-tui -- sh -c 'read x; echo got:\$x; $(tree "$m")'"
wait_until 10 eval "pgrep -f '^sh -c read x' > /dev/null" || fail "headless on a terminal: the command did not start"
send_text "hello"
send Enter
check "headless on a terminal: the command reads the terminal (no SIGTTIN)" wait_screen 'got:hello'
if wait_until 10 two_sleeps "$m"; then
    track_sleeps "$m"
    send C-c
    check "headless on a terminal: Ctrl-C ends memwatch" wait_until 10 tui_ended
    check "headless on a terminal: Ctrl-C leaves no 'sleep $m'" wait_until 5 no_sleeps_of "$m"
    check "headless on a terminal: the summary shows after Ctrl-C" wait_screen '^memwatch summary'
else
    fail "headless on a terminal: the sleeps never started"
fi

# ---- Ctrl-Z in an interactive shell: memwatch's job stops with its command; fg continues both ---
start_tui_sh "env PS1='prompt> ' bash --norc --noprofile -i"
wait_for '^prompt>'
send_text "'$MEMWATCH' --no-tui -- sh -c 'read x; echo got:\$x; read y; echo got2:\$y'"
send Enter
mw_stopped() { [ "$(awk '{ print $3 }' /proc/"$(pgrep -x -P "$(pgrep -x -P "$(pane_pid)" bash)" memwatch)"/stat 2>/dev/null)" = T ]; }
if wait_until 10 eval "pgrep -f '^sh -c read x' > /dev/null"; then
    send_text a
    send Enter
    wait_for 'got:a'
    send C-z
    check "Ctrl-Z: the shell reports the job stopped" wait_screen 'Stopped'
    check "Ctrl-Z: memwatch itself is stopped with its command" wait_until 5 mw_stopped
    send_text fg
    send Enter
    send_text b
    send Enter
    check "fg: the command reads the terminal again" wait_screen 'got2:b'
    check "fg: memwatch ends with its command and prints the summary" wait_screen '^memwatch summary'
else
    fail "Ctrl-Z: the command did not start"
fi

# ---- the dashboard: q, k ends the tree -----------------------------------------------------------
m=$(mark 6)
start_tui "$MEMWATCH" -- bash -c "$(tree "$m")"
wait_for '^PID [0-9]+ '
if wait_until 10 two_sleeps "$m"; then
    track_sleeps "$m"
    send q
    wait_for 'k = end it and quit'
    send k
    check "dashboard q, k: memwatch exits 0" eval '[ "$(wait_exit)" = 0 ]'
    check "dashboard q, k: no 'sleep $m' left" wait_until 5 no_sleeps_of "$m"
else
    fail "dashboard: the sleeps never started"
fi
finish
