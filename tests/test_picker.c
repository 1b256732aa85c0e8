/* SPDX-License-Identifier: MIT */
/* test_picker.c — the process picker's model and screen: merge, growth, filter, sort, selection, narrow widths, goldens. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "picker.h"
#include "proclist.h"
#include "ui_fixtures.h"

static mw__proclist l;
static mw__canvas cv;
static int fetches;

static void setup(void)
{
    alarm(20);
    memset(&l, 0, sizeof(l));
    memset(&cv, 0, sizeof(cv));
    fetches = 0;
}

static void teardown(void)
{
    mw__proclist_destroy(&l);
    mw__canvas_destroy(&cv);
    alarm(0);
}

TestSuite(picker, .init = setup, .fini = teardown);

/* A made-up command line per process: "/usr/bin/NAME --pid PID". */
static int fake_cmdline(void *ctx, pid_t pid, uint64_t start, char *line, size_t n)
{
    (void)ctx;
    (void)start;
    fetches++;
    snprintf(line, n, "/usr/bin/prog%ld --flag", (long)pid);
    return 0;
}

static mw__proc_brief brief(pid_t pid, const char *name, uint64_t rss_mib)
{
    mw__proc_brief b;
    memset(&b, 0, sizeof(b));
    b.pid = pid;
    b.start_time = 1000 + (uint64_t)pid;
    b.rss = rss_mib * FX_MIB;
    snprintf(b.name, sizeof(b.name), "%s", name);
    return b;
}

static void update(const mw__proc_brief *b, size_t n)
{
    cr_assert_eq(mw__proclist_update(&l, b, n, fake_cmdline, NULL), 0);
}

static pid_t shown_pid(size_t i) { return l.rows[l.shown[i]].pid; }

static char *draw(int w, int h, bool children)
{
    cr_assert_eq(mw__canvas_resize(&cv, w, h), 0);
    mw__picker_opts o = {children, true, NULL};
    mw__picker_draw(&cv, &l, &o);
    return mw__canvas_to_text(&cv);
}

static const mw__proc_brief base[] = {
    {101, 5001, 40 * FX_MIB, "firefox"},  {102, 5002, 300 * FX_MIB, "Web Content"},
    {103, 5003, 12 * FX_MIB, "bash"},     {104, 5004, 12 * FX_MIB, "vim"},
    {105, 5005, 900 * FX_MIB, "postgres"}, {106, 5006, 1 * FX_MIB, "sleep"},
};
#define NBASE (sizeof(base) / sizeof(base[0]))

Test(picker, sorted_by_rss_then_pid_and_self_left_out)
{
    l.self = 106;
    update(base, NBASE);
    cr_assert_eq(l.nshown, 5, "memwatch itself (106) is not listed");
    pid_t want[] = {105, 102, 101, 103, 104}; /* 103 and 104 tie at 12 MiB: lower PID first */
    for (size_t i = 0; i < 5; i++)
        cr_assert_eq(shown_pid(i), want[i], "row %zu is %ld", i, (long)shown_pid(i));
    cr_assert_eq(fetches, 5, "one command line per new process");
}

Test(picker, command_lines_fetched_once_per_process)
{
    update(base, NBASE);
    update(base, NBASE);
    cr_assert_eq(fetches, (int)NBASE, "a process already seen is not read again");
    mw__proc_brief again[NBASE];
    memcpy(again, base, sizeof(base));
    again[0].start_time = 9999; /* PID 101 reused by a new process */
    update(again, NBASE);
    cr_assert_eq(fetches, (int)NBASE + 1, "a reused PID is a new process: its line is read");
}

Test(picker, growth_counts_from_the_first_refresh_and_newcomers_say_new)
{
    update(base, NBASE);
    mw__proc_brief later[NBASE + 1];
    memcpy(later, base, sizeof(base));
    later[0].rss += 11 * FX_MIB;
    later[NBASE] = brief(200, "newcomer", 7);
    update(later, NBASE + 1);
    update(later, NBASE + 1);
    char *t = draw(80, 12, false);
    cr_assert(strstr(t, "+11.0 MiB"), "firefox grew 11 MiB since the picker opened:\n%s", t);
    cr_assert(strstr(t, "newcomer") && strstr(t, " new "), "a process that came later: new\n%s", t);
    free(t);
}

Test(picker, filter_matches_name_or_command_line_ignoring_case)
{
    update(base, NBASE);
    mw__proclist_type(&l, 'F');
    mw__proclist_type(&l, 'I');
    mw__proclist_type(&l, 'r');
    cr_assert_eq(l.nshown, 1);
    cr_assert_eq(shown_pid(0), 101);
    mw__proclist_backspace(&l);
    mw__proclist_backspace(&l);
    mw__proclist_backspace(&l);
    cr_assert_eq(l.nshown, NBASE, "backspace edits the filter back to all");
    const char *q = "prog104"; /* only in the command line */
    for (const char *p = q; *p; p++)
        mw__proclist_type(&l, (uint32_t)*p);
    cr_assert_eq(l.nshown, 1);
    cr_assert_eq(shown_pid(0), 104);
    mw__proclist_clear_filter(&l);
    cr_assert_eq(l.nshown, NBASE);
}

Test(picker, backspace_takes_off_a_whole_utf8_character)
{
    update(base, NBASE);
    mw__proclist_type(&l, 'a');
    mw__proclist_type(&l, 0xE9); /* é: two bytes */
    cr_assert_eq(strlen(l.filter), 3);
    mw__proclist_backspace(&l);
    cr_assert_str_eq(l.filter, "a");
    mw__proclist_type(&l, 0x1b); /* a control is never typed */
    cr_assert_str_eq(l.filter, "a");
}

Test(picker, selection_stays_on_the_same_process_across_refreshes)
{
    update(base, NBASE);
    mw__proclist_move(&l, 2); /* 105, 102, [101] */
    cr_assert_eq(mw__proclist_selected(&l)->pid, 101);
    mw__proc_brief grown[NBASE];
    memcpy(grown, base, sizeof(base));
    grown[0].rss = 2000 * FX_MIB; /* 101 becomes the largest: it moves to the top */
    update(grown, NBASE);
    cr_assert_eq(l.sel, 0);
    cr_assert_eq(mw__proclist_selected(&l)->pid, 101, "the selection followed the process");
    /* It ends: its neighbour at the same place is selected, not the top. */
    update(grown + 1, NBASE - 1);
    cr_assert_eq(mw__proclist_selected(&l)->pid, 105);
}

Test(picker, moves_clamp_and_page)
{
    update(base, NBASE);
    mw__proclist_move(&l, -5);
    cr_assert_eq(l.sel, 0);
    mw__proclist_move(&l, 100);
    cr_assert_eq(l.sel, NBASE - 1);
    mw__proclist_home(&l);
    cr_assert_eq(l.sel, 0);
    mw__proclist_end(&l);
    cr_assert_eq(mw__proclist_selected(&l)->pid, 106);
    mw__proclist_type(&l, 'z');
    mw__proclist_type(&l, 'z');
    cr_assert_null(mw__proclist_selected(&l), "nothing matches: nothing to watch");
    mw__proclist_move(&l, 1);
    mw__proclist_end(&l);
    cr_assert_null(mw__proclist_selected(&l));
}

Test(picker, a_hostile_name_is_escaped)
{
    mw__proc_brief b = brief(300, "\x1b]0;pwned\x07", 5);
    update(&b, 1);
    char *t = draw(80, 8, false);
    cr_assert(strstr(t, "\\e]0;pwned\\x07"), "the name is escaped:\n%s", t);
    free(t);
}

Test(picker, scrolls_to_keep_the_selection_on_screen)
{
    mw__proc_brief many[40];
    for (int i = 0; i < 40; i++)
        many[i] = brief(1000 + i, "worker", 100 - (uint64_t)i);
    update(many, 40);
    mw__proclist_end(&l);
    char *t = draw(80, 10, false); /* 6 rows of processes */
    cr_assert(strstr(t, " 1039 worker"), "the last row is shown after End:\n%s", t);
    cr_assert_not(strstr(t, " 1000 worker"));
    free(t);
    cr_assert_eq(mw__picker_page(10), 6);
}

Test(picker, a_click_lands_on_the_process_row_under_it)
{
    mw__proc_brief many[40];
    for (int i = 0; i < 40; i++)
        many[i] = brief(1000 + i, "worker", 100 - (uint64_t)i);
    update(many, 40);
    char *t = draw(80, 10, false); /* rows 3..8 hold processes 0..5 */
    free(t);
    cr_expect_eq(mw__picker_row_at(&l, 10, 0), -1, "the title");
    cr_expect_eq(mw__picker_row_at(&l, 10, 2), -1, "the column names");
    cr_expect_eq(mw__picker_row_at(&l, 10, 3), 0);
    cr_expect_eq(mw__picker_row_at(&l, 10, 8), 5);
    cr_expect_eq(mw__picker_row_at(&l, 10, 9), -1, "the help line");
    mw__proclist_end(&l);
    t = draw(80, 10, false); /* scrolled: the last six */
    free(t);
    cr_expect_eq(mw__picker_row_at(&l, 10, 3), 34);
    cr_expect_eq(mw__picker_row_at(&l, 10, 8), 39);
    update(many, 2); /* two processes: the rows under them are empty */
    t = draw(80, 10, false);
    free(t);
    cr_expect_eq(mw__picker_row_at(&l, 10, 4), 1);
    cr_expect_eq(mw__picker_row_at(&l, 10, 5), -1, "below the last process");
    cr_expect_eq(mw__picker_row_at(&l, 3, 2), -1, "too small to list any");
}

Test(picker, golden_80x24)
{
    update(base, NBASE);
    mw__proc_brief later[NBASE];
    memcpy(later, base, sizeof(base));
    later[1].rss += 11 * FX_MIB;
    update(later, NBASE);
    mw__proclist_move(&l, 1);
    char *t = draw(80, 24, false);
    fx_golden("picker-80x24", t);
    free(t);
}

Test(picker, golden_40_columns_filtered_tree)
{
    update(base, NBASE);
    mw__proclist_type(&l, 'E'); /* in firefox, Web Content, postgres, sleep; no command line */
    char *t = draw(40, 12, true);
    fx_golden("picker-40x12", t);
    free(t);
}

Test(picker, every_size_is_safe)
{
    update(base, NBASE);
    for (int w = 0; w <= 45; w += 3)
        for (int h = 0; h <= 8; h++)
            free(draw(w, h, w % 2));
}
