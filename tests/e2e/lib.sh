# SPDX-License-Identifier: MIT
# lib.sh — shared helpers for the tmux-driven dashboard tests: private server, polling waits, cleanup.
# shellcheck shell=bash
#
# Sourced by tests/e2e/tui_*.sh (bash). Every wait polls with a deadline; nothing sleeps blindly.
#   start_tui [-s WxH] CMD...   run CMD in a fresh pane of a private tmux server (TERM=xterm-256color,
#                               LANG=C.UTF-8, cwd = $MW_TMP); the pane stays after CMD exits
#   screen                      the pane as text (capture-pane -p)
#   screen_line REGEX [SECS]    the first line matching REGEX, waiting for it to show
#   wait_for REGEX [SECS]       poll the screen every 0.1 s until REGEX (grep -E) matches
#   wait_gone REGEX [SECS]      ... until it no longer matches
#   send KEYS...                tmux send-keys, one key a call (names: Left, Home, Escape, C-c)
#   send_text TEXT              literal text
#   resize W H                  resize the window and wait until the pane has that size
#   wait_exit [SECS]            wait for CMD to end; prints its exit status
#   exits_0_ending PID WHAT     CMD exits 0 after WHAT, and PID ends with it
#   alloc_start [ARGS]          start mw-alloc in the background, commands fed through a FIFO
#   alloc_cmd CMD               send one mw-alloc command, wait for its reply line, print it
#   track_pid PID               kill PID (and its descendants) at exit
#   poll SECS DESC CMD...       run CMD every 0.1 s until it succeeds; fail naming DESC on timeout
#   screen_samples              the header's count of samples captured
#   export_status               after e: EXPORT_ROWS and EXPORT_CSV from the status line
#   export_ok PID               press e; check the exported CSV (rows, PID, no zero sizes)
#   settle SECS CHECK ARGS...   the same for a CHECK that says what is wrong with `why MSG`;
#                               on timeout, fail with its last MSG
# Environment (set by `make check`, defaulted for manual runs): MEMWATCH, MW_ALLOC, MW_SRCDIR.
# MW_E2E_SLOW=N multiplies every timeout (a loaded or sanitizer build).

set -u

MW_E2E_NAME=$(basename "$0" .sh)
MW_E2E_DIR=$(cd "$(dirname "$0")" && pwd)

note() { printf '%s: %s\n' "$MW_E2E_NAME" "$*"; }
ok() { printf 'ok - %s [%ss]\n' "$*" "$(( ($(now_ms) - MW_T0) / 1000 ))"; }

skip() {
    note "SKIP: $*"
    exit 77
}

# A broken setup (no program to test) is a hard error, not a test failure.
hard_error() {
    note "ERROR: $*"
    exit 99
}

fail() {
    {
        note "FAIL: $*"
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

command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"
# Every dashboard scenario watches a process: without a memory probe (configure
# --with-probe=none) there is nothing to show; tests/e2e/platform_none.sh covers that build.
[ "${MW_PROBE:-}" != none ] || skip "no memory probe in this build (--with-probe=none)"

# Built programs: make check says where; by hand, look in the cwd (a build dir), then beside the
# sources (an in-tree build).
mw_find_built() {
    local rel=$1 d
    for d in "$PWD" "$MW_E2E_DIR/../.."; do
        if [ -x "$d/$rel" ]; then
            (cd "$(dirname "$d/$rel")" && printf '%s/%s\n' "$(pwd)" "$(basename "$rel")")
            return
        fi
    done
    printf '%s\n' "$PWD/$rel"
}
: "${MEMWATCH:=$(mw_find_built memwatch)}"
: "${MW_ALLOC:=$(mw_find_built tests/helpers/mw-alloc)}"
: "${MW_SRCDIR:=$(cd "$MW_E2E_DIR/../.." && pwd)}"
export MEMWATCH MW_ALLOC MW_SRCDIR
[ -x "$MEMWATCH" ] || hard_error "no memwatch program at $MEMWATCH (build it, or set MEMWATCH)"
[ -x "$MW_ALLOC" ] || hard_error "no mw-alloc at $MW_ALLOC (make tests/helpers/mw-alloc, or set MW_ALLOC)"

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
MW_T0=$(now_ms)
MW_SLOW=${MW_E2E_SLOW:-1}
case $MW_SLOW in '' | 0 | *[!0-9]*) hard_error "MW_E2E_SLOW must be a whole number >= 1, not '$MW_SLOW'" ;; esac
MW_TMP=$(mktemp -d "${TMPDIR:-/tmp}/mw-e2e.XXXXXX") || hard_error "mktemp -d failed"
MW_TMUX_SOCKET=mw-e2e-$$
MW_PIDS=""
MW_SESSION_UP=""
MW_ALLOC_FD_OPEN=""

# The server's socket lives in the test's own temp dir: nothing is shared with a user's tmux.
tm() {
    env -u TMUX TMUX_TMPDIR="$MW_TMP" LC_ALL=C.UTF-8 tmux -u -L "$MW_TMUX_SOCKET" -f /dev/null "$@"
}

track_pid() { MW_PIDS="$MW_PIDS $*"; }

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

pid_alive() { kill -0 "$1" 2>/dev/null; }

mw_cleanup() {
    local st=$? pids p deadline
    trap - EXIT INT TERM HUP
    pids="$MW_PIDS"
    if [ -n "$MW_SESSION_UP" ]; then
        pids="$pids $(tm list-panes -a -F '#{pane_pid}' 2>/dev/null | tr '\n' ' ')"
    fi
    # shellcheck disable=SC2086 # a list of PIDs
    pids="$pids $(descendants $pids | tr '\n' ' ')"
    tm kill-server >/dev/null 2>&1
    [ -n "$MW_ALLOC_FD_OPEN" ] && exec 7>&-
    for p in $pids; do kill -TERM "$p" 2>/dev/null; done
    # Give them a moment to go, polled; then no mercy.
    deadline=$(($(now_ms) + 3000))
    for p in $pids; do
        while pid_alive "$p" && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.05; done
        kill -KILL "$p" 2>/dev/null
    done
    wait 2>/dev/null
    rm -rf "$MW_TMP"
    exit "$st"
}
trap mw_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 1' USR1


# deadline_ms SECS: the wall-clock deadline, scaled by MW_E2E_SLOW.
deadline_ms() { echo $(($(now_ms) + $1 * 1000 * MW_SLOW)); }

# A CMD may say what is wrong with `why MSG` (see settle): on timeout that is the failure.
poll() {
    local secs=$1 what=$2 end
    shift 2
    end=$(deadline_ms "$secs")
    MW_WHY=""
    until "$@"; do
        if [ "$(now_ms)" -ge "$end" ]; then
            [ -z "$MW_WHY" ] || fail "$MW_WHY (still so after ${secs}s)"
            fail "timed out after ${secs}s waiting for: $what"
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
    tm kill-server >/dev/null 2>&1
    rm -f "$MW_TMP/tui.status"
    # The runner prints the exit status as a shell would, records it, and keeps the pane open
    # (tmux's remain-on-exit can scroll the last screen away) until the server is killed.
    cat >"$MW_TMP/run-tui" <<'EOF'
#!/bin/sh
trap : INT QUIT  # like a shell prompt: Ctrl-C is the program's (the trap is not inherited)
"$@"
st=$?
printf '[e2e] program exited with status %d\n' "$st"
echo "$st" >"$MW_E2E_STATUS.tmp" && mv "$MW_E2E_STATUS.tmp" "$MW_E2E_STATUS"
exec sleep 86400
EOF
    chmod +x "$MW_TMP/run-tui"
    tm new-session -d -s mw -x "${size%x*}" -y "${size#*x}" -c "$MW_TMP" \
        env -u LC_ALL -u LC_CTYPE -u LC_MESSAGES -u NO_COLOR -u TMUX \
        TERM=xterm-256color LANG=C.UTF-8 MW_E2E_STATUS="$MW_TMP/tui.status" \
        "$MW_TMP/run-tui" "$@" || fail "tmux could not start a session"
    MW_SESSION_UP=1
}

screen() { tm capture-pane -p -t mw; }

# The pane's state: tmux_fmt '#{alternate_on}' etc.
tmux_fmt() { tm display-message -p -t mw "$1"; }

mw_screen_matches() { screen | grep -Eq -- "$1"; }

mw_tui_ended() { [ -s "$MW_TMP/tui.status" ]; }

# Fails early when the program has ended without showing REGEX (after 2 s, scaled by
# MW_E2E_SLOW: tmux may still be drawing its last output).
wait_for() {
    local re=$1 secs=${2:-10} end ended=""
    end=$(deadline_ms "$secs")
    until mw_screen_matches "$re"; do
        [ "$(now_ms)" -lt "$end" ] || fail "timed out after ${secs}s waiting for /$re/"
        if [ -z "$ended" ] && mw_tui_ended; then
            ended=$(($(now_ms) + 2000 * MW_SLOW))
        elif [ -n "$ended" ] && [ "$(now_ms)" -gt "$ended" ]; then
            fail "the program ended (status $(cat "$MW_TMP/tui.status")) before /$re/ showed"
        fi
        sleep 0.1
    done
}

wait_gone() {
    local re=$1 secs=${2:-10} end
    end=$(deadline_ms "$secs")
    while mw_screen_matches "$re"; do
        [ "$(now_ms)" -lt "$end" ] || fail "timed out after ${secs}s waiting for /$re/ to go"
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

mw_pane_is() { [ "$(tmux_fmt '#{pane_width}x#{pane_height}')" = "$1" ]; }

resize() {
    tm resize-window -t mw -x "$1" -y "$2" || fail "resize-window $1x$2 failed"
    poll 5 "pane size $1x$2" mw_pane_is "$1x$2"
}

# shellcheck disable=SC2120 # the timeout is optional
wait_exit() {
    poll "${1:-10}" "the program to exit" mw_tui_ended
    cat "$MW_TMP/tui.status"
}

# exits_0_ending PID WHAT: after WHAT (the keys just sent) the dashboard exits 0 and PID ends too.
exits_0_ending() {
    local st
    st=$(wait_exit 10)
    [ "$st" = 0 ] || fail "memwatch exited with status $st after $2"
    poll 5 "PID $1 to end with the dashboard after $2" eval "! pid_alive $1"
}

# screen_line REGEX [SECS]: the first line matching REGEX (grep -E), read from one capture. Waits
# for it (a first sample, or a frame still being drawn), and fails when it has not shown in time
# (unlike wait_for, it does not stop early when the program has ended).
screen_line() {
    local re=$1 secs=${2:-10} l end
    end=$(deadline_ms "$secs")
    until l=$(screen | grep -E -m1 -- "$re"); do
        [ "$(now_ms)" -lt "$end" ] || fail "no line matches /$re/ (waited ${secs}s)"
        sleep 0.1
    done
    printf '%s\n' "$l"
}

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
    to_mib "$1" "$2" || fail "cannot read a size from: $l"
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
    case $csv in */memwatch-"$1"-*.csv) ;; *) fail "export path $csv" ;; esac
    [ -f "$csv" ] || fail "no file $csv"
    if [ "$rows" -eq 0 ] || [ "$(($(wc -l <"$csv") - 1))" -ne "$rows" ]; then
        fail "$csv: $(($(wc -l <"$csv") - 1)) rows, the status line said $rows"
    fi
    awk -F, -v pid="$1" 'NR > 1 && $3 != pid { exit 1 }' "$csv" || fail "$csv: rows of another pid"
    awk -F, 'NR > 1 && ($4 == 0 || $5 == 0) { print "row " NR - 1 ": " $0; exit 1 }' "$csv" ||
        fail "$csv: a sample with RSS or VSZ 0"
    EXPORTED=$csv
}

# ---- the mw-alloc test child, driven through a FIFO --------------------------------------------

ALLOC_PID=""

alloc_start() {
    mkfifo "$MW_TMP/alloc.in" || fail "mkfifo failed"
    : >"$MW_TMP/alloc.out"
    "$MW_ALLOC" "$@" <"$MW_TMP/alloc.in" >"$MW_TMP/alloc.out" 2>"$MW_TMP/alloc.err" &
    ALLOC_PID=$!
    track_pid "$ALLOC_PID"
    exec 7>"$MW_TMP/alloc.in"
    MW_ALLOC_FD_OPEN=1
    alloc_cmd rss >/dev/null
}

mw_alloc_replies() { wc -l <"$MW_TMP/alloc.out"; }
mw_alloc_answered() { [ "$(mw_alloc_replies)" -gt "$1" ]; }

alloc_cmd() {
    local before reply
    before=$(mw_alloc_replies)
    printf '%s\n' "$1" >&7 || fail "mw-alloc is gone (command: $1)"
    poll 20 "mw-alloc to answer '$1'" mw_alloc_answered "$before"
    reply=$(sed -n "$((before + 1))p" "$MW_TMP/alloc.out")
    case $reply in
    ok*) printf '%s\n' "$reply" ;;
    *) fail "mw-alloc answered '$reply' to '$1'" ;;
    esac
}

# alloc_stop: close its stdin (EOF: it exits 0) and wait for it.
alloc_stop() {
    exec 7>&-
    MW_ALLOC_FD_OPEN=""
    wait "$ALLOC_PID" 2>/dev/null
}
