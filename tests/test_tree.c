/* SPDX-License-Identifier: MIT */
/* test_tree.c — the tree probe's kept fds against real children: bounded, closed, exact identity, and the fallback past the budget. */
#include "config.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "memwatch.h"
#include "probe.h"

/* The probe watches this test process itself; its descendants are fork()ed children that block
 * reading a "hold" pipe (closing our write end ends them all) or are killed one by one. */

static void need_linux(void)
{
    if (strcmp(mw__probe_name, "linux") != 0)
        cr_skip_test("probe is %s, not linux", mw__probe_name);
}

/* Open fds of this process (the directory's own fd left out). */
static int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    cr_assert_not_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n - 1;
}

static int hold[2], ready[2];

static void pool_open(void)
{
    cr_assert_eq(pipe(hold), 0);
    cr_assert_eq(pipe(ready), 0);
}

/* A child that touches mib MiB of its own, forks nkids children of its own (blocking alike),
 * says ready (one byte per process) and blocks. */
static pid_t kid_start(size_t mib, int nkids)
{
    pid_t pid = fork();
    cr_assert(pid >= 0, "fork: %s", strerror(errno));
    if (pid > 0)
        return pid;
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive a failed test */
#endif
    close(hold[1]);
    for (int i = 0; i < nkids; i++) {
        pid_t g = fork();
        if (g < 0)
            _exit(1);
        if (g == 0) {
#ifdef __linux__
            prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
            break;
        }
    }
    if (mib) {
        char *m = mmap(NULL, mib << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED)
            _exit(1);
        memset(m, 1, mib << 20);
    }
    if (write(ready[1], "r", 1) != 1)
        _exit(1);
    char b;
    while (read(hold[0], &b, 1) < 0 && errno == EINTR) {
    }
    while (wait(NULL) > 0 || errno == EINTR) {
    }
    _exit(0);
}

/* Wait until n processes said ready. */
static void await_ready(size_t n)
{
    char buf[256];
    while (n > 0) {
        ssize_t k = read(ready[0], buf, n < sizeof(buf) ? n : sizeof(buf));
        cr_assert(k > 0 || errno == EINTR, "a child did not start");
        if (k > 0)
            n -= (size_t)k;
    }
}

static void kid_end(pid_t pid)
{
    kill(pid, SIGKILL);
    cr_assert_eq(waitpid(pid, NULL, 0), pid);
}

/* Every child ends (the hold pipe closes) and is reaped. */
static void pool_close(void)
{
    close(hold[1]);
    while (wait(NULL) > 0 || errno == EINTR) {
    }
    close(hold[0]);
    close(ready[0]);
    close(ready[1]);
}

/* Can every process of a tree of n keep its two fds (budget: half the soft limit)? */
static int budget_fits(int in_use, size_t n)
{
    struct rlimit rl;
    cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    return (rlim_t)in_use + 2 * n + 8 < rl.rlim_cur / 2 && n < 4096;
}

static const mw_tree_process *find(const mw_tree_process *r, size_t n, pid_t pid)
{
    for (size_t i = 0; i < n; i++)
        if (r[i].pid == pid)
            return &r[i];
    return NULL;
}

Test(tree, kept_fds_follow_children_coming_and_going)
{
    need_linux();
    alarm(60);
    int base = count_fds();
    pool_open(); /* 4 fds more until pool_close */
    mw__probe *p;
    mw_stats st;
    cr_assert_eq(mw__probe_open(getpid(), MW__PROBE_TREE, &p), 0);
    cr_assert_eq(mw__probe_sample(p, &st, NULL), 0);
    cr_assert_eq(st.nprocs, 1);
    int own = count_fds() - base - 4; /* the probe's own: the process's dir, status, children list */
    cr_assert(own >= 2 && own <= 4, "own %d", own);
    pid_t alive[64];
    size_t nalive = 0;
    for (int i = 0; i < 40; i++) {
        size_t end = nalive < (size_t)(i % 3) ? nalive : (size_t)(i % 3);
        for (size_t j = 0; j < end; j++) /* the oldest go */
            kid_end(alive[j]);
        memmove(alive, alive + end, (nalive - end) * sizeof(*alive));
        nalive -= end;
        size_t start = (size_t)(i % 4) + 1;
        for (size_t j = 0; j < start && nalive < 64; j++)
            alive[nalive++] = kid_start(0, 0);
        await_ready(start);
        cr_assert_eq(mw__probe_sample(p, &st, NULL), 0);
        cr_assert_eq(st.nprocs, 1 + nalive, "sample %d: %u", i, (unsigned)st.nprocs);
        int fds = count_fds();
        /* Each child: its status and its children list kept, no more; the gone ones closed. */
        if (budget_fits(fds, nalive))
            cr_assert_eq(fds, base + 4 + own + 2 * (int)nalive, "sample %d: %d fds", i, fds);
        cr_assert(fds <= base + 4 + own + 2 * (int)nalive);
        size_t n;
        const mw_tree_process *r = mw__probe_processes(p, &n);
        cr_assert_eq(n, 1 + nalive);
        for (size_t j = 0; j < nalive; j++)
            cr_assert_not_null(find(r, n, alive[j]), "no record of %d", (int)alive[j]);
    }
    pool_close();
    cr_assert_eq(mw__probe_sample(p, &st, NULL), 0);
    cr_assert_eq(st.nprocs, 1);
    cr_assert_eq(count_fds(), base + own, "the gone children's fds are closed");
    mw__probe_close(p);
    cr_assert_eq(count_fds(), base, "mw__probe_close closes them all");
}

/* A child ends and another takes its place: the newcomer's record is its own. With root (writing
 * ns_last_pid) the newcomer gets the very same PID, and being a fork of ours, the same name: by
 * PID and name alone it would pass for the old one; the kept fd tells them apart. */
static pid_t start_at(pid_t want, size_t mib)
{
    for (int tries = 0; tries < 50; tries++) {
        int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
        if (fd < 0)
            break;
        char num[24];
        int len = snprintf(num, sizeof(num), "%d", (int)want - 1);
        ssize_t w = write(fd, num, (size_t)len);
        close(fd);
        if (w != len)
            break;
        pid_t pid = kid_start(mib, 0);
        await_ready(1);
        if (pid == want)
            return pid;
        kid_end(pid); /* another process of the machine took it first: again */
    }
    return 0;
}

Test(tree, a_new_child_in_an_old_childs_place_has_its_own_record)
{
    need_linux();
    alarm(60);
    pool_open();
    mw__probe *p;
    mw_stats st;
    size_t n;
    cr_assert_eq(mw__probe_open(getpid(), MW__PROBE_TREE, &p), 0);
    pid_t a = kid_start(0, 0);
    await_ready(1);
    cr_assert_eq(mw__probe_sample(p, &st, NULL), 0);
    cr_assert_eq(mw__probe_sample(p, &st, NULL), 0);
    const mw_tree_process *r = mw__probe_processes(p, &n);
    const mw_tree_process *ra = find(r, n, a);
    cr_assert_not_null(ra);
    uint64_t a_first = ra->first_rss;
    kid_end(a);
    pid_t b = start_at(a, 32); /* 32 MiB more than a: a first_rss of its own shows */
    if (b == 0) {
        cr_log_warn("ns_last_pid not writable (not root?): a new child at a new PID instead");
        b = kid_start(32, 0);
        await_ready(1);
    }
    cr_assert_eq(mw__probe_sample(p, &st, NULL), 0);
    cr_assert_eq(st.nprocs, 2);
    r = mw__probe_processes(p, &n);
    cr_assert_eq(n, 2);
    if (b != a)
        cr_assert_null(find(r, n, a), "the gone child's record is gone");
    const mw_tree_process *rb = find(r, n, b);
    cr_assert_not_null(rb);
    cr_assert(rb->rss >= a_first + (24u << 20), "b rss %llu, a first %llu",
              (unsigned long long)rb->rss, (unsigned long long)a_first);
    cr_assert_eq(rb->first_rss, rb->rss, "a record of its own, not the old child's");
    cr_assert_eq(rb->max_rss, rb->rss);
    cr_assert_not(rb->flags & MW_PROC_SPIKE);
    pool_close();
    mw__probe_close(p);
}

/* One child with 1999 children of its own: its list spans pages (~682 PIDs each), read through
 * its kept fd from the second sample on. */
Test(tree, two_thousand_descendants_counted_exactly)
{
    need_linux();
    alarm(120);
    int base = count_fds();
    pool_open(); /* 4 fds more until pool_close */
    kid_start(0, 1999);
    await_ready(2000);
    mw__probe *p;
    mw_stats st;
    cr_assert_eq(mw__probe_open(getpid(), MW__PROBE_TREE, &p), 0);
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(mw__probe_sample(p, &st, NULL), 0);
        cr_assert_eq(st.nprocs, 2001, "sample %d: %u", i, (unsigned)st.nprocs);
        cr_assert_eq(st.nprocs_unreadable, 0);
    }
    int fds = count_fds();
    if (budget_fits(base, 2000)) /* + the pool's 4 and the probe's own 2 to 4 */
        cr_assert(fds >= base + 6 + 2 * 2000 && fds <= base + 8 + 2 * 2000, "%d fds", fds);
    pool_close();
    cr_assert_eq(mw__probe_sample(p, &st, NULL), 0);
    cr_assert_eq(st.nprocs, 1);
    mw__probe_close(p);
    cr_assert_eq(count_fds(), base);
}

/* Open fds numbered from 32 up (the half of a 64-fd table; valgrind keeps its own up there). */
static int high_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        _exit(15);
    struct dirent *e;
    int high = 0;
    while ((e = readdir(d)) != NULL)
        high += e->d_name[0] != '.' && atoi(e->d_name) >= 32 && atoi(e->d_name) != dirfd(d);
    closedir(d);
    return high;
}

/* In a process of its own (its fd limit lowered to 64): 300 children still all counted, read
 * by open/read/close past the budget, and no kept fd at or above half the limit. Exit status:
 * 0, or the step that failed. */
static _Noreturn void small_table(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        _exit(10);
    rl.rlim_cur = 64;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
        _exit(11);
    static pid_t kids[300];
    for (int i = 0; i < 300; i++)
        kids[i] = kid_start(0, 0);
    await_ready(300);
    int high = high_fds();
    mw__probe *p;
    mw_stats st;
    if (mw__probe_open(getpid(), MW__PROBE_TREE, &p) != 0)
        _exit(12);
    for (int i = 0; i < 3; i++) {
        if (mw__probe_sample(p, &st, NULL) != 0)
            _exit(13);
        if (st.nprocs != 301 || st.nprocs_unreadable != 0)
            _exit(14);
    }
    if (high_fds() != high)
        _exit(16);
    mw__probe_close(p);
    /* Its 300 children end and are reaped here (the test still holds the hold pipe open):
     * orphans would be reparented to whichever ancestor reaps — the test runner may be a
     * subreaper — and die there unasked. */
    for (int i = 0; i < 300; i++)
        kill(kids[i], SIGKILL);
    while (wait(NULL) > 0 || errno == EINTR) {
    }
    _exit(0);
}

Test(tree, a_small_fd_table_falls_back_to_open_read_close)
{
    need_linux();
    alarm(60);
    pool_open();
    pid_t sub = fork();
    cr_assert(sub >= 0);
    if (sub == 0) {
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
        small_table();
    }
    int status;
    cr_assert_eq(waitpid(sub, &status, 0), sub);
    pool_close();
    cr_assert(WIFEXITED(status), "status %#x", status);
    cr_assert_eq(WEXITSTATUS(status), 0, "step %d failed", WEXITSTATUS(status));
}
