/* SPDX-License-Identifier: MIT */
/* test_compare.c — --compare in the --plot picture: alignment at the start or a mark, y-range over both, the compare line. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "svgcompare.h"
#include "svgplot.h"

#define MIB (1024ull * 1024)
#define SEC 1000000000ll

static void add(mw__capture *c, int64_t t_ns, uint64_t rss)
{
    mw__sample s;
    memset(&s, 0, sizeof(s));
    s.t_ns = t_ns;
    s.rss = rss;
    s.vsz = 100 * MIB;
    s.nprocs = 1;
    mw__capture_add(c, &s);
}

/* a: 10 samples a second apart from 1000 s, RSS 10..19 MiB, a mark "go" at its 4th (3 s).
 * b: 10 samples from 5000 s (its own clock), 20 MiB but 200 MiB at 5 s, "go" at its 7th (6 s). */
static void two(mw__capture *a, mw__capture *b)
{
    cr_assert_eq(mw__capture_init(a, 100), 0);
    cr_assert_eq(mw__capture_init(b, 100), 0);
    for (int i = 0; i < 10; i++) {
        add(a, (1000 + i) * SEC, (10 + (uint64_t)i) * MIB);
        if (i == 3)
            cr_assert_eq(mw__capture_mark(a, "go"), 0);
        add(b, (5000 + i) * SEC, (i == 5 ? 200 : 20) * MIB);
        if (i == 6)
            cr_assert_eq(mw__capture_mark(b, "go"), 0);
    }
}

static char *draw(const mw__capture *a, const mw__capture *b, const char *at)
{
    mw__plot_info info = {.title = "a", .other_name = "b.csv", .align_mark = at};
    char *svg = NULL;
    size_t n = 0;
    cr_assert_eq(mw__svg_plot(a, b, &info, &svg, &n), 0);
    cr_assert_eq(strlen(svg), n);
    return svg;
}

/* The points of the first polyline after the group opening `group`. */
static const char *points_in(const char *svg, const char *group)
{
    const char *g = strstr(svg, group);
    cr_assert(g, "no %s in\n%s", group, svg);
    const char *p = strstr(g, "points=\"");
    cr_assert(p);
    return p + 8;
}

Test(compare, the_anchor_is_the_first_sample_or_the_named_mark)
{
    mw__capture a, b, empty;
    two(&a, &b);
    cr_assert_eq(mw__capture_init(&empty, 10), 0);
    int64_t t = 0;
    cr_expect(mw__compare_anchor(&a, NULL, &t));
    cr_expect_eq(t, 1000 * SEC);
    cr_expect(mw__compare_anchor(&b, "go", &t));
    cr_expect_eq(t, 5006 * SEC);
    cr_expect(!mw__compare_anchor(&a, "gone", &t));
    cr_expect(!mw__compare_anchor(&empty, NULL, &t));
    mw__capture_destroy(&a);
    mw__capture_destroy(&b);
    mw__capture_destroy(&empty);
}

Test(compare, the_line_compares_peak_growth_and_trend)
{
    mw__capture a, b;
    cr_assert_eq(mw__capture_init(&a, 100), 0);
    cr_assert_eq(mw__capture_init(&b, 100), 0);
    for (int i = 0; i <= 60; i++) { /* a: +40 MiB over a minute; b: +10 MiB */
        add(&a, i * SEC, 10 * MIB + (uint64_t)i * 40 * MIB / 60);
        add(&b, i * SEC, 10 * MIB + (uint64_t)i * 10 * MIB / 60);
    }
    char line[256];
    mw__compare_line(line, sizeof(line), &a, &b);
    cr_expect_str_eq(line, "peak 50.0 MiB vs 20.0 MiB (+150%), growth +40.0 MiB vs +10.0 MiB, "
                           "trend +40.0 MiB/min vs +10.0 MiB/min");
    mw__capture_destroy(&a);
    mw__capture_destroy(&b);
}

Test(compare, aligned_at_the_start_on_one_axis_over_both)
{
    mw__capture a, b;
    two(&a, &b);
    char *svg = draw(&a, &b, NULL);
    /* Both from x=80 over 9 s: b's 5th sample (4 s) at 80 + 4/9 * 800. */
    cr_expect(strncmp(points_in(svg, "<g class=\"RSS\">"), "80.0,", 5) == 0, "%s", svg);
    const char *o = points_in(svg, "<g class=\"RSS other\">");
    cr_expect(strncmp(o, "80.0,", 5) == 0);
    cr_expect(strstr(o, " 435.6,"), "%.200s", o);
    cr_expect(strstr(svg, "stroke=\"#d81b60\""), "the other's own colour");
    cr_expect(strstr(svg, ">200.0 MiB</text>"), "the y-axis reaches the other's peak");
    cr_expect(strstr(svg, "peak 200.0 MiB at 5.000 s (b.csv)"), "the other's own peak");
    cr_expect(strstr(svg, "peak 19.0 MiB at 9.000 s<"), "this run's peak");
    cr_expect(strstr(svg, ">vs b.csv: peak 19.0 MiB vs 200.0 MiB (-90%), growth +9.0 MiB vs "
                          "+0 B, trend"), "%s", svg);
    cr_expect(strstr(svg, "elapsed time since each capture's first sample"));
    free(svg);
    mw__capture_destroy(&a);
    mw__capture_destroy(&b);
}

Test(compare, aligned_at_a_mark)
{
    mw__capture a, b;
    two(&a, &b);
    char *svg = draw(&a, &b, "go");
    /* "go" at a's 3 s and b's 6 s: the window is b's start (-6 s) to a's end (+6 s), 12 s. */
    cr_expect(strncmp(points_in(svg, "<g class=\"RSS\">"), "280.0,", 6) == 0, "%s", svg);
    const char *o = points_in(svg, "<g class=\"RSS other\">");
    cr_expect(strncmp(o, "80.0,", 5) == 0);
    cr_expect(strstr(o, " 480.0,"), "b's mark sample under a's mark");
    cr_expect(strstr(svg, "<line class=\"mark\" x1=\"480.0\""), "a's mark at t=0");
    cr_expect(strstr(svg, "peak 200.0 MiB at -1.000 s (b.csv)"));
    cr_expect(strstr(svg, ">-4s</text>"), "times before the mark are negative");
    cr_expect(strstr(svg, "; t=0 at mark go</text>"));
    cr_expect(strstr(svg, "elapsed time since the mark"));
    free(svg);
    char *out;
    size_t n;
    mw__plot_info info = {.align_mark = "gone"};
    cr_expect_eq(mw__svg_plot(&a, &b, &info, &out, &n), MW_EINVAL, "a mark missing is refused");
    mw__capture_destroy(&a);
    mw__capture_destroy(&b);
}
