/* SPDX-License-Identifier: MIT */
/* svgcompare.h — --compare: where each capture's t=0 is, and the line comparing two captures (pure). */
#ifndef MW_SVGCOMPARE_H
#define MW_SVGCOMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "capture.h"

/* c's time 0 for a comparison: the sample of its first mark labelled label, or (label NULL) its
 * first sample. False when it has no sample, or no such mark among its samples. */
bool mw__compare_anchor(const mw__capture *c, const char *label, int64_t *t_ns);

/* "peak 120 MiB vs 95 MiB (+26%), growth +40 MiB vs +12 MiB, trend +5.0 MiB/min vs +0.2 MiB/min"
 * for a (this run) against b (the other). Peak and growth (last minus first RSS) count every
 * sample ever added, the trend is the least-squares slope of RSS over the samples kept, as the
 * summary computes them; a trend that
 * cannot be fitted (under two samples) is "—". Both captures must hold samples. */
char *mw__compare_line(char *buf, size_t n, const mw__capture *a, const mw__capture *b);

#endif
