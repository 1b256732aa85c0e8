#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_record.sh — headless -o recording: rows match the summary, exact header, -t bound, flushing survives kill -9, SIGPIPE.
. "$(dirname "$0")/harness.sh"

alloc_start t --alloc 8 || { fail "mw-alloc did not start"; finish; }
target=$ALLOC_PID

# ---- -o FILE -i 10ms -t 2s: the file and the summary agree ------------------------------------------
start=$(now_ms)
"$MEMWATCH" --no-tui -o rec.csv -i 10ms -t 2s "$target" > sum.txt 2> err.txt
rc=$?
took=$(($(now_ms) - start))
n=$(summary_samples sum.txt)
note "ran ${took} ms, summary samples: ${n:-none}, file rows: $(rows rec.csv)"
check "record: exit 0, no stderr" eval '[ $rc -eq 0 ] && [ ! -s err.txt ]'
# (start-up and exit are not the bound's: the upper limits leave room for a loaded machine)
check "record: -t 2s bounds the run (2.0 .. $((2 + 2 * MW_SLOW)) s)" \
    [ "$took" -ge 2000 -a "$took" -le $((2000 + 2000 * MW_SLOW)) ]
dur=$(sed -n 's/^  duration  [0-9:]* (\([0-9.]*\) s)$/\1/p' sum.txt)
# (first to last sample: the sampler runs until the main thread wakes at -t, late on a slow build)
hi=$(awk -v s="$MW_SLOW" 'BEGIN { printf "%.2f", 2 + 0.25 * s }')
check "record: summary duration ($dur s) is about 2 s (1.95 .. $hi)" \
    awk -v d="${dur:-0}" -v hi="$hi" 'BEGIN { exit !(d >= 1.95 && d <= hi) }'
check "record: header exact" [ "$(head -1 rec.csv)" = "$CSV_HEADER" ]
check "record: row count equals the summary's samples" [ -n "$n" ] && [ "$(rows rec.csv)" -eq "${n:-0}" ]
check "record: ~200 samples at 10 ms (>= $((300 / (MW_SLOW + 1))))" [ "${n:-0}" -ge $((300 / (MW_SLOW + 1))) ]
check "record: every row has 29 fields and the target's PID" \
    awk -F, -v p="$target" 'NR > 1 && (NF != 29 || $3 != p) { bad = 1 } END { exit bad }' rec.csv
# At 1 ms resolution two samples can share a stamp: after a stall the sampler takes the late
# sample at once and the next on schedule. Time must never go back, and mostly go forward.
check "record: elapsed_s and timestamps never go back" \
    awk -F, 'NR > 2 && ($2 + 0 < e || $1 < ts) { print "line " NR ": " $0; bad = 1 }
             NR > 1 { e = $2 + 0; ts = $1 } END { exit bad }' rec.csv
ties=$(awk -F, 'NR > 2 && $2 == e { t++ } NR > 1 { e = $2 } END { print t + 0 }' rec.csv)
note "rows sharing the previous row's elapsed_s: $ties"
# (a loaded or sanitizer build oversleeps more often: a tie per oversleep)
tie_pct=$((MW_SLOW > 1 ? 30 : 10))
check "record: time goes forward on at least $((100 - tie_pct)) % of rows" \
    [ $((ties * 100)) -le $(($(rows rec.csv) * tie_pct)) ]
check "record: RSS includes the 8 MiB allocated" [ "$(column_max rec.csv rss_bytes)" -ge $((8 << 20)) ]
check "record: timestamp = first timestamp + elapsed_s" \
    awk -F, 'NR == 2 { split(substr($1, 12, 12), a, ":"); t0 = a[1] * 3600 + a[2] * 60 + a[3] }
             NR > 1 { split(substr($1, 12, 12), a, ":"); t = a[1] * 3600 + a[2] * 60 + a[3];
                      d = t - t0 - $2; if (d < 0) d += 86400; if (d > 0.0015 && d < 86399) bad = 1 }
             END { exit bad }' rec.csv

# ---- kill -9 the recorder: everything up to < 1 s before the kill is on disk, no partial line ------
"$MEMWATCH" --no-tui -o kill.csv -i 10ms "$target" > /dev/null 2>&1 &
rec=$!
track "$rec"
if wait_until 10 has_rows 100 kill.csv; then
    kill_ms=$(now_ms)
    kill -9 "$rec"
    wait "$rec" 2> /dev/null
    last=$(tail -1 kill.csv | cut -d, -f1)
    last_ms=$(last_row_ms kill.csv) || last_ms=0
    note "kill -9 at $kill_ms; last row stamped $last ($((kill_ms - last_ms)) ms before); $(rows kill.csv) rows"
    check "kill -9: file ends with a complete line" [ "$(tail -c 1 kill.csv | od -An -c | tr -d ' ')" = '\n' ]
    check "kill -9: every line complete (29 fields)" awk -F, 'NF != 29 { bad = 1 } END { exit bad }' kill.csv
    check "kill -9: rows up to < 1 s before the kill were flushed" [ $((kill_ms - last_ms)) -lt 1000 ]
    check "kill -9: no gap in the rows (elapsed steps < 0.5 s)" \
        awk -F, 'NR > 2 && $2 - e > 0.5 { bad = 1 } NR > 1 { e = $2 } END { exit bad }' kill.csv
else
    fail "kill -9: the recorder never wrote 100 rows"
fi

# ---- SIGPIPE: the reader goes away ----------------------------------------------------------------
start=$(now_ms)
"$MEMWATCH" --no-tui -o - -i 10ms "$target" 2> err.txt | head -2 > head.txt
rc=${PIPESTATUS[0]}
took=$(($(now_ms) - start))
note "memwatch | head -2 took $took ms, status $rc"
check "SIGPIPE: ends promptly (< $((3 * MW_SLOW)) s) with status 0 and nothing on stderr" \
    eval '[ $took -lt $((3000 * MW_SLOW)) ] && [ $rc -eq 0 ] && [ ! -s err.txt ]'
check "SIGPIPE: head got the header and one row" \
    eval '[ "$(head -1 head.txt)" = "$CSV_HEADER" ] && [ "$(wc -l < head.txt)" -eq 2 ]'

# Launch mode: the launched command must not outlive memwatch.
rm -f ready
"$MEMWATCH" --no-tui -o - -i 10ms -- "$MW_ALLOC" --ready-file ready --leak 1 --every 100 \
    2> err.txt | { head -2 > head.txt; wait_until 10 test -s ready; }
rc=${PIPESTATUS[0]}
child=$(cat ready 2> /dev/null)
[ -n "$child" ] && track "$child"
check "SIGPIPE in launch mode: status 0, the command is gone" \
    eval '[ $rc -eq 0 ] && [ -n "$child" ] && wait_pid_gone 3 $child'

# ---- -t in launch mode ends the command too (the documented rule), status 0 -------------------------
rm -f ready
start=$(now_ms)
"$MEMWATCH" --no-tui -i 10ms -t 1s -- "$MW_ALLOC" --ready-file ready --leak 1 --every 100 > sum.txt 2> err.txt
rc=$?
took=$(($(now_ms) - start))
child=$(cat ready 2> /dev/null)
[ -n "$child" ] && track "$child"
check "-t 1s in launch mode: ends in 1 .. $((1 + 2 * MW_SLOW)) s, status 0, command terminated" \
    eval '[ $rc -eq 0 ] && [ $took -ge 1000 -a $took -lt $((1000 + 2000 * MW_SLOW)) ] && [ -n "$child" ] && ! alive $child'
check "-t 1s in launch mode: summary says the command was killed by SIGTERM" grep -q "killed by SIGTERM" sum.txt
finish
