#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_log.sh — where a launched command's output goes: memwatch's own stdout/stderr headless, a new file never written through a link or over another.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

no_default_log() { ! ls memwatch-*.log > /dev/null 2>&1; }
# one_line_exit2 WORD...: status $rc is 2, stderr (err.txt) is one line naming every WORD.
one_line_exit2() {
    local w
    [ "$rc" -eq 2 ] && [ "$(wc -l < err.txt)" -eq 1 ] || return 1
    for w in "$@"; do grep -qiF -- "$w" err.txt || return 1; done
}
talk='echo to-stdout; echo to-stderr >&2; sleep 0.3'

# ---- headless: the command keeps memwatch's stdout and stderr, as under time(1) ----------------
mkdir h && cd h || exit 99
"$MEMWATCH" --no-tui -i 20ms -- sh -c "$talk" < /dev/null > out.txt 2> err.txt
rc=$?
check "headless: the command's stdout is memwatch's stdout" grep -qx to-stdout out.txt
check "headless: the command's stderr is memwatch's stderr" grep -qx to-stderr err.txt
check "headless: no memwatch-*.log is created, the summary names no log" \
    eval 'no_default_log && ! grep -q "^  log " out.txt && [ $rc -eq 0 ]'
"$MEMWATCH" --no-tui -i 20ms --log - -- sh -c "$talk" < /dev/null > out.txt 2> err.txt
rc=$?
check "--log - headless: output on memwatch's stdout/stderr, no file named '-'" \
    eval '[ $rc -eq 0 ] && grep -qx to-stdout out.txt && grep -qx to-stderr err.txt && [ ! -e - ] && no_default_log'
cd "$MW_TMP" || exit 99

# ---- --log - with the dashboard: refused in one line, before the terminal is touched ----------
"$MEMWATCH" --log - -- true < /dev/null > out.txt 2> err.txt
rc=$?
check "--log - with the dashboard: exit 2, one line" eval 'one_line_exit2 "--log -" && [ ! -s out.txt ]'

# ---- --log FILE: created new, never through a link, never over a file -------------------------
"$MEMWATCH" --no-tui -i 20ms --log new.log -- sh -c "$talk" < /dev/null > out.txt 2> err.txt
rc=$?
check "--log new.log: the command's output is in it, not on memwatch's" \
    eval '[ $rc -eq 0 ] && grep -qx to-stdout new.log && grep -qx to-stderr new.log && ! grep -q "^to-" out.txt err.txt'
check "--log new.log: created private or world-readable, never group/world-writable" \
    eval '[ "$(stat -c %a new.log)" = 600 ] || [ "$(stat -c %a new.log)" = 644 ]'

echo "precious" > precious
ln -s precious planted.log
"$MEMWATCH" --no-tui --log planted.log -- echo overwritten < /dev/null > out.txt 2> err.txt
rc=$?
check "--log at a planted symlink: exit 2, one line naming it as a link" \
    one_line_exit2 planted.log "link"
check "--log at a planted symlink: the file it points to is untouched" \
    eval '[ "$(cat precious)" = precious ] && [ -L planted.log ]'
ln -s nowhere.txt dangling.log
"$MEMWATCH" --no-tui --log dangling.log -- echo created < /dev/null > out.txt 2> err.txt
rc=$?
check "--log at a dangling symlink: exit 2, nothing created where it points" \
    eval 'one_line_exit2 dangling.log link && [ ! -e nowhere.txt ]'

echo "old output" > existing.log
"$MEMWATCH" --no-tui --log existing.log -- echo new < /dev/null > out.txt 2> err.txt
rc=$?
check "--log at an existing file: exit 2, one line naming it and saying how to proceed" \
    one_line_exit2 existing.log exists "--log"
check "--log at an existing file: neither truncated nor appended to" \
    eval '[ "$(cat existing.log)" = "old output" ]'

mkfifo fifo.log
timeout 10 "$MEMWATCH" --no-tui --log fifo.log -- echo x < /dev/null > out.txt 2> err.txt
rc=$?
check "--log at a FIFO: refused at once (no hang), naming the kind" one_line_exit2 fifo.log FIFO
mkdir dir.log
"$MEMWATCH" --no-tui --log dir.log -- echo x < /dev/null > out.txt 2> err.txt
rc=$?
check "--log at a directory: exit 2, naming the kind" one_line_exit2 dir.log directory
"$MEMWATCH" --no-tui --log /dev/null -- echo x < /dev/null > out.txt 2> err.txt
rc=$?
check "--log at a device: exit 2, naming the kind" one_line_exit2 /dev/null device

# ---- a command that cannot run leaves no log -----------------------------------------------------
"$MEMWATCH" --no-tui --log never.log -- "$MW_TMP/no-such-command" < /dev/null > out.txt 2> err.txt
rc=$?
check "a command that cannot run: exit 2, one line, and --log's file is not left behind" \
    eval 'one_line_exit2 no-such-command && [ ! -e never.log ]'

# ---- the dashboard: a default log, shown in the header, removed when empty -----------------------
mkdir d && cd d || exit 99
start_tui "$MEMWATCH" -i 50ms -- "$MW_TMP/no-such-command"
wait_exit > /dev/null
check "dashboard, a command that cannot run: no memwatch-*.log left" no_default_log
cd "$MW_TMP" || exit 99

# ---- the dashboard's default log planted in advance (PIDs are guessable) -------------------------
# The child opens memwatch-<its PID>.log itself (run_child); a planted name is refused through
# launch_failed's stage 0. Every name for the next PLANT PIDs is planted: symbolic links to a
# sentinel, and one regular file. perl (perl-base, always there) plants them in one process, so
# planting uses no PIDs of the range.
PLANT=3000
pid_max=$(cat /proc/sys/kernel/pid_max)
next_pid() { # the next PID the system will hand out (about)
    if [ -r /proc/sys/kernel/ns_last_pid ]; then echo $(($(cat /proc/sys/kernel/ns_last_pid) + 1))
    else echo $(($(sh -c 'echo $$') + 1)); fi
}
# plant FROM: memwatch-N.log for PLANT PIDs from FROM. Linux hands out PIDs below pid_max and wraps
# to 300; the regular file is the middle one by position, so a wrapped range still has one.
plant() {
    perl -e 'my ($from, $n, $max) = @ARGV;
        for my $i (0 .. $n - 1) {
            my $p = $from + $i; $p = 300 + $p - $max if $p >= $max;
            my $name = "memwatch-$p.log";
            if ($i == int($n / 2)) { open(my $f, ">", $name) or die "$name: $!"; print $f "planted\n"; close $f }
            else { symlink("sentinel", $name) or die "$name: $!" }
        }' "$1" "$PLANT" "$pid_max" || hard_error "cannot plant the links"
}
planted_intact() { # the sentinel and the planted names, and nothing else
    [ "$(cat sentinel)" = sentinel ] &&
        [ "$(find . -maxdepth 1 -type l -name 'memwatch-*.log' | wc -l)" -eq $((PLANT - 1)) ] &&
        [ "$(find . -maxdepth 1 -type f | wc -l)" -eq 2 ] && [ "$(ls -A | wc -l)" -eq $((PLANT + 1)) ]
}
mkdir p && cd p || exit 99
refused=
for try in 1 2; do
    find . -maxdepth 1 -name 'memwatch-*.log' -delete
    echo sentinel > sentinel
    plant "$(next_pid)"
    start_tui_sh "cd '$MW_TMP/p' && '$MEMWATCH' -i 50ms -- sleep 60" 200 30
    if wait_screen 'memwatch-[0-9]+\.log (exists|is a symbolic link)' 5; then
        refused=$try
        break
    fi
    # The child's PID fell outside the planted range: the dashboard runs; end it, try a new range.
    note "try $try: the command's PID was not in the planted range"
    # q may be asked about first: the unexported capture (a slow run passes its 10 s), then the
    # command still running.
    send q
    wait_screen 'e = export and quit|k = end it' 5
    screen_has 'e = export and quit' && send q && wait_screen 'k = end it' 5
    screen_has 'k = end it' && send k
    wait_exit > /dev/null
    rm -f memwatch-*.log
done
if [ -n "$refused" ]; then
    st=$(wait_exit)
    line=$(screen | grep '^memwatch: ')
    name=$(printf '%s\n' "$line" | grep -oE 'memwatch-[0-9]+\.log' | head -1)
    kind=exists
    [ -L "$name" ] && kind="is a symbolic link"
    check "planted default log: exit 2, one line naming $name and '$kind'" \
        eval '[ "$st" = 2 ] && [ "$(printf "%s\n" "$line" | wc -l)" -eq 1 ] && printf "%s\n" "$line" | grep -qF "$name $kind: " && printf "%s\n" "$line" | grep -qF -- "--log FILE"'
    check "planted default log: the sentinel untouched, every planted name as it was, nothing created" \
        planted_intact
else
    fail "planted default log: the command's PID fell outside $PLANT planted PIDs twice (a busy machine?)"
fi
find . -maxdepth 1 -name 'memwatch-*.log' -delete
cd "$MW_TMP" || exit 99

# ---- the dashboard's session cannot open after the launch: the default log goes too -------------
# 100 M samples of history under a 1 GB address-space limit: the capture cannot be allocated,
# after the command (and its log) started. A sanitizer build cannot run under such a limit at all.
mkdir s && cd s || exit 99
start_tui_sh "cd '$MW_TMP/s' && (ulimit -v 1000000 && exec '$MEMWATCH' -H 100000000 -- sleep 60)"
st=$(wait_exit)
if screen_has 'cannot keep 100000000 samples in memory: out of memory'; then
    check "session cannot open (out of memory): exit $st, and no memwatch-*.log left" \
        eval '[ "$st" -ne 0 ] && no_default_log'
else
    note "session cannot open: not tested (this build does not run under ulimit -v): $(screen | grep -m1 .)"
fi
cd "$MW_TMP" || exit 99

start_tui "$MEMWATCH" -i 50ms -- sh -c 'sleep 60'
wait_for '^PID [0-9]+ '
pid=$(screen_line '^PID [0-9]+ ' | awk '{ print $2 }')
track "$pid"
check "dashboard: the header shows the log's path (memwatch-$pid.log)" wait_screen "log memwatch-$pid\.log"
check "dashboard: the log exists while the command runs" test -f "memwatch-$pid.log"
send q
wait_for 'k = end it and quit'
send k
wait_exit > /dev/null
check "dashboard: an empty log is removed at the end" eval '[ ! -e "memwatch-$pid.log" ]'

start_tui "$MEMWATCH" -i 50ms -- sh -c 'echo said-something; sleep 60'
wait_for '^PID [0-9]+ '
pid=$(screen_line '^PID [0-9]+ ' | awk '{ print $2 }')
track "$pid"
send q
wait_for 'k = end it and quit'
send k
wait_exit > /dev/null
check "dashboard: a log with output is kept" grep -qx said-something "memwatch-$pid.log"
finish
