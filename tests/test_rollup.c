/* SPDX-License-Identifier: MIT */
/* test_rollup.c — mw__probe_rollup (PSS/USS from /proc/PID/smaps_rollup) against real processes. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "memwatch.h"
#include "probe.h"

/* A file of its own rather than more of test_probe.c (already near 500 lines): these tests fork
 * their own children (no mw-alloc) because copy-on-write sharing needs a fork after the touch. */

#define MIB (1024ull * 1024ull)
#define REGION_MIB 64

static void need_linux(void)
{
    if (strcmp(mw__probe_name, "linux") != 0)
        cr_skip_test("probe is %s, not linux", mw__probe_name);
}

/* Criterion 2.4's .timeout leaks under ASan (see test_watcher): a plain alarm instead. Generous:
 * touching 64 MiB under valgrind takes seconds. */
static void arm_watchdog(void) { alarm(120); }

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read exactly n bytes from fd within ms milliseconds: 0, or -1 (timeout, EOF, error). */
static int read_by(int fd, void *buf, size_t n, int ms)
{
    int64_t deadline = now_ms() + ms;
    size_t got = 0;
    while (got < n) {
        int left = (int)(deadline - now_ms());
        struct pollfd pfd = {fd, POLLIN, 0};
        if (left <= 0 || (poll(&pfd, 1, left) < 0 && errno != EINTR))
            return -1;
        if (!(pfd.revents & (POLLIN | POLLHUP)))
            continue;
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r <= 0 && !(r < 0 && errno == EINTR))
            return -1;
        got += r > 0 ? (size_t)r : 0;
    }
    return 0;
}

/* ---- a child A holding REGION_MIB of touched private memory, and maybe its child B ---------- */

/* A writes every page of the region, forks B if asked (B writes nothing: the pages stay shared
 * copy-on-write), reports both PIDs, then obeys one-byte commands: 'u' unmaps A's copy of the
 * region (then answers 'k'); end of file ends A, and B with it. */
typedef struct holder {
    pid_t pids[2]; /* A, B (0 without B) */
    int cmd, ack;  /* our ends of the pipes */
} holder;

static void die_with_parent(pid_t parent)
{
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive a failed test */
#endif
    if (getppid() != parent)
        _exit(1); /* the parent died before the line above */
}

static void holder_main(int with_b, int cmd, int ack, pid_t test)
{
    die_with_parent(test);
    size_t len = REGION_MIB * MIB;
    char *region = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED)
        _exit(2);
    memset(region, 0x5a, len); /* real pages: a read-only touch would map the shared zero page */
    pid_t pids[2] = {getpid(), 0};
    if (with_b && (pids[1] = fork()) == 0) {
        die_with_parent(pids[0]);
        for (;;)
            pause(); /* until A ends: PR_SET_PDEATHSIG */
    }
    if (pids[1] < 0 || write(ack, pids, sizeof(pids)) != (ssize_t)sizeof(pids))
        _exit(3);
    char c;
    while (read(cmd, &c, 1) == 1)
        if (c == 'u' && (munmap(region, len) != 0 || write(ack, "k", 1) != 1))
            _exit(4);
    if (pids[1] > 0) {
        kill(pids[1], SIGKILL);
        waitpid(pids[1], NULL, 0);
    }
    _exit(0);
}

static holder holder_start(int with_b)
{
    int cmd[2], ack[2];
    cr_assert_eq(pipe(cmd), 0);
    cr_assert_eq(pipe(ack), 0);
    pid_t test = getpid();
    pid_t a = fork();
    cr_assert(a >= 0);
    if (a == 0) {
        close(cmd[1]);
        close(ack[0]);
        holder_main(with_b, cmd[0], ack[1], test);
    }
    close(cmd[0]);
    close(ack[1]);
    holder h = {{0, 0}, cmd[1], ack[0]};
    cr_assert_eq(read_by(h.ack, h.pids, sizeof(h.pids), 60000), 0, "holder did not start");
    cr_assert_eq(h.pids[0], a);
    return h;
}

static void holder_unmap(holder *h)
{
    char c = 0;
    cr_assert_eq(write(h->cmd, "u", 1), 1);
    cr_assert_eq(read_by(h->ack, &c, 1, 30000), 0, "no answer to unmap");
    cr_assert_eq(c, 'k');
}

static void holder_stop(holder *h)
{
    close(h->cmd); /* EOF: A reaps B and exits */
    close(h->ack);
    waitpid(h->pids[0], NULL, 0);
}

static mw__rollup rollup_of(pid_t pid)
{
    mw__rollup r;
    int rc = mw__probe_rollup(pid, &r);
    cr_assert_eq(rc, 0, "rollup of %d: %s", (int)pid, mw_strerror(rc));
    cr_assert(r.have & MW_HAVE_PSS);
    cr_assert(r.have & MW_HAVE_USS);
    return r;
}

static uint64_t rss_of(pid_t pid)
{
    mw_stats st;
    cr_assert_eq(mw_get_process_memory_stats(pid, &st), 0);
    return st.physical_size;
}

static double mib(uint64_t bytes) { return (double)bytes / (double)MIB; }

/* ---- tests -------------------------------------------------------------------------------- */

Test(rollup, private_memory_counts_fully_in_pss_and_uss)
{
    need_linux();
    arm_watchdog();
    holder h = holder_start(0);
    mw__rollup r = rollup_of(h.pids[0]);
    uint64_t rss = rss_of(h.pids[0]);
    cr_assert(r.uss >= REGION_MIB * MIB, "USS %.1f MiB", mib(r.uss));
    cr_assert(r.pss >= REGION_MIB * MIB, "PSS %.1f MiB", mib(r.pss));
    cr_assert(r.uss <= r.pss && r.pss <= rss + MIB, "USS %.1f <= PSS %.1f <= RSS %.1f MiB",
              mib(r.uss), mib(r.pss), mib(rss));
    /* This kernel (6.18) prints the parts, and they add up to the whole. */
    cr_assert(r.have & MW_HAVE_PSS_PARTS);
    cr_assert(r.pss_anon >= REGION_MIB * MIB);
    uint64_t parts = r.pss_anon + r.pss_file + r.pss_shmem;
    cr_assert(parts <= r.pss && r.pss - parts < MIB, "parts %.1f vs PSS %.1f MiB", mib(parts),
              mib(r.pss));
    holder_stop(&h);
}

/* The property that makes PSS add up: two processes sharing 64 MiB of copy-on-write pages each
 * count all of it in RSS, none of it in USS, and half of it in PSS. Other memory they share with
 * this test process (a lot under valgrind) blurs absolute figures, so the halves are measured by
 * what changes when A unmaps its copy: A loses its half, B gains it, and B's USS gains it all. */
Test(rollup, shared_copy_on_write_pages_are_halved_in_pss)
{
    need_linux();
    arm_watchdog();
    holder h = holder_start(1);
    pid_t a = h.pids[0], b = h.pids[1];
    mw__rollup a1 = rollup_of(a), b1 = rollup_of(b);
    uint64_t rss_a = rss_of(a), rss_b = rss_of(b);
    const uint64_t region = REGION_MIB * MIB, half = region / 2, slack = 4 * MIB;
    cr_assert(rss_a >= region && rss_b >= region, "RSS A %.1f, B %.1f MiB", mib(rss_a), mib(rss_b));
    cr_assert(rss_a - a1.uss >= region && rss_b - b1.uss >= region,
              "shared pages are nobody's USS: A RSS %.1f USS %.1f, B RSS %.1f USS %.1f MiB",
              mib(rss_a), mib(a1.uss), mib(rss_b), mib(b1.uss));
    cr_assert(a1.pss >= half - slack && a1.pss + half - slack <= rss_a,
              "A's PSS %.1f MiB: at least its half, at most RSS %.1f minus the other half",
              mib(a1.pss), mib(rss_a));
    cr_assert(b1.pss >= half - slack && b1.pss + half - slack <= rss_b, "B's PSS %.1f MiB",
              mib(b1.pss));

    holder_unmap(&h);
    mw__rollup a2 = rollup_of(a), b2 = rollup_of(b);
    double lost = mib(a1.pss) - mib(a2.pss), gained = mib(b2.pss) - mib(b1.pss);
    double uss_gain = mib(b2.uss) - mib(b1.uss);
    cr_assert(lost > REGION_MIB / 2.0 - 4 && lost < REGION_MIB / 2.0 + 4,
              "A's PSS fell by %.1f MiB, expected its half (32 +- 4)", lost);
    cr_assert(gained > REGION_MIB / 2.0 - 4 && gained < REGION_MIB / 2.0 + 4,
              "B's PSS rose by %.1f MiB, expected the other half (32 +- 4)", gained);
    cr_assert(uss_gain > REGION_MIB - 4 && uss_gain < REGION_MIB + 4,
              "B's USS rose by %.1f MiB: the region is its alone now (64 +- 4)", uss_gain);
    holder_stop(&h);
}

Test(rollup, missing_process_and_zombie_are_noproc)
{
    need_linux();
    arm_watchdog();
    mw__rollup r;
    pid_t gone = fork();
    cr_assert(gone >= 0);
    if (gone == 0)
        _exit(0);
    siginfo_t si;
    /* Exited but unreaped: a zombie, found without polling; its smaps_rollup is empty. */
    cr_assert_eq(waitid(P_PID, (id_t)gone, &si, WEXITED | WNOWAIT), 0);
    cr_assert_eq(mw__probe_rollup(gone, &r), MW_ENOPROC, "zombie");
    waitpid(gone, NULL, 0);
    /* Reaped: nothing at /proc/PID any more (unless the PID was taken meanwhile). */
    if (kill(gone, 0) != 0 && errno == ESRCH)
        cr_assert_eq(mw__probe_rollup(gone, &r), MW_ENOPROC, "no such process");
    cr_assert_eq(r.have, 0);
    cr_assert_eq(mw__probe_rollup(0, &r), MW_EINVAL);
    cr_assert_eq(mw__probe_rollup(getpid(), NULL), MW_EINVAL);
}

Test(rollup, kernel_thread_is_noproc)
{
    need_linux();
    mw_process_info info;
    if (mw_process_get_info(2, &info) != 0 || strcmp(info.name, "kthreadd") != 0)
        cr_skip_test("no kthreadd at pid 2 here");
    mw__rollup r;
    cr_assert_eq(mw__probe_rollup(2, &r), MW_ENOPROC, "it has no address space");
}

Test(rollup, another_users_process_is_eperm)
{
    need_linux();
    /* PID 1 is root's; smaps_rollup needs ptrace read access. As root, become nobody first (this
     * test runs in its own process), so that CI, which runs as root, checks it too. */
    if (geteuid() == 0 && (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0))
        cr_skip_test("cannot drop privileges");
    if (access("/proc/1", F_OK) != 0)
        cr_skip_test("pid 1 is hidden here (hidepid)");
    mw__rollup r;
    int rc = mw__probe_rollup(1, &r);
    cr_assert_eq(rc, MW_EPERM, "%s", mw_strerror(rc));
    cr_assert_eq(r.have, 0);
}
