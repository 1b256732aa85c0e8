/* SPDX-License-Identifier: MIT */
/* csv_records.c — a capture's bytes into RFC 4180 records: one window, quoted fields, line numbers. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "csv_reader.h"

int mw__csv_fail(mw__csv_reader *r, uint64_t line, const char *fmt, ...)
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

/* ---- bytes in ------------------------------------------------------------------------------- */

/* Keep the unparsed tail and read more after it. Returns 0 or MW_ESYS. */
static int refill(mw__csv_reader *r)
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
            mw__csv_fail(r, 0, "%s", strerror(e));
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


/* A quoted field at *pp (on its opening quote) into r->scratch + *out, as field r->nf. Returns 0
 * (*pp past the closing quote, *out and *nl advanced), MW__REC_MORE (refill and parse the record
 * again), MW__REC_TORN or MW_EINVAL (message set). */
static int quoted_field(mw__csv_reader *r, const char **pp, const char *start, size_t *out,
                        uint64_t *nl)
{
    const char *p = *pp + 1, *end = r->end;
    size_t i = r->nf;
    char *dst = r->scratch + *out;
    r->f[i] = dst;
    for (;;) {
        if (p == end) {
            if (!r->eof)
                return MW__REC_MORE;
            /* Our writer never puts a newline in a field: one line cut short is a torn tail. */
            return *nl ? mw__csv_fail(r, r->line, "unterminated quoted field") : MW__REC_TORN;
        }
        if ((size_t)(p - start) > MW__CSV_LINE_MAX)
            return mw__csv_fail(r, r->line, "line too long (more than %d bytes)", MW__CSV_LINE_MAX);
        char ch = *p++;
        if (ch == '"') {
            if (p == end && !r->eof)
                return MW__REC_MORE;
            if (p < end && *p == '"') {
                *dst++ = '"';
                p++;
                continue;
            }
            break;
        }
        if (ch == '\0')
            return mw__csv_fail(r, r->line + *nl, "not a text CSV file (NUL byte)");
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

/* Parse one record at r->p. Returns MW__REC_OK (fields set, consumed), MW__REC_MORE (incomplete:
 * refill and call again), MW__REC_EOF, MW__REC_TORN, or MW_EINVAL (message set). */
static int parse_record(mw__csv_reader *r)
{
    const char *p = r->p, *end = r->end, *start = r->p;
    size_t out = 0;
    uint64_t nl = 0;
    if (p == end)
        return r->eof ? MW__REC_EOF : MW__REC_MORE;
    r->nf = 0;
    for (;;) {
        if (r->nf == MW__CSV_MAX_FIELDS)
            return mw__csv_fail(r, r->line, "too many fields (more than %d)", MW__CSV_MAX_FIELDS);
        size_t i = r->nf;
        if (p < end && *p == '"') {
            int rc = quoted_field(r, &p, start, &out, &nl);
            if (rc == MW__REC_MORE)
                goto more;
            if (rc != 0)
                return rc; /* MW__REC_TORN too */
        } else {
            const char *q = p;
            while (q < end && *q != ',' && *q != '\n' && *q != '\r') {
                if (*q == '"')
                    return mw__csv_fail(r, r->line + nl, "a quote inside an unquoted field");
                if (*q == '\0')
                    return mw__csv_fail(r, r->line + nl, "not a text CSV file (NUL byte)");
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
            return mw__csv_fail(r, r->line + nl, "a carriage return not followed by a newline");
        }
        return mw__csv_fail(r, r->line + nl, "unexpected text after a closing quote");
    }
    r->p = p;
    r->line += nl + 1;
    return MW__REC_OK;
more:
    if ((size_t)(end - start) > MW__CSV_LINE_MAX)
        goto too_long;
    return MW__REC_MORE;
too_long:
    return mw__csv_fail(r, r->line, "line too long (more than %d bytes)", MW__CSV_LINE_MAX);
}

int mw__csv_next_record(mw__csv_reader *r)
{
    for (;;) {
        int rc = parse_record(r);
        if (rc != MW__REC_MORE)
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
