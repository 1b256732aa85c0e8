/* SPDX-License-Identifier: MIT */
/* probe-linux-list.c — every process at a glance for the picker and -n NAME: a walk of /proc, one stat read each. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe-linux.h"
#include "procparse.h"

/* Why /proc/PID/stat and nothing else each refresh: it alone holds the name, the start time (to
 * tell a reused PID), the kernel-thread flag and the RSS (field 24). The owner comes from the
 * directory's inode (fstatat: no file opened). Command lines are read apart, once per process,
 * by the caller that caches them (mw__probe_cmdline). */

static int read_small(int dir_fd, const char *path, char *buf, size_t cap, size_t *len)
{
    int fd = openat(dir_fd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mw__linux_map_errno(errno);
    ssize_t r;
    do
        r = read(fd, buf, cap);
    while (r < 0 && errno == EINTR);
    int e = errno;
    close(fd);
    if (r < 0)
        return mw__linux_map_errno(e);
    *len = (size_t)r;
    return 0;
}

static int is_pid_name(const char *s)
{
    if (*s < '1' || *s > '9')
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* One /proc entry into *b: 1 when it is a listed process, 0 when skipped (not ours, a kernel
 * thread, a zombie, gone). */
static int read_one(int proc_fd, const char *name, int all_users, uid_t me, long page,
                    mw__proc_brief *b)
{
    struct stat st;
    if (fstatat(proc_fd, name, &st, 0) != 0 || (!all_users && st.st_uid != me))
        return 0;
    char path[40], text[1024]; /* 52 numbers and a 64-byte comm: well under 1 KB */
    snprintf(path, sizeof(path), "%s/stat", name);
    size_t len;
    mw__proc_stat ps;
    if (read_small(proc_fd, path, text, sizeof(text), &len) != 0 ||
        mw__parse_stat(text, len, &ps) != 0 || !ps.have_rss)
        return 0;
    if ((ps.flags & MW__PF_KTHREAD) || ps.state == 'Z' || ps.state == 'X')
        return 0;
    b->pid = (pid_t)ps.pid;
    b->start_time = ps.start_time;
    b->rss = ps.rss_pages * (uint64_t)page;
    snprintf(b->name, sizeof(b->name), "%s", ps.comm);
    return 1;
}

int mw__probe_list_processes(int all_users, mw__proc_brief **list, size_t *n, size_t *cap)
{
    if (!list || !n || !cap)
        return MW_EINVAL;
    *n = 0;
    DIR *d = opendir("/proc");
    if (!d)
        return mw__linux_map_errno(errno);
    long page = sysconf(_SC_PAGESIZE);
    uid_t me = geteuid();
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!is_pid_name(e->d_name))
            continue;
        if (*n == *cap) {
            size_t ncap = *cap ? *cap * 2 : 256;
            mw__proc_brief *np = realloc(*list, ncap * sizeof(*np));
            if (!np) {
                rc = MW_ENOMEM;
                break;
            }
            *list = np;
            *cap = ncap;
        }
        *n += (size_t)read_one(dirfd(d), e->d_name, all_users, me, page > 0 ? page : 4096,
                               &(*list)[*n]);
    }
    closedir(d);
    return rc;
}

/* The last path component of argv[0] (the bytes up to the first NUL). */
static void base_of_argv0(const char *raw, size_t len, char *out, size_t n)
{
    size_t a0 = strnlen(raw, len), from = a0;
    while (from > 0 && raw[from - 1] != '/')
        from--;
    size_t k = a0 - from < n - 1 ? a0 - from : n - 1;
    memcpy(out, raw + from, k);
    out[k] = '\0';
}

int mw__probe_cmdline(pid_t pid, uint64_t start_time, char *line, size_t n, char *argv0,
                      size_t n0)
{
    if (pid <= 0 || !line || !n || !argv0 || !n0)
        return MW_EINVAL;
    *line = *argv0 = '\0';
    char path[32];
    snprintf(path, sizeof(path), "/proc/%ld", (long)pid);
    int dir_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0)
        return mw__linux_map_errno(errno);
    char text[4096];
    size_t len = 0;
    mw__proc_stat ps;
    /* The directory fd is bound to the process: the start time read through it says whether
     * this is still the process the list saw. */
    int rc = read_small(dir_fd, "stat", text, sizeof(text), &len);
    if (rc == 0 && (mw__parse_stat(text, len, &ps) != 0 || ps.start_time != start_time))
        rc = MW_ENOPROC;
    if (rc == 0 && read_small(dir_fd, "cmdline", text, sizeof(text), &len) == 0 && len > 0) {
        mw__join_cmdline(text, len, line, n);
        base_of_argv0(text, len, argv0, n0);
    }
    close(dir_fd);
    return rc;
}
