#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_marks_remote.sh — marks from outside a running dashboard (memwatch --mark, SIGUSR1): said on the message line, drawn on the chart, in the export; the socket goes at q.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3 (apt-get install python3; the CSV is read with Python's csv module)"
export XDG_RUNTIME_DIR=$MW_TMP/xdg # private: the user's real one is never touched
mkdir -m 700 "$XDG_RUNTIME_DIR"
DIR=$XDG_RUNTIME_DIR/memwatch
MARK_AXIS='┴' # the chart's time axis under a marked sample (UTF-8 glyphs in the pane)

alloc_start t --alloc 8 || die "mw-alloc did not start"
start_tui env XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR" "$MEMWATCH" -i 100ms "$ALLOC_PID"
wait_for '^interval 100ms  [1-9][0-9]*/100000 samples'
sock=$(ls "$DIR"/mw-*.sock 2>/dev/null)
MW=${sock##*/mw-}
MW=${MW%.sock}
check "the dashboard listens on $DIR/mw-PID.sock (got '$sock')" test -S "$DIR/mw-$MW.sock"
check "... and memwatch $MW watches mw-alloc $ALLOC_PID" test -L "$DIR/target-$ALLOC_PID-$MW"
check "no mark on the chart yet" eval '! screen_has "$MARK_AXIS"'

out=$("$MEMWATCH" --mark "$ALLOC_PID" "from the shell" 2>&1)
st=$?
check "--mark while the dashboard runs: exit 0 (got $st)" test "$st" = 0
check "... $out" test "$out" = \
    "memwatch: mark 'from the shell' added (memwatch PID $MW watching PID $ALLOC_PID)"
check "the message line: mark added (from outside)" \
    wait_screen "mark added 'from the shell' \(from outside\)"
check "the mark is drawn on the chart's axis" wait_screen "$MARK_AXIS"

kill -USR1 "$MW"
check "SIGUSR1: an unlabelled mark, numbered" wait_screen "mark added 'M2' \(from outside\)"
wait_for 'since mark "M2"' 10 # the next sample came: the mark is on it
send e
export_status
got=$(marks "$EXPORT_CSV" | tr '\n' '/')
check "the export holds both marks ($got)" test "$got" = "from the shell/M2/"

send q
st=$(wait_exit)
check "q quits, status 0" test "$st" = 0
check "the socket is gone with the dashboard" test ! -e "$DIR/mw-$MW.sock"
check "... and the target's entry" test ! -e "$DIR/target-$ALLOC_PID-$MW"

# ---- a mark memwatch refuses (its sample's cell is full) is said on the message line ------------
start_tui env XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR" "$MEMWATCH" -i 1m "$ALLOC_PID"
wait_for '^interval 1m  1/100000 samples'
label=$(printf 'L%.0s' {1..40})
refused=0
for i in $(seq 1 60); do # one sample a minute: every mark lands on the first one's cell
    "$MEMWATCH" --mark "$ALLOC_PID" "$label$i" > /dev/null 2>&1 || { refused=$i; break; }
done
check "42-byte marks on one sample: one is refused (after $refused)" test "$refused" -gt 1
check "the message line says the refusal and why" \
    wait_screen "mark from outside: mark not added: this sample holds too many marks"
send q
st=$(wait_exit)
check "q quits, status 0" test "$st" = 0
finish
