/* SPDX-License-Identifier: MIT */
/* csv_stream.c — the -o recording: append rows to a capture file, flushed by the caller, failures sticky. */
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

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

struct mw__csv_stream {
    char *path;
    bool regular;       /* a regular file: check it is still the one we opened */
    dev_t dev;
    ino_t ino;
    bool have_base;     /* appending to rows already there: their wall - elapsed, in ms */
    int64_t base_ms;
    int error;          /* first errno, sticky */
    char errmsg[512];
    uint64_t rows;
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

/* An existing non-empty regular file: it must start with our header. Reads its first row's time
 * base, and whether its last byte ends a line. Returns 0, or an errno / -1 (not our capture). */
static int check_existing(mw__csv_stream *st, off_t size, bool *need_newline)
{
    int fd = open(st->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    struct stat rs;
    size_t hl = strlen(mw__csv_header), cap = hl + 256, len = 0;
    char *head = malloc(cap);
    int rc = -1;
    if (!head) {
        close(fd);
        return ENOMEM;
    }
    if (fstat(fd, &rs) || rs.st_dev != st->dev || rs.st_ino != st->ino)
        goto out; /* replaced between the two opens */
    while (len < cap - 1) {
        ssize_t r = pread(fd, head + len, cap - 1 - len, (off_t)len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    head[len] = '\0';
    if (len < hl + 1 || memcmp(head, mw__csv_header, hl) != 0)
        goto out;
    const char *row = head + hl;
    if (*row == '\r')
        row++;
    if (*row++ != '\n')
        goto out;
    rc = 0;
    /* The first row's timestamp and elapsed_s (never quoted by us). A short or odd first row
     * just leaves the base unset. */
    const char *c1 = strchr(row, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
    int64_t ts_ms, el_ns;
    if (c2 && mw__csv_parse_timestamp(row, (size_t)(c1 - row), &ts_ms) == 0 &&
        mw__csv_parse_elapsed(c1 + 1, (size_t)(c2 - c1 - 1), &el_ns) == 0) {
        st->have_base = true;
        st->base_ms = ts_ms - el_ns / 1000000;
    }
    char last = '\n';
    if (pread(fd, &last, 1, size - 1) == 1 && last != '\n')
        *need_newline = true; /* a recorder killed mid-row: start on a fresh line */
out:
    free(head);
    close(fd);
    return rc;
}

int mw__csv_stream_open(const char *path, mw__csv_stream **out, char *err, size_t errlen)
{
    *out = NULL;
    if (err && errlen)
        err[0] = '\0';
    mw__csv_stream *st = calloc(1, sizeof(*st));
    if (!st || !(st->path = strdup(path))) {
        free(st);
        mw__file_error(err, errlen, "record to", path, strerror(ENOMEM));
        return MW_ENOMEM;
    }
    int rc = MW_ESYS, e = 0;
    bool need_newline = false;
    struct stat fs;
    st->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (st->fd < 0 || fstat(st->fd, &fs)) {
        e = errno;
        goto fail;
    }
    st->regular = S_ISREG(fs.st_mode);
    st->dev = fs.st_dev;
    st->ino = fs.st_ino;
    if (S_ISDIR(fs.st_mode)) {
        rc = MW_EINVAL;
        e = EISDIR;
        goto fail;
    }
    if (st->regular && fs.st_size > 0) {
        e = check_existing(st, fs.st_size, &need_newline);
        if (e < 0) {
            mw__file_error(err, errlen, "record to", path,
                           "it exists and is not a memwatch capture with the same columns "
                           "(refusing to append)");
            rc = MW_EINVAL;
            goto fail_msg;
        }
        if (e)
            goto fail;
        if (need_newline)
            st->buf[st->len++] = '\n';
    } else {
        st->len = strlen(mw__csv_header);
        memcpy(st->buf, mw__csv_header, st->len);
        st->buf[st->len++] = '\n';
    }
    *out = st;
    return 0;
fail:
    mw__file_error(err, errlen, "record to", path, strerror(e));
fail_msg:
    if (st->fd >= 0)
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
    int64_t wall_ms, el_ms;
    mw__csv_row_times(c, s, &wall_ms, &el_ms);
    if (st->have_base)
        el_ms = wall_ms - st->base_ms;
    size_t len = mw__csv_format_row_at(st->buf + st->len, sizeof(st->buf) - st->len,
                               c->pid, wall_ms, el_ms, s, marker);
    if (!len) {
        if (mw__write_full(st->fd, st->buf, st->len) != 0) {
            stream_set_error(st, errno, NULL);
            return stream_report(st, err, errlen);
        }
        st->len = 0;
        len = mw__csv_format_row_at(st->buf, sizeof(st->buf), c->pid, wall_ms, el_ms, s, marker);
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
    if (!st->error) {
        if (mw__write_full(st->fd, st->buf, st->len) != 0)
            stream_set_error(st, errno, NULL);
        else
            st->len = 0;
    }
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
