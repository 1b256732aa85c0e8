/* SPDX-License-Identifier: MIT */
/* probe-linux-procs.c — per-process bookkeeping of the tree: a PID map, and each process's kept /proc fds within a budget. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "probe-linux.h"

/* Why kept fds: a -c sample reads every process's status and children list. pread on an open
 * /proc file costs far less than open/read/close (no path walk, no file to set up and free), and
 * the fd is bound to the process (its struct pid), not to the number: once the process is reaped,
 * pread of its status fails with ESRCH even if the PID was reused meanwhile. So a record read
 * through a kept fd is that process for sure. Who owns them: mw__ptree's side[] / prev_side[]
 * arrays, parallel to procs[] / prev[]; an fd moves with its record from one sample to the next
 * and is closed when the process is not seen in a sample, when pread says it is gone, and at
 * mw__probe_close. The budget (probe-linux.h) keeps the library from eating the fd table. */

/* ---- a PID map (open addressing, linear probing) -------------------------------------------- */

static size_t hash_pid(pid_t pid, size_t mask) { return ((uint32_t)pid * 2654435761u) & mask; }

/* Make the table cap slots (a power of two), re-inserting what it held. */
static int pidmap_rehash(mw__pidmap *m, size_t cap)
{
    pid_t *k = calloc(cap, sizeof(*k));
    uint32_t *v = k ? malloc(cap * sizeof(*v)) : NULL;
    if (!k || !v) {
        free(k);
        return MW_ENOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (m->key[i] == 0)
            continue;
        size_t j = hash_pid(m->key[i], cap - 1);
        while (k[j] != 0)
            j = (j + 1) & (cap - 1);
        k[j] = m->key[i];
        v[j] = m->val[i];
    }
    free(m->key);
    free(m->val);
    m->key = k;
    m->val = v;
    m->cap = cap;
    return 0;
}

int mw__pidmap_reset(mw__pidmap *m, size_t n)
{
    size_t cap = 64;
    while (cap < 2 * n + 2)
        cap *= 2;
    m->n = 0;
    if (m->cap < cap || m->cap > 4 * cap) {
        free(m->key);
        free(m->val);
        m->key = NULL;
        m->val = NULL;
        m->cap = 0;
        return pidmap_rehash(m, cap);
    }
    memset(m->key, 0, m->cap * sizeof(*m->key));
    return 0;
}

/* The load stays at most 1/2, so probing is short and always finds an empty slot. */
int mw__pidmap_put(mw__pidmap *m, pid_t pid, uint32_t val)
{
    if (2 * (m->n + 1) > m->cap) {
        int rc = pidmap_rehash(m, m->cap ? m->cap * 2 : 64);
        if (rc != 0)
            return rc;
    }
    size_t mask = m->cap - 1;
    for (size_t i = hash_pid(pid, mask);; i = (i + 1) & mask) {
        if (m->key[i] == pid)
            return 0;
        if (m->key[i] == 0) {
            m->key[i] = pid;
            m->val[i] = val;
            m->n++;
            return 1;
        }
    }
}

int mw__pidmap_get(const mw__pidmap *m, pid_t pid, uint32_t *val)
{
    if (!m->cap)
        return 0;
    size_t mask = m->cap - 1;
    for (size_t i = hash_pid(pid, mask); m->key[i] != 0; i = (i + 1) & mask)
        if (m->key[i] == pid) {
            *val = m->val[i];
            return 1;
        }
    return 0;
}

/* ---- reading lists ---------------------------------------------------------------------------- */

/* A children file is a seq_file: one read returns at most a page (~682 PIDs), so read at
 * increasing offsets until 0. pread at offset 0 restarts the list: a kept fd gives the current
 * one each time (checked on Linux 6.18 with 1000 children: 4092 bytes, then the rest). */
int mw__linux_read_list(int fd, mw__growbuf *b, size_t *len)
{
    size_t used = 0;
    int rc = 0;
    for (;;) {
        if (used == b->cap) {
            char *np = b->fixed || b->cap >= 64 * MW__READ_MAX ? NULL : realloc(b->p, b->cap * 2);
            if (!np) {
                rc = b->fixed ? MW_ESYS : MW_ENOMEM;
                break;
            }
            b->p = np;
            b->cap *= 2;
        }
        ssize_t n = pread(fd, b->p + used, b->cap - used, (off_t)used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = mw__linux_map_errno(errno);
            break;
        }
        if (n == 0)
            break;
        used += (size_t)n;
    }
    *len = used;
    return rc;
}

/* ---- kept fds --------------------------------------------------------------------------------- */

void mw__kept_budget(mw__ptree *t)
{
    struct rlimit rl;
    rlim_t half = getrlimit(RLIMIT_NOFILE, &rl) == 0 ? rl.rlim_cur / 2 : 0;
    t->fd_limit = half > INT_MAX ? INT_MAX : (int)half;
}

void mw__kept_close(mw__ptree *t, mw__kept *k)
{
    if (k->status_fd >= 0) {
        close(k->status_fd);
        t->nkept--;
    }
    if (k->kids_fd >= 0)
        close(k->kids_fd);
    k->status_fd = k->kids_fd = -1;
}

void mw__kept_drop_unseen(mw__ptree *t)
{
    for (size_t j = 0; j < t->nprev; j++)
        mw__kept_close(t, &t->prev_side[j].kept);
}

/* Open path; the fd is kept in *slot when the budget allows (slot NULL: never), else read once
 * and closed. */
static int open_read(mw__ptree *t, const char *path, int *slot, int status, mw__growbuf *b,
                     size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mw__linux_map_errno(errno); /* EMFILE/ENFILE too: unreadable this once, no fault */
    int rc = status ? mw__linux_pread_all(fd, b, len) : mw__linux_read_list(fd, b, len);
    int keep = rc == 0 && slot && fd < t->fd_limit && (!status || t->nkept < MW__KEPT_MAX);
    if (keep) {
        *slot = fd;
        t->nkept += status;
    } else {
        close(fd);
    }
    return rc;
}

int mw__kept_status(mw__ptree *t, pid_t pid, mw__kept *from, mw__kept *k, mw__growbuf *b,
                    size_t *len)
{
    *k = (mw__kept){-1, -1, 0};
    if (from && from->status_fd >= 0) {
        *k = *from; /* moved: this sample's record owns them now */
        from->status_fd = from->kids_fd = -1;
        k->fresh = 0;
        int rc = mw__linux_pread_all(k->status_fd, b, len);
        if (rc == 0)
            return 0;
        mw__kept_close(t, k);
        if (rc != MW_ENOPROC)
            return rc;
        /* Reaped: whoever answers at this PID now (a list named it) is a newcomer. */
        k->fresh = 1;
    }
    char path[48];
    snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
    return open_read(t, path, &k->status_fd, 1, b, len);
}

/* The list is read only after the status, by path: a PID reused between the two opens would hand
 * us a stranger's list for this one sample (as without kept fds), and the status fd, bound to the
 * process we read, fails at the next sample and drops both. */
int mw__kept_children(mw__ptree *t, pid_t pid, mw__kept *k, mw__growbuf *b, size_t *len)
{
    if (k && k->kids_fd >= 0) {
        int rc = mw__linux_read_list(k->kids_fd, b, len);
        if (rc == 0)
            return 0;
        close(k->kids_fd);
        k->kids_fd = -1;
        return rc;
    }
    char path[64];
    snprintf(path, sizeof(path), "/proc/%ld/task/%ld/children", (long)pid, (long)pid);
    /* Kept only beside a kept status fd: that one tells when the process is gone. */
    return open_read(t, path, k && k->status_fd >= 0 ? &k->kids_fd : NULL, 0, b, len);
}
