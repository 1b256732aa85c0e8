/* SPDX-License-Identifier: MIT */
/* test_gaps.c — sampling gaps are counted against the interval in force, across +/- changes. */
#include "config.h"
#include <criterion/criterion.h>

#include "gaps.h"

#define MS 1000000LL

Test(gaps, counts_only_gaps_over_twice_the_interval)
{
    mw__gaps g = {0};
    mw__gaps_add(&g, 0, 250);
    mw__gaps_add(&g, 250 * MS, 250);
    mw__gaps_add(&g, 750 * MS, 250);  /* exactly twice: not a gap */
    cr_expect_eq(g.count, 0);
    mw__gaps_add(&g, 1251 * MS, 250); /* 501 ms */
    mw__gaps_add(&g, 3651 * MS, 250); /* 2.4 s */
    cr_expect_eq(g.count, 2);
    cr_expect_eq(g.longest_ns, 2400 * MS);
}

Test(gaps, an_interval_change_is_judged_by_the_longer_interval)
{
    mw__gaps g = {0};
    mw__gaps_add(&g, 0, 10000);              /* 10 s */
    mw__gaps_add(&g, 10000 * MS, 10000);
    mw__gaps_add(&g, 19000 * MS, 250);       /* sped up to 250 ms: 9 s after a 10 s sample */
    cr_expect_eq(g.count, 0, "the old interval was in force for that wait");
    mw__gaps_add(&g, 19250 * MS, 250);
    mw__gaps_add(&g, 20000 * MS, 250);       /* 750 ms at 250 ms */
    cr_expect_eq(g.count, 1);
    mw__gaps_add(&g, 21000 * MS, 1000);      /* slowed to 1 s: 1 s is no gap */
    mw__gaps_add(&g, 22000 * MS, 1000);
    cr_expect_eq(g.count, 1);
    cr_expect_eq(g.longest_ns, 10000 * MS);
}
