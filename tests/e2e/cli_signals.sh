#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_signals.sh — SIGINT/SIGTERM/SIGHUP end headless memwatch with a summary, a flushed -o file and no orphan child.
. "$(dirname "$0")/harness.sh"

alloc_start t --alloc 4 || { fail "mw-alloc did not start"; finish; }
target=$ALLOC_PID

# stop_with SIG FILE: memwatch (PID $mw) is recording into FILE; signal it and check how it ended.
stop_with() {
    local sig=$1 f=$2 n
    kill -s "$sig" "$mw"
    wait "$mw"
    rc=$?
    n=$(summary_samples sum.txt)
    check "SIG$sig: status $((128 + $(kill -l "$sig"))), summary printed" \
        eval '[ $rc -eq $((128 + $(kill -l $sig))) ] && grep -q "^memwatch summary" sum.txt'
    check "SIG$sig: -o file flushed: $(rows "$f") rows = summary's ${n:-?} samples, last line whole" \
        eval '[ -n "$n" ] && [ "$(rows $f)" -eq "$n" ] && [ -z "$(tail -c 1 $f)" ]'
}

for sig in INT TERM HUP; do
    # PID mode: the watched process is not memwatch's and must be left alone.
    "$MEMWATCH" --no-tui -o "pid-$sig.csv" -i 10ms "$target" > sum.txt 2> err.txt &
    mw=$!
    track "$mw"
    if wait_until 10 has_rows 10 "pid-$sig.csv"; then
        stop_with "$sig" "pid-$sig.csv"
        check "SIG$sig: PID mode leaves the watched process running" alive "$target"
    else
        fail "SIG$sig: PID mode never recorded"
    fi

    # Launch mode: the command must be ended, not orphaned.
    rm -f ready
    "$MEMWATCH" --no-tui -o "launch-$sig.csv" -i 10ms -- "$MW_ALLOC" --ready-file ready --leak 1 --every 100 \
        > sum.txt 2> err.txt &
    mw=$!
    track "$mw"
    if wait_until 10 test -s ready && wait_until 10 has_rows 10 "launch-$sig.csv"; then
        child=$(cat ready)
        track "$child"
        stop_with "$sig" "launch-$sig.csv"
        check "SIG$sig: launch mode leaves no orphan (PID $child gone)" eval '! alive $child'
        check "SIG$sig: summary says the command was terminated" grep -q "killed by SIGTERM" sum.txt
    else
        fail "SIG$sig: launch mode never recorded"
    fi
done

# A command that ignores SIGTERM is killed after the grace period, still no orphan.
rm -f ready
"$MEMWATCH" --no-tui -i 10ms -- sh -c 'trap "" TERM; exec "$0" --ready-file ready --leak 1 --every 100' \
    "$MW_ALLOC" > sum.txt 2> err.txt &
mw=$!
track "$mw"
if wait_until 10 test -s ready; then
    child=$(cat ready)
    track "$child"
    start=$(now_ms)
    kill -TERM "$mw"
    wait "$mw"
    rc=$?
    took=$(($(now_ms) - start))
    note "SIGTERM-ignoring command: memwatch took $took ms to end"
    check "a command ignoring SIGTERM: status 143, gone within $((2 + 3 * MW_SLOW)) s (SIGKILL after the 2 s grace)" \
        eval '[ $rc -eq 143 ] && [ $took -ge 2000 ] && [ $took -lt $((2000 + 3000 * MW_SLOW)) ] && ! alive $child && grep -q "killed by SIGKILL" sum.txt'
else
    fail "the SIGTERM-ignoring command never started"
fi
finish
