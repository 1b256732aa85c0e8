/* SPDX-License-Identifier: MIT */
/* test_cgroup_make.c — --new-cgroup's library half on the live v1 hierarchy: make, limit, join before exec, kill all, remove. */
#include "config.h"

#include <criterion/criterion.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "probe.h"
#include "watch_fixtures.h"

/* Needs root and a writable v1 memory controller at /sys/fs/cgroup/memory; skips otherwise. Each
 * test's .fini removes what it made, even after a failed assertion. */

#define V1_MEMORY "/sys/fs/cgroup/memory"

static mw__cgroup_where made;

static void need_live(void)
{
    if (strcmp(mw__probe_name, "linux") != 0)
        cr_skip_test("probe is %s: cgroups are Linux-only", mw__probe_name);
    if (geteuid() != 0)
        cr_skip_test("not root: cannot create a cgroup");
    if (access(V1_MEMORY "/cgroup.procs", W_OK) != 0)
        cr_skip_test("no writable cgroup v1 memory controller at " V1_MEMORY);
}

static void cleanup(void)
{
    if (made.path[0]) {
        mw__cgroup_kill_all(&made, 5000, NULL);
        mw__cgroup_remove(&made, 5000);
    }
    memset(&made, 0, sizeof(made));
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Fork a child that joins the cgroup through fd (as launch.c's does, before exec) and then
 * sleeps; returns its PID once cgroup.procs lists it. */
static pid_t child_in(int fd)
{
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        if (write(fd, "0\n", 2) != 2)
            _exit(3);
        execlp("sleep", "sleep", "300", (char *)NULL);
        _exit(127);
    }
    char path[MW__CG_PATH_MAX + 16], line[32];
    snprintf(path, sizeof(path), "%s/cgroup.procs", made.path);
    bool listed = false;
    for (int64_t end = now_ns() + SOON_MS * MS; !listed && now_ns() < end;) {
        FILE *f = fopen(path, "r");
        while (f && fgets(line, sizeof(line), f))
            listed = listed || atol(line) == (long)pid;
        if (f)
            fclose(f);
        if (!listed)
            sleep_ms(5);
    }
    cr_assert(listed, "child %ld never listed in %s", (long)pid, path);
    return pid;
}

Test(cgroup_make, a_new_cgroup_is_a_memory_cgroup_with_its_limit, .fini = cleanup)
{
    need_live();
    char why[512];
    cr_assert_eq(mw__cgroup_make(&made, why, sizeof(why)), 0, "%s", why);
    cr_expect_eq(made.version, 1);
    cr_expect(strncmp(made.path, V1_MEMORY "/memwatch-", strlen(V1_MEMORY "/memwatch-")) == 0, "%s",
              made.path);
    cr_assert(is_dir(made.path));
    mw__cgroup_where second;
    cr_assert_eq(mw__cgroup_make(&second, why, sizeof(why)), 0, "%s", why);
    cr_expect_str_neq(second.path, made.path, "each call makes a new one");
    cr_expect_eq(mw__cgroup_remove(&second, 1000), 0);
    cr_expect_not(is_dir(second.path));

    cr_assert_eq(mw__cgroup_set_limit(&made, 48ull << 20, why, sizeof(why)), 0, "%s", why);
    mw__cgroup *cg;
    mw__cgroup_sample s;
    cr_assert_eq(mw__cgroup_open(&made, &cg, why, sizeof(why)), 0, "%s", why);
    cr_assert_eq(mw__cgroup_read(cg, &s), 0);
    cr_expect_eq(s.limit, 48ull << 20);
    mw__cgroup_close(cg);
    char memsw[MW__CG_PATH_MAX + 40];
    snprintf(memsw, sizeof(memsw), "%s/memory.memsw.limit_in_bytes", made.path);
    FILE *f = fopen(memsw, "r"); /* only where swap is accounted */
    unsigned long long v = 0;
    if (f) {
        cr_expect_eq(fscanf(f, "%llu", &v), 1);
        fclose(f);
        cr_expect_eq(v, 48ull << 20, "swap is capped with memory: memsw %llu", v);
    }
}

Test(cgroup_make, a_child_joins_before_exec_and_kill_all_empties_it, .fini = cleanup)
{
    need_live();
    char why[512];
    cr_assert_eq(mw__cgroup_make(&made, why, sizeof(why)), 0, "%s", why);
    int fd = mw__cgroup_procs_open(&made);
    cr_assert_geq(fd, 0, "rc %d", fd);
    pid_t a = child_in(fd), b = child_in(fd);
    close(fd);
    cr_expect_eq(mw__cgroup_remove(&made, 100), MW_ESYS, "busy while processes are in it");
    unsigned killed = 0;
    cr_assert_eq(mw__cgroup_kill_all(&made, 5000, &killed), 0);
    cr_expect_geq(killed, 2);
    int st;
    cr_expect_eq(waitpid(a, &st, 0), a);
    cr_expect(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
    cr_expect_eq(waitpid(b, &st, 0), b);
    cr_expect(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
    cr_expect_eq(mw__cgroup_kill_all(&made, 100, &killed), 0, "empty: nothing to kill");
    cr_expect_eq(killed, 0);
    cr_expect_eq(mw__cgroup_remove(&made, 5000), 0);
    cr_expect_not(is_dir(made.path));
    cr_expect_eq(mw__cgroup_remove(&made, 100), 0, "already gone is success");
    cr_expect_eq(mw__cgroup_procs_open(&made), MW_ENOPROC);
    memset(&made, 0, sizeof(made));
}
