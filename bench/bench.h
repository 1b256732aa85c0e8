/* SPDX-License-Identifier: MIT */
/* bench.h — small shared helpers for the bench/ programs: clocks, medians, table rows, a target child. */
#ifndef MW_BENCH_H
#define MW_BENCH_H

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Every bench program prints its results as tab-separated table rows on stdout:
 *   row <TAB> id <TAB> what <TAB> measured <TAB> baseline <TAB> ratio <TAB> target <TAB> result
 * bench/run.sh gathers them and prints the one table. Anything else goes to stderr. */

static inline int64_t bench_clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline int64_t bench_mono_ns(void) { return bench_clock_ns(CLOCK_MONOTONIC); }
/* CPU time of the whole process, every thread included (the sampler thread too). */
static inline int64_t bench_cpu_ns(void) { return bench_clock_ns(CLOCK_PROCESS_CPUTIME_ID); }

static inline void bench_sleep_until(int64_t deadline_ns)
{
    struct timespec ts = {(time_t)(deadline_ns / 1000000000), (long)(deadline_ns % 1000000000)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0) {
    }
}

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n). It sorts a copy: v keeps its order, so the repetitions stay paired for
 * bench_median_ratio. NAN if the copy cannot be made. */
static inline double bench_median(const double *v, size_t n)
{
    if (n == 0)
        return 0.0;
    double *s = malloc(n * sizeof(*s));
    if (!s)
        return NAN;
    memcpy(s, v, n * sizeof(*v));
    qsort(s, n, sizeof(*s), bench_cmp_double);
    double m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    free(s);
    return m;
}

/* The floor of a sampler (rows 2 and 3): count wake-ups on an absolute schedule from start_ns,
 * step_ns apart, each followed by a raw pread of fd, the kept /proc file a probe would read
 * (fd < 0: the wake-ups alone, the empty loop). Returns the summed lateness of the wake-ups in
 * ns, or -1 if a read failed. */
static inline double bench_floor_loop(int fd, int64_t start_ns, int64_t step_ns, long count)
{
    char buf[4096];
    double late = 0;
    int64_t next = start_ns;
    for (long i = 0; i < count; i++, next += step_ns) {
        bench_sleep_until(next);
        if (fd >= 0 && pread(fd, buf, sizeof(buf), 0) <= 0)
            return -1;
        late += (double)(bench_mono_ns() - next);
    }
    return late;
}

/* Median of the ratios a[i] / b[i] of paired repetitions (measured in the same window): the
 * machine's drift between repetitions cancels within each pair. */
static inline double bench_median_ratio(const double *a, const double *b, size_t n)
{
    double *q = malloc((n ? n : 1) * sizeof(*q));
    if (!q)
        return NAN;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (b[i] > 0)
            q[k++] = a[i] / b[i];
    double m = bench_median(q, k);
    free(q);
    return m;
}

static inline void bench_row(const char *id, const char *what, const char *measured,
                             const char *baseline, const char *ratio, const char *target,
                             const char *result)
{
    printf("row\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", id, what, measured, baseline, ratio, target,
           result);
    fflush(stdout);
}

/* A live target to watch: a child with mib MiB written (so its status shows real numbers) that
 * sleeps until killed, and dies with us. */
static inline pid_t bench_spawn_target(size_t mib)
{
    int ready[2];
    if (pipe(ready) != 0) {
        perror("bench: pipe");
        exit(1);
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(ready[0]);
        if (mib) {
            char *p = mmap(NULL, mib << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                           -1, 0);
            if (p != MAP_FAILED)
                memset(p, 1, mib << 20);
        }
        ssize_t n = write(ready[1], "r", 1); /* its memory is written: measure from now */
        (void)n;
        close(ready[1]);
        for (;;)
            pause();
    }
    if (pid < 0) {
        perror("bench: fork");
        exit(1);
    }
    close(ready[1]);
    char c;
    while (read(ready[0], &c, 1) < 0 && errno == EINTR) {
    }
    close(ready[0]);
    return pid;
}

/* Start a peer program: stdin and stderr on /dev/null, stdout to out_path (NULL: /dev/null),
 * in the C locale so its output parses the same everywhere. Returns its PID (it exits 127 if it
 * cannot be run). */
static inline pid_t bench_spawn(char *const argv[], const char *out_path)
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(out_path ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int nul = open("/dev/null", O_RDWR);
        dup2(nul, 0);
        dup2(fd, 1);
        dup2(nul, 2);
        setenv("LC_ALL", "C", 1);
        execvp(argv[0], argv);
        _exit(127);
    }
    return pid;
}

static inline void bench_kill(pid_t pid)
{
    if (pid > 0) {
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
        }
    }
}

#endif
