/* SPDX-License-Identifier: MIT */
/* promtext.h — the current figures of a run in the Prometheus text exposition format (0.0.4). */
#ifndef MW_PROMTEXT_H
#define MW_PROMTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "sample.h"

/* Who owns what: this file only formats (pure, tested on its own); the program decides when to
 * write and writes through atomicfile.c (src/cli/promfile.c). */

/* What one rewrite of the textfile says. Only true figures: a field the newest sample does not
 * know is left out, never written as 0. */
typedef struct mw__prom_figures {
    pid_t pid;
    const char *comm;         /* the process name (any bytes: escaped, invalid UTF-8 as '?') */
    const mw__sample *last;   /* the newest sample, NULL before the first */
    uint64_t peak_rss;        /* the highest RSS sampled (not the kernel's VmHWM) */
    bool have_trend;          /* a least-squares line of RSS could be fitted */
    double growth_bps;        /* its slope, bytes per second */
    uint64_t samples;         /* samples taken so far */
    double last_sample_s;     /* the newest sample's Unix time in seconds */
    bool running;             /* still watched and running: 0 in the run's last rewrite */
} mw__prom_figures;

/* Bytes a buffer for mw__prom_format needs at most (a 15-byte comm escaped at its widest). */
#define MW__PROM_TEXT_MAX 8192

/* Write the exposition into buf: every metric with its # HELP and # TYPE lines, labels
 * {pid="N",comm="NAME"}, "\n" line ends, NUL-terminated. Returns the length, or 0 if buf is too
 * small (n >= MW__PROM_TEXT_MAX always holds it, for comm up to 64 bytes). */
size_t mw__prom_format(char *buf, size_t n, const mw__prom_figures *f);

/* comm as a label value (without quotes): \\ \" and \n escaped, invalid UTF-8 as '?'; into buf
 * (n >= 4 * strlen(comm) + 1 holds any). Returns buf. */
char *mw__prom_label_value(char *buf, size_t n, const char *comm);

#endif
