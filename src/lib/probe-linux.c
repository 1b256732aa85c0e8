/* SPDX-License-Identifier: MIT */
/* probe-linux.c — the Linux probe: pread /proc/PID/status on a kept fd, optionally for a process tree. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "probe-linux.h"
#include "procparse.h"
#include "sample.h"

/* Why a kept fd: pread on an open /proc/PID/status costs ~6.7 us against ~10 us for
 * open/read/close, and the fd is bound to the process (its struct pid), not to the number: after
 * the process is reaped pread fails with ESRCH even if the PID is reused meanwhile, so a kept fd
 * can never silently read a stranger. While the process is a zombie, pread still works and shows
 * "State: Z" with no Vm* lines; the parser turns that into MW_ENOPROC.
 * Only this file includes OS headers; the text parsing lives in procparse.c. */

const char mw__probe_name[] = "linux";

int mw__linux_map_errno(int e)
{
    switch (e) {
    case ENOENT:
    case ENODEV: /* a kept kernfs fd (a cgroup's file) whose cgroup was removed */
    case ESRCH: return MW_ENOPROC;
    case EACCES:
    case EPERM: return MW_EPERM;
    default: return MW_ESYS;
    }
}

/* Read all of fd (from offset 0) into b, growing it as needed. A procfs read returns the whole
 * file when the buffer is big enough, so a full buffer means "grow and read again". */
int mw__linux_pread_all(int fd, mw__growbuf *b, size_t *len)
{
    for (;;) {
        ssize_t n = pread(fd, b->p, b->cap, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return mw__linux_map_errno(errno);
        }
        if ((size_t)n < b->cap) {
            *len = (size_t)n;
            return 0;
        }
        if (b->fixed || b->cap >= MW__READ_MAX)
            return MW_ESYS;
        char *np = realloc(b->p, b->cap * 2);
        if (!np)
            return MW_ENOMEM;
        b->p = np;
        b->cap *= 2;
    }
}

/* Open dir_fd-relative (or absolute) path and read it whole into b. */
int mw__linux_read_file(int dir_fd, const char *path, mw__growbuf *b, size_t *len)
{
    int fd = openat(dir_fd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mw__linux_map_errno(errno);
    int rc = mw__linux_pread_all(fd, b, len);
    close(fd);
    return rc;
}

/* Read and parse a stat file. A kernel text we cannot parse is a system error, not EINVAL. */
static int read_stat(int dir_fd, const char *path, mw__proc_stat *st)
{
    char text[4096]; /* 52 numbers and a 64-byte comm: well under 1.5 KB */
    mw__growbuf b = {text, sizeof(text), 1};
    size_t len;
    int rc = mw__linux_read_file(dir_fd, path, &b, &len);
    if (rc == 0 && mw__parse_stat(b.p, len, st) != 0)
        rc = MW_ESYS;
    return rc;
}

/* Write "5" to a clear_refs fd: the kernel resets the RSS high-water mark (VmHWM) to the RSS. */
int mw__linux_reset_peak_fd(int fd)
{
    ssize_t n;
    do
        n = write(fd, "5", 1);
    while (n < 0 && errno == EINTR);
    return n == 1 ? 0 : n < 0 ? mw__linux_map_errno(errno) : MW_ESYS;
}

int mw__probe_open(pid_t pid, unsigned flags, mw__probe **out)
{
    if (!out || pid <= 0)
        return MW_EINVAL;
    *out = NULL;
    mw__probe *p = calloc(1, sizeof(*p));
    if (!p)
        return MW_ENOMEM;
    p->pid = pid;
    p->flags = flags;
    p->dir_fd = p->status_fd = p->clear_fd = p->kids_fd = -1;
    p->buf.cap = MW__STATUS_BUF_INIT;
    p->buf.p = malloc(p->buf.cap);
    int rc = p->buf.p ? 0 : MW_ENOMEM;

    char path[32];
    snprintf(path, sizeof(path), "/proc/%ld", (long)pid);
    if (rc == 0 && (p->dir_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        rc = mw__linux_map_errno(errno);
    /* Everything else is opened relative to dir_fd, so it all belongs to the same process. */
    if (rc == 0 && (p->status_fd = openat(p->dir_fd, "status", O_RDONLY | O_CLOEXEC)) < 0)
        rc = mw__linux_map_errno(errno);
    mw__proc_stat st;
    if (rc == 0)
        rc = read_stat(p->dir_fd, "stat", &st);
    if (rc == 0 && (st.state == 'Z' || st.state == 'X'))
        rc = MW_ENOPROC;
    /* A kernel thread's status has no Vm* lines: it would sample as 0 B, a lie on a chart. */
    if (rc == 0 && (st.flags & MW__PF_KTHREAD))
        rc = MW_EKTHREAD;
    if (rc != 0) {
        mw__probe_close(p);
        return rc;
    }
    if (flags & MW__PROBE_RESET_PEAK) {
        /* Not being allowed to reset is not fatal: each sample reports it instead. */
        p->clear_fd = openat(p->dir_fd, "clear_refs", O_WRONLY | O_CLOEXEC);
        if (p->clear_fd < 0)
            p->clear_err = mw__linux_map_errno(errno);
    }
    if (flags & MW__PROBE_TREE) {
        snprintf(path, sizeof(path), "task/%ld/children", (long)pid);
        p->use_scan = mw__probe_linux_force_scan || faccessat(p->dir_fd, path, R_OK, 0) != 0;
    }
    *out = p;
    return 0;
}

/* The kept fd says the process is gone. Is the number now someone else's? Distinguishing the two
 * lets the watcher say "PID reused" rather than just "exited". The kept fd fails only once our
 * process is reaped, so any process now answering at /proc/PID is a newcomer. Comparing start
 * times instead would miss a reuse within one clock tick (10 ms): a fast fork loop does that. */
static int gone_reason(const mw__probe *p)
{
    char path[32];
    mw__proc_stat st;
    snprintf(path, sizeof(path), "/proc/%ld/stat", (long)p->pid);
    return read_stat(AT_FDCWD, path, &st) == 0 ? MW_EREUSED : MW_ENOPROC;
}

int mw__probe_sample(mw__probe *p, mw_stats *out, int *peak_reset_err)
{
    if (!p || !out)
        return MW_EINVAL;
    if (peak_reset_err)
        *peak_reset_err = 0;
    size_t len;
    int rc = mw__linux_pread_all(p->status_fd, &p->buf, &len);
    if (rc == MW_ENOPROC)
        return gone_reason(p);
    if (rc != 0)
        return rc;
    rc = mw__parse_status(p->buf.p, len, out, NULL);
    out->nprocs_unreadable = 0;
    if (rc == MW_EINVAL)
        return MW_ESYS; /* the kernel's text, yet not parseable: not the caller's fault */
    if (rc != 0)
        return rc;
    /* An exiting process drops its address space (its Vm* lines vanish) a moment before it
     * becomes a zombie: that is the end. Kernel threads were refused at open, and every user
     * process has mappings, so no address space is never a sample of zeros, even the first
     * (a command that exits at once can be caught there). */
    if (out->virtual_size == 0)
        return MW_ENOPROC;

    int reset_err = 0;
    if (p->flags & MW__PROBE_RESET_PEAK)
        reset_err = p->clear_fd >= 0 ? mw__linux_reset_peak_fd(p->clear_fd) : p->clear_err;
    mw__linux_tree_root(p, out, p->buf.p, len, (p->flags & MW__PROBE_RESET_PEAK) && !reset_err);
    if (p->flags & MW__PROBE_TREE) {
        rc = mw__linux_tree_add(p, out, &reset_err);
        if (rc != 0)
            return rc;
        mw__linux_tree_finish(p, &out->flags);
    } else {
        uint32_t ignored = 0; /* one process: the watcher proves its spikes itself */
        mw__linux_tree_finish(p, &ignored);
    }
    if (peak_reset_err)
        *peak_reset_err = reset_err;
    return 0;
}

void mw__probe_close(mw__probe *p)
{
    if (!p)
        return;
    if (p->clear_fd >= 0)
        close(p->clear_fd);
    if (p->status_fd >= 0)
        close(p->status_fd);
    if (p->kids_fd >= 0)
        close(p->kids_fd);
    if (p->dir_fd >= 0)
        close(p->dir_fd);
    free(p->buf.p);
    mw__linux_tree_free(&p->tree);
    free(p);
}

int mw__probe_info(pid_t pid, mw_process_info *out)
{
    if (!out || pid <= 0)
        return MW_EINVAL;
    memset(out, 0, sizeof(*out));
    char path[32];
    snprintf(path, sizeof(path), "/proc/%ld", (long)pid);
    int dir_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0)
        return mw__linux_map_errno(errno);
    mw__proc_stat st;
    int rc = read_stat(dir_fd, "stat", &st);
    if (rc == 0) {
        out->pid = pid;
        snprintf(out->name, sizeof(out->name), "%s", st.comm);
        out->state = st.state;
        out->start_time = st.start_time;
        /* Only the first sizeof(cmdline) bytes can show; an unreadable or empty cmdline
         * (kernel thread, zombie) just leaves it empty. */
        char raw[sizeof(out->cmdline)];
        int fd = openat(dir_fd, "cmdline", O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ssize_t n;
            do
                n = pread(fd, raw, sizeof(raw), 0);
            while (n < 0 && errno == EINTR);
            if (n > 0)
                mw__join_cmdline(raw, (size_t)n, out->cmdline, sizeof(out->cmdline));
            close(fd);
        }
    }
    close(dir_fd);
    return rc;
}

int mw__probe_adopt_orphans(void)
{
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 ? 0 : mw__linux_map_errno(errno);
}

typedef struct kid_list {
    pid_t *out;
    size_t cap, n;
} kid_list;

static int list_kid(void *ctx, pid_t pid)
{
    kid_list *l = ctx;
    if (l->n < l->cap)
        l->out[l->n++] = pid;
    return 0;
}

int mw__probe_children(pid_t pid, pid_t *out, size_t cap)
{
    if (pid <= 0 || (!out && cap))
        return MW_EINVAL;
    mw__growbuf b = {malloc(MW__STATUS_BUF_INIT), MW__STATUS_BUF_INIT, 0}; /* grows for a long list */
    if (!b.p)
        return MW_ENOMEM;
    kid_list l = {out, cap, 0};
    int rc = mw__linux_each_child(pid, &b, list_kid, &l, 1);
    free(b.p);
    return rc != 0 ? rc : (int)l.n;
}

/* ---- PSS/USS: /proc/PID/smaps_rollup (issue 14) ------------------------------------------- */

#define ROLLUP_BUF 4096 /* the file is ~1 KB: 25 lines or so; anything bigger is not a rollup */

/* Read all of fd into buf[cap] with read() until it returns 0 (a seq_file may hand the text out
 * in pieces). *len gets the length. MW_ESYS if the text does not fit. */
static int read_small(int fd, char *buf, size_t cap, size_t *len)
{
    size_t n = 0;
    for (;;) {
        char spare;
        /* Full: one more byte would mean the file is bigger than it should ever be. */
        ssize_t r = n < cap ? read(fd, buf + n, cap - n) : read(fd, &spare, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return mw__linux_map_errno(errno);
        if (r == 0)
            break;
        if (n == cap)
            return MW_ESYS;
        n += (size_t)r;
    }
    *len = n;
    return 0;
}

/* Opened afresh each call, not kept like status: the sweep that calls this visits a changing set
 * of processes every few seconds, and the file's cost is the kernel walking the mappings, not
 * the open (~35 us to ~2 ms against a few us). */
int mw__probe_rollup(pid_t pid, mw__rollup *out)
{
    if (!out || pid <= 0)
        return MW_EINVAL;
    memset(out, 0, sizeof(*out));
    char path[48];
    snprintf(path, sizeof(path), "/proc/%ld/smaps_rollup", (long)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        /* The process is there but the file is not: a kernel before 4.14. */
        snprintf(path, sizeof(path), "/proc/%ld", (long)pid);
        if (e == ENOENT && access(path, F_OK) == 0)
            return MW_EUNSUPPORTED;
        return mw__linux_map_errno(e);
    }
    char text[ROLLUP_BUF];
    size_t len = 0;
    int rc = read_small(fd, text, sizeof(text), &len);
    close(fd);
    if (rc != 0)
        return rc; /* ESRCH from a task without mm (exited, kernel thread) is MW_ENOPROC */
    if (len == 0)
        return MW_ENOPROC; /* no address space left to report: a zombie or an exiting task */
    rc = mw__parse_smaps_rollup(text, len, out);
    return rc == MW_EINVAL ? MW_ESYS : rc; /* the kernel's text, yet not parseable */
}

/* ---- where it went: /proc/PID/smaps on demand (issue 15) ------------------------------------ */

#define SMAPS_BUF_INIT (256u * 1024)
#define SMAPS_MAX (1u << 30) /* ~1 KB a mapping: a million mappings; past that, refuse */

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* read() fd to its end into a buffer that doubles (smaps is a seq_file: it hands the text out a
 * page or so at a time, each read cheap; only 0 means the end). */
static int read_to_end(int fd, char **buf, size_t *len)
{
    size_t cap = SMAPS_BUF_INIT, n = 0;
    char *p = malloc(cap);
    if (!p)
        return MW_ENOMEM;
    for (;;) {
        if (n == cap) {
            char *np = cap < SMAPS_MAX ? realloc(p, cap * 2) : NULL;
            if (!np) {
                free(p);
                return cap < SMAPS_MAX ? MW_ENOMEM : MW_ESYS;
            }
            p = np;
            cap *= 2;
        }
        ssize_t r = read(fd, p + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(p);
            return mw__linux_map_errno(e);
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *buf = p;
    *len = n;
    return 0;
}

/* Still there with its address space, after the read? The kernel stops a seq_file at the first
 * mapping it cannot show once the process has dropped its memory, and that cut text looks
 * complete; so the read is trusted only if the process still had its memory afterwards (an
 * address space that was there after the read was there during it). statm shows all zeros for
 * a task without memory (an exiting process, a zombie). */
static int still_alive(int dir_fd)
{
    char text[256];
    mw__growbuf b = {text, sizeof(text) - 1, 1};
    size_t len;
    int rc = mw__linux_read_file(dir_fd, "statm", &b, &len);
    if (rc != 0)
        return rc == MW_EPERM ? rc : MW_ENOPROC;
    text[len] = '\0';
    mw__proc_stat st;
    if (read_stat(dir_fd, "stat", &st) != 0 || st.state == 'Z' || st.state == 'X')
        return MW_ENOPROC;
    return strtoull(text, NULL, 10) > 0 ? 0 : MW_ENOPROC;
}

int mw__probe_smaps(pid_t pid, mw__smaps_table *out, mw__smaps_cost *cost)
{
    if (!out || pid <= 0)
        return MW_EINVAL;
    mw__smaps_cost c = {0, 0, 0};
    int64_t t0 = now_ns();
    char path[32];
    snprintf(path, sizeof(path), "/proc/%ld", (long)pid);
    int dir_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0)
        return mw__linux_map_errno(errno);
    int fd = openat(dir_fd, "smaps", O_RDONLY | O_CLOEXEC);
    int rc = fd < 0 ? mw__linux_map_errno(errno) : 0;
    char *text = NULL;
    size_t len = 0;
    if (rc == 0) {
        rc = read_to_end(fd, &text, &len);
        close(fd);
    }
    struct stat exe; /* which program: an exec keeps the PID and start time, not this */
    bool have_exe = rc == 0 && fstatat(dir_fd, "exe", &exe, 0) == 0;
    if (rc == 0)
        rc = still_alive(dir_fd);
    if (rc == 0 && len == 0)
        rc = MW_ENOPROC; /* no address space: a kernel thread, or a task on its way out */
    close(dir_fd);
    c.read_ns = now_ns() - t0;
    c.bytes = len;
    if (rc == 0) {
        t0 = now_ns();
        rc = mw__smaps_parse(text, len, out);
        c.group_ns = now_ns() - t0;
        out->exe_dev = have_exe ? (uint64_t)exe.st_dev : 0;
        out->exe_ino = have_exe ? (uint64_t)exe.st_ino : 0;
        if (rc == MW_EINVAL)
            rc = MW_ESYS; /* the kernel's text, yet not parseable */
    }
    free(text);
    if (cost)
        *cost = c;
    return rc;
}
