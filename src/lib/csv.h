/* SPDX-License-Identifier: MIT */
/* csv.h — the capture file format: write rows (streaming, or as an export format) and read them back. */
#ifndef MW_CSV_H
#define MW_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "capture.h"
#include "export.h"

/* Who owns what: csv_write.c formats rows (and is the CSV export format); csv_stream.c records
 * (-o); csv_read.c loads (replay); the file safety of exports is atomicfile.c's.
 * Everything here runs on the thread that owns the capture; nothing locks. */

/* The header, without its line end, generated from the field table (fields.h). The first six
 * columns are a contract; readers find the others by name:
 * timestamp,elapsed_s,pid,rss_bytes,vsz_bytes,shared_bytes,anon_bytes,file_bytes,shmem_bytes,
 * swap_bytes,hwm_bytes,nprocs,hwm_rose,marker
 * Lines end with "\n" (the reader also takes "\r\n").
 * timestamp: UTC ISO 8601 with milliseconds ("2026-11-25T18:40:01.123Z"), computed as the first
 * sample's wall-clock millisecond plus elapsed_s, so the two columns always agree exactly;
 * elapsed_s: seconds since the first sample, 3 decimals (truncated); sizes in bytes, empty when
 * the OS did not provide them; hwm_rose: 1 when the kernel's high-water mark rose since the
 * previous sample, else 0; marker: empty when no mark, otherwise the sample's marks as
 * mw__capture_marker joins them ("M3 | build done"), always quoted per RFC 4180 (an old file's ""
 * reads as an unlabelled mark); a cell starting with = + - @ ' tab or CR gets a leading ' so a
 * spreadsheet never runs it as a formula (the reader removes it again). */
extern const char mw__csv_header[];

/* An export's header (mw__export with mw__export_csv; -o streams keep mw__csv_header): the
 * stream's columns, then for every exported field X (in the table's order, TAIL ones included)
 * X_first, X_min, X_max, X_mean, X_sd, X_min_elapsed_s, X_max_elapsed_s, X_known, then
 * first_elapsed_s,
 * spike_hwm_bytes and
 * samples, always the last column. A full-resolution row leaves the merged cells empty and has
 * samples 1. A merged row (one bucket of the tiers, tiers.h: a run older than the ring) stands
 * for `samples` consecutive samples from first_elapsed_s to elapsed_s: its usual field columns
 * hold each field's last value, X_first/min/max the bucket's first, lowest and highest, X_mean
 * the mean and X_sd the standard deviation (population), both rounded to a byte,
 * X_min_elapsed_s and X_max_elapsed_s when the (first) lowest and highest were, X_known how
 * many of its samples knew the field (empty: all of them); nprocs and
 * nprocs_unreadable are empty (not kept), hwm_rose says whether any of its samples had a spike,
 * marker joins their marks' labels (mw__capture_marker_span: up to MW__MARKER_MAX bytes; a
 * replay puts them on the bucket's first sample), spike_hwm_bytes is the highest proven mark of a
 * single process (empty: none).
 * Merged rows come first, oldest first. */
extern const char mw__csv_export_header[];
#define MW__CSV_MERGED_PER_FIELD 8
/* The merged columns' names by field (NULL for a field without a CSV column), in that order. */
extern const char *const mw__csv_merged_cols[MW__FIELD_COUNT][MW__CSV_MERGED_PER_FIELD];

/* Longest record (header or row, quoted newlines included) the reader accepts. */
#define MW__CSV_LINE_MAX 65536

/* Format one row (with trailing "\n", NUL-terminated) for sample s of capture c into buf. Returns
 * the length (without the NUL),
 * or 0 if buf is too small (a marker cell of MW__MARKER_CELL bytes needs twice that, plus 512).
 * marker NULL: no label (the cell is "" if s carries MW_SAMPLE_MARK, else empty). */
size_t mw__csv_format_row(char *buf, size_t n, const mw__capture *c, const mw__sample *s,
                          const char *marker);

/* CSV as an export format (see export.h); the dashboard's default. */
extern const mw__export_format mw__export_csv;

/* mw__export in CSV: the whole capture, atomically, never replacing path unless overwrite. */
int mw__csv_export(const mw__capture *c, const char *path, bool overwrite, size_t *rows,
                   char *err, size_t errlen);

/* What a load found besides the rows themselves. */
typedef struct mw__csv_loaded {
    uint64_t rows;      /* complete rows read (kept or not: the capacity bounds what is kept) */
    uint64_t torn_line; /* the line of a torn last row that was left out, 0 if none */
} mw__csv_loaded;

/* Load a capture file into c (already initialised; whatever it held is replaced; its capacity
 * bounds what is kept: the newest rows win, older ones are merged into its tiers, the summary
 * covers every row). An export's merged rows (mw__csv_export_header) become buckets of the tiers
 * as they were (mw__capture_add_bucket), the ring starting after them; they must come before
 * every full-resolution row, and their figures must agree (first, last and mean within
 * min..max, the max's time within the row's span), else MW_EINVAL naming the line. Sets pid (from the
 * first row), t0 = 0 with t_ns = elapsed_s in ns, and the wall-clock offset from the first row's
 * timestamp (so exporting again reproduces the same timestamps), and marks (the newest
 * MW__MARKS_MAX/2 .. MW__MARKS_MAX of them are kept). A file with a header and no rows loads
 * as an empty capture. Streams through a fixed buffer: a file of any size.
 * A torn last line (a capture ended by a full disk or a kill: the file's last line, without its
 * newline, with too few fields or a cell cut in two) is left out, not an error: info->torn_line
 * says where it was (info may be NULL). A bad line anywhere else is an error.
 * Errors, with err = "FILE: reason" (file level) or "FILE:LINE: reason" (content):
 * MW_ESYS (cannot open or read: the cause from strerror), MW_EINVAL (not a regular file, named by
 * kind: "is a FIFO, not a capture file" — checked before opening, so a FIFO never blocks; empty,
 * not text, wrong header, bad or missing field, line too long, elapsed time going backwards, more
 * marks on a row than memwatch writes (MW__MARKER_SETTLED_MAX)...),
 * MW_ENOMEM. On error c holds an unspecified part of the file (still safe to destroy). */
int mw__csv_load(const char *path, mw__capture *c, mw__csv_loaded *info, char *err,
                 size_t errlen);

/* Same as _load but from memory (a torn last line is left out silently); name is used in
 * messages. For tests and fuzzing. */
int mw__csv_load_mem(const char *data, size_t len, const char *name, mw__capture *c, char *err,
                     size_t errlen);

/* ---- streaming writer for -o FILE (headless recording) ----------------------------------------
 * A capture is always a new file: mw__csv_stream_open creates path with
 * O_CREAT|O_EXCL|O_NOFOLLOW (mode 0644 under the umask), so it never follows a link (a dangling
 * one included), never truncates and never appends; whatever is already at path is refused by
 * kind without being opened (a FIFO cannot block, a device gets nothing). Standard output, or any
 * stream the caller chose, comes in through mw__csv_stream_open_fd. The header is written first. */
typedef struct mw__csv_stream mw__csv_stream;

/* Errors, each with err = "cannot record to PATH: cause": MW_EALREADY (a regular file is there:
 * "it exists, and memwatch never appends to or overwrites a capture; ..."), MW_EINVAL (a link,
 * a directory, a FIFO, a device or a socket is there, named by kind; a link or a stream gets the
 * hint "for standard output, use -o -"), MW_ESYS (cannot create: the cause from strerror),
 * MW_ENOMEM. errno is set to the cause. */
int mw__csv_stream_open(const char *path, mw__csv_stream **out, char *err, size_t errlen);
/* Why a new output file could not be made at path (errno e, from an O_EXCL|O_NOFOLLOW create):
 * "cannot VERB PATH: it is a symbolic link, and memwatch never writes through one; ...", "...it
 * exists, and memwatch never appends to or overwrites WHAT; ...", or strerror(e). The -o wording,
 * shared by every output file. MW_EALREADY (a regular file), MW_EINVAL, or MW_ESYS. */
int mw__output_refusal(const char *path, int e, const char *verb, const char *what, char *err,
                       size_t errlen);
/* A stream on fd, which becomes the stream's (closed by _close); name is used in messages.
 * Errors: MW_ENOMEM (fd closed). */
int mw__csv_stream_open_fd(int fd, const char *name, mw__csv_stream **out);
/* The same two in any row format of export.h (CSV: mw__export_csv, JSON Lines:
 * mw__export_jsonl): its header first, if it has one, then a line per row (rows never hold a
 * newline); every other promise of the stream holds alike. */
int mw__stream_open(const char *path, const mw__export_format *fmt, mw__csv_stream **out,
                    char *err, size_t errlen);
int mw__stream_open_fd(int fd, const char *name, const mw__export_format *fmt,
                       mw__csv_stream **out);
/* Close and free st without writing what is buffered, and remove the file _open created if it
 * is still the one at its name (a run that never started leaves nothing behind). NULL is a
 * no-op. Returns 0 or MW_ESYS (the file could not be removed). */
int mw__csv_stream_discard(mw__csv_stream *st);
/* Buffer one row (the stream's format: mw__csv_format_row for CSV); writes out when the buffer
 * is full. The first failure is sticky: the stream stops and every later call returns MW_ESYS
 * with the same message in err and errno set to its cause (the capture itself is the caller's
 * and is unaffected). */
int mw__csv_stream_write(mw__csv_stream *st, const mw__capture *c, const mw__sample *s,
                         const char *marker, char *err, size_t errlen);
/* Write the buffered rows (the caller does it at least once a second; no fsync: a killed
 * recorder loses nothing already flushed). Also notices a regular file that was deleted or
 * replaced since it was opened. Errors: MW_ESYS with err = "cannot write to PATH: cause" and
 * errno set to the cause. */
int mw__csv_stream_flush(mw__csv_stream *st, char *err, size_t errlen);
/* Rows written so far (buffered ones included). */
uint64_t mw__csv_stream_rows(const mw__csv_stream *st);
/* Complete rows that reached the file: after a write cut short (disk full, a size limit), what
 * the file holds before its torn last line. A write error's message says it too ("cannot write
 * to PATH: File too large; the file holds its first N rows"). */
uint64_t mw__csv_stream_rows_out(const mw__csv_stream *st);
/* Flush, close and free (always frees; NULL is a no-op returning 0). Returns the first error. */
int mw__csv_stream_close(mw__csv_stream *st, char *err, size_t errlen);

/* ---- the cells every row writer shares (csv_write.c; jsonl_write.c) ---------------------------- */
/* A row's time in whole ms: wall-clock (the first sample's + elapsed) and since the first sample. */
void mw__row_times(const mw__capture *c, const mw__sample *s, int64_t *wall_ms, int64_t *el_ms);
/* Each writes at p (room for 24 bytes) and returns the end: the decimal v; the UTC timestamp
 * "YYYY-MM-DDTHH:MM:SS.mmmZ"; elapsed seconds "S.mmm" (truncated, negative as 0). */
char *mw__put_u64(char *p, uint64_t v);
char *mw__put_timestamp(char *p, int64_t wall_ms);
char *mw__put_elapsed(char *p, int64_t el_ms);

/* ---- shared by the csv_*.c files ------------------------------------------------------------- */
/* Output buffer size of the -o stream. */
#define MW__CSV_OUTBUF (64 * 1024)
/* ---- one cell of a capture (csv_cells.c) ---- */
/* A decimal unsigned 64-bit count: digits only, no sign, no overflow. 0 or MW_EINVAL. */
int mw__csv_parse_u64(const char *s, size_t n, uint64_t *out);
/* "YYYY-MM-DDTHH:MM:SS.mmmZ" (exactly, years 0000-9999) -> ms since the epoch. 0 or MW_EINVAL. */
int mw__csv_parse_timestamp(const char *s, size_t n, int64_t *ms);
/* "S", "S.f" with up to 9 decimals, non-negative, fitting int64 ns -> ns. 0 or MW_EINVAL. */
int mw__csv_parse_elapsed(const char *s, size_t n, int64_t *ns);

#endif
