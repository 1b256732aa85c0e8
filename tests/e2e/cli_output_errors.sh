#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_output_errors.sh — -o failures (unwritable dir, a directory, a full disk, file deleted): clear message, history kept, right exit.
. "$(dirname "$0")/harness.sh"

alloc_start t --alloc 4 || { fail "mw-alloc did not start"; finish; }
target=$ALLOC_PID

# ---- paths that cannot be opened: one line naming the path and the cause, status 2, no file --------
open_fails() { # open_fails DESC PATH CAUSE [RUNNER...]
    local desc=$1 path=$2 cause=$3; shift 3
    "$@" "$MEMWATCH" --no-tui -i 10ms -t 2s -o "$path" "$target" > out.txt 2> err.txt
    rc=$?
    check "-o $desc: status 2, one stderr line naming '$path' and '$cause', no summary" \
        eval '[ $rc -eq 2 ] && [ "$(wc -l < err.txt)" -eq 1 ] && grep -qF -- "$path" err.txt &&
              grep -qi -- "$cause" err.txt && [ ! -s out.txt ]'
    [ $rc -eq 2 ] || note "status $rc; stderr: $(cat err.txt)"
}
mkdir adir rodir
chmod 555 rodir
touch regular
open_fails "a directory" "$MW_TMP/adir" "directory"
open_fails "under a regular file" "regular/x.csv" "not a directory"
open_fails "in a missing directory" "nodir/x.csv" "no such file"
if [ "$(id -u)" = 0 ]; then
    open_fails "under /proc (root cannot create there either)" "/proc/mw-x.csv" "no such file"
    if command -v setpriv > /dev/null && chmod o+rx "$MW_TMP" && [ -x "$MEMWATCH" ]; then
        # Also as an unprivileged user, watching a command of its own (its log to /dev/null:
        # the cwd is root's).
        setpriv --reuid=65534 --regid=65534 --clear-groups "$MEMWATCH" --no-tui -t 1s -o rodir/x.csv \
            --log /dev/null -- sleep 5 > out.txt 2> err.txt
        rc=$?
        check "-o in a read-only dir as uid 65534: status 2, 'Permission denied' named" \
            eval '[ $rc -eq 2 ] && [ "$(wc -l < err.txt)" -eq 1 ] && grep -q "rodir/x.csv" err.txt && grep -qi "permission denied" err.txt'
        [ $rc -eq 2 ] || note "status $rc; stderr: $(cat err.txt)"
    else
        note "setpriv not available: the read-only dir case runs only as non-root"
    fi
else
    open_fails "in a read-only dir" "rodir/x.csv" "permission denied"
fi
check "-o failures created no files" eval '[ -z "$(ls -A adir)" ] && [ -z "$(ls -A rodir)" ] && [ ! -e nodir ]'

# Launch mode: the command was started before -o failed; it must not be left running.
rm -f ready
"$MEMWATCH" --no-tui -o "$MW_TMP/adir" -- "$MW_ALLOC" --ready-file ready --leak 1 --every 100 > out.txt 2> err.txt
rc=$?
child=$(cat ready 2> /dev/null)
[ -n "$child" ] && track "$child"
check "-o a directory in launch mode: status 2 and no command left running" \
    eval '[ $rc -eq 2 ] && { [ -z "$child" ] || ! alive $child; }'
ls memwatch-*.log > /dev/null 2>&1 && note "left behind: $(ls memwatch-*.log) (the log of a command ended at once)"

# ---- failures while recording: keep watching, summary at the end, status 1 --------------------------
# A full disk, made by a file-size limit (ulimit -f: 4 KiB in bash). /dev/full itself is a device,
# refused before recording starts (cli_files.sh).
(ulimit -f 4 && exec "$MEMWATCH" --no-tui -o full.csv -i 10ms -t 1s "$target") > sum.txt 2> err.txt
rc=$?
n=$(summary_samples sum.txt)
check "full disk: status 1, ran the full -t with its summary (${n:-0} samples)" \
    eval '[ $rc -eq 1 ] && [ "${n:-0}" -ge 50 ]'
check "full disk: one stderr line naming full.csv and 'File too large'" \
    eval '[ "$(wc -l < err.txt)" -eq 1 ] && grep -q "full.csv" err.txt && grep -q "File too large" err.txt'

"$MEMWATCH" --no-tui -o gone.csv -i 10ms -t 2s "$target" > sum.txt 2> err.txt &
mw=$!
track "$mw"
wait_until 10 has_rows 10 gone.csv || fail "deleted file: no rows"
rm -f gone.csv
check "deleted file: reported while running" wait_until 5 test -s err.txt
wait "$mw"
rc=$?
n=$(summary_samples sum.txt)
check "deleted file: status 1, full -t with summary (${n:-0} samples), one line naming gone.csv" \
    eval '[ $rc -eq 1 ] && [ "${n:-0}" -ge 100 ] && [ "$(wc -l < err.txt)" -eq 1 ] && grep -q "gone.csv" err.txt'
check "deleted file: not re-created" [ ! -e gone.csv ]

# ---- the dashboard: a message on screen, it keeps sampling; status 1 and the message at exit -------
start_tui_sh "(ulimit -f 4 && exec '$MEMWATCH' -o tui-full.csv -i 50ms $target) 2> '$MW_TMP/tui-err.txt'" 120 30
check "dashboard, full disk: 'recording stopped' on screen" wait_screen "recording stopped" 10
samples_shown() { screen | sed -n 's/.* \([0-9]*\)\/[0-9]* samples.*/\1/p' | head -1; }
a=$(samples_shown)
check "dashboard, full disk: still sampling after the failure (from ${a:-?})" \
    wait_until 10 eval '[ "$(samples_shown)" -gt "${a:-0}" ]'
st=$(dashboard_quit)
check "dashboard, full disk: q quits with status 1 (got $st)" [ "$st" = 1 ]
check "dashboard, full disk: the failure is on stderr after the dashboard closes" grep -q "File too large" tui-err.txt
finish
