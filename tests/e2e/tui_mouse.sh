#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_mouse.sh — the mouse in tmux: a click on the RSS chart reads the CSV's sample, the wheel scrolls and zooms, --no-mouse.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

# tmux passes what is typed to the program as is: these are xterm's SGR (1006) reports, as a
# terminal sends them once the program asks for the mouse. X and Y count from 1.
click() { tm send-keys -t mw -l -- "$(printf '\033[<0;%d;%dM\033[<0;%d;%dm' "$1" "$2" "$1" "$2")"; }
wheel() { tm send-keys -t mw -l -- "$(printf '\033[<%d;%d;%dM' "$1" "$2" "$3")"; } # 64 up, 65 down; +16 Ctrl
flags() { tmux_fmt '#{mouse_any_flag} #{mouse_sgr_flag}'; }
# row REGEX: the screen row (0-based) of the first line matching REGEX.
row() { screen | grep -En -m1 -- "$1" | cut -d: -f1 | awk '{ print $1 - 1 }'; }
# The RSS chart's place: its title row, its time axis row (the first └ under it) and the plot's
# first column (just right of the └).
rss_place() {
    screen | awk '/^RSS / && t == "" { t = NR - 1 }
        t != "" && a == "" && index($0, "└") { a = NR - 1; x = index($0, "└") }
        END { if (a != "") print t, a, x }'
}
readout() { screen | sed -n 's/^\([0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9][0-9][0-9]\)  RSS \([0-9.]*\) \([KMG]*i*B\).*/\1 \2 \3/p' | head -1; }
has_readout() { [ -n "$(readout)" ]; }

# ---- a real process, watched live with -o: 40 MiB more half way --------------------------------
alloc_start m || die "mw-alloc did not start"
start_tui "$MEMWATCH" -i 50ms -o live.csv "$ALLOC_PID"
wait_for '^RSS [0-9]'
wait_until 10 has_rows 20 live.csv || die "no rows recorded"
alloc_cmd_ok m "alloc 40" > /dev/null
r=$(rows live.csv)
wait_until 10 has_rows $((r + 20)) live.csv || die "no rows after the allocation"
check "mouse on: the program asked the terminal for SGR mouse reports (flags $(flags))" \
    eval '[ "$(flags)" = "1 1" ]'

send Space
wait_for 'PAUSED'
read -r title axis x0 <<<"$(rss_place)"
note "RSS chart: title row $title, axis row $axis, plot from column $x0 (0-based)"
[ -n "$x0" ] || die "no RSS chart on the screen"
# a column in the last quarter of the plot: after the allocation
col=$((x0 + (100 - x0) * 7 / 8))
click $((col + 1)) $((title + 3))
poll 5 "a readout on the status line" has_readout
read -r t v u <<<"$(readout)"
note "click at column $col: '$t $v $u'"
# The CSV's elapsed_s and the dashboard count from the same first sample: the row at that time.
secs=$(awk -v t="$t" 'BEGIN { split(t, a, ":"); printf "%.3f", a[1] * 3600 + a[2] * 60 + a[3] }')
csv_rss=$(awk -F, -v s="$secs" 'NR > 1 && $2 == s { print $4; exit }' live.csv)
note "live.csv at elapsed_s $secs: rss_bytes '$csv_rss'"
check "the readout's time is a sample's in live.csv" [ -n "$csv_rss" ]
mib=$(to_mib "$v" "$u")
check "the readout's RSS $v $u is that sample's ($csv_rss B) to the shown 0.1 MiB" \
    awk -v a="$mib" -v b="${csv_rss:-0}" 'BEGIN { d = a - b / 1048576; exit !(d < 0.051 && d > -0.051) }'
check "after the 40 MiB: at least 40 MiB" awk -v a="$mib" 'BEGIN { exit !(a >= 40) }'

left=$((x0 + 1))
click $((left + 1)) $((title + 3))
poll 5 "a second readout" eval '[ "$(readout | cut -d" " -f1)" != "$t" ]'
read -r t2 v2 u2 <<<"$(readout)"
note "click at column $left: '$t2 $v2 $u2'"
check "a click further left reads an earlier sample ($t2 < $t)" eval '[[ "$t2" < "$t" ]]'
check "... from before the 40 MiB" awk -v a="$(to_mib "$v2" "$u2")" -v b="$mib" 'BEGIN { exit !(a < b - 30) }'

click 10 1
poll 5 "a click on the header to clear the readout" eval '! has_readout'
ok "a click outside the charts clears the readout"

# ---- the wheel, live: back in time pauses the view, as ← does ---------------------------------
send Space
wait_screen_gone 'PAUSED'
wheel 64 $((col + 1)) $((title + 4))
check "wheel up over the live plot scrolls back: PAUSED" wait_screen 'PAUSED' 5
st=$(dashboard_quit)
check "q quits with status 0 (got $st)" [ "$st" = 0 ]
check "the terminal's mouse reports are off again after quitting (flags $(flags))" \
    eval '[ "$(flags)" = "0 0" ]'

# ---- the wheel over a 10-minute replay: scroll, and zoom over the time axis or with Ctrl/Shift ----
awk 'BEGIN {
    print "timestamp,elapsed_s,pid,rss_bytes,vsz_bytes,shared_bytes,anon_bytes,file_bytes,shmem_bytes,swap_bytes,hwm_bytes,nprocs,hwm_rose,marker"
    for (i = 0; i < 600; i++) {
        rss = int((100 + i * 0.2) * 1048576)
        printf "2026-01-01T10:%02d:%02d.000Z,%d.000,4242,%d,%d,1048576,%d,1048576,0,0,%d,1,0,\n",
            int(i / 60), i % 60, i, rss, rss + 52428800, rss - 1048576, rss
    }
}' > ten.csv
# span: "FROM TO SPAN" from the RSS chart's "00:08:44 → 00:09:44 (1m)" label (milliseconds in a
# window under a minute: "00:09:49.000 → 00:09:59.000 (10s)").
span() { screen | sed -n 's/^RSS .*  \([0-9:.]*\) → \([0-9:.]*\) (\([0-9a-z]*\))$/\1 \2 \3/p' | head -1; }
span_is() { [ "$(span)" = "$1" ]; }
start_tui "$MEMWATCH" --replay ten.csv
wait_for 'ten\.csv  600/100000 samples .*REPLAY'
poll 5 "the whole capture" span_is '00:00:00 00:09:59 9m59s'
read -r title axis x0 <<<"$(rss_place)"
mid=$((x0 + (100 - x0) / 2 + 1)) # 1-based, as the reports count
wheel 64 $mid $((title + 4))
check "wheel up over the plot: 5m, a quarter back from the end, PAUSED" \
    poll 5 "span 00:03:44 00:08:44 5m (now '$(span)')" span_is '00:03:44 00:08:44 5m'
check "... PAUSED" wait_screen 'PAUSED' 5
wheel 65 $mid $((title + 4))
check "wheel down over the plot: forward again" poll 5 "span 00:04:59 00:09:59 5m" span_is '00:04:59 00:09:59 5m'
wheel 65 $mid $((axis + 1))
check "wheel down over the time axis zooms out to everything" \
    poll 5 "span 00:00:00 00:09:59 9m59s" span_is '00:00:00 00:09:59 9m59s'
wheel 80 $mid $((title + 4))
check "Ctrl+wheel up over the plot zooms in" poll 5 "span ... 5m" span_is '00:04:59 00:09:59 5m'
wheel 68 $mid $((title + 4))
check "Shift+wheel up over the plot zooms in" poll 5 "span ... 1m" span_is '00:08:59 00:09:59 1m'
wheel 64 $mid $((axis + 1))
check "wheel up over the time axis zooms in" poll 5 "span ... 10s" span_is '00:09:49.000 00:09:59.000 10s'
wheel 64 $mid 1
click $mid $((title + 3)) # handled after the wheel: once its readout shows, the wheel was too
poll 5 "a readout after the wheel over the header" has_readout
check "the wheel over the header does nothing" span_is '00:09:49.000 00:09:59.000 10s'
read -r t v u <<<"$(readout)"
s=$(awk -v t="$t" 'BEGIN { split(t, a, ":"); print a[1] * 3600 + a[2] * 60 + a[3] }')
want=$(awk -v s="$s" 'BEGIN { printf "%.1f MiB", 100 + s * 0.2 }') # the file's RSS at second s
check "a click in the 10 s window reads its sample: $t $v $u (the file: $want)" \
    eval '[ "$v $u" = "$want" ] && [ "$s" -ge 589 ] && [ "$s" -le 599 ]'
st=$(dashboard_quit)
check "replay: q quits with status 0 (got $st)" [ "$st" = 0 ]

# ---- --no-mouse: the terminal is never asked, its own selection works ---------------------------
start_tui "$MEMWATCH" --no-mouse -i 50ms "$ALLOC_PID"
wait_for '^RSS [0-9]'
check "--no-mouse: no mouse reports asked of the terminal (flags $(flags))" \
    eval '[ "$(flags)" = "0 0" ]'
st=$(dashboard_quit)
check "--no-mouse: q quits with status 0 (got $st)" [ "$st" = 0 ]
# mw-alloc is left to the harness: the tmux server holds its FIFO open, so it would see no EOF
finish
