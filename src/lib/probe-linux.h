/* SPDX-License-Identifier: MIT */
/* probe-linux.h — what the Linux probe's two files share: the probe's state and /proc reading helpers. */
#ifndef MW_PROBE_LINUX_H
#define MW_PROBE_LINUX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probe.h"

/* Included only by probe-linux.c (one process) and probe-linux-tree.c (its descendants and the
 * per-process records); both are Linux-only, so OS headers stay in probe-linux*.c. */

#define MW__STATUS_BUF_INIT 4096 /* a status file is ~1.5 KB */
#define MW__READ_MAX (1u << 20)  /* refuse to grow a buffer past 1 MiB: something is wrong */

typedef struct mw__growbuf {
    char *p;
    size_t cap;
    int fixed; /* p is not ours to realloc (a caller's stack array): never grow */
} mw__growbuf;

/* A set of PIDs (open addressing), rebuilt each sample; values are indexes into an array. */
typedef struct mw__pidmap {
    pid_t *key; /* 0 = empty slot */
    uint32_t *val;
    size_t cap; /* a power of two, or 0 */
    size_t n;   /* keys held */
} mw__pidmap;

/* The fd budget: a process's /proc fds are kept only while the fd that open() returned is below
 * half the soft RLIMIT_NOFILE (read at each sample) and the probe keeps fewer than MW__KEPT_MAX
 * processes' (two fds each: status, and the children list of a one-thread process). open() returns
 * the lowest free fd, so an fd at or past half the limit means half the table is already in use
 * (by anyone: the application, other probes): from there on, and for every process past
 * MW__KEPT_MAX, the files are opened, read and closed each sample as without kept fds. Together
 * all probes of a process keep less than half its table, and the check costs nothing. An open
 * that fails (EMFILE, ENFILE) counts that process unreadable for that sample, as any failed
 * open does; it never fails the sample. */
#define MW__KEPT_MAX 4096

/* One process's kept fds (probe-linux-procs.c). */
typedef struct mw__kept {
    int status_fd; /* /proc/PID/status, or -1 */
    int kids_fd;   /* /proc/PID/task/PID/children, or -1; kept only beside status_fd */
    int fresh;     /* its PID's previous holder was proven gone: match no previous record */
} mw__kept;

/* What the probe keeps beside each record (arrays parallel to procs/prev, moving with them). */
typedef struct mw__recside {
    uint64_t hwm_prev; /* the process's VmHWM at its previous sample */
    mw__kept kept;
} mw__recside;

/* The tree's state, owned by the probe (the sampler thread). */
typedef struct mw__ptree {
    pid_t *kids;          /* descendants found this sample, breadth first */
    pid_t *kid_ppid;      /* the parent whose children list named each */
    size_t nkids, kids_cap;
    mw__pidmap seen;      /* kids found this sample (a list can race with a fork: no doubles) */
    mw_tree_process *procs, *prev; /* records of this sample's processes, and of the previous */
    mw__recside *side, *prev_side; /* beside each of procs, of prev */
    size_t nkept;         /* processes with a kept status fd (all records, both arrays) */
    int fd_limit;         /* keep only fds below this: half the soft RLIMIT_NOFILE */
    size_t nprocs, nprev, procs_cap;
    mw__pidmap prev_at;   /* pid -> index in prev */
    unsigned samples;     /* samples taken (the first one claims no spike) */
    long root_threads;    /* the watched process's thread count, from its status */
} mw__ptree;

struct mw__probe {
    pid_t pid;
    unsigned flags;
    int dir_fd;      /* /proc/PID, bound to the process: used to open its other files */
    int status_fd;   /* /proc/PID/status, re-read with pread each sample */
    int kids_fd;     /* tree: task/PID/children of the watched process, opened at the first sample */
    int clear_fd;    /* /proc/PID/clear_refs with MW__PROBE_RESET_PEAK, else -1 */
    int clear_err;   /* why clear_fd could not be opened (0 if it was) */
    int use_scan;    /* tree: no children files here, scan /proc/ * /stat instead */
    mw__growbuf buf; /* status text (and other files, one at a time) */
    mw__ptree tree;   /* the processes read (one without MW__PROBE_TREE) and their records */
};

/* Test hook (tests/test_probe.c): scan /proc/ * /stat for descendants even where children files exist. */
extern int mw__probe_linux_force_scan;

int mw__linux_map_errno(int e);

/* The PID map (probe-linux-procs.c). reset: empty it, sized for about n keys. put: 1 if
 * inserted, 0 if there already, or MW_ENOMEM. get: 1 and *val if there, else 0. */
int mw__pidmap_reset(mw__pidmap *m, size_t n);
int mw__pidmap_put(mw__pidmap *m, pid_t pid, uint32_t val);
int mw__pidmap_get(const mw__pidmap *m, pid_t pid, uint32_t *val);

/* Kept fds (probe-linux-procs.c). budget: read the fd limit, once a sample. status: pid's status
 * into b, through from's fds when it has them (moved into *k, from left empty), else opened and
 * kept in *k within the budget; a kept fd that says the process is gone is closed, the PID opened
 * afresh and k->fresh set. children: a one-thread process's list into b, through k's kept fd,
 * else opened (and kept beside k's status fd within the budget; k NULL: never kept). close: close
 * k's fds. drop_unseen: close the previous records' fds no record of this sample took. */
void mw__kept_budget(mw__ptree *t);
int mw__kept_status(mw__ptree *t, pid_t pid, mw__kept *from, mw__kept *k, mw__growbuf *b,
                    size_t *len);
int mw__kept_children(mw__ptree *t, pid_t pid, mw__kept *k, mw__growbuf *b, size_t *len);
void mw__kept_close(mw__ptree *t, mw__kept *k);
void mw__kept_drop_unseen(mw__ptree *t);
/* Read a list file (a seq_file) from offset 0 to the end into b, growing it. */
int mw__linux_read_list(int fd, mw__growbuf *b, size_t *len);
/* Read all of fd (from offset 0) into b, growing it as needed; *len gets the length. */
int mw__linux_pread_all(int fd, mw__growbuf *b, size_t *len);
/* Open dir_fd-relative (or absolute) path and read it whole into b. */
int mw__linux_read_file(int dir_fd, const char *path, mw__growbuf *b, size_t *len);
/* Write "5" to a clear_refs fd: the kernel resets VmHWM to the RSS. */
int mw__linux_reset_peak_fd(int fd);

/* Call fn(ctx, child) for each child of pid, read from /proc/pid/task/ * /children to the end
 * into b. Stops at fn's first non-zero return. A vanished pid has no children, or MW_ENOPROC
 * when gone_err. */
int mw__linux_each_child(pid_t pid, mw__growbuf *b, int (*fn)(void *, pid_t), void *ctx,
                         int gone_err);

/* Tree mode after the root's status is in *out: add every descendant read, count the unreadable
 * ones, reset their peaks with MW__PROBE_RESET_PEAK (first failure into *reset_err). */
int mw__linux_tree_add(mw__probe *p, mw_stats *out, int *reset_err);
/* Every sample: make the records of this sample's processes from the root's figures (out, before
 * the tree's are added; root_name from its status) and the kids read by mw__linux_tree_add.
 * Sets MW_SAMPLE_HWM_ROSE in *flags when a spike between samples is proven. */
void mw__linux_tree_root(mw__probe *p, const mw_stats *root, const char *status, size_t len,
                         int reset_ok);
void mw__linux_tree_finish(mw__probe *p, uint32_t *flags);
void mw__linux_tree_free(mw__ptree *t);

#endif
