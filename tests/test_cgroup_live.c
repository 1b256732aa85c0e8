/* SPDX-License-Identifier: MIT */
/* test_cgroup_live.c — the cgroup reader on the live v1 memory hierarchy, with real processes and a real OOM kill. */
#include "config.h"

#include <criterion/criterion.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "cgroup.h"
#include "probe.h"
#include "watch_fixtures.h"

/* Needs root and a writable v1 memory controller at /sys/fs/cgroup/memory (the CI machine has
 * one); skips otherwise. Each test makes its own cgroup, mw-test-<pid>-<tag>, and its .fini
 * removes it even after a failed assertion: the test's processes in it are killed first. */

#define V1_MEMORY "/sys/fs/cgroup/memory"

static char cg_dir[256];

static void need_live(void)
{
    if (strcmp(mw__probe_name, "linux") != 0)
        cr_skip_test("probe is %s: cgroups are Linux-only", mw__probe_name);
    if (geteuid() != 0)
        cr_skip_test("not root: cannot create a cgroup");
    if (access(V1_MEMORY "/cgroup.procs", W_OK) != 0)
        cr_skip_test("no writable cgroup v1 memory controller at " V1_MEMORY);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s: %s", path, strerror(errno));
    int ok = fputs(text, f) >= 0;
    ok = (fclose(f) == 0) && ok;
    cr_assert(ok, "write '%s' to %s: %s", text, path, strerror(errno));
}

static void move_into(pid_t pid)
{
    char s[32];
    snprintf(s, sizeof(s), "%ld\n", (long)pid);
    write_file(cg_dir, "cgroup.procs", s);
}

/* Make this test's cgroup, find it as the library would, and open it. */
static mw__cgroup *make_cgroup(const char *tag, mw__cgroup_where *w)
{
    snprintf(cg_dir, sizeof(cg_dir), V1_MEMORY "/mw-test-%ld-%s", (long)getpid(), tag);
    cr_assert_eq(mkdir(cg_dir, 0755), 0, "mkdir %s: %s", cg_dir, strerror(errno));
    char why[512];
    int rc = mw__cgroup_find(cg_dir, NULL, NULL, w, why, sizeof(why));
    cr_assert_eq(rc, 0, "find %s: %s", cg_dir, why);
    cr_assert_str_eq(w->path, cg_dir);
    cr_assert_eq(w->version, 1);
    mw__cgroup *cg;
    cr_assert_eq(mw__cgroup_open(w, &cg, why, sizeof(why)), 0, "%s", why);
    return cg;
}

/* Kill what is left in the cgroup and remove it; an emptied cgroup may be busy for a moment. */
static void remove_cgroup(void)
{
    if (!cg_dir[0])
        return;
    char path[300];
    snprintf(path, sizeof(path), "%s/cgroup.procs", cg_dir);
    FILE *f = fopen(path, "r");
    long pid;
    while (f && fscanf(f, "%ld", &pid) == 1)
        kill((pid_t)pid, SIGKILL);
    if (f)
        fclose(f);
    poll_until(rmdir(cg_dir) == 0 || errno == ENOENT, SOON_MS);
    cg_dir[0] = '\0';
}

static mw__cgroup_sample read_cg(mw__cgroup *cg)
{
    mw__cgroup_sample s;
    cr_assert_eq(mw__cgroup_read(cg, &s), 0);
    return s;
}

Test(cgroup_live, usage_rises_by_what_a_child_allocates_and_a_limit_reads_back,
     .fini = remove_cgroup)
{
    need_live();
    mw__cgroup_where w;
    mw__cgroup *cg = make_cgroup("usage", &w);
    /* Found by its name too, walking the real hierarchy. */
    mw__cgroup_where by_name;
    char why[512];
    cr_assert_eq(mw__cgroup_find(strrchr(cg_dir, '/') + 1, NULL, NULL, &by_name, why, sizeof(why)), 0,
                 "%s", why);
    cr_expect_str_eq(by_name.path, cg_dir);

    child c;
    child_spawn(&c);
    char reply[256];
    child_cmd(&c, "rss", reply, sizeof(reply));
    move_into(c.pid); /* v1 leaves what it had charged where it was: only new pages count here */
    mw__cgroup_sample before = read_cg(cg);
    cr_expect_eq(before.limit, MW__CG_UNLIMITED, "a new cgroup has no limit");
    child_cmd(&c, "alloc 64", reply, sizeof(reply));
    mw__cgroup_sample after = read_cg(cg);
    double grew = (double)(after.current - before.current) / (double)MIB;
    cr_expect(grew > 60 && grew < 72, "usage grew by %.1f MiB for 64 MiB written", grew);
    cr_expect((double)(after.anon - before.anon) / (double)MIB > 60, "rss rose: %llu -> %llu",
              (unsigned long long)before.anon, (unsigned long long)after.anon);
    cr_expect_geq(after.peak, after.current);
    unsigned want = MW__CG_CURRENT | MW__CG_PEAK | MW__CG_LIMIT | MW__CG_FAILCNT | MW__CG_ANON |
                    MW__CG_FILE | MW__CG_UNDER_OOM;
    cr_expect_eq(after.have & want, want, "have 0x%x", after.have);

    write_file(cg_dir, "memory.limit_in_bytes", "134217728");
    mw__cgroup_sample limited = read_cg(cg);
    cr_expect_eq(limited.limit, 128 * MIB);
    child_cmd(&c, "freeall", reply, sizeof(reply));
    mw__cgroup_sample freed = read_cg(cg);
    cr_expect_lt(freed.current, after.current - 60 * MIB, "usage fell after the child unmapped");
    cr_expect_geq(freed.peak, after.current, "the peak keeps the high point");
    child_reap(&c);
    mw__cgroup_close(cg);
}

Test(cgroup_live, a_removed_cgroup_reads_as_gone, .fini = remove_cgroup)
{
    need_live();
    mw__cgroup_where w;
    mw__cgroup *cg = make_cgroup("gone", &w);
    read_cg(cg);
    cr_assert_eq(rmdir(cg_dir), 0, "%s", strerror(errno));
    mw__cgroup_sample s;
    cr_expect_eq(mw__cgroup_read(cg, &s), MW_ENOPROC);
    /* A new cgroup of the same name is another cgroup: the kept files still say gone. */
    cr_assert_eq(mkdir(cg_dir, 0755), 0);
    cr_expect_eq(mw__cgroup_read(cg, &s), MW_ENOPROC);
    mw__cgroup_close(cg);
}

/* Fork mw-alloc --alloc MIB, moved into the cgroup before it allocates anything. */
static pid_t spawn_into(int mib)
{
    const char *path = getenv("MW_ALLOC");
    if (!path || !*path)
        path = "tests/helpers/mw-alloc";
    if (access(path, X_OK) != 0)
        cr_skip_test("mw-alloc helper not found (set MW_ALLOC)");
    int go[2];
    cr_assert_eq(pipe(go), 0);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        close(go[1]);
        char b;
        if (read(go[0], &b, 1) != 0) /* EOF: the parent has moved it */
            _exit(126);
        char arg[16];
        snprintf(arg, sizeof(arg), "%d", mib);
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0), dup2(null, 1);
        execl(path, "mw-alloc", "--alloc", arg, (char *)NULL);
        _exit(127);
    }
    close(go[0]);
    move_into(pid);
    close(go[1]);
    return pid;
}

Test(cgroup_live, a_child_past_a_small_limit_is_oom_killed_and_the_counters_rise,
     .fini = remove_cgroup)
{
    need_live();
    mw__cgroup_where w;
    mw__cgroup *cg = make_cgroup("oom", &w);
    write_file(cg_dir, "memory.limit_in_bytes", "33554432");
    char memsw[300];
    snprintf(memsw, sizeof(memsw), "%s/memory.memsw.limit_in_bytes", cg_dir);
    /* With swap the child could page out instead of dying: cap memory + swap too, above the
     * memory limit so that memory's own counter (failcnt) is the one that hits first. */
    if (access(memsw, W_OK) == 0)
        write_file(cg_dir, "memory.memsw.limit_in_bytes", "50331648");
    mw__cgroup_sample before = read_cg(cg);
    cr_expect_eq(before.limit, 32 * MIB);
    pid_t pid = spawn_into(64);
    int status = 0;
    cr_assert(poll_until(waitpid(pid, &status, WNOHANG) == pid, 20000), "child still alive");
    cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
              "the child ended with status 0x%x, not SIGKILL", status);
    mw__cgroup_sample after = read_cg(cg);
    cr_expect_gt(after.failcnt, before.failcnt, "failcnt %llu", (unsigned long long)after.failcnt);
    if (after.have & MW__CG_OOM_KILL) /* kernel 4.13+ */
        cr_expect_gt(after.oom_kill, before.oom_kill, "oom_kill %llu",
                     (unsigned long long)after.oom_kill);
    cr_expect_leq(after.peak, 32 * MIB, "the kernel kept the cgroup within its limit");
    cr_expect_gt(after.peak, 24 * MIB, "the child got close to the limit first");
    mw__cgroup_close(cg);
}
