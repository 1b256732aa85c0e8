/* SPDX-License-Identifier: MIT */
/* svgtext.c — the plot's text tools: a growing buffer, XML-safe text, nice axis steps, time labels. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svgtext.h"
#include "units.h"

static bool reserve(mw__svgbuf *b, size_t more)
{
    if (b->failed)
        return false;
    if (b->len + more + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void mw__svg_printf(mw__svgbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k < 0 || !reserve(b, (size_t)k))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)k;
}

void mw__svg_text(mw__svgbuf *b, const char *s)
{
    /* A label is short (marks: 48 bytes, commands: 256); safe_text grows it at most 4x. */
    char safe[2048];
    mw__safe_text(safe, sizeof(safe), s);
    for (const char *p = safe; *p; p++) {
        /* U+FFFE and U+FFFF are valid UTF-8 but not XML characters: written as escapes. */
        if ((unsigned char)p[0] == 0xef && (unsigned char)p[1] == 0xbf &&
            ((unsigned char)p[2] == 0xbe || (unsigned char)p[2] == 0xbf)) {
            mw__svg_printf(b, "\\u%s", (unsigned char)p[2] == 0xbe ? "FFFE" : "FFFF");
            p += 2;
            continue;
        }
        switch (*p) {
        case '&': mw__svg_printf(b, "&amp;"); break;
        case '<': mw__svg_printf(b, "&lt;"); break;
        case '>': mw__svg_printf(b, "&gt;"); break;
        case '"': mw__svg_printf(b, "&quot;"); break;
        case '\'': mw__svg_printf(b, "&apos;"); break;
        default:
            if (reserve(b, 1))
                b->p[b->len++] = *p;
        }
    }
    if (!b->failed)
        b->p[b->len] = '\0';
}

uint64_t mw__svg_bytes_step(uint64_t range, int want)
{
    static const uint64_t m[] = {1, 2, 5, 10, 20, 50, 100, 200, 500};
    if (want < 1)
        want = 1;
    uint64_t target = range / (uint64_t)want;
    for (uint64_t unit = 1; unit <= (1ull << 50); unit *= 1024)
        for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
            if (m[i] * unit >= target)
                return m[i] * unit;
    return 1ull << 60;
}

double mw__svg_time_step(double span_s)
{
    static const double ladder[] = {0.001, 0.002, 0.005, 0.01, 0.02,  0.05,  0.1,   0.2,
                                    0.5,   1,     2,     5,    10,    15,    30,    60,
                                    120,   300,   600,   900,  1800,  3600,  7200,  10800,
                                    21600, 43200, 86400, 172800, 432000, 864000};
    for (size_t i = 0; i < sizeof(ladder) / sizeof(ladder[0]); i++)
        if (span_s / ladder[i] <= 8)
            return ladder[i];
    return (double)((uint64_t)(span_s / 8 / 864000) + 1) * 864000;
}

char *mw__svg_time_label(char *buf, size_t n, double t, double step)
{
    if (t <= -step / 1000) { /* before a --compare-at mark */
        char pos[32];
        snprintf(buf, n, "-%s", mw__svg_time_label(pos, sizeof(pos), -t, step));
        return buf;
    }
    if (t < step / 1000) {
        snprintf(buf, n, "0s");
        return buf;
    }
    if (step < 1) {
        int dec = step >= 0.1 ? 1 : step >= 0.01 ? 2 : 3;
        snprintf(buf, n, "%.*fs", dec, t);
        return buf;
    }
    return mw__format_span(buf, n, (int64_t)(t * 1e9 + 0.5));
}

char *mw__svg_elapsed(char *buf, size_t n, double t)
{
    if (t < 0) { /* before a --compare-at mark */
        char pos[32];
        snprintf(buf, n, "-%s", mw__svg_elapsed(pos, sizeof(pos), -t));
        return buf;
    }
    if (t < 60) {
        snprintf(buf, n, "%.3f s", t);
        return buf;
    }
    char clock[32];
    int64_t tenths = (int64_t)(t * 10 + 0.5);
    mw__format_clock(clock, sizeof(clock), tenths / 10 * 1000000000);
    snprintf(buf, n, "%s.%d", clock, (int)(tenths % 10));
    return buf;
}
