/* SPDX-License-Identifier: MIT */
/* chart.h — samples over a time window -> per-column min..max -> a labelled block-element chart. */
#ifndef MW_CHART_H
#define MW_CHART_H

#include <stdbool.h>
#include <stdint.h>
#include "canvas.h"
#include "ring.h"
#include "stats.h"
#include "tiers.h"

/* A chart plots one field of the per-sample field table (fields.h, through sample.h): its id is
 * an mw__field and its value is read with mw__sample_field. The chart index keeps every field's
 * min/max, so any row of the chart table can plot any field. */

/* ---- The dashboard's charts --------------------------------------------------------------------
 * One row per chart, top to bottom; the view draws whatever this table holds (charts.c). Adding
 * a chart: a row there, and its colour (a style in canvas.h, its palette entry in tui.c). */
typedef struct mw__chart_row {
    const char *title;     /* "RSS" */
    mw__field field;
    mw__style style;       /* the bars' colour */
    int weight;            /* its share of the height the charts get */
    bool hwm_peaks;        /* besides its sampled peak (every chart marks that), mark the kernel
                              high-water marks that rose between samples (RSS only: VmHWM) */
    bool alert;            /* draws the --alert threshold */
    unsigned needs;        /* MW_HAVE_* bits the newest sample must have for the chart to be
                              drawn (0: always); the others share its height */
    const char *note;      /* what it counts, after the title when there is room; NULL: none */
    bool pss_cadence;      /* read on the PSS sweep's cadence: the note says how often
                              (mw__view_info.pss_interval_ms) */
    bool process;          /* a process's figure: not drawn for a cgroup watched alone (its
                              samples have no process: nprocs 0) */
    bool cg_limits;        /* draw the cgroup's limit and memory.high (newest sample) as lines */
} mw__chart_row;
extern const mw__chart_row mw__charts[];
extern const int mw__charts_n;

/* ---- A min/max index over blocks of samples ------------------------------------------------
 * Why: a million 64-byte samples are 64 MB; scanning them every frame costs several ms per chart.
 * The index keeps, per block of MW__CHART_BLOCK samples, each field's min and max (and where the
 * max is), the highest high-water mark of HWM_ROSE samples and the OR of the flags. Columns then
 * read whole blocks and scan only their ragged ends. Built incrementally: only blocks completed
 * since the last update are computed. The newest sample is never indexed, because a mark may
 * still be set on it. Owned by the UI state (one per capture ring); no locking. */
#define MW__CHART_BLOCK 64

typedef struct mw__chart_block {
    uint64_t min[MW__FIELD_COUNT], max[MW__FIELD_COUNT]; /* by mw__field */
    uint64_t hwm;            /* highest hwm among HWM_ROSE samples, 0 if none */
    uint8_t max_off[MW__FIELD_COUNT]; /* offset in the block of the (first) max */
    uint8_t known[MW__FIELD_COUNT];   /* samples of the block that knew the field (PSS is read
                                         on its own cadence: not before the first reading) */
    uint8_t flags;           /* OR of the samples' MW_SAMPLE_* flags */
} mw__chart_block;

typedef struct mw__chart_index {
    mw__chart_block *blocks;
    size_t nblocks;         /* slots; block k lives in slot k % nblocks */
    uint64_t done;          /* blocks [.., done) are computed */
    const mw__sample *buf;  /* the ring indexed (identity check) */
    size_t cap;
} mw__chart_index;

/* Bring the index up to date with r. A ring that was cleared, replaced or shrank is detected and
 * re-indexed. On allocation failure the index stays empty and charts scan samples instead. A
 * zeroed struct is a valid empty index. */
void mw__chart_index_update(mw__chart_index *ix, const mw__ring *r);
/* Forget everything (call after refilling a ring in place, e.g. a replay reload). */
void mw__chart_index_reset(mw__chart_index *ix);
void mw__chart_index_destroy(mw__chart_index *ix);

/* ---- Columns ------------------------------------------------------------------------------- */
typedef struct mw__chart_col {
    uint64_t min, max;  /* of the field over the column's samples */
    uint64_t max_seq;   /* the (first) sample holding max (before the ring: its bucket's first) */
    int64_t max_t;      /* the time of max when it came from the tiers; 0: see max_seq */
    uint64_t hwm;       /* highest hwm of HWM_ROSE samples in the column, 0 if none */
    uint32_t n;         /* samples in the column; 0 with `carried`: holds the value on the left */
    bool carried;       /* no sample here, min/max repeat the last value before the column */
    uint8_t flags;      /* OR of MW_SAMPLE_* */
} mw__chart_col;

/* Split the window [t_from, t_to] into ncols equal time slices and summarise the ring's samples
 * [from, to) falling in each. Columns with no sample carry the previous value (so a sparse
 * start still draws a line); columns before the first sample are empty (n 0, not carried).
 * ix may be NULL (scan every sample). */
void mw__chart_columns(const mw__ring *r, const mw__chart_index *ix, uint64_t from, uint64_t to,
                       int64_t t_from, int64_t t_to, mw__field f, int ncols, mw__chart_col *out);
/* The same over the whole run: when from is the ring's first sample and the window starts
 * before it, the columns before it come from t's buckets (the history that left the ring; t
 * NULL or empty: the ring alone). A bucket gives its min..max, flags and hidden peak to every
 * column it overlaps: no column's range is ever narrower than its samples' was. */
void mw__chart_columns_run(const mw__ring *r, const mw__tiers *t, const mw__chart_index *ix,
                           uint64_t from, uint64_t to, int64_t t_from, int64_t t_to, mw__field f,
                           int ncols, mw__chart_col *out);

/* ---- Drawing ------------------------------------------------------------------------------- */
typedef struct mw__chart_spec {
    const char *title;     /* "RSS" */
    const char *note;      /* dim, after the peak when there is room: "(shared pages divided;
                              read every 5s)"; NULL: none */
    const char *short_note; /* what to show instead when the note does not fit; NULL: none */
    mw__field field;
    mw__style style;       /* the bars' colour (mw__chart_row) */
    bool ascii;            /* '#', '|', '.', ':' instead of block elements */
    bool hidden_peaks;     /* show HWM_ROSE high-water marks above their column (RSS) */
    uint64_t alert;        /* threshold line in bytes; 0 = none */
    uint64_t limit, high;  /* a cgroup's limit and memory.high as lines, the y-axis reaching
                              them; 0 = none */
    int64_t t0_ns;         /* time origin for labels: the capture's first sample */
    int64_t t_from, t_to;  /* the time window shown */
    uint64_t from, to;     /* the sequence range holding it */
    const mw__tiers *tiers; /* the capture's history older than the ring, drawn where the window
                              reaches before it (mw__chart_columns_run); NULL: the ring only */
    bool y_zero;           /* the y-axis from 0, not fitted to the window's lowest value */
    bool wall;             /* times as local wall-clock time (t + wall_offset_ns), not elapsed */
    int64_t wall_offset_ns; /* the capture's CLOCK_REALTIME - CLOCK_MONOTONIC */
    /* --compare: another capture's field drawn over the plot as dots (its columns' highest
     * value), on one y-axis with this one, from its first sample to its last only */
    const mw__ring *other;  /* NULL: none */
    const mw__chart_index *other_ix;
    const mw__tiers *other_tiers; /* its history older than its ring (NULL: its ring only) */
    int64_t other_shift_ns; /* added to the other's times to put them on this capture's clock */
    const char *other_name; /* its legend in the title row: "• before.csv ▲ 95.0 MiB" */
} mw__chart_spec;

typedef struct mw__chart_result {
    bool have;             /* at least one sample in the window */
    uint64_t last;         /* value of the newest sample in the window */
    uint64_t peak;         /* highest sampled value in the window */
    uint64_t peak_seq;
    int64_t peak_t_ns;     /* its time since t0 */
    int peak_col;          /* its column, relative to the plot's left edge; -1 if not drawn */
    uint64_t hidden_hwm;   /* highest high-water mark above its column's samples; 0 if none */
    bool over_alert;       /* some sample in the window is at or above the alert */
    int plot_x, plot_w;    /* the plot's columns on the canvas (right of the y-axis labels) */
    bool other_have;       /* --compare: the other capture has samples in the window */
    uint64_t other_peak;   /* ... and its highest there */
} mw__chart_result;

/* Draw the chart in the rectangle (x, y, w, h) of cv:
 *   h >= 3: a title row (name, newest value, "▲ peak V at T", the window's times), the plot
 *           (h - 2 rows, y-axis labels on the left when there is room) and an x-axis row
 *           holding the peak (▲ / ^) and mark (┴ / +) markers;
 *   h == 2: the title row over a one-row sparkline;  h == 1: "RSS ▁▂▅▇ 812.4 MiB".
 * res may be NULL. */
void mw__chart_draw(mw__canvas *cv, int x, int y, int w, int h, const mw__ring *r,
                    const mw__chart_index *ix, const mw__chart_spec *sp, mw__chart_result *res);

/* Y-axis fitting, exposed for tests: a range [lo, hi] in bytes with "nice" steps (1, 2, 2.5, 5
 * x 10^k of a binary unit) around [dmin, dmax], with headroom at both ends so the lowest value
 * still shows a bar and the highest is not flush with the top. */
typedef struct mw__axis {
    double lo, hi;     /* bytes */
    double step;       /* in units */
    int unit;          /* 0 B, 1 KiB, 2 MiB, 3 GiB, 4 TiB */
    int decimals;      /* for labels */
    int intervals;     /* (hi - lo) / step */
} mw__axis;
void mw__axis_fit(uint64_t dmin, uint64_t dmax, int rows, mw__axis *ax);
/* "780 MiB", "1.25 GiB": the label of lo + i * step. */
void mw__axis_label(const mw__axis *ax, int i, char *buf, size_t n);

#endif
