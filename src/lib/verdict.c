/* SPDX-License-Identifier: MIT */
/* verdict.c — is it a leak? The floor index, the window floors and the decision (verdict.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "units.h"
#include "sized.h"
#include "verdict.h"

/* ---- the floor index ------------------------------------------------------------------------- */

static size_t cap_for(size_t max_samples)
{
    size_t cap = max_samples / MW__FLOOR_BLOCK + 2;
    return cap < MW__FLOOR_MIN_BLOCKS ? MW__FLOOR_MIN_BLOCKS : cap;
}

int mw__floor_init(mw__floor *f, size_t max_samples)
{
    memset(f, 0, sizeof(*f));
    f->cap = cap_for(max_samples);
    f->b = malloc(f->cap * sizeof(*f->b));
    if (!f->b) {
        f->cap = 0;
        return MW_ENOMEM;
    }
    return 0;
}

void mw__floor_destroy(mw__floor *f)
{
    if (!f)
        return;
    free(f->b);
    memset(f, 0, sizeof(*f));
}

void mw__floor_clear(mw__floor *f)
{
    f->first = f->end = 0;
    f->width = 0;
    memset(&f->cur, 0, sizeof(f->cur));
    f->src = NULL;
    f->src_cap = 0;
    f->fed = 0;
}

static mw__floor_block *held(mw__floor *f, uint64_t k) { return &f->b[k % f->cap]; }

/* b (newer, adjacent) into a: the lower min wins, the earlier one on ties. */
static void block_merge(mw__floor_block *a, const mw__floor_block *b)
{
    if (b->min < a->min) {
        a->min = b->min;
        a->t_min = b->t_min;
    }
    a->t_last = b->t_last;
    a->n += b->n;
}

/* Full: merge adjacent pairs, oldest first, into the first half (write k never passes read 2k). */
static void compact(mw__floor *f)
{
    uint64_t n = 0, held_n = f->end - f->first;
    for (uint64_t i = 0; i < held_n; i += 2, n++) {
        mw__floor_block m = *held(f, f->first + i);
        if (i + 1 < held_n)
            block_merge(&m, held(f, f->first + i + 1));
        *held(f, f->first + n) = m;
    }
    f->end = f->first + n;
    f->width = (f->width ? f->width : MW__FLOOR_BLOCK) * 2;
}

static void push_block(mw__floor *f, const mw__floor_block *blk)
{
    if (f->cap == 0)
        return;
    mw__floor_block *newest = f->end > f->first ? held(f, f->end - 1) : NULL;
    if (newest && newest->n < (f->width ? f->width : MW__FLOOR_BLOCK)) {
        block_merge(newest, blk); /* the blocks stay as even as the tiers' */
        return;
    }
    if (f->end - f->first == f->cap)
        compact(f); /* the whole run stays, at half the resolution in its older part */
    *held(f, f->end++) = *blk;
}

void mw__floor_add(mw__floor *f, int64_t t_ns, uint64_t v)
{
    mw__floor_block *c = &f->cur;
    if (c->n == 0) {
        c->t_first = c->t_min = t_ns;
        c->min = v;
    } else if (v < c->min) {
        c->min = v;
        c->t_min = t_ns;
    }
    c->t_last = t_ns;
    if (++c->n < MW__FLOOR_BLOCK || f->cap == 0)
        return;
    push_block(f, c);
    memset(c, 0, sizeof(*c));
}

/* The tiers' buckets of samples [f->fed, end) (end: where the ring begins), one block each. */
static void add_tiers(mw__floor *f, const mw__tiers *t, uint64_t end)
{
    if (f->cur.n) { /* a partial block before them ends here */
        push_block(f, &f->cur);
        memset(&f->cur, 0, sizeof(f->cur));
    }
    mw__tiers_walk w;
    mw__tiers_walk_from(&w, t, 0);
    for (const mw__bucket *b; (b = mw__tiers_walk_next(&w)) != NULL && b->seq_end <= end;) {
        const mw__bucket_field *x = &b->field[MW__FIELD_RSS];
        if (b->seq_first < f->fed || !x->known)
            continue; /* seen in part already, or no RSS in it */
        mw__floor_block blk = {b->t_first, b->t_last, x->min_t, x->min, b->seq_end - b->seq_first};
        push_block(f, &blk);
    }
}

int mw__floor_sync_run(mw__floor *f, const mw__ring *r, const mw__tiers *t)
{
    uint64_t end = mw__ring_end(r);
    if (f->src != r->buf || f->src_cap != r->cap || end < f->fed) {
        if (f->cap != cap_for(r->cap)) {
            mw__floor_destroy(f);
            if (mw__floor_init(f, r->cap) != 0)
                return MW_ENOMEM;
        }
        mw__floor_clear(f);
        f->src = r->buf;
        f->src_cap = r->cap;
    }
    uint64_t first = mw__ring_first(r);
    if (t && f->fed < first && mw__tiers_end(t) == first && mw__tiers_count(t))
        add_tiers(f, t, first);
    uint64_t from = f->fed < first ? first : f->fed;
    const mw__sample *a, *b;
    size_t na, nb;
    mw__ring_span(r, from, end, &a, &na, &b, &nb);
    for (size_t i = 0; i < na; i++)
        mw__floor_add(f, a[i].t_ns, a[i].rss);
    for (size_t i = 0; i < nb; i++)
        mw__floor_add(f, b[i].t_ns, b[i].rss);
    f->fed = end;
    return 0;
}

int mw__floor_sync(mw__floor *f, const mw__ring *r) { return mw__floor_sync_run(f, r, NULL); }

static size_t blocks_held(const mw__floor *f) { return (size_t)(f->end - f->first) + (f->cur.n > 0); }

static const mw__floor_block *block_at(const mw__floor *f, size_t i)
{
    if (i < f->end - f->first)
        return &f->b[(f->first + i) % f->cap];
    return &f->cur;
}

/* ---- the decision ---------------------------------------------------------------------------- */

/* "+1.1 MiB/min" */
static char *per_min(char *buf, size_t n, double bytes_per_s)
{
    char v[32];
    snprintf(buf, n, "%s/min", mw__format_bytes_signed(v, sizeof(v), (int64_t)(bytes_per_s * 60.0)));
    return buf;
}

static char *span_text(char *buf, size_t n, double s) { return mw__format_span(buf, n, (int64_t)(s * 1e9)); }

/* Before there are enough windows: how long until there will be. */
static void not_yet(mw_leak_result *out, double have_s, double need_s, const char *what)
{
    char a[16], b[16];
    out->verdict = MW_LEAK_UNSURE;
    snprintf(out->reason, sizeof(out->reason), "%s: %s of %s", what, span_text(a, sizeof(a), have_s),
             span_text(b, sizeof(b), need_s));
}

/* The floor of each of k windows over the blocks [s, nb), m block-widths of samples in all:
 * a block whose first sample is the p-th after block s's lies in window w when
 * w*m/k <= p/MW__FLOOR_BLOCK < (w+1)*m/k (integer division), so with every block of
 * MW__FLOOR_BLOCK samples, window w holds blocks [s + w*m/k, s + (w+1)*m/k): every block after
 * the warm-up is used, and a merged older block weighs the samples it stands for. A window no
 * block starts in (a block wider than a window) has no floor: returns the windows filled. */
static size_t window_floors(const mw__floor *f, size_t s, size_t nb, uint64_t m, size_t k, mw__point *pts)
{
    size_t got = 0, w = 0;
    const mw__floor_block *lo = NULL;
    uint64_t p = 0;
    for (size_t i = s; i < nb; i++) {
        const mw__floor_block *x = block_at(f, i);
        uint64_t at = p / MW__FLOOR_BLOCK;
        p += x->n;
        size_t wx = w;
        while (wx + 1 < k && at >= (uint64_t)(wx + 1) * m / k)
            wx++;
        if (wx != w && lo) {
            pts[got].t_ns = lo->t_min;
            pts[got++].v = (double)lo->min;
            lo = NULL;
        }
        w = wx;
        if (!lo || x->min < lo->min)
            lo = x;
    }
    if (lo) {
        pts[got].t_ns = lo->t_min;
        pts[got++].v = (double)lo->min;
    }
    return got;
}

/* The mean square distance of the points from their fitted line, bytes² (no libm here). */
static double scatter(const mw__point *pts, size_t n, const mw__trend *tr)
{
    double ss = 0;
    for (size_t i = 0; i < n; i++) {
        double d = pts[i].v - (tr->intercept + tr->slope * (double)(pts[i].t_ns - pts[0].t_ns) / 1e9);
        ss += d * d;
    }
    return n ? ss / (double)n : 0;
}

/* How far a floor moves without growing (verdict.h): a rate, and a total rise over the span. */
typedef struct noise {
    double rate; /* bytes per second */
    double rise; /* bytes */
} noise;

/* Does a fit climb beyond the noise: too fast, or too far in all? */
static bool climbs(const mw__trend *t, const noise *n) { return t->slope >= n->rate || t->slope * t->span_s > n->rise; }

/* The first of the trailing windows whose floors all lie within `rise` of each other. */
static size_t flat_since(const mw__point *pts, size_t k, double rise)
{
    double lo = pts[k - 1].v, hi = lo;
    size_t j = k - 1;
    for (; j > 0; j--) {
        double v = pts[j - 1].v, nlo = v < lo ? v : lo, nhi = v > hi ? v : hi;
        if (nhi - nlo > rise)
            break;
        lo = nlo;
        hi = nhi;
    }
    return j;
}

/* Not sure, and why: the first condition for a leak that the floor failed. */
static void unsure_why(mw_leak_result *o, const char *rate, const char *sp, size_t rises, size_t k, bool rising,
                       const char *late)
{
    int at = snprintf(o->reason, sizeof(o->reason), "floor %s over %s, but ", rate, sp);
    size_t room = sizeof(o->reason) - (size_t)at;
    if (o->r2 < MW__VERDICT_R2)
        snprintf(o->reason + at, room, "R\u00b2 %.2f", o->r2);
    else if (!rising)
        snprintf(o->reason + at, room, "it rose in %zu of %zu windows", rises, k - 1);
    else
        snprintf(o->reason + at, room, "%s lately", late);
}

/* The decision over the window floors; the fits and the thresholds as verdict.h says. */
static void judge(const mw__point *pts, size_t k, mw_leak_result *out)
{
    mw__trend all, tail;
    char rate[32], sp[16], tr[32];
    mw__trend_fit_points(pts, k, &all);
    mw__trend_fit_points(pts + k - k / 2, k / 2, &tail);
    out->floor_slope = all.slope;
    out->r2 = all.r2;
    double mean = 0;
    size_t rises = 0;
    for (size_t i = 0; i < k; i++) {
        mean += pts[i].v / (double)k;
        rises += i > 0 && pts[i].v > pts[i - 1].v;
    }
    noise nz = {MW__VERDICT_NOISE_REL * mean, MW__VERDICT_GRAIN_REL * mean};
    nz.rate = nz.rate < MW__VERDICT_NOISE_ABS ? MW__VERDICT_NOISE_ABS : nz.rate;
    nz.rise = nz.rise < MW__VERDICT_GRAIN_ABS ? MW__VERDICT_GRAIN_ABS : nz.rise;
    per_min(rate, sizeof(rate), all.slope);
    span_text(sp, sizeof(sp), out->span_s);
    bool rising = (double)rises >= MW__VERDICT_RISE * (double)(k - 1);
    bool line = all.r2 >= MW__VERDICT_R2 && rising && all.slope > 0; /* a climb, however small */
    bool lasting = climbs(&tail, &nz) && tail.slope >= all.slope / 2; /* still climbing at the end */
    /* Floors that scatter far from their line were not floors: the teeth are longer than a
     * window, and a flat fit through them proves nothing. */
    double band = MW__VERDICT_SCATTER_REL * mean;
    band = band < MW__VERDICT_SCATTER_ABS ? MW__VERDICT_SCATTER_ABS : band;
    bool steady = scatter(pts, k, &all) <= band * band;
    size_t flat = flat_since(pts, k, nz.rise);
    out->verdict = MW_LEAK_UNSURE;
    if (!climbs(&all, &nz) && !steady) {
        snprintf(out->reason, sizeof(out->reason), "floor %s over %s, but floors scatter (long teeth?)", rate, sp);
    } else if (!climbs(&all, &nz) && line) {
        char v[32]; /* a clean climb, too small yet to be told from the allocator's granularity */
        snprintf(out->reason, sizeof(out->reason), "floor %s over %s, but only %s in all", rate, sp,
                 mw__format_bytes_signed(v, sizeof(v), (int64_t)(all.slope * all.span_s)));
    } else if (!climbs(&all, &nz)) {
        out->verdict = MW_LEAK_NO;
        bool falling = all.slope <= -nz.rate || all.slope * all.span_s < -nz.rise;
        snprintf(out->reason, sizeof(out->reason), "floor %s (%s) over %s", falling ? "falling" : "flat", rate, sp);
    } else if (line && lasting) {
        out->verdict = MW_LEAK_YES;
        snprintf(out->reason, sizeof(out->reason), "floor %s over %s, R\u00b2 %.2f", rate, sp, all.r2);
    } else if (flat <= MW__VERDICT_FLAT_FROM) {
        out->verdict = MW_LEAK_NO; /* climbed in the first window only, then held: it filled up */
        mw__trend held;
        mw__trend_fit_points(pts + flat, k - flat, &held);
        snprintf(out->reason, sizeof(out->reason), "floor flat (%s) over the last %zu of %zu windows",
                 per_min(tr, sizeof(tr), held.slope), k - flat, k);
    } else {
        unsure_why(out, rate, sp, rises, k, rising, per_min(tr, sizeof(tr), tail.slope));
    }
}

bool mw__verdict_fit_flat(const mw_leak_result *v)
{
    return v->windows && v->r2 == 1.0 && v->floor_slope == 0.0;
}

void mw__verdict_decide(const mw__floor *f, mw_leak_result *out)
{
    memset(out, 0, sizeof(*out));
    size_t nb = blocks_held(f);
    if (nb == 0) {
        out->verdict = MW_LEAK_UNSURE;
        snprintf(out->reason, sizeof(out->reason), "no samples yet");
        return;
    }
    int64_t t0 = block_at(f, 0)->t_first, t1 = block_at(f, nb - 1)->t_last;
    double span = (double)(t1 - t0) / 1e9;
    double warm = span * MW__VERDICT_WARMUP_FRAC;
    if (warm < MW__VERDICT_WARMUP_MIN_S)
        warm = MW__VERDICT_WARMUP_MIN_S;
    out->warmup_s = warm;
    if (span < warm + MW__VERDICT_MIN_SPAN_S) {
        not_yet(out, span, warm + MW__VERDICT_MIN_SPAN_S, "warming up");
        return;
    }
    size_t s = 0; /* the first block wholly after the warm-up */
    while (s < nb && (double)(block_at(f, s)->t_first - t0) / 1e9 < warm)
        s++;
    uint64_t samples = 0, m = 0; /* after the warm-up; m: block-widths up to the newest block's start */
    for (size_t i = s; i < nb; i++) {
        m = samples / MW__FLOOR_BLOCK + 1;
        samples += block_at(f, i)->n;
    }
    size_t k = m < MW__VERDICT_WINDOWS ? (size_t)m : MW__VERDICT_WINDOWS;
    mw__point pts[MW__VERDICT_WINDOWS];
    if (k >= MW__VERDICT_MIN_WINDOWS) {
        size_t got = window_floors(f, s, nb, m, k, pts); /* at most k: some may be empty */
        k = got < k ? got : k;
    }
    if (k < MW__VERDICT_MIN_WINDOWS) {
        char need[32];
        snprintf(need, sizeof(need), "%d", MW__VERDICT_MIN_WINDOWS * MW__FLOOR_BLOCK);
        out->verdict = MW_LEAK_UNSURE;
        snprintf(out->reason, sizeof(out->reason), "too few samples after the warm-up: %llu of %s",
                 (unsigned long long)(m * MW__FLOOR_BLOCK), need);
        return;
    }
    out->windows = (unsigned)k;
    out->span_s = (double)(t1 - block_at(f, s)->t_first) / 1e9;
    out->floor_bytes = (uint64_t)pts[k - 1].v;
    judge(pts, k, out);
}

int mw__verdict_of_run(const mw__ring *r, const mw__tiers *t, mw_leak_result *out)
{
    mw__floor f = {0};
    if (mw__floor_sync_run(&f, r, t) != 0)
        return MW_ENOMEM;
    mw__verdict_decide(&f, out);
    mw__floor_destroy(&f);
    return 0;
}

int mw__verdict_of_ring(const mw__ring *r, mw_leak_result *out) { return mw__verdict_of_run(r, NULL, out); }

const char *mw__verdict_word(int verdict)
{
    switch (verdict) {
    case MW_LEAK_YES:
        return "leak";
    case MW_LEAK_NO:
        return "no leak";
    default:
        return "not sure";
    }
}

/* ---- the public API -------------------------------------------------------------------------- */

int mw_leak_verdict_sized(const mw_stats *samples, size_t n, mw_leak_result *out, size_t elem_size)
{
    if (!out || (!samples && n > 0) || elem_size < MW__STATS_SIZE_MIN)
        return MW_EINVAL;
    mw__floor f;
    if (mw__floor_init(&f, n) != 0)
        return MW_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        /* Both fields are in every layout; copied out, as a caller's stride need not keep
         * mw_stats' alignment. */
        const char *e = (const char *)samples + i * elem_size;
        struct timespec ts;
        uint64_t rss;
        memcpy(&ts, e + offsetof(mw_stats, timestamp), sizeof(ts));
        memcpy(&rss, e + offsetof(mw_stats, physical_size), sizeof(rss));
        mw__floor_add(&f, mw__ts_to_ns(&ts), rss);
    }
    mw__verdict_decide(&f, out);
    mw__floor_destroy(&f);
    return 0;
}

int(mw_leak_verdict)(const mw_stats *samples, size_t n, mw_leak_result *out)
{
    return mw_leak_verdict_sized(samples, n, out, MW__STATS_SIZE_1);
}

/* Through the watcher's public incremental read: each chunk is copied under its lock, the floor
 * is built outside it, so a long history never keeps the sampler waiting. */
