#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_replay.sh — record with -o, --replay it in tmux (REPLAY, same peak), bad line numbers, a 1,000,000-row file bounded by -H, exported whole and replayed.
. "$(dirname "$0")/harness.sh"

# ---- record a capture with a distinct peak: +40 MiB for a while, then freed -----------------------
alloc_start t || { fail "mw-alloc did not start"; finish; }
"$MEMWATCH" --no-tui -o rec.csv -i 20ms "$ALLOC_PID" > sum.txt 2> err.txt &
mw=$!
track "$mw"
wait_until 10 has_rows 5 rec.csv || fail "the recorder wrote no rows"
alloc_cmd t "alloc 40" > /dev/null
r=$(rows rec.csv)
wait_until 10 has_rows $((r + 10)) rec.csv
alloc_cmd t "free" > /dev/null
r=$(rows rec.csv)
wait_until 10 has_rows $((r + 10)) rec.csv
kill -INT "$mw"
wait "$mw"
peak=$(grep -m1 '^  RSS ' sum.txt | sed 's/.*peak \([0-9.]* [KMG]*i*B\) at.*/\1/')
note "headless summary peak: '$peak'"
check "record: a peak of at least 40 MiB" [ "$(summary_peak sum.txt)" -ge $((40 << 20)) ]

# ---- replay it in the dashboard ---------------------------------------------------------------------
start_tui_sh "'$MEMWATCH' --replay rec.csv" 100 30
check "replay: the screen says REPLAY" wait_screen "REPLAY" 10
check "replay: the screen shows the headless summary's peak ($peak)" wait_screen "peak $peak" 10
screen > replay-screen.txt
st=$(dashboard_quit)
check "replay: q quits with status 0 (got $st)" [ "$st" = 0 ]

# ---- a malformed file: the error names the line ----------------------------------------------------
awk -F, -v OFS=, 'NR == 5 { $4 = "12x" } { print }' rec.csv > bad.csv
in_pty "'$MEMWATCH' --replay bad.csv 2> err" > /dev/null
rc=$?
note "$(cat err)"
check "replay bad number on line 5: 'bad.csv:5:' in one line, status 2" \
    eval '[ $rc -eq 2 ] && [ "$(wc -l < err)" -eq 1 ] && grep -q "bad.csv:5:" err'
awk 'NR == 7 { print substr($0, 1, 30); next } { print }' rec.csv > cut.csv
in_pty "'$MEMWATCH' --replay cut.csv 2> err" > /dev/null
rc=$?
check "replay truncated line 7: 'cut.csv:7:' in the error, status 2" \
    eval '[ $rc -eq 2 ] && [ "$(wc -l < err)" -eq 1 ] && grep -q "cut.csv:7:" err'

# ---- 1,000,000 rows, -H 1000: loads, the newest 1000 kept ------------------------------------------
# One row every 10 ms from 2026-01-01T00:00:00.000Z; RSS = 1 MiB + (i mod 1000) KiB, with one
# peak of 999 MiB at row 500000, outside the kept window. (The dashboard's peak is that of the
# kept samples, so it is not checked here.)
awk -v n=1000000 'BEGIN {
    print "timestamp,elapsed_s,pid,rss_bytes,vsz_bytes,shared_bytes,anon_bytes,file_bytes,shmem_bytes,swap_bytes,hwm_bytes,nprocs,hwm_rose,marker"
    for (i = 0; i < n; i++) {
        ms = i * 10; s = int(ms / 1000)
        rss = 1048576 + (i % 1000) * 1024; if (i == 500000) rss = 999 * 1048576
        printf "2026-01-01T%02d:%02d:%02d.%03dZ,%d.%03d,4242,%d,%d,0,,,,,,1,0,\n",
            int(s / 3600), int(s / 60) % 60, s % 60, ms % 1000, s, ms % 1000, rss, rss * 2
    }
}' > big.csv
check "generated 1,000,000 rows" [ "$(rows big.csv)" -eq 1000000 ]
start=$(now_ms)
start_tui_sh "'$MEMWATCH' --replay big.csv -H 1000" 100 30
if wait_screen "REPLAY" 40; then
    note "1,000,000-row replay on screen after $(($(now_ms) - start)) ms"
    ok "replay of 1,000,000 rows with -H 1000 loads"
    check "replay of 1,000,000 rows: 1000 samples kept of 1000000" screen_has "1000/1000 samples  1000000 taken"
    screen > big-screen.txt
    # Its export holds the whole run: the merged history first (the 999 MiB peak of row 500000
    # in a bucket's rss_bytes_max), then the 1000 samples; every row says how many it stands for.
    export_ok 4242
    check "export of the 1,000,000-row replay: samples is the last column" \
        eval "head -n 1 '$EXPORTED' | grep -q ',samples\$'"
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        { n += $col["samples"]; if ($col["rss_bytes_max"] > max) max = $col["rss_bytes_max"];
          if ($col["first_elapsed_s"] == "") full++ }
        END { print n, max, full }' "$EXPORTED" > exp-sums.txt
    note "export: samples, highest rss_bytes_max, full-resolution rows: $(cat exp-sums.txt)"
    check "export: its rows stand for 1000000 samples, the peak of 999 MiB among them, 1000 at full resolution" \
        [ "$(cat exp-sums.txt)" = "1000000 $((999 << 20)) 1000" ]
    cp "$EXPORTED" merged.csv
else
    fail "replay of 1,000,000 rows did not show within 40 s"
fi
st=$(dashboard_quit)
check "replay of 1,000,000 rows: q quits with status 0 (got $st)" [ "$st" = 0 ]

# ---- the export replays into the same history: the run's length and its full-resolution part ------
if [ -f merged.csv ]; then
    start_tui_sh "'$MEMWATCH' --replay merged.csv -H 1000" 100 30
    check "replay of the export: 1000 samples kept of 1000000" wait_screen "1000/1000 samples  1000000 taken" 20
    st=$(dashboard_quit)
    check "replay of the export: q quits with status 0 (got $st)" [ "$st" = 0 ]
    # merged rows alone (the export cut before its samples) are no run to show
    head -n 20 merged.csv > merged-only.csv
    in_pty "'$MEMWATCH' --replay merged-only.csv 2> err" > /dev/null
    rc=$?
    note "$(cat err)"
    check "replay of merged rows only: one line, status 2" \
        eval '[ $rc -eq 2 ] && [ "$(wc -l < err)" -eq 1 ] && grep -q "merged rows only" err'
fi
[ "$MW_FAILS" -gt 0 ] && { echo "--- last screen:"; screen; cat replay-screen.txt; }
finish
