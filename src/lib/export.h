/* SPDX-License-Identifier: MIT */
/* export.h — capture exports: each output format is a row of callbacks, written through atomicfile. */
#ifndef MW_EXPORT_H
#define MW_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include "capture.h"

/* Who owns what: a format only turns a capture into bytes (header, one row per stored sample,
 * footer); export.c owns the loop and the buffer; atomicfile.c owns the file. Adding a format
 * (JSON Lines, OpenMetrics, SVG) is one more mw__export_format, a row in mw__export_formats and
 * its tests. Everything runs on the thread that owns the capture. */
/* How a format exports a whole run (mw__export), when it differs from its stream (-o): every
 * row says how many samples it stands for, and the history older than the ring (the capture's
 * tiers, tiers.h) comes first as one merged row per bucket, oldest first. Callbacks as below;
 * bucket's marker joins the labels of the marks still kept on its samples
 * (mw__capture_marker_span), NULL if none. */
typedef struct mw__export_run {
    size_t (*header)(char *buf, size_t n, const mw__capture *c);
    size_t (*row)(char *buf, size_t n, const mw__capture *c, const mw__sample *s,
                  const char *marker);
    size_t (*bucket)(char *buf, size_t n, const mw__capture *c, const mw__bucket *b,
                     const char *marker);
} mw__export_run;

typedef struct mw__export_format {
    const char *name;     /* "csv": how messages and options name it */
    const char *suffix;   /* ".csv": the end of file names made for it */
    size_t record_max;    /* bytes the longest header, row or footer may need */
    /* Each callback formats into buf (n >= record_max bytes free) and returns the length
     * written. header and footer may be NULL or return 0 (nothing to write); a row that returns
     * 0 did not fit (an export error). marker: the sample's mark label, NULL if none. */
    size_t (*header)(char *buf, size_t n, const mw__capture *c);
    size_t (*row)(char *buf, size_t n, const mw__capture *c, const mw__sample *s,
                  const char *marker);
    size_t (*footer)(char *buf, size_t n, const mw__capture *c);
    /* The export of a whole run, or NULL: an export is the stream's header, rows and footer over
     * the ring's samples (only what the ring holds). */
    const mw__export_run *run;
} mw__export_format;

/* The formats, NULL-terminated; the first is the default (the dashboard's e key). */
extern const mw__export_format *const mw__export_formats[];

/* The format named name ("csv", "jsonl"), or NULL. */
const mw__export_format *mw__export_find(const char *name);

/* JSON Lines (jsonl_write.c): one object per sample, the CSV's columns as keys in the CSV's
 * order; numbers as JSON numbers, timestamp as a string, an unknown field (CSV's empty cell) as
 * null, marker as the label cell's text (the labels joined as in CSV, without CSV's quoting or
 * formula guard; "" for an unlabelled mark) or null when the sample has no mark. No header. */
extern const mw__export_format mw__export_jsonl;

/* Write the whole capture (every stored sample, with mark labels; with fmt->run, the tiers'
 * buckets first, so a run longer than the ring is there from its first sample) in format fmt to path
 * atomically (see mw__atomicfile_create and _commit): on any failure nothing appears at path
 * and no temporary is left. An existing path is never replaced unless overwrite is true. On
 * success *rows (may be NULL) gets the number of rows. err gets one line naming the path and
 * the cause, e.g. "cannot export to /ro/x.csv: Permission denied".
 * Errors: MW_EALREADY (path exists and overwrite is false), MW_EINVAL (bad arguments, path is a
 * directory), MW_ENOMEM, MW_ESYS (any system call failed, disk full included). */
int mw__export(const mw__capture *c, const mw__export_format *fmt, const char *path,
               bool overwrite, size_t *rows, char *err, size_t errlen);

#endif
