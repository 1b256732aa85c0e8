#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_cgroup.sh — the dashboard on a live v1 cgroup: its chart rises with an allocation, the limit line and headroom show, removal ends the watch.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

MIB=$((1 << 20))
V1=/sys/fs/cgroup/memory
[ "$(id -u)" -eq 0 ] || skip "needs root (to make a cgroup)"
[ -r $V1/memory.usage_in_bytes ] || skip "no cgroup v1 memory controller at $V1"

NAME=mw-e2e-$(basename "$(mktemp -u XXXXXXXX)")
CG=$V1/$NAME
cg_cleanup() {
    [ -d "$CG" ] || return 0
    local p
    for p in $(cat "$CG/cgroup.procs" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    wait_until 5 eval "[ ! -s '$CG/cgroup.procs' ]"
    rmdir "$CG" 2>/dev/null || echo "WARNING: could not remove $CG" >&2
}
trap 'st=$?; cg_cleanup; (exit $st); harness_cleanup' EXIT
mkdir "$CG" || hard_error "cannot make $CG"
echo $((128 * MIB)) > "$CG/memory.limit_in_bytes" || hard_error "cannot set a limit on $CG"

alloc_start a || die "mw-alloc did not start"
echo "$ALLOC_PID" > "$CG/cgroup.procs" || hard_error "cannot move mw-alloc into $CG"

start_tui "$MEMWATCH" --cgroup "$NAME" -i 100ms
wait_for "^cgroup  $CG \\(cgroup v1\\) .* watched "
wait_for '^cgroup [0-9.]+ (B|KiB|MiB)  .*limit 128\.0 MiB  \(page cache included\)'
ok "header names the cgroup and its version; the chart says what it counts and its limit"
screen | grep -q '[┤│]═══' || die "no limit line on the chart"
ok "the limit is drawn as a line"
! screen | grep -q '^RSS ' || die "a process chart for a cgroup watched alone"
send w
wait_for "where it went reads a process's smaps: --cgroup watches none"
send t
wait_for "the process table lists a -c tree: --cgroup watches no process"
ok "w and t say why they have nothing to show for a cgroup"

alloc_cmd_ok a 'alloc 64' > /dev/null
# headroom_ok: the row's headroom is the limit less the current figure, as it shows them.
headroom_ok() {
    local l cur head
    l=$(screen | grep -m1 '^cgroup [0-9.]* MiB  peak') || return 1
    cur=$(sed -n 's/^cgroup \([0-9.]*\) MiB .*/\1/p' <<<"$l")
    head=$(sed -n 's/.*headroom \([0-9.]*\) MiB.*/\1/p' <<<"$l")
    [ -n "$cur" ] && [ -n "$head" ] && awk -v c="$cur" -v h="$head" 'BEGIN { exit !(c >= 64 && (c + h) > 127.8 && (c + h) < 128.2) }'
}
settle 10 eval 'headroom_ok || why "the figures row: $(screen | grep "^cgroup [0-9.]* .*peak")"'
ok "after 64 MiB: current >= 64 MiB and headroom = limit - current ($(screen | grep -m1 '^cgroup [0-9.]* MiB  peak'))"

# Ended, not closed: the pane's tmux server holds the FIFO's write end, so EOF would not come.
kill -TERM "$ALLOC_PID"
wait_pid_gone 10 "$ALLOC_PID" || die "mw-alloc did not end"
wait_until 5 eval "[ ! -s '$CG/cgroup.procs' ]"
rmdir "$CG" || die "cannot remove the emptied $CG"
wait_for "^cgroup  $CG \\(cgroup v1\\) .* removed: the watch ended "
ok "removed while watched: the header says the watch ended"
send q
st=$(dashboard_quit)
[ "$st" = 0 ] || die "status $st after q"
ok "q after the end: exit 0"
