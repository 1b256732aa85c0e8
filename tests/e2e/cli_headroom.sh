#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_headroom.sh — the summary's time to a limit: a steady climb under RLIMIT_AS is named with its time; a flat process gets no line (issue 18).
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

[ "${MW_PROBE:-linux}" = linux ] || skip "RLIMIT_AS is read from /proc (Linux)"

# ---- a steady climb of 16 MiB/s under a 600 MiB address-space limit -----------------------------
# After 14 s VSZ is ~230 MiB: ~370 MiB left at 16 MiB/s is ~23 s. The limit is set in the
# command's own shell (ulimit -v, KiB), so memwatch itself runs unlimited.
# shellcheck disable=SC2016 # expanded by the shell under test
"$MEMWATCH" --no-tui -i 100ms -t 14s --summary-json climb.json -- \
    sh -c 'ulimit -v 614400 && exec "$0" --leak 4 --every 250' "$MW_ALLOC" > climb.sum 2> climb.err
sed 's/^/#      /' climb.sum
line=$(grep '^  headroom  ' climb.sum)
expect "a steady climb: the headroom line names RLIMIT_AS 600 MiB and a time" \
    grep -Eq '^  headroom  at this rate VSZ reaches RLIMIT_AS 600\.0 MiB in ~[0-9.]+ (s|min)$' climb.sum
secs=$(awk '{ n = $(NF - 1); sub(/^~/, "", n); print int(n * ($NF == "min" ? 60 : 1)) }' <<< "$line")
check "a steady climb: the time (${line#  headroom  }) is what 16 MiB/s leaves (10..60 s)" \
    [ "${secs:-0}" -ge 10 -a "${secs:-0}" -le 60 ]
expect "--summary-json: headroom names rlimit_as with its seconds" \
    python3 -c 'import json,sys; h=json.load(open("climb.json"))["headroom"]
assert h["ceiling"] == "rlimit_as" and 10 <= h["seconds"] <= 60 and "RLIMIT_AS" in h["text"], h'

# ---- a process that does not grow: nothing is said, even with a limit set -----------------------
# shellcheck disable=SC2016
"$MEMWATCH" --no-tui -i 100ms -t 12s --summary-json flat.json -- \
    sh -c 'ulimit -v 614400 && exec "$0" --alloc 20 --leak 1 --every 600000' "$MW_ALLOC" > flat.sum 2> flat.err
check "no growth: no headroom line" eval '! grep -q headroom flat.sum'
expect "no growth: --summary-json's headroom is null" \
    python3 -c 'import json; d=json.load(open("flat.json")); assert d["headroom"] is None and d["oom"] is None, d'
finish
