/* SPDX-License-Identifier: MIT */
/* test_oldabi.c — a program built against 0.2.0's header, run on today's shared library: it writes nothing past the old structs. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oldabi_fixtures.h" /* instead of memwatch.h, as an old binary was compiled */

#define GUARD 0xA5
#define SLACK 256 /* more than any field a later version may append */

/* An old struct with guard bytes right after it. */
#define GUARDED(type, name)                                                                        \
    struct {                                                                                       \
        type v;                                                                                    \
        unsigned char guard[SLACK];                                                                \
    } name;                                                                                        \
    memset(&name, GUARD, sizeof(name))

static void expect_guard(const unsigned char *g, const char *what)
{
    for (size_t i = 0; i < SLACK; i++)
        cr_expect_eq(g[i], GUARD, "%s wrote byte %zu past 0.2.0's struct", what, i);
}

static bool have_probe(void)
{
    const char *p = getenv("MW_PROBE");
    return !(p && strcmp(p, "none") == 0);
}

Test(oldabi, config_and_status_keep_their_layout)
{
    mw_config cfg = mw_config_default();
    cr_expect_eq(cfg.interval_ms, 1000);
    cr_expect_eq(cfg.history_size, 3600);
    cr_expect_eq(cfg.pss_interval_ms, 0);
    cfg.history_size = 5;
    mw_watcher *w = mw_watcher_new(&cfg);
    cr_assert_not_null(w);
    GUARDED(mw_watcher_status, st);
    cr_assert_eq(mw_watcher_get_status(w, &st.v), 0);
    cr_expect_eq(st.v.capacity, 5);
    cr_expect_eq(st.v.interval_ms, 1000);
    cr_expect_eq(st.v.pss_unreadable, 0);
    expect_guard(st.guard, "mw_watcher_get_status");
    mw_watcher_free(w);
}

Test(oldabi, samples_keep_their_layout)
{
    if (!have_probe())
        cr_skip_test("no memory probe: no samples");
    GUARDED(mw_stats, one);
    cr_assert_eq(mw_get_memory_stats(&one.v), 0);
    cr_expect_gt(one.v.physical_size, 0);
    cr_expect_eq(one.v.nprocs, 1);
    expect_guard(one.guard, "mw_get_memory_stats");

    mw_config cfg = mw_config_default();
    cfg.interval_ms = 1;
    cfg.history_size = 4;
    mw_watcher *w = mw_watcher_new(&cfg);
    cr_assert_not_null(w);
    cr_assert_eq(mw_watcher_start(w), 0);
    GUARDED(mw_watcher_status, st);
    cr_assert_eq(mw_watcher_get_status(w, &st.v), 0);
    for (int i = 0; i < 5000 && st.v.samples < 6; i++) { /* up to 5 s: more than the ring holds */
        nanosleep(&(struct timespec){0, 1000000}, NULL);
        cr_assert_eq(mw_watcher_get_status(w, &st.v), 0);
    }
    mw_watcher_stop(w);
    cr_assert_geq(st.v.samples, 6);

    memset(&one, GUARD, sizeof(one));
    cr_assert_eq(mw_watcher_current_stats(w, &one.v), 0);
    cr_expect_gt(one.v.physical_size, 0);
    expect_guard(one.guard, "mw_watcher_current_stats");
    cr_assert_eq(mw_watcher_max_stats(w, &one.v), 0);
    expect_guard(one.guard, "mw_watcher_max_stats");

    typedef mw_stats four_samples[4];
    GUARDED(four_samples, ring);
    cr_assert_eq(mw_watcher_history(w, ring.v, 4), 4);
    expect_guard(ring.guard, "mw_watcher_history");
    for (int i = 0; i < 4; i++)
        cr_expect_gt(ring.v[i].physical_size, 0, "element %d read at 0.2.0's stride", i);
    memset(&ring, GUARD, sizeof(ring));
    uint64_t seq = 0, lost = 0;
    cr_assert_eq(mw_watcher_history_since(w, &seq, ring.v, 4, &lost), 4);
    cr_expect_geq(lost, 2);
    expect_guard(ring.guard, "mw_watcher_history_since");
    mw_leak_result verdict;
    cr_expect_eq(mw_leak_verdict(ring.v, 4, &verdict), 0);
    mw_watcher_free(w);
}
