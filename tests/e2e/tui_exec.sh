#!/bin/bash
# SPDX-License-Identifier: MIT
# tui_exec.sh — a watched process that runs exec: the header shows the new program, never silently the old one.
# shellcheck source=tests/e2e/harness.sh
. "$(dirname "$0")/harness.sh"

# A shell that waits for a file, then execs mw-alloc (same PID, new program; a scenario mode, as
# a launched command's stdin is /dev/null under the dashboard).
cat > "$MW_TMP/execer.sh" <<EOS
#!/bin/sh
while [ ! -e "$MW_TMP/go" ]; do sleep 0.05; done
exec "$MW_ALLOC" --alloc 24 --leak 1 --every 60000 --ready-file "$MW_TMP/exec.ready"
EOS
chmod +x "$MW_TMP/execer.sh"
start_tui "$MEMWATCH" -i 50ms -- "$MW_TMP/execer.sh"
wait_for '^PID [0-9]+  .*execer\.sh +(sleeping|running)  '
pid=$(screen_line '^PID [0-9]+ ' | awk '{ print $2 }')
track "$pid"
ok "before exec: the header shows the script (PID $pid)"

touch "$MW_TMP/go"
poll 10 "mw-alloc to start in PID $pid" test -s "$MW_TMP/exec.ready"
[ "$(cat "$MW_TMP/exec.ready")" = "$pid" ] || die "exec changed the PID (test setup)"
wait_for "^PID $pid  .*mw-alloc --alloc 24 .*exec'd mw-alloc  "
ok "after exec: same PID, the header shows the new command line and says it exec'd"

send q
wait_for 'k = end it and quit'
send k
exits_0_ending "$pid" "q, k"
ok "q, k: memwatch ends the command and exits 0"
