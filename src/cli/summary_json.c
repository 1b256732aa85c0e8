/* SPDX-License-Identifier: MIT */
/* summary_json.c — --summary-json: the run's figures as a versioned JSON document for scripts. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "atomicfile.h"
#include "csv.h"
#include "stats.h"
#include "summary_json.h"

struct app_summary_out {
    mw__atomicfile *file; /* NULL: standard output */
    char *path;
};

bool app_summary_json_to_stdout(const app_options *o)
{
    return o->summary_json && strcmp(o->summary_json, "-") == 0;
}

int app_summary_json_open(const app_options *o, app_summary_out **out)
{
    *out = NULL;
    if (!o->summary_json)
        return 0;
    app_summary_out *f = calloc(1, sizeof(*f));
    if (!f || !(f->path = strdup(o->summary_json))) {
        free(f);
        fprintf(stderr, "memwatch: --summary-json: out of memory\n");
        return APP_EXIT_RUNTIME;
    }
    if (!app_summary_json_to_stdout(o)) {
        int rc = mw__atomicfile_create(o->summary_json, false, &f->file);
        if (rc != 0) {
            char err[768];
            mw__output_refusal(o->summary_json, errno, "write the summary to", "a summary", err,
                               sizeof(err));
            fprintf(stderr, "memwatch: --summary-json: %s\n", err);
            free(f->path);
            free(f);
            return APP_EXIT_USAGE;
        }
    }
    *out = f;
    return 0;
}

void app_summary_json_discard(app_summary_out *f)
{
    if (!f)
        return;
    mw__atomicfile_destroy(f->file);
    free(f->path);
    free(f);
}

static double secs(int64_t ns) { return (double)ns / 1e9; }

/* "2026-12-01T19:29:21.123Z" from CLOCK_REALTIME nanoseconds. */
static void iso8601(char *buf, size_t n, int64_t wall_ns)
{
    time_t sec = (time_t)(wall_ns / 1000000000);
    struct tm tm;
    gmtime_r(&sec, &tm);
    size_t k = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + k, n - k, ".%03dZ", (int)(wall_ns % 1000000000 / 1000000));
}

static void put_target(app_json *j, const app_session *s)
{
    const app_target *t = &s->target;
    char state[128];
    app_json_begin_object(j, "target");
    app_json_int(j, "pid", (int64_t)t->pid);
    if (s->opt->mode == APP_MODE_LAUNCH) {
        app_json_begin_array(j, "command");
        for (char **a = s->opt->command; *a; a++)
            app_json_string(j, NULL, *a);
        app_json_end_array(j);
    } else {
        app_json_null(j, "command");
    }
    app_json_string(j, "name", t->first_name[0] ? t->first_name
                               : t->have_info   ? t->info.name
                                                : NULL);
    app_json_bool(j, "launched", t->launched);
    app_json_bool(j, "children", s->opt->children);
    app_target_state_text(t, state, sizeof(state));
    app_json_string(j, "state", state);
    app_json_end_object(j);
}

/* Each field of the table, by its lower-case name: null when no sample knew it. */
static void put_fields(app_json *j, const mw__capture *c)
{
    app_json_begin_object(j, "fields");
    for (int f = 0; f < MW__FIELD_COUNT; f++) {
        char key[32];
        size_t i = 0;
        for (const char *p = mw__fields[f].name; *p && i + 1 < sizeof(key); p++)
            key[i++] = (char)tolower((unsigned char)*p);
        key[i] = '\0';
        const mw__field_span *sp = &c->all.field[f];
        if (c->all.n == 0 || !sp->known) {
            app_json_null(j, key);
            continue;
        }
        app_json_begin_object(j, key);
        app_json_uint(j, "initial", sp->first);
        if (mw__field_known((mw__field)f, c->all.last.valid))
            app_json_uint(j, "final", sp->last);
        else
            app_json_null(j, "final");
        app_json_uint(j, "min", sp->min);
        app_json_fixed(j, "min_t_s", secs(sp->min_t_ns - c->t0_ns), 3);
        app_json_uint(j, "peak", sp->max);
        app_json_fixed(j, "peak_t_s", secs(sp->max_t_ns - c->t0_ns), 3);
        app_json_end_object(j);
    }
    app_json_end_object(j);
}

static void opt_uint(app_json *j, const char *key, uint64_t v)
{
    if (v)
        app_json_uint(j, key, v);
    else
        app_json_null(j, key);
}

/* The kernel's marks, each as the prose summary words it (headless.c, print_rss). */
static void put_hwm(app_json *j, const app_session *s)
{
    const mw__capture *c = &s->cap;
    app_json_begin_object(j, "hwm");
    opt_uint(j, "proven_peak_bytes", c->all.max_hwm);
    opt_uint(j, "tree_sum_bound_bytes", c->all.max_hwm_sum);
    opt_uint(j, "largest_process_at_exit_bytes",
             s->opt->interval_peaks ? 0 : s->target.maxrss_bytes);
    app_json_end_object(j);
}

static void put_trend_verdict(app_json *j, const mw__capture *c, const app_gates *g)
{
    mw__trend tr;
    if (c->all.n && mw__trend_fit_run(&c->ring, &c->tiers, INT64_MIN, INT64_MAX, 1, MW__FIELD_RSS, &tr)) {
        app_json_begin_object(j, "trend");
        app_json_fixed(j, "bytes_per_s", tr.slope, 3);
        if (tr.flat) /* every value equal: R² is 0/0, undefined (the summary shows "—") */
            app_json_null(j, "r2");
        else
            app_json_fixed(j, "r2", tr.r2, 4);
        app_json_fixed(j, "window_s", tr.span_s, 3);
        app_json_end_object(j);
    } else {
        app_json_null(j, "trend");
    }
    mw_leak_result v;
    bool have = g->g[APP_GATE_LEAK].have_leak;
    if (have)
        v = g->g[APP_GATE_LEAK].leak;
    else
        have = c->all.n && mw__verdict_of_run(&c->ring, &c->tiers, &v) == 0;
    if (!have) {
        app_json_null(j, "verdict");
        return;
    }
    app_json_begin_object(j, "verdict");
    app_json_string(j, "verdict", mw__verdict_word(v.verdict));
    app_json_string(j, "reason", v.reason);
    if (v.windows) {
        app_json_fixed(j, "floor_bytes_per_s", v.floor_slope, 3);
        if (mw__verdict_fit_flat(&v)) /* every floor equal: R² undefined, as the trend's */
            app_json_null(j, "r2");
        else
            app_json_fixed(j, "r2", v.r2, 4);
        app_json_fixed(j, "span_s", v.span_s, 3);
        app_json_uint(j, "windows", v.windows);
    }
    app_json_fixed(j, "warmup_s", v.warmup_s, 3);
    app_json_end_object(j);
}

/* Time to the nearest ceiling, the OOM killer, and --new-cgroup's figures (limits.c,
 * cglaunch.c): each null when nothing true is known. */
static void put_limits(app_json *j, const app_session *s)
{
    static const char *const kinds[] = {"cgroup_limit", "mem_available", "rlimit_as"};
    mw__headroom h;
    if (app_headroom(s, NULL, 0, &h)) {
        app_json_begin_object(j, "headroom");
        app_json_string(j, "ceiling", kinds[h.kind]);
        app_json_fixed(j, "seconds", h.seconds, 1);
        app_json_string(j, "text", h.text);
        app_json_end_object(j);
    } else {
        app_json_null(j, "headroom");
    }
    char oom[192];
    if (app_oom_text(s, oom, sizeof(oom)))
        app_json_string(j, "oom", oom);
    else
        app_json_null(j, "oom");
    const mw__cgroup_sample *cg = &s->cg_end;
    if (!s->cg_have_end) {
        app_json_null(j, "new_cgroup");
        return;
    }
    app_json_begin_object(j, "new_cgroup");
    opt_uint(j, "peak_bytes", (cg->have & MW__CG_PEAK) ? cg->peak : 0);
    opt_uint(j, "limit_bytes", (cg->have & MW__CG_LIMIT) && cg->limit != MW__CG_UNLIMITED ? cg->limit : 0);
    if (cg->have & MW__CG_OOM_KILL)
        app_json_uint(j, "oom_kills", cg->oom_kill);
    else
        app_json_null(j, "oom_kills");
    app_json_end_object(j);
}

static void put_gates(app_json *j, const app_gates *g)
{
    app_json_begin_array(j, "gates");
    for (int k = 0; k < APP_GATE_COUNT; k++) {
        const app_gate *x = &g->g[k];
        if (!x->on)
            continue;
        app_json_begin_object(j, NULL);
        app_json_string(j, "name", app_gate_option((app_gate_kind)k));
        if (k == APP_GATE_LEAK) {
            app_json_null(j, "limit_bytes");
            app_json_null(j, "figure_bytes");
            app_json_string(j, "verdict", x->have_leak ? mw__verdict_word(x->leak.verdict) : NULL);
        } else {
            app_json_uint(j, "limit_bytes", x->limit);
            if (x->decided)
                app_json_int(j, "figure_bytes", x->figure);
            else
                app_json_null(j, "figure_bytes");
            if (k == APP_GATE_ABOVE && x->decided)
                app_json_string(j, "figure_source", app_peak_source_key(x->source));
            else if (k == APP_GATE_ABOVE)
                app_json_null(j, "figure_source");
        }
        app_json_bool(j, "tripped", x->tripped);
        app_json_bool(j, "decided", x->decided);
        app_json_end_object(j);
    }
    app_json_end_array(j);
}

/* Sampling gaps over the whole run (the session counts every sample as it is kept, so samples
 * the history has since dropped still count): samples the sampler took but memwatch could not copy
 * in time; times between two samples longer than twice the interval then in force (a suspended
 * machine, a stopped memwatch, a loaded system); and the longest time between two samples. */
static void put_gaps(app_json *j, const app_session *s)
{
    app_json_begin_object(j, "gaps");
    app_json_uint(j, "lost_samples", s->cap.lost);
    app_json_uint(j, "longer_than_twice_interval", s->gaps.count);
    if (s->gaps.have && s->cap.all.n >= 2)
        app_json_fixed(j, "longest_between_samples_s", secs(s->gaps.longest_ns), 3);
    else
        app_json_null(j, "longest_between_samples_s");
    app_json_end_object(j);
}

/* Why recording ended: memwatch's signal, the target's own end, or memwatch's (-t, q). */
static const char *end_reason(const app_session *s, const app_run_end *how)
{
    const app_target *t = &s->target;
    if (how->quit_signal)
        return "signal";
    if (how->reader_gone)
        return "reader_gone";
    if (!how->ended_by_us && (app_session_ended(s) || t->gone || t->reaped)) {
        if (t->reused)
            return "reused";
        if (t->cg_removed)
            return "cgroup_removed";
        if (t->reaped && WIFSIGNALED(t->wait_status))
            return "killed";
        if (s->end_reason && s->end_reason != MW_ENOPROC)
            return "unreadable";
        return "exited";
    }
    return s->opt->no_tui ? "duration" : "quit";
}

void app_summary_json_build(app_json *j, const app_session *s, const app_run_end *how,
                            const app_gates *g, int status)
{
    const mw__capture *c = &s->cap;
    char when[40];
    int64_t wall_start = c->have_t0 ? c->t0_ns + c->wall_offset_ns : 0;
    if (!c->have_t0) { /* no sample: when the session began, by today's offset of the clocks */
        struct timespec rt;
        clock_gettime(CLOCK_REALTIME, &rt);
        wall_start = mw__ts_to_ns(&rt) - (mw__now_ns() - s->started_ns);
    }
    iso8601(when, sizeof(when), wall_start);
    app_json_begin_object(j, NULL);
    app_json_uint(j, "schema", APP_SUMMARY_SCHEMA);
    app_json_string(j, "memwatch_version", PACKAGE_VERSION);
    put_target(j, s);
    app_json_string(j, "started", when);
    if (c->all.n)
        app_json_fixed(j, "duration_s", secs(c->all.last.t_ns - c->all.first.t_ns), 3);
    else
        app_json_null(j, "duration_s");
    app_json_uint(j, "samples", c->all.n);
    app_json_uint(j, "interval_ms", s->interval_ms);
    put_gaps(j, s);
    app_json_string(j, "rss_counts", s->opt->children ? "tree total" : "process");
    put_fields(j, c);
    app_cgroup_json(j, s); /* "cgroup": null unless --cgroup */
    put_hwm(j, s);
    if (c->all.n)
        app_json_int(j, "growth_bytes", mw__summary_growth(&c->all));
    else
        app_json_null(j, "growth_bytes");
    put_trend_verdict(j, c, g);
    put_limits(j, s);
    put_gates(j, g);
    app_json_string(j, "end_reason", end_reason(s, how));
    app_json_int(j, "exit_status", status);
    app_json_end_object(j);
}

int app_summary_json_finish(app_session *s, const app_run_end *how, const app_gates *g,
                            int status)
{
    app_summary_out *f = s->summary;
    if (!f)
        return 0;
    s->summary = NULL;
    app_json j;
    app_json_init(&j);
    app_summary_json_build(&j, s, how, g, status);
    int rc = j.failed ? MW_ENOMEM : 0;
    int e = ENOMEM;
    if (rc == 0 && !f->file) {
        fflush(stdout);
        rc = mw__write_full(STDOUT_FILENO, j.buf, j.len, NULL);
        e = errno;
    } else if (rc == 0) {
        rc = mw__atomicfile_write(f->file, j.buf, j.len);
        if (rc == 0)
            rc = mw__atomicfile_commit(f->file);
        e = errno;
    }
    if (rc != 0) {
        char err[768];
        mw__file_error(err, sizeof(err), "write the summary to",
                       f->file ? f->path : "standard output", strerror(e));
        fprintf(stderr, "memwatch: --summary-json: %s\n", err);
    }
    app_json_free(&j);
    app_summary_json_discard(f);
    return rc ? -1 : 0;
}
