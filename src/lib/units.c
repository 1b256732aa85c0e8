/* SPDX-License-Identifier: MIT */
/* units.c — pure parsers and formatters for durations, sizes, clocks and spans (no locale, no libm). */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "memwatch.h"
#include "units.h"

/* A decimal number "123", "1.5", ".5", "2." split into an integer part and up to 9 fractional
 * digits (further digits only count for "is it non-zero"). Exact integer arithmetic, so "0.1s"
 * is exactly 100 ms and never 99. Returns the number of characters consumed, 0 on garbage. */
typedef struct decimal {
    uint64_t ip;       /* integer part */
    uint64_t frac;     /* fractional digits as an integer, scaled to 1e9 */
    bool frac_tail;    /* non-zero digits beyond the 9th */
} decimal;

static size_t parse_decimal(const char *s, decimal *d)
{
    size_t i = 0, ndig = 0;
    memset(d, 0, sizeof(*d));
    for (; s[i] >= '0' && s[i] <= '9'; i++, ndig++) {
        unsigned dig = (unsigned)(s[i] - '0');
        if (d->ip > (UINT64_MAX - dig) / 10)
            return 0; /* overflow */
        d->ip = d->ip * 10 + dig;
    }
    if (s[i] == '.') {
        i++;
        uint64_t scale = 100000000; /* first fractional digit is worth 1e8 of 1e9 */
        for (; s[i] >= '0' && s[i] <= '9'; i++, ndig++) {
            unsigned dig = (unsigned)(s[i] - '0');
            if (scale) {
                d->frac += dig * scale;
                scale /= 10;
            } else if (dig) {
                d->frac_tail = true;
            }
        }
    }
    return ndig ? i : 0;
}

/* value * mult, rounded to the nearest integer; false on overflow. */
static bool decimal_scale(const decimal *d, uint64_t mult, uint64_t *out)
{
    if (mult && d->ip > UINT64_MAX / mult)
        return false;
    uint64_t whole = d->ip * mult;
    /* frac/1e9 * mult, rounded: split mult to keep the product within 64 bits. */
    uint64_t hi = mult / 1000000000, lo = mult % 1000000000;
    uint64_t part = d->frac * hi + (d->frac * lo + 500000000) / 1000000000;
    if (whole > UINT64_MAX - part)
        return false;
    *out = whole + part;
    return true;
}

static bool decimal_is_zero(const decimal *d) { return !d->ip && !d->frac && !d->frac_tail; }

static int ascii_lower(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

static bool eq_nocase(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
            return false;
    return *a == *b;
}

/* The number at the start of s and what follows it (the unit), or NULL on bad input. */
static const char *number_and_unit(const char *s, const uint64_t *out, decimal *d)
{
    size_t n = s && out ? parse_decimal(s, d) : 0;
    return n ? s + n : NULL;
}

int mw__parse_duration_ms(const char *s, uint64_t *out_ms)
{
    decimal d;
    const char *unit = number_and_unit(s, out_ms, &d);
    if (!unit)
        return MW_EINVAL;
    uint64_t mult;
    /* Units are lower-case only: "1M" reads like a size, and a typo should fail loudly. */
    if (!*unit || !strcmp(unit, "ms"))
        mult = 1;
    else if (!strcmp(unit, "s"))
        mult = 1000;
    else if (!strcmp(unit, "m"))
        mult = 60000;
    else if (!strcmp(unit, "h"))
        mult = 3600000;
    else
        return MW_EINVAL;
    uint64_t ms;
    if (!decimal_scale(&d, mult, &ms))
        return MW_EINVAL;
    if (ms == 0 && !decimal_is_zero(&d))
        return MW_EINVAL; /* "0.2ms" would silently become 0 */
    *out_ms = ms;
    return 0;
}

int mw__parse_size(const char *s, uint64_t *out_bytes)
{
    decimal d;
    const char *unit = number_and_unit(s, out_bytes, &d);
    if (!unit)
        return MW_EINVAL;
    if (*unit == ' ' && unit[1])
        unit++; /* "1.5 GiB" as printed by mw__format_bytes reads back */
    static const char *const names[][3] = {
        {"", "b", NULL}, {"k", "kb", "kib"}, {"m", "mb", "mib"}, {"g", "gb", "gib"},
        {"t", "tb", "tib"},
    };
    uint64_t mult = 1;
    for (size_t u = 0; u < sizeof(names) / sizeof(names[0]); u++, mult *= 1024) {
        for (size_t k = 0; k < 3; k++) {
            if (names[u][k] && eq_nocase(unit, names[u][k])) {
                uint64_t bytes;
                if (!decimal_scale(&d, mult, &bytes))
                    return MW_EINVAL;
                *out_bytes = bytes;
                return 0;
            }
        }
    }
    return MW_EINVAL;
}

static const char *const unit_names[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

/* Magnitude text without sign. B and KiB are whole numbers (a KiB decimal is noise on a
 * process size); MiB and up carry one decimal. The unit is the one where the rounded figure
 * stays below 1024, so 1023.96 MiB reads "1.0 GiB", never "1024.0 MiB". */
static void format_magnitude(char *buf, size_t n, uint64_t bytes)
{
    if (bytes < 1024) {
        snprintf(buf, n, "%u B", (unsigned)bytes);
        return;
    }
    uint64_t div = 1024;
    int u = 1;
    for (;;) {
        /* tenths of the unit, rounded; KiB rounds to whole units */
        uint64_t tenths = u == 1 ? (bytes / 1024 + (bytes % 1024 >= 512)) * 10
                                : (bytes / (div / 1024) * 10 + 512) / 1024;
        if (tenths < 10240 || u == 6) {
            if (u == 1)
                snprintf(buf, n, "%u KiB", (unsigned)(tenths / 10));
            else
                snprintf(buf, n, "%llu.%u %s", (unsigned long long)(tenths / 10),
                         (unsigned)(tenths % 10), unit_names[u]);
            return;
        }
        div *= 1024;
        u++;
    }
}

char *mw__format_bytes(char *buf, size_t n, uint64_t bytes)
{
    if (buf && n)
        format_magnitude(buf, n, bytes);
    return buf;
}

char *mw__format_bytes_signed(char *buf, size_t n, int64_t bytes)
{
    if (!buf || !n)
        return buf;
    char mag[32];
    uint64_t abs = bytes < 0 ? (uint64_t)0 - (uint64_t)bytes : (uint64_t)bytes;
    format_magnitude(mag, sizeof(mag), abs);
    snprintf(buf, n, "%c%s", bytes < 0 ? '-' : '+', mag);
    return buf;
}

char *mw__format_interval(char *buf, size_t n, uint64_t ms)
{
    if (!buf || !n)
        return buf;
    if (ms < 1000)
        snprintf(buf, n, "%ums", (unsigned)ms);
    else if (ms % 3600000 == 0)
        snprintf(buf, n, "%lluh", (unsigned long long)(ms / 3600000));
    else if (ms % 60000 == 0)
        snprintf(buf, n, "%llum", (unsigned long long)(ms / 60000));
    else if (ms % 1000 == 0)
        snprintf(buf, n, "%llus", (unsigned long long)(ms / 1000));
    else {
        /* "2.5s", "1.25s", "1.001s": as many decimals as needed, no trailing zeros */
        unsigned frac = (unsigned)(ms % 1000);
        int digits = frac % 100 == 0 ? 1 : frac % 10 == 0 ? 2 : 3;
        unsigned shown = digits == 1 ? frac / 100 : digits == 2 ? frac / 10 : frac;
        snprintf(buf, n, "%llu.%0*us", (unsigned long long)(ms / 1000), digits, shown);
    }
    return buf;
}

char *mw__format_clock(char *buf, size_t n, int64_t ns)
{
    if (!buf || !n)
        return buf;
    uint64_t s = ns < 0 ? 0 : (uint64_t)ns / 1000000000u;
    snprintf(buf, n, "%02llu:%02u:%02u", (unsigned long long)(s / 3600), (unsigned)(s / 60 % 60),
             (unsigned)(s % 60));
    return buf;
}

/* "12m", "12m5s": the second unit only when it is not zero. */
static void two_units(char *buf, size_t n, uint64_t a, char ua, uint64_t b, char ub)
{
    if (b)
        snprintf(buf, n, "%llu%c%llu%c", (unsigned long long)a, ua, (unsigned long long)b, ub);
    else
        snprintf(buf, n, "%llu%c", (unsigned long long)a, ua);
}

char *mw__format_r2(char *buf, size_t n, double r2, bool flat, bool ascii)
{
    if (!buf || !n)
        return buf;
    const char *name = ascii ? "R^2" : "R\u00b2";
    if (flat)
        snprintf(buf, n, "%s %s", name, ascii ? "-" : "\u2014");
    else
        snprintf(buf, n, "%s %.2f", name, r2);
    return buf;
}

char *mw__format_span(char *buf, size_t n, int64_t ns)
{
    if (!buf || !n)
        return buf;
    uint64_t v = ns < 0 ? 0 : (uint64_t)ns;
    uint64_t s = v / 1000000000u;
    /* Two units at most, truncated: an axis says roughly how much time it covers. */
    if (s == 0)
        snprintf(buf, n, "%llums", (unsigned long long)(v / 1000000u));
    else if (s < 60)
        snprintf(buf, n, "%llus", (unsigned long long)s);
    else if (s < 3600)
        two_units(buf, n, s / 60, 'm', s % 60, 's');
    else if (s < 86400)
        two_units(buf, n, s / 3600, 'h', s / 60 % 60, 'm');
    else
        two_units(buf, n, s / 86400, 'd', s / 3600 % 24, 'h');
    return buf;
}

/* ---- text safe for a terminal --------------------------------------------------------------- */

/* The length of the valid UTF-8 sequence at s (1..4) and its code point, or 0 if the bytes there
 * are not one (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). */
static int utf8_valid(const unsigned char *s, uint32_t *cp)
{
    unsigned char b = s[0];
    int len;
    uint32_t min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b >= 0xc2 && b < 0xe0)
        len = 2, min = 0x80, *cp = b & 0x1f;
    else if (b >= 0xe0 && b < 0xf0)
        len = 3, min = 0x800, *cp = b & 0x0f;
    else if (b >= 0xf0 && b < 0xf5)
        len = 4, min = 0x10000, *cp = b & 0x07;
    else
        return 0;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) /* also stops at the NUL */
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3f);
    }
    if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp < 0xe000))
        return 0;
    return len;
}

static bool cp_needs_escape(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0x202a && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

char *mw__safe_text(char *out, size_t n, const char *in)
{
    if (n == 0)
        return out;
    const unsigned char *s = (const unsigned char *)(in ? in : "");
    size_t o = 0;
    while (*s) {
        char piece[8];
        size_t plen;
        uint32_t cp;
        int len = utf8_valid(s, &cp);
        if (len == 0) {
            plen = (size_t)snprintf(piece, sizeof(piece), "\\x%02x", s[0]);
            len = 1;
        } else if (cp == 0x1b) {
            plen = (size_t)snprintf(piece, sizeof(piece), "\\e");
        } else if (cp_needs_escape(cp)) {
            plen = (size_t)snprintf(piece, sizeof(piece), cp < 0x80 ? "\\x%02x" : "\\u%04x",
                                    (unsigned)cp);
        } else {
            memcpy(piece, s, (size_t)len);
            plen = (size_t)len;
        }
        if (o + plen >= n)
            break; /* whole pieces only: never half an escape or half a character */
        memcpy(out + o, piece, plen);
        o += plen;
        s += len;
    }
    out[o] = '\0';
    return out;
}
