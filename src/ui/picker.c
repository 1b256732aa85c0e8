/* SPDX-License-Identifier: MIT */
/* picker.c — draws the process picker (memwatch with no target) from its model: title, filter, rows, keys. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "picker.h"
#include "units.h"

typedef enum col_id { C_PID, C_NAME, C_RSS, C_GROWTH, C_CMD, C_N } col_id;

/* Left to right; what does not fit drops from the right, as in the process table (key t). */
static const struct {
    const char *head;
    int width;
    bool right;
} cols[C_N] = {
    [C_PID] = {"PID", 7, true},     [C_NAME] = {"NAME", 15, false}, [C_RSS] = {"RSS", 10, true},
    [C_GROWTH] = {"GROWTH", 11, true}, [C_CMD] = {"COMMAND", 8, false},
};

enum { TOP_ROWS = 3, BOTTOM_ROWS = 1 }; /* title, filter, header; the help line */

int mw__picker_page(int h) { return h > TOP_ROWS + BOTTOM_ROWS ? h - TOP_ROWS - BOTTOM_ROWS : 1; }

typedef struct layout {
    int x[C_N], w[C_N]; /* w 0: not shown */
} layout;

static void fit(layout *lo, int w)
{
    memset(lo, 0, sizeof(*lo));
    int at = 0;
    for (int c = 0; c < C_N; c++) {
        int gap = c == C_PID ? 0 : 1, cw = cols[c].width;
        if (c == C_CMD && w - at - gap > cw)
            cw = w - at - gap; /* the command line takes the rest */
        if (at + gap + cw > w)
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

static void draw_row(mw__canvas *cv, const layout *lo, int y, const mw__pick_row *r, bool sel,
                     bool ascii)
{
    char buf[64], raw[sizeof(r->name) + 1], name[4 * sizeof(r->name) + 1];
    if (sel)
        mw__canvas_fill(cv, 0, y, cv->w, 1, ' ', MW__ST_PAUSED);
    mw__style st = sel ? MW__ST_PAUSED : MW__ST_NORMAL;
    snprintf(buf, sizeof(buf), "%ld", (long)r->pid);
    cell(cv, lo, C_PID, y, buf, st, ascii);
    memcpy(raw, r->name, sizeof(r->name));
    raw[sizeof(r->name)] = '\0'; /* the process chose these bytes: escaped */
    cell(cv, lo, C_NAME, y, mw__safe_text(name, sizeof(name), raw), st, ascii);
    cell(cv, lo, C_RSS, y, mw__format_bytes(buf, sizeof(buf), r->rss), sel ? st : MW__ST_RSS,
         ascii);
    int64_t d = r->rss >= r->rss0 ? (int64_t)(r->rss - r->rss0) : -(int64_t)(r->rss0 - r->rss);
    if (r->appeared)
        snprintf(buf, sizeof(buf), "new");
    else if (d == 0)
        buf[0] = '\0'; /* blank: nothing to read in a column of "+0 B" */
    else
        mw__format_bytes_signed(buf, sizeof(buf), d);
    cell(cv, lo, C_GROWTH, y, buf, sel ? st : d > 0 ? MW__ST_GROWTH : MW__ST_DIM, ascii);
    cell(cv, lo, C_CMD, y, r->cmdline, sel ? st : MW__ST_DIM, ascii);
}

static void draw_title(mw__canvas *cv, const mw__proclist *l)
{
    char buf[64];
    mw__line t;
    mw__line_init(&t, cv, 0, 0, cv->w);
    snprintf(buf, sizeof(buf), "%zu of %zu", l->nshown, l->n);
    mw__line_right(&t, 2, buf, MW__ST_DIM);
    if (!mw__line_add(&t, 0, l->all_users ? "memwatch: pick a process (all users', by RSS)"
                                           : "memwatch: pick a process (yours, by RSS)",
                      MW__ST_TITLE))
        mw__line_add(&t, 0, l->all_users ? "pick (all users)" : "pick (yours)", MW__ST_TITLE);
}

static void draw_filter(mw__canvas *cv, const mw__proclist *l, const mw__picker_opts *o)
{
    char shown[4 * sizeof(l->filter) + 2];
    mw__line f;
    mw__line_init(&f, cv, 0, 1, cv->w);
    mw__line_right(&f, 2, o->children ? "tree (-c): ON" : "tree (-c): off",
                   o->children ? MW__ST_STATUS : MW__ST_DIM);
    mw__safe_text(shown, sizeof(shown) - 1, l->filter);
    strcat(shown, "_"); /* where typing goes: the cursor is hidden */
    mw__line_add_pair(&f, 0, "filter:", MW__ST_KEY, l->filter[0] ? shown : "_ (type a name)",
                      l->filter[0] ? MW__ST_NORMAL : MW__ST_DIM);
}

/* The keys, most needed first: what does not fit is left off whole. q types into a filter that
 * has text, so the line says which key quits now. */
static void draw_help(mw__canvas *cv, const mw__proclist *l, bool ascii)
{
    mw__line k;
    mw__line_init(&k, cv, 0, cv->h - 1, cv->w);
    mw__line_add_pair(&k, 0, "Enter", MW__ST_KEY, "watch", MW__ST_NORMAL);
    mw__line_add_pair(&k, 2, l->filter[0] ? "Tab" : "c/Tab", MW__ST_KEY, "tree", MW__ST_NORMAL);
    if (l->filter[0])
        mw__line_add_pair(&k, 2, "Esc", MW__ST_KEY, "clear filter", MW__ST_NORMAL);
    else
        mw__line_add_pair(&k, 2, "Esc/q", MW__ST_KEY, "quit", MW__ST_NORMAL);
    mw__line_add_pair(&k, 2, ascii ? "^v" : "\u2191\u2193", MW__ST_KEY, "move", MW__ST_NORMAL);
    mw__line_add(&k, 2, "type to filter", MW__ST_DIM);
}

long mw__picker_row_at(const mw__proclist *l, int h, int y)
{
    int page = mw__picker_page(h);
    if (h < TOP_ROWS + BOTTOM_ROWS + 1 || y < TOP_ROWS || y >= TOP_ROWS + page)
        return -1;
    size_t k = l->top + (size_t)(y - TOP_ROWS);
    return k < l->nshown ? (long)k : -1;
}

void mw__picker_draw(mw__canvas *cv, mw__proclist *l, const mw__picker_opts *o)
{
    mw__canvas_clear(cv);
    if (cv->w <= 0 || cv->h <= 0)
        return;
    draw_title(cv, l);
    if (cv->h < 2)
        return;
    draw_filter(cv, l, o);
    if (cv->h < TOP_ROWS + BOTTOM_ROWS + 1)
        return;
    layout lo;
    fit(&lo, cv->w);
    for (int c = 0; c < C_N; c++)
        cell(cv, &lo, (col_id)c, 2, cols[c].head, MW__ST_DIM, o->ascii);
    draw_help(cv, l, o->ascii);
    size_t page = (size_t)mw__picker_page(cv->h);
    if (o->error || l->nshown == 0) {
        const char *why = o->error ? o->error
                          : l->filter[0] ? "no process matches the filter (Esc clears it)"
                                         : "no process to show";
        mw__canvas_text(cv, 0, TOP_ROWS, cv->w, why, o->error ? MW__ST_ERROR : MW__ST_DIM);
        return;
    }
    if (l->sel < l->top) /* keep the selection on screen */
        l->top = l->sel;
    if (l->sel >= l->top + page)
        l->top = l->sel - page + 1;
    if (l->top + page > l->nshown)
        l->top = l->nshown > page ? l->nshown - page : 0;
    for (size_t i = 0; i < page && l->top + i < l->nshown; i++) {
        size_t k = l->top + i;
        draw_row(cv, &lo, TOP_ROWS + (int)i, &l->rows[l->shown[k]], k == l->sel, o->ascii);
    }
}
