/* SPDX-License-Identifier: MIT */
/* cgroup-linux.c — sample one memory cgroup: its memory.* files kept open and re-read with pread. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "probe-linux.h"

/* As the /proc probe keeps /proc/PID/status: each file is opened once and re-read with pread
 * (no path walk per sample). A kept cgroup file is bound to its cgroup, not to the name: once
 * the cgroup is removed, pread fails with ENODEV (mw__linux_map_errno: MW_ENOPROC), even if a
 * new cgroup of the same name was made meanwhile: the watch ends rather than read a stranger. */

typedef int (*parse_fn)(const char *text, size_t len, mw__cgroup_sample *s);

/* One file of a hierarchy: a single value (bit, field) or a text for a parser. */
typedef struct cg_file {
    const char *name;
    int required; /* the cgroup's main figure: without it, no watch */
    unsigned bit;
    size_t off;
    parse_fn parse;
} cg_file;

#define VALUE(n, req, bit, f) {n, req, bit, offsetof(mw__cgroup_sample, f), NULL}
#define TEXT(n, fn) {n, 0, 0, 0, fn}

static const cg_file v2_files[] = {
    VALUE("memory.current", 1, MW__CG_CURRENT, current),
    VALUE("memory.peak", 0, MW__CG_PEAK, peak),
    VALUE("memory.max", 0, MW__CG_LIMIT, limit),
    VALUE("memory.high", 0, MW__CG_HIGH, high),
    VALUE("memory.swap.current", 0, MW__CG_SWAP, swap),
    TEXT("memory.stat", mw__cg_parse_v2_stat),
    TEXT("memory.events", mw__cg_parse_v2_events),
};
static const cg_file v1_files[] = {
    VALUE("memory.usage_in_bytes", 1, MW__CG_CURRENT, current),
    VALUE("memory.max_usage_in_bytes", 0, MW__CG_PEAK, peak),
    VALUE("memory.limit_in_bytes", 0, MW__CG_LIMIT, limit),
    VALUE("memory.failcnt", 0, MW__CG_FAILCNT, failcnt),
    TEXT("memory.stat", mw__cg_parse_v1_stat),
    TEXT("memory.oom_control", mw__cg_parse_v1_oom),
};
#define NFILES_MAX 7

struct mw__cgroup {
    int version;
    const cg_file *files;
    size_t nfiles;
    int fd[NFILES_MAX]; /* -1: that file is not there (an older kernel, no swap accounting) */
    mw__growbuf buf;
};

int mw__cgroup_open(const mw__cgroup_where *w, mw__cgroup **out, char *why, size_t n)
{
    if (why && n)
        why[0] = '\0';
    if (!out || !w || (w->version != 1 && w->version != 2))
        return mw__cg_fail(why, n, MW_EINVAL, "no cgroup given");
    *out = NULL;
    mw__cgroup *cg = calloc(1, sizeof(*cg));
    if (!cg)
        return MW_ENOMEM;
    cg->version = w->version;
    cg->files = w->version == 2 ? v2_files : v1_files;
    cg->nfiles = w->version == 2 ? sizeof(v2_files) / sizeof(v2_files[0])
                                 : sizeof(v1_files) / sizeof(v1_files[0]);
    for (size_t i = 0; i < NFILES_MAX; i++)
        cg->fd[i] = -1;
    cg->buf = (mw__growbuf){malloc(8192), 8192, 0};
    int rc = cg->buf.p ? 0 : MW_ENOMEM;
    int dir = rc ? -1 : open(w->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rc == 0 && dir < 0)
        rc = mw__cg_fail(why, n, mw__linux_map_errno(errno), "%s: %s", w->path, strerror(errno));
    for (size_t i = 0; rc == 0 && i < cg->nfiles; i++) {
        cg->fd[i] = openat(dir, cg->files[i].name, O_RDONLY | O_CLOEXEC);
        if (cg->fd[i] < 0 && cg->files[i].required)
            rc = mw__cg_fail(why, n, errno == ENOENT ? MW_EINVAL : mw__linux_map_errno(errno),
                      "%s/%s: %s", w->path, cg->files[i].name,
                      errno == ENOENT ? "not there: not a memory cgroup" : strerror(errno));
        else if (cg->fd[i] < 0 && errno == EACCES)
            rc = mw__cg_fail(why, n, MW_EPERM, "%s/%s: %s", w->path, cg->files[i].name,
                             strerror(errno));
    }
    if (dir >= 0)
        close(dir);
    if (rc != 0) {
        mw__cgroup_close(cg);
        return rc;
    }
    *out = cg;
    return 0;
}

int mw__cgroup_read(mw__cgroup *cg, mw__cgroup_sample *out)
{
    if (!cg || !out)
        return MW_EINVAL;
    memset(out, 0, sizeof(*out));
    out->version = cg->version;
    for (size_t i = 0; i < cg->nfiles; i++) {
        if (cg->fd[i] < 0)
            continue;
        const cg_file *f = &cg->files[i];
        size_t len;
        int rc = mw__linux_pread_all(cg->fd[i], &cg->buf, &len);
        if (rc != 0)
            return rc; /* MW_ENOPROC: removed; every file goes with its cgroup */
        if (f->parse) {
            rc = f->parse(cg->buf.p, len, out);
        } else {
            uint64_t v;
            rc = mw__cg_parse_value(cg->buf.p, len, &v);
            if (rc == 0) {
                *(uint64_t *)(void *)((char *)out + f->off) = v;
                out->have |= f->bit;
            }
        }
        if (rc != 0)
            return MW_ESYS; /* the kernel's text, yet not parseable: not the caller's fault */
    }
    return 0;
}

void mw__cgroup_close(mw__cgroup *cg)
{
    if (!cg)
        return;
    for (size_t i = 0; i < NFILES_MAX; i++)
        if (cg->fd[i] >= 0)
            close(cg->fd[i]);
    free(cg->buf.p);
    free(cg);
}
