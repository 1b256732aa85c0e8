#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_marks_remote.sh — marks from outside a headless run (--mark by the watched PID or memwatch's, SIGUSR1): in the -o file, said on stderr with where it went; the socket's safety, refusals and stale entries.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip "no $PY (apt-get install python3; the CSV is read with Python's csv module)"
# A private runtime directory: the user's real one is never touched.
export XDG_RUNTIME_DIR=$MW_TMP/xdg
mkdir -m 700 "$XDG_RUNTIME_DIR"
DIR=$XDG_RUNTIME_DIR/memwatch
# A raw client (python3 -c "$SAY" SOCKET [LINE]): sends LINE (\x00 escapes allowed) if given,
# prints the reply as bytes.
SAY='
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(sys.argv[1])
try: # a refusal may come, and the socket close, before the line is sent
    s.sendall(sys.argv[2].encode().decode("unicode_escape").encode("latin-1") + b"\n") \
        if len(sys.argv) > 2 else None
except OSError:
    pass
print(repr(s.recv(200)))'

# ---- a launched mw-alloc, driven through a FIFO on its stdin (headless, it keeps memwatch's) ----
mkfifo in
"$MEMWATCH" --no-tui -o rec.csv -i 50ms -- "$MW_ALLOC" --ready-file ready <in >sum.txt 2>err.txt &
MW=$!
track "$MW"
exec {IN}>in
wait_until 10 test -s ready || die "mw-alloc did not start under memwatch"
T=$(cat ready)
replies() { grep -c '^ok' sum.txt; }
cmd() { # one mw-alloc command, waiting for its reply
    local before
    before=$(replies)
    echo "$1" >&"$IN"
    wait_until 10 eval '[ "$(replies)" -gt "$before" ]' || die "mw-alloc did not answer '$1'"
}
poll 10 "memwatch's socket $DIR/mw-$MW.sock" test -S "$DIR/mw-$MW.sock"
check "the directory is 0700" test "$(stat -c %a "$DIR")" = 700
check "the socket is mode 0600" test "$(stat -c %a "$DIR/mw-$MW.sock")" = 600
check "the target's entry names both PIDs" test -L "$DIR/target-$T-$MW"
wait_until 10 has_rows 2 rec.csv || die "no samples in rec.csv"

cmd "brk 4"
out=$("$MEMWATCH" --mark "$T" "step 1" 2>&1)
st=$?
check "--mark by the watched PID: exit 0 (got $st)" test "$st" = 0
check "--mark says where it went: $out" test "$out" = \
    "memwatch: mark 'step 1' added (memwatch PID $MW watching PID $T)"
poll 10 "stderr: the mark's line" grep -q "^memwatch: mark 'step 1' at 00:00:" err.txt
poll 10 "stderr: where it went since start" grep -q '^memwatch: where it went since start: ' err.txt

cmd "brk 8" # 8 MiB more heap between the two marks: the second's diff must show it
out=$("$MEMWATCH" --mark "$MW" 2>&1)
check "--mark by memwatch's own PID, unlabelled: numbered M2 ($out)" test "$out" = \
    "memwatch: mark 'M2' added (memwatch PID $MW watching PID $T)"
poll 10 "stderr: where it went since mark 'step 1'" \
    grep -q "^memwatch: where it went since mark 'step 1': all mappings +8.0 MiB; \[heap\] +8.0 MiB" err.txt

kill -USR1 "$MW"
poll 10 "stderr: SIGUSR1's mark M3" grep -q "^memwatch: mark 'M3' at 00:00:" err.txt
poll 10 "stderr: where it went since mark 'M2'" grep -q "^memwatch: where it went since mark 'M2': " err.txt
check "memwatch is still running after SIGUSR1" alive "$MW"

# ---- refusals: the client's own (exit 2), nobody watching (exit 1) ------------------------------
"$MEMWATCH" --mark $$ "x" >o.txt 2>e.txt
st=$?
check "--mark an unwatched PID: exit 1 (got $st)" test "$st" = 1
check "... with one line: $(cat e.txt)" test "$(cat e.txt)" = \
    "memwatch: no memwatch of yours is watching PID $$"
# Each refusal names its own reason.
for bad in "$(printf 'a\tb')|it has control characters" "$(printf '%048d' 0)|it is longer than a mark holds (at most 47 bytes)"; do
    "$MEMWATCH" --mark "$T" "${bad%%|*}" >o.txt 2>e.txt
    st=$?
    check "bad label: exit 2 (got $st), one line naming '${bad#*|}': $(cat e.txt)" \
        eval '[ "$st" = 2 ] && [ "$(wc -l <e.txt)" = 1 ] && [ ! -s o.txt ] &&
              grep -qF -- "--mark: label refused: ${bad#*|}" e.txt'
done
for args in "--mark 12x x" "--mark $T two words" "-i 1s --mark $T x"; do
    # shellcheck disable=SC2086 # the words are the point
    "$MEMWATCH" $args >o.txt 2>e.txt
    st=$?
    check "memwatch $args: exit 2 (got $st): $(cat e.txt)" test "$st" = 2 -a "$(wc -l <e.txt)" = 1
done
"$MEMWATCH" --mark "$T" -- "-dash" >o.txt 2>e.txt
check "a label like an option, after --: $(cat o.txt)" grep -q "mark '-dash' added" o.txt

# ---- another user: refused --------------------------------------------------------------------
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
    as_nobody() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"; }
    # Its own client: the directory is not nobody's, so it is not used at all. (setpriv execs
    # memwatch itself, as every test here does: a build tree under a 0700 directory, a fresh
    # clone in mktemp -d, stays runnable; `env` in between would need the search permission.)
    XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR" as_nobody "$MEMWATCH" --mark "$T" intruder >o.txt 2>e.txt
    st=$?
    check "nobody's --mark: exit 1 (got $st): $(cat e.txt)" test "$st" = 1
    # Past the directory and the socket's mode (opened here on purpose), the peer check is what
    # stands: memwatch answers and marks nothing.
    chmod 711 "$MW_TMP" "$XDG_RUNTIME_DIR" "$DIR"
    chmod 666 "$DIR/mw-$MW.sock"
    got=$(as_nobody "$PY" -c "$SAY" "$DIR/mw-$MW.sock" "mark intruder" 2>&1)
    chmod 700 "$MW_TMP" "$XDG_RUNTIME_DIR" "$DIR"
    chmod 600 "$DIR/mw-$MW.sock"
    check "another user's connection: $got" test "$got" = "b'refused: not your memwatch\\n'"
else
    note "not root (or no setpriv/nobody): another user's refusal is not tested here"
fi

# ---- the end: the last line counts from the last mark; the socket goes with memwatch ----------
kill -INT "$MW"
wait_until 20 eval '! alive "$MW"' || die "memwatch did not end on SIGINT"
wait "$MW"
st=$?
exec {IN}>&-
check "SIGINT ends memwatch: status 130 (got $st)" test "$st" = 130
check "the summary's where it went counts from the last mark" \
    grep -q "^  where it went since mark '-dash': " sum.txt
check "the socket is gone" test ! -e "$DIR/mw-$MW.sock"
check "the target's entry is gone" test ! -e "$DIR/target-$T-$MW"
got=$(marks rec.csv | tr '\n' '/')
check "rec.csv: step 1, M2, M3, -dash and nothing else ($got)" test "$got" = "step 1/M2/M3/-dash/"

# ---- a memwatch killed with -9 leaves entries: the client and the next run clean them ---------
alloc_start s || die "mw-alloc did not start"
# watch_bg NAME: a headless run on mw-alloc recording to NAME.csv (stderr NAME.err); its PID in
# BG once its socket is there. killed_bg NAME: the same, then killed with -9.
watch_bg() {
    "$MEMWATCH" --no-tui -i 50ms -o "$1.csv" "$ALLOC_PID" >/dev/null 2>"$1.err" &
    BG=$!
    track "$BG"
    poll 10 "the socket of run $1" test -S "$DIR/mw-$BG.sock"
}
killed_bg() {
    watch_bg "$1"
    kill -9 "$BG"
    wait "$BG" 2>/dev/null
}
killed_bg s1
check "after kill -9 the socket is left behind" test -S "$DIR/mw-$BG.sock"
"$MEMWATCH" --mark "$ALLOC_PID" x >o.txt 2>e.txt
st=$?
check "--mark to a dead run: exit 1, no memwatch ($(cat e.txt))" test "$st" = 1 -a \
    "$(cat e.txt)" = "memwatch: no memwatch of yours is watching PID $ALLOC_PID"
check "the client removed the stale socket" test ! -e "$DIR/mw-$BG.sock"
check "... and its target entry" test ! -e "$DIR/target-$ALLOC_PID-$BG"
killed_bg s2
M2=$BG
watch_bg s3
M3=$BG
check "the next run removed the stale socket of the one killed" test ! -e "$DIR/mw-$M2.sock"
wait_until 10 has_rows 2 s3.csv || die "no samples in s3.csv"
# A client that connects and says nothing is dropped; sampling goes on WHILE it is connected
# (rows of -o grow before its answer, the close, comes).
t0=$(now_ms)
"$PY" -c "$SAY" "$DIR/mw-$M3.sock" >silent.out 2>&1 &
silent=$!
wait_until 10 eval '[ -n "$(ls -l /proc/$silent/fd 2>/dev/null | grep socket)" ] || [ -s silent.out ]'
rows0=$(rows s3.csv)
check "sampling goes on while the silent client is connected (rows $rows0 -> more, no reply yet)" \
    eval 'wait_until 10 eval "[ \"\$(rows s3.csv)\" -gt $((rows0 + 2)) ] || [ -s silent.out ]" &&
          [ ! -s silent.out ]'
wait "$silent"
took=$(($(now_ms) - t0))
check "a silent client is dropped (got $(cat silent.out) after $took ms, under 5000)" \
    test "$(cat silent.out)" = "b''" -a "$took" -lt 5000
# Two runs watch the same process: each gets the mark, and says so.
watch_bg s4
M4=$BG
out=$("$MEMWATCH" --mark "$ALLOC_PID" "after the stale" 2>&1)
st=$?
check "--mark reaches both runs: exit 0 (got $st)" test "$st" = 0
check "... one line from the new run" grep -qx \
    "memwatch: mark 'after the stale' added (memwatch PID $M3 watching PID $ALLOC_PID)" <<<"$out"
check "... one line from the other" grep -qx \
    "memwatch: mark 'after the stale' added (memwatch PID $M4 watching PID $ALLOC_PID)" <<<"$out"
# Requests no client of ours sends: a NUL in the label is refused, not cut short; a line too long.
got=$("$PY" -c "$SAY" "$DIR/mw-$M3.sock" 'mark a\x00b' 2>&1)
check "a NUL in the label: $got" test "$got" = \
    "b'no $M3 $ALLOC_PID label refused: it has control characters (a label is one line of text)\\n'"
got=$("$PY" -c "$SAY" "$DIR/mw-$M3.sock" "mark $(printf '%070d' 0)" 2>&1)
check "a request past 64 bytes: $got" test "$got" = "b'refused: request too long\\n'"
kill -TERM "$M3" "$M4"
wait "$M3" "$M4"
check "the new run's file has the mark, and no other" test "$(marks s3.csv)" = "after the stale"
check "the other run's file has it too" test "$(marks s4.csv)" = "after the stale"
check "the new run warned of nothing (its stale neighbour is no concern)" \
    eval '! grep -v "^memwatch: mark \|^memwatch: where it went" s3.err'

# ---- a socket that refuses while its PID lives is not proven stale: left alone -----------------
# (What a memwatch between bind and listen looked like; now it is a PID reused or a half-started
# run.) Python binds without listening, under its own PID, with a target entry.
"$PY" -c 'import os, socket, sys, time
d, t, me = sys.argv[1], sys.argv[2], os.getpid()
socket.socket(socket.AF_UNIX).bind(f"{d}/mw-{me}.sock")
os.symlink(f"mw-{me}.sock", f"{d}/target-{t}-{me}")
print(me, flush=True)
time.sleep(600)' "$DIR" "$ALLOC_PID" >half.out 2>&1 &
HALF=$!
track "$HALF"
wait_until 10 test -s half.out || fail "the half-started socket did not appear: $(cat half.out)"
"$MEMWATCH" --mark "$ALLOC_PID" x >o.txt 2>e.txt
st=$?
check "--mark to a refusing socket whose PID lives: exit 1 ($(cat e.txt))" test "$st" = 1
check "... its socket and entry are left alone" \
    eval '[ -S "$DIR/mw-$HALF.sock" ] && [ -L "$DIR/target-$ALLOC_PID-$HALF" ]'
watch_bg s5
kill -TERM "$BG"
wait "$BG"
check "... a starting memwatch's sweep leaves them too" test -S "$DIR/mw-$HALF.sock"
kill "$HALF"
wait "$HALF" 2>/dev/null
"$MEMWATCH" --mark "$ALLOC_PID" x >o.txt 2>e.txt
check "once that PID is gone, --mark removes them" \
    eval '[ ! -e "$DIR/mw-$HALF.sock" ] && [ ! -e "$DIR/target-$ALLOC_PID-$HALF" ]'

# ---- memwatches started at the same instant: neither's sweep takes the other's socket -------------
# Bound under a temporary name, listening, then renamed: a socket at its real name always accepts.
for round in 1 2 3; do
    "$MEMWATCH" --no-tui -i 50ms "$ALLOC_PID" >/dev/null 2>"r$round-a.err" & A=$!
    "$MEMWATCH" --no-tui -i 50ms "$ALLOC_PID" >/dev/null 2>"r$round-b.err" & B=$!
    track "$A" "$B"
    wait_until 10 eval '[ -S "$DIR/mw-$A.sock" ] && [ -S "$DIR/mw-$B.sock" ] &&
                        [ -L "$DIR/target-$ALLOC_PID-$A" ] && [ -L "$DIR/target-$ALLOC_PID-$B" ]' ||
        fail "round $round: both sockets and entries should be there: $(ls "$DIR")"
    # A mark needs a first sample: each is marked by its own PID until it takes one.
    wait_until 10 "$MEMWATCH" --mark "$A" "first $round" >/dev/null 2>&1 || fail "round $round: $A never marked"
    wait_until 10 "$MEMWATCH" --mark "$B" "first $round" >/dev/null 2>&1 || fail "round $round: $B never marked"
    out=$("$MEMWATCH" --mark "$ALLOC_PID" "both $round" 2>&1)
    check "round $round: two memwatches started together both get --mark ($(tr "\n" " " <<<"$out"))" \
        eval 'grep -qx "memwatch: mark '\''both $round'\'' added (memwatch PID $A watching PID $ALLOC_PID)" <<<"$out" &&
              grep -qx "memwatch: mark '\''both $round'\'' added (memwatch PID $B watching PID $ALLOC_PID)" <<<"$out"'
    kill -TERM "$A" "$B"
    wait "$A" "$B"
done

# ---- a memwatch started without XDG_RUNTIME_DIR is in /tmp: --mark finds it from a login shell ----
env -u XDG_RUNTIME_DIR "$MEMWATCH" --no-tui -i 50ms "$ALLOC_PID" >/dev/null 2>tmp.err &
TM=$!
track "$TM"
TMPDIR_MW=/tmp/memwatch-$(id -u)
poll 10 "the socket of the run without XDG_RUNTIME_DIR in $TMPDIR_MW" test -S "$TMPDIR_MW/mw-$TM.sock"
check "... and not in \$XDG_RUNTIME_DIR" test ! -e "$DIR/mw-$TM.sock"
wait_until 10 "$MEMWATCH" --mark "$TM" warm >/dev/null 2>&1 || fail "the run in /tmp never marked"
out=$("$MEMWATCH" --mark "$ALLOC_PID" "from xdg" 2>&1)
st=$?
check "--mark with XDG_RUNTIME_DIR set reaches the run in /tmp: exit 0 (got $st): $out" \
    eval '[ $st = 0 ] && grep -qx "memwatch: mark '\''from xdg'\'' added (memwatch PID $TM watching PID $ALLOC_PID)" <<<"$out"'
check "... once, though it is looked for in both directories" \
    test "$(grep -c "memwatch PID $TM " <<<"$out")" = 1
kill -TERM "$TM"
wait "$TM"
check "its socket in /tmp is gone with it" test ! -e "$TMPDIR_MW/mw-$TM.sock"

# ---- an unsafe directory: no socket, one warning, nothing followed --------------------------------
mkdir -m 700 "$MW_TMP/xdg2" "$MW_TMP/elsewhere"
ln -s "$MW_TMP/elsewhere" "$MW_TMP/xdg2/memwatch"
XDG_RUNTIME_DIR=$MW_TMP/xdg2 "$MEMWATCH" --no-tui -i 50ms -t 300ms "$ALLOC_PID" >/dev/null 2>w.err
st=$?
check "a planted link: the run goes on, exit 0 (got $st)" test "$st" = 0
check "one warning: $(cat w.err)" test "$(grep -c 'no control socket' w.err)" = 1
check "... naming the directory" grep -q "xdg2/memwatch is not a directory of yours with mode 0700" w.err
check "nothing was created through the link" test -z "$(ls "$MW_TMP/elsewhere")"
alloc_stop s
finish
