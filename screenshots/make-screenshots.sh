#!/bin/bash
# SPDX-License-Identifier: MIT
# make-screenshots.sh — runs the real dashboard in a private tmux and renders PNGs of it (aha + headless Chromium).
#
# Usage: screenshots/make-screenshots.sh [OUTDIR]      (default: the directory of this script)
# Needs (Debian packages): tmux aha chromium fonts-dejavu-core
#   apt-get install tmux aha chromium fonts-dejavu-core
# MEMWATCH names the built program (default: ./memwatch in the cwd, i.e. run it from a build dir).
# Not part of make check: it takes about a minute (the demo workload has to reach each state).
#
# Makes: leak.png (the demo's steady leak and its trend), sawtooth-spike.png (sawtooth, the 120 MiB
# spike and its peak marker), help.png (the help overlay over that screen), tree.png (a Python
# multiprocessing pool under -c --pss: RSS beside PSS, and the process table, key t), picker.png (memwatch
# with no target: the process picker, filtered), compare.png (a replay with --compare: a script
# before and after a fix), cgroup.png (--cgroup on a Python service in a 384 MiB cgroup: root, cgroup v1).
# Each capture is kept
# as HTML beside the PNG's name in a temp dir only; the PNGs are what README shows.
set -u

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
MEMWATCH=${MEMWATCH:-$PWD/memwatch}
COLS=120
ROWS=40
# DejaVu Sans Mono advances 0.602 em: at 14.949px a column is 9px exactly, and 17px rows are a hair
# shorter than the full block glyph, so bars (█▇▆...) show no seams between cells.
FONT_PX=14.949
LINE_PX=17

die() {
    echo "make-screenshots: $*" >&2
    exit 1
}
for tool in tmux aha chromium python3; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found (apt-get install tmux aha chromium fonts-dejavu-core)"
done
fc-list 2>/dev/null | grep -q 'DejaVu Sans Mono' || die "no DejaVu Sans Mono (apt-get install fonts-dejavu-core)"
[ -x "$MEMWATCH" ] || die "no memwatch at $MEMWATCH (run from a build dir, or set MEMWATCH)"
mkdir -p "$out" || die "cannot create $out"
out=$(cd "$out" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mw-shots.XXXXXX") || die "mktemp failed"
sock=mw-shots-$$
tm() { env -u TMUX TMUX_TMPDIR="$tmp" LC_ALL=C.UTF-8 tmux -u -L "$sock" -f /dev/null "$@"; }
cleanup() {
    tm kill-server >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# wait_for REGEX SECS: poll the pane every 0.1 s until REGEX matches.
wait_for() {
    local end=$(($(now_ms) + $2 * 1000))
    until tm capture-pane -p -t shot | grep -Eq -- "$1"; do
        if [ "$(now_ms)" -gt "$end" ]; then
            tm capture-pane -p -t shot >&2
            die "timed out waiting for /$1/"
        fi
        sleep 0.1
    done
}

# Named ANSI colours, as aha writes them, to a palette that reads well on a dark background.
palette='s/color:green;/color:#5fd75f;/g; s/color:lime;/color:#5fd75f;/g;
s/color:teal;/color:#5fd7d7;/g; s/color:aqua;/color:#5fd7d7;/g; s/color:cyan;/color:#5fd7d7;/g;
s/color:olive;/color:#e5c07b;/g; s/color:yellow;/color:#e5c07b;/g;
s/color:red;/color:#ff6b6b;/g; s/color:maroon;/color:#ff6b6b;/g;
s/color:purple;/color:#d78cf0;/g; s/color:fuchsia;/color:#d78cf0;/g;
s/color:white;/color:#d8d8d8;/g; s/color:black;/color:#1d1f21;/g'

# grab NAME: keep the pane as it is now, colours included (rendering comes after, all at once,
# so a slow Chromium does not let the demo move on between two captures).
grab() { tm capture-pane -e -p -t shot >"$tmp/$1.ansi" || die "capture failed"; }

# render NAME: wrap NAME's capture in a page and render NAME.png.
render() {
    local name=$1 html="$tmp/$1.html" w h
    {
        cat <<EOF
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>memwatch: $name</title><style>
html, body { margin: 0; background: #1d1f21; }
pre { margin: 0; padding: 14px 16px; color: #d8d8d8; background: #1d1f21;
      font-family: 'DejaVu Sans Mono', monospace; font-size: ${FONT_PX}px; line-height: ${LINE_PX}px;
      font-variant-ligatures: none; }
</style></head><body><pre>
EOF
        aha --black --no-header <"$tmp/$name.ansi" | sed "$palette"
        echo '</pre></body></html>'
    } >"$html"
    # The page's size: columns x 9px and rows x the line height, plus the padding.
    w=$((COLS * 9 + 32))
    h=$((ROWS * LINE_PX + 28))
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$tmp/chromium" --window-size="$w,$h" \
        --screenshot="$out/$name.png" "file://$html" >"$tmp/chromium.log" 2>&1 ||
        { cat "$tmp/chromium.log" >&2; die "chromium failed for $name"; }
    [ -s "$out/$name.png" ] || die "no $out/$name.png"
    echo "make-screenshots: wrote $out/$name.png (${w}x$h)"
}

# clock: the header's elapsed time, in seconds.
clock() {
    tm capture-pane -p -t shot | sed -n '1s/.*  \([0-9][0-9]\):\([0-9][0-9]\):\([0-9][0-9]\)$/\1 \2 \3/p' |
        awk '{ print $1 * 3600 + $2 * 60 + $3 }'
}

# The demo (see src/cli/demo.c): a steady leak of 2 MiB every 0.5 s for 20 s, then a sawtooth
# (three teeth of 48 MiB), a 120 MiB spike at ~29 s held 0.3 s, and a plateau until ~37 s.
tm new-session -d -s shot -x "$COLS" -y "$ROWS" -c "$tmp" \
    env -u LC_ALL -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8 "$MEMWATCH" --demo ||
    die "tmux could not start"
tm set-option -g remain-on-exit on >/dev/null

# The leak: well into it, before the sawtooth (the demo only runs late, never early).
wait_for '^PID [0-9]+ .* 00:00:1[5-7]$' 40
grab leak

# The spike: once the 120 MiB peak is in, a few seconds of plateau after it, so it is not at the edge.
wait_for '^RSS .*peak 2[0-9][0-9]\.[0-9] MiB at 00:00:[0-9][0-9]' 60
peak_at=$(tm capture-pane -p -t shot | sed -n 's/^RSS .*peak .* at 00:00:\([0-9][0-9]\).*/\1/p' | head -1)
end=$(($(now_ms) + 20000))
while [ "$(clock)" -lt $((10#$peak_at + 4)) ]; do
    [ "$(now_ms)" -lt "$end" ] || die "the clock did not reach the spike + 4 s"
    sleep 0.1
done
grab sawtooth-spike

tm send-keys -t shot '?'
wait_for 'memwatch keys' 5
grab help
tm send-keys -t shot q q # the first q closes the help, the second quits (the demo never asks)

# A real tree: a pool of four workers that grow at different rates, watched with -c --pss.
tm kill-server >/dev/null 2>&1
cat >"$tmp/pool.py" <<'EOF'
import multiprocessing as mp, time
def work(n):
    held = [bytearray((8 + 8 * n) << 20)]
    for _ in range(120):
        held.append(bytearray((1 + n) << 19))
        time.sleep(0.25)
if __name__ == "__main__":
    with mp.Pool(4) as pool:
        pool.map(work, range(4))
EOF
tm new-session -d -s shot -x "$COLS" -y "$ROWS" -c "$tmp" \
    env -u LC_ALL -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8 \
    "$MEMWATCH" -c --pss --pss-interval 1s -i 200ms --log "$tmp/pool.log" -- python3 "$tmp/pool.py" ||
    die "tmux could not start"
tm set-option -g remain-on-exit on >/dev/null
wait_for '^interval .* 5 procs' 30
wait_for '^PSS ' 30
wait_for '^PID [0-9]+ .* 00:00:1[2-5]$' 40
tm send-keys -t shot t
wait_for '^processes of PID' 5
grab tree
tm send-keys -t shot t q k

# The picker: memwatch with no target, over the same pool started again, filtered to python.
tm kill-server >/dev/null 2>&1
python3 "$tmp/pool.py" >/dev/null 2>&1 &
pool=$!
tm new-session -d -s shot -x "$COLS" -y "$ROWS" -c "$tmp" \
    env -u LC_ALL -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8 "$MEMWATCH" ||
    die "tmux could not start"
tm set-option -g remain-on-exit on >/dev/null
wait_for '^memwatch: pick a process' 10
sleep 3 # the pool's workers grow for the GROWTH column (a picture, not a test)
tm send-keys -t shot -l python
wait_for '^filter: python' 5
grab picker
tm send-keys -t shot Escape Escape
kill "$pool" 2>/dev/null
wait "$pool" 2>/dev/null

# --compare: one script recorded before and after a fix (it kept every request's buffer; after
# the fix it keeps one in four), the fixed run replayed with the old one drawn over it as dots.
tm kill-server >/dev/null 2>&1
cat >"$tmp/serve.py" <<'EOF'
import sys, time
keep_every = int(sys.argv[1])
kept, scratch = [], []
for i in range(100):
    buf = bytearray(1 << 20)
    scratch.append(buf)
    if i % keep_every == 0:
        kept.append(buf)
    if i % 10 == 9:
        scratch.clear()  # a batch done: its scratch buffers go
    time.sleep(0.08)
EOF
for run in before:1 after:4; do
    "$MEMWATCH" --no-tui -i 100ms -o "$tmp/${run%:*}.csv" -- python3 "$tmp/serve.py" "${run#*:}" \
        >"$tmp/${run%:*}.log" 2>&1 || die "recording ${run%:*} failed: $(cat "$tmp/${run%:*}.log")"
done
tm new-session -d -s shot -x "$COLS" -y "$ROWS" -c "$tmp" \
    env -u LC_ALL -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8 \
    "$MEMWATCH" --replay after.csv --compare before.csv || die "tmux could not start"
tm set-option -g remain-on-exit on >/dev/null
wait_for '^compare ' 10
grab compare
tm send-keys -t shot q

# --cgroup: a service-like Python process in a cgroup with a 384 MiB limit, growing its heap and
# the page cache of a file it writes; the limit line, the parts and the time to the limit.
# Needs root and the v1 memory controller (this machine's); elsewhere the shot is left as it is.
shots="leak sawtooth-spike help tree picker compare"
V1=/sys/fs/cgroup/memory
if [ "$(id -u)" -eq 0 ] && [ -w "$V1" ]; then
    cg=$V1/mw-shots-$$
    mkdir "$cg" && echo $((384 << 20)) >"$cg/memory.limit_in_bytes" || die "cannot make $cg"
    cg_cleanup() {
        local p
        for p in $(cat "$cg/cgroup.procs" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
        for _ in $(seq 50); do [ -s "$cg/cgroup.procs" ] || break; sleep 0.1; done
        rmdir "$cg" 2>/dev/null
    }
    trap 'cg_cleanup; cleanup' EXIT
    cat >"$tmp/service.py" <<'EOF'
import os, sys, time
log = open(sys.argv[1], "wb")
heap = []
for i in range(600):
    heap.append(bytearray(2 << 20))  # requests' state that is never let go
    if i % 4 == 0:
        log.write(os.urandom(1 << 20))  # its log: page cache charged to the cgroup
        log.flush()
    time.sleep(0.1)
EOF
    sh -c 'echo $$ >"$1/cgroup.procs" && exec python3 "$2/service.py" "$2/service.log"' sh "$cg" "$tmp" \
        </dev/null >/dev/null 2>&1 &
    tm kill-server >/dev/null 2>&1
    tm new-session -d -s shot -x "$COLS" -y "$ROWS" -c "$tmp" \
        env -u LC_ALL -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8 \
        "$MEMWATCH" --cgroup "mw-shots-$$" -i 200ms || die "tmux could not start"
    tm set-option -g remain-on-exit on >/dev/null
    wait_for '^at this rate cgroup memory reaches' 30
    grab cgroup
    tm send-keys -t shot q
    cg_cleanup
    shots="$shots cgroup"
else
    echo "make-screenshots: not root or no $V1: cgroup.png left as it is" >&2
fi

for name in $shots; do render "$name"; done
