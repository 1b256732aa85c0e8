/* SPDX-License-Identifier: MIT */
/* dashboard.c — the interactive loop: poll the session, build the view, draw it, act on keys. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "dash.h"
#include "compare.h"
#include "gates.h"
#include "keys.h"
#include "tui.h"
#include "units.h"
#include "view.h"
#include "markctl.h"
#include "where.h"

/* New samples redraw the screen at most 5 times a second, whatever the sampling rate: a memory
 * chart gains nothing from more, and the terminal traffic is most of the dashboard's CPU. Keys
 * and resizes redraw at once. */
#define FRAME_MIN_MS 200
#define FRAME_MAX_MS 250  /* keys and the clock stay responsive at slow rates */

static void change_interval(dash *d, bool faster)
{
    if (!d->s) {
        app_dash_say(d, true, "replay: the interval is fixed by the file");
        return;
    }
    uint64_t cur = d->s->interval_ms;
    uint64_t next = faster ? mw__interval_faster(cur) : mw__interval_slower(cur);
    char lbl[32];
    mw__format_interval(lbl, sizeof(lbl), next);
    if (next == cur) {
        app_dash_say(d, false, "interval %s is the %s step", lbl, faster ? "fastest" : "slowest");
        return;
    }
    app_session_set_interval(d->s, next);
    app_dash_say(d, false, "sampling every %s", lbl);
}

/* z / Z that changed nothing: say why, or the key looks broken. */
static void zoom_limit(dash *d, mw__action a)
{
    char span[16];
    if (a == MW__ACT_ZOOM_OUT_LIMIT)
        app_dash_say(d, false, "zoom: everything captured is on screen");
    else if (d->st.zoom == 0)
        app_dash_say(d, false, "zoom: everything captured is on screen, shorter than the closest step (%s)",
            mw__format_span(span, sizeof(span), mw__zoom_span_ns(MW__ZOOM_LEVELS - 1)));
    else
        app_dash_say(d, false, "zoom: %s is the closest step",
            mw__format_span(span, sizeof(span), mw__zoom_span_ns(d->st.zoom)));
}

/* t opened the process table: only a live -c run has a tree to list; else say why instead of
 * showing an empty table. */
static void table_opened(dash *d)
{
    if (!d->s) {
        d->st.table = false;
        app_dash_say(d, false, "the process table is live only: a replay has no processes");
    } else if (app_cgroup_only(&d->s->target)) {
        d->st.table = false;
        app_dash_say(d, false, "the process table lists a -c tree: --cgroup watches no process");
    } else if (!d->o->children) {
        d->st.table = false;
        app_dash_say(d, false, "the process table needs -c (watch the process and all its descendants)");
    }
}

/* The process table's rows for this frame (the view never calls the library). The buffer grows
 * to the tree's size, so the rows are every process but for a tree that grew since. */
static void fill_procs(dash *d, mw__proc_rows *p)
{
    p->on = d->s != NULL;
    p->tree = d->o->children;
    if (!d->s || !d->st.table || !p->tree)
        return;
    size_t count = 0;
    size_t n = mw_watcher_get_processes(d->s->watcher, d->procs, d->procs_cap, &count);
    if (count > d->procs_cap) {
        size_t cap = count + count / 4 + 16;
        mw_tree_process *g = realloc(d->procs, cap * sizeof(*g));
        if (g) {
            d->procs = g;
            d->procs_cap = cap;
            n = mw_watcher_get_processes(d->s->watcher, d->procs, d->procs_cap, &count);
        }
    }
    p->rows = d->procs;
    p->n = n;
    p->total = count;
    mw_stats cur;
    if (mw_watcher_current_stats(d->s->watcher, &cur) == 0) {
        p->unreadable = cur.nprocs_unreadable;
        p->now_ns = mw__ts_to_ns(&cur.timestamp);
    }
}

/* w opened the where overlay: read smaps now, off this thread (the overlay says "reading" until
 * the worker is done); a replay has no process to read. */
static void where_opened(dash *d)
{
    if (!d->s) {
        d->st.where = false;
        app_dash_say(d, false, "where it went is live only: a replay has no process to read");
    } else if (app_cgroup_only(&d->s->target)) {
        d->st.where = false;
        app_dash_say(d, false, "where it went reads a process's smaps: --cgroup watches none");
    } else if (!d->where.w) {
        d->st.where = false;
        app_dash_say(d, true, d->where.failed ? "where it went: cannot start its reader thread"
                                     : "where it went: no sample yet");
    } else {
        app_where_show(d->where.w);
    }
}

/* Returns true when the loop should end. */
static bool handle_key(dash *d, mw__key k)
{
    /* A resize (or Ctrl-L) is not the user answering: the question stays, redrawn below. */
    if (d->confirm_quit && k != MW__KEY_RESIZE)
        return app_dash_answer_quit(d, k);
    /* A message holds the status row (live/paused, zoom) only until the next key, or it would
     * hide that row for good; a resize or repaint is not the user answering it. */
    if (k != MW__KEY_RESIZE) {
        d->msg[0] = '\0';
        d->msg_error = false;
    }
    if (k == MW__KEY_MOUSE) /* the wheel as a key; a click's readout as the message */
        k = mw__mouse_key(&d->st, d->cap, app_tui_mouse_last(d->tui), d->msg, sizeof(d->msg));
    if (k == MW__KEY_NONE)
        return false;
    mw__action a = mw__ui_key(&d->st, k, d->cap);
    switch (a) {
    case MW__ACT_QUIT: return app_dash_ask_before_quit(d, ASK_EXPORT);
    case MW__ACT_FASTER: change_interval(d, true); break;
    case MW__ACT_SLOWER: change_interval(d, false); break;
    case MW__ACT_EXPORT: app_dash_export(d); break;
    case MW__ACT_MARK: {
        char why[160];
        int rc = d->s ? app_session_mark(d->s, d->st.label) : mw__capture_mark(d->cap, d->st.label);
        if (rc != 0)
            app_dash_say(d, true, "%s", app_mark_refusal(rc, why, sizeof(why)));
        else /* an unlabelled mark got its number: say which */
            app_dash_say(d, false, "mark added '%s'", mw__capture_last_mark(d->cap)->label);
        if (rc == 0) /* the where overlay counts from here on: read it now */
            app_where_ui_mark(&d->where, mw__capture_last_mark(d->cap)->label);
        break;
    }
    case MW__ACT_WHERE_OPENED: where_opened(d); break;
    case MW__ACT_WHERE_EXPORT:
        d->msg_error = app_where_ui_export(&d->where, d->s ? (long)d->s->target.pid : 0, d->msg,
                                           sizeof(d->msg));
        break;
    case MW__ACT_REDRAW: app_tui_invalidate(d->tui); break;
    case MW__ACT_TABLE_OPENED: table_opened(d); break;
    case MW__ACT_ZOOM_IN_LIMIT:
    case MW__ACT_ZOOM_OUT_LIMIT: zoom_limit(d, a); break;
    default: break;
    }
    return false;
}

static void note_session_events(dash *d)
{
    app_session *s = d->s;
    if (s->alert_fired) {
        s->alert_fired = false;
        app_tui_bell(d->tui);
        char thr[32];
        mw__format_bytes(thr, sizeof(thr), d->o->alert_bytes);
        app_dash_say(d, true, "ALERT: RSS crossed %s", thr);
    }
    if (s->out_failed && !d->out_reported) {
        d->out_reported = true;
        app_dash_say(d, true, "recording stopped: %s (the history in memory is intact; press e to "
                     "export it)", s->out_err);
    }
    if (d->o->interval_peaks) {
        mw_watcher_status ws;
        if (mw_watcher_get_status(s->watcher, &ws) == 0 && ws.peak_reset_error &&
            ws.peak_reset_error != d->peak_reset_error) {
            d->peak_reset_error = ws.peak_reset_error;
            app_dash_say(d, true, "--interval-peaks: cannot reset the peak: %s",
                mw_strerror(ws.peak_reset_error));
        }
    }
    uint32_t hidden = app_session_pss_news(s);
    if (hidden)
        app_dash_say(d, true, "--pss: %u process%s hide smaps_rollup (another user's, or non-dumpable): "
                     "no PSS while a sum would leave them out", hidden, hidden == 1 ? "" : "es");
}

/* The notes under the figures, each only while true: the time to a limit (while it runs),
 * --new-cgroup's true peak, and an OOM kill (once it ended). */
static void fill_notes(dash *d, mw__view_info *info)
{
    const app_session *s = d->s;
    int k = 0;
    mw__headroom h;
    if (!info->gone && app_headroom(s, NULL, 0, &h)) {
        snprintf(d->notes[k], sizeof(d->notes[k]), "%s", h.text);
        info->notes[k].text = d->notes[k];
        info->notes[k++].style = MW__ST_GROWTH;
    }
    if (app_cglaunch_note(s, d->notes[k], sizeof(d->notes[k]))) {
        info->notes[k].text = d->notes[k];
        info->notes[k++].style = MW__ST_NORMAL;
    }
    if (info->gone && app_oom_text(s, d->notes[k], sizeof(d->notes[k]))) {
        info->notes[k].text = d->notes[k];
        info->notes[k++].style = MW__ST_ERROR;
    }
}

static void fill_info(dash *d, mw__view_info *info)
{
    memset(info, 0, sizeof(*info));
    info->message = d->msg[0] ? d->msg : NULL;
    info->message_error = d->msg_error;
    info->alert_bytes = d->o->alert_bytes;
    info->pss_interval_ms = d->o->pss_interval_ms;
    fill_procs(d, &info->procs);
    app_where_ui_fill(&d->where, &info->where);
    if (d->compare)
        app_compare_fill(d->compare, d->cap, mw__now_ns(), info);
    if (!d->s) {
        info->replay = true;
        info->replay_file = d->o->replay_path;
        info->gone = true;
        const mw__sample *last = mw__ring_last(&d->cap->ring);
        info->elapsed_ns = last ? last->t_ns - d->cap->t0_ns : 0;
        return;
    }
    app_session *s = d->s;
    char raw[128];
    app_target_state_text(&s->target, raw, sizeof(raw));
    info->pid = s->target.pid;
    info->state = mw__safe_text(d->state, sizeof(d->state), raw);
    /* After an exec the command line is the new program's: show that, not the launch line. */
    if (app_target_execd(&s->target) && d->o->mode != APP_MODE_DEMO)
        info->command = mw__safe_text(d->command, sizeof(d->command),
                                      s->target.info.cmdline[0] ? s->target.info.cmdline
                                                                : s->target.info.name);
    if (app_cgroup_only(&s->target)) { /* a directory's name: any bytes, escaped */
        char name[4200];
        info->cgroup = true;
        snprintf(name, sizeof(name), "%s (cgroup v%d)", s->target.cg_watch,
                 s->target.cg_watch_version);
        info->command = mw__safe_text(d->command, sizeof(d->command), name);
    }
    info->gone = s->target.gone || app_session_ended(s);
    info->log_file = s->target.log_path[0] ? s->target.log_path : NULL;
    info->interval_ms = s->interval_ms;
    info->gaps = s->gaps.count;
    info->gate = app_gates_live(s, &d->st.floor, d->gate, sizeof(d->gate));
    fill_notes(d, info);
    const mw__sample *last = mw__ring_last(&d->cap->ring);
    /* The clock stops when the process does: elapsed then means "how long it ran watched". */
    if (info->gone && last)
        info->elapsed_ns = last->t_ns - d->cap->t0_ns;
    else
        info->elapsed_ns = mw__now_ns() - s->started_ns;
}

static void frame(dash *d)
{
    int w, h;
    app_tui_size(d->tui, &w, &h);
    if (mw__canvas_resize(&d->cv, w, h) != 0)
        return;
    mw__view_info info;
    fill_info(d, &info);
    mw__view_build(&d->cv, d->cap, &info, &d->st);
    app_tui_draw(d->tui, &d->cv);
}

static int frame_timeout(const dash *d)
{
    if (!d->s || app_session_ended(d->s))
        return FRAME_MAX_MS;
    uint64_t ms = d->s->interval_ms;
    if (ms < FRAME_MIN_MS)
        return FRAME_MIN_MS;
    return ms > FRAME_MAX_MS ? FRAME_MAX_MS : (int)ms;
}

/* One poll of the live session: samples, marks from outside (--mark, SIGUSR1; a refused one is
 * said too: its sender may not be there to hear it), the "where it went" worker. True: news. */
static bool poll_live(dash *d)
{
    char why[160];
    bool news = false;
    app_session_poll(d->s);
    note_session_events(d);
    for (app_mark_news x; app_markctl_news(d->s->ctl, &x); news = true) {
        if (x.refused) {
            app_dash_say(d, true, "mark from outside: %s",
                app_mark_refusal(x.refused, why, sizeof(why)));
            continue;
        }
        app_dash_say(d, false, "mark added '%s' (from outside)", x.label);
        app_where_ui_mark(&d->where, x.label);
    }
    /* The baseline is read once the first sample is in, on the worker; a diff is news. */
    bool diff = app_where_ui_tick(&d->where, d->s->target.pid,
                                  d->cap->ring.end > 0 && !app_cgroup_only(&d->s->target));
    return news || (diff && d->st.where);
}

int app_dashboard_run(app_session *s, mw__capture *replay, struct app_compare *compare,
                      const app_options *o)
{
    dash d;
    memset(&d, 0, sizeof(d));
    d.s = s;
    d.compare = s ? s->compare : compare;
    d.cap = s ? &s->cap : replay;
    d.o = o;
    char err[256];
    if (app_tui_start(&d.tui, o->ascii, err, sizeof(err)) != 0) {
        fprintf(stderr, "memwatch: %s\n", err);
        return APP_EXIT_RUNTIME;
    }
    mw__ui_init(&d.st);
    if (!o->no_mouse)
        app_tui_mouse_on(d.tui);
    d.st.ascii = !app_tui_unicode(d.tui);
    d.st.color = app_tui_color(d.tui);
    if (!s)
        app_dash_say(&d, false, "replay of %s: press ? for keys", o->replay_path);

    int quit_sig = 0;
    int64_t last_frame = 0;
    for (;;) {
        if (app_quit_signal) {
            int sig = (int)app_quit_signal;
            app_quit_signal = 0;
            /* Ctrl-C is a key like q (ask about a running command; a second one ends it);
             * SIGTERM and SIGHUP end everything at once. Never a question about the export:
             * Ctrl-C means now; at the export question it answers like q, so a running
             * command is still asked about. */
            quit_question q = d.confirm_quit;
            if (sig == SIGINT && q != ASK_COMMAND && !app_dash_ask_before_quit(&d, ASK_COMMAND)) {
                last_frame = 0; /* show the question now */
            } else {
                quit_sig = sig;
                break;
            }
        }
        if (s && poll_live(&d))
            last_frame = 0; /* news to show now */
        int64_t now = mw__now_ns();
        /* Redraw at most every frame period: new samples, the clock and "+N new" change. */
        if (now - last_frame >= (int64_t)(FRAME_MIN_MS - 10) * 1000000) { /* wake-up jitter */
            frame(&d);
            last_frame = now;
        }
        mw__key k = app_tui_key(d.tui, frame_timeout(&d));
        if (k == MW__KEY_NONE)
            continue;
        bool done = handle_key(&d, k);
        while (!done && (k = app_tui_key(d.tui, 0)) != MW__KEY_NONE) /* a burst, before drawing */
            done = handle_key(&d, k); /* (e.g. a resize storm) */
        if (done)
            break;
        frame(&d);
        last_frame = mw__now_ns();
    }
    app_tui_stop(d.tui);
    app_where_ui_free(&d.where); /* waits for a read under way: smaps is read whole or not */
    mw__canvas_destroy(&d.cv);
    mw__ui_destroy(&d.st);
    free(d.procs);
    if (!s)
        return quit_sig ? 128 + quit_sig : APP_EXIT_OK;
    /* The screen's message is gone with the dashboard: the -o failure goes to stderr too. */
    app_run_end how = {.quit_signal = quit_sig, .leave_running = d.leave_running};
    app_run_finish(s, &how);
    return app_run_conclude(s, &how);
}
