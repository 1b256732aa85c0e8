#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_names.sh — a process that names itself with escape sequences: summary, -v, zombie message and dashboard show them escaped.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

# Any process may set its own argv[0] (exec -a) and its name (prctl PR_SET_NAME) to bytes a
# terminal obeys: ESC ] 0 ; ... BEL sets the window title, U+009B (CSI) starts a sequence in a
# UTF-8 terminal. memwatch prints them as \e, \x07 and \u009b (units.h, mw__safe_text).
PY=/usr/bin/python3
[ -x "$PY" ] || skip "no $PY (apt-get install python3): CPython sets its own name here"
ARGV0=$(printf '\033]2;argv\007\302\233A')
cat >hostile.py <<'PYEOF'
import ctypes, os, sys, time
libc = ctypes.CDLL(None)
name = b"\x1b]0;pwned\x07\xc2\x9bx"          # 13 bytes: fits the kernel's 15
if sys.argv[2] == "zombie":                   # a child that renames itself and exits unreaped
    pid = os.fork()
    if pid == 0:
        libc.prctl(15, name, 0, 0, 0)
        os._exit(0)
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(pid))
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
else:                                         # rename when the file appears
    end = time.time() + 60
    while not os.path.exists(sys.argv[1]) and time.time() < end:
        time.sleep(0.01)
    libc.prctl(15, name, 0, 0, 0)
time.sleep(60)
PYEOF
ESCAPED_ARGV='\e]2;argv\x07\u009bA'
ESCAPED_NAME='\e]0;pwned\x07\u009bx'

# No byte a terminal would obey: no ESC, BEL, or C1 control (UTF-8 C2 80..C2 9F).
raw_free() {
    local f
    for f in "$@"; do
        if LC_ALL=C grep -qaP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$f"; then
            note "$f holds control bytes: $(LC_ALL=C od -c "$f" | grep -E '033|302|\\a' | head -3)"
            return 1
        fi
    done
}

# 1. Headless with -v: the command line (argv[0]) in the summary, the new name in its state line.
bash -c 'exec -a "$1" "$2" hostile.py go rename' sh "$ARGV0" "$PY" &
P=$!
track "$P"
# bash's own command line names hostile.py too: wait for the exec (comm is no longer bash's).
wait_until 10 eval "LC_ALL=C grep -qa hostile.py /proc/$P/cmdline && ! grep -qx bash /proc/$P/comm" ||
    die "the hostile process did not start"
"$MEMWATCH" --no-tui -v -i 50ms -t 3s -o rec.csv "$P" >sum.txt 2>err.txt &
M=$!
track "$M"
wait_until 10 has_rows 2 rec.csv || die "memwatch recorded nothing"
touch go
wait_until 10 eval "LC_ALL=C grep -qa pwned /proc/$P/comm" || die "the process did not rename itself"
wait "$M"
rc=$?
check "headless: exit 0" test "$rc" -eq 0
check "headless: no control byte in the summary or the -v log" raw_free sum.txt err.txt
check "headless: the command line shows escaped ($ESCAPED_ARGV)" grep -qF "($ESCAPED_ARGV hostile.py go rename)" sum.txt
check "headless: the new name shows escaped (exec'd $ESCAPED_NAME)" \
    grep -qF "exec'd $ESCAPED_NAME" sum.txt
check "headless -v: the log has its per-sample lines" grep -q "^memwatch: pid $P rss" err.txt
[ "$MW_FAILS" -eq 0 ] || note "summary: $(cat -v sum.txt)"

# 2. A zombie that renamed itself before it died: the "already exited" message.
"$PY" hostile.py zpid zombie &
ZP=$!
track "$ZP"
wait_until 10 test -s zpid || die "no zombie child"
Z=$(cat zpid)
is_zombie() { [ "$(sed 's/.*) //' "/proc/$Z/stat" 2>/dev/null | cut -c1)" = Z ]; }
wait_until 10 is_zombie || die "PID $Z did not become a zombie"
"$MEMWATCH" --no-tui "$Z" >zout.txt 2>zerr.txt
rc=$?
check "zombie: exit 2, it says zombie" eval '[ $rc -eq 2 ] && grep -q zombie zerr.txt'
check "zombie: no control byte in the message" raw_free zout.txt zerr.txt
check "zombie: the name shows escaped" grep -qF "PID $Z ($ESCAPED_NAME)" zerr.txt
[ "$MW_FAILS" -eq 0 ] || note "zombie message: $(cat -v zerr.txt)"

# 3. The dashboard: the header shows both escaped; what reaches the terminal (every byte the
#    pane received, through pipe-pane) holds neither sequence, and the window title is untouched.
bash -c 'exec -a "$1" "$2" hostile.py go2 rename' sh "$ARGV0" "$PY" &
P2=$!
track "$P2"
wait_until 10 eval "LC_ALL=C grep -qa hostile.py /proc/$P2/cmdline && ! grep -qx bash /proc/$P2/comm" ||
    die "the hostile process did not start"
start_tui "$MEMWATCH" -i 100ms "$P2"
wait_for "^PID $P2 "
tm pipe-pane -o -t mw "cat >>'$MW_TMP/pane.raw'"
send C-l # repaint everything, now that pipe-pane sees it
touch go2
shows() { screen | grep -qF -- "$1"; }
check "dashboard: the command line shows escaped" wait_until 10 shows "PID $P2  $ESCAPED_ARGV hostile.py"
check "dashboard: the new name shows escaped" wait_until 10 shows "exec'd $ESCAPED_NAME"
send C-l
wait_until 5 eval "LC_ALL=C grep -qa 'exec.d' '$MW_TMP/pane.raw'" || note "pipe-pane saw no repaint"
check "dashboard: no escape sequence from the names reached the terminal" \
    eval "! LC_ALL=C grep -qaP '\x1b\]0;pwned|\x1b\]2;argv|\xc2[\x80-\x9f]' '$MW_TMP/pane.raw'"
check "dashboard: the window title was not set" eval '! tmux_fmt "#{pane_title}" | grep -qE "pwned|argv"'
[ "$MW_FAILS" -eq 0 ] || note "screen: $(screen | head -3)"
st=$(dashboard_quit)
check "dashboard: q quits with status 0" test "$st" = 0
finish
