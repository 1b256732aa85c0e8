/* SPDX-License-Identifier: MIT */
/* gaps.h — sampling gaps: times between samples longer than twice the interval then in force. */
#ifndef MW_GAPS_H
#define MW_GAPS_H

#include <stdbool.h>
#include <stdint.h>

/* Fed every sample as it is kept, with the interval in force; zeroed is empty. */
typedef struct mw__gaps {
    uint64_t count;            /* gaps longer than twice the interval in force */
    int64_t longest_ns;        /* the longest time between two consecutive samples */
    int64_t last_t_ns;         /* the previous sample's time (CLOCK_MONOTONIC) */
    uint64_t last_interval_ms; /* the interval in force when it was kept */
    bool have;                 /* a previous sample exists */
} mw__gaps;

/* A sample at t_ns, interval_ms in force now. The interval may have changed (+/-) since the
 * previous sample: the gap is judged against the longer of the two, so a sample taken under the
 * old, slower interval and kept after the change is not a gap. */
void mw__gaps_add(mw__gaps *g, int64_t t_ns, uint64_t interval_ms);

#endif
