/* SPDX-License-Identifier: MIT */
/* capture.h — the program's own record of a session: a ring of samples, marks, and what was watched. */
#ifndef MW_CAPTURE_H
#define MW_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "ring.h"
#include "stats.h"

/* Who owns it: exactly one thread (the program's main thread). The dashboard, export, replay and
 * headless recording all read from a capture; the watcher's ring only buffers between reads. */

#define MW__MARK_LABEL_MAX 48
#define MW__MARKS_MAX 4096

typedef struct mw__mark {
    uint64_t seq;                      /* the sample the mark is attached to */
    char label[MW__MARK_LABEL_MAX];    /* may be empty; never contains newlines */
} mw__mark;

typedef struct mw__capture {
    mw__ring ring;
    mw__summary all;          /* every sample ever added, including ones since overwritten */
    pid_t pid;                /* the process watched (0 if unknown) */
    char command[256];        /* its command line, for headers and files */
    bool have_t0;
    int64_t t0_ns;            /* CLOCK_MONOTONIC of the first sample: elapsed time 0 */
    int64_t wall_offset_ns;   /* CLOCK_REALTIME - CLOCK_MONOTONIC, fixed at the first sample */
    uint64_t lost;            /* samples the source overwrote before they reached the capture */
    mw__mark *marks;          /* oldest first; the oldest are forgotten past MW__MARKS_MAX */
    size_t nmarks;
    size_t marks_cap;
} mw__capture;

/* Allocate room for cap samples. Returns 0, MW_EINVAL, MW_ENOMEM. */
int mw__capture_init(mw__capture *c, size_t cap);
void mw__capture_destroy(mw__capture *c);

/* Add a sample (copied). The first one fixes t0 and, unless set already (replay), the wall-clock
 * offset from the current clocks. */
void mw__capture_add(mw__capture *c, const mw__sample *s);

/* Attach a mark with an optional label (NULL or "") to the newest sample: sets MW_SAMPLE_MARK on
 * it. Control characters in the label become spaces; it is cut to fit. Returns 0, MW_ENODATA
 * (no sample yet), MW_ENOMEM. */
int mw__capture_mark(mw__capture *c, const char *label);

/* The label of the mark on sample seq, or NULL if none. Binary search. */
const char *mw__capture_mark_label(const mw__capture *c, uint64_t seq);
/* The newest mark, or NULL. */
const mw__mark *mw__capture_last_mark(const mw__capture *c);

/* Wall-clock time (CLOCK_REALTIME ns) of a sample, and seconds since the first sample. */
int64_t mw__capture_wall_ns(const mw__capture *c, const mw__sample *s);
double mw__capture_elapsed_s(const mw__capture *c, const mw__sample *s);

#endif
