/* SPDX-License-Identifier: MIT */
/* chartdata.c — the chart's numbers: block min/max index, per-column summaries, nice y-axis. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"

/* ---- index --------------------------------------------------------------------------------- */

void mw__chart_index_reset(mw__chart_index *ix)
{
    ix->done = 0;
    ix->buf = NULL;
    ix->cap = 0;
}

void mw__chart_index_destroy(mw__chart_index *ix)
{
    if (!ix)
        return;
    free(ix->blocks);
    memset(ix, 0, sizeof(*ix));
}

static void block_of(mw__chart_block *b, const mw__sample *x, size_t n)
{
    b->hwm = 0;
    b->flags = 0;
    memset(b->known, 0, sizeof(b->known));
    for (size_t i = 0; i < n; i++) {
        const mw__sample *s = &x[i];
        for (int f = 0; f < MW__FIELD_COUNT; f++) {
            if (!mw__field_known((mw__field)f, s->valid))
                continue; /* an unknown is no value: never drawn as 0 */
            uint64_t v = mw__sample_field(s, (mw__field)f);
            if (!b->known[f]++) {
                b->min[f] = b->max[f] = v;
                b->max_off[f] = (uint8_t)i;
            }
            if (v < b->min[f])
                b->min[f] = v;
            if (v > b->max[f]) {
                b->max[f] = v;
                b->max_off[f] = (uint8_t)i;
            }
        }
        if ((s->flags & MW_SAMPLE_HWM_ROSE) && s->nprocs <= 1 && s->hwm > b->hwm)
            b->hwm = s->hwm; /* a tree's mark is a sum of marks: no height to draw */
        b->flags |= s->flags;
    }
}

void mw__chart_index_update(mw__chart_index *ix, const mw__ring *r)
{
    uint64_t end = mw__ring_end(r);
    size_t want = r->cap / MW__CHART_BLOCK + 2;
    if (ix->buf != r->buf || ix->cap != r->cap || end < ix->done * MW__CHART_BLOCK) {
        mw__chart_index_reset(ix);
        if (ix->nblocks < want) {
            free(ix->blocks);
            ix->blocks = malloc(want * sizeof(*ix->blocks));
            ix->nblocks = ix->blocks ? want : 0;
        }
        if (!ix->blocks)
            return;
        ix->buf = r->buf;
        ix->cap = r->cap;
    }
    /* Blocks that started before the oldest stored sample are never read: skip them. */
    uint64_t first_full = (mw__ring_first(r) + MW__CHART_BLOCK - 1) / MW__CHART_BLOCK;
    if (ix->done < first_full)
        ix->done = first_full;
    while ((ix->done + 1) * MW__CHART_BLOCK < end) {
        const mw__sample *a, *b;
        size_t na, nb;
        uint64_t s0 = ix->done * MW__CHART_BLOCK;
        mw__ring_span(r, s0, s0 + MW__CHART_BLOCK, &a, &na, &b, &nb);
        mw__chart_block *blk = &ix->blocks[ix->done % ix->nblocks];
        if (nb == 0) {
            block_of(blk, a, na);
        } else { /* the block wraps around the ring's end: copy it straight */
            mw__sample tmp[MW__CHART_BLOCK];
            memcpy(tmp, a, na * sizeof(*a));
            memcpy(tmp + na, b, nb * sizeof(*b));
            block_of(blk, tmp, na + nb);
        }
        ix->done++;
    }
}

/* ---- columns ------------------------------------------------------------------------------- */

static void col_add_samples(mw__chart_col *c, const mw__sample *x, size_t n, uint64_t seq0,
                            mw__field f)
{
    for (size_t i = 0; i < n; i++) {
        if (!mw__field_known(f, x[i].valid))
            continue;
        uint64_t v = mw__sample_field(&x[i], f);
        if (c->n == 0 || v < c->min)
            c->min = v;
        if (c->n == 0 || v > c->max) {
            c->max = v;
            c->max_seq = seq0 + i;
            c->max_t = 0; /* in the ring: read it there */
        }
        if ((x[i].flags & MW_SAMPLE_HWM_ROSE) && x[i].nprocs <= 1 && x[i].hwm > c->hwm)
            c->hwm = x[i].hwm;
        c->flags |= x[i].flags;
        c->n++;
    }
}

static void col_scan(mw__chart_col *c, const mw__ring *r, uint64_t a, uint64_t b, mw__field f)
{
    const mw__sample *x, *y;
    size_t nx, ny;
    mw__ring_span(r, a, b, &x, &nx, &y, &ny);
    col_add_samples(c, x, nx, a, f);
    col_add_samples(c, y, ny, a + nx, f);
}

static void col_block(mw__chart_col *c, const mw__chart_block *blk, uint64_t k, mw__field f)
{
    if (!blk->known[f])
        return;
    if (c->n == 0 || blk->min[f] < c->min)
        c->min = blk->min[f];
    if (c->n == 0 || blk->max[f] > c->max) {
        c->max = blk->max[f];
        c->max_seq = k * MW__CHART_BLOCK + blk->max_off[f];
        c->max_t = 0; /* in the ring: read it there */
    }
    if (blk->hwm > c->hwm)
        c->hwm = blk->hwm;
    c->flags |= blk->flags;
    c->n += blk->known[f];
}

/* Summarise [a, b): whole indexed blocks from the index, the ragged ends sample by sample. */
static void col_range(mw__chart_col *c, const mw__ring *r, const mw__chart_index *ix, uint64_t a,
                      uint64_t b, mw__field f)
{
    uint64_t k0 = (a + MW__CHART_BLOCK - 1) / MW__CHART_BLOCK, k1 = b / MW__CHART_BLOCK;
    bool usable = ix && ix->blocks && ix->buf == r->buf && ix->cap == r->cap;
    if (usable && k1 > ix->done)
        k1 = ix->done;
    if (!usable || k0 >= k1 || k0 * MW__CHART_BLOCK < mw__ring_first(r)) {
        col_scan(c, r, a, b, f);
        return;
    }
    col_scan(c, r, a, k0 * MW__CHART_BLOCK, f);
    size_t slot = (size_t)(k0 % ix->nblocks); /* walk the slots: no division per block */
    for (uint64_t k = k0; k < k1; k++) {
        col_block(c, &ix->blocks[slot], k, f);
        if (++slot == ix->nblocks)
            slot = 0;
    }
    col_scan(c, r, k1 * MW__CHART_BLOCK, b, f);
}

static int64_t t_of(const mw__ring *r, uint64_t seq) { return mw__ring_at(r, seq)->t_ns; }

/* The first sequence number in [lo, hi) whose time is >= t (hi if none), starting from a guess:
 * gallop from the guess to a bracket, then binary search inside it. With evenly spaced samples
 * the guess is right to a sample or two, so a column boundary costs a few memory reads instead
 * of ~20 cache misses across a 56 MB ring. */
static uint64_t seek_from(const mw__ring *r, uint64_t lo, uint64_t hi, int64_t t, uint64_t guess)
{
    if (lo >= hi)
        return lo;
    if (guess < lo)
        guess = lo;
    if (guess >= hi)
        guess = hi - 1;
    uint64_t prev = guess, step = 1;
    if (t_of(r, guess) < t) {
        for (;;) {
            if (hi - prev <= step)
                return mw__ring_seek_time(r, prev + 1, hi, t);
            uint64_t next = prev + step;
            if (t_of(r, next) >= t)
                return mw__ring_seek_time(r, prev + 1, next, t);
            prev = next;
            step *= 2;
        }
    }
    for (;;) {
        if (prev - lo < step)
            return mw__ring_seek_time(r, lo, prev, t);
        uint64_t next = prev - step;
        if (t_of(r, next) < t)
            return mw__ring_seek_time(r, next + 1, prev, t);
        prev = next;
        step *= 2;
    }
}

/* ---- columns before the ring: the tiers --------------------------------------------------- */

/* Columns sliced as the ring's are: column i holds [t_from + span*i/n, t_from + span*(i+1)/n).
 * Buckets come in time order, so the column of each is found by moving forward from the
 * previous one's: no division per bucket. */
typedef struct col_cursor {
    int64_t t_from;
    double span;
    int n, i;          /* the column at hand */
    int64_t next;      /* where column i + 1 starts */
} col_cursor;

static int64_t col_start(const col_cursor *k, int i)
{
    return k->t_from + (int64_t)(k->span * i / k->n);
}

/* The column holding t (>= the previous t asked): before t_from is 0, past the window the last;
 * a zero-length window puts everything in the last column, as the ring's columns do. */
static int col_at(col_cursor *k, int64_t t)
{
    if (k->span <= 0.0)
        return k->n - 1;
    while (k->i + 1 < k->n && t >= k->next) {
        k->i++;
        k->next = col_start(k, k->i + 1);
    }
    return k->i;
}

/* A bucket's range goes to every column it overlaps; its flags and hidden peak (one moment
 * somewhere in it: a mark drawn once, not as a band) only to the one given flags. */
static void col_bucket(mw__chart_col *c, const mw__bucket *b, mw__field f, bool flags)
{
    if (c->n == 0 || b->field[f].min < c->min)
        c->min = b->field[f].min;
    if (c->n == 0 || b->field[f].max > c->max) {
        c->max = b->field[f].max;
        c->max_seq = b->seq_first;
        c->max_t = b->field[f].max_t;
    }
    if (flags && b->hwm > c->hwm)
        c->hwm = b->hwm;
    if (flags)
        c->flags |= b->flags;
    c->n = b->field[f].known > UINT32_MAX - c->n ? UINT32_MAX : c->n + (uint32_t)b->field[f].known;
    c->carried = false;
}

/* Fill the columns the tiers' buckets overlap, carrying the last value over columns between
 * buckets. Returns whether any bucket knew the field; *last gets the newest one's last value. */
static bool tier_columns(const mw__tiers *t, int64_t t_from, double span, mw__field f, int ncols,
                         mw__chart_col *out, uint64_t *last)
{
    col_cursor k = {t_from, span, ncols, 0, 0};
    k.next = col_start(&k, 1);
    int done = -1; /* columns [0, done] are filled */
    bool any = false;
    mw__bucket all;
    if (ncols == 1 && mw__tiers_all(t, &all) && all.t_first >= t_from &&
        (span <= 0.0 || all.t_last <= t_from + (int64_t)span)) {
        /* one column over all of it (the axis of `zoom all`): the merged history, one read */
        if (all.field[f].known) {
            col_bucket(&out[0], &all, f, true);
            *last = all.field[f].last;
        }
        return all.field[f].known != 0;
    }
    mw__tiers_walk w;
    mw__tiers_walk_from(&w, t, mw__tiers_seek_time(t, t_from));
    for (const mw__bucket *b; (b = mw__tiers_walk_next(&w)) != NULL;) {
        if (span > 0.0 && b->t_first > t_from + (int64_t)span)
            break; /* a window ending in the tiers (a paused view scrolled back) ends here */
        if (!b->field[f].known)
            continue;
        int c0 = col_at(&k, b->t_first), c1 = c0;
        if (b->t_last >= k.next) { /* it reaches into later columns */
            col_cursor k1 = k;
            c1 = col_at(&k1, b->t_last);
        }
        for (int c = done + 1; any && c < c0; c++) {
            out[c].min = out[c].max = *last;
            out[c].carried = true;
        }
        for (int c = c0; c <= c1; c++)
            col_bucket(&out[c], b, f, c == (c0 + c1) / 2);
        *last = b->field[f].last;
        done = c1 > done ? c1 : done;
        any = true;
    }
    return any;
}

void mw__chart_columns(const mw__ring *r, const mw__chart_index *ix, uint64_t from, uint64_t to,
                       int64_t t_from, int64_t t_to, mw__field f, int ncols, mw__chart_col *out)
{
    mw__chart_columns_run(r, NULL, ix, from, to, t_from, t_to, f, ncols, out);
}

void mw__chart_columns_run(const mw__ring *r, const mw__tiers *t, const mw__chart_index *ix,
                           uint64_t from, uint64_t to, int64_t t_from, int64_t t_to, mw__field f,
                           int ncols, mw__chart_col *out)
{
    if (ncols <= 0)
        return;
    memset(out, 0, (size_t)ncols * sizeof(*out));
    bool have_prev = false;
    uint64_t prev = 0;
    double span = t_to > t_from ? (double)(t_to - t_from) : 0.0;
    /* Only a window that reaches the ring's start reaches before it; the tiers end there. */
    if (t && from <= mw__ring_first(r) && mw__ring_count(r) &&
        mw__tiers_end(t) == mw__ring_first(r) && t_from < t_of(r, mw__ring_first(r)))
        have_prev = tier_columns(t, t_from, span, f, ncols, out, &prev);
    if (from < mw__ring_first(r))
        from = mw__ring_first(r);
    if (to > mw__ring_end(r))
        to = mw__ring_end(r);
    uint64_t a = mw__ring_seek_time(r, from, to, t_from);
    /* Guesses interpolate between the first and last sample in the window. */
    uint64_t a0 = a;
    double ta0 = a < to ? (double)t_of(r, a) : 0.0;
    double per_ns = a + 1 < to && t_of(r, to - 1) > t_of(r, a)
                        ? (double)(to - 1 - a) / ((double)t_of(r, to - 1) - ta0) : 0.0;
    /* The window may reach past the newest sample (a live view's time axis moves in steps, so
     * most frames redraw one column instead of rescaling them all): columns that start after
     * it stay empty rather than carrying the last value into the future. */
    int64_t t_last = to > from ? t_of(r, to - 1) : t_from;
    for (int i = 0; i < ncols; i++) {
        if (a >= to && have_prev && span > 0.0 &&
            t_from + (int64_t)(span * i / ncols) > t_last)
            break;
        /* The last column takes everything up to `to`, so the newest sample always shows. */
        uint64_t b = to;
        if (i + 1 < ncols && span > 0.0) {
            int64_t tb = t_from + (int64_t)(span * (i + 1) / ncols);
            double g = (double)a0 + ((double)tb - ta0) * per_ns;
            b = seek_from(r, a, to, tb, g < (double)a ? a : (uint64_t)g);
        } else if (i + 1 < ncols) {
            b = a; /* a zero-length window: everything lands in the last column */
        }
        mw__chart_col *c = &out[i];
        if (b > a) {
            col_range(c, r, ix, a, b, f);
            prev = mw__sample_field(mw__ring_at(r, b - 1), f);
            have_prev = true;
        } else if (have_prev && c->n == 0 && !c->carried) { /* not one the tiers filled */
            c->min = c->max = prev;
            c->carried = true;
        }
        a = b;
    }
}

/* ---- y-axis -------------------------------------------------------------------------------- */

/* floor/ceil for the small non-negative values used here, without libm; the epsilon keeps
 * 3.0000000001 steps from becoming 4. */
static double floor_eps(double v) { return (double)(int64_t)(v + 1e-9); }
static double ceil_eps(double v)
{
    double f = floor_eps(v);
    return f + 1e-9 < v ? f + 1 : f;
}

static double nice_step(double raw)
{
    double p = 1;
    while (raw >= p * 10)
        p *= 10;
    while (raw < p)
        p /= 10;
    double f = raw / p;
    /* the nearest nice factor, so the tick count stays near what was asked for */
    double nf = f < 1.5 ? 1 : f < 2.25 ? 2 : f < 3.5 ? 2.5 : f < 7.5 ? 5 : 10;
    return nf * p;
}

static int decimals_of(double step)
{
    int d = 0;
    for (double s = step; d < 6 && s - floor_eps(s) > 1e-6; s *= 10)
        d++;
    return d;
}

static void fit_in_unit(double dmin, double dmax, int unit, int intervals, mw__axis *ax)
{
    double u = 1;
    for (int i = 0; i < unit; i++)
        u *= 1024;
    double lo_u = dmin / u, hi_u = dmax / u;
    double step = nice_step((hi_u - lo_u) / intervals);
    double lo = floor_eps(lo_u / step) * step, hi = ceil_eps(hi_u / step) * step;
    /* Headroom: the lowest value must still draw a bar, the highest must not touch the top. */
    double room = (hi - lo) * 0.04;
    if (lo_u - lo < room && lo >= step)
        lo -= step;
    if (hi - hi_u < room)
        hi += step;
    ax->lo = lo * u;
    ax->hi = hi * u;
    ax->step = step;
    ax->unit = unit;
    ax->decimals = decimals_of(step);
    ax->intervals = (int)((hi - lo) / step + 0.5);
}

void mw__axis_fit(uint64_t dmin, uint64_t dmax, int rows, mw__axis *ax)
{
    double lo = (double)dmin, hi = (double)dmax;
    if (hi < lo)
        hi = lo;
    if (hi - lo < 1.0) { /* flat: centre the line in a band of +-2 % (at least 4 KiB) */
        double pad = hi * 0.02 < 4096 ? 4096 : hi * 0.02;
        lo = lo > pad ? lo - pad : 0;
        hi += pad;
    }
    /* about one label every other row, at most 6; never more intervals than rows */
    int intervals = rows >= 4 ? rows / 2 : 1;
    if (intervals > 6)
        intervals = 6;
    int unit = 0;
    for (double u = 1024; unit < 4 && hi >= u; u *= 1024)
        unit++;
    fit_in_unit(lo, hi, unit, intervals, ax);
    /* "1.00012 GiB" is noise: use a smaller unit rather than more than two decimals. */
    while (ax->decimals > 2 && unit > 0)
        fit_in_unit(lo, hi, --unit, intervals, ax);
}

void mw__axis_label(const mw__axis *ax, int i, char *buf, size_t n)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double u = 1;
    for (int k = 0; k < ax->unit; k++)
        u *= 1024;
    double v = ax->lo / u + ax->step * i;
    snprintf(buf, n, "%.*f %s", ax->decimals, v, units[ax->unit]);
}
