/* SPDX-License-Identifier: MIT */
/* limits.c — what the run's memory can reach: time to a ceiling (headroom) and whether the OOM killer ended it. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "app.h"
#include "sysmem.h"
#include "units.h"

/* MemAvailable and RLIMIT_AS are two small /proc reads (~10 µs each): once a second is plenty
 * for a figure extrapolated over minutes. */
#define LIMITS_REFRESH_NS 1000000000LL

void app_limits_start(app_session *s)
{
    app_limits *l = &s->lim;
    l->have_oom0 = mw__oom_kills(&l->oom0) == 0;
    app_limits_refresh(s);
}

void app_limits_refresh(app_session *s)
{
    app_limits *l = &s->lim;
    if (s->target.gone && l->have_oom0 && !l->have_oom1) /* at once, not a second later */
        l->have_oom1 = mw__oom_kills(&l->oom1) == 0;
    int64_t now = mw__now_ns();
    if (l->read_ns && now - l->read_ns < LIMITS_REFRESH_NS)
        return;
    l->read_ns = now;
    l->have_avail = mw__mem_available(&l->avail) == 0;
    uint64_t as;
    if (!s->target.gone && mw__rlimit_as((long)s->target.pid, &as) == 0) /* kept once it ends */
        l->as = as, l->have_as = as != MW__LIMIT_NONE;
    app_cglaunch_poll(s);
}

/* The cgroup sampled with the run (--cgroup, or --new-cgroup's): its usage against its limit, or
 * against MemAvailable when it has none. False when the samples carry no cgroup figures. */
static bool cgroup_ceiling(const app_session *s, const mw__sample *last, mw__ceiling *out)
{
    if (!(last->valid & MW_HAVE_CG_CURRENT))
        return false;
    uint64_t now = mw__sample_field(last, MW__FIELD_CG_CURRENT);
    uint64_t limit = mw__sample_field(last, MW__FIELD_CG_LIMIT);
    if ((last->valid & MW_HAVE_CG_LIMIT) && limit != MW_CG_UNLIMITED)
        *out = (mw__ceiling){MW__CEIL_CGROUP, "cgroup memory", now, limit, limit, {0}, false};
    else if (s->lim.have_avail)
        *out = (mw__ceiling){MW__CEIL_MEMAVAIL, "cgroup memory", now, now + s->lim.avail,
                             s->lim.avail, {0}, false};
    else
        return false;
    out->have_fit = mw__headroom_fit(&s->cap.ring, MW__FIELD_CG_CURRENT, &out->fit);
    return true;
}

bool app_headroom(const app_session *s, const mw__ceiling *extra, size_t nextra, mw__headroom *out)
{
    enum { MAX = 8 };
    mw__ceiling c[MAX];
    size_t n = 0;
    const mw__capture *cap = &s->cap;
    const mw__sample *last = mw__ring_last(&cap->ring);
    memset(out, 0, sizeof(*out));
    if (!last)
        return false;
    const app_limits *l = &s->lim;
    bool tree = last->nprocs > 1; /* -c: the figures are the tree's sums */
    bool process = !app_cgroup_only(&s->target); /* --cgroup alone: no RSS, VSZ or rlimit */
    if (process && l->have_avail) {
        mw__ceiling m = {MW__CEIL_MEMAVAIL, tree ? "the tree's RSS" : "RSS", last->rss,
                         last->rss + l->avail, l->avail, {0}, false};
        m.have_fit = mw__headroom_fit(&cap->ring, MW__FIELD_RSS, &m.fit);
        c[n++] = m;
    }
    /* The kernel caps each process's own address space: against its VSZ, never a tree's sum. */
    if (process && l->have_as && !tree) {
        mw__ceiling a = {MW__CEIL_RLIMIT_AS, "VSZ", last->vsz, l->as, l->as, {0}, false};
        a.have_fit = mw__headroom_fit(&cap->ring, MW__FIELD_VSZ, &a.fit);
        c[n++] = a;
    }
    /* --cgroup's, or --new-cgroup's: the watcher samples it with the process */
    if (cgroup_ceiling(s, last, &c[n]))
        n++;
    for (size_t i = 0; i < nextra && n < MAX; i++)
        c[n++] = extra[i];
    mw__headroom_eval(c, n, out);
    return out->said;
}

/* The cgroup's OOM kill count rose (a fresh cgroup starts at 0), or the machine's did. */
static bool oom_rose(const app_session *s, uint64_t *kills, bool *in_cgroup)
{
    const mw__cgroup_sample *cg = s->cg_have_end ? &s->cg_end : s->cg_have_now ? &s->cg_now : NULL;
    if (cg && (cg->have & MW__CG_OOM_KILL)) {
        *kills = cg->oom_kill;
        *in_cgroup = true;
        return *kills > 0;
    }
    uint64_t end = s->lim.oom1;
    *in_cgroup = false;
    if (!s->lim.have_oom0 || (!s->lim.have_oom1 && mw__oom_kills(&end) != 0) || end <= s->lim.oom0)
        return false;
    *kills = end - s->lim.oom0;
    return true;
}

bool app_oom_text(const app_session *s, char *buf, size_t n)
{
    const app_target *t = &s->target;
    const mw__sample *last = mw__ring_last(&s->cap.ring);
    uint64_t kills;
    bool in_cg;
    if (!last || !t->gone || t->reused || !oom_rose(s, &kills, &in_cg))
        return false;
    char rss[32], lim[32] = "";
    mw__format_bytes(rss, sizeof(rss), last->rss);
    if (t->launched) {
        if (!t->reaped || t->signalled || !WIFSIGNALED(t->wait_status) ||
            WTERMSIG(t->wait_status) != SIGKILL)
            return false; /* ended otherwise, or the SIGKILL may have been memwatch's own */
        const mw__cgroup_sample *cg = s->cg_have_end ? &s->cg_end : s->cg_have_now ? &s->cg_now : NULL;
        if (cg && (cg->have & MW__CG_LIMIT) && cg->limit != MW__CG_UNLIMITED)
            snprintf(lim, sizeof(lim), "; limit %s", mw__format_bytes((char[32]){0}, 32, cg->limit));
        snprintf(buf, n, "killed by the OOM killer at RSS %s (last sample%s)%s", rss, lim,
                 in_cg ? "" : ": the machine's OOM kill count rose during the run");
        return true;
    }
    /* A process memwatch did not start: how it ended is its parent's to know. */
    snprintf(buf, n, "ended at RSS %s (last sample), while the OOM killer killed %llu process%s on "
                     "this machine: maybe this one", rss, (unsigned long long)kills,
             kills == 1 ? "" : "es");
    return true;
}
