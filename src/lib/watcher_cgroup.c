/* SPDX-License-Identifier: MIT */
/* watcher_cgroup.c — the sampler's memory cgroup: opened with the watch, read into each sample, its events flagged. */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "watcher.h"
#include "watcher_impl.h"

int mw__watcher_set_cgroup(mw_watcher *w, const char *path, int version, bool no_process)
{
    if (!w || !path || !path[0] || strlen(path) >= MW__CG_PATH_MAX || (version != 1 && version != 2))
        return MW_EINVAL;
    lock_w(w);
    bool running = w->running;
    unlock_w(w);
    if (running || w->thread_live)
        return MW_EINVAL;
    if (!w->cg_where && !(w->cg_where = calloc(1, sizeof(*w->cg_where))))
        return MW_ENOMEM;
    w->cg_where->version = version;
    memcpy(w->cg_where->path, path, strlen(path) + 1);
    w->cg_only = no_process;
    if (no_process)
        w->pid = 0; /* no process: the status says so */
    return 0;
}

bool mw__watcher_cgroup_removed(const mw_watcher *w)
{
    if (!w)
        return false;
    lock_w(w);
    bool r = w->cg_removed;
    unlock_w(w);
    return r;
}

int mw__watcher_cg_open(mw_watcher *w)
{
    if (!w->cg_where)
        return 0;
    mw__cgroup_close(w->cg);
    w->cg = NULL;
    w->cg_have_prev = false;
    lock_w(w);
    w->cg_removed = false;
    unlock_w(w);
    char why[256];
    return mw__cgroup_open(w->cg_where, &w->cg, why, sizeof(why));
}

void mw__watcher_cg_close(mw_watcher *w)
{
    mw__cgroup_close(w->cg);
    w->cg = NULL;
}

/* The hierarchy's figures (MW__CG_* bits) as mw_stats's (MW_HAVE_CG_* bits). */
static void put_figures(mw_stats *st, const mw__cgroup_sample *c)
{
    static const struct {
        unsigned cg, have;
        size_t from, to;
    } map[] = {
#define M(cgbit, havebit, f, m) {cgbit, havebit, offsetof(mw__cgroup_sample, f), offsetof(mw_stats, m)}
        M(MW__CG_CURRENT, MW_HAVE_CG_CURRENT, current, cg_current_size),
        M(MW__CG_PEAK, MW_HAVE_CG_PEAK, peak, cg_peak_size),
        M(MW__CG_LIMIT, MW_HAVE_CG_LIMIT, limit, cg_limit),
        M(MW__CG_HIGH, MW_HAVE_CG_HIGH, high, cg_high),
        M(MW__CG_ANON, MW_HAVE_CG_ANON, anon, cg_anon_size),
        M(MW__CG_FILE, MW_HAVE_CG_FILE, file, cg_file_size),
        M(MW__CG_KERNEL, MW_HAVE_CG_KERNEL, kernel, cg_kernel_size),
        M(MW__CG_SWAP, MW_HAVE_CG_SWAP, swap, cg_swap_size),
#undef M
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (!(c->have & map[i].cg))
            continue;
        memcpy((char *)st + map[i].to, (const char *)c + map[i].from, sizeof(uint64_t));
        st->valid |= map[i].have;
    }
}

/* Whether counter bit rose from prev to now (both read). */
static bool rose(const mw__cgroup_sample *prev, const mw__cgroup_sample *now, unsigned bit,
                 uint64_t a, uint64_t b)
{
    return (prev->have & bit) && (now->have & bit) && b > a;
}

/* The kernel's event counters against the previous sample's: a rise is an event now. */
static uint32_t event_flags(const mw__cgroup_sample *p, const mw__cgroup_sample *c)
{
    uint32_t f = 0;
    if (rose(p, c, MW__CG_OOM_KILL, p->oom_kill, c->oom_kill))
        f |= MW_SAMPLE_CG_OOM_KILL;
    if (rose(p, c, MW__CG_EV_MAX, p->ev_max, c->ev_max) ||
        rose(p, c, MW__CG_FAILCNT, p->failcnt, c->failcnt))
        f |= MW_SAMPLE_CG_MAX;
    if (rose(p, c, MW__CG_EV_HIGH, p->ev_high, c->ev_high))
        f |= MW_SAMPLE_CG_HIGH;
    return f;
}

/* The counters to compare the next reading with: this one's, but a counter this reading lacked
 * (a file that could not be parsed this time) keeps its last known value, so that a rise
 * across the gap is still seen. */
static void remember_counters(mw__cgroup_sample *prev, const mw__cgroup_sample *c, bool had)
{
    static const struct {
        unsigned bit;
        size_t off;
    } counters[] = {
        {MW__CG_OOM_KILL, offsetof(mw__cgroup_sample, oom_kill)},
        {MW__CG_EV_MAX, offsetof(mw__cgroup_sample, ev_max)},
        {MW__CG_FAILCNT, offsetof(mw__cgroup_sample, failcnt)},
        {MW__CG_EV_HIGH, offsetof(mw__cgroup_sample, ev_high)},
    };
    mw__cgroup_sample next = *c;
    for (size_t i = 0; had && i < sizeof(counters) / sizeof(counters[0]); i++)
        if (!(c->have & counters[i].bit) && (prev->have & counters[i].bit)) {
            memcpy((char *)&next + counters[i].off, (const char *)prev + counters[i].off,
                   sizeof(uint64_t));
            next.have |= counters[i].bit;
        }
    *prev = next;
}

int mw__watcher_cg_sample(mw_watcher *w, mw_stats *st)
{
    if (!w->cg)
        return 0;
    mw__cgroup_sample c;
    int rc = mw__cgroup_read(w->cg, &c);
    if (rc == MW_ENOPROC) {
        lock_w(w);
        w->cg_removed = true;
        unlock_w(w);
    }
    if (rc != 0)
        return rc;
    put_figures(st, &c);
    if (w->cg_have_prev)
        st->flags |= event_flags(&w->cg_prev, &c);
    remember_counters(&w->cg_prev, &c, w->cg_have_prev);
    w->cg_have_prev = true;
    return 0;
}
