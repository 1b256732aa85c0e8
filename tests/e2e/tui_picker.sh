#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_picker.sh — memwatch with no target on a terminal: the picker lists the user's processes by RSS with growth, typing filters, Enter watches the selected PID (c: the tree), Esc quits 0, 40 columns still draw.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

# Copies of mw-alloc under names no other process has: the filter finds exactly these.
tag="mwpk$$"
cp "$MW_ALLOC" "$MW_TMP/${tag}a" && cp "$MW_ALLOC" "$MW_TMP/${tag}b" || die "cannot copy mw-alloc"
MW_ALLOC="$MW_TMP/${tag}a" alloc_start a --alloc 40 || die "${tag}a did not start"
a=$ALLOC_PID
MW_ALLOC="$MW_TMP/${tag}b" alloc_start b --alloc 8 || die "${tag}b did not start"
b=$ALLOC_PID
note "${tag}a is PID $a (40 MiB), ${tag}b is PID $b (8 MiB)"

# The picker's process rows: "PID NAME ..." lines under its header, up to the help line.
rows() { screen | awk '/^ +PID NAME/ { on = 1; next } on && /^ *[0-9]+ / { print } /^Enter/ { exit }'; }
row_pids() { rows | awk '{ print $1 }' | tr '\n' ' '; }
row_of() { rows | grep -E "^ *$1 "; }

# ---- the list, growth, newcomers, filter, Enter -------------------------------------------------
start_tui "$MEMWATCH"
if [ "$(id -u)" = 0 ]; then whose="all users'" short="all users"; else whose="yours" short="yours"; fi
wait_for "^memwatch: pick a process \\($whose, by RSS\\)"
ok "no target on a terminal: the picker opens, titled '$whose'"
sorted_ok() {
    # The RSS is the first "N UNIT" of a row (a name may hold spaces: no fixed field).
    rows | awk '{ if (!match($0, /[0-9.]+ (B|KiB|MiB|GiB)( |$)/)) { print "no RSS in: " $0; exit 1 }
                  split(substr($0, RSTART, RLENGTH), f, " "); u = f[2];
                  m = u == "GiB" ? 1024 : u == "MiB" ? 1 : u == "KiB" ? 1/1024 : 1/1048576;
                  x = f[1] * m; if (NR > 1 && x > last + 0.05) { print "row " NR " larger than the one above"; exit 1 } last = x }'
}
wait_for "^ *[0-9]+ .* (KiB|MiB|GiB) "
check "rows are sorted by RSS, largest first" sorted_ok
me=$(pgrep -P "$(pane_pid)" | head -1)
[ -n "$me" ] || die "cannot find memwatch's PID under the pane"
# Filtered to memwatch, so that its own row would be on screen if it were listed.
send_text "memwatch"
wait_for "^filter: memwatch_"
# The filter has been applied once the title's "K of N" counts fewer rows than processes (a
# runner's command line naming memwatch may be cut off the screen's width: not a sign to wait for).
filtered() { screen | awk 'NR == 1 { if (match($0, /[0-9]+ of [0-9]+$/)) { split(substr($0, RSTART), f, " "); exit !(f[1] < f[3]) } exit 1 }'; }
settle 5 filtered
check "memwatch itself ($me) is not listed" eval "! rows | grep -Eq '^ *$me '"
send Escape
wait_for "^filter: _"
check "kernel threads are not listed" eval "! rows | grep -Eq ' (kthreadd|ksoftirqd/[0-9]+|rcu_[a-z]+) '"

# Filtered to the copies (on a busy machine they may be below the screen's first rows).
send_text "$tag"
settle 10 eval '[ "$(row_pids)" = "$a $b " ]'
ok "typing '$tag' filters to the two copies, larger first"
check "the filter is shown" screen_has "^filter: $tag"_
check "both copies are listed with their RSS" eval "row_of $a | grep -Eq ' 4[0-9]\\.[0-9] MiB ' && row_of $b | grep -Eq ' (8|9|1[0-9])\\.[0-9] MiB '"
check "the command line is shown" eval "row_of $a | grep -q -- '--alloc 40'"

alloc_cmd a "alloc 12" >/dev/null
wait_for "^ *$a +${tag}a +.* \\+1[2-3]\\.[0-9] MiB "
ok "growth since the picker opened: +12 MiB on ${tag}a's row"
MW_ALLOC="$MW_TMP/${tag}b" alloc_start c --alloc 2 || die "a third copy did not start"
c=$ALLOC_PID
wait_for "^ *$c +${tag}b +.* new "
ok "a process that appeared after the picker opened says 'new', and the filter holds it"
# (a screen is read as drawn: a capture can catch a refresh half written, so poll for it)
check "three rows match now" wait_until 5 eval '[ "$(rows | wc -l)" = 3 ]'
[ "$(rows | wc -l)" = 3 ] || note "rows: $(rows | tr '\n' '/')"
send_text "B"
wait_for "^filter: ${tag}B_"
settle 10 eval '[ "$(row_pids)" = "$b $c " ]'
ok "the filter ignores case: ${tag}B shows $b and $c (larger first)"
send Down
send Enter
wait_for "^PID $c "
ok "Down, Enter: the dashboard opens on PID $c (the second row)"
st=$(dashboard_quit)
[ "$st" = 0 ] || die "the dashboard after the picker exited $st"

# ---- the mouse: the wheel moves the selection, a click selects, a click on the selection watches --
# (xterm's SGR reports, as a terminal sends them once the program asks for the mouse; X, Y from 1)
click() { tm send-keys -t mw -l -- "$(printf '\033[<0;%d;%dM\033[<0;%d;%dm' "$1" "$2" "$1" "$2")"; }
wheel() { tm send-keys -t mw -l -- "$(printf '\033[<%d;%d;%dM' "$1" "$2" "$3")"; }
# the PID on the selected row: the one that starts in reverse video (ESC[...;7m)
selected() { tm capture-pane -e -p -t mw | grep -E $'^\033\\[([0-9]+;)*7m' | sed $'s/\033\\[[0-9;]*m//g' | awk '{ print $1; exit }'; }
start_tui "$MEMWATCH"
wait_for "^memwatch: pick a process"
check "the picker asks the terminal for mouse reports" eval '[ "$(tmux_fmt "#{mouse_any_flag}")" = 1 ]'
send_text "$tag"
settle 10 eval '[ "$(row_pids)" = "$a $b $c " ]'
check "the first row is selected" wait_until 5 eval '[ "$(selected)" = "$a" ]'
wheel 65 10 5
check "the wheel down moves the selection (to the last of three: $c)" wait_until 5 eval '[ "$(selected)" = "$c" ]'
wheel 64 10 5
check "the wheel up moves it back to the first ($a)" wait_until 5 eval '[ "$(selected)" = "$a" ]'
y=$(($(screen | grep -En -m1 "^ *$b " | cut -d: -f1)))
click 10 "$y"
check "a click on $b's row selects it" wait_until 5 eval '[ "$(selected)" = "$b" ]'
check "... and does not watch it yet" eval "! screen_has '^PID $b '"
click 10 "$y"
wait_for "^PID $b "
ok "a click on the selected row watches it: the dashboard opens on PID $b"
st=$(dashboard_quit)
[ "$st" = 0 ] || die "the dashboard after the picker exited $st"
start_tui "$MEMWATCH" --no-mouse
wait_for "^memwatch: pick a process"
check "--no-mouse: the picker leaves the mouse to the terminal" eval '[ "$(tmux_fmt "#{mouse_any_flag}")" = 0 ]'
send q
check "q quits the picker" eval '[ "$(wait_exit)" = 0 ]'

# ---- c selects the tree ---------------------------------------------------------------------------
reply=$(alloc_cmd a "fork 1 4")
case $reply in "ok pids="*) track "${reply#ok pids=}" ;; *) die "fork: $reply" ;; esac
start_tui "$MEMWATCH"
wait_for "tree \\(-c\\): off"
send c
wait_for "tree \\(-c\\): ON"
send_text "${tag}a"
settle 10 eval '[ "$(rows | wc -l)" = 2 ]'
# Move to ${tag}a itself (its child has the same name): Home, then Down as many rows as it is down.
idx=$(rows | awk -v p="$a" '$1 == p { print NR - 1 }')
[ -n "$idx" ] || die "PID $a is not in the filtered rows: $(row_pids)"
send Home
for ((i = 0; i < idx; i++)); do send Down; done
send Enter
wait_for "^PID $a "
wait_for "2 procs"
check "c, then Enter: the tree is watched (-c: footer offers t procs)" screen_has "t procs"
ok "c then Enter: the dashboard watches PID $a and its child (2 procs)"
st=$(dashboard_quit)
[ "$st" = 0 ] || die "the tree dashboard exited $st"

# ---- -c on the command line, q types into a filter, Esc clears then quits, 40 columns ------------
start_tui "$MEMWATCH" -c
wait_for "tree \\(-c\\): ON"
ok "-c on the command line: the picker starts with the tree on"
send_text "x"
wait_for "^filter: x_"
send q
wait_for "^filter: xq_"
check "the help line says Esc clears the filter" screen_has "Esc clear filter"
ok "q with text in the filter types a q"
send Escape
wait_for "^filter: _"
check "Esc cleared the filter: the picker is still open" eval "! tui_ended"
resize 40 24
wait_for "^pick \\($short\\)"
narrow_ok() {
    local bad
    bad=$(rows | grep -Ev '^ *[0-9]+ .{15} +[0-9.]+ [KMG]?i?B$')
    [ -n "$(rows)" ] && [ -z "$bad" ] || why "rows at 40 columns: '$bad'"
}
settle 10 narrow_ok
ok "40 columns: PID, NAME and RSS on every row, GROWTH and COMMAND dropped"
send Escape
st=$(wait_exit 10)
[ "$st" = 0 ] || die "Esc with an empty filter exited $st"
ok "Esc with an empty filter quits with status 0"
finish
