#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ship_abi.sh - libmemwatch exports exactly the mw_* API of memwatch.h, the header works from C++, and --version / --help keep their promises.
. "$(dirname "$0")/ship_lib.sh"

# ---- exported symbols ---------------------------------------------------------------------------
dlname=$(. "$BUILDDIR/libmemwatch.la" && echo "$dlname")
[ -n "$dlname" ] || skip "no shared library in this build (--disable-shared)"
so=$BUILDDIR/.libs/$dlname
command -v nm >/dev/null || skip "no nm"
nm -D --defined-only "$so" | awk '{print $NF}' | sort -u >"$TMP/exported"
# What a linker may add by itself to any shared object (none with libtool's version script, but
# some toolchains export these markers).
toolchain='^(_init|_fini|_edata|_end|__bss_start)$'
bad=$(grep -Ev "$toolchain" "$TMP/exported" | grep -Ev '^mw_[a-z]' || true)
[ -z "$bad" ] || die "exported symbols outside the mw_* API: $(echo $bad)"
internal=$(grep '^mw__' "$TMP/exported" || true)
[ -z "$internal" ] || die "internal mw__ symbols exported: $(echo $internal)"
# Every function the header declares is exported, and nothing else is.
sed -n 's/.*[ *]\(mw_[a-z0-9_]*\)(.*/\1/p' "$SRCDIR/src/memwatch.h" | sort -u >"$TMP/declared"
grep -E '^mw_' "$TMP/exported" >"$TMP/exported_api" || true
diff -u "$TMP/declared" "$TMP/exported_api" ||
    die "memwatch.h declarations (-) and the library's exports (+) differ"
echo "ok: exports exactly the $(wc -l <"$TMP/declared") functions of memwatch.h"

# ---- mw_ names the public API only ------------------------------------------------------------
# In the sources, an mw_/MW_ name that memwatch.h does not define is a program or internal name
# wearing the public prefix: the program's are app_/APP_, the library's internal ones mw__/MW__.
grep -ohE '\b(mw|MW)_[A-Za-z0-9][A-Za-z0-9_]*' "$SRCDIR/src/memwatch.h" | sort -u >"$TMP/public_names"
find "$SRCDIR/src" -name '*.[ch]' ! -name memwatch.h -exec grep -ohE '\b(mw|MW)_[A-Za-z0-9][A-Za-z0-9_]*' {} + |
    grep -vE '^MW_[A-Z0-9_]*_H$|^MW_(HOST_OS|PROBE_NAME|RU_MAXRSS_UNIT)$' | sort -u |
    comm -23 - "$TMP/public_names" >"$TMP/stray_names"
[ ! -s "$TMP/stray_names" ] || die "mw_/MW_ names that are not memwatch.h's API: $(echo $(cat "$TMP/stray_names"))"
echo "ok: every mw_/MW_ name in src/ is memwatch.h's (header guards and config.h macros aside)"

# ---- C++ ------------------------------------------------------------------------------------------
cxx=${CXX:-}
[ -n "$cxx" ] || for c in g++ c++ clang++; do command -v "$c" >/dev/null && { cxx=$c; break; }; done
if [ -z "$cxx" ]; then
    echo "SKIP (part): no C++ compiler: the C++ checks did not run"
else
    cat >"$TMP/use.cpp" <<'CPP'
#include <memwatch.h>
#include <cstdio>
#include <cstring>
int main()
{
    mw_config cfg = mw_config_default();
    std::printf("%s %s\n", mw_strerror(MW_ENOPROC), mw_version());
    return std::strcmp(mw_strerror(MW_OK), mw_strerror(MW_ENOPROC)) != 0 && cfg.interval_ms > 0 ? 0 : 1;
}
CPP
    "$cxx" -fsyntax-only -x c++ -std=c++11 -Wall -Wextra -pedantic -Werror -I"$SRCDIR/src" -I"$BUILDDIR/src" \
        "$SRCDIR/src/memwatch.h" || die "memwatch.h does not compile as C++"
    # Linked to the built shared library: a missing extern "C" shows as undefined mangled names.
    "$cxx" $(mkvar SAN_CFLAGS) -std=c++11 -I"$SRCDIR/src" -I"$BUILDDIR/src" -o "$TMP/use" "$TMP/use.cpp" \
        -L"$BUILDDIR/.libs" -lmemwatch -Wl,-rpath,"$BUILDDIR/.libs" ||
        die "a C++ program calling mw_strerror does not link"
    out=$("$TMP/use") || die "the C++ program failed"
    echo "ok: C++ ($cxx): header compiles, links and runs: $out"
fi

# ---- --version and --help -------------------------------------------------------------------------
want=$(sed -n 's/^AC_INIT(\[memwatch\], *\[\([^]]*\)\].*/\1/p' "$SRCDIR/configure.ac")
[ -n "$want" ] || die "cannot read the version from configure.ac"
got=$("$MEMWATCH" --version) || die "--version exits non-zero"
[ "$(printf '%s\n' "$got" | head -n 1)" = "memwatch $want (libmemwatch $want)" ] ||
    die "--version says '$got', configure.ac '$want'"
printf '%s\n' "$got" | grep -q '^Licence: MIT\b' || die "--version does not name the MIT licence: '$got'"
for page in "$SRCDIR"/doc/memwatch.[13]; do
    grep -q "^\.TH MEMWATCH [13] \"[^\"]*\" \"memwatch $want\"" "$page" ||
        die "$page: .TH does not name version $want"
done
echo "ok: --version and the man pages say $want"

"$MEMWATCH" --help >"$TMP/help" || die "--help exits non-zero"
wide=$(awk 'length > 80 { printf "%d: %d columns\n", NR, length }' "$TMP/help")
[ -z "$wide" ] || die "--help lines wider than 80 columns: $wide"
grep -q '^Usage: memwatch' "$TMP/help" || die "--help has no usage line"
echo "ok: --help fits in 80 columns ($(wc -l <"$TMP/help") lines)"
