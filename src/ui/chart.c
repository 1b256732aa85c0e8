/* SPDX-License-Identifier: MIT */
/* chart.c — draws one chart (title, y-axis, min..max columns, markers, x-axis) on a canvas. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "timefmt.h"
#include "units.h"

/* Glyphs by mode. Every marker differs by shape, not only by colour (monochrome, NO_COLOR). */
typedef struct glyphs {
    uint32_t part[8];  /* a bar top filling 1..8 eighths of a cell; [7] is the full cell */
    uint32_t wick, wick_short; /* the min..max range above a column's body */
    uint32_t vline, tick, corner, hline;
    uint32_t peak, mark_axis, mark_line, hidden, alert_line;
    uint32_t other;     /* --compare: the other capture's dots */
    uint32_t limit_line; /* --cgroup: its limit (memory.high: alert_line's dashes) */
    const char *spark;  /* 8 levels for sparklines, as UTF-8 / ASCII, one code point each */
    const char *arrow;  /* between the window's times */
} glyphs;

static const glyphs UTF8 = {
    {0x2581, 0x2582, 0x2583, 0x2584, 0x2585, 0x2586, 0x2587, 0x2588},
    0x2502, 0x2577, 0x2502, 0x2524, 0x2514, 0x2500,
    0x25b2, 0x2534, 0x250a, 0x25b3, 0x254c,
    0x2022,
    0x2550,
    "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588", " \u2192 ",
};
static const glyphs ASCII = {
    {'.', '.', '.', ':', ':', ':', ':', '#'},
    '|', '|', '|', '+', '+', '-',
    '^', '+', ':', '*', '-',
    'o',
    '=',
    "_.-:=+*#", " - ",
};

/* Height in eighths of a cell (0 .. rows*8) of v on the axis. */
static int level(const mw__axis *ax, uint64_t v, int rows)
{
    double f = ((double)v - ax->lo) / (ax->hi - ax->lo);
    int l = (int)(f * rows * 8 + 0.5);
    return l < 0 ? 0 : l > rows * 8 ? rows * 8 : l;
}

static uint32_t spark_glyph(const glyphs *g, int eighth)
{
    const char *s = g->spark;
    uint32_t cp = ' ';
    for (int i = 0; i < eighth && *s; i++)
        cp = mw__utf8_next(&s);
    return cp;
}

/* The column's cell at row `r` from the top of a plot `rows` high. */
static void draw_cell(mw__canvas *cv, int x, int y, int r, int rows, int lmin, int lmax,
                      int lalert, const glyphs *g, mw__style st)
{
    int b = (rows - 1 - r) * 8; /* the cell's bottom, in eighths */
    uint32_t cp = 0;
    mw__style use = st;
    if (lmin >= b + 8)
        cp = g->part[7];
    else if (lmax > b && lmax < b + 8 && lmin > b - 1)
        cp = g->part[lmax - b - 1]; /* body and range end in this cell: draw to the max */
    else if (lmin > b)
        cp = g->part[lmin - b - 1]; /* body top; the wick continues above */
    else if (lmax > b) {
        cp = lmax - b < 4 ? g->wick_short : g->wick;
        use = MW__ST_RANGE;
    }
    if (!cp)
        return;
    if (lalert >= 0 && b >= lalert)
        use = MW__ST_ALERT;
    mw__canvas_put(cv, x, y, cp, use);
}

static void title_row(mw__canvas *cv, int x, int y, int w, const mw__chart_spec *sp,
                      const mw__chart_result *res, const glyphs *g)
{
    char buf[112], v1[32], t1[24], t2[24], sp1[16];
    /* Milliseconds once the window is under a minute: whole seconds cannot place a sample. */
    mw__timefmt tf = {.t0_ns = sp->t0_ns, .wall_offset_ns = sp->wall_offset_ns, .wall = sp->wall,
                      .ms = sp->t_to - sp->t_from < MW__TIME_MS_BELOW_NS};
    mw__line l;
    mw__line_init(&l, cv, x, y, w);
    mw__line_add(&l, 0, sp->title, MW__ST_TITLE);
    if (!res->have) {
        mw__line_add(&l, 1, "no samples in view", MW__ST_DIM);
        return;
    }
    mw__line_add(&l, 1, mw__format_bytes(v1, sizeof(v1), res->last), sp->style);
    if (sp->alert && res->over_alert) {
        snprintf(buf, sizeof(buf), "ALERT >= %s", mw__format_bytes(v1, sizeof(v1), sp->alert));
        mw__line_add(&l, 2, buf, MW__ST_ALERT);
    }
    char peak[8] = {0};
    mw__utf8_put(peak, g->peak);
    snprintf(buf, sizeof(buf), "%s peak %s at %s", peak, mw__format_bytes(v1, sizeof(v1), res->peak),
             mw__format_when(t1, sizeof(t1), res->peak_t_ns + sp->t0_ns, &tf));
    mw__line_add(&l, 2, buf, MW__ST_PEAK);
    if (sp->other && sp->other_name) {
        char dot[8] = {0};
        mw__utf8_put(dot, g->other);
        if (res->other_have)
            snprintf(buf, sizeof(buf), "%s %s %s %s", dot, sp->other_name, peak,
                     mw__format_bytes(v1, sizeof(v1), res->other_peak));
        else
            snprintf(buf, sizeof(buf), "%s %s: none here", dot, sp->other_name);
        mw__line_add(&l, 2, buf, MW__ST_OTHER);
    }
    if (sp->limit) {
        snprintf(buf, sizeof(buf), "limit %s", mw__format_bytes(v1, sizeof(v1), sp->limit));
        mw__line_add(&l, 2, buf, MW__ST_LIMIT);
    }
    if (sp->high) {
        snprintf(buf, sizeof(buf), "high %s", mw__format_bytes(v1, sizeof(v1), sp->high));
        mw__line_add(&l, 2, buf, MW__ST_LIMIT);
    }
    if (sp->note && !mw__line_add(&l, 2, sp->note, MW__ST_DIM) && sp->short_note)
        mw__line_add(&l, 2, sp->short_note, MW__ST_DIM);
    snprintf(buf, sizeof(buf), "%s%s%s (%s)", mw__format_when(t1, sizeof(t1), sp->t_from, &tf),
             g->arrow, mw__format_when(t2, sizeof(t2), sp->t_to, &tf),
             mw__format_span(sp1, sizeof(sp1), sp->t_to - sp->t_from));
    if (!mw__line_right(&l, 2, buf, MW__ST_DIM))
        mw__line_right(&l, 2, sp1, MW__ST_DIM);
}

/* Summaries for the result: newest value, peak column, hidden peaks, alert. */
static void summarise(const mw__ring *r, const mw__chart_spec *sp, const mw__chart_col *cols,
                      int n, mw__chart_result *res)
{
    memset(res, 0, sizeof(*res));
    res->peak_col = -1;
    for (int i = 0; i < n; i++) {
        const mw__chart_col *c = &cols[i];
        if (!c->n)
            continue;
        if (!res->have || c->max > res->peak) {
            res->peak = c->max;
            res->peak_seq = c->max_seq;
            res->peak_col = i;
        }
        res->have = true;
        if (sp->hidden_peaks && c->hwm > c->max && c->hwm > res->hidden_hwm)
            res->hidden_hwm = c->hwm;
    }
    if (!res->have)
        return;
    uint64_t to = sp->to < mw__ring_end(r) ? sp->to : mw__ring_end(r);
    const mw__sample *s = mw__ring_at(r, to - 1);
    const mw__bucket *b = s || !sp->tiers ? NULL : mw__tiers_at(sp->tiers, mw__tiers_seek_time(sp->tiers, sp->t_to));
    if (s) /* a window ending in the tiers ends with a whole bucket: its last value */
        res->last = mw__sample_field(s, sp->field);
    else if (b && b->field[sp->field].known)
        res->last = b->field[sp->field].last;
    const mw__sample *p = mw__ring_at(r, res->peak_seq); /* NULL: the peak left the ring */
    res->peak_t_ns = (p ? p->t_ns : cols[res->peak_col].max_t) - sp->t0_ns;
    res->over_alert = sp->alert && res->peak >= sp->alert;
}

static void draw_sparkline(mw__canvas *cv, int x, int y, int w, const mw__chart_col *cols,
                           const mw__axis *ax, const mw__chart_result *res,
                           const mw__chart_spec *sp, const glyphs *g)
{
    for (int i = 0; i < w; i++) {
        const mw__chart_col *c = &cols[i];
        if (!c->n && !c->carried)
            continue;
        int l = level(ax, c->max, 1);
        mw__style st = i == res->peak_col ? MW__ST_PEAK
                       : (sp->alert && c->max >= sp->alert) ? MW__ST_ALERT : sp->style;
        mw__canvas_put(cv, x + i, y, spark_glyph(g, l < 1 ? 1 : l), st);
    }
}

/* The plot's row holding value v (a line's), or -1 when v is 0 or off the axis. */
static int line_row(const mw__axis *ax, uint64_t v, int rows)
{
    if (!v || (double)v <= ax->lo || (double)v > ax->hi)
        return -1;
    int l = level(ax, v, rows);
    return rows - 1 - (l > 0 ? (l - 1) / 8 : 0);
}

/* A cgroup's limit and memory.high: a row of dashes across the plot wherever no bar is. */
static void draw_lines(mw__canvas *cv, int x, int y, int w, int rows, const mw__axis *ax,
                       const mw__chart_spec *sp, const glyphs *g)
{
    uint64_t v[2] = {sp->limit, sp->high};
    for (int k = 0; k < 2; k++) {
        int r = line_row(ax, v[k], rows);
        for (int i = 0; r >= 0 && i < w; i++) {
            const mw__cell *cell = mw__canvas_at(cv, x + i, y + r);
            if (cell && cell->cp == ' ')
                mw__canvas_put(cv, x + i, y + r, k == 0 ? g->limit_line : g->alert_line, MW__ST_LIMIT);
        }
    }
}

static void draw_plot(mw__canvas *cv, int x, int y, int w, int rows, const mw__chart_col *cols,
                      const mw__axis *ax, const mw__chart_spec *sp, const glyphs *g)
{
    int lalert = -1;
    if (sp->alert && (double)sp->alert > ax->lo && (double)sp->alert < ax->hi)
        lalert = level(ax, sp->alert, rows);
    int alert_row = lalert >= 0 ? rows - 1 - (lalert > 0 ? (lalert - 1) / 8 : 0) : -1;
    for (int i = 0; i < w; i++) {
        const mw__chart_col *c = &cols[i];
        bool data = c->n || c->carried;
        int lmin = data ? level(ax, c->min, rows) : 0, lmax = data ? level(ax, c->max, rows) : 0;
        if (data && lmax < 1)
            lmax = 1; /* every sample shows, even one sitting on the axis */
        for (int r = 0; r < rows; r++) {
            if (data)
                draw_cell(cv, x + i, y + r, r, rows, lmin, lmax, lalert, g, sp->style);
            const mw__cell *cell = mw__canvas_at(cv, x + i, y + r);
            if (cell && cell->cp == ' ') {
                if (c->n && (c->flags & MW_SAMPLE_MARK))
                    mw__canvas_put(cv, x + i, y + r, g->mark_line, MW__ST_MARK);
                else if (r == alert_row)
                    mw__canvas_put(cv, x + i, y + r, g->alert_line, MW__ST_ALERT);
            }
        }
        if (sp->hidden_peaks && c->n && c->hwm > c->max) {
            int lh = level(ax, c->hwm, rows);
            int r = rows - 1 - (lh > 0 ? (lh - 1) / 8 : 0);
            mw__canvas_put(cv, x + i, y + r, g->hidden, MW__ST_HWM);
        }
    }
}

/* y-axis labels in a gutter of width gw: labels right-aligned, then the axis line. A label sits
 * on the row whose top edge has its value (the bottom one on the x-axis row, the plot's bottom
 * edge), to within half a row. */
static void draw_gutter(mw__canvas *cv, int x, int y, int gw, int rows, const mw__axis *ax,
                        const glyphs *g)
{
    for (int r = 0; r < rows; r++)
        mw__canvas_put(cv, x + gw - 1, y + r, g->vline, MW__ST_DIM);
    mw__canvas_put(cv, x + gw - 1, y + rows, g->corner, MW__ST_DIM);
    /* Label every k-th tick, counted from the bottom, with k the smallest stride that leaves at
     * least one blank row between labels: values keep a regular step and never crowd. */
    int k = 1;
    while (k < ax->intervals && (double)rows * k / ax->intervals < 2.0)
        k++;
    int used = -1;
    for (int i = ax->intervals; i >= 0; i--) {
        if (i % k != 0)
            continue;
        int r = (int)((double)(ax->intervals - i) * rows / ax->intervals + 0.5);
        if (r == used)
            continue; /* more ticks than rows: keep the upper one */
        used = r;
        char lab[32];
        mw__axis_label(ax, i, lab, sizeof(lab));
        int lw = mw__text_width(lab);
        mw__canvas_text(cv, x + gw - 2 - lw, y + r, lw, lab, MW__ST_DIM);
        if (r < rows)
            mw__canvas_put(cv, x + gw - 1, y + r, g->tick, MW__ST_DIM);
    }
}

static int gutter_width(const mw__axis *ax)
{
    int gw = 0;
    for (int i = 0; i <= ax->intervals; i++) {
        char lab[32];
        mw__axis_label(ax, i, lab, sizeof(lab));
        int lw = mw__text_width(lab);
        if (lw > gw)
            gw = lw;
    }
    return gw + 2; /* a blank, then the axis line */
}

static void data_range(const mw__chart_col *cols, int n, bool hidden, uint64_t *lo, uint64_t *hi)
{
    bool any = false;
    for (int i = 0; i < n; i++) {
        const mw__chart_col *c = &cols[i];
        if (!c->n && !c->carried)
            continue;
        uint64_t top = hidden && c->hwm > c->max ? c->hwm : c->max;
        if (!any || c->min < *lo)
            *lo = c->min;
        if (!any || top > *hi)
            *hi = top;
        any = true;
    }
    if (!any)
        *lo = *hi = 0;
}

/* --compare: the other capture's columns over the same window, on its own clock. Columns after
 * its last sample are emptied: it ended there, and a held value would draw a run it never had. */
static void other_columns(const mw__chart_spec *sp, int n, mw__chart_col *out)
{
    const mw__ring *o = sp->other;
    uint64_t first = mw__ring_first(o), end = mw__ring_end(o);
    int64_t from = sp->t_from - sp->other_shift_ns, to = sp->t_to - sp->other_shift_ns;
    /* its samples up to the window's end only: the last column would take every later one */
    uint64_t stop = mw__ring_seek_time(o, first, end, to + 1);
    mw__chart_columns_run(o, sp->other_tiers, sp->other_ix, first, stop, from, to, sp->field, n, out);
    int64_t last = mw__ring_at(o, end - 1)->t_ns;
    for (int i = 0; i < n; i++)
        if (to > from && from + (to - from) * i / n > last)
            out[i].n = 0, out[i].carried = false;
}

/* Its dots: one per column, in the cell holding the column's highest value (drawn over this
 * capture's bars: where the two meet, the dot shows which is which). */
static void draw_other(mw__canvas *cv, int x, int y, int rows, const mw__chart_col *oc, int n,
                       const mw__axis *ax, const glyphs *g)
{
    for (int i = 0; i < n; i++) {
        if (!oc[i].n && !oc[i].carried)
            continue;
        int l = level(ax, oc[i].max, rows);
        mw__canvas_put(cv, x + i, y + rows - 1 - (l > 0 ? (l - 1) / 8 : 0), g->other, MW__ST_OTHER);
    }
}

static void other_summary(const mw__chart_col *oc, int n, mw__chart_result *res)
{
    for (int i = 0; i < n; i++)
        if (oc[i].n && (!res->other_have || oc[i].max > res->other_peak)) {
            res->other_peak = oc[i].max;
            res->other_have = true;
        }
}

void mw__chart_draw(mw__canvas *cv, int x, int y, int w, int h, const mw__ring *r,
                    const mw__chart_index *ix, const mw__chart_spec *sp, mw__chart_result *res)
{
    mw__chart_result local;
    if (!res)
        res = &local;
    memset(res, 0, sizeof(*res));
    res->peak_col = -1;
    if (w <= 0 || h <= 0)
        return;
    const glyphs *g = sp->ascii ? &ASCII : &UTF8;
    /* The y-axis comes from one column over the whole window (cheap with the index); the
     * labels it needs then decide how wide the plot is. */
    int rows = h >= 3 ? h - 2 : 1;
    bool other = sp->other && mw__ring_end(sp->other) > mw__ring_first(sp->other);
    mw__chart_col *cols = malloc((size_t)w * 2 * sizeof(*cols)), *oc = cols + w;
    if (!cols)
        return;
    mw__chart_columns_run(r, sp->tiers, ix, sp->from, sp->to, sp->t_from, sp->t_to, sp->field, 1, cols);
    uint64_t dlo, dhi, olo, ohi;
    data_range(cols, 1, sp->hidden_peaks, &dlo, &dhi);
    if (other) { /* one axis for both: the other's values in the window fit on it too */
        other_columns(sp, 1, oc);
        data_range(oc, 1, false, &olo, &ohi);
        bool mine = cols[0].n || cols[0].carried, theirs = oc[0].n || oc[0].carried;
        if (theirs && (!mine || olo < dlo))
            dlo = olo;
        if (theirs && (!mine || ohi > dhi))
            dhi = ohi;
    }
    if (sp->y_zero)
        dlo = 0;
    /* The limit and memory.high are what the figure is measured against: the axis reaches them. */
    for (int k = 0; k < 2; k++) {
        uint64_t v = k ? sp->high : sp->limit;
        if (v && (cols[0].n || cols[0].carried) && v > dhi)
            dhi = v;
    }
    mw__axis ax;
    mw__axis_fit(dlo, dhi, rows, &ax);

    int px = x, pw = w, gw = 0;
    if (h >= 3) {
        gw = gutter_width(&ax);
        if (gw * 4 > w)
            gw = 0; /* too narrow for labels: the plot gets every column */
        px = x + gw;
        pw = w - gw;
    }
    mw__chart_columns_run(r, sp->tiers, ix, sp->from, sp->to, sp->t_from, sp->t_to, sp->field, pw, cols);
    summarise(r, sp, cols, pw, res);
    res->plot_x = px;
    res->plot_w = pw;
    if (other) {
        other_columns(sp, pw, oc);
        other_summary(oc, pw, res);
    }

    if (h == 1) {
        /* "RSS ▁▂▅▇ 812.4 MiB": the title and value frame a sparkline. */
        char v[32] = "";
        if (res->have)
            mw__format_bytes(v, sizeof(v), res->last);
        int tw = mw__text_width(sp->title) + 1, vw = res->have ? mw__text_width(v) + 1 : 0;
        if (tw + vw + 4 > w)
            tw = vw = 0;
        if (tw) {
            mw__canvas_text(cv, x, y, tw - 1, sp->title, MW__ST_TITLE);
            mw__canvas_text(cv, x + w - vw + 1, y, vw, v, sp->style);
        }
        mw__chart_columns_run(r, sp->tiers, ix, sp->from, sp->to, sp->t_from, sp->t_to, sp->field, w - tw - vw, cols);
        summarise(r, sp, cols, w - tw - vw, res);
        draw_sparkline(cv, x + tw, y, w - tw - vw, cols, &ax, res, sp, g);
    } else {
        title_row(cv, x, y, w, sp, res, g);
        if (h == 2) {
            draw_sparkline(cv, x, y + 1, w, cols, &ax, res, sp, g);
        } else {
            if (gw)
                draw_gutter(cv, x, y + 1, gw, rows, &ax, g);
            draw_plot(cv, px, y + 1, pw, rows, cols, &ax, sp, g);
            draw_lines(cv, px, y + 1, pw, rows, &ax, sp, g);
            if (other)
                draw_other(cv, px, y + 1, rows, oc, pw, &ax, g);
            int ay = y + 1 + rows;
            for (int i = 0; i < pw; i++) {
                bool mark = cols[i].n && (cols[i].flags & MW_SAMPLE_MARK);
                mw__canvas_put(cv, px + i, ay, mark ? g->mark_axis : g->hline,
                               mark ? MW__ST_MARK : MW__ST_DIM);
            }
            if (res->peak_col >= 0)
                mw__canvas_put(cv, px + res->peak_col, ay, g->peak, MW__ST_PEAK);
        }
    }
    free(cols);
}
