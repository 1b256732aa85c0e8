/* SPDX-License-Identifier: MIT */
/* atomicfile.h — file safety: a new file appears whole or not at all, and output errors have one wording. */
#ifndef MW_ATOMICFILE_H
#define MW_ATOMICFILE_H

#include <stdbool.h>
#include <stddef.h>

/* Who owns what: this module owns every system call that makes an output file safe (the
 * temporary beside the target, full writes, fsync, the no-replace rename, cleanup); the formats
 * (export.h) only produce bytes. Nothing here locks; one thread uses a file at a time.
 * Every function returns 0 or a negative MW_E* with errno set to the cause, so callers can name
 * it (see mw__file_error). */

typedef struct mw__atomicfile mw__atomicfile;

/* Start a new file for path: a temporary ".<name>.<pid>.<hex>" in the same directory, created
 * O_CREAT|O_EXCL|O_NOFOLLOW, mode 0644 under the umask. The first name tried is predictable
 * (".<name>.<pid>.000000"), the rest random; whatever is planted at a name is skipped, never
 * followed or truncated. Nothing appears at path before mw__atomicfile_commit.
 * Errors: MW_EINVAL (no path, or path is a directory: errno EISDIR), MW_EALREADY (path exists
 * and overwrite is false: errno EEXIST), MW_ENOMEM, MW_ESYS (the temporary cannot be created,
 * e.g. EACCES for an unwritable directory, ENOTDIR, ENOENT). */
int mw__atomicfile_create(const char *path, bool overwrite, mw__atomicfile **out);

/* Append len bytes, retrying short writes and EINTR. Errors: MW_ESYS (disk full, EFBIG...).
 * After a failure the file can only be destroyed. */
int mw__atomicfile_write(mw__atomicfile *f, const void *buf, size_t len);

/* fsync and close the temporary, then put it at path: without overwrite a file at path (even
 * one created since _create) wins (renameat2 RENAME_NOREPLACE, or link()+unlink() where that is
 * missing); then fsync the directory (best effort). Errors: MW_EALREADY (errno EEXIST),
 * MW_ESYS. On failure nothing is at path; _destroy removes the temporary. */
int mw__atomicfile_commit(mw__atomicfile *f);

/* Make mw__atomicfile_commit skip its two fsyncs (the file's and the directory's). Why it is safe
 * for a file rewritten every few seconds (the Prometheus textfile): readers still see the old
 * file or the new one whole, since the rename alone is atomic for them; only durability across a
 * machine crash is given up, and a file replaced 5 s later needs none. Why it matters: fsync can
 * block for seconds on a busy disk, and the rewrite runs on the program's main thread. */
void mw__atomicfile_no_sync(mw__atomicfile *f);

/* Free f; if it was not committed, close and remove its temporary. NULL is a no-op. Keeps
 * errno, so a caller can destroy first and report the cause after. */
void mw__atomicfile_destroy(mw__atomicfile *f);

/* write() all of buf[0..len) to fd, retrying short writes and EINTR. 0, or MW_ESYS with errno
 * set (EIO when write() returns 0). A non-blocking fd that is full is not waited for: MW_ESYS
 * with EAGAIN. *written (if not NULL) gets the bytes that did reach fd, so a caller cut short by
 * a full disk can say what the file holds. Shared by atomic files and the -o stream. */
int mw__write_full(int fd, const void *buf, size_t len, size_t *written);

/* What kind of file a mode is, for messages: "a directory", "a FIFO", "a block device",
 * "a character device", "a socket", "a symbolic link", "a regular file", "a special file". */
const char *mw__file_kind(unsigned mode);

/* The one wording of an output file problem, for every output (export, -o, the launch log):
 * "cannot VERB PATH: CAUSE" into err (nothing if err is NULL or errlen 0), e.g.
 * "cannot export to /ro/x.csv: Permission denied". */
void mw__file_error(char *err, size_t errlen, const char *verb, const char *path,
                    const char *cause);

#endif
