/* SPDX-License-Identifier: MIT */
/* export.c — the export loop: a format's header, rows and footer, buffered, into an atomic file. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "atomicfile.h"
#include "csv.h"
#include "export.h"

#define OUTBUF (64 * 1024) /* a few write() calls a second even at 1 kHz exports */

const mw__export_format *const mw__export_formats[] = {&mw__export_csv, &mw__export_jsonl, NULL};

const mw__export_format *mw__export_find(const char *name)
{
    for (size_t i = 0; name && mw__export_formats[i]; i++)
        if (strcmp(mw__export_formats[i]->name, name) == 0)
            return mw__export_formats[i];
    return NULL;
}

typedef struct outbuf {
    mw__atomicfile *f;
    size_t len;
    char marker[MW__MARKER_CELL];
    char buf[OUTBUF];
} outbuf;

static int outbuf_flush(outbuf *o)
{
    int rc = mw__atomicfile_write(o->f, o->buf, o->len);
    o->len = 0;
    return rc;
}

/* Make room for one record of fmt: write the buffer out when it might not fit. */
static int outbuf_reserve(outbuf *o, const mw__export_format *fmt)
{
    if (fmt->record_max > OUTBUF) {
        errno = EINVAL; /* a format bug, not the user's */
        return MW_EINVAL;
    }
    return o->len + fmt->record_max > OUTBUF ? outbuf_flush(o) : 0;
}

/* Append one record of len bytes (0: it did not fit, a format bug). */
static int outbuf_took(outbuf *o, size_t len, size_t *rows)
{
    if (!len) {
        errno = EINVAL;
        return MW_ESYS;
    }
    o->len += len;
    (*rows)++;
    return 0;
}

/* The tiers' buckets, oldest first: only when they lead straight into the ring. */
static int write_buckets(outbuf *o, const mw__export_format *fmt, const mw__capture *c,
                         size_t *rows)
{
    const mw__tiers *t = &c->tiers;
    if (!mw__tiers_count(t) || mw__tiers_end(t) != mw__ring_first(&c->ring))
        return 0;
    mw__tiers_walk w;
    mw__tiers_walk_from(&w, t, 0);
    int rc = 0;
    for (const mw__bucket *b; rc == 0 && (b = mw__tiers_walk_next(&w)) != NULL;) {
        const char *label = (b->flags & MW_SAMPLE_MARK)
                                ? mw__capture_marker_span(c, b->seq_first, b->seq_end, o->marker,
                                                          sizeof(o->marker))
                                : NULL;
        if ((rc = outbuf_reserve(o, fmt)) == 0)
            rc = outbuf_took(o, fmt->run->bucket(o->buf + o->len, OUTBUF - o->len, c, b, label),
                             rows);
    }
    return rc;
}

static int write_records(outbuf *o, const mw__export_format *fmt, const mw__capture *c,
                         size_t *rows)
{
    size_t (*header)(char *, size_t, const mw__capture *) = fmt->run ? fmt->run->header : fmt->header;
    size_t (*row)(char *, size_t, const mw__capture *, const mw__sample *, const char *) =
        fmt->run ? fmt->run->row : fmt->row;
    int rc = outbuf_reserve(o, fmt);
    if (rc == 0 && header)
        o->len += header(o->buf + o->len, OUTBUF - o->len, c);
    if (rc == 0 && fmt->run)
        rc = write_buckets(o, fmt, c, rows);
    uint64_t first = mw__ring_first(&c->ring), end = mw__ring_end(&c->ring);
    for (uint64_t seq = first; rc == 0 && seq < end; seq++) {
        const mw__sample *s = mw__ring_at(&c->ring, seq);
        const char *label = (s->flags & MW_SAMPLE_MARK)
                                ? mw__capture_marker(c, seq, o->marker, sizeof(o->marker))
                                : NULL;
        if ((rc = outbuf_reserve(o, fmt)) == 0)
            rc = outbuf_took(o, row(o->buf + o->len, OUTBUF - o->len, c, s, label), rows);
    }
    if (rc == 0 && fmt->footer && (rc = outbuf_reserve(o, fmt)) == 0)
        o->len += fmt->footer(o->buf + o->len, OUTBUF - o->len, c);
    return rc ? rc : outbuf_flush(o);
}

static int export_fail(int rc, int e, const char *path, char *err, size_t errlen)
{
    mw__file_error(err, errlen, "export to", path, strerror(e));
    return rc;
}

int mw__export(const mw__capture *c, const mw__export_format *fmt, const char *path,
               bool overwrite, size_t *rows, char *err, size_t errlen)
{
    size_t n = 0;
    if (rows)
        *rows = 0;
    if (err && errlen)
        err[0] = '\0';
    if (!c || !fmt || !path || !*path)
        return export_fail(MW_EINVAL, EINVAL, path ? path : "(null)", err, errlen);
    outbuf *o = malloc(sizeof(*o)); /* 64 KiB: not on the caller's stack */
    if (!o)
        return export_fail(MW_ENOMEM, ENOMEM, path, err, errlen);
    o->len = 0;
    int rc = mw__atomicfile_create(path, overwrite, &o->f);
    if (rc == 0 && (rc = write_records(o, fmt, c, &n)) == 0)
        rc = mw__atomicfile_commit(o->f);
    mw__atomicfile_destroy(o->f); /* removes the temporary unless committed; keeps errno */
    int e = errno;
    free(o);
    if (rc)
        return export_fail(rc, e, path, err, errlen);
    if (rows)
        *rows = n;
    return 0;
}
