/* SPDX-License-Identifier: MIT */
/* bench_view.c — rows 4a/5a: the view builder on 1,000,000 samples at 200x60, and bytes per stored sample. */
#include "config.h"

#include "bench.h"
#include "csv.h"
#include "sample.h"
#include "view.h"

/* Usage: bench_view [--csv FILE]
 * With --csv, the same million-sample capture is also written to FILE (row 5 replays it). */

#define NSAMPLES 1000000
#define STEP_NS 100000000LL /* 100 ms: a day and more of history */
#define FRAMES 200
#define W 200
#define H 60

static uint64_t rnd_state = 88172645463325252ull;
static uint64_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

/* A leaking, noisy process with a spike every ~10,000 samples that only VmHWM saw. */
static void add_sample(mw__capture *c, int64_t i, uint64_t *hwm)
{
    mw__sample s;
    memset(&s, 0, sizeof(s));
    s.t_ns = 5000 * 1000000000LL + i * STEP_NS;
    s.rss = (200ull << 20) + (uint64_t)i * 64 + (rnd() % (8ull << 20));
    s.vsz = (900ull << 20) + (uint64_t)(i / 5000) * (4ull << 20);
    uint64_t peak = i % 10007 == 0 ? s.rss + (150ull << 20) : s.rss;
    if (peak > *hwm) {
        s.flags |= *hwm ? MW_SAMPLE_HWM_ROSE : 0;
        *hwm = peak;
    }
    s.hwm = *hwm;
    s.anon_kib = (uint32_t)((s.rss >> 10) - 20480);
    s.file_kib = 16384;
    s.shmem_kib = 4096;
    s.shared_kib = s.file_kib + s.shmem_kib;
    s.valid = MW_HAVE_ANON | MW_HAVE_FILE | MW_HAVE_SHMEM | MW_HAVE_SWAP | MW_HAVE_HWM;
    s.nprocs = 1;
    mw__capture_add(c, &s);
}

int main(int argc, char **argv)
{
    const char *csv = argc == 3 && !strcmp(argv[1], "--csv") ? argv[2] : NULL;
    mw__capture cap;
    if (mw__capture_init(&cap, NSAMPLES) != 0)
        return 1;
    cap.pid = 4242;
    snprintf(cap.command, sizeof(cap.command), "./leaky --bench");
    uint64_t hwm = 0;
    int64_t i = 0;
    for (; i < NSAMPLES; i++)
        add_sample(&cap, i, &hwm);

    mw__ui_state st;
    mw__ui_init(&st);
    mw__canvas cv;
    memset(&cv, 0, sizeof(cv));
    mw__canvas_resize(&cv, W, H);
    mw__view_info info;
    memset(&info, 0, sizeof(info));
    info.state = "running";
    info.interval_ms = STEP_NS / 1000000;

    /* The first frame indexes the whole history once (what opening a replay costs). */
    int64_t c0 = bench_cpu_ns();
    info.elapsed_ns = mw__ring_last(&cap.ring)->t_ns - cap.t0_ns;
    mw__view_build(&cv, &cap, &info, &st);
    double cold_us = (double)(bench_cpu_ns() - c0) / 1e3;

    /* Live frames: a new sample arrives (the oldest falls out) and the screen is rebuilt. */
    static double us[FRAMES];
    for (int f = 0; f < FRAMES; f++, i++) {
        add_sample(&cap, i, &hwm);
        info.elapsed_ns = mw__ring_last(&cap.ring)->t_ns - cap.t0_ns;
        int64_t t0 = bench_cpu_ns();
        mw__canvas_resize(&cv, W, H);
        mw__view_build(&cv, &cap, &info, &st);
        us[f] = (double)(bench_cpu_ns() - t0) / 1e3;
    }
    double med = bench_median(us, FRAMES);
    char m[96], b[64];
    snprintf(m, sizeof(m), "%.0f us/frame (first frame %.1f ms)", med, cold_us / 1e3);
    snprintf(b, sizeof(b), "2000 us budget");
    char q[32];
    snprintf(q, sizeof(q), "%.2fx", med / 2000.0);
    bench_row("4a", "view build: 200x60, 1,000,000 samples, live frame", m, b, q, "<= 2 ms",
              med <= 2000.0 ? "PASS" : "MISS");
    snprintf(m, sizeof(m), "%zu B/sample", sizeof(mw__sample));
    snprintf(b, sizeof(b), "%zu B (mw_stats)", sizeof(mw_stats));
    snprintf(q, sizeof(q), "%.2fx", (double)sizeof(mw__sample) / (double)sizeof(mw_stats));
    bench_row("5a", "footprint: bytes per stored sample", m, b, q, "<= 128 B",
              sizeof(mw__sample) <= 128 ? "PASS" : "MISS");

    int rc = 0;
    if (csv) {
        char err[512];
        size_t rows;
        if (mw__csv_export(&cap, csv, true, &rows, err, sizeof(err)) != 0) {
            fprintf(stderr, "bench_view: %s\n", err);
            rc = 1;
        }
    }
    mw__canvas_destroy(&cv);
    mw__ui_destroy(&st);
    mw__capture_destroy(&cap);
    return rc;
}
