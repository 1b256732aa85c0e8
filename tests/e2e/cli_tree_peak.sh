#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_tree_peak.sh — a tree's peak is a sampled total, not a sum of per-process peaks; a spike between samples is claimed only when proven (issue 14).
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

MIB=$((1 << 20))

mib() { awk -v b="${1:-0}" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

# pair_start A B: a bash (PAIR) whose two background jobs are interactive mw-allocs named A and B
# (driven with alloc_cmd A|B, see harness.sh); -c on PAIR watches all three.
pair_start() {
    local n
    for n in "$1" "$2"; do rm -f "$n.in" "$n.out" "$n.ready" && mkfifo "$n.in" || return 1; done
    # shellcheck disable=SC2016 # expanded by the shell under test
    bash -c 'for n; do "$MW_ALLOC" --ready-file "$n.ready" < "$n.in" > "$n.out" & done; wait' pair "$1" "$2" &
    PAIR=$!
    track "$PAIR"
    for n in "$1" "$2"; do
        exec {fd}> "$n.in"
        eval "ALLOC_FD_$n=$fd"
        wait_until 10 test -s "$n.ready" || return 1
        eval "ALLOC_PID_$n=$(cat "$n.ready")"
        track "$(cat "$n.ready")"
    done
}
# last_row_after FILE MS: the newest row was sampled after wall-clock time MS.
last_row_after() { local t; t=$(last_row_ms "$1") && [ "$t" -gt "$2" ]; }
# after_a_sample FILE MS: wait for a row sampled after MS (rows are written in batches).
after_a_sample() { wait_until 10 last_row_after "$1" "$2" || fail "no sample after $2 in $1"; }
# hwm_rose_rows FILE: the rows with hwm_rose=1, as "row N: ...".
hwm_rose_rows() { awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "hwm_rose") c = i; next }
                           $c == 1 { print "row " NR - 1 ": " $0 }' "$1"; }

# ---- two children of 80 MiB, one after the other, sampled every 100 ms --------------------------
# Each holds its 80 MiB for 500 ms (sampled about 5 times) and frees it; the second starts once a
# sample saw the first one free. The tree's true peak is ~80 MiB + the rest; the sum of the
# children's own high-water marks is ~160 MiB, which is no peak of anything.
pair_start a b || die "the pair of mw-allocs did not start"
"$MEMWATCH" --no-tui -c -i 100ms -o peak.csv "$PAIR" > peak.sum 2> peak.err &
mw=$!
track "$mw"
wait_until 10 has_rows 3 peak.csv || die "no rows in peak.csv: $(cat peak.err)"
base=$(column peak.csv rss_bytes | head -1)
alloc_cmd_ok a "spike 80 500" > /dev/null
after_a_sample peak.csv "$(now_ms)"
alloc_cmd_ok b "spike 80 500" > /dev/null
after_a_sample peak.csv "$(now_ms)"
kill -INT "$mw"
wait "$mw"
sed 's/^/#      /' peak.sum
peak=$(summary_peak peak.sum)
bound=$((base + 13 * 80 * MIB / 10))
check "two 80 MiB children: the sampled peak was seen ($(mib "$peak") >= 80 MiB)" [ "${peak:-0}" -ge $((80 * MIB)) ]
check "two 80 MiB children: peak $(mib "$peak") < 1.3 x 80 MiB + the tree at rest ($(mib "$base")): not the sum of both" \
    [ "${peak:-0}" -lt "$bound" ]
check "two 80 MiB children: the RSS line says it is a sampled tree total" \
    grep -Eq '^  RSS       initial .*, final .*, peak .* at .* \(sampled tree total\)$' peak.sum
check "two 80 MiB children: a line gives the target's own sampled peak" \
    grep -Eq '^            the target alone: peak [0-9.]+ [KMG]?i?B \(sampled\)$' peak.sum
hwm_line=$(grep -m1 "sum of each process's own high-water mark" peak.sum)
sum_hwm=""
if [ -n "$hwm_line" ]; then
    l=${hwm_line##*mark }
    # shellcheck disable=SC2086
    set -- ${l#* }
    sum_hwm=$(size_bytes "$1" "${2%:}")
fi
check "two 80 MiB children: the sum of high-water marks is named an upper bound, not a peak" \
    grep -Eq "^            sum of each process's own high-water mark (<=|≤) [0-9.]+ [KMG]?i?B: an upper bound of the tree's peak over the processes sampled, not a peak$" peak.sum
check "two 80 MiB children: that sum ($(mib "$sum_hwm")) holds both children (>= 160 MiB)" \
    [ "${sum_hwm:-0}" -ge $((160 * MIB)) ]
check "two 80 MiB children: no spike between samples is claimed (both peaks were sampled)" \
    eval '! grep -Eq "between samples|happened between samples" peak.sum'
expect "two 80 MiB children: hwm_rose is 0 on every row" eval '! hwm_rose_rows peak.csv | head -1 | grep .'
alloc_stop a
alloc_stop b

# ---- one child touches 200 MiB and frees it between two 1 s samples -------------------------------
# just_after_a_sample FILE: now is 10 to 250 ms after a sample (samples keep an absolute schedule,
# so the phase is read from the newest row's timestamp).
just_after_a_sample() {
    local t age
    t=$(last_row_ms "$1") || return 1
    age=$((($(now_ms) - t) % 1000))
    [ "$age" -ge 10 ] && [ "$age" -le 250 ]
}
# spike_run N: a fresh pair, watched at -i 1s; c spikes 200 MiB for 5 ms just after a sample.
# Fails (status 1) only when a sample still saw the whole 200 MiB: the caller tries again.
spike_run() {
    pair_start "c$1" "d$1" || die "the pair of mw-allocs did not start"
    rm -f spike.csv
    "$MEMWATCH" --no-tui -c -i 1s -o spike.csv "$PAIR" > spike.sum 2> spike.err &
    mw=$!
    track "$mw"
    wait_until 10 has_rows 1 spike.csv || die "no rows in spike.csv: $(cat spike.err)"
    wait_until 10 just_after_a_sample spike.csv || die "no moment just after a sample"
    alloc_cmd_ok "c$1" "spike 200 5" > /dev/null
    after_a_sample spike.csv "$(now_ms)"
    kill -INT "$mw"
    wait "$mw"
    alloc_stop "c$1"
    alloc_stop "d$1"
    SPIKER=$(eval echo "\$ALLOC_PID_c$1")
    [ "$(column_max spike.csv rss_bytes)" -lt $((200 * MIB)) ]
}
spike_run 1 || { note "a sample caught the whole spike: once more"; spike_run 2; }
sed 's/^/#      /' spike.sum
expect "200 MiB spike between 1 s samples: some row has hwm_rose=1" eval 'hwm_rose_rows spike.csv | grep -q . || echo "none of $(rows spike.csv) rows"'
line=$(grep -m1 '^            between samples: ' spike.sum)
re="^            between samples: PID $SPIKER \\(mw-alloc\\) reached ([0-9.]+) ([KMG]?i?B) \\(its kernel high-water mark\\), above every sample of it \\(([0-9.]+) ([KMG]?i?B)\\)\$"
if [[ $line =~ $re ]]; then
    reached=$(size_bytes "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}")
    seen=$(size_bytes "${BASH_REMATCH[3]}" "${BASH_REMATCH[4]}")
    check "200 MiB spike: PID $SPIKER reached $(mib "$reached") >= 200 MiB, above its samples ($(mib "$seen"))" \
        eval '[ "$reached" -ge $((200 * MIB)) ] && [ "$seen" -lt "$reached" ]'
else
    fail "200 MiB spike: no summary line 'between samples: PID $SPIKER (mw-alloc) reached ...' (got: ${line:-none})"
fi

# ---- without -c: the kernel's figure at exit is the largest process anywhere in the tree ---------
# bash (a few MiB) runs a 200 MiB child; '; true' keeps bash from exec'ing it.
# shellcheck disable=SC2016
"$MEMWATCH" --no-tui -i 50ms -- bash -c '"$MW_ALLOC" --alloc 200 --leak 0 --every 300 --steps 1 --then-exit 0; true' \
    > big.sum 2> big.err
rc=$?
sed 's/^/#      /' big.sum
check "no -c, big child: exits 0 (got $rc)" [ "$rc" = 0 ]
check "no -c, big child: the RSS line names the watched process" \
    grep -Eq '^  RSS       initial .*, final .*, peak .* at .* \(the watched process\)$' big.sum
expect "no -c, big child: the kernel's figure is named the largest single process, with the -c hint" \
    eval 'grep -Eq "^            largest single process in the tree, per the kernel at exit \\(of those waited for\\): (2[0-9][0-9]|[3-9][0-9][0-9])(\.[0-9])? MiB: more than the watched process ever showed \\(a descendant, or a spike after its last sample\\); -c watches the whole tree\$" big.sum ||
          { echo "got: $(grep -E "kernel|largest" big.sum)"; false; }'
# The watched process itself is the big one: the same line, and no hint.
"$MEMWATCH" --no-tui -i 50ms -- "$MW_ALLOC" --alloc 100 --leak 0 --every 300 --steps 1 --then-exit 0 > self.sum 2>&1
expect "no -c, the target is the big one: the largest-process line without the hint" \
    eval 'grep -Eq "^            largest single process in the tree, per the kernel at exit \\(of those waited for\\): [0-9.]+ MiB\$" self.sum ||
          { echo "got: $(grep -E "kernel|largest" self.sum)"; false; }'
# The watched process spikes between samples itself, and a later sample proves it: the kernel's
# figure is its own, so no hint.
"$MEMWATCH" --no-tui -i 1s -t 2500ms -- "$MW_ALLOC" --spike-every 300 --spike-mib 150 --hold 20 --steps 1 \
    > own.sum 2>&1
sed 's/^/#      /' own.sum
expect "no -c, the target's own spike: no -c hint" \
    eval '! grep -q "more than the watched process" own.sum || { echo "got: $(grep -E "kernel|largest" own.sum)"; false; }'

# ---- -c: the target alone keeps its peak through an exec (bash -> sleep) ---------------------------
# shellcheck disable=SC2016
"$MEMWATCH" --no-tui -c -i 100ms -- bash -c 'x=$(head -c 60000000 /dev/zero | tr "\0" a); sleep 1; exec sleep 1' \
    > exec.sum 2>&1
sed 's/^/#      /' exec.sum
alone=$(sed -n "s/^            the target alone: peak \([0-9.]*\) \([KMG]*i*B\).*/\1 \2/p" exec.sum)
# shellcheck disable=SC2086
expect "-c, the target execs: 'the target alone' keeps its peak from before the exec (got ${alone:-none})" \
    eval '[ -n "$alone" ] && [ "$(size_bytes $alone)" -ge $((50 * MIB)) ]'
finish
