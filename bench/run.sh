#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh — `make bench`: run every bench program and the tmux-driven rows, then print the one table.
# Environment (set by make bench): MEMWATCH, MW_ALLOC, BENCH_BIN. Rows are described in bench/README.md.
set -u
: "${MEMWATCH:?run me through make bench}" "${MW_ALLOC:?}" "${BENCH_BIN:?}"

# Peers are looked for, never installed here: say which package brings a missing one.
missing=
for pair in top:procps pidstat:sysstat htop:htop tmux:tmux; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing="$missing ${pair%%:*} (apt-get install ${pair#*:})"
done
if [ -n "$missing" ]; then
    echo "bench: missing peer programs:$missing" >&2
    exit 1
fi

TMP=$(mktemp -d /tmp/mw-bench.XXXXXX)
ROWS=$TMP/rows
SOCKS=
TARGET=
cleanup() {
    for s in $SOCKS; do tmux -L "$s" kill-server 2>/dev/null; done
    [ -n "$TARGET" ] && kill "$TARGET" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
T0=$(date +%s)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
say() { echo "bench: [$(( $(date +%s) - T0 ))s] $*" >&2; }

# CPU time (ns) of a process, all its threads: the scheduler's own sum_exec_runtime.
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f", s }'; }

# A detached tmux server with one 200x60 pane running a command; prints the pane's PID.
printf 'set -g status off\n' > "$TMP/tmux.conf"
pane() { # NAME COMMAND...
    sock=mwb-$$-$1; shift
    SOCKS="$SOCKS $sock"
    tmux -L "$sock" -f "$TMP/tmux.conf" new-session -d -s b -x 200 -y 60 \
        "exec env HOME='$TMP' LANG=C.UTF-8 $*" || return 1
    tmux -L "$sock" display -p -t b '#{pane_pid}'
}
server_pid() { tmux -L "mwb-$$-$1" display -p -t b '#{pid}'; }
pct() { awk -v a="$1" -v b="$2" -v w="$3" 'BEGIN { printf "%.2f", 100 * (b - a) / w }'; }
row() { printf 'row\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$ROWS"; }

say "1/10 probe cost"
"$BENCH_BIN/bench_probe" >> "$ROWS" || say "bench_probe failed"
say "2/10 sampler at 1 kHz vs its floor (sleep + read) and the empty loop (9 x 2 s, side by side)"
"$BENCH_BIN/bench_sampler" >> "$ROWS" || say "bench_sampler failed"
say "3/10 recording at 50 Hz vs top, pidstat and the floor (5 x 10 s, all side by side)"
"$BENCH_BIN/bench_record" "$MEMWATCH" "$TMP" >> "$ROWS" ||
    say "bench_record failed"

say "4a/10, 5/10 view builder on 1,000,000 samples; memwatch --replay of them with -H 1000000"
"$BENCH_BIN/bench_view" --csv "$TMP/million.csv" >> "$ROWS" || say "bench_view failed"
if p=$(pane replay "'$MEMWATCH' --replay '$TMP/million.csv' -H 1000000"); then
    i=0 # loaded and drawn once the REPLAY badge shows
    until tmux -L "mwb-$$-replay" capture-pane -p -t b 2>/dev/null | grep -q REPLAY || [ $i -ge 600 ]; do
        sleep 0.1; i=$((i + 1))
    done
    sleep 2 # a few frames more
    hwm=$(awk '/^VmHWM:/ { print $2 }' /proc/"$p"/status)
    tmux -L "mwb-$$-replay" kill-server
    bps=$(awk -F'\t' '$2 == "5a" { print $4 + 0 }' "$ROWS")
    awk -v h="$hwm" -v b="$bps" 'BEGIN {
        hist = 1000000 * b / 1048576; own = h / 1024 - hist
        printf "row\t5b\tfootprint: memwatch VmHWM, --replay 1M rows, -H 1000000\t%.1f MiB peak RSS\t%.1f MiB history (1M x %d B)\t+%.1f MiB own\t<= 8 MiB + history\t%s\n",
            h / 1024, hist, b, own, own <= 8 ? "PASS" : "MISS" }' >> "$ROWS"
fi
rm -f "$TMP/million.csv"

say "4b/10, 4c/10 whole TUI at 100 ms in 200x60 tmux panes vs htop and top (3 s warm-up, 20 s measured, side by side)"
"$MW_ALLOC" --alloc 64 --leak 1 --every 500 </dev/null >/dev/null 2>&1 &
TARGET=$!
sleep 0.3
pm=$(pane mw "'$MEMWATCH' -i 100ms $TARGET") && ph=$(pane htop htop -d 1 -p $TARGET) &&
    pt=$(pane top top -d 0.1 -p $TARGET) && {
    sm=$(server_pid mw); sh=$(server_pid htop); st=$(server_pid top)
    sleep 3
    a1=$(cpu_ns "$pm"); b1=$(cpu_ns "$ph"); c1=$(cpu_ns "$pt")
    d1=$(cpu_ns "$sm"); e1=$(cpu_ns "$sh"); f1=$(cpu_ns "$st"); w1=$(date +%s%N)
    sleep 20
    a2=$(cpu_ns "$pm"); b2=$(cpu_ns "$ph"); c2=$(cpu_ns "$pt")
    d2=$(cpu_ns "$sm"); e2=$(cpu_ns "$sh"); f2=$(cpu_ns "$st"); w2=$(date +%s%N)
    w=$((w2 - w1))
    m=$(pct "$a1" "$a2" "$w"); h=$(pct "$b1" "$b2" "$w"); t=$(pct "$c1" "$c2" "$w")
    verdict() { awk -v a="$1" -v b="$2" -v op="$3" 'BEGIN { ok = op == "<" ? a < b : a <= b; print ok ? "PASS" : "MISS" }'; }
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }'; }
    row 4b "TUI -i 100ms, 200x60 tmux, 20 s vs htop -d 1" "$m % of a core" "$h % (htop)" \
        "$(ratio "$m" "$h")" "< htop" "$(verdict "$m" "$h" "<")"
    row 4c "TUI -i 100ms, 200x60 tmux, 20 s vs top -d 0.1" "$m % of a core" "$t % (top)" \
        "$(ratio "$m" "$t")" "<= top" "$(verdict "$m" "$t" "<=")"
    TMUXNOTE="tmux server CPU behind each pane: memwatch $(pct "$d1" "$d2" "$w") %, htop $(pct "$e1" "$e2" "$w") %, top $(pct "$f1" "$f2" "$w") %"
}
for s in mw htop top; do tmux -L "mwb-$$-$s" kill-server 2>/dev/null; done
kill "$TARGET" 2>/dev/null; TARGET=

say "6/10 peak fidelity: spikes (up to 300 MiB, ~0.1 s) every 2.007 s, -i 1s for 20 s"
"$BENCH_BIN/bench_peaks" "$MEMWATCH" "$TMP" >> "$ROWS" || say "bench_peaks failed"

say "7/10, 8/10 -c over trees of 1, 100, 1000 processes vs their status files; --pss vs raw smaps_rollup (9 reps)"
"$BENCH_BIN/bench_tree" >> "$ROWS" || say "bench_tree failed"

say "9/10 a cgroup sample (v1: root makes one) vs raw preads of its files (9 reps)"
"$BENCH_BIN/bench_cgroup" >> "$ROWS" || say "bench_cgroup failed"
say "10/10 a week at 100 ms: capture with tiers vs a flat ring holding the week (memory, view, push)"
"$BENCH_BIN/bench_tiers" >> "$ROWS" || say "bench_tiers failed"

say "done in $(( $(date +%s) - T0 )) s"
echo
echo "memwatch bench on $(nproc) CPUs, load average $LOAD0 at start, $(cut -d' ' -f1-3 /proc/loadavg) at end, $(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo), Linux $(uname -r)"
echo
# One markdown table in row order, columns padded to the widest cell.
sort -s -t "$(printf '\t')" -k2,2 "$ROWS" > "$ROWS.sorted"
awk -F'\t' '
    BEGIN { split("#|what|measured|baseline|ratio|target|result", h, "|")
            for (i = 1; i <= 7; i++) { cell[0, i] = h[i]; wd[i] = length(h[i]) } n = 1 }
    $1 == "row" { for (i = 1; i <= 7; i++) { cell[n, i] = $(i + 1); if (length($(i + 1)) > wd[i]) wd[i] = length($(i + 1)) } n++ }
    END { for (r = 0; r < n; r++) {
              line = "|"
              for (i = 1; i <= 7; i++) line = line sprintf(" %-" wd[i] "s |", cell[r, i])
              print line
              if (r == 0) { line = "|"; for (i = 1; i <= 7; i++) { d = ""; for (k = 0; k < wd[i] + 2; k++) d = d "-"; line = line d "|" } print line }
          } }' "$ROWS.sorted"
[ -n "${TMUXNOTE:-}" ] && { echo; echo "$TMUXNOTE"; }
grep -q 'MISS' "$ROWS" && echo && echo "Some targets were missed: see bench/README.md for why."
exit 0
