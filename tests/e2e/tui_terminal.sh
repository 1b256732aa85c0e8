#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_terminal.sh — the dashboard and its terminal: resizes, a SIGWINCH storm, help, quit, ASCII, NO_COLOR.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

alloc_start t --alloc 16 || die "mw-alloc did not start"

# layout_ok W H: the full layout fits a WxH pane: header flush right, both charts, footer last.
layout_ok() {
    local w=$1 h=$2 s widest
    s=$(screen)
    [ "$(printf '%s\n' "$s" | wc -l)" -eq "$h" ] || why "$h rows expected at ${w}x$h" || return
    printf '%s\n' "$s" | head -1 | grep -q "^PID $ALLOC_PID  .*[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\$" ||
        why "header row at ${w}x$h" || return
    [ "$(printf '%s\n' "$s" | head -1 | LC_ALL=C.UTF-8 wc -L)" -eq "$w" ] ||
        why "the header's clock is not flush with the right edge at ${w}x$h" || return
    widest=$(printf '%s\n' "$s" | LC_ALL=C.UTF-8 wc -L)
    [ "$widest" -le "$w" ] || why "a row is $widest columns wide at ${w}x$h" || return
    printf '%s\n' "$s" | grep -q '^RSS [0-9]' || why "no RSS chart at ${w}x$h" || return
    printf '%s\n' "$s" | grep -q '^VSZ [0-9]' || why "no VSZ chart at ${w}x$h" || return
    printf '%s\n' "$s" | tail -1 | grep -q '^q quit' || why "the footer is not the last row at ${w}x$h" ||
        return
    ! printf '%s\n' "$s" | grep -q 'too small' || why "'too small' at ${w}x$h"
}
layout_at() { settle 10 layout_ok "$1" "$2"; }

# ---- (e) resizes ---------------------------------------------------------------------------------
start_tui "$MEMWATCH" "$ALLOC_PID"
wait_for '^now RSS 1[0-9]\.[0-9] MiB'
layout_at 100 30
resize 20 6
wait_for '^ *terminal$'
wait_for '^ *too small$'
wait_for '^ *need 40x10$'
ok "20x6: the too-small message"
resize 40 10
layout_at 40 10
ok "40x10: compact layout"
resize 300 100
layout_at 300 100
tall_charts() { [ "$(screen | grep -Ec '(┤|│)')" -ge 80 ] || why "300x100: the charts should use the height"; }
settle 10 tall_charts
ok "300x100: large layout"
resize 100 30
layout_at 100 30
ok "back to 100x30"

# 50 resizes within a second, in one tmux call, then the final size must be drawn right.
storm=()
for i in $(seq 1 25); do
    storm+=(resize-window -t mw -x $((30 + i * 7)) -y $((8 + i)) \; resize-window -t mw -x 20 -y 6 \;)
done
t0=$(now_ms)
tm "${storm[@]}" resize-window -t mw -x 100 -y 30 || die "the resize storm failed"
note "51 resizes took $(($(now_ms) - t0)) ms"
! tui_ended || die "memwatch died in the resize storm"
layout_at 100 30
send C-l
layout_at 100 30
ok "SIGWINCH storm: still running, correct 100x30 screen"

# ---- (f) help overlay ------------------------------------------------------------------------------
# help_complete BORDER: the overlay lists every key, inside its BORDER (│ in UTF-8, | in ASCII).
help_complete() {
    local help k
    help=$(screen)
    for k in 'space, p' '+ / -' 'Home / End' 'z / Z' 'm  ' 'r  ' 'e  ' '? / h' 'q, Ctrl-C'; do
        printf '%s\n' "$help" | grep -qF -e "$1 $k" || why "help does not list '$k' after a '$1' border" ||
            return
    done
}
send '?'
wait_for 'memwatch keys'
settle 10 help_complete '│'
send Escape
wait_screen_gone 'memwatch keys'
send h
wait_for 'memwatch keys'
send Escape
wait_screen_gone 'memwatch keys'
layout_at 100 30
ok "help overlay: ? and h open it, Esc closes it"

# ---- (g) quit restores the terminal ----------------------------------------------------------------
[ "$(tmux_fmt '#{alternate_on}')" = 1 ] || die "the dashboard should use the alternate screen"
send q
st=$(wait_exit)
[ "$st" = 0 ] || die "status $st after q"
check_restored() {
    wait_for '^\[e2e\] program exited with status'
    [ "$(tmux_fmt '#{alternate_on}')" = 0 ] || die "still on the alternate screen after quitting"
    [ "$(tmux_fmt '#{cursor_flag}')" = 1 ] || die "the cursor is still hidden after quitting"
    [ "$(tmux_fmt '#{keypad_cursor_flag}')" = 0 ] || die "keypad mode left on after quitting"
    ! screen | grep -Eq '^(PID|RSS|VSZ|now) ' || die "dashboard left on the normal screen"
}
check_restored
ok "q: status 0, alternate screen gone, cursor back"

start_tui "$MEMWATCH" "$ALLOC_PID"
wait_for '^now RSS'
send C-c
st=$(wait_exit)
[ "$st" = 130 ] || die "status $st after Ctrl-C (128+SIGINT expected)"
check_restored
pid_exists "$ALLOC_PID" || die "Ctrl-C in the dashboard ended the watched process"
ok "Ctrl-C: status 130, terminal restored"

# ---- (k) ASCII rendering, NO_COLOR -----------------------------------------------------------------
ascii_dashboard() {
    local s
    s=$(screen)
    printf '%s\n' "$s" | grep -q '^RSS .*\^ peak' || why "$1: no ASCII peak marker" || return
    printf '%s\n' "$s" | grep -q '#' || why "$1: no ASCII bars" || return
    ! printf '%s\n' "$s" | LC_ALL=C grep -q '[^ -~]' || why "$1: non-ASCII characters on screen"
}
# The help is drawn over the dashboard: complete, and still nothing but ASCII.
ascii_help() {
    help_complete '|' || return
    ! screen | LC_ALL=C grep -q '[^ -~]' || why "$1: non-ASCII characters in the help"
}
check_ascii() {
    wait_for '^now RSS'
    wait_for '^q quit'
    settle 10 ascii_dashboard "$1"
    send '?'
    wait_for 'memwatch keys'
    settle 10 ascii_help "$1"
    send q q # the first closes the help, the second quits
    [ "$(wait_exit)" = 0 ] || die "$1: bad exit status"
}
start_tui "$MEMWATCH" --ascii "$ALLOC_PID"
check_ascii --ascii
ok "--ascii: pure ASCII screen"
start_tui env LANG=C "$MEMWATCH" "$ALLOC_PID"
check_ascii LANG=C
ok "LANG=C: pure ASCII screen"

esc=$(printf '\033')
colours() { tm capture-pane -e -p -t mw | grep -c "$esc\\[[^m]*3[0-7]m\|$esc\\[[^m]*38;"; }
start_tui "$MEMWATCH" "$ALLOC_PID"
wait_for '^q quit'
coloured() { [ "$(colours)" -gt 0 ] || why "no colour at all without NO_COLOR"; }
settle 10 coloured
send q
wait_exit >/dev/null
start_tui env NO_COLOR=1 "$MEMWATCH" "$ALLOC_PID"
wait_for '^q quit'
wait_for '▲ peak'
[ "$(colours)" -eq 0 ] || die "colour escapes with NO_COLOR=1"
bold() { tm capture-pane -e -p -t mw | grep -q "$esc\\[1m" || why "NO_COLOR: no bold left to carry styles"; }
settle 10 bold
send q
[ "$(wait_exit)" = 0 ] || die "NO_COLOR: bad exit status"
ok "NO_COLOR=1: no colour, bold kept"

# ---- terminals the dashboard cannot use: a clear error, not a crash -----------------------------
for term in dumb no-such-terminal-xyz; do
    start_tui env TERM=$term "$MEMWATCH" "$ALLOC_PID"
    st=$(wait_exit)
    [ "$st" = 2 ] || die "TERM=$term: status $st, expected 2"
    wait_for "^memwatch: .*TERM=$term"
    wait_for 'no-tui'
    [ "$(screen | grep -c .)" -le 3 ] || die "TERM=$term: more than a one-line error"
done
ok "TERM=dumb and an unknown TERM: one-line error, status 2"
