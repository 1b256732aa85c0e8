#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ship_header.sh - memwatch.h compiles warning-free as C99/C11/C17 and C++11/C++17 (gcc, g++, clang if present), its version macros are configure.ac's, and the example builds under -std=c11.
. "$(dirname "$0")/ship_lib.sh"

want=$(sed -n 's/^AC_INIT(\[memwatch\], *\[\([^]]*\)\].*/\1/p' "$SRCDIR/configure.ac")
[ -n "$want" ] || die "cannot read the version from configure.ac"
IFS=. read -r major minor patch <<<"$want"
want_num=$((10#$major * 10000 + 10#$minor * 100 + 10#${patch%%[!0-9]*}))

# A program as another project writes it: the header alone, no feature-test macros, strict flags.
cat >"$TMP/use.c" <<'C'
#include <memwatch.h>
#include <stdio.h>
#include <string.h>
#if !defined(MW_VERSION_NUM) || MW_VERSION_NUM != MW_VERSION_MAJOR * 10000 + MW_VERSION_MINOR * 100 + MW_VERSION_PATCH
#error "MW_VERSION_NUM is not usable in #if"
#endif
int main(void)
{
    mw_stats s;
    mw_watcher *w = NULL;
    int rc = mw_watcher_create(NULL, &w);
    memset(&s, 0, sizeof s);
    printf("%d.%d.%d %d %s %s %ld\n", MW_VERSION_MAJOR, MW_VERSION_MINOR, MW_VERSION_PATCH,
           (int)MW_VERSION_NUM, MW_VERSION_STRING, mw_version(), (long)s.timestamp.tv_nsec);
    mw_watcher_free(w);
    return rc != 0 || w == NULL || strcmp(MW_VERSION_STRING, mw_version()) != 0;
}
C
strict="-Wall -Wextra -pedantic -Werror"
san=$(mkvar SAN_CFLAGS)
dlname=$(. "$BUILDDIR/libmemwatch.la" && echo "$dlname")
[ -n "$dlname" ] || skip "no shared library in this build (--disable-shared)"

# build COMPILER LANG STD: compile use.c as LANG/STD against the source header, link, run.
ran=0
build() {
    local cc=$1 lang=$2 std=$3 out
    command -v "$cc" >/dev/null || { echo "SKIP (part): no $cc"; return 0; }
    "$cc" -x "$lang" -std="$std" $strict -I"$SRCDIR/src" -I"$BUILDDIR/src" -c -o "$TMP/use.o" "$TMP/use.c" ||
        die "memwatch.h does not compile warning-free with $cc -std=$std"
    "$cc" $san -o "$TMP/use" "$TMP/use.o" -L"$BUILDDIR/.libs" -lmemwatch -Wl,-rpath,"$BUILDDIR/.libs" ||
        die "$cc -std=$std: a program calling memwatch does not link"
    out=$("$TMP/use") || die "$cc -std=$std: the program failed: $out"
    [ "$out" = "$major.$minor.$patch $want_num $want $want 0" ] ||
        die "$cc -std=$std: version macros say '$out', configure.ac says $want ($want_num)"
    echo "ok: $cc -std=$std $strict: $out"
    ran=$((ran + 1))
}
cc=$(mkvar CC)
cc=${cc%% *} # the compiler, without flags configure may have added
for std in c99 c11 c17; do build "$cc" c "$std"; done
cxx=g++
case $cc in *clang*) cxx=clang++ ;; esac
for std in c++11 c++17; do build "$cxx" c++ "$std"; done
# Clang too, but not against a sanitized library: its runtime is the build compiler's, and two
# sanitizer runtimes in one program refuse to start.
if [ -n "$san" ]; then
    echo "SKIP (part): sanitized build ($san): clang's programs would bring a second runtime"
elif command -v clang >/dev/null; then
    for std in c99 c11 c17; do build clang c "$std"; done
    for std in c++11 c++17; do build clang++ c++ "$std"; done
fi
[ "$ran" -ge 3 ] || die "only $ran compilers/standards ran"

# The example: no implicit declarations under strict C11 (nanosleep needs its feature-test macro).
for std in c11 c17; do
    "$cc" -std="$std" $strict -I"$SRCDIR/src" -I"$BUILDDIR/src" -c -o "$TMP/demo.o" \
        "$SRCDIR/examples/memory_watcher_demo.c" || die "the example warns under $cc -std=$std"
done
echo "ok: examples/memory_watcher_demo.c compiles warning-free with $cc -std=c11 and -std=c17"
