/* SPDX-License-Identifier: MIT */
/* jsonl_write.c — JSON Lines as a row format: one object per sample, the CSV's columns as keys, in their order. */
#include "config.h"

#include <string.h>

#include "csv.h"
#include "export.h"
#include "jsonstr.h"

/* Why the keys come from the field table and not from a list of their own: a new column of the
 * table appears in CSV and JSON Lines at once, in the same place. The fixed columns around the
 * fields are the same ones, in the same order, as csv_write.c's. */

/* Every key and value but the marker at its widest: 24 per fixed column ("key": 20 digits),
 * 24 + the column name per field, braces and the line end. */
#define JSONL_FIXED_MAX 1536
_Static_assert(JSONL_FIXED_MAX >= 8 * 40 + 48 * MW__FIELD_COUNT, "JSONL_FIXED_MAX too small");

static char *put_raw(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

/* ,"key": (no comma before the first key) */
static char *put_key(char *p, const char *key, bool first)
{
    if (!first)
        *p++ = ',';
    *p++ = '"';
    p = put_raw(p, key);
    *p++ = '"';
    *p++ = ':';
    return p;
}

/* The exported fields of one group (tail: after marker): a number, or null when the OS did not
 * say (CSV's empty cell; never 0, which would be a figure). */
static char *put_fields(char *p, const mw__sample *s, int tail)
{
    for (int f = 0; f < MW__FIELD_COUNT; f++) {
        if (!mw__fields[f].csv || mw__fields[f].tail != tail)
            continue;
        p = put_key(p, mw__fields[f].csv, false);
        if (mw__field_known((mw__field)f, s->valid))
            p = mw__put_u64(p, mw__sample_field(s, (mw__field)f));
        else
            p = put_raw(p, "null");
    }
    return p;
}

static size_t jsonl_row(char *buf, size_t n, const mw__capture *c, const mw__sample *s,
                        const char *marker)
{
    if (!marker && (s->flags & MW_SAMPLE_MARK))
        marker = ""; /* an unlabelled mark, as CSV's "" */
    if (n < JSONL_FIXED_MAX + (marker ? mw__json_string_len(marker) : 0) + 1)
        return 0;
    int64_t wall_ms, el_ms;
    mw__row_times(c, s, &wall_ms, &el_ms);
    char *p = buf;
    *p++ = '{';
    p = put_key(p, "timestamp", true);
    *p++ = '"';
    p = mw__put_timestamp(p, wall_ms);
    *p++ = '"';
    p = mw__put_elapsed(put_key(p, "elapsed_s", false), el_ms);
    p = mw__put_u64(put_key(p, "pid", false), c->pid > 0 ? (uint64_t)c->pid : 0);
    p = put_fields(p, s, 0);
    p = mw__put_u64(put_key(p, "nprocs", false), s->nprocs);
    p = put_key(p, "hwm_rose", false);
    *p++ = (s->flags & MW_SAMPLE_HWM_ROSE) ? '1' : '0';
    p = put_key(p, "marker", false);
    p = marker ? mw__json_put_string(p, marker) : put_raw(p, "null");
    p = mw__put_u64(put_key(p, "nprocs_unreadable", false), s->unreadable);
    p = put_fields(p, s, 1);
    *p++ = '}';
    *p++ = '\n';
    *p = '\0';
    return (size_t)(p - buf);
}

const mw__export_format mw__export_jsonl = {
    .name = "jsonl",
    .suffix = ".jsonl",
    .record_max = JSONL_FIXED_MAX + 6 * MW__MARKER_CELL + 8, /* every byte a \u00XX */
    .header = NULL,
    .row = jsonl_row,
};
