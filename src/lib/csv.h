/* csv.h — the capture file format: write rows (streaming or a whole atomic export) and read them back. */
#ifndef MW_CSV_H
#define MW_CSV_H

#include <stddef.h>
#include <stdio.h>
#include "capture.h"

/* The header. The first six columns are a contract; later ones may be added at the end:
 * timestamp,elapsed_s,pid,rss_bytes,vsz_bytes,shared_bytes,anon_bytes,file_bytes,shmem_bytes,
 * swap_bytes,hwm_bytes,nprocs,hwm_rose,marker
 * timestamp: UTC ISO 8601 with milliseconds ("2026-11-25T18:40:01.123Z"); elapsed_s: seconds
 * since the first sample, 3 decimals; sizes in bytes, empty when the OS did not provide them;
 * marker: the mark's label (RFC 4180 quoted; cells starting with = + - @ get a leading ' so a
 * spreadsheet never runs them as formulas), empty when no mark. */
extern const char mw__csv_header[];

/* Format one row (with trailing "\n") for sample s of capture c into buf. Returns the length,
 * or 0 if buf is too small (1024 bytes always suffices). marker may be NULL. */
size_t mw__csv_format_row(char *buf, size_t n, const mw__capture *c, const mw__sample *s,
                          const char *marker);

/* Write the whole capture (every stored sample) to path atomically: a temporary file created
 * O_EXCL in the same directory, written, fsync'd, then renamed into place; on any failure the
 * temporary is removed and no file appears at path. Refuses to replace an existing path
 * (MW_EALREADY-style message) unless overwrite is true. Never follows a symlink at the
 * temporary name. On success *rows gets the number of data rows.
 * Errors: negative MW_E* with a one-line reason in err (naming the path and the cause). */
int mw__csv_export(const mw__capture *c, const char *path, bool overwrite, size_t *rows,
                   char *err, size_t errlen);

/* Load a capture file into c (already initialised; its capacity bounds what is kept: the newest
 * rows win). Sets pid, t0, wall offset and marks from the file.
 * Errors: MW_EINVAL with err = "FILE:LINE: what is wrong" (missing file, directory, empty,
 * binary, wrong header, bad field, line too long, non-increasing time...), MW_ENOMEM. */
int mw__csv_load(const char *path, mw__capture *c, char *err, size_t errlen);

/* Same as _load but from memory; name is used in messages. For tests and fuzzing. */
int mw__csv_load_mem(const char *data, size_t len, const char *name, mw__capture *c, char *err,
                     size_t errlen);

#endif
