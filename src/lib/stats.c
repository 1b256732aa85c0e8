/* SPDX-License-Identifier: MIT */
/* stats.c — running summary (initial/current/peak), growth and least-squares trend over a ring. */
#include "config.h"

#include <string.h>

#include "stats.h"
#include "tiers.h"

void mw__summary_reset(mw__summary *s) { memset(s, 0, sizeof(*s)); }

void mw__summary_add(mw__summary *s, const mw__sample *x, uint64_t seq)
{
    if (s->n == 0) {
        s->first = s->last = s->peak_rss = s->peak_vsz = *x;
        s->peak_rss_seq = s->peak_vsz_seq = seq;
    } else {
        s->last = *x;
        if (x->rss > s->peak_rss.rss) {
            s->peak_rss = *x;
            s->peak_rss_seq = seq;
        }
        if (x->vsz > s->peak_vsz.vsz) {
            s->peak_vsz = *x;
            s->peak_vsz_seq = seq;
        }
    }
    /* Only a proven mark is a peak: one process's mark that rose while watched. With a tree the
     * mark is a sum of each process's own: kept apart, as the upper bound it is. */
    if ((x->valid & MW_HAVE_HWM) && x->nprocs <= 1 && (x->flags & MW_SAMPLE_HWM_ROSE) &&
        x->hwm > s->max_hwm)
        s->max_hwm = x->hwm;
    if ((x->valid & MW_HAVE_HWM) && x->nprocs > 1 && x->hwm > s->max_hwm_sum)
        s->max_hwm_sum = x->hwm;
    for (int f = 0; f < MW__FIELD_COUNT; f++) {
        if (!mw__field_known((mw__field)f, x->valid))
            continue;
        mw__field_span *sp = &s->field[f];
        uint64_t v = mw__sample_field(x, (mw__field)f);
        if (!sp->known) {
            sp->known = true;
            sp->first = sp->max = sp->min = v;
            sp->max_t_ns = sp->min_t_ns = x->t_ns;
        } else if (v > sp->max) {
            sp->max = v;
            sp->max_t_ns = x->t_ns;
        } else if (v < sp->min) {
            sp->min = v;
            sp->min_t_ns = x->t_ns;
        }
        sp->last = v;
        sp->last_t_ns = x->t_ns;
    }
    s->n++;
}

/* One value per field of a bucket (first or last), as a sample at time t. */
static void bucket_sample(mw__sample *x, const mw__bucket *b, bool last, int64_t t)
{
    memset(x, 0, sizeof(*x));
    x->t_ns = t;
    x->nprocs = b->hwm ? 1 : 0; /* a bucket's hwm is a single process's proven mark */
    for (int f = 0; f < MW__FIELD_COUNT; f++) {
        if (!b->field[f].known)
            continue;
        x->valid |= mw__fields[f].have;
        mw__sample_set_field(x, (mw__field)f, last ? b->field[f].last : b->field[f].first);
    }
}

/* The bucket's last sample with field f at the bucket's max, dated when it was. */
static void bucket_peak(mw__sample *x, const mw__sample *last, const mw__bucket *b, mw__field f)
{
    *x = *last;
    x->t_ns = b->field[f].max_t;
    mw__sample_set_field(x, f, b->field[f].max);
}

void mw__summary_add_bucket(mw__summary *s, const mw__bucket *b)
{
    mw__sample first, last, peak;
    bucket_sample(&first, b, false, b->t_first);
    bucket_sample(&last, b, true, b->t_last);
    last.flags = b->flags;
    if (s->n == 0) {
        s->first = first;
        s->peak_rss = s->peak_vsz = first;
        s->peak_rss_seq = s->peak_vsz_seq = b->seq_first;
    }
    s->last = last;
    if (b->field[MW__FIELD_RSS].known && b->field[MW__FIELD_RSS].max > s->peak_rss.rss) {
        bucket_peak(&peak, &last, b, MW__FIELD_RSS);
        s->peak_rss = peak;
        s->peak_rss_seq = b->seq_first;
    }
    if (b->field[MW__FIELD_VSZ].known && b->field[MW__FIELD_VSZ].max > s->peak_vsz.vsz) {
        bucket_peak(&peak, &last, b, MW__FIELD_VSZ);
        s->peak_vsz = peak;
        s->peak_vsz_seq = b->seq_first;
    }
    if (b->hwm > s->max_hwm)
        s->max_hwm = b->hwm;
    for (int f = 0; f < MW__FIELD_COUNT; f++) {
        const mw__bucket_field *bf = &b->field[f];
        mw__field_span *sp = &s->field[f];
        if (!bf->known)
            continue;
        if (!sp->known) {
            sp->known = true;
            sp->first = bf->first;
            sp->max = bf->max;
            sp->max_t_ns = bf->max_t;
            sp->min = bf->min;
            sp->min_t_ns = bf->min_t;
        } else {
            if (bf->max > sp->max) {
                sp->max = bf->max;
                sp->max_t_ns = bf->max_t;
            }
            if (bf->min < sp->min) {
                sp->min = bf->min;
                sp->min_t_ns = bf->min_t;
            }
        }
        sp->last = bf->last;
        sp->last_t_ns = b->t_last;
    }
    s->n += b->seq_end - b->seq_first;
}

int64_t mw__summary_growth(const mw__summary *s)
{
    if (s->n == 0)
        return 0;
    return (int64_t)(s->last.rss - s->first.rss);
}

void mw__summary_of_range(mw__summary *s, const mw__ring *r, uint64_t from, uint64_t to)
{
    const mw__sample *a, *b;
    size_t na, nb;
    mw__summary_reset(s);
    uint64_t first = mw__ring_first(r);
    if (from < first)
        from = first;
    mw__ring_span(r, from, to, &a, &na, &b, &nb);
    for (size_t i = 0; i < na; i++)
        mw__summary_add(s, &a[i], from + i);
    for (size_t i = 0; i < nb; i++)
        mw__summary_add(s, &b[i], from + na + i);
}

/* Accumulate around the first point (t0, v0) so that large absolute times and sizes do not
 * lose the slope to cancellation in the sums of squares. */
typedef struct fit_acc {
    double sx, sy, sxx, syy, sxy;
    double w;   /* samples the points stand for (a merged bucket weighs its samples) */
    size_t n;   /* points */
    int64_t t0;
    double v0;
    int64_t tfirst, tlast; /* the span: a bucket's first and last samples, not its middle */
} fit_acc;

/* A point standing for w samples (1 but for a strided fit's; a bucket's mean: fit_add_bucket). */
static void fit_add_w(fit_acc *acc, int64_t t_ns, double value, double w)
{
    if (acc->n == 0) {
        acc->t0 = acc->tfirst = t_ns;
        acc->v0 = value;
    }
    double t = (double)(t_ns - acc->t0) / 1e9;
    double v = value - acc->v0;
    acc->sx += w * t;
    acc->sy += w * v;
    acc->sxx += w * t * t;
    acc->syy += w * v * v;
    acc->sxy += w * t * v;
    acc->w += w;
    acc->n++;
    acc->tlast = t_ns;
}

static void fit_add(fit_acc *acc, int64_t t_ns, double value) { fit_add_w(acc, t_ns, value, 1.0); }

/* A bucket of the tiers as the k samples it merged: at its middle time, its mean. For a straight
 * line that is exact (the mean of evenly spaced samples lies on the line at their middle); their
 * spread around the mean (the bucket's squares) stays in syy, so a sawtooth merged into buckets
 * keeps its low R². */
static void fit_add_bucket(fit_acc *acc, const mw__bucket *b, mw__field f)
{
    const mw__bucket_field *x = &b->field[f];
    double k = (double)x->known;
    double dev = x->sum - k * (double)x->first; /* sum of (v - first) */
    double spread = x->sq - dev * dev / k;      /* sum of (v - mean)^2 */
    bool first = acc->n == 0;
    fit_add_w(acc, b->t_first + (b->t_last - b->t_first) / 2, x->sum / k, k);
    if (first)
        acc->tfirst = b->t_first;
    acc->syy += spread > 0 ? spread : 0;
    acc->tlast = b->t_last;
}

bool mw__growth_percent(uint64_t first_rss, int64_t growth, double *pct)
{
    if (first_rss < MW__GROWTH_PCT_MIN_START)
        return false;
    *pct = 100.0 * (double)growth / (double)first_rss;
    return true;
}

/* The line through what fit_add gathered: the one least-squares implementation. */
static bool fit_finish(const fit_acc *acc, mw__trend *out)
{
    memset(out, 0, sizeof(*out));
    if (acc->n < 2)
        return false;
    double n = acc->w;
    double sxx = acc->sxx - acc->sx * acc->sx / n;
    double syy = acc->syy - acc->sy * acc->sy / n;
    double sxy = acc->sxy - acc->sx * acc->sy / n;
    out->n = acc->n;
    out->span_s = (double)(acc->tlast - acc->tfirst) / 1e9;
    if (sxx <= 0.0 || out->span_s <= 0.0)
        return false;
    out->slope = sxy / sxx;
    out->intercept = acc->v0 + (acc->sy - out->slope * acc->sx) / n;
    if (syy <= 0.0) {
        out->r2 = 1.0; /* a perfectly flat line is perfectly fitted */
        out->flat = true;
    } else {
        double r2 = (sxy * sxy) / (sxx * syy);
        out->r2 = r2 < 0.0 ? 0.0 : (r2 > 1.0 ? 1.0 : r2);
    }
    return true;
}

bool mw__trend_fit(const mw__ring *r, uint64_t from, uint64_t to, mw__field f, mw__trend *out)
{
    return mw__trend_fit_every(r, from, to, 1, f, out);
}

bool mw__trend_fit_every(const mw__ring *r, uint64_t from, uint64_t to, uint64_t stride,
                         mw__field f, mw__trend *out)
{
    const mw__sample *a, *b;
    size_t na, nb;
    memset(out, 0, sizeof(*out));
    mw__ring_span(r, from, to, &a, &na, &b, &nb);
    if (na + nb < 2 || stride == 0)
        return false;
    fit_acc acc = {0};
    for (uint64_t i = 0; i < na + nb; i += stride) {
        const mw__sample *x = i < na ? &a[i] : &b[i - na];
        fit_add(&acc, x->t_ns, (double)mw__sample_field(x, f));
    }
    return fit_finish(&acc, out);
}

bool mw__trend_fit_run(const mw__ring *r, const mw__tiers *t, int64_t t_from, int64_t t_to,
                       uint64_t stride, mw__field f, mw__trend *out)
{
    fit_acc acc = {0};
    uint64_t first = mw__ring_first(r), end = mw__ring_end(r);
    memset(out, 0, sizeof(*out));
    if (stride == 0)
        return false;
    if (t && mw__tiers_count(t) && mw__tiers_end(t) == first) {
        mw__tiers_walk w;
        mw__tiers_walk_from(&w, t, mw__tiers_seek_time(t, t_from));
        for (const mw__bucket *b; (b = mw__tiers_walk_next(&w)) != NULL && b->t_first <= t_to;)
            if (b->field[f].known)
                fit_add_bucket(&acc, b, f);
    }
    uint64_t from = mw__ring_seek_time(r, first, end, t_from);
    uint64_t to = mw__ring_seek_time(r, from, end, t_to == INT64_MAX ? t_to : t_to + 1);
    const mw__sample *a, *b;
    size_t na, nb;
    mw__ring_span(r, from, to, &a, &na, &b, &nb);
    for (uint64_t i = 0; i < na + nb; i += stride) {
        const mw__sample *x = i < na ? &a[i] : &b[i - na];
        if (!mw__field_known(f, x->valid))
            continue;
        uint64_t in = na + nb - i < stride ? na + nb - i : stride; /* the samples it stands for */
        fit_add_w(&acc, x->t_ns, (double)mw__sample_field(x, f), (double)in);
    }
    return fit_finish(&acc, out);
}

bool mw__trend_fit_points(const mw__point *p, size_t n, mw__trend *out)
{
    fit_acc acc = {0};
    for (size_t i = 0; i < n; i++)
        fit_add(&acc, p[i].t_ns, p[i].v);
    return fit_finish(&acc, out);
}

uint64_t mw__ring_seek_time(const mw__ring *r, uint64_t from, uint64_t to, int64_t t_ns)
{
    uint64_t first = mw__ring_first(r);
    if (from < first)
        from = first;
    if (to > mw__ring_end(r))
        to = mw__ring_end(r);
    if (from > to)
        return to; /* nothing of [from, to) is stored (or the range is inverted) */
    uint64_t lo = from, hi = to;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (mw__ring_at(r, mid)->t_ns < t_ns)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
