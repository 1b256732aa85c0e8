/* SPDX-License-Identifier: MIT */
/* watcher_impl.h — the watcher's state, shared by the sampler (watcher.c) and its readers (watcher_read.c). */
#ifndef MW_WATCHER_IMPL_H
#define MW_WATCHER_IMPL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

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

    mw__sleeper sleeper; /* the sampler sleeps here; stop and set_interval wake it */
    pthread_mutex_t lock;
    bool running;
    bool stop_requested;
    bool interval_changed;
    int64_t period_ns;    /* the interval; only tests go below 1 ms (mw__watcher_set_period_ns) */
    int end_reason;
    int peak_reset_error;
    uint32_t pss_unreadable;
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

#endif
