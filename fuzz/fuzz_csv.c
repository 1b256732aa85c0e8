/* SPDX-License-Identifier: MIT */
/* fuzz_csv.c — libFuzzer harness: the capture CSV reader takes any bytes, and what it loads writes back stably. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

/* Rows kept: small, so the ring wraps and the "newest rows win" path runs too. */
#define CAP 16
/* The widest row: every byte of the widest marker cell doubled by quoting, and the rest. */
#define ROW_MAX (2 * MW__MARKER_CELL + 512)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The stored rows of c as a file (header included) into buf; returns its length. */
static size_t write_back(const mw__capture *c, char *buf, size_t n)
{
    size_t len = strlen(mw__csv_header);
    memcpy(buf, mw__csv_header, len);
    buf[len++] = '\n';
    for (uint64_t seq = mw__ring_first(&c->ring); seq < mw__ring_end(&c->ring); seq++) {
        const mw__sample *s = mw__ring_at(&c->ring, seq);
        char cell[MW__MARKER_CELL];
        size_t r = mw__csv_format_row(buf + len, n - len, c, s,
                                      mw__capture_marker(c, seq, cell, sizeof(cell)));
        if (!r)
            abort(); /* a loaded cell never needs more than ROW_MAX (csv.h: twice a cell + 512) */
        len += r;
    }
    return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char once[CAP * ROW_MAX + 256], twice[CAP * ROW_MAX + 256];
    mw__capture a, b;
    char err[256];
    if (mw__capture_init(&a, CAP) || mw__capture_init(&b, CAP))
        abort();
    err[0] = '\0';
    int rc = mw__csv_load_mem((const char *)data, size, "fuzz.csv", &a, err, sizeof(err));
    if (rc == 0) {
        if (mw__ring_count(&a.ring) > CAP)
            abort();
        /* Property: load -> write -> load -> write is a fixed point. */
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
