/* SPDX-License-Identifier: MIT */
/* csv_cells.c — parse one CSV cell of a capture: an unsigned count, a UTC timestamp, elapsed seconds. */
#include "config.h"

#include <stdbool.h>

#include "csv.h"

int mw__csv_parse_u64(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0 || n > 20)
        return MW_EINVAL;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9 || v > (UINT64_MAX - d) / 10)
            return MW_EINVAL;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

static int digits(const char *s, int n, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* Howard Hinnant's days_from_civil: proleptic Gregorian date -> days since 1970-01-01. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

int mw__csv_parse_timestamp(const char *s, size_t n, int64_t *ms)
{
    /* 0123456789012345678901234 */
    /* YYYY-MM-DDTHH:MM:SS.mmmZ  */
    unsigned y, mo, d, h, mi, se, f;
    if (n != 24 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
        s[19] != '.' || s[23] != 'Z')
        return MW_EINVAL;
    if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
        digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &se) ||
        digits(s + 20, 3, &f))
        return MW_EINVAL;
    static const unsigned mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) ||
        h > 23 || mi > 59 || se > 59)
        return MW_EINVAL;
    int64_t days = days_from_civil(y, mo, d);
    *ms = ((days * 86400 + h * 3600 + mi * 60 + se) * 1000) + f;
    return 0;
}

int mw__csv_parse_elapsed(const char *s, size_t n, int64_t *ns)
{
    size_t i = 0;
    uint64_t sec = 0, frac = 0;
    while (i < n && s[i] != '.')
        i++;
    if (mw__csv_parse_u64(s, i, &sec) || sec > (uint64_t)INT64_MAX / 1000000000 - 1)
        return MW_EINVAL;
    if (i < n) {
        size_t fd = n - i - 1;
        if (fd == 0 || fd > 9 || mw__csv_parse_u64(s + i + 1, fd, &frac))
            return MW_EINVAL;
        for (; fd < 9; fd++)
            frac *= 10;
    }
    *ns = (int64_t)(sec * 1000000000 + frac);
    return 0;
}

