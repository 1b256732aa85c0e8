/* SPDX-License-Identifier: MIT */
/* keys.c — key -> action, and the UI state transitions (pause, scroll, zoom, help, prompt). */
#include "config.h"

#include <string.h>

#include "keys.h"

/* Rows in the help overlay's order; `footer` gives the footer's (most used first, so the keys
 * that matter most survive a narrow terminal). */
const mw__keyrow mw__keytab[] = {
    {{{' ', MW__ACT_PAUSE}, {'p', MW__ACT_PAUSE}},
     "space, p", "pause / resume the view (sampling goes on)", 2, "space", "pause", "resume"},
    {{{'+', MW__ACT_FASTER}, {'=', MW__ACT_FASTER}, {'-', MW__ACT_SLOWER}, {'_', MW__ACT_SLOWER}},
     "+ / -", "sample faster / slower (10ms .. 10s)", 4, "+/-", "interval", NULL},
    {{{MW__KEY_LEFT, MW__ACT_LEFT}, {MW__KEY_RIGHT, MW__ACT_RIGHT}},
     "\u2190 / \u2192", "scroll back / forward (pauses the view)",
     7, "\u2190/\u2192", "scroll", NULL},
    {{{MW__KEY_HOME, MW__ACT_HOME}, {MW__KEY_END, MW__ACT_END}},
     "Home / End", "the run's first / newest samples", 0, NULL, NULL, NULL},
    {{{'z', MW__ACT_ZOOM_IN}, {'Z', MW__ACT_ZOOM_OUT}},
     "z / Z", "zoom in / out: all 24h 6h 1h 15m 5m 1m 10s", 9, "z/Z", "zoom", NULL},
    {{{'m', MW__ACT_MARK_BEGIN}}, "m", "drop a mark (type a label, Enter)", 6, "m", "mark", NULL},
    {{{'t', MW__ACT_TABLE}},
     "t", "processes of the tree, largest first (-c)", 8, "t", "procs", NULL},
    {{{MW__KEY_UP, MW__ACT_TABLE_UP}, {MW__KEY_DOWN, MW__ACT_TABLE_DOWN},
      {MW__KEY_PGUP, MW__ACT_TABLE_PGUP}, {MW__KEY_PGDN, MW__ACT_TABLE_PGDN}},
     "\u2191/\u2193 PgUp/PgDn", "scroll the process table", 0, NULL, NULL, NULL},
    {{{'w', MW__ACT_WHERE}},
     "w", "where it went: smaps growth since the mark", 11, "w", "where", NULL},
    {{{'r', MW__ACT_BASELINE}},
     "r", "reset the baseline for growth figures", 10, "r", "baseline", NULL},
    {{{'e', MW__ACT_EXPORT}}, "e", "export the whole history to CSV", 5, "e", "export", NULL},
    {{{'T', MW__ACT_WALL_TIME}}, "T", "times: elapsed / wall clock (local HH:MM:SS)", 0, NULL,
     NULL, NULL},
    {{{'0', MW__ACT_Y_ZERO}}, "0", "y-axis from 0 / fitted to the data (default)", 0, NULL,
     NULL, NULL},
    {{{'?', MW__ACT_HELP}, {'h', MW__ACT_HELP}, {MW__KEY_ESC, MW__ACT_CLOSE}},
     "? / h", "this help (Esc closes any overlay or table)", 3, "?", "help", NULL},
    {{{'q', MW__ACT_QUIT}, {MW__KEY_CTRL_C, MW__ACT_QUIT}},
     "q, Ctrl-C", "quit (q over this help closes it)", 1, "q", "quit", NULL},
    {{{MW__KEY_F1, MW__ACT_HELP}, {MW__KEY_F10, MW__ACT_QUIT}},
     "F1 / F10", "help / quit, as in htop", 0, NULL, NULL, NULL},
};
const int mw__keytab_n = (int)(sizeof(mw__keytab) / sizeof(mw__keytab[0]));

/* Terminals send some keys as plain control codes: one name for each. */
static mw__key normalise(mw__key k)
{
    switch (k) {
    case '\r':
    case '\n': return MW__KEY_ENTER;
    case 27: return MW__KEY_ESC;
    case 127:
    case 8: return MW__KEY_BACKSPACE;
    case 3: return MW__KEY_CTRL_C;
    default: return k;
    }
}

static mw__action table_action(mw__key k)
{
    for (int i = 0; i < mw__keytab_n; i++)
        for (int j = 0; j < MW__KEYROW_BINDS && mw__keytab[i].bind[j].key; j++)
            if (mw__keytab[i].bind[j].key == k)
                return mw__keytab[i].bind[j].action;
    return MW__ACT_NONE;
}

/* While a label is typed, keys are text; Enter, Esc and Backspace edit it. */
static mw__action prompt_action(mw__key raw, mw__key k)
{
    if (k == MW__KEY_ENTER)
        return MW__ACT_MARK;
    if (k == MW__KEY_ESC)
        return MW__ACT_MARK_CANCEL;
    if (k == MW__KEY_BACKSPACE)
        return MW__ACT_PROMPT_BACK;
    return raw >= 0x20 && raw != 0x7f && mw__cp_is_narrow((uint32_t)raw) ? MW__ACT_PROMPT_CHAR
                                                                          : MW__ACT_NONE;
}

mw__action mw__key_action(const mw__ui_state *st, mw__key raw)
{
    mw__key k = normalise(raw);
    if (k == MW__KEY_RESIZE)
        return MW__ACT_REDRAW;
    if (st->prompt && k != MW__KEY_CTRL_C) /* Ctrl-C quits even while typing */
        return prompt_action(raw, k);
    mw__action a = table_action(k);
    if (a == MW__ACT_CLOSE && !st->help && !st->table && !st->where)
        return MW__ACT_NONE; /* Esc means something only over the help, an overlay or the table */
    if (a >= MW__ACT_TABLE_UP && a <= MW__ACT_TABLE_PGDN && ((!st->table && !st->where) || st->help))
        return MW__ACT_NONE; /* the arrows scroll only the table, or the where overlay */
    if (k == 'q' && (st->help || st->where))
        return MW__ACT_CLOSE; /* leaving the overlay, not the program (F10 and Ctrl-C still quit) */
    if (a == MW__ACT_EXPORT && st->where && !st->help)
        return MW__ACT_WHERE_EXPORT; /* over the where overlay, e exports what it shows */
    return a;
}

/* Freeze the view where it is (scrolling and Home pause it: a moving window cannot be read). */
static void pause_view(mw__ui_state *st, const mw__capture *c)
{
    if (st->paused)
        return;
    st->paused = true;
    st->paused_at = st->view_end = c ? mw__ring_end(&c->ring) : 0;
}

/* The largest ladder span shorter than the whole window, so `z` from "all" always narrows. */
static int zoom_below(const mw__window *w)
{
    for (int z = 1; z < MW__ZOOM_LEVELS; z++)
        if (mw__zoom_span_ns(z) < w->t_to - w->t_first)
            return z;
    return 0;
}

/* Move the paused view so that its newest sample is the last at or before t. Before the ring
 * the view ends with a whole bucket (the tiers know no finer, tiers.h): the last one ending at
 * or before t, or with up, the one holding t (so a step forward always moves, however wide the
 * buckets). Never before the run's first sample. */
static void scroll_to(mw__ui_state *st, const mw__capture *c, int64_t t, bool up)
{
    const mw__ring *r = &c->ring;
    uint64_t first = mw__ring_first(r), end = mw__ring_end(r), lo = mw__run_first(c) + 1;
    const mw__tiers *tr = &c->tiers;
    uint64_t s;
    if (lo <= first && t < mw__ring_at(r, first)->t_ns) {
        const mw__bucket *b = mw__tiers_at(tr, mw__tiers_seek_time(tr, t)); /* ends at/after t */
        s = !b ? first : b->t_last <= t || (up && b->t_first <= t) ? b->seq_end : b->seq_first;
    } else {
        s = mw__ring_seek_time(r, first, end, t + 1); /* first sample after t */
    }
    st->view_end = s > lo ? s : lo;
}

static void scroll(mw__ui_state *st, const mw__capture *c, mw__action a)
{
    if (!c || mw__ring_end(&c->ring) == 0)
        return;
    pause_view(st, c);
    mw__window w;
    mw__view_window(st, c, &w);
    if (st->zoom == 0 && a != MW__ACT_END) {
        st->zoom = zoom_below(&w); /* everything is on screen: narrow first, then move */
        if (st->zoom == 0)
            return;
    }
    int64_t span = mw__zoom_span_ns(st->zoom);
    if (a == MW__ACT_LEFT)
        scroll_to(st, c, w.t_to - span / 4 < w.t_first + span ? w.t_first + span : w.t_to - span / 4, false);
    else if (a == MW__ACT_RIGHT)
        scroll_to(st, c, w.t_to + span / 4, true);
    else if (a == MW__ACT_HOME)
        scroll_to(st, c, w.t_first + span, false);
    else
        st->view_end = mw__ring_end(&c->ring);
}

static void zoom(mw__ui_state *st, const mw__capture *c, int dir)
{
    if (dir > 0) {
        if (st->zoom == 0 && c && mw__ring_end(&c->ring)) {
            mw__window w;
            mw__view_window(st, c, &w);
            st->zoom = zoom_below(&w);
        } else if (st->zoom > 0 && st->zoom + 1 < MW__ZOOM_LEVELS) {
            st->zoom++;
        }
    } else if (st->zoom > 0) {
        int z = st->zoom - 1;
        if (z > 0 && c && mw__ring_end(&c->ring)) {
            mw__window w;
            st->zoom = 0;
            mw__view_window(st, c, &w); /* a span wider than everything is just "all" */
            if (mw__zoom_span_ns(z) >= w.t_to - w.t_first)
                z = 0;
        }
        st->zoom = z;
    }
}

static void prompt_char(mw__ui_state *st, mw__key k)
{
    char enc[4];
    int n = mw__utf8_put(enc, (uint32_t)k);
    size_t len = strlen(st->label);
    if (n > 0 && len + (size_t)n < sizeof(st->label)) {
        memcpy(st->label + len, enc, (size_t)n);
        st->label[len + (size_t)n] = '\0';
    }
}

static void prompt_back(mw__ui_state *st)
{
    size_t len = strlen(st->label);
    while (len > 0 && ((unsigned char)st->label[len - 1] & 0xc0) == 0x80)
        len--; /* continuation bytes of the last character */
    if (len > 0)
        len--;
    st->label[len] = '\0';
}

/* Move the table's first row; the view clamps it to the rows it has (it alone knows them). */
static void table_scroll(mw__ui_state *st, mw__action a)
{
    /* The where overlay is drawn over the table: it scrolls first. */
    size_t *top = st->where ? &st->where_top : &st->table_top;
    int rows = st->where ? st->where_page : st->table_page;
    size_t page = rows > 1 ? (size_t)rows - 1 : 1; /* keep a row of context */
    size_t by = a == MW__ACT_TABLE_UP || a == MW__ACT_TABLE_DOWN ? 1 : page;
    if (a == MW__ACT_TABLE_UP || a == MW__ACT_TABLE_PGUP)
        *top = *top > by ? *top - by : 0;
    else
        *top += by;
}

/* The overlays: help, the where-it-went diff and the process table (one of each at a time). */
static mw__action overlay(mw__ui_state *st, mw__action a)
{
    switch (a) {
    case MW__ACT_HELP:
        st->help = !st->help;
        return MW__ACT_NONE;
    case MW__ACT_CLOSE: /* the help first: it is drawn over the where overlay, that over the table */
        if (st->help)
            st->help = false;
        else if (st->where)
            st->where = false;
        else
            st->table = false;
        return MW__ACT_NONE;
    case MW__ACT_TABLE:
        st->table = !st->table;
        st->help = false;
        st->table_top = 0;
        return st->table ? MW__ACT_TABLE_OPENED : MW__ACT_NONE;
    case MW__ACT_WHERE:
        st->where = !st->where;
        st->help = false;
        st->where_top = 0;
        return st->where ? MW__ACT_WHERE_OPENED : MW__ACT_NONE;
    default:
        return MW__ACT_NONE;
    }
}

mw__action mw__ui_apply(mw__ui_state *st, mw__action a, mw__key k, const mw__capture *c)
{
    switch (a) {
    case MW__ACT_PAUSE:
        if (st->paused)
            st->paused = false;
        else
            pause_view(st, c);
        return MW__ACT_NONE;
    case MW__ACT_LEFT:
    case MW__ACT_RIGHT:
    case MW__ACT_HOME:
    case MW__ACT_END:
        scroll(st, c, a);
        return MW__ACT_NONE;
    case MW__ACT_ZOOM_IN:
    case MW__ACT_ZOOM_OUT: {
        int before = st->zoom;
        zoom(st, c, a == MW__ACT_ZOOM_IN ? 1 : -1);
        if (st->zoom != before)
            return MW__ACT_NONE;
        return a == MW__ACT_ZOOM_IN ? MW__ACT_ZOOM_IN_LIMIT : MW__ACT_ZOOM_OUT_LIMIT;
    }
    case MW__ACT_BASELINE:
        if (c && mw__ring_end(&c->ring)) {
            mw__window w;
            mw__sample buf;
            mw__view_window(st, c, &w);
            const mw__sample *s = mw__window_newest(c, &w, &buf);
            st->have_baseline = true;
            st->baseline_rss = s->rss;
            st->baseline_t_ns = s->t_ns;
        }
        return MW__ACT_NONE;
    case MW__ACT_HELP:
    case MW__ACT_CLOSE:
    case MW__ACT_TABLE:
    case MW__ACT_WHERE:
        return overlay(st, a);
    case MW__ACT_TABLE_UP:
    case MW__ACT_TABLE_DOWN:
    case MW__ACT_TABLE_PGUP:
    case MW__ACT_TABLE_PGDN:
        table_scroll(st, a);
        return MW__ACT_NONE;
    case MW__ACT_MARK_BEGIN:
        st->prompt = true;
        st->help = false;
        st->label[0] = '\0';
        return MW__ACT_NONE;
    case MW__ACT_PROMPT_CHAR:
        prompt_char(st, k);
        return MW__ACT_NONE;
    case MW__ACT_PROMPT_BACK:
        prompt_back(st);
        return MW__ACT_NONE;
    case MW__ACT_MARK_CANCEL:
        st->prompt = false;
        st->label[0] = '\0';
        return MW__ACT_NONE;
    case MW__ACT_MARK:
        st->prompt = false;
        return MW__ACT_MARK;
    case MW__ACT_Y_ZERO:
        st->y_zero = !st->y_zero;
        return MW__ACT_NONE;
    case MW__ACT_WALL_TIME:
        st->wall_time = !st->wall_time;
        return MW__ACT_NONE;
    default:
        return a; /* NONE, or a side effect for the caller */
    }
}

mw__action mw__ui_key(mw__ui_state *st, mw__key k, const mw__capture *c)
{
    return mw__ui_apply(st, mw__key_action(st, k), k, c);
}
