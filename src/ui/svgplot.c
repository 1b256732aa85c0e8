/* SPDX-License-Identifier: MIT */
/* svgplot.c — --plot: a capture as an SVG picture (RSS and VSZ over time, peak, marks, spikes). */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "svgplot.h"
#include "svgcompare.h"
#include "svgplotint.h"
#include "svgtext.h"
#include "units.h"

static double x_of(const plot *pl, int64_t t)
{
    return PX0 + (double)(t - pl->t_from) * NCOLS / (double)pl->span;
}

static int col_of(const plot *pl, int64_t t)
{
    int64_t k = (int64_t)((double)(t - pl->t_from) * NCOLS / (double)pl->span);
    return k < 0 ? 0 : k >= NCOLS ? NCOLS - 1 : (int)k;
}

static double y_of(const panel *p, uint64_t v)
{
    double f = (double)(v - p->lo) / (double)(p->hi - p->lo);
    return p->y1 - f * (p->y1 - p->y0);
}

static double elapsed_s(const plot *pl, int64_t t) { return (double)(t - pl->anchor) / 1e9; }

static int64_t t_of(const plot *pl, const mw__sample *s) { return s->t_ns + pl->shift; }

/* Which capture the scans and draws below read: c, or the other one moved onto c's clock. */
static void use(plot *pl, const mw__capture *c, int64_t shift)
{
    pl->r = &c->ring;
    pl->from = mw__ring_first(pl->r);
    pl->to = mw__ring_end(pl->r);
    pl->shift = shift;
}

/* One pass over the samples: the columns, the peak, and the known range (p->lo, p->hi, raw). */
static void scan(plot *pl, panel *p)
{
    memset(pl->cols, 0, sizeof(pl->cols));
    p->nknown = 0;
    uint64_t lo = 0, hi = 0;
    for (uint64_t q = pl->from; q < pl->to; q++) {
        const mw__sample *s = mw__ring_at(pl->r, q);
        col *c = &pl->cols[col_of(pl, t_of(pl, s))];
        c->n++;
        if (!mw__field_known(p->f, s->valid))
            continue; /* an unknown is no value: a gap, never 0 */
        uint64_t v = mw__sample_field(s, p->f);
        if (!c->known++ || v < c->min)
            c->min = v;
        if (c->known == 1 || v > c->max)
            c->max = v;
        if (!p->nknown++ || v < lo)
            lo = v;
        if (p->nknown == 1 || v > hi) {
            hi = v;
            p->peak = v;
            p->peak_t = t_of(pl, s);
        }
        /* A tree's mark is a sum of marks: no height to draw (as the dashboard). */
        if (p->spikes && (s->flags & MW_SAMPLE_HWM_ROSE) && s->nprocs <= 1 && s->hwm > c->hwm)
            c->hwm = s->hwm;
    }
    p->has_spike = false;
    for (int i = 0; i < NCOLS; i++)
        if (pl->cols[i].known && pl->cols[i].hwm > pl->cols[i].max) {
            p->has_spike = true;
            if (pl->cols[i].hwm > hi)
                hi = pl->cols[i].hwm;
        }
    p->lo = lo;
    p->hi = hi;
}

/* The axis of readable steps over the raw range scan left. */
static void axis(panel *p)
{
    uint64_t lo = p->lo, hi = p->hi;
    /* A flat series still gets an axis of readable steps around its value. */
    uint64_t range = hi - lo;
    if (range < hi / 50)
        range = hi / 50;
    if (range < 1024)
        range = 1024;
    p->step = mw__svg_bytes_step(range, 4);
    p->lo = lo / p->step * p->step;
    p->hi = (hi / p->step + 1) * p->step;
}

static void panel_frame(plot *pl, const panel *p, bool last)
{
    char v[32];
    mw__svg_printf(&pl->b, "<g class=\"axis\" font-size=\"10\" fill=\"" INK "\">\n");
    for (uint64_t t = p->lo; t <= p->hi; t += p->step) {
        double y = y_of(p, t);
        mw__svg_printf(&pl->b,
                       "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"" GRID "\"/>"
                       "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                       PX0, y, PX1, y, PX0 - 6, y + 3.5, mw__format_bytes(v, sizeof(v), t));
    }
    double t0 = elapsed_s(pl, pl->t_from), t1 = elapsed_s(pl, pl->t_from + pl->span);
    double step = mw__svg_time_step(t1 - t0);
    for (double t = floor(t0 / step) * step; t <= t1 + step / 1000; t += step) {
        if (t < t0 - step / 1000)
            continue;
        double x = x_of(pl, pl->anchor + (int64_t)(t * 1e9 + 0.5));
        mw__svg_printf(&pl->b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"" GRID
                       "\"/>\n", x, p->y0, x, p->y1);
        if (last)
            mw__svg_printf(&pl->b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                           x, p->y1 + 14, mw__svg_time_label(v, sizeof(v), t, step));
    }
    mw__svg_printf(&pl->b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                   "stroke=\"#888888\"/>\n</g>\n", PX0, p->y0, NCOLS, p->y1 - p->y0);
    mw__svg_printf(&pl->b, "<text x=\"%d\" y=\"%d\" font-size=\"12\" font-weight=\"bold\" "
                   "fill=\"%s\">%s <tspan font-weight=\"normal\" fill=\"" INK "\">%s</tspan>"
                   "</text>\n", PX0, p->y0 - 6, p->colour, p->name, p->note);
}

/* Few samples: one polyline through them, cut where the value is unknown. */
static void draw_points(plot *pl, const panel *p)
{
    bool open = false;
    uint64_t run = 0;
    double lx = 0, ly = 0;
    for (uint64_t q = pl->from; q <= pl->to; q++) {
        const mw__sample *s = q < pl->to ? mw__ring_at(pl->r, q) : NULL;
        bool known = s && mw__field_known(p->f, s->valid);
        if (!known && open) {
            mw__svg_printf(&pl->b, "\"/>\n");
            if (run == 1) /* a lone known sample between gaps: a dot, not an invisible line */
                mw__svg_printf(&pl->b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%s\"/>\n",
                               lx, ly, p->colour);
            open = false;
        }
        if (!known)
            continue;
        lx = x_of(pl, t_of(pl, s));
        ly = y_of(p, mw__sample_field(s, p->f));
        if (!open) {
            mw__svg_printf(&pl->b, "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" "
                           "stroke-width=\"1.5\" stroke-linejoin=\"round\"%s points=\"",
                           p->colour, p->who ? " stroke-dasharray=\"5 3\"" : "");
            open = true;
            run = 0;
        }
        mw__svg_printf(&pl->b, "%s%.1f,%.1f", run ? " " : "", lx, ly);
        run++;
    }
}

static void band_run(plot *pl, const panel *p, const int *idx, int n)
{
    mw__svg_printf(&pl->b, "<polygon class=\"band\" fill=\"%s\" fill-opacity=\"0.35\" "
                   "stroke=\"%s\" stroke-width=\"1\" stroke-linejoin=\"round\" points=\"",
                   p->colour, p->colour);
    for (int i = 0; i < n; i++)
        mw__svg_printf(&pl->b, "%s%d.5,%.1f", i ? " " : "", PX0 + idx[i],
                       y_of(p, pl->cols[idx[i]].max));
    for (int i = n - 1; i >= 0; i--)
        mw__svg_printf(&pl->b, " %d.5,%.1f", PX0 + idx[i], y_of(p, pl->cols[idx[i]].min));
    mw__svg_printf(&pl->b, "\"/>\n");
}

/* More samples than pixels: per column the min..max band. A column where samples came but none
 * knew the value cuts the band; a column no sample fell in is bridged. */
static void draw_bands(plot *pl, const panel *p)
{
    int idx[NCOLS];
    int n = 0;
    for (int i = 0; i <= NCOLS; i++) {
        const col *c = i < NCOLS ? &pl->cols[i] : NULL;
        if (c && c->known) {
            idx[n++] = i;
            continue;
        }
        if (c && c->n == 0)
            continue;
        if (n)
            band_run(pl, p, idx, n);
        n = 0;
    }
}

static void draw_spikes(plot *pl, const panel *p)
{
    for (int i = 0; i < NCOLS; i++) {
        const col *c = &pl->cols[i];
        if (!c->known || c->hwm <= c->max)
            continue;
        double x = PX0 + i + 0.5, y = y_of(p, c->hwm);
        mw__svg_printf(&pl->b, "<polygon class=\"spike\" fill=\"" SPIKE_COLOUR "\" points=\""
                       "%.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>\n", x, y, x - 4, y - 7, x + 4, y - 7);
    }
}

static void draw_peak(plot *pl, const panel *p)
{
    char v[32], t[48];
    double x = x_of(pl, p->peak_t), y = y_of(p, p->peak);
    bool left = x > (PX0 + PX1) / 2.0;
    double ty = y - 8 < p->y0 + 12 ? y + 16 : y - 8;
    const char *ink = p->who ? OTHER_COLOUR : PEAK_COLOUR;
    if (p->who) /* under this run's label when the two peaks are close */
        ty += 13;
    mw__svg_printf(&pl->b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>\n"
                   "<text class=\"peak%s\" x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"%s\" "
                   "text-anchor=\"%s\">peak %s at %s", x, y, ink, p->who ? " other" : "",
                   left ? x - 6 : x + 6, ty, ink, left ? "end" : "start",
                   mw__format_bytes(v, sizeof(v), p->peak),
                   mw__svg_elapsed(t, sizeof(t), elapsed_s(pl, p->peak_t)));
    if (p->who) {
        mw__svg_printf(&pl->b, " (");
        mw__svg_text(&pl->b, p->who);
        mw__svg_printf(&pl->b, ")");
    }
    mw__svg_printf(&pl->b, "</text>\n");
}

/* Marks cross every panel; their labels are staggered on three rows so neighbours stay legible. */
static void draw_marks(plot *pl, int top, int bottom)
{
    const mw__capture *c = pl->c;
    int k = 0;
    for (size_t i = 0; i < c->nmarks; i++) {
        const mw__sample *s = mw__ring_at(pl->r, c->marks[i].seq);
        if (!s)
            continue;
        double x = x_of(pl, t_of(pl, s));
        mw__svg_printf(&pl->b, "<line class=\"mark\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                       "stroke=\"" MARK_COLOUR "\" stroke-dasharray=\"4 3\"/>\n"
                       "<text class=\"mark\" x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\""
                       MARK_COLOUR "\"%s>", x, top, x, bottom, x > PX1 - 120 ? x - 3 : x + 3,
                       top + 11 + 11 * (k++ % 3), x > PX1 - 120 ? " text-anchor=\"end\"" : "");
        mw__svg_text(&pl->b, c->marks[i].label);
        mw__svg_printf(&pl->b, "</text>\n");
    }
}

static void draw_panel(plot *pl, panel *p, bool last)
{
    panel_frame(pl, p, last);
    mw__svg_printf(&pl->b, "<g class=\"%s\">\n", p->name);
    if (p->nknown > NCOLS)
        draw_bands(pl, p);
    else
        draw_points(pl, p);
    if (p->spikes)
        draw_spikes(pl, p);
    if (p->nknown)
        draw_peak(pl, p);
    mw__svg_printf(&pl->b, "</g>\n");
}

static bool any_known(const plot *pl, mw__field f)
{
    for (uint64_t q = pl->from; q < pl->to; q++)
        if (mw__field_known(f, mw__ring_at(pl->r, q)->valid))
            return true;
    return false;
}

static int finish(plot *pl, char **out, size_t *len)
{
    mw__svg_printf(&pl->b, "</svg>\n");
    if (pl->b.failed) {
        free(pl->b.p);
        return MW_ENOMEM;
    }
    *out = pl->b.p;
    *len = pl->b.len;
    return 0;
}

static void layout(panel *ps, int np, int top)
{
    int h = (BOTTOM - top - GAP * (np - 1)) / np;
    for (int i = 0; i < np; i++) {
        ps[i].y0 = top + 12 + i * (h + GAP);
        ps[i].y1 = ps[i].y0 + h - 12;
    }
}

/* --compare: the time window over both captures on c's clock, the other's shift onto it, and
 * elapsed time 0 (each capture's first sample, or its mark labelled align_mark). */
static int align(plot *pl, const mw__plot_info *info)
{
    const char *label = info ? info->align_mark : NULL;
    int64_t a = pl->c->t0_ns, b = 0;
    if (pl->o && (!mw__compare_anchor(pl->c, label, &a) || !mw__compare_anchor(pl->o, label, &b)))
        return MW_EINVAL;
    int64_t shift = a - b, end = mw__ring_at(pl->r, pl->to - 1)->t_ns;
    pl->anchor = a;
    pl->other_shift = shift;
    pl->t_from = mw__ring_at(pl->r, pl->from)->t_ns;
    if (pl->o) {
        const mw__ring *r = &pl->o->ring;
        int64_t of = mw__ring_at(r, mw__ring_first(r))->t_ns + shift;
        int64_t ol = mw__ring_at(r, mw__ring_end(r) - 1)->t_ns + shift;
        pl->t_from = of < pl->t_from ? of : pl->t_from;
        end = ol > end ? ol : end;
    }
    pl->span = end - pl->t_from;
    if (pl->span < 1)
        pl->span = 1000000000; /* one sample: a second's axis */
    return 0;
}

/* A panel of c, and over it the other capture's series in its own style: one axis for both. */
static void draw_both(plot *pl, panel *p, bool last)
{
    panel q = *p;
    int64_t shift = pl->other_shift;
    q.colour = OTHER_COLOUR;
    q.who = pl->other_name;
    q.spikes = false; /* the other's spikes would be taken for this run's */
    if (pl->o) {
        use(pl, pl->o, shift);
        scan(pl, &q);
        use(pl, pl->c, 0);
    }
    scan(pl, p);
    if (pl->o && q.nknown) {
        p->lo = !p->nknown || q.lo < p->lo ? q.lo : p->lo;
        p->hi = !p->nknown || q.hi > p->hi ? q.hi : p->hi;
    }
    axis(p);
    draw_panel(pl, p, last);
    if (!pl->o)
        return;
    use(pl, pl->o, shift);
    scan(pl, &q); /* the columns again, now the other's */
    q.lo = p->lo, q.hi = p->hi, q.step = p->step, q.y0 = p->y0, q.y1 = p->y1;
    mw__svg_printf(&pl->b, "<g class=\"%s other\">\n", p->name);
    if (q.nknown > NCOLS)
        draw_bands(pl, &q);
    else
        draw_points(pl, &q);
    if (q.nknown)
        draw_peak(pl, &q);
    mw__svg_printf(&pl->b, "</g>\n");
    use(pl, pl->c, 0);
}

int mw__svg_plot(const mw__capture *c, const mw__capture *other, const mw__plot_info *info,
                 char **out, size_t *len)
{
    if (!c || !out || !len || (other && mw__ring_end(&other->ring) == mw__ring_first(&other->ring)))
        return MW_EINVAL;
    plot *pl = calloc(1, sizeof(*pl));
    if (!pl)
        return MW_ENOMEM;
    pl->c = c;
    use(pl, c, 0);
    pl->other_name = info && info->other_name ? info->other_name : "other";
    panel ps[3] = {
        {.name = "RSS", .note = "resident memory", .colour = "#1f5fa8", .f = MW__FIELD_RSS,
         .spikes = true},
        {.name = "VSZ", .note = "virtual size", .colour = "#2e7d32", .f = MW__FIELD_VSZ},
        {.name = "PSS", .note = "shared pages divided among their processes",
         .colour = "#8e24aa", .f = MW__FIELD_PSS},
    };
    int np = pl->from < pl->to && any_known(pl, MW__FIELD_PSS) ? 3 : 2;
    mw__svg_printf(&pl->b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www."
                   "w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                   "font-family=\"sans-serif\">\n<rect width=\"100%%\" height=\"100%%\" "
                   "fill=\"#ffffff\"/>\n", MW__PLOT_WIDTH, MW__PLOT_HEIGHT, MW__PLOT_WIDTH,
                   MW__PLOT_HEIGHT);
    int rc = 0;
    pl->o = other;
    if (pl->from == pl->to) {
        pl->o = NULL; /* nothing to compare with */
        mw__svg_header(pl, info, ps, np);
        mw__svg_printf(&pl->b, "<text x=\"450\" y=\"300\" font-size=\"14\" text-anchor=\"middle\" "
                       "fill=\"" INK "\">no samples were taken</text>\n");
    } else if ((rc = align(pl, info)) == 0) {
        mw__svg_header(pl, info, ps, np);
        layout(ps, np, other ? TOP + ROW : TOP);
        for (int i = 0; i < np; i++) /* the columns are shared: each panel fills them in turn */
            draw_both(pl, &ps[i], i == np - 1);
        draw_marks(pl, ps[0].y0, ps[np - 1].y1);
        mw__svg_printf(&pl->b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" "
                       "fill=\"" INK "\">elapsed time since %s</text>\n", (PX0 + PX1) / 2,
                       BOTTOM + 34, info && info->align_mark && other ? "the mark"
                       : other ? "each capture's first sample" : "the first sample");
    }
    if (rc != 0) {
        free(pl->b.p);
        free(pl);
        return rc;
    }
    rc = finish(pl, out, len);
    free(pl);
    return rc;
}
