#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_marks_refused.sh — a mark from outside that memwatch refuses (a full sample) is said headless: one stderr line with the reason.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

export XDG_RUNTIME_DIR=$MW_TMP/xdg # a private runtime directory: the user's is never touched
mkdir -m 700 "$XDG_RUNTIME_DIR"
alloc_start t --alloc 8 || die "mw-alloc did not start"
# One sample a minute: every mark below lands on the first sample's cell, which fills up.
"$MEMWATCH" --no-tui -i 1m "$ALLOC_PID" > sum.txt 2> err.txt &
MW=$!
track "$MW"
wait_until 10 eval '"$MEMWATCH" --mark "$ALLOC_PID" first > /dev/null 2>&1' ||
    die "memwatch never took a mark: $(cat err.txt)"
label=$(printf 'L%.0s' {1..40})
refused=0
for i in $(seq 1 60); do
    if ! "$MEMWATCH" --mark "$ALLOC_PID" "$label$i" > m.out 2> m.err; then
        refused=$i
        break
    fi
done
check "marks of 42 bytes on one sample: one is refused, full (after $refused)" \
    eval '[ "$refused" -gt 1 ] && grep -q "too many marks" m.out m.err'
reason='^memwatch: mark from outside: mark not added: this sample holds too many marks'
poll 10 "memwatch's stderr says the refusal, with the reason" grep -q "$reason" err.txt
# SIGUSR1's unlabelled marks are short: a few may still fit. Each is answered on stderr, added
# or refused; send them one at a time until one is refused.
said() { grep -c "^memwatch: mark " err.txt; }
before=$(grep -c "$reason" err.txt)
for i in $(seq 1 40); do
    n=$(said)
    kill -USR1 "$MW"
    wait_until 10 eval '[ "$(said)" -gt "$n" ]' || break
    [ "$(grep -c "$reason" err.txt)" -gt "$before" ] && break
done
check "a SIGUSR1 refused too: said on stderr (nobody else hears it)" \
    eval '[ "$(grep -c "$reason" err.txt)" -gt "$before" ]'
check "each refusal is one line with its reason; the accepted marks said as before" \
    eval '! grep "^memwatch: mark from outside" err.txt | grep -v -q "$reason" &&
          grep -q "^memwatch: mark '"'first'"' at " err.txt'
[ "$refused" -gt 1 ] || note "$(cat m.out m.err err.txt)"
kill -INT "$MW"
wait "$MW"
finish
