/* SPDX-License-Identifier: MIT */
/* proclist.c — the process picker's model: merge scans, remember each process's first RSS, filter, sort, select. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "memwatch.h"
#include "proclist.h"

void mw__proclist_destroy(mw__proclist *l)
{
    free(l->rows);
    free(l->shown);
    memset(l, 0, sizeof(*l));
}

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* ASCII case folding only: a UTF-8 byte never equals an ASCII letter, so it stays exact. */
static bool contains_nocase(const char *hay, const char *needle)
{
    size_t nl = strlen(needle);
    if (nl == 0)
        return true;
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < nl && hay[i] && lower(hay[i]) == lower(needle[i]))
            i++;
        if (i == nl)
            return true;
    }
    return false;
}

bool mw__proclist_matches(const mw__proclist *l, const mw__pick_row *r)
{
    char name[sizeof(r->name) + 1];
    memcpy(name, r->name, sizeof(r->name));
    name[sizeof(r->name)] = '\0';
    return contains_nocase(name, l->filter) || contains_nocase(r->cmdline, l->filter);
}

/* Largest RSS first, then the lower PID: a stable order for equal sizes. The rows themselves are
 * kept in this order (sorted at each update), so the shown list, taken in row order, is too. */
static int by_rss(const void *a, const void *b)
{
    const mw__pick_row *x = a, *y = b;
    if (x->rss != y->rss)
        return x->rss < y->rss ? 1 : -1;
    return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Rebuild shown from rows and the filter; the selection stays on sel_pid if shown, else at
 * top_if_lost ? 0 : the same index (clamped) — a process that ended leaves its neighbour
 * selected, a filter that hides it starts from the top. */
static int reshow(mw__proclist *l, bool top_if_lost)
{
    if (l->shown_cap < l->n) {
        size_t *ns = realloc(l->shown, l->n * sizeof(*ns));
        if (!ns)
            return MW_ENOMEM;
        l->shown = ns;
        l->shown_cap = l->n;
    }
    l->nshown = 0;
    for (size_t i = 0; i < l->n; i++)
        if (mw__proclist_matches(l, &l->rows[i]))
            l->shown[l->nshown++] = i;
    size_t sel = top_if_lost ? 0 : l->sel;
    for (size_t i = 0; i < l->nshown; i++) {
        const mw__pick_row *r = &l->rows[l->shown[i]];
        if (r->pid == l->sel_pid && r->start_time == l->sel_start) {
            sel = i;
            break;
        }
    }
    l->sel = l->nshown == 0 ? 0 : sel < l->nshown ? sel : l->nshown - 1;
    const mw__pick_row *r = mw__proclist_selected(l);
    if (r) {
        l->sel_pid = r->pid;
        l->sel_start = r->start_time;
    }
    return 0;
}

/* The previous row of the same process (PID and start time), or NULL. */
static const mw__pick_row *find_old(const mw__pick_row *old, size_t nold, const mw__proc_brief *b)
{
    for (size_t i = 0; i < nold; i++) /* linear: a few hundred rows, once a second */
        if (old[i].pid == b->pid && old[i].start_time == b->start_time)
            return &old[i];
    return NULL;
}

int mw__proclist_update(mw__proclist *l, const mw__proc_brief *b, size_t n, mw__cmdline_fn fetch,
                        void *ctx)
{
    mw__pick_row *rows = malloc((n ? n : 1) * sizeof(*rows));
    if (!rows)
        return MW_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (b[i].pid == l->self)
            continue;
        mw__pick_row *r = &rows[k++];
        const mw__pick_row *o = find_old(l->rows, l->n, &b[i]);
        if (o) {
            *r = *o;
        } else {
            memset(r, 0, sizeof(*r));
            r->pid = b[i].pid;
            r->start_time = b[i].start_time;
            r->rss0 = b[i].rss;
            r->appeared = l->refreshes > 0;
            if (fetch)
                r->have_cmdline = fetch(ctx, r->pid, r->start_time, r->cmdline,
                                        sizeof(r->cmdline)) == 0;
        }
        r->rss = b[i].rss;
        memcpy(r->name, b[i].name, sizeof(r->name));
    }
    qsort(rows, k, sizeof(*rows), by_rss);
    free(l->rows);
    l->rows = rows;
    l->n = k;
    l->cap = k;
    l->refreshes++;
    return reshow(l, false);
}

void mw__proclist_type(mw__proclist *l, uint32_t cp)
{
    char u[4];
    int len = mw__utf8_put(u, cp);
    size_t at = strlen(l->filter);
    if (len <= 0 || at + (size_t)len >= sizeof(l->filter) || cp < 0x20 || cp == 0x7f)
        return;
    memcpy(l->filter + at, u, (size_t)len);
    l->filter[at + (size_t)len] = '\0';
    reshow(l, true);
}

void mw__proclist_backspace(mw__proclist *l)
{
    size_t at = strlen(l->filter);
    if (at == 0)
        return;
    while (at > 0 && ((unsigned char)l->filter[at - 1] & 0xC0) == 0x80)
        at--; /* continuation bytes of the last code point */
    l->filter[at > 0 ? at - 1 : 0] = '\0';
    reshow(l, true);
}

void mw__proclist_clear_filter(mw__proclist *l)
{
    l->filter[0] = '\0';
    reshow(l, true);
}

static void select_at(mw__proclist *l, size_t i)
{
    if (l->nshown == 0)
        return;
    l->sel = i < l->nshown ? i : l->nshown - 1;
    const mw__pick_row *r = mw__proclist_selected(l);
    l->sel_pid = r->pid;
    l->sel_start = r->start_time;
}

void mw__proclist_move(mw__proclist *l, long delta)
{
    long to = (long)l->sel + delta;
    select_at(l, to < 0 ? 0 : (size_t)to);
}

void mw__proclist_home(mw__proclist *l) { select_at(l, 0); }
void mw__proclist_end(mw__proclist *l) { select_at(l, l->nshown ? l->nshown - 1 : 0); }

const mw__pick_row *mw__proclist_selected(const mw__proclist *l)
{
    return l->nshown ? &l->rows[l->shown[l->sel]] : NULL;
}
