#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_bad_input.sh — every bad command line, replay file and terminal gives one clear stderr line and exit 2; --help/--version.
MW_E2E_PROBE_OPTIONAL=1 # option parsing needs no probe; the two PID checks below do
. "$(dirname "$0")/harness.sh"

# expect_usage_error DESC WORD... -- : after running a command into out/err with status $rc:
# status 2, nothing on stdout, exactly one line on stderr, containing every WORD (the bad value
# and what it was for).
expect_usage_error() {
    local desc=$1 w ok=1; shift
    [ "$rc" -eq 2 ] || { note "exit status $rc, want 2"; ok=0; }
    [ "$(wc -l < err)" -eq 1 ] || { note "stderr has $(wc -l < err) lines, want 1"; ok=0; }
    [ ! -s out ] || { note "unexpected stdout: $(head -c 200 out)"; ok=0; }
    for w in "$@"; do
        grep -qiF -- "$w" err || { note "stderr does not mention '$w'"; ok=0; }
    done
    [ $ok = 1 ] || note "stderr: $(head -c 300 err)"
    check "$desc" [ $ok = 1 ]
}
# bad 'WORD...' ARGS...: run memwatch ARGS (no terminal) and expect a usage error naming WORDs.
bad() {
    local words=$1; shift
    "$MEMWATCH" "$@" < /dev/null > out 2> err
    rc=$?
    # shellcheck disable=SC2086
    expect_usage_error "memwatch $*" $words
}

# A PID that does not exist: count down from pid_max until /proc has no such entry.
free_pid=$(($(cat /proc/sys/kernel/pid_max) - 1))
while [ -e "/proc/$free_pid" ]; do free_pid=$((free_pid - 1)); done

# ---- the table: the words each error must contain, then the arguments -------------------------------
bad "PID abc"            --no-tui abc
bad "PID -5"             --no-tui -5
bad "PID '0'"            --no-tui 0
if [ "${MW_PROBE:-}" != none ]; then # without a probe every PID is "not supported"
    bad "PID 99999999"       --no-tui 99999999
    bad "PID $free_pid"      --no-tui "$free_pid"
    # A kernel thread has no user memory: refused, never charted as 0 B (kthreadd is PID 2
    # outside a PID namespace).
    if [ "$(cat /proc/2/comm 2>/dev/null)" = kthreadd ]; then
        bad "PID 2 kernel thread" --no-tui -t 1s 2
        check "PID 2: 'PID 2 is a kernel thread: it has no user memory to watch'" \
            grep -qx "memwatch: PID 2 is a kernel thread: it has no user memory to watch" err
        bad "PID 2 kernel thread" -t 1s 2
    else
        note "no kthreadd at PID 2 here (a PID namespace?): the kernel-thread case is not run"
    fi
fi
bad "interval '0'"       --no-tui -i 0 $$
bad "interval '-1'"      --no-tui -i -1 $$
bad "interval '10x'"     --no-tui -i 10x $$
bad "interval '2h'"      --no-tui -i 2h $$
bad "interval '-1'"      --no-tui --interval=-1 $$
bad "history '0'"        --no-tui -H 0 $$
bad "history '99999999999999'" --no-tui -H 99999999999999 $$
bad "history '-5'"       --no-tui -H -5 $$
bad "alert '12Q'"        --no-tui --alert 12Q $$
bad "--color 'yes'"      --no-tui --color=yes $$
bad "--color ''"         --no-tui --color= $$
bad "--color 'Never'"    --no-tui --color Never $$
bad "duration '0'"       --no-tui -t 0 $$
bad "duration 'soon'"    --no-tui -t soon $$
bad "--bogus"            --bogus $$
bad "-x"                 -x $$
bad "--interval"         --no-tui $$ --interval
bad "--"                 --no-tui --
bad "command"            --no-tui
bad "no-such-command-$$" --no-tui -- "no-such-command-$$" arg
check "a command that never ran leaves no log file" eval '! ls memwatch-*.log >/dev/null 2>&1'
bad "/nonexistent/dir/prog" --no-tui -- /nonexistent/dir/prog

# ---- --replay on bad files: replay needs a terminal, so these run under a pty ----------------------
printf '%s\n' "$CSV_HEADER" > header-only.csv
: > empty.csv
mkdir adir
# Binary: a fixed ELF-like prefix with NUL bytes (deterministic, unlike /dev/urandom).
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\003\000>\000' > binary.csv
cp "$MEMWATCH" binary2.csv
printf 'time,rss,vsz\n1,2,3\n' > wrongcols.csv
{ printf '%s\n' "$CSV_HEADER"; head -c 1048576 /dev/zero | tr '\0' 7; echo; } > longline.csv
{ head -c 1048576 /dev/zero | tr '\0' a; echo; } > longheader.csv
replay_bad() { # replay_bad FILE WORD...
    local f=$1; shift
    in_pty "'$MEMWATCH' --replay '$f' 2> err" > pty.out
    rc=$?
    : > out # the pty's output is the terminal's, not stdout proper: nothing to compare
    expect_usage_error "--replay $f" "$f" "$@"
}
replay_bad missing.csv
replay_bad adir "directory"
replay_bad empty.csv "empty"
replay_bad binary.csv
replay_bad binary2.csv
replay_bad wrongcols.csv "wrongcols.csv:1:"
replay_bad longline.csv "longline.csv:2:" "too long"
replay_bad longheader.csv "longheader.csv:1:"
# Replay takes no recording options.
bad "--replay" --replay header-only.csv -o x.csv

# ---- no usable terminal for the dashboard ------------------------------------------------------
# Opening a valid capture needs a terminal too and no memory probe, so this also runs in the
# --with-probe=none build (where watching a PID would first say "not supported").
{ echo "$CSV_HEADER"
  echo "2026-11-25T18:40:01.123Z,0.000,4242,10489856,19431424,851968,9637888,851968,0,0,10489856,1,0,,0,,,,,,,,,,,,,,"
} > good.csv
"$MEMWATCH" --replay good.csv < /dev/null > out 2> err; rc=$?
expect_usage_error "no terminal at all: suggests --no-tui" "terminal" "--no-tui"
if [ "${MW_PROBE:-}" != none ]; then # watching a PID with no terminal says the same
    "$MEMWATCH" $$ < /dev/null > out 2> err; rc=$?
    expect_usage_error "watching a PID with no terminal: suggests --no-tui" "terminal" "--no-tui"
fi
in_pty "'$MEMWATCH' --replay good.csv > out 2> err" > pty.out; rc=$?
expect_usage_error "stdout not a terminal: suggests --no-tui" "stdout" "--no-tui"
in_pty "TERM=dumb '$MEMWATCH' --replay good.csv 2> err" > pty.out; rc=$?; : > out
expect_usage_error "TERM=dumb: clear error" "TERM=dumb" "--no-tui"
in_pty "TERM=no-such-term-$$ '$MEMWATCH' --replay good.csv 2> err" > pty.out; rc=$?; : > out
expect_usage_error "unknown TERM: clear error" "no-such-term-$$" "--no-tui"
in_pty "TERM= '$MEMWATCH' --replay good.csv 2> err" > pty.out; rc=$?; : > out
expect_usage_error "empty TERM: clear error" "TERM" "--no-tui"

# ---- --help and --version ----------------------------------------------------------------------
for h in --help -h; do
    "$MEMWATCH" $h > out 2> err; rc=$?
    check "$h exits 0, prints usage on stdout only" eval '[ $rc -eq 0 ] && grep -q "^Usage: memwatch" out && [ ! -s err ]'
    widest=$(awk '{ if (length($0) > w) w = length($0) } END { print w + 0 }' out)
    check "$h fits in 80 columns (widest line: $widest)" [ "$widest" -le 80 ]
    check "$h has no tab characters (they break the 80-column count)" eval '! grep -q "	" out'
done
want=$(sed -n 's/^AC_INIT(\[memwatch\], *\[\([^]]*\)\].*/\1/p' "$MW_SRCDIR/configure.ac")
for v in --version -V; do
    "$MEMWATCH" $v > out 2> err; rc=$?
    check "$v prints 'memwatch $want' (configure.ac) and exits 0" \
        eval '[ $rc -eq 0 ] && [ -n "$want" ] && grep -q "^memwatch $want\b" out && [ ! -s err ]'
done
# Messages name the option; an empty file name is said as such, not as a system error.
bad "--format xml"                --no-tui --format xml -o x.csv 1
bad "-o: empty"                   --no-tui -o '' 1
bad "--summary-json: empty"       --no-tui --summary-json '' 1
bad "--prom-textfile: empty"      --no-tui --prom-textfile '' 1
bad "--log: empty"                --no-tui --log '' -- true
# --mark's getopt abbreviations are --mark: a PID nobody watches, not "takes no other options".
for spelling in "--ma 1 x" "--ma=1 x" "--mar 1"; do
    # shellcheck disable=SC2086
    "$MEMWATCH" $spelling < /dev/null > out 2> err
    rc=$?
    check "memwatch $spelling: taken as --mark (exit $rc: $(head -c 120 err))" \
        eval '[ "$rc" = 1 ] && grep -q "no memwatch of yours is watching PID 1" err'
done
bad "--mark takes no other" --ma 1 -i 1s
finish
