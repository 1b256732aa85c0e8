#!/bin/sh
# SPDX-License-Identifier: MIT
# fuzz/run.sh — build every libFuzzer harness in fuzz/ with clang and run each for a bounded time.
#
# Usage: fuzz/run.sh [SECONDS] [OUTDIR]
#   SECONDS  time per harness (default 60)
#   OUTDIR   where binaries, logs, working corpora and crash inputs go (default: a new temp dir)
# Environment:
#   MW_BUILDDIR  the configured build directory holding config.h (default: the source tree after
#                an in-tree ./configure, else ./build)
#   CC           a clang with libFuzzer (default: clang)
# Each harness runs on a COPY of its seeds (fuzz/corpus/<name>), so the repo's corpus never
# changes. One line per harness; exit status 1 if any harness failed to build or crashed.
set -u

secs=${1:-60}
out=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
cc=${CC:-clang}
command -v "$cc" >/dev/null 2>&1 ||
    { echo "fuzz/run.sh: no $cc: libFuzzer needs clang (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
case $secs in ''|*[!0-9]*) echo "fuzz/run.sh: SECONDS must be a whole number, not '$secs'" >&2; exit 2;; esac

builddir=${MW_BUILDDIR:-}
if [ -z "$builddir" ]; then
    if [ -f "$top/config.h" ]; then builddir=$top; else builddir=$top/build; fi
fi
if [ ! -f "$builddir/config.h" ]; then
    echo "fuzz/run.sh: no config.h in $builddir: run ./configure first, or set MW_BUILDDIR" >&2
    exit 2
fi
if [ -z "$out" ]; then
    out=$(mktemp -d "${TMPDIR:-/tmp}/memwatch-fuzz.XXXXXX") || exit 2
fi
mkdir -p "$out" || exit 2

# The library sources each harness links (harness name without .c -> files under src/lib).
sources_of() {
    case $1 in
    fuzz_csv) echo "csv_read.c csv_records.c csv_cells.c csv_write.c export.c jsonl_write.c jsonstr.c atomicfile.c capture.c tiers.c ring.c stats.c sample.c" ;;
    fuzz_units) echo "units.c" ;;
    fuzz_procparse) echo "procparse.c units.c" ;;
    fuzz_smaps) echo "smapsparse.c smapsdiff.c atomicfile.c" ;;
    fuzz_cgroup) echo "cgroupparse.c" ;;
    *) return 1 ;;
    esac
}

status=0
for harness in "$top"/fuzz/fuzz_*.c; do
    [ -e "$harness" ] || continue
    name=$(basename "$harness" .c)
    seeds=$top/fuzz/corpus/${name#fuzz_}
    log=$out/$name.log
    if ! srcs=$(sources_of "$name"); then
        echo "$name: FAILED: no sources listed for it in fuzz/run.sh"
        status=1
        continue
    fi
    files=
    for s in $srcs; do files="$files $top/src/lib/$s"; done
    # shellcheck disable=SC2086 # $files is a list of paths without blanks
    if ! "$cc" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
            -I"$top/src" -I"$top/src/lib" -I"$builddir" -I"$builddir/src" "$harness" $files \
            -o "$out/$name" >"$log" 2>&1; then
        echo "$name: BUILD FAILED (see $log)"
        status=1
        continue
    fi
    work=$out/$name.corpus
    rm -rf "$work"
    mkdir -p "$work"
    [ -d "$seeds" ] && cp -R "$seeds"/. "$work"/
    nseeds=$(ls "$work" | wc -l | tr -d ' ')
    if "$out/$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
            -artifact_prefix="$out/$name-" "$work" >>"$log" 2>&1; then
        runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
        echo "$name: ok (${secs}s, ${runs:-?} runs, corpus $nseeds -> $(ls "$work" | wc -l | tr -d ' '))"
    else
        crash=$(ls "$out/$name"-* 2>/dev/null | grep -v '\.log$' | head -n 1)
        echo "$name: CRASH (input: ${crash:-none saved}; log: $log)"
        status=1
    fi
done
exit $status
