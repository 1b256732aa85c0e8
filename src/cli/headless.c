/* SPDX-License-Identifier: MIT */
/* headless.c — --no-tui: record until the target ends, -t expires or a signal comes; print a summary. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "gates.h"
#include "summary_json.h"
#include "timefmt.h"
#include "headmarks.h"
#include "markctl.h"
#include "stats.h"
#include "units.h"
#include "verdict.h"
#include "where.h"

/* How often the main thread wakes to move samples into the capture and flush -o. The sampler
 * runs on its own clock; this bounds what a killed recorder can lose: half a second, so the
 * promised second holds even when the machine is loaded and this thread wakes late. The cost is
 * one wake-up and one write() per half second (~30 µs here), against the ~25 samples of a 50 Hz
 * recording in that time at ~100 µs each: about 1 %. */
#define POLL_MS 500

/* While a mark's "where it went" is read: its line should not wait half a second. */
#define SOON_MS 20

/* The nap ends early for a --mark client (the control socket) or a signal. */
static void sleep_until_next_poll(const app_session *s, int64_t deadline_ns, bool soon)
{
    int64_t wait = (int64_t)(soon ? SOON_MS : POLL_MS) * 1000000;
    if (deadline_ns) {
        int64_t left = deadline_ns - mw__now_ns();
        if (left < wait)
            wait = left > 0 ? left : 0;
    }
    struct pollfd fds[16];
    size_t n = app_markctl_pollfds(s->ctl, fds, 16);
    poll(fds, n, (int)((wait + 999999) / 1000000)); /* EINTR from a signal ends the nap early */
}

static void print_alert(const app_session *s)
{
    char now[32], thr[32];
    const mw__sample *last = mw__ring_last(&s->cap.ring);
    fprintf(stderr, "memwatch: alert: RSS %s crossed %s at %s (PID %ld)\n",
            mw__format_bytes(now, sizeof(now), last ? last->rss : 0),
            mw__format_bytes(thr, sizeof(thr), s->opt->alert_bytes),
            mw__format_clock((char[16]){0}, 16, last ? last->t_ns - s->cap.t0_ns : 0),
            (long)s->target.pid);
}

/* Once per run: sampling goes on, but the user asked for interval peaks and does not get them. */
static void warn_peak_reset(app_session *s)
{
    int e = app_session_peak_reset_news(s);
    if (e)
        fprintf(stderr, "memwatch: --interval-peaks: cannot reset PID %ld's peak (%s): sampling "
                        "goes on with lifetime peaks only\n", (long)s->target.pid, mw_strerror(e));
}

static void warn_pss(app_session *s)
{
    uint32_t n = app_session_pss_news(s);
    if (n)
        fprintf(stderr, "memwatch: --pss: %u process%s of the tree hide%s smaps_rollup (another "
                        "user's, or non-dumpable): PSS is not shown while a sum would leave %s out\n",
                n, n == 1 ? "" : "es", n == 1 ? "s its" : " their", n == 1 ? "it" : "them");
}

/* Where it went, headless: a smaps baseline at the first sample (on the worker), one more read
 * at the end while the process still runs, and the top groups that grew in the summary. A
 * process that already ended has no smaps left to read: one line says so. Marks from outside
 * read it too, and the end then counts from the last (headmarks.c). */
static void where_end(app_where_ui *w, app_session *s)
{
    if (!w->w || s->target.gone || app_session_ended(s))
        return;
    app_where_show(w->w);
    app_where_wait(w->w);
    app_where_ui_tick(w, s->target.pid, true);
}

static void where_print(FILE *f, const app_where_ui *w, const app_session *s)
{
    if (!w->w)
        return;
    if (!w->have) {
        fprintf(f, "  where it went: not read (the process ended: /proc/%ld/smaps is gone with it)\n",
                (long)s->target.pid);
        return;
    }
    char line[1600];
    app_where_line(&w->res, line, sizeof(line));
    fprintf(f, "  %s\n", line);
}

int app_headless_run(app_session *s)
{
    app_where_ui where = {0};
    app_headmarks marks = {0};
    const app_options *o = s->opt;
    int64_t deadline = o->duration_ms ? s->started_ns + (int64_t)o->duration_ms * 1000000 : 0;
    app_run_end how = {0};
    for (;;) {
        app_session_poll(s);
        bool got = app_where_ui_tick(&where, s->target.pid,
                                     s->cap.ring.end > 0 && !app_cgroup_only(&s->target));
        app_headmarks_turn(&marks, &where, s, got, stderr);
        warn_peak_reset(s);
        warn_pss(s);
        if (s->alert_fired) {
            s->alert_fired = false;
            print_alert(s);
        }
        if (s->out_failed && s->out_errno == EPIPE) {
            how.reader_gone = true; /* the reader went away: end quietly, like any filter */
            break;
        }
        if (s->out_failed && !how.out_reported) {
            /* Say so now, not only at the end of what may be a long run; watching goes on. */
            how.out_reported = true;
            app_run_report_output(s, true);
        }
        if (app_quit_signal) {
            how.quit_signal = (int)app_quit_signal;
            break;
        }
        if (app_session_ended(s) || (deadline && mw__now_ns() >= deadline))
            break;
        sleep_until_next_poll(s, deadline, app_headmarks_busy(&marks));
    }
    if (!how.reader_gone) { /* before the run's end stops a launched command */
        app_headmarks_end(&marks, &where, s, stderr);
        where_end(&where, s);
    }
    app_run_finish(s, &how);
    char gone[4200];
    app_cgroup_end_text(&s->target, gone, sizeof(gone));
    if (gone[0]) /* the reason the watch ended, as plainly as a process's exit status */
        fprintf(stderr, "memwatch: %s: the watch ended\n", gone);
    warn_peak_reset(s); /* a run shorter than one poll */
    if (how.reader_gone) { /* no prose; the gates and --summary-json FILE are still the script's */
        app_where_ui_free(&where);
        return app_run_conclude(s, &how);
    }
    if (!s->target.gone)
        app_target_refresh(&s->target); /* a PID left running: its state now (e.g. exec'd) */
    /* -o - and --summary-json -: stdout is the capture's, or the document's, alone. */
    FILE *f = app_output_is_stdout(o) || app_summary_json_to_stdout(o) ? stderr : stdout;
    app_summary_print(f, s);
    where_print(f, &where, s);
    app_where_ui_free(&where);
    fflush(f);
    return app_run_conclude(s, &how);
}

/* The run's length: under a minute, the summary's times get milliseconds. */
static int64_t run_ns(const mw__capture *c) { return c->all.last.t_ns - c->t0_ns; }

static void print_series(FILE *f, const char *name, const mw__capture *c, mw__field fld,
                         const mw__sample *peak, const char *what)
{
    char a[32], b[32], p[32], at[64];
    fprintf(f, "  %-9s initial %s, final %s, peak %s at %s", name,
            mw__format_bytes(a, sizeof(a), mw__sample_field(&c->all.first, fld)),
            mw__format_bytes(b, sizeof(b), mw__sample_field(&c->all.last, fld)),
            mw__format_bytes(p, sizeof(p), mw__sample_field(peak, fld)),
            mw__format_at(at, sizeof(at), peak->t_ns, c->t0_ns, c->wall_offset_ns, run_ns(c)));
    if (what)
        fprintf(f, " (%s)", what);
    fputc('\n', f);
}

/* A field read on its own cadence (PSS, USS): from the first sample that knew it to the last. */
static void print_field(FILE *f, const char *name, const mw__capture *c, mw__field fld,
                        uint64_t every_ms, const char *what)
{
    const mw__field_span *sp = &c->all.field[fld];
    char a[32], b[32], p[32], at[64], ev[32], lt[16];
    if (!sp->known)
        return;
    bool now = mw__field_known(fld, c->all.last.valid);
    fprintf(f, "  %-9s initial %s, %s %s%s%s, peak %s at %s (read every %s; %s)\n", name,
            mw__format_bytes(a, sizeof(a), sp->first), now ? "final" : "last known",
            mw__format_bytes(b, sizeof(b), sp->last), now ? "" : " at ",
            now ? "" : mw__format_clock(lt, sizeof(lt), sp->last_t_ns - c->t0_ns),
            mw__format_bytes(p, sizeof(p), sp->max),
            mw__format_at(at, sizeof(at), sp->max_t_ns, c->t0_ns, c->wall_offset_ns, run_ns(c)),
            mw__format_interval(ev, sizeof(ev), every_ms), what);
}

/* wait4's figure (what time(1) reports) is the largest RSS of any one process of the tree that
 * was waited for, memwatch's forked image before exec included. Far above anything the watched
 * process itself reached (sampled, or its own kernel mark), it was a descendant. */
static void print_kernel_max(FILE *f, const app_session *s)
{
    const mw__capture *c = &s->cap;
    char buf[32];
    if (!s->target.maxrss_bytes)
        return;
    if (s->opt->interval_peaks) { /* clear_refs resets the figure wait4 reports, too */
        fprintf(f, "            the kernel's largest-process figure at exit is not shown: "
                   "--interval-peaks reset the marks it comes from\n");
        return;
    }
    uint64_t own = c->all.peak_rss.rss;
    if (c->all.max_hwm > own)
        own = c->all.max_hwm;
    if ((c->all.last.valid & MW_HAVE_HWM) && c->all.last.nprocs <= 1 && c->all.last.hwm > own)
        own = c->all.last.hwm;
    fprintf(f, "            largest single process in the tree, per the kernel at exit (of those "
               "waited for): %s",
            mw__format_bytes(buf, sizeof(buf), s->target.maxrss_bytes));
    if (!s->opt->children && s->target.maxrss_bytes * 2 > own * 3)
        fprintf(f, ": more than the watched process ever showed (a descendant, or a spike after "
                   "its last sample); -c watches the whole tree");
    fputc('\n', f);
}

/* The RSS lines, each saying what it counts: the sampled peak (of the tree with -c), the
 * target's own, the upper bound a sum of marks gives, a proven spike, and the kernel's figure
 * at exit, which is the largest single process anywhere in the tree. */
static void print_rss(FILE *f, const app_session *s)
{
    const mw__capture *c = &s->cap;
    bool tree = s->opt->children;
    char buf[32], buf2[32];
    print_series(f, "RSS", c, MW__FIELD_RSS, &c->all.peak_rss,
                 tree ? "sampled tree total" : "the watched process");
    mw_tree_process root, spike;
    if (tree && app_session_root(s, &root))
        fprintf(f, "            the target alone: peak %s (sampled)\n",
                mw__format_bytes(buf, sizeof(buf), root.max_rss));
    if (c->all.max_hwm_sum > c->all.peak_rss.rss)
        fprintf(f, "            sum of each process's own high-water mark <= %s: an upper bound of "
                   "the tree's peak over the processes sampled, not a peak\n",
                mw__format_bytes(buf, sizeof(buf), c->all.max_hwm_sum));
    if (!tree && c->all.max_hwm > c->all.peak_rss.rss)
        fprintf(f, "            kernel high-water mark %s: a peak above every sample happened "
                   "between samples\n", mw__format_bytes(buf, sizeof(buf), c->all.max_hwm));
    if (tree && s->watcher && mw_watcher_top_spike(s->watcher, &spike) == 0) {
        char name[64];
        mw__safe_text(name, sizeof(name), spike.name);
        fprintf(f, "            between samples: PID %ld (%s) reached %s (its kernel high-water "
                   "mark), above every sample of it (%s)\n", (long)spike.pid, name,
                mw__format_bytes(buf, sizeof(buf), spike.hwm),
                mw__format_bytes(buf2, sizeof(buf2), spike.max_rss));
    }
    print_kernel_max(f, s);
}

/* The summary's last lines: where the recording and the launched command's output went. */
static void print_files(FILE *f, const app_session *s)
{
    const char *out = app_output_is_stdout(s->opt) ? "standard output" : s->opt->output;
    if (out && !s->out_failed)
        fprintf(f, "  output    %s\n", out);
    else if (out) /* a full disk, a size limit, a deleted file: what made it (see stderr) */
        fprintf(f, "  output    %s: recording stopped after %" PRIu64 " complete rows\n", out,
                s->out_rows);
    if (s->target.launched && s->target.log_path[0])
        fprintf(f, "  log       %s\n", s->target.log_path);
}

static void print_gates(FILE *f, const app_session *s)
{
    app_gates gates;
    app_gates_eval(s, NULL, &gates);
    app_gates_summary(f, &gates);
}

void app_summary_print(FILE *f, const app_session *s)
{
    const mw__capture *c = &s->cap;
    char buf[64], buf2[64];
    char raw[128], state[512]; /* "exec'd NAME": the name is the process's own choice */
    if (app_cgroup_only(&s->target)) {
        app_cgroup_summary_print(f, s);
        print_gates(f, s);
        print_files(f, s);
        return;
    }
    app_target_state_text(&s->target, raw, sizeof(raw));
    mw__safe_text(state, sizeof(state), raw);
    fprintf(f, "memwatch summary: PID %ld", (long)s->target.pid);
    if (c->command[0])
        fprintf(f, " (%s)", c->command);
    fprintf(f, "\n  target    %s\n", state);
    char oom[192];
    if (app_oom_text(s, oom, sizeof(oom)))
        fprintf(f, "  OOM       %s\n", oom);
    app_cglaunch_summary(f, s);
    if (c->all.n == 0) {
        fprintf(f, "  samples   0: the process ended before the first sample\n");
        print_gates(f, s); /* the kernel's figure at exit may still decide --fail-above */
        print_files(f, s); /* its output is still worth reading */
        return;
    }
    int64_t span = c->all.last.t_ns - c->all.first.t_ns;
    fprintf(f, "  duration  %s (%.3f s)\n", mw__format_clock(buf, sizeof(buf), span),
            (double)span / 1e9);
    fprintf(f, "  samples   %" PRIu64 " at %s", c->all.n,
            mw__format_interval(buf, sizeof(buf), s->interval_ms));
    if (c->lost)
        fprintf(f, " (%" PRIu64 " lost: memwatch could not keep up)", c->lost);
    fprintf(f, "\n");
    if (s->gaps.count)
        fprintf(f, "  gaps      %" PRIu64 " longer than twice the interval (longest %.1f s)\n",
                s->gaps.count, (double)s->gaps.longest_ns / 1e9);
    if (s->opt->children) /* -c: how many processes were summed (the header's "N procs") */
        fprintf(f, "  processes %u at the RSS peak, %u at the last sample (the target and its "
                   "descendants)\n", (unsigned)c->all.peak_rss.nprocs, (unsigned)c->all.last.nprocs);
    print_rss(f, s);
    print_series(f, "VSZ", c, MW__FIELD_VSZ, &c->all.peak_vsz, NULL);
    print_field(f, "PSS", c, MW__FIELD_PSS, s->opt->pss_interval_ms,
                "shared pages divided among the processes sharing them");
    print_field(f, "USS", c, MW__FIELD_USS, s->opt->pss_interval_ms,
                "private pages only: what freeing the processes would return");
    if (s->opt->pss_interval_ms && !mw__field_known(MW__FIELD_PSS, c->all.last.valid))
        fprintf(f, "  %-9s %s: %s\n", c->all.field[MW__FIELD_PSS].known ? "" : "PSS",
                c->all.field[MW__FIELD_PSS].known ? "unknown at the end" : "none",
                s->pss_unreadable_said
                    ? "some process of the tree hid its smaps_rollup (another user's, or "
                      "non-dumpable), and a sum without it would not add up"
                    : "no reading finished before the end");
    int64_t g = mw__summary_growth(&c->all);
    double pct;
    if (mw__growth_percent(c->all.first.rss, g, &pct))
        fprintf(f, "  growth    %s (%+.1f%%)\n", mw__format_bytes_signed(buf, sizeof(buf), g), pct);
    else /* a start under 1 MiB (caught mid-exec): a percentage of it means nothing */
        fprintf(f, "  growth    %s (from %s at the first sample: no percentage)\n",
                mw__format_bytes_signed(buf, sizeof(buf), g),
                mw__format_bytes(buf2, sizeof(buf2), c->all.first.rss));
    mw__trend tr;
    if (mw__trend_fit_run(&c->ring, &c->tiers, INT64_MIN, INT64_MAX, 1, MW__FIELD_RSS, &tr)) {
        char r2[16];
        fprintf(f, "  trend     %s/min (%s) over the last %s\n",
                mw__format_bytes_signed(buf, sizeof(buf), (int64_t)(tr.slope * 60.0)),
                mw__format_r2(r2, sizeof(r2), tr.r2, tr.flat, s->opt->ascii),
                mw__format_span(buf2, sizeof(buf2), (int64_t)(tr.span_s * 1e9)));
    }
    mw_leak_result v; /* over the whole capture: the floor, not the sawtooth (verdict.h) */
    if (mw__verdict_of_run(&c->ring, &c->tiers, &v) == 0)
        fprintf(f, "  verdict   %s: %s\n", mw__verdict_word(v.verdict), v.reason);
    mw__headroom h;
    if (app_headroom(s, NULL, 0, &h))
        fprintf(f, "  headroom  %s\n", h.text);
    print_gates(f, s);
    print_files(f, s);
}
