/* SPDX-License-Identifier: MIT */
/* timefmt.h — a sample's time as elapsed (00:01:14) or wall clock (19:24:36), to the ms if asked. */
#ifndef MW_TIMEFMT_H
#define MW_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How times are written: t0 and wall_offset are the capture's (capture.h). */
typedef struct mw__timefmt {
    int64_t t0_ns;          /* CLOCK_MONOTONIC of elapsed 0 */
    int64_t wall_offset_ns; /* CLOCK_REALTIME - CLOCK_MONOTONIC */
    bool wall;              /* local wall-clock time (HH:MM:SS) instead of elapsed time */
    bool ms;                /* add .NNN milliseconds (a window or run under a minute) */
} mw__timefmt;

/* Under this span, whole seconds cannot tell samples apart: times get milliseconds. */
#define MW__TIME_MS_BELOW_NS (60LL * 1000000000LL)

/* Write the CLOCK_MONOTONIC time t_ns: "00:01:14", "00:00:01.250", "19:24:36", "19:24:36.250".
 * Returns buf. */
char *mw__format_when(char *buf, size_t n, int64_t t_ns, const mw__timefmt *tf);

/* For the summary: elapsed and wall clock both, "00:00:01.250 (19:24:36.250)", with ms when
 * the run (span_ns) is under a minute. Returns buf. */
char *mw__format_at(char *buf, size_t n, int64_t t_ns, int64_t t0_ns, int64_t wall_offset_ns,
                    int64_t span_ns);

#endif
