#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_compare.sh — --compare in the dashboard: a real recording drawn as dots over a replay and over a live run, aligned at the starts or at a mark made live.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
PY=/usr/bin/python3
[ -x "$PY" ] || skip "no $PY (apt-get install python3; it writes a mark into a recording)"
dots() { screen | grep -o "$1" | wc -l; }

# Two real recordings: mw-alloc leaking 2 MiB (b, "before") and 6 MiB (a, "after") every 100 ms.
record() { # NAME LEAK_MIB
    "$MEMWATCH" --no-tui -i 50ms -o "$1.csv" -- "$MW_ALLOC" --leak "$2" --every 100 --steps 12 \
        --then-exit 0 </dev/null >"$1.out" 2>&1 || die "recording $1 failed: $(head -c 300 "$1.out")"
    [ "$(rows "$1.csv")" -ge 10 ] || die "$1.csv has $(rows "$1.csv") rows"
}
record a 6
record b 2
peak_a=$(mib "$(column_max a.csv rss_bytes)")
peak_b=$(mib "$(column_max b.csv rss_bytes)")

# ---- a replay with the other drawn over it -------------------------------------------------------
start_tui -s 110x34 "$MEMWATCH" --replay a.csv --compare b.csv
wait_for 'REPLAY'
check "RSS's title row names b.csv with its peak ($peak_b MiB)" \
    wait_screen "^RSS .*• b\.csv ▲ $peak_b MiB"
check "VSZ's title row too" wait_screen "^VSZ .*• b\.csv ▲ "
check "the compare row: how they are aligned, both peaks ($peak_a vs $peak_b MiB)" \
    wait_screen "^compare • b\.csv \(t=0 at each start\): peak $peak_a MiB vs $peak_b MiB \([+-][0-9]+%\)"
n=$(dots '•')
check "b.csv is drawn as dots across the charts ($n)" test "$n" -gt 60
# The smaller leak is under the larger one: its last dot in the RSS chart is below a's top bar.
rss_rows=$(screen | sed -n '/^RSS /,/^ *[0-9.]* [KMG]iB └/p')
top_bar=$(printf '%s\n' "$rss_rows" | grep -n '[▁▂▃▄▅▆▇█]' | head -1 | cut -d: -f1)
top_dot=$(printf '%s\n' "$rss_rows" | tail -n +2 | grep -n '•' | head -1 | cut -d: -f1)
check "b's dots stay below a's highest bars (rows: bar $top_bar, dot $((top_dot + 1)))" \
    test -n "$top_bar" -a -n "$top_dot" -a "$((top_dot + 1))" -gt "$top_bar"
send 0
check "key 0 keeps the dots (y-axis from zero)" wait_until 5 eval '[ "$(dots "•")" -gt 60 ]'
st=$(dashboard_quit)
check "q quits the replay, status 0 (got $st)" test "$st" = 0

start_tui -s 110x34 "$MEMWATCH" --ascii --replay a.csv --compare b.csv
wait_for 'REPLAY'
check "--ascii: the legend's dot is 'o'" wait_screen "^RSS .* o b\.csv \^ $peak_b MiB"
check "--ascii: the compare row too" wait_screen "^compare o b\.csv \(t=0 at each start\)"
st=$(dashboard_quit)
check "q quits, status 0 (got $st)" test "$st" = 0

# ---- live: aligned at the starts until the run makes the mark, then at the mark -------------------
"$PY" - <<'PYEOF' >bm.csv || die "could not write bm.csv"
import csv, sys
r = list(csv.reader(open("b.csv", newline="")))
k = r[0].index("marker")
r[len(r) // 2][k] = "warm"
csv.writer(sys.stdout, lineterminator="\n").writerows(r)
PYEOF
alloc_start t --alloc 8 || die "mw-alloc did not start"
start_tui -s 110x34 "$MEMWATCH" -i 100ms --compare bm.csv --compare-at warm "$ALLOC_PID"
check "before the mark: aligned at the starts, and said" \
    wait_screen "^compare • bm\.csv \(t=0 at each start until mark 'warm'\): peak "
send m; send_text warm; send Enter
check "the mark is made" wait_screen "mark added 'warm'"
check "then: aligned at the mark" wait_screen "^compare • bm\.csv \(t=0 at mark 'warm'\): peak "
check "the live run's charts carry the dots" wait_until 5 eval '[ "$(dots "•")" -gt 3 ]'
st=$(dashboard_quit)
check "q quits the live dashboard, status 0 (got $st)" test "$st" = 0
check "the watched process is left running" pid_exists "$ALLOC_PID"
finish
