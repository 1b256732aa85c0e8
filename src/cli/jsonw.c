/* SPDX-License-Identifier: MIT */
/* jsonw.c — a small JSON writer into memory: RFC 8259 strings, nulls, numbers without the locale. */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"

void app_json_init(app_json *j) { memset(j, 0, sizeof(*j)); }

void app_json_free(app_json *j)
{
    free(j->buf);
    memset(j, 0, sizeof(*j));
}

static void put(app_json *j, const char *s, size_t n)
{
    if (j->failed)
        return;
    if (j->len + n + 1 > j->cap) {
        size_t cap = j->cap ? j->cap : 1024;
        while (j->len + n + 1 > cap)
            cap *= 2;
        char *b = realloc(j->buf, cap);
        if (!b) {
            j->failed = true;
            return;
        }
        j->buf = b;
        j->cap = cap;
    }
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    j->buf[j->len] = '\0';
}

static void puts_(app_json *j, const char *s) { put(j, s, strlen(s)); }

static void newline(app_json *j)
{
    puts_(j, "\n");
    for (int i = 0; i < j->depth; i++)
        puts_(j, "  ");
}

/* The length of the valid UTF-8 sequence at p (at most left bytes), 0 if it is not one. */
static size_t utf8_len(const unsigned char *p, size_t left)
{
    unsigned char c = p[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xbf; /* the range of the second byte */
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0)
            lo = 0xa0; /* overlong */
        if (c == 0xed)
            hi = 0x9f; /* surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0)
            lo = 0x90; /* overlong */
        if (c == 0xf4)
            hi = 0x8f; /* > U+10FFFF */
    } else
        return 0;
    if (left < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    return n;
}

static void put_escaped(app_json *j, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);
    puts_(j, "\"");
    while (left) {
        unsigned char c = *p;
        char esc[8];
        const char *e = NULL;
        size_t n = 1;
        switch (c) {
        case '"': e = "\\\""; break;
        case '\\': e = "\\\\"; break;
        case '\b': e = "\\b"; break;
        case '\f': e = "\\f"; break;
        case '\n': e = "\\n"; break;
        case '\r': e = "\\r"; break;
        case '\t': e = "\\t"; break;
        default:
            if (c < 0x20) {
                snprintf(esc, sizeof(esc), "\\u%04x", c);
                e = esc;
            } else if ((n = utf8_len(p, left)) == 0) {
                e = "\\ufffd"; /* one replacement per invalid byte, as decoders do */
                n = 1;
            }
        }
        if (e)
            puts_(j, e);
        else
            put(j, (const char *)p, n);
        p += n;
        left -= n;
    }
    puts_(j, "\"");
}

/* What comes before any value: the comma, the line, the key. */
static void value_start(app_json *j, const char *key)
{
    if (j->depth > 0) {
        if (j->more[j->depth])
            puts_(j, ",");
        j->more[j->depth] = true;
        newline(j);
    }
    if (key) {
        put_escaped(j, key);
        puts_(j, ": ");
    }
}

static void open_(app_json *j, const char *key, const char *brace)
{
    value_start(j, key);
    puts_(j, brace);
    if (j->depth + 1 >= APP_JSON_DEPTH) {
        j->failed = true; /* a bug in the caller: never a truncated document */
        return;
    }
    j->depth++;
    j->more[j->depth] = false;
}

static void close_(app_json *j, const char *brace)
{
    if (j->depth <= 0) {
        j->failed = true;
        return;
    }
    bool any = j->more[j->depth];
    j->depth--;
    if (any)
        newline(j);
    puts_(j, brace);
    if (j->depth == 0)
        puts_(j, "\n");
}

void app_json_begin_object(app_json *j, const char *key) { open_(j, key, "{"); }
void app_json_end_object(app_json *j) { close_(j, "}"); }
void app_json_begin_array(app_json *j, const char *key) { open_(j, key, "["); }
void app_json_end_array(app_json *j) { close_(j, "]"); }

void app_json_string(app_json *j, const char *key, const char *s)
{
    value_start(j, key);
    if (s)
        put_escaped(j, s);
    else
        puts_(j, "null");
}

void app_json_uint(app_json *j, const char *key, uint64_t v)
{
    char b[32];
    snprintf(b, sizeof(b), "%" PRIu64, v);
    value_start(j, key);
    puts_(j, b);
}

void app_json_int(app_json *j, const char *key, int64_t v)
{
    char b[32];
    snprintf(b, sizeof(b), "%" PRId64, v);
    value_start(j, key);
    puts_(j, b);
}

void app_json_fixed(app_json *j, const char *key, double v, int decimals)
{
    static const double scale[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    if (!isfinite(v)) {
        app_json_null(j, key);
        return;
    }
    /* By hand: printf's %f writes the locale's decimal point (a comma in de_DE), not JSON's. */
    char b[48];
    double a = v < 0 ? -v : v;
    double x = a * scale[decimals];
    if (x >= 9e18) { /* beyond int64 the fraction is noise anyway */
        snprintf(b, sizeof(b), "%s%.0f", v < 0 ? "-" : "", a);
    } else {
        uint64_t u = (uint64_t)(x + 0.5); /* rounds half up; no libm needed */
        uint64_t ip = u / (uint64_t)scale[decimals], fp = u % (uint64_t)scale[decimals];
        int k = snprintf(b, sizeof(b), "%s%" PRIu64, v < 0 && u ? "-" : "", ip);
        if (decimals)
            snprintf(b + k, sizeof(b) - (size_t)k, ".%0*" PRIu64, decimals, fp);
    }
    value_start(j, key);
    puts_(j, b);
}

void app_json_bool(app_json *j, const char *key, bool v)
{
    value_start(j, key);
    puts_(j, v ? "true" : "false");
}

void app_json_null(app_json *j, const char *key)
{
    value_start(j, key);
    puts_(j, "null");
}
