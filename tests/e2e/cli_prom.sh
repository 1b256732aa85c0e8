#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_prom.sh — --prom-textfile: promtool accepts the file, a real node_exporter serves the series as the target grows, escaped comm.
. "$(dirname "$0")/harness.sh"

command -v promtool > /dev/null ||
    skip "promtool is not installed (apt-get install prometheus)"
command -v prometheus-node-exporter > /dev/null ||
    skip "prometheus-node-exporter is not installed (apt-get install prometheus-node-exporter)"

# A process name with a double quote and a backslash: the label must be escaped for the format.
weird='mw"al\loc'
cp "$MW_ALLOC" "./$weird" || die "cannot copy mw-alloc"
MW_ALLOC="$PWD/$weird" alloc_start t --alloc 8 || { fail "mw-alloc did not start"; finish; }
target=$ALLOC_PID
check "the target's comm holds the quote and the backslash" [ "$(cat /proc/$target/comm)" = "$weird" ]

mkdir textfiles
prom=textfiles/memwatch.prom
"$MEMWATCH" --no-tui -i 100ms --prom-textfile "$prom" "$target" > sum.txt 2> err.txt &
mw=$!
track "$mw"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
prometheus-node-exporter --web.listen-address="127.0.0.1:$port" --collector.disable-defaults \
    --collector.textfile --collector.textfile.directory="$PWD/textfiles" > exporter.log 2>&1 &
exporter=$!
track "$exporter" # the harness's EXIT trap kills it, however the script ends

# The exporter's /metrics, or nothing while it starts.
scrape() {
    python3 - "$port" <<'PY' 2> /dev/null
import sys, urllib.request
print(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=2).read().decode())
PY
}
# The value node_exporter serves for METRIC of our target (its labels sorted: comm, then pid).
served() {
    scrape | awk -v want="$1{comm=\"mw\\\\\"al\\\\\\\\loc\",pid=\"$target\"}" \
        'index($0, want " ") == 1 { print $2 }'
}
served_above() { local v; v=$(served "$1"); [ -n "$v" ] && awk -v v="$v" -v m="$2" 'BEGIN { exit !(v > m) }'; }
samples_in_file() { sed -n 's/^memwatch_samples_total{[^}]*} \([0-9]*\)$/\1/p' "$prom"; }

# ---- the file while the run goes on -----------------------------------------------------------------
if wait_until 20 served_above memwatch_resident_memory_bytes 0; then
    rss1=$(served memwatch_resident_memory_bytes)
    ok "node_exporter serves memwatch_resident_memory_bytes{comm=\"mw\\\"al\\\\loc\",pid=\"$target\"} $rss1"
else
    fail "node_exporter never served the series; /metrics has: $(scrape | grep -c memwatch) memwatch lines; $(cat exporter.log | tail -3)"
    rss1=0
fi
rss1=$(awk -v v="${rss1:-0}" 'BEGIN { printf "%.0f", v }') # node_exporter writes 1.0006528e+07
check "the served RSS ($rss1) includes the 8 MiB allocated" [ "$rss1" -ge $((8 << 20)) ]
expect "promtool check metrics accepts the file while running" sh -c "promtool check metrics < '$prom'"
check "the file carries HELP and TYPE lines and the escaped comm" \
    eval 'grep -q "^# HELP memwatch_resident_memory_bytes " "$prom" &&
          grep -q "^# TYPE memwatch_samples_total counter$" "$prom" &&
          grep -qF "comm=\"mw\\\"al\\\\loc\"" "$prom" &&
          grep -q "^memwatch_target_running{.*} 1$" "$prom"'
n1=$(samples_in_file)
m1=$(stat -c %Y.%y "$prom")
alloc_cmd_ok t "alloc 64" > /dev/null
grown=$((rss1 + (60 << 20)))
check "as mw-alloc grows by 64 MiB, the served RSS follows (> $grown)" \
    wait_until 20 served_above memwatch_resident_memory_bytes "$grown"
n2=$(samples_in_file)
check "the file is rewritten: samples_total ${n1:-?} -> ${n2:-?}, mtime changed" \
    eval '[ -n "$n1" ] && [ -n "$n2" ] && [ "$n2" -gt "$n1" ] && [ "$(stat -c %Y.%y "$prom")" != "$m1" ]'
check "the peak and the growth series are served" \
    eval 'served_above memwatch_peak_resident_memory_bytes "$grown" &&
          [ -n "$(served memwatch_growth_bytes_per_second)" ]'
check "no temporary is left beside the file" [ "$(ls -A textfiles)" = memwatch.prom ]

# ---- the end of the run: a last rewrite with memwatch_target_running 0 -----------------------------
kill -INT "$mw"
wait "$mw"
rc=$?
check "memwatch ends on SIGINT as usual (130), nothing on stderr" eval '[ $rc -eq 130 ] && [ ! -s err.txt ]'
check "the final file says memwatch_target_running 0 and holds the final figures" \
    eval 'grep -q "^memwatch_target_running{.*} 0$" "$prom" &&
          grep -q "^memwatch_resident_memory_bytes{.*} [0-9]*$" "$prom"'
expect "promtool check metrics accepts the final file" sh -c "promtool check metrics < '$prom'"
check "node_exporter serves memwatch_target_running 0" \
    wait_until 10 eval '[ "$(served memwatch_target_running)" = 0 ]'
check "no temporary is left after the run" [ "$(ls -A textfiles)" = memwatch.prom ]

# ---- someone else's file at the name during the run: never replaced, reported, exit 1 -------------
# The run ends when the test says (SIGINT after the replacement), not on a timer a slow machine
# could outrun; the last rewrite then finds the file is not ours.
"$MEMWATCH" --no-tui -i 100ms --prom-textfile textfiles/theirs.prom "$target" > out.txt 2> err.txt &
mw=$!
track "$mw"
wait_until 10 grep -qs '^memwatch_samples_total' textfiles/theirs.prom ||
    fail "the textfile never had a sample: $(cat err.txt)"
echo 'their_metric 1' > textfiles/new.tmp && mv textfiles/new.tmp textfiles/theirs.prom
kill -INT "$mw"
wait "$mw"
rc=$?
check "a textfile replaced during the run is left alone: exit 1, one line saying so" \
    eval '[ $rc -eq 1 ] && [ "$(cat textfiles/theirs.prom)" = "their_metric 1" ] &&
          [ "$(wc -l < err.txt)" -eq 1 ] && grep -q "replaced or removed" err.txt'
rm -f textfiles/theirs.prom

# ---- periodic rewrites do not fsync on the main loop; the placeholder and the last one do ----------
if ! command -v strace > /dev/null; then
    note "SKIP the fsync count: strace is not installed (apt-get install strace)"
else
    strace -f -e trace=fsync,fdatasync -o fsync.txt \
        "$MEMWATCH" --no-tui -i 100ms --prom-textfile textfiles/sync.prom "$target" > out.txt 2> err.txt &
    st_pid=$!
    track "$st_pid"
    wait_until 10 eval 'mw=$(pgrep -P "$st_pid" -x memwatch)' || fail "memwatch under strace did not start"
    track "$mw"
    # Two rewrites after the first (5 s apart): samples_total changes twice.
    seen=()
    wait_until 20 eval 'n=$(sed -n "s/^memwatch_samples_total{[^}]*} //p" textfiles/sync.prom 2>/dev/null);
                        [ -n "$n" ] && [ "${seen[-1]:-}" != "$n" ] && seen+=("$n"); [ ${#seen[@]} -ge 3 ]' ||
        fail "the textfile was not rewritten twice: samples_total ${seen[*]:-none}"
    kill -INT "$mw"
    wait "$st_pid"
    syncs=$(grep -cE '(fsync|fdatasync)\(' fsync.txt)
    check "rewrites at samples_total ${seen[*]}: 4 fsyncs in all (placeholder and last: file and directory), got $syncs" \
        [ "$syncs" -eq 4 ]
    rm -f textfiles/sync.prom
fi

# ---- a decimal-comma locale: the figures keep Prometheus's '.' ----------------------------------
# memwatch calls setlocale(LC_ALL, ""): printf's %f would write "1,5" there. A real de_DE locale,
# built into a private LOCPATH, so the test runs on a machine that has only C.UTF-8.
if ! command -v localedef > /dev/null; then
    note "SKIP the decimal-comma locale case: localedef is not installed (apt-get install locales)"
elif ! { mkdir -p loc && localedef -i de_DE -f UTF-8 "$PWD/loc/de_DE.UTF-8"; } > localedef.log 2>&1 &&
    [ ! -d loc/de_DE.UTF-8 ]; then
    fail "localedef -i de_DE -f UTF-8 failed (is the locales package installed?): $(tail -2 localedef.log)"
else
    de() { LOCPATH="$PWD/loc" LC_ALL=de_DE.UTF-8 "$@"; }
    comma=$(de python3 -c 'import locale; locale.setlocale(locale.LC_ALL, ""); print(locale.format_string("%.1f", 1.5))')
    check "the built locale writes a decimal comma (1.5 is '$comma')" [ "$comma" = "1,5" ]
    LOCPATH="$PWD/loc" LC_ALL=de_DE.UTF-8 "$MEMWATCH" --no-tui -i 100ms --prom-textfile textfiles/de.prom "$target" > out.txt 2> err.txt &
    mw=$!
    track "$mw"
    check "under de_DE.UTF-8 the textfile gets a growth figure (three samples or more)" \
        wait_until 20 grep -qs '^memwatch_growth_bytes_per_second{' textfiles/de.prom
    expect "promtool accepts the file written under de_DE.UTF-8 (checked under that locale too)" \
        de sh -c "promtool check metrics < textfiles/de.prom"
    kill -INT "$mw"
    wait "$mw"
    check "every figure of the last rewrite under de_DE.UTF-8 has a point, no comma" \
        eval 'grep -Eq "^memwatch_last_sample_timestamp_seconds\{.*\} [0-9]+\.[0-9]{3}$" textfiles/de.prom &&
              ! grep -v "^#" textfiles/de.prom | grep -Eq "[0-9],[0-9]"'
    expect "promtool accepts the final file written under de_DE.UTF-8" \
        de sh -c "promtool check metrics < textfiles/de.prom"
    rm -f textfiles/de.prom
fi

# ---- a process name that is not valid UTF-8: each bad byte a '?', the file still valid ------------
# A surrogate (ED A0 80) and an overlong NUL (E0 80 80): a check that only counts continuation
# bytes lets both through, and Prometheus rejects the file.
python3 -c 'import sys, time
open("/proc/self/comm", "wb").write(b"a\xed\xa0\x80b\xe0\x80\x80")
print("ready", flush=True)
time.sleep(600)' > badname.out &
bad=$!
track "$bad"
wait_until 10 grep -qs ready badname.out || fail "python did not rename itself"
comm_hex=$(od -An -tx1 "/proc/$bad/comm" | tr -d ' \n')
check "the process's comm holds the invalid bytes ($comm_hex)" [ "$comm_hex" = 61eda08062e080800a ]
"$MEMWATCH" --no-tui -i 100ms --prom-textfile textfiles/bad.prom "$bad" > out.txt 2> err.txt &
mw=$!
track "$mw"
check "the textfile for the badly named process gets a sample" \
    wait_until 10 grep -qs '^memwatch_samples_total' textfiles/bad.prom
kill -INT "$mw"
wait "$mw"
kill "$bad" 2> /dev/null
check "each invalid byte of comm is a '?' in the label" grep -qF 'comm="a???b???"' textfiles/bad.prom
expect "promtool accepts the file of a process whose name is not valid UTF-8" \
    sh -c "promtool check metrics < textfiles/bad.prom"
rm -f textfiles/bad.prom

# ---- the file's first creation follows the rules of every output ---------------------------------
before=$(cksum < "$prom")
"$MEMWATCH" --no-tui -t 1s --prom-textfile "$prom" "$target" > out.txt 2> err.txt
rc=$?
check "an existing file is refused at start (exit 2, one line), left as it was" \
    eval '[ $rc -eq 2 ] && [ "$(wc -l < err.txt)" -eq 1 ] && grep -q "it exists" err.txt &&
          [ "$(cksum < "$prom")" = "$before" ]'
ln -s nowhere.prom textfiles/link.prom
"$MEMWATCH" --no-tui -t 1s --prom-textfile textfiles/link.prom "$target" > out.txt 2> err.txt
rc=$?
check "a symbolic link is refused, nothing created where it points" \
    eval '[ $rc -eq 2 ] && grep -q "symbolic link" err.txt && [ ! -e textfiles/nowhere.prom ]'
"$MEMWATCH" --no-tui -t 300ms --prom-textfile figures.txt "$target" > out.txt 2> err.txt
rc=$?
check "a name without .prom works, with a one-line note that node_exporter skips it" \
    eval '[ $rc -eq 0 ] && [ "$(wc -l < err.txt)" -eq 1 ] && grep -q "reads only \*.prom" err.txt &&
          grep -q "^memwatch_target_running{.*} 0$" figures.txt'
"$MEMWATCH" --no-tui --prom-textfile new.prom -- ./no-such-command > out.txt 2> err.txt
rc=$?
check "a command that cannot start: exit 2, and the textfile made for the run is removed" \
    eval '[ $rc -eq 2 ] && [ ! -e new.prom ] && [ -z "$(ls -A | grep "^\.new\.prom")" ]'

kill "$exporter" 2> /dev/null
wait "$exporter" 2> /dev/null
alloc_stop t
finish
