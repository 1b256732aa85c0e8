#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_looks.sh — the dashboard's looks: readable colours, --color, NO_COLOR, the time and y-axis keys.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

alloc_start t --alloc 16 || die "mw-alloc did not start"

esc=$(printf '\033')
# Every colour escape on screen, one per line ("38;5;29", "31", ...): foreground and background.
colour_codes() {
    tm capture-pane -e -p -t mw | grep -o "$esc\\[[0-9;]*m" | tr -d "$esc[m" | tr ';' '\n' |
        awk '/^$/ {next} {a[NR]=$0} END {for (i = 1; i <= NR; i++) {
            if (a[i] == 38 || a[i] == 48) { if (a[i+1] == 5) print a[i] ";5;" a[i+2]; i += 2 }
            else if (a[i] ~ /^(3[0-7]|4[0-7]|9[0-7]|10[0-7])$/) print a[i] } }' | sort -u
}
# The colours palette.c allows on a 256-colour terminal (>= 4.5:1 on white and black).
readable_only() {
    local codes c
    codes=$(colour_codes)
    [ -n "$codes" ] || why "no colour at all" || return
    for c in $codes; do
        case $c in
        38\;5\;29 | 38\;5\;63 | 38\;5\;98 | 38\;5\;131 | 38\;5\;163 | 38\;5\;243) ;;
        *) why "colour $c on screen (not one readable on white and on black)"; return 1 ;;
        esac
    done
}
no_colour() {
    local codes
    codes=$(colour_codes)
    [ -z "$codes" ] || why "colour escapes: $(echo $codes)"
}
dashboard_up() { wait_for '^q quit'; wait_for '▲ peak'; }

start_tui "$MEMWATCH" "$ALLOC_PID"
dashboard_up
settle 10 readable_only
send q
[ "$(wait_exit)" = 0 ] || die "default colours: bad exit status"
ok "default: only colours readable on white and on black (256-colour xterm palette)"

# 8 colours: none reads on both backgrounds, so no text is coloured; only the min..max wick (a
# glyph) may be yellow.
eight_colours_ok() {
    local c
    for c in $(colour_codes); do
        [ "$c" = 33 ] || { why "colour $c on an 8-colour terminal"; return 1; }
    done
}
start_tui env TERM=xterm "$MEMWATCH" "$ALLOC_PID"
dashboard_up
settle 10 eight_colours_ok
send q
wait_exit >/dev/null
ok "TERM=xterm (8 colours): text in the terminal's own colours"

start_tui "$MEMWATCH" --color=never "$ALLOC_PID"
dashboard_up
settle 10 no_colour
send q
[ "$(wait_exit)" = 0 ] || die "--color=never: bad exit status"
ok "--color=never: no colour escapes"

start_tui env NO_COLOR=1 "$MEMWATCH" "$ALLOC_PID"
dashboard_up
settle 10 no_colour
send q
wait_exit >/dev/null
ok "NO_COLOR=1: no colour escapes (auto)"

start_tui env NO_COLOR= "$MEMWATCH" --color=auto "$ALLOC_PID"
dashboard_up
settle 10 readable_only
send q
wait_exit >/dev/null
ok "NO_COLOR empty: colour (an empty NO_COLOR does not count)"

start_tui env NO_COLOR=1 "$MEMWATCH" --color=always "$ALLOC_PID"
dashboard_up
settle 10 readable_only
send q
wait_exit >/dev/null
ok "--color=always overrides NO_COLOR"

# ---- 0: the y-axis from 0 ------------------------------------------------------------------------
# The RSS chart's lowest y-axis label: the last label left of ┤ or └ down to its x-axis (└).
rss_lowest() {
    screen | awk '/^RSS / { on = 1; next }
        on && /[┤└]/ { l = $0; sub(/[┤└].*/, "", l); gsub(/^ +| +$/, "", l); if (l != "") low = l
                      if ($0 ~ /└/) { print low; exit } }'
}
# A zero label: "0 MiB", "0.0 MiB", "0 B".
lowest_zero() { rss_lowest | grep -Eq '^0(\.0+)? [KMGT]?i?B$' || why "lowest RSS label '$(rss_lowest)', want 0"; }
lowest_not_zero() {
    local l; l=$(rss_lowest)
    [ -n "$l" ] && ! printf '%s\n' "$l" | grep -Eq '^0(\.0+)? ' || why "lowest RSS label '$l'"
}
start_tui "$MEMWATCH" "$ALLOC_PID"
dashboard_up
settle 10 lowest_not_zero
! screen_has 'y from 0' || die "'y from 0' before the key"
send 0
wait_for 'y from 0'
settle 10 lowest_zero
send 0
wait_screen_gone 'y from 0'
settle 10 lowest_not_zero
send q
[ "$(wait_exit)" = 0 ] || die "y from 0: bad exit status"
ok "0 pins the y-axis at 0 (lowest label 0 MiB, 'y from 0'), 0 again fits it to the data"

# ---- T: wall-clock times ------------------------------------------------------------------------
# The RSS title row: "RSS 17.6 MiB  ▲ peak 17.6 MiB at 00:00:00.000   00:00:00.000 → 00:00:09.750 (9s)"
rss_title() { screen | grep -m1 '^RSS '; }
elapsed_times() { rss_title | grep -Eq 'at 00:00:[0-9]{2}\.[0-9]{3} .*00:00:00\.[0-9]{3} → 00:00:' || why "title: $(rss_title)"; }
# Wall clock: the window starts at memwatch's start (local time, the minute it started or the next).
wall_times() {
    local t; t=$(rss_title)
    printf '%s\n' "$t" | grep -Eq "at ($m0|$m1):[0-9]{2}\.[0-9]{3} .*($m0|$m1):[0-9]{2}\.[0-9]{3} → " ||
        why "title: $t (want $m0 or $m1)"
}
m0=$(date +%H:%M)
start_tui "$MEMWATCH" "$ALLOC_PID"
dashboard_up
m1=$(date +%H:%M) # memwatch started between the two readings: its minute is one of them
settle 10 elapsed_times
send T
wait_for 'wall clock'
settle 10 wall_times
send T
wait_screen_gone 'wall clock'
settle 10 elapsed_times
send q
[ "$(wait_exit)" = 0 ] || die "T: bad exit status"
ok "T: the chart's times in wall-clock time ($m0), milliseconds in a window under a minute; T again: elapsed"

# ---- a sampling gap is counted in the header --------------------------------------------------------
start_tui "$MEMWATCH" "$ALLOC_PID"
dashboard_up
! screen_has ' gaps? ' || die "a gap counted before any stop: $(screen | sed -n 2p)"
mw=$(pgrep -x -P "$(pane_pid)" memwatch)
[ -n "$mw" ] || die "memwatch not found under the pane"
kill -STOP "$mw"
sleep 1.5 # the stop is the stimulus: 6 intervals of 250 ms without a sample
kill -CONT "$mw"
wait_for '^interval 250ms .* 1 gap( |$)'
send q
[ "$(wait_exit)" = 0 ] || die "gap: bad exit status"
ok "a 1.5 s stop of memwatch: '1 gap' in the header"

# ---- the launch-mode quit prompt fits in 80 columns, whole ----------------------------------------
rm -f "$MW_TMP/q.ready"
# --leak ... --steps: it leaks 3 MiB, then holds until ended (no stdin needed).
start_tui -s 80x24 "$MEMWATCH" -- "$MW_ALLOC" --leak 1 --every 100 --steps 3 --ready-file "$MW_TMP/q.ready"
poll 10 "mw-alloc's ready file" test -s "$MW_TMP/q.ready"
qpid=$(cat "$MW_TMP/q.ready")
track "$qpid"
wait_for '^now RSS'
send q
wait_for '^command still running: k = end it and quit, d = leave it running, other = stay$'
send k
[ "$(wait_exit)" = 0 ] || die "quit prompt: bad exit status"
ok "80 columns: the launch-mode quit prompt shows whole"
