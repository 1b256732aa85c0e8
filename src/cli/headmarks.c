/* SPDX-License-Identifier: MIT */
/* headmarks.c — headless, marks from outside: a line for each, and where it went since the one before, read on the smaps worker. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "headmarks.h"
#include "markctl.h"
#include "timefmt.h"
#include "units.h"

/* The diff the worker just handed over is the oldest mark's: print it, and forget it, so the
 * end-of-run line is only ever the end's own read. */
static void print_diff(app_headmarks *h, app_where_ui *w, FILE *f)
{
    char line[1600];
    app_where_line(&w->res, line, sizeof(line));
    fprintf(f, "memwatch: %s\n", line);
    fflush(f);
    app_where_result_free(&w->res);
    w->have = false;
    h->showing = false;
}

/* Read now against the previous baseline, then a new baseline labelled by this mark. */
static void start_diff(app_headmarks *h, app_where_ui *w)
{
    const char *label = h->pending[h->head];
    app_where_show(w->w);
    app_where_ui_mark(w, label);
    h->head = (h->head + 1) % APP_HEADMARKS_MAX;
    h->n--;
    h->showing = true;
}

void app_headmarks_turn(app_headmarks *h, app_where_ui *w, app_session *s, bool got, FILE *f)
{
    app_mark_news x;
    while (app_markctl_news(s->ctl, &x)) {
        char at[64], why[160];
        if (x.refused) { /* SIGUSR1 or a --mark: its sender may not be there to hear it */
            fprintf(f, "memwatch: mark from outside: %s\n",
                    app_mark_refusal(x.refused, why, sizeof(why)));
            continue;
        }
        /* Elapsed and wall clock (to match the application's own log), ms in the first minute. */
        if (s->cap.have_t0)
            mw__format_at(at, sizeof(at), s->cap.t0_ns + x.at_ns, s->cap.t0_ns,
                          s->cap.wall_offset_ns, x.at_ns);
        else
            mw__format_clock(at, sizeof(at), x.at_ns);
        fprintf(f, "memwatch: mark '%s' at %s\n", x.label, at);
        if (!w->w)
            continue; /* before the first sample: the start's baseline comes after it anyway */
        if (h->n == APP_HEADMARKS_MAX) { /* far behind: the oldest's growth joins the next's */
            h->head = (h->head + 1) % APP_HEADMARKS_MAX;
            h->n--;
        }
        snprintf(h->pending[(h->head + h->n++) % APP_HEADMARKS_MAX], MW__MARK_LABEL_MAX, "%s",
                 x.label);
    }
    fflush(f);
    if (got && h->showing)
        print_diff(h, w, f);
    if (!h->showing && h->n && w->w && !app_where_busy(w->w, NULL))
        start_diff(h, w);
}

bool app_headmarks_busy(const app_headmarks *h) { return h->showing || h->n; }

void app_headmarks_end(app_headmarks *h, app_where_ui *w, app_session *s, FILE *f)
{
    app_headmarks_turn(h, w, s, false, f); /* marks the last poll brought */
    while (w->w && (h->showing || h->n)) {
        if (!h->showing) {
            if (s->target.gone || app_session_ended(s))
                break; /* nothing left to read: the end's line says so */
            start_diff(h, w);
        }
        app_where_wait(w->w);
        if (!app_where_ui_tick(w, s->target.pid, true))
            break; /* cannot happen: a show always leaves a result */
        print_diff(h, w, f);
    }
}
