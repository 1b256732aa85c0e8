# SPDX-License-Identifier: MIT
# reuse-lib.sh — force a watched PID to be reused, inside a PID namespace of the test's own (root).
# shellcheck shell=bash
# Sourced by cli_pid_reuse.sh and tui_pid_reuse.sh, run as the first child of
# `unshare -pf --mount-proc`, where /proc/sys/kernel/ns_last_pid picks the next PID. Needs MW_ALLOC.
#   threads_stopped PID         every thread of PID is stopped (SIGSTOP lands per thread, a moment
#                               later: a sampler must not look in between)
#   reuse_pid OLD READY_FILE    kill OLD (a child of this shell) and start a 64 MiB mw-alloc that
#                               gets PID OLD and writes READY_FILE once set up; sets STRANGER to its
#                               PID. Fails (STRANGER != OLD) if 5 tries did not give OLD back.

threads_stopped() { ! grep -L '^State:.*stopped' /proc/"$1"/task/*/status | grep -q .; }

reuse_pid() {
    local old=$1
    kill -9 "$old"
    wait "$old" 2>/dev/null
    for _ in 1 2 3 4 5; do
        echo $((old - 1)) >/proc/sys/kernel/ns_last_pid
        "$MW_ALLOC" --alloc 64 --leak 0 --every 1000000 --ready-file "$2" </dev/null >/dev/null 2>&1 &
        STRANGER=$!
        [ "$STRANGER" = "$old" ] && return 0
        kill -9 "$STRANGER"
        wait "$STRANGER" 2>/dev/null
    done
    return 1
}
