#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# platform_none.sh — a build without a memory probe (--with-probe=none) refuses cleanly: exit 1, one line naming the OS.
# Skips (77) in a build with a real probe. Run by make check (MW_PROBE, MEMWATCH set there).
set -u
: "${MEMWATCH:=$PWD/memwatch}"
if [ "${MW_PROBE:-}" != none ]; then
    echo "SKIP: this build has the '${MW_PROBE:-unknown}' probe (this checks --with-probe=none)"
    exit 77
fi
[ -x "$MEMWATCH" ] || { echo "ERROR: $MEMWATCH not built" >&2; exit 99; }
T=$(mktemp -d "${TMPDIR:-/tmp}/mw-platform.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 99
FAILS=0
OS=$(uname -s)

# refuses DESC CMD...: CMD exits 1 within 20 s, prints nothing on stdout and one line on stderr
# saying sampling is not supported and naming this OS (as uname -s does, any case).
refuses() {
    local what=$1; shift
    local st=0
    timeout 20 "$@" >out 2>err </dev/null || st=$?
    local msg; msg=$(cat err)
    if [ "$st" -eq 1 ] && [ ! -s out ] && [ "$(wc -l <err)" -eq 1 ] &&
        grep -q 'not supported' err && grep -qi -- "$OS" err; then
        echo "ok   - $what: $msg"
    else
        echo "FAIL - $what: exit $st (want 1), stderr: $msg" >&2
        [ -s out ] && echo "#      stdout: $(head -c 300 out)" >&2
        FAILS=$((FAILS + 1))
    fi
}

refuses "PID mode (--no-tui)" "$MEMWATCH" --no-tui $$
refuses "PID mode, with children (--no-tui -c)" "$MEMWATCH" --no-tui -c $$
refuses "demo (--no-tui)" "$MEMWATCH" --no-tui --demo

# Launch mode: memwatch starts the command, cannot watch it, and must not leave it behind.
refuses "launch (--no-tui)" "$MEMWATCH" --no-tui -- sh -c 'echo $$ >cmd.pid; exec sleep 30'
if [ -s cmd.pid ]; then
    pid=$(cat cmd.pid)
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        echo "FAIL - launch: the command (PID $pid) was left running" >&2
        kill -9 "$pid" 2>/dev/null
        FAILS=$((FAILS + 1))
    else
        echo "ok   - launch: the command is gone"
    fi
fi

# The dashboard modes, on a terminal (script(1) gives one): the same one line, before curses.
if command -v script >/dev/null 2>&1; then
    for args in "$$" "--demo" "-- sleep 5"; do
        st=0
        TERM=xterm-256color timeout 20 script -qec "'$MEMWATCH' $args" /dev/null >tty.out 2>&1 </dev/null || st=$?
        if [ "$st" -eq 1 ] && grep -q 'not supported' tty.out && grep -qi -- "$OS" tty.out; then
            echo "ok   - dashboard 'memwatch $args' on a terminal: exit 1 naming $OS"
        else
            echo "FAIL - dashboard 'memwatch $args' on a terminal: exit $st, output: $(tr -d '\r' <tty.out | head -c 300)" >&2
            FAILS=$((FAILS + 1))
        fi
    done
else
    echo "#      no script(1): the terminal checks were not run"
fi

# --new-cgroup: cgroups are Linux's; a usage error (2) before anything is launched.
st=0
"$MEMWATCH" --no-tui --new-cgroup -- touch ran >out 2>err </dev/null || st=$?
if [ "$st" -eq 2 ] && [ "$(wc -l <err)" -eq 1 ] && grep -q -- '--new-cgroup: cgroups are Linux-only' err && [ ! -e ran ]; then
    echo "ok   - --new-cgroup: exit 2, one line: $(cat err)"
else
    echo "FAIL - --new-cgroup: exit $st (want 2), stderr: $(cat err)" >&2
    FAILS=$((FAILS + 1))
fi

# What needs no probe still works.
if "$MEMWATCH" --version >/dev/null; then
    echo "ok   - --version"
else
    echo "FAIL - --version" >&2
    FAILS=$((FAILS + 1))
fi

[ "$FAILS" -eq 0 ] || { echo "platform_none: $FAILS failure(s)" >&2; exit 1; }
exit 0
