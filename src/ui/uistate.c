/* SPDX-License-Identifier: MIT */
/* uistate.c — the dashboard state's life cycle, the zoom and interval ladders, the window shown. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "uistate.h"

#define NS_PER_S 1000000000LL

void mw__ui_init(mw__ui_state *st)
{
    memset(st, 0, sizeof(*st));
    st->color = true;
}

void mw__ui_destroy(mw__ui_state *st)
{
    if (!st)
        return;
    mw__chart_index_destroy(&st->index);
    mw__chart_index_destroy(&st->other_index);
    mw__floor_destroy(&st->floor);
    free(st->table_order);
    st->table_order = NULL;
    st->table_order_cap = 0;
}

int64_t mw__zoom_span_ns(int zoom)
{
    static const int64_t spans_s[MW__ZOOM_LEVELS] = {0, 86400, 21600, 3600, 900, 300, 60, 10};
    if (zoom <= 0 || zoom >= MW__ZOOM_LEVELS)
        return 0;
    return spans_s[zoom] * NS_PER_S;
}

static const uint64_t ladder[] = {10, 20, 50, 100, 250, 500, 1000, 2000, 5000, 10000};
#define NLADDER (sizeof(ladder) / sizeof(ladder[0]))

uint64_t mw__interval_faster(uint64_t ms)
{
    for (size_t i = NLADDER; i-- > 0;)
        if (ladder[i] < ms)
            return ladder[i];
    return ms;
}

uint64_t mw__interval_slower(uint64_t ms)
{
    for (size_t i = 0; i < NLADDER; i++)
        if (ladder[i] > ms)
            return ladder[i];
    return ms;
}

uint64_t mw__run_first(const mw__capture *c)
{
    uint64_t first = mw__ring_first(&c->ring);
    const mw__bucket *b = mw__tiers_at(&c->tiers, 0);
    return b && mw__tiers_end(&c->tiers) == first ? b->seq_first : first;
}

const mw__sample *mw__run_sample_at(const mw__capture *c, const mw__window *w, int64_t t,
                                    mw__sample *buf)
{
    const mw__ring *r = &c->ring;
    uint64_t first = mw__ring_first(r);
    if (!w->end_bucket && t >= mw__ring_at(r, first)->t_ns)
        return mw__ring_at(r, mw__ring_seek_time(r, first, w->to, t));
    const mw__bucket *b = mw__tiers_at(&c->tiers, mw__tiers_seek_time(&c->tiers, t));
    if (!b || mw__tiers_end(&c->tiers) != first)
        return mw__ring_at(r, first);
    mw__bucket_edge_sample(b, false, buf);
    return buf;
}

const mw__sample *mw__window_newest(const mw__capture *c, const mw__window *w, mw__sample *buf)
{
    if (w->empty)
        return NULL;
    if (!w->end_bucket)
        return mw__ring_at(&c->ring, w->to - 1);
    mw__bucket_edge_sample(w->end_bucket, true, buf);
    return buf;
}

void mw__view_window(const mw__ui_state *st, const mw__capture *c, mw__window *w)
{
    const mw__ring *r = &c->ring;
    memset(w, 0, sizeof(*w));
    uint64_t first = mw__ring_first(r), end = mw__ring_end(r), lo = mw__run_first(c) + 1;
    if (end == 0) {
        w->empty = true;
        return;
    }
    uint64_t to = end;
    if (st->paused)
        to = st->view_end < lo ? lo : st->view_end > end ? end : st->view_end;
    w->t_first = mw__capture_first_t_ns(c); /* the run's first sample, in the tiers once old */
    if (to <= first)
        w->end_bucket = mw__tiers_holding(&c->tiers, to - 1);
    if (w->end_bucket) { /* scrolled back into the tiers: the window ends with a whole bucket */
        w->from = w->to = first;
        w->t_to = w->end_bucket->t_last;
    } else {
        w->to = to > first ? to : first + 1;
        w->t_to = mw__ring_at(r, w->to - 1)->t_ns;
    }
    int64_t span = mw__zoom_span_ns(st->zoom);
    w->t_from = span && w->t_to - span > w->t_first ? w->t_to - span : w->t_first;
    if (!w->end_bucket)
        w->from = mw__ring_seek_time(r, first, w->to, w->t_from);
}
