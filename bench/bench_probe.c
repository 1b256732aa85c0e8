/* SPDX-License-Identifier: MIT */
/* bench_probe.c — row 1: the library's probe per sample vs a raw pread of the same /proc file. */
#include "config.h"

#include <fcntl.h>

#include "bench.h"
#include "probe.h"

#define ITERS 20000
#define REPS 9

int main(void)
{
    pid_t target = bench_spawn_target(64);
    mw__probe *probe;
    int rc = mw__probe_open(target, 0, &probe);
    char path[64];
    snprintf(path, sizeof(path), "/proc/%ld/status", (long)target);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (rc != 0 || fd < 0) {
        fprintf(stderr, "bench_probe: cannot open PID %ld (%d)\n", (long)target, rc);
        bench_kill(target);
        return 1;
    }
    static char buf[4096];
    double raw_us[REPS], probe_us[REPS], ratio[REPS];
    volatile uint64_t sink = 0; /* keep the results alive */
    for (int r = 0; r < REPS; r++) {
        /* Alternate the two in each repetition so that drifts in the machine hit both alike. */
        int64_t t0 = bench_cpu_ns();
        for (int i = 0; i < ITERS; i++)
            sink += (uint64_t)pread(fd, buf, sizeof(buf), 0);
        int64_t t1 = bench_cpu_ns();
        for (int i = 0; i < ITERS; i++) {
            mw_stats st;
            if (mw__probe_sample(probe, &st, NULL) != 0) {
                fprintf(stderr, "bench_probe: sample failed\n");
                return 1;
            }
            sink += st.physical_size;
        }
        int64_t t2 = bench_cpu_ns();
        raw_us[r] = (double)(t1 - t0) / 1e3 / ITERS;
        probe_us[r] = (double)(t2 - t1) / 1e3 / ITERS;
        ratio[r] = probe_us[r] / raw_us[r];
    }
    (void)sink;
    mw__probe_close(probe);
    close(fd);
    bench_kill(target);

    double raw = bench_median(raw_us, REPS), pr = bench_median(probe_us, REPS);
    double q = bench_median(ratio, REPS);
    char m[64], b[64], rs[32];
    snprintf(m, sizeof(m), "%.2f us CPU/sample", pr);
    snprintf(b, sizeof(b), "%.2f us (raw pread)", raw);
    snprintf(rs, sizeof(rs), "%.2fx", q);
    bench_row("1", "probe: mw__probe_sample on /proc/PID/status", m, b, rs, "<= 1.25x",
              q <= 1.25 ? "PASS" : "MISS");
    return 0;
}
