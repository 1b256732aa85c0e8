/* SPDX-License-Identifier: MIT */
/* gates.h — --fail-above, --fail-growth, --fail-leak: judge a run against the limits a script set. */
#ifndef APP_GATES_H
#define APP_GATES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "app.h"
#include "verdict.h"

typedef enum app_gate_kind { APP_GATE_ABOVE, APP_GATE_GROWTH, APP_GATE_LEAK, APP_GATE_COUNT } app_gate_kind;

/* Where --fail-above's figure comes from: the largest of these proven lower bounds of the peak. */
typedef enum app_peak_source {
    APP_PEAK_SAMPLED,  /* the highest sample */
    APP_PEAK_HWM,      /* the watched process's kernel high-water mark above every sample */
    APP_PEAK_SPIKE,    /* -c: one process's kernel high-water mark above every sample of it */
    APP_PEAK_EXIT,     /* wait4's max RSS: the largest single process waited for */
    APP_PEAK_SOURCE_COUNT
} app_peak_source;

typedef struct app_gate {
    bool on;              /* asked for on the command line */
    bool decided;         /* its figure is known: a sample was taken (--fail-leak: a verdict) */
    bool tripped;         /* decided, and over the limit (--fail-leak: the verdict is "leak") */
    uint64_t limit;       /* bytes (0 for --fail-leak) */
    int64_t figure;       /* bytes: the peak RSS, or the growth (final - initial, signed) */
    app_peak_source source; /* --fail-above: which proven peak the figure is */
    mw_leak_result leak;  /* --fail-leak: the verdict (valid when have_leak) */
    bool have_leak;
} app_gate;

typedef struct app_gates {
    app_gate g[APP_GATE_COUNT];
    bool tree;            /* -c: the RSS figures are the tree's sampled totals */
} app_gates;

/* The option's name: "--fail-above", "--fail-growth", "--fail-leak". */
const char *app_gate_option(app_gate_kind k);
/* Whether any gate was asked for. */
bool app_gates_asked(const app_options *o);
/* Judge the session's whole run against its gates. leak: a verdict already reached over the
 * capture (the dashboard's floor index), or NULL to judge the capture's ring now. */
void app_gates_eval(const app_session *s, const mw_leak_result *leak, app_gates *out);
/* The source's name in JSON ("sampled", "kernel_hwm", "process_hwm", "exit_maxrss"). */
const char *app_peak_source_key(app_peak_source src);
bool app_gates_tripped(const app_gates *g);
/* One line per tripped gate on f, naming the figure and the limit:
 * "memwatch: gate tripped: peak RSS 120.3 MiB > --fail-above 100.0 MiB". */
void app_gates_report(FILE *f, const app_gates *g);
/* The summary's lines, one per gate asked for: passed, tripped or not decided (and why). */
void app_gates_summary(FILE *f, const app_gates *g);
/* The dashboard's live text while a gate is over its limit ("GATE peak RSS 120.3 MiB >
 * 100.0 MiB"; the limit is the gate's: the help and the command line name it), or NULL. floor: the dashboard's floor index, so a frame never walks the samples. */
const char *app_gates_live(const app_session *s, const mw__floor *floor, char *buf, size_t n);

#endif
