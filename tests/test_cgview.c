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
static void fill_v(uint64_t limit, uint64_t high, int oom)
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
        if (high) { /* v2: memory.high, and a kernel part inside the current figure */
            s.cg_high = high;
            s.cg_kernel_size = 2 * FX_MIB;
            s.cg_current_size += s.cg_kernel_size;
            s.cg_peak_size = s.cg_current_size;
            s.valid |= MW_HAVE_CG_HIGH | MW_HAVE_CG_KERNEL;
        }
        mw__sample x;
        mw__sample_from_stats(&x, &s);
        mw__capture_add(&cap, &x);
        if (i == oom)
            cr_assert_eq(mw__capture_mark(&cap, "oom_kill"), 0);
    }
}

static void fill(uint64_t limit, int oom) { fill_v(limit, 0, oom); }

static char *render_as(int w, int h, const char *what)
{
    mw__view_info in;
    memset(&in, 0, sizeof(in));
    in.cgroup = true;
    in.command = what;
    in.state = "watched";
    in.interval_ms = 250;
    in.elapsed_ns = mw__ring_last(&cap.ring)->t_ns - cap.t0_ns;
    cr_assert_eq(mw__canvas_resize(&cv, w, h), 0);
    mw__view_build(&cv, &cap, &in, &st);
    return mw__canvas_to_text(&cv);
}

static char *render(int w, int h)
{
    return render_as(w, h, "/sys/fs/cgroup/memory/mw-demo (cgroup v1)");
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

Test(cgview, v2_cgroup_draws_memory_high_dashed_and_its_kernel_part)
{
    fill_v(160 * FX_MIB, 100 * FX_MIB, -1);
    char *t = render_as(100, 34, "/sys/fs/cgroup/system.slice/app.service (cgroup v2)");
    fx_golden("cgview-v2-100x34", t);
    cr_expect(strstr(t, "limit 160.0 MiB  high 100.0 MiB"), "both lines named in the title: %s", t);
    cr_expect(strstr(t, "\u2550\u2550\u2550") && strstr(t, "\u254c\u254c\u254c"),
              "the limit a double line, memory.high a dashed one: %s", t);
    cr_expect(strstr(t, "\nkernel 2.0 MiB"), "v2's kernel part has its chart: %s", t);
    cr_expect(strstr(t, "headroom 65.7 MiB  high 100.0 MiB"), "%s", t);
    free(t);
}

Test(cgview, a_note_sits_right_under_the_cgroup_rows)
{
    fill(128 * FX_MIB, -1);
    mw__view_info in;
    memset(&in, 0, sizeof(in));
    in.cgroup = true;
    in.command = "/sys/fs/cgroup/memory/mw-demo (cgroup v1)";
    in.state = "watched";
    in.interval_ms = 250;
    in.notes[0].text = "at this rate cgroup memory reaches the cgroup limit 128.0 MiB in ~1.4 min";
    in.notes[0].style = MW__ST_GROWTH;
    cr_assert_eq(mw__canvas_resize(&cv, 100, 30), 0);
    mw__view_build(&cv, &cap, &in, &st);
    char *t = mw__canvas_to_text(&cv);
    const char *parts = strstr(t, "\nparts anon");
    cr_assert(parts, "%s", t);
    const char *next = strchr(parts + 1, '\n');
    cr_assert(next, "%s", t);
    cr_expect_eq(strncmp(next + 1, in.notes[0].text, strlen(in.notes[0].text)), 0,
                 "the note is the row after the parts: %s", t);
    free(t);
}
