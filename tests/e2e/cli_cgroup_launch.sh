#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_cgroup_launch.sh — --new-cgroup: the tree's true peak from the kernel, the cgroup removed after; a small limit and a real OOM kill named in the summary (issue 18).
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

V1=/sys/fs/cgroup/memory
[ "${MW_PROBE:-linux}" = linux ] || skip "cgroups are Linux-only"
[ "$(id -u)" = 0 ] || skip "not root: cannot create a cgroup"
[ -w "$V1/cgroup.procs" ] || skip "no writable cgroup v1 memory controller at $V1"

MIB=$((1 << 20))
OWN=$V1/mw-e2e-$$ # this script's own cgroup, for the watched-from-outside case
# shellcheck disable=SC2317 # called from the EXIT trap
cg_cleanup() {
    local p d
    for d in "$OWN" "$V1"/memwatch-*; do
        [ -d "$d" ] || continue
        case $d in "$V1"/memwatch-*) grep -qx "$MW_MEMWATCH_PIDS_RE" <<< "${d#"$V1"/memwatch-}" 2>/dev/null || continue ;; esac
        while read -r p; do kill -KILL "$p" 2>/dev/null; done < "$d/cgroup.procs"
        wait_until 5 rmdir "$d" 2> /dev/null # busy until the killed are reaped
    done
}
MW_MEMWATCH_PIDS_RE='x' # the memwatch PIDs of this script (their cgroups are memwatch-PID-N)
trap 'st=$?; cg_cleanup; (exit $st); harness_cleanup' EXIT

# run_mw NAME ARGS...: memwatch in the background (so its PID names its cgroup), summary in NAME.sum.
run_mw() {
    local name=$1
    shift
    "$MEMWATCH" "$@" > "$name.sum" 2> "$name.err" &
    local pid=$!
    MW_MEMWATCH_PIDS_RE="$MW_MEMWATCH_PIDS_RE\\|$pid-[0-9]*"
    track "$pid"
    wait "$pid"
    echo $? > "$name.rc"
    sed 's/^/#      /' "$name.sum" "$name.err"
    LAST_MW=$pid
}
# shellcheck disable=SC2317 # called through check
no_cgroup_of() { ! compgen -G "$V1/memwatch-$1-*" > /dev/null; }

# ---- two children at once: 40 MiB and 60 MiB, held together for a second -------------------------
# shellcheck disable=SC2016 # expanded by the shell under test
run_mw two --no-tui -i 100ms --new-cgroup --summary-json two.json -- sh -c \
    '"$0" --alloc 40 --leak 1 --every 1000 --steps 1 --then-exit 0 & "$0" --alloc 60 --leak 1 --every 1000 --steps 1 --then-exit 0 & wait' "$MW_ALLOC"
check "two children: memwatch exits 0" [ "$(cat two.rc)" = 0 ]
peak=$(python3 -c 'import json; print(json.load(open("two.json"))["new_cgroup"]["peak_bytes"])')
check "two children: the kernel's peak of the whole tree ($((peak / MIB)) MiB) >= the 100 MiB both held" \
    [ "${peak:-0}" -ge $((100 * MIB)) ]
expect "two children: the summary says it counts page cache" \
    grep -Eq '^  cgroup    peak [0-9.]+ MiB incl\. page cache: the kernel.s count for the whole tree' two.sum
check "two children: the cgroup is removed after the run" no_cgroup_of "$LAST_MW"

# ---- a process left behind in the cgroup is killed, and the cgroup still goes ---------------------
# setsid: out of the command's process group, which memwatch ends; only the cgroup holds it. The
# command exits once the escapee has left the group (it writes left.ready after setsid).
# shellcheck disable=SC2016
run_mw left --no-tui -i 100ms --new-cgroup -- sh -c \
    'setsid sh -c "echo > $0.ready; exec sleep 300" < /dev/null > /dev/null 2>&1 & until [ -s "$0.ready" ]; do sleep 0.01; done' "$MW_TMP/left"
expect "left behind: memwatch says it killed it" grep -q 'killed 1 process left in cgroup' left.err
check "left behind: the cgroup is removed" no_cgroup_of "$LAST_MW"

# ---- memwatch ended by a signal: the command and its cgroup go with it --------------------------
"$MEMWATCH" --no-tui -i 100ms --new-cgroup -- sleep 300 > sig.sum 2> sig.err &
mw=$!
track "$mw"
MW_MEMWATCH_PIDS_RE="$MW_MEMWATCH_PIDS_RE\\|$mw-[0-9]*"
wait_until 10 compgen -G "$V1/memwatch-$mw-*/cgroup.procs" > /dev/null || die "no cgroup for memwatch $mw"
sig_cg=$(compgen -G "$V1/memwatch-$mw-*")
wait_until 10 grep -q . "$sig_cg/cgroup.procs" || die "the command never joined $sig_cg"
sleeper=$(head -1 "$sig_cg/cgroup.procs")
kill -TERM "$mw"
wait "$mw"
check "SIGTERM: memwatch exits 128+15" [ $? = 143 ]
check "SIGTERM: the command in the cgroup is gone" eval "! alive $sleeper"
check "SIGTERM: the cgroup is removed" no_cgroup_of "$mw"

# ---- --cgroup-limit far enough: the time to it from the cgroup's own growth -----------------------
# 16 MiB/s for 14 s is ~225 MiB of 400 MiB: the limit is ~11 s away, far nearer than MemAvailable.
run_mw near --no-tui -i 100ms -t 14s --cgroup-limit 400M --summary-json near.json -- "$MW_ALLOC" --leak 4 --every 250
expect "a 400 MiB limit: the headroom line names the cgroup limit and a time" \
    grep -Eq '^  headroom  at this rate cgroup memory reaches the cgroup limit 400\.0 MiB in ~[0-9]+ s$' near.sum
expect "a 400 MiB limit: --summary-json's headroom is the cgroup limit's, 5..30 s away" \
    python3 -c 'import json; h=json.load(open("near.json"))["headroom"]; assert h["ceiling"] == "cgroup_limit" and 5 <= h["seconds"] <= 30, h'
check "a 400 MiB limit: no OOM line (memwatch ended the command)" eval '! grep -q "^  OOM" near.sum'

# ---- --cgroup-limit: past it the OOM killer kills the command, and the summary says so ------------
run_mw oom --no-tui -i 100ms --cgroup-limit 32M --summary-json oom.json -- "$MW_ALLOC" --leak 4 --every 100
check "a 32 MiB limit: memwatch exits with the command's 128+9" [ "$(cat oom.rc)" = 137 ]
expect "a 32 MiB limit: the summary names the OOM killer and the limit" \
    grep -Eq '^  OOM       killed by the OOM killer at RSS [0-9.]+ MiB \(last sample; limit 32\.0 MiB\)$' oom.sum
expect "a 32 MiB limit: --summary-json has the OOM line and the cgroup's kill count" \
    python3 -c 'import json; d=json.load(open("oom.json")); assert "OOM killer" in d["oom"] and d["new_cgroup"]["limit_bytes"] == 32 << 20 and d["new_cgroup"]["oom_kills"] >= 1, d'
check "a 32 MiB limit: the cgroup is removed" no_cgroup_of "$LAST_MW"

# ---- a cgroup made outside memwatch: the command joins it itself; the machine's count rose --------
mkdir "$OWN" || hard_error "cannot make $OWN"
echo $((32 * MIB)) > "$OWN/memory.limit_in_bytes"
[ -w "$OWN/memory.memsw.limit_in_bytes" ] && echo $((32 * MIB)) > "$OWN/memory.memsw.limit_in_bytes"
# shellcheck disable=SC2016
run_mw ext --no-tui -i 100ms -- sh -c 'echo $$ > "$1/cgroup.procs" && exec "$0" --leak 4 --every 100' "$MW_ALLOC" "$OWN"
expect "a cgroup of its own: the summary names the OOM killer (the machine's count)" \
    grep -Eq "^  OOM       killed by the OOM killer at RSS [0-9.]+ MiB \(last sample\): the machine's OOM kill count rose" ext.sum

# ---- a PID memwatch did not start: it can only say what is true -----------------------------------
# The process joins the cgroup, waits for memwatch to watch it (go), then grows into the limit.
# shellcheck disable=SC2016
sh -c 'echo $$ > "$1/cgroup.procs" && until [ -e "$2" ]; do sleep 0.01; done && exec "$0" --leak 4 --every 100' \
    "$MW_ALLOC" "$OWN" "$MW_TMP/go" &
victim=$!
track "$victim"
disown "$victim" # its OOM kill is the point: no job notice for it
"$MEMWATCH" --no-tui -i 100ms "$victim" > pid.sum 2> pid.err &
mw=$!
track "$mw"
wait_until 10 grep -q . "$OWN/cgroup.procs" || die "the process never joined $OWN"
touch "$MW_TMP/go"
wait "$mw"
sed 's/^/#      /' pid.sum pid.err
expect "a watched PID: the summary says it ended while the OOM killer killed, and no more" \
    grep -Eq '^  OOM       ended at RSS [0-9.]+ MiB \(last sample\), while the OOM killer killed [0-9]+ process(es)? on this machine: maybe this one$' pid.sum

# ---- not permitted: one line, exit 2, nothing launched ------------------------------------------
# nobody must reach the program: a build under a private directory (mktemp -d is 0700) it cannot.
if id nobody > /dev/null 2>&1 && su nobody -s /bin/sh -c "'$MEMWATCH' --version" > /dev/null 2>&1; then
    su nobody -s /bin/sh -c "'$MEMWATCH' --no-tui --new-cgroup -- touch '$MW_TMP/ran'" > np.out 2> np.err
    echo $? > np.rc
    check "not root: exit 2" [ "$(cat np.rc)" = 2 ]
    # shellcheck disable=SC2016 # expanded by eval
    expect "not root: one line naming --new-cgroup" eval '[ "$(wc -l < np.err)" = 1 ] && grep -q "^memwatch: --new-cgroup: .*permission denied" np.err'
    check "not root: the command did not run" [ ! -e "$MW_TMP/ran" ]
else
    note "user nobody cannot run $MEMWATCH here (a private build directory): the not-root case is not run"
fi
finish
