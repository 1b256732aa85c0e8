/* SPDX-License-Identifier: MIT */
/* fuzz_csv.c — libFuzzer harness: the capture CSV reader takes any bytes, and what it loads writes back stably. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

/* Rows kept: small, so the ring wraps and the "newest rows win" path runs too; behind it, the
 * tiers (at least MW__TIERS_MIN_BUCKETS buckets, one more open) take merged rows and the rest. */
#define CAP 16
#define BUCKETS (MW__TIERS_MIN_BUCKETS + 1)
/* Bytes a record may take: above the export's record_max (8970 with 23 fields; it grows with the
 * field table, and the harness aborts at once if it ever passes this). */
#define RECORD 16384

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* c as an export writes it (header, merged rows, the ring's rows) into buf; returns its length. */
static size_t write_back(const mw__capture *c, char *buf, size_t n)
{
    const mw__export_run *run = mw__export_csv.run;
    size_t len = run->header(buf, n, c);
    for (size_t i = 0; i < mw__tiers_count(&c->tiers); i++) {
        size_t r = run->bucket(buf + len, n - len, c, mw__tiers_at(&c->tiers, i), NULL);
        if (!r)
            abort(); /* record_max holds any row */
        len += r;
    }
    for (uint64_t seq = mw__ring_first(&c->ring); seq < mw__ring_end(&c->ring); seq++) {
        const mw__sample *s = mw__ring_at(&c->ring, seq);
        char cell[MW__MARKER_CELL];
        size_t r = run->row(buf + len, n - len, c, s, mw__capture_marker(c, seq, cell, sizeof(cell)));
        if (!r)
            abort();
        len += r;
    }
    return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char once[(CAP + BUCKETS + 1) * RECORD], twice[(CAP + BUCKETS + 1) * RECORD];
    mw__capture a, b;
    char err[256];
    if (mw__capture_init(&a, CAP) || mw__capture_init(&b, CAP))
        abort();
    err[0] = '\0';
    int rc = mw__csv_load_mem((const char *)data, size, "fuzz.csv", &a, err, sizeof(err));
    if (rc == 0) {
        if (mw__ring_count(&a.ring) > CAP || mw__tiers_count(&a.tiers) > BUCKETS ||
            mw__export_csv.record_max > RECORD)
            abort();
        /* Property: load -> export -> load -> export is a fixed point. */
        size_t n1 = write_back(&a, once, sizeof(once));
        if (mw__csv_load_mem(once, n1, "once.csv", &b, err, sizeof(err)) != 0)
            abort();
        size_t n2 = write_back(&b, twice, sizeof(twice));
        if (n1 != n2 || memcmp(once, twice, n1) != 0)
            abort();
    } else if (rc != MW_EINVAL || !err[0]) {
        abort(); /* bad input is MW_EINVAL with a message (no I/O, no big allocation here) */
    }
    mw__capture_destroy(&a);
    mw__capture_destroy(&b);
    return 0;
}
