#!/bin/sh
# SPDX-License-Identifier: MIT
# autogen.sh — regenerate configure and Makefile.in from a fresh clone, from the macros in m4/ only.
# aclocal is pointed at an empty system directory, so a macro that only this machine has installed
# (autoconf-archive, a stray pkg.m4) cannot make the build work here and fail on a new machine;
# configure.ac's m4_pattern_forbid then stops autoreconf on any AX_/PKG_/LT_ macro left unexpanded.
# Automake's own macros still come from automake; libtool's are copied into m4/ by libtoolize.
set -e
cd "$(dirname "$0")"
unset ACLOCAL_PATH # its directories are searched like the system one: hide them too
sealed=$(mktemp -d "${TMPDIR:-/tmp}/memwatch-aclocal.XXXXXX")
trap 'rmdir "$sealed"' EXIT
# libtoolize first: autoreconf only runs it when aclocal can already see LT_INIT, and sealed off from
# the system directory it cannot until libtool.m4 is in m4/.
${LIBTOOLIZE:-libtoolize} --copy --force --install --quiet
ACLOCAL="${ACLOCAL:-aclocal} --system-acdir=$sealed" autoreconf -fi
