/* SPDX-License-Identifier: MIT */
/* options.c — parse and validate memwatch's command line (getopt_long); usage errors exit 2. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memwatch.h"
#include "options.h"
#include "tui.h"
#include "units.h"

#define INTERVAL_MIN_MS 1ull
#define INTERVAL_MAX_MS 3600000ull

enum { OPT_NO_TUI = 256, OPT_ALERT, OPT_ASCII, OPT_DEMO, OPT_REPLAY, OPT_INTERVAL_PEAKS, OPT_LOG, OPT_PSS, OPT_PSS_INTERVAL,
       OPT_DEMO_WORKLOAD, OPT_FAIL_ABOVE, OPT_FAIL_GROWTH, OPT_FAIL_LEAK, OPT_SUMMARY_JSON,
       OPT_MARK, OPT_FORMAT, OPT_PROM_TEXTFILE, OPT_PLOT,
       OPT_COMPARE, OPT_COMPARE_AT, OPT_COLOR };
enum { OPT_NO_MOUSE = 400, OPT_CGROUP = 410 }; /* apart: options added on other branches then merge cleanly */
enum { OPT_NEW_CGROUP = 440, OPT_CGROUP_LIMIT }; /* issue 18: launch in a fresh cgroup */

static const struct option long_opts[] = {
    {"interval", required_argument, NULL, 'i'},
    {"history", required_argument, NULL, 'H'},
    {"output", required_argument, NULL, 'o'},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"prom-textfile", required_argument, NULL, OPT_PROM_TEXTFILE},
    {"duration", required_argument, NULL, 't'},
    {"no-tui", no_argument, NULL, OPT_NO_TUI},
    {"children", no_argument, NULL, 'c'},
    {"name", required_argument, NULL, 'n'},
    {"cgroup", required_argument, NULL, OPT_CGROUP},
    {"alert", required_argument, NULL, OPT_ALERT},
    {"ascii", no_argument, NULL, OPT_ASCII},
    {"color", required_argument, NULL, OPT_COLOR},
    {"no-mouse", no_argument, NULL, OPT_NO_MOUSE},
    {"new-cgroup", no_argument, NULL, OPT_NEW_CGROUP},
    {"cgroup-limit", required_argument, NULL, OPT_CGROUP_LIMIT},
    {"demo", no_argument, NULL, OPT_DEMO},
    {"replay", required_argument, NULL, OPT_REPLAY},
    {"interval-peaks", no_argument, NULL, OPT_INTERVAL_PEAKS},
    {"pss", no_argument, NULL, OPT_PSS},
    {"pss-interval", required_argument, NULL, OPT_PSS_INTERVAL},
    {"log", required_argument, NULL, OPT_LOG},
    {"fail-above", required_argument, NULL, OPT_FAIL_ABOVE},
    {"fail-growth", required_argument, NULL, OPT_FAIL_GROWTH},
    {"fail-leak", no_argument, NULL, OPT_FAIL_LEAK},
    {"summary-json", required_argument, NULL, OPT_SUMMARY_JSON},
    {"plot", required_argument, NULL, OPT_PLOT},
    {"compare", required_argument, NULL, OPT_COMPARE},
    {"compare-at", required_argument, NULL, OPT_COMPARE_AT},
    {"mark", required_argument, NULL, OPT_MARK},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {"demo-workload", no_argument, NULL, OPT_DEMO_WORKLOAD},
    {NULL, 0, NULL, 0},
};

void app_options_usage(FILE *f)
{
    fputs("Usage: memwatch [OPTIONS] PID\n"
          "       memwatch [OPTIONS] -n NAME\n"
          "       memwatch [OPTIONS]               (on a terminal: pick the process)\n"
          "       memwatch [OPTIONS] -- COMMAND [ARG...]\n"
          "       memwatch [OPTIONS] --cgroup PATH|NAME|ID\n"
          "       memwatch --demo [OPTIONS]\n"
          "       memwatch --replay FILE.csv [OPTIONS]\n"
          "       memwatch --mark PID [LABEL]\n"
          "Watch one process's memory (resident and virtual size) live, as charts.\n"
          "\n"
          "  -i, --interval DURATION  sampling interval: 250ms, 1s, 2.5s; a bare number\n"
          "                           is milliseconds; 1ms .. 1h (default 250ms)\n"
          "  -H, --history N          samples kept at full resolution (default 100000);\n"
          "                           older ones are merged, in as many bytes again\n"
          "  -o, --output FILE        record every sample to FILE as CSV while running;\n"
          "                           FILE must not exist; - is stdout (with --no-tui)\n"
          "      --format FORMAT      -o as csv (default) or jsonl (JSON Lines)\n"
          "      --prom-textfile FILE rewrite FILE every 5s with the figures for\n"
          "                           Prometheus (node_exporter's textfile collector)\n"
          "  -t, --duration DURATION  stop after this long\n"
          "      --no-tui             no dashboard: record (with -o) and print a summary\n"
          "  -n, --name NAME          watch the one process of yours named NAME: its\n"
          "                           comm or its argv[0]'s basename; several are listed\n"
          "  -c, --children           watch the process and all its descendants, summed\n"
          "      --cgroup PATH|NAME   watch a memory cgroup instead of a process: a path\n"
          "                           under the cgroup mount, a systemd unit name\n"
          "                           (nginx.service) or a container ID prefix\n"
          "      --pss                also PSS and USS (shared pages divided among the\n"
          "                           processes sharing them; smaps_rollup), read every 5s\n"
          "                           (or the interval, if longer) beside the samples\n"
          "      --pss-interval DURATION  read PSS this often instead (100ms .. 1h)\n"
          "      --alert SIZE         RSS threshold, e.g. 512M, 2G: highlight and bell\n"
          "                           (dashboard) or a message (--no-tui)\n"
          "      --interval-peaks     reset the kernel's RSS high-water mark after each\n"
          "                           sample so every interval's peak is caught. WARNING:\n"
          "                           the target then reads a reset peak too (VmHWM,\n"
          "                           getrusage maxrss). Needs owner or root. Linux only.\n"
          "      --log FILE           a new FILE for a launched command's stdout/stderr\n"
          "                           (default: memwatch's own with --no-tui, a new\n"
          "                           memwatch-PID.log with the dashboard; - = own)\n"
          "      --new-cgroup         run the command in a new memory cgroup (root, or a\n"
          "                           delegated v2 subtree): the summary gives the whole\n"
          "                           tree's true peak (incl. page cache); what is left\n"
          "                           in it at the end is killed, and it is removed\n"
          "      --cgroup-limit SIZE  cap that cgroup (and swap) at SIZE: past it the\n"
          "                           kernel's OOM killer acts (implies --new-cgroup)\n"
          "      --fail-above SIZE    exit 3 if the peak RSS (of the tree, with -c) > SIZE\n"
          "      --fail-growth SIZE   exit 3 if RSS grew by more than SIZE over the run\n"
          "      --fail-leak          exit 3 if the leak verdict is \"leak\" (needs ~40s)\n"
          "      --summary-json FILE  write the run's figures as JSON to a new FILE at the\n"
          "                           end (- = stdout; the summary then goes to stderr)\n"
          "      --plot FILE.svg      draw RSS and VSZ over time (peak, marks, spikes) as\n"
          "                           SVG to a new FILE at the end; with --replay: no\n"
          "                           dashboard, just the picture\n"
          "      --compare OTHER.csv  draw a saved capture over the charts (dots) and the\n"
          "                           --plot picture (t=0: each one's first sample), and\n"
          "                           compare peak, growth and trend\n"
          "      --compare-at LABEL   t=0 at the mark LABEL in both (a live run: once it\n"
          "                           has that mark; at the starts until then)\n"
          "      --ascii              ASCII charts (default: Unicode in a UTF-8 locale)\n"
          "      --color WHEN         auto (default: colour unless NO_COLOR is set or\n"
          "                           the terminal has none), always, or never\n"
          "      --no-mouse           leave the mouse to the terminal (its own selection)\n"
          "      --demo               watch a built-in demo workload\n"
          "      --replay FILE        open a saved capture (CSV) in the dashboard\n"
          "      --mark PID [LABEL]   add a mark to every running memwatch of yours that\n"
          "                           watches PID (or is PID), then exit; SIGUSR1 to a\n"
          "                           memwatch adds an unlabelled one\n"
          "  -v, --verbose            log each sample to stderr (with --no-tui)\n"
          "  -h, --help               show this help and exit\n"
          "  -V, --version            show the version and exit\n"
          "\n"
          "Keys: space/p pause, +/- interval, e export CSV, m mark, r reset baseline,\n"
          "      w where it went (smaps growth since the mark; e over it exports it),\n"
          "      arrows/Home/End scroll, z/Z zoom, T clock time, 0 y-axis from 0,\n"
          "      ?/F1 help, q/F10 quit.\n"
          "Mouse: wheel scrolls (zooms with Ctrl/Shift or over a time axis), a click on\n"
          "      a chart shows time and value; Shift+drag selects text (most terminals).\n"
          "Picker: type to filter, arrows/PgUp/PgDn move, Enter watch, c or Tab tree (-c),\n"
          "      Esc clears the filter, then quits; q quits (types, once you have typed).\n"
          "Exit status: 0 ok, 1 runtime error, 2 usage error, 3 a --fail-* gate tripped;\n"
          "128+N when memwatch was ended by signal N; when launching a command that\n"
          "failed, its exit status (128+N if killed by signal N).\n",
          f);
}

/* One line on stderr, "memwatch: ...", then the usage-error status. */
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("memwatch: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs(" (see 'memwatch --help')\n", stderr);
    va_end(ap);
    return APP_EXIT_USAGE;
}

/* A size limit (--alert, --fail-above, --fail-growth): 1 byte or more. */
static int parse_limit(const char *what, const char *arg, uint64_t *out)
{
    if (mw__parse_size(arg, out) != 0 || *out == 0)
        return usage_error("invalid %s size '%s': expected e.g. 512M, 2G", what, arg);
    return -1;
}

static int parse_duration(const char *what, const char *arg, uint64_t *out)
{
    uint64_t ms;
    if (mw__parse_duration_ms(arg, &ms) != 0)
        return usage_error("invalid %s '%s': expected e.g. 250ms, 1s, 2.5s, 5m", what, arg);
    if (ms < INTERVAL_MIN_MS || ms > INTERVAL_MAX_MS)
        return usage_error("invalid %s '%s': must be between 1ms and 1h", what, arg);
    *out = ms;
    return -1;
}

/* A PID: decimal digits only, 1 .. INT_MAX. */
static bool parse_pid(const char *s, pid_t *out)
{
    if (!*s)
        return false;
    unsigned long long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (unsigned)(*p - '0');
        if (v > INT_MAX)
            return false;
    }
    if (v == 0)
        return false;
    *out = (pid_t)v;
    return true;
}

static bool parse_count(const char *s, unsigned long long *out)
{
    if (!*s || *s == '-' || *s == '+')
        return false;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

/* "-5" reads to getopt as an option; a negative number there (not an option's value) is a bad PID. */
static bool is_negative_number(const char *s)
{
    if (s[0] != '-' || !s[1])
        return false;
    for (const char *p = s + 1; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

/* What the option loop carries between options besides o. */
typedef struct parse_state {
    bool demo, pss;
    int mark_words; /* argv elements --mark took: 1 (--mark=PID, --ma=PID) or 2 (--ma PID) */
} parse_state;

/* After the options: which mode the rest of the command line asks for, and whether the options
 * fit it. Returns -1 to go on, or an exit status (the error printed). */
static int decide_mode(int argc, char **argv, const parse_state *ps, app_options *o)
{
    bool demo = ps->demo;
    bool dashdash = optind > 1 && strcmp(argv[optind - 1], "--") == 0;
    int rest = argc - optind;
    if (o->mark_pid) { /* a client: LABEL is the one word left ("--" first for one like "-x") */
        int words = optind - 1 - (dashdash ? 1 : 0); /* --mark PID, or --mark=PID: nothing else */
        if (rest > 1 || words != ps->mark_words)
            return usage_error("--mark PID [LABEL] takes no other options or arguments");
        o->mark_label = rest ? argv[optind] : NULL;
        return -1;
    }
    int modes = (demo ? 1 : 0) + (o->replay_path ? 1 : 0) + (dashdash ? 1 : 0);
    if (o->cgroup && (modes > 0 || rest > 0 || o->name))
        return usage_error("--cgroup watches a cgroup by itself: give no PID, -n NAME, command, "
                           "--demo or --replay with it");
    if (o->cgroup && (o->children || o->interval_peaks || o->pss_interval_ms || o->alert_bytes ||
                      o->fail_above_bytes || o->fail_growth_bytes || o->fail_leak))
        return usage_error("--cgroup watches no process: -c, --interval-peaks, --pss, --alert "
                           "and the --fail-* gates (on RSS) do not apply");
    if (o->name && (modes > 0 || rest > 0))
        return usage_error("-n NAME chooses the process by its name: give no PID, command, "
                           "--demo or --replay with it");
    if (modes > 1)
        return usage_error("choose one of PID, -- COMMAND, --demo and --replay");
    if (dashdash) {
        if (rest == 0)
            return usage_error("'--' must be followed by a command to run");
        o->mode = APP_MODE_LAUNCH;
        o->command = &argv[optind];
    } else if (demo || o->replay_path) {
        if (rest > 0)
            return usage_error("unexpected argument '%s'", argv[optind]);
        o->mode = demo ? APP_MODE_DEMO : APP_MODE_REPLAY;
    } else if (o->cgroup) {
        o->mode = APP_MODE_CGROUP;
    } else if (o->name) {
        o->mode = APP_MODE_NAME;
    } else if (rest == 0) {
        if (o->no_tui) /* the picker needs the terminal */
            return app_options_no_target();
        o->mode = APP_MODE_PICK;
    } else {
        if (rest > 1)
            return usage_error("unexpected argument '%s' (to run a command, put it after --)",
                               argv[optind + 1]);
        if (!parse_pid(argv[optind], &o->pid))
            return usage_error("invalid PID '%s': must be a positive number", argv[optind]);
        o->mode = APP_MODE_PID;
    }
    if (o->mode == APP_MODE_REPLAY) {
        if (o->no_tui || o->output || o->children || o->interval_peaks || o->duration_ms ||
            o->pss_interval_ms || o->summary_json || o->fail_above_bytes ||
            o->fail_growth_bytes || o->fail_leak || o->format || o->prom_textfile)
            return usage_error("--replay only opens a capture in the dashboard (or draws it "
                               "with --plot); it takes no recording options");
    }
    if (o->compare && o->no_tui && !o->plot)
        return usage_error("--compare draws in the dashboard or the --plot picture: with "
                           "--no-tui, add --plot FILE.svg");
    if (o->compare_at && !o->compare)
        return usage_error("--compare-at applies only with --compare");
    if (o->format && !o->output)
        return usage_error("--format applies only to -o FILE");
    if (app_output_is_stdout(o) && !o->no_tui)
        return usage_error("-o - writes the capture to standard output, where the dashboard "
                           "draws: add --no-tui, or name a file");
    if (app_output_is_stdout(o) && o->summary_json && !strcmp(o->summary_json, "-"))
        return usage_error("-o - and --summary-json - both want standard output: name a file "
                           "for one of them");
    if (o->new_cgroup && o->mode != APP_MODE_LAUNCH)
        return usage_error("--new-cgroup and --cgroup-limit apply only when launching a command "
                           "(-- COMMAND)");
    if (o->log_path && o->mode != APP_MODE_LAUNCH && o->mode != APP_MODE_DEMO)
        return usage_error("--log applies only when launching a command");
    if (o->log_path && strcmp(o->log_path, "-") == 0) {
        if (!o->no_tui)
            return usage_error("--log -: the dashboard owns the terminal, so the command's output "
                               "needs a file (--log FILE), or use --no-tui");
        o->log_path = NULL; /* headless: the command keeps memwatch's stdout and stderr */
    }
    return -1;
}

int app_options_no_target(void)
{
    return usage_error("no process given: a PID, -n NAME, -- COMMAND, --demo or --replay FILE;"
                       " on a terminal, none opens the process picker");
}

bool app_output_is_stdout(const app_options *o) { return o->output && !strcmp(o->output, "-"); }

/* -V: the version, the library's, and the licence. */
static void print_version(void)
{
    printf("memwatch %s (libmemwatch %s)\n"
           "Copyright (c) 2026 the memwatch authors.\n"
           "Licence: MIT (SPDX: MIT); see the LICENSE file. There is NO WARRANTY.\n",
           PACKAGE_VERSION, mw_version());
}

/* An output's name: an empty one is refused here, before anything is created. */
static int set_file(const char *opt, const char *arg, const char **out)
{
    if (!*arg)
        return usage_error("%s: an empty file name", opt);
    *out = arg;
    return -1;
}

/* The options that take a value to check. -1 to go on, or an exit status (the error printed). */
static int parse_valued(int ch, app_options *o)
{
    int rc;
    switch (ch) {
    case 'i': return parse_duration("interval", optarg, &o->interval_ms);
    case 't':
        if (mw__parse_duration_ms(optarg, &o->duration_ms) != 0 || o->duration_ms == 0)
            return usage_error("invalid duration '%s': expected e.g. 30s, 5m, 2h", optarg);
        return -1;
    case 'H': {
        unsigned long long n;
        if (!parse_count(optarg, &n) || n == 0 || n > APP_HISTORY_MAX)
            return usage_error("invalid history size '%s': must be 1 .. %llu samples", optarg,
                               APP_HISTORY_MAX);
        o->history = (size_t)n;
        return -1;
    }
    case OPT_FORMAT:
        if (strcmp(optarg, "csv") != 0 && strcmp(optarg, "jsonl") != 0)
            return usage_error("invalid --format '%s': expected csv or jsonl", optarg);
        o->format = optarg;
        return -1;
    case OPT_PROM_TEXTFILE:
        if ((rc = set_file("--prom-textfile", optarg, &o->prom_textfile)) >= 0)
            return rc;
        if (strcmp(optarg, "-") == 0)
            return usage_error("invalid --prom-textfile '%s': needs a file name (the "
                               "textfile collector reads files)", optarg);
        return -1;
    case 'n':
        if (!*optarg || strchr(optarg, '/'))
            return usage_error("invalid name '%s': a process name has no '/' (for a "
                               "command to run, put it after --)", optarg);
        o->name = optarg;
        return -1;
    case OPT_CGROUP:
        if (!*optarg)
            return usage_error("invalid --cgroup '': needs a cgroup path, a systemd unit name or "
                               "a container ID");
        o->cgroup = optarg;
        return -1;
    case OPT_PLOT:
        if (!*optarg || strcmp(optarg, "-") == 0)
            return usage_error("invalid --plot '%s': needs a file name for the SVG", optarg);
        o->plot = optarg;
        return -1;
    case OPT_COMPARE:
        if (!*optarg)
            return usage_error("invalid --compare '': needs a capture file (CSV)");
        o->compare = optarg;
        return -1;
    case OPT_COMPARE_AT:
        if (!*optarg)
            return usage_error("invalid --compare-at '': needs a mark's label");
        o->compare_at = optarg;
        return -1;
    case OPT_COLOR:
        if (strcmp(optarg, "auto") == 0)
            o->color = APP_COLOR_AUTO;
        else if (strcmp(optarg, "always") == 0)
            o->color = APP_COLOR_ALWAYS;
        else if (strcmp(optarg, "never") == 0)
            o->color = APP_COLOR_NEVER;
        else
            return usage_error("invalid --color '%s': expected auto, always or never", optarg);
        return -1;
    case OPT_ALERT: return parse_limit("alert", optarg, &o->alert_bytes);
    case OPT_FAIL_ABOVE: return parse_limit("--fail-above", optarg, &o->fail_above_bytes);
    case OPT_FAIL_GROWTH: return parse_limit("--fail-growth", optarg, &o->fail_growth_bytes);
    case OPT_PSS_INTERVAL:
        if (mw__parse_duration_ms(optarg, &o->pss_interval_ms) != 0)
            return usage_error("invalid PSS interval '%s': expected e.g. 500ms, 2s, 1m", optarg);
        if (o->pss_interval_ms < APP_PSS_INTERVAL_MIN_MS || o->pss_interval_ms > INTERVAL_MAX_MS)
            return usage_error("invalid PSS interval '%s': must be between 100ms and 1h "
                               "(each reading walks the page tables)", optarg);
        return -1;
    default: return -2; /* not one of these */
    }
}

/* One option from getopt_long (elem: the argv element it came from). -1 to go on, or an exit
 * status (the error printed, or 0 after --help and --version). */
static int parse_one(int ch, int argc, char **argv, int elem, app_options *o, parse_state *ps)
{
    int rc = parse_valued(ch, o);
    if (rc != -2)
        return rc;
    switch (ch) {
    case 'o': return set_file("-o", optarg, &o->output);
    case OPT_LOG: return set_file("--log", optarg, &o->log_path);
    case OPT_SUMMARY_JSON: return set_file("--summary-json", optarg, &o->summary_json);
    case OPT_NO_TUI: o->no_tui = true; break;
    case 'c': o->children = true; break;
    case OPT_FAIL_LEAK: o->fail_leak = true; break;
    case OPT_NO_MOUSE: o->no_mouse = true; break;
    case OPT_NEW_CGROUP: o->new_cgroup = true; break;
    case OPT_CGROUP_LIMIT:
        o->new_cgroup = true;
        return parse_limit("--cgroup-limit", optarg, &o->cgroup_limit_bytes);
    case OPT_ASCII: o->ascii = true; break;
    case OPT_DEMO: ps->demo = true; break;
    case OPT_DEMO_WORKLOAD: o->demo_child = true; break;
    case OPT_REPLAY: o->replay_path = optarg; break;
    case OPT_MARK:
        o->mark_pid = optarg;
        ps->mark_words = optind - elem; /* however getopt spelt it: --mark, --ma, =PID */
        break;
    case OPT_INTERVAL_PEAKS: o->interval_peaks = true; break;
    case OPT_PSS: ps->pss = true; break;
    case 'v': o->verbose = true; break;
    case 'h': app_options_usage(stdout); return APP_EXIT_OK;
    case 'V': print_version(); return APP_EXIT_OK;
    case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
    default:
        if (elem < argc && is_negative_number(argv[elem]))
            return usage_error("invalid PID '%s': must be a positive number", argv[elem]);
        if (optopt)
            return usage_error("unknown option '-%c'", optopt);
        return usage_error("unknown option '%s'", argv[optind - 1]);
    }
    return -1;
}

int app_options_parse(int argc, char **argv, app_options *o)
{
    memset(o, 0, sizeof(*o));
    o->interval_ms = APP_DEFAULT_INTERVAL_MS;
    o->history = APP_DEFAULT_HISTORY;
    parse_state ps = {0};
    int rc;

    opterr = 0;
    optind = 1;
    int ch;
    /* The element the next option comes from; an option's value ("-i -1") is never one. */
    int elem = optind;
    /* '+': stop at the first non-option, so "memwatch -- cmd -x" keeps -x for cmd. */
    while ((ch = getopt_long(argc, argv, "+:i:H:o:t:cn:vhV", long_opts, NULL)) != -1) {
        if ((rc = parse_one(ch, argc, argv, elem, o, &ps)) >= 0)
            return rc;
        elem = optind;
    }

    if (o->demo_child)
        return -1;
    if (ps.pss && !o->pss_interval_ms) /* the default cadence: 5 s, or the interval if longer */
        o->pss_interval_ms = o->interval_ms > APP_PSS_INTERVAL_MS ? o->interval_ms
                                                                   : APP_PSS_INTERVAL_MS;
    return decide_mode(argc, argv, &ps, o);
}
