/* SPDX-License-Identifier: MIT */
/* test_view.c — the whole dashboard screen as golden text at several sizes and states. */
#include "config.h"

#include <criterion/criterion.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "ui_fixtures.h"
#include "view.h"

static mw__capture cap;
static mw__ui_state st;
static mw__canvas cv;

static void setup(void)
{
    fx_capture(&cap, 3600);
    mw__ui_init(&st);
    memset(&cv, 0, sizeof(cv));
}

static void teardown(void)
{
    mw__canvas_destroy(&cv);
    mw__ui_destroy(&st);
    mw__capture_destroy(&cap);
}

TestSuite(view, .init = setup, .fini = teardown);

static mw__view_info live_info(void)
{
    mw__view_info in;
    memset(&in, 0, sizeof(in));
    in.state = "running";
    in.interval_ms = 250;
    if (mw__ring_end(&cap.ring))
        in.elapsed_ns = mw__ring_last(&cap.ring)->t_ns - cap.t0_ns;
    return in;
}

static char *render(int w, int h, const mw__view_info *in)
{
    cr_assert_eq(mw__canvas_resize(&cv, w, h), 0);
    mw__view_build(&cv, &cap, in, &st);
    return mw__canvas_to_text(&cv);
}

static void golden(const char *name, int w, int h, const mw__view_info *in)
{
    char *t = render(w, h, in);
    fx_golden(name, t);
    free(t);
}

/* A sawtooth that grows and frees, with one spike the samples missed (only VmHWM saw it), a
 * mark, and a steady underlying leak. */
static void sawtooth(int n)
{
    uint64_t hwm = 0;
    for (int i = 0; i < n; i++) {
        uint64_t rss = 200 * FX_MIB + (uint64_t)(i % 60) * FX_MIB + (uint64_t)i * 16 * 1024;
        mw__sample s = fx_sample(500 * FX_S + (int64_t)i * FX_S / 4, rss, 900 * FX_MIB);
        uint64_t h = rss;
        if (i == n / 2)
            h = 320 * FX_MIB; /* a spike between samples */
        if (h > hwm) {
            if (hwm)
                s.flags |= MW_SAMPLE_HWM_ROSE;
            hwm = h;
        }
        s.hwm = hwm;
        mw__capture_add(&cap, &s);
        if (i == n / 3)
            mw__capture_mark(&cap, "second run");
    }
}

Test(view, leak_80x24_shows_growth_and_trend)
{
    fx_leak(&cap, 600, FX_S / 4, -1);
    mw__view_info in = live_info();
    golden("view-leak-80x24", 80, 24, &in);
    char *t = render(80, 24, &in);
    cr_expect(strstr(t, "RSS") && strstr(t, "VSZ"));
    cr_expect(strstr(t, "trend +15.0 MiB/min (R\u00b2 1.00)"), "%s", t);
    cr_expect(strstr(t, "interval 250ms"));
    cr_expect(strstr(t, "600/3600 samples"));
    free(t);
}

/* A tripped --fail-* gate leads the growth row in the error style, with figure and limit. */
Test(view, a_tripped_gate_leads_the_growth_row)
{
    fx_leak(&cap, 600, FX_S / 4, -1);
    mw__view_info in = live_info();
    in.gate = "GATE peak RSS 249.6 MiB > 200.0 MiB";
    golden("view-gate-80x24", 80, 24, &in);
    mw__canvas_resize(&cv, 80, 24);
    mw__view_build(&cv, &cap, &in, &st);
    char *t = mw__canvas_to_text(&cv);
    char *at = strstr(t, in.gate);
    cr_assert(at, "%s", t);
    int row = 0;
    for (const char *p = t; p < at; p++)
        row += *p == '\n';
    cr_expect(at == t || at[-1] == '\n', "the gate comes first on its row");
    cr_expect(strstr(at, "growth +"), "the growth figure follows it");
    cr_expect_eq(mw__canvas_at(&cv, 0, row)->style, MW__ST_ERROR);
    free(t);
}

/* The program's notes (time to a limit, --new-cgroup's peak) get a row each under the figures,
 * in their styles; a small screen has no room for them. */
Test(view, notes_get_a_row_each_under_the_figures)
{
    fx_leak(&cap, 600, FX_S / 4, -1);
    mw__view_info in = live_info();
    in.notes[0].text = "at this rate VSZ reaches RLIMIT_AS 2.0 GiB in ~40 s";
    in.notes[0].style = MW__ST_GROWTH;
    in.notes[1].text = "cgroup memwatch-1-0 (the whole tree): now 80.2 MiB, peak 101.9 MiB incl. page cache";
    in.notes[1].style = MW__ST_NORMAL;
    golden("view-notes-100x30", 100, 30, &in);
    char *t = render(100, 30, &in);
    char *a = strstr(t, in.notes[0].text), *b = strstr(t, "cgroup memwatch-1-0 (the whole tree)");
    cr_assert(a && b, "%s", t);
    int row = 0;
    for (const char *p = t; p < a; p++)
        row += *p == '\n';
    cr_expect(a[-1] == '\n' && b[-1] == '\n', "each note starts its own row");
    cr_expect(strchr(a, '\n') < b, "one row each, in order");
    cr_expect_eq(mw__canvas_at(&cv, 0, row)->style, MW__ST_GROWTH);
    cr_expect(strstr(t, "now ") && strstr(t, "trend "), "the figures' rows are still there");
    free(t);
    t = render(80, 16, &in);
    cr_expect_null(strstr(t, "RLIMIT_AS"), "16 rows: no room for notes\n%s", t);
    free(t);
}

Test(view, sawtooth_120x40_shows_hidden_peak_mark_and_baseline)
{
    sawtooth(480);
    mw__ui_key(&st, 'r', &cap);
    for (int i = 0; i < 20; i++) {
        mw__sample s = fx_sample(mw__ring_last(&cap.ring)->t_ns + FX_S / 4,
                                 mw__ring_last(&cap.ring)->rss + FX_MIB, 900 * FX_MIB);
        s.hwm = 320 * FX_MIB;
        mw__capture_add(&cap, &s);
    }
    mw__view_info in = live_info();
    golden("view-sawtooth-120x40", 120, 40, &in);
    char *t = render(120, 40, &in);
    cr_expect(strstr(t, "HWM 320.0 MiB > sampled peak"), "%s", t);
    cr_expect(strstr(t, "since baseline"));
    cr_expect(strstr(t, "since mark \"second run\""));
    free(t);
}

Test(view, tiny_terminal_shows_a_message)
{
    fx_leak(&cap, 100, FX_S, -1);
    mw__view_info in = live_info();
    golden("view-20x6", 20, 6, &in);
}

Test(view, huge_terminal_300x100)
{
    fx_leak(&cap, 2000, FX_S / 10, 1500);
    mw__view_info in = live_info();
    in.interval_ms = 100;
    golden("view-leak-300x100", 300, 100, &in);
}

Test(view, paused_counts_new_samples)
{
    fx_leak(&cap, 300, FX_S / 4, -1);
    mw__ui_key(&st, ' ', &cap);
    fx_leak(&cap, 12, FX_S / 4, -1);
    mw__view_info in = live_info();
    golden("view-paused-80x24", 80, 24, &in);
    char *t = render(80, 24, &in);
    cr_expect(strstr(t, "PAUSED (+12 new)"), "%s", t);
    free(t);
}

Test(view, help_overlay)
{
    fx_leak(&cap, 300, FX_S / 4, 200);
    mw__ui_key(&st, '?', &cap);
    mw__view_info in = live_info();
    golden("view-help-80x24", 80, 24, &in);
}

Test(view, exited_process_keeps_data)
{
    fx_leak(&cap, 300, FX_S / 4, 200);
    mw__view_info in = live_info();
    in.state = "exited (status 3)";
    in.gone = true;
    golden("view-exited-80x24", 80, 24, &in);
}

Test(view, replay_ascii)
{
    sawtooth(400);
    st.ascii = true;
    mw__view_info in = live_info();
    in.state = NULL;
    in.replay = true;
    in.replay_file = "memwatch-4242-20261125-184001.csv";
    in.alert_bytes = 250 * FX_MIB;
    in.message = "loaded 400 samples";
    golden("view-replay-ascii-80x24", 80, 24, &in);
}

Test(view, no_samples_yet)
{
    mw__view_info in = live_info();
    char *t = render(80, 24, &in);
    cr_expect(strstr(t, "waiting for the first sample"));
    free(t);
}

Test(view, every_size_is_safe)
{
    sawtooth(200);
    mw__view_info in = live_info();
    for (int w = 0; w <= 130; w += 7)
        for (int h = 0; h <= 45; h += 3) {
            st.help = (w + h) % 2;
            free(render(w, h, &in));
        }
}

/* A label never stands without its value: where "rate +x/min" does not fit, neither word shows
 * (a narrow terminal once read "growth ... since start  rate   trend"). */
Test(view, stats_labels_keep_their_values_at_every_width)
{
    fx_leak(&cap, 600, FX_S / 4, -1);
    mw__view_info in = live_info();
    regex_t orphan;
    cr_assert_eq(regcomp(&orphan, "(^| )(growth|rate|trend|now)(  |$)", REG_EXTENDED | REG_NOSUB), 0);
    int checked = 0;
    for (int w = MW__VIEW_MIN_W; w <= 140; w++)
        for (int h = MW__VIEW_MIN_H; h <= 20; h += 5) {
            char *t = render(w, h, &in);
            for (char *line = strtok(t, "\n"); line; line = strtok(NULL, "\n")) {
                size_t n = strlen(line);
                while (n && line[n - 1] == ' ')
                    line[--n] = 0;
                cr_expect(regexec(&orphan, line, 0, NULL, 0) != 0, "%dx%d: a label alone in '%s'", w, h,
                          line);
                checked += strstr(line, "rate +") != NULL;
            }
            free(t);
        }
    regfree(&orphan);
    cr_expect(checked > 0, "no width showed the rate at all");
}

/* --pss: samples carry PSS (here a third of RSS, read every 5 s, so it steps). */
static void with_pss(int n)
{
    fx_leak(&cap, n, FX_S / 4, -1);
    uint64_t pss = 0;
    for (uint64_t s = mw__ring_first(&cap.ring); s < mw__ring_end(&cap.ring); s++) {
        mw__sample *x = (mw__sample *)mw__ring_at(&cap.ring, s);
        if (s % 20 == 0)
            pss = x->rss / 3;
        mw__sample_set_field(x, MW__FIELD_PSS, pss);
        x->valid |= MW_HAVE_PSS;
    }
}

Test(view, pss_chart_appears_with_pss_and_says_what_and_how_often)
{
    with_pss(400);
    mw__view_info in = live_info();
    in.pss_interval_ms = 5000;
    golden("view-pss-100x30", 100, 30, &in);
    char *t = render(100, 30, &in);
    cr_expect(strstr(t, "\nPSS "), "%s", t);
    cr_expect(strstr(t, "(shared pages divided; read every 5s)"), "%s", t);
    free(t);
    t = render(160, 30, &in);
    cr_expect(strstr(t, "  PSS 41.3 MiB"), "the now row shows PSS: %s", t);
    free(t);
    t = render(60, 24, &in); /* narrower: the cadence stays, the explanation goes */
    cr_expect(strstr(t, "(read every 5s)"), "%s", t);
    free(t);
}

Test(view, no_pss_chart_without_pss_in_the_newest_sample)
{
    fx_leak(&cap, 100, FX_S / 4, -1);
    mw__view_info in = live_info();
    in.pss_interval_ms = 5000;
    char *t = render(100, 30, &in);
    cr_expect_null(strstr(t, "\nPSS"), "%s", t);
    cr_expect_null(strstr(t, "read every"), "%s", t);
    free(t);
}

Test(view, header_counts_unreadable_processes)
{
    fx_leak(&cap, 10, FX_S / 4, -1);
    mw__sample *x = (mw__sample *)mw__ring_last(&cap.ring);
    x->nprocs = 5;
    mw__view_info in = live_info();
    char *t = render(100, 30, &in);
    cr_expect(strstr(t, "5 procs\n"), "%s", t);
    cr_expect_null(strstr(t, "unreadable"), "%s", t);
    free(t);
    x->unreadable = 2;
    t = render(100, 30, &in);
    cr_expect(strstr(t, "5 procs (2 unreadable)"), "%s", t);
    free(t);
}

/* A run ten times the ring (issue 19): `zoom all` still starts at the first sample, and the
 * peak and mark that left the ring long ago are drawn, the peak with its value and time, from
 * the tiers. */
Test(view, a_run_ten_times_the_ring_is_shown_from_its_first_sample)
{
    mw__capture_destroy(&cap);
    fx_capture(&cap, 100);
    fx_leak(&cap, 150, FX_S / 4, -1);
    mw__sample s = fx_sample(1000 * FX_S + 150 * FX_S / 4, 300 * FX_MIB, 424 * FX_MIB);
    mw__capture_add(&cap, &s);
    fx_leak(&cap, 150, FX_S / 4, -1);
    cr_assert_eq(mw__capture_mark(&cap, "early"), 0);
    fx_leak(&cap, 699, FX_S / 4, -1);
    cr_assert_eq(mw__ring_first(&cap.ring), 900, "the peak, the mark and the start left the ring");
    mw__view_info in = live_info();
    in.state = "exited (status 0)";
    in.gone = true;
    char *t = render(100, 30, &in);
    cr_expect(strstr(t, "peak 300.0 MiB at 00:00:37"), "%s", t);
    cr_expect(strstr(t, "00:00:00 \u2192 00:04:09"), "the window starts at the first sample: %s", t);
    free(t);
    golden("view-tiers-100x30", 100, 30, &in);
    mw__window w;
    mw__view_window(&st, &cap, &w);
    cr_expect_eq(w.t_first, cap.t0_ns);
    cr_expect_eq(w.t_from, cap.t0_ns);
}

/* The same run, paused and scrolled back before the ring (issue 19): the charts, the time axis,
 * the growth and "now" rows read the merged history, and the status line says how coarse it is. */
Test(view, a_paused_view_scrolled_into_the_tiers_says_they_are_merged)
{
    mw__capture_destroy(&cap);
    fx_capture(&cap, 100);
    fx_leak(&cap, 1000, FX_S / 4, 500);
    mw__ui_key(&st, 'z', &cap); /* 1m: the largest step below the run's 4m10s */
    mw__ui_key(&st, MW__KEY_HOME, &cap);
    for (int i = 0; i < 4; i++)
        mw__ui_key(&st, MW__KEY_RIGHT, &cap);
    mw__window w;
    mw__view_window(&st, &cap, &w);
    cr_assert_not_null(w.end_bucket, "ends in the tiers");
    mw__view_info in = live_info();
    char *t = render(100, 30, &in);
    cr_expect(strstr(t, "paused  zoom 1m  merged: "), "%s", t);
    cr_expect(strstr(t, "00:01:02 \u2192 00:02:02 (1m)"), "the axis: where the window is: %s", t);
    cr_expect(strstr(t, "now RSS 130.7 MiB"), "the last merged sample's own value: %s", t);
    free(t);
    golden("view-tiers-scrolled-100x30", 100, 30, &in);
}

/* Growth since a mark that left the ring: from the tiers, where the mark's sample is a bucket's
 * edge (its own value), and not shown where it was merged into the middle of one. */
Test(view, growth_since_a_mark_that_left_the_ring_comes_from_the_tiers)
{
    mw__capture_destroy(&cap);
    fx_capture(&cap, 100);
    fx_leak(&cap, 150, FX_S / 4, -1);
    cr_assert_eq(mw__capture_mark(&cap, "m1"), 0);
    fx_leak(&cap, 128, FX_S / 4, -1); /* 128 x 64 KiB later: the mark's sample left the ring */
    cr_assert_null(mw__ring_at(&cap.ring, 149));
    const mw__bucket *b = mw__tiers_holding(&cap.tiers, 149);
    cr_assert(b && b->seq_end - b->seq_first == 1, "a small ring's newest buckets hold one sample");
    mw__view_info in = live_info();
    char *t = render(100, 30, &in);
    cr_expect(strstr(t, "+8.0 MiB since mark \"m1\""), "%s", t);
    free(t);
    fx_leak(&cap, 2000, FX_S / 4, -1); /* merged into a wide bucket's middle by now */
    b = mw__tiers_holding(&cap.tiers, 149);
    cr_assert(b && b->seq_first < 149 && b->seq_end - 1 > 149);
    t = render(100, 30, &in);
    cr_expect_null(strstr(t, "since mark"), "no figure it cannot know: %s", t);
    free(t);
}
