/* SPDX-License-Identifier: MIT */
/* cgwatch.c — memwatch --cgroup: resolve the cgroup, name its state and end, turn its events into marks. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "cgroup.h"
#include "jsonw.h"
#include "stats.h"
#include "timefmt.h"
#include "units.h"

/* The cgroup's events, in the order of app_session.cg_events. */
static const struct {
    unsigned flag;
    const char *label; /* the mark's */
    const char *what;  /* the summary's */
} events[] = {
    {MW_SAMPLE_CG_OOM_KILL, "oom_kill", "OOM kills"},
    {MW_SAMPLE_CG_MAX, "at limit", "at the limit (v2 max events, v1 failcnt)"},
    {MW_SAMPLE_CG_HIGH, "over high", "over memory.high"},
};
#define NEVENTS (sizeof(events) / sizeof(events[0]))

int app_cgroup_resolve(const char *spec, app_target *t)
{
    mw__cgroup_where where;
    char why[512];
    char safe[4 * 256];
    mw__safe_text(safe, sizeof(safe), spec); /* the user's bytes, echoed to a terminal */
    int rc = mw__cgroup_find(spec, NULL, NULL, &where, why, sizeof(why));
    mw__cgroup *cg = NULL;
    if (rc == 0)
        rc = mw__cgroup_open(&where, &cg, why, sizeof(why)); /* its files, now, not mid-run */
    mw__cgroup_close(cg);
    if (rc != 0) {
        fprintf(stderr, "memwatch: --cgroup '%s': %s\n", safe, why[0] ? why : mw_strerror(rc));
        return APP_EXIT_USAGE;
    }
    t->pid = 0;
    snprintf(t->cg_watch, sizeof(t->cg_watch), "%s", where.path);
    t->cg_watch_version = where.version;
    return 0;
}

bool app_cgroup_only(const app_target *t) { return t->cg_watch[0] && t->pid == 0; }

void app_cgroup_state_text(const app_target *t, char *buf, size_t n)
{
    snprintf(buf, n, "%s", t->cg_removed ? "removed: the watch ended"
                           : t->gone     ? "unreadable"
                                         : "watched");
}

void app_cgroup_end_text(const app_target *t, char *buf, size_t n)
{
    buf[0] = '\0';
    if (t->cg_removed)
        snprintf(buf, n, "cgroup %s was removed", t->cg_watch);
}

void app_cgroup_mark_events(mw__capture *c, unsigned flags)
{
    for (size_t i = 0; i < NEVENTS; i++)
        if (flags & events[i].flag)
            (void)mw__capture_mark(c, events[i].label); /* refused only past the cell's room */
}

void app_cgroup_note_events(app_session *s, unsigned flags)
{
    const mw__sample *x = mw__ring_last(&s->cap.ring);
    char at[16];
    mw__format_clock(at, sizeof(at), x ? x->t_ns - s->cap.t0_ns : 0);
    for (size_t i = 0; i < NEVENTS; i++)
        if (flags & events[i].flag) {
            s->cg_events[i]++;
            if (s->opt->no_tui) /* headless: said as it happens, as a mark from outside is */
                fprintf(stderr, "memwatch: cgroup: %s at %s\n", events[i].label, at);
        }
    app_cgroup_mark_events(&s->cap, flags);
}

/* "  NAME  initial A, final B, highest sampled C at T (what)" for a field the run knew. */
static void print_span(FILE *f, const mw__capture *c, const char *name, mw__field fld,
                       const char *what)
{
    const mw__field_span *sp = &c->all.field[fld];
    char a[32], b[32], p[32], at[64];
    if (!sp->known)
        return;
    int64_t run = c->all.last.t_ns - c->t0_ns;
    fprintf(f, "  %-9s initial %s, final %s, highest sampled %s at %s (%s)\n", name,
            mw__format_bytes(a, sizeof(a), sp->first), mw__format_bytes(b, sizeof(b), sp->last),
            mw__format_bytes(p, sizeof(p), sp->max),
            mw__format_at(at, sizeof(at), sp->max_t_ns, c->t0_ns, c->wall_offset_ns, run), what);
}

/* The limit at the end and the headroom left under it, or "no limit". */
static void print_limit(FILE *f, const mw__sample *last, int version)
{
    char a[32], b[32];
    const char *file = version == 2 ? "memory.max" : "memory.limit_in_bytes";
    if (!mw__field_known(MW__FIELD_CG_LIMIT, last->valid))
        return;
    uint64_t lim = mw__sample_field(last, MW__FIELD_CG_LIMIT);
    uint64_t cur = mw__sample_field(last, MW__FIELD_CG_CURRENT);
    if (lim == MW_CG_UNLIMITED)
        fprintf(f, "  limit     no limit (%s)\n", file);
    else
        fprintf(f, "  limit     %s (%s); headroom at the end %s\n",
                mw__format_bytes(a, sizeof(a), lim), file,
                cur >= lim ? "none" : mw__format_bytes(b, sizeof(b), lim - cur));
    if (mw__field_known(MW__FIELD_CG_HIGH, last->valid) &&
        mw__sample_field(last, MW__FIELD_CG_HIGH) != MW_CG_UNLIMITED)
        fprintf(f, "  high      %s (memory.high: throttled above it)\n",
                mw__format_bytes(a, sizeof(a), mw__sample_field(last, MW__FIELD_CG_HIGH)));
}

void app_cgroup_summary_print(FILE *f, const app_session *s)
{
    const mw__capture *c = &s->cap;
    const app_target *t = &s->target;
    char buf[64], state[64];
    app_cgroup_state_text(t, state, sizeof(state));
    fprintf(f, "memwatch summary: cgroup %s (cgroup v%d)\n  cgroup    %s\n", t->cg_watch,
            t->cg_watch_version, state);
    if (c->all.n == 0) {
        fprintf(f, "  samples   0\n");
        return;
    }
    int64_t span = c->all.last.t_ns - c->all.first.t_ns;
    fprintf(f, "  duration  %s (%.3f s)\n", mw__format_clock(buf, sizeof(buf), span),
            (double)span / 1e9);
    fprintf(f, "  samples   %llu at %s\n", (unsigned long long)c->all.n,
            mw__format_interval(buf, sizeof(buf), s->interval_ms));
    int v = t->cg_watch_version;
    print_span(f, c, "memory", MW__FIELD_CG_CURRENT,
               v == 2 ? "memory.current: everything charged to it, page cache included"
                      : "memory.usage_in_bytes: everything charged to it, page cache included");
    const mw__sample *last = &c->all.last;
    if (mw__field_known(MW__FIELD_CG_PEAK, last->valid))
        fprintf(f, "  peak      %s (the kernel's, %s: between samples too)\n",
                mw__format_bytes(buf, sizeof(buf), mw__sample_field(last, MW__FIELD_CG_PEAK)),
                v == 2 ? "memory.peak" : "memory.max_usage_in_bytes");
    print_limit(f, last, v);
    print_span(f, c, "anon", MW__FIELD_CG_ANON, "anonymous");
    print_span(f, c, "file", MW__FIELD_CG_FILE, "page cache, shmem included");
    print_span(f, c, "kernel", MW__FIELD_CG_KERNEL, "kernel memory");
    print_span(f, c, "swap", MW__FIELD_CG_SWAP, "swapped out");
    mw__headroom h;
    if (app_headroom(s, NULL, 0, &h))
        fprintf(f, "  headroom  %s\n", h.text);
    fprintf(f, "  events  ");
    for (size_t i = 0; i < NEVENTS; i++)
        fprintf(f, "%s %s: %u sample%s", i ? ";" : "", events[i].what, (unsigned)s->cg_events[i],
                s->cg_events[i] == 1 ? "" : "s");
    fputc('\n', f);
}

/* A limit field of the last sample: null when unknown or "no limit". */
static void json_limit(app_json *j, const char *key, const mw__sample *last, mw__field f)
{
    uint64_t v = mw__sample_field(last, f);
    if (mw__field_known(f, last->valid) && v != MW_CG_UNLIMITED)
        app_json_uint(j, key, v);
    else
        app_json_null(j, key);
}

void app_cgroup_json(app_json *j, const app_session *s)
{
    const app_target *t = &s->target;
    const mw__sample *last = &s->cap.all.last;
    bool any = s->cap.all.n > 0;
    if (!t->cg_watch[0]) {
        app_json_null(j, "cgroup");
        return;
    }
    app_json_begin_object(j, "cgroup");
    app_json_string(j, "path", t->cg_watch);
    app_json_int(j, "version", t->cg_watch_version);
    app_json_bool(j, "removed", t->cg_removed);
    bool lim = any && mw__field_known(MW__FIELD_CG_LIMIT, last->valid);
    uint64_t limit = lim ? mw__sample_field(last, MW__FIELD_CG_LIMIT) : 0;
    if (lim)
        app_json_bool(j, "no_limit", limit == MW_CG_UNLIMITED);
    else
        app_json_null(j, "no_limit");
    if (any) {
        json_limit(j, "limit_bytes", last, MW__FIELD_CG_LIMIT);
        json_limit(j, "high_bytes", last, MW__FIELD_CG_HIGH);
        json_limit(j, "kernel_peak_bytes", last, MW__FIELD_CG_PEAK);
    } else {
        app_json_null(j, "limit_bytes");
        app_json_null(j, "high_bytes");
        app_json_null(j, "kernel_peak_bytes");
    }
    uint64_t cur = any ? mw__sample_field(last, MW__FIELD_CG_CURRENT) : 0;
    if (lim && limit != MW_CG_UNLIMITED && mw__field_known(MW__FIELD_CG_CURRENT, last->valid))
        app_json_uint(j, "headroom_bytes", cur >= limit ? 0 : limit - cur);
    else
        app_json_null(j, "headroom_bytes");
    app_json_begin_object(j, "event_samples");
    static const char *const keys[NEVENTS] = {"oom_kill", "at_limit", "over_high"};
    for (size_t i = 0; i < NEVENTS; i++)
        app_json_uint(j, keys[i], s->cg_events[i]);
    app_json_end_object(j);
    app_json_end_object(j);
}
