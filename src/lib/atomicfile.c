/* SPDX-License-Identifier: MIT */
/* atomicfile.c — temp file beside the target, full writes, fsync, no-replace rename, cleanup. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "memwatch.h"
#include "sample.h"

#ifndef O_NOFOLLOW
#define O_NOFOLLOW 0
#endif
#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

struct mw__atomicfile {
    int fd;              /* the temporary, open until commit */
    bool published;      /* the temporary is at path now: nothing to clean up */
    bool overwrite;
    bool no_sync;        /* mw__atomicfile_no_sync: skip both fsyncs */
    char *path;
    char tmp[PATH_MAX];
};

void mw__file_error(char *err, size_t errlen, const char *verb, const char *path,
                    const char *cause)
{
    if (err && errlen)
        snprintf(err, errlen, "cannot %s %s: %s", verb, path, cause);
}

int mw__write_full(int fd, const void *buf, size_t len, size_t *written)
{
    const char *p = buf;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, p + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            break;
        }
        done += (size_t)w;
    }
    if (written)
        *written = done;
    return done == len ? 0 : MW_ESYS;
}

const char *mw__file_kind(unsigned mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG: return "a regular file";
    case S_IFDIR: return "a directory";
    case S_IFIFO: return "a FIFO";
    case S_IFBLK: return "a block device";
    case S_IFCHR: return "a character device";
    case S_IFSOCK: return "a socket";
    case S_IFLNK: return "a symbolic link";
    default: return "a special file";
    }
}

/* Returns rc with errno = e: the module's way of failing. */
static int fail(int rc, int e)
{
    errno = e;
    return rc;
}

static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* Create the temporary next to path (see mw__atomicfile_create). Returns the fd or -1 with errno
 * set. */
static int create_temp(const char *path, char *tmp, size_t tmplen)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = path + dirlen;
    int baselen = (int)strlen(base);
    if (baselen > 200)
        baselen = 200; /* stay under NAME_MAX with the suffix */
    uint64_t seed = mix64((uint64_t)mw__now_ns() ^ (uintptr_t)tmp);
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

int mw__atomicfile_create(const char *path, bool overwrite, mw__atomicfile **out)
{
    *out = NULL;
    if (!path || !*path)
        return fail(MW_EINVAL, EINVAL);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return fail(MW_EINVAL, EISDIR);
    if (path[strlen(path) - 1] == '/')
        return fail(MW_EINVAL, EISDIR);
    if (!overwrite && lstat(path, &st) == 0)
        return fail(MW_EALREADY, EEXIST); /* say so now, before writing a whole file */
    mw__atomicfile *f = calloc(1, sizeof(*f));
    if (!f || !(f->path = strdup(path))) {
        free(f);
        return fail(MW_ENOMEM, ENOMEM);
    }
    f->overwrite = overwrite;
    f->fd = create_temp(path, f->tmp, sizeof(f->tmp));
    if (f->fd < 0) {
        int e = errno;
        free(f->path);
        free(f);
        return fail(MW_ESYS, e);
    }
    *out = f;
    return 0;
}

int mw__atomicfile_write(mw__atomicfile *f, const void *buf, size_t len)
{
    if (f->fd < 0)
        return fail(MW_EINVAL, EBADF);
    return mw__write_full(f->fd, buf, len, NULL);
}

/* Put tmp at path. Without overwrite, a file at path (even one created a moment ago) wins.
 * Returns 0 or an errno value. */
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

void mw__atomicfile_no_sync(mw__atomicfile *f) { f->no_sync = true; }

int mw__atomicfile_commit(mw__atomicfile *f)
{
    if (f->fd < 0)
        return fail(MW_EINVAL, EBADF);
    int e = !f->no_sync && fsync(f->fd) ? errno : 0;
    if (close(f->fd) && !e)
        e = errno;
    f->fd = -1;
    if (!e)
        e = publish(f->tmp, f->path, f->overwrite);
    if (e)
        return fail(e == EEXIST ? MW_EALREADY : MW_ESYS, e);
    f->published = true;
    if (!f->no_sync)
        fsync_dir_of(f->path);
    return 0;
}

void mw__atomicfile_destroy(mw__atomicfile *f)
{
    if (!f)
        return;
    int e = errno;
    if (f->fd >= 0)
        close(f->fd);
    if (!f->published)
        unlink(f->tmp);
    free(f->path);
    free(f);
    errno = e;
}
