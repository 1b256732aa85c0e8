/* SPDX-License-Identifier: MIT */
/* sleeper.c — the sampler's wait: one syscall per timed sleep, wakes never lost (see sleeper.h). */
#include "sleeper.h"

#include <time.h>

#include "sample.h"

#ifdef HAVE_SEM_CLOCKWAIT

int mw__sleeper_init(mw__sleeper *s) { return sem_init(&s->sem, 0, 0) == 0 ? 0 : -1; }

void mw__sleeper_destroy(mw__sleeper *s) { sem_destroy(&s->sem); }

void mw__sleeper_wait(mw__sleeper *s, int64_t deadline_ns)
{
    struct timespec ts = mw__ns_to_ts(deadline_ns);
    sem_clockwait(&s->sem, CLOCK_MONOTONIC, &ts); /* ETIMEDOUT and EINTR both mean: re-check */
}

void mw__sleeper_wake(mw__sleeper *s) { sem_post(&s->sem); }

#else /* a private condvar: its mutex is only ever taken here, so it costs the sampler nothing else */

int mw__sleeper_init(mw__sleeper *s)
{
    s->pending = false;
    s->cond_monotonic = false;
    pthread_condattr_t ca;
    if (pthread_condattr_init(&ca) != 0)
        return -1;
#ifdef HAVE_PTHREAD_CONDATTR_SETCLOCK /* a feature test from configure, not an OS switch */
    s->cond_monotonic = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0;
#endif
    int rc = pthread_cond_init(&s->cond, &ca);
    pthread_condattr_destroy(&ca);
    if (rc != 0)
        return -1;
    if (pthread_mutex_init(&s->lock, NULL) != 0) {
        pthread_cond_destroy(&s->cond);
        return -1;
    }
    return 0;
}

void mw__sleeper_destroy(mw__sleeper *s)
{
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->lock);
}

void mw__sleeper_wait(mw__sleeper *s, int64_t deadline_ns)
{
    struct timespec ts = mw__ns_to_ts(deadline_ns);
    if (!s->cond_monotonic) {
        /* Without a monotonic condvar, turn the time left into a realtime deadline. */
        struct timespec rt;
        int64_t left = deadline_ns - mw__now_ns();
        clock_gettime(CLOCK_REALTIME, &rt);
        ts = mw__ns_to_ts(mw__ts_to_ns(&rt) + (left > 0 ? left : 0));
    }
    pthread_mutex_lock(&s->lock);
    if (!s->pending)
        pthread_cond_timedwait(&s->cond, &s->lock, &ts);
    s->pending = false;
    pthread_mutex_unlock(&s->lock);
}

void mw__sleeper_wake(mw__sleeper *s)
{
    pthread_mutex_lock(&s->lock);
    s->pending = true;
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

#endif
