#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_zombie.sh — a target that turns zombie mid-watch or is one already; SIGTERM/SIGHUP on the dashboard.
. "$(dirname "$0")/harness.sh"

# make_zombie_parent: a shell whose child (mw-alloc, reading a FIFO) becomes a zombie when told to
# exit, because the parent has exec'd into `sleep` and never reaps it. Sets KID and PARENT.
mkfifo "$MW_TMP/kid.in"
bash -c '"$1" --alloc 16 --ready-file "$2" < "$3" > /dev/null & exec sleep 120' sh \
    "$MW_ALLOC" "$MW_TMP/kid.ready" "$MW_TMP/kid.in" &
PARENT=$!
track "$PARENT"
exec 8> "$MW_TMP/kid.in" # keep the FIFO open: the child reads commands from it
wait_until 10 test -s "$MW_TMP/kid.ready" || { fail "mw-alloc did not start"; finish; }
KID=$(cat "$MW_TMP/kid.ready")
track "$KID"

# 1. Headless, the target becomes a zombie mid-watch: the recorder says it exited, keeps every
#    sample (all with the 16 MiB), and ends by itself with status 0.
"$MEMWATCH" --no-tui -i 20ms -o rec.csv "$KID" > sum.txt 2> err.txt &
REC=$!
track "$REC"
wait_until 10 has_rows 5 rec.csv || fail "the recorder wrote no rows"
echo "exit 0" >&8
wait_until 10 eval "grep -q '^[0-9]* (mw-alloc) Z ' /proc/$KID/stat" ||
    fail "the target did not become a zombie"
wait_until 10 eval "! kill -0 $REC 2>/dev/null" || fail "the recorder did not end by itself"
wait "$REC"; rc=$?
check "zombie mid-watch, headless: status 0, summary says exited" \
    eval '[ $rc -eq 0 ] && grep -q "^  target    exited" sum.txt'
check "zombie mid-watch: every row has the 16 MiB (no empty sample of the dying process)" \
    eval '[ "$(column rec.csv rss_bytes | awk "\$1 >= 16 * 1048576" | wc -l)" -eq "$(rows rec.csv)" ] && [ "$(rows rec.csv)" -ge 5 ]'

# 2. Watching a PID that is already a zombie: one line that says so, exit 2.
"$MEMWATCH" --no-tui "$KID" > out.txt 2> err.txt; rc=$?
check "already a zombie: exit 2, one line naming PID $KID and 'zombie'" \
    eval '[ $rc -eq 2 ] && [ "$(wc -l < err.txt)" -eq 1 ] && grep -q "PID $KID" err.txt && grep -qi zombie err.txt'
[ $rc -eq 2 ] || note "status $rc; stderr: $(cat err.txt)"
exec 8>&-

# 3. The dashboard ended by SIGTERM and by SIGHUP: terminal restored (the pane's shell prints
#    after it), status 128+N, a launched command is not left behind.
for sig in TERM HUP; do
    start_tui_sh "'$MEMWATCH' -i 50ms -- '$MW_ALLOC' --alloc 4 --ready-file '$MW_TMP/tui.ready'"
    wait_until 10 test -s "$MW_TMP/tui.ready" || { fail "SIG$sig: the command did not start"; continue; }
    child=$(cat "$MW_TMP/tui.ready"); rm -f "$MW_TMP/tui.ready"
    track "$child"
    wait_screen "interval 50ms" || fail "SIG$sig: no dashboard"
    mw=$(pgrep -x -P "$(pane_pid)" memwatch) || true  # this pane's, not another test's
    [ -n "$mw" ] && kill -s "$sig" "$mw"
    wait_until 10 tui_ended || fail "SIG$sig: the dashboard did not end"
    check "SIG$sig on the dashboard: status 128+N" \
        eval '[ "$(tui_status)" = "$((128 + $(kill -l $sig)))" ]'
    check "SIG$sig: the launched command was ended too" wait_pid_gone 5 "$child"
    check "SIG$sig: the alternate screen is gone (the dashboard no longer shows)" \
        wait_until 5 eval '! screen_has "interval 50ms"'
done
finish
