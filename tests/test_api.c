/* SPDX-License-Identifier: MIT */
/* test_api.c — the API's promises to other programs: version macros, creation's error codes, and sized structs never overrun. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memwatch.h"

#include "sanitized.h"

/* The oldest layouts a _sized call accepts (0.1.0's: before the 0.2.0 extensions). */
#define STATS_OLD offsetof(mw_stats, nprocs_unreadable)
#define CONFIG_OLD offsetof(mw_config, include_children)
#define STATUS_OLD offsetof(mw_watcher_status, pss_unreadable)
#define GUARD 0xA5
#define SLACK 64 /* guard bytes after the caller's struct */

/* A field of a struct held in a smaller caller's buffer (no dereference past the buffer). */
#define FIELD(buf, type, field, var) memcpy(&(var), (buf) + offsetof(type, field), sizeof(var))

static bool guard_intact(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != GUARD)
            return false;
    return true;
}

Test(api, version_macros_match_the_library_and_configure)
{
    cr_expect_str_eq(MW_VERSION_STRING, mw_version());
    cr_expect_str_eq(MW_VERSION_STRING, PACKAGE_VERSION, "memwatch_version.h is configure's version");
    int major, minor, patch;
    cr_assert_eq(sscanf(mw_version(), "%d.%d.%d", &major, &minor, &patch), 3);
    cr_expect_eq(MW_VERSION_MAJOR, major);
    cr_expect_eq(MW_VERSION_MINOR, minor);
    cr_expect_eq(MW_VERSION_PATCH, patch);
    cr_expect_eq(MW_VERSION_NUM, major * 10000 + minor * 100 + patch);
#if MW_VERSION_NUM < 200
#error "MW_VERSION_NUM is not usable in #if (0.2.0 is 200)"
#endif
}

Test(api, create_says_why_it_failed)
{
    mw_config cfg;
    cr_assert_eq(mw_config_init(&cfg), 0);
    mw_watcher *w = (mw_watcher *)&cfg; /* not NULL: a failure must clear it */
    cfg.interval_ms = 0;
    cr_expect_eq(mw_watcher_create(&cfg, &w), MW_EINVAL, "interval 0");
    cr_expect_null(w);
    cfg.interval_ms = 3600001;
    cr_expect_eq(mw_watcher_create(&cfg, &w), MW_EINVAL, "interval above an hour");
    cfg.interval_ms = 1000;
    cfg.history_size = 0;
    cr_expect_eq(mw_watcher_create(&cfg, &w), MW_EINVAL, "no history");
    cfg.history_size = 10;
    cfg.pid = -1;
    cr_expect_eq(mw_watcher_create(&cfg, &w), MW_EINVAL, "negative pid");
    cfg.pid = 0;
    cfg.pss_interval_ms = 3600001;
    cr_expect_eq(mw_watcher_create(&cfg, &w), MW_EINVAL, "PSS interval above an hour");
    cfg.pss_interval_ms = 0;
    cr_expect_eq(mw_watcher_create(&cfg, NULL), MW_EINVAL, "nowhere to put it");
    cr_expect_null(mw_watcher_new(&(mw_config){.interval_ms = 0, .history_size = 1}), "_new: NULL");

    cr_assert_eq(mw_watcher_create(&cfg, &w), 0);
    cr_assert_not_null(w);
    mw_watcher_status st;
    cr_assert_eq(mw_watcher_get_status(w, &st), 0);
    cr_expect_eq(st.capacity, 10);
    mw_watcher_free(w);
    cr_assert_eq(mw_watcher_create(NULL, &w), 0, "NULL config: the defaults");
    cr_assert_eq(mw_watcher_get_status(w, &st), 0);
    cr_expect_eq(st.capacity, 3600);
    cr_expect_eq(st.interval_ms, 1000);
    mw_watcher_free(w);
}

Test(api, create_says_out_of_memory)
{
    if (SANITIZED)
        cr_skip_test("a sanitizer aborts on an allocation this large instead of failing it");
    mw_config cfg;
    mw_config_init(&cfg);
    cfg.history_size = SIZE_MAX / 256; /* addressable, never allocatable */
    mw_watcher *w;
    cr_expect_eq(mw_watcher_create(&cfg, &w), MW_ENOMEM);
    cr_expect_null(w);
    cr_expect_str_eq(mw_strerror(MW_ENOMEM), "out of memory");
}

/* An old caller's config: the bytes past its size are garbage the library must not read. */
Test(api, config_past_the_callers_size_is_never_read)
{
    unsigned char buf[sizeof(mw_config) + SLACK];
    memset(buf, 0xFF, sizeof(buf));
    mw_config *cfg = (mw_config *)(void *)buf;
    cr_assert_eq(mw_config_init_sized(cfg, CONFIG_OLD), 0);
    uint64_t interval;
    FIELD(buf, mw_config, interval_ms, interval);
    cr_expect_eq(interval, 1000);
    cr_expect_eq(buf[CONFIG_OLD], 0xFF, "init wrote past the caller's size");
    interval = 50;
    memcpy(buf + offsetof(mw_config, interval_ms), &interval, sizeof(interval));
    mw_watcher *w;
    /* Read as a whole struct, its 0xFF pss_interval_ms would be out of range: MW_EINVAL. */
    cr_assert_eq(mw_watcher_create_sized(cfg, &w, CONFIG_OLD), 0);
    mw_watcher_status st;
    cr_assert_eq(mw_watcher_get_status(w, &st), 0);
    cr_expect_eq(st.interval_ms, 50);
    mw_watcher_free(w);
    cr_expect_eq(mw_watcher_create_sized(cfg, &w, CONFIG_OLD - 1), MW_EINVAL, "below 0.1.0");
    cr_expect_eq(mw_config_init_sized(cfg, 1), MW_EINVAL);
}

/* A newer caller's config: fields this library does not know are accepted only when unset. */
Test(api, config_fields_the_library_does_not_know_must_be_zero)
{
    unsigned char buf[sizeof(mw_config) + 8];
    mw_config *cfg = (mw_config *)(void *)buf;
    cr_assert_eq(mw_config_init_sized(cfg, sizeof(buf)), 0);
    cr_expect_eq(buf[sizeof(mw_config) + 7], 0, "an unknown tail is zeroed");
    mw_watcher *w;
    cr_assert_eq(mw_watcher_create_sized(cfg, &w, sizeof(buf)), 0);
    mw_watcher_free(w);
    buf[sizeof(mw_config) + 3] = 1;
    cr_expect_eq(mw_watcher_create_sized(cfg, &w, sizeof(buf)), MW_EINVAL);
    cr_expect_null(mw_watcher_new_sized(cfg, sizeof(buf)));
}

static void wait_samples(mw_watcher *w, uint64_t n)
{
    mw_watcher_status st;
    for (int i = 0; i < 5000; i++) { /* up to 5 s */
        cr_assert_eq(mw_watcher_get_status(w, &st), 0);
        if (st.samples >= n)
            return;
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    cr_assert_fail("fewer than %llu samples in 5 s", (unsigned long long)n);
}

/* Every output of a watcher written into an old caller's smaller structs: guard bytes after. */
Test(api, outputs_never_write_past_the_callers_size)
{
    if (getenv("MW_PROBE") && strcmp(getenv("MW_PROBE"), "none") == 0)
        cr_skip_test("no memory probe: no samples");
    mw_watcher *w;
    cr_assert_eq(mw_watcher_create(&(mw_config){.interval_ms = 1, .history_size = 8}, &w), 0);
    cr_assert_eq(mw_watcher_start(w), 0);
    wait_samples(w, 3);
    mw_watcher_stop(w);

    unsigned char one[STATS_OLD + SLACK];
    memset(one, GUARD, sizeof(one));
    mw_stats *s = (mw_stats *)(void *)one;
    cr_assert_eq(mw_watcher_current_stats_sized(w, s, STATS_OLD), 0);
    uint64_t rss;
    FIELD(one, mw_stats, physical_size, rss);
    cr_expect_gt(rss, 0);
    cr_expect(guard_intact(one + STATS_OLD, SLACK), "current_stats wrote past the caller's size");
    cr_assert_eq(mw_watcher_max_stats_sized(w, s, STATS_OLD), 0);
    cr_expect(guard_intact(one + STATS_OLD, SLACK), "max_stats wrote past the caller's size");
    cr_assert_eq(mw_get_process_memory_stats_sized(0, s, STATS_OLD), 0);
    cr_expect(guard_intact(one + STATS_OLD, SLACK), "one-shot sample wrote past the caller's size");
    cr_expect_eq(mw_watcher_current_stats_sized(w, s, STATS_OLD - 1), MW_EINVAL);

    /* Arrays: strided by the caller's size, nothing written past cap elements. */
    enum { CAP = 3 };
    size_t stride = STATS_OLD + 4; /* 0.1.0's sizeof on LP64 (padding after nprocs) */
    unsigned char arr[CAP * (STATS_OLD + 4) + SLACK];
    memset(arr, GUARD, sizeof(arr));
    cr_assert_eq(mw_watcher_history_sized(w, (mw_stats *)(void *)arr, CAP, stride), CAP);
    cr_expect(guard_intact(arr + CAP * stride, SLACK), "history wrote past cap elements");
    uint64_t seq = 0;
    memset(arr, GUARD, sizeof(arr));
    cr_assert_eq(mw_watcher_history_since_sized(w, &seq, (mw_stats *)(void *)arr, CAP, NULL, stride), CAP);
    cr_expect(guard_intact(arr + CAP * stride, SLACK), "history_since wrote past cap elements");
    mw_stats full[CAP];
    cr_assert_eq(mw_watcher_history_since(w, &(uint64_t){0}, full, CAP, NULL), CAP);
    for (size_t i = 0; i < CAP; i++) {
        struct timespec ts;
        FIELD(arr + i * stride, mw_stats, physical_size, rss);
        FIELD(arr + i * stride, mw_stats, timestamp, ts);
        cr_expect_eq(rss, full[i].physical_size, "element %zu at the caller's stride", i);
        cr_expect_eq(ts.tv_nsec, full[i].timestamp.tv_nsec);
    }
    mw_leak_result strided, whole;
    cr_assert_eq(mw_leak_verdict_sized((const mw_stats *)(void *)arr, CAP, &strided, stride), 0);
    cr_assert_eq(mw_leak_verdict(full, CAP, &whole), 0);
    cr_expect_str_eq(strided.reason, whole.reason, "the verdict reads the caller's stride");

    unsigned char stat[STATUS_OLD + SLACK];
    memset(stat, GUARD, sizeof(stat));
    cr_assert_eq(mw_watcher_get_status_sized(w, (mw_watcher_status *)(void *)stat, STATUS_OLD), 0);
    size_t capacity;
    FIELD(stat, mw_watcher_status, capacity, capacity);
    cr_expect_eq(capacity, 8);
    cr_expect(guard_intact(stat + STATUS_OLD, SLACK), "get_status wrote past the caller's size");
    mw_watcher_free(w);
}

/* A newer caller's bigger struct: the fields this library does not know read as zero. */
Test(api, outputs_zero_what_the_library_does_not_know)
{
    unsigned char big[sizeof(mw_watcher_status) + 16];
    memset(big, GUARD, sizeof(big));
    mw_watcher *w;
    cr_assert_eq(mw_watcher_create(NULL, &w), 0);
    cr_assert_eq(mw_watcher_get_status_sized(w, (mw_watcher_status *)(void *)big, sizeof(big)), 0);
    for (size_t i = sizeof(mw_watcher_status); i < sizeof(big); i++)
        cr_expect_eq(big[i], 0, "byte %zu of an unknown field", i);
    mw_watcher_free(w);
}
