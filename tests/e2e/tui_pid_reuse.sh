#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_pid_reuse.sh — the dashboard when its PID is reused (forced in a PID namespace): says so, keeps the history, exports only the old process.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

if [ "${1:-}" != --inside ]; then
    # Forcing a PID to come back needs a PID namespace of our own (ns_last_pid): root and unshare.
    [ "$(id -u)" = 0 ] || skip "PID reuse is forced with unshare -pf and ns_last_pid: needs root"
    unshare -pf --mount-proc true 2>/dev/null || skip "unshare -pf --mount-proc is not permitted here"
    # The scenario runs as the namespace's first child; its result is its exit status.
    unshare -pf --mount-proc bash "$MW_E2E_DIR/$(basename "$0")" --inside
    exit $?
fi

# ---- inside the namespace: PIDs are small and ns_last_pid picks the next one ---------------------
# shellcheck source=tests/e2e/reuse-lib.sh
. "$MW_E2E_DIR/reuse-lib.sh"
has_samples() { [ "$(screen_samples)" -ge "$1" ] 2>/dev/null; }

alloc_start t --alloc 8 || die "mw-alloc did not start"
old=$ALLOC_PID
start_tui "$MEMWATCH" -i 10ms "$old"
wait_for "^PID $old "
wait_for '^now RSS'
poll 10 "20 samples of PID $old" has_samples 20

# Freeze memwatch (every thread: SIGSTOP lands per thread, a moment later), replace its target by
# a stranger with the same PID, then let memwatch look again.
mw=$(pgrep -x -P "$(tmux_fmt '#{pane_pid}')" memwatch) || die "no memwatch process in the pane"
kill -STOP "$mw"
poll 10 "memwatch's threads to stop" threads_stopped "$mw"
before=$(screen_samples)
reuse_pid "$old" "$MW_TMP/new.ready"
new=$STRANGER
track "$new"
[ "$new" = "$old" ] || skip "the new process got PID $new, not $old (ns_last_pid not honoured)"
poll 10 "the stranger to be ready" test -s "$MW_TMP/new.ready"
pid_exists "$new" || die "the stranger (PID $new) did not stay up (test setup)"
kill -CONT "$mw"
ok "PID $old: watched, then replaced by a 64 MiB stranger while memwatch was stopped"

wait_for 'PID reused'
wait_for "^PID $old "
has_samples "$before" || die "the history shrank: $(screen_samples) samples, $before before the reuse"
rss=$(now_rss_mib)
awk -v r="$rss" 'BEGIN { exit !(r < 40) }' || die "the screen shows the stranger's RSS ($rss MiB)"
ok "the header says the PID was reused; $(screen_samples) samples kept; RSS still the old process's ($rss MiB)"

export_ok "$old"
awk -F, 'NR > 1 && $4 >= 40 * 1048576 { exit 1 }' "$EXPORTED" ||
    die "$EXPORTED has a row with the stranger's 64 MiB"
ok "export after the reuse: $(($(wc -l <"$EXPORTED") - 1)) rows, all of the old process"

pid_exists "$new" || die "memwatch touched the stranger"
send q
st=$(wait_exit)
[ "$st" = 0 ] || die "status $st after q"
pid_exists "$new" || die "quitting memwatch ended the stranger"
ok "q: status 0; the stranger was left alone"
