#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_launch.sh — launch mode headless: peak RSS vs /usr/bin/time -v, exit status propagation, where the child's output goes.
. "$(dirname "$0")/harness.sh"

# ---- peak RSS within 2 % of time(1)'s "Maximum resident set size" ----------------------------------
# The same command, stdin from the same script: allocate 128 MiB, hold it for a few samples, exit.
printf 'alloc 128\nsleep 1000\nexit 0\n' > cmds
if [ -x /usr/bin/time ]; then
    /usr/bin/time -v "$MW_ALLOC" < cmds > /dev/null 2> time.txt
    time_kib=$(sed -n 's/.*Maximum resident set size (kbytes): *\([0-9]*\).*/\1/p' time.txt)
    "$MEMWATCH" --no-tui -i 20ms -- "$MW_ALLOC" < cmds > sum.txt 2> err.txt
    rc=$?
    peak=$(summary_peak sum.txt)
    note "time -v: $((time_kib * 1024)) B, memwatch peak: $peak B"
    check "launch: exit 0, summary printed" eval '[ $rc -eq 0 ] && grep -q "exited (status 0)" sum.txt'
    check "launch: peak RSS within 2 % of /usr/bin/time -v" awk -v a="$peak" -v b="$((time_kib * 1024))" \
        'BEGIN { d = a - b; if (d < 0) d = -d; exit !(b > 100 * 1048576 && d <= 0.02 * b) }'
    check "launch: the child's replies went to memwatch's stdout, as under time(1), no log file" \
        eval 'grep -q "^ok exiting" sum.txt && ! grep -q "^  log " sum.txt && ! ls memwatch-*.log >/dev/null 2>&1'
else
    note "/usr/bin/time missing (apt package 'time'): peak comparison not run"
fi

# ---- exit status propagation ---------------------------------------------------------------------
status_of() { # status_of 'COMMANDS' WANT DESCRIPTION-WORD
    printf '%b' "$1" | "$MEMWATCH" --no-tui -i 20ms -- "$MW_ALLOC" > sum.txt 2> err.txt
    rc=$?
    local want=$2 says=$3
    check "exit status: '$(printf '%b' "$1" | tail -1)' -> $2 ($3)" \
        eval '[ $rc -eq $want ] && grep -q "$says" sum.txt'
}
status_of 'exit 3\n' 3 "exited (status 3)"
status_of 'exit 0\n' 0 "exited (status 0)"
status_of 'abort\n' 134 "killed by SIGABRT"

# Killed from outside: the child is started with its stdin a FIFO we hold, so it waits for us.
for sig in KILL TERM SEGV; do
    rm -f ready
    mkfifo cmd.fifo
    "$MEMWATCH" --no-tui -i 20ms -- "$MW_ALLOC" --ready-file ready < cmd.fifo > sum.txt 2> err.txt &
    mw=$!
    track "$mw"
    exec {fd}> cmd.fifo
    if wait_until 10 test -s ready; then
        child=$(cat ready)
        track "$child"
        kill -s "$sig" "$child"
        wait "$mw"
        rc=$?
        n=$(kill -l "$sig")
        check "exit status: child killed by SIG$sig -> $((128 + n)), summary says so" \
            eval '[ $rc -eq $((128 + n)) ] && grep -q "killed by SIG$sig" sum.txt'
    else
        fail "SIG$sig: the child never became ready"
    fi
    exec {fd}>&-
    rm -f cmd.fifo
done

# ---- --log FILE: the child's stdout and stderr go there ---------------------------------------------
mkdir -p logs fresh && cd fresh || exit 99 # a cwd with no log in it yet
# (It lives 0.3 s: a command gone before the first sample is a separate case, below.)
"$MEMWATCH" --no-tui -i 20ms --log ../logs/child.log -- \
    sh -c 'echo "to-stderr" >&2; echo "to-stdout"; sleep 0.3; exit 2' < /dev/null > sum.txt 2> err.txt
rc=$?
check "--log: the child's stdout and stderr are in the chosen file" \
    eval 'grep -q "^to-stderr" ../logs/child.log && grep -q "^to-stdout" ../logs/child.log'
check "--log: and not on memwatch's stdout/stderr" eval '! grep -q "^to-std" err.txt sum.txt'
check "--log: the summary names the log, status 2 is the child's" eval '[ $rc -eq 2 ] && grep -q "^  log       ../logs/child.log" sum.txt'
check "--log: no default log created" eval '! ls memwatch-*.log >/dev/null 2>&1'
echo 'rss' | "$MEMWATCH" --no-tui -i 20ms --log ../logs/child.log -- "$MW_ALLOC" > sum.txt 2> err.txt
check "--log: an existing log is refused, neither truncated nor appended to (cli_log.sh has more)" \
    eval 'grep -q "^to-stdout" ../logs/child.log && ! grep -q "^ok" ../logs/child.log'

"$MEMWATCH" --no-tui --log "$MW_TMP/no/such/dir/x.log" -- "$MW_ALLOC" < /dev/null > sum.txt 2> err.txt
rc=$?
check "--log into a missing dir: exit 2, one line naming the path" \
    eval '[ $rc -eq 2 ] && [ "$(wc -l < err.txt)" -eq 1 ] && grep -q "no/such/dir/x.log" err.txt && [ ! -s sum.txt ]'
cd "$MW_TMP" || exit 99

# ---- a command that is gone before memwatch takes its first look ---------------------------------
# Deterministic: the command stops memwatch (its parent), exits, and only then is memwatch resumed.
"$MEMWATCH" --no-tui -- sh -c 'kill -STOP $PPID; exit 4' > sum.txt 2> err.txt &
mw=$!
track "$mw"
stopped_and_child_gone() {
    grep -q '^State:.*stopped' "/proc/$mw/status" 2> /dev/null || return 1
    local kid
    kid=$(cat "/proc/$mw/task/$mw/children" 2> /dev/null)
    [ -n "$kid" ] && ! alive $kid
}
if wait_until 10 stopped_and_child_gone; then
    kill -CONT "$mw"
    wait "$mw"
    rc=$?
    check "a command gone before the first sample: its status 4 and a summary (got $rc: $(head -c 100 err.txt))" \
        eval '[ $rc -eq 4 ] && grep -q "exited (status 4)" sum.txt'
else
    kill -CONT "$mw" 2> /dev/null
    fail "could not stop memwatch while its command exited"
fi
finish
