/* SPDX-License-Identifier: MIT */
/* test_verdict.c — the leak verdict on synthetic series: leaks, sawtooths, steps, noise, warm-up. */
#include "config.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "stats.h"
#include "verdict.h"

#define MIB (1024.0 * 1024.0)
#define STEP_NS 100000000LL /* 100 ms, as the end-to-end runs sample */

/* A series: RSS in bytes at time t seconds. */
typedef double (*series_fn)(double t);

/* Judge `seconds` of the series sampled every 100 ms. */
static mw_leak_result judge(series_fn fn, double seconds)
{
    alarm(20);
    mw__floor f;
    size_t n = (size_t)(seconds * 10) + 1;
    cr_assert_eq(mw__floor_init(&f, n), 0);
    for (size_t i = 0; i < n; i++)
        mw__floor_add(&f, 5 * 1000000000LL + (int64_t)i * STEP_NS, (uint64_t)fn((double)i / 10));
    mw_leak_result r;
    mw__verdict_decide(&f, &r);
    mw__floor_destroy(&f);
    return r;
}

/* A collector's sawtooth: allocates `height` bytes over `period` seconds, then drops to zero. */
static double saw(double t, double height, double period)
{
    double c = t / period; /* no libm here: the phase by truncation */
    return height * (c - (double)(long)c);
}

/* Deterministic noise in [-1, 1). */
static double noise(double t)
{
    uint32_t x = (uint32_t)(t * 1000.0 + 0.5) * 2654435761u;
    x ^= x >> 15;
    x *= 2246822519u;
    x ^= x >> 13;
    return (double)x / 2147483648.0 - 1.0;
}

static double pure_leak(double t) { return 100 * MIB + t * MIB / 60; }
static double saw_flat(double t) { return 100 * MIB + saw(t, 50 * MIB, 3.7); }
static double saw_leak(double t) { return 100 * MIB + saw(t, 50 * MIB, 3.7) + t * MIB / 60; }
static double saw_step(double t) { return 100 * MIB + saw(t, 50 * MIB, 3.7) + (t > 300 ? 20 * MIB : 0); }
static double noisy_flat(double t) { return 100 * MIB + 2 * MIB * noise(t); }
static double start_then_leak(double t) { return t < 8 ? t * 12 * MIB : 96 * MIB + t * 2 * MIB / 60; }
static double filled_cache(double t) { return 60 * MIB + (t < 240 ? t : 240) * 4 * MIB / 60 + saw(t, 8 * MIB, 2.3); }

static double staircase(double t) { return 100 * MIB + (double)(int)(t / 80) * 10 * MIB + saw(t, 4 * MIB, 1.3); }
static double late_jump(double t) { return 100 * MIB + t * MIB / 60 + (t > 300 ? 100 * MIB : 0); }

/* Leaks that grow in steps (a batch kept every so often), and straight climbs on big floors. */
static double steps_10_per_30s(double t) { return 100 * MIB + (double)(int)(t / 30) * 10 * MIB + saw(t, 4 * MIB, 1.3); }
static double steps_20_per_60s(double t) { return 100 * MIB + (double)(int)(t / 60) * 20 * MIB + saw(t, 4 * MIB, 1.3); }
static double steps_50_per_300s(double t) { return 100 * MIB + (double)(int)(t / 300) * 50 * MIB + saw(t, 4 * MIB, 1.3); }
static double big_floor_climb(double t) { return 4096 * MIB + t * 3 * MIB / 60; }
static double small_floor_creep(double t) { return 100 * MIB + t * 100 * 1024 / 60; }
static double tiny_creep(double t) { return 100 * MIB + t * 50 * 1024 / 60; }

static double long_teeth(double t) { return 200 * MIB + saw(t, 60 * MIB, 15) + t * 4 * MIB / 60; }

static double constant(double t) { return 100 * MIB + 0 * t; }

static double per_min(const mw_leak_result *r) { return r->floor_slope * 60 / MIB; }

Test(verdict, pure_leak_is_a_leak)
{
    mw_leak_result r = judge(pure_leak, 120);
    cr_expect_eq(r.verdict, MW_LEAK_YES, "%s", r.reason);
    cr_expect(fabs(per_min(&r) - 1.0) < 0.05, "slope %.3f MiB/min", per_min(&r));
    cr_expect_gt(r.r2, 0.99);
    cr_expect_str_eq(r.reason, "floor +1.0 MiB/min over 1m40s, R\u00b2 1.00");
}

Test(verdict, a_constant_floor_is_no_leak_with_an_undefined_r2)
{
    mw_leak_result r = judge(constant, 120);
    cr_expect_eq(r.verdict, MW_LEAK_NO, "%s", r.reason);
    cr_expect(mw__verdict_fit_flat(&r), "every floor equal: the fit is flat (r2 %f)", r.r2);
    mw_leak_result l = judge(pure_leak, 120);
    cr_expect(!mw__verdict_fit_flat(&l), "a climb is not flat");
    mw_leak_result n = judge(noisy_flat, 120);
    cr_expect(!mw__verdict_fit_flat(&n), "noise around a level is a fit, not flat");
}

Test(verdict, sawtooth_without_leak_is_no_leak)
{
    mw_leak_result r = judge(saw_flat, 180);
    cr_expect_eq(r.verdict, MW_LEAK_NO, "%s", r.reason);
    cr_expect(strstr(r.reason, "floor flat"), "%s", r.reason);
}

Test(verdict, slow_leak_under_a_big_sawtooth_is_a_leak)
{
    /* 1 MiB/min under a 50 MiB sawtooth: a fit over every sample is lost in the teeth. */
    mw_leak_result r = judge(saw_leak, 12 * 60);
    cr_expect_eq(r.verdict, MW_LEAK_YES, "%s", r.reason);
    cr_expect(fabs(per_min(&r) - 1.0) < 0.1, "slope %.3f MiB/min", per_min(&r));
    cr_expect_gt(r.r2, 0.9);
}

Test(verdict, one_step_midway_is_not_sure)
{
    /* One step halfway, flat since: a cache that filled, or a leak that steps every 5 minutes;
     * half a run of flat cannot tell them apart. */
    mw_leak_result r = judge(saw_step, 600);
    cr_expect_eq(r.verdict, MW_LEAK_UNSURE, "%s", r.reason);
}

Test(verdict, growth_that_stopped_is_not_a_leak)
{
    /* A cache that fills for 4 minutes, then stays full for 2: its floor climbs, then stops. */
    mw_leak_result r = judge(filled_cache, 360);
    cr_expect_neq(r.verdict, MW_LEAK_YES, "%s", r.reason);
}

Test(verdict, growth_that_stopped_long_ago_is_no_leak)
{
    /* The same cache after 20 minutes: it filled within the first window after the warm-up and
     * the floor has held for the 7 windows since, far longer than it climbed. */
    mw_leak_result r = judge(filled_cache, 1200);
    cr_expect_eq(r.verdict, MW_LEAK_NO, "%s", r.reason);
    cr_expect(strstr(r.reason, "over the last"), "%s", r.reason);
}

Test(verdict, a_leak_in_steps_is_never_no_leak)
{
    /* 20 MiB/min in 10 MiB steps over 1 minute, 20 MiB steps over 2, 50 MiB steps over 10: each
     * run sees one step and a flat stretch no longer than a step's period. */
    series_fn fns[] = {steps_10_per_30s, steps_20_per_60s, steps_50_per_300s};
    double secs[] = {60, 120, 600};
    for (int i = 0; i < 3; i++) {
        mw_leak_result r = judge(fns[i], secs[i]);
        cr_expect_neq(r.verdict, MW_LEAK_NO, "series %d: %s", i, r.reason);
    }
}

Test(verdict, a_clean_climb_too_small_to_count_is_not_sure)
{
    /* +50 KiB/min for 5 minutes: ~220 KiB, within the granularity, but a clean line all the same. */
    mw_leak_result r = judge(tiny_creep, 300);
    cr_expect_eq(r.verdict, MW_LEAK_UNSURE, "%s", r.reason);
    cr_expect(strstr(r.reason, "but only +"), "%s", r.reason);
}

Test(verdict, a_straight_climb_slower_than_the_noise_rate_is_a_leak)
{
    /* For an hour: +3 MiB/min on a 4 GiB floor (~160 MiB, under 0.1 % of the floor a minute),
     * and +100 KiB/min on a 100 MiB floor (under 128 KiB/min, but ~5 MiB in all). */
    series_fn fns[] = {big_floor_climb, small_floor_creep};
    for (int i = 0; i < 2; i++) {
        mw_leak_result r = judge(fns[i], 3600);
        cr_expect_eq(r.verdict, MW_LEAK_YES, "series %d: %s", i, r.reason);
    }
}

Test(verdict, noise_around_a_flat_floor_is_no_leak)
{
    mw_leak_result r = judge(noisy_flat, 300);
    cr_expect_eq(r.verdict, MW_LEAK_NO, "%s", r.reason);
}

Test(verdict, too_short_is_not_sure)
{
    mw_leak_result r = judge(pure_leak, 20);
    cr_expect_eq(r.verdict, MW_LEAK_UNSURE, "%s", r.reason);
    cr_expect_str_eq(r.reason, "warming up: 20s of 40s");
}

Test(verdict, warm_up_is_skipped)
{
    /* Start-up climbs 96 MiB in 8 s; the leak after it is 2 MiB/min, and that is what counts. */
    mw_leak_result r = judge(start_then_leak, 90);
    cr_expect_eq(r.verdict, MW_LEAK_YES, "%s", r.reason);
    cr_expect(fabs(per_min(&r) - 2.0) < 0.1, "slope %.3f MiB/min", per_min(&r));
    cr_expect_geq(r.warmup_s, 10.0);
}

Test(verdict, nothing_is_not_sure)
{
    mw_leak_result r;
    cr_expect_eq(mw_leak_verdict(NULL, 0, &r), 0);
    cr_expect_eq(r.verdict, MW_LEAK_UNSURE);
    cr_expect_eq(mw_leak_verdict(NULL, 3, &r), MW_EINVAL);
    cr_expect_eq(mw_leak_verdict(NULL, 0, NULL), MW_EINVAL);
}

Test(verdict, public_array_call_matches_the_index)
{
    size_t n = 1201;
    mw_stats *s = calloc(n, sizeof(*s));
    cr_assert(s);
    for (size_t i = 0; i < n; i++) {
        s[i].timestamp.tv_sec = 5 + (time_t)(i / 10);
        s[i].timestamp.tv_nsec = (long)(i % 10) * STEP_NS;
        s[i].physical_size = (uint64_t)saw_leak((double)i / 10);
    }
    mw_leak_result a, b = judge(saw_leak, 120);
    cr_assert_eq(mw_leak_verdict(s, n, &a), 0);
    cr_expect_eq(a.verdict, b.verdict);
    cr_expect_eq(a.floor_slope, b.floor_slope);
    cr_expect_str_eq(a.reason, b.reason);
    free(s);
}

/* The verdict of `seconds` of a series pushed through a capture whose ring holds ring_cap
 * samples, every sample fed to an index as the dashboard does (inc, synced every `every`
 * samples), and judged once at the end over the ring and the tiers (one). */
static void through_capture(series_fn fn, double seconds, size_t ring_cap, size_t every,
                            mw_leak_result *inc_out, mw_leak_result *one_out)
{
    alarm(60);
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, ring_cap), 0);
    mw__floor inc = {0};
    size_t n = (size_t)(seconds * 10) + 1;
    for (size_t i = 0; i < n; i++) {
        mw__sample x = {.t_ns = 5 * 1000000000LL + (int64_t)i * STEP_NS, .rss = (uint64_t)fn((double)i / 10)};
        mw__capture_add(&c, &x);
        if (i % every == 0 || i + 1 == n)
            cr_assert_eq(mw__floor_sync_run(&inc, &c.ring, &c.tiers), 0);
    }
    cr_assert_gt(mw__tiers_count(&c.tiers), 0, "the run outgrew the ring");
    mw__verdict_decide(&inc, inc_out);
    cr_assert_eq(mw__verdict_of_run(&c.ring, &c.tiers, one_out), 0);
    mw__floor_destroy(&inc);
    mw__capture_destroy(&c);
}

/* Same word as over every raw sample, and the floor's slope within 3 % of it (merged older
 * blocks move a window's edge by at most a block: a floor point may be a neighbour's). */
static void expect_as_raw(const mw_leak_result *got, const mw_leak_result *raw, const char *how)
{
    cr_log_info("%s: %s (%.4f MiB/min) / raw: %s (%.4f MiB/min)", how, got->reason,
                per_min(got), raw->reason, per_min(raw));
    cr_expect_eq(got->verdict, raw->verdict, "%s: %s / raw: %s", how, got->reason, raw->reason);
    cr_expect(fabs(got->floor_slope - raw->floor_slope) <= 0.03 * fabs(raw->floor_slope) + 1.0,
              "%s: slope %g vs raw %g B/s", how, got->floor_slope, raw->floor_slope);
    cr_expect(fabs(got->span_s - raw->span_s) <= 0.02 * raw->span_s, "%s: span %g vs raw %g", how,
              got->span_s, raw->span_s);
}

Test(verdict, a_long_sawtooth_leak_through_a_small_ring_is_judged_over_the_whole_run)
{
    /* 2 h at 100 ms (72,001 samples) through a ring of 1000 (100 s): the tiers hold the rest. */
    mw_leak_result raw = judge(saw_leak, 2 * 3600), inc, one;
    cr_assert_eq(raw.verdict, MW_LEAK_YES, "%s", raw.reason);
    through_capture(saw_leak, 2 * 3600, 1000, 1, &inc, &one);
    expect_as_raw(&inc, &raw, "synced every sample");
    expect_as_raw(&one, &raw, "one read of ring + tiers");
    cr_expect(one.span_s > 6000, "the whole run, not the ring's 100 s: %g", one.span_s);
    /* a dashboard that syncs only now and then (a slow frame): the ring's lost part comes
     * from the tiers */
    through_capture(saw_leak, 2 * 3600, 1000, 2500, &inc, &one);
    expect_as_raw(&inc, &raw, "synced every 2500 samples");
}

Test(verdict, a_long_flat_sawtooth_through_a_small_ring_stays_no_leak)
{
    mw_leak_result raw = judge(saw_flat, 2 * 3600), inc, one;
    cr_assert_eq(raw.verdict, MW_LEAK_NO, "%s", raw.reason);
    through_capture(saw_flat, 2 * 3600, 1000, 1, &inc, &one);
    cr_expect_eq(inc.verdict, MW_LEAK_NO, "%s", inc.reason);
    cr_expect_eq(one.verdict, MW_LEAK_NO, "%s", one.reason);
    cr_expect(one.span_s > 6000, "span %g", one.span_s);
}

Test(verdict, a_tiny_ring_still_judges_the_whole_run)
{
    /* -H 100: tier buckets of 1, 2, 4 ... samples, and the index compacting many times over */
    mw_leak_result raw = judge(saw_leak, 3600), inc, one;
    through_capture(saw_leak, 3600, 100, 1, &inc, &one);
    expect_as_raw(&inc, &raw, "ring 100, synced every sample");
    expect_as_raw(&one, &raw, "ring 100, one read");
    mw_leak_result rawf = judge(saw_flat, 3600);
    through_capture(saw_flat, 3600, 100, 1, &inc, &one);
    cr_expect_eq(one.verdict, rawf.verdict, "%s / raw: %s", one.reason, rawf.reason);
    cr_expect_eq(inc.verdict, rawf.verdict, "%s / raw: %s", inc.reason, rawf.reason);
}

Test(verdict, a_full_index_merges_its_oldest_blocks_and_keeps_the_run)
{
    /* 4 h fed to an index sized for 1000 samples: it compacts, it never drops the start. */
    mw__floor f;
    cr_assert_eq(mw__floor_init(&f, 1000), 0);
    size_t n = 4 * 36000 + 1;
    for (size_t i = 0; i < n; i++)
        mw__floor_add(&f, 5 * 1000000000LL + (int64_t)i * STEP_NS, (uint64_t)pure_leak((double)i / 10));
    cr_expect_leq(f.end - f.first, f.cap, "bounded");
    cr_expect_eq(f.b[f.first % f.cap].t_first, 5 * 1000000000LL, "the run's first sample is kept");
    mw_leak_result r, raw = judge(pure_leak, 4 * 3600);
    mw__verdict_decide(&f, &r);
    expect_as_raw(&r, &raw, "compacted index");
    mw__floor_destroy(&f);
}

Test(verdict, rare_big_steps_are_not_sure)
{
    /* +10 MiB every 80 s: a good line (R² ~0.9), but the floor rose in only half the windows. */
    mw_leak_result r = judge(staircase, 400);
    cr_expect_eq(r.verdict, MW_LEAK_UNSURE, "%s", r.reason);
    cr_expect(strstr(r.reason, "windows"), "%s", r.reason);
}

Test(verdict, a_climb_with_a_late_jump_is_poorly_fitted)
{
    /* Rises in every window, but most of the growth is one jump at the end: not a line. */
    mw_leak_result r = judge(late_jump, 400);
    cr_expect_eq(r.verdict, MW_LEAK_UNSURE, "%s", r.reason);
    cr_expect(strstr(r.reason, "R\u00b2"), "%s", r.reason);
}

Test(verdict, teeth_longer_than_a_window_prove_nothing)
{
    /* 15 s teeth, 10 s windows: the window minima are wherever the teeth happen to be. That
     * must not read as no leak (there is one, 4 MiB/min, under them). */
    mw_leak_result r = judge(long_teeth, 100);
    cr_expect_eq(r.verdict, MW_LEAK_UNSURE, "%s", r.reason);
}

Test(verdict, a_watcher_without_samples_is_not_sure)
{
    mw_watcher *w = mw_watcher_new(NULL);
    cr_assert(w);
    mw_leak_result r;
    cr_expect_eq(mw_watcher_leak_verdict(w, &r), 0);
    cr_expect_eq(r.verdict, MW_LEAK_UNSURE);
    cr_expect_str_eq(r.reason, "no samples yet");
    cr_expect_eq(mw_watcher_leak_verdict(w, NULL), MW_EINVAL);
    cr_expect_eq(mw_watcher_leak_verdict(NULL, &r), MW_EINVAL);
    mw_watcher_free(w);
}
