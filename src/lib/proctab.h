/* SPDX-License-Identifier: MIT */
/* proctab.h — the watcher's published table of the tree's processes, and the run's largest proven spike. */
#ifndef MW_PROCTAB_H
#define MW_PROCTAB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "memwatch.h"
#include "pss.h"

/* Ownership: the sampler thread publishes (it alone touches `stage`); any thread reads. The
 * table has its own lock, never held with the watcher's or the sweeper's, so a reader copying
 * thousands of rows never delays the ring. */
typedef struct mw__proctab {
    pthread_mutex_t lock;
    mw_tree_process *rows; /* largest RSS first; guarded by lock */
    size_t n, cap;
    mw_tree_process top_spike; /* guarded by lock */
    bool have_spike;
    mw_tree_process *stage; /* the sampler's: filled and sorted outside the lock, then swapped */
    size_t stage_cap;
    pid_t *pids; /* the sampler's: this sample's PIDs, handed to the PSS sweeper */
    size_t pids_cap;
} mw__proctab;

/* 0, or MW_ESYS. */
int mw__proctab_init(mw__proctab *t);
void mw__proctab_destroy(mw__proctab *t);
/* Sampler thread: publish this sample's processes (PSS/USS joined from pss when non-NULL). Out of
 * memory keeps the previous table. */
void mw__proctab_publish(mw__proctab *t, const mw_tree_process *rows, size_t n, mw__pss *pss);
/* Sampler thread: publish a sample's processes as the probe gave them (none: one row made from
 * the sample, for a probe without records, e.g. macOS), and hand their PIDs to pss (non-NULL)
 * for its next sweep. */
void mw__proctab_publish_sample(mw__proctab *t, const mw_tree_process *rows, size_t n, pid_t pid,
                                const mw_stats *st, mw__pss *pss);
/* Any thread: as mw_watcher_get_processes / mw_watcher_top_spike. */
size_t mw__proctab_get(mw__proctab *t, mw_tree_process *out, size_t cap, size_t *count);
int mw__proctab_top_spike(mw__proctab *t, mw_tree_process *out);

#endif
