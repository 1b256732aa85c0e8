/* SPDX-License-Identifier: MIT */
/* test_runsummary.c — mw_watcher_summary over a real child's run that outgrew its ring, against every sample seen. */
#include "config.h"

#include <stdatomic.h>

#include "watch_fixtures.h"

#define RING 50
#define TOTAL 1500 /* 30 times the ring: its start is merged, several levels up */

/* Every sample, as the callbacks saw them (the sampler thread writes, the test reads after stop). */
static mw_stats seen[TOTAL + 64];
static atomic_size_t nseen;

static void on_sample(const mw_stats *s, void *user)
{
    (void)user;
    size_t i = atomic_load(&nseen);
    if (i < sizeof(seen) / sizeof(seen[0])) {
        seen[i] = *s;
        atomic_store(&nseen, i + 1);
    }
}

/* The summary brute force gives of the samples seen[a .. b] (physical and virtual size). */
static void brute(size_t a, size_t b, mw_run_summary *out)
{
    memset(out, 0, sizeof(*out));
    mw_figure *fg[] = {&out->physical_size, &out->virtual_size};
    for (size_t i = a; i <= b; i++) {
        uint64_t v[] = {seen[i].physical_size, seen[i].virtual_size};
        for (size_t k = 0; k < 2; k++) {
            mw_figure *f = fg[k];
            if (!f->known || v[k] < f->min) {
                f->min = v[k];
                f->min_time = seen[i].timestamp;
            }
            if (!f->known || v[k] > f->max) {
                f->max = v[k];
                f->max_time = seen[i].timestamp;
            }
            if (!f->known)
                f->first = v[k];
            f->last = v[k];
            f->mean += (double)v[k];
            f->known++;
        }
        out->samples++;
    }
    out->physical_size.mean /= (double)out->physical_size.known;
    out->virtual_size.mean /= (double)out->virtual_size.known;
}

static void expect_figure(const mw_figure *got, const mw_figure *want, const char *what)
{
    cr_expect_eq(got->known, want->known, "%s known", what);
    cr_expect_eq(got->first, want->first, "%s first", what);
    cr_expect_eq(got->last, want->last, "%s last", what);
    cr_expect_eq(got->min, want->min, "%s min", what);
    cr_expect_eq(got->max, want->max, "%s max", what);
    cr_expect_eq(ts_ns(&got->max_time), ts_ns(&want->max_time), "%s: the (first) time of its max", what);
    cr_expect_eq(ts_ns(&got->min_time), ts_ns(&want->min_time), "%s: the (first) time of its min", what);
    double d = got->mean - want->mean;
    cr_expect(d < 1.0 && d > -1.0, "%s mean %.1f, every sample's %.1f", what, got->mean, want->mean);
}

/* The index of the first sample at or after t, and of the last at or before it. */
static size_t seen_from(int64_t t)
{
    size_t i = 0;
    while (i < nseen && ts_ns(&seen[i].timestamp) < t)
        i++;
    return i;
}

static size_t seen_to(int64_t t)
{
    size_t i = nseen;
    while (i > 0 && ts_ns(&seen[i - 1].timestamp) > t)
        i--;
    return i - 1;
}

/* A watcher of RING samples over a child that allocates and frees while it is sampled. */
static mw_watcher *run_child(child *c)
{
    child_spawn(c);
    char reply[256];
    child_cmd(c, "rss", reply, sizeof(reply));
    mw_watcher *w = watcher_for(c->pid, 1, RING);
    cr_assert_eq(mw_watcher_add_callback(w, on_sample, NULL), 0);
    cr_assert_eq(mw_watcher_start(w), 0);
    for (int round = 0; samples_of(w) < TOTAL; round++) {
        child_cmd(c, round % 3 == 2 ? "freeall" : "alloc 4", reply, sizeof(reply));
        cr_assert(poll_until(samples_of(w) >= (uint64_t)(round + 1) * 40 || samples_of(w) >= TOTAL,
                             SOON_MS));
    }
    mw_watcher_stop(w);
    cr_assert_eq(nseen, samples_of(w), "a callback per sample");
    return w;
}

Test(runsummary, the_whole_run_and_any_range_agree_with_every_sample_seen)
{
    child c;
    mw_watcher *w = run_child(&c);
    size_t n = nseen;
    mw_run_summary sum, want;

    /* The whole run: exact, though most of it is merged. */
    cr_assert_eq(mw_watcher_summary(w, NULL, NULL, &sum), 0);
    brute(0, n - 1, &want);
    cr_expect_eq(sum.samples, n);
    cr_expect_eq(sum.merged, n - RING, "everything older than the ring came merged");
    cr_expect_gt(sum.max_merged, 1, "the run merged buckets of several samples");
    cr_expect_eq(ts_ns(&sum.first_time), ts_ns(&seen[0].timestamp), "from the run's first sample");
    cr_expect_eq(ts_ns(&sum.last_time), ts_ns(&seen[n - 1].timestamp));
    expect_figure(&sum.physical_size, &want.physical_size, "RSS");
    expect_figure(&sum.virtual_size, &want.virtual_size, "VSZ");
    cr_expect_gt(sum.physical_size.max - sum.physical_size.min, 3 * MIB, "the child's 4 MiB");
    cr_expect(sum.valid & MW_HAVE_HWM);

    /* Within the ring: every sample on its own. */
    struct timespec a = seen[n - 20].timestamp, b = seen[n - 10].timestamp;
    cr_assert_eq(mw_watcher_summary(w, &a, &b, &sum), 0);
    brute(n - 20, n - 10, &want);
    cr_expect_eq(sum.samples, 11);
    cr_expect_eq(sum.merged, 0);
    cr_expect_eq(sum.max_merged, 1);
    expect_figure(&sum.physical_size, &want.physical_size, "RSS in the ring");

    /* In the merged history: whole buckets, exactly the samples they say they cover. */
    a = seen[300].timestamp;
    b = seen[700].timestamp;
    cr_assert_eq(mw_watcher_summary(w, &a, &b, &sum), 0);
    cr_expect_leq(ts_ns(&sum.first_time), ts_ns(&a));
    cr_expect_geq(ts_ns(&sum.last_time), ts_ns(&b));
    cr_expect_eq(sum.merged, sum.samples);
    size_t i0 = seen_from(ts_ns(&sum.first_time)), i1 = seen_to(ts_ns(&sum.last_time));
    brute(i0, i1, &want);
    cr_expect_eq(sum.samples, want.samples);
    cr_expect_lt(sum.samples, 401 + 2 * sum.max_merged, "no more than the range's edge buckets");
    expect_figure(&sum.physical_size, &want.physical_size, "RSS merged");
    expect_figure(&sum.virtual_size, &want.virtual_size, "VSZ merged");

    /* The leak verdict is the whole run's too: the one every sample seen gives. */
    mw_leak_result v, all;
    cr_assert_eq(mw_watcher_leak_verdict(w, &v), 0);
    cr_assert_eq(mw_leak_verdict(seen, n, &all), 0);
    cr_expect_eq(v.verdict, all.verdict, "watcher: %s; every sample: %s", v.reason, all.reason);
    double run = v.span_s + v.warmup_s, run_all = all.span_s + all.warmup_s;
    cr_expect(run > 0.99 * run_all && run < 1.01 * run_all,
              "judged from the run's start: %.2f s of %.2f s", run, run_all);

    mw_watcher_free(w);
    child_reap(&c);
}

Test(runsummary, an_empty_range_is_enodata_and_bad_arguments_einval)
{
    child c;
    mw_watcher *w = run_child(&c);
    size_t n = nseen;
    mw_run_summary sum;
    struct timespec late = seen[n - 1].timestamp, early = seen[0].timestamp, later;
    late.tv_sec += 1;
    later = late;
    later.tv_sec += 1;
    memset(&sum, 0xa5, sizeof(sum));
    cr_expect_eq(mw_watcher_summary(w, &late, &later, &sum), MW_ENODATA, "after the run");
    cr_expect_eq(sum.samples, 0, "zeroed");
    cr_expect_eq(sum.physical_size.max, 0, "zeroed");
    early.tv_sec -= 1;
    cr_expect_eq(mw_watcher_summary(w, NULL, &early, &sum), MW_ENODATA, "before the run");

    cr_expect_eq(mw_watcher_summary(NULL, NULL, NULL, &sum), MW_EINVAL);
    cr_expect_eq(mw_watcher_summary(w, NULL, NULL, NULL), MW_EINVAL);
    cr_expect_eq(mw_watcher_summary(w, &later, &late, &sum), MW_EINVAL, "from after to");
    struct timespec bad = late;
    bad.tv_nsec = 1000000000;
    cr_expect_eq(mw_watcher_summary(w, &bad, NULL, &sum), MW_EINVAL);
    cr_expect_eq(mw_watcher_summary_sized(w, NULL, NULL, &sum, sizeof(sum) - 1), MW_EINVAL);

    /* A newer caller's bigger struct: its tail the library does not know is zeroed. */
    struct {
        mw_run_summary s;
        uint64_t more[4];
    } big;
    memset(&big, 0xa5, sizeof(big));
    cr_expect_eq(mw_watcher_summary_sized(w, NULL, NULL, &big.s, sizeof(big)), 0);
    cr_expect_eq(big.s.samples, n);
    for (size_t i = 0; i < 4; i++)
        cr_expect_eq(big.more[i], 0);
    /* The plain function itself, as a program built without the macro calls it. */
    cr_expect_eq((mw_watcher_summary)(w, NULL, NULL, &sum), 0);
    cr_expect_eq(sum.samples, n);
    mw_watcher_free(w);
    child_reap(&c);
}
