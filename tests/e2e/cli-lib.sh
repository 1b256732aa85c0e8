# SPDX-License-Identifier: MIT
# cli-lib.sh — shared helpers for the cli_*.sh end-to-end scripts: env, temp dir, cleanup, polling, pty, tmux.
# shellcheck shell=bash
# Sourced, not run. Sets: MEMWATCH, MW_ALLOC, MW_SRCDIR, T (a private temp dir, also the cwd),
# CLI_SELF (the running script's absolute path).
# Every process a script starts is registered with track (or started by spawn) and killed on exit;
# tmux runs on a private socket that is killed on exit too.

set -u
: "${MEMWATCH:=$PWD/memwatch}"
: "${MW_ALLOC:=$PWD/tests/helpers/mw-alloc}"
: "${MW_SRCDIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
case $MEMWATCH in /*) ;; *) MEMWATCH=$PWD/$MEMWATCH ;; esac
case $MW_ALLOC in /*) ;; *) MW_ALLOC=$PWD/$MW_ALLOC ;; esac
export MEMWATCH MW_ALLOC MW_SRCDIR LC_ALL=C.UTF-8
for _p in "$MEMWATCH" "$MW_ALLOC"; do
    [ -x "$_p" ] || { echo "ERROR: $_p not built (run from the build dir or set MEMWATCH/MW_ALLOC)" >&2; exit 99; }
done
# MW_E2E_SLOW=N multiplies every timeout (a loaded machine, a sanitizer build), as in lib.sh.
CLI_SLOW=${MW_E2E_SLOW:-1}
case $CLI_SLOW in
'' | 0 | *[!0-9]*) echo "ERROR: MW_E2E_SLOW must be a whole number >= 1, not '$CLI_SLOW'" >&2; exit 99 ;;
esac

# Without a memory probe (configure --with-probe=none) memwatch can only say "not supported":
# the cli_* scripts watch processes, so they skip, unless a script sets CLI_PROBE_OPTIONAL=1
# before sourcing this file and guards its own probe-dependent checks (tests/e2e/platform_none.sh
# covers that build).
if [ "${MW_PROBE:-}" = none ] && [ -z "${CLI_PROBE_OPTIONAL:-}" ]; then
    echo "SKIP: no memory probe in this build (--with-probe=none)"
    exit 77
fi

CLI_NAME=$(basename "$0" .sh)
# The script itself, by an absolute path: the cwd changes below, and make check runs the scripts
# by a path relative to the build directory.
CLI_SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
T=$(mktemp -d "${TMPDIR:-/tmp}/mw-$CLI_NAME.XXXXXX") || exit 99
cd "$T" || exit 99
CLI_PIDS=()
CLI_TMUX=""
CLI_FAILS=0

cli_cleanup() {
    local p
    disown -a 2>/dev/null # no "Killed" job notices for what we kill here
    for p in "${CLI_PIDS[@]}"; do
        kill -9 "$p" 2>/dev/null
    done
    tmux_stop
    # Let the killed processes go before their files do (kill -9 cannot be ignored).
    for p in "${CLI_PIDS[@]}"; do
        wait_gone 5 "$p" || echo "WARNING: PID $p survived kill -9" >&2
    done
    cd / && rm -rf "$T"
}
trap cli_cleanup EXIT
trap 'exit 130' INT TERM HUP

pass() { echo "ok   - $*"; }
fail() { echo "FAIL - $*" >&2; CLI_FAILS=$((CLI_FAILS + 1)); }
note() { echo "#      $*"; }
skip_all() { echo "SKIP: $*"; exit 77; }
# check DESCRIPTION COMMAND...: pass or fail on COMMAND's status.
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
# Exit with the verdict; call last.
finish() {
    if [ "$CLI_FAILS" -gt 0 ]; then echo "$CLI_NAME: $CLI_FAILS failure(s)" >&2; exit 1; fi
    exit 0
}

track() { CLI_PIDS+=("$@"); }
# Is PID still a process (zombies count as gone: they are only waiting to be reaped)?
alive() { [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* (.*) Z ' "/proc/$1/stat" 2>/dev/null; }

# wait_until SECONDS COMMAND...: poll COMMAND every 20 ms until it succeeds (0) or time runs out (1).
wait_until() {
    local end=$((${EPOCHREALTIME/./} + ${1%.*} * 1000000 * CLI_SLOW)); shift
    until "$@"; do
        [ "${EPOCHREALTIME/./}" -ge "$end" ] && return 1
        sleep 0.02
    done
}
# wait_gone SECONDS PID: until PID is no longer a live process.
wait_gone() { local s=$1 p=$2; wait_until "$s" eval "! alive $p"; }
# now_ms: wall clock in milliseconds.
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# Data rows of a capture file (lines after the header).
rows() { local n; n=$(wc -l 2>/dev/null < "$1") || n=0; [ "${n:-0}" -gt 0 ] && n=$((n - 1)); echo "${n:-0}"; }
has_rows() { [ "$(rows "$2")" -ge "$1" ]; } # has_rows N FILE
# last_row_ms FILE: the last row's timestamp in wall-clock milliseconds; fails when there is none.
last_row_ms() {
    local ts
    ts=$(tail -1 "$1" 2>/dev/null | cut -d, -f1)
    [ "${ts#20}" != "$ts" ] && date -u -d "$ts" +%s%3N 2>/dev/null
}
# Value of column COL (name from the header) in every data row of FILE.
column() {
    awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
                           c { print $c }' "$1"
}
# Largest value of a numeric column.
column_max() { column "$1" "$2" | awk 'NR == 1 || $1 + 0 > m { m = $1 + 0 } END { printf "%.0f\n", m }'; }
CSV_HEADER='timestamp,elapsed_s,pid,rss_bytes,vsz_bytes,shared_bytes,anon_bytes,file_bytes,shmem_bytes,swap_bytes,hwm_bytes,nprocs,hwm_rose,marker'

# Parse a size as the summary prints it ("201.6 MiB", "604 KiB", "0 B") into bytes.
size_bytes() {
    awk -v v="$1" -v u="$2" 'BEGIN { m = 1; if (u == "KiB") m = 1024; else if (u == "MiB") m = 1048576;
        else if (u == "GiB") m = 1073741824; printf "%.0f\n", v * m }'
}
# summary_peak FILE: the RSS peak in bytes from a headless summary.
summary_peak() {
    local l; l=$(grep -m1 '^  RSS ' "$1") || return 1
    l=${l##*peak }; set -- $l; size_bytes "$1" "$2"
}
# summary_hwm FILE: the "kernel high-water mark" figure in bytes, if the summary has that line.
summary_hwm() {
    local l; l=$(grep -m1 'kernel high-water mark' "$1") || return 1
    l=${l##*mark }; set -- ${l%%:*}; size_bytes "$1" "$2"
}
summary_samples() { sed -n 's/^  samples   \([0-9]*\) .*/\1/p' "$1"; }

# ---- an interactive mw-alloc driven through a FIFO (protocol: tests/helpers/mw-alloc.c) -----------
# alloc_start NAME [ARGS...]: start mw-alloc reading NAME.in, answering into NAME.out; sets ALLOC_PID.
alloc_start() {
    local name=$1; shift
    rm -f "$name.in" "$name.out" "$name.ready"
    mkfifo "$name.in" || return 1
    "$MW_ALLOC" --ready-file "$name.ready" "$@" < "$name.in" > "$name.out" &
    ALLOC_PID=$!
    track "$ALLOC_PID"
    exec {ALLOC_FD}> "$name.in" # keeps the FIFO open: mw-alloc sees EOF only when we close it
    eval "ALLOC_FD_$name=$ALLOC_FD"
    wait_until 10 test -s "$name.ready"
}
# alloc_cmd NAME COMMAND: send one command and wait for its reply; prints the reply.
alloc_cmd() {
    local name=$1 cmd=$2 fd before
    fd=$(eval echo "\$ALLOC_FD_$name")
    before=$(wc -l < "$name.out")
    echo "$cmd" >&"$fd"
    wait_until 30 eval "[ \$(wc -l < $name.out) -gt $before ]" || { echo "timeout"; return 1; }
    sed -n "$((before + 1))p" "$name.out"
}

# ---- a pseudo-terminal for checks that need one: in_pty 'SHELL COMMAND' (stderr: redirect it) ----
in_pty() { script -qec "$1" /dev/null < /dev/null; }

# ---- tmux on a private socket, fixed size --------------------------------------------------------
CLI_TMUX_N=0
tmux_start() { # tmux_start 'COMMAND' [WIDTH HEIGHT]: a fresh server (the previous one is killed)
    command -v tmux >/dev/null || skip_all "tmux is not installed"
    tmux_stop
    CLI_TMUX_N=$((CLI_TMUX_N + 1))
    CLI_TMUX=mwcli-$$-$CLI_TMUX_N # never reuse a socket a dying server may still hold
    rm -f "$T/pane.status"
    # The shell in the pane writes COMMAND's exit status to a file: tmux 3.3 sometimes leaves a
    # dead pane's process unreaped, so #{pane_dead_status} cannot be relied on.
    tmux -L "$CLI_TMUX" -f /dev/null start-server \; set-option -g remain-on-exit on \; \
        new-session -d -x "${2:-100}" -y "${3:-30}" \
        -e TERM=xterm-256color -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
        "$1; echo \$? > '$T/pane.status.tmp' && mv '$T/pane.status.tmp' '$T/pane.status'"
}
tmux_stop() { [ -n "$CLI_TMUX" ] && tmux -L "$CLI_TMUX" kill-server 2>/dev/null; CLI_TMUX=""; }
screen() { tmux -L "$CLI_TMUX" capture-pane -p -t 0; }
keys() { tmux -L "$CLI_TMUX" send-keys -t 0 "$@"; }
screen_has() { screen | grep -q -- "$1"; }
wait_screen() { wait_until "${2:-10}" screen_has "$1"; } # wait_screen REGEX [SECONDS]
# pane_status: the pane command's exit status (128+N for a signal), empty while it runs.
pane_status() { cat "$T/pane.status" 2>/dev/null; }
pane_ended() { [ -s "$T/pane.status" ]; }
# pane_pid: the pane's shell; the program it runs is its child (pgrep -x -P "$(pane_pid)" NAME).
pane_pid() { tmux -L "$CLI_TMUX" display-message -p -t 0 '#{pane_pid}'; }
# dashboard_quit [SECONDS]: press q (again every 2 s, noting it: a key lost while the program
# starts is not what these tests are about) until the program ends; prints its exit status.
dashboard_quit() {
    local end=$((SECONDS + ${1:-15} * CLI_SLOW))
    keys q
    until wait_until 2 pane_ended; do
        if [ $SECONDS -ge $end ]; then
            echo timeout
            return
        fi
        note "q did not end the dashboard within 2 s; pressing it again" >&2
        keys q
    done
    pane_status
}
