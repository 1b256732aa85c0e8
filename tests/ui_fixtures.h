/* SPDX-License-Identifier: MIT */
/* ui_fixtures.h — test-only helpers for the dashboard tests: synthetic captures and golden files. */
#ifndef MW_UI_FIXTURES_H
#define MW_UI_FIXTURES_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "capture.h"

#define FX_MIB (1024ull * 1024ull)
#define FX_S 1000000000LL

/* A Linux-like sample: every breakdown field valid, one process. */
static inline mw__sample fx_sample(int64_t t_ns, uint64_t rss, uint64_t vsz)
{
    mw__sample s;
    memset(&s, 0, sizeof(s));
    s.t_ns = t_ns;
    s.rss = rss;
    s.vsz = vsz;
    s.hwm = rss;
    s.shared_kib = (uint32_t)(12 * 1024);
    s.anon_kib = (uint32_t)((rss - 12 * FX_MIB) / 1024);
    s.file_kib = 10 * 1024;
    s.shmem_kib = 2 * 1024;
    s.swap_kib = 0;
    s.valid = MW_HAVE_ANON | MW_HAVE_FILE | MW_HAVE_SHMEM | MW_HAVE_SWAP | MW_HAVE_HWM;
    s.nprocs = 1;
    return s;
}

static inline void fx_capture(mw__capture *c, size_t cap)
{
    cr_assert_eq(mw__capture_init(c, cap), 0);
    c->pid = 4242;
    snprintf(c->command, sizeof(c->command), "./leaky --rate 64K --every 250ms");
    c->wall_offset_ns = 1; /* fixed: never read the real clocks in tests */
}

/* A steady leak: 100 MiB + 64 KiB per sample, VSZ stepping up every 40 samples, with one
 * short spike the samples caught at i == spike (if >= 0). Appends n samples, continuing the
 * pattern (and the clock) where the capture stands. */
static inline void fx_leak(mw__capture *c, int n, int64_t step_ns, int spike)
{
    uint64_t hwm = c->all.max_hwm;
    int i0 = (int)c->all.n;
    for (int i = i0; i < i0 + n; i++) {
        uint64_t rss = 100 * FX_MIB + (uint64_t)i * 64 * 1024;
        if (i == spike)
            rss += 40 * FX_MIB;
        uint64_t vsz = 400 * FX_MIB + (uint64_t)(i / 40) * 8 * FX_MIB;
        mw__sample s = fx_sample(1000 * FX_S + i * step_ns, rss, vsz);
        if (rss > hwm) {
            s.flags |= hwm ? MW_SAMPLE_HWM_ROSE : 0;
            hwm = rss;
        }
        s.hwm = hwm;
        mw__capture_add(c, &s);
    }
}

/* Compare text with tests/golden/<name>.txt; MW_UPDATE_GOLDEN=1 rewrites the file instead.
 * On a mismatch the actual text is left in ./<name>.actual for diffing. */
static inline void fx_golden(const char *name, const char *actual)
{
    char path[1024];
    const char *src = getenv("MW_SRCDIR");
    if (src)
        snprintf(path, sizeof(path), "%s/tests/golden/%s.txt", src, name);
    else {
        const char *f = __FILE__, *slash = strrchr(f, '/');
        snprintf(path, sizeof(path), "%.*s/golden/%s.txt", slash ? (int)(slash - f) : 1,
                 slash ? f : ".", name);
    }
    if (getenv("MW_UPDATE_GOLDEN")) {
        FILE *o = fopen(path, "w");
        cr_assert(o, "cannot write %s", path);
        fputs(actual, o);
        fclose(o);
        return;
    }
    FILE *in = fopen(path, "r");
    cr_assert(in, "missing golden file %s (MW_UPDATE_GOLDEN=1 creates it)", path);
    static char want[1 << 20];
    size_t n = fread(want, 1, sizeof(want) - 1, in);
    want[n] = '\0';
    fclose(in);
    if (strcmp(want, actual) != 0) {
        char out[300];
        snprintf(out, sizeof(out), "%s.actual", name);
        FILE *o = fopen(out, "w");
        if (o) {
            fputs(actual, o);
            fclose(o);
        }
        cr_assert_fail("%s differs from %s (actual text in %s)", name, path, out);
    }
}

#endif
