#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_tree.sh — key t with -c: the table lists the tree's processes, largest first, root marked, whole at 40 columns; t/Esc close it; without -c and in a replay a notice instead.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

alloc_start t --alloc 8 || die "mw-alloc did not start"
target=$ALLOC_PID
# Three children of different sizes, so that the order is known: 60, 40 and 20 MiB (the parent
# keeps its 8 MiB and a few of its own).
kid() {
    local reply
    reply=$(alloc_cmd t "fork 1 $1")
    case $reply in "ok pids="*) ;; *) die "fork 1 $1: $reply" ;; esac
    track "${reply#ok pids=}"
    echo "${reply#ok pids=}"
}
big=$(kid 60)
mid=$(kid 40)
small=$(kid 20)
note "target $target, children $big (60 MiB) $mid (40 MiB) $small (20 MiB)"

# The table's PIDs, top to bottom: the rows under its column header.
table_pids() {
    screen | awk '/^ +PID +NAME/ { on = 1; next }
                  on && /^ *[0-9]+ / { print $1; next }
                  on { exit }' | tr '\n' ' '
}
want="$big $mid $small $target "

start_tui "$MEMWATCH" -c -i 100ms "$target"
wait_for '4 procs'
wait_for 't procs' # the footer names the key
send t
wait_for "^processes of PID $target: 4"
order_ok() {
    local got
    got=$(table_pids)
    [ "$got" = "$want" ] || why "table order '$got', want '$want' (largest RSS first)"
}
settle 10 order_ok
ok "t: the table lists the 4 processes, largest RSS first ($want)"
check "the target's row is marked '*'" screen_has "^ *$target \\* "
check "each child's row shows its RSS and growth" \
    eval "screen | grep -Eq '^ *$big +.* (5[89]|6[0-9])\\.[0-9] MiB +[0-9.]+% +[-+]'"

# At 40 columns the rows stay whole: PID, marker, name, RSS (and SHARE: the names are short);
# the rest dropped.
resize 40 30
narrow_ok() {
    local bad
    [ "$(table_pids)" = "$want" ] || why "rows at 40 columns: '$(table_pids)'"
    bad=$(screen | awk '/^ +PID +NAME/ { on = 1; next } on && /^ *[0-9]+ / { print; next } on { exit }' |
        grep -Ev '^ *[0-9]+ [ *!]{2} [^ ]+ +[0-9.]+ [KMG]?i?B( +[0-9.]+%)?$')
    [ -z "$bad" ] || why "a row at 40 columns is not whole: '$bad'"
}
settle 10 narrow_ok
ok "40 columns: every row whole (PID, marker, name, RSS, share)"
resize 100 30

send t
wait_screen_gone "^processes of PID"
wait_for '^RSS '
ok "t again: the table closes, the charts are back"
send t
wait_for "^processes of PID $target"
send Escape
wait_screen_gone "^processes of PID"
ok "Esc closes the table too"
st=$(dashboard_quit)
check "q quits with 0 (got $st)" [ "$st" = 0 ]

# ---- without -c: a notice, not an empty table ---------------------------------------------------
start_tui "$MEMWATCH" -i 100ms "$target"
wait_for '^RSS '
send t
check "without -c: t says the table needs -c" wait_screen 'the process table needs -c'
check "without -c: no table" eval '! screen_has "^processes of PID"'
st=$(dashboard_quit)

# ---- a replay has no processes -----------------------------------------------------------------
"$MEMWATCH" --no-tui -c -i 50ms -t 500ms -o rec.csv "$target" >/dev/null 2>&1
[ -s rec.csv ] || die "no capture recorded for the replay"
start_tui "$MEMWATCH" --replay rec.csv
wait_for 'REPLAY'
send t
check "replay: t says the table is live only" wait_screen 'process table is live only'
check "replay: no table" eval '! screen_has "^processes of PID"'
st=$(dashboard_quit)
finish
