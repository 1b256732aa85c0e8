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
/* Exports add, per exported field, what a merged row (a bucket of the tiers) knows besides its
 * last value, then the row's first time, its spike mark and how many samples it stands for. */
#define CSV_MERGED_COL(name)                                                                      \
    "," name "_first," name "_min," name "_max," name "_mean," name "_sd," name "_min_elapsed_s,"   \
    name "_max_elapsed_s," name "_known"
#define CSV_MERGED_TAIL(name) CSV_MERGED_COL(name)
#define CSV_MERGED_NOCOL
#define Z(ID, st, sm, store, have, csv, ...) CSV_MERGED_##csv
const char mw__csv_export_header[] = "timestamp,elapsed_s,pid" MW__FIELDS(X) ",nprocs,hwm_rose,marker"
                                     ",nprocs_unreadable" MW__FIELDS(Y) MW__FIELDS(Z)
                                     ",first_elapsed_s,spike_hwm_bytes,samples";
#undef Z
#define CSV_MNAME_COL(name)                                                                       \
    {name "_first", name "_min",          name "_max",          name "_mean",                       \
     name "_sd",    name "_min_elapsed_s", name "_max_elapsed_s", name "_known"},
#define CSV_MNAME_TAIL(name) CSV_MNAME_COL(name)
#define CSV_MNAME_NOCOL {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
#define Z(ID, st, sm, store, have, csv, ...) CSV_MNAME_##csv
const char *const mw__csv_merged_cols[MW__FIELD_COUNT][MW__CSV_MERGED_PER_FIELD] = {MW__FIELDS(Z)};
#undef Z
#undef X
#undef Y

#define ROW_FIXED_MAX 640 /* every column but the marker, at its widest */
/* Timestamp 24, elapsed 24, pid 10, nprocs 5, hwm_rose 1, unreadable 5, their commas 6; 21 per
 * field. */
_Static_assert(ROW_FIXED_MAX >= 75 + 21 * MW__FIELD_COUNT, "ROW_FIXED_MAX too small for the fields");
/* An export's columns after those: 6 x 21 + 2 x 25 per field, and 25 + 21 + 21. */
#define ROW_MERGED_MAX (70 + 180 * MW__FIELD_COUNT)

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

/* A row with its time columns already decided (see mw__row_times), without its line end, into
 * buf (n bytes, extra more than the row needs after it); NULL when it does not fit. counts:
 * write nprocs and nprocs_unreadable (a merged row leaves them empty: buckets do not keep them). */
static char *put_row(char *buf, size_t n, size_t extra, pid_t pid, int64_t wall_ms, int64_t el_ms,
                     const mw__sample *s, const char *marker, bool counts)
{
    if (!marker && (s->flags & MW_SAMPLE_MARK))
        marker = "";
    size_t need = ROW_FIXED_MAX + (marker ? marker_len(marker) : 0) + 1 + extra;
    if (n < need)
        return NULL;
    char *p = mw__put_timestamp(buf, wall_ms);
    *p++ = ',';
    p = mw__put_elapsed(p, el_ms);
    *p++ = ',';
    p = mw__put_u64(p, pid > 0 ? (uint64_t)pid : 0);
    p = put_fields(p, s, 0);
    *p++ = ',';
    if (counts)
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
    if (counts)
        p = mw__put_u64(p, s->unreadable);
    return put_fields(p, s, 1);
}

static size_t end_row(char *buf, char *p)
{
    if (!p)
        return 0;
    *p++ = '\n';
    *p = '\0';
    return (size_t)(p - buf);
}

static size_t format_row_at(char *buf, size_t n, pid_t pid, int64_t wall_ms, int64_t el_ms,
                            const mw__sample *s, const char *marker)
{
    return end_row(buf, put_row(buf, n, 0, pid, wall_ms, el_ms, s, marker, true));
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

/* A header line, or 0 when it does not fit. */
static size_t put_header(char *buf, size_t n, const char *header)
{
    size_t len = strlen(header);
    if (n < len + 1)
        return 0;
    memcpy(buf, header, len);
    buf[len++] = '\n';
    return len;
}

static size_t csv_header(char *buf, size_t n, const mw__capture *c)
{
    (void)c;
    return put_header(buf, n, mw__csv_header);
}

/* ---- exports: full-resolution rows and merged rows, each saying how many samples it is ------- */

static size_t csv_export_header(char *buf, size_t n, const mw__capture *c)
{
    (void)c;
    return put_header(buf, n, mw__csv_export_header);
}

static size_t csv_export_row(char *buf, size_t n, const mw__capture *c, const mw__sample *s,
                             const char *marker)
{
    int64_t wall_ms, el_ms;
    mw__row_times(c, s, &wall_ms, &el_ms);
    char *p = put_row(buf, n, ROW_MERGED_MAX, c->pid, wall_ms, el_ms, s, marker, true);
    if (!p)
        return 0;
    for (int f = 0; f < MW__FIELD_COUNT; f++)
        if (mw__fields[f].csv)
            for (int k = 0; k < MW__CSV_MERGED_PER_FIELD; k++)
                *p++ = ','; /* one sample: its value is all there is */
    memcpy(p, ",,,1", 4);
    return end_row(buf, p + 4);
}

/* Elapsed ms of a time in the run, as mw__row_times counts it. */
static int64_t el_ms_of(const mw__capture *c, int64_t t_ns)
{
    return floor_div(t_ns - (c->have_t0 ? c->t0_ns : t_ns), 1000000);
}

/* The square root of x >= 0 by Newton's method (the library links no libm). */
static double root(double x)
{
    if (x <= 0)
        return 0;
    double r = x > 1 ? x / 2 : 1;
    for (int i = 0; i < 200; i++) {
        double next = (r + x / r) / 2;
        if (next >= r)
            break; /* converged: from above, it only falls */
        r = next;
    }
    return r;
}

/* A bucket field's standard deviation (population) in bytes, from its squares around first. */
static double bucket_sd(const mw__bucket_field *bf)
{
    double k = (double)bf->known, dev = bf->sum - k * (double)bf->first;
    return root((bf->sq - dev * dev / k) / k);
}

/* The merged cells of the exported fields, each after a comma (empty for an unknown field). */
static char *put_merged(char *p, const mw__capture *c, const mw__bucket *b)
{
    for (int f = 0; f < MW__FIELD_COUNT; f++) {
        if (!mw__fields[f].csv)
            continue;
        const mw__bucket_field *bf = &b->field[f];
        if (!bf->known) {
            for (int k = 0; k < MW__CSV_MERGED_PER_FIELD; k++)
                *p++ = ',';
            continue;
        }
        uint64_t v[] = {bf->first, bf->min, bf->max, (uint64_t)(bf->sum / (double)bf->known + 0.5),
                        (uint64_t)(bucket_sd(bf) + 0.5)};
        for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
            *p++ = ',';
            p = mw__put_u64(p, v[k]);
        }
        *p++ = ',';
        p = mw__put_elapsed(p, el_ms_of(c, bf->min_t));
        *p++ = ',';
        p = mw__put_elapsed(p, el_ms_of(c, bf->max_t));
        *p++ = ',';
        if (bf->known != b->seq_end - b->seq_first) /* empty: every sample knew it */
            p = mw__put_u64(p, bf->known);
    }
    return p;
}

static size_t csv_export_bucket(char *buf, size_t n, const mw__capture *c, const mw__bucket *b,
                                const char *marker)
{
    mw__sample s; /* what the row's usual columns say: each field's last value */
    memset(&s, 0, sizeof(s));
    s.t_ns = b->t_last;
    s.flags = b->flags;
    for (int f = 0; f < MW__FIELD_COUNT; f++) {
        if (!b->field[f].known)
            continue;
        s.valid |= mw__fields[f].have;
        mw__sample_set_field(&s, (mw__field)f, b->field[f].last);
    }
    int64_t wall_ms, el_ms;
    mw__row_times(c, &s, &wall_ms, &el_ms);
    char *p = put_row(buf, n, ROW_MERGED_MAX, c->pid, wall_ms, el_ms, &s, marker, false);
    if (!p)
        return 0;
    p = put_merged(p, c, b);
    *p++ = ',';
    p = mw__put_elapsed(p, el_ms_of(c, b->t_first));
    *p++ = ',';
    if (b->hwm)
        p = mw__put_u64(p, b->hwm);
    *p++ = ',';
    p = mw__put_u64(p, b->seq_end - b->seq_first);
    return end_row(buf, p);
}

static const mw__export_run csv_run = {
    .header = csv_export_header,
    .row = csv_export_row,
    .bucket = csv_export_bucket,
};

const mw__export_format mw__export_csv = {
    .name = "csv",
    .suffix = ".csv",
    .record_max = ROW_FIXED_MAX + ROW_MERGED_MAX + 2 * MW__MARKER_CELL + 8, /* every byte
                                                                   doubled, quoted */
    .header = csv_header,
    .row = mw__csv_format_row,
    .run = &csv_run,
};

int mw__csv_export(const mw__capture *c, const char *path, bool overwrite, size_t *rows,
                   char *err, size_t errlen)
{
    return mw__export(c, &mw__export_csv, path, overwrite, rows, err, errlen);
}
