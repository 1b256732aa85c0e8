/* SPDX-License-Identifier: MIT */
/* test_unsupported.c — the "none" probe (configure --with-probe=none): every sampling entry point says MW_EUNSUPPORTED. */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

#include "memwatch.h"
#include "probe.h"

/* These run in every build and skip unless the library was built without a probe, which is how
 * memwatch builds on an OS it does not know. CI runs the whole suite in that configuration. */
static void need_none(void)
{
    if (strcmp(mw__probe_name, "none") != 0)
        cr_skip_test("probe is %s: this checks the unsupported build", mw__probe_name);
}

Test(unsupported, one_shot_calls_say_unsupported_and_leave_nothing_behind)
{
    need_none();
    mw_stats st;
    memset(&st, 0xAB, sizeof(st));
    cr_expect_eq(mw_get_memory_stats(&st), MW_EUNSUPPORTED);
    cr_expect_eq(st.physical_size, 0, "no stale bytes in a failed sample");
    cr_expect_eq(mw_get_process_memory_stats(0, &st), MW_EUNSUPPORTED);
    cr_expect_eq(mw_get_process_memory_stats(getpid(), &st), MW_EUNSUPPORTED);
    cr_expect_eq(mw_get_process_memory_stats(1, &st), MW_EUNSUPPORTED);
    mw_process_info info;
    cr_expect_eq(mw_process_get_info(0, &info), MW_EUNSUPPORTED);
    cr_expect_eq(mw_process_get_info(getpid(), &info), MW_EUNSUPPORTED);
    /* Bad arguments are still the caller's fault, whatever the OS. */
    cr_expect_eq(mw_get_memory_stats(NULL), MW_EINVAL);
    cr_expect_eq(mw_get_process_memory_stats(-1, &st), MW_EINVAL);
    cr_expect_eq(mw_process_get_info(-1, &info), MW_EINVAL);
}

Test(unsupported, probe_entry_points_say_unsupported)
{
    need_none();
    mw__probe *p = (mw__probe *)&p; /* any non-NULL value: open must clear it */
    cr_expect_eq(mw__probe_open(getpid(), 0, &p), MW_EUNSUPPORTED);
    cr_expect_null(p);
    cr_expect_eq(mw__probe_open(getpid(), MW__PROBE_TREE | MW__PROBE_RESET_PEAK, &p),
                 MW_EUNSUPPORTED);
    mw_stats st;
    int reset_err = 0;
    cr_expect_eq(mw__probe_sample(NULL, &st, &reset_err), MW_EUNSUPPORTED);
    cr_expect_eq(reset_err, MW_EUNSUPPORTED);
    mw_process_info info;
    cr_expect_eq(mw__probe_info(getpid(), &info), MW_EUNSUPPORTED);
    mw__rollup r;
    memset(&r, 0xAB, sizeof(r));
    cr_expect_eq(mw__probe_rollup(getpid(), &r), MW_EUNSUPPORTED);
    cr_expect_eq(r.have | r.pss, 0, "no stale figures");
    mw__probe_close(NULL);
}

Test(unsupported, watcher_start_fails_with_unsupported_and_stays_stopped)
{
    need_none();
    mw_config cfg = mw_config_default();
    cfg.interval_ms = 10;
    cfg.include_children = true;
    mw_watcher *w = mw_watcher_new(&cfg);
    cr_assert_not_null(w, "creating a watcher needs no probe");
    cr_expect_eq(mw_watcher_start(w), MW_EUNSUPPORTED);
    cr_expect_not(mw_watcher_is_running(w));
    cr_expect_eq(mw_watcher_start(w), MW_EUNSUPPORTED, "and again: not MW_EALREADY");
    mw_stats st;
    cr_expect_eq(mw_watcher_current_stats(w, &st), MW_ENODATA);
    cr_expect_eq(mw_watcher_history(w, &st, 1), 0);
    mw_watcher_status status;
    cr_assert_eq(mw_watcher_get_status(w, &status), 0);
    cr_expect_not(status.running);
    cr_expect_eq(status.samples, 0);
    mw_watcher_stop(w); /* never started: a no-op */
    mw_watcher_free(w);
}

Test(unsupported, the_error_text_names_the_cause)
{
    need_none();
    cr_expect(strstr(mw_strerror(MW_EUNSUPPORTED), "not supported") != NULL, "%s",
              mw_strerror(MW_EUNSUPPORTED));
}
