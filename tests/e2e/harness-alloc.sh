#!/bin/bash
# SPDX-License-Identifier: MIT
# harness-alloc.sh — the e2e harness's mw-alloc test child, driven through a FIFO.
# Sourced by harness.sh (not run on its own): it uses harness.sh's temp dir, track and polling.
# Named, so that a script can drive several; each one's files are NAME.in, NAME.out, NAME.ready
# in $MW_TMP.

alloc_start() {
    local name=$1 fd
    shift
    rm -f "$MW_TMP/$name.in" "$MW_TMP/$name.out" "$MW_TMP/$name.ready"
    mkfifo "$MW_TMP/$name.in" || return 1
    # ARGS first: the dashboard's header shows the command line, and tests read it there.
    "$MW_ALLOC" "$@" --ready-file "$MW_TMP/$name.ready" <"$MW_TMP/$name.in" >"$MW_TMP/$name.out" &
    ALLOC_PID=$!
    track "$ALLOC_PID"
    eval "ALLOC_PID_$name=$ALLOC_PID"
    exec {fd}>"$MW_TMP/$name.in" # keeps the FIFO open: mw-alloc sees EOF only when we close it
    eval "ALLOC_FD_$name=$fd"
    wait_until 10 test -s "$MW_TMP/$name.ready"
}

alloc_replies() { wc -l <"$MW_TMP/$1.out"; }
alloc_answered() { [ "$(alloc_replies "$1")" -gt "$2" ]; }

alloc_cmd() {
    local name=$1 cmd=$2 fd before
    fd=$(eval echo "\$ALLOC_FD_$name")
    before=$(alloc_replies "$name")
    echo "$cmd" >&"$fd"
    wait_until 30 alloc_answered "$name" "$before" || { echo "timeout"; return 1; }
    sed -n "$((before + 1))p" "$MW_TMP/$name.out"
}

alloc_cmd_ok() {
    local reply
    reply=$(alloc_cmd "$1" "$2")
    case $reply in
    ok*) printf '%s\n' "$reply" ;;
    *) die "mw-alloc answered '$reply' to '$2'" ;;
    esac
}

alloc_stop() {
    local fd pid
    fd=$(eval echo "\$ALLOC_FD_$1")
    pid=$(eval echo "\$ALLOC_PID_$1")
    exec {fd}>&-
    wait "$pid" 2>/dev/null
}
