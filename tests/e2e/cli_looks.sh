#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_looks.sh — the headless summary's wording: peak times (elapsed, wall clock, ms), R², growth %, gaps.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

secs_of_day() { local h m s; IFS=: read -r h m s <<<"$1"; echo $((10#$h * 3600 + 10#$m * 60 + 10#${s%%.*})); }

# ---- a short real run: peak times to the millisecond, with the wall clock ------------------------
t0=$(date +%H:%M:%S)
"$MEMWATCH" --no-tui -i 50ms -- "$MW_ALLOC" --leak 4 --every 100 --steps 8 --then-exit 0 >sum.txt 2>err.txt
rc=$?
t1=$(date +%H:%M:%S)
check "a leak run: exit 0 (got $rc)" [ "$rc" = 0 ]
line=$(grep -m1 '^  RSS ' sum.txt)
note "summary: $line"
check "RSS peak: elapsed and wall clock, to the ms (a run under a minute)" \
    grep -Eq '^  RSS .* peak [0-9.]+ [KMG]iB at 00:00:0[0-9]\.[0-9]{3} \([0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}\)' sum.txt
el=$(sed -n 's/.* at \(00:00:0[0-9]\.[0-9]*\) (\([0-9:.]*\)).*/\1/p' <<<"$line")
wall=$(sed -n 's/.* at \(00:00:0[0-9]\.[0-9]*\) (\([0-9:.]*\)).*/\2/p' <<<"$line")
w=$(secs_of_day "$wall")
within() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
check "the wall clock $wall is within the run ($t0 .. $t1)" \
    within "$w" "$(secs_of_day "$t0")" "$(secs_of_day "$t1")"
check "the peak is late in an 8-step leak (elapsed $el >= 00:00:00.5)" \
    [ "$(secs_of_day "${el%.*}")${el#*.}" -ge 0500 ]
check "VSZ peak has the same form" \
    grep -Eq '^  VSZ .* peak .* at 00:00:0[0-9]\.[0-9]{3} \([0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}\)' sum.txt

# ---- growth: a percentage only of a start of 1 MiB or more ----------------------------------------
init=$(sed -n 's/^  RSS       initial \([0-9.]* [KMG]*i*B\),.*/\1/p' sum.txt)
growth=$(grep -m1 '^  growth ' sum.txt)
note "launched leak: initial $init; $growth"
case $init in
*KiB | *" B")
    check "a launched command's start under 1 MiB ($init): growth without a percentage" \
        grep -Eq "^  growth    \+[0-9.]+ MiB \(from $init at the first sample: no percentage\)$" sum.txt ;;
*)
    check "a start of 1 MiB or more ($init): growth with a percentage" \
        grep -Eq '^  growth    \+[0-9.]+ MiB \(\+[0-9.]+%\)$' sum.txt ;;
esac

# ---- a process that holds still: R² is undefined, said as such; its 16 MiB start has a % ----------
alloc_start still --alloc 16 || die "mw-alloc did not start"
"$MEMWATCH" --no-tui -t 1s "$ALLOC_PID" >flat.txt 2>flat.err
check "flat run: exit 0" [ $? = 0 ]
note "flat: $(grep -E '^  (trend|growth)' flat.txt | tr '\n' ' ')"
check "flat: 'trend +0 B/min (R² —)'" grep -q '^  trend     +0 B/min (R² —) over the last' flat.txt
check "flat: a 16 MiB start has its percentage" grep -Eq '^  growth    \+0 B \(\+0\.0%\)$' flat.txt
"$MEMWATCH" --no-tui --ascii -t 1s "$ALLOC_PID" >flat-ascii.txt 2>&1
check "flat, --ascii: 'R^2 -'" grep -q '^  trend     +0 B/min (R^2 -) over the last' flat-ascii.txt

# ---- sampling gaps: memwatch stopped for 1.5 s twice (the stops are the stimulus, not waits) -------
"$MEMWATCH" --no-tui -i 100ms -o gap.csv "$ALLOC_PID" >gap.txt 2>gap.err &
mw=$!
track $mw
poll 10 "memwatch to record samples" has_rows 3 gap.csv
for stop in 1 2; do
    kill -STOP $mw
    sleep 1.5
    kill -CONT $mw
    n=$(rows gap.csv)
    poll 10 "memwatch to sample again after SIGCONT $stop" has_rows $((n + 3)) gap.csv
done
kill -INT $mw
wait $mw
note "gaps: $(grep '^  gaps' gap.txt)"
check "two 1.5 s stops: 'gaps      2 longer than twice the interval (longest 1.5 s or more)'" \
    grep -Eq '^  gaps      2 longer than twice the interval \(longest ([2-9]|1\.[5-9])[0-9.]* s\)$' gap.txt
check "the steady run before had no gaps line" eval '! grep -q "^  gaps" flat.txt'

# ---- a mark's line: elapsed and wall clock, to the ms in the first minute ---------------------------
"$MEMWATCH" --no-tui -i 50ms -o mark.csv "$ALLOC_PID" >mark.txt 2>mark.err &
mw=$!
track $mw
poll 10 "memwatch to record samples" has_rows 3 mark.csv
kill -USR1 $mw
poll 10 "stderr: the mark's line" grep -q "^memwatch: mark 'M1' at " mark.err
kill -INT $mw
wait $mw
note "$(grep "^memwatch: mark" mark.err)"
check "mark line: 'at 00:00:0N.NNN (HH:MM:SS.NNN)'" \
    grep -Eq "^memwatch: mark 'M1' at 00:00:[0-5][0-9]\.[0-9]{3} \([0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}\)$" mark.err
