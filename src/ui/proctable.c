/* SPDX-License-Identifier: MIT */
/* proctable.c — draws the process table overlay (key t) from rows the program fetched. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proctable.h"
#include "units.h"

/* Why a view of its own: the rows are the library's (mw_watcher_get_processes), fetched by the
 * program each frame while the table is open; this file only lays them out, so it can be tested
 * on any rows, hostile names and narrow terminals included. */

typedef enum col_id { C_PID, C_MARK, C_NAME, C_RSS, C_PSS, C_SHARE, C_GROWTH, C_SPIKE, C_N } col_id;

/* The columns, left to right: what does not fit drops from the right, never half drawn. */
static const struct {
    const char *head;
    int width;  /* NAME: the most it takes; it takes the widest escaped name up to that (a
                   longer one is cut with a '…') */
    bool right; /* right-aligned: numbers */
} cols[C_N] = {
    [C_PID] = {"PID", 7, true},       [C_MARK] = {"", 2, false},
    [C_NAME] = {"NAME", 24, false},   [C_RSS] = {"RSS", 10, true},
    [C_PSS] = {"PSS", 10, true},      [C_SHARE] = {"SHARE", 6, true},
    [C_GROWTH] = {"GROWTH", 21, false}, [C_SPIKE] = {"SPIKE", 14, false},
};
#define NAME_MIN 4

typedef struct layout {
    int x[C_N], w[C_N]; /* w 0: the column is not shown */
} layout;

/* What the title and the columns need from all the rows. */
typedef struct totals {
    uint64_t rss, pss;  /* sums over the rows (pss: over the rows that have it) */
    int name_w;         /* the widest escaped name */
    bool pss_on;        /* some row has MW_HAVE_PSS: the PSS column shows, SHARE is of PSS */
    bool spike, root;   /* some row has the marker: the title explains it */
} totals;

/* The name is the process's own bytes, not NUL-terminated at 16: escaped before use. */
#define NAME_BUF (4 * sizeof(((mw_tree_process *)0)->name) + 1)
static const char *safe_name(const mw_tree_process *r, char *out)
{
    char raw[sizeof(r->name) + 1];
    memcpy(raw, r->name, sizeof(r->name));
    raw[sizeof(r->name)] = '\0';
    return mw__safe_text(out, NAME_BUF, raw);
}

static void sum_up(const mw_tree_process *rows, size_t n, totals *t)
{
    memset(t, 0, sizeof(*t));
    t->name_w = NAME_MIN;
    for (size_t i = 0; i < n; i++) {
        const mw_tree_process *r = &rows[i];
        char name[NAME_BUF];
        int nw = mw__text_width(safe_name(r, name));
        if (nw > t->name_w)
            t->name_w = nw;
        t->rss += r->rss;
        if (r->valid & MW_HAVE_PSS) {
            t->pss += r->pss;
            t->pss_on = true;
        }
        t->spike |= (r->flags & MW_PROC_SPIKE) != 0;
        t->root |= (r->flags & MW_PROC_ROOT) != 0;
    }
}

static int by_rss(const void *a, const void *b)
{
    const mw_tree_process *x = *(const mw_tree_process *const *)a;
    const mw_tree_process *y = *(const mw_tree_process *const *)b;
    if (x->rss != y->rss)
        return x->rss < y->rss ? 1 : -1;
    return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The rows largest RSS first (ties by PID), in st's scratch; NULL (use the given order, which
 * the library already sorts so) when the scratch cannot grow. */
static const mw_tree_process **sorted(const mw_tree_process *rows, size_t n, mw__ui_state *st)
{
    if (n > st->table_order_cap) {
        const mw_tree_process **o = realloc(st->table_order, n * sizeof(*o));
        if (!o)
            return NULL;
        st->table_order = o;
        st->table_order_cap = n;
    }
    for (size_t i = 0; i < n; i++)
        st->table_order[i] = &rows[i];
    if (n > 1)
        qsort(st->table_order, n, sizeof(*st->table_order), by_rss);
    return st->table_order;
}

/* Place the columns in [x, x + w): PID, marker and NAME always (NAME shrinks, to leave RSS
 * room first), then each next one while it fits whole. */
static void fit(layout *lo, int x, int w, const totals *t)
{
    memset(lo, 0, sizeof(*lo));
    int at = x, end = x + w;
    for (int c = 0; c < C_N; c++) {
        if (c == C_PSS && !t->pss_on)
            continue;
        int gap = c == C_PID ? 0 : 1, cw = cols[c].width;
        if (c == C_NAME) { /* as wide as the widest name, but leaving RSS its room */
            int room = end - at - gap, rss = 1 + cols[C_RSS].width;
            cw = t->name_w < cw ? t->name_w : cw;
            if (cw > room - rss)
                cw = room - rss >= NAME_MIN ? room - rss : room;
        }
        if (cw < (c == C_NAME ? NAME_MIN : cols[c].width) || at + gap + cw > end)
            break;
        lo->x[c] = at + gap;
        lo->w[c] = cw;
        at += gap + cw;
    }
}

static void cell(mw__canvas *cv, const layout *lo, col_id c, int y, const char *text, mw__style st,
                 bool ascii)
{
    mw__line_cell(cv, lo->x[c], lo->w[c], y, text, st, cols[c].right, ascii);
}

/* "processes of PID 4242: 37 (3 not readable)", then what fits of: the rows shown, what SHARE
 * is of, and the markers' meanings. */
static void draw_title(mw__canvas *cv, int x, int y, int w, const mw__proc_rows *p, long pid,
                       const totals *t, const mw__ui_state *st, size_t n)
{
    char buf[128];
    mw__line l;
    mw__line_init(&l, cv, x, y, w);
    int k = snprintf(buf, sizeof(buf), "processes of PID %ld: %zu", pid, p->total > n ? p->total : n);
    if (p->unreadable)
        snprintf(buf + k, sizeof(buf) - (size_t)k, " (%u not readable)", (unsigned)p->unreadable);
    mw__line_add_cut(&l, 0, buf, MW__ST_TITLE, st->ascii);
    if (n > (size_t)st->table_page) {
        size_t last = st->table_top + (size_t)st->table_page;
        snprintf(buf, sizeof(buf), "%zu-%zu of %zu %s", st->table_top + 1, last > n ? n : last, n,
                 st->ascii ? "^v PgUp/PgDn" : "\u2191\u2193 PgUp/PgDn");
        mw__line_right(&l, 2, buf, MW__ST_DIM);
    }
    mw__line_add(&l, 2, t->pss_on ? "share of PSS" : "share of RSS", MW__ST_DIM);
    if (t->root)
        mw__line_add(&l, 2, "* the target", MW__ST_DIM);
    if (t->spike)
        mw__line_add(&l, 2, "! peak between samples (kernel HWM)", MW__ST_DIM);
}

/* "+12.0 MiB in 1m20s": the growth since the process was first seen, and over how long. */
static void growth_text(char *buf, size_t n, const mw_tree_process *r, int64_t now_ns)
{
    char v[32], sp[16];
    int64_t d = r->rss >= r->first_rss ? (int64_t)(r->rss - r->first_rss)
                                       : -(int64_t)(r->first_rss - r->rss);
    int64_t seen = (int64_t)r->first_seen.tv_sec * 1000000000 + r->first_seen.tv_nsec;
    mw__format_bytes_signed(v, sizeof(v), d);
    if (now_ns > seen)
        snprintf(buf, n, "%s in %s", v, mw__format_span(sp, sizeof(sp), now_ns - seen));
    else
        snprintf(buf, n, "%s", v);
}

static void draw_row(mw__canvas *cv, const layout *lo, int y, const mw_tree_process *r,
                     const totals *t, int64_t now_ns, bool ascii)
{
    char buf[96], name[NAME_BUF];
    bool root = (r->flags & MW_PROC_ROOT) != 0, spike = (r->flags & MW_PROC_SPIKE) != 0;
    snprintf(buf, sizeof(buf), "%ld", (long)r->pid);
    cell(cv, lo, C_PID, y, buf, root ? MW__ST_TITLE : MW__ST_NORMAL, ascii);
    if (lo->w[C_MARK]) {
        if (root)
            mw__canvas_put(cv, lo->x[C_MARK], y, '*', MW__ST_TITLE);
        if (spike)
            mw__canvas_put(cv, lo->x[C_MARK] + 1, y, '!', MW__ST_HWM);
    }
    cell(cv, lo, C_NAME, y, safe_name(r, name), MW__ST_NORMAL, ascii);
    cell(cv, lo, C_RSS, y, mw__format_bytes(buf, sizeof(buf), r->rss), MW__ST_RSS, ascii);
    bool has_pss = (r->valid & MW_HAVE_PSS) != 0;
    cell(cv, lo, C_PSS, y, has_pss ? mw__format_bytes(buf, sizeof(buf), r->pss) : "-", MW__ST_PSS,
         ascii);
    uint64_t part = t->pss_on ? r->pss : r->rss, whole = t->pss_on ? t->pss : t->rss;
    if (whole && (!t->pss_on || has_pss))
        snprintf(buf, sizeof(buf), "%.1f%%", (double)part * 100.0 / (double)whole);
    else
        snprintf(buf, sizeof(buf), "-");
    cell(cv, lo, C_SHARE, y, buf, MW__ST_NORMAL, ascii);
    growth_text(buf, sizeof(buf), r, now_ns);
    cell(cv, lo, C_GROWTH, y, buf, r->rss > r->first_rss ? MW__ST_GROWTH : MW__ST_NORMAL, ascii);
    if (spike) {
        char v[32];
        snprintf(buf, sizeof(buf), "hwm %s", mw__format_bytes(v, sizeof(v), r->hwm));
        cell(cv, lo, C_SPIKE, y, buf, MW__ST_HWM, ascii);
    }
}

void mw__proctable_draw(mw__canvas *cv, int x, int y, int w, int h, const mw__proc_rows *p,
                        long pid, mw__ui_state *st)
{
    if (w <= 0 || h <= 0)
        return;
    mw__canvas_fill(cv, x, y, w, h, ' ', MW__ST_NORMAL);
    size_t n = p->rows ? p->n : 0;
    totals t;
    sum_up(p->rows, n, &t);
    const mw_tree_process **order = sorted(p->rows, n, st);
    size_t page = h > 2 ? (size_t)(h - 2) : 0;
    size_t max_top = n > page ? n - page : 0;
    if (st->table_top > max_top)
        st->table_top = max_top;
    st->table_page = (int)page;
    draw_title(cv, x, y, w, p, pid, &t, st, n);
    if (h < 2)
        return;
    layout lo;
    fit(&lo, x, w, &t);
    for (int c = 0; c < C_N; c++)
        cell(cv, &lo, (col_id)c, y + 1, cols[c].head, MW__ST_DIM, st->ascii);
    if (n == 0) {
        if (h > 2)
            mw__canvas_text(cv, x, y + 2, w, "no process read yet", MW__ST_DIM);
        return;
    }
    for (size_t i = 0; i < page && st->table_top + i < n; i++) {
        size_t k = st->table_top + i;
        draw_row(cv, &lo, y + 2 + (int)i, order ? order[k] : &p->rows[k], &t, p->now_ns, st->ascii);
    }
}
