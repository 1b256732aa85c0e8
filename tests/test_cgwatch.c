/* SPDX-License-Identifier: MIT */
/* test_cgwatch.c — a watched cgroup's figures: the field table, the stored sample, CSV both ways, and the sampler on fixtures. */
#include "config.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "csv.h"
#include "memwatch.h"
#include "probe.h"
#include "sample.h"
#include "watcher.h"

#define MIB (1024ull * 1024ull)
#define NGINX "cgroup-v2/root/sys/fs/cgroup/system.slice/nginx.service"

static const char *fixtures(void)
{
    const char *d = getenv("MW_FIXTURES");
    return d && *d ? d : "../tests/fixtures";
}

/* A sample's cgroup figures: a limit, no memory.high, no kernel figure (as v1 gives). */
static mw_stats cg_stats(void)
{
    mw_stats st;
    memset(&st, 0, sizeof(st));
    st.timestamp.tv_sec = 5;
    st.physical_size = 4096;
    st.nprocs = 1;
    st.cg_current_size = 48 * MIB;
    st.cg_peak_size = 60 * MIB;
    st.cg_limit = 64 * MIB;
    st.cg_high = MW_CG_UNLIMITED;
    st.cg_anon_size = 40 * MIB;
    st.cg_file_size = 8 * MIB;
    st.cg_swap_size = 0;
    st.valid = MW_HAVE_CG_CURRENT | MW_HAVE_CG_PEAK | MW_HAVE_CG_LIMIT | MW_HAVE_CG_HIGH |
               MW_HAVE_CG_ANON | MW_HAVE_CG_FILE | MW_HAVE_CG_SWAP;
    return st;
}

Test(cgwatch, stored_sample_keeps_every_cgroup_figure_and_unlimited_apart_from_unknown)
{
    cr_assert_leq(sizeof(mw__sample), 128);
    mw_stats in = cg_stats(), out;
    mw__sample x;
    mw__sample_from_stats(&x, &in);
    mw__sample_to_stats(&out, &x);
    cr_assert_eq(out.valid, in.valid);
    cr_assert_eq(out.cg_current_size, 48 * MIB);
    cr_assert_eq(out.cg_peak_size, 60 * MIB);
    cr_assert_eq(out.cg_limit, 64 * MIB);
    cr_assert_eq(out.cg_high, MW_CG_UNLIMITED, "no limit stays no limit");
    cr_assert_eq(out.cg_anon_size, 40 * MIB);
    cr_assert_eq(out.cg_file_size, 8 * MIB);
    cr_assert_not(mw__field_known(MW__FIELD_CG_KERNEL, x.valid), "unknown, never 0");
    cr_assert(mw__field_known(MW__FIELD_CG_SWAP, x.valid), "a known 0 is known");
    /* A real limit of 4 TiB or more is kept just under it: never read back as "none". */
    in.cg_limit = 5ull << 40;
    mw__sample_from_stats(&x, &in);
    cr_assert_neq(mw__sample_field(&x, MW__FIELD_CG_LIMIT), MW_CG_UNLIMITED);
    cr_assert_gt(mw__sample_field(&x, MW__FIELD_CG_LIMIT), (4ull << 40) - 4096);
}

Test(cgwatch, tree_sum_keeps_the_roots_cgroup_figures)
{
    mw_stats root = cg_stats(), kid = cg_stats();
    kid.cg_current_size = 1;
    mw__stats_tree_add(&root, &kid);
    cr_assert_eq(root.cg_current_size, 48 * MIB, "one cgroup's figure is not summed");
    cr_assert_eq(root.physical_size, 8192, "the processes' figures are");
}

Test(cgwatch, csv_columns_come_last_and_load_back_exactly)
{
    const char *h = mw__csv_header;
    cr_assert(strstr(h, ",swap_pss_bytes,cg_current_bytes,cg_peak_bytes,cg_limit_bytes,"
                        "cg_high_bytes,cg_anon_bytes,cg_file_bytes,cg_kernel_bytes,cg_swap_bytes") &&
                  strcmp(h + strlen(h) - strlen("cg_swap_bytes"), "cg_swap_bytes") == 0,
              "%s", h);
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, 8), 0);
    mw_stats st = cg_stats();
    mw__sample x;
    mw__sample_from_stats(&x, &st);
    mw__capture_add(&c, &x);
    cr_assert_eq(mw__capture_mark(&c, "oom_kill"), 0);
    char text[4096];
    size_t n = (size_t)snprintf(text, sizeof(text), "%s\n", h);
    n += mw__csv_format_row(text + n, sizeof(text) - n, &c, mw__ring_last(&c.ring), "oom_kill");
    cr_assert(strstr(text, ",50331648,62914560,67108864,18446744073709551615,41943040,8388608,,0\n"),
              "the cgroup cells: a limit, \"no limit\" as the top value, an empty unknown: %s",
              text);
    mw__capture b;
    char err[256];
    cr_assert_eq(mw__capture_init(&b, 8), 0);
    cr_assert_eq(mw__csv_load_mem(text, n, "t.csv", &b, err, sizeof(err)), 0, "%s", err);
    const mw__sample *y = mw__ring_last(&b.ring);
    cr_assert_eq(y->valid, x.valid);
    for (int f = MW__FIELD_CG_CURRENT; f <= MW__FIELD_CG_SWAP; f++)
        cr_assert_eq(mw__sample_field(y, (mw__field)f), mw__sample_field(&x, (mw__field)f),
                     "%s", mw__fields[f].name);
    char cell[MW__MARKER_CELL];
    cr_assert_str_eq(mw__capture_marker(&b, mw__ring_end(&b.ring) - 1, cell, sizeof(cell)),
                     "oom_kill", "the event's mark reads back");
    mw__capture_destroy(&b);
    mw__capture_destroy(&c);
}

/* A copy of a fixture cgroup directory in a new temporary directory (its path into dir). */
static void copy_fixture(const char *rel, char *dir, size_t n)
{
    snprintf(dir, n, "%s", "/tmp/mw-cgwatch-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    char cmd[2048];
    snprintf(cmd, sizeof(cmd), "cp '%s/%s'/* '%s'/", fixtures(), rel, dir);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

static void rm_dir(const char *dir)
{
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* Wait (5 s at most) for a sample that satisfies ok, reading every sample in turn (none is
 * skipped, however late this thread wakes); its copy into *out. */
static bool wait_sample(mw_watcher *w, uint64_t *seq, bool (*ok)(const mw_stats *),
                        mw_stats *out)
{
    for (int i = 0; i < 500; i++) {
        mw_stats buf[64];
        size_t n;
        while ((n = mw_watcher_history_since(w, seq, buf, 64, NULL)) > 0)
            for (size_t k = 0; k < n; k++)
                if (ok(&buf[k])) {
                    *out = buf[k];
                    return true;
                }
        usleep(10000);
    }
    return false;
}

static bool any(const mw_stats *s) { return s->valid & MW_HAVE_CG_CURRENT; }
static bool oom_flagged(const mw_stats *s) { return s->flags & MW_SAMPLE_CG_OOM_KILL; }

/* A watcher of a copy of the nginx fixture (into dir) alone, every 5 ms, started; its first
 * sample with the cgroup's figures into *first, and the samples read so far in *seq. */
static mw_watcher *watch_fixture(char *dir, size_t n, uint64_t *seq, mw_stats *first)
{
    copy_fixture(NGINX, dir, n);
    mw_config cfg = mw_config_default();
    cfg.interval_ms = 5;
    mw_watcher *w = mw_watcher_new(&cfg);
    cr_assert_not_null(w);
    cr_assert_eq(mw__watcher_set_cgroup(w, dir, 2, true), 0);
    cr_assert_eq(mw_watcher_start(w), 0);
    *seq = 0;
    cr_assert(wait_sample(w, seq, any, first));
    return w;
}

Test(cgwatch, sampler_reads_a_cgroup_alone_and_flags_a_rise_of_its_oom_kill_count)
{
    if (strcmp(mw__probe_name, "linux") != 0) /* --with-probe=none reads no cgroup either */
        cr_skip_test("probe is %s: cgroups are Linux's", mw__probe_name);
    char dir[64];
    mw_stats s;
    uint64_t seq;
    mw_watcher *w = watch_fixture(dir, sizeof(dir), &seq, &s);
    cr_assert_eq(s.cg_current_size, 52428800);
    cr_assert_eq(s.cg_peak_size, 73400320);
    cr_assert_eq(s.cg_limit, 536870912);
    cr_assert_eq(s.cg_high, MW_CG_UNLIMITED);
    cr_assert_eq(s.cg_anon_size, 31457280);
    cr_assert_eq(s.cg_file_size, 16777216);
    cr_assert_eq(s.cg_kernel_size, 2097152);
    cr_assert_eq(s.cg_swap_size, 4096);
    cr_assert_eq(s.nprocs, 0, "no process is watched");
    cr_assert_eq(s.physical_size, 0);
    cr_assert_not(s.flags & MW_SAMPLE_CG_OOM_KILL, "the first reading is no event");
    mw_watcher_status ws;
    cr_assert_eq(mw_watcher_get_status(w, &ws), 0);
    cr_assert_eq(ws.pid, 0);
    /* The kernel's count rises (the file rewritten in place, same length, one write: the kept
     * fd reads it anew, never a truncated file). */
    char path[128];
    snprintf(path, sizeof(path), "%s/memory.events", dir);
    int fd = open(path, O_WRONLY);
    cr_assert_geq(fd, 0);
    static const char ev[] = "low 0\nhigh 7\nmax 3\noom 3\noom_kill 2\noom_group_kill 0\n";
    cr_assert_eq(pwrite(fd, ev, sizeof(ev) - 1, 0), (ssize_t)(sizeof(ev) - 1));
    close(fd);
    cr_assert(wait_sample(w, &seq, oom_flagged, &s), "the rise becomes an event of a sample");
    cr_assert_not(s.flags & MW_SAMPLE_CG_HIGH, "memory.high's count did not move");
    mw_watcher_free(w);
    rm_dir(dir);
}

/* A program built against 0.2.0 reads history with its own, smaller mw_stats: it gets that
 * prefix and not a byte more, the cgroup figures being past it. */
Test(cgwatch, an_old_binarys_history_stops_at_its_own_struct_size)
{
    if (strcmp(mw__probe_name, "linux") != 0) /* --with-probe=none reads no cgroup either */
        cr_skip_test("probe is %s: cgroups are Linux's", mw__probe_name);
    char dir[64];
    mw_stats s;
    uint64_t seq;
    mw_watcher *w = watch_fixture(dir, sizeof(dir), &seq, &s);
    size_t old = offsetof(mw_stats, cg_current_size); /* 0.2.0's layout ends there */
    unsigned char buf[2 * sizeof(mw_stats)];
    memset(buf, 0xa5, sizeof(buf));
    cr_assert_eq(mw_watcher_history_sized(w, (mw_stats *)(void *)buf, 1, old), 1);
    for (size_t i = old; i < sizeof(buf); i++)
        cr_assert_eq(buf[i], 0xa5, "byte %zu past the old struct was written", i);
    mw_watcher_free(w);
    rm_dir(dir);
}

Test(cgwatch, set_cgroup_refuses_a_bad_path_or_version)
{
    mw_watcher *w = mw_watcher_new(NULL);
    cr_assert_not_null(w);
    cr_assert_eq(mw__watcher_set_cgroup(w, "", 2, true), MW_EINVAL);
    cr_assert_eq(mw__watcher_set_cgroup(w, NULL, 2, true), MW_EINVAL);
    cr_assert_eq(mw__watcher_set_cgroup(w, "/x", 3, true), MW_EINVAL);
    cr_assert_eq(mw__watcher_set_cgroup(w, "/nonexistent-cgroup-dir", 2, true), 0);
    cr_assert_neq(mw_watcher_start(w), 0, "a cgroup that is not there does not start");
    mw_watcher_free(w);
}
