/* SPDX-License-Identifier: MIT */
/* memory_watcher_demo.c — watch this process while it allocates and frees memory in steps. */
/* nanosleep is POSIX, not ISO C: ask for it, so a strict -std=c11 build declares it too. */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <memwatch.h>

#define MIB (1024 * 1024)
#define STEP_MIB 16
#define STEPS 8
#define THRESHOLD_MIB 64 /* above the RSS at start */

/* Owned by the callback while the watcher runs; read by main only after mw_watcher_stop. */
struct threshold {
    uint64_t bytes;
    bool crossed;
};

/* Runs on the watcher's sampler thread after every sample. */
static void on_sample(const mw_stats *s, void *user)
{
    struct threshold *t = user;
    if (!t->crossed && s->physical_size >= t->bytes) {
        t->crossed = true;
        printf("  ! RSS %.1f MiB crossed the %.1f MiB threshold\n", mw_stats_physical_mb(s),
               (double)t->bytes / MIB);
    }
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static int fail(const char *what, int err)
{
    fprintf(stderr, "memory_watcher_demo: %s: %s\n", what, mw_strerror(err));
    return 1;
}

int main(void)
{
    mw_stats now;
    int rc = mw_get_memory_stats(&now);
    if (rc != 0)
        return fail("cannot sample this process", rc);
    struct threshold limit = {now.physical_size + (uint64_t)THRESHOLD_MIB * MIB, false};

    mw_config cfg;
    mw_config_init(&cfg); /* the defaults; pid 0: this process */
    cfg.interval_ms = 20;
    cfg.history_size = 1000; /* 20 s at 20 ms: the whole run */
    mw_watcher *w;
    if ((rc = mw_watcher_create(&cfg, &w)) != 0)
        return fail("cannot create the watcher", rc);
    if ((rc = mw_watcher_add_callback(w, on_sample, &limit)) != 0 ||
        (rc = mw_watcher_start(w)) != 0) {
        mw_watcher_free(w);
        return fail("cannot start watching", rc);
    }
    printf("watching this process every %llu ms\n", (unsigned long long)cfg.interval_ms);

    /* Grow in steps, touching every byte so the pages become resident, then free it all. */
    char *blocks[STEPS];
    for (int i = 0; i < STEPS; i++) {
        blocks[i] = malloc(STEP_MIB * MIB);
        if (!blocks[i]) {
            mw_watcher_free(w);
            return fail("malloc", MW_ENOMEM);
        }
        memset(blocks[i], i + 1, STEP_MIB * MIB);
        printf("  allocated %3d MiB\n", (i + 1) * STEP_MIB);
        sleep_ms(100); /* a few samples per step */
    }
    for (int i = 0; i < STEPS; i++)
        free(blocks[i]);
    printf("  freed everything\n");
    sleep_ms(100);
    mw_watcher_stop(w); /* joins the sampler: no callback runs after this */

    /* The summary, from the watcher's own records. */
    mw_stats first, peak, current;
    mw_watcher_status status;
    uint64_t seq = 0; /* the oldest sample in the ring: the first, as the ring holds the run */
    if (mw_watcher_history_since(w, &seq, &first, 1, NULL) != 1 ||
        (rc = mw_watcher_max_stats(w, &peak)) != 0 ||
        (rc = mw_watcher_current_stats(w, &current)) != 0 ||
        (rc = mw_watcher_get_status(w, &status)) != 0) {
        mw_watcher_free(w);
        return fail("no samples", rc ? rc : MW_ENODATA);
    }
    printf("summary over %llu samples:\n", (unsigned long long)status.samples);
    printf("  initial %8.1f MiB\n", mw_stats_physical_mb(&first));
    printf("  peak    %8.1f MiB\n", mw_stats_physical_mb(&peak));
    printf("  current %8.1f MiB\n", mw_stats_physical_mb(&current));
    printf("  growth  %+8.1f MiB\n", (double)mw_watcher_memory_growth(w) / MIB);
    mw_watcher_free(w);

    if (!limit.crossed) {
        fprintf(stderr, "memory_watcher_demo: RSS never crossed the threshold\n");
        return 1;
    }
    return 0;
}
