/* SPDX-License-Identifier: MIT */
/* cgroup-none.c — no cgroups on this OS (or no Linux probe built): every call says MW_EUNSUPPORTED. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cgroup.h"

/* Built beside probe-darwin.c and probe-none.c: cgroups are Linux's own, so there is no port of
 * this to write for another OS; the program says plainly that --cgroup needs Linux. */

static int unsupported(char *why, size_t n)
{
    if (why && n)
        snprintf(why, n, "cgroups are Linux-only (this memwatch was built with the %s probe)",
                 MW_PROBE_NAME);
    return MW_EUNSUPPORTED;
}

int mw__cgroup_find(const char *spec, const char *root, const char *mountinfo,
                    mw__cgroup_where *out, char *why, size_t n)
{
    (void)spec;
    (void)root;
    (void)mountinfo;
    if (out)
        memset(out, 0, sizeof(*out));
    return unsupported(why, n);
}

int mw__cgroup_open(const mw__cgroup_where *w, mw__cgroup **out, char *why, size_t n)
{
    (void)w;
    if (out)
        *out = NULL;
    return unsupported(why, n);
}

int mw__cgroup_read(mw__cgroup *cg, mw__cgroup_sample *out)
{
    (void)cg;
    if (out)
        memset(out, 0, sizeof(*out));
    return MW_EUNSUPPORTED;
}

/* Nothing was ever opened. */
void mw__cgroup_close(mw__cgroup *cg) { (void)cg; }

int mw__cgroup_make(mw__cgroup_where *out, char *why, size_t n)
{
    if (out)
        memset(out, 0, sizeof(*out));
    return unsupported(why, n);
}

int mw__cgroup_set_limit(const mw__cgroup_where *w, uint64_t bytes, char *why, size_t n)
{
    (void)w;
    (void)bytes;
    return unsupported(why, n);
}

int mw__cgroup_procs_open(const mw__cgroup_where *w)
{
    (void)w;
    return MW_EUNSUPPORTED;
}

int mw__cgroup_kill_all(const mw__cgroup_where *w, int deadline_ms, unsigned *killed)
{
    (void)w;
    (void)deadline_ms;
    if (killed)
        *killed = 0;
    return MW_EUNSUPPORTED;
}

int mw__cgroup_remove(const mw__cgroup_where *w, int deadline_ms)
{
    (void)w;
    (void)deadline_ms;
    return MW_EUNSUPPORTED;
}
