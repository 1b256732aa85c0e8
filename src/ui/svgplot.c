/* SPDX-License-Identifier: MIT */
/* svgplot.c — --plot: a capture as an SVG picture (RSS and VSZ over time, peak, marks, spikes). */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "svgplot.h"
#include "svgtext.h"
#include "units.h"

/* The page: a header (title, subtitle, legend), then the panels stacked between TOP and BOTTOM
 * over one time axis, whose labels sit under the last panel. */
#define PX0 80
#define PX1 880
#define NCOLS (PX1 - PX0) /* one column per pixel: the most a band ever holds */
#define TOP 72
#define BOTTOM 552
#define GAP 24 /* between panels: the next panel's title */
#define INK "#222222"
#define GRID "#dddddd"
#define PEAK_COLOUR "#c0392b"
#define SPIKE_COLOUR "#e67e00"
#define MARK_COLOUR "#6a3d9a"

typedef struct col {
    uint64_t min, max; /* of the known values in the column */
    uint64_t hwm;      /* highest kernel high-water mark of an HWM_ROSE sample, 0 if none */
    uint32_t n, known; /* samples in the column; those that knew the field */
} col;

typedef struct panel {
    const char *name, *note, *colour;
    mw__field f;
    bool spikes;          /* mark high-water marks above the column's samples (RSS) */
    int y0, y1;           /* the plot area, top and bottom pixel */
    uint64_t lo, hi, step; /* the axis */
    uint64_t nknown, peak;
    int64_t peak_t;       /* CLOCK_MONOTONIC of the (first) peak sample */
    bool has_spike;
} panel;

typedef struct plot {
    const mw__capture *c;
    const mw__ring *r;
    uint64_t from, to;    /* the ring's samples */
    int64_t t_from, span; /* the time window, ns (span >= 1) */
    col cols[NCOLS];
    mw__svgbuf b;
} plot;

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

static double elapsed_s(const plot *pl, int64_t t) { return (double)(t - pl->c->t0_ns) / 1e9; }

/* One pass over the samples: the columns, the peak, and the known range for the axis. */
static void scan(plot *pl, panel *p)
{
    memset(pl->cols, 0, sizeof(pl->cols));
    p->nknown = 0;
    uint64_t lo = 0, hi = 0;
    for (uint64_t q = pl->from; q < pl->to; q++) {
        const mw__sample *s = mw__ring_at(pl->r, q);
        col *c = &pl->cols[col_of(pl, s->t_ns)];
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
            p->peak_t = s->t_ns;
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
    for (double t = (double)(int64_t)(t0 / step) * step; t <= t1 + step / 1000; t += step) {
        if (t < t0 - step / 1000)
            continue;
        double x = x_of(pl, pl->c->t0_ns + (int64_t)(t * 1e9 + 0.5));
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
        lx = x_of(pl, s->t_ns);
        ly = y_of(p, mw__sample_field(s, p->f));
        if (!open) {
            mw__svg_printf(&pl->b, "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" "
                           "stroke-width=\"1.5\" stroke-linejoin=\"round\" points=\"", p->colour);
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
    mw__svg_printf(&pl->b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"" PEAK_COLOUR "\"/>\n"
                   "<text class=\"peak\" x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\""
                   PEAK_COLOUR "\" text-anchor=\"%s\">peak %s at %s</text>\n", x, y,
                   left ? x - 6 : x + 6, ty, left ? "end" : "start",
                   mw__format_bytes(v, sizeof(v), p->peak),
                   mw__svg_elapsed(t, sizeof(t), elapsed_s(pl, p->peak_t)));
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
        double x = x_of(pl, s->t_ns);
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

static bool any_tree(const plot *pl)
{
    for (uint64_t q = pl->from; q < pl->to; q++)
        if (mw__ring_at(pl->r, q)->nprocs > 1)
            return true;
    return false;
}

/* Title (what was watched, and when in UTC), subtitle (what the picture holds), legend. */
static void header(plot *pl, const mw__plot_info *info, const panel *ps, int np)
{
    const mw__capture *c = pl->c;
    const mw__sample *first = mw__ring_at(pl->r, pl->from);
    char when[40] = "", pidname[48];
    if (first) {
        time_t sec = (time_t)(mw__capture_wall_ns(c, first) / 1000000000);
        struct tm tm;
        gmtime_r(&sec, &tm);
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    const char *title = info && info->title ? info->title : c->command[0] ? c->command : NULL;
    snprintf(pidname, sizeof(pidname), "PID %ld", (long)c->pid);
    mw__svg_printf(&pl->b, "<text class=\"title\" x=\"%d\" y=\"22\" font-size=\"16\" "
                   "font-weight=\"bold\" fill=\"" INK "\">memwatch: ", PX0);
    /* A long command line is cut to the page's width (16 px bold, after "memwatch: "). */
    char cut[68];
    mw__safe_text(cut, sizeof(cut), title ? title : pidname);
    mw__svg_text(&pl->b, cut);
    mw__svg_printf(&pl->b, "%s</text>\n", strlen(cut) + 4 < strlen(title ? title : "") ? "…" : "");
    if (!first)
        return;
    char iv[32], span[32], counts[64];
    uint64_t n = pl->to - pl->from;
    uint64_t ms = info && info->interval_ms ? info->interval_ms
                  : n > 1 ? (uint64_t)(pl->span / 1000000 / (int64_t)(n - 1)) : 0;
    snprintf(counts, sizeof(counts), "%s", info && info->rss_counts ? info->rss_counts
                                           : any_tree(pl) ? "tree total" : "process");
    mw__svg_printf(&pl->b, "<text class=\"subtitle\" x=\"%d\" y=\"40\" font-size=\"12\" fill=\""
                   INK "\">%s: %llu samples, every %s%s, over %s; RSS counts: %s", PX0,
                   when, (unsigned long long)n, info && info->interval_ms ? "" : "~",
                   mw__format_interval(iv, sizeof(iv), ms ? ms : 1),
                   mw__svg_elapsed(span, sizeof(span), n > 1 ? (double)pl->span / 1e9 : 0), counts);
    if (mw__ring_dropped(pl->r))
        mw__svg_printf(&pl->b, "; the %llu oldest samples were no longer kept",
                       (unsigned long long)mw__ring_dropped(pl->r));
    mw__svg_printf(&pl->b, "</text>\n<g class=\"legend\" font-size=\"11\" fill=\"" INK "\">\n");
    int x = PX0;
    for (int i = 0; i < np; i++, x += 70)
        mw__svg_printf(&pl->b, "<line x1=\"%d\" y1=\"55\" x2=\"%d\" y2=\"55\" stroke=\"%s\" "
                       "stroke-width=\"3\"/><text x=\"%d\" y=\"59\">%s</text>\n", x, x + 18,
                       ps[i].colour, x + 22, ps[i].name);
    mw__svg_printf(&pl->b, "<circle cx=\"%d\" cy=\"55\" r=\"4\" fill=\"" PEAK_COLOUR "\"/>"
                   "<text x=\"%d\" y=\"59\">peak (sampled)</text>\n", x + 4, x + 12);
    x += 110;
    mw__svg_printf(&pl->b, "<polygon fill=\"" SPIKE_COLOUR "\" points=\"%d,59 %d,52 %d,52\"/>"
                   "<text x=\"%d\" y=\"59\">spike between samples (kernel high-water mark)"
                   "</text>\n", x + 4, x, x + 8, x + 12);
    x += 300;
    mw__svg_printf(&pl->b, "<line x1=\"%d\" y1=\"50\" x2=\"%d\" y2=\"61\" stroke=\"" MARK_COLOUR
                   "\" stroke-dasharray=\"4 3\"/><text x=\"%d\" y=\"59\">mark</text>\n</g>\n",
                   x + 4, x + 4, x + 10);
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

static void layout(panel *ps, int np)
{
    int h = (BOTTOM - TOP - GAP * (np - 1)) / np;
    for (int i = 0; i < np; i++) {
        ps[i].y0 = TOP + 12 + i * (h + GAP);
        ps[i].y1 = ps[i].y0 + h - 12;
    }
}

int mw__svg_plot(const mw__capture *c, const mw__capture *other, const mw__plot_info *info,
                 char **out, size_t *len)
{
    if (!c || other || !out || !len)
        return MW_EINVAL;
    plot *pl = calloc(1, sizeof(*pl));
    if (!pl)
        return MW_ENOMEM;
    pl->c = c;
    pl->r = &c->ring;
    pl->from = mw__ring_first(pl->r);
    pl->to = mw__ring_end(pl->r);
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
    if (pl->from == pl->to) {
        header(pl, info, ps, np);
        mw__svg_printf(&pl->b, "<text x=\"450\" y=\"300\" font-size=\"14\" text-anchor=\"middle\" "
                       "fill=\"" INK "\">no samples were taken</text>\n");
    } else {
        pl->t_from = mw__ring_at(pl->r, pl->from)->t_ns;
        pl->span = mw__ring_at(pl->r, pl->to - 1)->t_ns - pl->t_from;
        if (pl->span < 1)
            pl->span = 1000000000; /* one sample: a second's axis */
        header(pl, info, ps, np);
        layout(ps, np);
        for (int i = 0; i < np; i++) {
            scan(pl, &ps[i]); /* the columns are shared: each panel fills them in turn */
            draw_panel(pl, &ps[i], i == np - 1);
        }
        draw_marks(pl, ps[0].y0, ps[np - 1].y1);
        mw__svg_printf(&pl->b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" "
                       "fill=\"" INK "\">elapsed time since the first sample</text>\n",
                       (PX0 + PX1) / 2, BOTTOM + 34);
    }
    int rc = finish(pl, out, len);
    free(pl);
    return rc;
}
