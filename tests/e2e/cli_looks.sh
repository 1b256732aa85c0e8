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
