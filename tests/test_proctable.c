/* SPDX-License-Identifier: MIT */
/* test_proctable.c — the process table overlay as text: order, escaping, shares, markers, narrow widths, scrolling. */
#include "config.h"

#include <criterion/criterion.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keys.h"
#include "proctable.h"
#include "ui_fixtures.h"
#include "view.h"

static mw__ui_state st;
static mw__canvas cv;
static mw__capture cap;

static void setup(void)
{
    alarm(20);
    mw__ui_init(&st);
    st.table = true;
    memset(&cv, 0, sizeof(cv));
    fx_capture(&cap, 1000);
}

static void teardown(void)
{
    mw__canvas_destroy(&cv);
    mw__ui_destroy(&st);
    mw__capture_destroy(&cap);
    alarm(0);
}

TestSuite(proctable, .init = setup, .fini = teardown);

#define NOW (1000 * FX_S)

/* A process first seen `ago` seconds before NOW with first_mib, now at rss_mib. */
static mw_tree_process proc(pid_t pid, const char *name, uint64_t rss_mib, uint64_t first_mib,
                            int64_t ago, unsigned flags)
{
    mw_tree_process r;
    memset(&r, 0, sizeof(r));
    r.pid = pid;
    r.ppid = 4242;
    memcpy(r.name, name, strlen(name) < sizeof(r.name) ? strlen(name) : sizeof(r.name));
    r.rss = rss_mib * FX_MIB;
    r.first_rss = r.max_rss = first_mib * FX_MIB;
    r.hwm = r.rss > r.first_rss ? r.rss : r.first_rss;
    r.first_seen.tv_sec = (time_t)((NOW - ago * FX_S) / FX_S);
    r.valid = MW_HAVE_HWM;
    r.flags = flags;
    return r;
}

static mw__proc_rows rows_of(const mw_tree_process *r, size_t n)
{
    mw__proc_rows p;
    memset(&p, 0, sizeof(p));
    p.on = p.tree = true;
    p.rows = r;
    p.n = p.total = n;
    p.now_ns = NOW;
    return p;
}

/* Draw the table alone on a w x h canvas; returns its text (caller frees). */
static char *draw(const mw__proc_rows *p, int w, int h)
{
    cr_assert_eq(mw__canvas_resize(&cv, w, h), 0);
    mw__proctable_draw(&cv, 0, 0, w, h, p, 4242, &st);
    return mw__canvas_to_text(&cv);
}

/* The table of n rows alone on a w x h canvas (caller frees). */
static char *table(const mw_tree_process *r, size_t n, int w, int h)
{
    mw__proc_rows p = rows_of(r, n);
    return draw(&p, w, h);
}

/* Row y of the text, in buf. */
static const char *row_text(const char *t, int y, char *buf, size_t n)
{
    for (int i = 0; i < y && t; i++) {
        t = strchr(t, '\n');
        if (t)
            t++;
    }
    cr_assert(t, "no row %d", y);
    size_t len = strcspn(t, "\n");
    cr_assert_lt(len, n);
    memcpy(buf, t, len);
    buf[len] = '\0';
    return buf;
}

/* The PID (first field) of row y. */
static long pid_at(const char *t, int y)
{
    char b[512];
    return strtol(row_text(t, y, b, sizeof(b)), NULL, 10);
}

static bool matches(const char *s, const char *re)
{
    regex_t rx;
    cr_assert_eq(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB), 0, "bad regex %s", re);
    bool m = regexec(&rx, s, 0, NULL, 0) == 0;
    regfree(&rx);
    return m;
}

/* Row y of the text matches re (extended regex). */
static void expect_row(const char *t, int y, const char *re)
{
    char b[512];
    cr_expect(matches(row_text(t, y, b, sizeof(b)), re), "row %d [%s] !~ /%s/", y, b, re);
}

Test(proctable, rows_are_sorted_by_rss_largest_first)
{
    mw_tree_process r[] = {
        proc(11, "small", 5, 5, 10, 0),   proc(4242, "make", 20, 20, 60, MW_PROC_ROOT),
        proc(13, "cc1", 180, 40, 30, 0),  proc(12, "ld", 90, 10, 20, 0),
        proc(9, "tie-late-pid", 5, 5, 1, 0),
    };
    char *t = table(r, 5, 100, 10);
    cr_expect(strstr(t, "processes of PID 4242: 5"), "%s", t);
    long want[] = {13, 12, 4242, 9, 11}; /* equal RSS: the lower PID first */
    for (int i = 0; i < 5; i++)
        cr_expect_eq(pid_at(t, 2 + i), want[i], "row %d\n%s", i, t);
    expect_row(t, 1, "PID +NAME +RSS +SHARE GROWTH +SPIKE$");
    free(t);
}

Test(proctable, a_hostile_name_is_escaped_and_never_reaches_the_terminal)
{
    /* ESC ] 0 ; sets a terminal's title; CSI 2 J clears it: both must arrive as text. */
    mw_tree_process r[] = {proc(77, "\x1b]0;pwn\x07\x1b[2J", 50, 50, 5, 0)};
    char *t = table(r, 1, 120, 6);
    cr_expect(strstr(t, "\\e]0;pwn\\x07\\e[2J"), "%s", t);
    for (int y = 0; y < cv.h; y++)
        for (int x = 0; x < cv.w; x++)
            cr_expect_geq(mw__canvas_at(&cv, x, y)->cp, 0x20, "control at %d,%d", x, y);
    free(t);
}

Test(proctable, a_name_of_16_bytes_without_nul_is_cut_not_overread)
{
    mw_tree_process r[] = {proc(5, "0123456789abcdefXYZ", 1, 1, 1, 0)}; /* fills all 16 bytes */
    char *t = table(r, 1, 100, 4);
    cr_expect(strstr(t, "0123456789abcdef "), "%s", t);
    cr_expect_null(strstr(t, "XYZ"));
    free(t);
}

/* SHARE is of the rows' total RSS; with PSS on (some row has it) of their total PSS, and the
 * title says which. */
Test(proctable, shares_are_of_rss_or_of_pss_when_on_and_sum_to_100)
{
    mw_tree_process r[] = {proc(1, "a", 60, 60, 1, 0), proc(2, "b", 30, 30, 1, 0),
                           proc(3, "c", 10, 10, 1, 0)};
    char *t = table(r, 3, 100, 6);
    cr_expect(strstr(t, "share of RSS"), "%s", t);
    cr_expect_null(strstr(t, " PSS"), "no PSS column without PSS: %s", t);
    const char *rss_share[] = {" 60\\.0% ", " 30\\.0% ", " 10\\.0% "};
    for (int i = 0; i < 3; i++)
        expect_row(t, 2 + i, rss_share[i]);
    free(t);
    r[0].pss = 15 * FX_MIB; /* mostly shared pages */
    r[1].pss = 3 * FX_MIB;
    r[2].pss = 2 * FX_MIB;
    for (int i = 0; i < 3; i++)
        r[i].valid |= MW_HAVE_PSS;
    t = table(r, 3, 100, 6);
    cr_expect(strstr(t, "share of PSS"), "%s", t);
    expect_row(t, 1, "RSS +PSS +SHARE");
    const char *pss_share[] = {"60\\.0 MiB +15\\.0 MiB +75\\.0% ", "30\\.0 MiB +3\\.0 MiB +15\\.0% ",
                               "10\\.0 MiB +2\\.0 MiB +10\\.0% "};
    for (int i = 0; i < 3; i++)
        expect_row(t, 2 + i, pss_share[i]);
    free(t);
}

Test(proctable, growth_is_since_the_process_appeared_with_its_span)
{
    mw_tree_process r[] = {proc(1, "grows", 52, 40, 80, 0), proc(2, "shrinks", 8, 10, 5, 0)};
    char *t = table(r, 2, 100, 6);
    cr_expect(strstr(t, "+12.0 MiB in 1m20s"), "%s", t);
    cr_expect(strstr(t, "-2.0 MiB in 5s"), "%s", t);
    free(t);
}

Test(proctable, root_and_spike_markers_are_shown_and_explained)
{
    mw_tree_process r[] = {proc(4242, "make", 20, 20, 60, MW_PROC_ROOT),
                           proc(50, "cc1", 10, 10, 5, MW_PROC_SPIKE)};
    r[1].hwm = 320 * FX_MIB;
    mw__proc_rows p = rows_of(r, 2);
    char *t = draw(&p, 140, 6);
    cr_expect(strstr(t, "* the target"), "%s", t);
    cr_expect(strstr(t, "! peak between samples (kernel HWM)"), "%s", t);
    expect_row(t, 2, "^ +4242 \\*  make ");
    expect_row(t, 3, "^ +50  ! cc1 .* hwm 320\\.0 MiB$");
    free(t);
    /* No spike anywhere: no legend for it. */
    r[1].flags = 0;
    t = draw(&p, 140, 6);
    cr_expect_null(strstr(t, "peak between samples"), "%s", t);
    free(t);
}

Test(proctable, the_title_counts_processes_not_readable)
{
    mw_tree_process r[] = {proc(4242, "a", 1, 1, 1, MW_PROC_ROOT)};
    mw__proc_rows p = rows_of(r, 1);
    p.total = 37;
    p.unreadable = 3;
    char *t = draw(&p, 100, 4);
    cr_expect(strstr(t, "processes of PID 4242: 37 (3 not readable)"), "%s", t);
    free(t);
}

/* Every row at 40 columns is whole: PID, marker, name, RSS; the rest dropped, nothing cut. */
Test(proctable, a_narrow_terminal_drops_columns_from_the_right)
{
    mw_tree_process r[] = {proc(4242, "make", 20, 20, 60, MW_PROC_ROOT),
                           proc(1234567, "\x1b\x1b\x1b\x1b\x1b\x1b" "escapes", 900, 1, 5, MW_PROC_SPIKE)};
    r[0].pss = 10 * FX_MIB;
    r[0].valid |= MW_HAVE_PSS;
    mw__proc_rows p = rows_of(r, 2);
    for (int w = 1; w <= 60; w++) {
        char *t = draw(&p, w, 8);
        char b[512];
        for (int y = 0; y < 8; y++)
            cr_assert_leq(mw__text_width(row_text(t, y, b, sizeof(b))), w);
        free(t);
    }
    char *t = draw(&p, 40, 8);
    char b[512];
    expect_row(t, 1, "^ +PID +NAME +RSS$");
    cr_expect_str_eq(row_text(t, 2, b, sizeof(b)), "1234567  ! \\e\\e\\e\\e\\e\\eescap\u2026  900.0 MiB");
    expect_row(t, 3, "^ +4242 \\*  make +20\\.0 MiB$");
    free(t);
    t = draw(&p, 80, 8); /* PSS and SHARE fit; GROWTH does not, so neither does SPIKE */
    expect_row(t, 1, "RSS +PSS +SHARE$");
    free(t);
    t = draw(&p, 100, 8);
    expect_row(t, 1, "RSS +PSS +SHARE GROWTH +SPIKE$");
    expect_row(t, 2, "900\\.0 MiB +- +- +\\+899\\.0 MiB in 5s +hwm ");
    free(t);
}

static mw_tree_process many[50];

static mw__proc_rows fifty(void)
{
    for (int i = 0; i < 50; i++) /* PID 1000 largest, 1049 smallest */
        many[i] = proc(1000 + i, "worker", 100 - (uint64_t)i, 1, 1, 0);
    return rows_of(many, 50);
}

Test(proctable, scrolls_by_row_and_page_and_stays_in_range)
{
    mw__proc_rows p = fifty();
    char *t = draw(&p, 80, 12); /* title, header, 10 rows */
    cr_expect_eq(st.table_page, 10);
    cr_expect_eq(pid_at(t, 2), 1000);
    cr_expect(strstr(t, "1-10 of 50"), "%s", t);
    free(t);
    mw__ui_key(&st, MW__KEY_DOWN, &cap);
    t = draw(&p, 80, 12);
    cr_expect_eq(pid_at(t, 2), 1001);
    free(t);
    mw__ui_key(&st, MW__KEY_PGDN, &cap); /* a page less one row of context */
    t = draw(&p, 80, 12);
    cr_expect_eq(pid_at(t, 2), 1010, "%s", t);
    free(t);
    for (int i = 0; i < 10; i++)
        mw__ui_key(&st, MW__KEY_PGDN, &cap);
    t = draw(&p, 80, 12); /* the last page is full, not one row */
    cr_expect_eq(pid_at(t, 2), 1040, "%s", t);
    cr_expect_eq(pid_at(t, 11), 1049, "%s", t);
    cr_expect(strstr(t, "41-50 of 50"), "%s", t);
    free(t);
    mw__ui_key(&st, MW__KEY_PGUP, &cap);
    mw__ui_key(&st, MW__KEY_UP, &cap);
    t = draw(&p, 80, 12);
    cr_expect_eq(pid_at(t, 2), 1030, "%s", t);
    free(t);
    for (int i = 0; i < 4; i++)
        mw__ui_key(&st, MW__KEY_PGUP, &cap);
    t = draw(&p, 80, 12);
    cr_expect_eq(pid_at(t, 2), 1000, "%s", t);
    free(t);
}

Test(proctable, no_rows_yet_says_so)
{
    mw__proc_rows p = rows_of(NULL, 0);
    char *t = draw(&p, 80, 5);
    cr_expect(strstr(t, "no process read yet"), "%s", t);
    free(t);
}

Test(proctable, t_toggles_the_table_esc_closes_it_arrows_scroll_only_it)
{
    st.table = false;
    cr_expect_eq(mw__ui_key(&st, 't', &cap), MW__ACT_TABLE_OPENED);
    cr_expect(st.table);
    cr_expect_eq(mw__ui_key(&st, 't', &cap), MW__ACT_NONE);
    cr_expect_not(st.table);
    cr_expect_eq(mw__key_action(&st, MW__KEY_DOWN), MW__ACT_NONE, "arrows do nothing when closed");
    cr_expect_eq(mw__key_action(&st, MW__KEY_ESC), MW__ACT_NONE);
    mw__ui_key(&st, 't', &cap);
    mw__ui_key(&st, '?', &cap); /* the help over the table: Esc closes the help first */
    cr_expect(st.help && st.table);
    cr_expect_eq(mw__key_action(&st, MW__KEY_DOWN), MW__ACT_NONE, "arrows do not scroll under the help");
    mw__ui_key(&st, MW__KEY_ESC, &cap);
    cr_expect(!st.help && st.table);
    cr_expect_eq(mw__key_action(&st, MW__KEY_DOWN), MW__ACT_TABLE_DOWN);
    mw__ui_key(&st, MW__KEY_ESC, &cap);
    cr_expect_not(st.table);
}

/* The whole screen with the table open, as golden text: header, table, status, footer. */
Test(proctable, view_with_the_table_open_80x24)
{
    fx_leak(&cap, 200, FX_S / 4, -1);
    mw__sample *last = (mw__sample *)mw__ring_last(&cap.ring);
    last->nprocs = 4;
    last->unreadable = 1;
    mw_tree_process r[] = {proc(4242, "leaky", 20, 20, 50, MW_PROC_ROOT),
                           proc(4250, "worker\x1b[31m", 95, 40, 30, 0),
                           proc(4251, "worker", 60, 40, 30, MW_PROC_SPIKE),
                           proc(4252, "worker", 41, 40, 29, 0)};
    r[2].hwm = 140 * FX_MIB;
    mw__view_info in;
    memset(&in, 0, sizeof(in));
    in.state = "running";
    in.interval_ms = 250;
    in.procs = rows_of(r, 4);
    in.procs.unreadable = 1;
    in.procs.total = 4;
    cr_assert_eq(mw__canvas_resize(&cv, 80, 24), 0);
    mw__view_build(&cv, &cap, &in, &st);
    char *t = mw__canvas_to_text(&cv);
    fx_golden("view-table-80x24", t);
    cr_expect(strstr(t, "4 procs (1 unreadable)"), "%s", t);
    cr_expect(strstr(t, "t procs"), "the footer names the key: %s", t);
    free(t);
    /* Not a tree (no -c): the charts, not an empty table. */
    in.procs.tree = false;
    mw__view_build(&cv, &cap, &in, &st);
    t = mw__canvas_to_text(&cv);
    cr_expect_null(strstr(t, "processes of PID"), "%s", t);
    cr_expect(strstr(t, "RSS"), "%s", t);
    free(t);
}
