/* SPDX-License-Identifier: MIT */
/* sleeper.h — the sampler's wait: sleep until a CLOCK_MONOTONIC deadline unless woken first. */
#ifndef MW_SLEEPER_H
#define MW_SLEEPER_H

#include "config.h"
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#ifdef HAVE_SEM_CLOCKWAIT
#include <semaphore.h>
#endif

/* Why not the watcher's condvar: a pthread_cond_timedwait that times out re-takes its mutex in
 * the "contended" state, so the next unlock costs a futex wake syscall: two syscalls a sample
 * where a sleep needs one. A semaphore's timed wait is one. Where sem_clockwait is missing (a
 * configure feature test, e.g. macOS has no unnamed semaphores) a private condvar stands in.
 *
 * One thread waits (the sampler); any thread may wake it. A wake sent while nobody waits is
 * kept, so the next wait returns at once: setting a flag, then waking, is never lost. Waking
 * more than once may cause as many early returns; the waiter re-checks its flags anyway. */
typedef struct mw__sleeper {
#ifdef HAVE_SEM_CLOCKWAIT
    sem_t sem;
#else
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool cond_monotonic; /* cond takes CLOCK_MONOTONIC deadlines */
    bool pending;        /* a wake not yet consumed */
#endif
} mw__sleeper;

/* 0, or -1 when the system refuses the primitives. */
int mw__sleeper_init(mw__sleeper *s);
void mw__sleeper_destroy(mw__sleeper *s);
/* Returns when deadline_ns (CLOCK_MONOTONIC, as mw__ts_to_ns) has passed or a wake arrived
 * (possibly early, e.g. on a signal): callers re-check the time and their flags. */
void mw__sleeper_wait(mw__sleeper *s, int64_t deadline_ns);
void mw__sleeper_wake(mw__sleeper *s);

#endif
