/* SPDX-License-Identifier: MIT */
/* bench_tiers.c — row 9: a week at 100 ms in a capture with tiers against today's flat ring holding it all. */
#include "config.h"

#include "bench.h"
#include "sample.h"
#include "view.h"

/* Two captures of the same simulated week (6,048,000 samples at 100 ms), side by side:
 *   tiered: the default history (-H 100000: 2.8 hours at full resolution) plus its tiers;
 *   flat:   a ring big enough for the whole week, which is what keeping it cost before tiers.
 * 10a memory held, 10b the 200x60 view over the whole week (zoom all, live frames, median),
 * 10c CPU per pushed sample (pushed in alternating chunks, so both see the same machine). */

#define WEEK (7LL * 86400 * 10)
#define STEP_NS 100000000LL
#define RING 100000
#define CHUNK 100000
#define FRAMES 101
#define W 200
#define H 60

typedef struct side {
    mw__capture cap;
    mw__ui_state st;
    mw__canvas cv;
    uint64_t hwm;
    double push_ns; /* CPU spent in mw__capture_add */
    double frame_us[FRAMES];
} side;

/* Sample i of the week: a slow leak under a daily load cycle, noise, and a short spike every
 * ~2.8 hours (100,003 samples) that only VmHWM saw. The same for both sides. */
static mw__sample week_sample(int64_t i, uint64_t *hwm)
{
    mw__sample s;
    memset(&s, 0, sizeof(s));
    uint64_t h = (uint64_t)i * 0x9e3779b97f4a7c15ull;
    int64_t day_phase = i % (86400 * 10);
    s.t_ns = 1000 * 1000000000LL + i * STEP_NS;
    int64_t load = day_phase < 43200 * 10 ? day_phase : 86400 * 10 - day_phase;
    s.rss = (300ull << 20) + (uint64_t)i * 16 + (uint64_t)load * 64 + (h >> 41);
    s.vsz = 2 * s.rss;
    uint64_t peak = i % 100003 == 5 ? s.rss + (200ull << 20) : s.rss;
    if (peak > *hwm) {
        s.flags |= *hwm ? MW_SAMPLE_HWM_ROSE : 0;
        *hwm = peak;
    }
    s.hwm = *hwm;
    s.anon_kib = (uint32_t)(s.rss >> 10) - 8192;
    s.file_kib = 8192;
    s.valid = MW_HAVE_ANON | MW_HAVE_FILE | MW_HAVE_HWM;
    s.nprocs = 1;
    return s;
}

/* The samples are made first and the pushes timed as a chunk: a clock read around each push
 * would cost more than the push. */
static int push_timed(side *sd, int64_t from, int64_t to)
{
    mw__sample *buf = malloc((size_t)(to - from) * sizeof(*buf));
    if (!buf)
        return -1;
    for (int64_t i = from; i < to; i++)
        buf[i - from] = week_sample(i, &sd->hwm);
    int64_t c0 = bench_cpu_ns();
    for (int64_t i = from; i < to; i++)
        mw__capture_add(&sd->cap, &buf[i - from]);
    sd->push_ns += (double)(bench_cpu_ns() - c0);
    free(buf);
    return 0;
}

/* Bytes the side holds for its history: ring, tiers (once used), the view's chart index. */
static double held_mib(const side *sd)
{
    size_t b = sd->cap.ring.cap * sizeof(mw__sample) + sd->st.index.nblocks * sizeof(mw__chart_block);
    if (sd->cap.tiers.mem)
        b += mw__tiers_bytes(&sd->cap.tiers);
    return (double)b / 1048576.0;
}

static double frame(side *sd, int64_t i)
{
    mw__view_info info;
    memset(&info, 0, sizeof(info));
    info.state = "running";
    info.interval_ms = STEP_NS / 1000000;
    mw__sample s = week_sample(i, &sd->hwm);
    mw__capture_add(&sd->cap, &s);
    info.elapsed_ns = mw__ring_last(&sd->cap.ring)->t_ns - sd->cap.t0_ns;
    int64_t t0 = bench_cpu_ns();
    mw__view_build(&sd->cv, &sd->cap, &info, &sd->st);
    return (double)(bench_cpu_ns() - t0) / 1e3;
}

static int open_side(side *sd, size_t cap)
{
    memset(sd, 0, sizeof(*sd));
    if (mw__capture_init(&sd->cap, cap) != 0 || mw__canvas_resize(&sd->cv, W, H) != 0)
        return -1;
    mw__ui_init(&sd->st);
    sd->cap.pid = 4242;
    snprintf(sd->cap.command, sizeof(sd->cap.command), "./leaky --week");
    return 0;
}

static void rows(side *t, side *f)
{
    char m[128], b[96], q[32];
    double mt = held_mib(t), mf = held_mib(f);
    snprintf(m, sizeof(m), "%.1f MiB (ring %d + tiers %zu buckets)", mt, RING, t->cap.tiers.nbuckets);
    snprintf(b, sizeof(b), "%.1f MiB (flat ring of the week)", mf);
    snprintf(q, sizeof(q), "%.3fx", mt / mf);
    bench_row("10a", "a week at 100 ms (6.05M samples): memory held", m, b, q, "<= 64 MiB",
              mt <= 64.0 ? "PASS" : "MISS");
    double ft = bench_median(t->frame_us, FRAMES), ff = bench_median(f->frame_us, FRAMES);
    snprintf(m, sizeof(m), "%.0f us/frame (tiered)", ft);
    snprintf(b, sizeof(b), "%.0f us (flat ring)", ff);
    snprintf(q, sizeof(q), "%.2fx", bench_median_ratio(t->frame_us, f->frame_us, FRAMES));
    bench_row("10b", "a week at 100 ms: view build 200x60, zoom all", m, b, q, "<= 2 ms",
              ft <= 2000.0 ? "PASS" : "MISS");
    double pt = t->push_ns / (double)WEEK, pf = f->push_ns / (double)WEEK;
    snprintf(m, sizeof(m), "%.1f ns CPU/sample (tiered)", pt);
    snprintf(b, sizeof(b), "%.1f ns (flat ring)", pf);
    snprintf(q, sizeof(q), "%.2fx", pt / pf);
    bench_row("10c", "a week at 100 ms: pushing a sample", m, b, q, "O(1) amortised: report", "info");
}

int main(void)
{
    static side tiered, flat;
    if (open_side(&tiered, RING) != 0 || open_side(&flat, (size_t)WEEK + FRAMES + 1) != 0) {
        fprintf(stderr, "bench_tiers: out of memory\n");
        return 1;
    }
    for (int64_t i = 0; i < WEEK; i += CHUNK) {
        int64_t to = i + CHUNK < WEEK ? i + CHUNK : WEEK;
        if (push_timed(&tiered, i, to) != 0 || push_timed(&flat, i, to) != 0) {
            fprintf(stderr, "bench_tiers: out of memory\n");
            return 1;
        }
    }
    /* Live frames, alternating sides: a new sample arrives and each screen is rebuilt. The
     * first frame of each indexes its ring once (opening a replay pays that): not counted. */
    frame(&tiered, WEEK);
    frame(&flat, WEEK);
    for (int k = 0; k < FRAMES; k++) {
        tiered.frame_us[k] = frame(&tiered, WEEK + 1 + k);
        flat.frame_us[k] = frame(&flat, WEEK + 1 + k);
    }
    rows(&tiered, &flat);
    side *both[] = {&tiered, &flat};
    for (int k = 0; k < 2; k++) {
        mw__canvas_destroy(&both[k]->cv);
        mw__ui_destroy(&both[k]->st);
        mw__capture_destroy(&both[k]->cap);
    }
    return 0;
}
