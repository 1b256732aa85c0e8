#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_demo.sh — the README's first command: --demo opens the dashboard on a growing workload; q ends both.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

start_tui "$MEMWATCH" --demo
wait_for '^PID [0-9]+  memwatch demo: a steady leak, a sawtooth, a spike, a plateau'
demo_pid=$(screen_line '^PID [0-9]+ ' | awk '{ print $2 }')
track "$demo_pid"
pid_exists "$demo_pid" || die "the demo workload (PID $demo_pid) is not running"
ok "the header names the demo workload (PID $demo_pid)"

# The demo starts with a steady leak of 2 MiB every 0.5 s: RSS must grow by several MiB.
wait_for '^now RSS [0-9.]+ [KMG]?i?B' 20  # the header shows before the first sample does
rss0=$(now_rss_mib)
grown() { awk -v a="$(now_rss_mib)" -v b="$rss0" 'BEGIN { exit !(a >= b + 6) }'; }
poll 20 "the demo's RSS to grow 6 MiB from $rss0 MiB" grown
# Units follow the size: a slow (sanitized) run reaches the sawtooth and its GiB/min before the check.
wait_for '^growth \+[0-9.]+ ([KMGT]i)?B'
wait_for 'trend \+[0-9.]+ ([KMGT]i)?B/min'
ok "the leak shows: RSS $rss0 -> $(now_rss_mib) MiB, with a positive trend"

# q: no question asked for the built-in demo; the dashboard and the demo both end.
send q
exits_0_ending "$demo_pid" q
ok "q ends the dashboard (status 0) and the demo workload"
