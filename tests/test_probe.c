/* SPDX-License-Identifier: MIT */
/* test_probe.c — the OS probe and the one-shot API against real processes (tests/helpers/mw-alloc). */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "memwatch.h"
#include "probe.h"

#define MIB (1024ull * 1024ull)

/* probe-linux.c's test hook; weak so this file still links with another backend. */
extern int mw__probe_linux_force_scan __attribute__((weak));

/* Every test here needs the Linux probe, except the one for the "none" backend. */
static void need_linux(void)
{
    if (strcmp(mw__probe_name, "linux") != 0)
        cr_skip_test("probe is %s, not linux", mw__probe_name);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void nap(void) { nanosleep(&(struct timespec){0, 5 * 1000000L}, NULL); }

/* ---- a child running mw-alloc, driven line by line ------------------------------------------ */

typedef struct child {
    pid_t pid;
    FILE *in;  /* its stdin */
    FILE *out; /* its stdout */
} child;

/* MW_ALLOC under make check; otherwise next to this test binary. */
static const char *alloc_path(void)
{
    static char path[PATH_MAX];
    const char *env = getenv("MW_ALLOC");
    if (env && *env)
        return env;
    ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 32);
    cr_assert(n > 0, "set MW_ALLOC to tests/helpers/mw-alloc");
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    strcpy(slash ? slash + 1 : path, "helpers/mw-alloc");
    return path;
}

static child spawn(const char *arg1, const char *arg2)
{
    int to[2], from[2];
    cr_assert_eq(pipe(to), 0);
    cr_assert_eq(pipe(from), 0);
    const char *path = alloc_path();
    child c = {fork(), NULL, NULL};
    cr_assert(c.pid >= 0);
    if (c.pid == 0) {
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive a failed test */
#endif
        dup2(to[0], 0);
        dup2(from[1], 1);
        close(to[0]), close(to[1]), close(from[0]), close(from[1]);
        execl(path, "mw-alloc", arg1, arg2, (char *)NULL);
        _exit(127);
    }
    close(to[0]);
    close(from[1]);
    c.in = fdopen(to[1], "w");
    c.out = fdopen(from[0], "r");
    return c;
}

/* Send one command; its reply line goes to reply. Returns 0 when the reply starts with "ok".
 * Asserts nothing, so that a helper thread may use it too. */
static int try_cmd(child *c, const char *line, char *reply, size_t n)
{
    fprintf(c->in, "%s\n", line);
    if (fflush(c->in) != 0 || !fgets(reply, (int)n, c->out)) {
        snprintf(reply, n, "(no reply; MW_ALLOC=%s)", alloc_path());
        return -1;
    }
    return strncmp(reply, "ok", 2) == 0 ? 0 : -1;
}

/* Send one command and return its reply line (static buffer), which must start with "ok". */
static const char *cmd(child *c, const char *line)
{
    static char reply[1024];
    cr_assert_eq(try_cmd(c, line, reply, sizeof(reply)), 0, "'%s' -> %s", line, reply);
    return reply;
}

static void finish(child *c)
{
    if (c->in)
        fclose(c->in); /* EOF: mw-alloc exits */
    if (c->out)
        fclose(c->out);
    waitpid(c->pid, NULL, 0);
}

static mw_stats sample_pid(pid_t pid, unsigned flags)
{
    mw__probe *p;
    mw_stats st;
    cr_assert_eq(mw__probe_open(pid, flags, &p), 0);
    cr_assert_eq(mw__probe_sample(p, &st, NULL), 0);
    mw__probe_close(p);
    return st;
}

/* A PID that no process has right now. */
static pid_t unused_pid(void)
{
    for (pid_t pid = 4194303; pid > 300; pid--)
        if (kill(pid, 0) != 0 && errno == ESRCH)
            return pid;
    cr_assert_fail("no free pid");
    return 0;
}

/* ---- tests -------------------------------------------------------------------------------- */

Test(probe, rss_rises_and_falls_with_allocation)
{
    need_linux();
    child c = spawn(NULL, NULL);
    cmd(&c, "rss");
    mw__probe *p;
    mw_stats before, after, freed;
    cr_assert_eq(mw__probe_open(c.pid, 0, &p), 0);
    cr_assert_eq(mw__probe_sample(p, &before, NULL), 0);
    cmd(&c, "alloc 100");
    cr_assert_eq(mw__probe_sample(p, &after, NULL), 0);
    double grew = (double)(after.physical_size - before.physical_size) / (double)MIB;
    cr_assert(grew > 95 && grew < 105, "RSS grew by %.1f MiB, expected 100 +- 5%%", grew);
    cr_assert(after.anon_size - before.anon_size > 95 * MIB);
    cr_assert(after.virtual_size >= before.virtual_size + 100 * MIB);
    cr_assert(after.peak_physical_size >= after.physical_size);
    cr_assert_eq(after.nprocs, 1);
    cmd(&c, "free");
    cr_assert_eq(mw__probe_sample(p, &freed, NULL), 0);
    cr_assert(freed.physical_size < before.physical_size + 5 * MIB, "RSS back down after free");
    /* The kernel's RSS counters are per-CPU and approximate: VmHWM recorded at munmap can be
     * ~100 KiB below an RSS read just before. */
    cr_assert(freed.peak_physical_size + MIB >= after.physical_size, "VmHWM keeps the peak: %llu < %llu",
              (unsigned long long)freed.peak_physical_size, (unsigned long long)after.physical_size);
    mw__probe_close(p);
    finish(&c);
}

Test(probe, nonexistent_pid_is_noproc)
{
    need_linux();
    pid_t pid = unused_pid();
    mw__probe *p = (mw__probe *)&p;
    mw_stats st;
    mw_process_info info;
    cr_assert_eq(mw__probe_open(pid, 0, &p), MW_ENOPROC);
    cr_assert_null(p);
    cr_assert_eq(mw_get_process_memory_stats(pid, &st), MW_ENOPROC);
    cr_assert_eq(mw_process_get_info(pid, &info), MW_ENOPROC);
}

Test(probe, exited_process_is_noproc_as_zombie_and_after_reaping)
{
    need_linux();
    child c = spawn(NULL, NULL);
    mw__probe *p;
    mw_stats st;
    cr_assert_eq(mw__probe_open(c.pid, 0, &p), 0);
    cr_assert_eq(mw__probe_sample(p, &st, NULL), 0);
    cmd(&c, "exit 0");
    /* Not reaped yet: it becomes a zombie, which has no memory to report. */
    int rc;
    int64_t deadline = now_ms() + 5000;
    while ((rc = mw__probe_sample(p, &st, NULL)) == 0 && now_ms() < deadline)
        nap();
    cr_assert_eq(rc, MW_ENOPROC);
    finish(&c); /* reaped: the kept fd now fails with ESRCH */
    cr_assert_eq(mw__probe_sample(p, &st, NULL), MW_ENOPROC);
    mw__probe_close(p);
}

Test(probe, zombie_is_noproc_but_describable)
{
    need_linux();
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0)
        _exit(3);
    siginfo_t si;
    /* Wait for the exit but leave the child unreaped: a zombie, without polling. */
    cr_assert_eq(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT), 0);
    mw__probe *p;
    mw_stats st;
    mw_process_info info;
    cr_assert_eq(mw__probe_open(pid, 0, &p), MW_ENOPROC);
    cr_assert_eq(mw_get_process_memory_stats(pid, &st), MW_ENOPROC);
    cr_assert_eq(mw_process_get_info(pid, &info), 0);
    cr_assert_eq(info.state, 'Z');
    cr_assert_str_eq(info.cmdline, "");
    waitpid(pid, NULL, 0);
}

Test(probe, kernel_thread_is_ekthread_not_zero_bytes)
{
    need_linux();
    /* PID 2 is kthreadd on Linux; skip where it is not (e.g. a PID namespace). */
    mw_process_info info;
    if (mw_process_get_info(2, &info) != 0 || strcmp(info.name, "kthreadd") != 0)
        cr_skip_test("no kthreadd at pid 2 here");
    mw__probe *p;
    mw_stats st;
    cr_assert_eq(mw__probe_open(2, 0, &p), MW_EKTHREAD);
    cr_assert_eq(mw_get_process_memory_stats(2, &st), MW_EKTHREAD);
    cr_assert_eq(st.physical_size, 0);
    cr_assert_str_eq(info.cmdline, "");
    cr_assert_str_eq(mw_strerror(MW_EKTHREAD), "a kernel thread: it has no user memory to watch");
}

/* Fork 3 children of 20 MiB each; the tree sample must count and sum them. */
static void check_tree_sum(void)
{
    child c = spawn(NULL, NULL);
    const char *r = cmd(&c, "fork 3 20");
    pid_t kids[3];
    cr_assert_eq(sscanf(r, "ok pids=%d,%d,%d", &kids[0], &kids[1], &kids[2]), 3, "%s", r);
    mw__probe *p;
    mw_stats tree;
    cr_assert_eq(mw__probe_open(c.pid, MW__PROBE_TREE, &p), 0);
    cr_assert_eq(mw__probe_sample(p, &tree, NULL), 0);
    cr_assert_eq(tree.nprocs, 4);
    uint64_t sum = sample_pid(c.pid, 0).physical_size;
    for (int i = 0; i < 3; i++)
        sum += sample_pid(kids[i], 0).physical_size;
    double diff = (double)tree.physical_size - (double)sum;
    cr_assert(diff < 0.05 * (double)sum && -diff < 0.05 * (double)sum, "tree %llu vs sum %llu",
              (unsigned long long)tree.physical_size, (unsigned long long)sum);
    cr_assert(tree.anon_size >= 3 * 19 * MIB);
    cr_assert_eq(tree.shared_size, tree.file_size + tree.shmem_size);
    /* Children gone: the next samples count only the parent. */
    cmd(&c, "kill");
    cr_assert_eq(mw__probe_sample(p, &tree, NULL), 0);
    cr_assert_eq(tree.nprocs, 1);
    mw__probe_close(p);
    finish(&c);
}

Test(probe, tree_mode_sums_and_counts_children)
{
    need_linux();
    check_tree_sum();
}

Test(probe, tree_mode_by_proc_scan_sums_and_counts_children)
{
    need_linux();
    cr_assert_not_null(&mw__probe_linux_force_scan);
    mw__probe_linux_force_scan = 1;
    check_tree_sum();
}

static volatile int churn_done, churn_failed;

static void *churn(void *arg)
{
    child *c = arg;
    char reply[256];
    for (int i = 0; i < 15 && !churn_failed; i++)
        if (try_cmd(c, "fork 4 1", reply, sizeof(reply)) != 0 ||
            try_cmd(c, "kill", reply, sizeof(reply)) != 0)
            churn_failed = 1;
    churn_done = 1;
    return NULL;
}

Test(probe, tree_mode_survives_children_coming_and_going)
{
    need_linux();
    child c = spawn(NULL, NULL);
    mw__probe *p;
    mw_stats st;
    cr_assert_eq(mw__probe_open(c.pid, MW__PROBE_TREE, &p), 0);
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, churn, &c), 0);
    int samples = 0;
    while (!churn_done) {
        cr_assert_eq(mw__probe_sample(p, &st, NULL), 0, "sample %d", samples);
        cr_assert(st.nprocs >= 1 && st.nprocs <= 5);
        samples++;
    }
    pthread_join(t, NULL);
    cr_assert_not(churn_failed, "mw-alloc fork/kill failed");
    cr_assert(samples > 0);
    mw__probe_close(p);
    finish(&c);
}

Test(probe, reset_peak_mode_resets_high_water_mark)
{
    need_linux();
    child c = spawn(NULL, NULL);
    cmd(&c, "spike 100 0"); /* VmHWM now >= 100 MiB while RSS is small again */
    mw__probe *p;
    mw_stats st;
    int err = -1;
    cr_assert_eq(mw__probe_open(c.pid, MW__PROBE_RESET_PEAK, &p), 0);
    cr_assert_eq(mw__probe_sample(p, &st, &err), 0);
    cr_assert_eq(err, 0);
    cr_assert(st.peak_physical_size >= 100 * MIB, "the spike is in VmHWM before the reset");
    cr_assert_eq(mw__probe_sample(p, &st, &err), 0);
    cr_assert_eq(err, 0);
    cr_assert(st.peak_physical_size < 50 * MIB, "reset: VmHWM %llu",
              (unsigned long long)st.peak_physical_size);
    mw__probe_close(p);
    /* Without the flag nothing is reset. */
    cmd(&c, "spike 80 0");
    cr_assert(sample_pid(c.pid, 0).peak_physical_size >= 80 * MIB);
    cr_assert(sample_pid(c.pid, 0).peak_physical_size >= 80 * MIB);
    finish(&c);
}

Test(probe, reset_peak_not_permitted_still_samples)
{
    need_linux();
    /* PID 1 belongs to root: its status is world-readable, its clear_refs is not writable by
     * an ordinary user. As root, become one first (this test runs in its own process). */
    if (geteuid() == 0 && (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0))
        cr_skip_test("cannot drop privileges");
    mw__probe *p;
    mw_stats st;
    int err = 0;
    int rc = mw__probe_open(1, MW__PROBE_RESET_PEAK, &p);
    if (rc == MW_EPERM)
        cr_skip_test("pid 1 is hidden here (hidepid)");
    cr_assert_eq(rc, 0);
    cr_assert_eq(mw__probe_sample(p, &st, &err), 0);
    cr_assert_eq(err, MW_EPERM);
    cr_assert_eq(mw__probe_sample(p, &st, NULL), 0, "a NULL peak_reset_err is fine");
    mw__probe_close(p);
}

Test(probe, self_sample_through_public_api)
{
    need_linux();
    mw_stats s, t;
    cr_assert_eq(mw_get_memory_stats(&s), 0);
    cr_assert(s.physical_size > 0);
    cr_assert(s.virtual_size >= s.physical_size);
    cr_assert_eq(s.shared_size, s.file_size + s.shmem_size);
    cr_assert_eq(s.nprocs, 1);
    cr_assert(s.timestamp.tv_sec > 0 || s.timestamp.tv_nsec > 0);
    cr_assert_eq(mw_get_process_memory_stats(getpid(), &t), 0);
    cr_assert(t.timestamp.tv_sec > s.timestamp.tv_sec ||
              (t.timestamp.tv_sec == s.timestamp.tv_sec && t.timestamp.tv_nsec >= s.timestamp.tv_nsec));
    cr_assert_float_eq(mw_stats_physical_mb(&s), (double)s.physical_size / MIB, 1e-9);
    cr_assert_float_eq(mw_stats_virtual_mb(&s), (double)s.virtual_size / MIB, 1e-9);
    cr_assert_float_eq(mw_stats_shared_mb(&s), (double)s.shared_size / MIB, 1e-9);
}

Test(probe, info_of_a_child_shows_name_cmdline_state)
{
    need_linux();
    child c = spawn("--alloc", "1");
    cmd(&c, "rss");
    mw_process_info info;
    /* It sleeps in read() once it waits for the next command. */
    for (int64_t deadline = now_ms() + 5000;; nap()) {
        cr_assert_eq(mw_process_get_info(c.pid, &info), 0);
        if (info.state == 'S' || now_ms() > deadline)
            break;
    }
    cr_assert_eq(info.pid, c.pid);
    cr_assert_str_eq(info.name, "mw-alloc");
    cr_assert_str_eq(info.cmdline, "mw-alloc --alloc 1");
    cr_assert_eq(info.state, 'S');
    cr_assert(info.start_time > 0);
    mw_process_info self;
    cr_assert_eq(mw_process_get_info(0, &self), 0);
    cr_assert_eq(self.pid, getpid());
    cr_assert(self.start_time <= info.start_time);
    finish(&c);
}

Test(probe, reused_pid_is_reported_as_reused)
{
    need_linux();
    /* Needs CAP_SYS_ADMIN to steer the next PID through ns_last_pid; other forks on the machine
     * may take it first, so try a few times. */
    int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        cr_skip_test("cannot open ns_last_pid");
    for (int attempt = 0; attempt < 20; attempt++) {
        child a = spawn(NULL, NULL);
        cmd(&a, "rss");
        mw__probe *p;
        mw_stats st;
        cr_assert_eq(mw__probe_open(a.pid, 0, &p), 0);
        finish(&a);
        char num[16];
        int n = snprintf(num, sizeof(num), "%d", a.pid - 1);
        if (pwrite(fd, num, (size_t)n, 0) != n) {
            mw__probe_close(p);
            close(fd);
            cr_skip_test("cannot set ns_last_pid (needs CAP_SYS_ADMIN)");
        }
        child b = spawn(NULL, NULL);
        cmd(&b, "rss");
        int rc = mw__probe_sample(p, &st, NULL);
        mw__probe_close(p);
        finish(&b);
        if (b.pid == a.pid) {
            cr_assert_eq(rc, MW_EREUSED, "PID %d reused: sample says %d (%s)", (int)b.pid, rc, mw_strerror(rc));
            close(fd);
            return;
        }
        /* Some other process may have taken the number instead: reused too, or still free. */
        cr_assert(rc == MW_ENOPROC || rc == MW_EREUSED, "rc %d", rc);
    }
    close(fd);
    cr_skip_test("could not get the same pid again");
}

Test(probe, invalid_arguments_are_einval)
{
    mw__probe *p;
    mw_stats st;
    mw_process_info info;
    cr_assert_eq(mw_get_process_memory_stats(-1, &st), MW_EINVAL);
    cr_assert_eq(mw_get_process_memory_stats(1, NULL), MW_EINVAL);
    cr_assert_eq(mw_get_memory_stats(NULL), MW_EINVAL);
    cr_assert_eq(mw_process_get_info(-5, &info), MW_EINVAL);
    cr_assert_eq(mw_process_get_info(1, NULL), MW_EINVAL);
    cr_assert_eq(mw_stats_physical_mb(NULL), 0.0);
    cr_assert_eq(mw_stats_virtual_mb(NULL), 0.0);
    cr_assert_eq(mw_stats_shared_mb(NULL), 0.0);
    mw__probe_close(NULL);
    if (strcmp(mw__probe_name, "linux") != 0)
        return;
    cr_assert_eq(mw__probe_open(0, 0, &p), MW_EINVAL, "pid 0 is the caller's to resolve");
    cr_assert_eq(mw__probe_open(-1, 0, &p), MW_EINVAL);
    cr_assert_eq(mw__probe_open(getpid(), 0, NULL), MW_EINVAL);
    cr_assert_eq(mw__probe_sample(NULL, &st, NULL), MW_EINVAL);
    cr_assert_eq(mw__probe_info(0, &info), MW_EINVAL);
}

Test(probe, unsupported_backend_says_so)
{
    if (strcmp(mw__probe_name, "none") != 0)
        cr_skip_test("probe is %s", mw__probe_name);
    mw__probe *p;
    mw_stats st;
    mw_process_info info;
    cr_assert_eq(mw__probe_open(getpid(), 0, &p), MW_EUNSUPPORTED);
    cr_assert_eq(mw_get_memory_stats(&st), MW_EUNSUPPORTED);
    cr_assert_eq(mw_process_get_info(getpid(), &info), MW_EUNSUPPORTED);
}
