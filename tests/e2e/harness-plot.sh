# SPDX-License-Identifier: MIT
# harness-plot.sh — what the --plot tests (cli_plot, cli_compare) share: Python and rsvg-convert or a skip, a private control directory for --mark, well_formed, png_check.
# shellcheck shell=bash

PY=/usr/bin/python3
[ -x "$PY" ] || skip "no $PY (apt-get install python3; the PNG is read with Python's zlib)"
command -v rsvg-convert >/dev/null 2>&1 ||
    skip "no rsvg-convert to render the SVG with (apt-get install librsvg2-bin)"
export XDG_RUNTIME_DIR=$MW_TMP/xdg # marks from outside: a private control directory
mkdir -m 700 "$XDG_RUNTIME_DIR"

# well_formed FILE: xmllint if there is one, else Python's XML parser.
well_formed() {
    if command -v xmllint >/dev/null 2>&1; then
        xmllint --noout "$1"
    else
        "$PY" -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$1"
    fi
}

# png_check FILE: prints the PNG's width, height, ink in the RSS panel, colours, blue (RSS) and
# green (VSZ) pixels in their panels, and --compare's pink anywhere (png_check.py).
png_check() { "$PY" "$MW_E2E_DIR/png_check.py" "$1"; }

