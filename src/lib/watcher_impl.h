/* SPDX-License-Identifier: MIT */
/* watcher_impl.h — the watcher's state, shared by the sampler (watcher.c) and its readers (watcher_read.c). */
#ifndef MW_WATCHER_IMPL_H
#define MW_WATCHER_IMPL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "cgroup.h"
#include "memwatch.h"
#include "probe.h"
#include "proctab.h"
#include "pss.h"
#include "ring.h"
#include "sleeper.h"
#include "stats.h"
#include "tiers.h"

#define MW__MAX_CALLBACKS 16

typedef struct cb_entry {
    mw_callback fn;
    void *user;
} cb_entry;

/* Ownership: everything below `lock` is guarded by it. cfg and pid are fixed after
 * mw_watcher_new. The probe and prev_hwm belong to the sampler thread while it runs, and to
 * the controlling thread (start/stop) otherwise. thread/thread_live belong to the controller. */
struct mw_watcher {
    mw_config cfg;
    pid_t pid;
    unsigned probe_flags;

    pthread_t thread;
    bool thread_live; /* a thread was created and not yet joined */
    mw__probe *probe;
    mw__pss *pss;     /* the PSS sweeper while running with pss_interval_ms, else NULL */
    mw__proctab procs; /* the processes of the latest sample: its own lock */
    uint64_t prev_hwm;
    bool prev_reset_ok; /* the previous sample's peak reset worked (so any mark above RSS is new) */
    /* The memory cgroup sampled too (mw__watcher_set_cgroup), set before start; cg and cg_prev
     * are the sampler's as the probe is. cg_only: no process, no probe. */
    mw__cgroup_where *cg_where;
    bool cg_only;
    mw__cgroup *cg;
    mw__cgroup_sample cg_prev; /* the previous reading, for its event counters */
    bool cg_have_prev;

    mw__sleeper sleeper; /* the sampler sleeps here; stop and set_interval wake it */
    pthread_mutex_t lock;
    bool running;
    bool stop_requested;
    bool interval_changed;
    int64_t period_ns;    /* the interval; only tests go below 1 ms (mw__watcher_set_period_ns) */
    int end_reason;
    int peak_reset_error;
    uint32_t pss_unreadable;
    bool cg_removed; /* the watch ended because the cgroup was removed */
    mw__ring ring;
    mw__tiers tiers;      /* the samples the ring overwrote, merged (tiers.h): with the ring, the
                             whole run; they end where the ring begins */
    mw__summary summary;
    cb_entry cbs[MW__MAX_CALLBACKS];
    size_t ncbs;
};

/* Locking a const watcher: readers take the mutex too; it is the only mutable part they touch. */
static inline void lock_w(const mw_watcher *w) { pthread_mutex_lock((pthread_mutex_t *)&w->lock); }
static inline void unlock_w(const mw_watcher *w) { pthread_mutex_unlock((pthread_mutex_t *)&w->lock); }

/* The cgroup's part of the sampler (watcher_cgroup.c), on the controlling thread (open, close)
 * or the sampler (sample). No cgroup set: open and sample do nothing and return 0. */
/* Open the cgroup's files for a start. Errors: those of mw__cgroup_open. */
int mw__watcher_cg_open(mw_watcher *w);
/* Close them (NULL-safe). */
void mw__watcher_cg_close(mw_watcher *w);
/* Read the cgroup into st: its figures (MW_HAVE_CG_*), and its events since the previous
 * reading (MW_SAMPLE_CG_*). Errors: those of mw__cgroup_read (MW_ENOPROC: it was removed). */
int mw__watcher_cg_sample(mw_watcher *w, mw_stats *st);

#endif
