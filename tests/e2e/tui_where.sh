#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_where.sh — "where it went" (key w): the heap that grew tops the smaps diff, since the start and since a mark; its CSV; 100,000 mappings read while the keys still work; an exited or unreadable process gets one line; headless prints the top groups.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip "no $PY (apt-get install python3; the CSV is read with Python's csv module)"
HEAP32='\+3[2-9]\.[0-9] MiB +[0-9.]+ [KMG]iB +\[heap\]'

# ---- the heap grows by 32 MiB: [heap] tops the diff since the start ------------------------------
alloc_start t || die "mw-alloc did not start"
start_tui "$MEMWATCH" -i 100ms "$ALLOC_PID"
wait_for ' [1-9][0-9]*/[0-9]+ samples'
send w
# The baseline (read at the first sample) and this read are queued in order: a result since the
# start means the baseline is in.
wait_for 'where it went: smaps since start'
wait_for 'read .*, [0-9]+ mappings in [0-9]+ ms'
send Escape
wait_screen_gone 'where it went'
alloc_cmd_ok t "brk 32" >/dev/null
send w
check "after brk 32: [heap] grew by 32 MiB or more" wait_screen "$HEAP32"
first=$(screen | grep -A1 'growth    RSS now' | tail -1)
expect "[heap] is the first row (largest growth first): '$first'" grep -q '\[heap\]' <<<"$first"

# e over the overlay: the diff as CSV, named like the e export, never replacing a file.
send e
status=$(screen_line '^exported [0-9]+ smaps groups to /')
csv=$(printf '%s\n' "$status" | sed 's/^exported [0-9]* smaps groups to \([^ ]*\.csv\).*/\1/')
case $csv in "$MW_TMP"/memwatch-"$ALLOC_PID"-*-smaps.csv) ok "export named $csv" ;; *) fail "export path '$csv'" ;; esac
got=$("$PY" - "$csv" <<'PYEOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
h = [r for r in rows if r["group"] == "[heap]"][0]
print(rows[0]["group"], h["kind"], h["change"], int(h["rss_growth_bytes"]) >= 32 << 20,
      int(h["rss_now_bytes"]) - int(h["rss_then_bytes"]) == int(h["rss_growth_bytes"]))
PYEOF
)
expect "CSV: [heap] first, kind heap, in both reads, grown >= 32 MiB, columns agree: $got" \
    test "$got" = "[heap] heap both True True"

# ---- a mark takes a new baseline: the heap grew before it, not since ------------------------------
send Escape
send m
send Enter
wait_for "mark added 'M1'"
send w
check "the overlay counts from the mark" wait_screen "where it went: smaps since mark 'M1'"
check "since the mark, the heap did not grow 32 MiB" wait_screen '\+0 B +[0-9.]+ [KMG]iB +\[heap\]'

# ---- 100,000 mappings: read on the worker, the dashboard keeps answering keys ---------------------
send Escape
limit=$(cat /proc/sys/vm/max_map_count)
if [ "$limit" -lt 101000 ]; then
    # Raised only while mw-alloc maps (the limit gates new mappings, not existing ones).
    if [ -w /proc/sys/vm/max_map_count ] && echo 110000 >/proc/sys/vm/max_map_count 2>/dev/null; then
        r=$(alloc_cmd t "maps 100000")
        echo "$limit" >/proc/sys/vm/max_map_count
    else
        r="skipped: vm.max_map_count is $limit and cannot be raised here (not root)"
    fi
else
    r=$(alloc_cmd t "maps 100000")
fi
if [ "$r" = "ok maps=100000" ]; then
    send w
    send +
    # The interval's answer on the status line while the overlay still says it is reading:
    # the key was handled during the read, not after it.
    both() { screen | grep -q 'sampling every 50ms' && screen | grep -q 'reading again'; }
    if wait_until 10 both; then
        ok "a key pressed during the 100,000-mapping read took effect before the read ended"
    else
        fail "the + key's answer did not show while the read ran"
    fi
    line=$(screen_line 'read .*, 1000[0-9][0-9] mappings in [0-9]+ ms' 30)
    note "100,000 mappings: ${line#│ }"
    send -
    check "keys still work after it: sampling every 100ms" wait_screen 'sampling every 100ms'
else
    note "100,000 mappings: $r"
fi

# ---- the process is gone: one line, no table -------------------------------------------------------
send Escape
alloc_cmd t "exit 0" >/dev/null
wait_for 'exited'
send w
check "exited: one line naming the file" wait_screen "cannot read /proc/$ALLOC_PID/smaps: the process has exited"
if screen_has 'growth    RSS now'; then fail "exited: a table under the error line"; else ok "exited: no table"; fi
send Escape
send q
wait_exit >/dev/null

# ---- another user's process: permission denied, named -----------------------------------------------
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
    alloc_start u || die "mw-alloc did not start"
    chmod 755 "$MW_TMP"
    start_tui_sh "setpriv --reuid=65534 --regid=65534 --clear-groups '$MEMWATCH' -i 100ms $ALLOC_PID"
    wait_for ' [1-9][0-9]*/[0-9]+ samples'
    send w
    wait_screen "cannot read /proc/$ALLOC_PID/smaps: permission denied" || screen | sed -n 3,5p
    check "unreadable: one line naming the file and why" \
        screen_has "cannot read /proc/$ALLOC_PID/smaps: permission denied"
    send Escape
    send q
    wait_exit >/dev/null
else
    note "unreadable smaps: not tested (needs root and setpriv to run memwatch as another user)"
fi

# ---- headless: the summary names what grew since the start ------------------------------------------
alloc_start h || die "mw-alloc did not start"
"$MEMWATCH" --no-tui -i 100ms -t 4s -o h.csv "$ALLOC_PID" >summary.txt 2>&1 &
hl=$!
track "$hl"
poll 10 "the recording's 5th row (the baseline is read at the first)" has_rows 5 h.csv
alloc_cmd_ok h "brk 32" >/dev/null
wait "$hl"
line=$(grep 'where it went' summary.txt)
expect "headless summary: [heap] grew 32 MiB since the start: '$line'" \
    grep -Eq 'where it went since start: all mappings \+3[2-9]\.[0-9] MiB; \[heap\] \+3[2-9]\.[0-9] MiB' summary.txt

# ---- headless: mmaps the kernel merges count once ------------------------------------------------
# 32 MiB mapped before the baseline, then 10 x 4 MiB placed just below it: the kernel merges them
# into one mapping whose start moved. Matched by name that was "anon NEW +72 MiB" (and a -32 MiB
# "gone" row past the top five); matched by range it is the 40 MiB that really came.
alloc_start g || die "mw-alloc did not start"
alloc_cmd_ok g "alloc 32" >/dev/null
"$MEMWATCH" --no-tui -i 100ms -t 4s -o g.csv "$ALLOC_PID" >merged.txt 2>&1 &
hl=$!
track "$hl"
poll 10 "the recording's 5th row (the baseline is read at the first)" has_rows 5 g.csv
for _ in 1 2 3 4 5 6 7 8 9 10; do alloc_cmd_ok g "alloc 4" >/dev/null; done
wait "$hl"
line=$(grep 'where it went' merged.txt)
expect "headless: 10 merged 4 MiB mmaps are +40 MiB in all and in one anon row: '$line'" \
    grep -Eq 'where it went since start: all mappings \+(39\.[5-9]|4[0-3]\.[0-9]) MiB; anon [0-9a-f]+ \+(39\.[5-9]|4[0-3]\.[0-9]) MiB' merged.txt
finish
