#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_children.sh — -c sums RSS over a forked tree (total reached, process count shown headless and in the TUI header).
. "$(dirname "$0")/harness.sh"

MIB=$((1 << 20))
alloc_start t || { fail "mw-alloc did not start"; finish; }
target=$ALLOC_PID
alloc_cmd t "alloc 20" > /dev/null

# ---- headless -c recording while 3 children of 40 MiB each come and go ----------------------------
"$MEMWATCH" --no-tui -c -i 50ms -o tree.csv "$target" > sum.txt 2> err.txt &
mw=$!
track "$mw"
wait_until 10 has_rows 2 tree.csv || fail "-c: no rows recorded"
reply=$(alloc_cmd t "fork 3 40")
note "fork: $reply"
kids=${reply#ok pids=}
for k in ${kids//,/ }; do track "$k"; done
last_col() { tail -1 tree.csv | cut -d, -f"$1"; } # 4 rss_bytes, 12 nprocs
check "-c: the CSV reaches 4 processes" wait_until 10 eval '[ "$(last_col 12)" = 4 ]'
# 20 MiB in the parent + 3 x 40 MiB in the children = 140 MiB (each also has its own few MiB).
check "-c: summed RSS reaches 140 MiB" wait_until 10 eval '[ "$(last_col 4)" -ge $((140 * MIB)) ]'
alloc_cmd t "kill" > /dev/null
check "-c: re-scanned each sample: back to 1 process after the children die" \
    wait_until 10 eval '[ "$(last_col 12)" = 1 ]'
kill -INT "$mw"
wait "$mw"
peak=$(summary_peak sum.txt)
note "summary peak $peak B; $(grep '^  processes' sum.txt)"
check "-c: summary peak >= 140 MiB" [ "${peak:-0}" -ge $((140 * MIB)) ]
check "-c: summary shows the process count (4 at the peak, 1 at the end)" \
    grep -q '^  processes 4 at the RSS peak, 1 at the last sample' sum.txt
check "-c: the CSV's peak row has nprocs 4" \
    awk -F, -v p="$peak" 'NR > 1 && $4 > m { m = $4; n = $12 } END { exit !(n == 4) }' tree.csv

# ---- without -c only the parent counts --------------------------------------------------------------
reply=$(alloc_cmd t "fork 2 40")
kids=${reply#ok pids=}
for k in ${kids//,/ }; do track "$k"; done
"$MEMWATCH" --no-tui -i 50ms -t 500ms "$target" > sum1.txt 2> err.txt
peak1=$(summary_peak sum1.txt)
check "without -c: only the parent's ~20 MiB (got $peak1 B), no process count line" \
    eval '[ "${peak1:-0}" -ge $((20 * MIB)) ] && [ "${peak1:-0}" -lt $((60 * MIB)) ] && ! grep -q "^  processes" sum1.txt'

# ---- the dashboard header says how many processes ---------------------------------------------------
start_tui_sh "'$MEMWATCH' -c -i 100ms $target" 100 30
check "-c dashboard: header shows '3 procs'" wait_screen "3 procs" 10
check "-c dashboard: RSS shown is the sum (>= 100 MiB)" \
    wait_until 10 eval 'screen | grep -Eq "^RSS (1[0-9][0-9](\.[0-9])?|[2-9][0-9][0-9](\.[0-9])?) MiB"'
alloc_cmd t "kill" > /dev/null
# Positive evidence, not just an absence: the header row is on screen without "3 procs", and still
# so a moment later (a frame caught half drawn could lack it).
children_gone() {
    local h
    h=$(screen | grep -E '^interval [^ ]+  [0-9]+/[0-9]+ samples') || return 1
    case $h in *"3 procs"*) return 1 ;; esac
    sleep 0.2
    ! screen_has "3 procs"
}
check "-c dashboard: header drops to '1 procs' or no count once the children die" \
    wait_until 10 children_gone
screen | head -2 | sed 's/^/#      /'
st=$(dashboard_quit)
check "-c dashboard: q quits with 0 (got $st)" [ "$st" = 0 ]
finish
