#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_tree_pss.sh — --pss on a Python multiprocessing Pool(4) (issue 14): PSS counts shared interpreter pages once; USS <= PSS <= RSS.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

MIB=$((1 << 20))
command -v python3 > /dev/null || skip "needs python3"
[ -r /proc/self/smaps_rollup ] || skip "no /proc/PID/smaps_rollup (Linux 4.14+)"

check "--pss-interval 100ms is accepted, 50ms (below the minimum) is a usage error (status 2)" \
    eval '"$MEMWATCH" --no-tui --pss-interval 100ms -- true > /dev/null 2>&1 &&
          { "$MEMWATCH" --no-tui --pss-interval 50ms -- true > /dev/null 2>&1; [ $? = 2 ]; }'

# Four workers each write 30 MiB of their own and wait (a barrier with the parent, then an event)
# until py.go appears; the interpreter's pages are shared with the parent (fork).
cat > pool.py << 'EOF'
import multiprocessing as mp
import os
import time

MIB = 1 << 20


def init(barrier, event):
    global BARRIER, EVENT
    BARRIER, EVENT = barrier, event


def work(i):
    buf = bytearray(30 * MIB)
    buf[::4096] = b"\1" * len(range(0, len(buf), 4096))  # every page written: private, resident
    BARRIER.wait(60)
    EVENT.wait(60)
    return len(buf)


if __name__ == "__main__":
    mp.set_start_method("fork")
    barrier, event = mp.Barrier(5), mp.Event()
    with mp.Pool(4, initializer=init, initargs=(barrier, event)) as pool:
        result = pool.map_async(work, range(4))
        barrier.wait(60)  # each of the four workers holds its 30 MiB
        with open("py.ready.tmp", "w") as f:
            f.write("%d\n" % os.getpid())
        os.rename("py.ready.tmp", "py.ready")
        end = time.monotonic() + 60
        while not os.path.exists("py.go") and time.monotonic() < end:
            time.sleep(0.05)
        event.set()
        print("held", sum(result.get(60)) >> 20, "MiB")
EOF

"$MEMWATCH" --no-tui -c --pss --pss-interval 200ms -i 50ms -o py.csv -- python3 pool.py > py.sum 2> py.err &
mw=$!
track "$mw"
wait_until 30 eval 'test -s py.ready || ! alive "$mw"'
test -s py.ready || die "the Pool's workers were not ready (memwatch $(alive "$mw" && echo runs || echo ended)): $(tail -3 py.err)"

# The newest row with nprocs >= 5 and summed RSS >= 120 MiB whose PSS cell came from a sweep taken
# while all four held their memory (PSS >= 120 MiB): the steady state starts there.
steady_row() {
    awk -F, -v m=$((120 * MIB)) '
        NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; if (!c["pss_bytes"]) exit; next }
        $c["nprocs"] >= 5 && $c["rss_bytes"] >= m && $c["pss_bytes"] != "" && $c["pss_bytes"] >= m { print NR - 1; exit }' py.csv
}
r1=""
wait_until 15 eval 'r1=$(steady_row); [ -n "$r1" ]'
if [ -z "$r1" ]; then
    fail "no row with nprocs >= 5, RSS >= 120 MiB and PSS >= 120 MiB in 15 s; max nprocs $(column_max py.csv nprocs), max rss $(column_max py.csv rss_bytes), pss cells: $(column py.csv pss_bytes | sort -u | head -3 | tr '\n' ' ')"
    touch py.go
    wait "$mw"
    finish
fi
ok "a row with nprocs >= 5, RSS and PSS >= 120 MiB (row $r1)"
# Two more sweeps (10 rows of 50 ms), all in the steady state; then the workers may go.
wait_until 10 has_rows $((r1 + 10)) py.csv || fail "no 10 rows after row $r1 in 10 s"
r2=$(rows py.csv)
touch py.go
wait "$mw"
rc=$?
check "memwatch exits with python's status 0 (got $rc; $(tail -1 py.err))" [ "$rc" = 0 ]

# steady_ok: every row r1..r2 has every PSS cell, USS <= PSS <= RSS, PSS >= 120 MiB, PSS below
# RSS by 16 MiB or more (each worker shares ~11 MiB of the interpreter with the others: RSS counts
# it five times, PSS once), and the PSS parts adding up to PSS (each process's kB rounded: 16 KiB).
steady_ok() {
    awk -F, -v r1="$r1" -v r2="$r2" -v m=$MIB '
        NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        NR - 1 < r1 || NR - 1 > r2 { next }
        { row = "row " NR - 1 ": " $0
          split("pss_bytes pss_anon_bytes pss_file_bytes pss_shmem_bytes uss_bytes swap_pss_bytes nprocs_unreadable", need, " ")
          for (k in need) if ($c[need[k]] == "") { print need[k] " is empty on " row; exit 1 }
          rss = $c["rss_bytes"]; pss = $c["pss_bytes"]; uss = $c["uss_bytes"]
          if (!(uss <= pss && pss <= rss)) { print "not uss <= pss <= rss on " row; exit 1 }
          if (pss < 120 * m) { print "pss below the 4 x 30 MiB private on " row; exit 1 }
          if (rss - pss < 16 * m) { print "pss is not 16 MiB below rss (shared pages counted again?) on " row; exit 1 }
          d = $c["pss_anon_bytes"] + $c["pss_file_bytes"] + $c["pss_shmem_bytes"] - pss
          if (d < 0) d = -d
          if (d > 16 * 1024) { print "pss_anon + pss_file + pss_shmem is not pss on " row; exit 1 }
          if ($c["nprocs_unreadable"] != 0) { print "nprocs_unreadable is not 0 on " row; exit 1 } }' py.csv
}
expect "rows $r1..$r2: USS <= PSS <= RSS, PSS >= 120 MiB and >= 16 MiB below RSS, parts add up" steady_ok

pss_line=$(grep -m1 '^  PSS ' py.sum)
note "${pss_line:-no PSS line}; $(grep -m1 '^  USS ' py.sum)"
# The cadence is the one asked for (200ms); the wording of what PSS means may vary after "among".
check "the summary has a PSS line with its cadence (200ms) and meaning" \
    grep -Eq '^  PSS       initial .*, final .*, peak .*\((read )?every 200 ?ms; shared pages divided among [^)]+\)$' py.sum
check "the summary has a USS line" grep -Eq '^  USS       ' py.sum
pss_peak=""
if [ -n "$pss_line" ]; then
    l=${pss_line##*peak }
    # shellcheck disable=SC2086
    set -- $l
    pss_peak=$(size_bytes "$1" "$2")
fi
rss_peak=$(summary_peak py.sum)
check "the summary's PSS peak ($pss_peak B) is >= 120 MiB and below the RSS peak ($rss_peak B)" \
    eval '[ "${pss_peak:-0}" -ge $((120 * MIB)) ] && [ "${pss_peak:-0}" -lt "${rss_peak:-0}" ]'
# ---- a process that hides its smaps_rollup: PSS unknown, never a sum that leaves it out ----------
# As nobody, a child made non-dumpable (as ssh and browser sandboxes do) has a readable status but
# no readable smaps_rollup. Root reads everything, so this needs setpriv (util-linux) to drop to it.
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null 2>&1; then
    mkdir -p "$MW_TMP/nobody" && chmod 777 "$MW_TMP/nobody"
    (cd "$MW_TMP/nobody" && setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$MEMWATCH" --no-tui -c --pss-interval 200ms -i 50ms -t 2500ms -o hid.csv -- bash -c \
        'python3 -c "import ctypes, time; ctypes.CDLL(None).prctl(4, 0, 0, 0, 0); b = bytearray(64 << 20); time.sleep(5)"; true' \
        > hid.sum 2> hid.err)
    sed 's/^/#      /' "$MW_TMP/nobody/hid.err"
    check "a hidden smaps_rollup: said on stderr, once" \
        eval '[ "$(grep -c "hides its smaps_rollup" "$MW_TMP/nobody/hid.err")" = 1 ]'
    # A row carries the latest finished reading, which may predate the child by one cadence:
    # from two cadences after the child was first sampled, no row may carry a sum.
    expect "a hidden smaps_rollup: once the child hides it, no row carries a PSS sum" \
        awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
             $c["rss_bytes"] >= 64 * 1048576 && t0 == "" { t0 = $c["elapsed_s"] }
             t0 != "" && $c["elapsed_s"] >= t0 + 0.4 && $c["pss_bytes"] != "" {
                 print "row " NR ": PSS " $c["pss_bytes"] " with RSS " $c["rss_bytes"]; bad = 1 }
             END { if (t0 == "") print "the 64 MiB child was never sampled"; exit bad || t0 == "" }' \
        "$MW_TMP/nobody/hid.csv"
    check "a hidden smaps_rollup: the summary says why PSS is unknown" \
        grep -q "unknown at the end: some process of the tree hid its smaps_rollup" "$MW_TMP/nobody/hid.sum"
else
    note "a hidden smaps_rollup: not tested (needs root and setpriv to act as nobody)"
fi
finish
