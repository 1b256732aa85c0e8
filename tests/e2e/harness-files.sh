#!/bin/bash
# SPDX-License-Identifier: MIT
# harness-files.sh — the e2e harness's readers of what memwatch writes: CSV captures, marks, JSON, the headless summary.
# Sourced by harness.sh (not run on its own): it uses harness.sh's ok/fail/die.
# jqe DESC FILTER FILE: jq -e FILTER FILE is true (on failure, what the filter gave is shown).
jqe() {
    if jq -e "$2" "$3" > /dev/null 2>&1; then ok "$1"; else fail "$1: got $(jq -c "$2" "$3" 2>&1 | head -c 300)"; fi
}

# marks FILE: every mark of a capture, one label a line, read as Python's csv module reads the
# file; a cell holding several marks joins them with " | " and doubles a label's own '|'.
marks() {
    /usr/bin/python3 - "$1" <<'PYEOF'
import csv, sys
for row in csv.DictReader(open(sys.argv[1], newline="")):
    cell, label, i = row["marker"], "", 0
    if cell == "":
        continue
    cell = cell[1:] if cell.startswith("'") else cell
    while i <= len(cell):
        if i == len(cell) or cell[i:i + 3] == " | ":
            print(label)
            label, i = "", i + 3
            continue
        label += cell[i]
        i += 2 if cell[i:i + 2] == "||" else 1
PYEOF
}
# Data rows of a capture file (lines after the header).
rows() { local n; n=$(wc -l 2>/dev/null < "$1") || n=0; [ "${n:-0}" -gt 0 ] && n=$((n - 1)); echo "${n:-0}"; }
has_rows() { [ "$(rows "$2")" -ge "$1" ]; } # has_rows N FILE
# last_row_ms FILE: the last row's timestamp in wall-clock milliseconds; fails when there is none.
last_row_ms() {
    local ts
    ts=$(tail -1 "$1" 2>/dev/null | cut -d, -f1)
    [ "${ts#20}" != "$ts" ] && date -u -d "$ts" +%s%3N 2>/dev/null
}
# Value of column COL (name from the header) in every data row of FILE.
column() {
    awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
                           c { print $c }' "$1"
}
# Largest value of a numeric column.
column_max() { column "$1" "$2" | awk 'NR == 1 || $1 + 0 > m { m = $1 + 0 } END { printf "%.0f\n", m }'; }
CSV_HEADER='timestamp,elapsed_s,pid,rss_bytes,vsz_bytes,shared_bytes,anon_bytes,file_bytes,shmem_bytes,swap_bytes,hwm_bytes,nprocs,hwm_rose,marker,nprocs_unreadable,pss_bytes,pss_anon_bytes,pss_file_bytes,pss_shmem_bytes,uss_bytes,swap_pss_bytes,cg_current_bytes,cg_peak_bytes,cg_limit_bytes,cg_high_bytes,cg_anon_bytes,cg_file_bytes,cg_kernel_bytes,cg_swap_bytes'

# Parse a size as the summary prints it ("201.6 MiB", "604 KiB", "0 B") into bytes.
size_bytes() {
    awk -v v="$1" -v u="$2" 'BEGIN { m = 1; if (u == "KiB") m = 1024; else if (u == "MiB") m = 1048576;
        else if (u == "GiB") m = 1073741824; printf "%.0f\n", v * m }'
}
# summary_peak FILE: the RSS peak in bytes from a headless summary.
summary_peak() {
    local l; l=$(grep -m1 '^  RSS ' "$1") || return 1
    l=${l##*peak }; set -- $l; size_bytes "$1" "$2"
}
# summary_hwm FILE: the "kernel high-water mark" figure in bytes, if the summary has that line.
summary_hwm() {
    local l; l=$(grep -m1 'kernel high-water mark' "$1") || return 1
    l=${l##*mark }; set -- ${l%%:*}; size_bytes "$1" "$2"
}
summary_samples() { sed -n 's/^  samples   \([0-9]*\) .*/\1/p' "$1"; }
