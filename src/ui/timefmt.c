/* SPDX-License-Identifier: MIT */
/* timefmt.c — a sample's time as elapsed or local wall-clock time, with milliseconds if asked. */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "timefmt.h"
#include "units.h"

#define NS_PER_S 1000000000LL

char *mw__format_when(char *buf, size_t n, int64_t t_ns, const mw__timefmt *tf)
{
    if (!buf || !n)
        return buf;
    int64_t t = tf->wall ? t_ns + tf->wall_offset_ns : t_ns - tf->t0_ns;
    if (t < 0)
        t = 0;
    char whole[32];
    if (tf->wall) {
        time_t secs = (time_t)(t / NS_PER_S);
        struct tm tm;
        if (localtime_r(&secs, &tm))
            snprintf(whole, sizeof(whole), "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
        else
            snprintf(whole, sizeof(whole), "??:??:??");
    } else {
        mw__format_clock(whole, sizeof(whole), t);
    }
    if (tf->ms)
        snprintf(buf, n, "%s.%03d", whole, (int)(t % NS_PER_S / 1000000));
    else
        snprintf(buf, n, "%s", whole);
    return buf;
}

char *mw__format_at(char *buf, size_t n, int64_t t_ns, int64_t t0_ns, int64_t wall_offset_ns,
                    int64_t span_ns)
{
    mw__timefmt tf = {.t0_ns = t0_ns, .wall_offset_ns = wall_offset_ns,
                      .ms = span_ns < MW__TIME_MS_BELOW_NS};
    char elapsed[32], wall[32];
    mw__format_when(elapsed, sizeof(elapsed), t_ns, &tf);
    tf.wall = true;
    snprintf(buf, n, "%s (%s)", elapsed, mw__format_when(wall, sizeof(wall), t_ns, &tf));
    return buf;
}
