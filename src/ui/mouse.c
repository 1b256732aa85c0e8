/* SPDX-License-Identifier: MIT */
/* mouse.c — what a click or a wheel turn means over the charts the view drew (pure, no curses). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "chart.h"
#include "mouse.h"
#include "stats.h"
#include "timefmt.h"
#include "units.h"

static const mw__chart_place *place_at(const mw__ui_state *st, int x, int y)
{
    for (int i = 0; i < st->nplaces; i++) {
        const mw__chart_place *p = &st->places[i];
        if (x >= p->x && x < p->x + p->w && y >= p->y && y < p->y + p->h)
            return p;
    }
    return NULL;
}

/* The sample in [from, to) whose time is nearest t; to if the range is empty. */
static uint64_t nearest(const mw__ring *r, uint64_t from, uint64_t to, int64_t t)
{
    if (from < mw__ring_first(r))
        from = mw__ring_first(r);
    if (to > mw__ring_end(r))
        to = mw__ring_end(r);
    if (from >= to)
        return to;
    uint64_t a = mw__ring_seek_time(r, from, to, t);
    if (a == to)
        return to - 1;
    if (a > from && t - mw__ring_at(r, a - 1)->t_ns <= mw__ring_at(r, a)->t_ns - t)
        return a - 1;
    return a;
}

/* Before the ring's first sample a click lands in the merged history (tiers.h): "00:01:04.000
 * RSS 120.0 MiB to 150.0 MiB (64 samples merged)", the bucket at that time. False when the
 * time is the ring's, or the window does not reach before it. */
static bool merged_readout(const mw__ui_state *st, const mw__chart_place *p,
                           const mw__capture *c, int64_t t, mw__field f, char *text, size_t n)
{
    const mw__ring *r = &c->ring;
    const mw__tiers *tr = &c->tiers;
    uint64_t first = mw__ring_first(r);
    if (!mw__ring_count(r) || p->from > first || mw__tiers_end(tr) != first ||
        t >= mw__ring_at(r, first)->t_ns)
        return false;
    size_t i = mw__tiers_seek_time(tr, t);
    const mw__bucket *b = mw__tiers_at(tr, i);
    if (!b)
        return false; /* between the last bucket and the ring: the ring's first sample */
    if (!b->field[f].known) {
        snprintf(text, n, "no %s sample there", mw__charts[p->chart].title);
        return true;
    }
    char clock[32], lo[32], hi[32];
    mw__timefmt tf = {.t0_ns = c->t0_ns, .wall_offset_ns = c->wall_offset_ns,
                      .wall = st->wall_time, .ms = true};
    mw__format_when(clock, sizeof(clock), b->t_first, &tf);
    mw__format_bytes(lo, sizeof(lo), b->field[f].min);
    mw__format_bytes(hi, sizeof(hi), b->field[f].max);
    snprintf(text, n, "%s  %s %s%s%s (%llu samples merged)", clock, mw__charts[p->chart].title,
             lo, strcmp(lo, hi) ? " to " : "", strcmp(lo, hi) ? hi : "",
             (unsigned long long)(b->seq_end - b->seq_first));
    return true;
}

/* --compare: "  • before.csv 30.1 MiB", the other capture's sample nearest the time t (on this
 * capture's clock), when t falls within its run; "" otherwise. */
static void other_value(const mw__ui_state *st, mw__field f, int64_t t, char *out, size_t n)
{
    out[0] = '\0';
    const mw__ring *o = st->other ? &st->other->ring : NULL;
    if (!o || mw__ring_end(o) == mw__ring_first(o))
        return;
    int64_t at = t - st->other_shift_ns;
    if (at < mw__ring_at(o, mw__ring_first(o))->t_ns || at > mw__ring_last(o)->t_ns)
        return;
    const mw__sample *s = mw__ring_at(o, nearest(o, mw__ring_first(o), mw__ring_end(o), at));
    char val[32];
    if (s && mw__field_known(f, s->valid))
        snprintf(out, n, "  %s %s %s", st->ascii ? "o" : "\u2022",
                 st->other_name ? st->other_name : "other",
                 mw__format_bytes(val, sizeof(val), mw__sample_field(s, f)));
}

/* "00:00:12.250  RSS 41.3 MiB": the sample nearest the middle of the column clicked, its time
 * as the charts show times (elapsed, or wall clock after T). Columns slice the window as
 * mw__chart_columns does: column i holds [t_from + span*i/n, ...+1). */
static void readout(const mw__ui_state *st, const mw__chart_place *p, const mw__capture *c, int x,
                    char *text, size_t n)
{
    int col = x - p->plot_x;
    if (p->h < 3 || p->plot_w <= 0 || col < 0)
        return; /* the y-axis labels, or a sparkline: no column under the pointer */
    double span = (double)(p->t_to - p->t_from);
    int64_t t = p->t_from + (int64_t)(span * (col + 0.5) / p->plot_w);
    if (merged_readout(st, p, c, t, mw__charts[p->chart].field, text, n))
        return;
    uint64_t seq = nearest(&c->ring, p->from, p->to, t);
    const mw__sample *s = mw__ring_at(&c->ring, seq);
    mw__field f = mw__charts[p->chart].field;
    if (!s || !mw__field_known(f, s->valid)) {
        snprintf(text, n, "no %s sample there", mw__charts[p->chart].title);
        return;
    }
    char clock[32], val[32], other[96];
    mw__timefmt tf = {.t0_ns = c->t0_ns, .wall_offset_ns = c->wall_offset_ns,
                      .wall = st->wall_time, .ms = true};
    other_value(st, f, s->t_ns, other, sizeof(other));
    snprintf(text, n, "%s  %s %s%s", mw__format_when(clock, sizeof(clock), s->t_ns, &tf),
             mw__charts[p->chart].title, mw__format_bytes(val, sizeof(val), mw__sample_field(s, f)),
             other);
}

mw__key mw__mouse_key(const mw__ui_state *st, const mw__capture *c, const mw__mouse *ev,
                      char *text, size_t n)
{
    if (n)
        text[0] = '\0';
    const mw__chart_place *p = place_at(st, ev->x, ev->y);
    /* Overlays cover the charts: what is under the pointer is not a chart then. */
    if (!p || st->help || st->where || st->prompt)
        return MW__KEY_NONE;
    if (ev->button == MW__MOUSE_CLICK) {
        readout(st, p, c, ev->x, text, n);
        return MW__KEY_NONE;
    }
    if (ev->button != MW__MOUSE_WHEEL_UP && ev->button != MW__MOUSE_WHEEL_DOWN)
        return MW__KEY_NONE;
    bool up = ev->button == MW__MOUSE_WHEEL_UP;
    /* Most terminals send no modifier with the wheel (or keep Shift+wheel for their own
     * scrollback), so the time axis row under each chart zooms too. */
    bool on_axis = p->h >= 3 && ev->y == p->y + p->h - 1;
    if (ev->ctrl || ev->shift || on_axis)
        return up ? 'z' : 'Z';
    return up ? MW__KEY_LEFT : MW__KEY_RIGHT;
}
