#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ship_install.sh - 'make install DESTDIR=' installs exactly the shipped files, the example builds against them with pkg-config alone, and 'make uninstall' removes them all.
. "$(dirname "$0")/ship_lib.sh"

root=$TMP/root
bmake install DESTDIR="$root" >"$TMP/install.log" 2>&1 || { cat "$TMP/install.log"; die "make install"; }

# What must be there: paths as the build was configured (any --prefix/--libdir), library file
# names as libtool built them (the build tree's .la lists them; the .la itself is not installed).
libdir=$(mkvar libdir)
lib_files=$(. "$BUILDDIR/libmemwatch.la" && echo $library_names $old_library)
{
    echo "$(mkvar bindir)/memwatch"
    for f in $lib_files; do echo "$libdir/$f"; done
    echo "$(mkvar includedir)/memwatch.h"
    echo "$(mkvar pkgconfigdir)/memwatch.pc"
    echo "$(mkvar man1dir)/memwatch.1"
    echo "$(mkvar man3dir)/memwatch.3"
    # A page per function memwatch.h declares (each a .so link to memwatch.3).
    sed -n 's/.*[ *]\(mw_[a-z0-9_]*\)(.*/\1/p' "$SRCDIR/src/memwatch.h" | sort -u |
        sed "s|^|$(mkvar man3dir)/|; s|\$|.3|"
    echo "$(mkvar includedir)/memwatch_version.h"
    echo "$(mkvar bashcompletiondir)/memwatch"
    echo "$(mkvar docdir)/README.md"
    echo "$(mkvar docdir)/LICENSE"
} | sed "s|^|$root|" | sort >"$TMP/expected"
find "$root" \( -type f -o -type l \) | sort >"$TMP/installed"
diff -u "$TMP/expected" "$TMP/installed" || die "installed files differ from the list (- missing, + extra)"
echo "ok: installed exactly $(wc -l <"$TMP/installed") files"

"$root$(mkvar bindir)/memwatch" --version | grep -q "^memwatch " || die "installed memwatch --version"

# man finds each function's page, and it is memwatch.3 (man-db follows the .so link).
nfuncs=$(sed -n 's/.*[ *]\(mw_[a-z0-9_]*\)(.*/\1/p' "$SRCDIR/src/memwatch.h" | sort -u | wc -l)
[ "$nfuncs" -ge 30 ] || die "only $nfuncs functions read from memwatch.h"
if command -v man >/dev/null && command -v groff >/dev/null; then
    MANPAGER=cat MANWIDTH=100 man -M "$root$(mkvar mandir)" 3 mw_watcher_start 2>/dev/null >"$TMP/man.out" ||
        die "man -M <DESTDIR> 3 mw_watcher_start finds no page"
    grep -q "libmemwatch" "$TMP/man.out" || die "man mw_watcher_start does not show memwatch.3"
    echo "ok: man mw_watcher_start shows memwatch.3 (one of $nfuncs function pages)"
else
    echo "SKIP (part): no man/groff: the $nfuncs function pages were only listed"
fi

# The example, against the installed copy only: no source or build-tree paths, just pkg-config.
# PKG_CONFIG_SYSROOT_DIR re-roots the .pc's -I/-L under DESTDIR; PKG_CONFIG_LIBDIR hides the
# system's own .pc files; the ALLOW_SYSTEM_* keep -I/-L even for a --prefix=/usr build.
pkgconfig=$(mkvar PKG_CONFIG)
[ -n "$pkgconfig" ] || skip "no pkg-config"
flags=$(PKG_CONFIG_LIBDIR="$root$(mkvar pkgconfigdir)" PKG_CONFIG_PATH= PKG_CONFIG_SYSROOT_DIR="$root" \
    PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 PKG_CONFIG_ALLOW_SYSTEM_LIBS=1 \
    "$pkgconfig" --cflags --libs memwatch) || die "pkg-config --cflags --libs memwatch"
echo "pkg-config: $flags"
case $flags in *"$root"*) ;; *) die "pkg-config flags do not point into the DESTDIR: $flags" ;; esac
# A sanitizer build's library needs the sanitizer runtime in the program too.
$(mkvar CC) $(mkvar SAN_CFLAGS) -o "$TMP/demo" "$SRCDIR/examples/memory_watcher_demo.c" $flags \
    || die "cannot build the example against the installed library"
LD_LIBRARY_PATH="$root$libdir" ldd "$TMP/demo" | grep libmemwatch | grep -qF "$root$libdir/" ||
    die "the example does not load the installed libmemwatch"
if [ "${MW_PROBE:-}" = none ]; then
    # A build without a memory probe (--with-probe=none): the example must fail, saying why.
    if LD_LIBRARY_PATH="$root$libdir" timeout 60 "$TMP/demo" >"$TMP/demo.out" 2>&1 ||
        ! grep -q "not supported" "$TMP/demo.out"; then
        cat "$TMP/demo.out"; die "without a probe the example must fail, saying sampling is not supported"
    fi
    echo "ok: examples/memory_watcher_demo.c built with pkg-config; without a probe it says so"
else
    LD_LIBRARY_PATH="$root$libdir" timeout 60 "$TMP/demo" >"$TMP/demo.out" 2>&1 ||
        { cat "$TMP/demo.out"; die "the example, linked to the installed library, failed"; }
    grep -q "summary over" "$TMP/demo.out" || { cat "$TMP/demo.out"; die "the example printed no summary"; }
    echo "ok: examples/memory_watcher_demo.c built with pkg-config and ran"
fi

bmake uninstall DESTDIR="$root" >"$TMP/uninstall.log" 2>&1 || { cat "$TMP/uninstall.log"; die "make uninstall"; }
left=$(find "$root" \( -type f -o -type l \))
[ -z "$left" ] || die "make uninstall left: $left"
echo "ok: make uninstall removed everything"
