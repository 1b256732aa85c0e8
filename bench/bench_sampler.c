/* bench_sampler.c — row 2: the watcher at 1 ms vs an empty absolute-deadline 1 kHz loop: CPU and lateness. */
#include "config.h"

#include <pthread.h>

#include "bench.h"
#include "memwatch.h"

#define SECS 2
#define REPS 3
#define STEP_NS 1000000LL
#define MAXS (SECS * 1000 + 1000)

/* Timestamps of the samples of one run, filled on the sampler thread (or the loop thread). */
static int64_t stamps[MAXS];
static size_t nstamps;

static void on_sample(const mw_stats *s, void *user)
{
    (void)user;
    if (nstamps < MAXS)
        stamps[nstamps++] = (int64_t)s->timestamp.tv_sec * 1000000000 + s->timestamp.tv_nsec;
}

/* Mean lateness of the samples against the schedule each loop keeps. The empty loop records its
 * own deadlines (late[]). The watcher's deadlines are replayed from its rule (watcher.c): the
 * first sample is due at once, each next one an interval later, and when a sample comes a whole
 * interval after the next deadline the missed slots are skipped (due again one interval after
 * it). The stamp is taken just after the /proc read in both loops. */
static int64_t late[MAXS];

static double mean_lateness_us(bool watcher)
{
    if (nstamps < 2)
        return 0.0;
    double sum = 0;
    int64_t next = stamps[0];
    for (size_t k = 0; k < nstamps; k++) {
        if (!watcher) {
            sum += (double)late[k];
            continue;
        }
        sum += (double)(stamps[k] > next ? stamps[k] - next : 0);
        next += STEP_NS;
        if (next <= stamps[k] - STEP_NS)
            next = stamps[k] + STEP_NS;
    }
    return sum / (double)nstamps / 1e3;
}

/* The baseline: what any 1 kHz sampler must pay for its wake-ups and nothing else. */
static void *empty_loop(void *arg)
{
    int64_t end = *(const int64_t *)arg;
    int64_t next = bench_mono_ns();
    while (next < end) {
        bench_sleep_until(next);
        if (nstamps < MAXS) {
            stamps[nstamps] = bench_mono_ns();
            late[nstamps] = stamps[nstamps] - next;
            nstamps++;
        }
        next += STEP_NS;
    }
    return NULL;
}

/* One run of either kind: fills *cpu_pct and *late_us. */
static int run(bool watcher, pid_t target, double *cpu_pct, double *late_us, double *count)
{
    nstamps = 0;
    int64_t w0 = bench_mono_ns(), c0 = bench_cpu_ns();
    if (watcher) {
        mw_config cfg = mw_config_default();
        cfg.interval_ms = 1;
        cfg.history_size = 16384; /* what memwatch itself uses between polls */
        cfg.pid = target;
        mw_watcher *w = mw_watcher_new(&cfg);
        if (!w || mw_watcher_add_callback(w, on_sample, NULL) != 0 || mw_watcher_start(w) != 0)
            return -1;
        bench_sleep_until(w0 + SECS * 1000000000LL);
        mw_watcher_free(w);
    } else {
        int64_t end = w0 + SECS * 1000000000LL;
        pthread_t t;
        if (pthread_create(&t, NULL, empty_loop, &end) != 0)
            return -1;
        pthread_join(t, NULL);
    }
    int64_t w1 = bench_mono_ns(), c1 = bench_cpu_ns();
    *cpu_pct = 100.0 * (double)(c1 - c0) / (double)(w1 - w0);
    *late_us = mean_lateness_us(watcher);
    *count = (double)nstamps;
    return 0;
}

int main(void)
{
    pid_t target = bench_spawn_target(64);
    double wc[REPS], wl[REPS], ec[REPS], el[REPS], wn[REPS], en[REPS];
    for (int r = 0; r < REPS; r++) {
        if (run(false, target, &ec[r], &el[r], &en[r]) != 0 ||
            run(true, target, &wc[r], &wl[r], &wn[r]) != 0) {
            fprintf(stderr, "bench_sampler: cannot start the watcher on PID %ld\n", (long)target);
            bench_kill(target);
            return 1;
        }
    }
    bench_kill(target);
    double cw = bench_median(wc, REPS), ce = bench_median(ec, REPS);
    double lw = bench_median(wl, REPS), le = bench_median(el, REPS);
    char m[64], b[64], q[32];
    snprintf(m, sizeof(m), "%.2f %% of a core", cw);
    snprintf(b, sizeof(b), "%.2f %% (empty loop)", ce);
    snprintf(q, sizeof(q), "%.2fx", cw / ce);
    bench_row("2a", "sampler at 1 kHz: CPU (mw_watcher, 1 ms)", m, b, q, "< 3 % and <= 1.5x",
              cw < 3.0 && cw / ce <= 1.5 ? "PASS" : "MISS");
    snprintf(m, sizeof(m), "%.1f us mean, %.0f/%d samples", lw, bench_median(wn, REPS), SECS * 1000);
    snprintf(b, sizeof(b), "%.1f us, %.0f/%d (empty loop)", le, bench_median(en, REPS), SECS * 1000);
    snprintf(q, sizeof(q), "%.2fx", lw / le);
    bench_row("2b", "sampler at 1 kHz: lateness vs absolute schedule", m, b, q, "<= 1.5x",
              lw / le <= 1.5 ? "PASS" : "MISS");
    return 0;
}
