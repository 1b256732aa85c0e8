/* SPDX-License-Identifier: MIT */
/* test_cgview.c — the dashboard of a cgroup watched alone, as golden text: its chart, limit line, headroom and parts. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "ui_fixtures.h"
#include "view.h"

static mw__capture cap;
static mw__ui_state st;
static mw__canvas cv;

static void setup(void)
{
    cr_assert_eq(mw__capture_init(&cap, 3600), 0);
    cap.wall_offset_ns = 1; /* never the real clocks */
    mw__ui_init(&st);
    memset(&cv, 0, sizeof(cv));
}

static void teardown(void)
{
    mw__canvas_destroy(&cv);
    mw__ui_destroy(&st);
    mw__capture_destroy(&cap);
}

TestSuite(cgview, .init = setup, .fini = teardown);

/* A v1-like cgroup (no memory.high, no kernel figure) filling toward its limit (0: none): 400
 * samples, 20 MiB of page cache and a growing anonymous part; an OOM kill marked at `oom`. */
static void fill(uint64_t limit, int oom)
{
    for (int i = 0; i < 400; i++) {
        mw_stats s;
        memset(&s, 0, sizeof(s));
        s.timestamp.tv_sec = 1000 + i / 4;
        s.timestamp.tv_nsec = (long)(i % 4) * 250000000L;
        s.cg_anon_size = 10 * FX_MIB + (uint64_t)i * 160 * 1024;
        s.cg_file_size = 20 * FX_MIB;
        s.cg_current_size = s.cg_anon_size + s.cg_file_size;
        s.cg_peak_size = s.cg_current_size;
        s.cg_limit = limit ? limit : MW_CG_UNLIMITED;
        s.cg_swap_size = 0;
        s.valid = MW_HAVE_CG_CURRENT | MW_HAVE_CG_PEAK | MW_HAVE_CG_LIMIT | MW_HAVE_CG_ANON |
                  MW_HAVE_CG_FILE | MW_HAVE_CG_SWAP;
        mw__sample x;
        mw__sample_from_stats(&x, &s);
        mw__capture_add(&cap, &x);
        if (i == oom)
            cr_assert_eq(mw__capture_mark(&cap, "oom_kill"), 0);
    }
}

static char *render(int w, int h)
{
    mw__view_info in;
    memset(&in, 0, sizeof(in));
    in.cgroup = true;
    in.command = "/sys/fs/cgroup/memory/mw-demo (cgroup v1)";
    in.state = "watched";
    in.interval_ms = 250;
    in.elapsed_ns = mw__ring_last(&cap.ring)->t_ns - cap.t0_ns;
    cr_assert_eq(mw__canvas_resize(&cv, w, h), 0);
    mw__view_build(&cv, &cap, &in, &st);
    return mw__canvas_to_text(&cv);
}

Test(cgview, limited_cgroup_draws_its_limit_line_and_headroom)
{
    fill(128 * FX_MIB, 300);
    char *t = render(100, 30);
    fx_golden("cgview-limit-100x30", t);
    cr_expect(strstr(t, "cgroup  /sys/fs/cgroup/memory/mw-demo (cgroup v1)"), "%s", t);
    cr_expect(strstr(t, "limit 128.0 MiB  headroom 35.7 MiB"), "%s", t);
    cr_expect(strstr(t, "page cache included"), "the chart says what it counts: %s", t);
    cr_expect(strstr(t, "\u2550\u2550\u2550"), "the limit is a line across the plot: %s", t);
    cr_expect_null(strstr(t, "RSS"), "no process chart for a cgroup alone: %s", t);
    cr_expect(!strstr(t, "\nkernel ") && !strstr(t, "kernel 0"),
              "v1 gives no kernel figure: no chart, no zero: %s", t);
    cr_expect(strstr(t, "parts anon 72.3 MiB  file 20.0 MiB  swap 0 B"), "%s", t);
    free(t);
}

Test(cgview, unlimited_cgroup_says_no_limit_and_draws_no_line)
{
    fill(0, -1);
    char *t = render(100, 30);
    fx_golden("cgview-nolimit-100x30", t);
    cr_expect(strstr(t, "no limit"), "%s", t);
    cr_expect_null(strstr(t, "\u2550"), "no line for no limit: %s", t);
    cr_expect_null(strstr(t, "headroom"), "%s", t);
    free(t);
}
