#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ship_docs.sh - the man pages format without warnings and match the program (options, keys, CSV header); README tables keep their cells; bash completion offers options, PIDs, files and commands.
. "$(dirname "$0")/ship_lib.sh"
man1=$SRCDIR/doc/memwatch.1
man3=$SRCDIR/doc/memwatch.3
comp=$SRCDIR/completion/bash/memwatch
cd "$TMP" # memwatch writes its launch logs to the current directory

# ---- groff ----------------------------------------------------------------------------------------
if command -v groff >/dev/null; then
    for page in "$man1" "$man3"; do
        out=$(groff -ww -z -man "$page" 2>&1) || die "groff failed on $page: $out"
        [ -z "$out" ] || die "groff warnings in $page: $out"
    done
    echo "ok: groff -ww -z -man: no warnings"
else
    echo "SKIP (part): no groff (apt-get install groff-base): the pages were not formatted"
fi

# Text of one section (.SH NAME up to the next .SH) of a page.
section() { awk -v s=".SH $2" '$0 == s { on = 1; next } /^\.SH / { on = 0 } on' "$1"; }

# ---- options: --help, memwatch.1 and the completion list the same ones ---------------------------
"$MEMWATCH" --help | grep -E '^ +-' | grep -oE -- '(^| )--?[a-zA-Z][a-z-]*' | tr -d ' ' | sort -u >"$TMP/help_opts"
[ -s "$TMP/help_opts" ] || die "no options found in --help"
section "$man1" OPTIONS | awk 'tp { print; tp = 0 } /^\.TP/ { tp = 1 }' | sed 's/\\-/-/g' |
    grep -oE -- '(^|[ "])--?[a-zA-Z][a-z-]*' | tr -d ' "' | sort -u >"$TMP/man_opts"
diff -u "$TMP/help_opts" "$TMP/man_opts" || die "options in --help (-) and in memwatch.1 OPTIONS (+) differ"
words=$(bash -c '. "$1"; COMP_WORDS=(memwatch -); COMP_CWORD=1; _memwatch; printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" | grep -v '^--$' | sort -u)
diff -u "$TMP/help_opts" <(echo "$words") || die "options in --help (-) and offered by the completion (+) differ"
echo "ok: --help, memwatch.1 and the completion agree on $(wc -l <"$TMP/help_opts") options"

# ---- keys: README.md's Keys table and memwatch.1's KEYS tags name the keys of the key table ------
# (src/ui/keys.c's mw__keytab, printed by tests/helpers/mw-keytable one name a line.)
# Byte order: a locale's collation may call "-" and "_" equal, and sort -u would keep one.
csort() { LC_ALL=C sort -u; }
"$BUILDDIR/tests/helpers/mw-keytable" | csort >"$TMP/table_keys"
[ -s "$TMP/table_keys" ] || die "tests/helpers/mw-keytable printed no keys"
# README: the first column of the table under "## Keys"; keys are in backticks, Ctrl-C is not.
awk '/^## Keys/ { on = 1; next } /^## / { on = 0 } on && /^\| / && !/^\|(---|.key)/' "$SRCDIR/README.md" |
    cut -d'|' -f2 | grep -oE '`[^`]+`|Ctrl-[A-Z]' | tr -d '`' |
    sed 's/^\xe2\x86\x90$/Left/; s/^\xe2\x86\x92$/Right/' | csort >"$TMP/readme_keys"
diff -u "$TMP/table_keys" "$TMP/readme_keys" || die "keys in the key table (-) and README.md's Keys table (+) differ"
# memwatch.1: the tag line after each .TP in KEYS; of a .BR line the bold (odd) arguments are keys.
section "$man1" KEYS | awk '
    tp { tp = 0; n = 0; line = $0; sub(/^\.[A-Z]+ /, "", line)
         while (length(line)) {
             if (line ~ /^ /) { line = substr(line, 2); continue }
             if (line ~ /^"/) { match(line, /^"[^"]*"/); arg = substr(line, 2, RLENGTH - 2) }
             else { match(line, /^[^ ]+/); arg = substr(line, 1, RLENGTH) }
             line = substr(line, RLENGTH + 1)
             if ($1 == ".B" || ($1 == ".BR" && n % 2 == 0)) print arg
             n++
         } }
    /^\.TP/ { tp = 1 }' | sed 's/\\-/-/g' | csort >"$TMP/man_keys"
diff -u "$TMP/table_keys" "$TMP/man_keys" || die "keys in the key table (-) and memwatch.1 KEYS (+) differ"
echo "ok: README.md, memwatch.1 and the key table name the same $(wc -l <"$TMP/table_keys") keys"

# ---- README: every row of "When things go wrong" has its 3 cells (case | what it does | test) ----
# A bare '|' inside a cell, even in backticks, splits the row on GitHub; '\|' is text.
bad_rows=$(awk '/^## When things go wrong/ { on = 1; next } /^## / { on = 0 }
    on && /^\|/ { row = $0; gsub(/\\\|/, "", row); n = gsub(/\|/, "", row)
                  if (n != 4) print NR ": " n - 1 " cells: " substr($0, 1, 60) }' "$SRCDIR/README.md")
[ -z "$bad_rows" ] || die "README.md's 'When things go wrong' rows need 3 cells (escape a '|' in a cell as '\|'):
$bad_rows"
n=$(awk '/^## When things go wrong/ { on = 1; next } /^## / { on = 0 } on && /^\|/' "$SRCDIR/README.md" | wc -l)
[ "$n" -gt 10 ] || die "README.md's 'When things go wrong' table not found ($n rows)"
echo "ok: README.md's 'When things go wrong' table: $n rows of 3 cells"

# ---- CSV: the header memwatch writes is the one memwatch.1 shows ---------------------------------
# (Without a memory probe no run can start, and a run that cannot start leaves no file.)
if [ "${MW_PROBE:-}" = none ]; then
    echo "SKIP (part): no memory probe in this build: no CSV to compare with memwatch.1"
else
    "$MEMWATCH" --no-tui -i 20ms -t 200ms -o "$TMP/rec.csv" -- sleep 5 >/dev/null 2>&1 || true
    [ -s "$TMP/rec.csv" ] || die "memwatch --no-tui -o wrote no CSV"
    written=$(head -n 1 "$TMP/rec.csv")
    # Read to the end (no early exit): a writer cut off mid-section dies of SIGPIPE (status 141).
    shown=$(section "$man1" "CSV FORMAT" | awk 'done { next } /^\.EX/ { on = 1; next } /^\.EE/ { done = 1; next } on' | tr -d '\n')
    [ "$written" = "$shown" ] || die "CSV header: memwatch writes '$written', memwatch.1 shows '$shown'"
    echo "ok: memwatch.1 shows the CSV header memwatch writes"
fi

# ---- memwatch.3 names every exported function -----------------------------------------------------
for f in $(sed -n 's/.*[ *]\(mw_[a-z0-9_]*\)(.*/\1/p' "$SRCDIR/src/memwatch.h" | sort -u); do
    grep -qE "(^|[ \"])$f( ?\(|\" )" "$man3" || die "memwatch.3 does not document $f()"
done
echo "ok: memwatch.3 documents every function of memwatch.h"

# ---- bash completion --------------------------------------------------------------------------------
bash -n "$comp" || die "the completion has syntax errors"
# complete WORD...: the completions of the last word, one a line (the completion runs on its own,
# without the bash-completion package).
complete_words() {
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _memwatch
             printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$@"
}
sleep 60 &
child=$!
trap 'kill $child 2>/dev/null; rm -rf "$TMP"' EXIT
is_sleep() { [ "$(cat "/proc/$child/comm" 2>/dev/null)" = sleep ]; }
tries=0
until is_sleep; do  # the forked shell has not exec'd sleep yet
    tries=$((tries + 1))
    [ $tries -le 200 ] || die "PID $child never became sleep"
    sleep 0.05
done
# Other PIDs may start with the same digits (2558 and 25582 on a busy machine): then the PID is
# listed with its name among them, else it completes to itself.
same_start() { find /proc -maxdepth 1 -name "$child*" -regex '/proc/[0-9]+' | wc -l; }
out=$(complete_words memwatch "$child")
if [ "$(same_start)" = 1 ] && [ "$out" != "$child" ]; then
    out=$(complete_words memwatch "$child") # one that started with those digits may just have ended
fi
if [ "$(same_start)" = 1 ]; then
    [ "$out" = "$child" ] || die "a unique PID completes to itself: got '$out'"
else
    grep -qE "^$child +\(sleep\)\$" <<<"$out" ||
        die "a PID that starts other PIDs' digits is listed with its name: got '$out'"
fi
out=$(complete_words memwatch "")
grep -qE "^$child +\(sleep\)\$" <<<"$out" || die "PIDs are listed with their command names: no '$child (sleep)'"
mkdir -p "$TMP/dir" && : >"$TMP/dir/capture.csv"
for opt in -o --replay --log; do
    out=$(complete_words memwatch "$opt" "$TMP/dir/cap")
    [ "$out" = "$TMP/dir/capture.csv" ] || die "$opt completes files: got '$out'"
done
out=$(complete_words memwatch --output = "$TMP/dir/cap")
[ "$out" = "$TMP/dir/capture.csv" ] || die "--output=FILE completes files: got '$out'"
out=$(complete_words memwatch -i 1s -- slee)
grep -qx sleep <<<"$out" || die "the command after -- completes from PATH: got '$out'"
out=$(complete_words memwatch --demo "")
[ -z "$out" ] || die "after --demo no PID is offered: got '$out'"
echo "ok: bash completion: options, PIDs with names, files, commands"
