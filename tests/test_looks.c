/* SPDX-License-Identifier: MIT */
/* test_looks.c — the dashboard's view options (y-axis from 0, wall-clock times) as golden screens. */
#include "config.h"
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "stats.h"
#include "timefmt.h"
#include "ui_fixtures.h"
#include "view.h"

/* One dashboard: its capture, key state and screen (set up in each test, freed by done()). */
typedef struct dash {
    mw__capture cap;
    mw__ui_state st;
    mw__canvas cv;
} dash;

static void open_dash(dash *d)
{
    memset(d, 0, sizeof(*d));
    fx_capture(&d->cap, 3600);
    mw__ui_init(&d->st);
}

static void done(dash *d)
{
    mw__canvas_destroy(&d->cv);
    mw__ui_destroy(&d->st);
    mw__capture_destroy(&d->cap);
}

/* The screen for a live run, with `gaps` sampling gaps counted. */
static char *render_gaps(dash *d, int w, int h, uint64_t gaps)
{
    mw__view_info in;
    memset(&in, 0, sizeof(in));
    in.state = "running";
    in.interval_ms = 250;
    in.gaps = gaps;
    in.elapsed_ns = mw__ring_last(&d->cap.ring)->t_ns - d->cap.t0_ns;
    cr_assert_eq(mw__canvas_resize(&d->cv, w, h), 0);
    mw__view_build(&d->cv, &d->cap, &in, &d->st);
    return mw__canvas_to_text(&d->cv);
}

static char *render(dash *d, int w, int h) { return render_gaps(d, w, h, 0); }

/* The lowest y-axis label of a chart: the last labelled row from its title down to its x-axis
 * (the row holding └), e.g. "0 MiB" or "100 MiB". */
static void lowest_label(const char *text, const char *chart, char *out, size_t n)
{
    const char *row = strstr(text, chart);
    cr_assert(row, "no %s chart", chart);
    out[0] = '\0';
    while ((row = strchr(row, '\n')) && row[1]) {
        row++;
        const char *end = strchr(row, '\n');
        size_t len = end ? (size_t)(end - row) : strlen(row);
        const char *gut = NULL;
        for (const char *g = row; g < row + len && !gut; g++)
            if (!strncmp(g, "\u2524", 3) || !strncmp(g, "\u2514", 3)) /* ┤ └ */
                gut = g;
        const char *b = row;
        while (*b == ' ')
            b++;
        if (gut && b < gut - 1) /* a label left of the gutter */
            snprintf(out, n, "%.*s", (int)(gut - 1 - b), b);
        if (gut && !strncmp(gut, "\u2514", 3))
            return;
    }
    cr_assert_fail("no x-axis under %s", chart);
}

Test(looks, zero_key_pins_the_y_axis_at_zero_and_says_so)
{
    dash d;
    open_dash(&d);
    fx_leak(&d.cap, 300, FX_S / 4, -1);
    char *fitted = render(&d, 80, 24);
    char lo[32];
    lowest_label(fitted, "RSS", lo, sizeof(lo));
    cr_expect(lo[0] && strcmp(lo, "0 MiB") != 0, "fitted: lowest label '%s':\n%s", lo, fitted);
    cr_expect(!strstr(fitted, "y from 0"), "%s", fitted);

    cr_assert_eq(mw__ui_key(&d.st, '0', &d.cap), MW__ACT_NONE);
    cr_expect(d.st.y_zero);
    char *pinned = render(&d, 80, 24);
    fx_golden("view-yzero-80x24", pinned);
    lowest_label(pinned, "RSS", lo, sizeof(lo));
    cr_expect_str_eq(lo, "0 MiB", "lowest RSS label '%s':\n%s", lo, pinned);
    cr_expect(strstr(pinned, "y from 0"), "%s", pinned);

    mw__ui_key(&d.st, '0', &d.cap);
    cr_expect(!d.st.y_zero, "0 again goes back to the fitted axis");
    char *back = render(&d, 80, 24);
    cr_expect_str_eq(back, fitted);
    free(fitted);
    free(pinned);
    free(back);
    done(&d);
}

/* 2025-12-01 19:24:36 UTC as CLOCK_REALTIME - CLOCK_MONOTONIC for a capture whose samples start
 * at 1000 s of CLOCK_MONOTONIC (fx_leak): the first sample is then at 19:41:16 UTC. */
#define WALL_OFFSET_NS (1764617076LL * FX_S)

Test(looks, when_is_elapsed_or_wall_clock_with_ms_if_asked)
{
    setenv("TZ", "UTC", 1);
    tzset();
    char b[32];
    mw__timefmt tf = {.t0_ns = 1000 * FX_S, .wall_offset_ns = WALL_OFFSET_NS};
    int64_t t = 1074 * FX_S + 250000000; /* 74.25 s after t0 */
    cr_expect_str_eq(mw__format_when(b, sizeof(b), t, &tf), "00:01:14");
    tf.ms = true;
    cr_expect_str_eq(mw__format_when(b, sizeof(b), t, &tf), "00:01:14.250");
    tf.wall = true;
    cr_expect_str_eq(mw__format_when(b, sizeof(b), t, &tf), "19:42:30.250");
    tf.ms = false;
    cr_expect_str_eq(mw__format_when(b, sizeof(b), t, &tf), "19:42:30");
    tf.wall = false;
    cr_expect_str_eq(mw__format_when(b, sizeof(b), 900 * FX_S, &tf), "00:00:00",
                     "before t0 counts as 0");
}

Test(looks, T_key_writes_chart_times_in_wall_clock)
{
    setenv("TZ", "UTC", 1);
    tzset();
    dash d;
    open_dash(&d);
    d.cap.wall_offset_ns = WALL_OFFSET_NS;
    fx_leak(&d.cap, 300, FX_S / 4, -1);
    char *elapsed = render(&d, 80, 24);
    cr_expect(strstr(elapsed, "at 00:01:14"), "%s", elapsed);
    cr_expect(!strstr(elapsed, "wall clock"), "%s", elapsed);
    cr_assert_eq(mw__ui_key(&d.st, 'T', &d.cap), MW__ACT_NONE);
    char *wall = render(&d, 80, 24);
    fx_golden("view-wallclock-80x24", wall);
    cr_expect(strstr(wall, "peak 118.7 MiB at 19:42:30"), "%s", wall);
    cr_expect(strstr(wall, "19:41:16 \u2192 19:42:31"), "%s", wall);
    cr_expect(strstr(wall, "wall clock"), "the status line says so:\n%s", wall);
    mw__ui_key(&d.st, 'T', &d.cap);
    char *back = render(&d, 80, 24);
    cr_expect_str_eq(back, elapsed);
    free(elapsed);
    free(wall);
    free(back);
    done(&d);
}

Test(looks, a_window_under_a_minute_has_milliseconds)
{
    dash d;
    open_dash(&d);
    fx_leak(&d.cap, 30, FX_S / 4, -1); /* 7.25 s */
    char *t = render(&d, 100, 24); /* wide enough for the window's times too */
    fx_golden("view-subsecond-100x24", t);
    cr_expect(strstr(t, "at 00:00:07.250"), "%s", t);
    cr_expect(strstr(t, "00:00:00.000 \u2192 00:00:07.500"), "%s", t);
    free(t);
    done(&d);
}

/* n samples of a process that holds still at rss, 250 ms apart. */
static void flat(mw__capture *c, int n, uint64_t rss)
{
    for (int i = 0; i < n; i++) {
        mw__sample s = fx_sample(1000 * FX_S + i * FX_S / 4, rss, 3 * rss);
        s.hwm = rss;
        mw__capture_add(c, &s);
    }
}

Test(looks, a_flat_series_has_no_r2)
{
    dash d;
    open_dash(&d);
    flat(&d.cap, 300, 16 * FX_MIB);
    char *t = render(&d, 80, 24);
    fx_golden("view-flat-80x24", t);
    cr_expect(strstr(t, "trend +0 B/min (R\u00b2 \u2014)"), "%s", t);
    cr_expect(strstr(t, "growth +0 B (+0.0%) since start"), "a 16 MiB start has a percentage:\n%s", t);
    free(t);
    d.st.ascii = true;
    t = render(&d, 80, 24);
    cr_expect(strstr(t, "trend +0 B/min (R^2 -)"), "%s", t);
    free(t);
    d.st.ascii = false;
    t = render(&d, 160, 24); /* wide enough for the verdict's floor fit: flat too */
    cr_expect(strstr(t, "(R\u00b2 \u2014)  no leak"), "%s", t);
    cr_expect(!strstr(t, "1.00"), "no R² of 1.00 anywhere:\n%s", t);
    free(t);
    done(&d);
}

Test(looks, growth_from_a_start_under_1_MiB_has_no_percentage)
{
    dash d;
    open_dash(&d);
    flat(&d.cap, 1, 600 * 1024); /* caught mid-exec */
    fx_leak(&d.cap, 299, FX_S / 4, -1);
    char *t = render(&d, 80, 24);
    cr_expect(strstr(t, "since start"), "%s", t);
    cr_expect(!strstr(t, "%) since start"), "no percentage of a 600 KiB start:\n%s", t);
    free(t);
    double pct = 0;
    cr_expect(!mw__growth_percent(1024 * 1024 - 1, 100, &pct));
    cr_expect(mw__growth_percent(1024 * 1024, 1024 * 1024, &pct) && pct == 100.0);
    done(&d);
}

Test(looks, header_counts_sampling_gaps)
{
    dash d;
    open_dash(&d);
    fx_leak(&d.cap, 300, FX_S / 4, -1);
    char *t = render_gaps(&d, 80, 24, 2);
    fx_golden("view-gaps-80x24", t);
    cr_expect(strstr(t, "300/3600 samples  2 gaps\n"), "%s", t);
    free(t);
    t = render_gaps(&d, 80, 24, 1);
    cr_expect(strstr(t, "samples  1 gap\n"), "%s", t);
    free(t);
    t = render(&d, 80, 24);
    cr_expect(!strstr(t, " gap"), "no gaps, no word:\n%s", t);
    free(t);
    done(&d);
}

/* --compare: the other capture as dots, its legend in each chart, a row comparing the two; a
 * still picture (replay) also covers the other's longer run. */
Test(looks, a_compared_capture_is_dots_a_legend_and_a_row)
{
    dash d;
    open_dash(&d);
    fx_leak(&d.cap, 240, FX_S / 4, -1); /* 60 s, 100 -> 115 MiB */
    mw__capture other;
    fx_capture(&other, 1000);
    flat(&other, 320, 108 * FX_MIB); /* 80 s at 108 MiB */
    mw__view_info in;
    memset(&in, 0, sizeof(in));
    in.replay = true;
    in.gone = true;
    in.replay_file = "after.csv";
    in.elapsed_ns = mw__ring_last(&d.cap.ring)->t_ns - d.cap.t0_ns;
    in.other = &other;
    in.other_name = "before.csv";
    in.other_shift_ns = d.cap.t0_ns - other.t0_ns;
    in.aligned = "t=0 at each start";
    in.compare_line = "peak 115.0 MiB vs 108.0 MiB (+6%), growth +15.0 MiB vs +0 B, "
                      "trend +15.0 MiB/min vs +0 B/min";
    cr_assert_eq(mw__canvas_resize(&d.cv, 100, 30), 0);
    mw__view_build(&d.cv, &d.cap, &in, &d.st);
    char *t = mw__canvas_to_text(&d.cv);
    fx_golden("view-compare-100x30", t);
    cr_expect(strstr(t, "\u2022 before.csv \u25b2 108.0 MiB"), "RSS legend:\n%s", t);
    cr_expect(strstr(t, "compare \u2022 before.csv (t=0 at each start): peak 115.0 MiB vs 108.0 "
                        "MiB (+6%)"), "the row:\n%s", t);
    cr_expect(strstr(t, "\u2192 00:01:19"), "the window reaches the other's end (79.75 s):\n%s", t);
    free(t);
    in.other = NULL; /* without it: this run's own 60 s, no legend, no row */
    mw__view_build(&d.cv, &d.cap, &in, &d.st);
    t = mw__canvas_to_text(&d.cv);
    cr_expect(!strstr(t, "before.csv") && !strstr(t, "\u2022"), "%s", t);
    cr_expect(strstr(t, "\u2192 00:00:59.750 (59s)"), "%s", t);
    free(t);
    mw__capture_destroy(&other);
    done(&d);
}
