#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_plot.sh — --plot FILE.svg: a real headless run with marks from outside drawn, checked by xmllint and rendered by rsvg-convert; a replay with no terminal; refusals at start; the dashboard writes it after q.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

. "$MW_E2E_DIR/harness-plot.sh"

# ---- a headless run of mw-alloc with two marks from outside ------------------------------------
mkfifo in
"$MEMWATCH" --no-tui -i 50ms --plot run.svg -o rec.csv -- "$MW_ALLOC" --ready-file ready \
    <in >sum.txt 2>err.txt &
MW=$!
track "$MW"
exec {IN}>in
wait_until 10 test -s ready || die "mw-alloc did not start under memwatch"
T=$(cat ready)
check "run.svg is not there while the run goes on" test ! -e run.svg
replies() { grep -c '^ok' sum.txt; }
cmd() {
    local before
    before=$(replies)
    echo "$1" >&"$IN"
    wait_until 10 eval '[ "$(replies)" -gt "$before" ]' || die "mw-alloc did not answer '$1'"
}
wait_until 10 has_rows 4 rec.csv || die "no samples in rec.csv"
cmd "alloc 20"
wait_until 10 eval '[ "$(column_max rec.csv rss_bytes)" -gt $((20 << 20)) ]' || die "RSS never rose"
"$MEMWATCH" --mark "$T" "warm-up <done> & \"quoted\"" >/dev/null 2>&1 || fail "the first --mark"
cmd "alloc 30"
cmd "sleep 300"
"$MEMWATCH" --mark "$T" "after 50 MiB" >/dev/null 2>&1 || fail "the second --mark"
cmd "freeall"
cmd "sleep 300"
echo "exit 0" >&"$IN"
exec {IN}>&-
wait_until 20 eval "! alive $MW" || die "memwatch did not end with its command"
wait "$MW"
st=$?
check "the run exits 0 (got $st)" test "$st" = 0
check "run.svg is written at the end" test -s run.svg
check "no temporary is left beside it" test -z "$(ls -A | grep '^\.run\.svg')"
check "run.svg is well-formed XML" well_formed run.svg
# (a deep build directory makes it too long for the page: then the program's directory goes)
check "the title names the command" grep -Eq 'class="title"[^>]*>memwatch: [^<]*mw-alloc --ready-file ready</text>' run.svg
check "the subtitle counts the samples and says what RSS counts" \
    grep -q "$(rows rec.csv) samples, every 50ms, over .*; RSS counts: process" run.svg
check "the first mark's label is escaped for XML" \
    grep -q '>warm-up &lt;done&gt; &amp; &quot;quoted&quot;</text>' run.svg
check "the second mark is drawn" grep -q '>after 50 MiB</text>' run.svg
check "two mark lines" test "$(grep -c '<line class="mark"' run.svg)" = 2
peak_svg=$(sed -n 's/.*class="peak"[^>]*>peak \([0-9.]*\) MiB at .*/\1/p' run.svg | head -1)
peak_csv=$(awk -v b="$(column_max rec.csv rss_bytes)" 'BEGIN { printf "%.1f", b / 1048576 }')
check "the RSS peak's label is the recording's peak ($peak_svg MiB vs $peak_csv MiB)" \
    test "$peak_svg" = "$peak_csv"
check "the date is the first sample's, in UTC ISO 8601" \
    grep -q "$(head -2 rec.csv | tail -1 | cut -c1-19)Z: " run.svg

rsvg-convert run.svg -o run.png 2>rsvg.err
check "rsvg-convert renders it ($(head -c 200 rsvg.err))" test -s run.png
read -r w h ink colours blue green _ < <(png_check run.png)
check "the PNG is 900x600 (got ${w}x$h)" test "$w" = 900 -a "$h" = 600
check "the RSS panel is not blank ($ink pixels drawn)" test "${ink:-0}" -gt 2000
check "several colours are drawn ($colours)" test "${colours:-0}" -ge 6
check "RSS is drawn in blue in its panel ($blue pixels)" test "${blue:-0}" -gt 300
check "VSZ is drawn in green in its panel ($green pixels)" test "${green:-0}" -gt 300

# ---- a replay, with no terminal at all ---------------------------------------------------------
"$MEMWATCH" --replay rec.csv --plot r.svg </dev/null >out 2>&1
st=$?
check "--replay --plot with no terminal exits 0 (got $st: $(head -c 300 out))" test "$st" = 0
check "it says nothing" test ! -s out
check "r.svg is well-formed XML" well_formed r.svg
check "the replay draws the marks too" test "$(grep -c '<line class="mark"' r.svg)" = 2
check "the replay's peak is the same" grep -q "peak $peak_csv MiB at" r.svg
rsvg-convert r.svg -o r.png && read -r w h ink colours blue green _ < <(png_check r.png)
check "the replay renders, not blank ($ink pixels, $colours colours)" test "${ink:-0}" -gt 2000

# ---- refused at start: exit 2, one line, nothing launched or written ---------------------------
refused() { # WHAT PATH [EXTRA CHECK...]
    local what=$1 path=$2
    rm -f ready2
    "$MEMWATCH" --no-tui --plot "$path" -- "$MW_ALLOC" --ready-file ready2 </dev/null >out 2>err
    local st=$?
    check "$what: exit 2 (got $st)" test "$st" = 2
    check "$what: one line naming --plot: $(cat err)" \
        test "$(wc -l <err)" = 1 -a "$(grep -c '^memwatch: --plot: cannot write the plot to' err)" = 1
    check "$what: nothing launched" test ! -e ready2
}
before=$(md5sum <r.svg)
refused "an existing file" r.svg
check "the existing file is left as it was" test "$(md5sum <r.svg)" = "$before"
ln -s "$MW_TMP/victim.svg" link.svg
refused "a symbolic link" link.svg
check "the link's target is not created" test ! -e victim.svg
refused "a directory that does not exist" nodir/x.svg
if [ "$(id -u)" != 0 ]; then
    mkdir ro && chmod 555 ro
    refused "an unwritable directory" ro/x.svg
    check "nothing in the unwritable directory" test -z "$(ls -A ro)"
else
    note "running as root: an unwritable directory cannot be made; a file in the path instead"
    refused "a file where a directory should be" rec.csv/x.svg
fi
"$MEMWATCH" --replay rec.csv --plot r.svg </dev/null >out 2>err
st=$?
check "--replay --plot on an existing file: exit 2 (got $st), one line" \
    test "$st" = 2 -a "$(wc -l <err)" = 1
"$MEMWATCH" --no-tui --plot - -- true </dev/null >out 2>err
st=$?
check "--plot - is a usage error naming it ($st): $(cat err)" \
    test "$st" = 2 -a "$(grep -c "^memwatch: invalid --plot '-'" err)" = 1
echo '{"timestamp":"2026-12-01T00:00:00.000Z"}' >rec.jsonl
"$MEMWATCH" --replay rec.jsonl --plot j.svg </dev/null >out 2>err
st=$?
check "--replay --plot of JSON Lines: exit 2 (got $st), said in one line: $(cat err)" \
    test "$st" = 2 -a "$(wc -l <err)" = 1 -a "$(grep -c 'is JSON Lines' err)" = 1
check "... and j.svg is taken back (no file, no temporary)" test -z "$(ls -A | grep 'j\.svg')"
"$MEMWATCH" --replay rec.csv --plot r2.svg -o x.csv </dev/null >out 2>err
st=$?
check "--replay --plot still takes no recording options ($st)" test "$st" = 2 -a ! -e r2.svg

# ---- the dashboard writes it after q -----------------------------------------------------------
start_tui "$MEMWATCH" -i 100ms --plot "$MW_TMP/tui.svg" -- "$MW_ALLOC" --alloc 12
wait_for "RSS" 15 || die "the dashboard did not show its charts: $(screen)"
wait_until 10 eval '[ "$(screen_samples)" -ge 5 ]'
check "tui.svg is not there while the dashboard runs" test ! -e tui.svg
st=$(dashboard_quit)
check "q exits 0 (got $st)" test "$st" = 0
check "tui.svg is written after q" test -s tui.svg
check "tui.svg is well-formed XML" well_formed tui.svg
check "tui.svg draws RSS" grep -q '<g class="RSS">' tui.svg
finish
