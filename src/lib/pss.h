/* SPDX-License-Identifier: MIT */
/* pss.h — the PSS sweep: smaps_rollup of every process of the tree, on a thread and cadence of its own. */
#ifndef MW_PSS_H
#define MW_PSS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "memwatch.h"
#include "probe.h"

/* Why a thread of its own: one smaps_rollup read costs ~35 us to ~2 ms (it walks the page
 * tables), so a tree of a few hundred processes takes longer than a sampling interval. The RSS
 * samples must keep their schedule: the sweep runs beside them, and each sample carries the
 * latest finished sweep's figures (with their age).
 *
 * Ownership: the sweeper owns its thread and its results, behind its own lock (never held
 * while reading /proc, never held together with the watcher's). The sampler hands it the PIDs
 * to read (mw__pss_set_pids) and takes results out (mw__pss_latest, mw__pss_fill). */
typedef struct mw__pss mw__pss;

/* The sums of one finished sweep. */
typedef struct mw__pss_sum {
    mw__rollup sum;     /* have: the bits every process read had */
    int64_t t_ns;       /* CLOCK_MONOTONIC when the sweep finished */
    uint32_t nread;     /* processes read */
    uint32_t unreadable; /* processes that could not be read (permission) */
    int64_t took_ns;    /* how long the sweep took */
} mw__pss_sum;

/* Start a sweeper reading every period_ns (>= 1 ms); the first sweep starts once PIDs are set.
 * Errors: MW_EINVAL, MW_ENOMEM, MW_ESYS (no thread). The thread blocks every signal. */
int mw__pss_create(int64_t period_ns, mw__pss **out);
/* Stop and join the thread, free everything. NULL is a no-op. */
void mw__pss_destroy(mw__pss *s);
/* The processes to read from the next sweep on (copied). Any thread. */
void mw__pss_set_pids(mw__pss *s, const pid_t *pids, size_t n);
/* The latest finished sweep: 0, or MW_ENODATA before the first one ends. Any thread. */
int mw__pss_latest(mw__pss *s, mw__pss_sum *out);
/* Sampler thread: put the latest sweep's sums into st (with their MW_HAVE_* bits and time),
 * unless some process could not be read (*unreadable: how many), since a sum that leaves one out
 * does not add up. 0, or MW_ENODATA before the first sweep ends (st untouched). */
int mw__pss_apply(mw__pss *s, mw_stats *st, uint32_t *unreadable);
/* Set pss/uss (and their MW_HAVE_PSS / MW_HAVE_USS bits) of each row from the latest sweep, matched by PID. */
void mw__pss_fill(mw__pss *s, mw_tree_process *rows, size_t n);

#endif
