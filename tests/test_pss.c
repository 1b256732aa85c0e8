/* SPDX-License-Identifier: MIT */
/* test_pss.c — the PSS sweeper and the watcher's process table, on real processes: PSS/USS, rows, proven spikes. */
#include "config.h"

#include <stdatomic.h>

#include "pss.h"
#include "watch_fixtures.h"

static void arm_watchdog(void) { alarm(180); }
TestSuite(pss, .init = arm_watchdog);
TestSuite(proctab, .init = arm_watchdog);

/* A build or kernel without smaps_rollup cannot show PSS: those tests skip. */
static void need_rollup(void)
{
    need_probe();
    mw__rollup r;
    if (mw__probe_rollup(getpid(), &r) == MW_EUNSUPPORTED)
        cr_skip_test("no smaps_rollup here");
}

static bool latest_has(mw__pss *s, uint32_t nread, uint64_t uss_min, mw__pss_sum *out)
{
    return mw__pss_latest(s, out) == 0 && out->nread == nread && out->sum.uss >= uss_min;
}

Test(pss, sweeper_reads_private_memory_of_a_real_process)
{
    need_rollup();
    child c;
    char reply[256];
    child_spawn(&c);
    child_cmd(&c, "alloc 64", reply, sizeof(reply));
    mw__pss *s;
    cr_assert_eq(mw__pss_create(50 * MS, &s), 0);
    mw__pss_sum sum;
    cr_expect_eq(mw__pss_latest(s, &sum), MW_ENODATA, "no sweep before PIDs are given");
    pid_t gone = 0x7ffffff0; /* no such process: left out, not counted unreadable */
    pid_t pids[] = {c.pid, gone};
    mw__pss_set_pids(s, pids, 2);
    cr_assert(poll_until(latest_has(s, 1, 64 * MIB, &sum), SOON_MS),
              "a sweep should read the child's 64 MiB as USS (read %u, USS %llu)", sum.nread,
              (unsigned long long)sum.sum.uss);
    cr_expect_eq(sum.unreadable, 0);
    cr_expect(sum.sum.have & MW_HAVE_PSS);
    cr_expect_geq(sum.sum.pss, sum.sum.uss, "PSS counts private pages whole, and shared ones in part");
    cr_expect_gt(sum.t_ns, 0);

    mw_tree_process rows[2] = {{.pid = c.pid, .valid = MW_HAVE_HWM}, {.pid = 1, .valid = MW_HAVE_PSS}};
    mw__pss_fill(s, rows, 2);
    cr_expect(rows[0].valid & MW_HAVE_PSS);
    cr_expect(rows[0].valid & MW_HAVE_HWM, "other bits are kept");
    cr_expect_geq(rows[0].uss, 64 * MIB);
    cr_expect_not(rows[1].valid & MW_HAVE_PSS, "a PID the sweep did not read has no PSS");
    mw__pss_destroy(s); /* joins the thread: the watchdog catches a hang */
    child_reap(&c);
}

Test(pss, watcher_samples_carry_the_latest_reading_with_its_time)
{
    need_rollup();
    child c;
    char reply[256];
    child_spawn(&c);
    child_cmd(&c, "alloc 48", reply, sizeof(reply));
    mw_config cfg = mw_config_default();
    cfg.pid = c.pid;
    cfg.interval_ms = 20;
    cfg.pss_interval_ms = 200;
    mw_watcher *w = mw_watcher_new(&cfg);
    cr_assert_not_null(w);
    cr_assert_eq(mw_watcher_start(w), 0);
    mw_stats st;
    memset(&st, 0, sizeof(st));
    cr_assert(poll_until(mw_watcher_current_stats(w, &st) == 0 && (st.valid & MW_HAVE_PSS) &&
                             st.uss_size >= 48 * MIB, SOON_MS),
              "samples should carry PSS/USS once a reading finished");
    cr_expect_leq(ts_ns(&st.pss_timestamp), ts_ns(&st.timestamp), "read before the sample");
    cr_expect_leq(st.uss_size, st.pss_size);
    cr_expect_leq(st.pss_size, st.physical_size + MIB, "PSS never exceeds RSS");
    /* The sweep runs beside the samples: several samples per reading. */
    uint64_t n0 = samples_of(w);
    cr_expect(poll_until(samples_of(w) >= n0 + 5, SOON_MS));
    mw_watcher_free(w);
    child_reap(&c);
}

Test(pss, off_by_default_and_bad_cadence_refused)
{
    mw_config cfg = mw_config_default();
    cr_expect_eq(cfg.pss_interval_ms, 0);
    cfg.pss_interval_ms = 3600001;
    cr_expect_null(mw_watcher_new(&cfg));
}

/* ---- the process table ------------------------------------------------------------------------ */

static mw_watcher *tree_watcher(pid_t pid, uint64_t interval_ms, bool children)
{
    need_probe();
    mw_config cfg = mw_config_default();
    cfg.pid = pid;
    cfg.interval_ms = interval_ms;
    cfg.include_children = children;
    mw_watcher *w = mw_watcher_new(&cfg);
    cr_assert_not_null(w);
    cr_assert_eq(mw_watcher_start(w), 0);
    return w;
}

static size_t rows_now(mw_watcher *w, mw_tree_process *rows, size_t cap)
{
    size_t count = 0;
    size_t n = mw_watcher_get_processes(w, rows, cap, &count);
    cr_assert_leq(n, count);
    return n;
}

Test(proctab, without_children_the_one_process)
{
    child c;
    char reply[256];
    child_spawn(&c);
    child_cmd(&c, "alloc 16", reply, sizeof(reply));
    mw_watcher *w = tree_watcher(c.pid, 20, false);
    mw_tree_process rows[4];
    cr_assert(poll_until(rows_now(w, rows, 4) == 1, SOON_MS));
    cr_expect_eq(rows[0].pid, c.pid);
    cr_expect(rows[0].flags & MW_PROC_ROOT);
    cr_expect_geq(rows[0].rss, 16 * MIB);
    cr_expect_str_eq(rows[0].name, "mw-alloc");
    cr_expect_eq(rows[0].ppid, getpid());
    mw_watcher_free(w);
    child_reap(&c);
}

Test(proctab, a_tree_largest_first_each_with_its_parent_and_growth)
{
    child c;
    char reply[256];
    child_spawn(&c);
    child_cmd(&c, "alloc 8", reply, sizeof(reply));
    mw_watcher *w = tree_watcher(c.pid, 20, true);
    child_cmd(&c, "fork 3 24", reply, sizeof(reply));
    uint64_t after = samples_of(w) + 2; /* a sample taken wholly after the children allocated */
    cr_assert(poll_until(samples_of(w) >= after, SOON_MS));
    mw_tree_process rows[8];
    cr_assert(poll_until(rows_now(w, rows, 8) == 4, SOON_MS), "the root and its 3 children");
    size_t count = 0;
    cr_expect_eq(mw_watcher_get_processes(w, rows, 2, &count), 2, "copies at most cap");
    cr_expect_eq(count, 4, "and says how many there are");
    size_t n = rows_now(w, rows, 8);
    int roots = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            cr_expect_geq(rows[i - 1].rss, rows[i].rss, "largest RSS first");
        if (rows[i].flags & MW_PROC_ROOT) {
            roots++;
            cr_expect_eq(rows[i].pid, c.pid);
        } else {
            cr_expect_eq(rows[i].ppid, c.pid, "a child names its parent");
            cr_expect_geq(rows[i].rss, 24 * MIB);
            cr_expect_geq(rows[i].max_rss, rows[i].rss);
        }
    }
    cr_expect_eq(roots, 1);
    /* The root grows: its growth since it appeared shows in the table. */
    child_cmd(&c, "alloc 32", reply, sizeof(reply));
    bool grew = poll_until(({
        bool g = false;
        size_t k = rows_now(w, rows, 8);
        for (size_t i = 0; i < k; i++)
            if ((rows[i].flags & MW_PROC_ROOT) && rows[i].rss >= rows[i].first_rss + 32 * MIB)
                g = true;
        g;
    }), SOON_MS);
    cr_expect(grew, "the root's rss - first_rss shows its 32 MiB");
    child_cmd(&c, "kill", reply, sizeof(reply));
    cr_expect(poll_until(rows_now(w, rows, 8) == 1, SOON_MS), "children gone from the table");
    mw_watcher_free(w);
    child_reap(&c);
}

typedef struct sample_seen {
    atomic_uint_fast64_t n;
} sample_seen;

static void seen_cb(const mw_stats *s, void *user)
{
    (void)s;
    atomic_fetch_add(&((sample_seen *)user)->n, 1);
}

/* A spike right after a sample, with the next one a second away: between samples for sure. */
static void spike_between_samples(mw_watcher *w, sample_seen *seen, child *c)
{
    char reply[256];
    uint64_t n0 = atomic_load(&seen->n);
    cr_assert(poll_until(atomic_load(&seen->n) > n0, SOON_MS));
    child_cmd(c, "spike 160 10", reply, sizeof(reply));
    uint64_t n1 = atomic_load(&seen->n);
    cr_assert(poll_until(atomic_load(&seen->n) > n1, SOON_MS));
}

Test(proctab, a_spike_between_samples_is_proven_for_the_process_that_made_it)
{
    child c;
    char reply[256];
    child_spawn(&c);
    mw_config cfg = mw_config_default();
    cfg.pid = c.pid;
    cfg.interval_ms = 1000;
    cfg.include_children = true;
    need_probe();
    mw_watcher *w = mw_watcher_new(&cfg);
    sample_seen seen = {0};
    cr_assert_eq(mw_watcher_add_callback(w, seen_cb, &seen), 0);
    cr_assert_eq(mw_watcher_start(w), 0);
    child_cmd(&c, "fork 1 4", reply, sizeof(reply)); /* a tree: the root is one of its records */
    mw_tree_process top;
    cr_expect_eq(mw_watcher_top_spike(w, &top), MW_ENODATA);
    spike_between_samples(w, &seen, &c);
    cr_assert_eq(mw_watcher_top_spike(w, &top), 0, "the spike should be proven");
    cr_expect_eq(top.pid, c.pid);
    cr_expect_geq(top.hwm, 160 * MIB);
    cr_expect_lt(top.max_rss, 100 * MIB, "no sample saw it");
    cr_expect(top.flags & MW_PROC_SPIKE);
    mw_stats hist[64];
    size_t n = mw_watcher_history(w, hist, 64);
    bool flagged = false;
    for (size_t i = 0; i < n; i++)
        flagged |= (hist[i].flags & MW_SAMPLE_HWM_ROSE) != 0;
    cr_expect(flagged, "the sample after the spike is flagged");
    mw_watcher_free(w);
    child_reap(&c);
}

Test(proctab, a_mark_from_before_the_watch_proves_nothing)
{
    child c;
    char reply[256];
    child_spawn(&c);
    child_cmd(&c, "spike 160 10", reply, sizeof(reply)); /* before any watcher */
    for (int tree = 0; tree < 2; tree++) {
        mw_watcher *w = tree_watcher(c.pid, 20, tree);
        cr_assert(poll_until(samples_of(w) >= 10, SOON_MS));
        mw_watcher_stop(w);
        mw_tree_process top;
        cr_expect_eq(mw_watcher_top_spike(w, &top), MW_ENODATA, "tree %d", tree);
        mw_stats hist[64];
        size_t n = mw_watcher_history(w, hist, 64);
        for (size_t i = 0; i < n; i++)
            cr_expect_not(hist[i].flags & MW_SAMPLE_HWM_ROSE, "tree %d, sample %zu claims a spike "
                          "that happened before the watch", tree, i);
        mw_watcher_free(w);
    }
    child_reap(&c);
}

Test(proctab, a_reset_mark_below_an_earlier_sample_proves_no_spike)
{
    /* With reset_peaks the kernel's mark restarts at each sample: a 48 MiB burst after the
     * process held 96 MiB over two samples rose since the reset, yet is below a sample of it. */
    child c;
    char reply[256];
    child_spawn(&c);
    mw_config cfg = mw_config_default();
    cfg.pid = c.pid;
    cfg.interval_ms = 1000;
    cfg.include_children = true;
    cfg.reset_peaks = true;
    need_probe();
    mw_watcher *w = mw_watcher_new(&cfg);
    sample_seen seen = {0};
    cr_assert_eq(mw_watcher_add_callback(w, seen_cb, &seen), 0);
    cr_assert_eq(mw_watcher_start(w), 0);
    child_cmd(&c, "alloc 96", reply, sizeof(reply));
    uint64_t n0 = atomic_load(&seen.n);
    cr_assert(poll_until(atomic_load(&seen.n) >= n0 + 2, SOON_MS), "two samples of the 96 MiB");
    child_cmd(&c, "free", reply, sizeof(reply));
    uint64_t n1 = atomic_load(&seen.n);
    cr_assert(poll_until(atomic_load(&seen.n) > n1, SOON_MS)); /* a sample after the free resets */
    uint64_t n2 = atomic_load(&seen.n);
    child_cmd(&c, "spike 48 10", reply, sizeof(reply));
    cr_assert(poll_until(atomic_load(&seen.n) > n2 + 1, SOON_MS));
    mw_tree_process top;
    cr_expect_eq(mw_watcher_top_spike(w, &top), MW_ENODATA,
                 "a %llu MiB mark is below the 96 MiB sampled earlier: not above every sample",
                 (unsigned long long)(top.hwm >> 20));
    mw_watcher_free(w);
    child_reap(&c);
}
