#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_marks.sh — marks typed faster than the interval: every one reaches the export, the -o file and a replay.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip "no $PY (apt-get install python3; the CSV is read with Python's csv module, as a user would)"
# marks FILE: every mark of a capture, one label a line, read as Python's csv module reads the
# file; a cell holding several marks joins them with " | " and doubles a label's own '|'.
marks() {
    "$PY" - "$1" <<'PYEOF'
import csv, sys
for row in csv.DictReader(open(sys.argv[1], newline="")):
    cell, label, i = row["marker"], "", 0
    if cell == "":
        continue
    cell = cell[1:] if cell.startswith("'") else cell
    while i <= len(cell):
        if i == len(cell) or cell[i:i + 3] == " | ":
            print(label)
            label, i = "", i + 3
            continue
        label += cell[i]
        i += 2 if cell[i:i + 2] == "||" else 1
PYEOF
}
WANT=$(printf '%s\n' M1 'build | done' M3 '=x' M5)

alloc_start t --alloc 8 || die "mw-alloc did not start"
start_tui "$MEMWATCH" -i 2s -o rec.csv "$ALLOC_PID"
wait_for '^interval 2s  [1-9][0-9]*/100000 samples'
# Five marks in well under the 2 s interval: all wait for the same next sample.
t0=$(now_ms)
send m; send Enter
send m; send_text 'build | done'; send Enter
send m; send Enter
send m; send_text '=x'; send Enter
send m; send Enter
check "the last unlabelled mark is numbered: mark added 'M5'" wait_screen "mark added 'M5'"
note "5 marks sent in $(($(now_ms) - t0)) ms"
wait_for 'since mark' # the next sample came: they are on it
send e
export_status
csv=$EXPORT_CSV
got=$(marks "$csv")
[ "$got" = "$WANT" ] || note "export's marks: $(printf '%s' "$got" | tr '\n' '/')"
check "export: all 5 marks, in order, as Python's csv reads them" test "$got" = "$WANT"
st=$(dashboard_quit)
check "q with -o recording quits at once, status 0" test "$st" = 0
got=$(marks rec.csv)
check "-o file: all 5 marks" test "$got" = "$WANT"

# A replay reads back exactly the marks written: its own export has the same marker cells.
start_tui "$MEMWATCH" --replay "$csv"
wait_for 'REPLAY'
send e
export_status
check "replay: the same marks read back and exported again" test "$(marks "$EXPORT_CSV")" = "$WANT"
st=$(dashboard_quit)
check "replay: q quits, status 0" test "$st" = 0
finish
