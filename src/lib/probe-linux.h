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

/* The tree's state, owned by the probe (the sampler thread). */
typedef struct mw__ptree {
    pid_t *kids;          /* descendants found this sample, breadth first */
    pid_t *kid_ppid;      /* the parent whose children list named each */
    size_t nkids, kids_cap;
    mw__pidmap seen;      /* kids found this sample (a list can race with a fork: no doubles) */
    mw_tree_process *procs, *prev; /* records of this sample's processes, and of the previous */
    uint64_t *hwm_prev, *prev_hwm_prev; /* each record's VmHWM at its previous sample */
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
    int clear_fd;    /* /proc/PID/clear_refs with MW__PROBE_RESET_PEAK, else -1 */
    int clear_err;   /* why clear_fd could not be opened (0 if it was) */
    int use_scan;    /* tree: no children files here, scan /proc/ * /stat instead */
    int had_mm;      /* a sample showed an address space (not a kernel thread) */
    mw__growbuf buf; /* status text (and other files, one at a time) */
    mw__ptree tree;   /* the processes read (one without MW__PROBE_TREE) and their records */
};

/* Test hook (tests/test_probe.c): scan /proc/ * /stat for descendants even where children files exist. */
extern int mw__probe_linux_force_scan;

int mw__linux_map_errno(int e);
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
