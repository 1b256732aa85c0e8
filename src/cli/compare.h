/* SPDX-License-Identifier: MIT */
/* compare.h — --compare: the other capture, loaded at start, and how it lines up with this run. */
#ifndef APP_COMPARE_H
#define APP_COMPARE_H

#include <stdint.h>
#include "app.h"
#include "uistate.h"

/* Owned by main.c (live) or run_replay; read on the main thread only: the dashboard draws it
 * over the charts, --plot over its panels. */
typedef struct app_compare app_compare;

/* Load o->compare (NULL *out when not asked). A file that cannot be loaded, or that lacks the
 * --compare-at mark, is said in one line: returns the exit status (2; 1 out of memory); 0. */
int app_compare_open(const app_options *o, app_compare **out);
void app_compare_free(app_compare *k);
/* The other capture. */
const mw__capture *app_compare_other(const app_compare *k);
/* The --compare-at mark this run's picture can align at: o->compare_at when c has that mark,
 * else NULL (aligned at each start; a live run may not have reached the mark). */
const char *app_compare_align_mark(const app_compare *k, const mw__capture *c);
/* Fill info's --compare fields for a frame of c at CLOCK_MONOTONIC now_ns: the shift (t=0 at
 * the mark once c has it, else at each first sample) and the comparing line, recomputed at most
 * once a second (it reads both captures whole). Pointers stay valid until the next call. */
void app_compare_fill(app_compare *k, const mw__capture *c, int64_t now_ns, mw__view_info *info);

#endif
