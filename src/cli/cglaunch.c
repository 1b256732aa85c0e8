/* SPDX-License-Identifier: MIT */
/* cglaunch.c — --new-cgroup: the launched command in a memory cgroup of its own, its true peak, and its removal. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "units.h"

/* How long the end waits for the cgroup's processes to die and the kernel to let it go. */
#define CG_KILL_MS 5000
#define CG_REMOVE_MS 5000

int app_cglaunch_prepare(const app_options *o, mw__cgroup_where *w, int *procs_fd)
{
    char why[MW__CG_PATH_MAX + 128];
    *procs_fd = -1;
    int rc = mw__cgroup_make(w, why, sizeof(why));
    if (rc == 0 && o->cgroup_limit_bytes)
        rc = mw__cgroup_set_limit(w, o->cgroup_limit_bytes, why, sizeof(why));
    if (rc == 0 && (*procs_fd = mw__cgroup_procs_open(w)) < 0) {
        rc = *procs_fd;
        snprintf(why, sizeof(why), "cannot open %s/cgroup.procs", w->path);
    }
    if (rc == 0)
        return 0;
    if (w->path[0])
        mw__cgroup_remove(w, CG_REMOVE_MS);
    char safe[sizeof(why) * 4];
    fprintf(stderr, "memwatch: --new-cgroup: %s\n", mw__safe_text(safe, sizeof(safe), why));
    return rc == MW_ENOMEM || rc == MW_ESYS ? APP_EXIT_RUNTIME : APP_EXIT_USAGE;
}

void app_cglaunch_adopt(app_target *t, const mw__cgroup_where *w, int procs_fd, bool launched)
{
    if (procs_fd >= 0)
        close(procs_fd);
    if (!w->path[0])
        return;
    if (!launched) { /* nothing ran in it */
        mw__cgroup_remove(w, CG_REMOVE_MS);
        return;
    }
    snprintf(t->cgroup_path, sizeof(t->cgroup_path), "%s", w->path);
    t->cgroup_version = w->version;
}

/* Its figures once the command has ended: the peak and the OOM count are the kernel's. */
static void read_end(app_session *s, const mw__cgroup_where *w)
{
    mw__cgroup *cg;
    char why[256];
    if (mw__cgroup_open(w, &cg, why, sizeof(why)) != 0)
        return;
    s->cg_have_end = mw__cgroup_read(cg, &s->cg_end) == 0;
    mw__cgroup_close(cg);
}

void app_cglaunch_poll(app_session *s)
{
    const app_target *t = &s->target;
    if (!t->cgroup_path[0])
        return;
    if (!s->cg_live) {
        mw__cgroup_where w = {.version = t->cgroup_version};
        snprintf(w.path, sizeof(w.path), "%s", t->cgroup_path);
        if (mw__cgroup_open(&w, &s->cg_live, NULL, 0) != 0)
            return;
    }
    s->cg_have_now = mw__cgroup_read(s->cg_live, &s->cg_now) == 0;
}

bool app_cglaunch_note(const app_session *s, char *buf, size_t n)
{
    const mw__cgroup_sample *c = s->cg_have_end ? &s->cg_end : &s->cg_now;
    if (!(s->cg_have_end || s->cg_have_now) || !(c->have & MW__CG_PEAK))
        return false;
    char now[32], peak[32], lim[48] = "";
    const char *name = strrchr(s->target.cgroup_path, '/');
    if ((c->have & MW__CG_LIMIT) && c->limit != MW__CG_UNLIMITED)
        snprintf(lim, sizeof(lim), ", limit %s", mw__format_bytes((char[32]){0}, 32, c->limit));
    snprintf(buf, n, "cgroup %s (the whole tree): now %s, peak %s incl. page cache%s",
             name ? name + 1 : "(removed)", mw__format_bytes(now, sizeof(now), c->current),
             mw__format_bytes(peak, sizeof(peak), c->peak), lim);
    return true;
}

void app_cglaunch_finish(app_session *s, bool leave_running)
{
    app_target *t = &s->target;
    mw__cgroup_close(s->cg_live);
    s->cg_live = NULL;
    if (!t->cgroup_path[0])
        return;
    mw__cgroup_where w = {.version = t->cgroup_version};
    snprintf(w.path, sizeof(w.path), "%s", t->cgroup_path);
    read_end(s, &w);
    char safe[MW__CG_PATH_MAX * 4];
    mw__safe_text(safe, sizeof(safe), w.path);
    if (leave_running) {
        fprintf(stderr, "memwatch: left cgroup %s in place with the command (remove it with "
                        "rmdir once it is empty)\n", safe);
        t->cgroup_path[0] = '\0';
        return;
    }
    /* The command's group is ended already; what escaped it (a daemon, setsid) is still in the
     * cgroup, and a cgroup with processes cannot be removed. */
    unsigned killed = 0;
    int rc = mw__cgroup_kill_all(&w, CG_KILL_MS, &killed);
    if (killed)
        fprintf(stderr, "memwatch: killed %u process%s left in cgroup %s\n", killed,
                killed == 1 ? "" : "es", safe);
    if (rc == 0)
        rc = mw__cgroup_remove(&w, CG_REMOVE_MS);
    if (rc != 0)
        fprintf(stderr, "memwatch: cannot remove cgroup %s: %s\n", safe,
                rc == MW_EPERM ? "permission denied" : "processes are still in it");
    t->cgroup_path[0] = '\0';
}

void app_cglaunch_summary(FILE *f, const app_session *s)
{
    if (!s->cg_have_end || !(s->cg_end.have & MW__CG_PEAK))
        return;
    char peak[32], lim[48] = "";
    if ((s->cg_end.have & MW__CG_LIMIT) && s->cg_end.limit != MW__CG_UNLIMITED)
        snprintf(lim, sizeof(lim), ", limit %s", mw__format_bytes((char[32]){0}, 32, s->cg_end.limit));
    fprintf(f, "  cgroup    peak %s incl. page cache: the kernel's count for the whole tree (%s%s)\n",
            mw__format_bytes(peak, sizeof(peak), s->cg_end.peak),
            s->cg_end.version == 2 ? "memory.peak" : "memory.max_usage_in_bytes", lim);
}
