#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_permission.sh — watching another user's process whose /proc files are closed to us: one clear line, exit 2.
. "$(dirname "$0")/harness.sh"

# Another user's /proc/PID/status is world-readable by default, so the test closes it the way an
# administrator does: procfs mounted with hidepid (in a private mount namespace, as root), then
# memwatch runs as an unprivileged user against a root-owned target.
[ "$(id -u)" = 0 ] || skip "needs root to mount procfs with hidepid and switch users"
for tool in unshare setpriv mount; do
    command -v "$tool" > /dev/null || skip "needs $tool (util-linux)"
done
chmod o+rx "$MW_TMP" || skip "cannot open the temp dir to an unprivileged user"

alloc_start t --alloc 4 || { fail "mw-alloc did not start"; finish; }
target=$ALLOC_PID

# as_nobody HIDEPID ARGS...: memwatch ARGS as uid 65534 under a procfs mounted hidepid=HIDEPID.
as_nobody() {
    local hide=$1; shift
    unshare -m --propagation private sh -c '
        mount -t proc -o hidepid="$1" proc /proc || exit 98
        shift
        exec setpriv --reuid=65534 --regid=65534 --clear-groups "$@"' sh "$hide" "$MEMWATCH" "$@" \
        > out.txt 2> err.txt < /dev/null
}

one_line_exit2() { # one_line_exit2 RC PATTERN...: status 2, exactly one stderr line matching all
    local rc=$1; shift
    [ "$rc" -eq 2 ] && [ "$(wc -l < err.txt)" -eq 1 ] || return 1
    local p
    for p in "$@"; do grep -qiE -- "$p" err.txt || return 1; done
}

as_nobody 1 --no-tui -t 1s "$target"; rc=$?
[ $rc -eq 98 ] && skip "this kernel or sandbox does not allow mounting procfs with hidepid"
check "hidepid=1, headless: exit 2, one line naming PID $target and 'permission denied'" \
    one_line_exit2 $rc "PID $target" "permission denied"
[ $rc -eq 2 ] || note "status $rc; stderr: $(cat err.txt)"

# With -o into a directory it may write: the same error, and no capture file is created.
mkdir "$MW_TMP/w" && chmod 777 "$MW_TMP/w"
as_nobody 1 --no-tui -o "$MW_TMP/w/never.csv" "$target"; rc=$?
check "hidepid=1 with -o: same error, and no capture file is left behind" \
    eval 'one_line_exit2 $rc "PID $target" "permission denied" && [ ! -e "$MW_TMP/w/never.csv" ]'
# The dashboard says the same before touching the terminal.
as_nobody 1 "$target"; rc=$?
check "hidepid=1, dashboard: the same one line, exit 2" \
    one_line_exit2 $rc "PID $target" "permission denied"

# hidepid=2 hides other users' processes altogether: to memwatch they do not exist.
as_nobody 2 --no-tui -t 1s "$target"; rc=$?
check "hidepid=2: exit 2, 'no such process' naming PID $target" \
    one_line_exit2 $rc "no such process" "PID $target"

# --interval-peaks on another user's process: its status is readable (no hidepid here) but its
# clear_refs is not. memwatch says so once on stderr and goes on sampling with lifetime peaks.
setpriv --reuid=65534 --regid=65534 --clear-groups "$MEMWATCH" --no-tui -i 20ms -t 1s \
    --interval-peaks "$target" > out.txt 2> err.txt < /dev/null
rc=$?
check "--interval-peaks without permission: exit 0, one line saying the peak cannot be reset" \
    eval '[ $rc -eq 0 ] && [ "$(wc -l < err.txt)" -eq 1 ] && grep -qx "memwatch: --interval-peaks: cannot reset PID $target.s peak (permission denied): sampling goes on with lifetime peaks only" err.txt'
check "--interval-peaks without permission: sampling went on (summary with samples)" \
    eval '[ "$(summary_samples out.txt)" -gt 5 ]'
[ -s err.txt ] && note "stderr: $(head -c 300 err.txt)"

# The target itself was never disturbed.
check "the target still runs" alive "$target"
finish
