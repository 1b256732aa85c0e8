#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_outputs.sh — the dashboard with -o --format jsonl and --prom-textfile: a mark's label escaped in JSON, the textfile rewritten and ended.
. "$(dirname "$0")/harness.sh"

alloc_start t --alloc 8 || { fail "mw-alloc did not start"; finish; }
target=$ALLOC_PID
samples_in() { sed -n 's/^memwatch_samples_total{[^}]*} \([0-9]*\)$/\1/p' "$1"; }
marker_is() { [ "$(jq -r 'select(.marker != null) | .marker' rec.jsonl 2> /dev/null)" = "$1" ]; }

start_tui "$MEMWATCH" -i 100ms -o rec.jsonl --format jsonl --prom-textfile live.prom "$target"
check "dashboard: the textfile gets the figures at the first sample" \
    wait_until 10 grep -qs "^memwatch_resident_memory_bytes{pid=\"$target\",comm=\"mw-alloc\"} [1-9]" live.prom
n1=$(samples_in live.prom)
label='say "hi" C:\dir'
send m
send_text "$label"
send Enter
check "dashboard: the mark's label reaches the JSON Lines file, quote and backslash intact" \
    wait_until 10 marker_is "$label"
check "dashboard: the textfile is rewritten while the dashboard runs (samples_total ${n1:-?} grows)" \
    wait_until 15 eval '[ "$(samples_in live.prom)" -gt "${n1:-0}" ]'
st=$(dashboard_quit)
check "dashboard: q ends it with status 0 (got $st)" [ "$st" = 0 ]
check "dashboard: the last rewrite says memwatch_target_running 0" \
    grep -q "^memwatch_target_running{pid=\"$target\",comm=\"mw-alloc\"} 0$" live.prom
if command -v promtool > /dev/null; then
    expect "dashboard: promtool check metrics accepts the final file" sh -c 'promtool check metrics < live.prom'
else
    note "promtool is not installed (apt-get install prometheus): its check is skipped"
fi
expect "dashboard: every JSON Lines row parses, one mark with the label" python3 - "$label" <<'PY'
import json, sys
rows = [json.loads(line) for line in open("rec.jsonl")]
marks = [r["marker"] for r in rows if r["marker"] is not None]
assert len(rows) >= 5 and marks == [sys.argv[1]], (len(rows), marks)
PY

finish # (the harness ends mw-alloc: tmux holds its FIFO open, so an EOF would never reach it)
