#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_scroll.sh — scrolling (←/→/Home/End) and zoom (z/Z) change the time span shown; replay and live.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

# A 10-minute capture, one sample a second: a leak with a sawtooth on top, and one mark.
csv="$MW_TMP/ten-minutes.csv"
awk 'BEGIN {
    print "timestamp,elapsed_s,pid,rss_bytes,vsz_bytes,shared_bytes,anon_bytes,file_bytes,shmem_bytes,swap_bytes,hwm_bytes,nprocs,hwm_rose,marker"
    for (i = 0; i < 600; i++) {
        rss = int((100 + i * 0.2 + (i % 60) * 0.5) * 1048576)
        printf "2026-01-01T10:%02d:%02d.000Z,%d.000,4242,%d,%d,1048576,%d,1048576,0,0,%d,1,0,%s\n",
            int(i / 60), i % 60, i, rss, rss + 52428800, rss - 1048576, rss, i == 300 ? "half way" : ""
    }
}' >"$csv"

# span: "FROM TO SPAN" from the RSS chart's "00:08:44 → 00:09:44 (1m)" label (a window under a
# minute has milliseconds, "00:09:49.000 → 00:09:59.000 (10s)": whole seconds are compared).
span() {
    screen | sed -En 's/^RSS .*  ([0-9:]+)(\.[0-9]+)? → ([0-9:]+)(\.[0-9]+)? \(([0-9a-z]+)\)$/\1 \3 \5/p' | head -1
}
span_is() { [ "$(span)" = "$1" ]; }
expect_span() { poll 5 "the time span '$1' (now '$(span)')" span_is "$1"; }
secs() { IFS=: read -r h m s <<<"$1" && echo $((10#$h * 3600 + 10#$m * 60 + 10#$s)); }

start_tui "$MEMWATCH" --replay "$csv"
wait_for 'ten-minutes\.csv  600/100000 samples .*REPLAY'
wait_for '^RSS 249\.3 MiB '
expect_span '00:00:00 00:09:59 9m59s'
wait_for '^replay of .*ten-minutes\.csv: press \? for keys'
wait_for 'since mark "half way"'
ok "replay: whole 10 minutes shown, the mark's label too"

send z
expect_span '00:04:59 00:09:59 5m'
wait_for 'zoom 5m'
send z
expect_span '00:08:59 00:09:59 1m'
wait_for 'zoom 1m'
ok "z zooms in: 5m, 1m"

# The span's field N (1 from, 2 to, 3 length); is the end before / after time T?
span_field() { span | cut -d' ' -f"$1"; }
ends_before() { [ "$(secs "$(span_field 2)")" -lt "$(secs "$1")" ]; }
ends_after() { [ "$(secs "$(span_field 2)")" -gt "$(secs "$1")" ]; }
starts_at() { [ "$(span_field 1)" = "$1" ]; }

send Left
wait_for 'PAUSED'
poll 5 "← to scroll back" ends_before 00:09:59
to1=$(span_field 2)
send Left
poll 5 "a second ← to scroll further back" ends_before "$to1"
to2=$(span_field 2)
send Right
poll 5 "→ to scroll forward" ends_after "$to2"
[ "$(span_field 3)" = 1m ] || die "scrolling changed the zoom: $(span)"
ok "← / → scroll (the span ended at $to1, then $to2, then $(span_field 2))"

send Home
poll 5 "Home to show the oldest minute" starts_at 00:00:00
[ "$(span_field 3)" = 1m ] || die "Home changed the zoom: $(span)"
send End
expect_span '00:08:59 00:09:59 1m'
ok "Home shows the start, End the newest samples"

send Z
expect_span '00:04:59 00:09:59 5m'
send Z
wait_for 'zoom all'
expect_span '00:00:00 00:09:59 9m59s'
ok "Z zooms out: 5m, all"

# A key that cannot change the zoom says why instead of doing nothing.
send Z
wait_for '^zoom: everything captured is on screen$'
send z z z
expect_span '00:09:49 00:09:59 10s'
send z
wait_for '^zoom: 10s is the closest step$'
expect_span '00:09:49 00:09:59 10s'
ok "Z at 'all' and z at 10s say why nothing changed"

send q
[ "$(wait_exit)" = 0 ] || die "replay: bad status after q"

# A capture shorter than the closest step: z has nothing to narrow to.
head -6 "$csv" >"$MW_TMP/five-seconds.csv"
start_tui "$MEMWATCH" --replay "$MW_TMP/five-seconds.csv"
wait_for 'five-seconds\.csv  5/100000 samples .*REPLAY'
send z
wait_for '^zoom: everything captured is on screen, shorter than the closest step \(10s\)$'
send q
[ "$(wait_exit)" = 0 ] || die "short replay: bad status after q"
ok "z on a 5 s capture: says it is all on screen already"

# Live: scrolling pauses the view; space resumes it.
alloc_start t --alloc 4 || die "mw-alloc did not start"
start_tui "$MEMWATCH" -i 50ms "$ALLOC_PID"
wait_for '^live  zoom all'
# "live zoom all" shows before the first sample too, and ← on an empty capture has nothing to
# scroll: wait for samples first, or the key is lost on a loaded machine.
wait_for '^interval 50ms  [1-9][0-9]*/'
send Left
wait_for 'PAUSED \(\+[0-9]+ new\)'
wait_for '^paused  zoom all'
send Space
wait_screen_gone 'PAUSED'
wait_for '^live  zoom all'
send q
[ "$(wait_exit)" = 0 ] || die "live: bad status after q"
ok "live: ← pauses the view, space resumes"

# A run longer than its history (-H 60: a minute of 10 at full resolution; issue 19): scrolling
# goes on into the merged history down to the first sample, and says it is merged there.
start_tui "$MEMWATCH" --replay "$csv" -H 60
wait_for 'ten-minutes\.csv  60/60 samples .*REPLAY'
expect_span '00:00:00 00:09:59 9m59s'
wait_for 'RSS 249\.3 MiB .* at 00:09:59'
send z z
expect_span '00:08:59 00:09:59 1m'
send Home
poll 5 "Home to the run's first minute, before the 60 samples kept" starts_at 00:00:00
wait_for 'zoom 1m  merged: [0-9]+ samples/bucket'
wait_for '^now RSS [0-9.]+ MiB'
send Right
poll 5 "→ to move on within the merged history" ends_after 00:01:00
send End
expect_span '00:08:59 00:09:59 1m'
wait_screen_gone 'merged: '
send Z
wait_for 'zoom 5m  older part merged: [0-9-]+ samples/bucket'
send q
[ "$(wait_exit)" = 0 ] || die "replay -H 60: bad status after q"
ok "-H 60: Home scrolls to the first sample through the merged history, End back"
