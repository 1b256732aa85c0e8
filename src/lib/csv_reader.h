/* SPDX-License-Identifier: MIT */
/* csv_reader.h — the capture reader's insides: csv_records.c cuts records, csv_read.c maps them. */
#ifndef MW_CSV_READER_H
#define MW_CSV_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csv.h"

/* An export's columns: 9 per field (its own and 8 merged) and a few more; room to grow. */
#define MW__CSV_MAX_FIELDS 512

/* Where bytes come from: a file read through one fixed window, or a caller's memory. */
typedef struct mw__csv_reader {
    const char *name;
    int fd;                 /* -1 for memory */
    char *buf;              /* file window: a longest line and a read chunk */
    size_t bufcap;
    const char *p, *end;    /* unparsed bytes */
    bool eof;               /* no more bytes after end */
    uint64_t line;          /* physical line where the next record starts */
    uint64_t torn_line;     /* the torn last line left out (0: none) */
    char *err;
    size_t errlen;
    /* The current record: unquoted fields point into the window, quoted ones into scratch. */
    size_t nf;
    const char *f[MW__CSV_MAX_FIELDS];
    size_t flen[MW__CSV_MAX_FIELDS];
    bool fquoted[MW__CSV_MAX_FIELDS];
    char scratch[MW__CSV_LINE_MAX + 1];
} mw__csv_reader;

/* What mw__csv_next_record found. MW__REC_TORN: the file ends inside a quoted field of a record
 * still on its first line (a capture cut short there); MW__REC_MORE is internal. */
enum { MW__REC_OK = 1, MW__REC_MORE = 2, MW__REC_EOF = 3, MW__REC_TORN = 4 };

/* The message "NAME:LINE: ..." (or "NAME: ..." for line 0) into r->err; returns MW_EINVAL. */
__attribute__((format(printf, 3, 4)))
int mw__csv_fail(mw__csv_reader *r, uint64_t line, const char *fmt, ...);

/* The next record into r->f/flen/fquoted/nf, refilling from r->fd as needed (r->line moves past
 * it). Returns MW__REC_OK, MW__REC_EOF, MW__REC_TORN, or MW_EINVAL / MW_ESYS (message set). Only
 * the file's last record can end without its newline. */
int mw__csv_next_record(mw__csv_reader *r);

#endif
