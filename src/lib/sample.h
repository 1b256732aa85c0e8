/* SPDX-License-Identifier: MIT */
/* sample.h — the compact sample stored in rings (128 bytes), and its conversion to/from mw_stats. */
#ifndef MW_SAMPLE_H
#define MW_SAMPLE_H

#include <stdint.h>
#include "fields.h"
#include "memwatch.h"

/* Why compact: a capture of a million samples must stay near 96 MB, not the ~200 bytes of a
 * full mw_stats each. The members come from the field table (fields.h): B64 fields first, then
 * K32 ones, so nothing is padded. The limit was raised from 64 to 96 bytes on purpose for PSS
 * and USS (issue 14), and to 128 for issue 18's cgroup figures (8 of them in KiB, and valid
 * widened to 24 bits for their MW_HAVE_CG_* bits, sharing a word with flags); the budget is
 * spent to the byte again: a new field needs room made. */
#define MW__X_B64_B64(m) uint64_t m;
#define MW__X_B64_K32(m)
#define MW__X_B64_L32(m)
#define MW__X_K32_B64(m)
#define MW__X_K32_K32(m) uint32_t m;
#define MW__X_K32_L32(m) uint32_t m;
#define MW__X_WIDE(ID, st, sm, store, ...) MW__X_B64_##store(sm)
#define MW__X_NARROW(ID, st, sm, store, ...) MW__X_K32_##store(sm)
typedef struct mw__sample {
    int64_t  t_ns;      /* CLOCK_MONOTONIC, nanoseconds */
    MW__FIELDS(MW__X_WIDE)   /* bytes: rss, vsz, hwm (0 if unknown), vpeak (0 if unknown) */
    MW__FIELDS(MW__X_NARROW) /* KiB: shared_kib, anon_kib, ..., pss_kib, ..., swap_pss_kib */
    uint32_t pss_age_ms; /* how old the PSS figures were when this sample was taken (saturates) */
    uint32_t valid : 24; /* MW_HAVE_* bits (fit in 24) */
    uint32_t flags : 8;  /* MW_SAMPLE_* bits */
    uint16_t nprocs;     /* saturates at 65535 */
    uint16_t unreadable; /* processes found but not readable; saturates at 65535 */
} mw__sample;
#undef MW__X_WIDE
#undef MW__X_NARROW

_Static_assert(sizeof(mw__sample) <= 128, "a stored sample must stay within 128 bytes");
_Static_assert(MW_HAVE_CG_SWAP <= 0xffffff, "MW_HAVE_* bits must fit the sample's 24-bit valid");
_Static_assert(MW_SAMPLE_CG_HIGH <= 0xff, "MW_SAMPLE_* bits must fit the sample's 8-bit flags");

void mw__sample_from_stats(mw__sample *dst, const mw_stats *src);
void mw__sample_to_stats(mw_stats *dst, const mw__sample *src);

/* Field f of a sample in bytes (0 when unknown). Inline: charts read it for every sample. */
#define MW__X_LOAD_B64(v) (v)
#define MW__X_LOAD_K32(v) ((uint64_t)(v) * 1024)
#define MW__X_LOAD_L32(v) ((v) == UINT32_MAX ? MW_CG_UNLIMITED : (uint64_t)(v) * 1024)
static inline uint64_t mw__sample_field(const mw__sample *x, mw__field f)
{
    switch (f) {
#define MW__X_GET(ID, st, sm, store, ...)                                                          \
    case MW__FIELD_##ID:                                                                           \
        return MW__X_LOAD_##store(x->sm);
        MW__FIELDS(MW__X_GET)
#undef MW__X_GET
    default:
        return 0;
    }
}

/* Set field f of a sample from bytes, stored as mw__sample_from_stats would store it. */
void mw__sample_set_field(mw__sample *x, mw__field f, uint64_t bytes);

/* Tree mode: add one more process's figures (kid) to the tree's (sum), as the table says each
 * field sums; sum keeps only the MW_HAVE_* bits both have, and counts one more process. */
void mw__stats_tree_add(mw_stats *sum, const mw_stats *kid);

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
