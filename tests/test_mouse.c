/* SPDX-License-Identifier: MIT */
/* test_mouse.c — clicks and wheel turns over a real view: readouts, scroll and zoom keys. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "mouse.h"
#include "timefmt.h"
#include "units.h"
#include "ui_fixtures.h"
#include "view.h"

#define STEP_NS (FX_S / 10)
#define N 300

static mw__capture cap;
static mw__ui_state st;
static mw__canvas cv;

/* A ramp of n samples in a history of `history`: one sample every 100 ms (N of them: 29.9 s),
 * RSS 10 MiB + 100 KiB per sample, so a sample's value names its index. Drawn as a replay (a
 * still picture: the window is the exact span). */
static void show(size_t history, int n)
{
    fx_capture(&cap, history);
    for (int i = 0; i < n; i++) {
        mw__sample s = fx_sample(1000 * FX_S + i * STEP_NS, 10 * FX_MIB + (uint64_t)i * 100 * 1024,
                                 400 * FX_MIB);
        mw__capture_add(&cap, &s);
    }
    mw__ui_init(&st);
    memset(&cv, 0, sizeof(cv));
    cr_assert_eq(mw__canvas_resize(&cv, 100, 30), 0);
    mw__view_info in;
    memset(&in, 0, sizeof(in));
    in.replay = in.gone = true;
    in.replay_file = "ramp.csv";
    mw__view_build(&cv, &cap, &in, &st);
}

static void setup(void) { show(1000, N); }

static void teardown(void)
{
    mw__canvas_destroy(&cv);
    mw__ui_destroy(&st);
    mw__capture_destroy(&cap);
}

TestSuite(mouse, .init = setup, .fini = teardown);

static const mw__chart_place *rss(void)
{
    cr_assert_geq(st.nplaces, 2, "the view recorded its charts");
    cr_assert_str_eq(mw__charts[st.places[0].chart].title, "RSS");
    return &st.places[0];
}

static mw__key at(int x, int y, mw__mouse_button b, bool ctrl, char *text, size_t n)
{
    mw__mouse ev = {.x = x, .y = y, .button = b, .ctrl = ctrl};
    return mw__mouse_key(&st, &cap, &ev, text, n);
}

/* What a click on column col of the RSS plot must say: the sample nearest the column's middle,
 * worked out here from the ramp (index = time / 100 ms), not from the ring. */
static void expect_readout(int col)
{
    const mw__chart_place *p = rss();
    double mid = (double)(p->t_to - p->t_from) * (col + 0.5) / p->plot_w;
    int i = (int)(mid / (double)STEP_NS + 0.5);
    if (i >= N)
        i = N - 1;
    char want[96], val[32], got[96];
    mw__format_bytes(val, sizeof(val), 10 * FX_MIB + (uint64_t)i * 100 * 1024);
    snprintf(want, sizeof(want), "00:00:%02d.%03d  RSS %s", i / 10, i % 10 * 100, val);
    cr_assert_eq(at(p->plot_x + col, p->y + 2, MW__MOUSE_CLICK, false, got, sizeof(got)),
                 MW__KEY_NONE);
    cr_assert_str_eq(got, want, "column %d", col);
}

Test(mouse, the_plot_starts_where_the_view_drew_it)
{
    const mw__chart_place *p = rss();
    int axis = p->y + p->h - 1;
    /* the y-axis's corner is just left of the plot, and the plot reaches the right edge */
    cr_assert_eq(cv.cells[axis * cv.w + p->plot_x - 1].cp, 0x2514u);
    cr_assert_eq(p->plot_x + p->plot_w, cv.w);
}

Test(mouse, a_click_gives_the_nearest_samples_time_and_value)
{
    const mw__chart_place *p = rss();
    char got[96];
    /* 92 columns over 29.9 s: the first one's middle is at 0.1625 s, the last one's 29.7375 s */
    cr_assert_eq(p->plot_w, 92);
    at(p->plot_x, p->y + 2, MW__MOUSE_CLICK, false, got, sizeof(got));
    cr_assert_str_eq(got, "00:00:00.200  RSS 10.2 MiB");
    at(p->plot_x + p->plot_w - 1, p->y + 2, MW__MOUSE_CLICK, false, got, sizeof(got));
    cr_assert_str_eq(got, "00:00:29.700  RSS 39.0 MiB");
    for (int col = 0; col < p->plot_w; col++)
        expect_readout(col);
}

Test(mouse, a_click_on_the_vsz_chart_reads_vsz)
{
    const mw__chart_place *p = &st.places[1];
    cr_assert_str_eq(mw__charts[p->chart].title, "VSZ");
    char got[96];
    at(p->plot_x + 3, p->y + 1, MW__MOUSE_CLICK, false, got, sizeof(got));
    cr_assert(strstr(got, "  VSZ 400.0 MiB"), "%s", got);
}

Test(mouse, a_click_outside_the_plots_clears_the_readout)
{
    const mw__chart_place *p = rss();
    char got[96] = "stale";
    cr_assert_eq(at(1, p->y + 2, MW__MOUSE_CLICK, false, got, sizeof(got)), MW__KEY_NONE);
    cr_assert_str_eq(got, "", "the y-axis labels have no time");
    strcpy(got, "stale");
    cr_assert_eq(at(10, cv.h - 2, MW__MOUSE_CLICK, false, got, sizeof(got)), MW__KEY_NONE);
    cr_assert_str_eq(got, "", "the status row is no chart");
}

Test(mouse, the_wheel_scrolls_in_time_over_a_plot)
{
    const mw__chart_place *p = rss();
    char got[96];
    cr_assert_eq(at(p->plot_x + 5, p->y + 3, MW__MOUSE_WHEEL_UP, false, got, sizeof(got)),
                 MW__KEY_LEFT);
    cr_assert_eq(at(p->plot_x + 5, p->y + 3, MW__MOUSE_WHEEL_DOWN, false, got, sizeof(got)),
                 MW__KEY_RIGHT);
    cr_assert_str_eq(got, "");
}

Test(mouse, ctrl_wheel_or_the_wheel_over_a_time_axis_zooms)
{
    const mw__chart_place *p = rss();
    char got[96];
    cr_assert_eq(at(p->plot_x + 5, p->y + 3, MW__MOUSE_WHEEL_UP, true, got, sizeof(got)), 'z');
    cr_assert_eq(at(p->plot_x + 5, p->y + 3, MW__MOUSE_WHEEL_DOWN, true, got, sizeof(got)), 'Z');
    mw__mouse ev = {.x = p->plot_x + 5, .y = p->y + 3, .button = MW__MOUSE_WHEEL_UP, .shift = true};
    cr_assert_eq(mw__mouse_key(&st, &cap, &ev, got, sizeof(got)), 'z');
    int axis = p->y + p->h - 1;
    cr_assert_eq(at(p->plot_x + 5, axis, MW__MOUSE_WHEEL_UP, false, got, sizeof(got)), 'z');
    cr_assert_eq(at(p->plot_x + 5, axis, MW__MOUSE_WHEEL_DOWN, false, got, sizeof(got)), 'Z');
}

Test(mouse, outside_the_charts_or_under_an_overlay_nothing_happens)
{
    const mw__chart_place *p = rss();
    char got[96];
    cr_assert_eq(at(10, 0, MW__MOUSE_WHEEL_UP, false, got, sizeof(got)), MW__KEY_NONE);
    cr_assert_eq(at(10, cv.h - 1, MW__MOUSE_WHEEL_DOWN, false, got, sizeof(got)), MW__KEY_NONE);
    st.help = true;
    cr_assert_eq(at(p->plot_x + 5, p->y + 3, MW__MOUSE_WHEEL_UP, false, got, sizeof(got)),
                 MW__KEY_NONE);
    strcpy(got, "stale");
    at(p->plot_x + 5, p->y + 3, MW__MOUSE_CLICK, false, got, sizeof(got));
    cr_assert_str_eq(got, "");
}

Test(mouse, a_view_too_small_for_charts_leaves_nothing_to_click)
{
    cr_assert_eq(mw__canvas_resize(&cv, 20, 5), 0);
    mw__view_info in;
    memset(&in, 0, sizeof(in));
    mw__view_build(&cv, &cap, &in, &st);
    cr_assert_eq(st.nplaces, 0);
    char got[96];
    cr_assert_eq(at(5, 2, MW__MOUSE_WHEEL_UP, false, got, sizeof(got)), MW__KEY_NONE);
}

Test(mouse, the_readout_follows_the_clock_key_and_names_the_compared_capture)
{
    const mw__chart_place *p = rss();
    char got[128];
    st.wall_time = true; /* key T: the readout's time is the wall clock's, as the axis's */
    cap.wall_offset_ns = 0;
    at(p->plot_x, p->y + 2, MW__MOUSE_CLICK, false, got, sizeof(got));
    char want[64];
    mw__timefmt tf = {.t0_ns = cap.t0_ns, .wall = true, .ms = true};
    mw__format_when(want, sizeof(want), cap.t0_ns + 2 * STEP_NS, &tf);
    cr_assert(strncmp(got, want, strlen(want)) == 0, "got '%s', want '%s...'", got, want);
    st.wall_time = false;

    /* --compare: a flat 7 MiB run, 10 s long, starting with this one */
    mw__capture other;
    fx_capture(&other, 200);
    for (int i = 0; i <= 100; i++) {
        mw__sample s = fx_sample(50 * FX_S + i * STEP_NS, 7 * FX_MIB, 300 * FX_MIB);
        mw__capture_add(&other, &s);
    }
    mw__view_info in;
    memset(&in, 0, sizeof(in));
    in.replay = in.gone = true;
    in.replay_file = "ramp.csv";
    in.other = &other;
    in.other_name = "flat.csv";
    in.other_shift_ns = cap.t0_ns - other.t0_ns;
    mw__view_build(&cv, &cap, &in, &st);
    p = rss();
    at(p->plot_x, p->y + 2, MW__MOUSE_CLICK, false, got, sizeof(got));
    cr_assert_str_eq(got, "00:00:00.200  RSS 10.2 MiB  \u2022 flat.csv 7.0 MiB");
    at(p->plot_x + p->plot_w - 1, p->y + 2, MW__MOUSE_CLICK, false, got, sizeof(got));
    cr_assert_str_eq(got, "00:00:29.700  RSS 39.0 MiB", "after the other's end: this run alone");
    mw__capture_destroy(&other);
}

/* Issue 19: a run ten times the ring. A click before the ring's first sample reads the merged
 * history there: the bucket's time, its range and how many samples it merged. */
Test(mouse, a_click_before_the_ring_reads_the_merged_history)
{
    teardown();
    show(100, 1000);
    const mw__chart_place *p = rss();
    char got[128];
    at(p->plot_x, p->y + 2, MW__MOUSE_CLICK, false, got, sizeof(got));
    cr_assert(strncmp(got, "00:00:00.000  RSS 10.0 MiB to ", 30) == 0, "%s", got);
    cr_assert(strstr(got, " samples merged)"), "%s", got);
    /* the newest column is the ring's: one sample, as before */
    at(p->plot_x + p->plot_w - 1, p->y + 2, MW__MOUSE_CLICK, false, got, sizeof(got));
    cr_assert(strstr(got, "RSS 107.") && !strstr(got, "merged"), "%s", got);
}
