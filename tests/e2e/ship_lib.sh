# SPDX-License-Identifier: MIT
# ship_lib.sh - sourced by the ship_* tests: find the build and source trees, read make variables, die, skip, clean up.
# Not tests/e2e/harness.sh: these scripts run no process to watch and no pane; they check what the
# build ships (install, ABI, docs, licence) with make, under set -e. Their verbs mean what the
# harness's do: die stops the script, skip exits 77.
set -euo pipefail
: "${MEMWATCH:?run this through 'make check' (MEMWATCH names the built program)}"
BUILDDIR=$(cd "$(dirname "$MEMWATCH")" && pwd)
SRCDIR=${MW_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mw-ship.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

die() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

# make in the build tree, without the calling make's flags (a test gets no jobserver anyway).
bmake() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "${MAKE:-make}" -C "$BUILDDIR" --no-print-directory "$@"; }

# The value of a variable of the build tree's Makefile, e.g. mkvar libdir, mkvar SAN_CFLAGS.
mkvar() { printf 'mw-ship-print:\n\t@echo $(%s)\n' "$1" | bmake -s -f Makefile -f - mw-ship-print; }
