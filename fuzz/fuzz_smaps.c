/* SPDX-License-Identifier: MIT */
/* fuzz_smaps.c — libFuzzer harness for the /proc/PID/smaps parser, its group table, the diff and its CSV rows. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "smapsparse.h"

/* Seeds: fuzz/corpus/smaps (real smaps texts cut short, spaces and "(deleted)" in paths, named
 * anonymous mappings, huge kB). Every input is parsed twice into one reused table (the second
 * parse must give the same groups), diffed against itself and against nothing, and every row is
 * formatted as CSV in the room the header promises. Build and run: fuzz/run.sh. */

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_diff(const mw__smaps_table *then, const mw__smaps_table *now, int same)
{
    mw__smaps_diff d;
    memset(&d, 0, sizeof(d));
    CHECK(mw__smaps_diff_make(then, now, &d) == 0);
    /* Anonymous groups are matched by overlapping address range. A real kernel never lists
     * overlapping mappings; a fuzzed text may, and then how its groups pair up is not a contract
     * (only memory safety, order and the CSV are): the exact row count and "a table diffed with
     * itself is all unchanged" are checked by tests/test_where.c on real layouts. */
    (void)same;
    CHECK(d.n > 0 || (then->n == 0 && now->n == 0));
    for (size_t i = 0; i < d.n; i++) {
        const mw__smaps_row *r = &d.rows[i];
        CHECK(i == 0 || d.rows[i - 1].growth >= r->growth);
        size_t need = 2 * strlen(r->name) + 256;
        char *buf = malloc(need);
        CHECK(buf);
        size_t n = mw__smaps_csv_row(buf, need, r);
        CHECK(n > 0 && n < need && buf[n - 1] == '\n' && buf[n] == '\0');
        free(buf);
    }
    mw__smaps_diff_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    mw__smaps_table t, empty;
    mw__smaps_table_init(&t);
    mw__smaps_table_init(&empty);
    int rc = mw__smaps_parse(buf, size, &t);
    CHECK(rc == 0 || rc == MW_EINVAL || rc == MW_ENOMEM);
    if (rc != 0) {
        CHECK(t.n == 0 && t.mappings == 0 && t.rss == 0);
    } else {
        size_t maps = 0;
        for (size_t i = 0; i < t.n; i++) {
            CHECK(mw__smaps_find(&t, mw__smaps_name(&t, i)) == (long)i);
            CHECK(t.g[i].kind < MW__SMAPS_KINDS && t.g[i].mappings > 0);
            maps += t.g[i].mappings;
        }
        CHECK(maps == t.mappings);
        size_t n = t.n;
        CHECK(mw__smaps_parse(buf, size, &t) == 0 && t.n == n); /* a reused table */
        check_diff(&t, &t, 1);
        check_diff(&empty, &t, 0);
        check_diff(&t, &empty, 0);
    }
    const char *nl = memchr(buf, '\n', size);
    mw__smaps_header h;
    if (mw__smaps_parse_header(buf, nl ? (size_t)(nl - buf) : size, &h))
        CHECK(h.path >= buf && h.path + h.path_len <= buf + size);
    mw__smaps_table_free(&t);
    return 0;
}
