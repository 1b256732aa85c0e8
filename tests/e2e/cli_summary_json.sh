#!/bin/bash
# SPDX-License-Identifier: MIT
# cli_summary_json.sh — --summary-json: a document python3 and jq parse, with the run's true figures; refused at start like -o.
. "$(dirname "$0")/harness.sh"

command -v jq > /dev/null || skip "jq is not installed (apt-get install jq)"
command -v python3 > /dev/null || skip "python3 is not installed"


# ---- a launched leak with -o and two gates: the figures agree with the CSV and the summary ----------
"$MEMWATCH" --no-tui -i 20ms -o rec.csv --summary-json s.json --fail-above 10M --fail-growth 1G -- \
    "$MW_ALLOC" --ready-file ready --leak 5 --every 50 --steps 6 --then-exit 0 > sum.txt 2> err.txt
rc=$?
pid=$(cat ready)
check "the run: exit 3 (--fail-above 10M tripped; got $rc)" [ "$rc" = 3 ]
expect "python3 -m json.tool parses it" python3 -m json.tool s.json
jqe "schema 1, memwatch's version" '.schema == 1 and (.memwatch_version | type == "string")' s.json
jqe "target.pid is the launched PID $pid" ".target.pid == $pid" s.json
jqe "target.command is the argv, name mw-alloc, launched" \
    '.target.command[0] == env.MW_ALLOC and .target.command[1:] == ["--ready-file","ready","--leak","5","--every","50","--steps","6","--then-exit","0"] and .target.name == "mw-alloc" and .target.launched' s.json
n=$(rows rec.csv)
jqe "samples > 0 and equal to the -o file's $n rows" ".samples > 0 and .samples == $n" s.json
jqe "interval_ms 20, started in ISO 8601 UTC, duration_s a number" \
    '.interval_ms == 20 and (.started | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$")) and (.duration_s | type == "number")' s.json
jqe "rss: min <= initial, peak >= final >= min, the peak at a time within the run" \
    '.fields.rss | .min <= .initial and .peak >= .final and .final >= .min and .peak_t_s >= 0' s.json
peak=$(summary_peak sum.txt)
jqe "rss.peak agrees with the prose summary's ($peak B, to its 0.1 MiB)" \
    ".fields.rss.peak - $peak | fabs < 104858" s.json
max=$(column_max rec.csv rss_bytes)
jqe "rss.peak is the -o file's largest rss_bytes ($max)" ".fields.rss.peak == $max" s.json
jqe "growth_bytes is final - initial" '.growth_bytes == .fields.rss.final - .fields.rss.initial' s.json
jqe "fields unknown without --pss are null, not 0" '.fields.pss == null and .fields.uss == null' s.json
jqe "trend {bytes_per_s, r2, window_s}; verdict 'not sure' with a reason" \
    '(.trend | keys) == ["bytes_per_s","r2","window_s"] and .verdict.verdict == "not sure" and (.verdict.reason | length > 0)' s.json
jqe "gaps.lost_samples is a count" '.gaps.lost_samples >= 0' s.json
# --fail-above's figure: the sampled peak, or a proven one above it (wait4's max RSS at exit).
jqe "gates: --fail-above tripped with the largest proven peak as figure, --fail-growth passed" \
    '. as $r | (.gates[0] | .name == "--fail-above" and .limit_bytes == 10485760 and .tripped and .decided and
        ((.figure_source == "sampled" and .figure_bytes == $r.fields.rss.peak) or
         (.figure_source == "exit_maxrss" and .figure_bytes == $r.hwm.largest_process_at_exit_bytes and .figure_bytes > $r.fields.rss.peak))) and
     .gates[1] == {"name":"--fail-growth","limit_bytes":1073741824,"figure_bytes":.growth_bytes,"tripped":false,"decided":true} and
     (.gates | length) == 2' s.json
jqe "end_reason exited, exit_status 3 (what memwatch returned)" '.end_reason == "exited" and .exit_status == 3' s.json
check "no temporary left beside it" eval '[ -z "$(ls -A | grep "^\.s\.json")" ]'

# ---- arguments with quotes, a backslash, a newline, a tab, a control byte: back exactly through jq --
weird=$'say "hi"\\ there\nline two\ttab\x01'
"$MEMWATCH" --no-tui -i 20ms --summary-json w.json -- sh -c 'exit 0' "$weird" $'bad\xffbyte' > /dev/null 2>&1
check "the run with those arguments: exit 0, the command's" [ "$?" = 0 ]
check "quotes, backslash, newline, tab and \\x01 round-trip through jq" \
    eval '[ "$(jq -j ".target.command[3]" w.json)" = "$weird" ]'
check "a byte that is not UTF-8 comes back as U+FFFD" \
    eval '[ "$(jq -j ".target.command[4]" w.json)" = "bad"$'"'"'\xef\xbf\xbd'"'"'"byte" ]'
# sh exits at once: mostly before the first sample. Then every figure is null, never 0.
note "the sh run took $(jq .samples w.json) samples"
jqe "a run with no sample has its figures null (never 0); with samples, present" \
    '(.samples == 0 and .duration_s == null and .growth_bytes == null and .fields.rss == null and .trend == null)
     or (.samples > 0 and .duration_s != null and .growth_bytes != null and .fields.rss.peak > 0)' w.json

# ---- --summary-json -: stdout holds the JSON alone, the prose goes to stderr -------------------------
"$MEMWATCH" --no-tui -i 20ms --summary-json - -- sh -c 'echo from-the-command; exec "$0" --leak 2 --every 50 --steps 3 --then-exit 0' \
    "$MW_ALLOC" > out.json 2> err.txt
expect "stdout is one JSON document" python3 -m json.tool out.json
check "the prose summary and the command's output went to stderr" \
    eval 'grep -q "^memwatch summary: PID" err.txt && grep -qx from-the-command err.txt && [ "$(head -1 out.json)" = "{" ]'

# ---- PID mode with -t: command null, end reason duration; SIGINT: signal, 130 --------------------------
alloc_start t --alloc 8 || die "mw-alloc did not start"
"$MEMWATCH" --no-tui -i 20ms -t 300ms --summary-json p.json "$ALLOC_PID" > /dev/null 2>&1
rc=$?
jqe "PID mode: command null, pid and name, end_reason duration, exit_status $rc" \
    ".target.command == null and .target.pid == $ALLOC_PID and .target.name == \"mw-alloc\" and .end_reason == \"duration\" and .exit_status == $rc and $rc == 0" p.json
"$MEMWATCH" --no-tui -i 20ms -o sig.csv --summary-json sig.json "$ALLOC_PID" > /dev/null 2>&1 &
mw=$!
track $mw
poll 10 "memwatch to record samples" has_rows 3 sig.csv
kill -INT $mw
wait $mw
rc=$?
jqe "SIGINT: end_reason signal, exit_status 130 (memwatch's: $rc)" ".end_reason == \"signal\" and .exit_status == 130 and $rc == 130" sig.json

# ---- a sampling gap: memwatch stopped for 1.5 s (the stop is the stimulus, not a wait) ------------
"$MEMWATCH" --no-tui -i 20ms -o gap.csv --summary-json gap.json "$ALLOC_PID" > /dev/null 2>&1 &
mw=$!
track $mw
poll 10 "memwatch to record samples" has_rows 3 gap.csv
kill -STOP $mw
sleep 1.5
kill -CONT $mw
n=$(rows gap.csv)
poll 10 "memwatch to sample again after SIGCONT" has_rows $((n + 3)) gap.csv
kill -INT $mw
wait $mw
jqe "gaps.longest_between_samples_s holds the 1.5 s stop" \
    '.gaps.longest_between_samples_s >= 1.5 and .gaps.longest_between_samples_s < 60' gap.json
jqe "gaps.longer_than_twice_interval counts that stop" '.gaps.longer_than_twice_interval >= 1' gap.json
jqe "gaps: the longest is at least the 20 ms interval (sig.json)" \
    '.gaps.longest_between_samples_s >= 0.015' sig.json

# ---- a process that holds still: R² undefined, null (never a made-up 1.0) ------------------------
"$MEMWATCH" --no-tui -i 20ms -t 1s --summary-json flat.json "$ALLOC_PID" > flat.txt 2>&1
if grep -q '(R² —)' flat.txt; then
    jqe "a flat series: trend.r2 null, the slope 0" '.trend.r2 == null and .trend.bytes_per_s == 0' flat.json
else # the process moved a page during the second: then R² is a number
    jqe "a series that moved: trend.r2 a number" '.trend.r2 | type == "number"' flat.json
fi

# ---- refused at start: exit 2, one line, nothing launched, nothing touched -------------------------
refused() { # refused DESC PATH CAUSE
    local path=$2 cause=$3
    rm -f ready
    "$MEMWATCH" --no-tui --summary-json "$2" -- "$MW_ALLOC" --ready-file ready --leak 1 --every 50 \
        > r.out 2> r.err
    rc=$?
    check "--summary-json $1: exit 2 (got $rc), one line naming '$2' and '$3', nothing launched" \
        eval '[ "$rc" = 2 ] && [ "$(wc -l < r.err)" = 1 ] && grep -qF -- "$path" r.err && grep -qi -- "$cause" r.err && [ ! -e ready ] && [ ! -s r.out ]'
    [ "$rc" = 2 ] || note "$(cat r.err)"
}
echo keep > existing.json
refused "an existing file" existing.json "exists"
check "  ...left as it was" eval '[ "$(cat existing.json)" = keep ]'
echo secret > victim
ln -s victim link.json
refused "a symbolic link" link.json "is a symbolic link, and memwatch never writes through one"
check "  ...not followed" eval '[ "$(cat victim)" = secret ] && [ -L link.json ]'
refused "in a missing directory" nodir/s.json "no such file"
rm -f ready
"$MEMWATCH" --no-tui --summary-json '' -- "$MW_ALLOC" --ready-file ready > r.out 2> r.err
rc=$?
check "--summary-json '': exit 2 (got $rc), one line: an empty file name" \
    eval '[ "$rc" = 2 ] && [ "$(cat r.err)" = "memwatch: --summary-json: an empty file name (see '"'memwatch --help'"')" ] && [ ! -e ready ]'

# ---- two outputs naming one file: refused before anything is made or launched ------------------
mkdir -p sub
clash() { # clash DESC ARGS...: exit 2, one line, nothing launched, no file made
    local desc=$1
    shift
    rm -f ready same.* sub/same.*
    "$MEMWATCH" --no-tui -i 20ms "$@" -- "$MW_ALLOC" --ready-file ready --leak 1 --every 50 \
        --steps 2 --then-exit 0 > r.out 2> r.err
    rc=$?
    check "$desc: exit 2 (got $rc), one line, nothing launched or made: '$(head -c 200 r.err)'" \
        eval '[ "$rc" = 2 ] && [ "$(wc -l < r.err)" = 1 ] && grep -q "name the same file" r.err &&
              [ ! -e ready ] && [ -z "$(ls same.* sub/same.* 2> /dev/null)" ]'
}
clash "--summary-json and --prom-textfile on one name" --summary-json same.prom --prom-textfile same.prom
clash "--summary-json and --log on one name, spelt ./" --summary-json same.log --log ./same.log
clash "-o and --summary-json, one through sub/..: the directory's identity, not the spelling" \
    -o sub/same.csv --summary-json "sub/../sub/same.csv"
clash "-o and --prom-textfile, one absolute" -o same.csv --prom-textfile "$PWD/same.csv"
clash "-o and --log" -o sub/same.x --log "$PWD/sub/./same.x"
clash "--plot and --summary-json" --plot same.svg --summary-json ./same.svg
"$MEMWATCH" --no-tui -i 20ms -o same.csv --summary-json same.json -- "$MW_ALLOC" --leak 1 --every 50 \
    --steps 2 --then-exit 0 > r.out 2> r.err
rc=$?
check "different names in one directory are fine: exit 0 (got $rc), both made" \
    eval '[ "$rc" = 0 ] && [ -s same.csv ] && [ -s same.json ]'

# ---- -o - whose reader goes away: the gates still judged, --summary-json FILE still written ---------
rm -f rg.json
set -o pipefail
"$MEMWATCH" --no-tui -i 10ms -o - --fail-above 10M --summary-json rg.json -- "$MW_ALLOC" --alloc 30 \
    --spike-every 10000 --spike-mib 1 --hold 10 2> rg.err | head -c 20000 > rg.csv
rc=$?
set +o pipefail
check "-o - | head -c 20000 with a gate over: exit 3 (got $rc), the gate line, no prose summary" \
    eval '[ "$rc" = 3 ] && grep -q "^memwatch: gate tripped: peak RSS .* > --fail-above 10.0 MiB$" rg.err &&
          ! grep -q "^memwatch summary" rg.err && [ "$(wc -c < rg.csv)" = 20000 ]'
[ "$rc" = 3 ] || note "$(cat rg.err)"
jqe "...and --summary-json written: end_reason reader_gone, exit_status 3, the gate tripped" \
    '.end_reason == "reader_gone" and .exit_status == 3 and .gates[0].tripped and .samples > 0' rg.json
set -o pipefail
"$MEMWATCH" --no-tui -i 10ms -o - --fail-above 1G -- "$MW_ALLOC" --alloc 30 \
    --spike-every 10000 --spike-mib 1 --hold 10 2> rg.err | head -c 20000 > /dev/null
rc=$?
set +o pipefail
check "-o - | head with no gate over: exit 0 (got $rc), quiet" eval '[ "$rc" = 0 ] && [ ! -s rg.err ]'
[ "$rc" = 0 ] || note "$(cat rg.err)"

mkdir adir
refused "a directory" adir "directory"
"$MEMWATCH" --no-tui -o - --summary-json - -- "$MW_ALLOC" --ready-file ready > r.out 2> r.err
rc=$?
check "-o - with --summary-json -: exit 2 (got $rc), one line" \
    eval '[ "$rc" = 2 ] && [ "$(wc -l < r.err)" = 1 ] && [ ! -e ready ]'
check "no stray temporaries" eval '[ -z "$(ls -A | grep "^\..*json\.")" ]'
finish
