#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_marks.sh — marks typed faster than the interval, still waiting at quit, or after the command ended: every one reaches the export, the -o file and a replay.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip "no $PY (apt-get install python3; the CSV is read with Python's csv module, as a user would)"
WANT=$(printf '%s\n' M1 'build | done' M3 '=x' M5)

alloc_start t --alloc 8 || die "mw-alloc did not start"
start_tui "$MEMWATCH" -i 5s -o rec.csv "$ALLOC_PID"
wait_for '^interval 5s  [1-9][0-9]*/100000 samples'
# Five marks in well under the 5 s interval: they wait for the next sample (or two, when a sample
# falls between them).
t0=$(now_ms)
send m; send Enter
send m; send_text 'build | done'; send Enter
send m; send Enter
send m; send_text '=x'; send Enter
send m; send Enter
check "the last unlabelled mark is numbered: mark added 'M5'" wait_screen "mark added 'M5'"
took=$(($(now_ms) - t0))
check "the 5 marks were made within one interval (${took} ms < 5000 ms)" test "$took" -lt 5000
wait_for 'since mark' 10 # the next sample came: they are on it
send e
export_status
csv=$EXPORT_CSV
got=$(marks "$csv")
[ "$got" = "$WANT" ] || note "export's marks: $(printf '%s' "$got" | tr '\n' '/')"
check "export: all 5 marks, in order, as Python's csv reads them" test "$got" = "$WANT"
send q # once: with -o recording nothing is left to ask about
st=$(wait_exit)
check "q with -o recording quits at once, status 0" test "$st" = 0
got=$(marks rec.csv)
check "-o file: all 5 marks" test "$got" = "$WANT"

# A replay reads back exactly the marks written: its own export has the same marker cells.
start_tui "$MEMWATCH" --replay "$csv"
wait_for 'REPLAY'
send e
export_status
check "replay: the same marks read back and exported again" test "$(marks "$EXPORT_CSV")" = "$WANT"
send q # once: a replay never asks
st=$(wait_exit)
check "replay: q quits at once, status 0" test "$st" = 0

# ---- marks the -o file's last row could miss: they must be in it --------------------------------
# The newest sample's -o row is held until the next sample comes or the session closes, so marks
# that join it late are written with it.
# Marks still waiting for the next sample when q stops the recording: they go on the last sample.
# A 1-minute interval: no second sample comes while they are typed.
start_tui "$MEMWATCH" -i 1m -o wait.csv "$ALLOC_PID"
wait_for '^interval 1m  1/100000 samples'
send m; send_text 'waiting | 1'; send Enter
send m; send Enter
check "waiting marks: both added" wait_screen "mark added 'M2'"
send q
st=$(wait_exit)
check "waiting marks: q quits, status 0" test "$st" = 0
got=$(marks wait.csv)
[ "$got" = "$(printf '%s\n' 'waiting | 1' M2)" ] || note "wait.csv's marks: $(printf '%s' "$got" | tr '\n' '/')"
check "waiting marks: -o's last (only) row holds both" \
    eval '[ "$(rows wait.csv)" = 1 ] && [ "$got" = "$(printf "%s\n" "waiting | 1" M2)" ]'

# Marks typed after a launched command ended (the dashboard stays open), after its last row.
AFTER=$(printf '%s\n' 'after | end' M2 '=late')
start_tui "$MEMWATCH" -i 50ms -o after.csv -- "$MW_ALLOC" --leak 1 --every 50 --steps 4 --then-exit 0
wait_for 'process ended: data kept, e exports'
n_end=$(screen_samples)
send m; send_text 'after | end'; send Enter
check "after the end: first mark added" wait_screen "mark added 'after \| end'"
send m; send Enter
check "after the end: second mark added" wait_screen "mark added 'M2'"
send m; send_text '=late'; send Enter
check "after the end: third mark added" wait_screen "mark added '=late'"
send e
export_status
got=$(marks "$EXPORT_CSV")
[ "$got" = "$AFTER" ] || note "export's marks: $(printf '%s' "$got" | tr '\n' '/')"
check "after the end: the export has all 3 marks" test "$got" = "$AFTER"
send q
st=$(wait_exit)
check "after the end: q quits, status 0 (the command's)" test "$st" = 0
got=$(marks after.csv)
[ "$got" = "$AFTER" ] || note "after.csv's marks: $(printf '%s' "$got" | tr '\n' '/')"
check "after the end: -o file has all 3 marks" test "$got" = "$AFTER"
check "after the end: -o file has every sample (${n_end:-?}) and the export's rows" \
    eval '[ "$(rows after.csv)" = "$EXPORT_ROWS" ] && [ "$(rows after.csv)" = "${n_end:-x}" ]'

# kill -9 while recording: the held row is lost (at most it), the file still replays.
start_tui "$MEMWATCH" -i 50ms -o k9.csv "$ALLOC_PID"
wait_until 10 has_rows 5 k9.csv || fail "kill -9: no rows recorded"
mw=$(pgrep -x -P "$(tmux_fmt '#{pane_pid}')" memwatch) || die "no memwatch process in the pane"
kill -9 "$mw"
wait_exit > /dev/null
r=$(rows k9.csv)
start_tui "$MEMWATCH" --replay k9.csv
check "kill -9: the file replays ($r rows)" wait_screen "REPLAY" 10
send q
check "kill -9: replay quits at once, status 0" test "$(wait_exit)" = 0
finish
