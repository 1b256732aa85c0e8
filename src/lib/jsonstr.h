/* SPDX-License-Identifier: MIT */
/* jsonstr.h — one JSON string escaper (RFC 8259) for every JSON memwatch writes. */
#ifndef MW_JSONSTR_H
#define MW_JSONSTR_H

#include <stddef.h>

/* s as a JSON string at p, quotes included: '"' and '\\' escaped, control characters as \n, \t,
 * ... or \u00XX, valid UTF-8 copied as it is, and each byte that is not valid UTF-8 (stray,
 * overlong, a surrogate, cut short, above U+10FFFF) as \ufffd — so the output is always valid
 * UTF-8 JSON, whatever bytes a label or a command argument held. Returns the end; writes exactly
 * mw__json_string_len(s) bytes (no NUL). */
char *mw__json_put_string(char *p, const char *s);
size_t mw__json_string_len(const char *s);

/* The one UTF-8 validator (every writer that must emit valid UTF-8 asks it): the length (1..4) of
 * the valid sequence at p, which has `left` >= 1 bytes, or 0 if p[0] does not start one (a stray
 * continuation byte, an overlong form, a surrogate, a sequence cut short, above U+10FFFF). */
size_t mw__utf8_len(const unsigned char *p, size_t left);

#endif
