#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_gates.sh — --fail-above, --fail-growth, --fail-leak headless: exit 3 naming figure and limit, 0 under the limit, the command's failure first.
. "$(dirname "$0")/harness.sh"

# run NAME ARGS...: memwatch --no-tui ARGS; NAME.out, NAME.err, and $rc.
run() {
    local name=$1
    shift
    timeout -k 5 $((60 * MW_SLOW)) "$MEMWATCH" --no-tui "$@" > "$name.out" 2> "$name.err"
    rc=$?
}
# tripped FILE: the gate lines memwatch printed.
tripped() { grep '^memwatch: gate tripped: ' "$1"; }

# A leak to ~41 MiB in 0.4 s, then exit 0 (its last step may end before a sample sees it).
leak41=("$MW_ALLOC" --leak 10 --every 100 --steps 4 --then-exit 0)

# ---- --fail-above: the sampled peak ------------------------------------------------------------
run above -i 10ms --fail-above 20M -- "${leak41[@]}"
peak=$(summary_peak above.out)
line=$(tripped above.err)
check "--fail-above 20M on a 41 MiB peak: exit 3 (got $rc)" [ "$rc" = 3 ]
# The sampled peak, or a proven peak above it (a last step no sample saw: the kernel's mark).
expect "one line names the peak, its source and the limit: '$line'" \
    eval '[ "$(tripped above.err | wc -l)" = 1 ] &&
          [[ "$line" =~ ^"memwatch: gate tripped: peak RSS "([0-9.]+)" MiB ("([a-z -]+)") > --fail-above 20.0 MiB"$ ]] &&
          { [ "${BASH_REMATCH[2]}" != sampled ] || [ "$(size_bytes "${BASH_REMATCH[1]}" MiB)" = "$peak" ]; } &&
          [ "$peak" -gt $((20 << 20)) ]'
check "the summary says the gate tripped" grep -q '^  gate      TRIPPED: peak RSS .* > --fail-above 20.0 MiB$' above.out

# ---- --fail-above: peaks no sample saw, proven by the kernel -----------------------------------
# 100 MiB spikes held 50 ms between 1 s samples: only the kernel's high-water mark proves them.
run hwm -i 1s -t 3500ms --fail-above 50M --summary-json hwm.json -- \
    "$MW_ALLOC" --spike-every 700 --spike-mib 100 --hold 50 --steps 4
line=$(tripped hwm.err)
# The kernel proves them twice: the process's own high-water mark, and wait4's max RSS at the end
# (-t ends it); the larger wins, and the two can differ by a few pages either way. On a loaded
# machine a sample can land inside a spike (the sampler drifts): then the sampled figure equals
# the kernel's and the gate names the sample, which is as true.
PROVEN='(kernel high-water mark|largest process per the kernel at exit|sampled)'
check "spikes between samples over --fail-above 50M: exit 3 (got $rc): '$line'" \
    eval '[ "$rc" = 3 ] && [[ "$line" =~ ^"memwatch: gate tripped: peak RSS "(1[0-9][0-9]\.[0-9])" MiB ("$PROVEN") > --fail-above 50.0 MiB"$ ]]'
[ "$rc" = 3 ] || note "$(cat hwm.err hwm.out)"
check "the summary's gate line names the figure and its source" \
    grep -Eq "^  gate      TRIPPED: peak RSS 1[0-9][0-9]\.[0-9] MiB \($PROVEN\) > --fail-above 50.0 MiB$" hwm.out
if command -v jq > /dev/null; then
    jqe "the JSON gate names its figure's source, a figure over 100 MiB" '.gates[0] as $g |
        $g.tripped and $g.figure_bytes >= 104857600 and
        (($g.figure_source == "kernel_hwm" and $g.figure_bytes == .hwm.proven_peak_bytes) or
         ($g.figure_source == "exit_maxrss" and $g.figure_bytes == .hwm.largest_process_at_exit_bytes) or
         ($g.figure_source == "sampled" and $g.figure_bytes == .fields.rss.peak))' hwm.json
grep -q "^  gate      TRIPPED: peak RSS .* (sampled)" hwm.out && note "a sample landed inside a spike this time"
fi
# 200 MiB taken and the process gone before the first 1 s sample: wait4's max RSS proves it.
run exitmax -i 1s --fail-above 50M -- python3 -c 'b = bytearray(200 * 1024 * 1024)'
line=$(tripped exitmax.err)
check "a 200 MiB process no sample saw, over --fail-above 50M: exit 3 (got $rc): '$line'" \
    eval '[ "$rc" = 3 ] && [[ "$line" =~ ^"memwatch: gate tripped: peak RSS "[0-9.]+" MiB ("(largest process per the kernel at exit|kernel high-water mark|sampled)") > --fail-above 50.0 MiB"$ ]]'
[ "$rc" = 3 ] || note "$(cat exitmax.err exitmax.out)"
# true ends before a 1 s sample, mostly: the summary still has its gate line, from the kernel.
run nosample -i 1s --fail-above 100K -- true
check "true over --fail-above 100K: exit 3 (got $rc), the summary's gate line even with no sample" \
    eval '[ "$rc" = 3 ] && grep -q "^  gate      TRIPPED: peak RSS .* > --fail-above 100 KiB$" nosample.out'
[ "$rc" = 3 ] || note "$(cat nosample.err nosample.out)"

run above_ok -i 10ms --fail-above 500M -- "${leak41[@]}"
check "--fail-above 500M on a 41 MiB peak: exit 0, no gate line (got $rc)" \
    eval '[ "$rc" = 0 ] && ! tripped above_ok.err'
check "the summary says it passed, figure and limit" \
    grep -q '^  gate      passed: peak RSS .* <= --fail-above 500.0 MiB$' above_ok.out

# ---- --fail-growth: final minus initial, not the peak ---------------------------------------------
run growth -i 10ms --fail-growth 20M -- "${leak41[@]}"
line=$(tripped growth.err)
check "--fail-growth 20M on +40 MiB: exit 3 (got $rc)" [ "$rc" = 3 ]
check "its line: '$line'" \
    eval '[[ "$line" =~ ^"memwatch: gate tripped: growth +"[0-9.]+" MiB > --fail-growth 20.0 MiB"$ ]]'
# Two spikes of 40 MiB, each freed again, and the process stays (-t ends it once the last is
# freed): a peak way over 20 MiB, a growth of about nothing.
run spikes -i 10ms -t 1500ms --fail-growth 20M --fail-above 20M -- \
    "$MW_ALLOC" --spike-every 200 --spike-mib 40 --hold 100 --steps 2
check "spikes freed again: --fail-above trips, --fail-growth does not (exit $rc)" \
    eval '[ "$rc" = 3 ] && tripped spikes.err | grep -q "fail-above" && ! tripped spikes.err | grep -q "fail-growth" &&
          grep -q "^  gate      passed: growth .* <= --fail-growth 20.0 MiB$" spikes.out'
[ "$rc" = 3 ] || note "$(cat spikes.err spikes.out)"

# ---- the launched command's own failure wins; the gate is still reported --------------------------
run fails -i 10ms --fail-above 20M -- "$MW_ALLOC" --leak 10 --every 100 --steps 4 --then-exit 5
check "a command exiting 5 while a gate trips: exit 5 (got $rc)" [ "$rc" = 5 ]
check "...and the gate line is still on stderr" eval 'tripped fails.err | grep -q "> --fail-above 20.0 MiB"'
run fails_ok -i 10ms --fail-above 500M -- "$MW_ALLOC" --leak 1 --every 50 --steps 2 --then-exit 5
check "a command exiting 5, no gate tripped: exit 5 (got $rc)" eval '[ "$rc" = 5 ] && ! tripped fails_ok.err'

# ---- a quit signal wins over the gate; the gate is still reported --------------------------------
alloc_start t --alloc 30 || die "mw-alloc did not start"
"$MEMWATCH" --no-tui -i 20ms --fail-above 10M -o sig.csv "$ALLOC_PID" > sig.out 2> sig.err &
mw=$!
track $mw
poll 10 "memwatch to record samples of the 30 MiB process" has_rows 3 sig.csv
kill -INT $mw
wait $mw
rc=$?
check "SIGINT with a gate tripped: exit 130 (got $rc), the gate still on stderr" \
    eval '[ "$rc" = 130 ] && tripped sig.err | grep -q "> --fail-above 10.0 MiB"'

# ---- bad values: exit 2, one line naming the option and the value -------------------------------
bad() { # bad DESC ARGS...
    local desc=$1
    shift
    "$MEMWATCH" --no-tui "$@" -- "$MW_ALLOC" --ready-file ready > bad.out 2> bad.err
    rc=$?
    check "$desc: exit 2, one line naming it, nothing launched (got $rc: $(head -1 bad.err))" \
        eval '[ "$rc" = 2 ] && [ "$(wc -l < bad.err)" = 1 ] && [ ! -e ready ] && [ ! -s bad.out ]'
}
bad "--fail-above x" --fail-above x
check "  ...the line names --fail-above and 'x'" grep -q -- "--fail-above size 'x'" bad.err
bad "--fail-growth -1" --fail-growth -1
check "  ...the line names --fail-growth and '-1'" grep -q -- "--fail-growth size '-1'" bad.err
bad "--fail-above 0 (a limit nothing is under)" --fail-above 0
bad "--fail-growth 12Q" --fail-growth 12Q
bad "--fail-above with no value" --fail-above
"$MEMWATCH" --replay /dev/null --fail-above 1G > bad.out 2> bad.err
rc=$?
check "--replay with a gate: exit 2, one line (got $rc)" eval '[ $rc = 2 ] && [ "$(wc -l < bad.err)" = 1 ]'

# ---- --fail-leak --------------------------------------------------------------------------------
# A run too short for a verdict decides nothing: it passes, and the summary says why.
run leak_short -i 10ms --fail-leak -- "${leak41[@]}"
check "--fail-leak on a 0.4 s run: exit 0 (got $rc), no gate line" eval '[ "$rc" = 0 ] && ! tripped leak_short.err'
check "the summary: not decided (not sure: ...)" \
    grep -q '^  gate      --fail-leak: not decided (not sure: warming up' leak_short.out

# A real leak long enough for a verdict (20 s of warm-up, then 20 s judged; see verdict.h), and a
# flat process beside it for the opposite verdict. Slowed builds skip it, as cli_verdict does.
if [ "$MW_SLOW" -gt 1 ]; then
    note "--fail-leak on a 45 s leak: skipped, this run is slowed x$MW_SLOW (the verdict's time holds on a normal build)"
else
    "$MEMWATCH" --no-tui -i 100ms -t 45s --fail-leak -- "$MW_ALLOC" --leak 1 --every 500 \
        > leak.out 2> leak.err &
    a=$!
    # A sawtooth over a flat floor: 10 MiB taken and given back every 500 ms.
    "$MEMWATCH" --no-tui -i 100ms -t 45s --fail-leak -- "$MW_ALLOC" --alloc 20 --spike-every 500 \
        --spike-mib 10 --hold 200 > flat.out 2> flat.err &
    b=$!
    track $a $b
    wait $a
    rc=$?
    line=$(tripped leak.err)
    check "--fail-leak on 2 MiB/s for 45 s: exit 3 (got $rc): '$line'" \
        eval '[ "$rc" = 3 ] && [[ "$line" =~ ^"memwatch: gate tripped: verdict leak (floor +".*") under --fail-leak"$ ]]'
    [ "$rc" = 3 ] || note "$(grep -E 'verdict|gate' leak.out)"
    wait $b
    rc=$?
    check "--fail-leak on a flat process for 45 s: exit 0 (got $rc), decided: passed" \
        eval '[ "$rc" = 0 ] && grep -q "^  gate      passed: verdict no leak" flat.out'
    [ "$rc" = 0 ] || note "$(grep -E 'verdict|gate' flat.out)"
fi
finish
