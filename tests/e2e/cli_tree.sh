#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_tree.sh — -c on real trees (issue 14): make -j2, a shell's background jobs, 2000 children; no blank column, every child counted.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

# PSS and the peaks have their own scripts (cli_tree_pss.sh, cli_tree_peak.sh): each stays under a
# minute on 2 cores.
: "${MW_SPAWN:=$(dirname "$MW_ALLOC")/mw-spawn}"
[ -x "$MW_SPAWN" ] || hard_error "no mw-spawn at $MW_SPAWN (make tests/helpers/mw-spawn, or set MW_SPAWN)"
command -v make > /dev/null || skip "needs make"
command -v pgrep > /dev/null || skip "needs pgrep (procps)"
CC=${CC:-cc}
command -v "$CC" > /dev/null || skip "needs a C compiler ($CC) for the make -j2 tree"

# The header of spec14, spelled out (not harness.sh's CSV_HEADER, which follows the code): the 14
# columns of before, then the new ones at the end.
TREE_HEADER=timestamp,elapsed_s,pid,rss_bytes,vsz_bytes,shared_bytes,anon_bytes,file_bytes,shmem_bytes,swap_bytes
TREE_HEADER=$TREE_HEADER,hwm_bytes,nprocs,hwm_rose,marker,nprocs_unreadable,pss_bytes,pss_anon_bytes,pss_file_bytes
TREE_HEADER=$TREE_HEADER,pss_shmem_bytes,uss_bytes,swap_pss_bytes
# ...and issue 18's cgroup columns after them (empty unless --cgroup).
TREE_HEADER=$TREE_HEADER,cg_current_bytes,cg_peak_bytes,cg_limit_bytes,cg_high_bytes,cg_anon_bytes
TREE_HEADER=$TREE_HEADER,cg_file_bytes,cg_kernel_bytes,cg_swap_bytes

# csv_rows_ok FILE CONDITION...: each CONDITION is "COLUMN:TEST" with TEST one of nonempty, empty,
# zero; every data row must pass every one. Prints how many rows failed and the first of them.
csv_rows_ok() {
    local f=$1
    shift
    awk -F, -v conds="$*" '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i
                  n = split(conds, cs, " ")
                  for (k = 1; k <= n; k++) { split(cs[k], p, ":"); name[k] = p[1]; test[k] = p[2]
                      if (!(p[1] in col)) { print "no column " p[1] " in the header: " $0; bad = 1; exit } }
                  next }
        { for (k = 1; k <= n; k++) { v = $col[name[k]]
              if ((test[k] == "nonempty" && v == "") || (test[k] == "empty" && v != "") ||
                  (test[k] == "zero" && v != "0")) {
                  nbad++; if (!first) first = "row " NR - 1 ": " name[k] " is \"" v "\" (want " test[k] "): " $0; break } } }
        END { if (bad) exit 1
              if (NR < 2) { print "no data rows"; exit 1 }
              if (nbad) { print nbad " of " NR - 1 " rows fail; first " first; exit 1 } }' "$f"
}
BREAKDOWN="anon_bytes:nonempty file_bytes:nonempty shmem_bytes:nonempty swap_bytes:nonempty hwm_bytes:nonempty"
# last_col FILE NAME: NAME's value in the newest row.
last_col() { column "$1" "$2" | tail -1; }
header_is() { local h; h=$(head -1 "$1"); [ "$h" = "$TREE_HEADER" ] || { echo "header is: $h"; return 1; }; }

# ---- 1. make -j2 over 60 small C files, sampled every 20 ms --------------------------------------
# Many short compiles (make, cc, cc1, as appear and vanish all the time): before the fix about one
# row in 40 had the breakdown blank (1 to 4 rows a run here).
mkdir src
for i in $(seq 1 60); do
    {
        for j in $(seq 1 20); do
            echo "static int g$j(int x) { int s = 0; for (int k = 0; k < x; k++) s += (k * $j) ^ (s >> 3); return s + $j; }"
        done
        printf 'int f%d(int x) { return 0' "$i"
        for j in $(seq 1 20); do printf ' + g%d(x)' "$j"; done
        echo '; }'
    } > "src/f$i.c"
done
echo 'int main(void) { return 0; }' > src/main.c
printf '%s\n' 'OBJS = $(patsubst %.c,%.o,$(wildcard f*.c)) main.o' 'prog: $(OBJS)' \
    '	$(CC) -o $@ $(OBJS)' '%.o: %.c' '	$(CC) -O2 -c -o $@ $<' 'broken:' '	exit 3' > src/Makefile
timeout $((60 * MW_SLOW)) "$MEMWATCH" --no-tui -c -i 20ms -o make.csv -- make -s -j2 -C src CC="$CC" \
    > make.sum 2> make.err
rc=$?
note "make: status $rc, $(rows make.csv) rows, nprocs max $(column_max make.csv nprocs)"
check "make -j2: memwatch exits with make's status 0 (got $rc; stderr: $(head -c 300 make.err))" [ "$rc" = 0 ]
check "make -j2: the program was built" test -x src/prog
expect "make -j2: the CSV header is spec14's (new columns after marker)" header_is make.csv
expect "make -j2: no row has a blank anon/file/shmem/swap/hwm column" csv_rows_ok make.csv $BREAKDOWN
expect "make -j2: nprocs_unreadable is 0 on every row (we own every process)" \
    csv_rows_ok make.csv nprocs_unreadable:zero
expect "make -j2: the PSS cells are empty without --pss" \
    csv_rows_ok make.csv pss_bytes:empty uss_bytes:empty swap_pss_bytes:empty
check "make -j2: nprocs reached 3 or more (got $(column_max make.csv nprocs))" \
    [ "$(column_max make.csv nprocs)" -ge 3 ]
timeout $((30 * MW_SLOW)) "$MEMWATCH" --no-tui -c -i 20ms -- make -s -C src broken > broken.sum 2>&1
rc=$?
check "make broken: memwatch exits with make's status 2 (got $rc)" [ "$rc" = 2 ]

# ---- 2. a shell with background jobs, killed one by one ---------------------------------------
# The sleeps carry a number of their own, so pgrep finds this script's and no other.
m=377.$$3
# shellcheck disable=SC2016 # MW_ALLOC is expanded by the shell under test
"$MEMWATCH" --no-tui -c -i 50ms -o jobs.csv -- bash -c "sleep $m & sleep $m & \"\$MW_ALLOC\" \
    --alloc 20 --leak 0 --every 600000 --ready-file jobs.ready & wait" > jobs.sum 2> jobs.err &
mw=$!
track "$mw"
nprocs_is() { [ "$(last_col jobs.csv nprocs)" = "$1" ]; }
# dropped_to N: wait for the newest row to say N processes; the failure names what it said.
dropped_to() {
    wait_until 10 nprocs_is "$1" || { fail "$2: nprocs should be $1, the newest row says $(last_col jobs.csv nprocs)"; return 1; }
    ok "$2: nprocs $1"
}
# The start may show fewer while bash forks; from 4 on, one step down per kill.
counts_went_down() {
    local seq
    seq=$(column jobs.csv nprocs | uniq | tr '\n' ' ')
    printf '%s\n' "$seq" | grep -Eq '^([123] )*4 3 2 (1 )?$' || { echo "nprocs went: $seq"; return 1; }
}
if wait_until 10 test -s jobs.ready && wait_until 10 eval '[ "$(pgrep -f "^sleep $m\$" | wc -l)" = 2 ]'; then
    alloc=$(cat jobs.ready)
    sleeps=$(pgrep -f "^sleep $m\$" | tr '\n' ' ')
    track "$alloc" $sleeps
    dropped_to 4 "jobs: bash, 2 sleeps and mw-alloc counted"
    set -- $sleeps
    kill "$1"
    dropped_to 3 "jobs: first sleep killed"
    kill "$2"
    dropped_to 2 "jobs: second sleep killed"
    kill "$alloc"
    wait_until 10 eval '! alive "$mw"' || fail "jobs: memwatch still runs 10 s after the last job was killed"
    wait "$mw"
    rc=$?
    check "jobs: memwatch exits with bash's status 0 (got $rc)" [ "$rc" = 0 ]
    expect "jobs: once 4, the counts only went down: 4, 3, 2 (and 1 at the end)" counts_went_down
    expect "jobs: no row has a blank column" csv_rows_ok jobs.csv $BREAKDOWN nprocs_unreadable:zero
    check "jobs: the summary counts 4 at the RSS peak ($(grep '^  processes' jobs.sum))" \
        grep -q '^  processes 4 at the RSS peak' jobs.sum
else
    fail "jobs: the shell's two sleeps and mw-alloc did not start ($(cat jobs.err))"
fi

# ---- 3. 2000 children: the kernel's children file gives ~682 PIDs per read ----------------------
N=2000
lim=$(ulimit -u)
if [ "$(id -u)" != 0 ] && [ "$lim" != unlimited ] && [ "$lim" -lt $((N + 200)) ]; then
    note "SKIP the $N children: ulimit -u is $lim (CI runs as root)"
    finish
fi
rm -f spawn.in
mkfifo spawn.in
"$MW_SPAWN" "$N" < spawn.in > spawn.out 2> spawn.err &
sp=$!
track "$sp" # its children die with it (pipe EOF and PR_SET_PDEATHSIG)
# Held open so that mw-spawn waits; the tmux server below inherits it too, so it is ended by
# SIGTERM, not by closing this.
exec {spawn_fd}> spawn.in
wait_until 60 grep -q "^ready $N" spawn.out || die "mw-spawn: $N children not ready in 60 s: $(cat spawn.err)"
spawned=$(pgrep -P "$sp" | tr '\n' ' ')
note "mw-spawn ready: $(echo $spawned | wc -w) children"
"$MEMWATCH" --no-tui -c -i 200ms -o spawn.csv "$sp" > spawn.sum 2> spawn.err2 &
mw=$!
track "$mw"
# The tree is complete before the first sample: 10 rows (2 s) without 2001 are enough to fail.
spawn_counted() { [ -f spawn.csv ] && { [ "$(column_max spawn.csv nprocs)" -ge $((N + 1)) ] || has_rows 10 spawn.csv; }; }
wait_until 15 spawn_counted || note "no 10 rows in 15 s"
kill -INT "$mw"
wait "$mw"
note "$(grep '^  processes' spawn.sum)"
check "$N children: nprocs reaches $((N + 1)) (got $(column_max spawn.csv nprocs); a single read gives ~683)" \
    [ "$(column_max spawn.csv nprocs)" = $((N + 1)) ]
expect "$N children: no row has a blank column, none unreadable" \
    csv_rows_ok spawn.csv $BREAKDOWN nprocs_unreadable:zero
check "$N children: the summary counts $((N + 1)) at the RSS peak ($(grep '^  processes' spawn.sum))" \
    grep -q "^  processes $((N + 1)) at the RSS peak" spawn.sum
start_tui_sh "'$MEMWATCH' -c -i 200ms $sp" 100 30
wait_screen '[0-9]+ procs' 15 || note "no process count in the header after 15 s"
if wait_screen "$((N + 1)) procs" 3; then
    ok "$N children: the dashboard header shows '$((N + 1)) procs'"
else
    fail "$N children: the dashboard header shows no '$((N + 1)) procs': $(screen | grep -m1 -E 'procs|samples')"
fi
st=$(dashboard_quit)
check "$N children: the dashboard quits with 0 (got $st)" [ "$st" = 0 ]
kill -TERM "$sp"
wait "$sp"
exec {spawn_fd}>&-
# alive_count PIDS...: how many still have a /proc entry (no fork per PID: there are 2000).
alive_count() { local p n=0; for p in "$@"; do [ -d "/proc/$p" ] && n=$((n + 1)); done; echo "$n"; }
# shellcheck disable=SC2086 # a list of PIDs
check "$N children: all gone once mw-spawn is terminated" wait_until 10 eval '[ "$(alive_count $spawned)" = 0 ]'
finish
