/* SPDX-License-Identifier: MIT */
/* headroom.c — time to the limit: the nearest ceiling the fitted growth reaches, rounded (headroom.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "headroom.h"
#include "units.h"

bool mw__headroom_fit(const mw__ring *r, mw__field f, mw__trend *out)
{
    memset(out, 0, sizeof(*out));
    uint64_t first = mw__ring_first(r), end = mw__ring_end(r);
    if (end - first < 2)
        return false;
    int64_t from_t = mw__ring_at(r, end - 1)->t_ns - (int64_t)(MW__HEADROOM_WINDOW_S * 1e9);
    uint64_t from = mw__ring_seek_time(r, first, end, from_t);
    uint64_t n = end - from;
    return n >= 2 && mw__trend_fit_every(r, from, end, n / 1024 + 1, f, out);
}

/* The rule: a line worth extending, and a ceiling still ahead. */
static bool usable(const mw__ceiling *c)
{
    const mw__trend *t = &c->fit;
    return c->have_fit && t->n >= MW__HEADROOM_MIN_N && t->span_s >= MW__HEADROOM_MIN_SPAN_S &&
           !t->flat && t->slope > 0 && t->r2 >= MW__HEADROOM_R2 && c->limit > c->now;
}

/* v (>= 0.95) rounded to two significant digits: one decimal below 10, whole above. */
static double two_digits(double v)
{
    return v < 9.95 ? (double)(long)(v * 10 + 0.5) / 10 : (double)(long)(v + 0.5);
}

char *mw__headroom_when(char *buf, size_t n, double s)
{
    static const struct { double secs, upto; const char *unit, *one; } units[] = {
        {1, 60, "s", "s"}, {60, 60, "min", "min"}, {3600, 24, "h", "h"}, {86400, 7, "days", "day"},
    };
    if (s < 0.5) {
        snprintf(buf, n, "< 1 s");
        return buf;
    }
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        /* whole seconds: "~3.2 s" would be false precision */
        double v = i == 0 ? (double)(long)(s + 0.5) : two_digits(s / units[i].secs);
        if (v >= units[i].upto)
            continue; /* 59.6 s is "~1 min", not "~60 s" */
        if (v == (double)(long)v)
            snprintf(buf, n, "~%ld %s", (long)v, v == 1 ? units[i].one : units[i].unit);
        else
            snprintf(buf, n, "~%.1f %s", v, units[i].unit);
        return buf;
    }
    snprintf(buf, n, "> 1 week");
    return buf;
}

/* "at this rate VSZ reaches RLIMIT_AS 2.0 GiB in ~40 s" */
static void sentence(const mw__ceiling *c, const char *when, char *buf, size_t n)
{
    char b[32];
    mw__format_bytes(b, sizeof(b), c->shown);
    switch (c->kind) {
    case MW__CEIL_CGROUP:
        snprintf(buf, n, "at this rate %s reaches the cgroup limit %s in %s", c->figure, b, when);
        break;
    case MW__CEIL_MEMAVAIL:
        snprintf(buf, n, "at this rate %s uses up MemAvailable (%s) in %s", c->figure, b, when);
        break;
    case MW__CEIL_RLIMIT_AS:
        snprintf(buf, n, "at this rate %s reaches RLIMIT_AS %s in %s", c->figure, b, when);
        break;
    }
}

void mw__headroom_eval(const mw__ceiling *c, size_t n, mw__headroom *out)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < n; i++) {
        if (!usable(&c[i]))
            continue;
        double s = (double)(c[i].limit - c[i].now) / c[i].fit.slope;
        if (!out->said || s < out->seconds) {
            out->said = true;
            out->which = i;
            out->kind = c[i].kind;
            out->seconds = s;
        }
    }
    if (!out->said)
        return;
    mw__headroom_when(out->when, sizeof(out->when), out->seconds);
    sentence(&c[out->which], out->when, out->text, sizeof(out->text));
}
