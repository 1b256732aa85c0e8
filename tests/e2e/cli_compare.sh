#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_compare.sh — --compare OTHER.csv in the --plot picture: two real recordings overlaid (at the start, at a mark), live and replayed, rendered; bad files refused at start.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

. "$MW_E2E_DIR/harness-plot.sh"
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# record NAME LEAK_MIB: mw-alloc leaking LEAK_MIB every 100 ms, 12 times, recorded headless with
# -o NAME.csv; a mark "half" made from outside once it has leaked some.
record() {
    local name=$1 leak=$2
    "$MEMWATCH" --no-tui -i 50ms -o "$name.csv" -- "$MW_ALLOC" --ready-file "$name.ready" \
        --leak "$leak" --every 100 --steps 12 --then-exit 0 >"$name.out" 2>&1 &
    local mw=$!
    track "$mw"
    wait_until 10 test -s "$name.ready" || die "mw-alloc ($name) did not start under memwatch"
    wait_until 10 eval '[ "$(column_max "$name.csv" rss_bytes)" -gt $((leak * 3 << 20)) ]' ||
        die "$name: RSS never rose"
    "$MEMWATCH" --mark "$(cat "$name.ready")" half >/dev/null 2>&1 || fail "$name: --mark half"
    wait_until 30 eval "! alive $mw" || die "memwatch ($name) did not end with its command"
    wait "$mw" || fail "$name: the recording exits $?"
    check "$name.csv holds the mark" test "$(marks "$name.csv")" = half
}
record a 6
record b 2
peak_a=$(mib "$(column_max a.csv rss_bytes)")
peak_b=$(mib "$(column_max b.csv rss_bytes)")

# ---- replayed, aligned at the start, no terminal -------------------------------------------------
"$MEMWATCH" --replay a.csv --compare b.csv --plot ab.svg </dev/null >out 2>&1
st=$?
check "--replay --compare --plot exits 0 (got $st: $(head -c 300 out))" test "$st" = 0
check "it says nothing" test ! -s out
check "ab.svg is well-formed XML" well_formed ab.svg
check "the compare line names b.csv and both peaks ($peak_a MiB vs $peak_b MiB)" \
    grep -q ">vs b.csv: peak $peak_a MiB vs $peak_b MiB (+[0-9]*%), growth +" ab.svg
check "the other capture's series in both panels" \
    test "$(grep -c '<g class="[A-Z]* other">' ab.svg)" = 2
check "the other's peak is labelled with its file" grep -q "peak $peak_b MiB at .* (b.csv)<" ab.svg
check "t=0 is each capture's first sample" grep -q "elapsed time since each capture's first" ab.svg
rsvg-convert ab.svg -o ab.png 2>rsvg.err
check "rsvg-convert renders it ($(head -c 200 rsvg.err))" test -s ab.png
read -r w h ink colours blue green pink _ < <(png_check ab.png)
check "the PNG is not blank ($ink pixels drawn, $colours colours)" test "${ink:-0}" -gt 2000
check "this run's RSS in blue ($blue pixels)" test "${blue:-0}" -gt 300
check "the other capture in its pink ($pink pixels)" test "${pink:-0}" -gt 300

# ---- aligned at the mark both recordings hold ----------------------------------------------------
"$MEMWATCH" --replay a.csv --compare b.csv --compare-at half --plot half.svg </dev/null >out 2>&1
st=$?
check "--compare-at half exits 0 (got $st: $(head -c 300 out))" test "$st" = 0
check "it says so" grep -q "; t=0 at mark half</text>" half.svg
mark_x=$(sed -n 's/.*<line class="mark" x1="\([0-9.]*\)".*/\1/p' half.svg | head -1)
zero_x=$(sed -n 's/.*<text x="\([0-9.]*\)" y="[0-9]*" text-anchor="middle">0s<.*/\1/p' half.svg |
    head -1)
check "t=0 is at a's mark (mark at x=$mark_x, 0s at x=$zero_x)" test -n "$mark_x" -a "$mark_x" = "$zero_x"
check "a negative time before the mark" grep -q '>-[0-9.]*m\?s</text>' half.svg

# ---- live, with the comparison drawn at the end --------------------------------------------------
"$MEMWATCH" --no-tui -i 50ms --plot live.svg --compare b.csv -- "$MW_ALLOC" --leak 3 --every 100 \
    --steps 5 --then-exit 0 </dev/null >out 2>&1
st=$?
check "a live run with --compare exits 0 (got $st)" test "$st" = 0
check "its picture compares with b.csv" grep -q ">vs b.csv: peak .* vs $peak_b MiB" live.svg

# ---- refused at start: exit 2, one line, nothing launched or written -----------------------------
refused() { # WHAT PATTERN ARGS...
    local what=$1 pattern=$2
    shift 2
    rm -f x.svg ready2
    "$MEMWATCH" "$@" </dev/null >out 2>err
    local st=$?
    check "$what: exit 2 (got $st)" test "$st" = 2
    check "$what: one line: $(cat err)" test "$(wc -l <err)" = 1 -a "$(grep -c -- "$pattern" err)" = 1
    check "$what: no picture left" test ! -e x.svg
    check "$what: nothing launched" test ! -e ready2
}
live=(--no-tui --plot x.svg -- "$MW_ALLOC" --ready-file ready2)
refused "a missing file" "^memwatch: --compare: cannot compare with .*nope.csv" \
    --compare nope.csv "${live[@]}"
echo '{"timestamp":"2026-12-01T00:00:00.000Z"}' >b.jsonl
refused "JSON Lines" "^memwatch: b.jsonl is JSON Lines; --compare reads the CSV format" \
    --compare b.jsonl "${live[@]}"
head -c 300 /dev/urandom | tr -d '\n' >junk.csv
refused "garbage" "^memwatch: --compare: cannot compare with" --compare junk.csv "${live[@]}"
head -1 a.csv >empty.csv
refused "no samples" "^memwatch: --compare: cannot compare with empty.csv: it holds no samples" \
    --compare empty.csv "${live[@]}"
refused "a mark missing from the other" "^memwatch: --compare-at: b.csv has no mark 'nope'" \
    --replay a.csv --compare b.csv --compare-at nope --plot x.svg
"$PY" -c 'import csv, sys
r = list(csv.reader(open("a.csv", newline="")))
k = r[0].index("marker")
for row in r[1:]:
    row[k] = ""
csv.writer(sys.stdout, lineterminator="\n").writerows(r)' >nomark.csv
check "nomark.csv has no mark" test -z "$(marks nomark.csv)"
refused "a mark missing from the replay" "^memwatch: --compare-at: nomark.csv has no mark 'half'" \
    --replay nomark.csv --compare b.csv --compare-at half --plot x.svg
refused "--compare with --no-tui and no --plot" \
    "^memwatch: --compare draws in the dashboard or the --plot picture: with --no-tui, add --plot" \
    --compare b.csv "${live[@]:0:1}" -- "$MW_ALLOC" --ready-file ready2

# ---- --compare-at on a live run that never makes the mark: aligned at the starts, and said ---------
"$MEMWATCH" --no-tui -i 50ms --plot at.svg --compare b.csv --compare-at half -- "$MW_ALLOC" \
    --leak 1 --every 100 --steps 3 --then-exit 0 </dev/null >out 2>err
st=$?
check "a live run with --compare-at and no such mark exits 0 (got $st)" test "$st" = 0
check "... says its picture is aligned at the starts: $(cat err)" \
    grep -q "^memwatch: --compare-at: this run has no mark 'half': the plot aligns both captures at their first samples" err
check "... and the picture says so too" grep -q "elapsed time since each capture's first sample" at.svg
finish
