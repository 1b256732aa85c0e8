/* SPDX-License-Identifier: MIT */
/* keys.c — key -> action, and the UI state transitions (pause, scroll, zoom, help, prompt). */
#include "config.h"

#include <string.h>

#include "keys.h"

static bool is_enter(mw__key k) { return k == MW__KEY_ENTER || k == '\r' || k == '\n'; }
static bool is_esc(mw__key k) { return k == MW__KEY_ESC || k == 27; }
static bool is_backspace(mw__key k) { return k == MW__KEY_BACKSPACE || k == 127 || k == 8; }
static bool is_ctrl_c(mw__key k) { return k == MW__KEY_CTRL_C || k == 3; }

mw__action mw__key_action(const mw__ui_state *st, mw__key k)
{
    if (k == MW__KEY_RESIZE)
        return MW__ACT_REDRAW;
    if (is_ctrl_c(k))
        return MW__ACT_QUIT;
    if (st->prompt) {
        if (is_enter(k))
            return MW__ACT_MARK;
        if (is_esc(k))
            return MW__ACT_MARK_CANCEL;
        if (is_backspace(k))
            return MW__ACT_PROMPT_BACK;
        return k >= 0x20 && k != 0x7f && mw__cp_is_narrow((uint32_t)k) ? MW__ACT_PROMPT_CHAR
                                                                        : MW__ACT_NONE;
    }
    if (is_esc(k))
        return st->help ? MW__ACT_CLOSE : MW__ACT_NONE;
    switch (k) {
    case ' ':
    case 'p':
        return MW__ACT_PAUSE;
    case '+':
    case '=': /* the unshifted '+' key */
        return MW__ACT_FASTER;
    case '-':
    case '_':
        return MW__ACT_SLOWER;
    case 'e':
        return MW__ACT_EXPORT;
    case MW__KEY_LEFT:
        return MW__ACT_LEFT;
    case MW__KEY_RIGHT:
        return MW__ACT_RIGHT;
    case MW__KEY_HOME:
        return MW__ACT_HOME;
    case MW__KEY_END:
        return MW__ACT_END;
    case 'z':
        return MW__ACT_ZOOM_IN;
    case 'Z':
        return MW__ACT_ZOOM_OUT;
    case 'r':
        return MW__ACT_BASELINE;
    case '?':
    case 'h':
        return MW__ACT_HELP;
    case 'm':
        return MW__ACT_MARK_BEGIN;
    case 'q':
        return MW__ACT_QUIT;
    default:
        return MW__ACT_NONE;
    }
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

/* Move the paused view so that its newest sample is the last at or before t. */
static void scroll_to(mw__ui_state *st, const mw__capture *c, int64_t t)
{
    const mw__ring *r = &c->ring;
    uint64_t first = mw__ring_first(r), end = mw__ring_end(r);
    uint64_t s = mw__ring_seek_time(r, first, end, t + 1); /* first sample after t */
    st->view_end = s > first ? s : first + 1;
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
        scroll_to(st, c, w.t_to - span / 4 < w.t_first + span ? w.t_first + span : w.t_to - span / 4);
    else if (a == MW__ACT_RIGHT)
        scroll_to(st, c, w.t_to + span / 4);
    else if (a == MW__ACT_HOME)
        scroll_to(st, c, w.t_first + span);
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
            mw__view_window(st, c, &w);
            const mw__sample *s = mw__ring_at(&c->ring, w.to - 1);
            st->have_baseline = true;
            st->baseline_rss = s->rss;
            st->baseline_t_ns = s->t_ns;
        }
        return MW__ACT_NONE;
    case MW__ACT_HELP:
        st->help = !st->help;
        return MW__ACT_NONE;
    case MW__ACT_CLOSE:
        st->help = false;
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
    default:
        return a; /* NONE, or a side effect for the caller */
    }
}

mw__action mw__ui_key(mw__ui_state *st, mw__key k, const mw__capture *c)
{
    return mw__ui_apply(st, mw__key_action(st, k), k, c);
}
