/* SPDX-License-Identifier: MIT */
/* dashquit.c — the dashboard's status line, its export (key e), and what q asks before quitting. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dash.h"
#include "export.h"
#include "units.h"

/* A live capture is worth keeping, so `q` asks before throwing it away, once this much of it is
 * in no export: at least 10 samples covering at least 10 s (a glance at a process is not). */
#define UNSAVED_MIN_SAMPLES 10
#define UNSAVED_MIN_NS (10 * 1000000000LL)

/* Set the status line. Formats are always literals here; user text only ever fills a %s. */
void app_dash_say(dash *d, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
    va_end(ap);
    d->msg_error = error;
}

static bool child_running(const dash *d)
{
    return d->s && d->s->target.launched && !d->s->target.reaped && !d->s->target.gone;
}

/* The demo is ours alone: quitting ends it without asking. */
static bool must_ask_before_quit(const dash *d)
{
    return child_running(d) && d->o->mode == APP_MODE_LAUNCH;
}

void app_dash_export(dash *d)
{
    if (d->cap->ring.end == 0) {
        app_dash_say(d, true, "nothing to export yet: no sample taken");
        return;
    }
    char stamp[32], path[128], err[768];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
    long pid = d->s ? (long)d->s->target.pid : (long)d->cap->pid;
    const mw__export_format *fmt = mw__export_formats[0];
    size_t rows = 0;
    int rc = 0;
    /* Two exports in the same second get -2, -3...: an existing file is never replaced. */
    for (int n = 1; n < 100; n++) {
        if (n == 1)
            snprintf(path, sizeof(path), "memwatch-%ld-%s%s", pid, stamp, fmt->suffix);
        else
            snprintf(path, sizeof(path), "memwatch-%ld-%s-%d%s", pid, stamp, n, fmt->suffix);
        rc = mw__export(d->cap, fmt, path, false, &rows, err, sizeof(err));
        if (rc != MW_EALREADY)
            break;
    }
    if (rc != 0) {
        app_dash_say(d, true, "export failed: %s", err);
        return;
    }
    d->exported_n = d->cap->all.n;
    d->exported_t = d->cap->all.last.t_ns;
    char cwd[512];
    char full[700];
    if (getcwd(cwd, sizeof(cwd)))
        snprintf(full, sizeof(full), "%s/%s", cwd, path);
    else
        snprintf(full, sizeof(full), "%s", path);
    char count[32];
    snprintf(count, sizeof(count), "%zu", rows);
    app_dash_say(d, false, "exported %s rows to %s", count, full);
}

/* The part of a live capture in no export, when it is worth asking about (see UNSAVED_*): a
 * replay is on disk already, and so is everything with -o recording (unless the file failed;
 * the newest row is written as the session closes); the demo's workload is not worth keeping.
 * Writes its span into buf. */
static bool unsaved(const dash *d, char *span, size_t n)
{
    const mw__capture *c = d->cap;
    if (!d->s || d->o->mode == APP_MODE_DEMO || (d->o->output && !d->s->out_failed))
        return false;
    int64_t from = d->exported_n ? d->exported_t : c->all.first.t_ns;
    int64_t ns = c->all.last.t_ns - from;
    if (c->all.n - d->exported_n < UNSAVED_MIN_SAMPLES || ns < UNSAVED_MIN_NS)
        return false;
    mw__format_span(span, n, ns);
    return true;
}

/* q (or F10): ask about what quitting would lose, the capture first, then the launched command;
 * returns true when there is nothing (left) to ask. */
bool app_dash_ask_before_quit(dash *d, quit_question from)
{
    char span[16];
    if (from <= ASK_EXPORT && unsaved(d, span, sizeof(span))) {
        d->confirm_quit = ASK_EXPORT; /* these prompts stay within 80 columns */
        app_dash_say(d, true, "%s of samples not exported: e = export and quit, q = quit, other = stay",
            span);
        return false;
    }
    if (must_ask_before_quit(d)) {
        d->confirm_quit = ASK_COMMAND;
        app_dash_say(d, true, "command still running: k = end it and quit, d = leave it running, "
                     "other = stay");
        return false;
    }
    return true;
}

/* The answer to a quit prompt. Returns true when the loop should end. */
bool app_dash_answer_quit(dash *d, mw__key k)
{
    quit_question q = d->confirm_quit;
    d->confirm_quit = ASK_NONE;
    bool ctrl_c = k == MW__KEY_CTRL_C || k == 3;
    if (q == ASK_EXPORT && (k == 'e' || k == 'E')) {
        app_dash_export(d);
        if (d->msg_error)
            return false; /* the export failed: stay, with the reason on screen */
        return app_dash_ask_before_quit(d, ASK_COMMAND);
    }
    if (q == ASK_EXPORT && (k == 'q' || k == 'Q' || k == MW__KEY_F10 || ctrl_c))
        return app_dash_ask_before_quit(d, ASK_COMMAND);
    /* Ending the command takes its own key: a second q must not kill what d would keep. */
    if (q == ASK_COMMAND && (k == 'k' || k == 'K' || k == 'y' || k == 'Y' || ctrl_c))
        return true;
    if (q == ASK_COMMAND && (k == 'd' || k == 'D')) {
        d->leave_running = true;
        return true;
    }
    app_dash_say(d, false, "quit cancelled");
    return false;
}

