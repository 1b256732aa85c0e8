#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_limits.sh — the dashboard's notes: time to RLIMIT_AS while a command climbs; --new-cgroup's peak incl. page cache, and the cgroup gone after q (issue 18).
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

[ "${MW_PROBE:-linux}" = linux ] || skip "RLIMIT_AS and cgroups are read from /proc and /sys (Linux)"

# q, past the export question if it comes (10 s not exported), then KEY (k: end the command,
# d: leave it running).
quit_answering() {
    send q
    wait_for 'export and quit|k = end it' 10
    if screen_has 'export and quit'; then
        send q
    fi
    wait_for 'k = end it' 10
    send "$1"
    wait_exit > /dev/null
}
quit_ending() { quit_answering k; }

# A cgroup left in place on purpose (d) is this script's to empty and remove at the end.
LEFT=""
# shellcheck disable=SC2317 # called from the EXIT trap
left_cleanup() {
    local p
    [ -n "$LEFT" ] && [ -d "$LEFT" ] || return 0
    while read -r p; do kill -KILL "$p" 2>/dev/null; done < "$LEFT/cgroup.procs"
    wait_until 5 rmdir "$LEFT" 2> /dev/null
}
trap 'st=$?; left_cleanup; (exit $st); harness_cleanup' EXIT

# ---- a steady 16 MiB/s climb under a 2 GiB address-space limit: the note shows, with a time ----
# shellcheck disable=SC2016 # expanded by the shell under test
start_tui_sh "'$MEMWATCH' -i 100ms -- sh -c 'ulimit -v 2097152 && exec \"\$0\" --leak 4 --every 250' '$MW_ALLOC'" 100 30
wait_for '^growth \+'
# The fit needs 10 s of samples before it says anything.
screen_has 'at this rate' && die "a time to a limit before 10 s of growth was fitted"
ok "no time to a limit while the fit is young"
wait_for '^at this rate VSZ reaches RLIMIT_AS 2\.0 GiB in ~[0-9.]+ (s|min)$' 30
ok "the note: '$(screen | grep -m1 '^at this rate')'"
quit_ending

# ---- --new-cgroup: the kernel's peak of the tree, labelled incl. page cache --------------------
if [ "$(id -u)" = 0 ] && [ -w /sys/fs/cgroup/memory/cgroup.procs ]; then
    start_tui_sh "'$MEMWATCH' -i 100ms --new-cgroup -- '$MW_ALLOC' --alloc 30 --leak 1 --every 600000" 100 30
    wait_for '^cgroup memwatch-[0-9]+-[0-9]+ \(the whole tree\): now [0-9.]+ MiB, peak [0-9.]+ MiB incl\. page cache$' 15
    line=$(screen | grep -m1 '^cgroup memwatch-')
    ok "the cgroup note: '$line'"
    cg=/sys/fs/cgroup/memory/$(sed -E 's/^cgroup (memwatch-[0-9]+-[0-9]+) .*/\1/' <<< "$line")
    check "the cgroup is there while the command runs" [ -d "$cg" ]
    quit_ending
    check "after q: the cgroup is removed" [ ! -d "$cg" ]

    # d (leave it running): the command stays, and so does its cgroup, named on the way out.
    start_tui_sh "'$MEMWATCH' -i 100ms --new-cgroup -- sleep 300" 100 30
    wait_for '^cgroup memwatch-[0-9]+-[0-9]+ \(the whole tree\)' 15
    LEFT=/sys/fs/cgroup/memory/$(screen | sed -nE 's/^cgroup (memwatch-[0-9]+-[0-9]+) .*/\1/p' | head -1)
    quit_answering d
    wait_for "^memwatch: left cgroup $LEFT in place with the command" 5
    ok "d: '$(screen | grep -m1 'left cgroup')'"
    check "d: the cgroup is still there, with the command in it" grep -q . "$LEFT/cgroup.procs"
else
    note "not root, or no writable v1 memory controller: the --new-cgroup note was not checked"
fi
finish
