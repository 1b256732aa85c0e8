/* SPDX-License-Identifier: MIT */
/* viewparts.c — the dashboard's header, status line, key footer, help overlay and size message. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "units.h"
#include "viewparts.h"

/* ---- header -------------------------------------------------------------------------------- */

/* Row 0: "PID 4242  ./leaky --rate 2M ...          running  00:03:12"
 * Row 1: "interval 250ms  1200/3600 samples  3 procs            PAUSED (+12 new)  REPLAY x.csv" */
/* The command without its program's directory ("/long/build/path/prog --x" -> "prog --x"):
 * when the whole line does not fit, the arguments say more than the path. Borrowed pointer. */
static const char *short_command(const char *cmd)
{
    const char *end = strchr(cmd, ' ');
    const char *base = cmd;
    for (const char *p = cmd; *p && (!end || p < end); p++)
        if (*p == '/' && p[1] && p[1] != ' ')
            base = p + 1;
    return base;
}

void mw__view_header(mw__canvas *cv, const mw__capture *c, const mw__view_info *info,
                     const mw__ui_state *st)
{
    char buf[128], v[32];
    mw__line l;
    mw__line_init(&l, cv, 0, 0, cv->w);
    mw__line_right(&l, 2, mw__format_clock(v, sizeof(v), info->elapsed_ns), MW__ST_NORMAL);
    if (info->state)
        mw__line_right(&l, 2, info->state, info->gone ? MW__ST_ERROR : MW__ST_TITLE);
    if (info->cgroup || mw__view_cgroup_only(mw__ring_last(&c->ring))) /* live, or a replay */
        snprintf(buf, sizeof(buf), "cgroup");
    else
        snprintf(buf, sizeof(buf), "PID %ld", info->pid ? info->pid : (long)c->pid);
    mw__line_add(&l, 0, buf, MW__ST_TITLE);
    const char *cmd = info->command ? info->command : c->command;
    if (cmd && *cmd && !mw__line_add(&l, 2, cmd, MW__ST_NORMAL))
        mw__line_add_cut(&l, 2, short_command(cmd), MW__ST_NORMAL, st->ascii);

    mw__line_init(&l, cv, 0, 1, cv->w);
    if (info->replay) {
        mw__line_right(&l, 2, "REPLAY", MW__ST_PAUSED);
    }
    if (st->paused) {
        uint64_t fresh = mw__ring_end(&c->ring) - st->paused_at;
        snprintf(buf, sizeof(buf), "PAUSED (+%llu new)", (unsigned long long)fresh);
        if (!mw__line_right(&l, 2, buf, MW__ST_PAUSED))
            mw__line_right(&l, 2, "PAUSED", MW__ST_PAUSED);
    }
    if (info->replay) {
        if (info->replay_file)
            mw__line_add_cut(&l, 2, info->replay_file, MW__ST_NORMAL, st->ascii);
    } else {
        snprintf(buf, sizeof(buf), "interval %s", mw__format_interval(v, sizeof(v), info->interval_ms));
        mw__line_add(&l, 2, buf, MW__ST_NORMAL);
    }
    size_t stored = mw__ring_count(&c->ring);
    snprintf(buf, sizeof(buf), "%zu/%zu samples", stored, c->ring.cap);
    mw__line_add(&l, 2, buf, MW__ST_NORMAL);
    if (c->all.n > stored) {
        snprintf(buf, sizeof(buf), "%llu taken", (unsigned long long)c->all.n);
        mw__line_add(&l, 2, buf, MW__ST_DIM);
    }
    if (c->lost) {
        snprintf(buf, sizeof(buf), "%llu lost", (unsigned long long)c->lost);
        mw__line_add(&l, 2, buf, MW__ST_ERROR);
    }
    if (info->gaps) { /* a stopped or starved memwatch: the chart joins across the hole */
        snprintf(buf, sizeof(buf), "%llu gap%s", (unsigned long long)info->gaps,
                 info->gaps == 1 ? "" : "s");
        mw__line_add(&l, 2, buf, MW__ST_DIM);
    }
    const mw__sample *last = mw__ring_last(&c->ring);
    if (last && (last->nprocs > 1 || last->unreadable > 0)) {
        /* Processes of the tree the sample could not read (permission) are in no sum: say so. */
        int k = snprintf(buf, sizeof(buf), "%u procs", (unsigned)last->nprocs);
        if (last->unreadable > 0)
            snprintf(buf + k, sizeof(buf) - (size_t)k, " (%u unreadable)", (unsigned)last->unreadable);
        mw__line_add(&l, 2, buf, MW__ST_NORMAL);
    }
    if (info->alert_bytes) {
        snprintf(buf, sizeof(buf), "alert %s", mw__format_bytes(v, sizeof(v), info->alert_bytes));
        mw__line_add(&l, 2, buf, MW__ST_ALERT);
    }
    if (info->log_file) { /* the launched command's output: where to look for it */
        char lg[512];
        snprintf(lg, sizeof(lg), "log %s", info->log_file);
        mw__line_add_cut(&l, 2, lg, MW__ST_DIM, st->ascii);
    }
}

/* ---- status and footer --------------------------------------------------------------------- */

/* s with the arrows spelled in ASCII (<- -> ^ v) in ASCII mode: the key table names them in
 * Unicode. */
static const char *arrows(const char *s, bool ascii, char *buf, size_t n)
{
    static const char *const map[][2] = {
        {"\u2190", "<-"}, {"\u2192", "->"}, {"\u2191", "^"}, {"\u2193", "v"},
    };
    if (!ascii)
        return s;
    size_t o = 0;
    while (*s && o + 3 < n) {
        size_t i = 0;
        while (i < sizeof(map) / sizeof(map[0]) && strncmp(s, map[i][0], 3) != 0)
            i++;
        if (i < sizeof(map) / sizeof(map[0])) {
            size_t len = strlen(map[i][1]);
            memcpy(buf + o, map[i][1], len);
            o += len;
            s += 3;
        } else {
            buf[o++] = *s++;
        }
    }
    buf[o] = '\0';
    return buf;
}

void mw__view_status(mw__canvas *cv, int y, const mw__view_info *info, const mw__ui_state *st,
                     const char *merged)
{
    char buf[96];
    mw__line l;
    mw__line_init(&l, cv, 0, y, cv->w);
    if (st->prompt) {
        mw__line_right(&l, 2, "Enter: drop mark  Esc: cancel", MW__ST_DIM);
        mw__line_add(&l, 0, "mark label:", MW__ST_TITLE);
        snprintf(buf, sizeof(buf), "%s_", st->label);
        mw__line_add_cut(&l, 1, buf, MW__ST_STATUS, st->ascii);
        return;
    }
    if (info->message && *info->message) {
        mw__line_add_cut(&l, 0, info->message, info->message_error ? MW__ST_ERROR : MW__ST_STATUS,
                         st->ascii);
        return;
    }
    char span[16] = "all";
    if (st->zoom)
        mw__format_span(span, sizeof(span), mw__zoom_span_ns(st->zoom));
    snprintf(buf, sizeof(buf), "%s  zoom %s%s%s", st->paused ? "paused" : "live", span,
             st->wall_time ? "  wall clock" : "", st->y_zero ? "  y from 0" : "");
    mw__line_add(&l, 0, buf, MW__ST_DIM);
    if (merged)
        mw__line_add(&l, 2, merged, MW__ST_DIM);
    if (info->gone)
        mw__line_add(&l, 2, "process ended: data kept, e exports", MW__ST_DIM);
    else if (st->paused)
        mw__line_add(&l, 2, arrows("\u2190 \u2192 scroll, space resumes", st->ascii, buf, sizeof(buf)),
                     MW__ST_DIM);
}

/* One "key label" pair, placed only whole. */
static void hint(mw__line *l, const char *key, const char *label)
{
    char both[64];
    snprintf(both, sizeof(both), "%s %s", key, label);
    int kw = mw__text_width(key);
    int x = l->x + (l->any ? 2 : 0);
    if (!mw__line_add(l, 2, both, MW__ST_NORMAL))
        return;
    for (int i = 0; i < kw; i++) {
        const mw__cell *cell = mw__canvas_at(l->c, x + i, l->y);
        if (cell)
            mw__canvas_put(l->c, x + i, l->y, cell->cp, MW__ST_KEY);
    }
}

/* The rows of the key table with a footer place, in that order. */
void mw__view_footer(mw__canvas *cv, int y, const mw__ui_state *st)
{
    mw__line l;
    mw__line_init(&l, cv, 0, y, cv->w);
    for (int place = 1; place <= mw__keytab_n; place++)
        for (int i = 0; i < mw__keytab_n; i++) {
            const mw__keyrow *row = &mw__keytab[i];
            if (row->footer != place)
                continue;
            char buf[32];
            const char *label = st->paused && row->footer_label_paused ? row->footer_label_paused
                                                                       : row->footer_label;
            hint(&l, arrows(row->footer_keys, st->ascii, buf, sizeof(buf)), label);
        }
}

/* ---- overlays ------------------------------------------------------------------------------ */

void mw__view_box(mw__canvas *cv, int x0, int y0, int bw, int bh, bool ascii)
{
    mw__canvas_fill(cv, x0, y0, bw, bh, ' ', MW__ST_HELP);
    uint32_t h = ascii ? '-' : 0x2500, v = ascii ? '|' : 0x2502;
    for (int i = 1; i < bw - 1; i++) {
        mw__canvas_put(cv, x0 + i, y0, h, MW__ST_HELP);
        mw__canvas_put(cv, x0 + i, y0 + bh - 1, h, MW__ST_HELP);
    }
    for (int j = 1; j < bh - 1; j++) {
        mw__canvas_put(cv, x0, y0 + j, v, MW__ST_HELP);
        mw__canvas_put(cv, x0 + bw - 1, y0 + j, v, MW__ST_HELP);
    }
    const uint32_t corners[2][4] = {{0x250c, 0x2510, 0x2514, 0x2518}, {'+', '+', '+', '+'}};
    const uint32_t *k = corners[ascii];
    mw__canvas_put(cv, x0, y0, k[0], MW__ST_HELP);
    mw__canvas_put(cv, x0 + bw - 1, y0, k[1], MW__ST_HELP);
    mw__canvas_put(cv, x0, y0 + bh - 1, k[2], MW__ST_HELP);
    mw__canvas_put(cv, x0 + bw - 1, y0 + bh - 1, k[3], MW__ST_HELP);
}

void mw__view_help(mw__canvas *cv, const mw__ui_state *st)
{
    const int n = mw__keytab_n;
    int kw = 0; /* the key column: as wide as its widest entry */
    for (int i = 0; i < n; i++)
        if (mw__text_width(mw__keytab[i].help_keys) > kw)
            kw = mw__text_width(mw__keytab[i].help_keys);
    int bw = 66, bh = n + 5;
    if (bw > cv->w)
        bw = cv->w;
    if (bh > cv->h)
        bh = cv->h;
    int x0 = (cv->w - bw) / 2, y0 = (cv->h - bh) / 2;
    mw__view_box(cv, x0, y0, bw, bh, st->ascii);

    mw__line l;
    mw__line_init(&l, cv, x0 + 2, y0, bw - 4);
    mw__line_add(&l, 0, " memwatch keys ", MW__ST_TITLE);
    for (int i = 0; i < n && 2 + i < bh - 1; i++) {
        char buf[32];
        mw__line_init(&l, cv, x0 + 2, y0 + 2 + i, bw - 4);
        mw__line_add(&l, 0, arrows(mw__keytab[i].help_keys, st->ascii, buf, sizeof(buf)), MW__ST_KEY);
        l.x = x0 + 4 + kw < l.end ? x0 + 4 + kw : l.end;
        mw__line_add_cut(&l, 0, mw__keytab[i].help, MW__ST_HELP, st->ascii);
    }
    if (n + 3 < bh - 1) {
        mw__line_init(&l, cv, x0 + 2, y0 + n + 3, bw - 4);
        mw__line_add_cut(&l, 0,
                         st->ascii ? "^ peak  + mark  * spike between samples (kernel HWM)"
                                   : "\u25b2 peak  \u2534 mark  \u25b3 spike between samples (kernel HWM)",
                         MW__ST_HELP, st->ascii);
    }
}

void mw__view_too_small(mw__canvas *cv)
{
    char need[48];
    snprintf(need, sizeof(need), "need %dx%d", MW__VIEW_MIN_W, MW__VIEW_MIN_H);
    const char *lines[] = {"terminal", "too small", need};
    int n = 3, y0 = (cv->h - n) / 2;
    if (y0 < 0)
        y0 = 0;
    for (int i = 0; i < n && y0 + i < cv->h; i++) {
        int tw = mw__text_width(lines[i]);
        int x = tw < cv->w ? (cv->w - tw) / 2 : 0;
        mw__canvas_text(cv, x, y0 + i, cv->w, lines[i], i < 2 ? MW__ST_TITLE : MW__ST_DIM);
    }
}
