#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_cgroup.sh — memwatch --cgroup on the live v1 memory hierarchy: columns rise with an allocation, the limit column is the limit, an OOM kill is a mark, removal ends the watch, bad specs exit 2.
. "$(dirname "$0")/harness.sh"

MIB=$((1 << 20))
V1=/sys/fs/cgroup/memory
[ "$(id -u)" -eq 0 ] || skip "needs root (to make a cgroup)"
[ -r $V1/memory.usage_in_bytes ] || skip "no cgroup v1 memory controller at $V1"

# A unique name under the hierarchy, removed at exit with whatever still runs in it.
NAME=mw-e2e-$(basename "$(mktemp -u XXXXXXXX)")
CG=$V1/$NAME
cg_cleanup() {
    [ -d "$CG" ] || return 0
    local p
    for p in $(cat "$CG/cgroup.procs" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    wait_until 5 eval "[ ! -s '$CG/cgroup.procs' ]"
    rmdir "$CG/locked" 2>/dev/null
    rmdir "$CG" 2>/dev/null || echo "WARNING: could not remove $CG" >&2
}
trap 'st=$?; cg_cleanup; (exit $st); harness_cleanup' EXIT
mkdir "$CG" || hard_error "cannot make $CG"
LIMIT=$((96 * MIB))
echo $LIMIT > "$CG/memory.limit_in_bytes" || hard_error "cannot set a limit on $CG"

alloc_start a || { fail "mw-alloc did not start"; finish; }
echo "$ALLOC_PID" > "$CG/cgroup.procs" || hard_error "cannot move mw-alloc into $CG"

# ---- bad specs: one line, exit 2, before anything is made --------------------------------------------
bad() { # bad DESC SPEC PATTERN
    local rc=0 pat=$3 # the check's eval sees these (bash's dynamic scope), not $3
    "$MEMWATCH" --no-tui -t 1s -o bad.csv --cgroup "$2" > bad.out 2> bad.err || rc=$?
    expect "bad spec ($1): exit 2, one line naming it, no file" eval \
        '[ $rc -eq 2 ] && [ "$(wc -l < bad.err)" -eq 1 ] && grep -q -- "$pat" bad.err && [ ! -e bad.csv ] || { cat bad.err; echo "rc $rc"; false; }'
}
bad "no such cgroup" "$NAME-nonexistent" "no cgroup named"
bad "a file that is not a cgroup" "$CG/memory.stat" "is not a cgroup"
bad "empty" "" "invalid --cgroup ''"
bad "no such path" "/$NAME/none/here" "no such cgroup"
# No permission: a cgroup whose files another user may not read, watched as uid 65534.
as_nobody() { (cd / && setpriv --reuid=65534 --regid=65534 --clear-groups "$MEMWATCH" "$@"); }
if command -v setpriv > /dev/null && as_nobody --version > /dev/null 2>&1; then
    mkdir "$CG/locked" && chmod 700 "$CG/locked"
    rc=0
    as_nobody --no-tui -t 1s --cgroup "$CG/locked" > bad.out 2> bad.err || rc=$?
    expect "no permission (uid 65534): exit 2, one line saying so" eval \
        '[ $rc -eq 2 ] && [ "$(wc -l < bad.err)" -eq 1 ] && grep -q "permission denied" bad.err || { cat bad.err; echo "rc $rc"; false; }'
    rmdir "$CG/locked"
else
    note "no setpriv, or uid 65534 cannot run $MEMWATCH: the permission case is not run"
fi
rc=0
"$MEMWATCH" --no-tui -t 1s --fail-above 1G --cgroup "$NAME" > bad.out 2> bad.err || rc=$?
expect "--fail-above with --cgroup (a gate on RSS, and no process): exit 2, one line" eval \
    '[ $rc -eq 2 ] && [ "$(wc -l < bad.err)" -eq 1 ] && grep -q "fail" bad.err || { cat bad.err; false; }'

# ---- watch it: figures rise with an allocation; the limit column is the limit -----------------------
"$MEMWATCH" --cgroup "$NAME" --no-tui -i 100ms -o cg.csv --summary-json sum.json > sum.txt 2> err.txt &
mw=$!
track "$mw"
poll 10 "first rows" has_rows 3 cg.csv
base=$(column cg.csv cg_current_bytes | tail -1)
alloc_cmd_ok a "alloc 40" > /dev/null
risen() { [ "$(column_max cg.csv cg_current_bytes)" -ge $((base + 40 * MIB)) ]; }
anon_risen() { [ "$(column_max cg.csv cg_anon_bytes)" -ge $((40 * MIB)) ]; }
check "cg_current_bytes rises by the 40 MiB allocated" wait_until 10 risen
check "cg_anon_bytes counts them as anonymous" wait_until 10 anon_risen
expect "cg_limit_bytes is the limit set on every row" eval \
    '[ "$(column cg.csv cg_limit_bytes | sort -u)" = "$LIMIT" ] || column cg.csv cg_limit_bytes | sort -u'
expect "process columns say no process: pid 0, nprocs 0" eval \
    '[ "$(column cg.csv pid | sort -u)" = 0 ] && [ "$(column cg.csv nprocs | sort -u)" = 0 ]'
expect "v1 has no memory.high or kernel figure: empty cells, not 0" eval \
    '[ -z "$(column cg.csv cg_high_bytes | sort -u)" ] && [ -z "$(column cg.csv cg_kernel_bytes | sort -u)" ]'

# ---- past the limit: the kernel's OOM killer ends mw-alloc; the event is a mark on its sample -------
fd=$(eval echo "\$ALLOC_FD_a")
echo "alloc 120" >&"$fd" # no reply comes: it is killed
check "mw-alloc is OOM-killed past the 96 MiB limit" wait_pid_gone 15 "$ALLOC_PID"
oom_marked() { marks cg.csv | grep -q oom_kill; }
check "the OOM kill is a mark 'oom_kill' in the CSV" wait_until 10 oom_marked
said_oom() { grep -q '^memwatch: cgroup: oom_kill at [0-9:.]*$' err.txt; }
check "headless, the OOM kill is said on stderr as it is seen" wait_until 5 said_oom
at_limit() { marks cg.csv | grep -q 'at limit'; }
check "hitting the limit (failcnt rose) is a mark 'at limit'" wait_until 10 at_limit
expect "the kernel's peak reached the limit" eval \
    '[ "$(column_max cg.csv cg_peak_bytes)" -ge $((LIMIT - 4 * MIB)) ]'

# ---- time to the limit: a steady climb is extrapolated to the limit; a flat cgroup gets nothing ------
wait_until 5 eval "[ ! -s '$CG/cgroup.procs' ]"
sh -c 'echo $$ > "$1/cgroup.procs" && exec "$2" --leak 1 --every 200 --steps 80' sh "$CG" "$MW_ALLOC" \
    < /dev/null > /dev/null 2>&1 &
leaker=$!
track "$leaker"
"$MEMWATCH" --cgroup "$NAME" --no-tui -i 100ms -t 12s > ttl.txt 2> ttl.err
expect "a climbing cgroup: the summary says when its 96 MiB limit is reached at this rate" eval \
    'grep -q "^  headroom  at this rate cgroup memory reaches the cgroup limit 96.0 MiB in ~[0-9.]* s$" ttl.txt || cat ttl.txt ttl.err'
kill -KILL "$leaker" 2> /dev/null
wait "$leaker" 2> /dev/null # reaped: a zombie still holds the cgroup (rmdir: busy)
wait_until 5 eval "[ ! -s '$CG/cgroup.procs' ]"
sleep 60 | sh -c 'echo $$ > "$1/cgroup.procs" && exec "$2" --alloc 20' sh "$CG" "$MW_ALLOC" > /dev/null 2>&1 &
holder=$!
track "$holder"
wait_until 5 eval '[ "$(cat "$CG/memory.usage_in_bytes")" -ge $((20 * MIB)) ]'
"$MEMWATCH" --cgroup "$NAME" --no-tui -i 100ms -t 11s > flat.txt 2> flat.err
expect "a flat cgroup: no time to the limit is said" eval \
    '! grep -q "headroom  at this rate" flat.txt && grep -q "^  limit     96.0 MiB" flat.txt || cat flat.txt flat.err'
kill -KILL "$holder" 2> /dev/null
wait "$holder" 2> /dev/null

# ---- the cgroup removed while watched: the run ends with its reason ---------------------------------
wait_until 5 eval "[ ! -s '$CG/cgroup.procs' ]"
# An exiting task can keep the cgroup busy a moment after it left cgroup.procs: retry a while.
wait_until 10 rmdir "$CG" 2> /dev/null || fail "cannot remove the emptied $CG: $(rmdir "$CG" 2>&1)"
rc=0
wait_pid_gone 10 "$mw" || { fail "memwatch went on after its cgroup was removed"; kill -KILL "$mw"; }
wait "$mw" || rc=$?
expect "removal: exit 0, stderr names the cgroup and why the watch ended" eval \
    '[ $rc -eq 0 ] && grep -q "memwatch: cgroup $CG was removed: the watch ended" err.txt || { cat err.txt; echo "rc $rc"; false; }'
expect "the summary names the cgroup, its limit and the events" eval \
    'grep -q "^memwatch summary: cgroup $CG (cgroup v1)" sum.txt && grep -q "^  limit     96.0 MiB" sum.txt &&
     grep -q "OOM kills: [1-9]" sum.txt || cat sum.txt'
# json_ok: --summary-json's "cgroup" says what the run saw; the limit is a number, v1's
# memory.high null (unknown), the kernel figure of the fields null too.
json_ok() {
    /usr/bin/python3 - "$CG" "$LIMIT" <<'PYEOF'
import json, sys
d = json.load(open("sum.json"))
cg, f = d["cgroup"], d["fields"]
ok = (cg["path"] == sys.argv[1] and cg["version"] == 1 and cg["removed"] is True
      and cg["no_limit"] is False and cg["limit_bytes"] == int(sys.argv[2])
      and cg["high_bytes"] is None and cg["event_samples"]["oom_kill"] >= 1
      and cg["headroom_bytes"] is not None and d["end_reason"] == "cgroup_removed"
      and f["cg_kernel"] is None and f["cg_current"]["peak"] >= 40 << 20)
if not ok:
    print(json.dumps({"cgroup": cg, "end_reason": d["end_reason"]}))
sys.exit(0 if ok else 1)
PYEOF
}
expect "--summary-json: the cgroup's figures, null for what v1 does not give" json_ok

# ---- --new-cgroup: the command's own cgroup rides on its samples, "no limit" as the top value -------
rc=0
"$MEMWATCH" --new-cgroup --no-tui -i 100ms -o launch.csv -- "$MW_ALLOC" --leak 8 --every 100 \
    --steps 4 --then-exit 0 > launch.out 2>&1 || rc=$?
expect "--new-cgroup: exit 0, the cgroup's columns filled beside the command's" eval \
    '[ $rc -eq 0 ] && [ "$(column_max launch.csv cg_current_bytes)" -ge $((24 * MIB)) ] &&
     [ "$(column launch.csv pid | sort -u)" != 0 ] || { cat launch.out; echo "rc $rc"; false; }'
expect "--new-cgroup without a limit: cg_limit_bytes is 2^64-1 (no limit), never empty" eval \
    '[ "$(column launch.csv cg_limit_bytes | sort -u)" = 18446744073709551615 ] || column launch.csv cg_limit_bytes | sort -u'
finish
