/* SPDX-License-Identifier: MIT */
/* test_headroom.c — time to the limit: nearest ceiling, poor fit, no growth, rounding; the /proc parsers. */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

#include "headroom.h"
#include "sysmem.h"

#define MIB (1024ull * 1024ull)
#define GIB (1024ull * MIB)

/* A clean climb: slope bytes/s fitted over span_s with n points. */
static mw__trend line(double slope, double r2, double span_s, size_t n)
{
    return (mw__trend){.n = n, .slope = slope, .r2 = r2, .span_s = span_s};
}

static mw__ceiling ceil_of(mw__ceiling_kind k, const char *fig, uint64_t now, uint64_t limit,
                           uint64_t shown, mw__trend t)
{
    return (mw__ceiling){k, fig, now, limit, shown, t, true};
}

Test(headroom, the_nearest_ceiling_is_named_with_its_time)
{
    mw__trend rss = line(1 * MIB, 0.99, 60, 600), vsz = line(4 * MIB, 0.98, 60, 600);
    mw__ceiling c[] = {
        ceil_of(MW__CEIL_MEMAVAIL, "RSS", 100 * MIB, 100 * MIB + 8 * GIB, 8 * GIB, rss),
        ceil_of(MW__CEIL_RLIMIT_AS, "VSZ", 200 * MIB, 2 * GIB, 2 * GIB, vsz),
    };
    mw__headroom h;
    mw__headroom_eval(c, 2, &h);
    cr_assert(h.said);
    cr_expect_eq(h.which, 1);
    cr_expect_eq(h.kind, MW__CEIL_RLIMIT_AS);
    cr_expect_float_eq(h.seconds, (double)(2 * GIB - 200 * MIB) / (4.0 * MIB), 1e-6);
    cr_expect_str_eq(h.when, "~7.7 min");
    cr_expect_str_eq(h.text, "at this rate VSZ reaches RLIMIT_AS 2.0 GiB in ~7.7 min");
    /* Without the RLIMIT, MemAvailable is what is left: 8 GiB at 1 MiB/s. */
    mw__headroom_eval(c, 1, &h);
    cr_assert(h.said);
    cr_expect_str_eq(h.text, "at this rate RSS uses up MemAvailable (8.0 GiB) in ~2.3 h");
}

Test(headroom, a_cgroup_limit_reads_as_such)
{
    mw__ceiling c = ceil_of(MW__CEIL_CGROUP, "cgroup memory", 300 * MIB, 512 * MIB, 512 * MIB,
                            line(0.25 * MIB, 0.9, 120, 1200));
    mw__headroom h;
    mw__headroom_eval(&c, 1, &h);
    cr_assert(h.said);
    cr_expect_str_eq(h.text, "at this rate cgroup memory reaches the cgroup limit 512.0 MiB in ~14 min");
}

Test(headroom, nothing_is_said_without_growth_or_a_good_line)
{
    mw__trend bad[] = {
        line(0, 1.0, 60, 600),                /* flat */
        line(-1.0 * MIB, 0.99, 60, 600),        /* falling */
        line(1 * MIB, 0.79, 60, 600),         /* a sawtooth or a step: R² under 0.8 */
        line(1 * MIB, 0.99, 9.9, 600),        /* too short a span */
        line(1 * MIB, 0.99, 60, 9),           /* too few points */
    };
    mw__trend flat = line(1 * MIB, 1.0, 60, 600);
    flat.flat = true;
    mw__headroom h;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        mw__ceiling c = ceil_of(MW__CEIL_MEMAVAIL, "RSS", 0, GIB, GIB, bad[i]);
        mw__headroom_eval(&c, 1, &h);
        cr_expect_not(h.said, "case %zu said '%s'", i, h.text);
        cr_expect_str_eq(h.text, "");
    }
    mw__ceiling c = ceil_of(MW__CEIL_MEMAVAIL, "RSS", 0, GIB, GIB, flat);
    mw__headroom_eval(&c, 1, &h);
    cr_expect_not(h.said);
    c.fit = line(1 * MIB, 0.99, 60, 600);
    c.have_fit = false;
    mw__headroom_eval(&c, 1, &h);
    cr_expect_not(h.said, "no fit, nothing said");
    /* Already at or past the ceiling: no time to it. */
    c = ceil_of(MW__CEIL_RLIMIT_AS, "VSZ", GIB, GIB, GIB, line(MIB, 0.99, 60, 600));
    mw__headroom_eval(&c, 1, &h);
    cr_expect_not(h.said);
    mw__headroom_eval(NULL, 0, &h);
    cr_expect_not(h.said);
}

Test(headroom, times_are_rounded_to_two_digits_and_a_week_caps_them)
{
    static const struct { double s; const char *want; } cases[] = {
        {0.4, "< 1 s"}, {1.4, "~1 s"}, {9.6, "~10 s"}, {40.2, "~40 s"}, {59.4, "~59 s"},
        {59.6, "~1 min"}, {125, "~2.1 min"}, {14 * 60 + 10, "~14 min"}, {3599, "~1 h"},
        {3.16 * 3600, "~3.2 h"}, {23.4 * 3600, "~23 h"}, {23.8 * 3600, "~1 day"},
        {2.5 * 86400, "~2.5 days"}, {6.9 * 86400, "~6.9 days"}, {7.2 * 86400, "> 1 week"},
        {1e12, "> 1 week"},
    };
    char buf[24];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        cr_expect_str_eq(mw__headroom_when(buf, sizeof(buf), cases[i].s), cases[i].want,
                         "%.1f s", cases[i].s);
}

Test(headroom, the_fit_is_over_the_newest_ten_minutes)
{
    mw__ring r;
    cr_assert_eq(mw__ring_init(&r, 20000), 0);
    /* 20 minutes at 1 Hz: flat for the first ten, then +1 MiB/s. */
    for (int i = 0; i < 1200; i++) {
        mw__sample s = {0};
        s.t_ns = (int64_t)i * 1000000000LL;
        s.rss = 100 * MIB + (i >= 600 ? (uint64_t)(i - 600) * MIB : 0);
        mw__ring_push(&r, &s);
    }
    mw__trend t;
    cr_assert(mw__headroom_fit(&r, MW__FIELD_RSS, &t));
    cr_expect_float_eq(t.slope, (double)MIB, 0.01 * MIB, "slope %.0f: the flat first half left out", t.slope);
    cr_expect_gt(t.r2, 0.999);
    cr_expect_leq(t.span_s, MW__HEADROOM_WINDOW_S);
    mw__ring_destroy(&r);
}

/* ---- the /proc parsers ---------------------------------------------------------------------- */

Test(sysmem, meminfo_gives_memavailable_in_bytes)
{
    const char *t = "MemTotal:       16318480 kB\nMemFree:         1183628 kB\n"
                    "MemAvailable:   12345678 kB\nBuffers:          435304 kB\n";
    uint64_t v;
    cr_assert_eq(mw__parse_meminfo_available(t, strlen(t), &v), 0);
    cr_expect_eq(v, 12345678ull * 1024);
    const char *old = "MemTotal:       16318480 kB\nMemFree:         1183628 kB\n";
    cr_expect_eq(mw__parse_meminfo_available(old, strlen(old), &v), MW_EINVAL);
}

Test(sysmem, limits_give_the_soft_address_space_limit)
{
    const char *t =
        "Limit                     Soft Limit           Hard Limit           Units     \n"
        "Max data size             unlimited            unlimited            bytes     \n"
        "Max address space         2147483648           unlimited            bytes     \n"
        "Max file locks            unlimited            unlimited            locks     \n";
    uint64_t v;
    cr_assert_eq(mw__parse_limits_as(t, strlen(t), &v), 0);
    cr_expect_eq(v, 2147483648ull);
    const char *u = "Max address space         unlimited            unlimited            bytes\n";
    cr_assert_eq(mw__parse_limits_as(u, strlen(u), &v), 0);
    cr_expect_eq(v, MW__LIMIT_NONE);
    cr_expect_eq(mw__parse_limits_as("Max data size 1 1 bytes\n", 24, &v), MW_EINVAL);
}

Test(sysmem, vmstat_gives_the_oom_kill_count_not_a_prefix_match)
{
    const char *t = "oom_kill_other 9\npgfault 123\noom_kill 7\nnr_foo 1";
    uint64_t v;
    cr_assert_eq(mw__parse_vmstat_oom_kill(t, strlen(t), &v), 0);
    cr_expect_eq(v, 7);
    cr_expect_eq(mw__parse_vmstat_oom_kill("pgfault 1\n", 10, &v), MW_EINVAL);
    cr_expect_eq(mw__parse_vmstat_oom_kill("oom_kill x\n", 11, &v), MW_EINVAL);
}

Test(sysmem, the_readers_answer_on_this_machine)
{
    uint64_t v;
    int rc = mw__mem_available(&v);
    cr_expect(rc == 0 || rc == MW_EUNSUPPORTED);
    if (rc == 0)
        cr_expect_gt(v, 0);
    rc = mw__rlimit_as((long)getpid(), &v);
    cr_expect(rc == 0 || rc == MW_EUNSUPPORTED);
    rc = mw__oom_kills(&v);
    cr_expect(rc == 0 || rc == MW_EUNSUPPORTED);
}
