/* SPDX-License-Identifier: MIT */
/* test_keys.c — key -> action mapping, pure UI transitions, the interval ladder. */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>

#include "keys.h"
#include "ui_fixtures.h"

static mw__capture cap;
static mw__ui_state st;
static void setup(void)
{
    fx_capture(&cap, 10000);
    mw__ui_init(&st);
}
static void teardown(void)
{
    mw__ui_destroy(&st);
    mw__capture_destroy(&cap);
}
TestSuite(keys, .init = setup, .fini = teardown);

Test(keys, interval_ladder_steps_and_snaps)
{
    cr_expect_eq(mw__interval_faster(250), 100);
    cr_expect_eq(mw__interval_slower(250), 500);
    cr_expect_eq(mw__interval_slower(500), 1000);
    cr_expect_eq(mw__interval_faster(10), 10);
    cr_expect_eq(mw__interval_slower(10000), 10000);
    cr_expect_eq(mw__interval_faster(300), 250);
    cr_expect_eq(mw__interval_slower(300), 500);
    cr_expect_eq(mw__interval_faster(5), 5);
    cr_expect_eq(mw__interval_slower(5), 10);
    cr_expect_eq(mw__interval_faster(60000), 10000);
    cr_expect_eq(mw__interval_slower(60000), 60000);
}

Test(keys, side_effects_are_left_to_the_caller)
{
    cr_expect_eq(mw__ui_key(&st, 'q', &cap), MW__ACT_QUIT);
    cr_expect_eq(mw__ui_key(&st, MW__KEY_CTRL_C, &cap), MW__ACT_QUIT);
    cr_expect_eq(mw__ui_key(&st, 3, &cap), MW__ACT_QUIT);
    cr_expect_eq(mw__ui_key(&st, '+', &cap), MW__ACT_FASTER);
    cr_expect_eq(mw__ui_key(&st, '-', &cap), MW__ACT_SLOWER);
    cr_expect_eq(mw__ui_key(&st, 'e', &cap), MW__ACT_EXPORT);
    cr_expect_eq(mw__ui_key(&st, MW__KEY_RESIZE, &cap), MW__ACT_REDRAW);
    cr_expect_eq(mw__ui_key(&st, 'x', &cap), MW__ACT_NONE);
}

Test(keys, space_and_p_toggle_pause_and_remember_where)
{
    fx_leak(&cap, 10, FX_S, -1);
    cr_expect_eq(mw__ui_key(&st, ' ', &cap), MW__ACT_NONE);
    cr_expect(st.paused);
    cr_expect_eq(st.paused_at, 10);
    cr_expect_eq(st.view_end, 10);
    mw__ui_key(&st, 'p', &cap);
    cr_expect_not(st.paused);
}

Test(keys, help_toggles_and_esc_closes)
{
    mw__ui_key(&st, '?', &cap);
    cr_expect(st.help);
    mw__ui_key(&st, 'h', &cap);
    cr_expect_not(st.help);
    mw__ui_key(&st, 'h', &cap);
    mw__ui_key(&st, MW__KEY_ESC, &cap);
    cr_expect_not(st.help);
}

Test(keys, mark_prompt_types_edits_and_commits)
{
    fx_leak(&cap, 3, FX_S, -1);
    mw__ui_key(&st, 'm', &cap);
    cr_expect(st.prompt);
    mw__ui_key(&st, 'q', &cap); /* typed, not quit */
    mw__ui_key(&st, 0xe9, &cap);
    mw__ui_key(&st, 'x', &cap);
    mw__ui_key(&st, 127, &cap);
    cr_expect_str_eq(st.label, "q\xc3\xa9");
    mw__ui_key(&st, MW__KEY_BACKSPACE, &cap);
    cr_expect_str_eq(st.label, "q");
    cr_expect_eq(mw__ui_key(&st, '\r', &cap), MW__ACT_MARK);
    cr_expect_not(st.prompt);
    cr_expect_str_eq(st.label, "q", "the label stays for the caller");
}

Test(keys, mark_prompt_esc_cancels_and_label_is_bounded)
{
    mw__ui_key(&st, 'm', &cap);
    for (int i = 0; i < 200; i++)
        mw__ui_key(&st, 'a', &cap);
    cr_expect_eq(strlen(st.label), MW__MARK_LABEL_MAX - 1);
    mw__ui_key(&st, 0x4e2d, &cap); /* a wide character is refused */
    cr_expect_eq(mw__ui_key(&st, MW__KEY_ESC, &cap), MW__ACT_NONE);
    cr_expect_not(st.prompt);
    cr_expect_str_eq(st.label, "");
}

Test(keys, zoom_in_from_all_narrows_and_out_returns_to_all)
{
    fx_leak(&cap, 400, FX_S, -1); /* 6m39s of samples */
    mw__ui_key(&st, 'z', &cap);
    cr_expect_eq(mw__zoom_span_ns(st.zoom), 300 * FX_S);
    mw__ui_key(&st, 'z', &cap);
    cr_expect_eq(mw__zoom_span_ns(st.zoom), 60 * FX_S);
    for (int i = 0; i < 10; i++)
        mw__ui_key(&st, 'z', &cap);
    cr_expect_eq(mw__zoom_span_ns(st.zoom), 10 * FX_S);
    mw__ui_key(&st, 'Z', &cap);
    mw__ui_key(&st, 'Z', &cap);
    cr_expect_eq(mw__zoom_span_ns(st.zoom), 300 * FX_S);
    mw__ui_key(&st, 'Z', &cap); /* 15m is wider than the capture: all */
    cr_expect_eq(st.zoom, 0);
}

Test(keys, scrolling_pauses_and_moves_by_a_quarter_window)
{
    fx_leak(&cap, 400, FX_S, -1);
    mw__ui_key(&st, 'z', &cap);
    mw__ui_key(&st, 'z', &cap); /* 1m window */
    mw__window w;
    mw__view_window(&st, &cap, &w);
    cr_expect_eq(w.t_to - w.t_from, 60 * FX_S);
    mw__ui_key(&st, MW__KEY_LEFT, &cap);
    cr_expect(st.paused, "scrolling pauses the view");
    mw__view_window(&st, &cap, &w);
    cr_expect_eq(w.to, 400 - 15);
    mw__ui_key(&st, MW__KEY_HOME, &cap);
    mw__view_window(&st, &cap, &w);
    cr_expect_eq(w.from, 0);
    cr_expect_eq(w.t_to - w.t_from, 60 * FX_S);
    mw__ui_key(&st, MW__KEY_LEFT, &cap);
    mw__view_window(&st, &cap, &w);
    cr_expect_eq(w.from, 0, "never before the oldest sample");
    mw__ui_key(&st, MW__KEY_RIGHT, &cap);
    mw__view_window(&st, &cap, &w);
    cr_expect_eq(w.to, 61 + 15);
    mw__ui_key(&st, MW__KEY_END, &cap);
    mw__view_window(&st, &cap, &w);
    cr_expect_eq(w.to, 400);
    cr_expect(st.paused, "End keeps the view paused");
}

Test(keys, scrolling_from_all_zooms_in_first)
{
    fx_leak(&cap, 400, FX_S, -1);
    mw__ui_key(&st, MW__KEY_LEFT, &cap);
    cr_expect_eq(mw__zoom_span_ns(st.zoom), 300 * FX_S);
    cr_expect(st.paused);
}

Test(keys, baseline_takes_the_newest_sample_shown)
{
    fx_leak(&cap, 10, FX_S, -1);
    mw__ui_key(&st, 'r', &cap);
    cr_expect(st.have_baseline);
    cr_expect_eq(st.baseline_rss, mw__ring_last(&cap.ring)->rss);
}

Test(keys, zoom_that_changes_nothing_says_so_to_the_caller)
{
    fx_leak(&cap, 400, FX_S, -1);
    cr_expect_eq(mw__ui_key(&st, 'Z', &cap), MW__ACT_ZOOM_OUT_LIMIT); /* already all */
    cr_expect_eq(mw__ui_key(&st, 'z', &cap), MW__ACT_NONE);
    for (int i = 0; i < 3; i++)
        mw__ui_key(&st, 'z', &cap);
    cr_expect_eq(mw__zoom_span_ns(st.zoom), 10 * FX_S);
    cr_expect_eq(mw__ui_key(&st, 'z', &cap), MW__ACT_ZOOM_IN_LIMIT); /* the closest step */
    cr_expect_eq(mw__zoom_span_ns(st.zoom), 10 * FX_S);

    teardown();
    setup();
    fx_leak(&cap, 5, FX_S, -1); /* 4 s: shorter than the closest step */
    cr_expect_eq(mw__ui_key(&st, 'z', &cap), MW__ACT_ZOOM_IN_LIMIT);
    cr_expect_eq(st.zoom, 0);
}

Test(keys, keys_on_an_empty_capture_are_safe)
{
    const mw__key all[] = {' ', 'z', 'Z', 'r', MW__KEY_LEFT, MW__KEY_RIGHT, MW__KEY_HOME, MW__KEY_END};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        mw__ui_key(&st, all[i], &cap);
    cr_expect_not(st.have_baseline);
}

Test(keys, q_over_the_help_closes_it_and_does_not_quit)
{
    mw__ui_key(&st, '?', &cap);
    cr_assert(st.help);
    cr_expect_eq(mw__ui_key(&st, 'q', &cap), MW__ACT_NONE, "q over the help is not a quit");
    cr_expect_not(st.help);
    cr_expect_eq(mw__ui_key(&st, 'q', &cap), MW__ACT_QUIT, "without the help, q quits");
}

Test(keys, f1_opens_the_help_and_f10_quits_as_in_htop)
{
    cr_expect_eq(mw__ui_key(&st, MW__KEY_F1, &cap), MW__ACT_NONE);
    cr_expect(st.help);
    cr_expect_eq(mw__ui_key(&st, MW__KEY_F1, &cap), MW__ACT_NONE);
    cr_expect_not(st.help);
    mw__ui_key(&st, MW__KEY_F1, &cap);
    cr_expect_eq(mw__ui_key(&st, MW__KEY_F10, &cap), MW__ACT_QUIT, "F10 quits, even over the help");
    cr_expect_eq(mw__ui_key(&st, MW__KEY_CTRL_C, &cap), MW__ACT_QUIT);
}

/* A run ten times the ring (issue 19): scrolling a paused view goes on past the ring's oldest
 * sample into the merged history, down to the run's first sample, and back. */
Test(keys, scrolling_reaches_the_runs_first_sample_through_the_tiers)
{
    mw__capture_destroy(&cap);
    fx_capture(&cap, 100);
    fx_leak(&cap, 1000, FX_S, -1); /* 1000 s; the ring keeps the last 100 */
    int64_t ring0 = mw__ring_at(&cap.ring, mw__ring_first(&cap.ring))->t_ns;
    mw__ui_key(&st, 'z', &cap); /* 15m */
    mw__ui_key(&st, 'z', &cap);
    mw__ui_key(&st, 'z', &cap); /* 1m window */
    mw__window w;
    mw__view_window(&st, &cap, &w);
    cr_assert_eq(w.t_to - w.t_from, 60 * FX_S);
    cr_expect_null(w.end_bucket, "live: the window ends at the newest sample");
    for (int i = 0; i < 4; i++) /* 4 x 15 s back: 60 s, still ending in the ring (100 s) */
        mw__ui_key(&st, MW__KEY_LEFT, &cap);
    mw__view_window(&st, &cap, &w);
    cr_expect_null(w.end_bucket);
    for (int i = 0; i < 4; i++) /* 60 s more: before the ring's oldest sample */
        mw__ui_key(&st, MW__KEY_LEFT, &cap);
    mw__view_window(&st, &cap, &w);
    cr_assert_not_null(w.end_bucket, "the view ends in the tiers now");
    cr_expect_lt(w.t_to, ring0, "before the ring");
    cr_expect_eq(w.t_to, w.end_bucket->t_last, "it ends with a whole bucket");
    cr_expect_eq(w.from, mw__ring_first(&cap.ring));
    cr_expect_eq(w.to, w.from, "no ring sample in it");
    cr_expect(w.t_to <= cap.t0_ns + 880 * FX_S && w.t_to >= cap.t0_ns + 870 * FX_S,
              "120 s back from the newest (999 s), to a bucket's edge: %lld",
              (long long)((w.t_to - cap.t0_ns) / FX_S));
    mw__sample buf;
    const mw__sample *now = mw__window_newest(&cap, &w, &buf);
    cr_expect_eq(now->t_ns, w.t_to);
    cr_expect_eq(now->rss, 100 * FX_MIB + (uint64_t)((w.t_to - cap.t0_ns) / FX_S) * 64 * 1024,
                 "the bucket's last sample's own value");
    mw__ui_key(&st, MW__KEY_HOME, &cap);
    mw__view_window(&st, &cap, &w);
    cr_expect_eq(w.t_from, cap.t0_ns, "Home: the run's first sample, not the ring's");
    cr_expect_leq(w.t_to - w.t_from, 60 * FX_S, "up to the last bucket ending within a window");
    cr_expect_geq(w.t_to - w.t_from, 52 * FX_S, "buckets of at most 8 samples here: %lld s",
                  (long long)((w.t_to - w.t_from) / FX_S));
    mw__ui_key(&st, MW__KEY_LEFT, &cap);
    mw__view_window(&st, &cap, &w);
    cr_expect_eq(w.t_from, cap.t0_ns, "never before the run's first sample");
    for (int i = 0; i < 80; i++) /* forward through the tiers, back into the ring */
        mw__ui_key(&st, MW__KEY_RIGHT, &cap);
    mw__view_window(&st, &cap, &w);
    cr_expect_null(w.end_bucket, "right again: the ring");
    mw__ui_key(&st, MW__KEY_END, &cap);
    mw__view_window(&st, &cap, &w);
    cr_expect_eq(w.to, 1000);
    cr_expect(st.paused);
}
