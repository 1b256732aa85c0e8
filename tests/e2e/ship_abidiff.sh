#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ship_abidiff.sh - abidiff compares the built libmemwatch with the last release's ABI (abi/libmemwatch.abi): any change needs the libtool -version-info bump it calls for.
. "$(dirname "$0")/ship_lib.sh"

command -v abidw >/dev/null && command -v abidiff >/dev/null ||
    skip "no abidw/abidiff (Debian package abigail-tools)"
dlname=$(. "$BUILDDIR/libmemwatch.la" && echo "$dlname")
[ -n "$dlname" ] || skip "no shared library in this build (--disable-shared)"
so=$BUILDDIR/.libs/$dlname
readelf -S "$so" 2>/dev/null | grep -q '\.debug_info' || skip "the library has no debug info (CFLAGS without -g)"

# The release's and this build's libtool current:revision:age; the soname is current - age.
base=$(grep -v '^#' "$SRCDIR/abi/version-info")
now=$(mkvar MW_LT_VERSION)
IFS=: read -r bcur brev bage <<<"$base"
IFS=: read -r cur rev age <<<"$now"
[ -n "$bage" ] && [ -n "$age" ] || die "cannot read the libtool versions (baseline '$base', build '$now')"

abidw $(mkvar ABIDW_FLAGS) --headers-dir "$SRCDIR/src" "$so" >"$TMP/current.abi" || die "abidw failed on $so"
rc=0
abidiff --suppressions "$SRCDIR/abi/libmemwatch.suppr" "$SRCDIR/abi/libmemwatch.abi" "$TMP/current.abi" \
    >"$TMP/diff" 2>&1 || rc=$?
cat "$TMP/diff"
(( rc & 3 )) && die "abidiff could not compare (exit $rc)"

# abidiff's exit status: bit 4 any ABI change, bit 8 a change known to break old programs. A
# function removed or changed (its types changed, beyond a growing struct's new tail, which
# abi/libmemwatch.suppr allows) breaks them too.
broke=no
(( rc & 8 )) && broke=yes
grep -Eq '^Functions changes summary: ([1-9][0-9]* Removed|[0-9]+ Removed, [1-9][0-9]* Changed)' "$TMP/diff" && broke=yes
grep -Eq '^(Function|Variable) symbols changes summary: [1-9][0-9]* Removed' "$TMP/diff" && broke=yes
if [ "$broke" = yes ]; then
    [ $((cur - age)) -gt $((bcur - bage)) ] ||
        die "an incompatible ABI change against the last release ($base): bump MW_LT_VERSION in configure.ac (current++, revision = 0, age = 0: a new soname), now $now"
    echo "ok: an incompatible change, and the soname moved from .so.$((bcur - bage)) to .so.$((cur - age))"
elif (( rc & 4 )); then
    [ "$cur" -gt "$bcur" ] && [ $((cur - age)) -eq $((bcur - bage)) ] ||
        die "interfaces were added since the last release ($base): MW_LT_VERSION in configure.ac needs current++, revision = 0, age++ (the soname stays .so.$((bcur - bage))), now $now"
    echo "ok: only additions, and -version-info $base -> $now keeps the soname .so.$((cur - age))"
else
    echo "ok: the ABI is the last release's ($base; now $now)"
fi
