#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# .ci/valgrind.sh — run commands under valgrind memcheck; fail on any error or leak in any process.
# Usage: .ci/valgrind.sh CMD [ARGS...]   (run from a build directory)
# Criterion runs each test in a forked worker whose own exit status it does not pass on, so the
# verdict comes from every process's log (one per PID), not from valgrind's exit code.
set -u
logs=$(mktemp -d "${TMPDIR:-/tmp}/mw-valgrind.XXXXXX") || exit 2
trap 'rm -rf "$logs"' EXIT
# The test child mw-alloc (and what a test launches) is not ours to check: it is skipped, which
# also keeps the names tests expect. --vgdb=no: a test that drops privileges could not remove
# root's vgdb pipes.
valgrind -q --vgdb=no --trace-children=yes --trace-children-skip='*/mw-alloc,*/sleep,*/true' \
    --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect --track-fds=no --num-callers=30 \
    --log-file="$logs/vg.%p.log" "$@"
rc=$?
bad=0
for f in "$logs"/vg.*.log; do
    [ -s "$f" ] || continue
    # -q leaves only real reports in the log: any line at all is an error or a leak.
    echo "==== valgrind report ($(basename "$f")) for: $*"
    cat "$f"
    bad=1
done
if [ $rc -ne 0 ]; then
    echo "valgrind: '$*' exited with status $rc"
    bad=1
fi
[ $bad -eq 0 ] && echo "valgrind: clean: $*"
exit $bad
