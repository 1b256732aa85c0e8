/* SPDX-License-Identifier: MIT */
/* tiers.c — old history as levels of ever coarser buckets: push, merge, compact, read in time order. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tiers.h"

void mw__tiers_init(mw__tiers *t, size_t ring_cap)
{
    memset(t, 0, sizeof(*t));
    /* as many bytes as the ring (one too large to allocate fails before its tiers are used) */
    size_t n = 0;
    if (ring_cap <= SIZE_MAX / sizeof(mw__sample))
        n = ring_cap * sizeof(mw__sample) / sizeof(mw__bucket);
    if (n < MW__TIERS_MIN_BUCKETS)
        n = MW__TIERS_MIN_BUCKETS;
    size_t per = n / MW__TIERS_LEVELS;
    t->nbuckets = per * MW__TIERS_LEVELS;
    t->base = ring_cap / 64 < MW__TIERS_BASE ? ring_cap / 64 : MW__TIERS_BASE;
    if (t->base == 0)
        t->base = 1;
    for (int k = 0; k < MW__TIERS_LEVELS; k++)
        t->lv[k].cap = per;
    mw__tiers_clear(t);
}

void mw__tiers_destroy(mw__tiers *t)
{
    if (!t)
        return;
    free(t->mem);
    t->mem = NULL;
    for (int k = 0; k < MW__TIERS_LEVELS; k++)
        t->lv[k].b = NULL;
    mw__tiers_clear(t);
}

void mw__tiers_clear(mw__tiers *t)
{
    for (int k = 0; k < MW__TIERS_LEVELS; k++)
        t->lv[k].head = t->lv[k].n = 0;
    t->open_n = 0;
    t->end = 0;
    t->last_width = t->base;
    for (int k = 1; k < MW__TIERS_LEVELS; k++)
        t->last_width *= MW__TIERS_FAN;
}

size_t mw__tiers_bytes(const mw__tiers *t)
{
    return t->nbuckets * sizeof(mw__bucket);
}

void mw__bucket_from_sample(mw__bucket *b, const mw__sample *s, uint64_t seq)
{
    b->t_first = b->t_last = s->t_ns;
    b->seq_first = seq;
    b->seq_end = seq + 1;
    for (int f = 0; f < MW__FIELD_COUNT; f++) {
        if (!mw__field_known((mw__field)f, s->valid)) {
            b->field[f].known = 0;
            continue;
        }
        uint64_t v = mw__sample_field(s, (mw__field)f);
        b->field[f].min = b->field[f].max = b->field[f].first = b->field[f].last = v;
        b->field[f].max_t = b->field[f].min_t = s->t_ns;
        b->field[f].sum = (double)v;
        b->field[f].sq = 0;
        b->field[f].known = 1;
    }
    /* a tree's high-water mark is a sum of marks: no height to draw (as the chart index) */
    b->hwm = (s->flags & MW_SAMPLE_HWM_ROSE) && s->nprocs <= 1 ? s->hwm : 0;
    b->flags = s->flags;
}

/* The open bucket takes one more sample: the hot path, one pass over the fields. */
static void bucket_add(mw__bucket *b, const mw__sample *s)
{
    b->t_last = s->t_ns;
    b->seq_end++;
    for (int f = 0; f < MW__FIELD_COUNT; f++) {
        if (!mw__field_known((mw__field)f, s->valid))
            continue;
        uint64_t v = mw__sample_field(s, (mw__field)f);
        if (!b->field[f].known) {
            b->field[f].min = b->field[f].max = b->field[f].first = v;
            b->field[f].max_t = b->field[f].min_t = s->t_ns;
            b->field[f].sum = 0;
            b->field[f].sq = 0;
        } else if (v < b->field[f].min) {
            b->field[f].min = v;
            b->field[f].min_t = s->t_ns;
        } else if (v > b->field[f].max) {
            b->field[f].max = v;
            b->field[f].max_t = s->t_ns;
        }
        b->field[f].last = v;
        b->field[f].sum += (double)v;
        double d = (double)v - (double)b->field[f].first;
        b->field[f].sq += d * d;
        b->field[f].known++;
    }
    if ((s->flags & MW_SAMPLE_HWM_ROSE) && s->nprocs <= 1 && s->hwm > b->hwm)
        b->hwm = s->hwm;
    b->flags |= s->flags;
}

void mw__bucket_merge(mw__bucket *dst, const mw__bucket *src)
{
    dst->t_last = src->t_last;
    dst->seq_end = src->seq_end;
    for (int f = 0; f < MW__FIELD_COUNT; f++) {
        if (!src->field[f].known)
            continue;
        if (!dst->field[f].known) {
            dst->field[f].min = src->field[f].min;
            dst->field[f].max = src->field[f].max;
            dst->field[f].first = src->field[f].first;
            dst->field[f].max_t = src->field[f].max_t;
            dst->field[f].min_t = src->field[f].min_t;
            dst->field[f].sum = 0;
            dst->field[f].sq = 0;
        } else {
            if (src->field[f].min < dst->field[f].min) {
                dst->field[f].min = src->field[f].min;
                dst->field[f].min_t = src->field[f].min_t;
            }
            if (src->field[f].max > dst->field[f].max) {
                dst->field[f].max = src->field[f].max;
                dst->field[f].max_t = src->field[f].max_t;
            }
        }
        /* src's squares are around its own first value: move them to dst's */
        double d = (double)src->field[f].first - (double)dst->field[f].first;
        double kn = (double)src->field[f].known;
        double dev = src->field[f].sum - kn * (double)src->field[f].first;
        dst->field[f].sq += src->field[f].sq + 2 * d * dev + kn * d * d;
        dst->field[f].last = src->field[f].last;
        dst->field[f].sum += src->field[f].sum;
        dst->field[f].known += src->field[f].known;
    }
    if (src->hwm > dst->hwm)
        dst->hwm = src->hwm;
    dst->flags |= src->flags;
}

static mw__bucket *slot(const mw__tier_level *l, size_t i)
{
    size_t k = l->head + i;
    return &l->b[k >= l->cap ? k - l->cap : k];
}

/* The last level is full: merge adjacent pairs, oldest first, into the first half of its slots
 * (write position i never passes read position 2i, so in place is safe). Its buckets all had
 * the level's width, so they all have twice that now: resolution stays even over the run. */
static void compact(mw__tiers *t, mw__tier_level *l)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i += 2, n++) {
        mw__bucket m = *slot(l, i);
        if (i + 1 < l->n)
            mw__bucket_merge(&m, slot(l, i + 1));
        *slot(l, n) = m;
    }
    l->n = n;
    t->last_width *= 2;
}

/* The last level fills its newest bucket up to the level's width before it starts another. */
static void last_push(mw__tiers *t, mw__tier_level *l, const mw__bucket *b)
{
    mw__bucket *newest = l->n ? slot(l, l->n - 1) : NULL;
    if (newest && newest->seq_end - newest->seq_first < t->last_width) {
        mw__bucket_merge(newest, b);
        return;
    }
    if (l->n == l->cap) {
        compact(t, l);
        last_push(t, l, b); /* the newest may have room again */
        return;
    }
    *slot(l, l->n++) = *b;
}

static void level_push(mw__tiers *t, int k, const mw__bucket *b)
{
    mw__tier_level *l = &t->lv[k];
    if (k + 1 == MW__TIERS_LEVELS) {
        last_push(t, l, b);
        return;
    }
    if (l->n == l->cap) {
        /* its oldest FAN buckets become one of the next level: time order is kept, as the
         * next level only holds older buckets */
        mw__bucket m = *slot(l, 0);
        for (size_t i = 1; i < MW__TIERS_FAN; i++)
            mw__bucket_merge(&m, slot(l, i));
        l->head = (l->head + MW__TIERS_FAN) % l->cap;
        l->n -= MW__TIERS_FAN;
        level_push(t, k + 1, &m);
    }
    *slot(l, l->n) = *b;
    l->n++;
}

static int allocate(mw__tiers *t)
{
    if (t->failed)
        return MW_ENOMEM;
    t->mem = malloc(t->nbuckets * sizeof(*t->mem));
    if (!t->mem) {
        t->failed = true;
        return MW_ENOMEM;
    }
    for (int k = 0; k < MW__TIERS_LEVELS; k++)
        t->lv[k].b = t->mem + (size_t)k * t->lv[0].cap;
    return 0;
}

int mw__tiers_push(mw__tiers *t, const mw__sample *s)
{
    if (!t->mem && allocate(t) != 0)
        return MW_ENOMEM;
    if (t->open_n == 0)
        mw__bucket_from_sample(&t->open, s, t->end);
    else
        bucket_add(&t->open, s);
    t->end++;
    if (++t->open_n == t->base) {
        if (t->end == t->open_n)
            t->closed = t->open;
        else
            mw__bucket_merge(&t->closed, &t->open);
        level_push(t, 0, &t->open);
        t->open_n = 0;
    }
    return 0;
}

/* The level a restored bucket goes to: the shallowest one holding anything (all of them newer
 * than the deeper ones), or the next shallower when that is full; -1: every level is full. */
static int append_level(const mw__tiers *t)
{
    int k = 0;
    while (k + 1 < MW__TIERS_LEVELS && t->lv[k].n == 0)
        k++;
    if (t->lv[k].n < t->lv[k].cap)
        return k;
    return k - 1;
}

/* b (renumbered) into the history: the closed summary, then a level. */
static void append_closed(mw__tiers *t, const mw__bucket *b)
{
    if (t->end == 0)
        t->closed = *b;
    else
        mw__bucket_merge(&t->closed, b);
    t->end = b->seq_end;
    int k = append_level(t);
    if (k < 0) {
        level_push(t, 0, b);
        return;
    }
    mw__tier_level *l = &t->lv[k];
    *slot(l, l->n++) = *b;
    uint64_t width = b->seq_end - b->seq_first;
    if (k + 1 == MW__TIERS_LEVELS && width > t->last_width)
        t->last_width = width; /* the last level's newest is full at this width */
}

int mw__tiers_append(mw__tiers *t, const mw__bucket *b)
{
    if (b->seq_end <= b->seq_first)
        return MW_EINVAL;
    if (!t->mem && allocate(t) != 0)
        return MW_ENOMEM;
    if (t->open_n) {
        mw__bucket open = t->open;
        t->end -= t->open_n; /* append_closed sets it back */
        t->open_n = 0;
        append_closed(t, &open);
    }
    mw__bucket m = *b;
    m.seq_first = t->end;
    m.seq_end = t->end + (b->seq_end - b->seq_first);
    if (append_level(t) < 0 && m.seq_end - m.seq_first < t->base) {
        /* every level full and a bucket narrower than level 1's: the open one it was */
        t->open = m;
        t->open_n = (size_t)(m.seq_end - m.seq_first);
        t->end = m.seq_end;
        return 0;
    }
    append_closed(t, &m);
    return 0;
}

bool mw__tiers_all(const mw__tiers *t, mw__bucket *out)
{
    if (t->end == 0)
        return false;
    if (t->end == t->open_n) {
        *out = t->open;
        return true;
    }
    *out = t->closed;
    if (t->open_n)
        mw__bucket_merge(out, &t->open);
    return true;
}

size_t mw__tiers_count(const mw__tiers *t)
{
    size_t n = t->open_n ? 1 : 0;
    for (int k = 0; k < MW__TIERS_LEVELS; k++)
        n += t->lv[k].n;
    return n;
}

const mw__bucket *mw__tiers_at(const mw__tiers *t, size_t i)
{
    /* oldest first: the last level, then the others down to level 1, then the open bucket */
    for (int k = MW__TIERS_LEVELS; k-- > 0;) {
        const mw__tier_level *l = &t->lv[k];
        if (i < l->n)
            return slot(l, i);
        i -= l->n;
    }
    return i == 0 && t->open_n ? &t->open : NULL;
}

void mw__tiers_walk_from(mw__tiers_walk *w, const mw__tiers *t, size_t i)
{
    w->t = t;
    for (w->level = MW__TIERS_LEVELS - 1; w->level >= 0 && i >= t->lv[w->level].n; w->level--)
        i -= t->lv[w->level].n;
    w->i = i;
}

const mw__bucket *mw__tiers_walk_next(mw__tiers_walk *w)
{
    while (w->level >= 0) {
        const mw__tier_level *l = &w->t->lv[w->level];
        if (w->i < l->n)
            return slot(l, w->i++);
        w->level--;
        w->i = 0;
    }
    if (w->level == -1 && w->i == 0 && w->t->open_n) {
        w->i = 1;
        return &w->t->open;
    }
    return NULL;
}

size_t mw__tiers_seek_time(const mw__tiers *t, int64_t t_ns)
{
    size_t lo = 0, hi = mw__tiers_count(t);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (mw__tiers_at(t, mid)->t_last < t_ns)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const mw__bucket *mw__tiers_holding(const mw__tiers *t, uint64_t seq)
{
    size_t lo = 0, hi = mw__tiers_count(t);
    while (lo < hi) { /* the first bucket ending after seq */
        size_t mid = lo + (hi - lo) / 2;
        if (mw__tiers_at(t, mid)->seq_end <= seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    const mw__bucket *b = mw__tiers_at(t, lo);
    return b && b->seq_first <= seq ? b : NULL;
}

void mw__bucket_edge_sample(const mw__bucket *b, bool last, mw__sample *out)
{
    memset(out, 0, sizeof(*out));
    out->t_ns = last ? b->t_last : b->t_first;
    out->nprocs = 1;
    for (int f = 0; f < MW__FIELD_COUNT; f++) {
        if (b->field[f].known != b->seq_end - b->seq_first)
            continue; /* some samples did not know it: its first / last may be another sample's */
        mw__sample_set_field(out, (mw__field)f, last ? b->field[f].last : b->field[f].first);
        out->valid |= mw__fields[f].have;
    }
}
