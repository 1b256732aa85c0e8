/* SPDX-License-Identifier: MIT */
/* stats.h — pure statistics over samples: initial/current/peak, growth, least-squares trend. */
#ifndef MW_STATS_H
#define MW_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include "ring.h"
#include "tiers.h"

/* One field over the samples that knew it (a field read on its own cadence, like PSS, is not
 * known from the first sample on). */
typedef struct mw__field_span {
    bool known;       /* some sample knew it */
    uint64_t first;   /* bytes, at the first sample that knew it */
    uint64_t max;     /* the highest */
    int64_t max_t_ns; /* when (earliest on ties) */
    uint64_t min;     /* the lowest (--summary-json) */
    int64_t min_t_ns; /* when (earliest on ties) */
    uint64_t last;    /* at the latest sample that knew it */
    int64_t last_t_ns;
} mw__field_span;

/* Running summary, updated one sample at a time (O(1)); owned by whoever feeds it. */
typedef struct mw__summary {
    mw__field_span field[MW__FIELD_COUNT];
    uint64_t n;            /* samples added */
    mw__sample first;      /* the first sample added (valid when n > 0) */
    mw__sample last;       /* the latest */
    mw__sample peak_rss;   /* the sample with the highest RSS (earliest on ties) */
    mw__sample peak_vsz;   /* the sample with the highest VSZ (earliest on ties) */
    uint64_t peak_rss_seq; /* sequence numbers of those two, as given to _add */
    uint64_t peak_vsz_seq;
    uint64_t max_hwm;      /* highest proven kernel high-water mark (a one-process sample whose
                              mark rose: MW_SAMPLE_HWM_ROSE), 0 if none */
    uint64_t max_hwm_sum;  /* with several processes: the highest sum of their own marks, an
                              upper bound of the tree's peak (not a peak), 0 if none */
} mw__summary;

void mw__summary_reset(mw__summary *s);
void mw__summary_add(mw__summary *s, const mw__sample *x, uint64_t seq);
/* last.rss - first.rss in bytes; 0 with fewer than one sample. */
int64_t mw__summary_growth(const mw__summary *s);
/* Summary of the ring's samples [from, to). */
void mw__summary_of_range(mw__summary *s, const mw__ring *r, uint64_t from, uint64_t to);

/* Which value of a sample a statistic looks at: mw__field and mw__sample_field (sample.h). */

/* Ordinary least squares of value (bytes) against time (seconds) over the ring's [from, to). */
typedef struct mw__trend {
    size_t n;           /* points used */
    double slope;       /* bytes per second */
    double intercept;   /* bytes at the first point's time */
    double r2;          /* coefficient of determination, 0..1 (1 when all values are equal) */
    bool flat;          /* all values equal: R² is undefined (0/0); shown as "—", not 1.00 */
    double span_s;      /* seconds between first and last point */
} mw__trend;

/* Growth as a percentage of the first sample's RSS, only when that start means something: at
 * least 1 MiB. A smaller first sample is a process caught starting (a launched command sampled
 * mid-exec, before its libraries are mapped), and a percentage of it reads "+159975 %".
 * Returns false (no percentage: show the absolute growth only) below that. */
#define MW__GROWTH_PCT_MIN_START (1024u * 1024u)
bool mw__growth_percent(uint64_t first_rss, int64_t growth, double *pct);

/* Fit; returns false (and n < 2 or span 0) when no line can be fitted. */
bool mw__trend_fit(const mw__ring *r, uint64_t from, uint64_t to, mw__field f, mw__trend *out);
/* The same fit on every stride-th sample of [from, to) (stride >= 1, the first one included):
 * the dashboard fits a window of a million samples on ~1024 of them, whose slope and R² agree
 * with the whole window's to the digits it shows. It and _points share one least-squares code. */
bool mw__trend_fit_every(const mw__ring *r, uint64_t from, uint64_t to, uint64_t stride,
                         mw__field f, mw__trend *out);

/* The same fit over the run's samples with times in [t_from, t_to] (INT64_MIN, INT64_MAX: all):
 * the tiers' buckets there (t: ending where the ring begins, or NULL; a bucket cut by t_from or
 * t_to counts whole), each as its samples at its middle time and mean, their spread kept in R²;
 * then the ring's samples, every stride-th (weighing the stride). For a window reaching before
 * the ring (zoom all of a long run, a paused view scrolled back): the trend of what is shown. */
bool mw__trend_fit_run(const mw__ring *r, const mw__tiers *t, int64_t t_from, int64_t t_to,
                       uint64_t stride, mw__field f, mw__trend *out);

/* A point of a series that is not a ring's samples (the floor of a window: verdict.c). */
typedef struct mw__point {
    int64_t t_ns; /* CLOCK_MONOTONIC */
    double v;     /* bytes */
} mw__point;

/* The same fit over points in time order. */
bool mw__trend_fit_points(const mw__point *p, size_t n, mw__trend *out);

/* The first sequence number in [from, to) whose time is >= t_ns (to if none); binary search,
 * relying on timestamps never decreasing. */
uint64_t mw__ring_seek_time(const mw__ring *r, uint64_t from, uint64_t to, int64_t t_ns);

#endif
