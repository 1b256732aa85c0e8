#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_pid_reuse.sh — a watched PID that exits is reported as exited; a reused PID (forced in a PID namespace) is never watched as the stranger.
. "$(dirname "$0")/harness.sh"

MIB=$((1 << 20))

if [ "${1:-}" = --inside ]; then
    # shellcheck source=tests/e2e/reuse-lib.sh
    . "$MW_SRCDIR/tests/e2e/reuse-lib.sh"
    # ---- run by part B below as PID 1's child in a fresh PID namespace, as root ---------------------
    out=$2
    "$MW_ALLOC" --alloc 8 --leak 0 --every 1000000 --ready-file old.ready > /dev/null &
    old=$!
    track "$old"
    wait_until 10 test -s old.ready || { echo "old target never ready" > "$out/error"; exit 1; }
    "$MEMWATCH" --no-tui -i 10ms -o "$out/reuse.csv" "$old" > "$out/sum.txt" 2> "$out/err.txt" &
    mw=$!
    track "$mw"
    wait_until 10 has_rows 5 "$out/reuse.csv" || { echo "no rows" > "$out/error"; exit 1; }
    # Freeze memwatch, replace the target by a stranger with the same PID, then let it look again.
    kill -STOP "$mw"
    wait_until 10 threads_stopped "$mw" || { echo "memwatch did not stop" > "$out/error"; exit 1; }
    reuse_pid "$old" new.ready
    new=$STRANGER
    track "$new"
    echo "$old $new" > "$out/pids"
    # The stranger must hold its 64 MiB before memwatch looks again, or "no 64 MiB row" proves nothing.
    wait_until 10 test -s new.ready || { echo "the stranger never got ready" > "$out/error"; exit 1; }
    ps -o pid=,args= -p "$new" > "$out/stranger"
    kill -CONT "$mw"
    if wait_until 10 eval '! alive $mw'; then
        wait "$mw"
        echo $? > "$out/rc"
    fi
    exit 0
fi

# ---- part A: the watched process exits ------------------------------------------------------------
# 128 MiB and 5 ms samples: the kernel takes a while to tear that down at exit, and memwatch
# samples during it (see the last check).
alloc_start t --alloc 128 || { fail "mw-alloc did not start"; finish; }
target=$ALLOC_PID
"$MEMWATCH" --no-tui -i 5ms -o exit.csv "$target" > sum.txt 2> err.txt &
mw=$!
track "$mw"
wait_until 10 has_rows 5 exit.csv || fail "exit: no rows"
alloc_cmd t "exit 0" > /dev/null
wait "$target" 2> /dev/null
check "exit: memwatch ends by itself once the target is gone" wait_until 5 eval '! alive $mw'
wait "$mw"
rc=$?
check "exit: status 0, summary says the target exited" eval '[ $rc -eq 0 ] && grep -q "^  target    exited" sum.txt'
check "exit: every row is the target's PID" awk -F, -v p="$target" 'NR > 1 && $3 != p { bad = 1 } END { exit bad }' exit.csv
# While an exiting process's memory is torn down its status has State R/D and no Vm* lines;
# such a sample is not a process with 0 bytes.
zero=$(awk -F, 'NR > 1 && $4 == 0' exit.csv | wc -l)
check "exit: no row of the exiting process with 0 RSS (found $zero)" [ "$zero" -eq 0 ]
check "exit: the summary's final RSS is not 0 B" eval '! grep -q "^  RSS .*final 0 B" sum.txt'

# ---- part B: force the PID to be reused --------------------------------------------------------------
if [ "$(id -u)" != 0 ]; then
    note "PID reuse not forced: needs root (unshare -pf and /proc/sys/kernel/ns_last_pid)"
elif ! unshare -pf --mount-proc true 2> /dev/null; then
    note "PID reuse not forced: unshare -pf --mount-proc is not permitted here"
else
    mkdir reuse
    unshare -pf --mount-proc bash "$MW_E2E_SELF" --inside "$MW_TMP/reuse" > reuse/inside.log 2>&1
    if [ -s reuse/error ]; then
        fail "reuse setup: $(cat reuse/error)"
    elif [ ! -s reuse/pids ]; then
        fail "reuse setup: the scenario in the PID namespace did not run; its output:"
        sed 's/^/#    /' reuse/inside.log
    elif read -r old new < reuse/pids && [ "$old" = "$new" ]; then
        note "PID $old reused by: $(cat reuse/stranger)"
        check "reuse: memwatch ends by itself (status $(cat reuse/rc 2> /dev/null))" [ -s reuse/rc ]
        check "reuse: the summary says the PID was reused" grep -q "PID reused by another process" reuse/sum.txt
        check "reuse: no row shows the stranger's 64 MiB" [ "$(column_max reuse/reuse.csv rss_bytes)" -lt $((40 * MIB)) ]
        check "reuse: every row is the old PID" \
            awk -F, -v p="$old" 'NR > 1 && $3 != p { bad = 1 } END { exit bad }' reuse/reuse.csv
        check "reuse: the -o file and the summary agree" \
            [ "$(rows reuse/reuse.csv)" = "$(summary_samples reuse/sum.txt)" ]
        grep '^  target' reuse/sum.txt | sed 's/^/#    /'
    else
        note "PID reuse not forced: the new process got PID ${new:-?}, not ${old:-?} (see ns_last_pid)"
        cat reuse/inside.log
    fi
fi
finish
