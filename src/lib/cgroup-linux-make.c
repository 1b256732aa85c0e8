/* SPDX-License-Identifier: MIT */
/* cgroup-linux-make.c — memwatch's own cgroup for a launched command: make, limit, join, empty, remove (cgroup.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "probe-linux.h"

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A short pause between retries: the kernel frees a killed process's memory and its cgroup
 * reference asynchronously, in a few milliseconds. */
static void nap(void)
{
    struct timespec ts = {0, 5 * 1000000};
    nanosleep(&ts, NULL);
}

static int errno_rc(int e)
{
    return e == EACCES || e == EPERM || e == EROFS ? MW_EPERM : e == ENOENT ? MW_ENOPROC : MW_ESYS;
}

/* memwatch's own v2 cgroup ("0::/user.slice/.../x.scope" of /proc/self/cgroup) into out. */
static int own_v2(char *out, size_t n)
{
    char text[4096];
    mw__growbuf b = {text, sizeof(text) - 1, 1};
    size_t len;
    int rc = mw__linux_read_file(AT_FDCWD, "/proc/self/cgroup", &b, &len);
    if (rc != 0)
        return rc;
    text[len] = '\0';
    for (char *save, *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
        if (strncmp(l, "0::/", 4) == 0)
            return snprintf(out, n, "%s", l + 3) < (int)n ? 0 : MW_EINVAL;
    return MW_EUNSUPPORTED;
}

/* Try a new child of parent; it must get the memory controller's files. */
static int make_in(const char *parent, int version, mw__cgroup_where *out)
{
    static unsigned seq;
    const char *key = version == 2 ? "memory.current" : "memory.usage_in_bytes";
    for (int tries = 0; tries < 100; tries++) {
        char probe[MW__CG_PATH_MAX + 32];
        if (snprintf(out->path, sizeof(out->path), "%s/memwatch-%ld-%u", parent, (long)getpid(),
                     seq++) >= (int)sizeof(out->path))
            return MW_EINVAL;
        if (mkdir(out->path, 0755) != 0) {
            if (errno == EEXIST)
                continue;
            return errno_rc(errno);
        }
        out->version = version;
        snprintf(probe, sizeof(probe), "%s/%s", out->path, key);
        if (access(probe, R_OK) == 0)
            return 0;
        rmdir(out->path); /* v2 without memory in the parent's subtree_control */
        return MW_EUNSUPPORTED;
    }
    return MW_ESYS;
}

int mw__cgroup_make(mw__cgroup_where *out, char *why, size_t n)
{
    memset(out, 0, sizeof(*out));
    mw__cgroup_where at;
    int rc = mw__cgroup_find("/", NULL, NULL, &at, why, n);
    if (rc == 0 && at.version == 1) {
        if ((rc = make_in(at.path, 1, out)) == 0)
            return 0;
        return mw__cg_fail(why, n, rc, "cannot make a cgroup under %s: %s", at.path,
                           rc == MW_EPERM ? "permission denied (needs root)" : "no memory controller in it");
    }
    if (rc == MW_ENOMEM)
        return rc;
    /* v2: beside memwatch's own cgroup (a delegated parent), else below it. */
    char own[MW__CG_PATH_MAX];
    if (own_v2(own, sizeof(own)) != 0 || (rc = mw__cgroup_find(own, NULL, NULL, &at, why, n)) != 0)
        return rc == MW_ENOMEM ? rc : mw__cg_fail(why, n, MW_EUNSUPPORTED,
                                                  "no memory cgroup hierarchy memwatch could make a cgroup in");
    char parent[MW__CG_PATH_MAX];
    snprintf(parent, sizeof(parent), "%s", at.path);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent)
        *slash = '\0';
    if ((rc = make_in(parent, 2, out)) == 0 || (rc = make_in(at.path, 2, out)) == 0)
        return 0;
    return mw__cg_fail(why, n, rc, "cannot make a memory cgroup beside or below %s: %s", at.path,
                       rc == MW_EPERM ? "permission denied (not root, and not a delegated subtree)"
                                      : "the memory controller is not enabled there for children");
}

/* Write text to the cgroup's file name. */
static int write_file(const mw__cgroup_where *w, const char *name, const char *text)
{
    char path[MW__CG_PATH_MAX + 48];
    snprintf(path, sizeof(path), "%s/%s", w->path, name);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return errno_rc(errno);
    size_t len = strlen(text);
    ssize_t k = write(fd, text, len);
    int e = errno;
    close(fd);
    if (k == (ssize_t)len)
        return 0;
    return k < 0 && e == EINVAL ? MW_EINVAL : k < 0 ? errno_rc(e) : MW_ESYS;
}

int mw__cgroup_set_limit(const mw__cgroup_where *w, uint64_t bytes, char *why, size_t n)
{
    char v[32];
    snprintf(v, sizeof(v), "%llu\n", (unsigned long long)bytes);
    const char *mem = w->version == 2 ? "memory.max" : "memory.limit_in_bytes";
    int rc = write_file(w, mem, v);
    if (rc != 0)
        return mw__cg_fail(why, n, rc, "cannot set %s/%s to %llu bytes", w->path, mem,
                           (unsigned long long)bytes);
    /* Swap counted too, so the limit is what the command may use, not a point to page out at.
     * Where swap is not accounted the file is missing (ENOENT) and memory alone is capped. */
    rc = w->version == 2 ? write_file(w, "memory.swap.max", "0\n")
                         : write_file(w, "memory.memsw.limit_in_bytes", v);
    return rc == MW_ENOPROC ? 0 : rc == 0 ? 0
         : mw__cg_fail(why, n, rc, "cannot cap swap in %s", w->path);
}

int mw__cgroup_procs_open(const mw__cgroup_where *w)
{
    char path[MW__CG_PATH_MAX + 16];
    snprintf(path, sizeof(path), "%s/cgroup.procs", w->path);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    return fd >= 0 ? fd : errno_rc(errno);
}

/* SIGKILL each PID listed; *any: the list was not empty. */
static int kill_listed(const mw__cgroup_where *w, unsigned *killed, int *any)
{
    char path[MW__CG_PATH_MAX + 16];
    snprintf(path, sizeof(path), "%s/cgroup.procs", w->path);
    FILE *f = fopen(path, "re");
    if (!f)
        return errno_rc(errno);
    long pid;
    *any = 0;
    while (fscanf(f, "%ld", &pid) == 1) {
        *any = 1;
        if (pid > 0 && kill((pid_t)pid, SIGKILL) == 0 && killed)
            (*killed)++;
    }
    fclose(f);
    return 0;
}

int mw__cgroup_kill_all(const mw__cgroup_where *w, int deadline_ms, unsigned *killed)
{
    int64_t end = now_ms() + deadline_ms;
    if (killed)
        *killed = 0;
    for (;;) {
        int any, rc = kill_listed(w, killed, &any);
        if (rc != 0 || !any)
            return rc;
        if (now_ms() >= end)
            return MW_ESYS;
        nap();
    }
}

int mw__cgroup_remove(const mw__cgroup_where *w, int deadline_ms)
{
    int64_t end = now_ms() + deadline_ms;
    for (;;) {
        if (rmdir(w->path) == 0 || errno == ENOENT)
            return 0;
        if (errno != EBUSY)
            return errno_rc(errno);
        if (now_ms() >= end)
            return MW_ESYS;
        nap();
    }
}
