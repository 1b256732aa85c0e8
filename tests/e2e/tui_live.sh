#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_live.sh — the dashboard watching mw-alloc by PID: header, charts, alloc, pause, +/-, mark, export.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

alloc_start t --alloc 8 || die "mw-alloc did not start"
start_tui "$MEMWATCH" "$ALLOC_PID"

# ---- (a) what the screen shows, and an allocation showing up ---------------------------------
wait_for "^PID $ALLOC_PID  .*mw-alloc --alloc 8 "
wait_for '^interval 250ms  [0-9]+/100000 samples'
wait_for '^RSS [0-9.]+ [KMG]?i?B  '
wait_for '^VSZ [0-9.]+ [KMG]?i?B  '
wait_for '^now RSS [0-9.]+ [KMG]?i?B  VSZ '
wait_for '^q quit  space pause  \? help'
rss0=$(now_rss_mib)
approx "$rss0" 9 4 || die "RSS $rss0 MiB with 8 MiB allocated"
ok "header, RSS and VSZ charts, current values (RSS $rss0 MiB)"

alloc_cmd_ok t 'alloc 100' >/dev/null
rss_rose() { approx "$(now_rss_mib)" "$(awk -v r="$rss0" 'BEGIN { print r + 100 }')" 3; }
poll 10 "the RSS to rise by 100 MiB from $rss0 MiB" rss_rose
ok "alloc 100: RSS now $(now_rss_mib) MiB"
wait_for '^growth \+1[0-9][0-9]\.[0-9] MiB'

# ---- (b) pause: the view freezes, samples keep arriving ---------------------------------------
send Space
wait_for 'PAUSED \(\+[0-9]+ new\)'
wait_for '^paused  zoom all'
wait_for 'space resume'
new_count() { screen | sed -n 's/.*PAUSED (+\([0-9]*\) new).*/\1/p'; }
n1=$(new_count)
frozen=$(now_rss_mib)
alloc_cmd_ok t 'alloc 20' >/dev/null
more_new() { [ "$(new_count)" -ge $((n1 + 4)) ]; }
poll 10 "new samples counted while paused (from +$n1)" more_new
[ "$(now_rss_mib)" = "$frozen" ] || die "the paused view moved: RSS $frozen -> $(now_rss_mib) MiB"
ok "paused: view frozen at $frozen MiB, +$(new_count) new samples"
send p
wait_screen_gone 'PAUSED'
wait_for '^live  zoom all'
rss_has_20_more() { approx "$(now_rss_mib)" "$(awk -v r="$frozen" 'BEGIN { print r + 20 }')" 3; }
poll 10 "the resumed view to show the 20 MiB allocated while paused" rss_has_20_more
ok "resumed: RSS $(now_rss_mib) MiB"

# ---- (c) + / - walk the interval ladder --------------------------------------------------------
step() {
    send "$1"
    wait_for "^interval $2  "
}
step + 100ms
step + 50ms
step + 20ms
step + 10ms
send +
wait_for 'interval 10ms is the fastest step'
c0=$(screen_samples)
fast() { [ "$(screen_samples)" -ge $((c0 + 50)) ]; }
poll 10 "50 samples at 10ms (from $c0)" fast
for iv in 20ms 50ms 100ms 250ms 500ms 1s 2s 5s 10s; do step - "$iv"; done
send -
wait_for 'interval 10s is the slowest step'
for iv in 5s 2s 1s 500ms 250ms; do step + "$iv"; done
ok "interval ladder 10ms .. 10s both ways, ends reported, 10ms samples fast"

# ---- (j) a mark with a label ---------------------------------------------------------------------
send m
wait_for '^mark label: _'
send_text 'step 1, "quoted"'
wait_for '^mark label: step 1, "quoted"_'
send Enter
wait_for "mark added 'step 1, \"quoted\"'"
wait_for 'since mark "step 1, "quoted""'
send m
wait_for '^mark label: _'
send Escape
wait_screen_gone '^mark label:'
ok "mark with a label shown; Esc cancels the prompt"

# ---- (d) export, then read the CSV -------------------------------------------------------------
last_rss_kib=$(alloc_cmd_ok t rss | sed 's/^ok rss_kib=//')
send e
export_status
rows=$EXPORT_ROWS csv=$EXPORT_CSV
case $csv in
"$(cd "$MW_TMP" && pwd -P)"/memwatch-"$ALLOC_PID"-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9].csv) ;;
*) die "export path '$csv' is not memwatch-$ALLOC_PID-YYYYmmdd-HHMMSS.csv in the cwd" ;;
esac
[ -f "$csv" ] || die "the status line names $csv, which does not exist"
head -1 "$csv" | grep -q '^timestamp,elapsed_s,pid,rss_bytes,vsz_bytes,shared_bytes' ||
    die "CSV header: $(head -1 "$csv")"
# Rows (RFC 4180: a quoted field may hold commas and doubled quotes), pid, timestamps, RSS.
awk -v want="$rows" -v pid="$ALLOC_PID" -v base="$rss0" -v last_kib="$last_rss_kib" \
    -v label='"step 1, ""quoted"""' '
    function bad(m) { print "CSV: " m; err = 1; exit 1 }
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    {
        n++
        if ($col["pid"] != pid) bad("row " n " pid " $col["pid"])
        if ($1 !~ /^[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9][0-9][0-9]Z$/) bad("timestamp " $1)
        if ($2 !~ /^[0-9]+\.[0-9][0-9][0-9]$/ || (n > 1 && $2 + 0 < prev)) bad("elapsed_s " $2)
        prev = $2 + 0
        rss = $col["rss_bytes"] / 1048576
        if (n == 1) first = rss
        if (rss > max) max = rss
        lastrss = $col["rss_bytes"]
        if (index($0, label)) marks++
    }
    END {
        if (err) exit 1
        if (n != want) { print "CSV has " n " rows, the status line said " want; exit 1 }
        if (first < base - 3 || first > base + 3) { print "first RSS " first " MiB, expected ~" base; exit 1 }
        if (max < base + 117 || max > base + 123) { print "max RSS " max " MiB, expected ~" base + 120; exit 1 }
        d = lastrss - last_kib * 1024; if (d < 0) d = -d
        if (d > 2097152) { print "last RSS " lastrss " B, mw-alloc says " last_kib " KiB"; exit 1 }
        if (marks != 1) { print "marker column: " marks + 0 " rows carry the label"; exit 1 }
    }' FS=, "$csv" || die "bad export $csv"
# The label sits in the marker column (the last quoted cell): read it with a quote-aware split.
awk -v label='step 1, "quoted"' 'NR == 1 { next } /"step 1/ {
        s = $0; sub(/^[^"]*"/, "", s); sub(/"(,[^,"]*)*$/, "", s); gsub(/""/, "\"", s)
        if (s != label) { print "marker field: " s; exit 1 }
        found = 1 }
    END { exit !found }' "$csv" || die "the mark's label is not the marker field of its row"
head -1 "$csv" | grep -q ',marker,' || die "no marker column in: $(head -1 "$csv")"
ok "export: $rows rows, header, pid, timestamps, RSS ~$rss0 -> ~$(awk -v r="$rss0" 'BEGIN{print r+120}') MiB, marker column"

# A second export in the same second must not overwrite the first.
send e
# (the first export's status line is still on screen: wait for the second file, not a line)
two_exports() {
    [ "$(find "$MW_TMP" -maxdepth 1 -name 'memwatch-*.csv' | wc -l)" -eq 2 ] ||
        why "two exports should leave two files: $(ls "$MW_TMP" | tr '\n' ' ')"
}
settle 10 two_exports
ok "a second export makes a second file"

send q
st=$(wait_exit)
[ "$st" = 0 ] || die "memwatch exited with status $st after q"
pid_exists "$ALLOC_PID" || die "quitting memwatch ended the watched process"
ok "q quits with status 0, the watched process lives on"
