/* SPDX-License-Identifier: MIT */
/* csv_read.c — load a capture CSV (export or -o recording) for replay: strict, streaming, RFC 4180. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

#define READ_CHUNK (256 * 1024)
#define MAX_FIELDS 256

/* Where bytes come from: a file read through one fixed window, or a caller's memory. */
typedef struct reader {
    const char *name;
    int fd;                 /* -1 for memory */
    char *buf;              /* file window: MW__CSV_LINE_MAX + READ_CHUNK bytes */
    size_t bufcap;
    const char *p, *end;    /* unparsed bytes */
    bool eof;               /* no more bytes after end */
    uint64_t line;          /* physical line where the next record starts */
    char *err;
    size_t errlen;
    /* The current record: unquoted fields point into the window, quoted ones into scratch. */
    size_t nf;
    const char *f[MAX_FIELDS];
    size_t flen[MAX_FIELDS];
    bool fquoted[MAX_FIELDS];
    char scratch[MW__CSV_LINE_MAX + 1];
} reader;

/* Which column of a row holds what (-1: absent): time and pid, one per field of the table
 * (fields.h; one with no CSV column never matches), then the sample's own columns. */
enum { C_TS, C_EL, C_PID, C_FIELDS, C_NPROCS = C_FIELDS + MW__FIELD_COUNT, C_ROSE, C_MARKER,
       C_COUNT };

/* Column k's name, NULL for a field that is not exported. */
static const char *col_name(int k)
{
    static const char *const lead[] = {"timestamp", "elapsed_s", "pid"};
    static const char *const tail[] = {"nprocs", "hwm_rose", "marker"};
    if (k < C_FIELDS)
        return lead[k];
    return k < C_NPROCS ? mw__fields[k - C_FIELDS].csv : tail[k - C_NPROCS];
}

/* A field every capture has: always known, so always written. */
static bool field_required(int k) { return k >= C_FIELDS && k < C_NPROCS && !mw__fields[k - C_FIELDS].have; }

__attribute__((format(printf, 3, 4)))
static int fail(reader *r, uint64_t line, const char *fmt, ...)
{
    if (r->err && r->errlen) {
        int n = line ? snprintf(r->err, r->errlen, "%s:%llu: ", r->name, (unsigned long long)line)
                     : snprintf(r->err, r->errlen, "%s: ", r->name);
        if (n >= 0 && (size_t)n < r->errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return MW_EINVAL;
}

/* A short printable excerpt of a bad cell for messages. */
static const char *excerpt(char *out, size_t outlen, const char *s, size_t n)
{
    size_t i = 0, max = outlen > 4 ? outlen - 4 : 0;
    for (; i < n && i < max; i++)
        out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    if (i < n && outlen >= 4)
        memcpy(out + i, "...", 3), i += 3;
    out[i] = '\0';
    return out;
}

/* ---- bytes in ------------------------------------------------------------------------------- */

/* Keep the unparsed tail and read more after it. Returns 0 or MW_ESYS. */
static int refill(reader *r)
{
    size_t keep = (size_t)(r->end - r->p);
    memmove(r->buf, r->p, keep);
    r->p = r->buf;
    r->end = r->buf + keep;
    while (!r->eof && (size_t)(r->end - r->buf) < r->bufcap) {
        ssize_t n = read(r->fd, r->buf + (r->end - r->buf), r->bufcap - (size_t)(r->end - r->buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            fail(r, 0, "%s", strerror(e));
            return MW_ESYS;
        }
        if (n == 0)
            r->eof = true;
        r->end += n;
        if (n > 0)
            break; /* parse what we have; pipes deliver in small pieces */
    }
    return 0;
}

/* ---- records ---------------------------------------------------------------------------------- */

enum { REC_OK = 1, REC_MORE = 2, REC_EOF = 3 };

/* A quoted field at *pp (on its opening quote) into r->scratch + *out, as field r->nf. Returns 0
 * (*pp past the closing quote, *out and *nl advanced), REC_MORE (refill and parse the record
 * again) or MW_EINVAL (message set). */
static int quoted_field(reader *r, const char **pp, const char *start, size_t *out, uint64_t *nl)
{
    const char *p = *pp + 1, *end = r->end;
    size_t i = r->nf;
    char *dst = r->scratch + *out;
    r->f[i] = dst;
    for (;;) {
        if (p == end) {
            if (!r->eof)
                return REC_MORE;
            return fail(r, r->line, "unterminated quoted field");
        }
        if ((size_t)(p - start) > MW__CSV_LINE_MAX)
            return fail(r, r->line, "line too long (more than %d bytes)", MW__CSV_LINE_MAX);
        char ch = *p++;
        if (ch == '"') {
            if (p == end && !r->eof)
                return REC_MORE;
            if (p < end && *p == '"') {
                *dst++ = '"';
                p++;
                continue;
            }
            break;
        }
        if (ch == '\0')
            return fail(r, r->line + *nl, "not a text CSV file (NUL byte)");
        if (ch == '\n')
            (*nl)++;
        *dst++ = ch;
    }
    r->flen[i] = (size_t)(dst - r->f[i]);
    *out += r->flen[i];
    r->fquoted[i] = true;
    *pp = p;
    return 0;
}

/* Parse one record at r->p. Returns REC_OK (fields set, consumed), REC_MORE (incomplete: refill
 * and call again), REC_EOF, or MW_EINVAL (message set). */
static int parse_record(reader *r)
{
    const char *p = r->p, *end = r->end, *start = r->p;
    size_t out = 0;
    uint64_t nl = 0;
    if (p == end)
        return r->eof ? REC_EOF : REC_MORE;
    r->nf = 0;
    for (;;) {
        if (r->nf == MAX_FIELDS)
            return fail(r, r->line, "too many fields (more than %d)", MAX_FIELDS);
        size_t i = r->nf;
        if (p < end && *p == '"') {
            int rc = quoted_field(r, &p, start, &out, &nl);
            if (rc == REC_MORE)
                goto more;
            if (rc != 0)
                return rc;
        } else {
            const char *q = p;
            while (q < end && *q != ',' && *q != '\n' && *q != '\r') {
                if (*q == '"')
                    return fail(r, r->line + nl, "a quote inside an unquoted field");
                if (*q == '\0')
                    return fail(r, r->line + nl, "not a text CSV file (NUL byte)");
                q++;
                if ((size_t)(q - start) > MW__CSV_LINE_MAX)
                    goto too_long;
            }
            r->f[i] = p;
            r->flen[i] = (size_t)(q - p);
            r->fquoted[i] = false;
            p = q;
        }
        r->nf++;
        if ((size_t)(p - start) > MW__CSV_LINE_MAX)
            goto too_long;
        if (p == end) {
            if (!r->eof)
                goto more;
            break; /* the last line without its newline */
        }
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p == '\n') {
            p++;
            break;
        }
        if (*p == '\r') {
            if (p + 1 == end && !r->eof)
                goto more;
            if (p + 1 < end && p[1] == '\n') {
                p += 2;
                break;
            }
            return fail(r, r->line + nl, "a carriage return not followed by a newline");
        }
        return fail(r, r->line + nl, "unexpected text after a closing quote");
    }
    r->p = p;
    r->line += nl + 1;
    return REC_OK;
more:
    if ((size_t)(end - start) > MW__CSV_LINE_MAX)
        goto too_long;
    return REC_MORE;
too_long:
    return fail(r, r->line, "line too long (more than %d bytes)", MW__CSV_LINE_MAX);
}

/* The next record, refilling as needed. Returns REC_OK, REC_EOF or a negative code. */
static int next_record(reader *r)
{
    for (;;) {
        int rc = parse_record(r);
        if (rc != REC_MORE)
            return rc;
        if (r->fd < 0) {
            r->eof = true; /* memory: all there is */
            continue;
        }
        rc = refill(r);
        if (rc)
            return rc;
    }
}

/* ---- rows into the capture --------------------------------------------------------------------- */

static int check_header(reader *r, int col[C_COUNT])
{
    static const char bom[] = "\xef\xbb\xbf";
    if (r->nf && r->flen[0] >= 3 && memcmp(r->f[0], bom, 3) == 0) {
        r->f[0] += 3; /* a spreadsheet's UTF-8 byte order mark */
        r->flen[0] -= 3;
    }
    for (size_t i = 0; i < r->nf; i++)
        for (size_t k = 0; k < r->flen[i]; k++) {
            unsigned char ch = (unsigned char)r->f[i][k];
            if (ch < 0x20 || ch == 0x7f)
                return fail(r, 1, "not a text CSV file");
        }
    for (int k = 0; k < C_COUNT; k++)
        col[k] = -1;
    for (size_t i = 0; i < r->nf; i++) {
        for (int k = 0; k < C_COUNT; k++) {
            const char *name = col_name(k);
            if (!name || strlen(name) != r->flen[i] || memcmp(name, r->f[i], r->flen[i]) != 0)
                continue;
            if (col[k] >= 0)
                return fail(r, 1, "duplicate column %s", name);
            col[k] = (int)i;
        }
    }
    /* The contract of the format: time, pid and the always-known fields lead, in this order
     * ("timestamp,elapsed_s,pid,rss_bytes,vsz_bytes,shared_bytes"). */
    char lead[256] = "";
    int pos = 0;
    bool ok = true;
    for (int k = 0; k < C_NPROCS; k++) {
        if (!col_name(k) || (k >= C_FIELDS && !field_required(k)))
            continue;
        ok = ok && col[k] == pos;
        size_t used = strlen(lead);
        snprintf(lead + used, sizeof(lead) - used, "%s%s", pos++ ? "," : "", col_name(k));
    }
    if (!ok)
        return fail(r, 1, "not a memwatch capture: the header must begin with %s", lead);
    return 0;
}

typedef struct row_state {
    uint64_t rows;
    int64_t prev_el;
} row_state;

/* Column k (a C_* name) at field index i of the row. */
static int bad_field(reader *r, uint64_t line, int k, int i)
{
    char ex[40];
    return fail(r, line, "bad %s '%s'", col_name(k), excerpt(ex, sizeof(ex), r->f[i], r->flen[i]));
}

/* Marks loaded from a file can be dense (one per row); the capture forgets its oldest one by
 * one past MW__MARKS_MAX, so forget the oldest half at once here to keep loading linear. */
static int add_mark(mw__capture *c, const char *label, size_t n)
{
    if (n && label[0] == '\'') {
        label++; /* the writer's formula guard */
        n--;
    }
    if (c->nmarks == MW__MARKS_MAX) {
        size_t drop = MW__MARKS_MAX / 2;
        memmove(c->marks, c->marks + drop, (c->nmarks - drop) * sizeof(*c->marks));
        c->nmarks -= drop;
    }
    return mw__capture_mark_cell(c, label, n); /* "a | b": two marks on one sample */
}

static int add_row(reader *r, uint64_t line, const int col[C_COUNT], mw__capture *c, row_state *rs)
{
    mw__sample s;
    memset(&s, 0, sizeof(s));
    int64_t ts_ms, el_ns;
    uint64_t v;
    if (mw__csv_parse_timestamp(r->f[C_TS], r->flen[C_TS], &ts_ms))
        return bad_field(r, line, C_TS, C_TS);
    if (mw__csv_parse_elapsed(r->f[C_EL], r->flen[C_EL], &el_ns))
        return bad_field(r, line, C_EL, C_EL);
    if (mw__csv_parse_u64(r->f[C_PID], r->flen[C_PID], &v) || v > 0x7fffffff)
        return bad_field(r, line, C_PID, C_PID);
    pid_t pid = (pid_t)v;
    for (int k = C_FIELDS; k < C_NPROCS; k++) {
        int i = col[k];
        /* A required column is there (check_header); an empty optional cell is an unknown. */
        if (i < 0 || (r->flen[i] == 0 && !field_required(k)))
            continue;
        if (mw__csv_parse_u64(r->f[i], r->flen[i], &v))
            return bad_field(r, line, k, i);
        s.valid |= (uint8_t)mw__fields[k - C_FIELDS].have;
        mw__sample_set_field(&s, (mw__field)(k - C_FIELDS), v);
    }
    s.nprocs = 1;
    if (col[C_NPROCS] >= 0 && r->flen[col[C_NPROCS]]) {
        if (mw__csv_parse_u64(r->f[col[C_NPROCS]], r->flen[col[C_NPROCS]], &v))
            return bad_field(r, line, C_NPROCS, col[C_NPROCS]);
        s.nprocs = v > UINT16_MAX ? UINT16_MAX : (uint16_t)v;
    }
    if (col[C_ROSE] >= 0) {
        size_t i = (size_t)col[C_ROSE];
        if (r->flen[i] == 1 && r->f[i][0] == '1')
            s.flags |= MW_SAMPLE_HWM_ROSE;
        else if (r->flen[i] > 1 || (r->flen[i] == 1 && r->f[i][0] != '0'))
            return bad_field(r, line, C_ROSE, col[C_ROSE]);
    }

    if (rs->rows && el_ns < rs->prev_el)
        return fail(r, line, "elapsed_s goes backwards (%.*s is before the previous row)",
                    (int)(r->flen[C_EL] > 32 ? 32 : r->flen[C_EL]), r->f[C_EL]);
    if (!rs->rows) {
        /* Times are int64 ns: years 1678..2261 only, and the offset must not overflow. */
        if (ts_ms > INT64_MAX / 1000000 || ts_ms < INT64_MIN / 1000000 ||
            ts_ms * 1000000 < INT64_MIN + el_ns)
            return fail(r, line, "timestamp out of range");
        c->pid = pid;
        c->have_t0 = true;
        c->t0_ns = 0;
        c->wall_offset_ns = ts_ms * 1000000 - el_ns;
    }
    if (el_ns > INT64_MAX - (c->wall_offset_ns > 0 ? c->wall_offset_ns : 0))
        return fail(r, line, "elapsed_s out of range");
    s.t_ns = el_ns;
    rs->prev_el = el_ns;
    rs->rows++;
    mw__capture_add(c, &s);
    if (col[C_MARKER] >= 0) {
        size_t i = (size_t)col[C_MARKER];
        if ((r->flen[i] || r->fquoted[i]) && add_mark(c, r->f[i], r->flen[i]) == MW_ENOMEM)
            return MW_ENOMEM;
    }
    return 0;
}

static int load(reader *r, mw__capture *c)
{
    if (r->err && r->errlen)
        r->err[0] = '\0';
    mw__ring_clear(&c->ring);
    mw__summary_reset(&c->all);
    c->pid = 0;
    c->command[0] = '\0';
    c->have_t0 = false;
    c->t0_ns = c->wall_offset_ns = 0;
    c->lost = 0;
    c->nmarks = 0;
    c->marks_made = 0;

    int col[C_COUNT], rc;
    row_state rs = {0, 0};
    r->line = 1;
    /* The header: the first line, nothing before it. */
    rc = next_record(r);
    if (rc == REC_EOF)
        return fail(r, 0, "empty file");
    if (rc < 0)
        return rc;
    if ((rc = check_header(r, col)) != 0)
        return rc;
    size_t ncols = r->nf;
    for (;;) {
        uint64_t line = r->line;
        rc = next_record(r);
        if (rc == REC_EOF)
            return 0;
        if (rc < 0)
            return rc;
        if (r->nf == 1 && r->flen[0] == 0 && !r->fquoted[0])
            continue; /* a blank line */
        if (r->nf != ncols)
            return fail(r, line, "expected %zu fields, found %zu", ncols, r->nf);
        if ((rc = add_row(r, line, col, c, &rs)) != 0)
            return rc;
    }
}

int mw__csv_load_mem(const char *data, size_t len, const char *name, mw__capture *c, char *err,
                     size_t errlen)
{
    if (!c || (!data && len))
        return MW_EINVAL;
    reader *r = malloc(sizeof(*r));
    if (!r)
        return MW_ENOMEM;
    r->name = name ? name : "(memory)";
    r->fd = -1;
    r->buf = NULL;
    r->p = data ? data : "";
    r->end = r->p + len;
    r->eof = true;
    r->err = err;
    r->errlen = errlen;
    int rc = load(r, c);
    free(r);
    return rc;
}

int mw__csv_load(const char *path, mw__capture *c, char *err, size_t errlen)
{
    if (!c || !path)
        return MW_EINVAL;
    reader *r = malloc(sizeof(*r));
    if (!r)
        return MW_ENOMEM;
    r->name = path;
    r->err = err;
    r->errlen = errlen;
    r->bufcap = MW__CSV_LINE_MAX + 2 + READ_CHUNK;
    r->buf = malloc(r->bufcap);
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    int rc;
    if (!r->buf) {
        rc = MW_ENOMEM;
    } else if (r->fd < 0 || fstat(r->fd, &st)) {
        int e = errno;
        fail(r, 0, "%s", strerror(e));
        rc = MW_ESYS;
    } else if (S_ISDIR(st.st_mode)) {
        rc = fail(r, 0, "is a directory, not a capture file");
    } else {
        r->p = r->end = r->buf;
        r->eof = false;
        rc = load(r, c);
    }
    if (r->fd >= 0)
        close(r->fd);
    free(r->buf);
    free(r);
    return rc;
}
