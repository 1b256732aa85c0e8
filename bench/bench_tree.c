/* SPDX-License-Identifier: MIT */
/* bench_tree.c — rows 7 and 8: -c over trees of 1, 100 and 1000 processes vs reading their status files; --pss vs raw smaps_rollup reads. */
#include "config.h"

#include <poll.h>

#include "bench.h"
#include "probe.h"

/* Each tree is a root and its descendants, numbered breadth first: member i's children are
 * i*FANOUT+1 .. i*FANOUT+FANOUT, so 1000 processes stand four levels deep (1, 10, 100, 889),
 * like make -j or a server with workers that have their own. A flat tree (FANOUT = n - 1) is
 * measured too: 1000 children of one process, more than one page of its children file.
 * Every member touches MEMBER_KIB of its own, reports its PID on a pipe and blocks reading a
 * "hold" pipe whose only write end is ours: when this program ends, however it ends, the read
 * returns 0 and the member exits. The tree is also a process group, killed at the end. */

#define FANOUT 10
#define MEMBER_KIB 64
#define BIG_MIB 200    /* the 8b row: smaps_rollup of one large process */
#define REPS 9
#define SPAWN_S 60     /* a tree that has not reported in this long has failed */

typedef struct tree {
    size_t n, fanout, kib; /* kib: what each member touches */
    pid_t root;  /* its process group too */
    int hold_wr; /* closing it lets every member exit */
    pid_t *pids; /* every member, as they reported */
} tree;

static _Noreturn void member(size_t idx, const tree *t, int hold_rd, int report_wr)
{
    /* Children first (from a still small process), then the member's own memory. */
    size_t c = idx * t->fanout + 1;
    while (c <= idx * t->fanout + t->fanout && c < t->n) {
        pid_t k = fork();
        if (k < 0)
            _exit(1);
        if (k == 0) { /* the child becomes member c and forks its own */
            idx = c;
            c = idx * t->fanout + 1;
        } else {
            c++;
        }
    }
    char *mem = mmap(NULL, t->kib << 10, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                     -1, 0);
    if (mem != MAP_FAILED) {
        /* Small pages wherever THP is "always": the dear end of smaps_rollup's range (row 8b). */
        madvise(mem, t->kib << 10, MADV_NOHUGEPAGE);
        memset(mem, 1, t->kib << 10);
    }
    pid_t me = getpid();
    if (write(report_wr, &me, sizeof(me)) != sizeof(me))
        _exit(1);
    close(report_wr);
    char byte;
    while (read(hold_rd, &byte, 1) < 0 && errno == EINTR) {
    }
    /* Every member saw the end at once: reap our own, so no zombie waits on init. */
    while (wait(NULL) > 0 || errno == EINTR) {
    }
    _exit(0);
}

/* Read the n PIDs the members report, waiting at most SPAWN_S. Returns 0 or -1. */
static int collect_pids(tree *t, int report_rd)
{
    char *buf = (char *)t->pids;
    size_t want = t->n * sizeof(pid_t), got = 0;
    int64_t deadline = bench_mono_ns() + (int64_t)SPAWN_S * 1000000000;
    while (got < want) {
        int64_t left = (deadline - bench_mono_ns()) / 1000000;
        struct pollfd pf = {report_rd, POLLIN, 0};
        if (left <= 0 || poll(&pf, 1, (int)left) == 0)
            return -1;
        ssize_t k = read(report_rd, buf + got, want - got);
        if (k == 0)
            return -1; /* every member gone or reported, and too few: a fork failed */
        if (k > 0)
            got += (size_t)k;
        else if (errno != EINTR)
            return -1;
    }
    return 0;
}

static void tree_kill(tree *t)
{
    if (t->root <= 0)
        return;
    /* The end of the hold pipe: each member reaps its children and exits, so the root is the
     * last. Whatever is left after 2 s (a member stuck somewhere) is killed as a group. */
    close(t->hold_wr);
    int st, i = 0;
    while (waitpid(t->root, &st, WNOHANG) == 0 && i++ < 200)
        usleep(10000);
    if (i > 200)
        fprintf(stderr, "bench_tree: a tree of %zu did not end by itself: killed\n", t->n);
    kill(-t->root, SIGKILL);
    if (i > 200)
        bench_kill(t->root);
    /* Anything killed was reparented and is reaped by init: wait until the group is empty, so
     * nothing is left behind and no later measurement shares the CPU with dying ones. */
    for (i = 0; i < 500 && kill(-t->root, 0) == 0; i++)
        usleep(10000);
    free(t->pids);
    t->root = 0;
}

static int tree_spawn(tree *t, size_t n, size_t fanout, size_t kib)
{
    int hold[2], rep[2];
    *t = (tree){n, fanout, kib, 0, -1, calloc(n, sizeof(pid_t))};
    if (!t->pids || pipe(hold) != 0 || pipe(rep) != 0) {
        perror("bench_tree: pipe");
        exit(1);
    }
    pid_t root = fork();
    if (root == 0) {
        setpgid(0, 0);
        /* Keep only our two pipe ends: an earlier tree's hold write end kept open here would
         * stop that tree from seeing the end of this program. */
        for (int fd = 3; fd < 1024; fd++)
            if (fd != hold[0] && fd != rep[1])
                close(fd);
        member(0, t, hold[0], rep[1]);
    }
    if (root < 0) {
        perror("bench_tree: fork");
        exit(1);
    }
    setpgid(root, root); /* either side may win the race; both ask for the same */
    close(hold[0]);
    close(rep[1]);
    t->root = root;
    t->hold_wr = hold[1];
    int rc = collect_pids(t, rep[0]);
    close(rep[0]);
    if (rc != 0) {
        fprintf(stderr, "bench_tree: a tree of %zu processes did not start\n", n);
        tree_kill(t);
    }
    return rc;
}

/* The floor of one -c sample: open/read/close each member's status, PIDs known in advance. */
static int floor_sweep(const tree *t, const char *file)
{
    static char buf[1 << 16];
    for (size_t i = 0; i < t->n; i++) {
        char path[64];
        snprintf(path, sizeof(path), "/proc/%ld/%s", (long)t->pids[i], file);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return -1;
        ssize_t k = read(fd, buf, sizeof(buf));
        close(fd);
        if (k <= 0)
            return -1;
    }
    return 0;
}

static int rollup_sweep(const tree *t)
{
    for (size_t i = 0; i < t->n; i++) {
        mw__rollup r;
        if (mw__probe_rollup(t->pids[i], &r) != 0 || !(r.have & MW_HAVE_PSS))
            return -1;
    }
    return 0;
}

/* One case: memwatch's way and the floor, timed as CPU per sample (or sweep), per repetition. */
typedef struct cmp {
    const char *id, *what;
    tree *t;
    mw__probe *probe; /* -c rows; NULL: the --pss row */
    long iters;
    uint32_t found;   /* processes memwatch's first sample summed */
    double mw_us[REPS], floor_us[REPS];
} cmp;

static int64_t time_memwatch(cmp *c)
{
    int64_t t0 = bench_cpu_ns();
    for (long i = 0; i < c->iters; i++) {
        mw_stats st;
        if (c->probe ? mw__probe_sample(c->probe, &st, NULL) != 0 : rollup_sweep(c->t) != 0)
            return -1;
    }
    return bench_cpu_ns() - t0;
}

static int64_t time_floor(cmp *c)
{
    int64_t t0 = bench_cpu_ns();
    for (long i = 0; i < c->iters; i++)
        if (floor_sweep(c->t, c->probe ? "status" : "smaps_rollup") != 0)
            return -1;
    return bench_cpu_ns() - t0;
}

/* Repetition r of a case; the two sides swap order each repetition so drift hits both alike. */
static int run_rep(cmp *c, int r)
{
    int64_t a, b;
    if (r % 2) {
        b = time_floor(c);
        a = time_memwatch(c);
    } else {
        a = time_memwatch(c);
        b = time_floor(c);
    }
    if (a < 0 || b < 0) {
        fprintf(stderr, "bench_tree: %s: a read failed\n", c->what);
        return -1;
    }
    c->mw_us[r] = (double)a / 1e3 / (double)c->iters;
    c->floor_us[r] = (double)b / 1e3 / (double)c->iters;
    return 0;
}

static void print_cmp(const cmp *c, const char *floor_name, const char *unit)
{
    double m = bench_median(c->mw_us, REPS), f = bench_median(c->floor_us, REPS);
    double q = bench_median_ratio(c->mw_us, c->floor_us, REPS);
    char ms[96], bs[96], rs[32], found[48] = "";
    if (c->probe && c->found != c->t->n)
        snprintf(found, sizeof(found), ", found %u of %zu", (unsigned)c->found, c->t->n);
    snprintf(ms, sizeof(ms), "%.1f us CPU/%s%s", m, unit, found);
    snprintf(bs, sizeof(bs), "%.1f us (%s)", f, floor_name);
    snprintf(rs, sizeof(rs), "%.2fx", q);
    bench_row(c->id, c->what, ms, bs, rs, "<= 1.25x",
              q <= 1.25 && !found[0] ? "PASS" : "MISS");
}

/* Cost per process at 1000 against at 100. Above 1 means a term that grows faster than the
 * tree, as a linear duplicate check over the processes found does (n^2 / 2 comparisons). The
 * floor grows too (1.3-1.6x here): reading 100 of the 1000 costs what the 100-tree costs, all
 * 1000 far more per process, so it is the kernel's data of 1000 processes missing the caches,
 * not an algorithm. The ratio is therefore memwatch's growth over the floor's, per repetition. */
static void print_linearity(const cmp *small, const cmp *big)
{
    double per[REPS], fper[REPS], q[REPS];
    double ns = (double)small->t->n, nb = (double)big->t->n;
    for (int r = 0; r < REPS; r++) {
        per[r] = (big->mw_us[r] / nb) / (small->mw_us[r] / ns);
        fper[r] = (big->floor_us[r] / nb) / (small->floor_us[r] / ns);
        q[r] = per[r] / fper[r];
    }
    double g = bench_median(per, REPS), fg = bench_median(fper, REPS), m = bench_median(q, REPS);
    char ms[96], bs[96], rs[32];
    snprintf(ms, sizeof(ms), "%.2f us/process at %zu: %.2fx of at %zu",
             bench_median(big->mw_us, REPS) / nb, big->t->n, g, small->t->n);
    snprintf(bs, sizeof(bs), "floor: %.2fx (%.2f us at %zu)", fg,
             bench_median(big->floor_us, REPS) / nb, big->t->n);
    snprintf(rs, sizeof(rs), "%.2fx", m);
    bench_row("7e", "tree: -c growth per process, 1000 vs 100", ms, bs, rs,
              "<= 1.25x of floor's", m <= 1.25 ? "PASS" : "MISS");
}

/* Row 8b: what one smaps_rollup read costs for a large process against a small one. */
static void print_big(const cmp *big, const cmp *sweep)
{
    double b = bench_median(big->mw_us, REPS);
    double s = bench_median(sweep->mw_us, REPS) / (double)sweep->t->n;
    char ms[96], bs[96], rs[32];
    snprintf(ms, sizeof(ms), "%.0f us CPU/read (%d MiB touched)", b, BIG_MIB);
    snprintf(bs, sizeof(bs), "%.1f us (a %d KiB process)", s, MEMBER_KIB);
    snprintf(rs, sizeof(rs), "%.0fx", s > 0 ? b / s : 0);
    bench_row("8b", "--pss: smaps_rollup of one process, 200 MiB vs small", ms, bs, rs,
              "report", "info");
    fprintf(stderr, "bench_tree: 200 MiB process: mw__probe_rollup %.0f us, raw read %.0f us\n",
            b, bench_median(big->floor_us, REPS));
}

enum { T1, T100, T1000, TFLAT, TBIG, NTREES };

int main(void)
{
    /* A watchdog: dying by SIGALRM closes every hold pipe, so no member outlives us. */
    alarm(240);
    static const struct {
        size_t n, fanout, kib;
    } shape[NTREES] = {{1, FANOUT, MEMBER_KIB}, {100, FANOUT, MEMBER_KIB},
                       {1000, FANOUT, MEMBER_KIB}, {1000, 999, MEMBER_KIB},
                       {1, FANOUT, (size_t)BIG_MIB << 10}};
    static tree t[NTREES];
    int rc = 0;
    for (int i = 0; i < NTREES && rc == 0; i++)
        rc = tree_spawn(&t[i], shape[i].n, shape[i].fanout, shape[i].kib);
    cmp c[] = {
        {"7a", "tree: -c over 1 process", &t[T1], NULL, 5000, 0, {0}, {0}},
        {"7b", "tree: -c over 100 processes (4 levels)", &t[T100], NULL, 50, 0, {0}, {0}},
        {"7c", "tree: -c over 1000 processes (4 levels)", &t[T1000], NULL, 5, 0, {0}, {0}},
        {"7d", "tree: -c over 1000 children of one process", &t[TFLAT], NULL, 5, 0, {0}, {0}},
        {"8a", "--pss: smaps_rollup of 100 processes", &t[T100], NULL, 10, 0, {0}, {0}},
        {"8z", "--pss: smaps_rollup of one 200 MiB process", &t[TBIG], NULL, 10, 0, {0}, {0}},
    };
    const size_t ntree = 4, ncmp = sizeof(c) / sizeof(c[0]);
    for (size_t i = 0; i < ntree && rc == 0; i++) {
        mw_stats st;
        rc = mw__probe_open(c[i].t->root, MW__PROBE_TREE, &c[i].probe);
        if (rc == 0)
            rc = mw__probe_sample(c[i].probe, &st, NULL); /* warm, and count what it finds */
        c[i].found = rc == 0 ? st.nprocs : 0;
        if (rc != 0)
            fprintf(stderr, "bench_tree: %s: the probe failed (%d)\n", c[i].what, rc);
    }
    for (int r = 0; r < REPS && rc == 0; r++)
        for (size_t i = 0; i < ncmp && rc == 0; i++)
            rc = run_rep(&c[i], r);
    for (size_t i = 0; i < ntree; i++)
        mw__probe_close(c[i].probe);
    for (int i = 0; i < NTREES; i++)
        tree_kill(&t[i]);
    if (rc != 0)
        return 1;
    for (size_t i = 0; i < ntree; i++)
        print_cmp(&c[i], "floor: open/read/close each status", "sample");
    print_linearity(&c[1], &c[2]);
    print_cmp(&c[4], "raw open/read/close of each", "sweep");
    print_big(&c[5], &c[4]);
    return 0;
}
