/* SPDX-License-Identifier: MIT */
/* bench_sampler.c — row 2: the watcher at 1 ms vs its floor (its sleeper + the same read) and an empty loop, side by side. */
#include "config.h"

#include <pthread.h>

#include "bench.h"
#include "memwatch.h"
#include "sleeper.h"

#define SECS 2
#define REPS 9
#define STEP_NS 1000000LL
#define MAXS (SECS * 1000 + 1000)

/* Why side by side: on a VM the cost of a wake-up drifts by 2x from one second to the next, so
 * loops measured one after the other compare moments, not loops. Each repetition runs the
 * three at once over the same window: the empty loop and the floor each in a forked child (its
 * own process CPU clock), the watcher here. Two cores, three threads asleep 97 % of the time.
 * The floor is what no 1 kHz reader of /proc/PID/status can go below: the watcher's own sleep
 * (mw__sleeper_wait on absolute deadlines, src/lib/sleeper.c) and a pread of the same file. The
 * empty loop (clock_nanosleep alone) is context: on this VM the floor sits at ~1.5x of it. */

typedef struct {
    double cpu_pct; /* of one core, over the window */
    double late_us; /* mean lateness against the loop's own absolute schedule */
    double count;   /* samples taken */
} result;

/* Timestamps of the watcher's samples, filled by its callback on the sampler thread. */
static int64_t stamps[MAXS];
static size_t nstamps;

static void on_sample(const mw_stats *s, void *user)
{
    (void)user;
    if (nstamps < MAXS)
        stamps[nstamps++] = (int64_t)s->timestamp.tv_sec * 1000000000 + s->timestamp.tv_nsec;
}

/* The watcher's lateness, replaying its schedule rule (watcher.c): the first sample is due at
 * once, each next one an interval later, and when a sample comes a whole interval after the next
 * deadline the missed slots are skipped (due again one interval after it). */
static double watcher_lateness_us(void)
{
    if (nstamps < 2)
        return 0.0;
    double sum = 0;
    int64_t next = stamps[0];
    for (size_t k = 0; k < nstamps; k++) {
        sum += (double)(stamps[k] > next ? stamps[k] - next : 0);
        next += STEP_NS;
        if (next <= stamps[k] - STEP_NS)
            next = stamps[k] + STEP_NS;
    }
    return sum / (double)nstamps / 1e3;
}

/* The floor's loop: the watcher's sleeper on the same absolute schedule, then a pread of the
 * file its probe reads. Returns the summed lateness in ns, or -1 (a read or the sleeper failed). */
static double sleeper_floor_loop(int fd, int64_t start_ns, long count)
{
    mw__sleeper sl;
    char buf[4096];
    double late = 0;
    if (mw__sleeper_init(&sl) != 0)
        return -1;
    int64_t next = start_ns;
    for (long i = 0; i < count; i++, next += STEP_NS) {
        while (bench_mono_ns() < next) /* as watcher.c: a wake may come early; sleep again */
            mw__sleeper_wait(&sl, next);
        if (pread(fd, buf, sizeof(buf), 0) <= 0) {
            late = -1;
            break;
        }
        late += (double)(bench_mono_ns() - next);
    }
    mw__sleeper_destroy(&sl);
    return late;
}

/* A bare 1 kHz loop from start_ns to end_ns in a child; status_fd >= 0 makes it the floor (the
 * watcher's sleeper, then a raw pread of the file the probe reads, after each wake-up); else the
 * empty clock_nanosleep loop. Its result comes back through a pipe. */
static pid_t spawn_loop(int64_t start_ns, int64_t end_ns, int status_fd, int *rfd)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    pid_t pid = fork();
    if (pid != 0) {
        close(p[1]);
        *rfd = p[0];
        if (pid < 0)
            close(p[0]);
        return pid;
    }
    close(p[0]);
    bench_sleep_until(start_ns);
    long n = (long)((end_ns - start_ns + STEP_NS - 1) / STEP_NS);
    int64_t w0 = bench_mono_ns(), c0 = bench_cpu_ns();
    double late = status_fd >= 0 ? sleeper_floor_loop(status_fd, start_ns, n)
                                 : bench_floor_loop(-1, start_ns, STEP_NS, n);
    int64_t w1 = bench_mono_ns(), c1 = bench_cpu_ns();
    if (late < 0)
        _exit(1);
    result r = {100.0 * (double)(c1 - c0) / (double)(w1 - w0), n ? late / (double)n / 1e3 : 0,
                (double)n};
    _exit(write(p[1], &r, sizeof(r)) == (ssize_t)sizeof(r) ? 0 : 1);
}

static int collect(pid_t pid, int rfd, result *r)
{
    ssize_t n = read(rfd, r, sizeof(*r));
    close(rfd);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    return n == (ssize_t)sizeof(*r) && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* One repetition: the three loops over the same SECS-long window. */
static int rep(pid_t target, int status_fd, result *empty, result *floor_, result *watcher)
{
    int64_t start = bench_mono_ns() + 100000000LL; /* the children are forked and asleep by then */
    int64_t end = start + SECS * 1000000000LL;
    int efd = -1, ffd = -1;
    pid_t e = spawn_loop(start, end, -1, &efd);
    pid_t f = spawn_loop(start, end, status_fd, &ffd);
    if (e < 0 || f < 0)
        return -1;

    nstamps = 0;
    mw_config cfg = mw_config_default();
    cfg.interval_ms = 1;
    cfg.history_size = 16384; /* what memwatch itself uses between polls */
    cfg.pid = target;
    bench_sleep_until(start);
    int64_t w0 = bench_mono_ns(), c0 = bench_cpu_ns();
    mw_watcher *w = mw_watcher_new(&cfg);
    int rc = (!w || mw_watcher_add_callback(w, on_sample, NULL) != 0 || mw_watcher_start(w) != 0)
                 ? -1
                 : 0;
    bench_sleep_until(end);
    mw_watcher_free(w);
    int64_t w1 = bench_mono_ns(), c1 = bench_cpu_ns();
    watcher->cpu_pct = 100.0 * (double)(c1 - c0) / (double)(w1 - w0);
    watcher->late_us = watcher_lateness_us();
    watcher->count = (double)nstamps;

    if (collect(e, efd, empty) != 0)
        rc = -1;
    if (collect(f, ffd, floor_) != 0)
        rc = -1;
    return rc;
}

int main(void)
{
    pid_t target = bench_spawn_target(64);
    char path[64];
    snprintf(path, sizeof(path), "/proc/%ld/status", (long)target);
    int status_fd = open(path, O_RDONLY | O_CLOEXEC);
    double wc[REPS], wl[REPS], wn[REPS], ec[REPS], el[REPS], en[REPS], fc[REPS];
    for (int r = 0; r < REPS; r++) {
        result e, f, w;
        if (status_fd < 0 || rep(target, status_fd, &e, &f, &w) != 0) {
            fprintf(stderr, "bench_sampler: cannot run the loops on PID %ld\n", (long)target);
            bench_kill(target);
            return 1;
        }
        fprintf(stderr, "bench_sampler: rep %d  CPU %%: watcher %.2f, empty %.2f, floor %.2f\n", r,
                w.cpu_pct, e.cpu_pct, f.cpu_pct);
        wc[r] = w.cpu_pct, wl[r] = w.late_us, wn[r] = w.count;
        ec[r] = e.cpu_pct, el[r] = e.late_us, en[r] = e.count;
        fc[r] = f.cpu_pct;
    }
    close(status_fd);
    bench_kill(target);

    double wf = bench_median_ratio(wc, fc, REPS), we = bench_median_ratio(wc, ec, REPS);
    double fe_ = bench_median_ratio(fc, ec, REPS), lr = bench_median_ratio(wl, el, REPS);
    double cw = bench_median(wc, REPS), ce = bench_median(ec, REPS), cf = bench_median(fc, REPS);
    double lw = bench_median(wl, REPS), le = bench_median(el, REPS);
    char m[64], b[64], q[32], t[48];
    /* The target: the watcher against what any 1 kHz reader of status must pay (its floor). */
    snprintf(m, sizeof(m), "%.2f %% of a core", cw);
    snprintf(b, sizeof(b), "%.2f %% (floor: its sleep + pread)", cf);
    snprintf(q, sizeof(q), "%.2fx", wf);
    snprintf(t, sizeof(t), "<= 1.25x (median of %d pairs)", REPS);
    bench_row("2a", "sampler at 1 kHz: CPU (mw_watcher, 1 ms) vs its floor", m, b, q, t,
              wf <= 1.25 ? "PASS" : "MISS");
    snprintf(m, sizeof(m), "%.1f us mean, %.0f/%d samples", lw, bench_median(wn, REPS), SECS * 1000);
    snprintf(b, sizeof(b), "%.1f us, %.0f/%d (empty loop)", le, bench_median(en, REPS), SECS * 1000);
    snprintf(q, sizeof(q), "%.2fx", lr);
    bench_row("2b", "sampler at 1 kHz: lateness vs absolute schedule", m, b, q, "<= 1.5x",
              lr <= 1.5 ? "PASS" : "MISS");
    /* Context only: the empty loop is no reader's floor (the floor itself sits above it). */
    snprintf(m, sizeof(m), "%.2f %% of a core", cw);
    snprintf(b, sizeof(b), "%.2f %% (empty loop)", ce);
    snprintf(q, sizeof(q), "%.2fx", we);
    char fe[64];
    snprintf(fe, sizeof(fe), "report (floor %.2fx empty)", fe_);
    bench_row("2c", "sampler at 1 kHz: CPU vs an empty loop", m, b, q, fe, "info");
    return 0;
}
