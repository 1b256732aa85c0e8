/* SPDX-License-Identifier: MIT */
/* csv_write.c — write captures as CSV: one row, a whole atomic export, or a stream for -o. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csv.h"

#ifndef O_NOFOLLOW
#define O_NOFOLLOW 0
#endif
#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

/* Time and pid, a column per exported field of the table (fields.h), the sample's own columns. */
#define CSV_HEADER_COL(name) "," name
#define CSV_HEADER_NOCOL
#define X(ID, st, sm, store, have, csv, ...) CSV_HEADER_##csv
const char mw__csv_header[] = "timestamp,elapsed_s,pid" MW__FIELDS(X) ",nprocs,hwm_rose,marker";
#undef X

#define ROW_FIXED_MAX 320 /* every column but the marker, at its widest */
/* Timestamp 24, elapsed 24, pid 10, nprocs 5, hwm_rose 1, their commas 5; 21 per field. */
_Static_assert(ROW_FIXED_MAX >= 69 + 21 * MW__FIELD_COUNT, "ROW_FIXED_MAX too small for the fields");

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

static char *put_u64(char *p, uint64_t v)
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

static char *put_timestamp(char *p, int64_t wall_ms)
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

size_t mw__csv_format_row_at(char *buf, size_t n, pid_t pid, int64_t wall_ms, int64_t el_ms,
                             const mw__sample *s, const char *marker)
{
    if (!marker && (s->flags & MW_SAMPLE_MARK))
        marker = "";
    size_t need = ROW_FIXED_MAX + (marker ? marker_len(marker) : 0) + 1;
    if (n < need)
        return 0;
    if (el_ms < 0)
        el_ms = 0; /* monotonic time never runs backwards from the first sample */
    char *p = put_timestamp(buf, wall_ms);
    *p++ = ',';
    p = put_u64(p, (uint64_t)el_ms / 1000);
    *p++ = '.';
    p = put_fixed(p, (unsigned)((uint64_t)el_ms % 1000), 3);
    *p++ = ',';
    p = put_u64(p, pid > 0 ? (uint64_t)pid : 0);
    for (int f = 0; f < MW__FIELD_COUNT; f++) {
        if (!mw__fields[f].csv)
            continue;
        *p++ = ',';
        if (mw__field_known((mw__field)f, s->valid)) /* else empty: the OS did not say */
            p = put_u64(p, mw__sample_field(s, (mw__field)f));
    }
    *p++ = ',';
    p = put_u64(p, s->nprocs);
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
    *p++ = '\n';
    *p = '\0';
    return (size_t)(p - buf);
}

void mw__csv_row_times(const mw__capture *c, const mw__sample *s, int64_t *wall_ms, int64_t *el_ms)
{
    int64_t t0 = c->have_t0 ? c->t0_ns : s->t_ns;
    *el_ms = floor_div(s->t_ns - t0, 1000000);
    *wall_ms = floor_div(t0 + c->wall_offset_ns, 1000000) + *el_ms;
}

size_t mw__csv_format_row(char *buf, size_t n, const mw__capture *c, const mw__sample *s,
                          const char *marker)
{
    int64_t wall_ms, el_ms;
    mw__csv_row_times(c, s, &wall_ms, &el_ms);
    return mw__csv_format_row_at(buf, n, c->pid, wall_ms, el_ms, s, marker);
}

/* ---- buffered output to a file descriptor ------------------------------------------------------ */

typedef struct outbuf {
    int fd;
    size_t len;
    char buf[MW__CSV_OUTBUF];
} outbuf;

int mw__csv_write_all(int fd, char *buf, size_t *len)
{
    size_t off = 0;
    while (off < *len) {
        ssize_t w = write(fd, buf + off, *len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = w < 0 ? errno : EIO;
            memmove(buf, buf + off, *len - off);
            *len -= off;
            return e;
        }
        off += (size_t)w;
    }
    *len = 0;
    return 0;
}

static int outbuf_flush(outbuf *o)
{
    return mw__csv_write_all(o->fd, o->buf, &o->len);
}

/* The header starts an empty buffer. */
static void outbuf_header(outbuf *o)
{
    memcpy(o->buf, mw__csv_header, sizeof(mw__csv_header) - 1);
    o->len = sizeof(mw__csv_header) - 1;
    o->buf[o->len++] = '\n';
}

/* ---- whole-capture export ---------------------------------------------------------------------- */

static int export_fail(int rc, int e, const char *path, char *err, size_t errlen)
{
    if (err && errlen)
        snprintf(err, errlen, "cannot export to %s: %s", path, strerror(e));
    return rc;
}

static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* Create the temporary next to path. The first name tried is predictable (".<name>.<pid>.000000"),
 * the rest random; O_EXCL|O_NOFOLLOW means whatever is planted at a name is skipped, never
 * followed or truncated. Returns the fd or -1 with errno set. */
static int create_temp(const char *path, char *tmp, size_t tmplen)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = path + dirlen;
    int baselen = (int)strlen(base);
    if (baselen > 200)
        baselen = 200; /* stay under NAME_MAX with the suffix */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t seed = mix64((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^ (uintptr_t)tmp);
    for (unsigned attempt = 0; attempt < 100; attempt++) {
        unsigned suffix = attempt ? (unsigned)(mix64(seed + attempt) & 0xffffff) : 0;
        int len = snprintf(tmp, tmplen, "%.*s.%.*s.%ld.%06x", (int)dirlen, path, baselen, base,
                           (long)getpid(), suffix);
        if (len < 0 || (size_t)len >= tmplen) {
            errno = ENAMETOOLONG;
            return -1;
        }
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

/* Put tmp at path. Without overwrite, a file at path (even one created a moment ago) wins. */
static int publish(const char *tmp, const char *path, bool overwrite)
{
    if (overwrite)
        return rename(tmp, path) ? errno : 0;
#if defined(RENAME_NOREPLACE) && defined(AT_FDCWD)
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return errno;
#endif
    /* Portable: link() fails with EEXIST instead of replacing. */
    if (link(tmp, path))
        return errno;
    unlink(tmp);
    return 0;
}

static void fsync_dir_of(const char *path)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof(dir), ".");
    else if (slash == path)
        snprintf(dir, sizeof(dir), "/");
    else
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
    int fd = open(dir, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd); /* best effort: the rename is durable once the directory is */
        close(fd);
    }
}

static int write_rows(outbuf *o, const mw__capture *c, size_t *rows)
{
    int e = 0;
    outbuf_header(o);
    uint64_t first = mw__ring_first(&c->ring), end = mw__ring_end(&c->ring);
    for (uint64_t seq = first; seq < end; seq++) {
        const mw__sample *s = mw__ring_at(&c->ring, seq);
        const char *label = (s->flags & MW_SAMPLE_MARK) ? mw__capture_mark_label(c, seq) : NULL;
        if (o->len + ROW_FIXED_MAX + 2 * MW__MARK_LABEL_MAX + 8 > sizeof(o->buf))
            e = outbuf_flush(o);
        if (e)
            break;
        size_t len = mw__csv_format_row(o->buf + o->len, sizeof(o->buf) - o->len, c, s, label);
        if (!len) {
            e = EINVAL;
            break;
        }
        o->len += len;
        (*rows)++;
    }
    return e ? e : outbuf_flush(o);
}

int mw__csv_export(const mw__capture *c, const char *path, bool overwrite, size_t *rows,
                   char *err, size_t errlen)
{
    size_t n = 0;
    if (rows)
        *rows = 0;
    if (err && errlen)
        err[0] = '\0';
    if (!c || !path || !*path)
        return export_fail(MW_EINVAL, EINVAL, path ? path : "(null)", err, errlen);

    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return export_fail(MW_EINVAL, EISDIR, path, err, errlen);
    if (path[strlen(path) - 1] == '/')
        return export_fail(MW_EINVAL, EISDIR, path, err, errlen);
    if (!overwrite && lstat(path, &st) == 0)
        return export_fail(MW_EALREADY, EEXIST, path, err, errlen);

    char tmp[PATH_MAX];
    outbuf *o = malloc(sizeof(*o));
    if (!o)
        return export_fail(MW_ENOMEM, ENOMEM, path, err, errlen);
    o->len = 0;
    o->fd = create_temp(path, tmp, sizeof(tmp));
    if (o->fd < 0) {
        int e = errno;
        free(o);
        return export_fail(MW_ESYS, e, path, err, errlen);
    }
    int e = write_rows(o, c, &n);
    if (!e && fsync(o->fd))
        e = errno;
    if (close(o->fd) && !e)
        e = errno;
    free(o);
    if (!e)
        e = publish(tmp, path, overwrite);
    if (e) {
        unlink(tmp);
        return export_fail(e == EEXIST ? MW_EALREADY : MW_ESYS, e, path, err, errlen);
    }
    fsync_dir_of(path);
    if (rows)
        *rows = n;
    return 0;
}
