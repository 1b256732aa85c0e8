/* SPDX-License-Identifier: MIT */
/* bench_peaks.c — row 6: 300 MiB spikes every 2.007 s watched at 1 s: which peaks memwatch and a peer report. */
#include "config.h"

#include "bench.h"
#include "capture.h"
#include "csv.h"
#include "sample.h"

/* Usage: bench_peaks MEMWATCH TMPDIR
 * Two identical spiking targets (--interval-peaks resets the target's VmHWM, so it gets its own):
 * memwatch -i 1s records target A plainly and target B with --interval-peaks, while
 * pidstat -r 1 (plain RSS sampling, as a peer does it) watches target A. Every spike's start and
 * end (CLOCK_REALTIME) is logged by the target itself, so each spike is checked on its own. */

#define WATCH_S 20
#define SPIKE_MIB_MAX 300
#define SPIKE_NS 100000000LL   /* a spike should last about this long: touching plus hold */
#define PERIOD_NS 2007000000LL /* not a multiple of the interval, so no lock-step */
#define HOLD_NS 5000000LL
#define MAXSPIKES 64

/* Spike size: 300 MiB where it can be touched in ~0.1 s. Some VMs hand freed memory back to
 * their host, and touching it again then costs ~10 ms/MiB: a 300 MiB "spike" would last seconds
 * and any sampler would see it. So the size is calibrated (in a throw-away child, on cold
 * memory) to keep the spike as short as the issue intends, and the row says what was used. */
static size_t spike_mib = SPIKE_MIB_MAX;
static uint64_t thresh; /* bytes above the target's base RSS that count as "in a spike" */

typedef struct spike_log {
    volatile int n;
    volatile int64_t start[MAXSPIKES], end[MAXSPIKES];
} spike_log;

static void touch_spike(size_t len)
{
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        _exit(1);
    memset(p, 1, len);
    struct timespec hold = {0, HOLD_NS};
    nanosleep(&hold, NULL);
    munmap(p, len);
}

static void calibrate(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return;
    pid_t pid = fork();
    if (pid == 0) {
        int64_t t0 = bench_mono_ns();
        touch_spike(32u << 20);
        double ns_per_mib = (double)(bench_mono_ns() - t0) / 32.0;
        if (write(fds[1], &ns_per_mib, sizeof(ns_per_mib)) != sizeof(ns_per_mib))
            _exit(1);
        _exit(0);
    }
    double ns_per_mib = 0;
    if (read(fds[0], &ns_per_mib, sizeof(ns_per_mib)) == sizeof(ns_per_mib) && ns_per_mib > 0) {
        double fit = (double)(SPIKE_NS - HOLD_NS) / ns_per_mib;
        spike_mib = fit >= SPIKE_MIB_MAX ? SPIKE_MIB_MAX : fit < 4 ? 4 : (size_t)fit;
    }
    waitpid(pid, NULL, 0);
    close(fds[0]);
    close(fds[1]);
}

static void spiker(spike_log *log)
{
    size_t len = spike_mib << 20;
    int64_t next = bench_mono_ns() + 1000000000LL;
    for (int k = 0; k < MAXSPIKES; k++) {
        bench_sleep_until(next);
        int64_t a = bench_clock_ns(CLOCK_REALTIME);
        touch_spike(len);
        log->start[k] = a;
        log->end[k] = bench_clock_ns(CLOCK_REALTIME);
        log->n = k + 1;
        next += PERIOD_NS;
    }
    for (;;)
        pause();
}

static pid_t spawn_spiker(spike_log **log)
{
    *log = mmap(NULL, sizeof(spike_log), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (*log == MAP_FAILED)
        exit(1);
    memset(*log, 0, sizeof(**log));
    pid_t pid = fork();
    if (pid == 0)
        spiker(*log);
    return pid;
}

/* Spikes wholly inside the recording, and how many of them a sample shows, by one of:
 * hwm (hwm_bytes over the threshold), rose (the hwm_rose flag), or rss (the sampled RSS).
 * A sample up to one interval after a spike ends may report it (the high-water mark keeps it). */
enum { BY_HWM, BY_ROSE, BY_RSS };
static int spikes_seen(const mw__capture *c, const spike_log *log, int by, int *total)
{
    const mw__sample *first = mw__ring_at(&c->ring, mw__ring_first(&c->ring));
    const mw__sample *last = mw__ring_last(&c->ring);
    uint64_t base = UINT64_MAX;
    for (uint64_t q = mw__ring_first(&c->ring); q < mw__ring_end(&c->ring); q++)
        if (mw__ring_at(&c->ring, q)->rss < base)
            base = mw__ring_at(&c->ring, q)->rss;
    int64_t t_first = mw__capture_wall_ns(c, first), t_last = mw__capture_wall_ns(c, last);
    int seen = 0;
    *total = 0;
    for (int k = 0; k < log->n; k++) {
        if (log->start[k] < t_first || log->end[k] > t_last)
            continue;
        ++*total;
        for (uint64_t q = mw__ring_first(&c->ring); q < mw__ring_end(&c->ring); q++) {
            const mw__sample *s = mw__ring_at(&c->ring, q);
            int64_t t = mw__capture_wall_ns(c, s);
            if (t < log->start[k] - 2000000 || t > log->end[k] + 1050000000LL)
                continue;
            uint64_t t_hi = base + thresh;
            bool hit = by == BY_HWM ? s->hwm >= t_hi
                     : by == BY_ROSE ? (s->flags & MW_SAMPLE_HWM_ROSE) && s->hwm >= t_hi
                                     : s->rss >= t_hi;
            if (hit) {
                seen++;
                break;
            }
        }
    }
    return seen;
}

/* pidstat -r lines for the target whose RSS (KiB) is over the threshold: each spike is shorter
 * than its 1 s interval, so each such line is one spike seen. */
static int pidstat_seen(const char *path, pid_t pid, uint64_t base, int *lines)
{
    FILE *f = fopen(path, "r");
    char line[512];
    int seen = 0;
    *lines = 0;
    while (f && fgets(line, sizeof(line), f)) {
        long p;
        unsigned long long rss;
        if (!strncmp(line, "Average", 7) ||
            sscanf(line, "%*s %*s %ld %*s %*s %*s %llu", &p, &rss) != 2 || p != pid)
            continue;
        ++*lines;
        if (rss * 1024 >= base + thresh)
            seen++;
    }
    if (f)
        fclose(f);
    return seen;
}

static int load(const char *path, mw__capture *c)
{
    char err[600];
    if (mw__capture_init(c, 4096) != 0 || mw__csv_load(path, c, NULL, err, sizeof(err)) != 0 ||
        mw__ring_count(&c->ring) < 2) {
        fprintf(stderr, "bench_peaks: %s\n", err);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench_peaks MEMWATCH TMPDIR\n");
        return 2;
    }
    calibrate();
    thresh = (uint64_t)spike_mib << 19; /* half the spike */
    spike_log *la, *lb;
    pid_t a = spawn_spiker(&la), b = spawn_spiker(&lb);
    char pa[16], pb[16], dur[16], csv_a[512], csv_b[512], out[3][512], ps[512];
    snprintf(pa, sizeof(pa), "%ld", (long)a);
    snprintf(pb, sizeof(pb), "%ld", (long)b);
    snprintf(dur, sizeof(dur), "%ds", WATCH_S);
    snprintf(csv_a, sizeof(csv_a), "%s/peaks-plain.csv", argv[2]);
    snprintf(csv_b, sizeof(csv_b), "%s/peaks-reset.csv", argv[2]);
    snprintf(ps, sizeof(ps), "%s/peaks-pidstat.txt", argv[2]);
    for (int i = 0; i < 2; i++)
        snprintf(out[i], sizeof(out[i]), "%s/peaks-%d.out", argv[2], i);
    unlink(csv_a);
    unlink(csv_b);
    usleep(200000); /* both targets up */
    char *m = argv[1];
    pid_t jobs[3] = {
        bench_spawn((char *[]){m, "--no-tui", "-i", "1s", "-t", dur, "-o", csv_a, pa, NULL}, out[0]),
        bench_spawn((char *[]){m, "--no-tui", "--interval-peaks", "-i", "1s", "-t", dur, "-o", csv_b, pb,
                         NULL}, out[1]),
        bench_spawn((char *[]){"pidstat", "-r", "-p", pa, "1", "20", NULL}, ps),
    };
    int bad = 0;
    for (int i = 0; i < 3; i++) {
        int st;
        while (waitpid(jobs[i], &st, 0) < 0 && errno == EINTR) {
        }
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            bad |= 1 << i;
    }
    bench_kill(a);
    bench_kill(b);
    mw__capture ca, cb;
    if ((bad & 3) || load(csv_a, &ca) != 0 || load(csv_b, &cb) != 0) {
        fprintf(stderr, "bench_peaks: memwatch failed (see %s, %s)\n", out[0], out[1]);
        return 1;
    }

    int n_a, n_b, n_ps;
    int rose = spikes_seen(&ca, la, BY_ROSE, &n_a);
    int rss = spikes_seen(&ca, la, BY_RSS, &n_a);
    int reset = spikes_seen(&cb, lb, BY_HWM, &n_b);
    int ps_seen = pidstat_seen(ps, a, ca.all.first.rss, &n_ps);
    uint64_t peak = ca.all.max_hwm, hi = ca.all.first.rss + thresh;
    double len_ms = 0; /* mean spike length, as the target lived it */
    for (int k = 0; k < la->n; k++)
        len_ms += (double)(la->end[k] - la->start[k]) / 1e6 / la->n;
    char what[96], mm[96], bb[96], q[32];

    snprintf(what, sizeof(what), "peaks: overall peak, -i 1s, %zu MiB spikes of %.0f ms", spike_mib,
             len_ms);
    snprintf(mm, sizeof(mm), "peak %.0f MiB shown (VmHWM)", (double)peak / 1048576.0);
    snprintf(bb, sizeof(bb), "max sampled RSS %.0f MiB", (double)ca.all.peak_rss.rss / 1048576.0);
    bench_row("6a", what, mm, bb, peak >= hi ? "caught" : "missed", "always",
              peak >= hi ? "PASS" : "MISS");
    snprintf(mm, sizeof(mm), "%d/%d spikes", reset, n_b);
    snprintf(bb, sizeof(bb), "%d/%d by hwm_rose, no reset", rose, n_a);
    snprintf(q, sizeof(q), "%.0f %%", 100.0 * reset / (n_b ? n_b : 1));
    bench_row("6b", "peaks: every spike, --interval-peaks", mm, bb, q, "100 %",
              n_b > 0 && reset == n_b ? "PASS" : "MISS");
    snprintf(mm, sizeof(mm), "%d/%d spikes (memwatch RSS column)", rss, n_a);
    snprintf(bb, sizeof(bb), "pidstat -r 1: %d/%d spikes", ps_seen, n_a);
    snprintf(q, sizeof(q), "%.0f %%", 100.0 * rss / (n_a ? n_a : 1));
    bench_row("6c", "peaks: plain RSS sampling, as peers do it", mm, bb, q, "report", "info");
    fprintf(stderr, "bench_peaks: %zu MiB spikes, mean %.0f ms; pidstat printed %d samples\n",
            spike_mib, len_ms, n_ps);
    if (bad & 4)
        fprintf(stderr, "bench_peaks: pidstat failed\n");
    unlink(csv_a);
    unlink(csv_b);
    unlink(ps);
    unlink(out[0]);
    unlink(out[1]);
    mw__capture_destroy(&ca);
    mw__capture_destroy(&cb);
    return 0;
}
