/* SPDX-License-Identifier: MIT */
/* gaps.c — counts the times between samples that were longer than twice the interval. */
#include "gaps.h"

void mw__gaps_add(mw__gaps *g, int64_t t_ns, uint64_t interval_ms)
{
    if (g->have) {
        int64_t dt = t_ns - g->last_t_ns;
        uint64_t in_force = interval_ms > g->last_interval_ms ? interval_ms : g->last_interval_ms;
        if (dt > g->longest_ns)
            g->longest_ns = dt;
        if (dt > 0 && (uint64_t)dt > 2 * in_force * 1000000u)
            g->count++;
    }
    g->have = true;
    g->last_t_ns = t_ns;
    g->last_interval_ms = interval_ms;
}
