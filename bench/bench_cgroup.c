/* SPDX-License-Identifier: MIT */
/* bench_cgroup.c — row 9: a cgroup sample through the library's reader vs raw preads of the same files. */
#include "config.h"

#include <sys/stat.h>

#include "bench.h"
#include "cgroup.h"

#define ITERS 5000
#define REPS 9
#define V1_MEMORY "/sys/fs/cgroup/memory"

/* v1's files as cgroup-linux.c keeps them: the first is the main figure. */
static const char *const files[] = {"memory.usage_in_bytes", "memory.max_usage_in_bytes",
                                    "memory.limit_in_bytes", "memory.failcnt",
                                    "memory.stat",           "memory.oom_control"};
#define NFILES (sizeof(files) / sizeof(files[0]))

static void skip(const char *why)
{
    fprintf(stderr, "bench_cgroup: %s\n", why);
    bench_row("9", "cgroup: mw__cgroup_read (v1)", "skipped", why, "-", "report", "info");
}

/* A child that joins dir's cgroup, writes mib MiB and waits to be killed. */
static pid_t spawn_in(const char *dir, size_t mib)
{
    char procs[512];
    snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
    int ready[2];
    if (pipe(ready) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(procs, O_WRONLY);
        if (fd < 0 || write(fd, "0", 1) != 1) /* "0": the writer itself */
            _exit(1);
        close(fd);
        char *p = mmap(NULL, mib << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED)
            memset(p, 1, mib << 20);
        if (write(ready[1], "r", 1) != 1)
            _exit(1);
        for (;;)
            pause();
    }
    close(ready[1]);
    char c;
    ssize_t n;
    while ((n = read(ready[0], &c, 1)) < 0 && errno == EINTR) {
    }
    close(ready[0]);
    if (pid > 0 && n != 1) {
        bench_kill(pid);
        return -1;
    }
    return pid;
}

/* Median CPU per call over REPS x ITERS, the three alternated in each repetition. */
static int measure(mw__cgroup *cg, const int *fd, double *rd, double *one, double *all)
{
    static char buf[8192];
    volatile uint64_t sink = 0;
    for (int r = 0; r < REPS; r++) {
        int64_t t0 = bench_cpu_ns();
        for (int i = 0; i < ITERS; i++) {
            mw__cgroup_sample s;
            if (mw__cgroup_read(cg, &s) != 0)
                return -1; /* the caller still removes the cgroup */
            sink += s.current;
        }
        int64_t t1 = bench_cpu_ns();
        for (int i = 0; i < ITERS; i++)
            sink += (uint64_t)pread(fd[0], buf, sizeof(buf), 0);
        int64_t t2 = bench_cpu_ns();
        for (int i = 0; i < ITERS; i++)
            for (size_t f = 0; f < NFILES; f++)
                sink += (uint64_t)pread(fd[f], buf, sizeof(buf), 0);
        int64_t t3 = bench_cpu_ns();
        rd[r] = (double)(t1 - t0) / 1e3 / ITERS;
        one[r] = (double)(t2 - t1) / 1e3 / ITERS;
        all[r] = (double)(t3 - t2) / 1e3 / ITERS;
    }
    (void)sink;
    return 0;
}

static void report(const double *rd, const double *one, const double *all)
{
    char m[64], b[64], rs[32];
    double q1 = bench_median_ratio(rd, one, REPS), qa = bench_median_ratio(rd, all, REPS);
    snprintf(m, sizeof(m), "%.2f us CPU/sample", bench_median(rd, REPS));
    snprintf(b, sizeof(b), "%.2f us (raw pread of usage_in_bytes)", bench_median(one, REPS));
    snprintf(rs, sizeof(rs), "%.2fx", q1);
    bench_row("9a", "cgroup: mw__cgroup_read, v1, 6 kept files", m, b, rs, "report", "info");
    snprintf(b, sizeof(b), "%.2f us (raw pread of the 6 files)", bench_median(all, REPS));
    snprintf(rs, sizeof(rs), "%.2fx", qa);
    bench_row("9b", "cgroup: mw__cgroup_read vs its floor", m, b, rs, "<= 1.25x",
              qa <= 1.25 ? "PASS" : "MISS");
}

int main(void)
{
    if (geteuid() != 0 || access(V1_MEMORY "/cgroup.procs", W_OK) != 0) {
        skip("no writable v1 memory cgroup (needs root)");
        return 0;
    }
    char dir[256], why[512];
    snprintf(dir, sizeof(dir), V1_MEMORY "/mw-bench-%ld", (long)getpid());
    if (mkdir(dir, 0755) != 0) {
        skip("cannot create a cgroup");
        return 0;
    }
    pid_t target = spawn_in(dir, 64);
    mw__cgroup_where w;
    mw__cgroup *cg = NULL;
    int fd[NFILES], rc = target > 0 ? mw__cgroup_find(dir, NULL, NULL, &w, why, sizeof(why)) : -1;
    if (rc == 0)
        rc = mw__cgroup_open(&w, &cg, why, sizeof(why));
    for (size_t f = 0; f < NFILES; f++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", dir, files[f]);
        if ((fd[f] = open(path, O_RDONLY | O_CLOEXEC)) < 0)
            rc = -1;
    }
    if (rc == 0) {
        double rd[REPS], one[REPS], all[REPS];
        if (measure(cg, fd, rd, one, all) == 0)
            report(rd, one, all);
        else
            skip("a read of the cgroup failed");
    } else {
        skip("cannot open the cgroup");
    }
    for (size_t f = 0; f < NFILES; f++)
        if (fd[f] >= 0)
            close(fd[f]);
    mw__cgroup_close(cg);
    if (target > 0)
        bench_kill(target);
    for (int i = 0; i < 100 && rmdir(dir) != 0 && errno == EBUSY; i++)
        usleep(10000);
    return 0;
}
