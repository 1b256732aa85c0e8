#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_files.sh — -o never follows a link, appends or overwrites, refuses non-regular files at once; -o - is stdout; launch failures leave no file; a torn last line replays.
. "$(dirname "$0")/harness.sh"

alloc_start t --alloc 4 || { fail "mw-alloc did not start"; finish; }
target=$ALLOC_PID

# refused DESC PATH WORD...: `memwatch --no-tui -t 5s -o PATH $target` ends at once (well before
# -t: a hang or a run is a failure, and `timeout` bounds it) with status 2, one stderr line naming
# PATH and every WORD, nothing on stdout.
refused() {
    local desc=$1 path=$2 w start took
    shift 2
    start=$(now_ms)
    timeout $((10 * MW_SLOW)) "$MEMWATCH" --no-tui -i 10ms -t 5s -o "$path" "$target" > out.txt 2> err.txt
    rc=$?
    took=$(($(now_ms) - start))
    local ok=1
    [ $rc -eq 2 ] || ok=0
    [ "$took" -lt $((3000 * MW_SLOW)) ] || ok=0
    [ "$(wc -l < err.txt)" -eq 1 ] && [ ! -s out.txt ] && grep -qF -- "$path" err.txt || ok=0
    for w in "$@"; do grep -qiF -- "$w" err.txt || ok=0; done
    [ $ok = 1 ] || note "status $rc after $took ms; stderr: $(head -c 300 err.txt)"
    check "-o $desc: refused at once (status 2, one line naming '$path' and: $*)" [ $ok = 1 ]
}

# ---- links: never followed, whatever they point at -----------------------------------------------
printf 'precious data\n' > victim.txt
cp victim.txt victim.orig
ln -s victim.txt link.csv
refused "a symlink to a file" link.csv "symbolic link"
check "symlink to a file: the file is untouched, byte for byte" cmp -s victim.txt victim.orig
check "symlink to a file: the link is still a link" test -L link.csv
ln -s planted-target.csv dangling.csv
refused "a dangling symlink" dangling.csv "symbolic link"
check "dangling symlink: nothing created where it points" test ! -e planted-target.csv

# ---- an existing capture: refused, unchanged; never appended to ------------------------------------
"$MEMWATCH" --no-tui -i 10ms -t 1s -o rec.csv "$target" > /dev/null 2> err.txt
check "a first recording to rec.csv succeeds" has_rows 10 rec.csv
cp rec.csv rec.orig
refused "an existing capture" rec.csv "exists" "never appends" "another name"
check "existing capture: unchanged byte for byte" cmp -s rec.csv rec.orig
: > empty.csv
refused "an existing empty file" empty.csv "exists"
check "existing empty file: still empty" test ! -s empty.csv

# ---- non-regular files: refused at once, naming the kind ------------------------------------------
refused "/dev/null" /dev/null "character device" "-o -"
refused "/dev/full" /dev/full "character device"
mkfifo fifo
refused "a FIFO (nobody reading it)" fifo "FIFO"
refused "/dev/stdout" /dev/stdout "-o -"
mkdir adir
refused "a directory" adir "directory"

# ---- -o -: CSV on stdout, every other word on stderr; `| tee x.csv` replays ------------------------
rm -f -- -
"$MEMWATCH" --no-tui -i 10ms -t 1s -o - "$target" 2> err.txt | tee tee.csv > /dev/null
rc=${PIPESTATUS[0]}
check "-o - | tee: status 0, the header first, rows after it ($(rows tee.csv))" \
    eval '[ $rc -eq 0 ] && [ "$(head -1 tee.csv)" = "$CSV_HEADER" ] && has_rows 10 tee.csv'
check "-o - | tee: every line after the header is a row of $target" \
    awk -F, -v p="$target" 'NR > 1 && (NF != 29 || $3 != p) { bad = 1 } END { exit bad }' tee.csv
check "-o -: the summary went to stderr" grep -q '^memwatch summary: PID' err.txt
check "-o -: no file named '-' was created" test ! -e -
"$MEMWATCH" --no-tui -i 10ms -t 1s -o - -- sleep 30 2> err.txt | tee tee2.csv > /dev/null
rc=${PIPESTATUS[0]}
check "-o - -- sleep 30 | tee: status 0, a capture of rows" \
    eval '[ $rc -eq 0 ] && [ "$(head -1 tee2.csv)" = "$CSV_HEADER" ] && has_rows 10 tee2.csv'
# A launched command that writes to its stdout: under -o - that is the CSV's, so the command's
# output goes to memwatch's stderr and the capture stays rows only.
"$MEMWATCH" --no-tui -i 10ms -t 1s -o - -- sh -c 'echo chatty-command-line; exec sleep 30' \
    2> err3.txt | tee tee3.csv > /dev/null
check "-o - -- a chatty command: its output is on stderr, not in the CSV" \
    eval '! grep -q chatty-command-line tee3.csv && grep -qx chatty-command-line err3.txt && has_rows 10 tee3.csv'
start_tui_sh "'$MEMWATCH' --replay tee2.csv" 100 30
check "-o - | tee: the capture opens in --replay" wait_screen "REPLAY" 10
st=$(dashboard_quit)
check "-o - | tee: the replay quits with status 0 (got $st)" [ "$st" = 0 ]
timeout $((10 * MW_SLOW)) script -qec "'$MEMWATCH' -o - $target 2> err.txt" /dev/null < /dev/null > /dev/null
rc=$?
check "-o - with the dashboard: refused in one line naming --no-tui (status $rc)" \
    eval '[ $rc -eq 2 ] && [ "$(wc -l < err.txt)" -eq 1 ] && grep -qF -- "--no-tui" err.txt'

# ---- a run that cannot start creates nothing ------------------------------------------------------
"$MEMWATCH" --no-tui -o never.csv -- /nonexistent/dir/prog > out.txt 2> err.txt
rc=$?
check "launch of /nonexistent/dir/prog: status 2, no -o file left (stderr: $(head -c 120 err.txt))" \
    eval '[ $rc -eq 2 ] && [ ! -e never.csv ]'
"$MEMWATCH" --no-tui -o never2.csv -- "no-such-command-$$" > out.txt 2> err.txt
rc=$?
check "launch of a missing command: status 2, no -o file left" eval '[ $rc -eq 2 ] && [ ! -e never2.csv ]'

# ---- --replay of a FIFO: refused at once, naming the kind ----------------------------------------
timeout $((10 * MW_SLOW)) script -qec "'$MEMWATCH' --replay fifo 2> err.txt" /dev/null < /dev/null > /dev/null
rc=$?
check "--replay a FIFO: refused at once, status 2, one line naming fifo and 'FIFO' (status $rc)" \
    eval '[ $rc -eq 2 ] && [ "$(wc -l < err.txt)" -eq 1 ] && grep -q "fifo" err.txt && grep -q "FIFO" err.txt'
timeout $((10 * MW_SLOW)) script -qec "'$MEMWATCH' --replay /dev/null 2> err.txt" /dev/null < /dev/null > /dev/null
rc=$?
check "--replay /dev/null: status 2, 'character device' (status $rc)" \
    eval '[ $rc -eq 2 ] && grep -q "character device" err.txt'

# ---- a torn last line: every complete row replays, one warning with file:line ---------------------
{ head -n 40 rec.orig; sed -n 41p rec.orig | head -c 37; } > torn.csv
start_tui_sh "'$MEMWATCH' --replay torn.csv 2> '$MW_TMP/torn-err.txt'" 100 30
check "torn last line: the capture opens in --replay" wait_screen "REPLAY" 10
check "torn last line: the 39 complete rows are loaded" wait_screen " 39/[0-9]+ samples" 5
st=$(dashboard_quit)
check "torn last line: the replay quits with status 0 (got $st)" [ "$st" = 0 ]
check "torn last line: one warning naming torn.csv:41 and 39 rows ($(cat torn-err.txt))" \
    eval '[ "$(wc -l < torn-err.txt)" -eq 1 ] && grep -q "torn.csv:41: the last line is cut short" torn-err.txt &&
          grep -q "39 complete rows" torn-err.txt'

# ---- a full disk (a file-size limit): exit 1, the file and its complete rows named -----------------
# memwatch ignores SIGXFSZ itself, so the limit reads as a write error (EFBIG) like a full disk.
(ulimit -f 4 && exec "$MEMWATCH" --no-tui -i 10ms -t 2s -o full.csv "$target") > sum.txt 2> err.txt
rc=$?
complete=$(($(grep -c '' full.csv) - 1))
whole=""
[ "$(tail -c 1 full.csv | od -An -c | tr -d ' ')" = '\n' ] && whole=1 || complete=$((complete - 1))
note "status $rc; $(wc -c < full.csv) bytes, $complete complete rows; stderr: $(cat err.txt)"
check "file-size limit: status 1, the summary still printed" \
    eval '[ $rc -eq 1 ] && grep -q "^memwatch summary" sum.txt'
check "file-size limit: one stderr line naming full.csv, the cause and its $complete complete rows" \
    eval '[ "$(wc -l < err.txt)" -eq 1 ] && grep -q "full.csv" err.txt && grep -q "File too large" err.txt &&
          grep -q "$complete rows" err.txt'
check "file-size limit: the summary names the file and its $complete rows" \
    eval 'grep -q "^  output    full.csv: .* $complete complete rows" sum.txt'
start_tui_sh "'$MEMWATCH' --replay full.csv 2> '$MW_TMP/full-err.txt'" 100 30
check "file-size limit: the cut capture opens in --replay" wait_screen "REPLAY" 10
st=$(dashboard_quit)
if [ -n "$whole" ]; then # (the limit fell just after a newline: nothing is torn)
    check "file-size limit: the replay quits with status 0, no warning" eval '[ "$st" = 0 ] && [ ! -s full-err.txt ]'
else
    check "file-size limit: replay warns about full.csv's last line ($(cat full-err.txt))" \
        eval '[ "$st" = 0 ] && grep -q "full.csv:$((complete + 2)): the last line is cut short" full-err.txt'
fi
finish
