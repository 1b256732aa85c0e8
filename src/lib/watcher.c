/* SPDX-License-Identifier: MIT */
/* watcher.c — the sampler thread: samples a process on absolute deadlines into a locked ring. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "memwatch.h"
#include "probe.h"
#include "proctab.h"
#include "pss.h"
#include "ring.h"
#include "sample.h"
#include "sized.h"
#include "sleeper.h"
#include "stats.h"
#include "watcher.h"

#define MW__INTERVAL_MIN_MS 1ull
#define MW__INTERVAL_MAX_MS 3600000ull

#include "watcher_impl.h"

mw_config mw_config_default(void)
{
    mw_config c;
    memset(&c, 0, sizeof(c));
    c.interval_ms = 1000;
    c.history_size = 3600;
    c.verbose_logging = false;
    c.pid = 0;
    return c;
}

int mw_config_init_sized(mw_config *cfg, size_t cfg_size)
{
    if (!cfg || cfg_size < MW__CONFIG_SIZE_MIN)
        return MW_EINVAL;
    mw_config c = mw_config_default();
    mw__copy_out(cfg, cfg_size, &c, sizeof(c));
    return 0;
}

int(mw_config_init)(mw_config *cfg) { return mw_config_init_sized(cfg, MW__CONFIG_SIZE_1); }

static bool interval_ok(uint64_t ms) { return ms >= MW__INTERVAL_MIN_MS && ms <= MW__INTERVAL_MAX_MS; }

/* The caller's cfg (cfg_size bytes of it) over the defaults, checked. */
static int read_config(const mw_config *cfg, size_t cfg_size, mw_config *c)
{
    *c = mw_config_default();
    if (cfg && (cfg_size < MW__CONFIG_SIZE_MIN || mw__copy_in(c, sizeof(*c), cfg, cfg_size) != 0))
        return MW_EINVAL;
    if (!interval_ok(c->interval_ms) || c->history_size == 0 || c->pid < 0 ||
        (c->pss_interval_ms && !interval_ok(c->pss_interval_ms)))
        return MW_EINVAL;
    return 0;
}

/* Everything of a new watcher that can fail, in the order mw_watcher_free undoes it. */
static int init_parts(mw_watcher *w, size_t history_size)
{
    int rc = mw__ring_init(&w->ring, history_size); /* MW_EINVAL: more than memory can address */
    if (rc != 0)
        return rc;
    mw__summary_reset(&w->summary);
    mw__tiers_init(&w->tiers, history_size); /* allocates when the run first outgrows the ring */
    if (mw__sleeper_init(&w->sleeper) != 0) {
        mw__ring_destroy(&w->ring);
        return MW_ENOMEM;
    }
    if (pthread_mutex_init(&w->lock, NULL) != 0) {
        mw__sleeper_destroy(&w->sleeper);
        mw__ring_destroy(&w->ring);
        return MW_ENOMEM;
    }
    if (mw__proctab_init(&w->procs) != 0) {
        pthread_mutex_destroy(&w->lock);
        mw__sleeper_destroy(&w->sleeper);
        mw__ring_destroy(&w->ring);
        return MW_ENOMEM;
    }
    return 0;
}

int mw_watcher_create_sized(const mw_config *cfg, mw_watcher **out, size_t cfg_size)
{
    if (!out)
        return MW_EINVAL;
    *out = NULL;
    mw_config c;
    int rc = read_config(cfg, cfg_size, &c);
    if (rc != 0)
        return rc;
    mw_watcher *w = calloc(1, sizeof(*w));
    if (!w)
        return MW_ENOMEM;
    w->cfg = c;
    w->pid = c.pid ? c.pid : getpid();
    w->probe_flags = (c.include_children ? MW__PROBE_TREE : 0u) |
                     (c.reset_peaks ? MW__PROBE_RESET_PEAK : 0u);
    w->period_ns = (int64_t)c.interval_ms * 1000000;
    if ((rc = init_parts(w, c.history_size)) != 0) {
        free(w);
        return rc;
    }
    *out = w;
    return 0;
}

int(mw_watcher_create)(const mw_config *cfg, mw_watcher **out)
{
    return mw_watcher_create_sized(cfg, out, MW__CONFIG_SIZE_1);
}

mw_watcher *mw_watcher_new_sized(const mw_config *cfg, size_t cfg_size)
{
    mw_watcher *w;
    return mw_watcher_create_sized(cfg, &w, cfg_size) == 0 ? w : NULL;
}

mw_watcher *(mw_watcher_new)(const mw_config *cfg) { return mw_watcher_new_sized(cfg, MW__CONFIG_SIZE_1); }

/* Which watcher's sampler runs on this thread (NULL on every other thread). Lets stop/free/start
 * called from a callback refuse to join their own thread, without reading fields that the
 * controlling thread writes. */
static _Thread_local const mw_watcher *tl_sampler_of;

static bool on_sampler_thread(const mw_watcher *w) { return tl_sampler_of == w; }

void mw_watcher_free(mw_watcher *w)
{
    if (!w || on_sampler_thread(w))
        return; /* freeing from its own callback would pull the thread's memory away under it */
    mw_watcher_stop(w);
    mw__watcher_cg_close(w);
    free(w->cg_where);
    mw__proctab_destroy(&w->procs);
    mw__sleeper_destroy(&w->sleeper);
    pthread_mutex_destroy(&w->lock);
    mw__ring_destroy(&w->ring);
    mw__tiers_destroy(&w->tiers);
    free(w);
}

int mw_watcher_add_callback(mw_watcher *w, mw_callback fn, void *user)
{
    if (!w || !fn)
        return MW_EINVAL;
    int rc = 0;
    lock_w(w);
    if (w->ncbs == MW__MAX_CALLBACKS)
        rc = MW_ENOMEM;
    else
        w->cbs[w->ncbs++] = (cb_entry){fn, user};
    unlock_w(w);
    return rc;
}

static void log_sample(const mw_watcher *w, const mw_stats *s)
{
    if (w->cg_only) {
        fprintf(stderr, "memwatch: cgroup %s current %.1f MiB (t=%lld.%03ld)\n", w->cg_where->path,
                (double)s->cg_current_size / 1048576.0, (long long)s->timestamp.tv_sec,
                s->timestamp.tv_nsec / 1000000);
        return;
    }
    fprintf(stderr,
            "memwatch: pid %ld rss %.1f MiB vsz %.1f MiB shared %.1f MiB (t=%lld.%03ld)\n",
            (long)w->pid, mw_stats_physical_mb(s), mw_stats_virtual_mb(s), mw_stats_shared_mb(s),
            (long long)s->timestamp.tv_sec, s->timestamp.tv_nsec / 1000000);
}

/* The latest PSS sweep's sums into the sample (pss.c), and how many processes it missed. */
static void add_pss(mw_watcher *w, mw_stats *st)
{
    uint32_t unreadable;
    if (!w->pss || mw__pss_apply(w->pss, st, &unreadable) != 0)
        return;
    lock_w(w);
    w->pss_unreadable = unreadable;
    unlock_w(w);
}

/* This sample's processes: to readers (the table), and to the sweeper (what to read next). */
static void publish_processes(mw_watcher *w, const mw_stats *st)
{
    size_t n;
    const mw_tree_process *rows = mw__probe_processes(w->probe, &n);
    mw__proctab_publish_sample(&w->procs, rows, n, w->pid, st, w->pss);
}

/* Take one sample and publish it. Returns 0 or the probe's error (the sampler then ends). */
static int sample_once(mw_watcher *w)
{
    mw_stats st;
    memset(&st, 0, sizeof(st));
    int reset_err = 0;
    int rc = w->cg_only ? 0 : mw__probe_sample(w->probe, &st, &reset_err);
    if (rc == 0)
        rc = mw__watcher_cg_sample(w, &st);
    if (rc != 0)
        return rc;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    st.timestamp = ts;
    if (st.nprocs == 0 && !w->cg_only)
        st.nprocs = 1;
    add_pss(w, &st);
    /* A high-water mark above the RSS we just read means a peak we did not see happened since
     * the previous sample: either the mark rose, or (when resetting) any mark at all. */
    if (!(w->probe_flags & MW__PROBE_TREE)) {
        /* With a tree the probe proves spikes per process (its records); here, for one. */
        bool was_reset = (w->probe_flags & MW__PROBE_RESET_PEAK) && w->prev_reset_ok;
        if ((st.valid & MW_HAVE_HWM) && st.peak_physical_size > st.physical_size &&
            (st.peak_physical_size > w->prev_hwm || was_reset))
            st.flags |= MW_SAMPLE_HWM_ROSE;
        w->prev_hwm = st.peak_physical_size;
    }
    w->prev_reset_ok = reset_err == 0;
    if (!w->cg_only)
        publish_processes(w, &st);

    mw__sample s;
    mw__sample_from_stats(&s, &st);
    cb_entry cbs[MW__MAX_CALLBACKS];
    size_t ncbs;
    lock_w(w);
    w->peak_reset_error = reset_err;
    uint64_t seq = mw__ring_end(&w->ring);
    /* The sample about to be overwritten keeps its place in the run, merged (tiers that failed
     * to allocate stay empty: the summary then starts at the ring). */
    uint64_t first = mw__ring_first(&w->ring);
    if (mw__ring_count(&w->ring) == w->ring.cap && mw__tiers_end(&w->tiers) == first)
        mw__tiers_push(&w->tiers, mw__ring_at(&w->ring, first));
    mw__ring_push(&w->ring, &s);
    mw__summary_add(&w->summary, &s, seq);
    ncbs = w->ncbs;
    memcpy(cbs, w->cbs, ncbs * sizeof(cbs[0]));
    unlock_w(w);

    /* Callbacks run with no lock held, so they may call back into the watcher. */
    if (w->cfg.verbose_logging)
        log_sample(w, &st);
    for (size_t i = 0; i < ncbs; i++)
        cbs[i].fn(&st, cbs[i].user);
    return 0;
}

static void *sampler_main(void *arg)
{
    mw_watcher *w = arg;
    tl_sampler_of = w;
    int64_t last = mw__now_ns();
    int64_t next = last; /* the first sample is taken at once */
    for (;;) {
        /* The flags are read under the lock, the sleep is taken without it: a wake sent in
         * between is kept by the sleeper, so the next sleep returns at once. */
        lock_w(w);
        if (w->interval_changed) {
            /* A new interval counts from the last sample, so it applies now. */
            w->interval_changed = false;
            next = last + w->period_ns;
        }
        bool stop = w->stop_requested;
        int64_t step = w->period_ns;
        unlock_w(w);
        if (stop)
            break;
        if (mw__now_ns() < next) {
            mw__sleeper_wait(&w->sleeper, next);
            continue; /* woken or due: look at the flags and the clock again */
        }

        last = mw__now_ns();
        int rc = sample_once(w);
        if (rc != 0) {
            /* The sweeper goes with the sampler: it would only re-read PIDs that are gone (or
             * strangers'). Only this thread touches w->pss while it runs; start and stop read
             * it after joining. */
            mw__pss_destroy(w->pss);
            w->pss = NULL;
            lock_w(w);
            w->end_reason = rc;
            w->running = false;
            unlock_w(w);
            break;
        }
        /* Absolute deadlines: sample times do not drift with the cost of sampling. After a long
         * stall (suspend, debugger), skip the missed slots rather than sampling in a burst. */
        next += step;
        int64_t now = mw__now_ns();
        if (next <= now - step)
            next = now + step;
    }
    return NULL;
}

int mw_watcher_start(mw_watcher *w)
{
    if (!w)
        return MW_EINVAL;
    if (on_sampler_thread(w))
        return MW_EALREADY;
    lock_w(w);
    bool running = w->running;
    unlock_w(w);
    if (running)
        return MW_EALREADY;
    /* The sampler may have ended by itself (process exited): reap that thread first. */
    if (w->thread_live) {
        pthread_join(w->thread, NULL);
        w->thread_live = false;
    }
    if (w->probe) {
        mw__probe_close(w->probe);
        w->probe = NULL;
    }
    int rc = w->cg_only ? 0 : mw__probe_open(w->pid, w->probe_flags, &w->probe);
    if (rc != 0)
        return rc;
    if ((rc = mw__watcher_cg_open(w)) != 0) {
        mw__probe_close(w->probe);
        w->probe = NULL;
        return rc;
    }
    w->prev_hwm = UINT64_MAX; /* the first sample claims no spike: its mark may predate us */
    w->prev_reset_ok = false;
    if (w->cfg.pss_interval_ms && !w->pss && !w->cg_only &&
        (rc = mw__pss_create((int64_t)w->cfg.pss_interval_ms * 1000000, &w->pss)) != 0) {
        mw__watcher_cg_close(w);
        mw__probe_close(w->probe);
        w->probe = NULL;
        return rc;
    }
    lock_w(w);
    w->stop_requested = false;
    w->interval_changed = false;
    w->end_reason = 0;
    w->running = true;
    unlock_w(w);
    /* The sampler takes no signal: a process-directed one (SIGCHLD, SIGINT, SIGTERM) goes to a
     * thread of the program's, whose handlers and waits expect it. The new thread inherits
     * the mask in force here: full for the create, the caller's own restored at once. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int created = pthread_create(&w->thread, NULL, sampler_main, w);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (created != 0) {
        lock_w(w);
        w->running = false;
        unlock_w(w);
        mw__watcher_cg_close(w);
        mw__probe_close(w->probe);
        w->probe = NULL;
        mw__pss_destroy(w->pss);
        w->pss = NULL;
        return MW_ESYS;
    }
    w->thread_live = true;
    return 0;
}

static void log_summary(mw_watcher *w)
{
    lock_w(w);
    mw__summary s = w->summary;
    unlock_w(w);
    if (s.n == 0) {
        fprintf(stderr, "memwatch: pid %ld: no samples\n", (long)w->pid);
        return;
    }
    if (w->cg_only) { /* no process: its figure is the cgroup's */
        const mw__field_span *c = &s.field[MW__FIELD_CG_CURRENT];
        fprintf(stderr, "memwatch: cgroup %s: %" PRIu64 " samples, current %.1f MiB, highest "
                        "sampled %.1f MiB\n", w->cg_where->path, s.n, (double)c->last / 1048576.0,
                (double)c->max / 1048576.0);
        return;
    }
    fprintf(stderr,
            "memwatch: pid %ld: %" PRIu64 " samples, rss initial %.1f MiB, current %.1f MiB, "
            "peak %.1f MiB, growth %+.1f MiB\n",
            (long)w->pid, s.n, (double)s.first.rss / 1048576.0, (double)s.last.rss / 1048576.0,
            (double)s.peak_rss.rss / 1048576.0, (double)mw__summary_growth(&s) / 1048576.0);
}

void mw_watcher_stop(mw_watcher *w)
{
    if (!w || on_sampler_thread(w) || !w->thread_live) /* thread_live is the controller's */
        return;
    lock_w(w);
    w->stop_requested = true;
    w->running = false;
    unlock_w(w);
    mw__sleeper_wake(&w->sleeper);
    pthread_join(w->thread, NULL);
    w->thread_live = false;
    mw__probe_close(w->probe);
    w->probe = NULL;
    mw__watcher_cg_close(w);
    mw__pss_destroy(w->pss);
    w->pss = NULL;
    if (w->cfg.verbose_logging)
        log_summary(w);
}

bool mw_watcher_is_running(const mw_watcher *w)
{
    if (!w)
        return false;
    lock_w(w);
    bool r = w->running;
    unlock_w(w);
    return r;
}

static void set_period(mw_watcher *w, int64_t ns)
{
    lock_w(w);
    w->period_ns = ns;
    w->interval_changed = true;
    unlock_w(w);
    mw__sleeper_wake(&w->sleeper);
}

int mw_watcher_set_interval(mw_watcher *w, uint64_t interval_ms)
{
    if (!w || !interval_ok(interval_ms))
        return MW_EINVAL;
    set_period(w, (int64_t)interval_ms * 1000000);
    return 0;
}

int mw__watcher_set_period_ns(mw_watcher *w, int64_t ns)
{
    if (!w || ns < 0 || ns > (int64_t)MW__INTERVAL_MAX_MS * 1000000)
        return MW_EINVAL;
    set_period(w, ns);
    return 0;
}
