/* SPDX-License-Identifier: MIT */
/* sample.h — the compact sample stored in rings (56 bytes), and its conversion to/from mw_stats. */
#ifndef MW_SAMPLE_H
#define MW_SAMPLE_H

#include <stdint.h>
#include "memwatch.h"

/* Why compact: a capture of a million samples must stay near 56 MB, not the ~120 bytes of a
 * full mw_stats each. RSS, VSZ and the high-water mark keep full 64-bit byte precision; the
 * breakdown fields are KiB in 32 bits (exact for Linux, which reports kB; saturate at 4 TiB). */
typedef struct mw__sample {
    int64_t  t_ns;      /* CLOCK_MONOTONIC, nanoseconds */
    uint64_t vsz;       /* bytes */
    uint64_t rss;       /* bytes */
    uint64_t hwm;       /* bytes, kernel RSS high-water mark (0 if unknown) */
    uint32_t shared_kib;
    uint32_t anon_kib;
    uint32_t file_kib;
    uint32_t shmem_kib;
    uint32_t swap_kib;
    uint8_t  valid;     /* MW_HAVE_* bits (fit in 8) */
    uint8_t  flags;     /* MW_SAMPLE_* bits */
    uint16_t nprocs;    /* saturates at 65535 */
} mw__sample;

_Static_assert(sizeof(mw__sample) <= 64, "a stored sample must stay within 64 bytes");

void mw__sample_from_stats(mw__sample *dst, const mw_stats *src);
void mw__sample_to_stats(mw_stats *dst, const mw__sample *src);

static inline int64_t mw__ts_to_ns(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

static inline struct timespec mw__ns_to_ts(int64_t ns)
{
    struct timespec ts;
    ts.tv_sec = (time_t)(ns / 1000000000);
    ts.tv_nsec = (long)(ns % 1000000000);
    if (ts.tv_nsec < 0) {
        ts.tv_nsec += 1000000000;
        ts.tv_sec -= 1;
    }
    return ts;
}

/* CLOCK_MONOTONIC now, in ns: the one clock behind sample times, deadlines and elapsed figures,
 * in the library and the program alike. */
static inline int64_t mw__now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return mw__ts_to_ns(&ts);
}

#endif
