/* SPDX-License-Identifier: MIT */
/* test_canvas.c — the cell grid: clipping, safe UTF-8, line layout, text dumps. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "canvas.h"

static mw__canvas cv;
static void setup(void) { memset(&cv, 0, sizeof(cv)); }
static void teardown(void) { mw__canvas_destroy(&cv); }
TestSuite(canvas, .init = setup, .fini = teardown);

static void expect_text(const char *want)
{
    char *t = mw__canvas_to_text(&cv);
    cr_assert_not_null(t);
    cr_expect_str_eq(t, want);
    free(t);
}

Test(canvas, new_canvas_is_blank_rows)
{
    cr_assert_eq(mw__canvas_resize(&cv, 3, 2), 0);
    expect_text("\n\n");
}

Test(canvas, put_outside_is_ignored)
{
    mw__canvas_resize(&cv, 2, 2);
    mw__canvas_put(&cv, -1, 0, 'x', MW__ST_NORMAL);
    mw__canvas_put(&cv, 2, 0, 'x', MW__ST_NORMAL);
    mw__canvas_put(&cv, 0, 2, 'x', MW__ST_NORMAL);
    mw__canvas_put(&cv, 1, 1, 'y', MW__ST_NORMAL);
    expect_text("\n y\n");
    cr_expect_null(mw__canvas_at(&cv, 2, 1));
}

Test(canvas, text_is_clipped_to_width_and_edge)
{
    mw__canvas_resize(&cv, 6, 1);
    cr_expect_eq(mw__canvas_text(&cv, 0, 0, 3, "abcdef", MW__ST_NORMAL), 3);
    cr_expect_eq(mw__canvas_text(&cv, 4, 0, 10, "xyz", MW__ST_NORMAL), 2);
    expect_text("abc xy\n");
}

Test(canvas, unsafe_characters_never_misalign)
{
    mw__canvas_resize(&cv, 10, 1);
    /* a tab, a wide CJK character, an emoji, invalid UTF-8, a combining accent on e */
    int n = mw__canvas_text(&cv, 0, 0, 10, "\t\xe4\xb8\xad\xf0\x9f\x98\x80\xff" "e\xcc\x81|", MW__ST_NORMAL);
    cr_expect_eq(n, 6);
    expect_text("????e|\n");
    cr_expect_eq(mw__text_width("\xe4\xb8\xad" "e\xcc\x81"), 2);
}

Test(canvas, block_elements_and_box_drawing_are_narrow)
{
    cr_expect(mw__cp_is_narrow(0x2588));
    cr_expect(mw__cp_is_narrow(0x2502));
    cr_expect(mw__cp_is_narrow(0x25b2));
    cr_expect(mw__cp_is_narrow(0xb2));
    cr_expect_not(mw__cp_is_narrow(0x4e2d));
    cr_expect_not(mw__cp_is_narrow(0x1f600));
    cr_expect_not(mw__cp_is_narrow(0x7f));
    cr_expect_not(mw__cp_is_narrow(0x301));
}

Test(canvas, utf8_truncated_sequence_stops_at_nul)
{
    const char *s = "\xe2\x96";
    cr_expect_eq(mw__utf8_next(&s), 0xfffd);
    cr_expect_eq(mw__utf8_next(&s), 0xfffd);
    cr_expect_eq(*s, '\0');
}

Test(canvas, utf8_round_trip)
{
    char buf[5] = {0};
    const uint32_t cps[] = {'a', 0xe9, 0x2588, 0x1f600};
    for (int i = 0; i < 4; i++) {
        memset(buf, 0, sizeof(buf));
        mw__utf8_put(buf, cps[i]);
        const char *p = buf;
        cr_expect_eq(mw__utf8_next(&p), cps[i]);
    }
}

Test(canvas, fill_and_styles_dump)
{
    mw__canvas_resize(&cv, 4, 2);
    mw__canvas_fill(&cv, 1, 0, 10, 1, '#', MW__ST_PEAK);
    mw__canvas_put(&cv, 0, 1, 'x', MW__ST_NORMAL);
    expect_text(" ###\nx\n");
    char *s = mw__canvas_styles_text(&cv);
    cr_expect_str_eq(s, " ppp\n\n");
    free(s);
}

Test(canvas, resize_down_keeps_allocation_and_clears)
{
    mw__canvas_resize(&cv, 10, 10);
    mw__canvas_put(&cv, 0, 0, 'x', MW__ST_NORMAL);
    mw__cell *cells = cv.cells;
    mw__canvas_resize(&cv, 2, 1);
    cr_expect_eq(cv.cells, cells);
    expect_text("\n");
    cr_expect_eq(mw__canvas_resize(&cv, -3, 4), 0);
    cr_expect_eq(cv.w, 0);
}

Test(canvas, line_skips_segments_that_do_not_fit)
{
    mw__canvas_resize(&cv, 20, 1);
    mw__line l;
    mw__line_init(&l, &cv, 0, 0, 20);
    cr_expect(mw__line_right(&l, 2, "00:03", MW__ST_NORMAL));
    cr_expect(mw__line_add(&l, 2, "growth", MW__ST_NORMAL));
    cr_expect_not(mw__line_add(&l, 2, "+12 MiB", MW__ST_NORMAL));
    cr_expect(mw__line_add(&l, 1, "+1", MW__ST_NORMAL));
    expect_text("growth +1      00:03\n");
}

Test(canvas, line_pair_places_both_or_neither)
{
    mw__canvas_resize(&cv, 26, 1);
    mw__line l;
    mw__line_init(&l, &cv, 0, 0, 26);
    cr_expect(mw__line_right(&l, 2, "00:03", MW__ST_NORMAL));
    cr_expect(mw__line_add_pair(&l, 0, "rate", MW__ST_TITLE, "+2 MiB", MW__ST_GROWTH));
    /* "trend" alone would fit in the 6 columns left; with its value it does not. */
    cr_expect_not(mw__line_add_pair(&l, 2, "trend", MW__ST_TITLE, "+2.1 MiB", MW__ST_GROWTH));
    cr_expect(mw__line_add_pair(&l, 1, "r", MW__ST_TITLE, "1", MW__ST_NORMAL));
    expect_text("rate +2 MiB r 1      00:03\n");

    /* No gap before the pair: the value still keeps its one column from the right segment. */
    mw__canvas_resize(&cv, 12, 1);
    mw__line_init(&l, &cv, 0, 0, 12);
    cr_expect(mw__line_right(&l, 2, "00:03", MW__ST_NORMAL));
    cr_expect_not(mw__line_add_pair(&l, 0, "abc", MW__ST_TITLE, "def", MW__ST_NORMAL));
    expect_text("       00:03\n");
}

Test(canvas, line_cut_marks_the_cut)
{
    mw__canvas_resize(&cv, 10, 1);
    mw__line l;
    mw__line_init(&l, &cv, 0, 0, 10);
    mw__line_add(&l, 0, "PID", MW__ST_NORMAL);
    mw__line_add_cut(&l, 1, "./a-long-command", MW__ST_NORMAL, false);
    expect_text("PID ./a-l\xe2\x80\xa6\n");
}
