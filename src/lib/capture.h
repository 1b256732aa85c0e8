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
#include "tiers.h"

/* Who owns it: exactly one thread (the program's main thread). The dashboard, export, replay and
 * headless recording all read from a capture; the watcher's ring only buffers between reads. */

#define MW__MARK_LABEL_MAX 48
#define MW__MARKS_MAX 4096
/* Marks are never dropped for coming fast: several on one sample all stay, and its marker cell
 * (CSV) joins their labels with " | ", each '|' of a label doubled so a reader can split them
 * back exactly. A mark is refused (MW_EINVAL: the caller says so) past MW__MARKER_MAX bytes of
 * labels on its sample, and so are the marks waiting for the next sample past that on it; when
 * they settle on the newest sample instead, its cell can reach MW__MARKER_SETTLED_MAX, and that
 * is what the reader accepts (mw__capture_mark_cell), so whatever is written loads back whole.
 * A buffer of MW__MARKER_CELL bytes holds any cell. */
#define MW__MARKER_MAX 1024
#define MW__MARKER_SETTLED_MAX (2 * MW__MARKER_MAX + 3)
#define MW__MARKER_CELL (2 * MW__MARKER_MAX + 8)

typedef struct mw__mark {
    uint64_t seq;                      /* the sample the mark is attached to (or waits for) */
    char label[MW__MARK_LABEL_MAX];    /* never empty (an unlabelled mark is "M<n>"); no controls */
} mw__mark;

typedef struct mw__capture {
    mw__ring ring;
    mw__tiers tiers;          /* every sample older than the ring's, merged (tiers.h): with the
                                 ring, the whole run; its buckets end where the ring begins */
    mw__summary all;          /* every sample ever added, including ones since overwritten */
    pid_t pid;                /* the process watched (0 if unknown) */
    char command[256];        /* its command line, for headers and files */
    bool have_t0;
    int64_t t0_ns;            /* CLOCK_MONOTONIC of the first sample: elapsed time 0 */
    int64_t wall_offset_ns;   /* CLOCK_REALTIME - CLOCK_MONOTONIC, fixed at the first sample */
    uint64_t lost;            /* samples the source overwrote before they reached the capture */
    mw__mark *marks;          /* by seq, oldest first; the oldest are forgotten past MW__MARKS_MAX */
    size_t nmarks;
    size_t marks_cap;
    uint64_t marks_made;      /* marks ever made: an unlabelled one is numbered M<this> */
} mw__capture;

/* Allocate room for cap samples at full resolution, and size the tiers behind them (as many
 * bytes again at most, allocated when the run first outgrows the ring). Returns 0, MW_EINVAL,
 * MW_ENOMEM. */
int mw__capture_init(mw__capture *c, size_t cap);
void mw__capture_destroy(mw__capture *c);

/* Add a sample (copied). The first one fixes t0 and, unless set already (replay), the wall-clock
 * offset from the current clocks. When the ring is full, its oldest sample goes into the tiers
 * first (if they cannot be allocated, the old history is only in `all`, as before tiers). */
void mw__capture_add(mw__capture *c, const mw__sample *s);

/* Add a merged bucket of samples (a replayed export's merged row) before any sample: it goes to
 * the tiers as it is (mw__tiers_append) and the ring then starts after it, so the run keeps its
 * length; `all` takes it (mw__summary_add_bucket). The first one fixes t0 as a sample does.
 * Returns 0, MW_EINVAL (the ring holds samples already: merged rows come first; an empty
 * bucket), MW_ENOMEM. */
int mw__capture_add_bucket(mw__capture *c, const mw__bucket *b);

/* Attach a mark with an optional label to the newest sample: sets MW_SAMPLE_MARK on it. NULL or
 * "" is numbered "M<n>", n the mark's ordinal in the run (so every reader sees a mark). Control
 * characters in the label become spaces; it is cut to fit. Marks still waiting for the next sample
 * are settled first. Returns 0, MW_ENODATA (no sample yet), MW_EINVAL (the sample's marker cell
 * is full), MW_ENOMEM. */
int mw__capture_mark(mw__capture *c, const char *label);
/* The same for the next sample to be added (a live session: the newest one's -o row is already
 * written); mw__capture_add flags it. Returns 0, MW_EINVAL, MW_ENOMEM. */
int mw__capture_mark_next(mw__capture *c, const char *label);
/* Marks waiting for a sample that will not come (the process ended, recording stopped) go on the
 * newest sample. No-op without samples. */
void mw__capture_settle_marks(mw__capture *c);
/* Add every mark of a marker cell (as mw__capture_marker writes it, len bytes) to the newest
 * sample: the CSV reader's way back. An empty cell is one unlabelled mark. All or nothing:
 * returns 0, MW_ENODATA (no sample), MW_EINVAL (the sample's cell would pass
 * MW__MARKER_SETTLED_MAX: nothing added), MW_ENOMEM. */
int mw__capture_mark_cell(mw__capture *c, const char *cell, size_t len);
/* The same for a merged row (mw__capture_add_bucket just took its bucket): its marks go on the
 * bucket's first sample. Returns 0, MW_EINVAL (no bucket, samples already, a cell longer than
 * MW__MARKER_MAX: nothing added), MW_ENOMEM. */
int mw__capture_mark_cell_merged(mw__capture *c, const char *cell, size_t len);
/* The length of the marker cell those marks make (labels cut and numbered as marking does),
 * without adding them: the reader checks it before it adds the row's sample. */
size_t mw__capture_cell_len(const mw__capture *c, const char *cell, size_t len);

/* The marker cell of sample seq into buf (n >= MW__MARKER_CELL holds any): its marks' labels
 * joined, or NULL if it has none. */
const char *mw__capture_marker(const mw__capture *c, uint64_t seq, char *buf, size_t n);
/* The marker cell of the samples [first, end) (a merged row): their marks' labels joined as
 * above, as many as fit in MW__MARKER_MAX bytes (a wide bucket can hold more), or NULL if none. */
const char *mw__capture_marker_span(const mw__capture *c, uint64_t first, uint64_t end, char *buf,
                                    size_t n);
/* The newest mark, or NULL. */
const mw__mark *mw__capture_last_mark(const mw__capture *c);

/* Time of the oldest sample the capture still knows of: the first of its tiers when the run
 * outgrew the ring (then the run's first sample), else the ring's oldest. 0 with no sample. */
int64_t mw__capture_first_t_ns(const mw__capture *c);

/* Wall-clock time (CLOCK_REALTIME ns) of a sample, and seconds since the first sample. */
int64_t mw__capture_wall_ns(const mw__capture *c, const mw__sample *s);
double mw__capture_elapsed_s(const mw__capture *c, const mw__sample *s);

#endif
