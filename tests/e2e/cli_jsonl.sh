#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_jsonl.sh — -o --format jsonl: a real recording parses line by line (jq, Python), has the CSV's columns and figures, to stdout too.
. "$(dirname "$0")/harness.sh"

command -v jq > /dev/null || skip "jq is not installed (apt-get install jq)"
alloc_start t --alloc 8 || { fail "mw-alloc did not start"; finish; }
target=$ALLOC_PID

# ---- the same target recorded as CSV and as JSON Lines at once -----------------------------------
"$MEMWATCH" --no-tui -o rec.csv -i 20ms -t 1s "$target" > sum_csv.txt 2> err_csv.txt &
csv=$!
track "$csv"
"$MEMWATCH" --no-tui -o rec.jsonl --format jsonl -i 20ms -t 1s "$target" > sum.txt 2> err.txt
rc=$?
wait "$csv"
n=$(summary_samples sum.txt)
lines=$(wc -l < rec.jsonl)
note "jsonl: $lines lines, summary samples ${n:-none}; csv: $(rows rec.csv) rows"
check "jsonl: exit 0, no stderr" eval '[ $rc -eq 0 ] && [ ! -s err.txt ]'
check "jsonl: one line per sample (the summary's count), no header" \
    eval '[ -n "$n" ] && [ "$lines" -eq "$n" ] && [ "$lines" -ge 10 ]'
check "jsonl: every line is one JSON object for jq" \
    eval '[ "$(jq -c . rec.jsonl | wc -l)" -eq "$lines" ] && jq -e "type == \"object\"" rec.jsonl > /dev/null'
check "jsonl: the file ends with a complete line" [ "$(tail -c 1 rec.jsonl | od -An -c | tr -d ' ')" = '\n' ]

# Python: each line alone, keys in the CSV header's order, figures of the right type, unknown
# cells (CSV's empty ones) as null in the same columns.
expect "jsonl: Python reads each line; keys, types, nulls and figures match the CSV's" \
    python3 - "$target" <<'PY'
import csv, json, sys
pid = int(sys.argv[1])
with open("rec.csv", newline="") as f:
    rows = list(csv.reader(f))
header, crow = rows[0], rows[1:]
objs = [json.loads(line) for line in open("rec.jsonl")]
assert crow and objs, "empty recording"
for o in objs:
    assert list(o) == header, f"keys {list(o)} != header {header}"
    assert o["pid"] == pid, o
    assert isinstance(o["timestamp"], str) and o["timestamp"].endswith("Z"), o
    assert isinstance(o["elapsed_s"], float) or o["elapsed_s"] == 0, o
    assert o["rss_bytes"] > 0 and o["vsz_bytes"] >= o["rss_bytes"], o
    assert o["marker"] is None, o
    for k, v in o.items():
        assert v is None or isinstance(v, (int, float, str)), (k, v)
        assert v != "", (k, "an empty string: unknown figures are null")
# The same process, the same options: the same columns unknown in both formats.
null_j = {k for o in objs for k, v in o.items() if v is None}
empty_c = {header[i] for r in crow for i, v in enumerate(r) if v == ""}
assert null_j == empty_c, f"null in JSONL {sorted(null_j)} vs empty in CSV {sorted(empty_c)}"
# The same figures (an idle process): RSS within 1 MiB of the CSV's, pid equal.
jr = max(o["rss_bytes"] for o in objs)
cr = max(int(r[header.index("rss_bytes")]) for r in crow)
assert abs(jr - cr) <= 1 << 20 and jr >= 8 << 20, (jr, cr)
assert all(int(r[2]) == pid for r in crow)
# elapsed_s and timestamp agree as in CSV: rows in time order.
el = [o["elapsed_s"] for o in objs]
assert el == sorted(el) and el[0] == 0, el[:5]
PY

# ---- no overwrite, bad values, --replay of a JSON Lines file ---------------------------------------
before=$(cksum < rec.jsonl)
"$MEMWATCH" --no-tui -o rec.jsonl --format jsonl -t 1s "$target" > out.txt 2> err.txt
rc=$?
check "jsonl: an existing file is refused (exit 2, one line), left as it was" \
    eval '[ $rc -eq 2 ] && [ "$(wc -l < err.txt)" -eq 1 ] && grep -q "it exists" err.txt &&
          [ "$(cksum < rec.jsonl)" = "$before" ]'
"$MEMWATCH" --no-tui -o x.jsonl --format xml "$target" > out.txt 2> err.txt
rc=$?
check "--format xml: exit 2 with one line naming the value, no file" \
    eval '[ $rc -eq 2 ] && [ "$(wc -l < err.txt)" -eq 1 ] && grep -q "format .xml." err.txt && [ ! -e x.jsonl ]'
"$MEMWATCH" --no-tui --format jsonl "$target" > out.txt 2> err.txt
rc=$?
check "--format without -o: a usage error (exit 2, one line)" \
    eval '[ $rc -eq 2 ] && [ "$(wc -l < err.txt)" -eq 1 ] && grep -q -- "--format" err.txt'
"$MEMWATCH" --replay rec.jsonl > out.txt 2> err.txt
rc=$?
check "--replay of JSON Lines: exit 2, one line saying so" \
    eval '[ $rc -eq 2 ] && [ "$(cat err.txt)" = "memwatch: rec.jsonl is JSON Lines; --replay reads the CSV format" ]'

# ---- -o - --format jsonl: standard output into jq; a reader that goes away ends it quietly ------
"$MEMWATCH" --no-tui -o - --format jsonl -i 20ms -t 1s "$target" 2> err.txt |
    jq -r '"\(.pid) \(.rss_bytes)"' > piped.txt
rc=${PIPESTATUS[0]}
check "-o - --format jsonl | jq: exit 0, every object is the target's with RSS > 0" \
    eval '[ $rc -eq 0 ] && [ "$(wc -l < piped.txt)" -ge 10 ] &&
          awk -v p="$target" "\$1 != p || \$2 + 0 <= 0 { bad = 1 } END { exit bad }" piped.txt'
start=$(now_ms)
"$MEMWATCH" --no-tui -o - --format jsonl -i 10ms "$target" 2> err.txt | head -1 > head.txt
rc=${PIPESTATUS[0]}
took=$(($(now_ms) - start))
check "SIGPIPE: ends promptly with status 0 and nothing on stderr; head got one object" \
    eval '[ $took -lt $((3000 * MW_SLOW)) ] && [ $rc -eq 0 ] && [ ! -s err.txt ] && jq -e .pid head.txt > /dev/null'

alloc_stop t
finish
