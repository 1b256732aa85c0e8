/* SPDX-License-Identifier: MIT */
/* whereview.c — the "where it went" overlay: the smaps groups that grew since the mark or the start, largest first. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "smapsparse.h"
#include "units.h"
#include "viewparts.h"

/* Pure like the rest of the view: the program's worker thread reads smaps and makes the diff;
 * this only lays out what info->where holds. The box covers the charts (rows 2 .. h-3), so the
 * header, status line and footer stay in sight. */

static void ms_text(char *buf, size_t n, int64_t ns)
{
    snprintf(buf, n, "%lld ms", (long long)((ns + 500000) / 1000000));
}

/* "read 12.3 MiB, 100000 mappings in 850 ms (grouped in 20 ms)" */
static void cost_line(mw__line *l, const mw__where_info *w)
{
    char buf[160], b[32], r[24], g[24];
    ms_text(r, sizeof(r), w->read_ns);
    ms_text(g, sizeof(g), w->group_ns);
    snprintf(buf, sizeof(buf), "read %s, %zu mappings in %s (grouped in %s)",
             mw__format_bytes(b, sizeof(b), w->bytes), w->mappings, r, g);
    mw__line_add(l, 0, buf, MW__ST_HELP);
    if (w->diff) {
        snprintf(buf, sizeof(buf), "all mappings %s",
                 mw__format_bytes_signed(b, sizeof(b), w->diff->total_growth));
        mw__line_add(l, 2, buf, w->diff->total_growth > 0 ? MW__ST_GROWTH : MW__ST_HELP);
    }
}

/* One group: "  +84.0 MiB   85.0 MiB  new  [heap]" */
static void group_row(mw__line *l, const mw__smaps_row *r, bool ascii)
{
    char g[32], now[32], cells[80];
    static const char *const tag[] = {"    ", "new ", "gone"};
    snprintf(cells, sizeof(cells), "%11s %10s %s",
             mw__format_bytes_signed(g, sizeof(g), r->growth),
             mw__format_bytes(now, sizeof(now), r->rss_now), tag[r->change <= 2 ? r->change : 0]);
    mw__line_add(l, 0, cells, r->growth > 0 ? MW__ST_GROWTH : MW__ST_HELP);
    mw__line_add_cut(l, 1, r->name, MW__ST_HELP, ascii);
}

static void rows(mw__canvas *cv, int x, int y, int w, int h, const mw__where_info *wi,
                 mw__ui_state *st)
{
    const mw__smaps_diff *d = wi->diff;
    mw__line l;
    mw__line_init(&l, cv, x, y, w);
    mw__line_add(&l, 0, "     growth    RSS now      group", MW__ST_TITLE);
    int page = h - 1;
    st->where_page = page;
    size_t max_top = d->n > (size_t)page ? d->n - (size_t)page : 0;
    if (st->where_top > max_top)
        st->where_top = max_top;
    for (int i = 0; i < page && st->where_top + (size_t)i < d->n; i++) {
        mw__line_init(&l, cv, x, y + 1 + i, w);
        group_row(&l, &d->rows[st->where_top + (size_t)i], st->ascii);
    }
}

void mw__view_where(mw__canvas *cv, const mw__view_info *info, mw__ui_state *st)
{
    const mw__where_info *wi = &info->where;
    int bw = cv->w < 100 ? cv->w : 100, bh = cv->h - 4;
    int x0 = (cv->w - bw) / 2, y0 = 2;
    if (bh < 4)
        return;
    mw__view_box(cv, x0, y0, bw, bh, st->ascii);
    char title[160];
    snprintf(title, sizeof(title), " where it went: smaps since %s ",
             wi->have && !wi->error && wi->since ? wi->since : "the mark or start");
    mw__line l;
    mw__line_init(&l, cv, x0 + 2, y0, bw - 4);
    mw__line_add_cut(&l, 0, title, MW__ST_TITLE, st->ascii);
    mw__line_init(&l, cv, x0 + 2, y0 + bh - 1, bw - 4);
    mw__line_add(&l, 0, st->ascii ? " e export CSV  Up/Down scroll  Esc close "
                                  : " e export CSV  \u2191/\u2193 scroll  Esc close ",
                 MW__ST_HELP);

    mw__line_init(&l, cv, x0 + 2, y0 + 1, bw - 4);
    if (wi->have && wi->error)
        mw__line_add_cut(&l, 0, wi->error, MW__ST_ERROR, st->ascii);
    else if (wi->have)
        cost_line(&l, wi);
    if (wi->busy)
        mw__line_add(&l, 2,
                     wi->busy_baseline ? "(reading the baseline...)"
                     : wi->have        ? "(reading again...)"
                                       : "reading smaps...",
                     MW__ST_DIM);
    if (wi->have && !wi->error && wi->diff && bh > 4)
        rows(cv, x0 + 2, y0 + 2, bw - 4, bh - 3, wi, st);
}
