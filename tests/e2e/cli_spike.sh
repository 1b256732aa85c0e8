#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_spike.sh — a 200 MiB spike between 5 s samples is caught via VmHWM; --interval-peaks catches every later spike too.
. "$(dirname "$0")/harness.sh"

MIB=$((1 << 20))
alloc_start t || { fail "mw-alloc did not start"; finish; }
target=$ALLOC_PID

# last_row_after FILE MS: the last row was sampled after wall-clock time MS.
last_row_after() { local t; t=$(last_row_ms "$1") && [ "$t" -gt "$2" ]; }
# just_after_a_sample FILE INTERVAL_MS: now is 10 ms .. INTERVAL/4 (at most 500 ms) after a
# sample time. Samples keep an absolute schedule, so its phase is read from the last row's
# timestamp: rows are written in batches (twice a second), and the newest sample's row only when
# the next sample comes, so the last row is an interval old or more; the phase is the same.
just_after_a_sample() {
    local t age
    t=$(last_row_ms "$1") || return 1
    age=$((($(now_ms) - t) % $2))
    [ "$age" -ge 10 ] && [ "$age" -le $(($2 / 4 < 500 ? $2 / 4 : 500)) ]
}
# spike_right_after_a_sample FILE INTERVAL_MS 'COMMAND' [ALLOC]: wait until a sample was just
# taken, run the spike, then wait for a row sampled after it ended (a sample may fall inside a
# slow spike; its row is written when the sample after it comes, two intervals later at most); prints the row number where the spike began, or x when it could not (it runs in
# $(...), where fail cannot count: the caller checks for the x).
spike_right_after_a_sample() {
    local f=$1 every=$2 cmd=$3 alloc=${4:-t} r t0 done_ms
    wait_until 10 has_rows 1 "$f" || { fail "no sample came"; echo x; return 1; }
    wait_until 10 just_after_a_sample "$f" "$every" ||
        { fail "no moment just after a sample"; echo x; return 1; }
    r=$(rows "$f")
    t0=$(now_ms)
    alloc_cmd "$alloc" "$cmd" > /dev/null
    done_ms=$(now_ms)
    note "'$cmd' took $((done_ms - t0)) ms" >&2
    wait_until $((10 + 2 * every / 1000)) last_row_after "$f" "$done_ms" || { fail "no sample after the spike"; echo x; return 1; }
    echo "$r"
}

# ---- 5 s samples, touch 200 MiB and free it at once --------------------------------------------------
# Touching 200 MiB takes ~0.8 s on a small VM (page faults are dear there), 2.3 s with both cores
# busy: 5 s leave the spike room to start and end between two samples.
"$MEMWATCH" --no-tui -i 5s -o spike.csv "$target" > sum.txt 2> err.txt &
mw=$!
track "$mw"
start=$(spike_right_after_a_sample spike.csv 5000 "spike 200 0")
check "spike: run just after a sample" [ "$start" != x ]
kill -INT "$mw"
wait "$mw"
hwm=$(summary_hwm sum.txt)
sampled=$(column_max spike.csv rss_bytes)
note "sampled RSS max $sampled B; $(grep 'high-water' sum.txt | sed 's/^ *//')"
check "spike: sampled RSS never saw the 200 MiB spike" [ "$sampled" -lt $((200 * MIB)) ]
check "spike: the high-water mark is above every sample" [ "${hwm:-0}" -gt "$sampled" ]
check "spike: the summary reports the 200 MiB spike from the kernel's high-water mark" \
    [ "${hwm:-0}" -ge $((200 * MIB)) ]
check "spike: a CSV row marks it (hwm_rose=1, hwm_bytes >= 200 MiB)" \
    awk -F, -v m=$((200 * MIB)) 'NR > 1 && $13 == 1 && $11 >= m { ok = 1 } END { exit !ok }' spike.csv

# ---- spikes of 64, 48, 32 MiB, one per interval: the plain high-water mark sees only the first ----
# A fresh target for each run, whose mark is not already above 64 MiB.
# caught FILE START1 START2 START3: for the spikes of 64, 48 and 32 MiB that began after those rows,
# prints which ones a row flags (hwm_rose=1) with a mark of that spike's size (+ at most 8 MiB of
# the process's own), e.g. "1 0 0". A mark left over from a bigger spike does not count.
caught() {
    awk -F, -v m=$MIB -v starts="$2 $3 $4" '
        BEGIN { split(starts, s, " "); size[1] = 64; size[2] = 48; size[3] = 32 }
        NR > 1 { row = NR - 1
                 for (i = 1; i <= 3; i++)
                     if (row > s[i] && (i == 3 || row <= s[i + 1]) && $13 == 1 &&
                         $11 >= size[i] * m && $11 <= (size[i] + 8) * m) hit[i] = 1 }
        END { print hit[1] + 0, hit[2] + 0, hit[3] + 0 }' "$1"
}
three_spikes() { # three_spikes NAME [OPTIONS]: prints which spikes were flagged (see caught)
    local name=$1 f=$1.csv starts="" s; shift
    alloc_start "$name" > /dev/null || { echo "mw-alloc did not start"; return; }
    "$MEMWATCH" --no-tui -i 200ms -o "$f" "$@" "$ALLOC_PID" > "$f.sum" 2> "$f.err" &
    mw=$!
    track "$mw"
    for s in 64 48 32; do
        starts="$starts $(spike_right_after_a_sample "$f" 200 "spike $s 0" "$name")"
    done
    kill -INT "$mw"
    wait "$mw"
    case $starts in *x*) echo "a spike could not be run" ;; *) caught "$f" $starts ;; esac
}
plain=$(three_spikes plain)
reset=$(three_spikes reset --interval-peaks)
note "spikes flagged: '$plain' without --interval-peaks, '$reset' with it"
note "(1 = flagged, for the 64, 48, 32 MiB spikes)"
is_verdict() { [[ $1 =~ ^[01]\ [01]\ [01]$ ]]; }
check "three spikes run without --interval-peaks ('$plain')" is_verdict "$plain"
check "three spikes run with --interval-peaks ('$reset')" is_verdict "$reset"
check "without --interval-peaks: the 48 and 32 MiB spikes stay hidden under the 64 MiB mark" [ "${plain#? }" = "0 0" ]
check "--interval-peaks: every spike caught" [ "$reset" = "1 1 1" ]
check "--interval-peaks: no warning (reset allowed for the owner/root)" [ ! -s reset.csv.err ]
finish
