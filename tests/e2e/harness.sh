# SPDX-License-Identifier: MIT
# harness.sh — the one end-to-end harness: programs, temp dir, cleanup, verdicts, polling waits, the tmux pane, mw-alloc, readers.
# shellcheck shell=bash
#
# Sourced by every tests/e2e/tui_*.sh and cli_*.sh (bash); the ship_* scripts have ship_lib.sh
# (see there). Every wait polls with a deadline; nothing sleeps blindly. The script runs in
# $MW_TMP, a private temp dir removed at exit with every process the script started.
#
# Verdicts. A script either stops at its first failure (die, and the fatal waits) or tallies
# (check/fail, then finish); a tally still fails the script if it exits without finish.
#   ok MSG                      a passing step
#   fail MSG                    a failing step: counted, the script goes on
#   check DESC CMD...           ok or fail on CMD's status
#   expect DESC CMD...          the same, a failure quoting what CMD printed (say what was wrong)
#   finish                      exit 1 if anything failed, else 0; call last
#   die MSG                     a failure that ends the script now (prints the pane, if any)
#   skip MSG / hard_error MSG   exit 77 / 99 (a broken setup is not a test failure)
#   note MSG                    a line for the log
# Processes and waits (SECS is scaled by MW_E2E_SLOW):
#   track PID...                kill PID (and its descendants) at exit
#   alive PID                   PID is a process, and not a zombie (a zombie has ended)
#   pid_exists PID              kill -0 PID succeeds (a zombie still exists)
#   wait_pid_gone SECS PID      wait until PID is not alive; status 1 on timeout
#   wait_until SECS CMD...      run CMD every 20 ms until it succeeds; status 1 on timeout
#   poll SECS DESC CMD...       run CMD every 0.1 s until it succeeds; die naming DESC on timeout
#   settle SECS CHECK ARGS...   poll a CHECK that says what is wrong with `why MSG`; on timeout,
#                               die with its last MSG
#   now_ms                      wall clock in milliseconds
# The dashboard pane (one private tmux server; the pane stays after the program exits):
#   start_tui [-s WxH] CMD...   run CMD in a fresh pane (TERM=xterm-256color, LANG=C.UTF-8,
#                               cwd $MW_TMP; default 100x30)
#   start_tui_sh 'SHELL CMD' [W H]  the same for a shell command line (redirections, variables)
#   screen                      the pane as text
#   screen_has REGEX            the pane shows REGEX (grep -E), now
#   wait_screen REGEX [SECS]    wait until it does; status 1 on timeout
#   wait_for REGEX [SECS]       wait until it does; die on timeout or when the program has ended
#   wait_screen_gone REGEX [SECS]  wait until it no longer does; die on timeout
#   screen_line REGEX [SECS]    the first line matching REGEX, waiting for it to show
#   send KEYS...                tmux send-keys, one key a call (names: Left, Home, Escape, C-c)
#   send_text TEXT              literal text
#   resize W H                  resize the window and wait until the pane has that size
#   tmux_fmt FORMAT             the pane's state, e.g. '#{alternate_on}'
#   pane_pid                    the pane's runner; the program it runs is its child
#   tui_ended / tui_status      the program has ended / its exit status (128+N for a signal)
#   wait_exit [SECS]            wait for the program to end; prints its exit status (die on timeout)
#   exits_0_ending PID WHAT     the program exits 0 after WHAT, and PID ends with it
#   dashboard_quit [SECS]       press q (again every 2 s) until the program ends; prints its status
#   in_pty 'SHELL CMD'          run it on a pseudo-terminal of its own (no tmux)
# The mw-alloc test child, driven through a FIFO (protocol: tests/helpers/mw-alloc.c):
#   alloc_start NAME [ARGS]     start one, reading NAME.in; sets ALLOC_PID; status 1 if not ready
#   alloc_cmd NAME CMD          send one command, wait for its reply line, print it (any reply)
#   alloc_cmd_ok NAME CMD       the same, but die unless the reply is ok...
#   alloc_stop NAME             close its FIFO (EOF: it exits 0) and wait for it
# Readers: screen_samples, now_rss_mib, to_mib, approx, export_status, export_ok (screen and
# export); rows, has_rows, last_row_ms, column, column_max, marks, CSV_HEADER (CSV files); size_bytes,
# summary_peak, summary_hwm, summary_samples (the headless summary).
# Environment (set by `make check`, defaulted for manual runs): MEMWATCH, MW_ALLOC, MW_SRCDIR,
# MW_PROBE. MW_E2E_SLOW=N multiplies every timeout (a loaded or sanitizer build). Set by the
# harness: MW_TMP, MW_SLOW, MW_E2E_DIR, MW_E2E_SELF (the script, by an absolute path).
# Without a memory probe (configure --with-probe=none) the scripts skip, unless one sets
# MW_E2E_PROBE_OPTIONAL=1 before sourcing this and guards its own probe-dependent checks
# (tests/e2e/platform_none.sh covers that build).

set -u

MW_E2E_NAME=$(basename "$0" .sh)
MW_E2E_DIR=$(cd "$(dirname "$0")" && pwd)
# By an absolute path: the cwd changes below, and make check runs scripts by a relative one.
MW_E2E_SELF=$MW_E2E_DIR/$(basename "$0")
MW_FAILS=0

note() { printf '#      %s\n' "$*"; }
ok() { printf 'ok   - %s [%ss]\n' "$*" "$(( ($(now_ms) - MW_T0) / 1000 ))"; }
fail() {
    printf 'FAIL - %s\n' "$*" >&2
    MW_FAILS=$((MW_FAILS + 1))
}
check() {
    local what=$1
    shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}
expect() {
    local what=$1 out
    shift
    if out=$("$@" 2>&1); then ok "$what"; else fail "$what: ${out:-no detail}"; fi
}
finish() {
    if [ "$MW_FAILS" -gt 0 ]; then
        echo "$MW_E2E_NAME: $MW_FAILS failure(s)" >&2
        exit 1
    fi
    exit 0
}

skip() {
    echo "SKIP: $*"
    exit 77
}

hard_error() {
    echo "ERROR: $*" >&2
    exit 99
}

die() {
    {
        echo "FAIL - $MW_E2E_NAME: $*"
        if [ -n "${MW_SESSION_UP:-}" ]; then
            echo "---- screen ($(tm display-message -p -t mw '#{pane_width}x#{pane_height}' 2>/dev/null)) ----"
            screen 2>/dev/null
            echo "--------------------------------------------------------------------------------"
        fi
    } >&2
    # Inside $(...) this is a subshell: make the test itself fail, not just the substitution.
    [ "$BASHPID" = "$$" ] || kill -USR1 "$$"
    exit 1
}

if [ "${MW_PROBE:-}" = none ] && [ -z "${MW_E2E_PROBE_OPTIONAL:-}" ]; then
    skip "no memory probe in this build (--with-probe=none)"
fi

# Built programs: make check says where; by hand, look in the cwd (a build dir), then beside the
# sources (an in-tree build).
find_built() {
    local rel=$1 d
    for d in "$PWD" "$MW_E2E_DIR/../.."; do
        if [ -x "$d/$rel" ]; then
            (cd "$(dirname "$d/$rel")" && printf '%s/%s\n' "$(pwd)" "$(basename "$rel")")
            return
        fi
    done
    printf '%s\n' "$PWD/$rel"
}
: "${MEMWATCH:=$(find_built memwatch)}"
: "${MW_ALLOC:=$(find_built tests/helpers/mw-alloc)}"
: "${MW_SRCDIR:=$(cd "$MW_E2E_DIR/../.." && pwd)}"
case $MEMWATCH in /*) ;; *) MEMWATCH=$PWD/$MEMWATCH ;; esac
case $MW_ALLOC in /*) ;; *) MW_ALLOC=$PWD/$MW_ALLOC ;; esac
# One locale for the script and what it runs (the pane sets its own, see start_tui).
export MEMWATCH MW_ALLOC MW_SRCDIR LC_ALL=C.UTF-8
[ -x "$MEMWATCH" ] || hard_error "no memwatch program at $MEMWATCH (build it, or set MEMWATCH)"
[ -x "$MW_ALLOC" ] || hard_error "no mw-alloc at $MW_ALLOC (make tests/helpers/mw-alloc, or set MW_ALLOC)"

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
MW_T0=$(now_ms)
MW_SLOW=${MW_E2E_SLOW:-1}
case $MW_SLOW in '' | 0 | *[!0-9]*) hard_error "MW_E2E_SLOW must be a whole number >= 1, not '$MW_SLOW'" ;; esac
MW_TMP=$(mktemp -d "${TMPDIR:-/tmp}/mw-$MW_E2E_NAME.XXXXXX") || hard_error "mktemp -d failed"
cd "$MW_TMP" || hard_error "cannot cd to $MW_TMP"
MW_TMUX_SOCKET=mw-e2e-$$
MW_PIDS=""
MW_SESSION_UP=""

# ---- processes, cleanup, polling ---------------------------------------------------------------

# The server's socket lives in the test's own temp dir: nothing is shared with a user's tmux.
tm() {
    env -u TMUX TMUX_TMPDIR="$MW_TMP" LC_ALL=C.UTF-8 tmux -u -L "$MW_TMUX_SOCKET" -f /dev/null "$@"
}

track() { MW_PIDS="$MW_PIDS $*"; }

# PIDs of every descendant of the given PIDs (one ps call, walked in awk).
descendants() {
    ps -e -o pid= -o ppid= 2>/dev/null | awk -v roots="$*" '
        { kids[$2] = kids[$2] " " $1 }
        END {
            n = split(roots, q, " ")
            for (i = 1; i <= n; i++) {
                split(kids[q[i]], k, " ")
                for (j in k) if (k[j] != "") { print k[j]; q[++n] = k[j] }
            }
        }'
}

pid_exists() { kill -0 "$1" 2>/dev/null; }
# Zombies count as gone: they are only waiting to be reaped.
alive() { [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* (.*) Z ' "/proc/$1/stat" 2>/dev/null; }

harness_cleanup() {
    local st=$? pids p deadline
    trap - EXIT INT TERM HUP USR1
    # A tally that failed fails the script even if it never reached finish.
    [ "$st" -ne 0 ] || [ "$MW_FAILS" -eq 0 ] || st=1
    disown -a 2>/dev/null # no "Killed" job notices for what is killed here
    pids="$MW_PIDS"
    if [ -n "$MW_SESSION_UP" ]; then
        pids="$pids $(tm list-panes -a -F '#{pane_pid}' 2>/dev/null | tr '\n' ' ')"
    fi
    # shellcheck disable=SC2086 # a list of PIDs
    pids="$pids $(descendants $pids | tr '\n' ' ')"
    tm kill-server >/dev/null 2>&1
    for p in $pids; do kill -TERM "$p" 2>/dev/null; done
    # Give them a moment to go, polled; then no mercy.
    deadline=$(($(now_ms) + 3000))
    for p in $pids; do
        while alive "$p" && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.05; done
        kill -KILL "$p" 2>/dev/null
    done
    # Let the killed processes go before their files do (kill -9 cannot be ignored).
    for p in $pids; do
        wait_pid_gone 5 "$p" || echo "WARNING: PID $p survived kill -9" >&2
    done
    cd / && rm -rf "$MW_TMP"
    exit "$st"
}
trap harness_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 1' USR1

# deadline_ms SECS: the wall-clock deadline, scaled by MW_E2E_SLOW.
deadline_ms() { echo $(($(now_ms) + $1 * 1000 * MW_SLOW)); }

# The 20 ms step: the headless checks time what they wait for.
wait_until() {
    local end=$((${EPOCHREALTIME/./} + ${1%.*} * 1000000 * MW_SLOW))
    shift
    until "$@"; do
        [ "${EPOCHREALTIME/./}" -ge "$end" ] && return 1
        sleep 0.02
    done
}
wait_pid_gone() { wait_until "$1" eval "! alive $2"; }

# A CMD may say what is wrong with `why MSG` (see settle): on timeout that is the failure. The
# 0.1 s step: its CMDs are mostly screen captures, which cost tmux a redraw.
poll() {
    local secs=$1 what=$2 end
    shift 2
    end=$(deadline_ms "$secs")
    MW_WHY=""
    until "$@"; do
        if [ "$(now_ms)" -ge "$end" ]; then
            [ -z "$MW_WHY" ] || die "$MW_WHY (still so after ${secs}s)"
            die "timed out after ${secs}s waiting for: $what"
        fi
        sleep 0.1
    done
}

# A screen arrives in several writes, so one capture can catch it half drawn: a check of a whole
# screen is a CHECK function polled until it passes. Inside it, `COND || why MSG || return`.
why() {
    MW_WHY=$*
    return 1
}
settle() {
    local secs=$1
    shift
    poll "$secs" "$*" "$@"
}

# ---- the dashboard pane ------------------------------------------------------------------------

MW_COLS=100
MW_ROWS=30

start_tui() {
    local size="${MW_COLS}x${MW_ROWS}"
    if [ "${1:-}" = "-s" ]; then
        size=$2
        shift 2
    fi
    command -v tmux >/dev/null 2>&1 || skip "tmux is not installed (apt-get install tmux)"
    tm kill-server >/dev/null 2>&1
    rm -f "$MW_TMP/tui.status"
    # The runner prints the exit status as a shell would, records it, and keeps the pane open
    # (tmux's remain-on-exit can scroll the last screen away, and tmux 3.3 sometimes leaves a dead
    # pane's process unreaped, so #{pane_dead_status} cannot be relied on) until the server is
    # killed. With --sh it runs a shell command line; either way the program is its child.
    cat >"$MW_TMP/run-tui" <<'EOF'
#!/bin/sh
trap : INT QUIT  # like a shell prompt: Ctrl-C is the program's (the trap is not inherited)
if [ "$1" = --sh ]; then eval "$2"; else "$@"; fi
st=$?
printf '[e2e] program exited with status %d\n' "$st"
echo "$st" >"$MW_E2E_STATUS.tmp" && mv "$MW_E2E_STATUS.tmp" "$MW_E2E_STATUS"
exec sleep 86400
EOF
    chmod +x "$MW_TMP/run-tui"
    # The previous server (killed above) may still be going away: a new-session that reaches it
    # fails with "server exited unexpectedly". Wait for its socket to go, and try a few times.
    local sock="$MW_TMP/tmux-$(id -u)/$MW_TMUX_SOCKET" err="" try
    wait_until 5 eval '[ ! -S "$sock" ]'
    for try in 1 2 3 4 5; do
        err=$(tm new-session -d -s mw -x "${size%x*}" -y "${size#*x}" -c "$MW_TMP" \
            env -u LC_ALL -u LC_CTYPE -u LC_MESSAGES -u NO_COLOR -u TMUX \
            TERM=xterm-256color LANG=C.UTF-8 MW_E2E_STATUS="$MW_TMP/tui.status" \
            "$MW_TMP/run-tui" "$@" 2>&1) && break
        tm kill-server >/dev/null 2>&1
        wait_until 5 eval '[ ! -S "$sock" ]'
        [ "$try" = 5 ] && die "tmux could not start a session: $err"
    done
    MW_SESSION_UP=1
}
start_tui_sh() { start_tui -s "${2:-$MW_COLS}x${3:-$MW_ROWS}" --sh "$1"; }

screen() { tm capture-pane -p -t mw; }

tmux_fmt() { tm display-message -p -t mw "$1"; }
pane_pid() { tmux_fmt '#{pane_pid}'; }

screen_has() { screen | grep -Eq -- "$1"; }
wait_screen() { wait_until "${2:-10}" screen_has "$1"; }

tui_ended() { [ -s "$MW_TMP/tui.status" ]; }
tui_status() { cat "$MW_TMP/tui.status" 2>/dev/null; }

# Fails early when the program has ended without showing REGEX (after 2 s, scaled by
# MW_E2E_SLOW: tmux may still be drawing its last output).
wait_for() {
    local re=$1 secs=${2:-10} end ended=""
    end=$(deadline_ms "$secs")
    until screen_has "$re"; do
        [ "$(now_ms)" -lt "$end" ] || die "timed out after ${secs}s waiting for /$re/"
        if [ -z "$ended" ] && tui_ended; then
            ended=$(($(now_ms) + 2000 * MW_SLOW))
        elif [ -n "$ended" ] && [ "$(now_ms)" -gt "$ended" ]; then
            die "the program ended (status $(tui_status)) before /$re/ showed"
        fi
        sleep 0.1
    done
}

wait_screen_gone() {
    local re=$1 secs=${2:-10} end
    end=$(deadline_ms "$secs")
    while screen_has "$re"; do
        [ "$(now_ms)" -lt "$end" ] || die "timed out after ${secs}s waiting for /$re/ to go"
        sleep 0.1
    done
}

# Home and End go as xterm sends them (terminfo khome/kend): tmux's own "\e[1~" is not what
# TERM=xterm-256color promises the program.
send() {
    local k
    for k in "$@"; do
        case $k in
        Home) tm send-keys -t mw -l -- "$(printf '\033OH')" ;;
        End) tm send-keys -t mw -l -- "$(printf '\033OF')" ;;
        *) tm send-keys -t mw "$k" ;;
        esac
    done
}
send_text() { tm send-keys -t mw -l -- "$1"; }

pane_is() { [ "$(tmux_fmt '#{pane_width}x#{pane_height}')" = "$1" ]; }

resize() {
    tm resize-window -t mw -x "$1" -y "$2" || die "resize-window $1x$2 failed"
    poll 5 "pane size $1x$2" pane_is "$1x$2"
}

# shellcheck disable=SC2120 # the timeout is optional
wait_exit() {
    poll "${1:-10}" "the program to exit" tui_ended
    tui_status
}

# exits_0_ending PID WHAT: after WHAT (the keys just sent) the dashboard exits 0 and PID ends too.
exits_0_ending() {
    local st
    st=$(wait_exit 10)
    [ "$st" = 0 ] || die "memwatch exited with status $st after $2"
    poll 5 "PID $1 to end with the dashboard after $2" eval "! pid_exists $1"
}

# dashboard_quit [SECONDS]: press q (again every 2 s, noting it: a key lost while the program
# starts is not what these tests are about) until the program ends; prints its exit status, or
# "timeout".
dashboard_quit() {
    local end=$((SECONDS + ${1:-15} * MW_SLOW))
    send q
    until wait_until 2 tui_ended; do
        if [ $SECONDS -ge $end ]; then
            echo timeout
            return
        fi
        note "q did not end the dashboard within 2 s; pressing it again" >&2
        send q
    done
    tui_status
}

# screen_line REGEX [SECS]: the first line matching REGEX (grep -E), read from one capture. Waits
# for it (a first sample, or a frame still being drawn), and fails when it has not shown in time
# (unlike wait_for, it does not stop early when the program has ended).
screen_line() {
    local re=$1 secs=${2:-10} l end
    end=$(deadline_ms "$secs")
    until l=$(screen | grep -E -m1 -- "$re"); do
        [ "$(now_ms)" -lt "$end" ] || die "no line matches /$re/ (waited ${secs}s)"
        sleep 0.1
    done
    printf '%s\n' "$l"
}

# For checks that need a terminal but no screen to read: stderr is the caller's to redirect.
in_pty() { script -qec "$1" /dev/null </dev/null; }

# ---- what the dashboard shows ------------------------------------------------------------------

# to_mib VALUE UNIT: a human size ("812.4" "MiB") in MiB, as a decimal.
to_mib() {
    awk -v v="$1" -v u="$2" 'BEGIN {
        f = (u == "B") ? 1 / 1048576 : (u == "KiB") ? 1 / 1024 : (u == "MiB") ? 1 : (u == "GiB") ? 1024 : -1
        if (f < 0) exit 1
        printf "%.3f\n", v * f }'
}

# now_rss_mib: the current RSS from the "now RSS 22.1 MiB ..." line, in MiB.
now_rss_mib() {
    local l
    l=$(screen_line '^now RSS ') || exit 1
    # shellcheck disable=SC2086
    set -- ${l#now RSS }
    to_mib "$1" "$2" || die "cannot read a size from: $l"
}

# screen_samples: the header's count of samples captured ("interval 250ms  41/100000 samples").
screen_samples() { screen | sed -n 's/^interval [^ ]*  \([0-9]*\)\/[0-9]* samples.*/\1/p'; }

# approx A B TOLERANCE: |A - B| <= TOLERANCE (decimals).
approx() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }

# export_status: after e, wait for "exported N rows to /path.csv" drawn whole; sets
# EXPORT_ROWS and EXPORT_CSV from it.
export_status() {
    local status
    status=$(screen_line '^exported [0-9]+ rows to /.*\.csv')
    EXPORT_ROWS=$(printf '%s\n' "$status" | sed 's/^exported \([0-9]*\) rows.*/\1/')
    EXPORT_CSV=$(printf '%s\n' "$status" | sed 's/^exported [0-9]* rows to \([^ ]*\.csv\).*/\1/')
}

# export_ok PID: press e, wait for the status line, check the file it names has that many rows,
# all of PID, none with RSS or VSZ 0; sets EXPORTED to its path.
export_ok() {
    local rows csv
    send e
    export_status
    rows=$EXPORT_ROWS csv=$EXPORT_CSV
    case $csv in */memwatch-"$1"-*.csv) ;; *) die "export path $csv" ;; esac
    [ -f "$csv" ] || die "no file $csv"
    if [ "$rows" -eq 0 ] || [ "$(($(wc -l <"$csv") - 1))" -ne "$rows" ]; then
        die "$csv: $(($(wc -l <"$csv") - 1)) rows, the status line said $rows"
    fi
    awk -F, -v pid="$1" 'NR > 1 && $3 != pid { exit 1 }' "$csv" || die "$csv: rows of another pid"
    awk -F, 'NR > 1 && ($4 == 0 || $5 == 0) { print "row " NR - 1 ": " $0; exit 1 }' "$csv" ||
        die "$csv: a sample with RSS or VSZ 0"
    EXPORTED=$csv
}

# ---- CSV files and the headless summary --------------------------------------------------------
. "$MW_E2E_DIR/harness-files.sh"

# ---- the mw-alloc test child, driven through a FIFO --------------------------------------------
. "$MW_E2E_DIR/harness-alloc.sh"
