/* SPDX-License-Identifier: MIT */
/* csv_stream.c — the -o recording: rows (CSV or JSON Lines) into a new file or a descriptor, flushed by the caller, failures sticky. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "csv.h"
#include "export.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

struct mw__csv_stream {
    const mw__export_format *fmt; /* what a row looks like (CSV, JSON Lines) */
    char *path;         /* the file's name, or how the caller names a descriptor it gave us */
    bool regular;       /* a file we created: check it is still the one at path */
    dev_t dev;
    ino_t ino;
    int error;          /* first errno, sticky */
    char errmsg[512];
    uint64_t rows;      /* rows accepted (buffered ones included) */
    uint64_t rows_out;  /* complete rows that reached the file */
    bool header_out;    /* the header line reached the file (or the format has none) */
    int fd;
    size_t len;         /* bytes buffered */
    char buf[MW__CSV_OUTBUF];
};

static int stream_set_error(mw__csv_stream *st, int e, const char *what)
{
    if (!st->error) {
        st->error = e ? e : EIO;
        mw__file_error(st->errmsg, sizeof(st->errmsg), "write to", st->path,
                       what ? what : strerror(st->error));
    }
    return MW_ESYS;
}

/* Write the buffer out. Counts the complete lines that reached the file (rows never hold a
 * newline: labels lose their control characters), so a write cut short by a full disk or a size
 * limit can say how many rows the file holds. */
static int stream_out(mw__csv_stream *st)
{
    size_t done = 0;
    int rc = mw__write_full(st->fd, st->buf, st->len, &done);
    int e = errno;
    for (const char *p = st->buf, *end = st->buf + done; (p = memchr(p, '\n', (size_t)(end - p)));
         p++) {
        if (st->header_out)
            st->rows_out++;
        st->header_out = true;
    }
    if (rc != 0) {
        char why[256];
        snprintf(why, sizeof(why), "%s; the file holds its first %llu rows", strerror(e),
                 (unsigned long long)st->rows_out);
        return stream_set_error(st, e, e == EPIPE ? NULL : why);
    }
    st->len = 0;
    return 0;
}

/* A new stream on fd (ours from now on), its header buffered. NULL: out of memory (fd closed). */
static mw__csv_stream *stream_new(const char *path, int fd, const mw__export_format *fmt)
{
    mw__csv_stream *st = calloc(1, sizeof(*st));
    if (!st || !(st->path = strdup(path))) {
        free(st);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    st->fd = fd;
    st->fmt = fmt;
    st->len = fmt->header ? fmt->header(st->buf, sizeof(st->buf), NULL) : 0;
    st->header_out = st->len == 0; /* every line that reaches the file is then a row */
    return st;
}

/* Why path could not be created (errno e): what is already there, named by kind. Only words:
 * nothing at path is opened, so a FIFO cannot block us and a link is never followed. */
static int explain_existing(const char *path, int e, char *err, size_t errlen)
{
    return mw__output_refusal(path, e, "record to", "a capture", err, errlen);
}

int mw__output_refusal(const char *path, int e, const char *verb, const char *what, char *err,
                       size_t errlen)
{
    struct stat ls, ts;
    char why[256];
    if ((e != EEXIST && e != EISDIR) || lstat(path, &ls) != 0) {
        mw__file_error(err, errlen, verb, path, strerror(e));
        errno = e;
        return MW_ESYS;
    }
    bool is_link = S_ISLNK(ls.st_mode);
    /* What a link leads to, or the thing itself: a stream (a pipe, a terminal), or a name for
     * a descriptor (/dev/stdout, /dev/fd/1, whatever it leads to), gets the hint that standard
     * output has its own spelling. */
    if (!is_link)
        ts = ls;
    else if (stat(path, &ts) != 0)
        ts.st_mode = 0;
    bool streamy = S_ISFIFO(ts.st_mode) || S_ISCHR(ts.st_mode) || S_ISSOCK(ts.st_mode) ||
                   strncmp(path, "/dev/std", 8) == 0 || strstr(path, "/fd/") != NULL;
    const char *hint = streamy ? " (for standard output, use -o -)" : "";
    if (is_link)
        snprintf(why, sizeof(why), "it is a symbolic link, and memwatch never writes through "
                                   "one; choose another name%s", hint);
    else if (S_ISREG(ls.st_mode))
        snprintf(why, sizeof(why), "it exists, and memwatch never appends to or overwrites %s; "
                                   "remove it or choose another name", what);
    else
        snprintf(why, sizeof(why), "it is %s, not a regular file%s",
                 mw__file_kind((unsigned)ls.st_mode), hint);
    mw__file_error(err, errlen, verb, path, why);
    errno = S_ISREG(ls.st_mode) ? EEXIST : EINVAL;
    return S_ISREG(ls.st_mode) ? MW_EALREADY : MW_EINVAL;
}

int mw__csv_stream_open(const char *path, mw__csv_stream **out, char *err, size_t errlen)
{
    return mw__stream_open(path, &mw__export_csv, out, err, errlen);
}

int mw__stream_open(const char *path, const mw__export_format *fmt, mw__csv_stream **out,
                    char *err, size_t errlen)
{
    *out = NULL;
    if (err && errlen)
        err[0] = '\0';
    /* A new file, or nothing: O_EXCL refuses anything already at path (a link included, even a
     * dangling one, so nothing is ever created where a planted link points), and never opens
     * it, so a FIFO or a device cannot block or receive a byte. O_NOFOLLOW says the same twice. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return explain_existing(path, errno, err, errlen);
    struct stat fs;
    if (fstat(fd, &fs) != 0) {
        int e = errno;
        close(fd);
        unlink(path); /* ours: we created it a moment ago */
        mw__file_error(err, errlen, "record to", path, strerror(e));
        errno = e;
        return MW_ESYS;
    }
    mw__csv_stream *st = stream_new(path, fd, fmt);
    if (!st) {
        unlink(path);
        mw__file_error(err, errlen, "record to", path, strerror(ENOMEM));
        return MW_ENOMEM;
    }
    st->regular = true;
    st->dev = fs.st_dev;
    st->ino = fs.st_ino;
    *out = st;
    return 0;
}

int mw__csv_stream_open_fd(int fd, const char *name, mw__csv_stream **out)
{
    return mw__stream_open_fd(fd, name, &mw__export_csv, out);
}

int mw__stream_open_fd(int fd, const char *name, const mw__export_format *fmt,
                       mw__csv_stream **out)
{
    *out = stream_new(name, fd, fmt);
    return *out ? 0 : MW_ENOMEM;
}

int mw__csv_stream_discard(mw__csv_stream *st)
{
    if (!st)
        return 0;
    /* Remove the file only while it is still the one we created: whatever someone put at its
     * name since is theirs. */
    struct stat ps;
    int rc = 0;
    if (st->regular && lstat(st->path, &ps) == 0 && ps.st_dev == st->dev && ps.st_ino == st->ino)
        rc = unlink(st->path) ? MW_ESYS : 0;
    close(st->fd);
    free(st->path);
    free(st);
    return rc;
}

/* Report the sticky error: message into err, errno set to its cause. */
static int stream_report(const mw__csv_stream *st, char *err, size_t errlen)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", st->errmsg);
    errno = st->error;
    return MW_ESYS;
}

int mw__csv_stream_write(mw__csv_stream *st, const mw__capture *c, const mw__sample *s,
                         const char *marker, char *err, size_t errlen)
{
    if (st->error)
        return stream_report(st, err, errlen);
    size_t len = st->fmt->row(st->buf + st->len, sizeof(st->buf) - st->len, c, s, marker);
    if (!len) {
        if (stream_out(st) != 0)
            return stream_report(st, err, errlen);
        len = st->fmt->row(st->buf, sizeof(st->buf), c, s, marker);
        if (!len) {
            /* Only a marker longer than the whole buffer: not a reason to stop recording. */
            mw__file_error(err, errlen, "write to", st->path, "marker too long");
            errno = EINVAL;
            return MW_EINVAL;
        }
    }
    st->len += len;
    st->rows++;
    return 0;
}

int mw__csv_stream_flush(mw__csv_stream *st, char *err, size_t errlen)
{
    if (!st->error)
        stream_out(st);
    if (!st->error && st->regular) {
        /* Writes to a deleted or replaced file succeed but go nowhere anyone can read. */
        struct stat fs, ps;
        if (fstat(st->fd, &fs) == 0 && fs.st_nlink == 0)
            stream_set_error(st, ENOENT, "the file was deleted or replaced while recording");
        else if (stat(st->path, &ps) != 0)
            stream_set_error(st, errno, errno == ENOENT ? "the file was deleted or moved while "
                                                         "recording" : NULL);
        else if (ps.st_dev != st->dev || ps.st_ino != st->ino)
            stream_set_error(st, EEXIST, "the file was replaced while recording");
    }
    return st->error ? stream_report(st, err, errlen) : 0;
}

uint64_t mw__csv_stream_rows(const mw__csv_stream *st)
{
    return st ? st->rows : 0;
}

uint64_t mw__csv_stream_rows_out(const mw__csv_stream *st)
{
    return st ? st->rows_out : 0;
}

int mw__csv_stream_close(mw__csv_stream *st, char *err, size_t errlen)
{
    if (!st)
        return 0;
    int rc = mw__csv_stream_flush(st, err, errlen);
    if (close(st->fd) && rc == 0) {
        stream_set_error(st, errno, NULL);
        rc = stream_report(st, err, errlen);
    }
    int e = errno;
    free(st->path);
    free(st);
    errno = e;
    return rc;
}
