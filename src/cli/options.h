/* SPDX-License-Identifier: MIT */
/* options.h — the command line contract: what memwatch was asked to do, parsed and validated. */
#ifndef MW_OPTIONS_H
#define MW_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>

typedef enum app_mode {
    APP_MODE_PID,    /* memwatch PID */
    APP_MODE_LAUNCH, /* memwatch -- COMMAND ARGS */
    APP_MODE_DEMO,   /* memwatch --demo */
    APP_MODE_REPLAY, /* memwatch --replay FILE */
    APP_MODE_NAME,   /* memwatch -n NAME: resolved to APP_MODE_PID by main (pick.c) */
    APP_MODE_PICK,   /* memwatch on a terminal with no target: the picker, then APP_MODE_PID */
    APP_MODE_CGROUP  /* memwatch --cgroup PATH|NAME: a memory cgroup, no process (cgwatch.c) */
} app_mode;

#define APP_DEFAULT_INTERVAL_MS 250
#define APP_PSS_INTERVAL_MS 5000    /* --pss: smaps_rollup every 5 s (each read walks page tables) */
#define APP_PSS_INTERVAL_MIN_MS 100
#define APP_DEFAULT_HISTORY 100000
#define APP_HISTORY_MAX 100000000ull /* 100 M samples: 12.8 GB; beyond that is surely a typo */

typedef struct app_options {
    app_mode mode;
    pid_t pid;
    char **command;          /* launch: argv of the command (borrowed from main's argv) */
    const char *replay_path;
    uint64_t interval_ms;
    size_t history;
    const char *output;      /* -o FILE ("-": standard output, with --no-tui only) */
    const char *format;      /* --format: -o's row format ("csv", "jsonl"), NULL = csv */
    const char *prom_textfile; /* --prom-textfile FILE, or NULL */
    const char *log_path;    /* --log FILE: launched command's stdout/stderr */
    uint64_t duration_ms;    /* -t, 0 = until the target exits or the user quits */
    bool no_tui;
    bool children;
    const char *name;        /* -n NAME: the process of that name (APP_MODE_NAME) */
    const char *cgroup;      /* --cgroup PATH|NAME|ID: the memory cgroup (APP_MODE_CGROUP) */
    bool interval_peaks;
    uint64_t pss_interval_ms; /* --pss / --pss-interval: PSS sweep cadence, 0 = off */
    uint64_t alert_bytes;    /* 0 = none */
    uint64_t fail_above_bytes;  /* --fail-above: peak RSS limit, 0 = none (gates.c) */
    uint64_t fail_growth_bytes; /* --fail-growth: growth limit, 0 = none */
    bool fail_leak;          /* --fail-leak: the verdict "leak" fails the run */
    const char *summary_json; /* --summary-json FILE ("-": standard output) */
    const char *plot;        /* --plot FILE.svg: the picture at the end (plotfile.c), or NULL */
    const char *compare;     /* --compare OTHER.csv: drawn over the --plot picture, or NULL */
    const char *compare_at;  /* --compare-at LABEL: t=0 at this mark in both (--replay), or NULL */
    bool ascii;
    int color;               /* --color: an app_color (tui.h), APP_COLOR_AUTO = 0 */
    bool no_mouse;           /* --no-mouse: the dashboard leaves the mouse to the terminal */
    bool new_cgroup;         /* --new-cgroup: launch the command in a fresh memory cgroup */
    uint64_t cgroup_limit_bytes; /* --cgroup-limit: that cgroup's cap, 0 = none */
    bool verbose;
    bool demo_child;         /* internal: run the demo workload itself (--demo-workload) */
    const char *mark_pid;    /* --mark PID [LABEL]: mark a running memwatch's capture, then exit */
    const char *mark_label;  /* its LABEL, NULL for a numbered one */
} app_options;

/* Exit statuses (a contract, see --help). */
enum { APP_EXIT_OK = 0, APP_EXIT_RUNTIME = 1, APP_EXIT_USAGE = 2, APP_EXIT_GATE = 3 };

/* Parse argv. Returns -1 when parsing succeeded and the program should run; otherwise the exit
 * status to exit with at once: 0 after --help / --version (printed to stdout), 2 after a usage
 * error (one line printed to stderr naming the bad value). */
int app_options_parse(int argc, char **argv, app_options *o);

/* -o -: the capture goes to standard output, so every other word memwatch says goes to stderr
 * (and nothing else may write to stdout: a launched command's output included). */
bool app_output_is_stdout(const app_options *o);

/* The usage error for no target where the picker cannot open (--no-tui, not a terminal):
 * one line on stderr; returns APP_EXIT_USAGE. */
int app_options_no_target(void);

/* Print the help text (fits in 80 columns). */
void app_options_usage(FILE *f);

#endif
