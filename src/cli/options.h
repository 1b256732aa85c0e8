/* SPDX-License-Identifier: MIT */
/* options.h — the command line contract: what memwatch was asked to do, parsed and validated. */
#ifndef MW_OPTIONS_H
#define MW_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>

typedef enum mw_mode {
    MW_MODE_PID,    /* memwatch PID */
    MW_MODE_LAUNCH, /* memwatch -- COMMAND ARGS */
    MW_MODE_DEMO,   /* memwatch --demo */
    MW_MODE_REPLAY  /* memwatch --replay FILE */
} mw_mode;

#define MW_DEFAULT_INTERVAL_MS 250
#define MW_DEFAULT_HISTORY 100000
#define MW_HISTORY_MAX 100000000ull /* 100 M samples: 5.6 GB; beyond that is surely a typo */

typedef struct mw_options {
    mw_mode mode;
    pid_t pid;
    char **command;          /* launch: argv of the command (borrowed from main's argv) */
    const char *replay_path;
    uint64_t interval_ms;
    size_t history;
    const char *output;      /* -o FILE */
    const char *log_path;    /* --log FILE: launched command's stdout/stderr */
    uint64_t duration_ms;    /* -t, 0 = until the target exits or the user quits */
    bool no_tui;
    bool children;
    bool interval_peaks;
    uint64_t alert_bytes;    /* 0 = none */
    bool ascii;
    bool verbose;
    bool demo_child;         /* internal: run the demo workload itself (--demo-workload) */
} mw_options;

/* Exit statuses (a contract, see --help). */
enum { MW_EXIT_OK = 0, MW_EXIT_RUNTIME = 1, MW_EXIT_USAGE = 2 };

/* Parse argv. Returns -1 when parsing succeeded and the program should run; otherwise the exit
 * status to exit with at once: 0 after --help / --version (printed to stdout), 2 after a usage
 * error (one line printed to stderr naming the bad value). */
int mw_options_parse(int argc, char **argv, mw_options *o);

/* Print the help text (fits in 80 columns). */
void mw_options_usage(FILE *f);

#endif
