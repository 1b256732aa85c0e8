#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ship_licence.sh - the MIT LICENSE is there, every file the project wrote says SPDX MIT near its top, --version names the licence.
. "$(dirname "$0")/ship_lib.sh"
cd "$SRCDIR"

grep -q '^MIT License$' LICENSE || die "LICENSE is missing or is not the MIT licence"
grep -q '^Copyright (c) 2026 the memwatch authors$' LICENSE || die "LICENSE lacks the copyright line"

# What the project wrote: sources, headers, scripts, tests, man pages, build files. Vendored m4/
# macros keep their own licences; golden screens, fixtures and fuzz seeds are data.
# (Found by name, not by git: a release tarball has no .git.)
files=$( { find src tests bench examples fuzz doc completion screenshots .ci \
             \( -path tests/golden -o -path tests/fixtures -o -path fuzz/corpus \) -prune -o \
             -type f \( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.[13]' -o -path '.ci/*' \
                        -o -path 'completion/*' \) -print
           printf '%s\n' quickstart autogen.sh configure.ac Makefile.am memwatch.pc.in; } |
         grep -vE '\.(o|lo|log|trs)$|/\.(deps|libs)/' | sort -u)
n=0 missing=""
for f in $files; do
    [ -f "$f" ] || { missing="$missing $f(absent)"; continue; }
    n=$((n + 1))
    head -n 3 "$f" | grep -q 'SPDX-License-Identifier: MIT' || missing="$missing $f"
done
[ "$n" -gt 100 ] || die "found only $n files to check: is SRCDIR ($SRCDIR) the source tree?"
[ -z "$missing" ] || die "no 'SPDX-License-Identifier: MIT' in the first 3 lines of:$missing"
echo "ok: $n project files carry SPDX-License-Identifier: MIT"

for m in m4/ax_*.m4 m4/pkg.m4; do
    grep -qiE '^(#|dnl) *(LICENSE|This program is free software|Copying and distribution)' "$m" ||
        grep -q 'Copying and distribution of this file' "$m" || die "$m has no licence header"
done
echo "ok: vendored m4 macros keep their licence headers"

"$MEMWATCH" --version | grep -q '^Licence: MIT\b' || die "--version does not name the MIT licence"
for page in doc/memwatch.1 doc/memwatch.3; do
    grep -q '^\.SH COPYRIGHT' "$page" && grep -q 'MIT licence' "$page" || die "$page has no COPYRIGHT section naming MIT"
done
echo "ok: --version and both man pages name the MIT licence"
