#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_name.sh — -n NAME: a unique match is watched like its PID, several are listed (exit 2), none is one line (exit 2), -n with a PID or command is a usage error.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

# A name no other process has: a copy of mw-alloc (its comm is the copy's name, cut to 15).
tag="mwnm$$"
cp "$MW_ALLOC" "$MW_TMP/$tag" || die "cannot copy mw-alloc"
MW_ALLOC="$MW_TMP/$tag" alloc_start one --alloc 6 || die "$tag did not start"
one=$ALLOC_PID

# ---- a unique match is watched, as `memwatch PID` would --------------------------------------------
out=$("$MEMWATCH" -n "$tag" --no-tui -i 50ms -t 400ms -o name.csv 2>"$MW_TMP/err") ||
    die "-n $tag exited $?: $(cat "$MW_TMP/err")"
check "-n $tag --no-tui -t: the summary names PID $one" eval "grep -q 'PID $one' <<<\"\$out\$(cat $MW_TMP/err)\""
check "-n $tag --no-tui -t: samples recorded" eval "[ \$(wc -l <name.csv) -ge 3 ]"
ok "-n $tag: the unique match (PID $one) was recorded"
# --name, and the basename of argv[0] (a name longer than the kernel's 15-character comm).
long="mwnamelonger$$x"
cp "$MW_ALLOC" "$MW_TMP/$long"
MW_ALLOC="$MW_TMP/$long" alloc_start long --alloc 2 || die "$long did not start"
lpid=$ALLOC_PID
"$MEMWATCH" --name "$long" --no-tui -t 200ms -o long.csv >"$MW_TMP/out" 2>&1 ||
    die "--name $long exited $?: $(cat "$MW_TMP/out")"
check "--name matches argv[0]'s basename past comm's 15 characters (PID $lpid)" grep -q "PID $lpid" "$MW_TMP/out"

# ---- two matches: both listed, exit 2 ----------------------------------------------------------------
MW_ALLOC="$MW_TMP/$tag" alloc_start two --alloc 3 || die "a second $tag did not start"
two=$ALLOC_PID
"$MEMWATCH" -n "$tag" --no-tui -t 200ms >"$MW_TMP/out" 2>"$MW_TMP/err"
st=$?
check "two matches: exit 2" eval "[ \"\$st\" = 2 ]"
check "two matches: the count and the name" grep -qx "memwatch: 2 processes are named '$tag':" "$MW_TMP/err"
check "two matches: PID $one listed with its RSS and command line" grep -Eq "^ +$one +[0-9.]+ [KMG]?i?B +.*$tag --alloc 6" "$MW_TMP/err"
check "two matches: PID $two listed" grep -Eq "^ +$two +[0-9.]+ [KMG]?i?B +.*$tag --alloc 3" "$MW_TMP/err"
check "two matches: nothing on stdout, nothing recorded" eval "[ ! -s $MW_TMP/out ]"
ok "two processes named $tag: both listed, exit 2"

# ---- none ----------------------------------------------------------------------------------------
"$MEMWATCH" -n "nosuch$$" --no-tui 2>"$MW_TMP/err"
st=$?
check "no match: exit 2" eval "[ \"\$st\" = 2 ]"
# Root looks at everyone's processes, a user at their own: the line says which.
yours="of yours "; [ "$(id -u)" = 0 ] && yours=""
check "no match: the line" grep -qx "memwatch: no process ${yours}is named 'nosuch$$'" "$MW_TMP/err"
check "no match: one line" eval "[ \$(wc -l <$MW_TMP/err) = 1 ]"
ok "no process named nosuch$$: one line, exit 2"

# ---- usage errors ------------------------------------------------------------------------------
# usage WANT ARG...: memwatch ARG... exits 2 with one line on stderr holding WANT.
usage() {
    local st want=$1
    shift
    "$MEMWATCH" "$@" >/dev/null 2>"$MW_TMP/err"
    st=$?
    [ "$st" = 2 ] && [ "$(wc -l <"$MW_TMP/err")" = 1 ] && grep -qF -- "$want" "$MW_TMP/err" ||
        die "memwatch $*: status $st, stderr: $(cat "$MW_TMP/err")"
}
usage "-n NAME chooses the process by its name" -n "$tag" "$one"
usage "-n NAME chooses the process by its name" -n "$tag" -- true
usage "-n NAME chooses the process by its name" -n "$tag" --demo
usage "invalid name 'a/b'" -n a/b
usage "invalid name ''" -n ""
ok "-n with a PID, a command or --demo, and a name with '/', are usage errors (one line, exit 2)"
# No target without a terminal: still the usage error, now naming -n NAME.
usage "no process given: a PID, -n NAME, -- COMMAND" --no-tui
"$MEMWATCH" </dev/null >/dev/null 2>"$MW_TMP/err"
st=$?
check "no target, stdin not a terminal: exit 2" eval "[ \"\$st\" = 2 ]"
check "no target, not a terminal: the usage line" grep -q "no process given: a PID, -n NAME, -- COMMAND" "$MW_TMP/err"
ok "no target with --no-tui or off a terminal: the usage error"
finish
