/* SPDX-License-Identifier: MIT */
/* csv_write.c — format captures as CSV: the header, one row, and CSV as an export format. */
#include "config.h"

#include <string.h>

#include "csv.h"

/* Time and pid, a column per exported field of the table (fields.h), the sample's own columns,
 * then the columns added later (TAIL fields), after marker. */
#define CSV_HEADER_COL(name) "," name
#define CSV_HEADER_TAIL(name)
#define CSV_HEADER_NOCOL
#define CSV_LATE_COL(name)
#define CSV_LATE_TAIL(name) "," name
#define CSV_LATE_NOCOL
#define X(ID, st, sm, store, have, csv, ...) CSV_HEADER_##csv
#define Y(ID, st, sm, store, have, csv, ...) CSV_LATE_##csv
const char mw__csv_header[] = "timestamp,elapsed_s,pid" MW__FIELDS(X) ",nprocs,hwm_rose,marker"
                              ",nprocs_unreadable" MW__FIELDS(Y);
#undef X
#undef Y

#define ROW_FIXED_MAX 640 /* every column but the marker, at its widest */
/* Timestamp 24, elapsed 24, pid 10, nprocs 5, hwm_rose 1, unreadable 5, their commas 6; 21 per
 * field. */
_Static_assert(ROW_FIXED_MAX >= 75 + 21 * MW__FIELD_COUNT, "ROW_FIXED_MAX too small for the fields");

/* ---- formatting ------------------------------------------------------------------------------ */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b) != 0 && ((a < 0) != (b < 0)))
        q--;
    return q;
}

/* Decimal digits two at a time: half the dependent divisions of the naive loop. */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

char *mw__put_u64(char *p, uint64_t v)
{
    char tmp[20];
    int i = 20;
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        tmp[--i] = digit_pairs[2 * r + 1];
        tmp[--i] = digit_pairs[2 * r];
    }
    if (v >= 10) {
        tmp[--i] = digit_pairs[2 * v + 1];
        tmp[--i] = digit_pairs[2 * v];
    } else {
        tmp[--i] = (char)('0' + v);
    }
    memcpy(p, tmp + i, (size_t)(20 - i));
    return p + (20 - i);
}

static char *put_fixed(char *p, unsigned v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

/* Howard Hinnant's civil_from_days: days since 1970-01-01 -> proleptic Gregorian date. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* "YYYY-MM-DDTHH:MM:SS." for a wall-clock second. Rows arrive in time order, so one cached
 * second per thread saves the calendar arithmetic on almost every row at 1 kHz. */
static _Thread_local int64_t cached_sec = INT64_MIN;
static _Thread_local char cached_prefix[20];

char *mw__put_timestamp(char *p, int64_t wall_ms)
{
    int64_t sec = floor_div(wall_ms, 1000);
    if (sec != cached_sec) {
        int64_t days = floor_div(sec, 86400), y;
        unsigned sod = (unsigned)(sec - days * 86400), m, d;
        civil_from_days(days, &y, &m, &d);
        if (y < 0)
            y = 0; /* unreachable with real clocks; keeps the width fixed */
        if (y > 9999)
            y = 9999;
        char *q = cached_prefix;
        q = put_fixed(q, (unsigned)y, 4);
        *q++ = '-';
        q = put_fixed(q, m, 2);
        *q++ = '-';
        q = put_fixed(q, d, 2);
        *q++ = 'T';
        q = put_fixed(q, sod / 3600, 2);
        *q++ = ':';
        q = put_fixed(q, sod / 60 % 60, 2);
        *q++ = ':';
        q = put_fixed(q, sod % 60, 2);
        *q = '.';
        cached_sec = sec;
    }
    memcpy(p, cached_prefix, 20);
    p = put_fixed(p + 20, (unsigned)(wall_ms - sec * 1000), 3);
    *p++ = 'Z';
    return p;
}

static bool needs_apostrophe(char ch)
{
    return ch == '=' || ch == '+' || ch == '-' || ch == '@' || ch == '\'' || ch == '\t' ||
           ch == '\r';
}

/* The marker cell's length: quotes, doubled quotes and the formula-guard apostrophe. */
static size_t marker_len(const char *m)
{
    size_t len = 2 + (needs_apostrophe(m[0]) ? 1 : 0);
    for (; *m; m++)
        len += *m == '"' ? 2 : 1;
    return len;
}

/* The cells of the exported fields of one group (tail: after marker), each after a comma. */
static char *put_fields(char *p, const mw__sample *s, int tail)
{
    for (int f = 0; f < MW__FIELD_COUNT; f++) {
        if (!mw__fields[f].csv || mw__fields[f].tail != tail)
            continue;
        *p++ = ',';
        if (mw__field_known((mw__field)f, s->valid)) /* else empty: the OS did not say */
            p = mw__put_u64(p, mw__sample_field(s, (mw__field)f));
    }
    return p;
}

/* A row with its time columns already decided (see mw__row_times). */
static size_t format_row_at(char *buf, size_t n, pid_t pid, int64_t wall_ms, int64_t el_ms,
                            const mw__sample *s, const char *marker)
{
    if (!marker && (s->flags & MW_SAMPLE_MARK))
        marker = "";
    size_t need = ROW_FIXED_MAX + (marker ? marker_len(marker) : 0) + 1;
    if (n < need)
        return 0;
    char *p = mw__put_timestamp(buf, wall_ms);
    *p++ = ',';
    p = mw__put_elapsed(p, el_ms);
    *p++ = ',';
    p = mw__put_u64(p, pid > 0 ? (uint64_t)pid : 0);
    p = put_fields(p, s, 0);
    *p++ = ',';
    p = mw__put_u64(p, s->nprocs);
    *p++ = ',';
    *p++ = (s->flags & MW_SAMPLE_HWM_ROSE) ? '1' : '0';
    *p++ = ',';
    if (marker) {
        *p++ = '"';
        if (needs_apostrophe(marker[0]))
            *p++ = '\'';
        for (const char *m = marker; *m; m++) {
            if (*m == '"')
                *p++ = '"';
            *p++ = *m;
        }
        *p++ = '"';
    }
    *p++ = ',';
    p = mw__put_u64(p, s->unreadable);
    p = put_fields(p, s, 1);
    *p++ = '\n';
    *p = '\0';
    return (size_t)(p - buf);
}

char *mw__put_elapsed(char *p, int64_t el_ms)
{
    if (el_ms < 0)
        el_ms = 0; /* monotonic time never runs backwards from the first sample */
    p = mw__put_u64(p, (uint64_t)el_ms / 1000);
    *p++ = '.';
    return put_fixed(p, (unsigned)((uint64_t)el_ms % 1000), 3);
}

/* A row's time columns in whole ms: wall = the first sample's wall ms + elapsed, so timestamp and
 * elapsed_s agree exactly and a loaded capture exports the same text again. */
void mw__row_times(const mw__capture *c, const mw__sample *s, int64_t *wall_ms, int64_t *el_ms)
{
    int64_t t0 = c->have_t0 ? c->t0_ns : s->t_ns;
    *el_ms = floor_div(s->t_ns - t0, 1000000);
    *wall_ms = floor_div(t0 + c->wall_offset_ns, 1000000) + *el_ms;
}

size_t mw__csv_format_row(char *buf, size_t n, const mw__capture *c, const mw__sample *s,
                          const char *marker)
{
    int64_t wall_ms, el_ms;
    mw__row_times(c, s, &wall_ms, &el_ms);
    return format_row_at(buf, n, c->pid, wall_ms, el_ms, s, marker);
}

/* ---- CSV as an export format ------------------------------------------------------------------ */

static size_t csv_header(char *buf, size_t n, const mw__capture *c)
{
    (void)c;
    size_t len = strlen(mw__csv_header);
    if (n < len + 1)
        return 0;
    memcpy(buf, mw__csv_header, len);
    buf[len++] = '\n';
    return len;
}

const mw__export_format mw__export_csv = {
    .name = "csv",
    .suffix = ".csv",
    .record_max = ROW_FIXED_MAX + 2 * MW__MARKER_CELL + 8, /* every byte doubled, quoted */
    .header = csv_header,
    .row = mw__csv_format_row,
};

int mw__csv_export(const mw__capture *c, const char *path, bool overwrite, size_t *rows,
                   char *err, size_t errlen)
{
    return mw__export(c, &mw__export_csv, path, overwrite, rows, err, errlen);
}
