/* SPDX-License-Identifier: MIT */
/* test_stats.c — running summary (initial/current/peak, growth), least-squares trend, time seek. */
#include "config.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "capture.h"
#include "stats.h"

static mw__sample at(int64_t t_ns, uint64_t rss)
{
    mw__sample s;
    memset(&s, 0, sizeof(s));
    s.t_ns = t_ns;
    s.rss = rss;
    s.vsz = rss * 2;
    return s;
}

/* A ring holding samples (t0 + i * step_ns, v[i]) for i in [0, n). */
static void ring_of(mw__ring *r, size_t cap, int64_t t0, int64_t step_ns, const uint64_t *v, size_t n)
{
    cr_assert_eq(mw__ring_init(r, cap), 0);
    for (size_t i = 0; i < n; i++) {
        mw__sample s = at(t0 + (int64_t)i * step_ns, v[i]);
        mw__ring_push(r, &s);
    }
}

/* A summary of samples (seq0 + i, rss[i]) at t = i * step_ns. */
static void summary_from(mw__summary *s, const uint64_t *rss, size_t n, uint64_t seq0,
                         int64_t step_ns)
{
    mw__summary_reset(s);
    for (size_t i = 0; i < n; i++) {
        mw__sample x = at((int64_t)i * step_ns, rss[i]);
        mw__summary_add(s, &x, seq0 + i);
    }
}

Test(stats, summary_starts_empty)
{
    mw__summary s;
    mw__summary_reset(&s);
    cr_expect_eq(s.n, 0);
    cr_expect_eq(mw__summary_growth(&s), 0);
    cr_expect_eq(s.max_hwm, 0);
}

Test(stats, summary_tracks_initial_current_and_peak)
{
    const uint64_t rss[] = {500, 900, 300, 700, 400};
    mw__summary s;
    summary_from(&s, rss, 5, 10, 1);
    cr_expect_eq(s.n, 5);
    cr_expect_eq(s.first.rss, 500);
    cr_expect_eq(s.last.rss, 400);
    cr_expect_eq(s.peak_rss.rss, 900);
    cr_expect_eq(s.peak_rss_seq, 11);
    cr_expect_eq(s.peak_vsz.vsz, 1800);
    cr_expect_eq(s.peak_vsz_seq, 11);
}

Test(stats, peak_ties_keep_earliest)
{
    const uint64_t rss[] = {5, 9, 3, 9, 9};
    mw__summary s;
    summary_from(&s, rss, 5, 0, 100);
    cr_expect_eq(s.peak_rss_seq, 1);
    cr_expect_eq(s.peak_rss.t_ns, 100);
    cr_expect_eq(s.peak_vsz_seq, 1);
}

Test(stats, growth_is_current_minus_initial_and_may_be_negative)
{
    mw__summary s;
    mw__summary_reset(&s);
    mw__sample a = at(0, 10 << 20), b = at(1, 74 << 20), c = at(2, 2 << 20);
    mw__summary_add(&s, &a, 0);
    cr_expect_eq(mw__summary_growth(&s), 0);
    mw__summary_add(&s, &b, 1);
    cr_expect_eq(mw__summary_growth(&s), 64 << 20);
    mw__summary_add(&s, &c, 2);
    cr_expect_eq(mw__summary_growth(&s), -(8 << 20));
}

Test(stats, max_hwm_counts_only_known_proven_marks)
{
    mw__summary s;
    mw__summary_reset(&s);
    mw__sample a = at(0, 100), b = at(1, 100), c = at(2, 100), d = at(3, 100);
    a.hwm = 5000; /* not flagged valid: ignored */
    a.flags = MW_SAMPLE_HWM_ROSE;
    b.hwm = 3000;
    b.valid = MW_HAVE_HWM;
    b.flags = MW_SAMPLE_HWM_ROSE;
    c.hwm = 2000;
    c.valid = MW_HAVE_HWM;
    c.flags = MW_SAMPLE_HWM_ROSE;
    d.hwm = 4000; /* known, but it did not rise while watched (it may predate the watch) */
    d.valid = MW_HAVE_HWM;
    mw__summary_add(&s, &a, 0);
    cr_expect_eq(s.max_hwm, 0);
    mw__summary_add(&s, &b, 1);
    mw__summary_add(&s, &c, 2);
    mw__summary_add(&s, &d, 3);
    cr_expect_eq(s.max_hwm, 3000);
    cr_expect_eq(s.max_hwm_sum, 0);
}

Test(stats, a_trees_summed_marks_are_an_upper_bound_never_the_proven_mark)
{
    mw__summary s;
    mw__summary_reset(&s);
    mw__sample a = at(0, 100), b = at(1, 100);
    a.hwm = 320 << 20; /* two processes' own peaks, summed */
    a.valid = MW_HAVE_HWM;
    a.flags = MW_SAMPLE_HWM_ROSE; /* one of them proved a spike: still no tree height */
    a.nprocs = 2;
    b.hwm = 1000;
    b.valid = MW_HAVE_HWM;
    b.nprocs = 1;
    mw__summary_add(&s, &a, 0);
    mw__summary_add(&s, &b, 1);
    cr_expect_eq(s.max_hwm, 0);
    cr_expect_eq(s.max_hwm_sum, 320 << 20);
}

Test(stats, a_field_known_late_starts_at_its_first_known_sample)
{
    mw__summary s;
    mw__summary_reset(&s);
    mw__sample a = at(0, 100), b = at(1, 100), c = at(2, 100);
    b.valid = c.valid = MW_HAVE_PSS;
    mw__sample_set_field(&b, MW__FIELD_PSS, 40 << 10);
    mw__sample_set_field(&c, MW__FIELD_PSS, 30 << 10);
    mw__summary_add(&s, &a, 0);
    cr_expect(!s.field[MW__FIELD_PSS].known);
    mw__summary_add(&s, &b, 1);
    mw__summary_add(&s, &c, 2);
    cr_expect(s.field[MW__FIELD_PSS].known);
    cr_expect_eq(s.field[MW__FIELD_PSS].first, 40 << 10);
    cr_expect_eq(s.field[MW__FIELD_PSS].max, 40 << 10);
    cr_expect_eq(s.field[MW__FIELD_PSS].max_t_ns, b.t_ns);
    cr_expect_eq(s.field[MW__FIELD_PSS].min, 30 << 10); /* the unknown first sample is no 0 */
    cr_expect_eq(s.field[MW__FIELD_PSS].min_t_ns, c.t_ns);
}

Test(stats, summary_of_range_across_wrap)
{
    /* cap 5, 8 pushed: the ring holds seq 3..7 = {40, 90, 10, 90, 20}, wrapping after seq 4. */
    const uint64_t v[] = {1000, 2000, 3000, 40, 90, 10, 90, 20};
    mw__ring r;
    ring_of(&r, 5, 0, 1000, v, 8);
    mw__summary s;
    mw__summary_of_range(&s, &r, 0, 8); /* from below first is raised to first */
    cr_expect_eq(s.n, 5);
    cr_expect_eq(s.first.rss, 40);
    cr_expect_eq(s.last.rss, 20);
    cr_expect_eq(s.peak_rss.rss, 90);
    cr_expect_eq(s.peak_rss_seq, 4);
    cr_expect_eq(mw__summary_growth(&s), -20);

    mw__summary_of_range(&s, &r, 5, 7);
    cr_expect_eq(s.n, 2);
    cr_expect_eq(s.first.rss, 10);
    cr_expect_eq(s.peak_rss_seq, 6);

    mw__summary_of_range(&s, &r, 7, 7);
    cr_expect_eq(s.n, 0);
    mw__ring_destroy(&r);
}

Test(stats, trend_on_exact_line)
{
    /* 1 MiB per second, sampled every 250 ms. */
    uint64_t v[40];
    for (size_t i = 0; i < 40; i++)
        v[i] = (50u << 20) + (uint64_t)i * (1u << 18);
    mw__ring r;
    ring_of(&r, 64, 5000000000, 250000000, v, 40);
    mw__trend t;
    cr_assert(mw__trend_fit(&r, 0, 40, MW__FIELD_RSS, &t));
    cr_expect_eq(t.n, 40);
    cr_expect_float_eq(t.slope, 1048576.0, 1e-6);
    cr_expect_float_eq(t.intercept, (double)(50u << 20), 1e-3);
    cr_expect_float_eq(t.r2, 1.0, 1e-12);
    cr_expect_float_eq(t.span_s, 9.75, 1e-12);
    /* VSZ is 2 * RSS here: twice the slope. */
    cr_assert(mw__trend_fit(&r, 0, 40, MW__FIELD_VSZ, &t));
    cr_expect_float_eq(t.slope, 2097152.0, 1e-6);
    mw__ring_destroy(&r);
}

Test(stats, trend_on_falling_line_across_wrap)
{
    uint64_t v[30];
    for (size_t i = 0; i < 30; i++)
        v[i] = 1000000 - (uint64_t)i * 500;
    mw__ring r;
    ring_of(&r, 16, 0, 1000000000, v, 30); /* keeps seq 14..29, wrapped */
    mw__trend t;
    cr_assert(mw__trend_fit(&r, 0, 30, MW__FIELD_RSS, &t));
    cr_expect_eq(t.n, 16);
    cr_expect_float_eq(t.slope, -500.0, 1e-9);
    cr_expect_float_eq(t.intercept, 1000000.0 - 14 * 500.0, 1e-6);
    cr_expect_float_eq(t.r2, 1.0, 1e-12);
    mw__ring_destroy(&r);
}

Test(stats, trend_on_noisy_data_matches_hand_computation)
{
    /* t = 0..4 s, v = base + {0, 2, 1, 4, 3}. By hand, around the means (t 2, v 2):
     * Sxx = 10, Syy = 10, Sxy = 8 -> slope 0.8, intercept base + 2 - 0.8 * 2 = base + 0.4,
     * R^2 = 8^2 / (10 * 10) = 0.64. */
    const uint64_t base = 1u << 30;
    const uint64_t v[] = {base, base + 2, base + 1, base + 4, base + 3};
    mw__ring r;
    ring_of(&r, 8, 123000000000, 1000000000, v, 5);
    mw__trend t;
    cr_assert(mw__trend_fit(&r, 0, 5, MW__FIELD_RSS, &t));
    cr_expect_float_eq(t.slope, 0.8, 1e-9);
    cr_expect_float_eq(t.intercept, (double)base + 0.4, 1e-6);
    cr_expect_float_eq(t.r2, 0.64, 1e-9);
    cr_expect(t.r2 > 0.0 && t.r2 < 1.0);
    mw__ring_destroy(&r);
}

Test(stats, trend_on_flat_data_is_zero_slope_perfect_fit)
{
    const uint64_t v[] = {4096, 4096, 4096, 4096};
    mw__ring r;
    ring_of(&r, 4, 0, 10000000, v, 4);
    mw__trend t;
    cr_assert(mw__trend_fit(&r, 0, 4, MW__FIELD_RSS, &t));
    cr_expect_float_eq(t.slope, 0.0, 1e-12);
    cr_expect_float_eq(t.intercept, 4096.0, 1e-9);
    cr_expect_float_eq(t.r2, 1.0, 1e-12);
    mw__ring_destroy(&r);
}

Test(stats, trend_needs_two_points_and_a_time_span)
{
    const uint64_t v[] = {100, 200, 300};
    mw__ring r;
    ring_of(&r, 4, 0, 1000000, v, 3);
    mw__trend t;
    cr_expect_not(mw__trend_fit(&r, 0, 0, MW__FIELD_RSS, &t));
    cr_expect_eq(t.n, 0);
    cr_expect_not(mw__trend_fit(&r, 2, 3, MW__FIELD_RSS, &t));
    cr_expect_lt(t.n, 2);
    mw__ring_destroy(&r);

    /* Two points at the same instant: no line. */
    ring_of(&r, 4, 77, 0, v, 2);
    cr_expect_not(mw__trend_fit(&r, 0, 2, MW__FIELD_RSS, &t));
    cr_expect_float_eq(t.span_s, 0.0, 1e-12);
    mw__ring_destroy(&r);
}

Test(stats, trend_keeps_exact_slope_at_large_absolute_values)
{
    /* 1e12 bytes at t = 1e6 s (CLOCK_MONOTONIC after ~11 days), rising 4 KiB per second:
     * summing raw squares (1e24, 1e30) in doubles would lose the slope entirely. */
    uint64_t v[100];
    for (size_t i = 0; i < 100; i++)
        v[i] = 1000000000000ull + (uint64_t)i * 4096;
    mw__ring r;
    ring_of(&r, 100, 1000000000000000ll, 1000000000, v, 100);
    mw__trend t;
    cr_assert(mw__trend_fit(&r, 0, 100, MW__FIELD_RSS, &t));
    cr_expect_float_eq(t.slope, 4096.0, 1e-6);
    cr_expect_float_eq(t.intercept, 1e12, 1e-3);
    cr_expect_float_eq(t.r2, 1.0, 1e-9);
    cr_expect_float_eq(t.span_s, 99.0, 1e-9);
    mw__ring_destroy(&r);
}

Test(stats, seek_time_finds_first_at_or_after)
{
    uint64_t v[10] = {0};
    mw__ring r;
    ring_of(&r, 10, 0, 1000000, v, 10); /* t = 0, 1, ..., 9 ms */
    cr_expect_eq(mw__ring_seek_time(&r, 0, 10, 4000000), 4);
    cr_expect_eq(mw__ring_seek_time(&r, 0, 10, 4500000), 5);
    cr_expect_eq(mw__ring_seek_time(&r, 0, 10, -1), 0);
    cr_expect_eq(mw__ring_seek_time(&r, 0, 10, 9000001), 10, "none: returns to");
    cr_expect_eq(mw__ring_seek_time(&r, 0, 6, 8000000), 6, "bounded by to");
    cr_expect_eq(mw__ring_seek_time(&r, 3, 10, 0), 3, "bounded by from");
    cr_expect_eq(mw__ring_seek_time(&r, 0, 50, 9000001), 10, "to clamped to end");
    mw__ring_destroy(&r);
}

Test(stats, seek_time_after_wrap)
{
    uint64_t v[12] = {0};
    mw__ring r;
    ring_of(&r, 5, 0, 1000000, v, 12); /* holds seq 7..11 */
    cr_expect_eq(mw__ring_seek_time(&r, 0, 12, 0), 7, "from below first is raised");
    cr_expect_eq(mw__ring_seek_time(&r, 0, 12, 9500000), 10);
    cr_expect_eq(mw__ring_seek_time(&r, 0, 3, 0), 3, "a range entirely overwritten: none, to");
    mw__ring_destroy(&r);
}

/* A 1 MiB/min climb under a 50 MiB sawtooth (3.7 s teeth), or without it. */
static uint64_t run_value(size_t i, bool teeth)
{
    double t = (double)i / 10, c = t / 3.7;
    return (uint64_t)(100.0 * 1048576 + t * 1048576 / 60 + (teeth ? 50.0 * 1048576 * (c - (double)(long)c) : 0));
}

/* 20,000 samples at 100 ms through a ring of 1000 (the tiers keep the rest), and the same in a
 * ring holding them all: the brute force. */
static void long_run(mw__capture *c, mw__ring *all, bool teeth)
{
    cr_assert_eq(mw__capture_init(c, 1000), 0);
    cr_assert_eq(mw__ring_init(all, 20000), 0);
    for (size_t i = 0; i < 20000; i++) {
        mw__sample x = {.t_ns = 7 * 1000000000LL + (int64_t)i * 100000000LL, .rss = run_value(i, teeth)};
        mw__capture_add(c, &x);
        mw__ring_push(all, &x);
    }
    cr_assert_gt(mw__tiers_count(&c->tiers), 0);
}

Test(stats, a_trend_over_the_tiers_and_the_ring_matches_every_sample)
{
    mw__capture c;
    mw__ring all;
    mw__trend run, raw;
    long_run(&c, &all, false);
    cr_assert(mw__trend_fit_run(&c.ring, &c.tiers, INT64_MIN, INT64_MAX, 1, MW__FIELD_RSS, &run));
    cr_assert(mw__trend_fit(&all, 0, 20000, MW__FIELD_RSS, &raw));
    cr_expect(fabs(run.slope - raw.slope) <= 1e-6 * raw.slope, "line: %g vs %g", run.slope, raw.slope);
    cr_expect_geq(run.r2, 0.9999, "a line merged into buckets is still a line: %g", run.r2);
    cr_expect(fabs(run.span_s - raw.span_s) <= 10, "span %g vs %g", run.span_s, raw.span_s);
    mw__capture_destroy(&c);
    mw__ring_destroy(&all);

    /* under a sawtooth: the buckets' spread keeps R² as low as every sample's */
    long_run(&c, &all, true);
    cr_assert(mw__trend_fit_run(&c.ring, &c.tiers, INT64_MIN, INT64_MAX, 1, MW__FIELD_RSS, &run));
    cr_assert(mw__trend_fit(&all, 0, 20000, MW__FIELD_RSS, &raw));
    cr_expect(fabs(run.slope - raw.slope) <= 0.01 * raw.slope, "saw: %g vs %g", run.slope, raw.slope);
    cr_expect(fabs(run.r2 - raw.r2) <= 0.02, "saw R2: %g vs %g", run.r2, raw.r2);
    cr_expect_lt(run.r2, 0.9, "a sawtooth is no clean line: %g", run.r2);
    /* a window wholly in the tiers: the trend of what it shows */
    int64_t a = 7 * 1000000000LL + 300 * 1000000000LL, b = a + 900 * 1000000000LL;
    cr_assert(mw__trend_fit_run(&c.ring, &c.tiers, a, b, 1, MW__FIELD_RSS, &run));
    uint64_t fa = mw__ring_seek_time(&all, 0, 20000, a), fb = mw__ring_seek_time(&all, 0, 20000, b + 1);
    cr_assert(mw__trend_fit(&all, fa, fb, MW__FIELD_RSS, &raw));
    cr_expect(fabs(run.slope - raw.slope) <= 0.05 * raw.slope, "15 min in the tiers: %g vs %g", run.slope, raw.slope);
    mw__capture_destroy(&c);
    mw__ring_destroy(&all);
}
