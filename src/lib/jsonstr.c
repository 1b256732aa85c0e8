/* SPDX-License-Identifier: MIT */
/* jsonstr.c — one JSON string escaper (RFC 8259) for every JSON memwatch writes. */
#include "config.h"

#include <string.h>

#include "jsonstr.h"

/* The length of the valid UTF-8 sequence at p (at most left bytes), 0 if it is not one. */
size_t mw__utf8_len(const unsigned char *p, size_t left)
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

/* The escape of byte c, or NULL when it is copied (or is part of a UTF-8 sequence). */
static const char *short_escape(unsigned char c)
{
    switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default: return NULL;
    }
}

/* One walk for both the length and the text (p == NULL: count only), so they never disagree. */
static size_t walk(char *p, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    size_t left = strlen(s), out = 0;
#define EMIT(str, len) (p ? (memcpy(p + out, (str), (len)), out += (len)) : (out += (len)))
    EMIT("\"", 1);
    while (left) {
        const char *e = short_escape(*u);
        size_t n = 1;
        if (e) {
            EMIT(e, strlen(e));
        } else if (*u < 0x20) {
            char esc[6] = {'\\', 'u', '0', '0', hex[*u >> 4], hex[*u & 15]};
            EMIT(esc, 6);
        } else if ((n = mw__utf8_len(u, left)) == 0) {
            EMIT("\\ufffd", 6); /* one replacement per invalid byte, as decoders do */
            n = 1;
        } else {
            EMIT((const char *)u, n);
        }
        u += n;
        left -= n;
    }
    EMIT("\"", 1);
#undef EMIT
    return out;
}

size_t mw__json_string_len(const char *s) { return walk(NULL, s); }

char *mw__json_put_string(char *p, const char *s) { return p + walk(p, s); }
