#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_target.sh — the dashboard when its target ends: exit status and signal, export after, quit prompt, --alert.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

# kept_last RSS_MIB MIN_MIB: after the exit the screen keeps the last data (not the 0 B of a
# process whose memory is being torn down), and so does the export (see export_ok).
kept_last() {
    awk -v v="$1" -v min="$2" 'BEGIN { exit !(v >= min) }' ||
        die "after the exit the current RSS reads $1 MiB, not the last data (>= $2 MiB)"
}

# ready_pid FILE: the PID a --ready-file holds, once it is there.
ready_pid() {
    poll 10 "mw-alloc's ready file" test -s "$1"
    cat "$1"
}

# ---- (m) --alert, then (h) the watched process exits (PID mode: no status to know) ------------
alloc_start t --alloc 8 || die "mw-alloc did not start"
start_tui "$MEMWATCH" --alert 50M "$ALLOC_PID"
wait_for "^interval 250ms  [0-9]+/100000 samples  alert 50\.0 MiB"
wait_for '^now RSS'
! screen | grep -q 'ALERT' || die "an alert below the threshold"
alloc_cmd_ok t 'alloc 60' >/dev/null
wait_for 'ALERT: RSS crossed 50\.0 MiB'
wait_for '^RSS [0-9.]+ MiB  ALERT >= 50\.0 MiB'
ok "--alert 50M: quiet at 9 MiB, alert at 69 MiB"

# Sample fast so that a sample lands while the kernel tears the exiting process's memory down.
send + + + +
wait_for '^interval 10ms '
alloc_cmd_ok t 'exit 3' >/dev/null
wait_for "^PID $ALLOC_PID  .* exited  "
kept_last "$(now_rss_mib)" 66
export_ok "$ALLOC_PID"
ok "PID mode, target exited: 'exited' shown, export still works ($(basename "$EXPORTED"))"
send q
[ "$(wait_exit)" = 0 ] || die "status after q"
alloc_stop t

# ---- (h) launch mode: exit status and signal ----------------------------------------------------
start_tui "$MEMWATCH" -i 10ms -- "$MW_ALLOC" --leak 4 --every 100 --steps 5 --then-exit 3
wait_for '^PID [0-9]+  .*mw-alloc --leak 4 --every 100 .*  exited \(status 3\)  '
wait_for 'process ended: data kept, e exports'
kept_last "$(now_rss_mib)" 13
pid=$(screen | sed -n '1s/^PID \([0-9]*\) .*/\1/p')
export_ok "$pid"
awk -F, 'NR > 1 && $4 > max { max = $4 } END { exit !(max >= 13 * 1048576) }' "$EXPORTED" ||
    die "the launched leak (4 MiB every 100 ms) is not in $EXPORTED"
[ -f "$MW_TMP/memwatch-$pid.log" ] || die "no memwatch-$pid.log for the command's output"
send q
st=$(wait_exit)
[ "$st" = 3 ] || die "memwatch should pass on the command's status 3, not $st"
ok "launch: 'exited (status 3)', export after exit, memwatch exits 3"

start_tui "$MEMWATCH" -- "$MW_ALLOC" --leak 4 --every 100 --steps 1 --ready-file "$MW_TMP/kill.ready"
pid=$(ready_pid "$MW_TMP/kill.ready")
track "$pid"
wait_for "^PID $pid  .*(running|sleeping)"
kill -KILL "$pid"
wait_for "^PID $pid  .*killed by SIGKILL"
export_ok "$pid"
send q
st=$(wait_exit)
[ "$st" = 137 ] || die "status $st for a command killed by SIGKILL (137 expected)"
ok "launch: 'killed by SIGKILL' shown, export works, memwatch exits 137"

# ---- (i) quitting while the launched command runs -----------------------------------------------
launch_running() {
    rm -f "$MW_TMP/run.ready"
    start_tui "$MEMWATCH" -- "$MW_ALLOC" --leak 1 --every 100 --steps 3 --ready-file "$MW_TMP/run.ready"
    pid=$(ready_pid "$MW_TMP/run.ready")
    track "$pid"
    wait_for "^PID $pid "
    wait_for '^now RSS'
}
prompt='command still running: k = end it and quit, d = leave it running'
# Gone, or a zombie nobody reaps (an orphan whose PID 1 in a container does not reap).
gone() { ! pid_exists "$1" || [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ]; }

launch_running
send q
wait_for "$prompt"
send x
wait_for 'quit cancelled'
pid_exists "$pid" || die "'any other key' should keep the command"
send q
wait_for "$prompt"
send k
st=$(wait_exit)
[ "$st" = 0 ] || die "status $st after q, k"
poll 5 "PID $pid to be ended by k" gone "$pid"
ok "q asks; another key stays; k ends the command and quits (status 0)"

launch_running
send q
wait_for "$prompt"
send d
st=$(wait_exit)
[ "$st" = 0 ] || die "status $st after q, d"
wait_for "memwatch: left PID $pid running"
pid_exists "$pid" || die "d should leave PID $pid running"
tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'mw-alloc --leak' || die "PID $pid is no longer mw-alloc"
kill -KILL "$pid"
poll 5 "PID $pid to go" gone "$pid"
ok "q, d: memwatch quits, the command still runs (killed by the test)"

launch_running
send C-c
wait_for "$prompt"
send C-c
st=$(wait_exit)
[ "$st" = 130 ] || die "status $st after Ctrl-C twice"
poll 5 "PID $pid to be ended by a second Ctrl-C" gone "$pid"
ok "Ctrl-C asks too; a second Ctrl-C ends the command (status 130)"
