/* SPDX-License-Identifier: MIT */
/* test_cgroup.c — the cgroup parsers on fixture texts, and discovery and reading on fixture trees (v1 and v2). */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "probe.h"

/* Fixtures: tests/fixtures/cgroup-v2 and cgroup-v1 (see their README), each a mountinfo text and
 * a tree under root/ that discovery walks as it would /sys/fs/cgroup. The live v1 hierarchy is
 * tested in test_cgroup_live.c. */

#define MIB (1024ull * 1024ull)

static const char *fixtures(void)
{
    const char *d = getenv("MW_FIXTURES");
    return d && *d ? d : "../tests/fixtures";
}

/* Read fixture file rel (under tests/fixtures) whole into a static buffer; *len its length. */
static const char *fixture(const char *rel, size_t *len)
{
    static char buf[65536];
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", fixtures(), rel);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "fixture %s (set MW_FIXTURES)", path);
    *len = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[*len] = '\0';
    return buf;
}

/* Discovery and reading go through the OS's files: Linux only (cgroup-none.c elsewhere). */
static void need_linux(void)
{
    if (strcmp(mw__probe_name, "linux") != 0)
        cr_skip_test("probe is %s: cgroups are Linux-only", mw__probe_name);
}

/* mw__cgroup_find on fixture tree `tree` (cgroup-v1 or cgroup-v2) with its mountinfo `mi`. */
static int find_in(const char *tree, const char *mi, const char *spec, mw__cgroup_where *w,
                   char *why, size_t n)
{
    char root[1024], mpath[1024];
    snprintf(root, sizeof(root), "%s/%s/root", fixtures(), tree);
    snprintf(mpath, sizeof(mpath), "%s/%s/%s", fixtures(), tree, mi);
    return mw__cgroup_find(spec, root, mpath, w, why, n);
}

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcmp(s + a - b, tail) == 0;
}

/* ---- values, stat, events, oom_control ---------------------------------------------------- */

Test(cgroup, value_reads_numbers_max_and_v1s_huge_unlimited)
{
    uint64_t v = 1;
    cr_expect_eq(mw__cg_parse_value("536870912\n", 10, &v), 0);
    cr_expect_eq(v, 512 * MIB);
    cr_expect_eq(mw__cg_parse_value("max\n", 4, &v), 0);
    cr_expect_eq(v, MW__CG_UNLIMITED);
    cr_expect_eq(mw__cg_parse_value("9223372036854771712\n", 20, &v), 0);
    cr_expect_eq(v, MW__CG_UNLIMITED, "v1's page-counter maximum is no limit");
    cr_expect_eq(mw__cg_parse_value("0\n", 2, &v), 0);
    cr_expect_eq(v, 0);
    cr_expect_eq(mw__cg_parse_value("", 0, &v), MW_EINVAL);
    cr_expect_eq(mw__cg_parse_value("12k\n", 4, &v), MW_EINVAL);
    cr_expect_eq(mw__cg_parse_value("99999999999999999999", 20, &v), MW_EINVAL, "overflow");
    cr_expect_eq(mw__cg_parse_value("maximum", 7, &v), MW_EINVAL);
}

Test(cgroup, v2_stat_gives_the_breakdown_and_prefers_the_kernel_line)
{
    size_t len;
    const char *t = fixture("cgroup-v2/root/sys/fs/cgroup/system.slice/nginx.service/memory.stat", &len);
    mw__cgroup_sample s = {0};
    cr_assert_eq(mw__cg_parse_v2_stat(t, len, &s), 0);
    cr_expect_eq(s.anon, 30 * MIB);
    cr_expect_eq(s.file, 16 * MIB);
    cr_expect_eq(s.kernel, 2 * MIB, "the kernel line, not kernel_stack + slab");
    cr_expect_eq(s.shmem, 1 * MIB);
    cr_expect_eq(s.sock, 8192);
    cr_expect_eq(s.mapped, 6 * MIB);
    cr_expect_eq(s.have, MW__CG_ANON | MW__CG_FILE | MW__CG_KERNEL | MW__CG_SHMEM | MW__CG_SOCK |
                             MW__CG_MAPPED, "have 0x%x: no swap, no events from stat", s.have);
}

Test(cgroup, v2_stat_before_5_18_sums_kernel_stack_and_slab)
{
    size_t len;
    const char *t = fixture(
        "cgroup-v2/root/sys/fs/cgroup/system.slice/docker-3f4e5d6c7b8a9f01.scope/memory.stat", &len);
    mw__cgroup_sample s = {0};
    cr_assert_eq(mw__cg_parse_v2_stat(t, len, &s), 0);
    cr_expect_eq(s.kernel, 327680 + 2621440);
    cr_expect(s.have & MW__CG_KERNEL);
    mw__cgroup_sample only_slab = {0};
    cr_assert_eq(mw__cg_parse_v2_stat("anon 4096\nslab 8192\n", 20, &only_slab), 0);
    cr_expect_not(only_slab.have & MW__CG_KERNEL, "half of the kernel's figure is not the figure");
}

Test(cgroup, v2_events_count_high_max_oom_and_kills)
{
    size_t len;
    const char *t = fixture("cgroup-v2/root/sys/fs/cgroup/system.slice/nginx.service/memory.events", &len);
    mw__cgroup_sample s = {0};
    cr_assert_eq(mw__cg_parse_v2_events(t, len, &s), 0);
    cr_expect_eq(s.ev_low, 0);
    cr_expect_eq(s.ev_high, 7);
    cr_expect_eq(s.ev_max, 3);
    cr_expect_eq(s.ev_oom, 2);
    cr_expect_eq(s.oom_kill, 1);
    cr_expect_eq(s.have, MW__CG_EV_LOW | MW__CG_EV_HIGH | MW__CG_EV_MAX | MW__CG_EV_OOM |
                             MW__CG_OOM_KILL);
}

Test(cgroup, v1_stat_of_a_real_cgroup_gives_rss_cache_shmem_mapped_swap)
{
    size_t len;
    const char *t = fixture("cgroup-v1/root/sys/fs/cgroup/memory/docker/"
                            "3f4e5d6c7b8a9f0112233445566778899aabbccddeeff00112233445566778/memory.stat",
                            &len);
    mw__cgroup_sample s = {0};
    cr_assert_eq(mw__cg_parse_v1_stat(t, len, &s), 0);
    cr_expect_eq(s.anon, 42270720);
    cr_expect_eq(s.file, 4096);
    cr_expect_eq(s.shmem, 0);
    cr_expect_eq(s.mapped, 0);
    cr_expect_eq(s.swap, 0);
    cr_expect_eq(s.have, MW__CG_ANON | MW__CG_FILE | MW__CG_SHMEM | MW__CG_MAPPED | MW__CG_SWAP,
                 "have 0x%x: v1 has no kernel or sock line", s.have);
}

Test(cgroup, v1_stat_prefers_the_hierarchical_total_in_either_order)
{
    const char *a = "rss 10\ncache 5\ntotal_rss 30\n", *b = "total_rss 30\nrss 10\ncache 5\n";
    mw__cgroup_sample s = {0}, t = {0};
    cr_assert_eq(mw__cg_parse_v1_stat(a, strlen(a), &s), 0);
    cr_assert_eq(mw__cg_parse_v1_stat(b, strlen(b), &t), 0);
    cr_expect_eq(s.anon, 30);
    cr_expect_eq(t.anon, 30);
    cr_expect_eq(s.file, 5, "a figure without a total_ line keeps the local one");
    cr_expect_eq(s.have, MW__CG_ANON | MW__CG_FILE);
}

Test(cgroup, v1_oom_control_gives_under_oom_and_kills_where_the_kernel_counts_them)
{
    size_t len;
    const char *t = fixture("cgroup-v1/root/sys/fs/cgroup/memory/memory.oom_control", &len);
    mw__cgroup_sample s = {0};
    cr_assert_eq(mw__cg_parse_v1_oom(t, len, &s), 0);
    cr_expect_eq(s.have, MW__CG_UNDER_OOM | MW__CG_OOM_KILL);
    cr_expect_eq(s.under_oom, 0);
    const char *old = "oom_kill_disable 0\nunder_oom 1\n"; /* before 4.13: no oom_kill */
    mw__cgroup_sample o = {0};
    cr_assert_eq(mw__cg_parse_v1_oom(old, strlen(old), &o), 0);
    cr_expect_eq(o.under_oom, 1);
    cr_expect_eq(o.have, MW__CG_UNDER_OOM, "no kill count is unknown, not 0");
}

Test(cgroup, malformed_texts_are_refused)
{
    mw__cgroup_sample s = {0};
    cr_expect_eq(mw__cg_parse_v2_stat("anon x\n", 7, &s), MW_EINVAL);
    cr_expect_eq(mw__cg_parse_v2_stat("anon\n", 5, &s), MW_EINVAL);
    cr_expect_eq(mw__cg_parse_v2_events(" 5\n", 3, &s), MW_EINVAL);
    cr_expect_eq(mw__cg_parse_v1_stat("rss -1\n", 7, &s), MW_EINVAL);
    cr_expect_eq(mw__cg_parse_v1_oom("under_oom 1", 11, NULL), MW_EINVAL);
    cr_expect_eq(mw__cg_parse_v2_stat("", 0, &s), 0, "an empty text is no figures, not an error");
}

/* ---- mountinfo and names ------------------------------------------------------------------ */

Test(cgroup, mountinfo_finds_the_v1_memory_mount_and_the_v2_one)
{
    size_t len;
    const char *t = fixture("cgroup-v1/mountinfo", &len);
    mw__cg_mounts m;
    cr_assert_eq(mw__cg_parse_mountinfo(t, len, &m), 0);
    cr_expect_str_eq(m.v1_memory, "/sys/fs/cgroup/memory");
    cr_expect_str_eq(m.v2, "/sys/fs/cgroup/unified");
    cr_expect(m.any_v1);
    t = fixture("cgroup-v2/mountinfo", &len);
    cr_assert_eq(mw__cg_parse_mountinfo(t, len, &m), 0);
    cr_expect_str_eq(m.v1_memory, "");
    cr_expect_str_eq(m.v2, "/sys/fs/cgroup");
    cr_expect_not(m.any_v1);
    t = fixture("cgroup-v1/mountinfo-nocgroup", &len);
    cr_assert_eq(mw__cg_parse_mountinfo(t, len, &m), 0);
    cr_expect(!m.v1_memory[0] && !m.v2[0] && !m.any_v1);
}

Test(cgroup, mountinfo_unescapes_mount_points_and_needs_the_memory_word)
{
    const char *t = "40 31 0:37 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,name=systemd\n"
                    "41 31 0:99 / /srv/mem\\040cg rw shared:3 - cgroup none rw,memory\n"
                    "42 31 0:98 / /x rw - cgroup2 cgroup2 rw,memory_recursiveprot\n";
    mw__cg_mounts m;
    cr_assert_eq(mw__cg_parse_mountinfo(t, strlen(t), &m), 0);
    cr_expect_str_eq(m.v1_memory, "/srv/mem cg");
    cr_expect_str_eq(m.v2, "/x");
    const char *bad = "41 31 0:99 / /srv rw cgroup none rw,memory\n"; /* no " - " */
    cr_expect_eq(mw__cg_parse_mountinfo(bad, strlen(bad), &m), MW_EINVAL);
}

Test(cgroup, container_id_prefix_matches_bare_and_runtime_named_directories)
{
    cr_expect(mw__cg_id_prefix_match("docker-3f4e5d6c7b8a9f01.scope", "3f4e5"));
    cr_expect(mw__cg_id_prefix_match("3f4e5d6c7b8a9f01", "3f4e5"));
    cr_expect(mw__cg_id_prefix_match("libpod-abc123.scope", "abc"));
    cr_expect(mw__cg_id_prefix_match("cri-containerd-abc123.scope", "abc1"));
    cr_expect_not(mw__cg_id_prefix_match("xdocker-3f4e5.scope", "3f4e5"));
    cr_expect_not(mw__cg_id_prefix_match("docker-3f4e5.scope", "3f4f"));
    cr_expect_not(mw__cg_id_prefix_match("docker-3f4e5.scope", ""));
}

/* ---- discovery on fixture trees ----------------------------------------------------------- */

Test(cgroup, v2_finds_a_systemd_unit_by_name)
{
    need_linux();
    mw__cgroup_where w;
    char why[512];
    cr_assert_eq(find_in("cgroup-v2", "mountinfo", "nginx.service", &w, why, sizeof(why)), 0, "%s", why);
    cr_expect_eq(w.version, 2);
    cr_expect(ends_with(w.path, "/root/sys/fs/cgroup/system.slice/nginx.service"), "%s", w.path);
}

Test(cgroup, v2_finds_a_container_by_id_prefix_and_refuses_an_ambiguous_one)
{
    need_linux();
    mw__cgroup_where w;
    char why[512];
    cr_assert_eq(find_in("cgroup-v2", "mountinfo", "3f4e5", &w, why, sizeof(why)), 0, "%s", why);
    cr_expect(ends_with(w.path, "/system.slice/docker-3f4e5d6c7b8a9f01.scope"), "%s", w.path);
    cr_expect_eq(find_in("cgroup-v2", "mountinfo", "3f4e", &w, why, sizeof(why)), MW_EINVAL);
    cr_expect(strstr(why, "ambiguous") && strstr(why, "2 cgroups"), "%s", why);
    cr_expect_str_eq(w.path, "", "nothing found is nothing half-filled");
    cr_expect_eq(find_in("cgroup-v2", "mountinfo", "worker.service", &w, why, sizeof(why)),
                 MW_EINVAL, "one unit name in two slices");
    cr_expect(strstr(why, "2 cgroups have that name"), "%s", why);
}

Test(cgroup, v2_finds_absolute_relative_and_proc_cgroup_style_paths)
{
    need_linux();
    const char *specs[] = {"/sys/fs/cgroup/system.slice/nginx.service", "system.slice/nginx.service",
                           "/system.slice/nginx.service", "/sys/fs/cgroup/system.slice/../system.slice/nginx.service"};
    for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
        mw__cgroup_where w;
        char why[512];
        cr_assert_eq(find_in("cgroup-v2", "mountinfo", specs[i], &w, why, sizeof(why)), 0, "%s: %s",
                     specs[i], why);
        cr_expect(ends_with(w.path, "/root/sys/fs/cgroup/system.slice/nginx.service"), "%s -> %s",
                  specs[i], w.path);
    }
}

Test(cgroup, v2_errors_say_why_in_one_line)
{
    need_linux();
    mw__cgroup_where w;
    char why[512];
    cr_expect_eq(find_in("cgroup-v2", "mountinfo", "nosuch.service", &w, why, sizeof(why)), MW_ENOPROC);
    cr_expect(strstr(why, "no cgroup named nosuch.service"), "%s", why);
    cr_expect_eq(find_in("cgroup-v2", "mountinfo", "nomem.slice", &w, why, sizeof(why)), MW_EUNSUPPORTED);
    cr_expect(strstr(why, "no memory controller"), "%s", why);
    cr_expect_eq(find_in("cgroup-v2", "mountinfo", "/sys/fs/cgroup/cgroup.procs", &w, why, sizeof(why)),
                 MW_EINVAL);
    cr_expect(strstr(why, "not a cgroup"), "%s", why);
    cr_expect_eq(find_in("cgroup-v2", "mountinfo", "/sys/fs/cgroup/../../../../mountinfo", &w, why,
                         sizeof(why)), MW_EINVAL, "a path may not climb out of the hierarchy");
    cr_expect(strstr(why, "not in the memory cgroup hierarchy"), "%s", why);
    cr_expect_eq(find_in("cgroup-v2", "mountinfo", "", &w, why, sizeof(why)), MW_EINVAL);
    cr_expect_null(strchr(why, '\n'), "one line");
}

Test(cgroup, v1_finds_a_docker_container_and_a_unit_in_the_memory_hierarchy)
{
    need_linux();
    mw__cgroup_where w;
    char why[512];
    cr_assert_eq(find_in("cgroup-v1", "mountinfo", "3f4e5d", &w, why, sizeof(why)), 0, "%s", why);
    cr_expect_eq(w.version, 1);
    cr_expect(ends_with(w.path, "/root/sys/fs/cgroup/memory/docker/"
                                "3f4e5d6c7b8a9f0112233445566778899aabbccddeeff00112233445566778"), "%s", w.path);
    cr_assert_eq(find_in("cgroup-v1", "mountinfo", "nginx.service", &w, why, sizeof(why)), 0, "%s", why);
    cr_expect(ends_with(w.path, "/memory/system.slice/nginx.service"), "%s", w.path);
    cr_assert_eq(find_in("cgroup-v1", "mountinfo", "/sys/fs/cgroup/memory", &w, why, sizeof(why)), 0,
                 "%s", why);
    cr_expect_eq(w.version, 1, "v1's root cgroup has the memory files");
    cr_expect_eq(find_in("cgroup-v1", "mountinfo", "3f4e", &w, why, sizeof(why)), MW_EINVAL);
}

Test(cgroup, v1_machine_without_memory_anywhere_says_so)
{
    need_linux();
    mw__cgroup_where w;
    char why[512];
    cr_expect_eq(find_in("cgroup-v1", "mountinfo", "/sys/fs/cgroup/unified", &w, why, sizeof(why)),
                 MW_EUNSUPPORTED, "the v2 tree beside v1 has no memory controller");
    cr_expect(strstr(why, "does not offer the memory controller"), "%s", why);
    cr_expect_eq(find_in("cgroup-v1", "mountinfo-nomemory", "nginx.service", &w, why, sizeof(why)),
                 MW_EUNSUPPORTED);
    cr_expect(strstr(why, "no memory controller"), "%s", why);
    cr_expect_eq(find_in("cgroup-v1", "mountinfo-nocgroup", "nginx.service", &w, why, sizeof(why)),
                 MW_EUNSUPPORTED);
    cr_expect(strstr(why, "no cgroup filesystem is mounted"), "%s", why);
}

/* ---- reading fixture files through the kept-fd reader ------------------------------------- */

static mw__cgroup_sample read_fixture(const char *tree, const char *spec)
{
    mw__cgroup_where w;
    char why[512];
    cr_assert_eq(find_in(tree, "mountinfo", spec, &w, why, sizeof(why)), 0, "%s", why);
    mw__cgroup *cg;
    cr_assert_eq(mw__cgroup_open(&w, &cg, why, sizeof(why)), 0, "%s", why);
    mw__cgroup_sample s, again;
    cr_assert_eq(mw__cgroup_read(cg, &s), 0);
    cr_assert_eq(mw__cgroup_read(cg, &again), 0, "re-read through the kept fds");
    cr_expect_eq(memcmp(&s, &again, sizeof(s)), 0);
    mw__cgroup_close(cg);
    return s;
}

Test(cgroup, v2_read_gives_every_figure_its_files_hold)
{
    need_linux();
    mw__cgroup_sample s = read_fixture("cgroup-v2", "nginx.service");
    cr_expect_eq(s.version, 2);
    cr_expect_eq(s.current, 50 * MIB);
    cr_expect_eq(s.peak, 70 * MIB);
    cr_expect_eq(s.limit, 512 * MIB);
    cr_expect_eq(s.high, MW__CG_UNLIMITED);
    cr_expect_eq(s.swap, 4096);
    cr_expect_eq(s.oom_kill, 1);
    unsigned want = MW__CG_CURRENT | MW__CG_PEAK | MW__CG_LIMIT | MW__CG_HIGH | MW__CG_SWAP |
                    MW__CG_ANON | MW__CG_FILE | MW__CG_KERNEL | MW__CG_SHMEM | MW__CG_SOCK |
                    MW__CG_MAPPED | MW__CG_EV_LOW | MW__CG_EV_HIGH | MW__CG_EV_MAX | MW__CG_EV_OOM |
                    MW__CG_OOM_KILL;
    cr_expect_eq(s.have, want, "have 0x%x, want 0x%x", s.have, want);
}

Test(cgroup, v2_missing_files_leave_their_figures_unknown)
{
    need_linux();
    /* An older kernel: no memory.peak; no swap accounting: no memory.swap.current. */
    mw__cgroup_sample s = read_fixture("cgroup-v2", "3f4e5");
    cr_expect_eq(s.current, 100 * MIB);
    cr_expect_eq(s.limit, 256 * MIB);
    cr_expect_not(s.have & (MW__CG_PEAK | MW__CG_SWAP | MW__CG_FAILCNT), "have 0x%x", s.have);
    cr_expect_eq(s.peak, 0);
}

Test(cgroup, v1_read_gives_usage_peak_limit_failcnt_and_oom_state)
{
    need_linux();
    mw__cgroup_sample s = read_fixture("cgroup-v1", "3f4e5d");
    cr_expect_eq(s.version, 1);
    cr_expect_eq(s.current, 42754048);
    cr_expect_eq(s.peak, 42754048);
    cr_expect_eq(s.limit, 256 * MIB);
    cr_expect_eq(s.failcnt, 0);
    cr_expect_eq(s.anon, 42270720);
    unsigned want = MW__CG_CURRENT | MW__CG_PEAK | MW__CG_LIMIT | MW__CG_FAILCNT | MW__CG_ANON |
                    MW__CG_FILE | MW__CG_SHMEM | MW__CG_MAPPED | MW__CG_SWAP | MW__CG_UNDER_OOM |
                    MW__CG_OOM_KILL;
    cr_expect_eq(s.have, want, "have 0x%x, want 0x%x", s.have, want);
    mw__cgroup_sample r = read_fixture("cgroup-v1", "/sys/fs/cgroup/memory");
    cr_expect_eq(r.limit, MW__CG_UNLIMITED, "the root's huge limit is no limit");
    cr_expect(r.have & MW__CG_LIMIT);
}

Test(cgroup, open_refuses_a_directory_without_the_memory_files)
{
    need_linux();
    mw__cgroup_where w = {.version = 2};
    snprintf(w.path, sizeof(w.path), "%s/cgroup-v2/root/sys/fs/cgroup/nomem.slice", fixtures());
    mw__cgroup *cg = (mw__cgroup *)&w;
    char why[512];
    cr_expect_eq(mw__cgroup_open(&w, &cg, why, sizeof(why)), MW_EINVAL);
    cr_expect_null(cg);
    cr_expect(strstr(why, "not a memory cgroup"), "%s", why);
    snprintf(w.path, sizeof(w.path), "%s/cgroup-v2/no/such/dir", fixtures());
    cr_expect_eq(mw__cgroup_open(&w, &cg, why, sizeof(why)), MW_ENOPROC);
}

Test(cgroup, unsupported_build_says_cgroups_are_linux_only)
{
    if (strcmp(mw__probe_name, "linux") == 0)
        cr_skip_test("the Linux build reads cgroups");
    mw__cgroup_where w;
    char why[256];
    cr_expect_eq(mw__cgroup_find("nginx.service", NULL, NULL, &w, why, sizeof(why)), MW_EUNSUPPORTED);
    cr_expect(strstr(why, "Linux-only"), "%s", why);
    mw__cgroup *cg = (mw__cgroup *)&w;
    cr_expect_eq(mw__cgroup_open(&w, &cg, why, sizeof(why)), MW_EUNSUPPORTED);
    cr_expect_null(cg);
}
