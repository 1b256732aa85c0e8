/* SPDX-License-Identifier: MIT */
/* headroom.h — time to the limit: which ceiling the growth reaches first, and when (pure). */
#ifndef MW_HEADROOM_H
#define MW_HEADROOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ring.h"
#include "stats.h"

/* "At this rate the 512 MiB limit is reached in ~14 min" (issue 18). The rate is the
 * least-squares line of stats.c (mw__trend, the fit the trend row and the summary show) over
 * the newest MW__HEADROOM_WINDOW_S of the samples kept; nothing is said unless it is a line
 * worth extending:
 * - at least MW__HEADROOM_MIN_N points over at least MW__HEADROOM_MIN_SPAN_S: a few seconds of
 *   a start-up ramp are no rate;
 * - slope > 0 and R² >= MW__HEADROOM_R2 (the leak verdict's line threshold, MW__VERDICT_R2: a
 *   steady climb under a sawtooth fits at 0.9+, a step at ~0.75); a flat fit (R² undefined) is
 *   no growth;
 * - the figure is still under the ceiling.
 * The time is extrapolated far beyond the span fitted, so it is rounded to two significant
 * digits ("~40 s", "~14 min", "~3.2 h", "~2.5 days") and anything past a week is "> 1 week". */
#define MW__HEADROOM_R2 0.8
#define MW__HEADROOM_MIN_N 10
#define MW__HEADROOM_MIN_SPAN_S 10.0
#define MW__HEADROOM_WINDOW_S 600.0
#define MW__HEADROOM_WEEK_S (7.0 * 86400.0)

/* What a ceiling caps, which decides its sentence. */
typedef enum mw__ceiling_kind {
    MW__CEIL_CGROUP,    /* a cgroup's memory limit (memory.max / memory.limit_in_bytes) */
    MW__CEIL_MEMAVAIL,  /* the machine's MemAvailable: the ceiling is the figure now + it */
    MW__CEIL_RLIMIT_AS, /* the process's RLIMIT_AS, against its VSZ */
} mw__ceiling_kind;

/* One ceiling and the growth of the figure it caps. Strings are borrowed for the call. */
typedef struct mw__ceiling {
    mw__ceiling_kind kind;
    const char *figure; /* what grows towards it: "RSS", "VSZ", "cgroup memory" */
    uint64_t now;       /* the figure now, bytes */
    uint64_t limit;     /* the ceiling, bytes, on the figure's scale (MEMAVAIL: now + available) */
    uint64_t shown;     /* the figure the sentence names (MEMAVAIL: MemAvailable itself) */
    mw__trend fit;      /* the figure's growth (mw__headroom_fit) */
    bool have_fit;      /* false: no fit could be made */
} mw__ceiling;

/* What is said: the nearest ceiling reached, or nothing. */
typedef struct mw__headroom {
    bool said;           /* false: nothing is true enough to say (all fields below empty) */
    size_t which;        /* the ceiling's index in the list given */
    mw__ceiling_kind kind;
    double seconds;      /* until it is reached at the fitted rate */
    char when[24];       /* "~14 min", "> 1 week" */
    char text[160];      /* "at this rate VSZ reaches RLIMIT_AS 2.0 GiB in ~40 s" */
} mw__headroom;

/* The growth of field f over the newest MW__HEADROOM_WINDOW_S of the ring's samples, on at most
 * ~1024 of them (mw__trend_fit_every). False when no line can be fitted. Pure; any thread. */
bool mw__headroom_fit(const mw__ring *r, mw__field f, mw__trend *out);

/* Of the n ceilings, the one reached first at its figure's rate, within the rules above; out
 * cleared (said false) when none is. Pure; any thread. */
void mw__headroom_eval(const mw__ceiling *c, size_t n, mw__headroom *out);

/* A duration rounded as above into buf ("~3.2 h", "> 1 week"); returns buf. */
char *mw__headroom_when(char *buf, size_t n, double seconds);

#endif
