/* SPDX-License-Identifier: MIT */
/* fixedfmt.c — fixed-point numbers written by hand, so the locale's decimal comma never leaks in. */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "fixedfmt.h"

size_t mw__fixed_format(char *buf, size_t n, double v, int decimals)
{
    static const double scale[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    if (!isfinite(v)) { /* no number to write; (uint64_t)NaN would be undefined */
        if (n)
            buf[0] = '\0';
        return 0;
    }
    char b[MW__FIXED_MAX];
    double a = v < 0 ? -v : v;
    double x = a * scale[decimals];
    int k;
    if (x >= 9e18) { /* beyond int64 the fraction is noise anyway; %.0f has no decimal point */
        k = snprintf(b, sizeof(b), "%s%.0f", v < 0 ? "-" : "", a);
    } else {
        uint64_t u = (uint64_t)(x + 0.5); /* rounds half up; no libm needed */
        uint64_t ip = u / (uint64_t)scale[decimals], fp = u % (uint64_t)scale[decimals];
        k = snprintf(b, sizeof(b), "%s%" PRIu64, v < 0 && u ? "-" : "", ip);
        if (decimals)
            k += snprintf(b + k, sizeof(b) - (size_t)k, ".%0*" PRIu64, decimals, fp);
    }
    if (k < 0 || (size_t)k >= n) {
        if (n)
            buf[0] = '\0';
        return 0;
    }
    for (int i = 0; i <= k; i++)
        buf[i] = b[i];
    return (size_t)k;
}
