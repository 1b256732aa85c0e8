/* SPDX-License-Identifier: MIT */
/* test_where.c — "where it went", more: anonymous mappings matched by range (merges and splits net out). */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smapsparse.h"

#define KIB 1024ll

static mw__smaps_table parse(const char *text)
{
    mw__smaps_table t;
    mw__smaps_table_init(&t);
    cr_assert_eq(mw__smaps_parse(text, strlen(text), &t), 0);
    return t;
}

static const mw__smaps_row *row(const mw__smaps_diff *d, const char *name)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->rows[i].name, name) == 0)
            return &d->rows[i];
    return NULL;
}

#define ANON(range, rss) range " rw-p 00000000 00:00 0 \nRss: " #rss " kB\n"

Test(where, anon_merges_and_splits_net_out)
{
    static const char then_text[] =
        ANON("100000-300000", 2048)  /* 2 MiB: a new mmap just below merges with it */
        ANON("500000-900000", 4096)  /* 4 MiB: split in two (a munmap in its middle) */
        ANON("a00000-b00000", 1024)  /* gone */
        ANON("c00000-d00000", 1024); /* still there: same range */
    static const char now_text[] =
        ANON("080000-300000", 2560)  /* the merge: 512 KiB more, not "new 2.5 MiB" + "gone 2 MiB" */
        ANON("500000-600000", 1024)
        ANON("700000-900000", 2048)  /* the split: 1 MiB less in all */
        ANON("c00000-d00000", 1024)
        ANON("e00000-f00000", 256);  /* new */
    mw__smaps_table a = parse(then_text), b = parse(now_text);
    mw__smaps_diff d = {0};
    cr_assert_eq(mw__smaps_diff_make(&a, &b, &d), 0);
    mw__smaps_table_free(&a);
    mw__smaps_table_free(&b);
    cr_assert_eq(d.n, 5, "one row per overlapping set, got %zu", d.n);
    const mw__smaps_row *m = row(&d, "anon 80000");
    cr_assert_not_null(m);
    cr_assert_eq(m->change, MW__SMAPS_BOTH);
    cr_assert_eq(m->growth, 512 * KIB);
    cr_assert_eq(m->rss_then, 2048 * KIB);
    cr_assert_null(row(&d, "anon 100000"), "the old start is not a gone row of its own");
    const mw__smaps_row *s = row(&d, "anon 500000");
    cr_assert_not_null(s);
    cr_assert_eq(s->change, MW__SMAPS_BOTH);
    cr_assert_eq(s->growth, -1024 * KIB);
    cr_assert_eq(s->mappings_now, 2);
    cr_assert_null(row(&d, "anon 700000"));
    cr_assert_eq(row(&d, "anon a00000")->change, MW__SMAPS_GONE);
    cr_assert_eq(row(&d, "anon c00000")->growth, 0);
    cr_assert_eq(row(&d, "anon e00000")->change, MW__SMAPS_NEW);
    cr_assert_eq(d.rows[0].growth, 512 * KIB, "the merge's real growth tops the list");
    int64_t sum = 0;
    for (size_t i = 0; i < d.n; i++)
        sum += d.rows[i].growth;
    cr_assert_eq(sum, d.total_growth, "the rows add up to the total");
    mw__smaps_diff_free(&d);
}

Test(where, adjacent_anon_mappings_that_only_touch_stay_apart)
{
    static const char then_text[] = ANON("100000-200000", 1024);
    static const char now_text[] = ANON("0f0000-100000", 64) ANON("100000-200000", 1024);
    mw__smaps_table a = parse(then_text), b = parse(now_text);
    mw__smaps_diff d = {0};
    cr_assert_eq(mw__smaps_diff_make(&a, &b, &d), 0);
    cr_assert_eq(d.n, 2);
    cr_assert_eq(row(&d, "anon f0000")->change, MW__SMAPS_NEW);
    cr_assert_eq(row(&d, "anon 100000")->growth, 0);
    mw__smaps_table_free(&a);
    mw__smaps_table_free(&b);
    mw__smaps_diff_free(&d);
}

Test(where, a_real_layout_diffed_with_itself_is_all_unchanged)
{
    /* The fuzz harness leaves overlapping (impossible) layouts' pairing alone; a real one, read
     * twice with nothing changed, must give one unchanged row per group. */
    const char *dir = getenv("MW_FIXTURES"), *slash = strrchr(__FILE__, '/');
    char path[4096];
    if (dir && *dir)
        snprintf(path, sizeof(path), "%s/smaps/real.smaps", dir);
    else
        snprintf(path, sizeof(path), "%.*s/fixtures/smaps/real.smaps",
                 slash ? (int)(slash - __FILE__) : 1, slash ? __FILE__ : ".");
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    static char text[1 << 20];
    size_t len = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[len] = '\0';
    mw__smaps_table t = parse(text);
    mw__smaps_diff d;
    memset(&d, 0, sizeof(d));
    cr_assert_eq(mw__smaps_diff_make(&t, &t, &d), 0);
    cr_expect_eq(d.n, t.n, "%zu rows for %zu groups", d.n, t.n);
    for (size_t i = 0; i < d.n; i++) {
        cr_expect_eq(d.rows[i].growth, 0, "%s", d.rows[i].name);
        cr_expect_eq(d.rows[i].change, MW__SMAPS_BOTH, "%s", d.rows[i].name);
    }
    mw__smaps_diff_free(&d);
    mw__smaps_table_free(&t);
}
