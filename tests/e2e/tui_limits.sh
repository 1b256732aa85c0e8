#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_limits.sh — the dashboard's notes: time to RLIMIT_AS while a command climbs; --new-cgroup's peak incl. page cache, and the cgroup gone after q (issue 18).
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

[ "${MW_PROBE:-linux}" = linux ] || skip "RLIMIT_AS and cgroups are read from /proc and /sys (Linux)"

# q, past the export question if it comes (10 s not exported), then k: end the command.
quit_ending() {
    send q
    wait_for 'export and quit|k = end it' 10
    if screen_has 'export and quit'; then
        send q
    fi
    wait_for 'k = end it' 10
    send k
    wait_exit > /dev/null
}

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
else
    note "not root, or no writable v1 memory controller: the --new-cgroup note was not checked"
fi
finish
