#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_tree_end.sh — ending a launched command ends its whole process tree (-t, SIGTERM, Ctrl-C, k), escapees named; the terminal and the group after it.
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
# -t is long enough for bash to start both sleeps first (waited for), so that "none left" after
# the end cannot pass because there never were any.
m=$(mark 1)
"$MEMWATCH" --no-tui -t 5s -- bash -c "$(tree "$m")" > sum.txt 2> err.txt &
mw=$!
track "$mw"
if wait_until 5 two_sleeps "$m"; then
    track_sleeps "$m"
    if wait_until 20 eval '! alive "$mw"'; then
        wait "$mw"
        rc=$?
        check "-t 5s: memwatch ends (status $rc) and no 'sleep $m' is left" \
            wait_until 5 no_sleeps_of "$m"
    else
        fail "-t 5s: memwatch still runs 20 s after it started"
    fi
else
    fail "-t 5s: the command's two sleeps never started within the 5 s"
fi

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
"$MEMWATCH" --no-tui -t 5s -- bash -c "setsid sleep $e & $(tree "$m")" > sum.txt 2> err.txt &
mw=$!
track "$mw"
wait_until 5 eval 'two_sleeps "$m" && sleeps_of "$e" > /dev/null' ||
    fail "escapee: the command's sleeps never all started within the 5 s"
track_sleeps "$e"
track_sleeps "$m"
esc=$(sleeps_of "$e" | head -1)
wait_until 20 eval '! alive "$mw"' || fail "escapee: memwatch still runs 20 s after it started"
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

# ---- Ctrl-Z then bg: memwatch in the background never takes the terminal from the shell ---------
# With SIGTTOU blocked, tcsetpgrp works from the background too: memwatch must take the terminal
# back only from its command's group, not from the shell that holds it after `bg`.
start_tui_sh "env PS1='prompt> ' bash --norc --noprofile -i"
wait_for '^prompt>'
send_text "'$MEMWATCH' --no-tui -- sh -c 'read x; echo got:\$x; until [ -e bg.go ]; do sleep 0.05; done'"
send Enter
if wait_until 10 eval "pgrep -f '^sh -c read x' > /dev/null"; then
    shell=$(pgrep -x -P "$(pane_pid)" bash)
    send_text a
    send Enter
    wait_for 'got:a'
    send C-z
    wait_for 'Stopped'
    send_text bg
    send Enter
    mw=$(pgrep -x -P "$shell" memwatch)
    wait_until 5 eval '[ "$(awk "{ print \$3 }" /proc/$mw/stat 2>/dev/null)" != T ]' ||
        fail "bg: memwatch was not continued"
    touch bg.go
    wait_pid_gone 10 "$mw" || fail "bg: memwatch did not end with its command"
    check "bg: after memwatch ends in the background, the shell still holds the terminal" \
        eval '[ "$(ps -o tpgid= -p "$shell" | tr -d " ")" = "$(ps -o pgid= -p "$shell" | tr -d " ")" ]'
    send_text "echo still-the-shells"
    send Enter
    check "bg: the shell reads and runs the next command" wait_screen '^still-the-shells'
else
    fail "bg: the command did not start"
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
# ---- after the command: its orphans are collected, its group's number forgotten ---------------
# An orphan of the command (adopted by memwatch, a subreaper) that exits after the command does
# is collected at the next poll, not left a zombie until memwatch exits.
start_tui "$MEMWATCH" -i 100ms -- sh -c 'sleep 2 & echo $! > orphan.pid'
wait_for 'exited \(status 0\)'
poll 5 "the orphan's PID file" test -s orphan.pid
orphan=$(cat orphan.pid)
track "$orphan"
mw=$(pgrep -x -P "$(pane_pid)" memwatch)
check "orphan: memwatch adopted the command's orphan (premise)" \
    eval '[ "$(awk "/^PPid:/ { print \$2 }" /proc/$orphan/status 2>/dev/null)" = "$mw" ]'
check "orphan: exiting after the command, it is collected at once (no zombie)" \
    wait_until 10 eval '! pid_exists "$orphan"'

# The command's group is empty: its number is free, and here a stranger is given it on purpose
# (ns_last_pid). Quitting must not signal the stranger's group.
# plant_group PGID: start a stranger (setsid sleep) leading process group PGID; its PID in $stranger.
plant_group() {
    local want=$1 i
    for i in 1 2 3 4 5; do
        echo $((want - 1)) > /proc/sys/kernel/ns_last_pid
        setsid sleep 60 &
        stranger=$!
        track "$stranger"
        [ "$stranger" = "$want" ] &&
            wait_until 5 eval '[ "$(ps -o pgid= -p "$stranger" | tr -d " ")" = "$want" ]' && return 0
        kill "$stranger" 2> /dev/null # another fork took the number first: try again
    done
    return 1
}
send q
wait_exit > /dev/null
start_tui "$MEMWATCH" -i 100ms -- sh -c 'exit 0'
wait_for 'exited \(status 0\)'
pgid=$(screen_line '^PID [0-9]+ ' | awk '{ print $2 }')
if ! { : > /proc/sys/kernel/ns_last_pid; } 2> /dev/null; then
    note "reused group number: skipped (needs root to write /proc/sys/kernel/ns_last_pid)"
elif plant_group "$pgid"; then
    send q
    wait_exit > /dev/null
    check "reused group number: quitting leaves the stranger now leading group $pgid alone" \
        eval 'alive "$stranger" && ! screen_has "left processes in its process group"'
    kill "$stranger" 2> /dev/null
else
    fail "reused group number: could not give PID $pgid to a stranger in 5 tries"
fi
finish
