/* SPDX-License-Identifier: MIT */
/* session.c — a live session: start the watcher, move its samples into the capture and the -o file. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "markctl.h"
#include "csv.h"
#include "probe.h"
#include "sample.h"
#include "units.h"
#include "watcher.h"

/* The watcher's ring only buffers samples between two polls of the main thread; the capture
 * holds the history. 16384 samples is 16 s at 1 kHz, hours at slower rates, under 1 MiB. */
#define WATCHER_BUFFER 16384
#define DRAIN_CHUNK 1024
#define INFO_REFRESH_NS 1000000000LL

/* --pss asked for figures this system or this user cannot read: say so now, not with a chart
 * that never fills. A process that already ended is the session's news, not this check's. */
static int check_pss(pid_t pid)
{
    mw__rollup r;
    int rc = mw__probe_rollup(pid, &r);
    if (rc == MW_EUNSUPPORTED) {
        fprintf(stderr, "memwatch: --pss: this system gives no PSS (it needs Linux 4.14 or later "
                        "with /proc/PID/smaps_rollup)\n");
        return APP_EXIT_RUNTIME;
    }
    if (rc == MW_EPERM) {
        fprintf(stderr, "memwatch: --pss: cannot read PID %ld's smaps_rollup: %s (PSS needs the "
                        "process's owner or root)\n", (long)pid, mw_strerror(rc));
        return APP_EXIT_RUNTIME;
    }
    return 0;
}

int app_report_watch_error(pid_t pid, int rc)
{
    switch (rc) {
    case MW_ENOPROC:
        fprintf(stderr, "memwatch: no such process: PID %ld\n", (long)pid);
        return APP_EXIT_USAGE;
    case MW_EPERM:
        fprintf(stderr, "memwatch: cannot read the memory of PID %ld: permission denied "
                        "(it belongs to another user; run memwatch as that user)\n", (long)pid);
        return APP_EXIT_USAGE;
    case MW_EKTHREAD:
        fprintf(stderr, "memwatch: PID %ld is a kernel thread: it has no user memory to watch\n",
                (long)pid);
        return APP_EXIT_USAGE;
    case MW_EUNSUPPORTED:
        fprintf(stderr, "memwatch: memory sampling is not supported on this operating system "
                        "(%s)\n", MW_HOST_OS);
        return APP_EXIT_RUNTIME;
    default:
        fprintf(stderr, "memwatch: cannot watch PID %ld: %s\n", (long)pid, mw_strerror(rc));
        return APP_EXIT_RUNTIME;
    }
}

int app_session_open(app_session *s, const app_options *o, const app_target *t, mw__csv_stream *out)
{
    memset(s, 0, sizeof(*s));
    s->out = out; /* ours from now on, whatever happens */
    s->opt = o;
    s->target = *t;
    s->interval_ms = o->interval_ms;
    s->started_ns = mw__now_ns();
    app_limits_start(s); /* the OOM count before anything can be killed */
    if (mw__capture_init(&s->cap, o->history) != 0) {
        fprintf(stderr, "memwatch: cannot keep %zu samples in memory: out of memory\n",
                o->history);
        return APP_EXIT_RUNTIME;
    }
    s->cap.pid = t->pid;
    if (o->mode == APP_MODE_DEMO)
        snprintf(s->cap.command, sizeof(s->cap.command),
                 "memwatch demo: a steady leak, a sawtooth, a spike, a plateau");
    else if (t->have_info) /* the process chose these bytes: escaped before any terminal */
        mw__safe_text(s->cap.command, sizeof(s->cap.command),
                      t->info.cmdline[0] ? t->info.cmdline : t->info.name);
    s->bufcap = DRAIN_CHUNK;
    s->buf = malloc(s->bufcap * sizeof(*s->buf));
    mw_config cfg = mw_config_default();
    cfg.interval_ms = o->interval_ms;
    cfg.history_size = WATCHER_BUFFER;
    cfg.pid = t->pid;
    cfg.include_children = o->children;
    cfg.reset_peaks = o->interval_peaks;
    cfg.pss_interval_ms = o->pss_interval_ms;
    cfg.verbose_logging = o->verbose && o->no_tui;
    s->watcher = s->buf ? mw_watcher_new(&cfg) : NULL;
    /* --cgroup's alone (no process), or --new-cgroup's beside the command it launched: its
     * figures and events then ride on the command's samples (CSV columns, charts, marks). */
    const char *cg = t->cg_watch[0] ? t->cg_watch : t->cgroup_path;
    int cgv = t->cg_watch[0] ? t->cg_watch_version : t->cgroup_version;
    if (!s->watcher || (cg[0] && mw__watcher_set_cgroup(s->watcher, cg, cgv, t->pid == 0))) {
        fprintf(stderr, "memwatch: cannot start the sampler: out of memory\n");
        return APP_EXIT_RUNTIME;
    }
    if (o->pss_interval_ms && check_pss(t->pid) != 0)
        return APP_EXIT_RUNTIME;
    int rc = mw_watcher_start(s->watcher);
    if (rc == MW_ENOPROC && t->launched) {
        /* Our command ended before its first sample (e.g. `true`): not an error. The session
         * runs with no samples and reports its exit status. */
        s->end_reason = MW_ENOPROC;
        app_target_reap(&s->target);
    } else if (rc != 0 && cg[0]) {
        fprintf(stderr, "memwatch: cannot watch cgroup %s: %s\n", cg, mw_strerror(rc));
        return APP_EXIT_RUNTIME;
    } else if (rc != 0) {
        return app_report_watch_error(s->target.pid, rc);
    }
    s->last_flush_ns = mw__now_ns();
    char warn[PATH_MAX + 160];
    s->ctl = app_markctl_open(s->target.pid, warn, sizeof(warn));
    if (warn[0] && o->no_tui) /* the dashboard goes on without it: --mark says none is there */
        fprintf(stderr, "memwatch: %s\n", warn);
    return 0;
}

/* Write the held row: the newest sample's, with every mark it has by now. It is held back until
 * the next sample comes or the session is closed, because marks can still join it: the ones
 * settled on it when recording stops, and the ones made after the target ended. */
static void write_held_row(app_session *s)
{
    if (!s->out_held)
        return;
    s->out_held = false;
    if (!s->out || s->out_failed)
        return;
    const mw__sample *x = mw__ring_last(&s->cap.ring);
    char cell[MW__MARKER_CELL];
    const char *label = (x->flags & MW_SAMPLE_MARK)
                            ? mw__capture_marker(&s->cap, mw__ring_end(&s->cap.ring) - 1, cell,
                                                 sizeof(cell))
                            : NULL;
    if (mw__csv_stream_write(s->out, &s->cap, x, label, s->out_err, sizeof(s->out_err)) != 0) {
        s->out_errno = errno;
        s->out_failed = true; /* the capture keeps everything; only the file stops */
    }
}

static void add_sample(app_session *s, const mw_stats *st)
{
    mw__sample x;
    mw__sample_from_stats(&x, st);
    write_held_row(s); /* the previous newest: no mark can join it any more */
    mw__capture_add(&s->cap, &x); /* flags it when marks were waiting for it */
    if (x.flags & (MW_SAMPLE_CG_OOM_KILL | MW_SAMPLE_CG_MAX | MW_SAMPLE_CG_HIGH))
        app_cgroup_note_events(s, x.flags);
    mw__gaps_add(&s->gaps, x.t_ns, s->interval_ms);
    s->out_held = true;
    if (s->opt->alert_bytes) {
        bool above = x.rss >= s->opt->alert_bytes;
        if (above && !s->alert_crossed)
            s->alert_fired = true; /* the caller rings/prints once and clears it */
        s->alert_crossed = above;
    }
}

static size_t drain(app_session *s)
{
    size_t total = 0;
    for (;;) {
        size_t n = mw_watcher_history_since(s->watcher, &s->next_seq, s->buf, s->bufcap,
                                            &s->cap.lost);
        for (size_t i = 0; i < n; i++)
            add_sample(s, &s->buf[i]);
        total += n;
        if (n < s->bufcap)
            break;
    }
    return total;
}

static void flush_output(app_session *s)
{
    if (!s->out || s->out_failed)
        return;
    if (mw__csv_stream_flush(s->out, s->out_err, sizeof(s->out_err)) != 0) {
        s->out_errno = errno;
        s->out_failed = true;
    }
    s->last_flush_ns = mw__now_ns();
}

size_t app_session_poll(app_session *s)
{
    if (!s->watcher)
        return 0;
    app_target_reap(&s->target);
    size_t n = drain(s);
    if (n)
        flush_output(s); /* every poll that wrote rows: at risk, one poll and the held row */
    if (!s->end_reason && !mw_watcher_is_running(s->watcher)) {
        s->end_reason = mw_watcher_end_reason(s->watcher);
        if (s->end_reason == 0)
            s->end_reason = MW_ENOPROC;
        n += drain(s);
        flush_output(s);
        /* No sample will come for marks that wait: they join the newest, whose -o row is held
         * until the session is closed (marks made from now on join it too). */
        mw__capture_settle_marks(&s->cap);
        s->target.cg_removed = mw__watcher_cgroup_removed(s->watcher);
        if (s->end_reason == MW_EREUSED)
            s->target.reused = s->target.gone = true;
        else if (!s->target.launched)
            s->target.gone = true;
    }
    /* After the drain, as a key is read after it: a mark goes on a sample taken after it came. */
    app_markctl_poll(s->ctl, s);
    /* Refresh the name and state at most once a second for the dashboard: cheap, but not free,
     * and headless recording only needs them for the summary. */
    int64_t now = mw__now_ns();
    if (!s->opt->no_tui && !s->target.gone && !app_cgroup_only(&s->target) &&
        now - s->last_info_ns >= INFO_REFRESH_NS) {
        app_target_refresh(&s->target);
        s->last_info_ns = now;
    }
    app_limits_refresh(s); /* at most once a second */
    app_promfile_tick(s, false);
    return n;
}

int app_session_peak_reset_news(app_session *s)
{
    mw_watcher_status ws;
    if (!s->opt->interval_peaks || s->peak_reset_warned || !s->watcher ||
        mw_watcher_get_status(s->watcher, &ws) != 0 || ws.peak_reset_error == 0)
        return 0;
    s->peak_reset_warned = true;
    return ws.peak_reset_error;
}

uint32_t app_session_pss_news(app_session *s)
{
    mw_watcher_status ws;
    if (!s->opt->pss_interval_ms || !s->watcher || mw_watcher_get_status(s->watcher, &ws) != 0)
        return 0;
    uint32_t n = ws.pss_unreadable;
    if (n == s->pss_unreadable_said)
        return 0;
    s->pss_unreadable_said = n;
    return n;
}

int app_session_set_interval(app_session *s, uint64_t ms)
{
    int rc = mw_watcher_set_interval(s->watcher, ms);
    if (rc == 0)
        s->interval_ms = ms;
    return rc;
}

int app_session_mark(app_session *s, const char *label)
{
    /* No sample will come: mark the last one (its -o row is held until the session is closed).
     * Otherwise the next one, whose -o row is still to be written; every mark waits, however
     * many. A reaped target is as ended as the watcher's verdict, which can come a poll later:
     * the screen already says "process ended", so a mark made now is one the export must hold. */
    if (app_session_ended(s) || s->target.gone)
        return mw__capture_mark(&s->cap, label);
    return mw__capture_mark_next(&s->cap, label);
}

bool app_session_ended(const app_session *s) { return s->end_reason != 0; }

void app_session_stop(app_session *s)
{
    app_markctl_close(s->ctl); /* no mark from outside once recording stops */
    s->ctl = NULL;
    if (!s->watcher)
        return;
    mw_watcher_stop(s->watcher);
    drain(s);
    mw__capture_settle_marks(&s->cap); /* marks still waiting join the newest sample... */
    write_held_row(s);                 /* ...whose -o row was held for them */
    flush_output(s);
    app_promfile_tick(s, true);        /* the final figures, memwatch_target_running 0 */
    if (s->out) {
        char err[512];
        s->out_rows = mw__csv_stream_rows_out(s->out);
        if (mw__csv_stream_close(s->out, err, sizeof(err)) != 0 && !s->out_failed) {
            s->out_failed = true;
            snprintf(s->out_err, sizeof(s->out_err), "%s", err);
        }
        s->out = NULL;
    }
}

void app_session_destroy(app_session *s)
{
    app_session_stop(s);
    mw_watcher_free(s->watcher);
    s->watcher = NULL;
    free(s->buf);
    s->buf = NULL;
    mw__capture_destroy(&s->cap);
    app_promfile_free(s->prom);
    s->prom = NULL;
    mw__cgroup_close(s->cg_live); /* --new-cgroup's reader, if the end did not close it */
    s->cg_live = NULL;
}

bool app_session_root(const app_session *s, mw_tree_process *out)
{
    size_t n = 0;
    if (!s->watcher)
        return false;
    mw_watcher_get_processes(s->watcher, NULL, 0, &n);
    mw_tree_process *rows = n ? malloc(n * sizeof(*rows)) : NULL;
    if (!rows)
        return false;
    n = mw_watcher_get_processes(s->watcher, rows, n, NULL);
    bool found = false;
    for (size_t i = 0; i < n && !found; i++)
        if (rows[i].flags & MW_PROC_ROOT) {
            *out = rows[i];
            found = true;
        }
    free(rows);
    return found;
}
